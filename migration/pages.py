"""The migration app's public pages: in the main navigation, the sitemap and the site search (``portal/pages.py``
puts every app's pages together); those with ``short`` also in the navigation between the migration pages
(``templatetags/migration_pages.py``)."""

from django.utils.translation import gettext_lazy as _

from portal.core.pages import Page

PAGES = (
    Page(
        "migration:index",
        _("Migración interna por departamento (de toda la vida)"),
        about=_("inmigrantes emigrantes saldo migratorio nacimiento"),
        nav=_("Migración"),
        short=_("Migración de toda la vida"),
    ),
    Page(
        "migration:recent",
        _("Migración reciente por departamento, 2002–2007"),
        about=_("inmigrantes emigrantes saldo cinco años tasa Lima y Callao"),
        short=_("Migración reciente"),
    ),
    Page(
        "migration:balances",
        _("Nacimiento y residencia por departamento: balances del censo más reciente"),
        about=_("censo nacidos residentes balance toda la vida reciente extranjero origen Lima Metropolitana"),
        short=_("Nacimiento y residencia"),
    ),
    Page(
        "migration:population",
        _("Población censada por departamento en cada censo nacional"),
        about=_("población censos crecimiento límites"),
        short=_("Población en cada censo"),
    ),
    Page(
        "migration:compare",
        _("Comparar departamentos"),
        about=_("comparación lado a lado"),
        short=_("Comparar departamentos"),
    ),
)
