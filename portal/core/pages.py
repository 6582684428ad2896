"""The public pages that stand for themselves, as each app lists them (``migration/pages.py``,
``practices/pages.py``) and the project puts them together (``portal/pages.py``).

One list serves four purposes: the main navigation (pages with ``nav``, each heading its section: the pages under
its address), the sitemap (every page), the site search (every page, by its ``title`` and ``about``) and the
navigation between an app's pages (pages with ``short``, e.g. ``templates/migration/includes/section_nav.html``).
"""

from dataclasses import dataclass

from django.urls import reverse

from .search import close_words, search_terms


@dataclass(frozen=True)
class Page:
    url_name: str  # "migration:recent"
    title: str  # lazy: as the search results and the sitemap's readers name it
    about: str = ""  # lazy: more words the site search finds it by
    nav: str = ""  # lazy: its item in the main navigation, if it has one
    short: str = ""  # lazy: its item in the navigation between its app's pages, if it has one

    def get_absolute_url(self) -> str:
        return reverse(self.url_name)

    def score(self, query: str) -> int:
        """How many words of ``query`` are in its title or ``about`` (accent- and case-insensitive; a word found
        nowhere counts when it is a typo of one of them, as the site search forgives: ``close_words``)."""
        vocabulary = set(search_terms(f"{self.title} {self.about}", limit=None))
        return sum(
            any(form in known for form in close_words(word, vocabulary) for known in vocabulary)
            for word in search_terms(query)
        )
