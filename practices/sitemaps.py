from portal.core.sitemaps import PortalSitemap

from .models import Category, Institution, Practice


class PracticeSitemap(PortalSitemap):
    """Each published practice."""

    changefreq = "monthly"

    def items(self):
        return Practice.objects.published().order_by("slug")

    def lastmod(self, practice):
        return practice.updated_at


class CategorySitemap(PortalSitemap):
    """The practices of each category that has published ones."""

    changefreq = "monthly"

    def items(self):
        return Category.objects.filter(practices__in=Practice.objects.published()).distinct().order_by("slug")


class InstitutionSitemap(PortalSitemap):
    """The practices of each institution that has published ones."""

    changefreq = "monthly"

    def items(self):
        return Institution.objects.filter(practices__in=Practice.objects.published()).distinct().order_by("slug")
