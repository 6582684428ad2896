"""Every admin page an editor opens, and the English strings the admin's libraries would show on them.

Shared by the real-browser check of every admin page at 1280 px (tests/browser/test_admin_editor.py) and the
test-client checks of the admin's forms (tests/portal/test_admin_spanish.py).
"""

import re

from django.urls import reverse

from migration.models import CensusEdition, Department, DepartmentFigures
from portal.core.models import ContentBlock
from practices.models import Category, Institution, KeyFigure, Practice

# English strings of Django's admin, django-simple-history and django-import-export that an editor
# met on these pages before they were all put into Spanish (whole words, case-sensitive).
ENGLISH = [
    "Changed by", "Change history", "Change History", "Change reason", "Choose a date", "Choose a time",
    "Date/time", "Object", "Comment", "Revert", "History", "Home", "View on site", "Close",
    "This exporter will export", "This importer will import", "Select all", "Import finished",
    "No valid data", "Non field specific", "Line number", "Confirm import", "Preview", "Skipped",
    "Update", "Errors", "Submit", "Import", "Export", "File to import", "Format", "Resource",
    "entries", "entry", "Today", "Now", "Midnight", "Noon", "Calendar", "Clock", "Cancel", "Yesterday",
    "Tomorrow", "Save", "Delete", "Add another", "Filter", "Show all", "Search", "Action", "Go",
    "Yes", "Unknown", "Select", "selected", "Add", "Change", "View", "Log out", "Welcome",
    "through import_export", "object (", "Practice_departments", "practice-department",
]  # fmt: skip
ENGLISH_WORDS = re.compile(r"(?<![\w-])(" + "|".join(re.escape(word) for word in ENGLISH) + r")(?![\w-])")

# Wrong Spanish the admin used to write (article glued or of the wrong gender).
WRONG_SPANISH = re.compile(r"\b(El ?buena|El cifras|El edición|El institución|El categoría|Elbuena|Vista cifras)")


def english_words(text: str) -> list[str]:
    return sorted(set(ENGLISH_WORDS.findall(text)))


def editor_pages() -> dict[str, str]:
    """name → URL of every kind of admin page an editor opens, on the seed data."""
    practice = Practice.objects.get(slug="sierra-sur")
    figures = DepartmentFigures.objects.get(edition__year=2007, department__slug="cajamarca")
    version = practice.history.latest()
    pages = {"index": reverse("admin:index")}
    objects = {
        "practices_practice": practice,
        "practices_category": Category.objects.first(),
        "practices_institution": Institution.objects.first(),
        "practices_keyfigure": KeyFigure.objects.first(),
        "portal_contentblock": ContentBlock.objects.first(),
        "migration_departmentfigures": figures,
        "migration_department": Department.objects.get(slug="lima"),
        "migration_censusedition": CensusEdition.objects.first(),
    }
    for name, obj in objects.items():
        pages[f"{name} list"] = reverse(f"admin:{name}_changelist")
        pages[f"{name} change"] = reverse(f"admin:{name}_change", args=[obj.pk])
        pages[f"{name} history"] = reverse(f"admin:{name}_history", args=[obj.pk])
    for name in ("practices_practice", "practices_category", "practices_institution", "migration_departmentfigures"):
        pages[f"{name} add"] = reverse(f"admin:{name}_add")
    pages["photo library"] = reverse("admin:practices_photo_changelist")
    pages["photo add"] = reverse("admin:practices_photo_add")
    pages["practice version"] = reverse("admin:practices_practice_simple_history", args=[practice.pk, version.pk])
    pages["practice delete"] = reverse("admin:practices_practice_delete", args=[practice.pk])
    pages["practices deleted"] = reverse("admin:practices_practice_deleted")
    for name in ("practices_practice", "migration_departmentfigures"):
        pages[f"{name} import"] = reverse(f"admin:{name}_import")
        pages[f"{name} export"] = reverse(f"admin:{name}_export")
    return pages
