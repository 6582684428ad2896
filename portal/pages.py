"""Every public page that stands for itself, in the order of the main navigation: the project's own and each
app's (``portal.core.pages.Page``). The main navigation, the sitemap and the site search all read this list."""

from django.utils.translation import gettext_lazy as _

from migration.pages import PAGES as MIGRATION_PAGES
from portal.core.pages import Page
from practices.pages import PAGES as PRACTICES_PAGES

PAGES = (
    Page("home", _("Inicio"), about=_("portada cifras principales"), nav=_("Inicio")),
    *MIGRATION_PAGES,
    *PRACTICES_PAGES,
    Page(
        "data",
        _("Datos abiertos"),
        about=_("descargar CSV zip diccionario de datos citar API"),
        nav=_("Datos"),
    ),
    Page("about", _("Acerca del portal"), about=_("definiciones fuentes licencias citar"), nav=_("Acerca de")),
)
NAVIGATION = tuple(page for page in PAGES if page.nav)
