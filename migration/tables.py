import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.tables import SelfLinkingTableMixin
from portal.templatetags.portal import format_int, format_percent, format_signed, round_half_up

from .models import DepartmentFigures


class IntegerColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"th": {"class": "num"}, "td": {"class": "num"}, "tf": {"class": "num"}})
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


def _national(attribute, formatter):
    """Footer showing a national figure of the table's ``NationalSummary``."""

    def footer(table):
        return formatter(getattr(table.summary, attribute))

    return footer


class DepartmentFiguresTable(SelfLinkingTableMixin, tables.Table):
    """All departments of one edition; every column sorts with ``?sort=``."""

    department = tables.Column(
        verbose_name=_("Departamento"),
        accessor="department__name",
        order_by=("department__name",),
        linkify=lambda record, table: record.department.get_absolute_url() + table.summary.edition_query,
        footer=_("Total"),
        attrs={"td": {"class": "row-header"}, "tf": {"class": "row-header"}},
    )
    population = IntegerColumn(verbose_name=_("Población"), footer=_national("population", format_int))
    immigrants = IntegerColumn(verbose_name=_("Inmigrantes"), footer=_national("immigrants", format_int))
    emigrants = IntegerColumn(verbose_name=_("Emigrantes"), footer=_national("emigrants", format_int))
    net_migration = SignedColumn(
        verbose_name=_("Saldo migratorio"),
        footer=_national("net_migration", format_signed),
    )
    immigrant_share = PercentColumn(
        verbose_name=_("% inmigrantes"), footer=_national("immigrant_share", format_percent)
    )
    emigrant_share = PercentColumn(verbose_name=_("% emigrantes"), footer=_national("emigrant_share", format_percent))
    practice_count = IntegerColumn(
        verbose_name=_("Buenas prácticas"),
        linkify=lambda record: f"{reverse('practices:index')}?departamento={record.department.slug}",
    )

    class Meta:
        model = DepartmentFigures
        fields = ()
        sequence = (
            "department",
            "population",
            "immigrants",
            "emigrants",
            "net_migration",
            "immigrant_share",
            "emigrant_share",
            "practice_count",
        )
        order_by = ("department",)
        orderable = True
        attrs = {"class": "data-table"}

    wide = True  # more columns than a phone shows: the template says that the table scrolls sideways

    def __init__(self, *args, summary, practice_counts, **kwargs):
        self.summary = summary
        for row in summary.rows:
            row.practice_count = practice_counts.get(row.department_id, 0)
        self.caption = _("Población migrante por departamento, censo %(year)s") % {"year": summary.edition.year}
        super().__init__(*args, **kwargs)
