"""What the site search (``/buscar/``) finds in the catalogue: published practices, institutions, categories —
any word of the query, best first, forgiving typos (``portal.core.search.ranked``), in the page's language: on
English pages the English titles, summaries and texts are searched too (Spanish ones stay searchable there, as
English pages show them where there is no English version)."""

from django.db.models import Exists, OuterRef
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from migration.models import Department
from portal.core.search import SearchGroup, folded, ranked

from .models import Category, Institution, Practice


def with_english(fields: list[str], english: list[str]) -> list[str]:
    """``fields``, and on English pages their ``english`` versions too."""
    return [*fields, *english] if get_language() == "en" else fields


def serves_department(word: str):
    """A practice serving a department whose name holds ``word``."""
    departments = Department.objects.annotate(folded_name=folded("name"))
    return Exists(departments.filter(practices=OuterRef("pk"), folded_name__contains=word))


def find_practices(query: str) -> list[Practice]:
    found = ranked(
        Practice.objects.published().select_related("institution"),
        query,
        names=with_english(["title", "institution__name", "institution__acronym"], ["title_en"]),
        texts=with_english(["summary", "body", "programme", "category__name"], ["summary_en", "body_en"]),
        extra=serves_department,
    )
    return list(found[:50])


def find_institutions(query: str) -> list[Institution]:
    return list(ranked(Institution.objects.all(), query, names=["name", "acronym"])[:25])


def find_categories(query: str) -> list[Category]:
    found = ranked(
        Category.objects.all(),
        query,
        names=with_english(["name"], ["name_en"]),
        texts=with_english(["description"], ["description_en"]),
    )
    return list(found[:25])


SEARCH_GROUPS = (
    SearchGroup(_("Buenas prácticas"), "practices", find_practices, "practices/includes/search_result_practice.html"),
    SearchGroup(
        _("Instituciones"), "institutions", find_institutions, "practices/includes/search_result_institution.html"
    ),
    SearchGroup(_("Categorías"), "categories", find_categories, "practices/includes/search_result_category.html"),
)
