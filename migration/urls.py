from django.urls import path

from . import charts, views
from .chart_views import ChartJSONView

app_name = "migration"

CHART_FILES = {
    "comparacion": charts.ComparisonChart,
    "lugar-de-nacimiento": charts.BirthplaceChart,
    "migrantes": charts.MigrantsChart,
    "porcentaje-inmigrantes": charts.ImmigrantShareChart,
    "porcentaje-emigrantes": charts.EmigrantShareChart,
    "saldo-migratorio": charts.NetMigrationChart,
}

urlpatterns = [
    path("", views.MigrationIndexView.as_view(), name="index"),
    path("comparar/", views.ComparisonView.as_view(), name="compare"),
    *(
        path(f"graficos/{filename}.json", ChartJSONView.as_view(definition=chart), name=f"chart-{chart.slug}")
        for filename, chart in CHART_FILES.items()
    ),
    path(
        "graficos/departamento/<slug:slug>.json",
        ChartJSONView.as_view(definition=charts.DepartmentChart),
        name="chart-department",
    ),
    path("<slug:slug>/", views.DepartmentDetailView.as_view(), name="detail"),
]
