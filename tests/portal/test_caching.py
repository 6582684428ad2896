"""The two caching layers (``portal/cache.py``): the page cache and ``{% cache %}`` parts, both keyed on
the content version, and the census summary kept with ``cache.get_or_set``. The page cache keeps only
pages asked for with a query they recognise (the parameters registered in ``portal.core.registry``).

What a visitor gets never depends on what was drawn before: for every pair of public URLs A, B (on two
hosts), B drawn after A is exactly B drawn from an empty cache. An edit shows at once, and the content
version never comes back to an earlier value — after history is pruned, or a transaction rolled back.
"""

import itertools

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from migration.models import DepartmentFigures
from portal.core.cache import PUBLIC_MODELS, read_content_version
from practices.models import Practice
from tests.public_urls import PUBLIC_URLS

pytestmark = pytest.mark.django_db

HOSTS = ["testserver", "otro.example.pe"]


@pytest.fixture
def two_hosts(settings):
    settings.ALLOWED_HOSTS = HOSTS


def draw(client, page: tuple[str, str]) -> tuple[int, bytes]:
    url, host = page
    response = client.get(url, HTTP_HOST=host)
    return response.status_code, response.content


@pytest.mark.database_independent  # what the page cache keeps and mixes up; the content version: below
def test_a_page_is_the_same_whatever_was_drawn_before(client, two_hosts):
    """For every pair of pages A, B: B drawn after A is B drawn from an empty cache. And every page drawn
    from an empty cache is kept, once, by the page cache (unless its query is a free-text search).

    With the page cache on, B after A is drawn by its view (another key) from whatever A left in the
    cache — {% cache %} parts, the summary — unless the page cache mistakes B for A. Every page here
    answers 200 (kept, unless its query is a free-text search), so B reads only keys it writes itself:
    when every key A and B both write holds the same value, B cannot tell A was drawn. Those pairs are
    known equal without drawing them; every other pair is drawn, A then B, and compared.
    """
    pages = list(itertools.product(PUBLIC_URLS, HOSTS))
    fresh, kept = {}, {}
    for page in pages:
        cache.clear()
        fresh[page] = draw(client, page)
        assert fresh[page][0] == 200, page
        kept[page] = dict(cache._cache)  # key → pickled value, of the local-memory cache
        if "q=" not in page[0] and page[0] != "/salud/":  # a page asked for with a query it recognises
            assert len([key for key in kept[page] if ":page:" in key]) == 1, page
    mixed, drawn = [], 0
    for first, second in itertools.product(pages, pages):
        shared = kept[first].keys() & kept[second].keys()
        if first == second or all(kept[first][key] == kept[second][key] for key in shared):
            continue
        drawn += 1
        cache.clear()
        draw(client, first)
        if draw(client, second) != fresh[second]:
            mixed.append((first, second))
    assert not mixed, f"{len(mixed)} of {drawn} pairs drawn differ, e.g. {mixed[:5]}"


def test_an_edited_figure_shows_at_once(client, settings):
    lima = DepartmentFigures.objects.get(department__slug="lima", edition__year=2007)
    for url in ("/", "/migracion/", "/migracion/lima/"):
        assert "2,781,145" in client.get(url).content.decode()
    lima.immigrants = 2_781_146
    lima.save()  # recorded in the history: a new content version
    for url in ("/migracion/", "/migracion/lima/"):
        html = client.get(url).content.decode()
        assert "2,781,146" in html and "2,781,145" not in html, url
    assert "5,460,297" in client.get("/").content.decode()  # the national total on the home page


@pytest.mark.parametrize("page_cache_seconds", [600, 0])
def test_an_edited_practice_shows_at_once_everywhere(client, settings, page_cache_seconds):
    settings.PUBLIC_PAGE_CACHE_SECONDS = page_cache_seconds
    urls = ("/practicas/?departamento=apurimac", "/practicas/", "/practicas/sierra-sur/", "/migracion/cusco/")
    for url in urls:
        assert "Sierra Sur: Gestores de su propio desarrollo" in client.get(url).content.decode()
    practice = Practice.objects.get(slug="sierra-sur")
    practice.title = "Sierra Sur: comunidades que gestionan su desarrollo"
    practice.save()
    for url in urls:
        html = client.get(url).content.decode()
        assert "Sierra Sur: comunidades que gestionan su desarrollo" in html, url
        assert "Gestores de su propio desarrollo" not in html, url


def test_signed_in_staff_neither_read_nor_fill_the_page_cache(admin_client, client):
    assert admin_client.get("/practicas/sierra-sur/").status_code == 200
    assert not [key for key in cache._cache if ":page:" in key]
    assert client.get("/practicas/sierra-sur/")["Content-Type"].startswith("text/html")
    assert [key for key in cache._cache if ":page:" in key]


# The content version ------------------------------------------------------------------------------------


def test_every_public_model_is_recorded_in_a_history_table():
    from django.apps import apps

    for label in PUBLIC_MODELS:
        assert apps.get_model(label).history.model._meta.db_table


def edit_a_figure(value: int) -> None:
    lima = DepartmentFigures.objects.get(department__slug="lima", edition__year=2007)
    lima.immigrants = value
    lima.save()


def test_the_version_changes_with_each_edit():
    seen = [read_content_version()]
    for value in (2_781_146, 2_781_147, 2_781_145):  # back to the first figure: still a new version
        edit_a_figure(value)
        seen.append(read_content_version())
    assert len(set(seen)) == len(seen)


def test_pruned_history_never_brings_an_earlier_version_back():
    seen = [read_content_version()]
    edit_a_figure(2_781_146)
    seen.append(read_content_version())
    # Every history row goes (as `clean_old_history --days 0` does on a quiet site): MAX(history_id) would
    # go back to an earlier value, with different content behind it.
    call_command("clean_old_history", "--auto", "--days", "0", verbosity=0)
    assert read_content_version() not in seen
    seen.append(read_content_version())
    edit_a_figure(2_781_147)
    assert read_content_version() not in seen


def test_a_rolled_back_edit_never_gives_its_version_to_a_later_one():
    before = read_content_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        edit_a_figure(2_781_146)
        inside = read_content_version()  # a page drawn now would be kept under it
        raise RuntimeError("rolled back")
    # SQLite rolls its counter back (the version is the one before); PostgreSQL's sequence moves on
    # (a new version): either way never the rolled-back one.
    assert read_content_version() != inside
    edit_a_figure(2_781_147)
    assert read_content_version() not in (before, inside)


# What the page cache keeps -------------------------------------------------------------------------------


def kept_pages() -> list[str]:
    return [key for key in cache._cache if ":page:" in key]


def test_a_page_asked_for_with_a_query_it_recognises_is_kept(client):
    # Every public page is checked so in test_a_page_is_the_same_whatever_was_drawn_before; and these:
    for url in (
        "/practicas/?q=&anio=&categoria=&institucion=&departamento=apurimac&alcance=",
        "/api/v1/practices?limit=5",
    ):
        cache.clear()
        assert client.get(url).status_code == 200, url
        assert len(kept_pages()) == 1, url


@pytest.mark.parametrize(
    "query",
    [
        "?utm_source=boletin",  # a parameter no page reads
        "?indicador=saldo&utm_source=boletin",
        "?sort=" + "x" * 61,  # longer than any sort key
        "?sort=population%20",  # whitespace a visitor typed
        "?indicador=nope",  # not one of the map's indicators
        "?descargar=csv&descargar=csv",  # a parameter read once, repeated
        "?edicion=2007&",  # not written as the portal writes it
        "?&&&",
        "?q=credito",  # free text
    ],
)
def test_a_page_asked_for_with_anything_else_is_answered_fresh_and_not_kept(client, query):
    for url in ("/", "/migracion/", "/practicas/"):
        cache.clear()
        assert client.get(url + query).status_code in (200, 400), url + query
        assert not kept_pages(), url + query


def test_random_values_mint_no_cache_entries(client):
    cache.clear()
    for number in range(5):  # each request is drawn and answered on its own: a few show it as well as many
        client.get(f"/migracion/?sort=-population&x{number}=1")
        client.get(f"/practicas/?sort=<{number}>")
    assert not kept_pages()
    assert client.get("/migracion/?sort=-population").status_code == 200
    assert len(kept_pages()) == 1


def live_keys() -> list[str]:
    return [key for key in list(cache._cache) if cache.get(key.split(":", 2)[2]) is not None]


def test_page_parts_drawn_for_an_unknown_query_are_not_kept_either(client):
    # The figures table's part varies on the whole query string: an unknown parameter must not keep it.
    cache.clear()
    client.get("/migracion/?sort=-population&utm_source=boletin")
    assert not [key for key in live_keys() if "template.cache" in key]
    client.get("/migracion/?sort=-population")
    assert [key for key in live_keys() if "template.cache" in key]
