"""The public site in a real browser: every page type loads cleanly, is accessible (axe-core),
draws its charts over their tables, and works by keyboard, on a phone and in English (with
tests/browser/test_reading.py, which reads most page types on a phone in both languages, a tablet and a desktop)."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The page types tests/browser/test_reading.py does not read (it loads every other one at three widths, the phone
# in both languages, with these same checks: a clean load, one h1, axe-core, no sideways scroll on a phone).
PAGE_TYPES = {
    "not found": "/migracion/no-existe/",
    "population 1940–2017": "/migracion/poblacion/",
    "recent migration": "/migracion/reciente/?indicador=inmigracion",
    "english recent migration": "/en/migracion/reciente/",
}


def describe(violations) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:3]}" for v in violations
    )


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_page_loads_cleanly_and_has_no_accessibility_violations(portal_url, page, path):
    response = page.goto(portal_url + path, wait_until="networkidle")
    expected = 404 if "no-existe" in path else 200
    assert response.status == expected
    problems = [p for p in page.problems.errors if not (expected == 404 and p.startswith("404:"))]
    problems = [p for p in problems if "the server responded with a status of 404" not in p or expected != 404]
    assert problems == []
    assert page.locator("h1").count() == 1
    results = Axe().run(page)
    assert results.response["violations"] == [], describe(results.response["violations"])


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/migracion/",
        "/migracion/lima/",
        "/migracion/comparar/?d=lima&d=puno",
        "/migracion/poblacion/",
        "/migracion/reciente/",
    ],
)
def test_each_chart_is_drawn_over_its_data_table(portal_url, page, path):
    page.goto(portal_url + path, wait_until="load")
    figures = page.locator("figure[data-chart-url]")
    assert figures.count() >= 1
    for index in range(figures.count()):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()  # charts are drawn as they come near the screen
        canvas = figure.locator("canvas")
        canvas.wait_for()
        box = canvas.bounding_box()
        assert box["width"] > 100 and box["height"] > 100
        assert figure.locator("table tbody tr").count() >= 2  # the data stays on the page, in a disclosure
        assert figure.locator("button.chart-png").is_visible()


def test_chartjs_is_loaded_only_when_a_chart_comes_near_the_screen(portal_url, page):
    scripts = []
    page.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
    page.goto(portal_url + "/migracion/", wait_until="networkidle")  # the charts are far below the map and table
    assert not [url for url in scripts if "chart.umd" in url]
    assert page.locator("figure[data-chart-url] canvas").count() == 0
    page.locator("figure[data-chart-url]").first.scroll_into_view_if_needed()
    page.locator("figure[data-chart-url] canvas").first.wait_for()
    assert len([url for url in scripts if "chart.umd" in url]) == 1


def test_a_chart_downloads_as_png(portal_url, page):
    page.goto(portal_url + "/embed/migrants/", wait_until="networkidle")
    with page.expect_download() as download_info:
        page.click("button.chart-png")
    download = download_info.value
    assert download.suggested_filename == "poblacion-migrante-por-departamento-2007.png"  # named after what it shows
    with open(download.path(), "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"


def test_clicking_a_column_header_sorts_the_table(portal_url, page):
    page.goto(portal_url + "/migracion/")
    page.click("table.data-table thead th >> text=Emigrantes")
    assert urlsplit(page.url).query == "sort=emigrants"
    header = page.locator("table.data-table thead th", has_text="Emigrantes").first
    assert header.get_attribute("aria-sort") == "ascending"
    first = page.locator("table.data-table tbody tr").first.locator("th").inner_text()
    assert first == "Madre de Dios"  # fewest emigrants: 11,238
    page.click("table.data-table thead th >> text=Emigrantes")
    assert page.locator("table.data-table tbody tr").first.locator("th").inner_text() == "Cajamarca"


def test_filtering_and_searching_the_catalogue(portal_url, page):
    page.goto(portal_url + "/practicas/")
    page.select_option("#id_departamento", "apurimac")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "departamento=apurimac" in page.url
    expect(page.locator("table.catalogue tbody tr")).to_have_count(2)
    page.fill("#id_q", "credito")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    rows = page.locator("table.catalogue tbody tr")
    expect(rows).to_have_count(1)
    assert "Crédito para los que más lo necesitan" in rows.first.inner_text()


def test_language_switch_keeps_the_page(portal_url, page):
    page.goto(portal_url + "/migracion/lima/")
    assert page.locator("html").get_attribute("lang") == "es-PE"
    page.click("nav.language a[hreflang=en]")
    assert page.url == portal_url + "/en/migracion/lima/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Lima"
    page.click("nav.language a[hreflang=es]")
    assert page.url == portal_url + "/migracion/lima/"


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_phone_width_has_no_horizontal_page_scroll(portal_url, browser, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(portal_url + path, wait_until="networkidle")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, f"page is {scroll_width}px wide at 360px"
    context.close()


def test_keyboard_reaches_main_content_and_filters(portal_url, page):
    page.goto(portal_url + "/practicas/")
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent.trim()")
    assert skip == "Saltar al contenido"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenido"
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id"))
        if "id_alcance" in reached:
            break
    assert {"id_q", "id_anio", "id_categoria", "id_departamento", "id_alcance"} <= reached
    focused_outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused_outline != "none"  # focus is visible
