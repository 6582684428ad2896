"""Editors keep the censuses' populations and recent migration in the admin: every invariant is checked at entry.

Per row (model validation and database constraints): enumerated − immigrants = native present;
native total − emigrants = native present; positive populations. Per census (where the figures are
edited together: the census's page, the import, the loader): the departments add up to the national
total; Σ recent immigrants = Σ recent emigrants.
"""

import csv
import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from migration.models import CensusEdition, CensusPopulation, Department, PopulationCensus, RecentMigration
from tests.html import form_data, form_fields, text_of

pytestmark = pytest.mark.django_db

YEARS_WITH_POPULATION = (1940, 1961, 1972, 1981, 1993, 2007, 2017, 2025)


@pytest.fixture
def editor_client():
    user = User.objects.create_user("rosa", password="no-se-usa-en-las-pruebas", is_staff=True)
    user.groups.add(Group.objects.get(name="Editores"))
    client = Client()
    client.force_login(user)
    return client


def census_page(editor_client, year: int):
    census = PopulationCensus.objects.get(year=year)
    url = reverse("admin:migration_populationcensus_change", args=[census.pk])
    response = editor_client.get(url)
    return url, response, form_data(response, "form#populationcensus_form")


def inline_prefix(data: dict, field: str, value: str) -> str:
    """The inline form prefix (``populations-3``) whose ``field`` has ``value``."""
    return next(
        key.removesuffix(f"-{field}") for key, item in data.items() if key.endswith(f"-{field}") and item == value
    )


def errors_of(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(text_of(node) for node in soup.select(".errornote, .errorlist"))


# --- Per-row invariants: model validation and database constraints ------------------------------------------------


def recent_area(**changes) -> RecentMigration:
    area = RecentMigration.objects.get(name="Cusco")
    for name, value in changes.items():
        setattr(area, name, value)
    return area


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"immigrants": 38235},  # enumerated − immigrants no longer equals native present
            "Población de 5 años y más − inmigrantes debe ser igual a la población residente que no se movió.",
        ),
        (
            {"emigrants": 68360},
            "Población que residía cinco años antes − emigrantes debe ser igual a la población residente "
            "que no se movió.",
        ),
    ],
)
def test_recent_migration_row_must_balance_in_validation_and_in_the_database(changes, message):
    area = recent_area(**changes)
    with pytest.raises(ValidationError) as error:
        area.full_clean()
    assert message in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        area.save()


def test_a_census_population_must_be_positive():
    figure = CensusPopulation.objects.get(census__year=1940, department__slug="lima")
    figure.population = 0
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "La población debe ser mayor que cero." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        CensusPopulation.objects.filter(pk=figure.pk).update(population=0)


def test_census_date_must_be_in_the_census_year():
    census = PopulationCensus.objects.get(year=1940)
    census.census_date = census.census_date.replace(year=1941)
    with pytest.raises(ValidationError) as error:
        census.full_clean()
    assert "La fecha del censo debe caer en el año del censo." in error.value.messages


# --- The census page: the departments add up, recent migration balances ------------------------------------------


def test_changing_one_department_alone_is_refused_because_the_census_would_not_add_up(client, editor_client):
    lima = Department.objects.get(slug="lima")
    url, _, data = census_page(editor_client, 2017)
    prefix = inline_prefix(data, "department", str(lima.pk))
    data[f"{prefix}-population"] = "9485406"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert (
        "Las poblaciones de los departamentos del censo 2017 suman 29,381,885, no el total nacional 29,381,884"
        in errors_of(response)
    )
    assert CensusPopulation.objects.get(census__year=2017, department=lima).population == 9485405


def test_changing_a_department_and_the_national_total_together_is_saved_with_history(client, editor_client):
    lima = Department.objects.get(slug="lima")
    history_before = CensusPopulation.history.count()
    assert "9,485,405" in client.get("/migracion/poblacion/").content.decode()  # now in the page cache
    url, _, data = census_page(editor_client, 2017)
    prefix = inline_prefix(data, "department", str(lima.pk))
    data[f"{prefix}-population"] = "9485406"
    data["national_population"] = "29381885"
    response = editor_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    assert CensusPopulation.objects.get(census__year=2017, department=lima).population == 9485406
    assert CensusPopulation.history.count() == history_before + 1
    page = client.get("/migracion/poblacion/").content.decode()
    assert "9,485,406" in page and "29,381,885" in page  # at once: the content version changed


def test_census_page_shows_every_figure_whole_and_grouped_and_saves_it_back_unchanged(editor_client):
    lima = Department.objects.get(slug="lima")
    url, response, data = census_page(editor_client, 2017)
    prefix = inline_prefix(data, "department", str(lima.pk))
    assert data["national_population"] == "29,381,884"
    assert data[f"{prefix}-population"] == "9,485,405"  # all seven digits, as the public pages write them
    cusco = inline_prefix(census_page(editor_client, 2007)[2], "name", "Cusco")
    assert census_page(editor_client, 2007)[2][f"{cusco}-immigrants"] == "38,234"
    history = CensusPopulation.history.count(), RecentMigration.history.count()
    response = editor_client.post(url, data)  # saved as the page came
    assert response.status_code == 302, errors_of(response)
    assert (CensusPopulation.history.count(), RecentMigration.history.count()) == history


@pytest.mark.parametrize(
    ("list_name", "figure"),
    [
        ("admin:migration_populationcensus_changelist", "29,381,884"),
        ("admin:migration_censuspopulation_changelist", "9,485,405"),
        ("admin:migration_recentmigration_changelist", "38,234"),
        ("admin:migration_censusedition_changelist", "27,412,157"),
    ],
)
def test_lists_write_figures_as_the_public_site_does(editor_client, list_name, figure):
    page = editor_client.get(reverse(list_name) + "?all=")
    cells = BeautifulSoup(page.content, "html.parser").select("#result_list td")
    assert figure in [text_of(cell) for cell in cells]
    assert figure.replace(",", "") not in page.content.decode()


def filter_choices(page, title: str) -> list[str]:
    """The choices a list's filter offers (without «Todo»); none when the list does not show the filter."""
    soup = BeautifulSoup(page.content, "html.parser")
    details = [d for d in soup.select("#changelist-filter details") if text_of(d.summary) == title]
    return [text_of(li) for li in details[0].select("li")][1:] if details else []


def test_list_filters_offer_only_censuses_that_have_rows(editor_client):
    # Every census has department populations: all seven are offered.
    page = editor_client.get(reverse("admin:migration_censuspopulation_changelist"))
    assert filter_choices(page, "Por censo") == [f"Censo {year}" for year in YEARS_WITH_POPULATION]
    # Only the 2007 census has recent migration (and only one edition has department figures): a filter with a
    # single choice would filter nothing, so the list shows none, instead of seven censuses six of them empty.
    page = editor_client.get(reverse("admin:migration_recentmigration_changelist"))
    assert filter_choices(page, "Por censo") == []
    assert "Censo 1940" not in text_of(BeautifulSoup(page.content, "html.parser").select_one("#changelist"))
    page = editor_client.get(reverse("admin:migration_departmentfigures_changelist"))
    assert filter_choices(page, "Por edición") == []
    # Once a second census has recent migration, the filter offers exactly those two.
    census_1993 = PopulationCensus.objects.get(year=1993)
    RecentMigration.objects.bulk_create(  # as the loader would: a balanced census (in = out)
        [
            RecentMigration(census=census_1993, **fields)
            for fields in RecentMigration.objects.filter(census__year=2007).values(
                "name", "population_5plus", "native_total", "native_present", "immigrants", "emigrants"
            )
        ]
    )
    page = editor_client.get(reverse("admin:migration_recentmigration_changelist"))
    assert filter_choices(page, "Por censo") == ["Censo 1993", "Censo 2007"]


def test_recent_migration_that_no_longer_balances_is_refused_on_the_census_page(editor_client):
    url, _, data = census_page(editor_client, 2007)
    prefix = inline_prefix(data, "name", "Cusco")
    # the row stays consistent in itself (enumerated − immigrants = native present) but Σ in ≠ Σ out
    data[f"{prefix}-immigrants"] = "38334"
    data[f"{prefix}-population_5plus"] = "1043794"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "La suma de inmigrantes recientes (1,429,674) debe ser igual a la de emigrantes recientes (1,429,574)" in (
        errors_of(response)
    )
    assert RecentMigration.objects.get(name="Cusco").immigrants == 38234


def readonly_figures(page) -> dict[str, str]:
    soup = BeautifulSoup(page.content, "html.parser")
    return {text_of(row.label).rstrip(":"): text_of(row.select_one(".readonly")) for row in soup.select(".form-row")}


def test_standalone_rows_are_view_only_their_census_page_edits_them(editor_client):
    """Their own pages show each figure as the public site writes it (not 9485405), derived ones too."""
    figure = CensusPopulation.objects.get(census__year=2017, department__slug="lima")
    response = editor_client.get(reverse("admin:migration_censuspopulation_change", args=[figure.pk]))
    assert response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").find("input", attrs={"name": "population"}) is None
    assert readonly_figures(response)["Población censada"] == "9,485,405"
    assert readonly_figures(response)["Nota 1/ del INEI (límites del censo)"] == "No"  # in words, not an icon
    assert editor_client.get(reverse("admin:migration_censuspopulation_add")).status_code == 403
    recent = RecentMigration.objects.get(census__year=2007, name="Cusco")
    figures = readonly_figures(editor_client.get(reverse("admin:migration_recentmigration_change", args=[recent.pk])))
    # 38,234 immigrants − 68,361 emigrants
    assert (figures["Inmigrantes recientes"], figures["Saldo migratorio reciente"]) == ("38,234", "−30,127")


# --- Import: all rows or none ------------------------------------------------------------------------------------


def upload(editor_client, model: str, header: list[str], rows: list[list]):
    url = reverse(f"admin:migration_{model}_import")
    page = editor_client.get(url)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    data = form_data(page, "form:has(#id_import_file)")
    soup = BeautifulSoup(page.content, "html.parser")
    data["format"] = next(o["value"] for o in soup.select("#id_format option") if o.text.strip().lower() == "csv")
    data["import_file"] = SimpleUploadedFile("cifras.csv", buffer.getvalue().encode())
    response = editor_client.post(url, data)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


POPULATION_HEADER = ["censo", "ubigeo", "departamento", "poblacion", "nota_limites_inei", "fuente"]
RECENT_HEADER = [
    "censo",
    "ubigeo",
    "name",
    "population_enumerated_5plus",
    "native_population_total",
    "native_population_present",
    "immigrants_2002_2007",
    "emigrants_2002_2007",
    "fuente",
]


def test_importing_a_population_that_breaks_the_national_total_writes_nothing(editor_client):
    soup = upload(editor_client, "censuspopulation", POPULATION_HEADER, [[2017, "15", "Lima", 9485000, 0, "INEI"]])
    assert "suman 29,381,479, no el total nacional 29,381,884" in soup.get_text()
    assert soup.select_one("input[name=import_file_name]") is None
    assert CensusPopulation.objects.get(census__year=2017, department__slug="lima").population == 9485405


def test_importing_a_consistent_population_change_previews_it(editor_client):
    # Lima loses what Callao gains: the census still adds up
    rows = [[2017, "15", "Lima", 9485305, 0, "INEI"], [2017, "07", "Callao", 994594, 0, "INEI"]]
    soup = upload(editor_client, "censuspopulation", POPULATION_HEADER, rows)
    assert soup.select_one("input[name=import_file_name]") is not None, soup.get_text()[:2000]


def test_importing_recent_migration_that_does_not_balance_writes_nothing(editor_client):
    row = [2007, "08", "Cusco", 1043794, 1073821, 1005460, 38334, 68361, "INEI"]
    soup = upload(editor_client, "recentmigration", RECENT_HEADER, [row])
    assert "La suma de inmigrantes recientes (1,429,674)" in soup.get_text()
    assert RecentMigration.objects.get(name="Cusco").immigrants == 38234


def test_exported_recent_migration_can_be_imported_back_with_an_english_source(editor_client):
    page = editor_client.get(reverse("admin:migration_recentmigration_export"))
    data = form_data(page, "form:has(#id_format)")  # every column ticked, as the page comes
    soup = BeautifulSoup(page.content, "html.parser")
    data["format"] = next(o["value"] for o in soup.select("#id_format option") if o.text.strip().lower() == "csv")
    response = editor_client.post(reverse("admin:migration_recentmigration_export"), data)
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == [*RECENT_HEADER, "fuente_en"]
    cusco = next(row for row in rows if row[2] == "Cusco")
    assert cusco[-1].startswith("INEI – 2007 National Censuses")
    cusco[-1] = "INEI – 2007 National Censuses (Statistical Compendium, table 3.43), checked by the editor"
    soup = upload(editor_client, "recentmigration", header, [cusco])
    assert "checked by the editor" in soup.get_text(), soup.get_text()[:2000]
    confirm = soup.select_one("form:has(input[name=import_file_name])")
    response = editor_client.post(confirm["action"], form_fields(confirm))
    assert response.status_code == 302
    assert RecentMigration.objects.get(name="Cusco").source_en.endswith("checked by the editor")


def cusco_recent_row(ubigeo: str) -> list:
    """Cusco's row of data/recent_migration_2002_2007.csv as an editor would import it, with this ubigeo."""
    with (settings.BASE_DIR / "data" / "recent_migration_2002_2007.csv").open(encoding="utf-8") as handle:
        row = next(row for row in csv.DictReader(handle) if row["name"] == "Cusco")
    return [2007, ubigeo, *(row[column] for column in RECENT_HEADER[2:-1]), "INEI, revisado"]


def test_recent_migration_import_refuses_an_unknown_ubigeo_instead_of_dropping_it(editor_client):
    soup = upload(editor_client, "recentmigration", RECENT_HEADER, [cusco_recent_row("99")])
    assert "No existe un departamento con el código ubigeo o el nombre «99»." in soup.get_text()
    assert soup.select_one("input[name=import_file_name]") is None
    assert list(RecentMigration.objects.get(name="Cusco").departments.values_list("ubigeo", flat=True)) == ["08"]


def test_recent_migration_import_refuses_an_empty_ubigeo_instead_of_emptying_the_area(editor_client):
    soup = upload(editor_client, "recentmigration", RECENT_HEADER, [cusco_recent_row(" ")])
    assert "Falta este dato." in soup.get_text()
    assert soup.select_one("input[name=import_file_name]") is None
    assert list(RecentMigration.objects.get(name="Cusco").departments.values_list("ubigeo", flat=True)) == ["08"]


def test_recent_migration_import_reads_a_ubigeo_without_its_zero(editor_client):
    soup = upload(editor_client, "recentmigration", RECENT_HEADER, [cusco_recent_row("8")])  # as a spreadsheet shows 08
    confirm = soup.select_one("form:has(input[name=import_file_name])")
    assert confirm is not None, soup.get_text()[:2000]
    assert editor_client.post(confirm["action"], form_fields(confirm)).status_code == 302
    cusco = RecentMigration.objects.get(name="Cusco")
    assert cusco.source == "INEI, revisado"
    assert list(cusco.departments.values_list("ubigeo", flat=True)) == ["08"]


# --- The loader ----------------------------------------------------------------------------------------------------


def test_loader_creates_nothing_twice_and_keeps_an_editors_change():
    CensusPopulation.objects.filter(census__year=1940, department__slug="lima").update(source="Editado")
    RecentMigration.objects.filter(name="Lima y Callao").update(source="Editado")
    counts = (PopulationCensus.objects.count(), CensusPopulation.objects.count(), RecentMigration.objects.count())
    output = io.StringIO()
    call_command("load_portal_data", stdout=output)
    assert "población por censo: 0 nuevos" in output.getvalue()
    assert "migración reciente: 0 nuevos" in output.getvalue()
    assert counts == (8, 200, 24)
    assert (
        PopulationCensus.objects.count(),
        CensusPopulation.objects.count(),
        RecentMigration.objects.count(),
    ) == counts
    assert CensusPopulation.objects.get(census__year=1940, department__slug="lima").source == "Editado"
    assert RecentMigration.objects.get(name="Lima y Callao").source == "Editado"


def test_loader_fills_in_a_deleted_figure_without_touching_the_others():
    CensusPopulation.objects.filter(census__year=1961, department__slug="puno").delete()
    call_command("load_portal_data", stdout=io.StringIO())
    assert CensusPopulation.objects.get(census__year=1961, department__slug="puno").population == 686260
    lima_callao = RecentMigration.objects.get(name="Lima y Callao")
    assert sorted(lima_callao.departments.values_list("ubigeo", flat=True)) == ["07", "15"]


def test_an_editions_share_born_abroad_is_written_as_the_public_site_writes_it(editor_client):
    edition = CensusEdition.objects.get(year=2007)
    assert edition.born_abroad_share == Decimal("0.30")
    page = editor_client.get(reverse("admin:migration_censusedition_changelist"))
    cells = [text_of(td) for td in BeautifulSoup(page.content, "html.parser").select("#result_list td")]
    assert "0.3" in cells and "0.30" not in cells
    url = reverse("admin:migration_censusedition_change", args=[edition.pk])
    data = form_data(editor_client.get(url), "form#censusedition_form")
    assert data["born_abroad_share"] == "0.3"
    data["born_abroad_share"] = "0.35"
    response = editor_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    edition.refresh_from_db()
    assert edition.born_abroad_share == Decimal("0.35")
