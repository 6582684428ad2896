"""The API documentation page (Swagger UI bundled with django-ninja) works offline under the strict CSP."""

import pytest

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
    assert "Migración Interna y Buenas Prácticas" in page.locator(".info .title").first.inner_text()
    assert all(url.startswith(portal_url) for url in requested), requested  # nothing from outside
