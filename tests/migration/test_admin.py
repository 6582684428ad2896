"""Department figures in the admin: derived values, validation, CSV/XLSX import and export.

An editor keeps the census figures current; only source figures are entered, the derived
ones (saldo, percentages) are shown read-only, and a bad import file writes nothing.
"""

import csv
import io

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from migration.models import CensusEdition, Department, DepartmentFigures
from tests.factories import CensusEditionFactory
from tests.html import form_data, text_of

HEADER = ["edicion", "ubigeo", "departamento", "poblacion", "inmigrantes", "emigrantes"]
IMPORT_URL = reverse("admin:migration_departmentfigures_import")
EXPORT_URL = reverse("admin:migration_departmentfigures_export")


def format_value(response, label: str) -> str:
    """The value of the "Formato" choice whose label is ``label`` (csv, xlsx…)."""
    soup = BeautifulSoup(response.content, "html.parser")
    return next(option["value"] for option in soup.select("#id_format option") if option.text.strip() == label)


def figures_snapshot() -> dict:
    return {
        (row.edition.year, row.department.ubigeo): (row.population, row.immigrants, row.emigrants)
        for row in DepartmentFigures.objects.select_related("edition", "department")
    }


def migration_row(client, department: str) -> list[str]:
    """The cells of a department's row in the main table of /migracion/, as a visitor reads them."""
    soup = BeautifulSoup(client.get(reverse("migration:index")).content, "html.parser")
    table = soup.select_one("table.data-table")
    row = next(tr for tr in table.select("tbody tr") if tr.th and text_of(tr.th) == department)
    return [text_of(td) for td in row.find_all("td")]


@pytest.fixture
def editor_client(db):
    user = User.objects.create_user("lucho", password="no-se-usa-en-las-pruebas", is_staff=True)
    user.groups.add(Group.objects.get(name="Editores"))
    client = Client()
    client.force_login(user)
    return client


def export(editor_client, label: str):
    page = editor_client.get(EXPORT_URL)
    data = form_data(page, "form:has(#id_format)")  # every column ticked, as the page comes
    data["format"] = format_value(page, label)
    response = editor_client.post(EXPORT_URL, data)
    assert response.status_code == 200
    return response


def exported_csv(editor_client) -> list[list[str]]:
    return list(csv.reader(io.StringIO(export(editor_client, "csv").content.decode("utf-8-sig"))))


def upload(editor_client, rows: list[list], name: str = "cifras.csv"):
    """Choose the file and the csv format on the import page and submit: the dry-run preview."""
    page = editor_client.get(IMPORT_URL)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([HEADER, *rows])
    data = form_data(page, "form:has(#id_import_file)")
    data.update(format=format_value(page, "csv"), import_file=SimpleUploadedFile(name, buffer.getvalue().encode()))
    response = editor_client.post(IMPORT_URL, data)
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


def seed_rows(editor_client) -> dict[str, list[str]]:
    """The exported rows by department name, to be edited and imported again."""
    return {row[2]: row for row in exported_csv(editor_client)[1:]}


# --- Change page and add form ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("department", "field", "shown"),
    [
        ("cajamarca", "net_migration", "−531,984"),
        ("callao", "immigrant_share", "43.0 %"),
        ("lima", "net_migration", "+2,376,434"),
        ("apurimac", "emigrant_share", "53.6 %"),
    ],
)
def test_change_page_shows_the_derived_values_read_only(editor_client, department, field, shown):
    figures = DepartmentFigures.objects.get(edition__year=2007, department__slug=department)
    response = editor_client.get(reverse("admin:migration_departmentfigures_change", args=[figures.pk]))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    row = soup.select_one(f".form-row.field-{field}")
    assert text_of(row.select_one(".readonly")) == shown
    assert row.find(["input", "select", "textarea"]) is None  # computed, not editable
    for source_field in ("population", "immigrants", "emigrants"):
        assert soup.find("input", attrs={"name": source_field}) is not None


def test_changelist_shows_source_and_derived_figures(editor_client):
    soup = BeautifulSoup(
        editor_client.get(reverse("admin:migration_departmentfigures_changelist")).content, "html.parser"
    )
    rows = {text_of(tr.th): [text_of(td) for td in tr.find_all("td")] for tr in soup.select("#result_list tbody tr")}
    assert len(rows) == 25
    assert rows["Callao"][-3:] == ["+229,975", "43.0 %", "16.8 %"]
    assert rows["Cajamarca"][-3:-2] == ["−531,984"]


def edition_page_data(editor_client, edition):
    """The edition's page as drawn, and the inline row index of each department's figures by name."""
    url = reverse("admin:migration_censusedition_change", args=[edition.pk])
    page = editor_client.get(url)
    data = form_data(page, "form#censusedition_form")
    rows = {
        DepartmentFigures.objects.get(pk=data[f"figures-{index}-id"]).department.name: index
        for index in range(int(data["figures-TOTAL_FORMS"]))
    }
    return url, data, rows


@pytest.mark.parametrize(
    ("department", "field", "typed", "reason"),
    [
        ("Cajamarca", "emigrants", "1,500,000", "Emigrantes de Cajamarca: 108.1 % de su población"),
        ("Callao", "immigrants", "37,709", "La suma de inmigrantes (5,120,915) no es igual"),
    ],
)
def test_a_typo_on_a_published_edition_is_refused_with_its_reason(
    client, editor_client, department, field, typed, reason
):
    figures = DepartmentFigures.objects.get(edition__year=2007, department__name=department)
    url = reverse("admin:migration_departmentfigures_change", args=[figures.pk])
    before = migration_row(client, department)
    data = form_data(editor_client.get(url), "form#departmentfigures_form")
    data[field] = typed
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = " ".join(non_field_errors(BeautifulSoup(response.content, "html.parser")))
    assert "Esta edición está publicada" in errors and reason in errors
    assert migration_row(client, department) == before  # the public never saw it


def test_a_correction_of_several_figures_is_saved_together_on_the_edition_page(client, editor_client):
    edition = CensusEdition.objects.get(year=2007)
    url, data, rows = edition_page_data(editor_client, edition)
    assert migration_row(client, "Cajamarca")[3] == "−531,984"
    # Alone, 600,000 emigrants would unbalance Σ immigrants = Σ emigrants; with Lima's 9,379 more it holds.
    lima = DepartmentFigures.objects.get(edition=edition, department__name="Lima")
    data[f"figures-{rows['Cajamarca']}-emigrants"] = "600,000"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Σ inmigrantes" in response.content.decode() or "suma de inmigrantes" in response.content.decode()
    data[f"figures-{rows['Lima']}-emigrants"] = f"{lima.emigrants + 9_379:,}"
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert migration_row(client, "Cajamarca")[2:4] == ["600,000", "−522,605"]  # the public page at once
    figures = DepartmentFigures.objects.get(edition=edition, department__name="Cajamarca")
    soup = BeautifulSoup(
        editor_client.get(reverse("admin:migration_departmentfigures_change", args=[figures.pk])).content,
        "html.parser",
    )
    assert text_of(soup.select_one(".field-net_migration .readonly")) == "−522,605"


def add_figures(editor_client, **values):
    url = reverse("admin:migration_departmentfigures_add")
    data = form_data(editor_client.get(url), "form#departmentfigures_form")
    data.update({key: str(value) for key, value in values.items()})
    response = editor_client.post(url, data)
    soup = BeautifulSoup(response.content, "html.parser")
    return response, soup


def field_errors(soup, field: str) -> list[str]:
    row = soup.select_one(f".form-row.field-{field}")
    return [text_of(li) for li in row.select(".errorlist li")] if row else []


def non_field_errors(soup) -> list[str]:
    return [text_of(li) for li in soup.select(".errorlist.nonfield li")]


@pytest.mark.parametrize("field", ["population", "immigrants", "emigrants"])
def test_add_form_rejects_negative_numbers_in_spanish(editor_client, field):
    edition = CensusEditionFactory(year=2017)
    values = {"population": 100_000, "immigrants": 10_000, "emigrants": 20_000, field: -5}
    department = Department.objects.get(slug="lima")
    response, soup = add_figures(editor_client, edition=edition.pk, department=department.pk, **values)
    assert response.status_code == 200
    assert "Por favor, corrija el siguiente error." in text_of(soup.select_one(".errornote"))
    assert field_errors(soup, field) == ["Asegúrese de que este valor es mayor o igual a 0."]
    assert not DepartmentFigures.objects.filter(edition=edition).exists()


def test_add_form_rejects_more_immigrants_than_population_in_spanish(editor_client):
    edition = CensusEditionFactory(year=2017)
    department = Department.objects.get(slug="lima")
    response, soup = add_figures(
        editor_client, edition=edition.pk, department=department.pk, population=1000, immigrants=1001, emigrants=0
    )
    assert response.status_code == 200
    assert field_errors(soup, "immigrants") == [
        "Los inmigrantes no pueden superar la población del departamento, 1,000."
    ]
    assert non_field_errors(soup) == []
    assert not DepartmentFigures.objects.filter(edition=edition).exists()


def test_add_form_rejects_zero_population_in_spanish(editor_client):
    edition = CensusEditionFactory(year=2017)
    department = Department.objects.get(slug="lima")
    response, soup = add_figures(
        editor_client, edition=edition.pk, department=department.pk, population=0, immigrants=0, emigrants=0
    )
    assert response.status_code == 200
    assert "La población debe ser mayor que cero." in non_field_errors(soup)
    assert not DepartmentFigures.objects.filter(edition=edition).exists()


def test_add_form_rejects_a_second_set_of_figures_for_the_same_department_and_edition(editor_client):
    edition = CensusEdition.objects.get(year=2007)
    department = Department.objects.get(slug="lima")
    before = figures_snapshot()
    response, soup = add_figures(
        editor_client, edition=edition.pk, department=department.pk, population=9000000, immigrants=1, emigrants=1
    )
    assert response.status_code == 200
    assert non_field_errors(soup) == ["Este departamento ya tiene cifras para esta edición del censo."]
    assert figures_snapshot() == before


# --- Import ----------------------------------------------------------------------------------------------------------


def test_import_preview_shows_the_change_and_writes_nothing_until_confirmed(client, editor_client):
    rows = seed_rows(editor_client)
    assert rows["Cajamarca"] == ["2007", "06", "Cajamarca", "1387809", "77395", "609379"]
    rows["Cajamarca"][5] = "600000"
    rows["Lima"][5] = str(int(rows["Lima"][5]) + 9_379)  # the published edition stays balanced
    before = figures_snapshot()
    assert migration_row(client, "Cajamarca")[2:4] == ["609,379", "−531,984"]  # now in the page cache

    response, soup = upload(editor_client, list(rows.values()))

    preview = soup.select_one("table.import-preview")
    assert preview is not None
    kinds = {text_of(tr.select("td")[4]): text_of(tr.select_one(".import-type")) for tr in preview.select("tbody tr")}
    assert kinds.pop("Cajamarca") == kinds.pop("Lima") == "Actualizar"
    assert set(kinds.values()) == {"Sin cambios"}  # the 23 unchanged rows
    assert len(kinds) == 23
    cajamarca = next(tr for tr in preview.select("tr.update") if "Cajamarca" in text_of(tr))
    emigrants = cajamarca.select("td")[7]
    old, new = BeautifulSoup(str(emigrants), "html.parser"), BeautifulSoup(str(emigrants), "html.parser")
    for node in old.find_all("ins"):
        node.decompose()
    for node in new.find_all("del"):
        node.decompose()
    # Figures as the admin lists and the public site write them; the census year and the ubigeo as they are.
    assert (text_of(old).replace(" ", ""), text_of(new).replace(" ", "")) == ("609,379", "600,000")
    assert [text_of(td) for td in cajamarca.select("td")[2:6]] == ["2007", "06", "Cajamarca", "1,387,809"]

    assert figures_snapshot() == before  # a preview writes nothing
    assert migration_row(client, "Cajamarca")[2] == "609,379"

    confirm = soup.select_one("form:has(input[name=import_file_name])")
    assert confirm is not None
    assert confirm["action"] == reverse("admin:migration_departmentfigures_process_import")
    response = editor_client.post(confirm["action"], form_data(response, "form:has(input[name=import_file_name])"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:migration_departmentfigures_changelist")

    after = figures_snapshot()
    assert after[(2007, "06")] == (1387809, 77395, 600000)
    assert after[(2007, "15")][2] == before[(2007, "15")][2] + 9_379
    del after[(2007, "06")], before[(2007, "06")], after[(2007, "15")], before[(2007, "15")]
    assert after == before
    assert migration_row(client, "Cajamarca")[2:4] == ["600,000", "−522,605"]  # on the public page at once


BAD_ROWS = {
    "unknown ubigeo": (
        ["2007", "99", "Atlántida", "100000", "1000", "1000"],
        "No existe un departamento con el código ubigeo o el nombre «99».",
    ),
    "negative number": (
        ["2007", "01", "Amazonas", "375993", "-68777", "139270"],
        "Asegúrese de que este valor es mayor o igual a 0.",
    ),
    "immigrants above population": (
        ["2007", "02", "Áncash", "1063459", "1063460", "389905"],
        "Los inmigrantes no pueden superar la población del departamento, 1,063,459.",
    ),
}


def preview_errors(soup) -> dict[int, str]:
    """Spreadsheet line → the errors the preview shows on that row."""
    errors = {}
    table = soup.select_one("table.import-preview")
    if table is not None:
        for tr in table.select("tbody tr"):
            messages = tr.select(".cell-error")
            if messages:
                errors[int(text_of(tr.select_one("td.import-line")))] = " ".join(text_of(p) for p in messages)
    return errors


def cell_errors(soup) -> dict[tuple[int, str], str]:
    """(spreadsheet line, column name) → the error shown on that cell."""
    table = soup.select_one("table.import-preview")
    columns = [text_of(th) for th in table.select("thead th")]
    found = {}
    for tr in table.select("tbody tr"):
        line = int(text_of(tr.select_one("td.import-line")))
        for column, td in zip(columns, tr.find_all("td"), strict=True):
            if td.select(".cell-error"):
                found[(line, column)] = " ".join(text_of(p) for p in td.select(".cell-error"))
    return found


@pytest.mark.parametrize("case", BAD_ROWS)
def test_a_file_with_one_bad_row_shows_its_error_and_writes_nothing(client, editor_client, case):
    bad_row, message = BAD_ROWS[case]
    rows = seed_rows(editor_client)
    rows["Cusco"][3] = "1200000"  # a good change in the same file
    rows["Lima"][4] = "2800000"
    good = [rows["Cusco"], rows["Lima"], rows["Piura"]]
    before = figures_snapshot()
    history_before = DepartmentFigures.history.count()
    migration_row(client, "Cusco")  # cached

    _, soup = upload(editor_client, [good[0], good[1], bad_row, good[2]])

    assert preview_errors(soup) == {4: message}  # the third data row is line 4 of the spreadsheet
    assert soup.select_one("input[name=import_file_name]") is None  # nothing to confirm
    assert "Confirmar importación" not in soup.get_text()
    assert figures_snapshot() == before
    assert DepartmentFigures.history.count() == history_before
    assert migration_row(client, "Cusco")[0] == "1,171,403"


def test_a_file_with_several_bad_rows_shows_every_row_error_and_writes_nothing(editor_client):
    rows = seed_rows(editor_client)
    rows["Cusco"][3] = "1200000"
    before = figures_snapshot()
    bad = [bad_row for bad_row, _ in BAD_ROWS.values()]

    _, soup = upload(editor_client, [rows["Cusco"], *bad, rows["Piura"]])

    assert preview_errors(soup) == {3 + i: message for i, (_, message) in enumerate(BAD_ROWS.values())}
    assert soup.select_one("input[name=import_file_name]") is None
    assert figures_snapshot() == before


# --- Export ----------------------------------------------------------------------------------------------------------


def test_export_csv_has_the_25_departments_with_their_source_figures(editor_client):
    response = export(editor_client, "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert ".csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert len(rows) == 26
    by_name = {row[2]: row for row in rows[1:]}
    assert by_name["Callao"] == ["2007", "07", "Callao", "876877", "377090", "147115"]
    assert sum(int(row[3]) for row in rows[1:]) == 27_412_157


def test_export_xlsx_opens_in_a_spreadsheet_with_25_data_rows(editor_client):
    response = export(editor_client, "xlsx")
    assert ".xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    data = [row for row in rows[1:] if any(cell is not None for cell in row)]
    assert len(data) == 25
    cajamarca = next(row for row in data if row[2] == "Cajamarca")
    assert [int(value) for value in cajamarca[3:]] == [1387809, 77395, 609379]


# --- Numbers as the public site writes them (issue 15, item 1) -------------------------------------------------------


def test_inputs_show_the_whole_figure_and_lists_format_it(editor_client):
    figures = DepartmentFigures.objects.get(edition__year=2007, department__slug="cajamarca")
    soup = BeautifulSoup(
        editor_client.get(reverse("admin:migration_departmentfigures_change", args=[figures.pk])).content,
        "html.parser",
    )
    assert soup.find("input", attrs={"name": "population"})["value"] == "1,387,809"
    assert soup.find("input", attrs={"name": "emigrants"})["value"] == "609,379"
    changelist = BeautifulSoup(
        editor_client.get(reverse("admin:migration_departmentfigures_changelist")).content, "html.parser"
    )
    rows = {
        text_of(tr.th): [text_of(td) for td in tr.find_all("td")] for tr in changelist.select("#result_list tbody tr")
    }
    assert rows["Cajamarca"][1:4] == ["1,387,809", "77,395", "609,379"]  # after the edition
    editions = BeautifulSoup(
        editor_client.get(reverse("admin:migration_censusedition_changelist")).content, "html.parser"
    )
    assert "27,412,157" in text_of(editions.select_one("#result_list"))


def test_figures_typed_with_thousands_separators_are_read_whole(editor_client):
    CensusEdition.objects.filter(year=2007).update(status=CensusEdition.Status.DRAFT)  # one figure alone
    figures = DepartmentFigures.objects.get(edition__year=2007, department__slug="cajamarca")
    url = reverse("admin:migration_departmentfigures_change", args=[figures.pk])
    data = form_data(editor_client.get(url), "form#departmentfigures_form")
    assert data["population"] == "1,387,809"  # posted back as shown
    data["emigrants"] = "600,000"
    assert editor_client.post(url, data).status_code == 302
    figures.refresh_from_db()
    assert (figures.population, figures.emigrants) == (1_387_809, 600_000)


def test_too_many_immigrants_is_an_error_by_its_field_quoting_the_population(editor_client):
    figures = DepartmentFigures.objects.get(edition__year=2007, department__slug="cajamarca")
    url = reverse("admin:migration_departmentfigures_change", args=[figures.pk])
    data = form_data(editor_client.get(url), "form#departmentfigures_form")
    data["immigrants"] = "2,000,000"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert field_errors(soup, "immigrants") == [
        "Los inmigrantes no pueden superar la población del departamento, 1,387,809."
    ]
    assert soup.find("input", attrs={"name": "immigrants"})["value"] == "2,000,000"
    assert non_field_errors(soup) == []
    assert field_errors(soup, "population") == []
    figures.refresh_from_db()
    assert figures.immigrants == 77_395


def test_a_figure_that_is_not_a_number_is_refused_in_spanish(editor_client):
    figures = DepartmentFigures.objects.get(edition__year=2007, department__slug="cajamarca")
    url = reverse("admin:migration_departmentfigures_change", args=[figures.pk])
    data = form_data(editor_client.get(url), "form#departmentfigures_form")
    data["population"] = "1.387.809,5"
    soup = BeautifulSoup(editor_client.post(url, data).content, "html.parser")
    assert field_errors(soup, "population") == [
        "«1.387.809,5» tiene decimales; aquí va un número entero (p. ej. 1,387,809)."
    ]
