"""Parts of pages kept per content version ({% content_cache %}, {% layout_cache %}, memoised data).

What a visitor gets from them is exactly what a fresh drawing gives, whatever the query string;
one visitor's query string never shows up in another visitor's page; an edit shows at once; and
signed-in staff (who may preview drafts) never fill them.
"""

import pytest
from django.core.cache import cache

from migration.models import DepartmentFigures
from portal.cache import clear_local_caches, local_fragments
from practices.models import Practice
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db

URLS = [
    "/",
    "/?indicador=saldo",
    "/en/",
    "/migracion/",
    "/migracion/?sort=-emigrant_share",
    "/migracion/?sort=population&sort=nope",
    "/migracion/?sort=",
    "/migracion/?sort=--population",
    "/migracion/?indicador=saldo&edicion=2007&sort=-population",
    "/migracion/?edicion=2007",
    "/en/migracion/?sort=immigrants&indicador=inmigrantes",
    "/migracion/apurimac/",
    "/migracion/lima/?edicion=2007",
    "/en/migracion/cusco/",
    "/practicas/",
    "/practicas/?departamento=apurimac",
    "/practicas/?sort=institution&page=1",
    "/practicas/?sort=award_year&sort=title",
    "/practicas/?page=99",
    "/practicas/?page=abc",
    "/practicas/?page=-1",
    "/practicas/?categoria=promocion-del-desarrollo-economico&sort=-title",
    "/practicas/?q=credito",
    "/practicas/?q=%20%20",
    "/practicas/?anio=1800",
    "/en/practicas/?alcance=national",
    "/practicas/sierra-sur/",
    "/en/practicas/sierra-sur/",
    "/acerca/",
]


@pytest.fixture
def pages(client, settings):
    """GET a URL with the page cache off, either drawn afresh or with the fragment cache on."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0

    def get(url, *, fragments=True):
        settings.FRAGMENT_CACHE_SECONDS = 600 if fragments else 0
        response = client.get(url)
        return response.status_code, response.content.decode()

    return get


@pytest.mark.parametrize("url", URLS)
def test_kept_parts_look_exactly_like_fresh_ones(pages, url):
    fresh = pages(url, fragments=False)
    assert pages(url) == fresh  # drawn and kept
    assert pages(url) == fresh  # from this process's copy
    clear_local_caches()
    assert pages(url) == fresh  # from the shared cache (another server's drawing)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("/migracion/?sort=-population&utm_source=boletin%22x", "/migracion/?sort=-population"),
        ("/migracion/?indicador=nope&sort=immigrants", "/migracion/?sort=immigrants"),
        ("/?indicador=saldo&from=twitter", "/?indicador=saldo"),
        ("/practicas/?departamento=apurimac&utm_campaign=abc", "/practicas/?departamento=apurimac"),
        ("/practicas/?per_page=1&sort=title", "/practicas/?sort=title"),
        ("/practicas/?page=1&ref=x", "/practicas/"),
        # Refused sort values leave a table unsorted: not the same drawing as the default order.
        ("/practicas/", "/practicas/?sort=nope"),
        ("/practicas/?sort=nope", "/practicas/"),
        ("/migracion/", "/migracion/?sort=nope"),
        ("/migracion/?sort=nope", "/migracion/"),
    ],
)
def test_one_visitors_query_string_never_reaches_another_visitors_page(pages, first, second):
    assert pages(first)[0] == 200  # draws and keeps the parts, with links from checked values only
    status, html = pages(second)
    assert (status, html) == pages(second, fragments=False)
    for junk in ("utm_", "from=twitter", "ref=x", "per_page", "indicador=nope", "boletin"):
        assert junk not in html


def test_the_catalogue_always_shows_twenty_rows_per_page(client, db):
    PracticeFactory.create_batch(30)
    html = client.get("/practicas/?per_page=500").content.decode()
    assert html.count('<th scope="row">') == 20


def test_an_edited_figure_shows_at_once_with_the_page_cache_off(pages):
    lima = DepartmentFigures.objects.get(department__slug="lima", edition__year=2007)
    for url in ("/", "/migracion/", "/migracion/lima/"):
        assert "2,781,145" in pages(url)[1]
    lima.immigrants = 2_781_146
    lima.save()  # recorded in the history: a new content version
    for url in ("/migracion/", "/migracion/lima/"):
        html = pages(url)[1]
        assert "2,781,146" in html and "2,781,145" not in html, url
    assert "5,460,297" in pages("/")[1]  # the national total on the home page


def test_an_edited_practice_shows_at_once_in_the_catalogue_with_the_page_cache_off(pages):
    assert "Sierra Sur: Gestores de su propio desarrollo" in pages("/practicas/?departamento=apurimac")[1]
    practice = Practice.objects.get(slug="sierra-sur")
    practice.title = "Sierra Sur: comunidades que gestionan su desarrollo"
    practice.save()
    for url in ("/practicas/?departamento=apurimac", "/practicas/", "/practicas/sierra-sur/", "/migracion/cusco/"):
        html = pages(url)[1]
        assert "Sierra Sur: comunidades que gestionan su desarrollo" in html, url
        assert "Gestores de su propio desarrollo" not in html, url


def test_signed_in_staff_never_fill_the_kept_parts(admin_client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    cache.clear()
    clear_local_caches()
    for url in ("/", "/migracion/", "/practicas/", "/practicas/sierra-sur/", "/migracion/apurimac/"):
        assert admin_client.get(url).status_code == 200
    assert not [key for key in cache._cache if "template.cache" in key]
    assert not local_fragments.entries
