"""The 2025 census as a journalist and a re-user read it: every figure of ``data/census_2025_by_department.csv``
and each balance derived from it, where it should appear, in both languages; the 26 INEI units against INEI's
printed totals.

Expected values are read from the data files and computed here (balances, shares, the national figures), never
taken from the portal's code; a few are also checked against the figures ``data/README.md`` gives (section 7).
"""

import csv
import io
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings
from django.utils.text import slugify

from migration.consistency import check_census
from migration.models import CensusPopulation, DepartmentPart, PopulationCensus
from tests.conftest import text_of

pytestmark = pytest.mark.django_db

DATA_DIR = settings.BASE_DIR / "data"


def read_csv(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = {row["name"]: row for row in read_csv("census_2025_by_department.csv")}
PARTS = read_csv("census_2025_department_parts.csv")
CENSUS = next(row for row in read_csv("censuses.csv") if row["year"] == "2025")
CENSUS_2017 = next(row for row in read_csv("censuses.csv") if row["year"] == "2017")
COUNTS = ("population_2025", "population_5plus_2025", "born_in_department_2025", "lived_in_department_2020")


def grouped(value) -> str:
    return f"{int(value):,}"


def signed(value) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "") + grouped(abs(value))


def signed_percent(value) -> str:
    rounded = Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return ("+" if rounded > 0 else "−" if rounded < 0 else "") + f"{abs(rounded)} %"


def expected(row) -> dict[str, int | float]:
    """The eight figures of a department (or part) as the pages give them, computed from the file's counts."""
    population, population_5plus = int(row["population_2025"]), int(row["population_5plus_2025"])
    born, lived = int(row["born_in_department_2025"]), int(row["lived_in_department_2020"])
    lifetime, recent = population - born, population_5plus - lived
    return {
        "population": population,
        "born_here": born,
        "lifetime_balance": lifetime,
        "lifetime_balance_share": lifetime * 100 / population,
        "population_5plus": population_5plus,
        "lived_here_before": lived,
        "recent_balance": recent,
        "recent_balance_share": recent * 100 / population_5plus,
    }


def as_shown(figures) -> list[str]:
    """The eight figures written as the pages write them: 1,432,443 · −630,433 · −44.0 %."""
    return [
        grouped(figures["population"]),
        grouped(figures["born_here"]),
        signed(figures["lifetime_balance"]),
        signed_percent(figures["lifetime_balance_share"]),
        grouped(figures["population_5plus"]),
        grouped(figures["lived_here_before"]),
        signed(figures["recent_balance"]),
        signed_percent(figures["recent_balance_share"]),
    ]


def table(soup, caption_start):
    found = next(t for t in soup.select("table") if t.caption and text_of(t.caption).startswith(caption_start))
    rows = {text_of(tr.th): [text_of(td) for td in tr.find_all("td")] for tr in found.select("tbody tr")}
    return rows, [text_of(cell) for cell in found.select("tfoot tr > *")]


def test_the_readme_figures_hold_for_the_file():
    """Section 7 of data/README.md: what the file must give (so that a wrong copy of it is caught here)."""
    assert expected(ROWS["Cajamarca"])["lifetime_balance"] == -630_433
    national, born_abroad = int(CENSUS["national_population"]), int(CENSUS["born_abroad"])
    assert sum(int(row["born_in_department_2025"]) for row in ROWS.values()) + born_abroad == national == 32_706_028
    assert (born_abroad, int(CENSUS["lived_abroad_before"])) == (1_052_977, 156_788)
    assert signed_percent((national / int(CENSUS_2017["national_population"]) - 1) * 100) == "+11.3 %"


@pytest.mark.parametrize(
    ("prefix", "caption", "profile_caption", "peru"),
    [
        ("", "Residentes, nacidos en el departamento", "en el censo 2025, comparado con el Perú", "Perú"),
        ("/en", "Residents, people born in the department", "in the 2025 census, compared with Peru", "Peru"),
    ],
)
def test_every_figure_and_balance_appears_where_it_should(client, get_page, prefix, caption, profile_caption, peru):
    # The balances page: the 25 departments, each figure and balance, and Peru in the footer.
    _, soup = get_page(f"{prefix}/migracion/balances/")
    rows, footer = table(soup, caption)
    assert set(rows) == set(ROWS)
    for name, row in ROWS.items():
        assert rows[name] == as_shown(expected(row)), name
    national = int(CENSUS["national_population"])
    born_abroad, lived_abroad = int(CENSUS["born_abroad"]), int(CENSUS["lived_abroad_before"])
    assert footer[0] == peru
    assert footer[1] == grouped(national) and footer[5] == grouped(CENSUS["national_population_5plus"])
    assert (footer[3], footer[7]) == (signed(born_abroad), signed(lived_abroad))  # what the balances add up to
    text = text_of(soup.main)
    lima, cajamarca = expected(ROWS["Lima"]), expected(ROWS["Cajamarca"])
    assert grouped(lima["lifetime_balance"]) in text and grouped(-cajamarca["lifetime_balance"]) in text
    assert grouped(born_abroad) in text and grouped(lived_abroad) in text
    assert signed_percent(born_abroad * 100 / national).lstrip("+") in text  # 3.2 %
    # Each department's profile, beside Peru, with Lima's two INEI units.
    for name, row in ROWS.items():
        _, profile = get_page(f"{prefix}/migracion/{slugify(name)}/")
        measures, _ = table(profile, f"{name} {profile_caption}")
        assert [cells[0] for cells in measures.values()] == as_shown(expected(row)), name
    _, profile = get_page(f"{prefix}/migracion/lima/")
    parts, _ = table(profile, {"": "Lima y sus partes", "/en": "Lima and its parts"}[prefix])
    columns = [[cells[index] for cells in parts.values()] for index in range(3)]
    assert columns == [*(as_shown(expected(part)) for part in PARTS), as_shown(expected(ROWS["Lima"]))]
    # The population of every census ends with 2025, and growth since 2017 is computed between the census dates.
    _, population = get_page(f"{prefix}/migracion/poblacion/")
    assert grouped(national) in text_of(population.select_one("tfoot"))
    # The API and the open data give the same counts.
    counts = ("population", "born_here", "lifetime_balance", "population_5plus", "lived_here_before", "recent_balance")
    api = client.get("/api/v1/balances?limit=100").json()["items"]
    assert {item["name"]: [item[key] for key in counts] for item in api} == {
        name: [expected(row)[key] for key in counts] for name, row in ROWS.items()
    }
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{prefix}/datos/portal-migracion-datos.zip").content))
    lines = csv.DictReader(io.StringIO(archive.read("nacimiento_y_residencia.csv").decode("utf-8-sig")))
    files = {row["parte"] or row["departamento"]: row for row in lines}
    for name, row in [*ROWS.items(), *((part["name"], part) for part in PARTS)]:
        figures = expected(row)
        assert int(files[name]["balance_toda_la_vida"]) == figures["lifetime_balance"], name
        assert int(files[name]["vivian_en_el_departamento_5_anios_antes"]) == figures["lived_here_before"], name


def test_the_26_inei_units_add_up_to_inei_printed_totals():
    """24 departments and Lima's two units (Lima Metropolitana, Región Lima), as stored, against the national totals
    INEI prints (the PERÚ and EXTRANJERO rows); Lima's own figures are the sum of its units."""
    census = PopulationCensus.objects.get(year=2025)
    departments = CensusPopulation.objects.filter(census=census).exclude(department__slug="lima")
    parts = DepartmentPart.objects.filter(census=census)
    assert len(departments) + len(parts) == 26
    assert sorted(parts.values_list("name", flat=True)) == ["Lima Metropolitana", "Región Lima"]
    units = [*departments, *parts]
    assert sum(unit.population for unit in units) == census.national_population == 32_706_028
    assert sum(unit.population_5plus for unit in units) == census.national_population_5plus == 30_692_308
    assert sum(unit.born_here for unit in units) + census.born_abroad == census.national_population
    assert (
        sum(unit.lived_here_before for unit in units) + census.lived_abroad_before == census.national_population_5plus
    )
    lima = CensusPopulation.objects.get(census=census, department__slug="lima")
    for field in ("population", "population_5plus", "born_here", "lived_here_before"):
        assert getattr(lima, field) == sum(getattr(part, field) for part in parts), field
    assert check_census(census).problems == []
