"""What the site search (``/buscar/``) finds among the migration figures: the departments, by name or ubigeo, best
first and forgiving typos («cajamrca»: ``portal.core.search.ranked``). The pages of figures are in
``migration/pages.py``."""

from django.utils.translation import gettext_lazy as _

from portal.core.search import SearchGroup, ranked

from .models import Department


def find_departments(query: str) -> list[Department]:
    return list(ranked(Department.objects.all(), query, names=["name", "ubigeo"])[:25])


SEARCH_GROUPS = (SearchGroup(_("Departamentos"), "departments", find_departments),)
