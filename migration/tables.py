import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .measures import MEASURES
from .models import DepartmentFigures

NUMBER = {"th": {"class": "num"}, "td": {"class": "num"}, "tf": {"class": "num"}}


class MeasureColumn(tables.Column):
    """One migration measure (``migration.measures``): formatted on the page, plain in downloads,
    its national figure in the footer."""

    def __init__(self, measure, **kwargs):
        self.measure = measure
        super().__init__(verbose_name=measure.column, attrs=NUMBER, **kwargs)

    def render(self, value):
        return self.measure.format(value)

    def value(self, value):
        return self.measure.plain(value)

    def render_footer(self, bound_column, table):
        return self.measure.format(self.measure.of(table.summary))


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
    locals().update({measure.key: MeasureColumn(measure) for measure in MEASURES})  # one column per measure
    practice_count = tables.Column(
        verbose_name=_("Buenas prácticas"),
        attrs=NUMBER,
        linkify=lambda record: f"{reverse('practices:index')}?departamento={record.department.slug}",
    )

    class Meta:
        model = DepartmentFigures
        fields = ()
        sequence = ("department", *(measure.key for measure in MEASURES), "practice_count")
        order_by = ("department",)
        orderable = True
        attrs = {"class": "data-table"}

    def __init__(self, data, *args, summary, **kwargs):
        self.summary = summary
        self.caption = _("Población migrante por departamento, censo %(year)s") % {"year": summary.edition.year}
        super().__init__(data, *args, **kwargs)
