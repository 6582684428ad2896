"""System checks for the production settings (``manage.py check --deploy``)."""

import os

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs):
    """Behind HTTPS, the absolute URLs the portal writes (``DJANGO_SITE_URL``) must be https:// too."""
    if settings.SECURE_SSL_REDIRECT and not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                f"DJANGO_SITE_URL is {settings.SITE_URL!r} while DJANGO_HTTPS=1: canonical links, feeds, the "
                "sitemap, the API and downloads would point to it.",
                hint="Set DJANGO_SITE_URL to the portal's public origin, e.g. https://migracion.example.pe.",
                id="portal.W001",
            )
        ]
    return []


ALL_INTERFACES = ("0.0.0.0", "::", "[::]")  # noqa: S104 (what the check looks for)


@register(Tags.security, deploy=True)
def proxy_chain_check(app_configs, **kwargs):
    """Behind the load balancer (``DJANGO_BEHIND_PROXY=1``), what can be told from here about the chain that
    writes ``X-Forwarded-For`` — the client's address for the log-in lock-out (portal/core/proxies.py)."""
    if not settings.BEHIND_PROXY:
        return []
    warnings = []
    if settings.PROXY_COUNT < 1:
        warnings.append(
            Warning(
                "DJANGO_BEHIND_PROXY=1 with DJANGO_PROXY_COUNT=0: every visitor would have the load balancer's "
                "address, and five failed log-ins would lock the admin for everyone.",
                hint="Set DJANGO_PROXY_COUNT to the number of proxies that append to X-Forwarded-For: 1 for the "
                "load balancer (Varnish with deploy/varnish/default.vcl passes it on as it came).",
                id="portal.W002",
            )
        )
    host = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").rpartition(":")[0]
    if host in ALL_INTERFACES:
        warnings.append(
            Warning(
                f"GUNICORN_BIND listens on every interface ({host}): anyone who reaches a server directly skips "
                "Varnish and writes X-Forwarded-For, the address the log-in lock-out believes.",
                hint="Bind gunicorn to the private network's address (e.g. 10.0.0.11:8000), which only Varnish and "
                "the load balancer reach, or to 127.0.0.1 when Varnish runs on the same machine.",
                id="portal.W003",
            )
        )
    return warnings
