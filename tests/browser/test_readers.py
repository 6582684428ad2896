"""What a reader at 375 and 1280 px meets where the fault lived (issue 25): a downloaded chart says what it shows,
where it comes from and under what terms; sorting a table keeps the reader's place and focus; a tap on the phone's
map shows a department's value. Several checks per page load."""

import contextlib
import re
import struct
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.readers import reader_context

pytestmark = pytest.mark.browser


def png_text(data: bytes) -> dict[str, str]:
    """The PNG's text chunks (iTXt, UTF-8), each checked against its CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, texts = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        assert zlib.crc32(kind + body) == struct.unpack(">I", data[position + 8 + length : position + 12 + length])[0]
        if kind == b"iTXt":
            keyword, rest = body.split(b"\0", 1)
            texts[keyword.decode()] = rest[2:].split(b"\0", 2)[2].decode()
        position += 12 + length
    return texts


def download(page, button) -> tuple[str, bytes]:
    with page.expect_download() as info:
        button.click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


@pytest.mark.parametrize(("width", "language"), [(375, "es"), (1280, "en")])
def test_charts_travel_sorting_keeps_the_place_and_the_phone_map_shows_values(portal_url, browser, width, language):
    context = reader_context(browser, width, language)
    page = context.new_page()
    prefix = "/en" if language == "en" else ""

    # 1. A profile's chart, downloaded: named after what it shows, with its title, place, census, source, terms.
    page.goto(f"{portal_url}{prefix}/migracion/apurimac/")
    figure = page.locator("#grafico-department")
    figure.scroll_into_view_if_needed()
    figure.locator("button.chart-png").wait_for()
    name, png = download(page, figure.locator("button.chart-png"))
    texts = png_text(png)
    title = figure.get_attribute("data-chart-title")
    assert name == ("immigrants-and-emigrants-2007-apurimac.png" if language == "en" else
                    "inmigrantes-y-emigrantes-2007-apurimac.png")  # fmt: skip
    assert texts["Title"] == title
    assert texts["Description"] == ("Apurímac · 2007 census" if language == "en" else "Apurímac · Censo 2007")
    assert "CAD Ciudadanos al Día" in texts["Source"]
    assert texts["Copyright"] == figure.get_attribute("data-chart-licence")
    assert texts["Comment"].endswith(f"{prefix}/migracion/apurimac/#grafico-department")
    (image_width,) = struct.unpack(">I", png[16:20])
    assert image_width >= 1600  # drawn again 800 px wide at twice the pixels, whatever the screen
    name, svg = download(page, figure.locator("button.chart-svg"))
    assert name.endswith("-apurimac.svg")
    text = svg.decode()
    assert f"<title>{title}</title>" in text and "CAD Ciudadanos al D" in text and 'href="http' in text

    # 2. Sorting /migracion/'s table: the page comes back where the reader was, focus on the sorted column.
    page.goto(f"{portal_url}{prefix}/migracion/")
    link = page.locator("#columna-emigrant_share a")
    link.scroll_into_view_if_needed()
    scrolled = page.evaluate("window.scrollY")
    page.mouse.wheel(0, -120)
    page.wait_for_function("(y) => window.scrollY > 0 && window.scrollY < y", arg=scrolled)  # the wheel has moved it
    page.wait_for_function(  # and stopped: a smooth scroll is not read halfway
        "() => new Promise((done) => { const y = window.scrollY;"
        " requestAnimationFrame(() => requestAnimationFrame(() => done(window.scrollY === y))); })"
    )
    before = page.evaluate("window.scrollY")
    with page.expect_navigation():
        link.click()
    page.wait_for_function("document.activeElement && document.activeElement.closest('th')")
    assert "sort=emigrant_share" in page.url
    assert abs(page.evaluate("window.scrollY") - before) <= 2
    focused = page.evaluate("[document.activeElement.closest('th').id, document.activeElement.closest('th').ariaSort]")
    assert focused == ["columna-emigrant_share", "ascending"]

    # 3. The map on a phone: names where they fit, a tap shows the value with a link on to the profile.
    if width < 600:
        page.goto(f"{portal_url}{prefix}/migracion/")
        names = page.locator("#mapa .map-names text").evaluate_all(
            "texts => texts.filter(t => getComputedStyle(t).display !== 'none').map(t => t.textContent)"
        )
        assert "Loreto" in names and "Cusco" in names
        cusco = page.locator("#mapa svg a[data-name='Cusco'] path")
        cusco.scroll_into_view_if_needed()
        cusco.tap()
        readout = page.locator("#mapa .map-tap")
        readout.wait_for()
        assert re.fullmatch(r"Cusco: 22\.6 % (emigrantes|emigrants)\. .*Cusco", readout.inner_text())
        assert readout.locator("a").get_attribute("href") == f"{prefix}/migracion/cusco/"
        assert page.url.endswith(f"{prefix}/migracion/")  # still on the map

        # 4. The header leaves the phone's screen to the page (it took 37 % of 375×667); nothing scrolls sideways
        # at 320 px (the home page and the citations did).
        assert page.evaluate("document.querySelector('.site-header').offsetHeight") <= 0.2 * 667
        page.set_viewport_size({"width": 320, "height": 568})
        for path in ("/", "/en/", "/en/acerca/", "/datos/"):
            page.goto(portal_url + path, wait_until="networkidle")
            # Once laid out (a chart drawn while the page loads may stand wider for a moment under load).
            settled = "() => document.documentElement.scrollWidth <= 320"
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(settled, timeout=5_000)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()
