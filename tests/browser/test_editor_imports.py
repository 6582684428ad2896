"""Editors' numbers and imports where an editor meets them: a real browser, a real server (gunicorn), and, for two
editors confirming at the same time, two sessions at once (on PostgreSQL in the PostgreSQL pass).

- a number typed with a decimal comma («12,5») is saved as 12.5, and an entry that reads two ways is asked about;
- INEI's layout (title, header over two rows, names in capitals, PERÚ, notes) imported as it comes, with the
  census chosen on the page; the preview says how the sheet was read;
- two editors confirm imports of the same rows at once: one is written, the other refused saying who changed
  what, and nothing of it is written.

Screenshots for a field trial: PORTAL_SCREENSHOTS (tests/browser/conftest.py, ``shot``).
"""

import csv
import io
import re
import threading
import urllib.error
import urllib.request

import openpyxl
import pytest
from django.db import connection

from tests.browser.conftest import shot
from tests.servers import EDITOR, SECOND_EDITOR, AdminBrowser

pytestmark = pytest.mark.browser

FIGURES_IMPORT = "/admin/migration/departmentfigures/import/"


def current_figures(browser: AdminBrowser) -> dict[str, list[str]]:
    """The 2007 figures as the export writes them, by department name."""
    from urllib.parse import urlencode

    from bs4 import BeautifulSoup

    from tests.html import form_fields

    path = "/admin/migration/departmentfigures/export/"
    _, page = browser.get(path)
    fields = {**form_fields(BeautifulSoup(page, "html.parser").select_one("form:has(#id_format)")), "format": "0"}
    request = urllib.request.Request(  # noqa: S310 (loopback only)
        browser.base + path, data=urlencode(fields).encode(), headers={"Referer": browser.base + path}
    )
    with browser.opener.open(request, timeout=30) as response:
        text = response.read().decode("utf-8-sig")
    return {row[2]: row for row in list(csv.reader(io.StringIO(text)))[1:] if row[:1] == ["2007"]}


def inei_workbook(figures: dict[str, list[str]]) -> bytes:
    """The figures laid out as INEI publishes a table: a title, «Migración de toda la vida» over «Inmigrantes |
    Emigrantes» (merged cells), PERÚ first, names in capitals, a blank row and notes."""
    rows = [[name.upper(), int(row[3]), int(row[4]), int(row[5])] for name, row in figures.items()]
    total = ["PERÚ", *(sum(row[column] for row in rows) for column in (1, 2, 3))]
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["CUADRO Nº 5: POBLACIÓN CENSADA Y MIGRANTE, SEGÚN DEPARTAMENTO, 2007"],
        [],
        ["Departamento", "Población censada", "Migración de toda la vida"],
        [None, None, "Inmigrantes", "Emigrantes"],
        total,
        *rows,
        [],
        ["Fuente: INEI - Censos Nacionales 2007. Elaboración: CAD Ciudadanos al Día."],
    ]:
        sheet.append(row)
    for cells in ("A1:D1", "A3:A4", "B3:B4", "C3:D3"):
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_editor_types_numbers_as_in_spanish_and_imports_an_inei_table_as_it_comes(portal_url, editor_page, tmp_path):
    page = editor_page
    # A key figure with a decimal comma is 12.5, never 125; one that reads two ways is asked about.
    page.goto(f"{portal_url}/admin/practices/keyfigure/")
    page.click("#result_list tbody tr th a")
    figure = page.url
    typed_before = page.input_value("#id_value")
    page.fill("#id_value", "12,5")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    page.goto(figure)
    assert page.input_value("#id_value") == "12.5"  # saved as 12.5 and shown so
    page.fill("#id_value", "1,500")
    page.click("input[name=_save]")
    error = page.locator(".field-value .errorlist").inner_text()
    assert error == "«1,500» se puede leer de dos maneras: 1.5 (con decimales) o 1500 (sin decimales). " + (
        "Escriba 1.5 o 1500, según lo que quiera decir."
    )
    shot(page, "1-numero-con-dos-lecturas")
    page.fill("#id_value", typed_before)  # as it was, for the other tests of this server
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    # INEI's layout, the census chosen on the page.
    browser = AdminBrowser(portal_url)
    browser.login(EDITOR["username"], EDITOR["password"])
    figures = current_figures(browser)
    for column in (4, 5):  # as many more immigrants as emigrants: the published edition stays coherent
        figures["Tumbes"][column] = str(int(figures["Tumbes"][column]) + 100)
    path = tmp_path / "cuadro05.xlsx"
    path.write_bytes(inei_workbook(figures))
    page.goto(portal_url + FIGURES_IMPORT)
    accepted = page.locator("table.import-columns tbody tr").all_inner_texts()
    assert any(line.startswith("Población censada") and "total" in line for line in accepted)
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_format", label="xlsx")
    page.select_option("#id_edition", value="2007")
    page.click("input[type=submit]")
    page.wait_for_selector("#import-result-title")
    shot(page, "2-vista-previa-cuadro-inei")
    assert page.inner_text("#import-result-title") == "Vista previa"
    reading = page.locator(".import-reading").inner_text()
    assert "nombres de las columnas en la línea 3–4" in reading and "fila de total (línea 5) coincide" in reading
    kinds = page.locator("table.import-preview tbody td.import-type").all_inner_texts()
    assert kinds.count("Actualizar") == 1 and kinds.count("Sin cambios") == 24
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # fits 1280 px
    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist .success")
    assert "1 actualizada, 24 sin cambios" in page.inner_text(".messagelist")
    assert page.problems.errors == []


def upload(browser: AdminBrowser, path: str, name: str, content: bytes, fields: dict[str, str]) -> str:
    """The import form posted with a file, as a browser sends it; the preview page."""
    _, page = browser.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    boundary = "----importacion"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in {"csrfmiddlewaretoken": token, "resource": "0", **fields}.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="import_file"; filename="{name}"\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    request = urllib.request.Request(  # noqa: S310 (loopback only)
        browser.base + path,
        data=b"".join(parts) + f"--{boundary}--\r\n".encode(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": browser.base + path},
    )
    with browser.opener.open(request, timeout=30) as response:
        return response.read().decode()


def confirm(browser: AdminBrowser, preview: str) -> tuple[int, str]:
    from urllib.parse import urlencode

    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', preview))
    path = "/admin/migration/departmentfigures/process_import/"
    request = urllib.request.Request(  # noqa: S310 (loopback only)
        browser.base + path, data=urlencode(fields).encode(), headers={"Referer": browser.base + path}
    )
    try:
        with browser.opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_two_editors_confirming_imports_of_the_same_rows_at_once_one_is_refused(portal_url, django_db_blocker):
    editors = []
    for account in (EDITOR, SECOND_EDITOR):
        browser = AdminBrowser(portal_url)
        browser.login(account["username"], account["password"])
        editors.append(browser)
    figures = current_figures(editors[0])
    previews = []
    tacna, tumbes = int(figures["Tacna"][3]), int(figures["Tumbes"][3])
    for number, browser in enumerate(editors, 1):
        # Each editor moves their own number of people from Tumbes to Tacna: the national total stays.
        figures["Tacna"][3], figures["Tumbes"][3] = str(tacna + number), str(tumbes - number)
        lines = [
            ";".join(row)
            for row in [
                ["edicion", "ubigeo", "departamento", "poblacion", "inmigrantes", "emigrantes"],
                *figures.values(),
            ]
        ]
        previews.append(
            upload(
                browser, FIGURES_IMPORT, f"cifras-{number}.csv", "\r\n".join(lines).encode("cp1252"), {"format": "0"}
            )
        )
        assert "Confirmar importación" in previews[-1]

    start = threading.Barrier(2)
    answers = [None, None]

    def confirm_at_once(index):
        start.wait()
        answers[index] = confirm(editors[index], previews[index])

    threads = [threading.Thread(target=confirm_at_once, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(status for status, _page in answers)
    assert statuses == [200, 409]  # 200: the list after the redirect, with «Importación terminada»
    winner = next(index for index, (status, _page) in enumerate(answers) if status == 200)
    refused = answers[1 - winner][1]
    assert "No se importó nada" in refused and "Suba el archivo otra vez" in refused
    if connection.vendor == "postgresql":  # the second waits for the first's rows, then sees its preview is out of date
        assert "2 filas de este archivo cambiaron en el portal" in refused
        assert "«Tacna — Censo 2007»: " + ("Beto Segundo" if winner else "Ana Editora") + ", el " in refused
    stored = current_figures(editors[0])
    assert (stored["Tacna"][3], stored["Tumbes"][3]) == (str(tacna + winner + 1), str(tumbes - winner - 1))
