"""Shared fixtures.

The test database is created once per run and loaded with the portal's real source
data (``manage.py load_portal_data``): most tests check what a visitor sees of those
figures. Each test runs in a transaction that is rolled back, so the seed stays intact.
"""

import contextlib
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tests.html import text_of  # noqa: F401 (tests import it from here)
from tests.servers import GunicornServer, copy_of_the_test_database, create_editors, fresh_database, manage, portal_env

# Sierra Sur gets two photos (a phone's, taken upright; a landscape one) and a document on the shared server: every
# page test reads the practice page, the catalogue and the feeds with them (tests/browser/test_practice_photos.py
# looks at them closely).
PHOTOS = """
from practices.models import Practice
from tests.factories import document, photo, photo_bytes
practice = Practice.objects.get(slug="sierra-sur")
photo(practice, alt_text="Comuneros de Chumbivilcas en su parcela de papa nativa",
      alt_text_en="Farmers of Chumbivilcas in their native potato plot")
photo(practice, content=photo_bytes(size=(1800, 1200), color=(40, 110, 60)), alt_text="Feria de productores en Puno",
      credit="Foto: Programa Sierra Sur", licence="permission")
document(practice, title="Postulación al Premio Buenas Prácticas 2009", title_en="Award application, 2009")
"""


@pytest.fixture(scope="session", autouse=True)
def _collected_static():
    """Pages are rendered with the production static storage (hashed names): it needs collectstatic."""
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    sources = [path for folder in settings.STATICFILES_DIRS for path in folder.rglob("*") if path.is_file()]
    if not manifest.exists() or max(path.stat().st_mtime for path in sources) > manifest.stat().st_mtime:
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Photos and documents stored by tests go to a temporary folder, never the project's media/."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Accounts the tests make (editors, admin_client) get a fast password hash, as Django advises for test suites:
    the portal's PBKDF2 costs 0.25 s of CPU per password, by design. Passwords still work the same way; the
    real servers of the end-to-end tests (tests/servers.py) hash with the production setting."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def _static_files_looked_up_per_request():
    """WhiteNoise finds a static file when it is asked for (WHITENOISE_AUTOREFRESH), instead of reading all ~900
    collected files whenever a test client starts its middleware: 30 ms of CPU per test. The files and their
    headers are the same; the production stack (gunicorn, tests/servers.py) reads them at start as deployed."""
    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


def pytest_collection_modifyitems(items):
    """pytest-django makes the test database only when a run collects a test that asks for it (``db``,
    ``django_db``). The real-server tests use it through its copies (``migrated_database``, ``prepared_database``):
    they ask for it too, so that a run of them alone copies the test database, not the one DATABASE_URL names.
    The tests marked ``browser`` do only in a run of them alone: a database connection opened by a test once
    Playwright has started belongs to another context and is left open at the end (on PostgreSQL, pytest-django then
    warns that it cannot drop the test database); in the test command they run after the others."""
    users = [item for item in items if "django_db_setup" in item.fixturenames]
    askers = [item for item in users if not item.get_closest_marker("browser")] or users
    for item in askers:
        if not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """The test database (pytest-django's: every migration) loaded with the source data, ``load_portal_data``.
    A copy is kept of it before and after the load, for real servers and commands (``migrated_database``,
    ``prepared_database``): a deployment's database, without migrating and loading it again."""
    with contextlib.ExitStack() as copies:
        with django_db_blocker.unblock():
            migrated = copies.enter_context(copy_of_the_test_database(tmp_path_factory.mktemp("migrated")))
            call_command("load_portal_data", verbosity=0)
            loaded = copies.enter_context(copy_of_the_test_database(tmp_path_factory.mktemp("loaded")))
        yield SimpleNamespace(migrated=migrated, loaded=loaded)


@pytest.fixture(scope="session")
def migrated_database(django_db_setup) -> str:
    """The DATABASE_URL of an empty database with every migration applied, never served: copy it
    (``fresh_database(tmp_path, copy_of=migrated_database)``) to restore a backup into or to migrate back."""
    return django_db_setup.migrated


@pytest.fixture(scope="session")
def prepared_database(django_db_setup) -> str:
    """The DATABASE_URL of a database as a deployment's is — every migration, ``load_portal_data`` and two editor
    accounts (``create_editor``) — made once per run and never served: each real server's database is a copy of it,
    ``fresh_database(tmp_path, copy_of=prepared_database)`` (an SQLite file copied, a PostgreSQL database created
    from it as its template), instead of 10–15 s of migrating and loading each time."""
    create_editors(portal_env(django_db_setup.loaded))
    return django_db_setup.loaded


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory, django_db_blocker, prepared_database, _collected_static) -> GunicornServer:
    """The portal on the production stack — gunicorn with gunicorn.conf.py, debug off, whitenoise — on its own
    copy of ``prepared_database``, started once for the whole run: the real-browser tests, the hostile requests
    and the API's schema checks share it. Tests that change its data (the editors in the browser) only add to it;
    tests that read it assert nothing those additions change."""
    tmp_path = tmp_path_factory.mktemp("portal")
    with django_db_blocker.unblock(), fresh_database(tmp_path, copy_of=prepared_database) as database_url:
        env = portal_env(database_url, DJANGO_MEDIA_ROOT=str(tmp_path / "media"))
        manage(env, "shell", "-c", PHOTOS)
        with GunicornServer(env, tmp_path / "gunicorn.log") as server:
            yield server


@pytest.fixture(scope="session")
def portal_url(portal_server) -> str:
    """The base URL of ``portal_server``: http://127.0.0.1:<port>."""
    return portal_server.base


@pytest.fixture(autouse=True)
def _spanish_by_default():
    """Each test starts in the site's default language (a request to /en/ leaves English active)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (it outlives a test's rolled-back transaction)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def get_page(client, db):
    """GET a URL and return (response, parsed HTML)."""

    def get(url, status=200, **extra):
        response = client.get(url, **extra)
        assert response.status_code == status, (url, response.status_code)
        return response, BeautifulSoup(response.content, "html.parser")

    return get
