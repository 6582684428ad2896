"""Scale-out: Varnish in front of two gunicorn servers, one PostgreSQL database, one Redis cache.

An editor changes a practice through server A; server B shows the change at
once — pages B had cached before the edit included. Through Varnish
(deploy/varnish/default.vcl) the change shows within the shared lifetime the
portal gives its public pages (DJANGO_SHARED_CACHE_SECONDS, short here), and
nothing personal — the admin, a draft's preview, any page a signed-in editor
asks for — ever comes from Varnish.

Then the faults, for real and in sequence on the same servers: Redis stopped, PostgreSQL stopped, a table
locked. Visitors get the page Varnish holds or the portal's 503 page, never a 500 or Varnish's own page; an
editor's save is written and confirmed, or refused and said so. And requests made up to miss the caches do not
reach the servers. PostgreSQL is a cluster of the module's own (it is stopped here). Runs in the PostgreSQL pass
of the test command (scripts/test.sh), which also installs redis-server, varnish and varnish-modules.
"""

import contextlib
import http.client
import json
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from types import SimpleNamespace

import psycopg
import pytest
from django.db import connection

from tests.servers import (
    EDITOR,
    AdminBrowser,
    PostgresServer,
    gunicorn,
    mail_and_sentry_sinks,
    portal_env,
    redis_server,
    varnish,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: runs in the PostgreSQL pass of make test"
)

PAGES = ("/practicas/sierra-sur/", "/practicas/", "/migracion/puno/", "/practicas/feed/rss/")
SHARED_SECONDS = 2  # s-maxage (and stale-while-revalidate) of public pages in these tests
DRAFT_BANNER = "Borrador — no visible al público"


def fetch(url: str) -> str:
    """GET as a load balancer forwards it: one public host name whichever server answers."""
    return get(url)[2]


def get(url: str, headers: dict | None = None, address: str = "127.0.0.1") -> tuple[int, dict, str]:
    """Status, headers and text of a GET with the public host name from ``address`` (a visitor of its own);
    errors are answers too."""
    parts = urllib.parse.urlsplit(url)
    client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15, source_address=(address, 0))
    try:
        client.request(
            "GET",
            parts.path + (f"?{parts.query}" if parts.query else ""),
            headers={"Host": "127.0.0.1", **(headers or {})},
        )
        response = client.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        client.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, django_db_blocker, prepared_database):
    tmp = tmp_path_factory.mktemp("scale-out")
    with django_db_blocker.unblock(), contextlib.ExitStack() as running:
        postgres = running.enter_context(PostgresServer())
        redis = running.enter_context(redis_server())
        email_url, sentry_dsn, mails, events = running.enter_context(mail_and_sentry_sinks())
        env = portal_env(
            postgres.url,
            DJANGO_CACHE_URL=redis.url,
            DJANGO_SHARED_CACHE_SECONDS=str(SHARED_SECONDS),
            DJANGO_DB_LOCK_TIMEOUT="1",  # 3 s shipped: the same answer, sooner
            DJANGO_ADMINS="Equipo del portal <equipo@example.pe>",
            DJANGO_EMAIL_URL=email_url,
            SENTRY_DSN=sentry_dsn,
            DJANGO_MEDIA_ROOT=str(tmp / "media"),  # one folder for both servers: the shared volume
        )
        postgres.copy_from(prepared_database)  # migrated and loaded as a deployment's (tests/conftest.py)
        server_a = running.enter_context(gunicorn(env, tmp / "a.log"))
        server_b = running.enter_context(gunicorn(env, tmp / "b.log"))
        front = running.enter_context(varnish([server_a, server_b], tmp / "varnish", env))
        yield SimpleNamespace(
            a=server_a, b=server_b, varnish=front, tmp=tmp, postgres=postgres, redis=redis, mails=mails, events=events
        )


def edit_practice(editor: AdminBrowser, search: str, changes: dict[str, str]) -> str:
    """Saves ``changes`` to the practice found by ``search``; the page the editor lands on."""
    change_path, form = practice_form(editor, search)
    _, after = editor.submit(change_path, form, changes)
    assert "errornote" not in after, after[after.find("errornote") - 200 : after.find("errornote") + 3000]
    return after


def practice_form(editor: AdminBrowser, search: str) -> tuple[str, str]:
    _, listing = editor.get(f"/admin/practices/practice/?q={search}")
    change_path = re.search(r'href="(/admin/practices/practice/\d+/change/)', listing).group(1)
    return change_path, editor.get(change_path)[1]


def test_an_edit_through_one_server_shows_at_once_through_the_other(stack):
    for page in PAGES:  # B renders each page and caches it in the shared Redis…
        assert "Sierra Sur: Gestores de su propio desarrollo" in fetch(stack.b + page)
    for page in PAGES:  # …and A serves the very same pages from that cache.
        assert "Sierra Sur: Gestores de su propio desarrollo" in fetch(stack.a + page)
    assert '"cache": "hit"' in (stack.tmp / "a.log").read_text()

    editor = AdminBrowser(stack.a)
    editor.login(EDITOR["username"], EDITOR["password"])
    edit_practice(editor, "Sierra", {"title": "Sierra Sur: editado en el servidor A"})

    for page in PAGES:
        html = fetch(stack.b + page)
        assert "Sierra Sur: editado en el servidor A" in html, page
        assert "Gestores de su propio desarrollo" not in html, page


def wait_through_varnish(url: str, shows, since: float) -> float:
    """Seconds from ``since`` until Varnish answers ``url`` with what ``shows`` accepts; fails after the lifetime."""
    # s-maxage, then at most one stale answer while the copy is revalidated; the rest is slack for a busy machine.
    limit = 2 * SHARED_SECONDS + 8
    while True:
        status, headers, html = get(url)
        assert DRAFT_BANNER not in html  # never a preview, whatever the timing
        if shows(status, html):
            return time.monotonic() - since
        assert time.monotonic() - since < limit, f"{url} still {status}, X-Cache {headers['X-Cache']}"
        time.sleep(0.1)


def test_varnish_keeps_public_pages_and_never_anything_personal(stack):
    front = stack.varnish
    banana = "/practicas/exportacion-banano-organico-piura/"
    credit = "/practicas/credito-solidario-comunidades-campesinas/"
    public = (banana, credit, "/practicas/", "/migracion/puno/", "/practicas/feed/rss/", "/api/v1/practices")
    for page in public:
        get(front + page)
        status, headers, _ = get(front + page)
        assert status == 200, page
        assert headers["X-Cache"] == "hit", page  # the second visitor gets Varnish's copy
        assert f"s-maxage={SHARED_SECONDS}" in headers["Cache-Control"], page

    # Once the lifetime is over, Varnish asks the portal with If-None-Match; unchanged, it answers 304.
    since = time.monotonic()
    revalidated = '"path": "/migracion/puno/", "status": 304'
    while revalidated not in (stack.tmp / "a.log").read_text() + (stack.tmp / "b.log").read_text():
        assert get(front + "/migracion/puno/")[0] == 200
        assert time.monotonic() - since < 2 * SHARED_SECONDS + 8, "Varnish never revalidated /migracion/puno/"
        time.sleep(0.2)

    editor = AdminBrowser(front)  # the editor works through Varnish too
    editor.login(EDITOR["username"], EDITOR["password"])
    assert editor.headers["X-Cache"] == "pass"
    for page in public:  # signed in, every page comes from the portal, drawn for the editor
        editor.get(page)
        assert editor.headers["X-Cache"] == "pass", page
        assert "private, no-store" in editor.headers["Cache-Control"], page

    edit_practice(editor, "banano", {"title": "Banano orgánico: editado a través de Varnish"})
    edited = time.monotonic()
    assert editor.headers["X-Cache"] == "pass"
    _, html = editor.get(banana)  # the editor sees the edit at once…
    assert "Banano orgánico: editado a través de Varnish" in html
    # …visitors within the shared lifetime.
    waited = wait_through_varnish(front + banana, lambda status, html: "editado a través de Varnish" in html, edited)
    print(f"edit visible through Varnish after {waited:.1f} s (s-maxage {SHARED_SECONDS} s)")

    edit_practice(editor, "solidario", {"status": "draft"})
    withdrawn = time.monotonic()
    for _ in range(2):  # the editor's preview of the draft: from the portal, never kept
        _, html = editor.get(credit)
        assert DRAFT_BANNER in html
        assert editor.headers["X-Cache"] == "pass"
        assert "private, no-store" in editor.headers["Cache-Control"]
    # Visitors never get the preview; the withdrawn practice is gone within the shared lifetime.
    wait_through_varnish(front + credit, lambda status, html: status == 404, withdrawn)
    assert get(front + credit)[0] == 404
    for path in ("/admin/", "/admin/practices/practice/"):
        editor.get(path)
        assert editor.headers["X-Cache"] == "pass", path
    status, headers, _ = get(front + "/admin/login/")  # a visitor at the admin's door: never cached either
    assert status == 200 and headers["X-Cache"] == "pass"


def test_a_photo_uploaded_through_one_server_is_served_by_the_other_and_kept_by_varnish(stack):
    from tests.factories import photo_bytes

    editor = AdminBrowser(stack.a)
    editor.login(EDITOR["username"], EDITOR["password"])
    _, form = editor.get("/admin/practices/photo/add/")
    fields = {"alt_text": "Productores de Puno en la feria", "credit": "Foto: Ana Quispe", "licence": "cc-by-4.0"}
    _, after = editor.submit(
        "/admin/practices/photo/add/", form, fields, {"file": ("IMG_2041.jpg", photo_bytes(gps=True))}
    )
    assert "errornote" not in after
    _, listing = editor.get("/admin/practices/photo/")
    photo_id = re.search(r'href="/admin/practices/photo/(\d+)/change/', listing).group(1)
    edit_practice(editor, "Sierra", {"photos-TOTAL_FORMS": "1", "photos-0-photo": photo_id, "photos-0-order": "0"})

    html = fetch(stack.b + "/practicas/sierra-sur/")  # server B draws the page with the photo server A stored
    rendition = re.search(r"(/media/practicas/fotos/[0-9a-f]{64}/640\.webp) 640w", html).group(1)
    from_b = urllib.request.urlopen(stack.b + rendition, timeout=10).read()  # noqa: S310 (loopback only)
    assert from_b[:4] == b"RIFF" and from_b == urllib.request.urlopen(stack.a + rendition, timeout=10).read()  # noqa: S310

    get(stack.varnish + rendition)
    status, headers, _ = get(stack.varnish + rendition)  # text of a WebP: read as bytes below
    assert status == 200 and headers["X-Cache"] == "hit"
    assert headers["Cache-Control"].startswith("public, max-age=31536000, immutable")
    assert headers["Content-Type"] == "image/webp" and headers["X-Content-Type-Options"] == "nosniff"


# --- Faults ----------------------------------------------------------------------------------------------------------

HELD = ("/practicas/", "/migracion/puno/", "/acerca/", "/en/migracion/")  # pages Varnish holds before each fault
SAVED = "Se guardaron los cambios"  # the admin's confirmation of a save
NOT_SAVED = "Su cambio no se guardó"


def hold(front: str) -> None:
    for page in HELD:
        get(front + page)
        assert get(front + page)[1]["X-Cache"] == "hit", page


def save(editor: AdminBrowser, change_path: str, form: str, title: str) -> tuple[int, str]:
    """The editor sends the practice's form with a new title; status and page, errors included."""
    try:
        return editor.submit(change_path, form, {"title": title})
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def assert_outage_page(status: int, headers, html: str, language: str) -> None:
    """The portal's 503 page — its layout, stylesheet and language, Retry-After — never Varnish's own."""
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    assert "Guru Meditation" not in html
    assert re.search(r'<link rel="stylesheet" href="/static/css/portal\.[0-9a-f]+\.css">', html)
    if language == "en":
        assert '<html lang="en">' in html and "Service unavailable for a moment" in html
    else:
        assert '<html lang="es-PE">' in html and "Servicio no disponible por un momento" in html


def keep_visiting(front: str, seconds: float) -> None:
    """Visitors keep reading the pages Varnish holds for ``seconds`` — longer than their shared lifetime and the
    health checks' verdict: every answer is the page."""
    since = time.monotonic()
    while time.monotonic() - since < seconds:
        for page in HELD:
            status, headers, _ = get(front + page)
            assert status == 200, (page, status, headers.get("X-Cache"))
        time.sleep(0.2)


def wait_until_answered(url: str, limit: float = 60) -> None:
    since = time.monotonic()
    while get(url)[0] != 200:
        assert time.monotonic() - since < limit, f"{url} not answered again after {limit} s"
        time.sleep(0.5)


def test_redis_stopped_is_a_slower_portal_not_an_error(stack):
    editor = AdminBrowser(stack.varnish)
    editor.login(EDITOR["username"], EDITOR["password"])
    stack.redis.stop()
    try:
        for base in (stack.varnish, stack.a, stack.b):
            for page in (*PAGES, "/migracion/cusco/", "/en/practicas/", "/buscar/?q=puno"):
                status, _, _ = get(base + page)
                assert status == 200, (base, page, status)
        assert '"cache": "unavailable"' in get(stack.a + "/salud/")[2]  # said to operators, still 200
        landing = edit_practice(editor, "Sierra", {"title": "Sierra Sur: editado sin Redis"})
        assert SAVED in landing
        assert "Sierra Sur: editado sin Redis" in fetch(stack.b + "/practicas/sierra-sur/")
    finally:
        stack.redis.start()  # back, empty
    for page in PAGES:
        assert get(stack.a + page)[0] == 200
    assert '"cache": "ok"' in get(stack.b + "/salud/")[2]


def test_postgres_stopped_visitors_get_the_copies_varnish_holds_or_the_portals_503(stack):
    front = stack.varnish
    hold(front)
    editor = AdminBrowser(front)
    editor.login(EDITOR["username"], EDITOR["password"])
    change_path, form = practice_form(editor, "Sierra")  # the editor opened the form before the outage
    stack.postgres.stop()
    try:
        keep_visiting(front, 2 * SHARED_SECONDS + 1)
        assert_outage_page(*get(front + "/migracion/tacna/"), "es")  # never visited: Varnish holds no copy
        assert_outage_page(*get(front + "/en/migracion/tacna/"), "en")
        assert_outage_page(*get(stack.a + "/migracion/tacna/"), "es")  # the portal itself: 503, not 500
        status, headers, body = get(front + "/api/v1/practices?limit=9")  # the API's, in JSON
        assert (status, headers["Content-Type"]) == (503, "application/json; charset=utf-8")
        assert int(headers["Retry-After"]) > 0
        assert json.loads(body)["detail"].startswith("El servicio no está disponible")
        assert get(front + "/salud/varnish/")[0] == 200  # the load balancer keeps sending visitors to Varnish
        status, page = save(editor, change_path, form, "Sierra Sur: guardado durante la caída")
        assert status == 503 and NOT_SAVED in page
    finally:
        stack.postgres.start()
    wait_until_answered(front + "/migracion/tacna/")
    assert "guardado durante la caída" not in fetch(stack.a + "/practicas/sierra-sur/")  # refused, as it said
    # The team heard of it: by mail, each kind of error once per server process (2 servers × 2 workers), not
    # once per request, and in Sentry.
    outage_mails = [mail for mail in stack.mails if "OperationalError" in mail]
    assert 1 <= len(outage_mails) <= 4, len(outage_mails)
    assert "equipo@example.pe" in outage_mails[0]
    assert any("OperationalError" in event for event in stack.events)
    _, form = editor.get(change_path)
    status, page = save(editor, change_path, form, "Sierra Sur: guardado tras la caída")
    assert status == 200 and SAVED in page


def test_a_locked_table_fails_fast_and_visitors_keep_their_pages(stack):
    front = stack.varnish
    hold(front)
    editor = AdminBrowser(front)
    editor.login(EDITOR["username"], EDITOR["password"])
    change_path, form = practice_form(editor, "Sierra")
    with psycopg.connect(stack.postgres.url) as locker:  # a migration or a stuck job holds the table
        locker.execute("LOCK TABLE practices_practice IN ACCESS EXCLUSIVE MODE")
        keep_visiting(front, 2 * SHARED_SECONDS + 1)
        # Not held: the portal gives up after its lock time-out (1 s here), long before gunicorn's 30.
        assert_outage_page(*get(front + "/en/practicas/sierra-sur/"), "en")
        status, page = save(editor, change_path, form, "Sierra Sur: guardado con la tabla bloqueada")
        assert status == 503 and NOT_SAVED in page
        locker.rollback()
    wait_until_answered(front + "/en/practicas/sierra-sur/")
    assert "tabla bloqueada" not in fetch(stack.a + "/practicas/sierra-sur/")


def test_requests_made_up_to_miss_the_caches_do_not_reach_the_servers(stack):
    front = stack.varnish
    hold(front)
    logs = [stack.tmp / "a.log", stack.tmp / "b.log"]
    offsets = [log.stat().st_size for log in logs]
    statuses = {}
    started, first_refused = time.monotonic(), None
    for number in range(60):
        for path, headers in (
            (f"/practicas/?utm_source=x{number}&z{number}=1", {}),  # parameters no page reads: dropped by Varnish
            ("/acerca/", {"Cookie": f"sessionid=x{number}; _ga={number}"}),  # no session's shape: dropped
            ("/migracion/puno/", {"Cookie": f"sessionid={secrets.token_hex(16)}"}),  # a session's shape: passed on
            (f"/buscar/?q=palabra{number}", {}),  # searches: each one a miss
        ):
            status, response_headers, html = get(front + path, headers, address="127.0.0.7")
            statuses[status] = statuses.get(status, 0) + 1
            if status == 429:
                assert int(response_headers["Retry-After"]) > 0 and "Demasiadas solicitudes" in html
                first_refused = first_refused or time.monotonic()
    reached = [
        line
        for log, offset in zip(logs, offsets, strict=True)
        for line in log.read_bytes()[offset:].decode().splitlines()
        if '"path": ' in line and '"path": "/salud/"' not in line
    ]
    assert set(statuses) == {200, 429}
    # A script reading the API from that address is told so in JSON, readable by a page elsewhere.
    status, response_headers, body = get(front + "/api/v1/practices?limit=7", address="127.0.0.7")
    assert (status, response_headers["Access-Control-Allow-Origin"]) == (429, "*")
    assert json.loads(body)["detail"].startswith("Demasiadas solicitudes")
    # 50 in 10 s, then 429 for 20 s (deploy/varnish/default.vcl): vsthrottle's bucket holds 50 and refills 5 a
    # second, so it lets 5 more through for each second the requests took before the first refusal.
    allowed = 50 + 5 * (first_refused - started) + 1
    assert len(reached) <= allowed, (len(reached), allowed)
    # A made-up session cookie gets the public page from the portal's page cache: nothing drawn for it.
    assert any('"path": "/migracion/puno/"' in line and '"cache": "hit"' in line for line in reached)
    # Everyone else is served as before.
    assert get(front + "/buscar/?q=puno", address="127.0.0.8")[0] == 200
