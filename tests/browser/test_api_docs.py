"""The API documentation page (Swagger UI bundled with django-ninja) works offline under the strict CSP, in both
languages, as a page of the portal (its language, a phone's width, a way back), with no axe violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

OPERATIONS = ["/api/v1/editions", "/api/v1/departments", "/api/v1/departments/{slug}", "/api/v1/practices"]
OPERATIONS += ["/api/v1/practices/{slug}", "/api/v1/censuses", "/api/v1/population", "/api/v1/population/{slug}"]
OPERATIONS += ["/api/v1/recent-migration"]


def test_docs_page_runs_under_the_content_security_policy(portal_url, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{portal_url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    operations = page.locator(".opblock-summary-path").all_inner_texts()
    assert page.problems.errors == []
    assert sorted(operations) == sorted(OPERATIONS)
    assert page.locator("html").get_attribute("lang") == "es-PE"
    assert page.locator("meta[name=viewport]").count() == 1
    assert page.locator("header a[href='/']").count() == 1  # back to the portal
    assert all(url.startswith(portal_url) for url in requested), requested  # nothing from outside
    assert Axe().run(page).response["violations"] == []

    page.goto(f"{portal_url}/en/api/v1/docs")  # in English too (it was a 404)
    page.wait_for_selector(".opblock", timeout=15_000)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main > h1").inner_text() == "Open data API"
    assert page.locator("header a[href='/en/']").count() == 1
