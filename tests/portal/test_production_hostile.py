"""Hostile requests against the production stack: gunicorn with gunicorn.conf.py, debug off, whitenoise.

Every public URL gets the malformed requests of issue 14 and their relatives — too many fields, repeated
parameters past the limit, undecodable percent-escapes, overlong parameters, unknown download formats,
an unknown Host — and answers a 4xx with the security headers on it, never a 500. Raw HTTP (http.client),
so that the Host header and the bytes of the request line are exactly the ones sent.

These checks run here only, not again in-process (tests/portal/test_hostile_input.py has what needs
the database or a form): the production stack is what visitors reach. What they meet is gunicorn and
Django's request handling, not the database: they run in the SQLite pass of make test only.
"""

import http.client
import json
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings

from tests.public_urls import PUBLIC_PATHS, PUBLIC_URLS

pytestmark = pytest.mark.database_independent

URLS = [
    *PUBLIC_PATHS,  # every public page (tests/public_urls.py), and what is not a page:
    "/datos/portal-migracion-datos.zip",
    "/api/v1/practices",
    "/api/v1/departments/lima",
    "/api/v1/openapi.json",
    "/admin/login/",
    "/nope/",
]
DOWNLOAD_PAGES = sorted({urlsplit(url).path for url in PUBLIC_URLS if "descargar=" in url})
MALFORMED = {
    "too many fields": "?" + "&" * 1000,
    "a parameter repeated past the limit": "?" + "&".join(["page=1"] * 1001),
    "undecodable percent-escapes": "?q=%ff%fe",
    "an overlong UTF-8 encoding": "?page=%c0%af",
    "half a UTF-8 character": "?departamento=apur%C3",
    "overlong parameter": "?q=" + "x" * 3000,
}


@pytest.fixture
def server(portal_server):
    """The production server of the whole run (tests/conftest.py): its address and its log."""
    return portal_server.base.removeprefix("http://"), portal_server.log_path


def request(server, target: str, headers: dict[str, str] | None = None) -> tuple[http.client.HTTPResponse, bytes]:
    address, _ = server
    connection = http.client.HTTPConnection(address, timeout=30)
    try:
        connection.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        for name, value in {"Host": "127.0.0.1", **(headers or {})}.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def assert_security_headers(response, where: str) -> None:
    assert "default-src 'self'" in (response.getheader("Content-Security-Policy") or ""), where
    assert response.getheader("X-Content-Type-Options") == "nosniff", where
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin", where
    assert "geolocation=()" in (response.getheader("Permissions-Policy") or ""), where
    if not where.startswith("/embed/"):
        assert response.getheader("X-Frame-Options") == "DENY", where


@pytest.mark.parametrize("url", URLS)
def test_every_public_url_answers_malformed_requests_with_a_4xx_and_the_security_headers(server, url):
    for kind, query in MALFORMED.items():
        response, body = request(server, url + query)
        where = f"{url} ({kind})"
        assert response.status == 400, (where, response.status)
        assert_security_headers(response, where)
        if url.startswith("/api/"):
            assert response.getheader("Content-Type") == "application/json", where
            assert "Solicitud no válida" in json.loads(body)["detail"], where
        else:  # the plain 400 page, in the page's language
            assert b"<h1>" in body and b'class="site-header"' not in body, where
            assert ("Solicitud no válida" if not url.startswith("/en/") else "Bad request").encode() in body, where

    response, _ = request(server, url, {"Host": "evil.example"})
    assert response.status == 400, (url, "unknown Host", response.status)
    assert_security_headers(response, f"{url} (unknown Host)")


def test_download_formats_nobody_offered_are_a_400_page_linking_the_offered_ones(server):
    for url in DOWNLOAD_PAGES:
        for asked in ("ods", "xls", "yaml", "latex", "tsv", "html", "", "CSV"):
            response, body = request(server, f"{url}?descargar={asked}")
            where = f"{url}?descargar={asked}"
            assert response.status == 400, where
            assert response.getheader("Content-Type").startswith("text/html"), where
            assert_security_headers(response, where)
            for offered in ("CSV", "JSON", "XLSX"):
                assert f"descargar={offered.lower()}".encode() in body and f">{offered}</a>".encode() in body, where


def test_the_log_holds_no_traceback_and_no_500(server):
    log_path = server[1]
    already = len(log_path.read_text())
    for url in ("/", "/practicas/", "/api/v1/practices", "/nope/"):
        request(server, url + MALFORMED["too many fields"])
        request(server, url + MALFORMED["undecodable percent-escapes"])
        request(server, url + "?descargar=ods")
    log = log_path.read_text()[already:]
    assert "Traceback" not in log
    assert '"status": 500' not in log


def test_a_script_name_header_reaches_no_link(server):
    # Before: gunicorn took SCRIPT_NAME from the header (forwarder_headers), /evil/acerca/ was the About
    # page with every link under /evil/, and /acerca/ a 500.
    response, body = request(server, "/evil/acerca/", {"SCRIPT_NAME": "/evil"})
    assert response.status == 404
    assert b'href="/evil/practicas/' not in body
    response, body = request(server, "/acerca/", {"SCRIPT_NAME": "/evil"})
    assert response.status == 200
    assert b'href="/evil' not in body


def test_a_port_in_the_host_header_reaches_no_link(server):
    pages = (
        "/practicas/feed/rss/",
        "/practicas/feed/atom/",
        "/sitemap.xml",
        "/robots.txt",
        "/practicas/",
        "/migracion/",
    )
    for url in pages:
        request(server, url, {"Host": "127.0.0.1:20500"})  # first, so that a cache would keep it
        for host in ("127.0.0.1:20500", "localhost"):
            response, body = request(server, url, {"Host": host})
            assert response.status == 200, url
            assert b":20500" not in body, url
            assert django_settings.SITE_URL.encode() in body, url
    _, practice = request(server, "/practicas/sierra-sur/", {"Host": "127.0.0.1:20500"})
    assert f'<link rel="canonical" href="{django_settings.SITE_URL}/practicas/sierra-sur/">'.encode() in practice
    _, data = request(server, "/api/v1/practices/sierra-sur", {"Host": "127.0.0.1:20500"})
    assert json.loads(data)["url"] == f"{django_settings.SITE_URL}/practicas/sierra-sur/"


# URL as typed → where it leads (never another site). Each one leads to a page that answers 200.
TYPED = {
    "/es/migracion/": (301, "/migracion/"),
    "/es/": (301, "/"),
    "/es": (301, "/"),
    "/es/practicas/?departamento=apurimac": (301, "/practicas/?departamento=apurimac"),
    "/es//example.invalid/": (301, "/example.invalid/"),
    "/api/v1/practices/?limit=1": (301, "/api/v1/practices?limit=1"),
    "/api/v1/departments/lima/?edicion=2007": (301, "/api/v1/departments/lima?edicion=2007"),
    "/api/v1/": (302, "/api/v1/docs"),
    "/api/v1": (302, "/api/v1/docs"),
    "/api/": (302, "/api/v1/docs"),
}


def test_urls_people_type_lead_to_the_canonical_form(server):
    for url, (status, location) in TYPED.items():
        response, _ = request(server, url)
        assert (response.status, response.getheader("Location")) == (status, location), url
        if "invalid" not in url:
            assert request(server, location)[0].status == 200, url
    for url in ("/api/v1/nope", "/api/v1/nope/", "/api/v2/practices", "/api/v1/departments/nope"):
        response, body = request(server, url)
        assert response.status == 404 and response.getheader("Content-Type").startswith("application/json"), url
        assert json.loads(body)["detail"], url


def test_ranges_of_a_static_file_are_a_206(server):
    _, home = request(server, "/")
    stylesheet = re.search(rb'href="(/static/css/portal\.[0-9a-f]+\.css)"', home).group(1).decode()
    _, whole = request(server, stylesheet)
    for byte_range, part, content_range in (
        ("bytes=0-0", whole[:1], f"bytes 0-0/{len(whole)}"),
        ("bytes=-1", whole[-1:], f"bytes {len(whole) - 1}-{len(whole) - 1}/{len(whole)}"),
        ("bytes=0-1", whole[:2], f"bytes 0-1/{len(whole)}"),
    ):
        response, body = request(server, stylesheet, {"Range": byte_range})
        assert response.status == 206, byte_range
        assert body == part, byte_range
        assert response.getheader("Content-Range") == content_range, byte_range
        assert_security_headers(response, f"{stylesheet} {byte_range}")
