"""The base of every sitemap of the portal: addresses on ``settings.SITE_URL``, in both languages."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap


class PortalSitemap(Sitemap):
    """Addresses on ``settings.SITE_URL``, whatever Host the sitemap was asked for with, each with its
    alternate in the other language."""

    i18n = True
    alternates = True

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc
