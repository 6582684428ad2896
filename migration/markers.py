"""The ``[[markers]]`` editors write in the narrative texts, filled from the census figures.

Registered with the kernel in ``MigrationConfig.ready()`` (``portal.core.registry.TextMarkers``): the admin lists
them beside the text, refuses a mistyped one and fills them in the preview. Their values come from
``NationalSummary.figure_values`` (the census edition a page shows).
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from portal.core.registry import TextMarkers

from .models import Department
from .summary import load_summary

NATIONAL_MARKERS = {
    "poblacion_nacional": _("población nacional censada"),
    "poblacion_migrante": _("personas que viven en otro departamento que el de su nacimiento"),
    # xgettext:no-python-format
    "pct_poblacion_migrante": _("% de la población que vive en otro departamento"),
    # xgettext:no-python-format
    "pct_nacido_extranjero": _("% de la población nacida en otro país"),
    "uno_de_cada": _("«una de cada N» personas (en palabras)"),
    "anio_censo": _("año del censo"),
}
DEPARTMENT_MARKERS = {
    "poblacion": _("población censada"),
    "inmigrantes": _("inmigrantes"),
    "emigrantes": _("emigrantes"),
    "saldo": _("saldo migratorio con signo (+2,376,434)"),
    "saldo_abs": _("saldo migratorio sin signo"),
    # xgettext:no-python-format
    "pct_inmigrantes": _("% de inmigrantes"),
    # xgettext:no-python-format
    "pct_emigrantes": _("% de emigrantes"),
}


def department_slugs():
    return Department.objects.values_list("slug", flat=True)


def figure_values(request) -> dict[str, str]:
    """The markers' values in the latest published census (none while no census is published)."""
    try:
        return load_summary(request).figure_values
    except Http404:
        return {}


TEXT_MARKERS = TextMarkers(
    fixed=NATIONAL_MARKERS,
    per_object=DEPARTMENT_MARKERS,
    object_name=_("departamento"),
    objects_name=_("departamentos"),
    example_slug="lima",
    slugs=department_slugs,
    values=figure_values,
)
