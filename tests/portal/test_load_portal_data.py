"""``manage.py load_portal_data``: loads what is missing, creates nothing twice, never overwrites an edit."""

import csv
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from migration.models import (
    CensusEdition,
    CensusPopulation,
    Department,
    DepartmentFigures,
    DepartmentPart,
    PopulationCensus,
    RecentMigration,
)
from portal.core.models import ContentBlock
from practices.models import Category, Institution, KeyFigure, Practice

DATA_DIR = settings.BASE_DIR / "data"
MIGRATION_BLOCKS = {
    "migracion_introduccion": "Migración interna",
    "cifras_por_departamento": "Cifras por departamento",
    "poblacion_inmigrante": "Población inmigrante",
    "poblacion_emigrante": "Población emigrante",
    "saldo_migratorio": "Saldo migratorio",
}


def load() -> str:
    out = StringIO()
    call_command("load_portal_data", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    """Rows of every model of the portal's apps, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for label in ("migration", "portal", "practices")
        for model in apps.get_app_config(label).get_models()
    }


def read_csv(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_second_run_creates_nothing(db):
    before = counts()
    assert before["migration.DepartmentFigures"] == 25
    output = load()
    assert counts() == before
    for label in ("ediciones del censo", "cifras por departamento", "bloques de texto", "buenas prácticas"):
        assert f"{label}: 0 nuevos" in output


def test_second_run_keeps_editors_changes(db, get_page):
    # An editor corrects a figure, rewrites a text and the source line, in the admin (saves, with history).
    figures = DepartmentFigures.objects.get(edition__year=2007, department__slug="tacna")
    figures.immigrants = 106_100
    figures.save()
    block = ContentBlock.objects.get(key="poblacion_inmigrante")
    block.body = "Texto revisado por la editora: Tacna ([[inmigrantes:tacna]])."
    block.save()
    edition = CensusEdition.objects.get(year=2007)
    edition.attribution = "Elaboración: CAD Ciudadanos al Día (revisado)"
    edition.save()
    department = Department.objects.get(slug="ancash")
    department.name = "Áncash"
    department.save()
    before = counts()

    load()

    assert counts() == before
    figures.refresh_from_db()
    block.refresh_from_db()
    edition.refresh_from_db()
    department.refresh_from_db()
    assert figures.immigrants == 106_100
    assert block.body == "Texto revisado por la editora: Tacna ([[inmigrantes:tacna]])."
    assert edition.attribution == "Elaboración: CAD Ciudadanos al Día (revisado)"
    assert department.name == "Áncash"
    assert not Department.objects.filter(name="Ancash").exists()

    # Visitors see the edited content, not the shipped one.
    _, soup = get_page("/migracion/")
    text = soup.get_text(" ")
    assert "Texto revisado por la editora: Tacna (106,100)." in text
    assert "Elaboración: CAD Ciudadanos al Día (revisado)" in text
    assert "Áncash" in text


def test_editor_deleted_practice_is_recreated_only_if_missing(db):
    """The loader creates what is missing, by its natural key, and nothing else."""
    ContentBlock.objects.filter(key="saldo_migratorio").delete()
    before = counts()
    output = load()
    assert "bloques de texto: 1 nuevos" in output
    assert ContentBlock.objects.get(key="saldo_migratorio").title == "Saldo migratorio"
    after = counts()
    assert after["portal.ContentBlock"] == before["portal.ContentBlock"] + 1
    assert after["migration.DepartmentFigures"] == before["migration.DepartmentFigures"]


@pytest.fixture
def empty_database(db):
    """Everything the loader creates is deleted (inside the test's transaction): figures before what they protect."""
    RecentMigration.objects.all().delete()
    CensusPopulation.objects.all().delete()
    DepartmentPart.objects.all().delete()
    PopulationCensus.objects.all().delete()
    KeyFigure.objects.all().delete()
    Practice.objects.all().delete()
    Category.objects.all().delete()
    Institution.objects.all().delete()
    DepartmentFigures.objects.all().delete()
    CensusEdition.objects.all().delete()
    Department.objects.all().delete()
    ContentBlock.objects.all().delete()
    for model in (KeyFigure, Practice, Category, Institution, DepartmentFigures, CensusEdition, Department):
        assert not model.objects.exists()
    assert not ContentBlock.objects.exists()


def test_first_run_on_an_empty_database(empty_database):
    output = load()

    narrative_files = sorted(path.stem for path in (DATA_DIR / "narrative").glob("*.md"))
    assert "ediciones del censo: 1 nuevos" in output
    assert "cifras por departamento: 25 nuevos" in output
    assert "censos de población: 8 nuevos" in output  # 1940–2017 and 2025
    assert "población por censo: 200 nuevos" in output
    assert "partes de departamentos: 2 nuevos" in output  # Lima Metropolitana, Región Lima
    assert "migración reciente: 24 nuevos" in output
    assert f"bloques de texto: {len(narrative_files)} nuevos" in output

    edition = CensusEdition.objects.get()
    assert edition.year == 2007
    assert edition.national_population == 27_412_157
    assert edition.born_abroad_share == Decimal("0.30")
    assert edition.attribution == "Elaboración: CAD Ciudadanos al Día, según información del INEI"

    source = read_csv("departments_2007.csv")
    assert Department.objects.count() == 25
    assert DepartmentFigures.objects.count() == 25
    stored = {
        row.department.ubigeo: (row.department.name, row.population, row.immigrants, row.emigrants)
        for row in DepartmentFigures.objects.select_related("department")
    }
    assert stored == {
        row["ubigeo"]: (row["name"], int(row["population_2007"]), int(row["immigrants"]), int(row["emigrants"]))
        for row in source
    }
    assert set(Department.objects.values_list("slug", flat=True)) >= {"apurimac", "la-libertad", "madre-de-dios"}

    # The five blocks of the migration pages (and the catalogue's introduction, also in data/narrative/).
    blocks = ContentBlock.objects.by_key(*MIGRATION_BLOCKS)
    assert {key: block.title for key, block in blocks.items()} == MIGRATION_BLOCKS
    assert sorted(ContentBlock.objects.values_list("key", flat=True)) == narrative_files
    assert "[[inmigrantes:lima]]" in blocks["cifras_por_departamento"].body

    # And a second run on top creates nothing more.
    before = counts()
    load()
    assert counts() == before


def test_first_run_gives_working_pages(empty_database, get_page):
    load()
    _, soup = get_page("/migracion/")
    assert "5,460,296" in soup.find("table", class_="data-table").tfoot.get_text()
    get_page("/migracion/apurimac/")


def test_rerun_gives_the_english_source_lines_to_data_loaded_without_them(db):
    """A database loaded before the English versions existed gets them; an editor's English text stays."""
    shipped = read_csv("editions.csv")[0]
    CensusEdition.objects.update(attribution_en="")
    CensusPopulation.objects.update(source_en="")
    RecentMigration.objects.update(source_en="")
    edited = CensusPopulation.objects.get(census__year=1940, department__slug="lima")
    edited.source_en = "INEI, population censuses (edited)"
    edited.save()
    rewritten = RecentMigration.objects.get(name="Cusco")
    rewritten.source = "INEI – cuadro revisado por la editora"  # not the shipped text: its translation would lie
    rewritten.save()

    load()

    assert CensusEdition.objects.get(year=2007).attribution_en == shipped["attribution_en"]
    populations = CensusPopulation.objects.exclude(pk=edited.pk)
    assert set(populations.values_list("source_en", flat=True)) == {
        "INEI – 1940–2017 National Population and Housing Censuses (enumerated population by department)",
        "INEI – 2025 National Censuses",
    }
    edited.refresh_from_db()
    assert edited.source_en == "INEI, population censuses (edited)"
    assert set(RecentMigration.objects.exclude(pk=rewritten.pk).values_list("source_en", flat=True)) == {
        "INEI – 2007 National Censuses: XI Population and VI Housing Census (Statistical Compendium, table 3.43)"
    }
    rewritten.refresh_from_db()
    assert rewritten.source_en == ""


def test_edition_whose_spanish_line_an_editor_rewrote_gets_no_shipped_english_line(db):
    edition = CensusEdition.objects.get(year=2007)
    edition.attribution, edition.attribution_en = "Elaboración: CAD Ciudadanos al Día (revisado)", ""
    edition.save()
    load()
    edition.refresh_from_db()
    assert edition.attribution_en == ""
