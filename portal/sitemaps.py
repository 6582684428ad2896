from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from migration.models import Department, DepartmentFigures
from practices.models import Practice


class PortalSitemap(Sitemap):
    """Addresses on ``settings.SITE_URL``, whatever Host the sitemap was asked for with."""

    i18n = True
    alternates = True

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class StaticPagesSitemap(PortalSitemap):
    changefreq = "monthly"

    def items(self):
        return ["home", "migration:index", "migration:recent", "migration:population", "practices:index", "about"]

    def location(self, item):
        return reverse(item)


class DepartmentSitemap(PortalSitemap):
    changefreq = "yearly"

    def items(self):
        # Last modified: the latest change to any of the department's figures (from their history).
        changes = DepartmentFigures.history.filter(department_id=OuterRef("pk")).order_by("-history_date")
        return Department.objects.annotate(last_change=Subquery(changes.values("history_date")[:1])).order_by("name")

    def lastmod(self, department):
        return department.last_change


class PracticeSitemap(PortalSitemap):
    changefreq = "monthly"

    def items(self):
        return Practice.objects.published().order_by("slug")

    def lastmod(self, practice):
        return practice.updated_at


SITEMAPS = {"paginas": StaticPagesSitemap, "departamentos": DepartmentSitemap, "practicas": PracticeSitemap}
