from django.urls import path

from . import charts, views

app_name = "migration"

urlpatterns = [
    path("", views.MigrationIndexView.as_view(), name="index"),
    path("comparar/", views.ComparisonView.as_view(), name="compare"),
    path("poblacion/", views.PopulationHistoryView.as_view(), name="population"),
    path("reciente/", views.RecentMigrationView.as_view(), name="recent"),
    path("graficos/poblacion.json", charts.NationalPopulationChartView.as_view(), name="chart-population"),
    path(
        "graficos/poblacion-porcentaje.json",
        charts.PopulationShareChartView.as_view(),
        name="chart-population-share",
    ),
    path(
        "graficos/poblacion/<slug:slug>.json",
        charts.DepartmentPopulationChartView.as_view(),
        name="chart-department-population",
    ),
    path("graficos/migracion-reciente.json", charts.RecentMigrantsChartView.as_view(), name="chart-recent-migrants"),
    path(
        "graficos/migracion-reciente-saldo.json",
        charts.RecentNetRateChartView.as_view(),
        name="chart-recent-net-rate",
    ),
    path("graficos/comparacion.json", charts.ComparisonChartView.as_view(), name="chart-comparison"),
    path("graficos/lugar-de-nacimiento.json", charts.BirthplaceChartView.as_view(), name="chart-birthplace"),
    path("graficos/migrantes.json", charts.MigrantsChartView.as_view(), name="chart-migrants"),
    path(
        "graficos/porcentaje-inmigrantes.json",
        charts.ImmigrantShareChartView.as_view(),
        name="chart-immigrant-share",
    ),
    path(
        "graficos/porcentaje-emigrantes.json",
        charts.EmigrantShareChartView.as_view(),
        name="chart-emigrant-share",
    ),
    path("graficos/saldo-migratorio.json", charts.NetMigrationChartView.as_view(), name="chart-net-migration"),
    path("graficos/departamento/<slug:slug>.json", charts.DepartmentChartView.as_view(), name="chart-department"),
    path("<slug:slug>/", views.DepartmentDetailView.as_view(), name="detail"),
]
