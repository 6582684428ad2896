"""Never a 500: every public URL tolerates any query string, odd paths and wrong methods.

Property-based (hypothesis): generated query strings — unknown and repeated
parameters, page=abc, page=99999999, sort=-nope, very long values, Unicode,
SQL- and HTML-looking payloads, bad percent-encoding — against every public URL
pattern. The answer is a 2xx/3xx/4xx, never a 5xx, and no generated markup is
reflected unescaped.

Each generated query string is sent to every public page (one property, few examples, derandomized:
the same examples on every run, so that CI is stable); two written-out examples send every nasty value,
and every parameter, to every page on each run.
"""

from itertools import cycle
from urllib.parse import quote

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.public_urls import PUBLIC_PATHS

PUBLIC_URLS = PUBLIC_PATHS  # every public page (tests/public_urls.py), with generated query strings

PARAMETERS = ["page", "sort", "q", "edicion", "indicador", "d", "anio", "categoria", "institucion"]
PARAMETERS += ["departamento", "alcance", "descargar", "x", "utm_source", "page[]"]
NASTY = [
    "abc",
    "-1",
    "0",
    "99999999",
    "99999999999999999999999",
    "-nope",
    "-",
    "",
    "' OR 1=1 --",
    "1; DROP TABLE migration_department",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "%",
    "%zz",
    "%ff%fe",
    "\x00",
    "ñandú Apurímac 漢字 🚀",
    "x" * 5000,
    "2007",
    "lima",
    "csv",
    "xlsx",
]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=300))
query_strings = st.lists(st.tuples(st.sampled_from(PARAMETERS), values), max_size=6)
MARKUP = ("<script", "<img", "onerror=")


def encode(pairs) -> str:
    """Percent-encode, except for the deliberately broken escapes in the payloads."""
    parts = []
    for name, value in pairs:
        raw = value if value.startswith("%") else quote(value, safe="")
        parts.append(f"{quote(name)}={raw}")
    return "&".join(parts)


# Two written-out query strings: each holds every nasty value and every parameter (22 values over 15
# parameters), and pairs each value with another parameter than the other one does.
EVERY_NASTY_VALUE = [
    list(zip(cycle(PARAMETERS), NASTY, strict=False)),
    list(zip(cycle(reversed(PARAMETERS)), NASTY, strict=False)),
]


@settings(max_examples=6, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=query_strings)
@example(pairs=EVERY_NASTY_VALUE[0])
@example(pairs=EVERY_NASTY_VALUE[1])
def test_any_query_string_gets_a_clear_answer_never_a_500(client, db, pairs):
    query = encode(pairs)
    for url in PUBLIC_URLS:
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, (url, pairs, response.status_code)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        body = response.content.decode()
        for _, value in pairs:
            if any(marker in value for marker in MARKUP):
                assert value not in body, f"{url}: reflected unescaped: {value!r}"


@settings(max_examples=30, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    segment=st.one_of(
        st.sampled_from(["../etc/passwd", "%00", "lima%2F..", "ñ", "a" * 300, "<svg>", "' or 1=1"]),
        st.text(min_size=1, max_size=60),
    ),
    prefix=st.sampled_from(["/", "/migracion/", "/practicas/", "/en/migracion/", "/embed/", "/practicas/categoria/"]),
)
def test_unknown_paths_are_a_404_page(client, db, segment, prefix):
    response = client.get(prefix + quote(segment, safe="") + "/")
    assert response.status_code in (200, 301, 302, 404), (prefix, segment, response.status_code)
    assert "<svg>" not in response.content.decode(errors="replace")


# Every public page, the API (a trailing slash too) and the data zip: read-only, whatever the method.
READ_ONLY = [
    *PUBLIC_URLS,
    "/api/v1/practices",
    "/api/v1/practices/",
    "/api/v1/departments/lima",
    "/api/v1/openapi.json",
]
READ_ONLY += ["/datos/portal-migracion-datos.zip"]


def test_wrong_http_methods_are_refused_cleanly(client, db):
    for url in READ_ONLY:
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(url)
            assert 400 <= response.status_code < 500, (method, url, response.status_code)
            if url.startswith("/api/"):  # said in JSON, as every API answer
                assert response.status_code == 405, (method, url, response.status_code)
                assert response.json()["detail"].startswith("La API es de solo lectura"), (method, url)
                assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_a_nul_byte_in_a_search_is_refused_not_a_database_error(client, db):
    for url in ("/buscar/", "/practicas/", "/api/v1/practices"):
        response = client.get(f"{url}?q=lima%00")
        assert response.status_code in (400, 422), url
