"""The catalogue's public pages: in the main navigation, the sitemap and the site search (``portal/pages.py``
puts every app's pages together)."""

from django.utils.translation import gettext_lazy as _

from portal.core.pages import Page

PAGES = (
    Page(
        "practices:index",
        _("Catálogo de buenas prácticas en gestión pública"),
        about=_("premio experiencias gobierno regional local"),
        nav=_("Buenas prácticas"),
    ),
)
