from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import translate_url
from django.utils.formats import date_format
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

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


register.filter("cifra", format_int)
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


@register.filter
def startswith(value, prefix) -> bool:
    return str(value).startswith(str(prefix))


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
    return [(code, name, translate_url(request.path, code) + query) for code, name in settings.LANGUAGES]


@register.filter
def alternate_urls(request):
    if not hasattr(request, "build_absolute_uri"):
        return []
    return [(code, absolute_url(request, translate_url(request.path, code))) for code, _ in settings.LANGUAGES]


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


FORMATS = {"cifra": format_int, "saldo": format_signed, "porcentaje": format_percent}


@register.filter
def format_as(value, name):
    return FORMATS[name](value)


@register.filter
def join_names(rows) -> str:
    return ", ".join(row.department.name for row in rows)


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
