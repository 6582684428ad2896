from copy import copy
from functools import cached_property

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, TemplateView
from django_tables2 import RequestConfig, SingleTableMixin

from portal.core.exports import DownloadMixin
from portal.core.models import ContentBlock

from .charts import (
    ORIGIN_CHARTS,
    PAGE_CHARTS,
    ComparisonChart,
    ComparisonPopulationChart,
    DepartmentChart,
    DepartmentPopulationChart,
    NationalPopulationChart,
    PopulationShareChart,
    RecentMigrantsChart,
    RecentNetRateChart,
)
from .extensions import DEPARTMENT_COLUMNS, PROFILE_SECTIONS
from .maps import (
    INDICATORS,
    ORIGIN_INDICATORS,
    RECENT_INDICATORS,
    build_map,
    build_recent_map,
    chosen_indicator,
)
from .measures import MEASURES, ORIGIN_MEASURES
from .models import Department, RecentMigration
from .population import OriginSummary, PopulationHistory, RecentMigrationSummary
from .summary import MAX_COMPARED, Comparison, NationalSummary, load_summary, may_see_drafts
from .tables import DepartmentFiguresTable, OriginBalancesTable, PopulationHistoryTable, RecentMigrationTable

GROWTH_TABLE_PREFIX = "crecimiento_"  # /migracion/poblacion/'s second table sorts with ?crecimiento_sort=

NARRATIVE_KEYS = (
    "migracion_introduccion",
    "cifras_por_departamento",
    "poblacion_inmigrante",
    "poblacion_emigrante",
    "saldo_migratorio",
)


class EditionMixin:
    """Pages show the latest census edition unless ``?edicion=AAAA`` asks for another."""

    @cached_property
    def map_key(self) -> str:
        """The indicator ``?indicador=`` asks for (the default one for anything else)."""
        return chosen_indicator(self.request.GET.get("indicador"))

    @cached_property
    def map(self):
        """The choropleth map of ``map_key``: drawn as ``view.map`` inside a ``{% cache %}`` block."""
        return build_map(self.summary, self.map_key)

    @cached_property
    def summary(self) -> NationalSummary:
        return load_summary(self.request, self.request.GET.get("edicion"))

    @cached_property
    def drafts(self) -> bool:
        """A signed-in editor sees draft censuses too (``may_see_drafts``)."""
        return may_see_drafts(self.request)

    @cached_property
    def census_scope(self) -> str:
        """For the ``{% cache %}`` keys of parts that show census figures: an editor's view of drafts is kept apart."""
        return "borradores" if self.drafts else ""

    @cached_property
    def origin(self) -> OriginSummary | None:
        """The newest census that counts people by origin (2025), or None."""
        return OriginSummary.load(drafts=self.drafts)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = self.summary
        context["edition"] = self.summary.edition
        return context


class MigrationIndexView(EditionMixin, DownloadMixin, TemplateView):
    template_name = "migration/index.html"

    def get_export_filename(self, export_format):
        name = _("migracion-interna")  # outside the f-string: xgettext 0.21 reads no call inside one
        return f"{name}-{self.summary.edition.year}.{export_format}"

    def download_source(self) -> str:
        return self.summary.edition.localized_attribution

    @cached_property
    def table(self) -> DepartmentFiguresTable:
        """The 25 departments sorted as ``?sort=`` asks (django-tables2's ``RequestConfig``), with the columns
        other apps add (``migration.extensions``: the number of published practices): drawn inside the template's
        {% cache %} block as ``view.table``, and downloaded."""
        values = {column.name: column.values() for column in DEPARTMENT_COLUMNS}
        rows = [with_values(row, values) for row in self.summary.rows]
        table = DepartmentFiguresTable(
            rows,
            summary=self.summary,
            extra_columns=[(column.name, column.column()) for column in DEPARTMENT_COLUMNS],
        )
        return RequestConfig(self.request, paginate=False).configure(table)

    def get_table(self, **kwargs):
        """The table the downloads write (django-tables2's ``ExportMixin`` asks for it)."""
        return self.table

    def get_table_kwargs(self):
        return {}

    # Drawn inside the template's {% cache %} blocks as ``view.…``: built only when a block is not kept yet.
    @cached_property
    def charts(self) -> dict:
        return {chart.slug.replace("-", "_"): chart.chart(self.summary) for chart in PAGE_CHARTS}

    @cached_property
    def blocks(self) -> dict:
        return ContentBlock.objects.by_key(*NARRATIVE_KEYS)

    def get_context_data(self, **kwargs):
        return super().get_context_data(map_key=self.map_key, indicators=INDICATORS, **kwargs)


def with_values(row, values: dict[str, dict]):
    """A copy of a summary row with the value of each other app's column (the summary's rows are left as read)."""
    row = copy(row)
    for name, by_department in values.items():
        setattr(row, name, by_department.get(row.department_id, 0))
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
        return super().get_context_data(row=self.row, **kwargs)

    # Drawn inside the template's {% cache %} block as ``view.…``: built only when the block is not kept yet.
    @cached_property
    def measures(self) -> list:
        summary, row = self.summary, self.row
        return [(measure, measure.of(row), measure.rank_of(row), measure.of(summary)) for measure in MEASURES]

    @cached_property
    def neighbours(self) -> tuple[Department, Department]:
        previous, following = self.summary.neighbours(self.row)
        return previous.department, following.department

    @cached_property
    def chart(self):
        return DepartmentChart.chart(self.summary, slug=self.object.slug)

    @cached_property
    def locator_map(self):
        return build_map(self.summary, highlight=self.object)

    @cached_property
    def sections(self) -> list[tuple[str, dict]]:
        """What other apps add to the profile (``migration.extensions``): (template, its context)."""
        return [(section.template, section.context(self.object)) for section in PROFILE_SECTIONS]

    @cached_property
    def population_history(self) -> PopulationHistory:
        """Its population in every census."""
        return PopulationHistory.load(slug=self.object.slug, drafts=self.drafts)

    @cached_property
    def origin_row(self):
        """Its figures by origin in the newest census that has them (2025), with balances and ranks, or None."""
        return self.origin.by_slug.get(self.object.slug) if self.origin else None

    @cached_property
    def origin_measures(self) -> list:
        """(measure, its value, its rank or None, Peru's) for each origin measure."""
        row, origin = self.origin_row, self.origin
        return [
            (measure, measure.of(row), measure.rank_of(row) if measure.ranked else None, measure.of(origin))
            for measure in ORIGIN_MEASURES
        ]

    @cached_property
    def origin_parts(self) -> list:
        """The parts INEI publishes it in (Lima Metropolitana and Región Lima), with their balances."""
        return self.origin.parts_of(self.object) if self.origin_row else []

    @cached_property
    def population(self):
        return self.population_history.by_slug.get(self.object.slug)

    @cached_property
    def population_chart(self):
        if not self.population:
            return None
        return DepartmentPopulationChart.chart(self.population_history, slug=self.object.slug)

    @cached_property
    def recent_area(self):
        """Recent migration beside the lifetime figures."""
        return RecentMigration.objects.for_department(self.object).first()


class ComparisonView(EditionMixin, TemplateView):
    """2 to 5 departments side by side; the URL (``?d=lima&d=cajamarca``) is the permalink."""

    template_name = "migration/compare.html"

    def get_context_data(self, **kwargs):
        slugs = self.request.GET.getlist("d")[:50]
        comparison = Comparison.from_slugs(self.summary, slugs)
        chart = ComparisonChart.chart(self.summary, slugs=comparison.slugs) if comparison.is_complete else None
        measures = [
            (
                measure,
                [(row.department.name, measure.of(row), measure.rank_of(row)) for row in comparison.rows],
                measure.of(self.summary),
            )
            for measure in MEASURES
        ]
        population, recent = PopulationHistory((), ()), RecentMigrationSummary(())
        if comparison.is_complete:  # read only when there is something to compare
            population, recent = PopulationHistory.load(drafts=self.drafts), RecentMigrationSummary.load()
        origin = self.origin if comparison.is_complete else None
        compared_recent = [recent.by_department.get(row.department_id) for row in comparison.rows]
        population_chart = None
        if comparison.is_complete and population:  # their population over the census years, one line each
            population_chart = ComparisonPopulationChart.chart(population, slugs=comparison.slugs)
        return super().get_context_data(
            comparison=comparison,
            chart=chart,
            population_chart=population_chart,
            measures=measures,
            population=population,
            compared_series_named=[
                (row.department.name, population.by_slug.get(row.department.slug)) for row in comparison.rows
            ],
            compared_recent_named=[
                (row.department.name, recent.by_department.get(row.department_id)) for row in comparison.rows
            ],
            compared_joint=list(dict.fromkeys(area for area in compared_recent if area and area.is_joint)),
            recent=recent,
            origin=origin,
            origin_measures=[
                (
                    measure,
                    [(row.department.name, origin.by_slug.get(row.department.slug)) for row in comparison.rows],
                    measure.of(origin),
                )
                for measure in ORIGIN_MEASURES
                if measure.ranked
            ]
            if origin
            else [],
            max_compared=MAX_COMPARED,
            all_rows=self.summary.rows,
            **kwargs,
        )


class PopulationHistoryView(DownloadMixin, SingleTableMixin, TemplateView):
    """/migracion/poblacion/: the departments' population in every national census (1940–2025 today)."""

    template_name = "migration/population.html"
    table_class = PopulationHistoryTable
    table_pagination = False

    @cached_property
    def history(self) -> PopulationHistory:
        history = PopulationHistory.load(drafts=may_see_drafts(self.request))
        if not history:
            raise Http404(_("Todavía no se han cargado los censos de población."))
        return history

    def get_export_filename(self, export_format):
        name = _("poblacion-censada")  # outside the f-string: xgettext 0.21 reads no call inside one
        return f"{name}-{self.history.first.year}-{self.history.last.year}.{export_format}"

    def download_source(self) -> str:
        return "; ".join(self.history.localized_sources)

    def get_dataset_kwargs(self):
        # No model to name the sheet after (the other tables' sheets are their models' plural names).
        return {"title": _("Población censada").title()}

    def get_table_data(self):
        return list(self.history.rows)

    def get_table_kwargs(self):
        """The page's first table shows populations and shares; a download has every column in one file."""
        if self.export_trigger_param in self.request.GET:
            return {"history": self.history}
        return {"history": self.history, "columns": ("population", "share")}

    def get_growth_table(self) -> PopulationHistoryTable:
        """The growth rates between censuses, a table of their own that sorts with ``?crecimiento_sort=``."""
        table = PopulationHistoryTable(
            self.get_table_data(), history=self.history, columns=("growth",), prefix=GROWTH_TABLE_PREFIX
        )
        return RequestConfig(self.request, paginate=False).configure(table)

    def get_context_data(self, **kwargs):
        history = self.history
        largest = history.largest
        latest = history.intervals[-1] if history.intervals else None  # the two newest censuses
        return super().get_context_data(
            history=history,
            growth_table=self.get_growth_table(),
            largest=largest,
            first_share=largest.share(history.first.year),
            last_share=largest.share(history.last.year),
            latest_interval=latest,
            latest_change=history.national_change(latest) if latest else None,
            latest_growth=history.national_growth(latest) if latest else None,
            span_growth=history.national_growth(history.span) if latest else None,
            national_chart=NationalPopulationChart.chart(history),
            share_chart=PopulationShareChart.chart(history),
            **kwargs,
        )


class RecentMigrationView(DownloadMixin, SingleTableMixin, TemplateView):
    """/migracion/reciente/: where people moved in the five years before the census (Lima y Callao as one)."""

    template_name = "migration/recent.html"
    table_class = RecentMigrationTable
    table_pagination = False

    @cached_property
    def summary(self) -> RecentMigrationSummary:
        summary = RecentMigrationSummary.load()
        if not summary:
            raise Http404(_("Todavía no se han cargado las cifras de migración reciente."))
        return summary

    def get_export_filename(self, export_format):
        name = _("migracion-reciente")  # outside the f-string: xgettext 0.21 reads no call inside one
        return f"{name}-{self.summary.period.replace('–', '-')}.{export_format}"

    def download_source(self) -> str:
        return "; ".join(self.summary.localized_sources)

    def get_table_data(self):
        return list(self.summary.areas)

    def get_table_kwargs(self):
        return {"summary": self.summary}

    def get_context_data(self, **kwargs):
        key = self.request.GET.get("indicador")
        return super().get_context_data(
            recent=self.summary,
            map=build_recent_map(self.summary, key),
            indicators=RECENT_INDICATORS,
            migrants_chart=RecentMigrantsChart.chart(self.summary),
            net_rate_chart=RecentNetRateChart.chart(self.summary),
            **kwargs,
        )


@require_safe
def department_names(request):
    """``[{"name": "Amazonas", "url": "/migracion/amazonas/"}, …]``: the 25 departments and their profiles in the
    page's language, for the search boxes' suggestions as one types (``static/js/portal.js``). Public and cacheable
    like every page (``portal.core.http_cache``)."""
    departments = Department.objects.order_by("name")
    return JsonResponse([{"name": d.name, "url": d.get_absolute_url()} for d in departments], safe=False)


class OriginBalancesView(DownloadMixin, SingleTableMixin, TemplateView):
    """/migracion/balances/: the newest census that counts people by origin (2025): each department's residents
    beside the people born in it and those who lived in it five years before — the lifetime and recent balances —
    with the national figures, a map and charts."""

    template_name = "migration/balances.html"
    table_class = OriginBalancesTable
    table_pagination = False

    @cached_property
    def summary(self) -> OriginSummary:
        summary = OriginSummary.load(drafts=may_see_drafts(self.request))
        if summary is None:
            raise Http404(_("Todavía no se han cargado cifras por lugar de origen."))
        return summary

    def get_export_filename(self, export_format):
        name = _("balances-por-origen")  # outside the f-string: xgettext 0.21 reads no call inside one
        return f"{name}-{self.summary.year}.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": _("Balances por origen")}

    def get_table_data(self):
        return list(self.summary.rows)

    def get_table_kwargs(self):
        return {"summary": self.summary}

    def get_context_data(self, **kwargs):
        summary = self.summary
        key = self.request.GET.get("indicador")
        return super().get_context_data(
            origin=summary,
            map=build_map(summary, key, indicators=ORIGIN_INDICATORS),
            indicators=ORIGIN_INDICATORS,
            charts={chart.slug.replace("-", "_"): chart.chart(summary) for chart in ORIGIN_CHARTS},
            parted=[(row.department, summary.parts_of(row.department)) for row in summary.rows if row.has_parts],
            **kwargs,
        )
