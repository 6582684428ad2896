"""Every page type read on a phone (360 px), a tablet (768 px) and a desktop (1280 px), in Spanish and
English, by keyboard and on a slow network: the page loads cleanly (no console error, no failed request,
one h1), nothing scrolls sideways, every value of a table or list can be reached, focus is always visible,
text in the other language says so, nothing jumps while the charts are drawn, and axe-core finds nothing.

One browser, one page per width and language, reused for every page type (the checks run in the page);
768 and 1280 px are read in Spanish only.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import PageProblems
from tests.browser.readers import reader_context

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "home": "/",
    "migration table": "/migracion/?indicador=saldo",
    "department profile": "/migracion/apurimac/",
    "comparison start": "/migracion/comparar/",
    "comparison": "/migracion/comparar/?d=lima&d=cajamarca&d=apurimac",
    "catalogue": "/practicas/?departamento=apurimac",
    "practice": "/practicas/sierra-sur/",
    "category": "/practicas/categoria/promocion-del-desarrollo-economico/",
    "institution": "/practicas/institucion/minag/",
    "search results": "/buscar/?q=apurimac",
    "about": "/acerca/",
    "open data": "/datos/",
    "embedded chart": "/embed/net-migration/",
}
WIDTHS = (360, 768, 1280)
LANGUAGES = ("es", "en")

SCROLL_TO_END = """async () => {
  const step = Math.round(innerHeight * 0.8);
  for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
    scrollTo(0, y);
    // Two frames: each place is drawn once, so that whatever waits to be seen (charts, photos) sees it.
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }
  scrollTo(0, document.documentElement.scrollHeight);
}"""

# Every cell and list item of the main content that lies (partly) outside the viewport must sit in a
# box that scrolls sideways and says so: a visible line above it (.scroll-hint) or a faded edge.
UNREACHABLE = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  for (const element of document.querySelectorAll("main td, main th, main li, main dd")) {
    const rect = element.getBoundingClientRect();
    if (!rect.width || !rect.height || getComputedStyle(element).visibility === "hidden") { continue; }
    if (rect.left >= -1 && rect.right <= width + 1) { continue; }
    let hidden = false;  // inside a visually hidden part (e.g. a stacked table's header row)
    for (let up = element; up && !hidden; up = up.parentElement) { hidden = getComputedStyle(up).clipPath !== "none"; }
    if (hidden) { continue; }
    let box = element.parentElement;
    const scrolls = b => ["auto", "scroll"].includes(getComputedStyle(b).overflowX) && b.scrollWidth > b.clientWidth;
    while (box && !scrolls(box)) {
      box = box.parentElement;
    }
    const hint = box && box.previousElementSibling;
    const hinted = hint && hint.classList.contains("scroll-hint") && hint.getClientRects().length > 0;
    if (!box || !(hinted || box.hasAttribute("data-overflow"))) {
      const where = Math.round(rect.left) + "–" + Math.round(rect.right);
      problems.push(element.textContent.trim().slice(0, 40) + " @ " + where);
    }
  }
  return problems;
}"""

WIDE_TABLES = """() => [...document.querySelectorAll("main .table-scroll")]
  .filter(box => box.getClientRects().length && box.scrollWidth > box.clientWidth + 1)
  .map(box => box.getAttribute("aria-label") || box.textContent.trim().slice(0, 40))"""

# Focus each focusable element in turn (after a key press, so that :focus-visible applies as it does
# for keyboard users) and compare its computed style, and that of its first shape for map links, with
# the style it had unfocused.
INVISIBLE_FOCUS = """() => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, " +
    "[tabindex]:not([tabindex='-1'])";
  const look = element => {
    const style = getComputedStyle(element);
    const shape = element.querySelector("path, circle");
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return [outline ? style.outlineStyle + style.outlineColor : "",
            style.boxShadow, style.backgroundColor, style.borderColor, style.textDecorationLine,
            shape ? getComputedStyle(shape).strokeWidth : ""].join("|");
  };
  const problems = [];
  document.activeElement.blur();
  for (const element of document.querySelectorAll(selector)) {
    if (element.closest("[hidden], details:not([open]) > :not(summary)")) { continue; }
    if (!element.getClientRects().length) { continue; }
    if (getComputedStyle(element).visibility === "hidden") { continue; }
    const before = look(element);
    element.focus();
    if (document.activeElement !== element) { continue; }
    if (look(element) === before) { problems.push(element.outerHTML.slice(0, 80)); }
  }
  return problems;
}"""

# Text in the other language: Spanish words on English pages must sit inside lang="es" (and English
# words on Spanish pages inside lang="en"). Words chosen so that place and institution names do not count.
WRONG_LANGUAGE = """(language) => {
  const spanish = new Set(["la", "las", "los", "el", "del", "que", "para", "por", "una", "con", "según",
    "población", "migración", "personas", "departamento", "departamentos", "prácticas", "gestión", "datos"]);
  const english = new Set(["the", "and", "of", "with", "people", "which", "this", "data"]);
  const words = language === "en" ? spanish : english;
  const other = language === "en" ? "es" : "en";
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, code, textarea, [hidden]")) { continue; }
    if (!parent.getClientRects().length) { continue; }
    const found = node.textContent.split(/[^\\p{L}]+/u).filter(word => words.has(word));
    if (!found.length) { continue; }
    const marked = parent.closest("[lang]");
    if (!marked || !marked.getAttribute("lang").startsWith(other)) {
      problems.push(found[0] + ": " + node.textContent.trim().slice(0, 60));
    }
  }
  return problems;
}"""


ALL_CHARTS_DRAWN = """() => document.querySelectorAll("figure[data-chart-url] canvas").length ===
  document.querySelectorAll("figure[data-chart-url]").length"""


def url_for(portal_url, language, path):
    return portal_url + ("/en" + path if language == "en" else path)


# The phone in both languages; the tablet and the desktop in Spanish, the longer language: the layout and the style
# sheet are the same in English (tests/browser/test_public_pages.py reads an English page at 1280 px, and
# tests/browser/test_wide_tables.py the English tables at 1280 px).
READERS = [(360, "es"), (360, "en"), (768, "es"), (1280, "es")]


@pytest.fixture(scope="module", params=READERS, ids="{0[0]}-{0[1]}".format)
def reader(request, browser):
    width, language = request.param
    context = reader_context(browser, width, language)
    page = context.new_page()
    page.problems = PageProblems(page)
    yield page, width, language
    context.close()


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_page_reads_well(portal_url, reader, path):
    page, width, language = reader
    page.problems.errors.clear()
    response = page.goto(url_for(portal_url, language, path), wait_until="load")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    page.evaluate(SCROLL_TO_END)
    page.wait_for_function(ALL_CHARTS_DRAWN)  # their data and Chart.js fetched: every request of the page made
    assert page.problems.errors == []

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the page is {scroll_width}px wide at {width}px"
    assert page.evaluate(UNREACHABLE) == []
    if width >= 1280:
        assert page.evaluate(WIDE_TABLES) == [], "every table fits at 1280px"
    assert page.evaluate(WRONG_LANGUAGE, language) == []

    page.keyboard.press("Tab")
    assert page.evaluate(INVISIBLE_FOCUS) == []

    if width == 768:
        return  # axe-core at the phone and desktop widths: the tablet has their styles and markup, nothing of its own
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


CLS = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) { if (!entry.hadRecentInput) { total += entry.value; } }
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 50);
})"""


SLOW_PHONE_PAGES = ["/", "/migracion/", "/migracion/apurimac/", "/migracion/comparar/?d=lima&d=puno", "/practicas/"]


@pytest.mark.parametrize(("path", "language"), [*((path, "es") for path in SLOW_PHONE_PAGES), ("/migracion/", "en")])
def test_nothing_jumps_on_a_slow_phone_while_scrolling_to_the_end(portal_url, browser, path, language):
    """400 kbit/s and 400 ms, as on a weak mobile connection: the charts are drawn in the space kept for them.
    The space is kept by the style sheet whatever the language: every page in Spanish, the longest in English."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000},
    )
    page.goto(url_for(portal_url, language, path), wait_until="load")
    for _ in range(3):  # charts drawn while the reader goes on scrolling
        page.evaluate(SCROLL_TO_END)
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=30_000)
    page.wait_for_timeout(200)
    assert page.evaluate(CLS) < 0.1
    context.close()


CARD_VALUES = """() => [...document.querySelectorAll("table.catalogue tbody tr")].map(row => {
  const cells = [...row.querySelectorAll("th, td")];
  return cells.map(cell => {
    const rect = cell.getBoundingClientRect();
    return [cell.textContent.trim().slice(0, 30), Math.round(rect.left), Math.round(rect.right), rect.height > 0];
  });
})"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_on_a_phone(portal_url, browser, language):
    """375 px: the filters fold behind their heading, each practice is a card showing its title, year,
    institution and departments, and "Aplicar" brings the reader (and the focus) to the results."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url_for(portal_url, language, "/practicas/"), wait_until="networkidle")
    assert page.locator("details.filter-panel").get_attribute("open") is None
    assert not page.locator("#id_departamento").is_visible()
    first = page.locator("table.catalogue tbody tr").first.bounding_box()
    assert first["y"] < 1_000, f"the first result starts {first['y']:.0f}px down"
    for row in page.evaluate(CARD_VALUES):
        assert len(row) == 4 and all(shown and left >= 0 and right <= 375 for _, left, right, shown in row), row

    page.click("details.filter-panel > summary")
    page.select_option("#id_departamento", "apurimac")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "departamento=apurimac" in page.url and page.url.endswith("#resultados")
    assert page.evaluate("document.activeElement.id") == "resultados"
    heading = page.locator("#resultados").bounding_box()
    assert -1 <= heading["y"] < 740  # the results, not the top of the page
    assert page.locator("table.catalogue tbody tr").count() == 2
    # Folded again, the filters say how many apply.
    assert (
        page.locator("details.filter-panel > summary")
        .inner_text()
        .endswith("(1 filter applied)" if language == "en" else "(1 filtro aplicado)")
    )
    context.close()


def test_the_catalogue_on_a_desktop_shows_its_filters_and_fits(portal_url, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(portal_url + "/practicas/?sort=-award_year", wait_until="networkidle")
    assert page.locator("#id_departamento").is_visible()
    assert page.locator("details.filter-panel").get_attribute("open") is not None  # said so to screen readers
    box = page.locator("table.catalogue").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
    # One arrow, on the sorted column.
    arrows = page.evaluate(
        """() => [...document.querySelectorAll("table.catalogue thead .sort-indicator")]
          .map(span => getComputedStyle(span, "::after").content).filter(c => c !== "none" && c !== '""')"""
    )
    assert arrows == ['"▼"']
    context.close()
