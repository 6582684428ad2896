"""Scale-out: two gunicorn servers, one PostgreSQL database, one Redis cache.

An editor changes a practice through server A; server B shows the change at
once — pages B had cached before the edit included. Runs in the PostgreSQL pass
of the test command (scripts/test.sh), which also installs redis-server.
"""

import re
import urllib.request

import pytest
from django.db import connection

from tests.servers import EDITOR, AdminBrowser, fresh_database, gunicorn, portal_env, prepare_database, redis_server

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: runs in the PostgreSQL pass of make test"
)

PAGES = ("/practicas/sierra-sur/", "/practicas/", "/migracion/puno/", "/practicas/feed/rss/")


def fetch(url: str) -> str:
    """GET as a load balancer forwards it: one public host name whichever server answers."""
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1"})  # noqa: S310 (loopback only)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read().decode()


def test_an_edit_through_one_server_shows_at_once_through_the_other(tmp_path, django_db_blocker):
    with django_db_blocker.unblock(), fresh_database(tmp_path) as database_url, redis_server() as redis_url:
        env = portal_env(database_url, DJANGO_CACHE_URL=redis_url)
        prepare_database(env)
        with gunicorn(env, tmp_path / "a.log") as server_a, gunicorn(env, tmp_path / "b.log") as server_b:
            for page in PAGES:  # B renders each page and caches it in the shared Redis…
                assert "Sierra Sur: Gestores de su propio desarrollo" in fetch(server_b + page)
            for page in PAGES:  # …and A serves the very same pages from that cache.
                assert "Sierra Sur: Gestores de su propio desarrollo" in fetch(server_a + page)
            assert '"cache": "hit"' in (tmp_path / "a.log").read_text()

            editor = AdminBrowser(server_a)
            editor.login(EDITOR["username"], EDITOR["password"])
            _, listing = editor.get("/admin/practices/practice/?q=Sierra")
            change_path = re.search(r'href="(/admin/practices/practice/\d+/change/)', listing).group(1)
            _, form = editor.get(change_path)
            _, after = editor.submit(change_path, form, {"title": "Sierra Sur: editado en el servidor A"})
            assert "errornote" not in after, after[after.find("errornote") - 200 : after.find("errornote") + 3000]

            for page in PAGES:
                html = fetch(server_b + page)
                assert "Sierra Sur: editado en el servidor A" in html, page
                assert "Gestores de su propio desarrollo" not in html, page
