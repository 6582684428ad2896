from functools import cached_property, partial
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from migration.models import Department
from migration.summary import load_summary
from portal.cache import per_content_version
from portal.exports import DownloadMixin
from portal.models import ContentBlock

from .filters import PracticeFilter
from .models import Category, Institution, Practice
from .tables import PER_PAGE, PracticeTable

INTRODUCTION_KEY = "buenas_practicas_introduccion"


class PracticeListView(DownloadMixin, SingleTableMixin, FilterView):
    """The catalogue: filters, search, sort and pagination all in the query string."""

    model = Practice
    filterset_class = PracticeFilter
    table_class = PracticeTable
    table_pagination = {"per_page": PER_PAGE}
    template_name = "practices/practice_list.html"
    context_object_name = "practice_list"  # named, not derived from object_list (lazy: see get)
    export_name = "buenas-practicas"

    def get_queryset(self):
        return Practice.objects.for_catalogue()

    def get_table_data(self):
        # What the rows show, read only when the table is drawn.
        return super().get_table_data().with_catalogue_columns()

    def get_template_names(self):
        return [self.template_name]  # not derived from object_list (lazy: see get)

    def get(self, request, *args, **kwargs):
        # As FilterView.get, but the filters' form is built only when it must check a value or be drawn,
        # and the filtered queryset only when the results are drawn: both are usually kept (see parts_key).
        valid = self.kept_query is not None
        self.object_list = SimpleLazyObject(lambda: self.filterset.qs if valid else self.filterset.queryset.none())
        filterset = SimpleLazyObject(lambda: self.filterset)
        response = self.render_to_response(self.get_context_data(filter=filterset, object_list=self.object_list))
        if not valid:
            response.status_code = 400  # the page explains which filter value was not understood
        return response

    @cached_property
    def filterset(self) -> PracticeFilter:
        return self.get_filterset(self.get_filterset_class())

    @cached_property
    def kept_query(self) -> dict[str, str] | None:
        """The checked filter values the table's links keep: {} without a query string, None when one was refused."""
        checked = PracticeFilter.checked_choices(self.request.GET)
        if checked is not None:
            return checked
        form = self.filterset.form
        if not form.is_valid():
            return None
        return {name: str(value) for name, value in form.cleaned_data.items() if value not in (None, "")}

    def get_table_kwargs(self):
        return {"kept_query": self.kept_query}

    def get_table(self, **kwargs):
        # Built (and its rows counted and read) only when drawn: see ``results_key``.
        return SimpleLazyObject(partial(super().get_table, **kwargs))

    @cached_property
    def kept_sort(self) -> list[str]:
        """The checked ``?sort=`` values, when the visitor sorted (the form and the page links keep them)."""
        values = self.request.GET.getlist("sort")
        return list(PracticeTable.ordering_for(values)) if values else []

    def parts_key(self, *parts) -> str:
        """Key of a part of the page kept per content: the checked filter values, the sort and ``parts``.

        "" (draw it every time) for a refused filter value or a text search, whose words are free text.
        """
        if self.kept_query is None or "q" in self.kept_query:
            return ""
        return "|".join([urlencode(self.kept_query), ",".join(self.kept_sort), *map(str, parts)])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["introduction"] = SimpleLazyObject(
            lambda: ContentBlock.objects.by_key(INTRODUCTION_KEY).get(INTRODUCTION_KEY) or ""
        )
        if self.kept_query is None:
            context["is_filtered"] = any(self.filterset.data.get(name) for name in self.filterset.filters)
        else:
            context["is_filtered"] = bool(self.kept_query)
        context["kept_sort"] = self.kept_sort
        try:
            page = int(self.request.GET.get("page", 1))  # as django-tables2 reads it
        except ValueError:
            page = 1
        context["form_key"] = self.parts_key()
        # The order the table gets from the raw ?sort= values (all refused: no order, not the default one).
        ordering = PracticeTable.ordering_for(self.request.GET.getlist("sort"))
        context["results_key"] = self.parts_key(",".join(ordering), page)
        return context


class PracticeDetailView(DetailView):
    template_name = "practices/practice_detail.html"
    context_object_name = "practice"

    def get_queryset(self):
        # Staff can preview drafts and scheduled practices at their public URL; visitors get a 404.
        return Practice.objects.all() if self.request.user.is_staff else Practice.objects.published()

    def get_object(self, queryset=None):
        if self.request.user.is_staff:
            return super().get_object(queryset)
        return public_practice(self.kwargs["slug"])

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_public:
            response["X-Robots-Tag"] = "noindex"
            response["Cache-Control"] = "private, no-store"
        return response

    def get_context_data(self, **kwargs):
        practice = self.object
        # Lazy: the page's content is a cached fragment, drawn again only when the content changes.
        details = SimpleLazyObject(lambda: Practice.objects.with_page_details().get(pk=practice.pk))
        return super().get_context_data(
            details=details,
            departments=SimpleLazyObject(lambda: departments_in_figures(details.listed_departments)),
            related=SimpleLazyObject(lambda: list(Practice.objects.published().related_to(practice))),
            **kwargs,
        )


@per_content_version
def public_practice(slug: str) -> Practice:
    """The published practice at ``slug``, read once per content version (shared: read-only).

    A scheduled practice that comes due changes the content version, so it appears at once.
    """
    try:
        return Practice.objects.published().get(slug=slug)
    except Practice.DoesNotExist:
        raise Http404(
            _("No %(verbose_name)s found matching the query") % {"verbose_name": Practice._meta.verbose_name}
        ) from None


def departments_in_figures(departments: list[tuple[str, str]]) -> dict:
    """Each (slug, name) as a department with its census figures (none before any census is loaded)."""
    try:
        summary = load_summary()
    except Http404:  # no census figures loaded yet: the practice page still works
        return {"edition": None, "rows": [(Department(slug=slug, name=name), None) for slug, name in departments]}
    rows = []
    for slug, name in departments:
        row = summary.by_slug.get(slug)
        rows.append((row.department if row else Department(slug=slug, name=name), row))
    return {"edition": summary.edition, "rows": rows}


class PracticeGroupView(DetailView):
    """A category or institution with its published practices."""

    template_name = "practices/practice_group.html"
    context_object_name = "group"

    def get_queryset(self):
        practices = Practice.objects.published().select_related("institution", "category")
        return self.model.objects.prefetch_related(Prefetch("practices", queryset=practices, to_attr="public"))


class CategoryDetailView(PracticeGroupView):
    model = Category
    filter_name = "categoria"


class InstitutionDetailView(PracticeGroupView):
    model = Institution
    filter_name = "institucion"
