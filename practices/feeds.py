from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.cache import kept_for_content

from .models import Practice


class LatestPracticesFeed(Feed):
    """The 20 newest published practices.

    The document depends only on the content, the language and the address the feed is read
    at: it is written once per content version (``portal.cache.kept_for_content``), not per request.
    Its Last-Modified is when it was written: never earlier than the last change it shows (the date
    of the newest item, Django's default, stays put when a practice is withdrawn or a category renamed,
    and readers asking If-Modified-Since would keep the old feed).
    """

    title = _("Buenas Prácticas en Gestión Pública")
    link = reverse_lazy("practices:index")
    description = _("Las buenas prácticas publicadas en el portal, de la más reciente a la más antigua.")
    language = "es-pe"

    def __call__(self, request, *args, **kwargs):
        def write() -> tuple[bytes, str, str]:
            response = super(LatestPracticesFeed, self).__call__(request, *args, **kwargs)
            return response.content, response["Content-Type"], http_date()

        # The host is one of ALLOWED_HOSTS (get_host() refuses others): a few keys at most.
        key = ("feed", type(self).__name__, get_language(), request.scheme, request.get_host())
        content, content_type, last_modified = kept_for_content(key, write)
        return HttpResponse(content, content_type=content_type, headers={"Last-Modified": last_modified})

    def items(self):
        return (
            Practice.objects.published().select_related("institution", "category").order_by("-published_at", "pk")[:20]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.institution.name

    def item_categories(self, item):
        return [item.category.name]


class LatestPracticesAtomFeed(LatestPracticesFeed):
    feed_type = Atom1Feed
    subtitle = LatestPracticesFeed.description
