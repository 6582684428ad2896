from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.cache import kept_for_content
from portal.text import plain_text

from .models import Practice


class LatestPracticesFeed(Feed):
    """The 20 newest published practices.

    Whatever is stored, the document is well-formed XML: text goes through ``plain_text`` (XML 1.0 cannot
    carry control characters, and rows written before they were refused may hold some). The summary is plain
    text, and both formats declare it as HTML (RSS's description, Atom's ``<summary type="html">``): it is
    escaped for HTML, so a reader shows ``<script>`` typed by an editor as those characters.

    The document depends only on the content, the language and the address the feed is read
    at: it is written once per content version (``portal.cache.kept_for_content``), not per request.
    """

    title = _("Buenas Prácticas en Gestión Pública")
    link = reverse_lazy("practices:index")
    description = _("Las buenas prácticas publicadas en el portal, de la más reciente a la más antigua.")
    language = "es-pe"

    def __call__(self, request, *args, **kwargs):
        def write() -> tuple[bytes, str, str | None]:
            response = super(LatestPracticesFeed, self).__call__(request, *args, **kwargs)
            return response.content, response["Content-Type"], response.get("Last-Modified")

        # The host is one of ALLOWED_HOSTS (get_host() refuses others): a few keys at most.
        key = ("feed", type(self).__name__, get_language(), request.scheme, request.get_host())
        content, content_type, last_modified = kept_for_content(key, write)
        response = HttpResponse(content, content_type=content_type)
        if last_modified:
            response["Last-Modified"] = last_modified
        return response

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
    subtitle = LatestPracticesFeed.description
