"""Scale-out: Varnish in front of two gunicorn servers, one PostgreSQL database, one Redis cache.

An editor changes a practice through server A; server B shows the change at
once — pages B had cached before the edit included. Through Varnish
(deploy/varnish/default.vcl) the change shows within the shared lifetime the
portal gives its public pages (DJANGO_SHARED_CACHE_SECONDS, short here), and
nothing personal — the admin, a draft's preview, any page a signed-in editor
asks for — ever comes from Varnish. Runs in the PostgreSQL pass of the test
command (scripts/test.sh), which also installs redis-server and varnish.
"""

import contextlib
import re
import time
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest
from django.db import connection

from tests.servers import (
    EDITOR,
    AdminBrowser,
    fresh_database,
    gunicorn,
    portal_env,
    prepare_database,
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


def get(url: str) -> tuple[int, dict, str]:
    """Status, headers and text of a GET with the public host name; errors are answers too."""
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1"})  # noqa: S310 (loopback only)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


@pytest.fixture(scope="module")
def stack(tmp_path_factory, django_db_blocker):
    tmp = tmp_path_factory.mktemp("scale-out")
    with django_db_blocker.unblock(), contextlib.ExitStack() as running:
        database_url = running.enter_context(fresh_database(tmp))
        redis_url = running.enter_context(redis_server())
        env = portal_env(
            database_url,
            DJANGO_CACHE_URL=redis_url,
            DJANGO_SHARED_CACHE_SECONDS=str(SHARED_SECONDS),
            DJANGO_MEDIA_ROOT=str(tmp / "media"),  # one folder for both servers: the shared volume
        )
        prepare_database(env)
        server_a = running.enter_context(gunicorn(env, tmp / "a.log"))
        server_b = running.enter_context(gunicorn(env, tmp / "b.log"))
        front = running.enter_context(varnish([server_a, server_b], tmp / "varnish"))
        yield SimpleNamespace(a=server_a, b=server_b, varnish=front, tmp=tmp)


def edit_practice(editor: AdminBrowser, search: str, changes: dict[str, str]) -> None:
    _, listing = editor.get(f"/admin/practices/practice/?q={search}")
    change_path = re.search(r'href="(/admin/practices/practice/\d+/change/)', listing).group(1)
    _, form = editor.get(change_path)
    _, after = editor.submit(change_path, form, changes)
    assert "errornote" not in after, after[after.find("errornote") - 200 : after.find("errornote") + 3000]


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
