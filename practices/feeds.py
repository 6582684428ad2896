from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.cache import kept_for_content
from portal.site import absolute_url
from portal.text import plain_text

from .models import Practice


class LatestPracticesFeed(Feed):
    """The 20 newest published practices.

    Whatever is stored, the document is well-formed XML: text goes through ``plain_text`` (XML 1.0 cannot
    carry control characters, and rows written before they were refused may hold some). The summary is plain
    text, and both formats declare it as HTML (RSS's description, Atom's ``<summary type="html">``): it is
    escaped for HTML, so a reader shows ``<script>`` typed by an editor as those characters.

    The document depends only on the content and the language (its links come from
    ``settings.SITE_URL``): it is written once per content version (``portal.cache.kept_for_content``), not per request.
    """

    title = _("Buenas Prácticas en Gestión Pública")
    description = _("Las buenas prácticas publicadas en el portal, de la más reciente a la más antigua.")
    language = "es-pe"

    def __call__(self, request, *args, **kwargs):
        def write() -> tuple[bytes, str, str | None]:
            response = super(LatestPracticesFeed, self).__call__(request, *args, **kwargs)
            return response.content, response["Content-Type"], response.get("Last-Modified")

        # Two feeds × two languages: links come from settings.SITE_URL, nothing of the request is in the key.
        key = ("feed", type(self).__name__, get_language())
        content, content_type, last_modified = kept_for_content(key, write)
        response = HttpResponse(content, content_type=content_type)
        if last_modified:
            response["Last-Modified"] = last_modified
        return response

    url_name = "practices:feed-rss"

    def link(self):
        return absolute_url(reverse("practices:index"))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def items(self):
        return (
            Practice.objects.published().select_related("institution", "category").order_by("-published_at", "pk")[:20]
        )

    def item_title(self, item):
        return plain_text(item.title)

    def item_description(self, item):
        return escape(plain_text(item.summary))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return plain_text(item.institution.name)

    def item_categories(self, item):
        return [plain_text(item.category.name)]


class LatestPracticesAtomFeed(LatestPracticesFeed):
    feed_type = Atom1Feed
    url_name = "practices:feed-atom"
    subtitle = LatestPracticesFeed.description
