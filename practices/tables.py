import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import Practice


class PracticeTable(tables.Table):
    """The catalogue: sortable by title, award year and institution (``?sort=``)."""

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
        empty_text = _("Ninguna buena práctica coincide con esta búsqueda. Pruebe con menos filtros.")

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

    def render_title(self, record):
        return format_html(
            '<a href="{}">{}</a><span class="summary">{}</span><span class="meta">{}</span>',
            record.get_absolute_url(),
            record.title,
            record.summary,
            record.category.name,
        )

    def value_title(self, record):
        return record.title

    def value_institution(self, record):
        return record.institution.name

    def value_departments(self, record):
        return "; ".join(department.name for department in record.departments.all())

    def value_category(self, record):
        return record.category.name

    def value_scope(self, record):
        return record.scope

    def value_url(self, record):
        return self.request.build_absolute_uri(record.get_absolute_url())

    def render_institution(self, record):
        return format_html('<a href="{}">{}</a>', record.institution.get_absolute_url(), record.institution)

    def render_departments(self, record):
        if record.scope == Practice.Scope.NATIONAL:
            return _("Alcance nacional")
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((d.get_absolute_url(), d.name) for d in record.departments.all())
        )
