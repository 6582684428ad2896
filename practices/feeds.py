from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _

from .models import Practice


class LatestPracticesFeed(Feed):
    """The 20 newest published practices.

    Last-Modified is when the feed was written (the page cache keeps it per content version), so
    never earlier than the last change it shows. Django's default, the date of the newest item,
    stays put when a practice is withdrawn or a category renamed: readers asking If-Modified-Since
    (portal/http_cache.py answers it) would keep the old feed.
    """

    title = _("Buenas Prácticas en Gestión Pública")
    link = reverse_lazy("practices:index")
    description = _("Las buenas prácticas publicadas en el portal, de la más reciente a la más antigua.")
    language = "es-pe"

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Last-Modified"] = http_date()
        return response

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
