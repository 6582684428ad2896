"""Helpers for the Buenas Prácticas tests: the seed practices and how their pages are read."""

import xml.etree.ElementTree as ET

import pytest

from migration.models import Department
from practices.models import Category, Institution, Practice
from tests.conftest import text_of
from tests.html import seen_text_of

# The four practices loaded from data/practices_2009.csv, by slug → title as the page shows it.
BANANO = "Exportación de banano orgánico genera 300 puestos de trabajo"
CREDITO = "Crédito para los que más lo necesitan"
SIERRA_SUR = "Sierra Sur: Gestores de su propio desarrollo"
INCAGRO = "Promoviendo la calidad de la innovación"
SEED_TITLES = {
    "exportacion-banano-organico-piura": BANANO,
    "credito-solidario-comunidades-campesinas": CREDITO,
    "sierra-sur": SIERRA_SUR,
    "incagro-innovacion-agraria": INCAGRO,
}
CATEGORY_SLUG = "promocion-del-desarrollo-economico"
CATEGORY_NAME = "Promoción del Desarrollo Económico"
EMPTY_TEXT = "Ninguna buena práctica coincide con esta búsqueda. Pruebe con menos filtros."

ATOM = "{http://www.w3.org/2005/Atom}"


def catalogue_titles(soup) -> list[str]:
    """Titles of the catalogue rows, in page order."""
    table = soup.select_one("table.catalogue")
    return [text_of(th.a) for th in table.select("tbody th[scope=row]") if th.a]


def catalogue_column(soup, index: int) -> list[str]:
    """Text of one data cell column (0 = year, 1 = institution, 2 = departments) of the catalogue."""
    return [
        " ".join(tr.find_all("td")[index].get_text().split()) for tr in soup.select("table.catalogue tbody tr") if tr.th
    ]


def result_count(soup) -> str:
    return text_of(soup.select_one("h2#resultados"))


def empty_message(soup) -> str | None:
    cell = soup.select_one("table.catalogue tbody td[colspan]")
    return text_of(cell) if cell else None


def list_titles(node) -> list[str]:
    """Titles of an ``includes/practice_list.html`` list inside ``node``."""
    return [text_of(li.a) for li in node.select("ul.practice-list > li")] if node else []


def section(soup, heading_id: str):
    heading = soup.find(id=heading_id)
    assert heading is not None, heading_id
    return heading.find_parent("section")


def rss_titles(content: bytes) -> list[str]:
    return [item.findtext("title") for item in ET.fromstring(content).iter("item")]  # noqa: S314 (our own feed)


def atom_titles(content: bytes) -> list[str]:
    root = ET.fromstring(content)  # noqa: S314 (our own feed)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


@pytest.fixture
def seed(db):
    """The seed objects, looked up by their natural keys."""

    class Seed:
        category = Category.objects.get(slug=CATEGORY_SLUG)
        minag = Institution.objects.get(slug="minag")
        mincetur = Institution.objects.get(slug="mincetur")
        agrobanco = Institution.objects.get(slug="agrobanco")
        apurimac = Department.objects.get(slug="apurimac")
        piura = Department.objects.get(slug="piura")
        lima = Department.objects.get(slug="lima")
        cusco = Department.objects.get(slug="cusco")
        banano = Practice.objects.get(slug="exportacion-banano-organico-piura")
        credito = Practice.objects.get(slug="credito-solidario-comunidades-campesinas")
        sierra_sur = Practice.objects.get(slug="sierra-sur")
        incagro = Practice.objects.get(slug="incagro-innovacion-agraria")

    return Seed


def department_practices(soup) -> tuple[list[str], list[str] | None]:
    """A department profile's practices: (regional titles, national titles or None when not shown)."""
    practices = section(soup, "practicas")
    national_heading = practices.find("h3", string="De alcance nacional")
    if national_heading is None:
        return list_titles_of(practices.find("ul", class_="practice-list")), None
    regional = national_heading.find_previous_sibling("ul", class_="practice-list")
    national = national_heading.find_next_sibling("ul", class_="practice-list")
    return list_titles_of(regional), list_titles_of(national)


def list_titles_of(ul) -> list[str]:
    return [text_of(li.a) for li in ul.find_all("li", recursive=False)] if ul else []


def practice_counts(soup) -> dict[str, tuple[str, str | None]]:
    """The «Buenas prácticas» column of /migracion/: department → (count shown, link)."""
    table = soup.find("table", class_="data-table")
    headers = [text_of(th) for th in table.thead.find_all("th")]
    column = headers.index("Buenas prácticas") - 1  # the first column is the row header
    counts = {}
    for tr in table.tbody.find_all("tr"):
        cell = tr.find_all("td")[column]
        counts[text_of(tr.th)] = (seen_text_of(cell), cell.a["href"] if cell.a else None)
    return counts
