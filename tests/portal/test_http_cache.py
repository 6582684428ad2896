"""HTTP caching: validators, 304 answers, Cache-Control and Vary (portal/http_cache.py)."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils.http import http_date, parse_http_date

from practices.models import Practice
from tests.public_urls import PUBLIC_URLS

pytestmark = pytest.mark.django_db

# Every public page (tests/public_urls.py) and what else visitors download: API, the data zip.
PUBLIC = [
    *(url for url in PUBLIC_URLS if url != "/salud/"),  # the health check is no-store
    "/api/v1/departments",
    "/api/v1/practices/sierra-sur",
    "/api/v1/censuses",
    "/datos/portal-migracion-datos.zip",
]


def cache_control(response) -> dict[str, str]:
    directives = [part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()]
    return dict([*part.split("=", 1), ""][:2] for part in directives)


@pytest.mark.database_independent  # headers: in the SQLite pass
def test_public_responses_say_how_long_anyone_may_keep_them_and_a_revalidation_is_a_304(
    client, django_assert_max_num_queries
):
    """Every public response: its Cache-Control, ETag and Vary; asked again with its ETag, a 304 with one query
    (the content version) and nothing drawn — not even the page cache is looked up."""
    for url in PUBLIC:
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        assert response["ETag"].startswith('"'), url
        control = cache_control(response)
        assert set(control) == {"public", "max-age", "s-maxage", "stale-while-revalidate"}, (url, control)
        assert control["s-maxage"] == control["stale-while-revalidate"] == str(settings.SHARED_CACHE_SECONDS), url
        assert int(control["max-age"]) <= 60, url
        # Neither the visitor's language header nor cookies change a public response: only the encoding does.
        assert response["Vary"] == "Accept-Encoding", url
        assert not response.cookies, url

        cache.clear()  # not even the page cache may answer it: it is not looked up
        with django_assert_max_num_queries(1):  # the content version
            again = client.get(
                url, HTTP_ACCEPT_ENCODING="gzip", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=response["ETag"]
            )
        assert again.status_code == 304, url
        assert again.content == b"", url
        assert not again.templates, url  # nothing drawn
        assert again["ETag"] == response["ETag"], url
        assert again["Cache-Control"] == response["Cache-Control"], url
        assert again["Vary"] == "Accept-Encoding", url


def test_an_edit_gives_every_page_a_new_etag(client):
    before = {url: client.get(url)["ETag"] for url in ("/practicas/sierra-sur/", "/practicas/feed/rss/", "/")}
    practice = Practice.objects.get(slug="sierra-sur")
    practice.title = "Sierra Sur: título editado"
    practice.save()
    for url, etag in before.items():
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200, url
        assert response["ETag"] != etag
        if url != "/":
            assert "Sierra Sur: título editado" in response.content.decode()


def test_each_representation_has_its_own_etag(client):
    etags = {
        client.get("/migracion/")["ETag"],
        client.get("/migracion/", HTTP_ACCEPT_ENCODING="gzip")["ETag"],
        client.get("/en/migracion/")["ETag"],
        client.get("/migracion/?sort=-emigrants")["ETag"],
        client.get("/migracion/", HTTP_HOST="localhost")["ETag"],
        client.get("/migracion/", secure=True)["ETag"],
    }
    assert len(etags) == 6
    gzip = client.get("/migracion/", HTTP_ACCEPT_ENCODING="gzip")
    assert gzip["Content-Encoding"] == "gzip"
    plain_etag = client.get("/migracion/")["ETag"]
    # A compressed copy never validates an uncompressed one.
    assert client.get("/migracion/", HTTP_IF_NONE_MATCH=gzip["ETag"]).status_code == 200
    assert client.get("/migracion/", HTTP_IF_NONE_MATCH=plain_etag).status_code == 304


def test_feeds_answer_if_modified_since_without_drawing(client, django_assert_max_num_queries):
    for url in ("/practicas/feed/rss/", "/practicas/feed/atom/"):
        first = client.get(url)
        last_modified = first["Last-Modified"]
        with django_assert_max_num_queries(1):
            again = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
        assert again.status_code == 304, url
        assert not again.templates
        # A reader whose copy is older than the feed gets the feed.
        older = http_date(parse_http_date(last_modified) - 1)
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=older).status_code == 200


def test_a_withdrawn_practice_leaves_the_feed_for_readers_that_revalidate(client):
    first = client.get("/practicas/feed/rss/")
    assert "Sierra Sur" in first.content.decode()
    Practice.objects.filter(slug="sierra-sur").update(status=Practice.Status.DRAFT)
    Practice.objects.get(slug="sierra-sur").save()  # as the admin saves it: a history row, a new version
    response = client.get(
        "/practicas/feed/rss/", HTTP_IF_NONE_MATCH=first["ETag"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert response.status_code == 200
    assert "Sierra Sur" not in response.content.decode()
    assert parse_http_date(response["Last-Modified"]) >= parse_http_date(first["Last-Modified"])


def test_anything_personal_is_private_and_never_stored(client, admin_client):
    draft = Practice.objects.get(slug="sierra-sur")
    draft.status = Practice.Status.DRAFT
    draft.save()
    for url in ("/", "/practicas/", "/practicas/sierra-sur/", "/api/v1/departments", "/practicas/feed/rss/"):
        response = admin_client.get(url)  # a signed-in editor: public pages, and the draft's preview
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= set(cache_control(response)), url
        assert "public" not in cache_control(response) and not response.has_header("ETag"), url
    for url in (f"/{settings.ADMIN_PATH}", f"/{settings.ADMIN_PATH}practices/practice/"):
        response = admin_client.get(url)
        assert {"private", "no-store"} <= set(cache_control(response)), url
    login = client.get(f"/{settings.ADMIN_PATH}login/")  # the admin's login form carries a CSRF token
    assert {"private", "no-store"} <= set(cache_control(login))
    # An editor who sends the public page's ETag gets the page drawn for them, never a 304.
    public_etag = client.get("/practicas/")["ETag"]
    assert admin_client.get("/practicas/", HTTP_IF_NONE_MATCH=public_etag).status_code == 200


@pytest.mark.database_independent  # headers: in the SQLite pass
def test_errors_and_redirects_are_not_marked_public(client):
    for url, status in (("/practicas/no-existe/", 404), ("/practicas/?anio=abc", 400), ("/migracion", 301)):
        response = client.get(url)
        assert response.status_code == status, url
        assert "public" not in response.get("Cache-Control", "") and not response.has_header("ETag"), url


@pytest.mark.database_independent  # headers: in the SQLite pass
def test_a_304_still_sends_plain_http_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    etag = client.get("/migracion/", secure=True)["ETag"]
    assert client.get("/migracion/", secure=True, HTTP_IF_NONE_MATCH=etag).status_code == 304
    response = client.get("/migracion/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 301 and response["Location"].startswith("https://")


@pytest.mark.database_independent  # headers: in the SQLite pass
def test_shared_lifetime_zero_means_ask_every_time(client, settings):
    settings.SHARED_CACHE_SECONDS = 0
    response = client.get("/migracion/")
    assert set(cache_control(response)) == {"public", "no-cache"}
    assert client.get("/migracion/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.database_independent  # headers: in the SQLite pass
@pytest.mark.parametrize("refusal", ["gzip;q=0", "gzip;q=0, deflate", "*;q=0, identity"])
def test_a_client_that_refuses_gzip_never_gets_it_from_the_page_cache_or_the_static_files(client, refusal):
    compressed = client.get("/migracion/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")  # kept compressed…
    assert compressed["Content-Encoding"] == "gzip"
    plain = client.get("/migracion/", HTTP_ACCEPT_ENCODING=refusal)  # …never served to who said no
    assert "Content-Encoding" not in plain and plain["ETag"] != compressed["ETag"]
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]+\.css)"', plain.content.decode()).group(1)
    static = client.get(stylesheet, HTTP_ACCEPT_ENCODING=refusal)
    assert "Content-Encoding" not in static
