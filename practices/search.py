"""What the site search (``/buscar/``) finds in the catalogue: published practices, institutions, categories."""

from django.utils.translation import gettext_lazy as _

from portal.core.search import SearchGroup

from .models import Category, Institution, Practice


def find_practices(query: str) -> list[Practice]:
    return list(Practice.objects.published().search(query).select_related("institution")[:50])


SEARCH_GROUPS = (
    SearchGroup(_("Buenas prácticas"), "practices", find_practices, "practices/includes/search_result_practice.html"),
    SearchGroup(
        _("Instituciones"),
        "institutions",
        lambda query: list(Institution.objects.search(query)[:25]),
        "practices/includes/search_result_institution.html",
    ),
    SearchGroup(
        _("Categorías"),
        "categories",
        lambda query: list(Category.objects.search(query)[:25]),
        "practices/includes/search_result_category.html",
    ),
)
