from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.core.media import JPEG, rendition
from portal.core.site import absolute_url
from portal.core.text import plain_text

from .models import LATEST_PUBLISHED_FIRST, Practice

ENCLOSURE_WIDTH = 960


class LatestPracticesFeed(Feed):
    """The 20 newest published practices.

    Whatever is stored, the document is well-formed XML: text goes through ``plain_text`` (XML 1.0 cannot
    carry control characters, and rows written before they were refused may hold some). The summary is plain
    text, and both formats declare it as HTML (RSS's description, Atom's ``<summary type="html">``): it is
    escaped for HTML, so a reader shows ``<script>`` typed by an editor as those characters.

    Links come from ``settings.SITE_URL``, never from the request: the page cache keeps one document per
    content version and language.

    Last-Modified is when the feed was written (the page cache keeps it per content version), so
    never earlier than the last change it shows. Django's default, the date of the newest item,
    stays put when a practice is withdrawn or a category renamed: readers asking If-Modified-Since
    (portal/http_cache.py answers it) would keep the old feed.
    """

    title = _("Buenas Prácticas en Gestión Pública")
    description = _("Las buenas prácticas publicadas en el portal, de la más reciente a la más antigua.")

    @property
    def language(self):
        """The feed's language: English under /en/ (titles, summaries and categories in English where they have an
        English version), Spanish (Peru) otherwise."""
        return "en" if get_language() == "en" else "es-pe"

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Last-Modified"] = http_date()
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
            Practice.objects.published()
            .select_related("institution", "category")
            .with_lead_photo()
            .order_by(*LATEST_PUBLISHED_FIRST)[:20]
        )

    def item_enclosures(self, item):
        """The first photo, as a JPEG up to 960 px wide (what feed readers show beside the item)."""
        lead = item.lead_photo
        if not lead:
            return []
        width = min(ENCLOSURE_WIDTH, lead["width"])
        photo = rendition(lead["name"], lead["width"], lead["height"], width, JPEG)
        try:
            length = default_storage.size(photo.name)
        except OSError:  # missing from the storage: no enclosure rather than a broken feed
            return []
        return [Enclosure(absolute_url(photo.url), str(length), photo.media_type)]

    def item_title(self, item):
        """RSS readers show a title as HTML: it is escaped, so «<b>» typed in a title is shown as typed, never bold.
        (Atom's titles are text by definition: ``LatestPracticesAtomFeed`` does not escape them.)"""
        return escape(plain_text(item.localized_title))

    def item_description(self, item):
        return escape(plain_text(item.localized_summary))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return plain_text(item.institution.name)

    def item_categories(self, item):
        return [plain_text(item.category.localized_name)]


class LatestPracticesAtomFeed(LatestPracticesFeed):
    feed_type = Atom1Feed
    url_name = "practices:feed-atom"
    subtitle = LatestPracticesFeed.description

    def item_title(self, item):
        return plain_text(item.localized_title)
