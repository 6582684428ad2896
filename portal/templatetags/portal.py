from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.exceptions import DisallowedHost
from django.urls import reverse, translate_url
from django.utils.formats import date_format
from django.utils.html import format_html_join, json_script
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from portal.cache import current_version, local_fragments
from portal.text import render_markdown

register = template.Library()


# Figures are written as the source writes them, in every language of the site: comma thousands,
# point decimals (2,781,145; 43.0 %). Python's own formatting does exactly that, and much faster
# than the locale machinery (a page shows hundreds of figures).


def format_int(value) -> str:
    """2781145 → '2,781,145'."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}"


def format_signed(value) -> str:
    """Saldo migratorio with an explicit sign: '+2,376,434', '−531,984'."""
    if value is None or value == "":
        return ""
    value = int(value)
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return sign + format_int(abs(value))


def round_half_up(value, places: int = 1) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_percent(value, places: int = 1) -> str:
    """43.0039 → '43.0 %'."""
    if value is None or value == "":
        return ""
    return f"{round_half_up(value, places):,.{places}f} %"


def format_rate(value, places: int = 1) -> str:
    """A rate with its sign written as the source writes it: 58.1, −2.7 (growth %, rates per 1,000)."""
    if value is None or value == "":
        return ""
    rounded = round_half_up(value, places)
    return ("−" if rounded < 0 else "") + f"{abs(rounded):,.{places}f}"


def format_growth(value) -> str:
    """Average annual growth rate: '2.1 %', '−2.7 %'."""
    text = format_rate(value)
    return f"{text} %" if text else ""


register.filter("cifra", format_int)
register.filter("tasa", format_rate)
register.filter("crecimiento", format_growth)
register.filter("saldo", format_signed)
register.filter("porcentaje", format_percent)


@register.filter
def markdown(text: str, values=None):
    return mark_safe(render_markdown(text or "", values))  # noqa: S308 (sanitised by nh3)


@register.filter
def ordinal(value) -> str:
    """1 → '1.º' in Spanish; '1st', '2nd', '3rd', '11th' in English."""
    number = int(value)
    if get_language() != "en":
        return f"{number}.º"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@register.filter
def absoluto(value):
    """Magnitude of a number, e.g. the people a department loses (−531,984 → 531984)."""
    return abs(value)


def format_quantity(value) -> str:
    """Key figures as the source writes them: 1400 → '1,400'; 2000000 → '2 millones'; 2.5 → '2.5'."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value >= 1_000_000 and value % 100_000 == 0:
        millions = (value / 1_000_000).normalize()
        return ngettext("%(number)s millón", "%(number)s millones", int(millions)) % {"number": f"{millions:,f}"}
    if value == value.to_integral_value():
        return format_int(value)
    return f"{value.normalize():,f}"


register.filter("cantidad", format_quantity)


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # Already escaped by the template that rendered it: don't escape it again when reused.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))  # noqa: S308
        return ""


@register.tag
def capture_as(parser, token):
    """``{% capture_as name %}…{% endcapture_as %}``: render once, reuse as ``{{ name }}``."""
    try:
        _, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("capture_as takes one variable name") from None
    nodelist = parser.parse(("endcapture_as",))
    parser.delete_first_token()
    return CaptureNode(nodelist, name)


def absolute_url(request, path: str) -> str:
    """Absolute URL of ``path``; just the path when the request's host is not an allowed one (400 pages)."""
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:
        return path


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    request = context.get("request")
    return absolute_url(request, request.path) if request else ""


@register.filter
def language_links(request):
    """(code, name, URL of this page in that language), keeping the query string."""
    if not hasattr(request, "GET"):  # error pages rendered without a request
        return []
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return [(code, name, page_in_language(request.path, code) + query) for code, name in settings.LANGUAGES]


@register.filter
def alternate_urls(request):
    if not hasattr(request, "build_absolute_uri"):
        return []
    return [(code, absolute_url(request, page_in_language(request.path, code))) for code, _ in settings.LANGUAGES]


@lru_cache(maxsize=2048)
def page_in_language(path: str, language: str) -> str:
    """The path of the same page in ``language`` (a pure function of the URL configuration)."""
    return translate_url(path, language)


@register.filter
def json_ld(data) -> str:
    """schema.org data as ``<script type="application/ld+json">`` (a data block: never executed, CSP-safe)."""
    return mark_safe(json_script(data).replace('type="application/json"', 'type="application/ld+json"', 1))  # noqa: S308


@register.simple_tag(takes_context=True)
def dataset_schema(context) -> dict:
    """schema.org ``Dataset`` description of the migration figures of the page's census edition."""
    request, edition = context["request"], context["edition"]
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": f"Migración interna por departamento, Perú, censo {edition.year}",
        "description": (
            "Inmigrantes, emigrantes, saldo migratorio y porcentajes respecto a la población censada "
            f"de los 25 departamentos del Perú, censo {edition.year}."
        ),
        "url": request.build_absolute_uri(request.path),
        "inLanguage": "es-PE",
        "temporalCoverage": str(edition.year),
        "spatialCoverage": {"@type": "Place", "name": "Perú"},
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": edition.compiler},
        "sourceOrganization": {
            "@type": "Organization",
            "name": "Instituto Nacional de Estadística e Informática (INEI)",
        },
        "citation": edition.source,
        "variableMeasured": ["población censada", "inmigrantes", "emigrantes", "saldo migratorio"],
    }


@register.filter
def month_year(value) -> str:
    """A month-precision date: 'septiembre del 2007' (Spanish), 'September 2007' (English)."""
    if not value:
        return ""
    month = date_format(value, "F")
    if get_language() != "en":
        month = month.lower()
    return _("%(month)s del %(year)s") % {"month": month, "year": value.year}


@register.filter
def measure_value(row, measure):
    return getattr(row, measure)


@register.filter
def measure_rank(row, measure):
    return getattr(row, f"{measure}_rank")


FORMATS = {
    "cifra": format_int,
    "saldo": format_signed,
    "porcentaje": format_percent,
    "tasa": format_rate,
    "crecimiento": format_growth,
}


@register.filter
def format_as(value, name):
    return FORMATS[name](value)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` (the key as text too), or None: a department's population in a census year."""
    if not mapping:
        return None
    return mapping.get(key, mapping.get(str(key)))


@register.filter
def growth_over(series, interval):
    """A department's average annual growth rate over ``interval`` (``migration.population.DepartmentSeries``)."""
    return series.growth(interval)


@register.filter
def share_in(series, year):
    return series.share(year)


@register.filter
def join_names(rows) -> str:
    return ", ".join(row.department.name for row in rows)


@register.simple_tag
def select_options(field):
    """The ``<option>``s of a form field's choices, the field's value selected (as Django's Select writes them,
    without rendering a template per option)."""
    selected = "" if field.value() is None else str(field.value())
    return format_html_join(
        "\n",
        '  <option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == selected else "", label)
            for value, label in field.field.choices
        ),
    )


@register.filter
def sort_url(table, order_by_alias) -> str:
    """The sort link of a table that builds its own (``portal.tables.SelfLinkingTableMixin``)."""
    return table.sort_url(str(order_by_alias))


@register.simple_tag
def table_download_url(table, param, export_format) -> str:
    """A download link of a table that builds its own links (``portal.tables.SelfLinkingTableMixin``)."""
    return table.download_url(param, export_format)


@register.filter
def page_url(table, number) -> str:
    """A page link of a table that builds its own (``portal.tables.SelfLinkingTableMixin``)."""
    return table.page_url(number)


@register.simple_tag(takes_context=True)
def query_with(context, name, value) -> str:
    """The current URL's query string with one parameter set (other parameters kept)."""
    query = context["request"].GET.copy()
    query[name] = value
    query.pop("page", None) if name == "descargar" else None
    return f"?{query.urlencode()}"


@register.simple_tag
def embeddable_charts():
    from migration.charts import PAGE_CHARTS, BirthplaceChartView

    return [chart.slug for chart in (BirthplaceChartView, *PAGE_CHARTS)]


class _KeptPartNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def varying_values(self, context) -> list[str]:
        return [get_language(), *(str(var.resolve(context)) for var in self.vary_on)]


class ContentCacheNode(_KeptPartNode):
    def render(self, context):
        seconds = settings.FRAGMENT_CACHE_SECONDS
        request = context.get("request")
        if not seconds or request is None or settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Signed-in staff may see drafts: what they are shown is never stored.
            return self.nodelist.render(context)
        key = make_template_fragment_key(self.name, [current_version(), *self.varying_values(context)])
        html = local_fragments.get(key)  # this process first: no round trip, no unpickling
        if html is None:
            html = cache.get(key)
            if html is None:
                html = self.nodelist.render(context)
                cache.set(key, html, seconds)
            local_fragments.set(key, html, seconds)
        return html


class LayoutCacheNode(_KeptPartNode):
    def render(self, context):
        key = (self.name, *self.varying_values(context))
        html = layout_fragments.get(key)
        if html is None:
            html = layout_fragments[key] = self.nodelist.render(context)
        return html


#: Parts of the layout that depend only on the language and the code (translations, URLs, static files).
layout_fragments: dict[tuple, str] = {}


def _kept_part(parser, token, node_class):
    """``{% tag "name" var… %}…{% endtag %}`` → ``node_class(nodelist, name, [var…])``."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a fragment name and optional variables")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return node_class(nodelist, bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]])


@register.tag
def content_cache(parser, token):
    """``{% content_cache "name" var… %}…{% endcontent_cache %}``: render a part of a page once per content.

    Kept in the cache until the published content changes (``portal.cache.current_version``)
    or ``FRAGMENT_CACHE_SECONDS`` pass, per language and per value of the given variables —
    which must name everything the part depends on besides the content itself. For the parts
    that cost most to draw (the main table, the map, chart tables), also when the page cache is off.
    """
    return _kept_part(parser, token, ContentCacheNode)


@register.tag
def layout_cache(parser, token):
    """``{% layout_cache "name" var… %}…{% endlayout_cache %}``: a part of the layout drawn once per process.

    For what depends only on the language, the given variables (a few known values) and the code
    — navigation, footer — never on stored content or on the request beyond those variables.
    """
    return _kept_part(parser, token, LayoutCacheNode)


@lru_cache(maxsize=8)
def _section_paths(language: str) -> tuple[tuple[str, str, bool], ...]:
    """(section, path, whole subtree?) of the main navigation, in ``language``."""
    return (
        ("home", reverse("home"), False),
        ("migration", reverse("migration:index"), True),
        ("practices", reverse("practices:index"), True),
        ("data", reverse("data"), False),
        ("about", reverse("about"), False),
    )


@register.simple_tag(takes_context=True)
def nav_section(context) -> str:
    """Which item of the main navigation the page belongs to ('' for none), for ``aria-current``."""
    request = context.get("request")
    path = getattr(request, "path", "")
    for section, prefix, subtree in _section_paths(get_language()):
        if path == prefix or (subtree and path.startswith(prefix)):
            return section
    return ""
