from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from migration.models import Department, DepartmentFigures
from practices.models import Practice


class StaticPagesSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "monthly"

    def items(self):
        return ["home", "migration:index", "migration:recent", "migration:population", "practices:index", "about"]

    def location(self, item):
        return reverse(item)


class DepartmentSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "yearly"

    def items(self):
        # Last modified: the latest change to any of the department's figures (from their history).
        changes = DepartmentFigures.history.filter(department_id=OuterRef("pk")).order_by("-history_date")
        return Department.objects.annotate(last_change=Subquery(changes.values("history_date")[:1])).order_by("name")

    def lastmod(self, department):
        return department.last_change


class PracticeSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "monthly"

    def items(self):
        return Practice.objects.published().order_by("slug")

    def lastmod(self, practice):
        return practice.updated_at


SITEMAPS = {"paginas": StaticPagesSitemap, "departamentos": DepartmentSitemap, "practicas": PracticeSitemap}
