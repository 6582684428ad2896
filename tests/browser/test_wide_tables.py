"""Tables wider than their box, on a phone (375 px) and a laptop (1280 px), in Spanish and English: the line
«La tabla tiene más columnas» shows exactly when columns are hidden (with the script, and without it where
the server knows), the box scrolls with the keyboard and shows its focus ring, and every table (the census
page's two among them) fits a laptop's page whole."""

import pytest

pytestmark = pytest.mark.browser

TABLE_PAGES = ["/migracion/", "/migracion/reciente/", "/migracion/poblacion/"]

# For each main table box: is it wider than its box, is the line above it shown, and the last header's
# right edge against the viewport's width.
BOXES = """() => [...document.querySelectorAll("main .table-scroll")]
  .filter(box => box.getClientRects().length && !box.closest(".chart-frame"))
  .map(box => {
    const hint = box.previousElementSibling;
    return {
      label: box.getAttribute("aria-label") || box.getAttribute("aria-labelledby"),
      overflows: box.scrollWidth > box.clientWidth + 1,
      hinted: !!hint && hint.classList.contains("scroll-hint") && hint.getClientRects().length > 0,
    };
  })"""


def url_for(portal_url, language, path):
    return portal_url + ("/en" + path if language == "en" else path)


@pytest.fixture(params=["es", "en"])
def language(request):
    return request.param


def open_page(browser, portal_url, language, path, width, javascript=True):
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        java_script_enabled=javascript,
        locale="en-US" if language == "en" else "es-PE",
    )
    page = context.new_page()
    page.goto(url_for(portal_url, language, path), wait_until="load")  # portal.js has measured the tables
    return context, page


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", TABLE_PAGES)
def test_the_reader_is_told_exactly_when_a_table_has_hidden_columns(portal_url, browser, language, path, width):
    """On each table page: the line shows exactly where columns are hidden and the laptop shows every table whole;
    then, on the same page, the census page's two tables, the recent-migration table's last columns at 1280 px,
    and on a phone the table scrolled to its end."""
    context, page = open_page(browser, portal_url, language, path, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # only the table's box scrolls
    boxes = page.evaluate(BOXES)
    assert boxes
    for box in boxes:
        assert box["hinted"] == box["overflows"], box
    # The laptop shows every table whole (the census page's two as well); a phone scrolls them.
    tables = boxes[:2] if path == "/migracion/poblacion/" else boxes[:1]
    for table in tables:
        assert table["overflows"] == (width < 1280), table
    if path == "/migracion/poblacion/":
        the_census_page_shows_its_two_tables_whole_on_a_laptop_and_scrolling_on_a_phone(page, width)
    if path == "/migracion/reciente/" and width == 1280:
        the_last_columns_of_the_recent_migration_table_are_seen(page, language)
    if width == 375:
        scrolled_to_the_end_the_last_column_is_not_faded(page)
    context.close()


def the_census_page_shows_its_two_tables_whole_on_a_laptop_and_scrolling_on_a_phone(page, width):
    captions = page.locator("main table.data-table caption").all_inner_texts()
    assert len(captions) >= 2
    for index in range(2):
        box = page.locator("main .table-scroll").nth(index)
        table = box.locator("table")
        table_right = table.evaluate("t => t.getBoundingClientRect().right")
        box_right = box.evaluate("b => b.getBoundingClientRect().right")
        hint = page.locator("main .scroll-hint").nth(index)
        if width == 1280:
            assert table_right <= box_right <= 1280, captions[index]
            assert not hint.is_visible()
        else:
            assert table_right > box_right, captions[index]
            assert hint.is_visible()
            assert box.get_attribute("data-overflow") == "right"


def the_last_columns_of_the_recent_migration_table_are_seen(page, language):
    header = page.locator("main table.data-table").first.locator("thead th").last
    expected = "Net per 1,000 inh." if language == "en" else "Saldo por 1,000 hab."
    assert " ".join(header.inner_text().split()) == expected
    right = header.evaluate("th => th.getBoundingClientRect().right")
    box_right = page.locator("main .table-scroll").first.evaluate("b => b.getBoundingClientRect().right")
    assert right <= box_right <= 1280


def scrolled_to_the_end_the_last_column_is_not_faded(page):
    box = page.locator("main .table-scroll").first
    assert box.get_attribute("data-overflow") == "right"
    assert box.evaluate("b => getComputedStyle(b).maskImage") != "none"  # more columns: the edge fades
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    page.wait_for_function("b => b.dataset.overflow === 'left'", arg=box.element_handle())
    assert box.evaluate("b => getComputedStyle(b).maskImage") == "none"


@pytest.mark.parametrize(
    ("path", "width", "hinted"),
    [
        ("/migracion/reciente/", 375, True),
        ("/migracion/reciente/", 1280, False),
        ("/migracion/poblacion/", 375, True),
        ("/migracion/poblacion/", 1280, False),
    ],
)
def test_without_javascript_the_wide_tables_still_say_so(portal_url, browser, language, path, width, hinted):
    context, page = open_page(browser, portal_url, language, path, width, javascript=False)
    for table in page.evaluate(BOXES)[: 2 if path == "/migracion/poblacion/" else 1]:
        assert table["overflows"] == table["hinted"] == hinted, table
    context.close()


def test_a_wide_table_scrolls_with_the_keyboard_and_shows_where_the_focus_is(portal_url, browser, language):
    context, page = open_page(browser, portal_url, language, "/migracion/poblacion/", 375)
    box = page.locator("main .table-scroll").first
    page.keyboard.press("Tab")  # keyboard use: :focus-visible applies to what is focused next
    box.focus()
    assert box.evaluate("b => b.scrollLeft") == 0
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("b => b.scrollLeft > 0 && b.dataset.overflow === 'left right'", arg=box.element_handle())
    style = box.evaluate(
        "b => [getComputedStyle(b).outlineStyle, getComputedStyle(b).outlineWidth, getComputedStyle(b).maskImage]"
    )
    assert style == ["solid", "3px", "none"]  # the fade (a mask) would hide the ring: it goes while focused
    context.close()
