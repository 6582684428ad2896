from copy import copy
from functools import cached_property

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView
from django_tables2 import SingleTableMixin

from portal.exports import DownloadMixin
from portal.models import ContentBlock

from .charts import PAGE_CHARTS, ComparisonChart, DepartmentChart
from .maps import INDICATORS, build_map, chosen_indicator
from .measures import MEASURES
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


def published_practices():
    """Published practices, reached through the departments' reverse relation (``migration`` never imports
    ``practices``; the query and what "published" means stay on the practices side)."""
    return Department.practices.field.model.objects.published()


class EditionMixin:
    """Pages show the latest census edition unless ``?edicion=AAAA`` asks for another."""

    def get_map(self):
        """The choropleth map for ``?indicador=`` (the default indicator for anything else)."""
        key = chosen_indicator(self.request.GET.get("indicador"))
        return {"map": build_map(self.summary, key), "map_key": key, "indicators": INDICATORS}

    @cached_property
    def summary(self) -> NationalSummary:
        return load_summary(self.request, self.request.GET.get("edicion"))

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
        counts = published_practices().counts_by_department()
        return [with_practice_count(row, counts.get(row.department_id, 0)) for row in self.summary.rows]

    def get_table_kwargs(self):
        return {"summary": self.summary}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            charts={chart.slug.replace("-", "_"): chart.chart(self.summary) for chart in PAGE_CHARTS},
            **self.get_map(),
            blocks=ContentBlock.objects.by_key(*NARRATIVE_KEYS),
            **kwargs,
        )


def with_practice_count(row, count: int):
    """A copy of a summary row with its number of published practices (the summary's rows are left as read)."""
    row = copy(row)
    row.practice_count = count
    return row


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
        department = row.department
        newest_first = ("-award_year", "title")
        return super().get_context_data(
            row=row,
            measures=[(measure, measure.of(row), measure.rank_of(row), measure.of(summary)) for measure in MEASURES],
            count=len(summary.rows),
            previous=previous.department,
            next=following.department,
            chart=DepartmentChart.chart(summary, slug=department.slug),
            locator_map=build_map(summary, highlight=department),
            # The first few of each list (one more, to know whether to link to the rest in the catalogue).
            regional_practices=list(
                department.practices.published()
                .select_related("institution")
                .order_by(*newest_first)[: PROFILE_PRACTICES + 1]
            ),
            national_practices=list(
                published_practices()
                .national()
                .select_related("institution")
                .order_by(*newest_first)[: PROFILE_PRACTICES + 1]
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
        chart = ComparisonChart.chart(self.summary, slugs=comparison.slugs) if comparison.is_complete else None
        measures = [
            (measure, [(measure.of(row), measure.rank_of(row)) for row in comparison.rows], measure.of(self.summary))
            for measure in MEASURES
        ]
        return super().get_context_data(
            comparison=comparison,
            chart=chart,
            measures=measures,
            max_compared=MAX_COMPARED,
            all_rows=self.summary.rows,
            **kwargs,
        )
