"""Importing real spreadsheets in the admin (portal/core/imports/), as editors and INEI have them.

Each test uploads a file the way the import page does, reads the preview as the editor sees it
(line numbers of the spreadsheet, errors on their cells, how the sheet was read) and checks what was
written. Files are made here, in code: CSV as Excel saves it (Windows-1252 and semicolons, or UTF-8 and
commas) and XLSX with INEI's titles, merged header cells, department names, a total row and notes.
"""

import csv
import datetime
import io
import zipfile

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from migration.models import Department, DepartmentFigures, PopulationCensus
from portal.core.cache import read_content_version
from portal.core.imports.table import MAX_ROWS
from portal.core.models import PendingImport
from practices.models import Practice
from tests.html import form_data, text_of

IMPORT_URL = reverse("admin:migration_departmentfigures_import")
EXPORT_URL = reverse("admin:migration_departmentfigures_export")
HEADER = ["edicion", "ubigeo", "departamento", "poblacion", "inmigrantes", "emigrantes"]


def make_editor(username: str) -> Client:
    user = User.objects.create_user(username, password="no-se-usa-en-las-pruebas", is_staff=True)
    user.groups.add(Group.objects.get(name="Editores"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(db):
    return make_editor("lucho")


def format_value(page, label: str) -> str:
    soup = BeautifulSoup(page.content, "html.parser")
    return next(option["value"] for option in soup.select("#id_format option") if option.text.strip() == label)


def upload_bytes(client, content: bytes, name: str, label: str, url: str = IMPORT_URL, **choices):
    page = client.get(url)
    data = form_data(page, "form:has(#id_import_file)")
    data.update(format=format_value(page, label), import_file=SimpleUploadedFile(name, content), **choices)
    response = client.post(url, data)
    return response, BeautifulSoup(response.content, "html.parser")


def excel_csv(rows: list[list], delimiter: str = ";") -> bytes:
    """A CSV as a Spanish-language Excel saves it: semicolons, CRLF, Windows-1252."""
    lines = [delimiter.join(str(cell) for cell in row) for row in [HEADER, *rows]]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def seed_rows() -> dict[str, list]:
    """The stored figures of 2007 as rows of a spreadsheet, by department name."""
    return {
        row.department.name: [
            2007,
            row.department.ubigeo,
            row.department.name,
            row.population,
            row.immigrants,
            row.emigrants,
        ]
        for row in DepartmentFigures.objects.select_related("department").filter(edition__year=2007)
    }


def coherent_change(rows: dict[str, list], emigrants: int = 600000) -> None:
    """Cajamarca's emigrants set to ``emigrants`` and Lima's moved by as many: Σ emigrants stays Σ immigrants, as
    the published 2007 edition requires (a change that breaks a rule of a published edition is refused)."""
    difference = rows["Cajamarca"][5] - emigrants
    rows["Cajamarca"][5] = emigrants
    rows["Lima"][5] += difference


def snapshot() -> dict:
    return {
        (row.edition.year, row.department.ubigeo): (row.population, row.immigrants, row.emigrants)
        for row in DepartmentFigures.objects.select_related("edition", "department")
    }


def preview(soup) -> dict[int, dict]:
    """Spreadsheet line → {"kind": …, column: cell text, "errors": {column: error}}."""
    table = soup.select_one("table.import-preview")
    assert table is not None, text_of(soup.select_one("#content"))
    columns = [text_of(th) for th in table.select("thead th")]
    rows = {}
    for tr in table.select("tbody tr"):
        cells = tr.find_all("td")
        row = {"kind": text_of(cells[1]), "errors": {}}
        for column, td in zip(columns, cells, strict=True):
            errors = [text_of(p) for p in td.select(".cell-error")]
            for p in td.select(".cell-error"):
                p.decompose()
            row[column] = text_of(td)
            if errors:
                row["errors"][column] = " ".join(errors)
        rows[int(row["Línea"])] = row
    return rows


def confirm(client, response):
    data = form_data(response, "form:has(input[name=import_file_name])")
    return client.post(reverse("admin:migration_departmentfigures_process_import"), data)


def test_a_semicolon_csv_saved_by_excel_with_dropped_zeros_imports(client, editor_client):
    rows = seed_rows()
    for row in rows.values():
        row[1] = str(int(row[1]))  # Excel shows 01 as 1
    coherent_change(rows)
    before = snapshot()

    response, soup = upload_bytes(editor_client, excel_csv(list(rows.values())), "cifras.csv", "csv")

    shown = preview(soup)
    assert len(shown) == 25
    assert all(not row["errors"] for row in shown.values())
    kinds = {row["departamento"]: row["kind"] for row in shown.values()}
    assert (kinds.pop("Cajamarca"), kinds.pop("Lima")) == ("Actualizar", "Actualizar")
    assert set(kinds.values()) == {"Sin cambios"}
    assert snapshot() == before
    assert "Se leyó: CSV separado por punto y coma, Windows-1252" in text_of(soup.select_one(".import-reading"))
    version = read_content_version()

    assert confirm(editor_client, response).status_code == 302
    after = snapshot()
    assert after.pop((2007, "06")) == (1387809, 77395, 600000)
    assert after.pop((2007, "15"))[2] == before.pop((2007, "15"))[2] + 9379
    before.pop((2007, "06"))
    assert after == before
    assert not PendingImport.objects.exists()  # nothing left waiting
    record = DepartmentFigures.history.filter(department__ubigeo="06").latest("history_id")
    assert (record.history_user.username, record.history_change_reason) == ("lucho", "Importación de «cifras.csv»")
    assert read_content_version() != version  # every cached page shows the import at once
    message = text_of(
        BeautifulSoup(
            editor_client.get(reverse("admin:migration_departmentfigures_changelist")).content, "html.parser"
        ).select_one(".messagelist")
    )
    assert message == "Importación terminada (cifras por departamento): 0 filas nuevas, 2 actualizadas, 23 sin cambios."


def test_a_bad_row_shows_its_error_on_its_cell_with_the_spreadsheet_line_and_nothing_is_written(editor_client):
    rows = seed_rows()
    coherent_change(rows)  # a good change
    data = list(rows.values())
    data[10] = [2007, "99", "Atlántida", 100000, 1000, 1000]  # line 12 of the spreadsheet
    data[3][4] = "muchos"  # line 5
    before, history = snapshot(), DepartmentFigures.history.count()

    response, soup = upload_bytes(editor_client, excel_csv(data), "cifras.csv", "csv")

    shown = preview(soup)
    assert {line: row["errors"] for line, row in shown.items() if row["errors"]} == {
        5: {"inmigrantes": "«muchos» no es un número entero (p. ej. 1,387,809)."},
        12: {"ubigeo": "No existe un departamento con el código ubigeo o el nombre «99»."},
    }
    assert "El archivo tiene errores en 2 filas: no se importará nada" in text_of(
        soup.select_one("#import-result-title")
    )
    assert soup.select_one("input[name=import_file_name]") is None
    assert "Traceback" not in response.content.decode()
    assert snapshot() == before
    assert DepartmentFigures.history.count() == history


def test_the_summary_lists_every_error_with_its_line_and_column_and_links_to_its_row(editor_client):
    rows = seed_rows()
    data = list(rows.values())
    data[6][4] = "sesenta"  # line 8 of the spreadsheet
    data[10][1] = "99"  # line 12
    data[10][5] = "mil"  # line 12 as well

    _, soup = upload_bytes(editor_client, excel_csv(data), "cifras.csv", "csv")

    summary = soup.select(".error-summary li a")
    assert [text_of(a) for a in summary] == [
        "Línea 8, columna «inmigrantes»: «sesenta» no es un número entero (p. ej. 1,387,809).",
        "Línea 12, columna «ubigeo»: No existe un departamento con el código ubigeo o el nombre «99».",
        "Línea 12, columna «emigrantes»: «mil» no es un número entero (p. ej. 1,387,809).",
    ]
    for link in summary:
        row = soup.select_one(link["href"])  # #linea-8: the row of that line in the preview
        assert row.name == "tr"
        assert text_of(row.select_one(".import-line")) == link["href"].removeprefix("#linea-")
        assert row.select_one(".cell-with-error .cell-error")
    shown = preview(soup)
    assert shown[8]["poblacion"] == f"{data[6][3]:,}"  # the row with errors shows its figures grouped too
    assert shown[8]["edicion"] == "2007"


def test_the_import_page_lists_the_names_each_column_is_read_by_and_gives_an_example_file(editor_client):
    soup = BeautifulSoup(editor_client.get(IMPORT_URL).content, "html.parser")
    columns = {
        text_of(row.select("td")[1]): (text_of(row.select("td")[2]), text_of(row.select("td")[3]))
        for row in soup.select("table.import-columns tbody tr")
    }
    assert list(columns) == ["edicion", "ubigeo", "poblacion", "inmigrantes", "emigrantes"]
    assert "departamento" in columns["ubigeo"][0] and "total" in columns["poblacion"][0]
    assert columns["edicion"][1] == "sí, o elíjala abajo"
    assert soup.select_one("#id_edition option[value='2007']")  # the census of every row, for a file without it

    example = editor_client.get(soup.select_one("a[download]")["href"])
    assert example["Content-Disposition"] == 'attachment; filename="ejemplo-cifras-por-departamento.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(example.content)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    _, soup = upload_bytes(editor_client, example.content, "ejemplo.xlsx", "xlsx")
    assert {row["kind"] for row in preview(soup).values()} == {"Sin cambios"}  # the example imports as it is


EXPORTS = {
    "admin:migration_departmentfigures_export": (
        "cifras-por-departamento",
        ["Edición («edicion»)", "Departamento (código ubigeo o nombre) («ubigeo»)"],
    ),
    "admin:migration_censuspopulation_export": (
        "poblacion-por-censo",
        ["Censo («censo»)", "Departamento (código ubigeo o nombre) («ubigeo»)"],
    ),
    "admin:migration_recentmigration_export": (
        "migracion-reciente",
        [
            "Censo («censo»)",
            "Departamentos del área (códigos ubigeo o nombres, separados por +) («ubigeo»)",
            "Área («name»)",
            "Población censada de 5 años y más («population_enumerated_5plus»)",
        ],
    ),
    "admin:practices_practice_export": (
        "buenas-practicas",
        ["Dirección web (parte final) («slug»)", "Título («titulo»)", "Resumen («resumen»)"],
    ),
}


@pytest.mark.parametrize("name", EXPORTS)
def test_every_export_names_its_columns_and_its_file_in_spanish(editor_client, name):
    file_name, first_labels = EXPORTS[name]
    page = editor_client.get(reverse(name))
    soup = BeautifulSoup(page.content, "html.parser")
    labels = [text_of(label) for label in soup.select(".selectable-field-export-row label:not(.export-select-all)")]
    assert labels[: len(first_labels)] == first_labels
    assert all(label.endswith("»)") and "«" in label for label in labels)  # every one with its column name
    assert not any(word in " ".join(labels) for word in ("Census", "Department", "Source", "Population", " En "))

    data = form_data(page, "form:has(#id_format)")
    data["format"] = format_value(page, "xlsx")
    response = editor_client.post(reverse(name), data)
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="{file_name}-{today}.xlsx"'
    # its sheet named as the admin's list is (not «Tablib Dataset»)
    title = text_of(soup.select_one(".breadcrumbs a:nth-of-type(3)"))
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == [title]


def test_an_xlsx_with_numbers_for_codes_imports(editor_client):
    rows = seed_rows()
    coherent_change(rows)
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows.values():
        book.active.append([row[0], int(row[1]), row[2], row[3], row[4], row[5]])  # 1, not "01"
    buffer = io.BytesIO()
    book.save(buffer)

    response, soup = upload_bytes(editor_client, buffer.getvalue(), "cifras.xlsx", "xlsx")

    shown = preview(soup)
    assert [row["kind"] for row in shown.values()].count("Actualizar") == 2
    assert confirm(editor_client, response).status_code == 302
    assert DepartmentFigures.objects.get(edition__year=2007, department__slug="cajamarca").emigrants == 600000


def test_an_unchanged_export_imports_as_all_skipped_and_writes_nothing(editor_client):
    page = editor_client.get(EXPORT_URL)
    data = form_data(page, "form:has(#id_format)")
    data["format"] = format_value(page, "csv")
    exported = editor_client.post(EXPORT_URL, data).content
    history = DepartmentFigures.history.count()

    _, soup = upload_bytes(editor_client, exported, "cifras.csv", "csv")

    assert {row["kind"] for row in preview(soup).values()} == {"Sin cambios"}
    assert text_of(soup.select_one("#import-result-title")) == "El archivo no cambia nada"
    assert soup.select_one("input[name=import_file_name]") is None
    assert DepartmentFigures.history.count() == history


def test_an_unchanged_practices_export_imports_as_all_skipped(editor_client):
    practice = Practice.objects.get(slug="sierra-sur")
    practice.body = practice.body.replace("\n", "\r\n")  # as a browser's textarea sends it
    practice.save()
    url = reverse("admin:practices_practice_export")
    page = editor_client.get(url)
    data = form_data(page, "form:has(#id_format)")
    data["format"] = format_value(page, "csv")
    exported = editor_client.post(url, data).content
    history = Practice.history.count()

    _, soup = upload_bytes(editor_client, exported, "practicas.csv", "csv", reverse("admin:practices_practice_import"))

    assert {row["kind"] for row in preview(soup).values()} == {"Sin cambios"}
    assert Practice.history.count() == history


def test_a_practices_export_resaved_by_excel_changes_only_what_the_editor_changed(editor_client):
    """Excel in Spanish saves the times as «7/12/2026 06:45» (no seconds) with semicolons in Windows-1252: only the
    title typed over is a change, in the preview and in the history — not the publication time."""
    url = reverse("admin:practices_practice_export")
    page = editor_client.get(url)
    data = form_data(page, "form:has(#id_format)")
    data["format"] = format_value(page, "csv")
    rows = list(csv.DictReader(io.StringIO(editor_client.post(url, data).content.decode("utf-8-sig"))))
    for row in rows:
        row["publicacion"] = datetime.datetime.fromisoformat(row["publicacion"]).strftime("%-d/%-m/%Y %H:%M")
    sierra = next(row for row in rows if row["slug"] == "sierra-sur")
    sierra["titulo"] = "Sierra Sur: gestores rurales de su propio desarrollo"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)

    import_url = reverse("admin:practices_practice_import")
    response, soup = upload_bytes(editor_client, buffer.getvalue().encode("cp1252"), "practicas.csv", "csv", import_url)
    assert sorted(row["kind"] for row in preview(soup).values()) == ["Actualizar"] + ["Sin cambios"] * (len(rows) - 1)
    assert "1 fila del archivo cambiará (marcada «Actualizar» o «Nuevo»); las demás quedan sin cambios." in text_of(
        soup.select_one("form.import-confirm")
    )
    # the words typed are marked in the title as the preview shows it, the old one above the new one
    old, new = soup.select("table.import-preview td .text-comparison")[:2]
    assert (old.get_text(), new.get_text()) == ("Sierra Sur: Gestores de su propio desarrollo", sierra["titulo"])
    assert "rurales" in " ".join(text_of(ins) for ins in new.select("ins"))
    data = form_data(response, "form:has(input[name=import_file_name])")
    assert editor_client.post(reverse("admin:practices_practice_process_import"), data).status_code == 302

    newest, previous = Practice.history.filter(slug="sierra-sur")[:2]
    assert [change.field for change in newest.diff_against(previous).changes] == ["title"]
    history = editor_client.get(reverse("admin:practices_practice_history", args=[newest.id]))
    first = text_of(BeautifulSoup(history.content, "html.parser").select_one("#change-history tbody tr"))
    assert "Cambio (Importación de «practicas.csv»)" in first  # the history says how the change came


def test_the_import_page_says_what_a_cell_of_choices_may_say_and_when_a_total_row_is_checked(editor_client):
    soup = BeautifulSoup(editor_client.get(reverse("admin:practices_practice_import")).content, "html.parser")
    columns = {
        text_of(tr.select("td")[1]): text_of(tr.select("td")[0]) for tr in soup.select(".import-columns tbody tr")
    }
    assert (columns["estado"], columns["alcance"]) == (
        "Estado: «Borrador» o «Publicada»",
        "Alcance: «Regional» o «Nacional»",
    )
    assert "PERÚ, Total" not in text_of(soup.select_one("#content"))  # practices have no total row
    figures = BeautifulSoup(editor_client.get(IMPORT_URL).content, "html.parser")
    assert "La fila de total (PERÚ, Total) tampoco: se compara con la suma de las filas." in text_of(figures)


def test_a_file_too_large_is_refused_with_a_clear_message(editor_client, settings, tmp_path):
    # Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE are written to a file in FILE_UPLOAD_TEMP_DIR: a small limit
    # so that this one is, and a folder of its own, so that other programs writing to /tmp do not count.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    content = excel_csv([[2007, "01", "Amazonas", 1, 1, 1]] * 250_000)  # about 6 MB
    _, soup = upload_bytes(editor_client, content, "enorme.csv", "csv")
    assert "el máximo es 5 MB" in text_of(soup.select_one(".errorlist"))
    assert not PendingImport.objects.exists()
    assert list(tmp_path.iterdir()) == []  # no copy left in the temp folder


def test_too_many_rows_are_refused_with_a_clear_message(editor_client):
    content = excel_csv([[2007, "01", "Amazonas", 1, 1, 1]] * (MAX_ROWS + 1))
    response, soup = upload_bytes(editor_client, content, "filas.csv", "csv")
    assert response.status_code == 200
    assert text_of(soup.select_one(".file-errors")) == (
        "El archivo tiene 2,001 filas de datos; el máximo es 2,000: impórtelo en partes."
    )
    assert not soup.select("table.import-preview")


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 30_000_000)
    assert len(buffer.getvalue()) < 100_000
    return buffer.getvalue()


def ods() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    return buffer.getvalue()


UNREADABLE = {
    "bomba.xlsx": (zip_bomb, "El libro XLSX ocupa 30 MB al descomprimirlo; el máximo es 25 MB."),
    "cifras.xlsx": (lambda: b"PK\x03\x04 garbage", "El archivo no es un libro XLSX válido."),
    "basura.csv": (lambda: b"\x00\x01garbage", "El archivo no es una hoja de cálculo CSV ni un libro XLSX."),
    "viejo.xls": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "Es un libro de Excel 97-2003 (.xls): ábralo en Excel y guárdelo como «Libro de Excel (.xlsx)» o como CSV, "
        "y súbalo otra vez.",
    ),
    "hoja.ods": (
        ods,
        "Es una hoja de LibreOffice (.ods): guárdela como «Libro de Excel (.xlsx)» o como CSV y súbala otra vez.",
    ),
}


@pytest.mark.parametrize("name", UNREADABLE)
def test_a_file_that_cannot_be_read_gets_a_spanish_message_whatever_format_was_chosen(editor_client, name):
    content, message = UNREADABLE[name]
    response, soup = upload_bytes(editor_client, content(), name, "csv")  # the format chosen does not matter
    assert response.status_code == 200
    assert text_of(soup.select_one(".errorlist")) == message
    assert not PendingImport.objects.exists()


def test_the_confirmation_belongs_to_its_editor_and_session(editor_client):
    rows = seed_rows()
    coherent_change(rows)
    response, _ = upload_bytes(editor_client, excel_csv(list(rows.values())), "cifras.csv", "csv")
    data = form_data(response, "form:has(input[name=import_file_name])")
    process = reverse("admin:migration_departmentfigures_process_import")
    before = snapshot()

    other_editor = make_editor("pepa")
    assert other_editor.post(process, data).status_code == 302  # back to the import page, nothing done
    same_editor_other_session = Client()
    same_editor_other_session.force_login(User.objects.get(username="lucho"))
    assert same_editor_other_session.post(process, data).status_code == 302
    for name in ("../../etc/passwd", "cifras.csv", "tmpabc123"):
        assert editor_client.post(process, {**data, "import_file_name": name}).status_code == 302
    assert snapshot() == before
    assert PendingImport.objects.count() == 1

    assert editor_client.post(process, data).status_code == 302
    assert snapshot()[(2007, "06")] == (1387809, 77395, 600000)


def test_the_confirmation_validates_again_and_writes_all_rows_or_none(editor_client):
    rows = seed_rows()
    coherent_change(rows)
    response, soup = upload_bytes(editor_client, excel_csv(list(rows.values())), "cifras.csv", "csv")
    assert not any(row["errors"] for row in preview(soup).values())
    before = snapshot()
    Department.objects.filter(slug="ucayali").update(ubigeo="26")  # the file's code 25 no longer exists

    response = confirm(editor_client, response)

    assert response.status_code == 409
    soup = BeautifulSoup(response.content, "html.parser")
    assert text_of(soup.select_one("#import-result-title")) == "No se importó nada"
    assert preview(soup)[26]["errors"] == {"ubigeo": "No existe un departamento con el código ubigeo o el nombre «25»."}
    after = snapshot()
    assert after[(2007, "06")] == before[(2007, "06")]  # the good row was not written either
    assert not PendingImport.objects.exists()


def practices_csv(editor_client) -> list[dict]:
    import csv

    url = reverse("admin:practices_practice_export")
    page = editor_client.get(url)
    data = form_data(page, "form:has(#id_format)")
    data["format"] = format_value(page, "csv")
    return list(csv.DictReader(io.StringIO(editor_client.post(url, data).content.decode("utf-8-sig"))))


def semicolon(rows: list[dict]) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("cp1252", errors="replace")


def test_practice_departments_with_dropped_zeros_are_read_and_unknown_codes_are_cell_errors(editor_client):
    rows = practices_csv(editor_client)
    piura = next(row for row in rows if row["slug"] == "exportacion-banano-organico-piura")
    piura["ubigeos"] = "20;2"  # Piura and Áncash, as Excel shows 02
    response, soup = upload_bytes(
        editor_client, semicolon(rows), "practicas.csv", "csv", reverse("admin:practices_practice_import")
    )
    kinds = [row["kind"] for row in preview(soup).values()]
    assert kinds.count("Actualizar") == 1, kinds
    data = form_data(response, "form:has(input[name=import_file_name])")
    assert editor_client.post(reverse("admin:practices_practice_process_import"), data).status_code == 302
    practice = Practice.objects.get(slug="exportacion-banano-organico-piura")
    assert sorted(practice.departments.values_list("ubigeo", flat=True)) == ["02", "20"]

    piura["ubigeos"] = "20;99"
    _, soup = upload_bytes(
        editor_client, semicolon(rows), "practicas.csv", "csv", reverse("admin:practices_practice_import")
    )
    errors = {line: row["errors"] for line, row in preview(soup).items() if row["errors"]}
    assert list(errors.values()) == [{"ubigeos": "No existe un departamento con el código ubigeo o el nombre «99»."}]


EXPORT_URLS = [
    "admin:migration_departmentfigures_export",
    "admin:migration_censuspopulation_export",
    "admin:migration_recentmigration_export",
    "admin:practices_practice_export",
]


@pytest.mark.parametrize("name", EXPORT_URLS)
@pytest.mark.parametrize("query", ["?format=0", "?resource=x", "?export_items=abc", "?fecha=2007"])
def test_an_export_link_with_a_filter_the_list_does_not_have_gets_a_clear_400(editor_client, name, query):
    response = editor_client.get(reverse(name) + query)
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert [text_of(h1) for h1 in soup.select("h1")] == ["Filtro no válido"]  # once
    assert "No se exportó nada." in text_of(soup.select_one("#content"))
    assert soup.select_one(f"a[href='{reverse(name)}']").text == "Exportar la lista completa, sin filtros"


def test_an_export_link_with_the_lists_own_filter_still_offers_the_export(editor_client):
    response = editor_client.get(reverse("admin:practices_practice_export") + "?status__exact=published")
    assert response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").select_one("#id_format")


# Sheets as INEI publishes them --------------------------------------------------------------------------------

INEI_NAMES = {"Ancash": "ÁNCASH", "Callao": "PROV. CONSTITUCIONAL DEL CALLAO"}


def inei_table(rows: dict[str, list], total_offset: int = 0) -> list[list]:
    """The 2007 figures laid out as INEI and CAD publish them: a title, a header over two rows («Migración de toda
    la vida» over «Inmigrantes | Emigrantes»), PERÚ first, department names in capitals, blank rows, notes."""
    figures = [row[3:6] for row in rows.values()]
    total = [sum(column) for column in zip(*figures, strict=True)]
    total[0] += total_offset
    blank = [None, None, None, None]
    return [
        ["CUADRO Nº 5: POBLACIÓN CENSADA Y MIGRANTE, SEGÚN DEPARTAMENTO, 2007", None, None, None],
        blank,
        ["Departamento", "Población censada", "Migración de toda la vida", None],
        [None, None, "Inmigrantes", "Emigrantes"],
        ["PERÚ", *total],
        blank,
        *[[INEI_NAMES.get(name, name.upper()), *row[3:6]] for name, row in rows.items()],
        blank,
        ["Nota: población censada, sin la omisión censal.", None, None, None],
        ["Fuente: INEI - Censos Nacionales 2007. Elaboración: CAD Ciudadanos al Día.", None, None, None],
    ]


def inei_xlsx(table: list[list], merged=("A1:D1", "A3:A4", "B3:B4", "C3:D3")) -> bytes:
    """A workbook as INEI's: a presentation sheet first, then the table with its merged title and header cells."""
    book = openpyxl.Workbook()
    book.active.title = "Presentación"
    book.active.append(["Cuadros de migración interna, 2007"])
    sheet = book.create_sheet("CUADRO05")
    for row in table:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def inei_csv(table: list[list], delimiter: str, encoding: str, thousands: str) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in table:
        writer.writerow(
            [
                "" if cell is None else f"{cell:,}".replace(",", thousands) if isinstance(cell, int) else cell
                for cell in row
            ]
        )
    return buffer.getvalue().encode(encoding)


INEI_FILES = {
    "xlsx": ("cuadro05.xlsx", inei_xlsx),
    "csv;cp1252": ("cuadro05.csv", lambda table: inei_csv(table, ";", "cp1252", ".")),
    "csv,utf-8": ("cuadro05.csv", lambda table: inei_csv(table, ",", "utf-8-sig", ",")),
}


@pytest.mark.parametrize("kind", INEI_FILES)
def test_a_sheet_as_inei_publishes_it_imports_as_it_comes(editor_client, kind):
    rows = seed_rows()
    coherent_change(rows)
    name, make = INEI_FILES[kind]
    table = inei_table(rows)

    response, soup = upload_bytes(editor_client, make(table), name, name.rsplit(".")[-1], edition="2007")

    shown = preview(soup)
    assert len(shown) == 25 and not any(row["errors"] for row in shown.values())
    callao_line = next(index for index, row in enumerate(table, 1) if row[0] == "PROV. CONSTITUCIONAL DEL CALLAO")
    assert shown[callao_line]["ubigeo"] == "07" and shown[callao_line]["kind"] == "Sin cambios"
    assert [row["kind"] for row in shown.values()].count("Actualizar") == 2
    reading = [text_of(li) for li in soup.select(".import-reading li")]
    assert reading[0].endswith("nombres de las columnas en la línea 3–4.")
    assert reading[1:] == [
        "La fila de total (línea 5) coincide con la suma de las filas y no se importa.",
        "Se omitieron 2 filas de notas o títulos (líneas 33, 34).",
        "La columna «edicion» no está en el archivo: todas las filas llevan 2007, elegido en esta página.",
    ]
    if kind == "xlsx":
        assert "hoja «CUADRO05» del libro XLSX" in reading[0]
        assert confirm(editor_client, response).status_code == 302
        assert snapshot()[(2007, "06")] == (1387809, 77395, 600000)


def test_a_total_row_that_is_not_the_sum_of_the_rows_is_named_once_and_nothing_is_read(editor_client):
    table = inei_table(seed_rows(), total_offset=1000)
    _, soup = upload_bytes(editor_client, inei_xlsx(table), "cuadro05.xlsx", "xlsx", edition="2007")
    assert [text_of(li) for li in soup.select(".file-errors li")] == [
        "La fila de total «PERÚ» (línea 5) dice 27,413,157 en «poblacion», pero las filas suman 27,412,157 "
        "(diferencia: 1,000). Revise si falta o sobra una fila, o quite la fila de total."
    ]
    assert not soup.select("table.import-preview") and soup.select_one("input[name=import_file_name]") is None


def test_missing_columns_are_named_once_at_the_top(editor_client):
    without_department = excel_csv([[2007, 1000, 10, 10]]).replace(b"ubigeo;departamento;", b"")
    _, soup = upload_bytes(editor_client, without_department, "cifras.csv", "csv")
    assert [text_of(li) for li in soup.select(".file-errors li")] == [
        "Falta la columna Departamento (código ubigeo o nombre) («ubigeo»). La fila de nombres encontrada (línea 1) "
        "tiene: «edicion», «poblacion», «inmigrantes», «emigrantes»."
    ]

    # Practices that are new need their summary and text: both are named, once, and no row is listed.
    new_rows = "Título;Año;Categoría;Institución;slug\r\n" + "".join(
        f"Práctica {number};2009;{Practice.objects.first().category.name};{Practice.objects.first().institution.name};"
        f"nueva-{number}\r\n"
        for number in range(150)
    )
    response, soup = upload_bytes(
        editor_client, new_rows.encode("cp1252"), "practicas.csv", "csv", reverse("admin:practices_practice_import")
    )
    assert [text_of(li) for li in soup.select(".file-errors li")] == [
        "Faltan las columnas Resumen («resumen»), Texto («texto»). La fila de nombres encontrada (línea 1) tiene: "
        "«Título», «Año», «Categoría», «Institución», «slug»."
    ]
    assert "no puede" not in response.content.decode() and not soup.select("table.import-preview")


def test_a_confirmation_whose_preview_is_out_of_date_is_refused_saying_who_changed_what(editor_client):
    rows = seed_rows()
    coherent_change(rows, emigrants=600000)
    mine, _ = upload_bytes(editor_client, excel_csv(list(rows.values())), "mias.csv", "csv")

    other = make_editor("pepa")
    User.objects.filter(username="pepa").update(first_name="Pepa", last_name="Quispe")
    rows = seed_rows()
    coherent_change(rows, emigrants=610000)
    theirs, _ = upload_bytes(other, excel_csv(list(rows.values())), "suyas.csv", "csv")
    assert confirm(other, theirs).status_code == 302

    response = confirm(editor_client, mine)

    assert response.status_code == 409
    soup = BeautifulSoup(response.content, "html.parser")
    messages = [text_of(li) for li in soup.select(".file-errors li")]
    assert messages[0] == "No se importó nada: desde su vista previa, 2 filas de este archivo cambiaron en el portal."
    saved = DepartmentFigures.history.filter(department__ubigeo="06").latest("history_date").history_date
    when = date_format(timezone.localtime(saved), "j N Y, H:i")  # as every editor message writes a moment
    assert messages[1] == f"«Cajamarca — Censo 2007»: Pepa Quispe, el {when} (Importación de «suyas.csv»): Emigrantes."
    assert snapshot()[(2007, "06")] == (1387809, 77395, 610000)  # hers stays


def test_new_practices_with_their_departments_are_written_with_their_history(editor_client):
    rows = practices_csv(editor_client)
    model = dict(rows[0])
    new = []
    for number in range(3):
        row = dict(model, slug=f"nueva-practica-{number}", titulo=f"Nueva práctica {number}", ubigeos="Cajamarca;6;01")
        new.append(row)
    response, soup = upload_bytes(
        editor_client, semicolon(new), "nuevas.csv", "csv", reverse("admin:practices_practice_import")
    )
    assert [row["kind"] for row in preview(soup).values()] == ["Nuevo"] * 3
    data = form_data(response, "form:has(input[name=import_file_name])")
    assert editor_client.post(reverse("admin:practices_practice_process_import"), data).status_code == 302

    practice = Practice.objects.get(slug="nueva-practica-1")
    assert sorted(practice.departments.values_list("ubigeo", flat=True)) == ["01", "06"]
    record = practice.history.get()
    assert record.history_type == "+" and record.history_user.username == "lucho"
    assert sorted(link.department.ubigeo for link in record.departments.all()) == ["01", "06"]  # as on save()


def test_a_census_table_by_department_province_and_age_imports_its_departments_with_lima_in_one_row(editor_client):
    """INEI's 2025 tables: «Departamento, provincia, distrito y edad simple», provinces, districts and ages under
    each department, Lima in two parts (Lima Metropolitana 1/, Región Lima 2/), EXTRANJERO, PERÚ first."""
    populations = {department.ubigeo: 100_000 + int(department.ubigeo) for department in Department.objects.all()}
    census = PopulationCensus.objects.create(  # a census of its own: the seed has the real 2025 one
        year=2035,
        census_date="2035-09-17",
        national_population=sum(populations.values()),
        source="INEI – Censos Nacionales 2035",
    )
    rows = [
        ["CUADRO Nº 1: POBLACIÓN CENSADA, SEGÚN DEPARTAMENTO, PROVINCIA, DISTRITO Y EDADES SIMPLES, 2025", None, None],
        ["Departamento, provincia, \ndistrito y edad simple", "Total", "Población"],
        [None, None, "Hombre"],
        ["PERÚ", census.national_population + 500, 1],
        ["Menores de 1 año", 7, 1],
    ]
    for department in Department.objects.order_by("ubigeo"):
        population = populations[department.ubigeo]
        if department.ubigeo == "15":
            rows += [["LIMA METROPOLITANA 1/", population - 1000, 1], ["PROVINCIA LIMA", population - 1000, 1]]
            rows += [["REGIÓN LIMA 2/", 1000, 1], ["DISTRITO ASIA", 10, 1]]
        else:
            rows += [[department.name.upper(), population, 1], [f"PROVINCIA {department.name.upper()}", 5, 1]]
            rows += [["De 5 a 9 años", 3, 1], ["10 años", 1, 1]]
    rows += [
        ["EXTRANJERO", 500, 1],
        [None, None, None],
        ["Nota: 1/ Comprende los 43 distritos de la provincia de Lima.", None, None],
    ]
    url = reverse("admin:migration_censuspopulation_import")

    workbook = inei_xlsx(rows, merged=("A1:C1", "A2:A3", "B2:B3"))
    response, soup = upload_bytes(
        editor_client, workbook, "inddem01.xlsx", "xlsx", url, census="2035", source="INEI, cuadro INDDEM01"
    )

    shown = preview(soup)
    assert [row["kind"] for row in shown.values()] == ["Nuevo"] * 25
    lima_line = next(line for line, row in enumerate(rows, 1) if row[0] == "LIMA METROPOLITANA 1/")
    assert shown[lima_line]["poblacion"] == f"{populations['15']:,}"  # its two parts added up
    reading = " ".join(text_of(li) for li in soup.select(".import-reading li"))
    assert f"Las líneas {lima_line} y {lima_line + 2} son partes de un mismo departamento" in reading
    assert "Se omitieron 75 filas que detallan otras" in reading and "(línea 4) coincide" in reading
    data = form_data(response, "form:has(input[name=import_file_name])")
    assert editor_client.post(reverse("admin:migration_censuspopulation_process_import"), data).status_code == 302
    stored = dict(census.populations.values_list("department__ubigeo", "population"))
    assert stored == populations
    assert set(census.populations.values_list("source", flat=True)) == {"INEI, cuadro INDDEM01"}


def test_a_department_written_twice_is_an_error_of_its_second_line(editor_client):
    rows = list(seed_rows().values())
    rows.append(list(rows[5]))  # Cajamarca again, at the end (line 27)
    _, soup = upload_bytes(editor_client, excel_csv(rows), "cifras.csv", "csv")
    errors = {line: row["errors"] for line, row in preview(soup).items() if row["errors"]}
    assert errors == {27: {"ubigeo": "Esta fila repite la de la línea 7: cada fila va una sola vez."}}
