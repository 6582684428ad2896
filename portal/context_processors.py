"""Template context for every page."""

from django.conf import settings
from django.utils.functional import lazy

from .cache import content_version


def content(request):
    """``content_version`` and ``fragment_seconds`` for ``{% cache fragment_seconds "name" content_version … %}``.

    The version is read (one query, at most once per request) only when a template uses it.
    """
    return {
        "content_version": lazy(content_version, str)(request),
        "fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
    }
