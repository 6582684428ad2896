"""The back office in a real browser at 1280 px, as an editor who is not a programmer uses it.

- every admin page an editor opens fits 1280 px without horizontal scroll, reads in Spanish (the test
  fails on a list of the admin libraries' English strings, in the text and in buttons, tooltips and
  placeholders) and works under the strict CSP;
- a semicolon CSV saved by a Spanish-language Excel, with the zeros of the ubigeo dropped and one bad
  row: the error shows on its cell and nothing is written; the fixed file is then imported whole;
- a draft census edition prepared (added, its figures imported), checked on its consistency page,
  corrected and published, while the public keeps seeing the published edition until then.

Screenshots of the journey for a field trial: PORTAL_SCREENSHOTS (tests/browser/conftest.py, ``shot``).
"""

import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.conftest import shot
from tests.portal.admin_pages import WRONG_SPANISH, english_words

pytestmark = pytest.mark.browser

HEADER = ["edicion", "ubigeo", "departamento", "poblacion", "inmigrantes", "emigrantes"]


# What an editor meets on the page just opened, read in one round trip: the page's width, the boxes of the content
# that scroll sideways, the text read (the page's, button labels, tooltips, placeholders) and the number fields too
# narrow for their number.
LAYOUT_AND_TEXT = """() => ({
  width: [document.documentElement.scrollWidth, window.innerWidth],
  scrolled: [...document.querySelectorAll("#content *")]
    .filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0
      && ["auto", "scroll"].includes(getComputedStyle(e).overflowX))
    .map(e => e.className || e.tagName),
  text: [
    document.body.innerText,
    ...[...document.querySelectorAll("input[type=submit], input[type=button]")].map(e => e.value),
    ...[...document.querySelectorAll("[title]")].map(e => e.title),
    ...[...document.querySelectorAll("[placeholder]")].map(e => e.placeholder),
  ].join(" "),
  cut: [...document.querySelectorAll("input.vGroupedNumber, input[type=number]")]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.name),
})"""


def problems_of(page) -> list[str]:
    """What an editor would meet on the page just opened: a sideways scroll (of the page, or of a box in it),
    an English or wrong Spanish word, a number cut in its field, a console error or a failed request."""
    seen = page.evaluate(LAYOUT_AND_TEXT)
    found = english_words(seen["text"]) + WRONG_SPANISH.findall(seen["text"])
    if seen["width"][0] > seen["width"][1]:
        found.append(f"horizontal scroll: {seen['width'][0]} px")
    if seen["scrolled"]:
        found.append(f"scrolls sideways inside: {seen['scrolled']}")
    if seen["cut"]:
        found.append(f"numbers cut in {seen['cut']}")
    return found + page.problems.errors


def test_every_admin_page_fits_1280_px_reads_in_spanish_and_works_under_the_csp(portal_url, editor_page):
    """Every page an editor opens from the admin's home — each list, its first item, that item's history and
    first version, the add, import and export pages, a practice's delete confirmation and the deleted
    practices — opened once and checked as it is found."""
    page = editor_page
    problems, opened, found = {}, [], ["/admin/"]

    def open_page(path: str) -> None:
        page.problems.errors.clear()
        response = page.goto(portal_url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        opened.append(path)
        if seen := problems_of(page):
            problems[path] = seen

    def links(selector: str) -> list[str]:
        hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.href)")
        return [urlsplit(href).path for href in hrefs if href.startswith(portal_url + "/admin/")]

    open_page("/admin/")
    lists = sorted(
        {path for path in links("#content a[href], #nav-sidebar a[href]") if re.search(r"^/admin/\w+/\w+/$", path)}
    )
    for path in lists:
        open_page(path)
        found += [path, *links(".object-tools a[href]")]
        first = page.locator("#result_list tbody tr th a").first
        if first.count():
            change = urlsplit(urljoin(page.url, first.get_attribute("href"))).path
            open_page(change)
            found += [change, *links(".object-tools a[href]")]
            history = change.replace("/change/", "/history/")
            open_page(history)
            found.append(history)
            version = page.locator("#change-history tbody tr a").first
            if version.count():
                found.append(urlsplit(urljoin(page.url, version.get_attribute("href"))).path)
            if "/practices/practice/" in change:
                found.append(change.replace("/change/", "/delete/"))
    for path in dict.fromkeys(found):
        if path not in opened:
            open_page(path)
    assert len(set(opened)) >= 40, opened
    assert problems == {}


def test_a_practice_with_a_document_fits_1280_px(portal_url, editor_page):
    """A stored document shows its file name («Actualmente: practicas/documentos/<64 hex digits>.pdf»), one long
    word that pushed the form 290 px past a 1280 px screen: it wraps. (The sweep above opens the first
    practice of the list, which has no document.)"""
    page = editor_page
    page.goto(portal_url + "/admin/practices/practice/?q=Sierra+Sur")
    page.locator("#result_list tbody tr th a").first.click()
    page.wait_for_load_state("load")
    assert page.locator("#documents-group td.field-file a").count() == 1
    assert page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]") == [1280, 1280]


def visitor_status(url: str) -> int:
    """The status a visitor (no session) gets."""
    try:
        with urllib.request.urlopen(url) as response:  # noqa: S310 (the test's own server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def excel_csv(rows: list[list]) -> bytes:
    lines = [";".join(str(cell) for cell in row) for row in [HEADER, *rows]]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def figures_rows(page, base: str) -> list[list]:
    """The 2007 figures as exported, each ubigeo as Excel shows it (1, not 01)."""
    page.goto(f"{base}/admin/migration/departmentfigures/export/")
    page.select_option("#id_format", label="csv")
    with page.expect_download() as download:
        page.click("input[type=submit]")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    page.problems.errors.clear()  # a download ends its navigation as "failed"
    rows = [line.split(",") for line in text.strip().splitlines()[1:]]
    return [[row[0], str(int(row[1])), row[2], row[3], row[4], row[5]] for row in rows]


def upload(page, base: str, tmp_path: Path, content: bytes, name: str) -> None:
    page.goto(f"{base}/admin/migration/departmentfigures/import/")
    path = tmp_path / name
    path.write_bytes(content)
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_format", label="csv")
    page.click("input[type=submit]")
    page.wait_for_selector("#import-result-title")


def test_a_semicolon_csv_from_excel_with_a_bad_row_then_fixed(portal_url, editor_page, tmp_path):
    page = editor_page
    rows = figures_rows(page, portal_url)
    by_name = {row[2]: row for row in rows}
    # A correction of a published edition that keeps it coherent: 9,379 emigrants move from Cajamarca to Lima.
    by_name["Cajamarca"][5] = "600000"
    by_name["Lima"][5] = str(int(by_name["Lima"][5]) + 9379)
    line_of_cusco = rows.index(by_name["Cusco"]) + 2
    by_name["Cusco"][4] = "mucho"  # a typo

    upload(page, portal_url, tmp_path, excel_csv(rows), "cifras-excel.csv")
    shot(page, "1-import-preview-with-error")
    assert "El archivo tiene errores en 1 fila: no se importará nada" in page.inner_text("#import-result-title")
    bad = page.locator("td.cell-with-error")
    assert bad.count() == 1
    assert "«mucho» no es un número entero" in bad.inner_text()
    row = page.locator("tr.has-errors")
    assert row.locator("td.import-line").inner_text() == str(line_of_cusco)
    column = page.locator("table.import-preview thead th").nth(
        row.locator("td").evaluate_all("cells => cells.findIndex(c => c.classList.contains('cell-with-error'))")
    )
    assert column.inner_text().lower() == "inmigrantes"
    assert page.locator("input[name=confirm]").count() == 0
    # The summary says where, and takes the editor to the row; the message is whole, inside its cell.
    link = page.locator(".error-summary a")
    assert link.all_inner_texts() == [
        f"Línea {line_of_cusco}, columna «inmigrantes»: «mucho» no es un número entero (p. ej. 1,387,809)."
    ]
    link.click()
    page.wait_for_url(f"**#linea-{line_of_cusco}")
    message = bad.locator(".cell-error")
    assert message.is_visible()
    assert message.evaluate("p => p.scrollWidth <= p.clientWidth")  # not cut off
    box, cell = message.bounding_box(), bad.bounding_box()
    assert box["x"] + box["width"] <= cell["x"] + cell["width"] and box["y"] >= 0
    assert box["y"] + box["height"] <= page.viewport_size["height"]  # in sight after the jump
    heights = page.locator("table.import-preview tbody tr").evaluate_all(
        "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    assert max(heights) < 120  # rows stay short
    assert page.problems.errors == []

    page.goto(f"{portal_url}/migracion/cajamarca/")
    assert "609,379" in page.inner_text("main")  # nothing was written

    by_name["Cusco"][4] = "83328"  # fixed (the stored value)
    upload(page, portal_url, tmp_path, excel_csv(rows), "cifras-excel-corregido.csv")
    shot(page, "2-import-preview-fixed")
    assert page.inner_text("#import-result-title") == "Vista previa"
    kinds = page.locator("table.import-preview tbody td.import-type").all_inner_texts()
    assert kinds.count("Actualizar") == 2 and kinds.count("Sin cambios") == 23
    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist .success")
    shot(page, "3-import-done")
    assert "2 actualizadas, 23 sin cambios" in page.inner_text(".messagelist")
    assert page.problems.errors == []

    page.goto(f"{portal_url}/migracion/cajamarca/")
    assert "600,000" in page.inner_text("main")


def test_a_draft_census_edition_is_prepared_checked_and_published(portal_url, editor_page, tmp_path):
    # An earlier census (1993), so that the server's other tests still read 2007 as the newest edition.
    page = editor_page
    page.goto(f"{portal_url}/admin/migration/censusedition/add/")
    assert page.input_value("#id_status") == "draft"
    page.fill("#id_year", "1993")
    page.fill("#id_title", "Censo 1993")
    page.fill("#id_source", "INEI – Censos Nacionales 1993")
    page.fill("#id_compiler", "CAD Ciudadanos al Día")
    page.fill("#id_attribution", "Elaboración: CAD Ciudadanos al Día, según información del INEI")
    page.fill("#id_national_population", "27,412,157")
    page.fill("#id_born_abroad_share", "0.30")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    # Its figures, imported from a spreadsheet; one of them mistyped.
    source = (Path(__file__).resolve().parents[2] / "data" / "departments_2007.csv").read_text().strip().splitlines()
    rows = [line.split(",") for line in source[1:]]
    rows = [
        ["1993", str(int(ubigeo)), name, population, immigrants, emigrants]
        for ubigeo, name, population, immigrants, emigrants in rows
    ]
    lima = next(row for row in rows if row[2] == "Lima")
    lima[4] = "2800000"
    upload(page, portal_url, tmp_path, excel_csv(rows), "censo-1993.csv")
    kinds = page.locator("table.import-preview tbody td.import-type").all_inner_texts()
    assert kinds == ["Nuevo"] * 25
    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist .success")

    # The public still sees 2007; the editor sees the draft, marked as such.
    assert visitor_status(f"{portal_url}/migracion/?edicion=1993") == 404
    assert page.goto(f"{portal_url}/migracion/?edicion=1993").status == 200
    assert "Borrador" in page.inner_text("body")

    page.goto(f"{portal_url}/admin/migration/censusedition/")
    page.click("#result_list tbody tr:has-text('Censo 1993') th a")
    page.click(".object-tools a:text('Coherencia')")
    shot(page, "4-census-draft-inconsistent")
    problems = page.locator(".consistency-problems li").all_inner_texts()
    assert len(problems) == 1 and problems[0].startswith("La suma de inmigrantes (5,479,151) no es igual")
    assert page.locator("input[name=_publish]").is_disabled()

    page.click("text=Ver y corregir las cifras de esta edición")
    page.fill("#searchbar", "Lima")
    page.press("#searchbar", "Enter")
    page.click("#result_list tbody tr th a")
    page.fill("#id_immigrants", "2,781,145")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    page.goto(f"{portal_url}/admin/migration/censusedition/")
    page.click("#result_list tbody tr:has-text('Censo 1993') th a")
    page.click(".object-tools a:text('Coherencia')")
    assert page.inner_text(".consistency-ok") == "Las cifras son coherentes."
    page.click("input[name=_publish]")
    shot(page, "5-census-publish-confirmation")
    page.click("input[name=_confirmed]")
    page.wait_for_selector(".messagelist .success")
    shot(page, "5-census-published")
    assert page.problems.errors == []

    assert visitor_status(f"{portal_url}/migracion/?edicion=1993") == 200
    page.goto(f"{portal_url}/admin/migration/censusedition/")
    assert "Publicada" in page.locator("#result_list tbody tr", has_text="Censo 1993").inner_text()
