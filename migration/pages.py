"""The migration app's public pages: in the main navigation, the sitemap and the site search (``portal/pages.py``
puts every app's pages together)."""

from django.utils.translation import gettext_lazy as _

from portal.core.pages import Page

PAGES = (
    Page(
        "migration:index",
        _("Migración interna por departamento (de toda la vida)"),
        about=_("inmigrantes emigrantes saldo migratorio nacimiento"),
        nav=_("Migración"),
    ),
    Page(
        "migration:recent",
        _("Migración reciente por departamento, 2002–2007"),
        about=_("inmigrantes emigrantes saldo cinco años tasa Lima y Callao"),
    ),
    Page(
        "migration:balances",
        _("Nacimiento y residencia por departamento: balances del censo más reciente"),
        about=_("censo nacidos residentes balance toda la vida reciente extranjero origen Lima Metropolitana"),
    ),
    Page(
        "migration:population",
        _("Población censada por departamento en cada censo nacional"),
        about=_("población censos crecimiento límites"),
    ),
    Page("migration:compare", _("Comparar departamentos"), about=_("comparación lado a lado")),
)
