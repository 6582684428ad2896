"""What the site search (``/buscar/``) finds among the migration figures: the departments (the pages of figures
are in ``migration/pages.py``)."""

from django.utils.translation import gettext_lazy as _

from portal.core.search import SearchGroup

from .models import Department

SEARCH_GROUPS = (
    SearchGroup(_("Departamentos"), "departments", lambda query: list(Department.objects.search(query)[:25])),
)
