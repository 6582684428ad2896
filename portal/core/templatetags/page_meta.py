"""What every page says about itself: canonical and alternate URLs, language links, schema.org data,
the meta description."""

import re

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
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


def page_path(request) -> str:
    """The request's path with one leading slash: ``//evil.example/`` is a path here, never another site's
    address (``translate_url`` and browsers would read it as one)."""
    return "/" + request.path.lstrip("/")


def path_in(path: str, code: str) -> str:
    """``path`` in language ``code`` (Django's ``translate_url``); a path no URL matches (a 404 page) goes under
    that language's prefix as it is: ``/nada/`` in English is ``/en/nada/``."""
    try:
        resolve(path)
    except Resolver404:
        bare = re.sub(r"^/(?:%s)(?=/)" % "|".join(c for c, _ in settings.LANGUAGES), "", path)  # noqa: UP031
        return bare if code == settings.LANGUAGE_CODE else f"/{code}{bare}"
    return translate_url(path, code)


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    request = context.get("request")
    return absolute_url(page_path(request)) if request else ""


@register.filter
def language_links(request):
    """(code, name, URL of this page in that language), keeping the query string."""
    if not hasattr(request, "GET"):  # error pages rendered without a request
        return []
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return [(code, name, path_in(page_path(request), code) + query) for code, name in settings.LANGUAGES]


@register.filter
def alternate_urls(request):
    if not hasattr(request, "path"):
        return []
    return [(code, absolute_url(path_in(page_path(request), code))) for code, _ in settings.LANGUAGES]


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
        "url": absolute_url(page_path(request)),
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
