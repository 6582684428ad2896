"""Open data: downloads equal the tables shown, the zip holds what its README lists, charts embed."""

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from django.conf import settings

from practices.models import Practice
from tests.conftest import text_of

pytestmark = pytest.mark.django_db


def table_rows(soup) -> list[list[str]]:
    table = soup.select_one("table.data-table")  # the page's main table, not the charts' data tables
    return [[text_of(cell) for cell in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]


@pytest.mark.parametrize("sort", ["", "-net_migration", "emigrant_share"])
def test_migration_csv_has_the_rows_of_the_table_in_the_same_order(client, get_page, sort):
    query = f"?sort={sort}" if sort else "?"
    _, soup = get_page(f"/migracion/{query}")
    shown = table_rows(soup)
    response = client.get(f"/migracion/{query}&descargar=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="migracion-interna-2007.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["Departamento"] for row in rows] == [row[0] for row in shown]
    lima = next(row for row in rows if row["Departamento"] == "Lima")
    assert lima == {
        "Departamento": "Lima",
        "ubigeo": "15",  # not on the page: what joins the file with other INEI data
        "Población": "8445211",
        "Inmigrantes": "2781145",
        "Emigrantes": "404711",
        "Saldo migratorio": "2376434",
        "% inmigrantes": "32.9",
        "% emigrantes": "4.8",
        "Buenas prácticas": "0",
    }


def test_migration_json_and_xlsx_hold_the_same_values(client):
    data = json.loads(client.get("/migracion/?descargar=json").content)
    assert len(data) == 25 and data[0]["Departamento"] == "Amazonas"
    assert next(row for row in data if row["Departamento"] == "Callao")["% inmigrantes"] == 43.0
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/migracion/?descargar=xlsx&sort=-net_migration").content))
    sheet = workbook.active
    assert sheet.max_row == 26
    assert [cell.value for cell in sheet[1]][:3] == ["Departamento", "ubigeo", "Población"]
    amazonas = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Amazonas")
    assert amazonas[1].value == "01"  # the ubigeo, a text: its zero is kept
    assert (amazonas[7].value, amazonas[7].number_format) == (37, "0.0")  # opens as 37.0, as the page writes it
    # The second sheet says what the table is, where it comes from, under what terms, and the exact view.
    about = {row[0]: row[1] for row in workbook["Fuente"].iter_rows(values_only=True)}
    assert about["Tabla"] == "Población migrante por departamento, censo 2007"
    assert about["Fuente"] == "Elaboración: CAD Ciudadanos al Día, según información del INEI"
    assert about["Licencia"].startswith("Reutilización libre citando la fuente")
    assert about["Dirección"] == f"{settings.SITE_URL}/migracion/?sort=-net_migration"


def test_catalogue_download_follows_the_filters_and_sort(client, get_page):
    _, soup = get_page("/practicas/?departamento=apurimac&sort=-title")
    shown = [text_of(a) for a in soup.select("table.catalogue tbody th a")]
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/practicas/?departamento=apurimac&sort=-title&descargar=csv").content.decode("utf-8-sig")
            )
        )
    )
    assert (
        [row["Práctica"] for row in rows]
        == shown
        == [
            "Sierra Sur: Gestores de su propio desarrollo",
            "Crédito para los que más lo necesitan",
        ]
    )
    assert rows[0]["Departamentos"] == "Apurímac; Arequipa; Cusco; Moquegua; Puno; Tacna"
    assert rows[0]["Dirección"] == f"{settings.SITE_URL}/practicas/sierra-sur/"


def test_the_download_links_keep_filters_and_sort(get_page):
    _, soup = get_page("/practicas/?alcance=regional&sort=title&page=1")
    links = {a.get_text(): a["href"] for a in soup.select(".downloads a")}
    assert set(links) == {"CSV", "JSON", "XLSX"}
    assert "alcance=regional" in links["CSV"] and "sort=title" in links["CSV"] and "page=" not in links["CSV"]


def csv_dicts(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_downloads_from_english_pages_are_in_english(client):
    """Headers, texts, links, file and sheet names in English; numbers stay numbers in every format."""
    response = client.get("/en/migracion/?descargar=csv")
    assert 'filename="internal-migration-2007.csv"' in response["Content-Disposition"]
    rows = csv_dicts(response)
    assert list(rows[0]) == [
        "Department",
        "ubigeo",
        "Population",
        "Immigrants",
        "Emigrants",
        "Net migration",
        "% immigrants",
        "% emigrants",
        "Good practices",
    ]
    cajamarca = next(row for row in rows if row["Department"] == "Cajamarca")
    assert cajamarca["Net migration"] == "-531984"
    assert next(row for row in rows if row["Department"] == "Apurímac")["Good practices"] == "2"

    response = client.get("/en/migracion/?descargar=xlsx")
    assert 'filename="internal-migration-2007.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Figures By Department"
    header, *values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert header[:6] == ["Department", "ubigeo", "Population", "Immigrants", "Emigrants", "Net migration"]
    cajamarca = next(row for row in values if row[0] == "Cajamarca")
    assert cajamarca[1] == "06" and cajamarca[5] == -531984 and cajamarca[8] == 0

    data = json.loads(client.get("/en/migracion/?descargar=json").content)
    assert next(row for row in data if row["Department"] == "Cajamarca")["Net migration"] == -531984

    response = client.get("/en/migracion/reciente/?descargar=csv")
    assert 'filename="recent-migration-2002-2007.csv"' in response["Content-Disposition"]
    rows = csv_dicts(response)
    assert list(rows[0])[:3] == ["Department", "ubigeo", "Population aged 5 and over"]
    assert "Net per 1,000 inh." in rows[0]
    response = client.get("/en/migracion/poblacion/?descargar=xlsx")
    assert 'filename="enumerated-population-1940-2025.xlsx"' in response["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active.title == "Enumerated Population"
    spanish = openpyxl.load_workbook(io.BytesIO(client.get("/migracion/poblacion/?descargar=xlsx").content))
    assert spanish.active.title == "Población Censada"  # not django-tables2's «Export Data»


def test_the_english_catalogue_download_has_english_texts_and_links_with_spanish_where_there_is_none(client):
    Practice.objects.filter(slug="sierra-sur").update(title_en="")
    rows = {row["URL"]: row for row in csv_dicts(client.get("/en/practicas/?descargar=csv"))}
    assert list(next(iter(rows.values()))) == [
        "Practice",
        "Year",
        "Institution",
        "Departments",
        "Category",
        "Programme",
        "Scope",
        "URL",
    ]
    credit = rows[f"{settings.SITE_URL}/en/practicas/credito-solidario-comunidades-campesinas/"]
    assert credit["Practice"] == "Credit for those who need it most"
    assert credit["Category"] == "Promotion of Economic Development"
    assert rows[f"{settings.SITE_URL}/en/practicas/sierra-sur/"]["Practice"] == (
        "Sierra Sur: Gestores de su propio desarrollo"
    )  # no English title: the Spanish one, as the English page shows it


def test_the_data_page_says_which_files_keep_their_spanish_column_names(get_page):
    _, soup = get_page("/datos/")
    assert "Esas descargas están en el idioma de la página" in text_of(soup.main)
    _, soup = get_page("/en/datos/")
    assert "the files on this page always have the same column names, in Spanish" in text_of(soup.main)


def test_spanish_downloads_stay_spanish(client):
    """The English downloads changed nothing in the Spanish ones (also after an English one was served)."""
    client.get("/en/practicas/?descargar=csv")
    rows = csv_dicts(client.get("/practicas/?descargar=csv"))
    credit = next(row for row in rows if "credito-solidario" in row["Dirección"])
    assert credit["Práctica"] == "Crédito para los que más lo necesitan"
    assert credit["Dirección"] == f"{settings.SITE_URL}/practicas/credito-solidario-comunidades-campesinas/"
    response = client.get("/migracion/?descargar=xlsx")
    assert 'filename="migracion-interna-2007.xlsx"' in response["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active.title == "Cifras Por Departamento"


def test_data_page_zip_contains_what_its_readme_lists(client, get_page):
    _, soup = get_page("/datos/")
    listed_on_page = [text_of(code) for code in soup.select("caption code")]
    archive = zipfile.ZipFile(io.BytesIO(client.get(soup.select_one("a[href$='.zip']")["href"]).content))
    readme = archive.read("LEEME.txt").decode()
    names = set(archive.namelist())
    assert names == {"LEEME.txt", "datapackage.json", "datos.xlsx", *listed_on_page}
    for name in listed_on_page:
        assert f"{name}:" in readme
        header = archive.read(name).decode("utf-8-sig").splitlines()[0].split(",")
        for column in header:
            assert f"  {column}:" in readme, (name, column)
    assert "CÓMO CITAR" in readme and "Mozilla" not in readme
    figures = list(csv.DictReader(io.StringIO(archive.read("departamentos.csv").decode("utf-8-sig"))))
    cajamarca = next(row for row in figures if row["departamento"] == "Cajamarca")
    assert cajamarca["saldo_migratorio"] == "-531984"
    practices = list(csv.DictReader(io.StringIO(archive.read("practicas.csv").decode("utf-8-sig"))))
    assert len(practices) == 4
    links = list(csv.DictReader(io.StringIO(archive.read("practicas_departamentos.csv").decode("utf-8-sig"))))
    assert len([row for row in links if row["practica"] == "sierra-sur"]) == 6
    assert "Cómo citar" in text_of(soup) and "Migración interna por departamento, 2007" in text_of(soup)


def test_the_zip_is_a_valid_data_package_whose_ubigeo_keeps_its_leading_zero(client, tmp_path):
    """What a re-user's tools read: frictionless validates the package and reads ubigeo 01 as the text «01»
    (so that Amazonas … Cajamarca join with other INEI data); the workbook keeps it as text and shows 37.0."""
    from frictionless import Package, validate

    zipfile.ZipFile(io.BytesIO(client.get("/datos/portal-migracion-datos.zip").content)).extractall(tmp_path)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(tmp_path / "datapackage.json")
    amazonas = package.get_resource("departamentos").read_rows()[0]
    assert (amazonas["ubigeo"], amazonas["departamento"], float(amazonas["pct_emigrantes"])) == ("01", "Amazonas", 37.0)
    fields = {field.name: field for field in package.get_resource("departamentos").schema.fields}
    assert fields["poblacion"].type == "integer" and fields["poblacion"].custom["unit"] == "personas"
    assert package.licenses[0]["title"].startswith("Reutilización libre citando la fuente")
    assert {resource.name for resource in package.resources} == {
        "departamentos", "poblacion_censos", "nacimiento_y_residencia", "migracion_reciente", "practicas",
        "practicas_departamentos", "cifras_clave",
    }  # fmt: skip
    origin = package.get_resource("nacimiento_y_residencia").read_rows()[0]
    assert (origin["censo"], origin["ubigeo"], origin["departamento"]) == (2025, "01", "Amazonas")
    sheet = openpyxl.load_workbook(tmp_path / "datos.xlsx")["departamentos"]
    assert (sheet["B2"].value, sheet["B2"].number_format) == ("01", "@")
    assert (sheet["I2"].value, sheet["I2"].number_format) == (37, "0.0")


def test_the_zip_members_are_regular_files_anyone_may_read(client):
    """unzip gives the mode stored in the archive: 0600 (writestr's default) left the CSVs readable by their owner
    only, and zipinfo listed them as ``?rw-------`` (no file type)."""
    import stat

    archive = zipfile.ZipFile(io.BytesIO(client.get("/datos/portal-migracion-datos.zip").content))
    modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert "departamentos.csv" in modes and "datos.xlsx" in modes
    assert all(stat.S_ISREG(mode) and stat.S_IMODE(mode) == 0o644 for mode in modes.values()), modes
    assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}


@pytest.mark.parametrize("chart", ["birthplace", "migrants", "immigrant-share", "emigrant-share", "net-migration"])
def test_embed_pages_show_the_chart_alone_and_may_be_framed(client, chart):
    response = client.get(f"/embed/{chart}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert html.count("data-chart-url") == 1 and "Elaboración: CAD Ciudadanos al Día" in html
    assert "site-header" not in html


def test_other_pages_may_not_be_framed_and_offer_the_iframe_snippet(client):
    response = client.get("/migracion/")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert f'&lt;iframe src="{settings.SITE_URL}/embed/net-migration/"' in response.content.decode()
    assert client.get("/embed/no-existe/").status_code == 404


@pytest.mark.parametrize(
    ("url", "filename"),
    [
        ("/en/migracion/?descargar=csv", "internal-migration-2007.csv"),
        ("/en/migracion/balances/?descargar=csv", "balances-by-origin-2025.csv"),
        ("/en/practicas/?descargar=csv", "good-practices.csv"),
        ("/migracion/balances/?descargar=csv", "balances-por-origen-2025.csv"),
    ],
)
def test_every_download_is_named_in_the_pages_language(client, url, filename):
    """The names are messages outside f-strings: xgettext 0.21 extracts no ``_()`` inside one, so makemessages
    dropped their English versions and English pages downloaded Spanish-named files."""
    assert f'filename="{filename}"' in client.get(url)["Content-Disposition"]
