import django_tables2 as tables
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from portal.site import absolute_url
from portal.tables import SelfLinkingTableMixin

from .models import Practice

PER_PAGE = 20


class PracticeTable(SelfLinkingTableMixin, tables.Table):
    """The catalogue: sortable by title, award year and institution (``?sort=``), 20 per page."""

    title = tables.Column(verbose_name=_("Práctica"), order_by=("title",))
    award_year = tables.Column(verbose_name=_("Año"), attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    institution = tables.Column(verbose_name=_("Institución"), order_by=("institution__name",))
    departments = tables.Column(verbose_name=_("Departamentos"), orderable=False, empty_values=())
    # Downloads only (hidden on the page):
    category = tables.Column(verbose_name=_("Categoría"), visible=False)
    programme = tables.Column(verbose_name=_("Programa"), visible=False)
    scope = tables.Column(verbose_name=_("Alcance"), visible=False)
    url = tables.Column(verbose_name=_("Dirección"), visible=False, empty_values=(), orderable=False)

    class Meta:
        model = Practice
        fields = ()
        sequence = ("title", "award_year", "institution", "departments", "category", "programme", "scope", "url")
        order_by = ("-award_year", "title")
        attrs = {"class": "data-table catalogue"}
        template_name = "practices/catalogue_table.html"  # the rows are drawn there
        empty_text = _("Ninguna buena práctica coincide con esta búsqueda. Pruebe con menos filtros.")

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        # Always 20 rows: ``?per_page=`` from the query string is not honoured (no page of thousands of rows).
        return super().paginate(paginator_class, PER_PAGE, page, *args, **kwargs)

    @property
    def order_by(self):
        return super().order_by

    @order_by.setter
    def order_by(self, value):
        # Rows that tie on the sorted column (same year, same institution) get a fixed order: without it
        # PostgreSQL may order them differently for each page, showing a practice twice and skipping another.
        tables.Table.order_by.fset(self, value)
        queryset = self.data.data
        if hasattr(queryset, "query"):
            self.data.data = queryset.order_by(*(queryset.query.order_by or Practice._meta.ordering), "pk")

    def value_title(self, record):
        return record.title

    def value_institution(self, record):
        return record.institution.name

    def value_departments(self, record):
        return "; ".join(name for _, name in record.listed_departments)

    def value_category(self, record):
        return record.category.name

    def value_scope(self, record):
        return record.scope

    def value_url(self, record):
        return absolute_url(record.get_absolute_url())
