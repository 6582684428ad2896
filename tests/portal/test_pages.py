"""Every public page can be found: it is in the sitemap, the main navigation marks its section, and the site search
finds it (a registered page by its title, a department or a practice by its name).

A page added to ``tests/public_urls.py`` but missing from ``portal/pages.py`` (or from its app's sitemap or search
entries) fails here.
"""

import re
from urllib.parse import quote, urlsplit

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from portal.pages import PAGES
from tests.html import text_of
from tests.public_urls import PUBLIC_URLS

#: Pages deliberately left out of the sitemap and the search: the search results themselves (robots.txt keeps
#: crawlers out) and the charts made to be framed by other sites.
NOT_LISTED = {"search", "embed"}


def language_of(path: str) -> str:
    return "en" if path.startswith("/en/") else "es"


def url_name(path: str) -> str:
    with translation.override(language_of(path)):
        return resolve(path).view_name


def html_pages() -> list[str]:
    """The public URLs that are pages (not downloads, data, feeds…), each path once."""
    paths = {urlsplit(url).path for url in PUBLIC_URLS if "descargar=" not in url}
    return sorted(
        path
        for path in paths
        if not path.endswith((".json", ".xml", ".txt", "/rss/", "/atom/", "/salud/"))
        and url_name(path) not in NOT_LISTED
    )


@pytest.fixture(scope="module")
def sitemap_paths(django_db_setup, django_db_blocker) -> set[str]:
    from django.test import Client

    with django_db_blocker.unblock():
        content = Client().get("/sitemap.xml").content.decode()
    return {urlsplit(url).path for url in re.findall(r'(?:<loc>|href=")(http[^<"]+)', content)}


@pytest.mark.parametrize("path", html_pages())
def test_every_public_page_is_in_the_sitemap_the_navigation_and_the_search(path, get_page, sitemap_paths):
    assert path in sitemap_paths, f"{path} is not in /sitemap.xml"

    _, soup = get_page(path)
    current = soup.select('nav[aria-label] .main-nav a[aria-current="page"]')
    assert len(current) == 1, f"{path}: the main navigation marks {len(current)} sections"

    with translation.override(language_of(path)):
        page = next((page for page in PAGES if page.url_name == url_name(path)), None)
        query = str(page.title) if page else text_of(soup.h1)
        search = reverse("search")
    _, results = get_page(f"{search}?q={quote(query)}")
    found = {urlsplit(link["href"]).path for link in results.select("main .search-results a[href]")}
    assert path in found, f"searching «{query}» does not find {path}"


def test_shared_links_and_search_engines_read_each_page_as_itself(client, get_page):
    """og:title is the page's own title; the data's schema.org Dataset says its terms and downloads (on /datos/ and
    /migracion/); a 404 offers no canonical address and no other-language version of itself."""
    import json

    titles = set()
    for path in ("/", "/migracion/", "/migracion/apurimac/", "/datos/", "/en/practicas/sierra-sur/"):
        _, soup = get_page(path)
        og_title = soup.select_one('meta[property="og:title"]')["content"]
        assert soup.title.string.startswith(og_title), path
        titles.add(og_title)
        if path in ("/migracion/", "/datos/"):
            dataset = json.loads(soup.select_one('script[type="application/ld+json"]').string)
            assert dataset["@type"] == "Dataset" and dataset["license"].endswith("/acerca/")
            urls = [download["contentUrl"] for download in dataset["distribution"]]
            assert any(url.endswith("/datos/portal-migracion-datos.zip") for url in urls)
    assert len(titles) == 5

    response = client.get("/migracion/no-existe/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'rel="alternate" hreflang' not in html and 'rel="canonical"' not in html
