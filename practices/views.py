from functools import cached_property

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import RequestConfig

from migration.models import Department
from migration.summary import load_summary
from portal.core.exports import DownloadMixin
from portal.core.models import ContentBlock
from portal.core.site import absolute_url

from .filters import PracticeFilter
from .models import Category, Institution, Practice, PracticePhoto
from .tables import PER_PAGE, PracticeTable

INTRODUCTION_KEY = "buenas_practicas_introduccion"
PROFILE_PRACTICES = 10  # practices listed on a department's profile, per list
NEWEST_FIRST = ("-award_year", "title")


def department_section(department) -> dict:
    """The practices part of a department's profile (``migration.extensions``): the first few of its own and of
    the national ones, newest first (one more than shown, to know whether to link to the rest in the catalogue)."""
    published = Practice.objects.published().select_related("institution").order_by(*NEWEST_FIRST)
    return {
        "regional": list(published.serving(department)[: PROFILE_PRACTICES + 1]),
        "national": list(published.national()[: PROFILE_PRACTICES + 1]),
        "shown": PROFILE_PRACTICES,
    }


def department_counts() -> dict[int, int]:
    """``{department id: number of published practices}`` for the table of ``/migracion/``."""
    return Practice.objects.published().counts_by_department()


class PracticeListView(DownloadMixin, FilterView):
    """The catalogue: filters, search, sort and pagination all in the query string."""

    model = Practice
    filterset_class = PracticeFilter
    template_name = "practices/practice_list.html"

    def get_export_filename(self, export_format):
        name = _("buenas-practicas")  # outside the f-string: xgettext 0.21 reads no call inside one
        return f"{name}.{export_format}"

    def download_source(self) -> str:
        return _("Premio Buenas Prácticas en Gestión Pública, Ciudadanos al Día")

    def get_queryset(self):
        return Practice.objects.for_catalogue()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400  # the page explains which filter value was not understood
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            active_filters=sum(1 for name in self.filterset.filters if self.request.GET.get(name)),
            is_filtered=any(self.request.GET.get(name) for name in self.filterset.filters),
            **kwargs,
        )

    # Drawn inside the template's {% cache %} block as ``view.…``: built only when the block is not kept yet.
    @cached_property
    def table(self) -> PracticeTable:
        """The filtered practices, sorted and paginated as ``?sort=`` and ``?page=`` ask (also downloaded)."""
        table = PracticeTable(self.object_list.with_catalogue_columns())
        return RequestConfig(self.request, paginate={"per_page": PER_PAGE}).configure(table)

    @cached_property
    def introduction(self):
        return ContentBlock.objects.by_key(INTRODUCTION_KEY).get(INTRODUCTION_KEY)

    def get_table(self, **kwargs):
        """The table the downloads write (django-tables2's ``ExportMixin`` asks for it)."""
        return self.table

    def get_table_kwargs(self):
        return {}


class PracticeDetailView(DetailView):
    template_name = "practices/practice_detail.html"
    context_object_name = "practice"

    def get_queryset(self):
        # Staff can preview drafts and scheduled practices at their public URL; visitors get a 404.
        # Only the practice's own fields (title and summary for <head>): the rest is ``view.details``.
        return Practice.objects.all() if self.request.user.is_staff else Practice.objects.published()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_public:
            response["X-Robots-Tag"] = "noindex"
            response["Cache-Control"] = "private, no-store"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(related=Practice.objects.published().related_to(self.object), **kwargs)

    # Drawn inside the template's {% cache %} block as ``view.…``: read only when the block is not kept yet.
    @cached_property
    def details(self) -> Practice:
        """The practice with its category, institution, departments and key figures, in one query."""
        return Practice.objects.with_page_details().get(pk=self.object.pk)

    @cached_property
    def departments(self) -> dict:
        return departments_in_figures(self.request, self.details.listed_departments)

    @cached_property
    def share_image(self) -> dict | None:
        """The first photo as links shared on social networks and chat apps show it (``og:image``), or None."""
        lead = PracticePhoto.objects.filter(practice=self.object).select_related("photo").first()
        if lead is None:
            return None
        share = lead.photo.share
        return {
            "url": absolute_url(share.url),
            "width": share.width,
            "height": share.height,
            "alt": lead.photo.localized_alt_text,
        }


def departments_in_figures(request, departments: list[tuple[str, str]]) -> dict:
    """Each (slug, name) as a department with its census figures (none before any census is loaded)."""
    try:
        summary = load_summary(request)
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
