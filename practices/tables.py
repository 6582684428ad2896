import django_tables2 as tables
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from migration.tables import NUMBER
from portal.core.numbers import format_int
from portal.core.site import absolute_url

from .models import Practice

PER_PAGE = 20


def _lang(text) -> str:
    """The attribute ` lang="es"` for a Spanish text shown on the English page (``LocalizedText.lang``)."""
    return mark_safe(' lang="es"') if getattr(text, "lang", "") else ""


class PracticeTable(tables.Table):
    """The catalogue: sortable by title, award year and institution (``?sort=``), 20 per page.

    django-tables2 draws every row (``includes/table.html``): a column added here shows in the
    header, in every row and in the downloads.
    """

    # On phones each row is a card (CSS): every value is shown, after its label (``data-label``).
    title = tables.Column(verbose_name=_("Práctica"), order_by=("title",))
    award_year = tables.Column(
        verbose_name=_("Año"), attrs={"th": {"class": "num"}, "td": {"class": "num", "data-label": _("Año")}}
    )
    institution = tables.Column(
        verbose_name=_("Institución"),
        order_by=("institution__name",),
        attrs={"td": {"data-label": _("Institución")}},
    )
    departments = tables.Column(
        verbose_name=_("Departamentos"),
        orderable=False,
        empty_values=(),
        attrs={"td": {"data-label": _("Departamentos")}},
    )
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

    stacked = True  # on phones the rows are cards, nothing to scroll sideways (includes/table.html)
    anchor = "resultados"  # sort and page links lead back to the results heading

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

    # The page --------------------------------------------------------------------------------------------
    def render_title(self, record):
        # On the English page a practice without an English version shows its Spanish text, marked lang="es".
        title, summary, category = record.localized_title, record.localized_summary, record.category.localized_name
        picture = record.lead_picture  # beside the title link, which says it all: the photo is decorative here
        return format_html(
            '{}<a href="{}"{}>{}</a><span class="summary"{}>{}</span><span class="meta"{}>{}</span>',
            format_html('<span class="thumbnail">{}</span>', picture.html("", "5rem")) if picture else "",
            record.get_absolute_url(),
            _lang(title),
            title,
            _lang(summary),
            summary,
            _lang(category),
            category,
        )

    def render_institution(self, record):
        # Institutions have no English name: their Spanish name is marked as such on the English page.
        return format_html(
            '<a href="{}"{}>{}</a>',
            record.institution.get_absolute_url(),
            mark_safe(' lang="es"') if get_language() == "en" else "",
            record.institution,
        )

    def render_departments(self, record):
        if record.scope == Practice.Scope.NATIONAL:
            return _("Alcance nacional")
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("migration:detail", args=[slug]), name) for slug, name in record.listed_departments),
        )

    # The downloads: plain values, in the page's language (Spanish where a text has no English version) ----
    def value_title(self, record):
        return str(record.localized_title)

    def value_institution(self, record):
        return record.institution.name

    def value_departments(self, record):
        return "; ".join(name for _, name in record.listed_departments)

    def value_category(self, record):
        return str(record.category.localized_name)

    def value_scope(self, record):
        return record.scope

    def value_url(self, record):
        return absolute_url(record.get_absolute_url())


class DepartmentPracticesColumn(tables.Column):
    """The number of published practices of each department, in the table of ``/migracion/``
    (``migration.extensions``): it links to the catalogue filtered by the department and says so to screen
    readers; 0 links nowhere; downloads get the plain number."""

    def __init__(self, **kwargs):
        super().__init__(verbose_name=_("Buenas prácticas"), attrs=NUMBER, **kwargs)

    def render(self, value, record):
        if not value:
            return format_int(value)
        return format_html(
            '<a href="{}?departamento={}">{}<span class="visually-hidden"> {}</span></a>',
            reverse("practices:index"),
            record.department.slug,
            format_int(value),
            ngettext("buena práctica en %(department)s", "buenas prácticas en %(department)s", value)
            % {"department": record.department.name},
        )

    def value(self, value):
        return int(value)
