"""The sitemap of the whole portal: the pages of ``portal/pages.py`` and each app's own sitemaps."""

from migration.sitemaps import DepartmentSitemap
from portal.core.sitemaps import PortalSitemap
from practices.sitemaps import CategorySitemap, InstitutionSitemap, PracticeSitemap

from .pages import PAGES


class PagesSitemap(PortalSitemap):
    changefreq = "monthly"

    def items(self):
        return list(PAGES)


SITEMAPS = {
    "paginas": PagesSitemap,
    "departamentos": DepartmentSitemap,
    "practicas": PracticeSitemap,
    "categorias": CategorySitemap,
    "instituciones": InstitutionSitemap,
}
