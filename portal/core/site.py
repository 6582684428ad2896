"""The portal's public address (``DJANGO_SITE_URL``), for every absolute URL it writes.

Canonical links, Open Graph, feeds, the sitemap, robots.txt, the API, downloads, citations and embed
codes are built from the configured origin, never from the request: a client's Host header (an allowed
host with another port, say) cannot reach another visitor's page, and nothing the client sends becomes
part of a cache key.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``https://migracion.example.pe`` + ``path`` (a path from ``reverse()`` or ``get_absolute_url()``)."""
    return settings.SITE_URL + path
