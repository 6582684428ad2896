"""Template context for every page."""

from django.conf import settings
from django.utils.functional import lazy

from .cache import content_version
from .datasets import LICENCE_SHORT
from .middleware import kept_query

# Built once: lazy() makes a new proxy class at every call.
lazy_content_version = lazy(content_version, str)


def content(request):
    """``content_version`` and ``fragment_seconds`` for ``{% cache fragment_seconds "name" content_version … %}``.

    The version is read (one query, at most once per request) only when a template uses it. For a query the
    pages do not recognise (``portal.middleware.kept_query``: ``?utm_source=``, ``?sort=<anything>``) parts
    are drawn and not kept (a timeout of 0), as the page cache does: parts that vary on the query string
    (``request.get_full_path``) would otherwise let a client mint shared-cache entries.
    """
    return {
        "content_version": lazy_content_version(request),
        "fragment_seconds": settings.FRAGMENT_CACHE_SECONDS if kept_query(request) else 0,
    }


def site_url(request):
    """``SITE_URL`` (``DJANGO_SITE_URL``) for absolute URLs in templates: embed codes, citations; and the terms
    of reuse of the data (``DATA_LICENCE``), which every downloaded chart carries."""
    return {"SITE_URL": settings.SITE_URL, "DATA_LICENCE": LICENCE_SHORT}
