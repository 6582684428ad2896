from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Buenas prácticas")

    def ready(self):
        """Tell the kernel what it needs of this app (``portal.core.registry``), and add the practices to the
        departments' pages (``migration.extensions``)."""
        from migration import extensions
        from portal.core import registry

        from .models import Practice
        from .tables import DepartmentPracticesColumn, PracticeTable
        from .views import department_counts, department_section

        registry.register_public_models(
            "practices.Category",
            "practices.Institution",
            "practices.Practice",
            "practices.KeyFigure",
            # A scheduled practice becomes public when its publication time comes, with no edit recorded.
            scheduled=registry.Scheduled("practices.Practice", "published_at", {"status": Practice.Status.PUBLISHED}),
        )
        # The query parameters of the catalogue and the API (README: "Caching").
        scope = registry.one_of(*Practice.Scope.values)
        for name, check in [
            ("anio", registry.YEAR),
            ("categoria", registry.SLUG),
            ("institucion", registry.SLUG),
            ("departamento", registry.SLUG),
            ("alcance", scope),
            ("q", registry.one_of()),  # free text: only the empty search of the catalogue's form is kept
            # The catalogue's columns, and the practices' column this app adds to /migracion/'s table.
            ("sort", registry.sorted_by(*PracticeTable.base_columns, "practice_count")),
            ("page", registry.PAGE),
            # The API.
            ("year", registry.YEAR),
            ("category", registry.SLUG),
            ("institution", registry.SLUG),
            ("department", registry.SLUG),
            ("scope", scope),
        ]:
            registry.register_query_parameter(name, check)

        extensions.register_department_column(
            extensions.DepartmentColumn("practice_count", DepartmentPracticesColumn, department_counts)
        )
        extensions.register_profile_section(
            extensions.ProfileSection("practices/includes/department_section.html", department_section)
        )
