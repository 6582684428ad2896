from django.db.models import OuterRef, Subquery

from portal.core.sitemaps import PortalSitemap

from .models import Department, DepartmentFigures


class DepartmentSitemap(PortalSitemap):
    """Each department's profile."""

    changefreq = "yearly"

    def items(self):
        # Last modified: the latest change to any of the department's figures (from their history).
        changes = DepartmentFigures.history.filter(department_id=OuterRef("pk")).order_by("-history_date")
        return Department.objects.annotate(last_change=Subquery(changes.values("history_date")[:1])).order_by("name")

    def lastmod(self, department):
        return department.last_change
