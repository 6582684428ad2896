from django.urls import path

from . import charts, views
from .chart_views import ChartJSONView

app_name = "migration"

#: The charts' JSON files (those of one department are below, with its slug in the URL).
CHART_FILES = {
    "poblacion": charts.NationalPopulationChart,
    "poblacion-porcentaje": charts.PopulationShareChart,
    "migracion-reciente": charts.RecentMigrantsChart,
    "migracion-reciente-saldo": charts.RecentNetRateChart,
    "comparacion": charts.ComparisonChart,
    "comparacion-poblacion": charts.ComparisonPopulationChart,
    "lugar-de-nacimiento": charts.BirthplaceChart,
    "migrantes": charts.MigrantsChart,
    "porcentaje-inmigrantes": charts.ImmigrantShareChart,
    "porcentaje-emigrantes": charts.EmigrantShareChart,
    "saldo-migratorio": charts.NetMigrationChart,
    "balance-toda-la-vida": charts.LifetimeBalanceChart,
    "balance-reciente": charts.RecentBalanceChart,
    "nacidos-en-otro-pais": charts.BornAbroadChart,
}

urlpatterns = [
    path("", views.MigrationIndexView.as_view(), name="index"),
    path("comparar/", views.ComparisonView.as_view(), name="compare"),
    path("poblacion/", views.PopulationHistoryView.as_view(), name="population"),
    path("reciente/", views.RecentMigrationView.as_view(), name="recent"),
    path("departamentos.json", views.department_names, name="department-names"),
    path("balances/", views.OriginBalancesView.as_view(), name="balances"),
    *(
        path(f"graficos/{filename}.json", ChartJSONView.as_view(definition=chart), name=f"chart-{chart.slug}")
        for filename, chart in CHART_FILES.items()
    ),
    path(
        "graficos/departamento/<slug:slug>.json",
        ChartJSONView.as_view(definition=charts.DepartmentChart),
        name="chart-department",
    ),
    path(
        "graficos/poblacion/<slug:slug>.json",
        ChartJSONView.as_view(definition=charts.DepartmentPopulationChart),
        name="chart-department-population",
    ),
    path("<slug:slug>/", views.DepartmentDetailView.as_view(), name="detail"),
]
