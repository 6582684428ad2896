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
        from .tables import DepartmentFiguresTable, OriginBalancesTable, RecentMigrationTable

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
        # The tables' columns; the population tables' columns are named after the census years (population_1940,
        # share_2017, growth_1993_2007), the growth table's sort is ?crecimiento_sort=.
        census_columns = registry.pattern(
            r"-?(?:department|(?:population|share)_(?:19|20)[0-9]{2}|growth_(?:19|20)[0-9]{2}_(?:19|20)[0-9]{2})"
        )
        registry.register_query_parameter(
            "sort",
            registry.sorted_by(
                *DepartmentFiguresTable.base_columns,
                *RecentMigrationTable.base_columns,
                *OriginBalancesTable.base_columns,  # /migracion/balances/
            ),
        )
        registry.register_query_parameter("sort", census_columns)
        registry.register_query_parameter("crecimiento_sort", census_columns)
        registry.register_query_parameter("d", registry.SLUG, most=MAX_COMPARED)
        registry.register_query_parameter("edition", registry.YEAR)  # API
        registry.register_text_markers(TEXT_MARKERS)
