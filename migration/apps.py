from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MigrationConfig(AppConfig):
    name = "migration"
    verbose_name = _("Migración interna")

    def ready(self):
        """Tell the kernel what it needs of this app (``portal.core.registry``)."""
        from portal.core import registry

        from .maps import INDICATORS, ORIGIN_INDICATORS, RECENT_INDICATORS
        from .markers import TEXT_MARKERS
        from .summary import MAX_COMPARED

        registry.register_public_models(
            "migration.Department",
            "migration.CensusEdition",
            "migration.DepartmentFigures",
            "migration.PopulationCensus",
            "migration.CensusPopulation",
            "migration.DepartmentPart",
            "migration.RecentMigration",
        )
        # The query parameters of the pages and the API (README: "Caching").
        # ?indicador= of /migracion/ and the home page, /migracion/reciente/, /migracion/balances/.
        registry.register_query_parameter(
            "indicador", registry.one_of(*INDICATORS, *RECENT_INDICATORS, *ORIGIN_INDICATORS)
        )
        registry.register_query_parameter("edicion", registry.YEAR)
        registry.register_query_parameter("sort", registry.SORT)  # every table, /migracion/balances/'s too
        registry.register_query_parameter("crecimiento_sort", registry.SORT)  # /migracion/poblacion/'s growth table
        registry.register_query_parameter("d", registry.SLUG, most=MAX_COMPARED)
        registry.register_query_parameter("edition", registry.YEAR)  # API
        registry.register_text_markers(TEXT_MARKERS)
