from contextlib import suppress
from functools import cached_property

from csp.decorators import csp_replace
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.decorators import method_decorator
from django.utils.encoding import escape_uri_path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from migration import search as migration_search
from migration.charts import EMBEDDABLE_CHARTS, BirthplaceChart
from migration.maps import INDICATORS
from migration.population import cached_census_sources, census_guide
from migration.views import EditionMixin
from practices import search as practices_search
from practices.models import LATEST_PUBLISHED_FIRST, Practice

from .api import api
from .core.datasets import FILE_FORMAT, LICENCE
from .core.errors import api_not_found
from .core.models import ContentBlock
from .core.search import SearchGroup
from .core.site import absolute_url
from .datasets import FILES, dataset_facts, dataset_zip
from .pages import PAGES


class HomeView(EditionMixin, TemplateView):
    """The home page: its figures, chart and map are drawn inside its ``{% cache %}`` block from ``view.…``,
    so they are built only when that block is not kept yet."""

    template_name = "home.html"

    @cached_property
    def birthplace_chart(self):
        return BirthplaceChart.chart(self.summary)

    @cached_property
    def top_immigrants(self):
        return self.summary.top("immigrants")

    @cached_property
    def top_emigrants(self):
        return self.summary.top("emigrants")

    @cached_property
    def top_emigrant_share(self):
        return self.summary.top("emigrant_share", 1)[0]

    @cached_property
    def largest_gain(self):
        return self.summary.largest_gain

    @cached_property
    def largest_loss(self):
        return self.summary.largest_loss

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            map_key=self.map_key,
            indicators=INDICATORS,
            latest_practices=Practice.objects.published()
            .select_related("institution")
            .order_by(*LATEST_PUBLISHED_FIRST)[:3],
            **kwargs,
        )


@csrf_exempt  # as the API's own views: a POST gets a 405, not the CSRF page
@require_safe
def api_fallback(request, rest=None):
    """/api/ and /api/v1/ lead to the docs; a known API URL with a trailing slash, to its canonical form."""
    rest = rest or ""
    if rest.rstrip("/") in ("", "v1"):
        return redirect("api-v1:openapi-view")
    if rest.endswith("/"):
        canonical = "/api/" + rest.rstrip("/")
        with suppress(Resolver404):
            if resolve(canonical).url_name != "api-fallback":
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(escape_uri_path(canonical) + (f"?{query}" if query else ""))
    return api_not_found()


@require_safe
def api_docs(request):
    """/api/v1/docs and /en/api/v1/docs: the API's documentation (django-ninja's Swagger UI) as a page of the portal,
    in the page's language (``templates/ninja/swagger.html``), public and cacheable as the API is."""
    response = api.docs.render_page(request, api)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def without_spanish_prefix(request):
    """/es/… → /… (301): Spanish pages have no language prefix."""
    target = request.get_full_path().removeprefix("/es")
    # Never //host or /\host (another site for browsers): one leading slash.
    return HttpResponsePermanentRedirect("/" + target.lstrip("/\\"))


def health(request):
    """For load balancers and Varnish's probe: 200 when the database answers, 503 otherwise. The shared cache is
    only reported (``"cache": "unavailable"``): without it the portal still serves every page, more slowly."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    token = get_random_string(12)
    cache.set("salud", token, 10)
    cache_state = "ok" if cache.get("salud") == token else "unavailable"
    return JsonResponse({"status": "ok", "cache": cache_state}, headers={"Cache-Control": "no-store"})


def robots_txt(request):
    lines = [
        "User-agent: *",
        # Not the admin's path: robots.txt is public, and the admin pages say noindex themselves.
        "Disallow: /buscar/",
        "Disallow: /en/buscar/",
        f"Sitemap: {absolute_url(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class AboutView(EditionMixin, TemplateView):
    """/acerca/: the editors' text, then what each census gave the portal and what INEI has not published (from
    the data), then how to cite."""

    template_name = "about.html"

    def get_context_data(self, **kwargs):
        censuses, sources = census_guide(self.request, drafts=self.drafts)
        return super().get_context_data(
            blocks=ContentBlock.objects.by_key("acerca_del_portal"), censuses=censuses, sources=sources, **kwargs
        )


def find_pages(query: str) -> list:
    """The pages (``portal/pages.py``) with any word of ``query`` in their title or description, best first."""
    scored = [(page.score(query), index, page) for index, page in enumerate(PAGES)]
    return [page for score, _index, page in sorted(scored, key=lambda item: (-item[0], item[1])) if score]


#: What the site search finds, group by group: the pages (``portal/pages.py``), then each app's.
SEARCH_GROUPS = (
    SearchGroup(gettext_lazy("Páginas"), "pages", find_pages),
    *migration_search.SEARCH_GROUPS,
    *practices_search.SEARCH_GROUPS,
)


class SearchView(TemplateView):
    """Site search over the pages, departments, practices, institutions and categories, grouped by kind."""

    template_name = "search.html"
    max_length = 200

    def get(self, request, *args, **kwargs):
        query = request.GET.get("q", "")
        if len(query) > self.max_length or "\x00" in query:
            context = self.get_context_data(query=query[: self.max_length].replace("\x00", ""), error=True)
            return self.render_to_response(context, status=400)
        return super().get(request, *args, query=query.strip(), **kwargs)

    def get_context_data(self, query="", error=False, **kwargs):
        context = super().get_context_data(query=query, error=error, **kwargs)
        if query and not error:
            groups = [(group, group.find(query)) for group in SEARCH_GROUPS]
            context["groups"] = groups
            context["total"] = sum(len(items) for _, items in groups)
        return context


def citation_text(request, edition) -> str:
    return _(
        "%(compiler)s, según información del INEI (%(source)s). «Migración interna por departamento, %(year)s». "
        "Portal de Migración Interna y Buenas Prácticas. %(url)s (consultado el %(date)s)."
    ) % {
        "compiler": edition.compiler,
        "source": edition.source,
        "year": edition.year,
        "url": absolute_url(reverse("migration:index")),
        "date": date_format(timezone.localdate()),
    }


class DataView(EditionMixin, TemplateView):
    """/datos/: the whole dataset as one download, the data dictionary and how to cite it."""

    template_name = "data.html"

    def get_context_data(self, **kwargs):
        citation = citation_text(self.request, self.summary.edition)
        facts = dataset_facts(self.request, self.summary.edition, citation)
        files = [(data_file, facts["sizes"].get(data_file.name)) for data_file in FILES]
        return super().get_context_data(
            files=files,
            file_format=FILE_FORMAT,
            zip_size=facts["sizes"][""],
            updated=facts["updated"],
            citation=citation,
            licence=LICENCE,
            **kwargs,
        )


class DatasetDownloadView(EditionMixin, View):
    def get(self, request, *args, **kwargs):
        edition = self.summary.edition
        content = dataset_zip(edition, citation_text(request, edition), absolute_url, cached_census_sources(request))
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="portal-migracion-datos.zip"'
        return response


@method_decorator(xframe_options_exempt, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": ["*"]}), name="dispatch")
class EmbedChartView(EditionMixin, TemplateView):
    """/embed/<chart>/: the chart alone, with title and source line — the one page other sites may frame."""

    template_name = "embed.html"

    def get_context_data(self, **kwargs):
        chart_class = EMBEDDABLE_CHARTS.get(self.kwargs["chart"])
        if chart_class is None:
            raise Http404(_("No existe ese gráfico."))
        return super().get_context_data(embedded=chart_class.chart(self.summary), **kwargs)
