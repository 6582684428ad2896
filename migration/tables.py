import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from portal.core.numbers import format_growth, format_int, format_percent, format_rate, format_signed, round_half_up

from .measures import MEASURES, ORIGIN_MEASURES, RECENT_MEASURES
from .models import CensusPopulation, DepartmentFigures, RecentMigration

NUMBER = {"th": {"class": "num"}, "td": {"class": "num"}, "tf": {"class": "num"}}


def ubigeo_column(accessor: str = "department__ubigeo") -> tables.Column:
    """The department's INEI code, in the downloads only (not on the page): what joins a downloaded table with
    other INEI data. A text, «01» (the XLSX keeps its zero; the CSV's readers are told to read it as text)."""
    return tables.Column(verbose_name="ubigeo", accessor=accessor, visible=False, orderable=False)


class MeasureColumn(tables.Column):
    """One migration measure (``migration.measures``): formatted on the page, plain in downloads,
    its national figure (the table's ``summary``) in the footer."""

    def __init__(self, measure, **kwargs):
        self.measure = measure
        super().__init__(verbose_name=measure.column, attrs=NUMBER, **kwargs)

    def render(self, value):
        return self.measure.format(value)

    def value(self, value):
        return self.measure.plain(value)

    def render_footer(self, bound_column, table):
        return self.measure.format(self.measure.of(table.summary))


class IntegerColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMBER)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_int(value)

    def value(self, value):
        """Downloads get plain numbers, not the page's formatting."""
        return int(value)


class SignedColumn(IntegerColumn):
    def render(self, value):
        return format_signed(value)


class PercentColumn(IntegerColumn):
    def render(self, value):
        return format_percent(value)

    def value(self, value):
        return float(round_half_up(value, 1))


class RateColumn(PercentColumn):
    """Rates per 1,000 (one decimal, signed with −)."""

    def render(self, value):
        return format_rate(value)


class GrowthColumn(PercentColumn):
    """Average annual growth rate in % (one decimal, signed with −)."""

    def render(self, value):
        return format_growth(value)


class DepartmentFiguresTable(tables.Table):
    """All departments of one edition; every column sorts with ``?sort=``."""

    department = tables.Column(
        verbose_name=_("Departamento"),
        accessor="department__name",
        order_by=("department__name",),
        linkify=lambda record, table: record.department.get_absolute_url() + table.summary.edition_query,
        footer=_("Total"),
        attrs={"td": {"class": "row-header"}, "tf": {"class": "row-header"}},
    )
    ubigeo = ubigeo_column()
    locals().update({measure.key: MeasureColumn(measure) for measure in MEASURES})  # one column per measure

    class Meta:
        model = DepartmentFigures
        fields = ()
        sequence = ("department", "ubigeo", *(measure.key for measure in MEASURES), "...")  # then other apps' ones
        order_by = ("department",)
        orderable = True
        attrs = {"class": "data-table"}

    wide = True  # more columns than a phone shows: includes/table.html says so where it does not fit

    def __init__(self, data, *args, summary, **kwargs):
        self.summary = summary
        self.caption = _("Población migrante por departamento, censo %(year)s") % {"year": summary.edition.year}
        super().__init__(data, *args, **kwargs)


class PopulationHistoryTable(tables.Table):
    """Departments × censuses: population in each census, growth rates between them, share of Peru.

    One column per census and per pair of consecutive censuses, from the stored censuses; every column sorts.
    ``columns`` chooses which of the three groups it shows: the page shows populations and shares in one table
    and growth rates in another (each fits a 1280 px page); the download has them all.
    """

    COLUMN_GROUPS = ("population", "growth", "share")

    wide = True  # more columns than a phone shows; fits a 1280 px page (tighter type: static/css/portal.css)

    department = tables.Column(
        verbose_name=_("Departamento"),
        accessor="department__name",
        order_by=("department__name",),
        linkify=lambda record: record.department.get_absolute_url() + "#poblacion",
        footer=_("Perú"),
        attrs={"td": {"class": "row-header"}, "tf": {"class": "row-header"}},
    )
    ubigeo = ubigeo_column()

    class Meta:
        fields = ()
        order_by = ("department",)
        orderable = True
        attrs = {"class": "data-table"}

    def __init__(self, data, *, history, columns=COLUMN_GROUPS, **kwargs):
        self.history = history
        extra_columns = []
        if "population" in columns:
            extra_columns += [
                (
                    f"population_{census.year}",
                    IntegerColumn(
                        verbose_name=_("Población %(year)s") % {"year": census.year},
                        accessor=f"populations_by_census__{census.year}",
                        footer=format_int(census.national_population),
                    ),
                )
                for census in history.censuses
            ]
        if "growth" in columns:
            extra_columns += [
                (
                    f"growth_{interval.key}",
                    GrowthColumn(
                        verbose_name=_("Crecimiento anual %(period)s") % {"period": interval.label},
                        accessor=f"growths__{interval.key}",
                        footer=format_growth(history.national_growth(interval)),
                    ),
                )
                for interval in history.intervals
            ]
        if "share" in columns and history.censuses:
            extra_columns += [
                (
                    f"share_{census.year}",
                    PercentColumn(
                        verbose_name=_("%% del Perú %(year)s") % {"year": census.year},
                        accessor=f"shares__{census.year}",
                        footer=format_percent(100),
                    ),
                )
                for census in dict.fromkeys((history.first, history.last))
            ]
        period = {"first": history.first.year, "last": history.last.year}
        if tuple(columns) == ("growth",):
            self.caption = _("Crecimiento anual de la población por departamento, %(first)s–%(last)s") % period
        else:
            self.caption = _("Población censada por departamento, %(first)s–%(last)s") % period
        super().__init__(data, extra_columns=extra_columns, **kwargs)


def _area_url(record) -> str | None:
    """A department's profile; an area of several departments (Lima y Callao) links to the first one's."""
    departments = sorted(record.departments.all(), key=lambda department: department.ubigeo)
    return departments[0].get_absolute_url() + "#migracion-reciente" if departments else None


class RecentMigrationTable(tables.Table):
    """Recent migration (five years before the census) of every area; Lima and Callao are one."""

    wide = True  # more columns than a phone shows; fits a 1280 px page (tighter type: static/css/portal.css)

    name = tables.Column(
        verbose_name=_("Departamento"),
        linkify=_area_url,
        footer=_("Total"),
        attrs={"td": {"class": "row-header"}, "tf": {"class": "row-header"}},
    )
    ubigeo = ubigeo_column("code")  # 07+15 for Lima y Callao
    locals().update({measure.key: MeasureColumn(measure) for measure in RECENT_MEASURES})  # one per measure

    class Meta:
        model = RecentMigration
        fields = ()
        sequence = ("name", "ubigeo", *(measure.key for measure in RECENT_MEASURES))
        order_by = ("name",)
        orderable = True
        attrs = {"class": "data-table"}

    def __init__(self, *args, summary, **kwargs):
        self.summary = summary
        self.caption = _("Migración reciente por departamento, %(period)s (personas de 5 años y más)") % {
            "period": summary.period
        }
        super().__init__(*args, **kwargs)


class OriginBalancesTable(tables.Table):
    """The departments of a census that counts people by origin (2025): residents, people born there and the
    lifetime balance, residents aged 5+, people who lived there five years before and the recent balance; the
    footer is Peru, where the balances add up to the people born (or living five years before) abroad."""

    wide = True  # more columns than a phone shows; fits a 1280 px page (tighter type: static/css/portal.css)

    department = tables.Column(
        verbose_name=_("Departamento"),
        accessor="department__name",
        order_by=("department__name",),
        linkify=lambda record: record.department.get_absolute_url() + "#censo-nacimiento-residencia",
        footer=_("Perú"),
        attrs={"td": {"class": "row-header"}, "tf": {"class": "row-header"}},
    )
    ubigeo = ubigeo_column()
    locals().update({measure.key: MeasureColumn(measure) for measure in ORIGIN_MEASURES})  # one per measure

    class Meta:
        model = CensusPopulation
        fields = ()
        sequence = ("department", "ubigeo", *(measure.key for measure in ORIGIN_MEASURES))
        order_by = ("department",)
        orderable = True
        attrs = {"class": "data-table"}

    def __init__(self, *args, summary, **kwargs):
        self.summary = summary
        self.caption = _(
            "Residentes, nacidos en el departamento y quienes vivían en él en %(earlier)s, por departamento, censo "
            "%(year)s"
        ) % {"earlier": summary.earlier_year, "year": summary.year}
        super().__init__(*args, **kwargs)
