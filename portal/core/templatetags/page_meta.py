"""What every page says about itself: canonical and alternate URLs, language links, schema.org data,
the meta description."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from portal.core.datasets import LICENCE
from portal.core.site import absolute_url

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # Already escaped by the template that rendered it: don't escape it again when reused.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))  # noqa: S308
        return ""


@register.tag
def capture_as(parser, token):
    """``{% capture_as name %}…{% endcapture_as %}``: render once, reuse as ``{{ name }}`` (the description)."""
    try:
        _, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("capture_as takes one variable name") from None
    nodelist = parser.parse(("endcapture_as",))
    parser.delete_first_token()
    return CaptureNode(nodelist, name)


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    request = context.get("request")
    return absolute_url(request.path) if request else ""


@register.filter
def language_links(request):
    """(code, name, URL of this page in that language), keeping the query string."""
    if not hasattr(request, "GET"):  # error pages rendered without a request
        return []
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return [(code, name, translate_url(request.path, code) + query) for code, name in settings.LANGUAGES]


@register.filter
def alternate_urls(request):
    if not hasattr(request, "path"):
        return []
    return [(code, absolute_url(translate_url(request.path, code))) for code, _ in settings.LANGUAGES]


@register.filter
def json_ld(data) -> str:
    """schema.org data as ``<script type="application/ld+json">`` (a data block: never executed, CSP-safe)."""
    return mark_safe(json_script(data).replace('type="application/json"', 'type="application/ld+json"', 1))  # noqa: S308


@register.simple_tag(takes_context=True)
def dataset_schema(context) -> dict:
    """schema.org ``Dataset`` description of the migration figures of the page's census edition, with the terms of
    reuse and the downloads (the /datos/ zip, the API): on /migracion/ and /datos/. In Spanish, as the data are."""
    request, edition = context["request"], context["edition"]
    with translation.override("es"):
        return _dataset_schema(request, edition)


def _dataset_schema(request, edition) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": f"Migración interna por departamento, Perú, censo {edition.year}",
        "description": (
            "Inmigrantes, emigrantes, saldo migratorio y porcentajes respecto a la población censada "
            f"de los 25 departamentos del Perú, censo {edition.year}."
        ),
        "url": absolute_url(request.path),
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
        "license": absolute_url(reverse("about")),
        "usageInfo": str(LICENCE),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": "CSV, XLSX y datapackage.json (Frictionless Data Package)",
                "encodingFormat": "application/zip",
                "contentUrl": absolute_url(reverse("data-zip")),
            },
            {
                "@type": "DataDownload",
                "name": "API JSON (OpenAPI)",
                "encodingFormat": "application/json",
                "contentUrl": absolute_url(reverse("api-v1:openapi-json")),
            },
        ],
    }
