"""System checks for the production settings (``manage.py check --deploy``)."""

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
