from functools import cached_property

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView
from django_tables2 import SingleTableMixin

from portal.exports import DownloadMixin
from portal.models import ContentBlock
from practices.models import Practice

from .charts import PAGE_CHARTS, ComparisonChartView, DepartmentChartView
from .maps import INDICATORS, build_map
from .models import Department
from .summary import MAX_COMPARED, Comparison, NationalSummary, load_summary
from .tables import DepartmentFiguresTable

PROFILE_PRACTICES = 10  # practices listed on a department's profile, per list

NARRATIVE_KEYS = (
    "migracion_introduccion",
    "cifras_por_departamento",
    "poblacion_inmigrante",
    "poblacion_emigrante",
    "saldo_migratorio",
)


class EditionMixin:
    """Pages show the latest census edition unless ``?edicion=AAAA`` asks for another."""

    def get_map(self):
        """The choropleth map for ``?indicador=`` (unknown values fall back to the default)."""
        return {"map": build_map(self.summary, self.request.GET.get("indicador")), "indicators": INDICATORS}

    @cached_property
    def summary(self) -> NationalSummary:
        return load_summary(self.request.GET.get("edicion"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = self.summary
        context["edition"] = self.summary.edition
        return context


class MigrationIndexView(EditionMixin, DownloadMixin, SingleTableMixin, TemplateView):
    template_name = "migration/index.html"
    table_class = DepartmentFiguresTable
    table_pagination = False

    def get_export_filename(self, export_format):
        return f"migracion-interna-{self.summary.edition.year}.{export_format}"

    def get_table_data(self):
        return self.summary.rows

    def get_table_kwargs(self):
        return {"summary": self.summary, "practice_counts": Practice.objects.published().counts_by_department()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            charts={chart.slug.replace("-", "_"): chart.chart(self.summary) for chart in PAGE_CHARTS},
            **self.get_map(),
            blocks=ContentBlock.objects.by_key(*NARRATIVE_KEYS),
            **kwargs,
        )


class DepartmentDetailView(EditionMixin, DetailView):
    template_name = "migration/department_detail.html"
    context_object_name = "department"

    def get_object(self, queryset=None):
        slug = self.kwargs["slug"]
        row = self.summary.by_slug.get(slug)
        if row is None:
            if Department.objects.filter(slug=slug).exists():
                raise Http404(_("No hay cifras de este departamento en esta edición del censo."))
            raise Http404(_("No existe un departamento con esa dirección."))
        self.row = row
        return row.department

    def get_context_data(self, **kwargs):
        summary, row = self.summary, self.row
        previous, following = summary.neighbours(row)
        return super().get_context_data(
            row=row,
            count=len(summary.rows),
            previous=previous.department,
            next=following.department,
            chart=DepartmentChartView.chart(summary, slug=row.department.slug),
            locator_map=build_map(summary, highlight=row.department),
            # The first few; the catalogue, filtered by the department, has them all.
            regional_practices=list(
                row.department.practices.published()
                .select_related("institution")
                .order_by("-award_year", "title")[: PROFILE_PRACTICES + 1]
            ),
            national_practices=list(
                Practice.objects.published()
                .national()
                .select_related("institution")
                .order_by("-award_year", "title")[: PROFILE_PRACTICES + 1]
            ),
            profile_practices=PROFILE_PRACTICES,
            **kwargs,
        )


class ComparisonView(EditionMixin, TemplateView):
    """2 to 5 departments side by side; the URL (``?d=lima&d=cajamarca``) is the permalink."""

    template_name = "migration/compare.html"

    def get_context_data(self, **kwargs):
        slugs = self.request.GET.getlist("d")[:50]
        comparison = Comparison.from_slugs(self.summary, slugs)
        chart = ComparisonChartView.chart(self.summary, slugs=comparison.slugs) if comparison.is_complete else None
        measures = [
            (_("Población censada"), "population", "cifra"),
            (_("Inmigrantes"), "immigrants", "cifra"),
            (_("Emigrantes"), "emigrants", "cifra"),
            (_("Saldo migratorio"), "net_migration", "saldo"),
            (_("% inmigrantes"), "immigrant_share", "porcentaje"),
            (_("% emigrantes"), "emigrant_share", "porcentaje"),
        ]
        return super().get_context_data(
            comparison=comparison,
            chart=chart,
            measures=measures,
            max_compared=MAX_COMPARED,
            all_rows=self.summary.rows,
            **kwargs,
        )
