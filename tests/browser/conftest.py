"""Real-browser fixtures: Debian's Chromium driven by Playwright against a real portal server.

The portal runs under gunicorn + whitenoise with production settings on its own
freshly migrated and loaded database: ``portal_url`` (tests/conftest.py, tests/servers.py).
"""

import os
from pathlib import Path

import pytest

from tests.servers import EDITOR

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
#: Where ``shot`` keeps screenshots of the editors' journeys, for a field trial: only when it is set.
SCREENSHOTS = os.environ.get("PORTAL_SCREENSHOTS", "")
# Playwright's sync API keeps an event loop running in this thread; Django's database calls made meanwhile
# (the test database's set-up and tear-down around the browser tests) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: scripts/system-packages.sh installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


def shot(page, name: str) -> None:
    """A full-page screenshot ``name``.png in the folder PORTAL_SCREENSHOTS names, when it is set (a field trial:
    ``PORTAL_SCREENSHOTS=/tmp/shots scripts/test.sh tests/browser``); otherwise nothing, as in the test command."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


class PageProblems:
    """Console errors (CSP violations included) and failed requests seen by a page."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("requestfailed", self._request_failed)
        page.on(
            "response",
            lambda response: response.status >= 400 and self.errors.append(f"{response.status}: {response.url}"),
        )

    def _request_failed(self, request):
        # A request still in flight when the test moves to the next page is cancelled by the
        # browser (net::ERR_ABORTED): the visitor left, nothing failed. Every other failure counts.
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"failed: {request.url} ({request.failure})")


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="es-PE", viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.problems = PageProblems(page)
    return page


def signed_in_page(portal_url, context, editor=EDITOR):
    """A page of ``context`` signed in to the admin as ``editor``, watching for problems."""
    page = context.new_page()
    page.problems = PageProblems(page)
    page.goto(f"{portal_url}/admin/login/")
    page.fill("#id_username", editor["username"])
    page.fill("#id_password", editor["password"])
    page.click("input[type=submit]")
    page.wait_for_url(f"{portal_url}/admin/")
    return page


@pytest.fixture(scope="session")
def editor_session(portal_url, browser) -> dict:
    """The editor's cookies once signed in (Playwright's storage state), signed in once per run: each sign-in costs the
    server a password hash (PBKDF2, by design slow) and the admin's home page."""
    context = browser.new_context(locale="es-PE")
    signed_in_page(portal_url, context)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def editor_page(browser, editor_session):
    """A page of a new browser context (1280 × 900) already signed in to the admin as ``EDITOR``."""
    context = browser.new_context(locale="es-PE", viewport={"width": 1280, "height": 900}, storage_state=editor_session)
    page = context.new_page()
    page.problems = PageProblems(page)
    yield page
    context.close()
