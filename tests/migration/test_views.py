"""What a visitor reads on the migration pages, checked against the source document and the data files.

Expected figures are computed here from ``data/departments_2007.csv`` and the source document
``data/content/migracion-interna-y-buenas-practicas.md``, never from the portal's own code.
"""

import csv
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings
from django.utils.text import slugify

from migration.models import CensusEdition, CensusPopulation, RecentMigration
from tests.conftest import text_of
from tests.html import seen_text_of as seen

DATA_DIR = settings.BASE_DIR / "data"
SOURCE_DOCUMENT = DATA_DIR / "content" / "migracion-interna-y-buenas-practicas.md"
ATTRIBUTION = "Elaboración: CAD Ciudadanos al Día, según información del INEI"

# Columns of the /migracion/ table, in page order, with their header text.
HEADERS = {
    "department": "Departamento",
    "population": "Población",
    "immigrants": "Inmigrantes",
    "emigrants": "Emigrantes",
    "net_migration": "Saldo migratorio",
    "immigrant_share": "% inmigrantes",
    "emigrant_share": "% emigrantes",
    "practice_count": "Buenas prácticas",
}
COLUMNS = list(HEADERS)


# Expected values, from the data files ----------------------------------------------------------


def read_csv(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_departments() -> dict[str, dict]:
    """Every figure of every department, keyed by name, computed from the CSV files."""
    practices = read_csv("practices_2009.csv")
    departments = {}
    for row in read_csv("departments_2007.csv"):
        population, immigrants, emigrants = (int(row[key]) for key in ("population_2007", "immigrants", "emigrants"))
        departments[row["name"]] = {
            "ubigeo": row["ubigeo"],
            "slug": slugify(row["name"]),
            "department": row["name"],
            "population": population,
            "immigrants": immigrants,
            "emigrants": emigrants,
            "net_migration": immigrants - emigrants,
            "immigrant_share": Decimal(immigrants) * 100 / Decimal(population),
            "emigrant_share": Decimal(emigrants) * 100 / Decimal(population),
            "practice_count": sum(row["ubigeo"] in p["department_ubigeos"].split(";") for p in practices),
        }
    return departments


EXPECTED = expected_departments()
NAMES = list(EXPECTED)
COUNT = len(EXPECTED)


def grouped(value: int) -> str:
    """2781145 → '2,781,145', as the source document writes figures."""
    return f"{value:,}"


def signed(value: int) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "") + grouped(abs(value))


def one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(value: Decimal) -> str:
    return f"{one_decimal(value)} %"


def formatted(column: str, value) -> str:
    if column in ("immigrant_share", "emigrant_share"):
        return percent(value)
    if column == "net_migration":
        return signed(value)
    if column == "department":
        return value
    return grouped(value)


def rank(name: str, column: str) -> int:
    """1 for the highest value."""
    return 1 + sum(other[column] > EXPECTED[name][column] for other in EXPECTED.values())


# The source document -------------------------------------------------------------------------


def source_text() -> str:
    return SOURCE_DOCUMENT.read_text(encoding="utf-8")


def source_migrant_table() -> list[tuple[str, str, str]]:
    """The 'Población Migrante por Departamento' table: (department, immigrants, emigrants) as written."""
    lines = source_text().splitlines()
    start = next(i for i, line in enumerate(lines) if "Población Migrante por Departamento" in line)
    rows = []
    for line in lines[start + 1 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if set(cells[0]) <= {"-"} or cells[0] == "Departamento":
            continue
        rows.append(tuple(cells))
    return rows


def source_paragraph(starts_with: str) -> str:
    """The source paragraph from the sentence that begins with ``starts_with``."""
    paragraph = next(p for p in source_text().split("\n\n") if starts_with in p)
    return " ".join(paragraph[paragraph.index(starts_with) :].split())


# Reading the pages ---------------------------------------------------------------------------


def figures_table(soup):
    """The django-tables2 table of /migracion/ (the first data table on the page)."""
    return soup.find("table", class_="data-table")


def table_rows(soup) -> list[dict[str, str]]:
    rows = []
    for tr in figures_table(soup).tbody.find_all("tr"):
        cells = [seen(tr.th)] + [seen(td) for td in tr.find_all("td")]
        rows.append(dict(zip(COLUMNS, cells, strict=True)))
    return rows


def rows_by_name(soup) -> dict[str, dict[str, str]]:
    return {row["department"]: row for row in table_rows(soup)}


def narrative(soup) -> str:
    return " ".join(text_of(prose) for prose in soup.select("main .prose"))


def number(text: str) -> int:
    return int(text.replace(",", "").replace("−", "-").replace("+", ""))


def profile_table(soup) -> dict[str, list[str]]:
    """The profile's figures table: measure → [department value, rank, national total]."""
    table = soup.find("table", class_="data-table")
    return {text_of(tr.th): [text_of(td) for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")}


# The figures table ---------------------------------------------------------------------------


def test_source_table_is_the_one_the_data_was_transcribed_from():
    source = source_migrant_table()
    assert [name for name, _, _ in source] == NAMES
    for name, immigrants, emigrants in source:
        assert (number(immigrants), number(emigrants)) == (EXPECTED[name]["immigrants"], EXPECTED[name]["emigrants"])


def test_every_cell_of_the_source_table_is_in_its_row_alphabetically(get_page):
    source = source_migrant_table()
    assert len(source) == 25

    _, soup = get_page("/migracion/")
    rows = table_rows(soup)

    # The source lists the departments in alphabetical order ("Listado en Orden Alfabético"): so does the page.
    assert [row["department"] for row in rows] == [name for name, _, _ in source]
    cells = 0
    for row, (name, immigrants, emigrants) in zip(rows, source, strict=True):
        assert (row["department"], row["immigrants"], row["emigrants"]) == (name, immigrants, emigrants)
        cells += 2
    assert cells == 50


def test_table_shows_every_figure_of_every_department(get_page):
    _, soup = get_page("/migracion/")
    rows = rows_by_name(soup)
    assert list(rows) == sorted(NAMES)
    for name, expected in EXPECTED.items():
        assert rows[name] == {column: formatted(column, expected[column]) for column in COLUMNS}


def test_table_links_each_department_to_its_profile(get_page):
    _, soup = get_page("/migracion/")
    links = [tr.th.a for tr in figures_table(soup).tbody.find_all("tr")]
    assert [(text_of(a), a["href"]) for a in links] == [(n, f"/migracion/{EXPECTED[n]['slug']}/") for n in NAMES]


@pytest.mark.parametrize(
    ("prefix", "two", "one"),
    [
        ("", "2 buenas prácticas en Apurímac", "1 buena práctica en Arequipa"),
        ("/en", "2 good practices in Apurímac", "1 good practice in Arequipa"),
    ],
)
def test_practice_counts_say_where_they_lead_and_a_zero_leads_nowhere(get_page, prefix, two, one):
    _, soup = get_page(f"{prefix}/migracion/")
    cells = {seen(tr.th): tr.find_all("td")[-1] for tr in figures_table(soup).tbody.find_all("tr")}
    apurimac, arequipa = cells["Apurímac"].a, cells["Arequipa"].a
    # A screen reader hears what the link leads to; the eye sees the number.
    assert (text_of(apurimac), seen(apurimac)) == (two, "2")
    assert (text_of(arequipa), seen(arequipa)) == (one, "1")
    assert apurimac["href"] == f"{prefix}/practicas/?departamento=apurimac"
    _, listed = get_page(apurimac["href"])
    assert len(listed.select("table.catalogue tbody tr")) == 2
    # No link to an empty list: a 0 is plain text.
    zeros = [name for name, cell in cells.items() if text_of(cell) == "0"]
    assert "Amazonas" in zeros and len(zeros) == 25 - sum(1 for e in EXPECTED.values() if e["practice_count"])
    assert all(cells[name].a is None for name in zeros)
    assert all(cell.a for name, cell in cells.items() if name not in zeros)


def test_totals_row(get_page):
    _, soup = get_page("/migracion/")
    cells = [text_of(cell) for cell in figures_table(soup).tfoot.tr.find_all(["th", "td"])]
    assert cells[:5] == ["Total", "27,412,157", "5,460,296", "5,460,296", "0"]
    assert sum(d["population"] for d in EXPECTED.values()) == 27_412_157
    assert (
        sum(d["immigrants"] for d in EXPECTED.values()) == sum(d["emigrants"] for d in EXPECTED.values()) == 5_460_296
    )
    # National shares: 5,460,296 / 27,412,157 = 19.92 %.
    assert cells[5:7] == ["19.9 %", "19.9 %"]


def test_table_caption_and_source_line(get_page):
    _, soup = get_page("/migracion/")
    table = figures_table(soup)
    assert text_of(table.caption) == "Población migrante por departamento, censo 2007"
    section = table.find_parent("section")
    assert text_of(section.h2) == "Población migrante por departamento"
    assert text_of(section.find("p", class_="source")) == ATTRIBUTION


# Headline figures ----------------------------------------------------------------------------


def key_figures(soup, section="#cifras-clave") -> dict[str, str]:
    figures = soup.select_one(section).find_parent("section").find("dl", class_="key-figures")
    return {text_of(div.dt): text_of(div.dd) for div in figures.find_all("div")}


def test_home_headline_figures(get_page):
    # The source: "una de cada cinco personas en el Perú (5,460,296 personas) … solo 0.3% nació en otro país".
    assert "una de cada cinco personas en el Perú (5,460,296 personas)" in source_text()
    assert "solo 0.3% nació en otro país" in source_text()

    _, soup = get_page("/")
    # The page leads with its finding; the four cards say four different things.
    lead = text_of(soup.select_one(".finding .lead"))
    assert lead == (
        "1 de cada 5 personas en el Perú vive fuera del departamento donde nació: 5,460,296 personas, "
        "el 19.9 % de la población (censo 2007)."
    )
    assert key_figures(soup) == {
        "personas gana Lima por migración, más que ningún otro departamento": "+2,376,434",
        "personas pierde Cajamarca por migración, más que ningún otro": "−531,984",
        "emigrantes respecto a la población de Huancavelica, el porcentaje más alto": "53.8 %",
        "de los 25 departamentos pierden población por migración": "16",
    }
    # The figure is said once in words and once by the chart (its summary), not a third time by the introduction,
    # which is /migracion/'s.
    assert text_of(soup.find("main")).count("5,460,296") == 2
    assert "0.3 % nació en otro país" in text_of(soup.select_one("#grafico-birthplace .chart-summary"))


def without_percent_space(text: str) -> str:
    return re.sub(r"\s+%", "%", " ".join(text.split()))


@pytest.mark.parametrize(
    "starts_with",
    [
        "Según la investigación de CAD Ciudadanos al Día",
        "Lima es el departamento con mayor número de inmigrantes",
        "A la diferencia entre número inmigrantes e emigrantes",
    ],
)
def test_narrative_reads_as_the_source_document(get_page, starts_with):
    """Paragraphs whose figures are whole numbers read word for word as in the source."""
    paragraph = source_paragraph(starts_with)
    _, soup = get_page("/migracion/")
    assert without_percent_space(paragraph) in without_percent_space(narrative(soup))


def test_narrative_has_no_unfilled_markers(get_page):
    for url in ("/", "/migracion/"):
        _, soup = get_page(url)
        assert "[[" not in text_of(soup.find("main")), url


# Percentages quoted by the source document -------------------------------------------------

QUOTED_PERCENTAGES = [
    ("Callao", "immigrant_share", 43),
    ("Madre de Dios", "immigrant_share", 41),
    ("Tacna", "immigrant_share", 37),
    ("Lima", "immigrant_share", 33),
    ("Piura", "immigrant_share", 5),
    ("Huancavelica", "immigrant_share", 3),
    ("Puno", "immigrant_share", 3),
    ("Huancavelica", "emigrant_share", 54),
    ("Apurímac", "emigrant_share", 54),
    ("Ayacucho", "emigrant_share", 48),
    ("Madre de Dios", "emigrant_share", 10),
    ("Tacna", "emigrant_share", 10),
    ("Lima", "emigrant_share", 5),
]


def test_the_source_quotes_these_percentages():
    quoted = re.compile(r"(" + "|".join(NAMES) + r") \((\d+)%\)")
    paragraphs = {
        "immigrant_share": source_paragraph("Los departamentos con mayores porcentajes de inmigrantes")
        + source_paragraph("En el extremo de la lista, se encuentran Piura"),
        "emigrant_share": source_paragraph("Los departamentos con mayor porcentaje de emigrantes"),
    }
    found = [(name, column, int(value)) for column, text in paragraphs.items() for name, value in quoted.findall(text)]
    assert sorted(found) == sorted(QUOTED_PERCENTAGES)


def test_quoted_percentages_in_table_and_narrative(get_page):
    _, soup = get_page("/migracion/")
    rows, text = rows_by_name(soup), narrative(soup)
    for name, column, quoted in QUOTED_PERCENTAGES:
        cell = rows[name][column]
        # One decimal, rounded half-up from the data …
        assert re.fullmatch(r"\d+\.\d %", cell), (name, cell)
        assert cell == percent(EXPECTED[name][column]), name
        # … which rounds to the whole percent the source document quotes.
        assert Decimal(cell.removesuffix(" %")).quantize(Decimal(1), rounding=ROUND_HALF_UP) == quoted, name
        # The narrative quotes the same figure as the table.
        assert f"{name} ({cell})" in text, name


# Rankings stated in the text -----------------------------------------------------------------


def sorted_names(get_page, sort: str, n: int) -> list[str]:
    _, soup = get_page(f"/migracion/?sort={sort}")
    return [row["department"] for row in table_rows(soup)][:n]


def test_rankings_by_number_of_migrants(get_page):
    assert sorted_names(get_page, "-immigrants", 4) == ["Lima", "Callao", "Arequipa", "La Libertad"]
    assert sorted_names(get_page, "-emigrants", 4) == ["Cajamarca", "Lima", "Junín", "Ancash"]


def test_rankings_by_share_of_the_population(get_page):
    # data/README.md §2: top four by immigrant share (5th Moquegua), bottom three; same for emigrants (4th Pasco).
    assert sorted_names(get_page, "-immigrant_share", 5) == ["Callao", "Madre de Dios", "Tacna", "Lima", "Moquegua"]
    assert sorted_names(get_page, "immigrant_share", 3) == ["Puno", "Huancavelica", "Piura"]
    assert sorted_names(get_page, "-emigrant_share", 4) == ["Huancavelica", "Apurímac", "Ayacucho", "Pasco"]
    assert sorted_names(get_page, "emigrant_share", 3) == ["Lima", "Tacna", "Madre de Dios"]


def highlights(soup, heading: str) -> list[tuple[str, str]]:
    card = soup.find("h3", string=heading).find_parent("div", class_="card")
    return [(text_of(li.a), text_of(li.find("span", class_="num"))) for li in card.find_all("li")]


def test_home_highlights_rankings(get_page):
    _, soup = get_page("/")
    assert highlights(soup, "Más inmigrantes") == [
        ("Lima", "2,781,145"),
        ("Callao", "377,090"),
        ("Arequipa", "288,133"),
        ("La Libertad", "234,419"),
    ]
    assert highlights(soup, "Más emigrantes") == [
        ("Cajamarca", "609,379"),
        ("Lima", "404,711"),
        ("Junín", "399,609"),
        ("Ancash", "389,905"),
    ]
    # The source document states the same four, in the same order.
    paragraph = source_paragraph("Lima es el departamento con mayor número de inmigrantes")
    shown = highlights(soup, "Más inmigrantes") + highlights(soup, "Más emigrantes")
    assert re.findall(r"\(([\d,]+)\)", paragraph) == [value for _, value in shown]
    assert all(name in paragraph for name, _ in shown)


# Saldo migratorio ------------------------------------------------------------------------------


def test_largest_loss_and_gain_everywhere(get_page):
    assert EXPECTED["Cajamarca"]["net_migration"] == -531_984
    assert EXPECTED["Lima"]["net_migration"] == 2_376_434

    _, soup = get_page("/migracion/")
    rows = rows_by_name(soup)
    assert rows["Cajamarca"]["net_migration"] == "−531,984"
    assert rows["Lima"]["net_migration"] == "+2,376,434"
    text = narrative(soup)
    assert "Cajamarca es el departamento que pierde mayor cantidad de personas (531,984)" in text
    assert "con una variación poblacional de (2,376,434)" in text
    assert sorted_names(get_page, "net_migration", 1) == ["Cajamarca"]
    assert sorted_names(get_page, "-net_migration", 1) == ["Lima"]

    _, soup = get_page("/")
    card = soup.find("h3", string="Saldo migratorio").find_parent("div", class_="card")
    assert [text_of(p) for p in card.find_all("p")] == [
        "Mayor ganancia: Lima +2,376,434",
        "Mayor pérdida: Cajamarca −531,984",
    ]

    _, soup = get_page("/migracion/cajamarca/")
    assert profile_table(soup)["Saldo migratorio"][:2] == ["−531,984", "25.º de 25"]
    assert text_of(soup.find("p", class_="lead")).startswith("Cajamarca pierde 531,984 personas por migración")

    _, soup = get_page("/migracion/lima/")
    assert profile_table(soup)["Saldo migratorio"][:2] == ["+2,376,434", "1.º de 25"]
    assert text_of(soup.find("p", class_="lead")).startswith("Lima gana 2,376,434 personas por migración")


# Sorting -------------------------------------------------------------------------------------


def sort_key(column: str):
    return lambda name: EXPECTED[name][column]


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("column", COLUMNS)
def test_sorting_every_column(get_page, column, descending):
    sort = f"-{column}" if descending else column
    _, soup = get_page(f"/migracion/?sort={sort}")
    rows = table_rows(soup)
    names = [row["department"] for row in rows]

    assert sorted(names) == sorted(NAMES)
    # Ordered by the value the data gives (ties, e.g. departments without practices, in any order).
    values = [EXPECTED[name][column] for name in names]
    assert values == sorted(values, reverse=descending)
    # Rows stay whole: every cell still belongs to its department.
    for row in rows:
        expected = EXPECTED[row["department"]]
        assert row == {c: formatted(c, expected[c]) for c in COLUMNS}

    # The sorted header says so to assistive technology, and its link reverses the order.
    sorted_headers = figures_table(soup).thead.find_all("th", attrs={"aria-sort": True})
    assert [(text_of(th), th["aria-sort"]) for th in sorted_headers] == [
        (HEADERS[column], "descending" if descending else "ascending")
    ]
    # The link lands on its own column's heading (where portal.js brings back the reader's exact place).
    assert sorted_headers[0].a["href"] == f"?sort={column if descending else '-' + column}#columna-{column}"


def test_sorting_by_share_uses_the_exact_values_not_the_rounded_ones(get_page):
    # Apurímac (5.58 %) and Cajamarca (5.58 %) show the same rounded share; the exact values decide.
    assert one_decimal(EXPECTED["Apurímac"]["immigrant_share"]) == one_decimal(EXPECTED["Cajamarca"]["immigrant_share"])
    names = sorted_names(get_page, "-immigrant_share", COUNT)
    assert names.index("Apurímac") < names.index("Cajamarca")
    assert names == sorted(NAMES, key=sort_key("immigrant_share"), reverse=True)


def test_default_order_marks_department_header_ascending(get_page):
    _, soup = get_page("/migracion/")
    headers = figures_table(soup).thead.find_all("th")
    assert [text_of(th) for th in headers] == list(HEADERS.values())
    assert [(text_of(th), th["aria-sort"]) for th in headers if th.has_attr("aria-sort")] == [
        ("Departamento", "ascending")
    ]
    assert [th.a["href"] for th in headers[1:]] == [f"?sort={column}#columna-{column}" for column in COLUMNS[1:]]


@pytest.mark.parametrize(
    "query",
    [
        "sort=nope",
        "sort=-",
        "sort=",
        "sort=--population",
        "sort=population&sort=x",
        "sort=population,nope",
        "sort=__class__",
        "sort=%00",
        "sort=%27%22%3C%3E",
        "sort=poblaci%C3%B3n",
        "sort=%E2%88%92population",
        "sort=%F0%9F%99%82",
    ],
    ids=lambda query: query[:30],
)
def test_bad_sort_values_never_break_the_page(get_page, query):
    _, soup = get_page(f"/migracion/?{query}")
    rows = table_rows(soup)
    assert sorted(row["department"] for row in rows) == sorted(NAMES)
    assert text_of(figures_table(soup).tfoot.tr.th) == "Total"


@pytest.mark.parametrize("query", ["sort=" + "x" * 5000, "sort=%FF%FE"], ids=["overlong", "not-utf8"])
def test_sort_values_the_portal_will_not_read_are_a_plain_400(get_page, query):
    # A query over 2 KB or whose escapes are not UTF-8 (portal.middleware.UnreadableRequestMiddleware).
    _, soup = get_page(f"/migracion/?{query}", status=400)
    assert text_of(soup.h1) == "Solicitud no válida"


# Department profile --------------------------------------------------------------------------


def test_apurimac_profile(get_page):
    _, soup = get_page("/migracion/apurimac/")
    assert text_of(soup.h1) == "Apurímac"
    assert text_of(soup.find("p", class_="lead")) == (
        "Apurímac pierde 193,987 personas por migración: son más los que se van (emigrantes) "
        "que los que llegan (inmigrantes)."
    )
    assert profile_table(soup) == {
        "Población censada": ["404,190", "19.º de 25", "27,412,157"],
        "Inmigrantes": ["22,559", "24.º de 25", "5,460,296"],
        "Emigrantes": ["216,546", "13.º de 25", "5,460,296"],
        "Saldo migratorio": ["−193,987", "18.º de 25", "0"],
        "% inmigrantes": ["5.6 %", "21.º de 25", "19.9 %"],
        "% emigrantes": ["53.6 %", "2.º de 25", "19.9 %"],
    }
    comparison = [text_of(li) for li in soup.find("ul", class_="comparison").find_all("li")]
    assert comparison == [
        "En Apurímac, el 5.6 % de la población es inmigrante (promedio nacional: 19.9 %).",
        "Los emigrantes equivalen al 53.6 % de su población (promedio nacional: 19.9 %).",
    ]
    # the lifetime figures name their source (population history and recent migration: test_population.py)
    sources = [text_of(p) for p in soup.select("section:has(#cifras) p.source, figure#grafico-department p.source")]
    assert len(sources) == 2 and all(text == ATTRIBUTION for text in sources)
    assert ATTRIBUTION in source_text()


@pytest.mark.parametrize("name", NAMES)
def test_every_profile_matches_the_data(get_page, name):
    expected = EXPECTED[name]
    _, soup = get_page(f"/migracion/{expected['slug']}/")
    assert text_of(soup.h1) == name
    measures = {
        "Población censada": "population",
        "Inmigrantes": "immigrants",
        "Emigrantes": "emigrants",
        "Saldo migratorio": "net_migration",
        "% inmigrantes": "immigrant_share",
        "% emigrantes": "emigrant_share",
    }
    table = profile_table(soup)
    assert list(table) == list(measures)
    for measure, column in measures.items():
        value, position, _ = table[measure]
        assert value == formatted(column, expected[column]), measure
        assert position == f"{rank(name, column)}.º de {COUNT}", measure
    lead = text_of(soup.find("p", class_="lead"))
    net = expected["net_migration"]
    verb = "gana" if net > 0 else "pierde"
    assert lead.startswith(f"{name} {verb} {grouped(abs(net))} personas por migración")


def test_ranks_first_of_25(get_page):
    _, soup = get_page("/migracion/lima/")
    table = profile_table(soup)
    assert table["Inmigrantes"] == ["2,781,145", "1.º de 25", "5,460,296"]
    assert table["Población censada"][1] == "1.º de 25"
    assert table["% emigrantes"][1] == "25.º de 25"

    _, soup = get_page("/migracion/callao/")
    assert profile_table(soup)["% inmigrantes"] == ["43.0 %", "1.º de 25", "19.9 %"]

    _, soup = get_page("/migracion/huancavelica/")
    assert profile_table(soup)["% emigrantes"] == ["53.8 %", "1.º de 25", "19.9 %"]


def test_lima_gains(get_page):
    _, soup = get_page("/migracion/lima/")
    assert text_of(soup.find("p", class_="lead")) == (
        "Lima gana 2,376,434 personas por migración: recibe más inmigrantes de los que se van a otros departamentos."
    )


@pytest.mark.parametrize(
    ("slug", "previous", "following"),
    [
        ("apurimac", ("Ancash", "ancash"), ("Arequipa", "arequipa")),
        ("amazonas", ("Ucayali", "ucayali"), ("Ancash", "ancash")),
        ("ucayali", ("Tumbes", "tumbes"), ("Amazonas", "amazonas")),
        ("huancavelica", ("Cusco", "cusco"), ("Huánuco", "huanuco")),
    ],
)
def test_previous_and_next_department(get_page, slug, previous, following):
    _, soup = get_page(f"/migracion/{slug}/")
    pager = soup.find("nav", class_="pager")
    prev_link, next_link = pager.find("a", rel="prev"), pager.find("a", rel="next")
    assert (text_of(prev_link), prev_link["href"]) == (f"← {previous[0]}", f"/migracion/{previous[1]}/")
    assert (text_of(next_link), next_link["href"]) == (f"{following[0]} →", f"/migracion/{following[1]}/")
    get_page(prev_link["href"])
    get_page(next_link["href"])


def test_profile_breadcrumbs_and_title(get_page):
    _, soup = get_page("/migracion/madre-de-dios/")
    crumbs = soup.find("nav", class_="breadcrumbs")
    assert [text_of(li) for li in crumbs.find_all("li")] == ["Inicio", "Migración", "Madre de Dios"]
    assert text_of(soup.title).startswith("Madre de Dios: migración interna, 2007")


# Not found -----------------------------------------------------------------------------------


def assert_spanish_not_found(soup, message=None):
    assert soup.html["lang"].startswith("es")
    assert text_of(soup.h1) == "Página no encontrada"
    assert soup.find("a", href="/migracion/")
    if message:
        assert text_of(soup.find("main").find("p", class_="note")) == message


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/migracion/atlantida/", "No existe un departamento con esa dirección."),
        ("/migracion/lima-metropolitana/", "No existe un departamento con esa dirección."),
        ("/migracion/?edicion=abc", None),
        ("/migracion/?edicion=1850", "No hay datos del censo 1850."),
        ("/migracion/?edicion=2017", "No hay datos del censo 2017."),
        ("/migracion/?edicion=20070", None),
        ("/migracion/?edicion=-2007", None),
        ("/migracion/?edicion=%C2%B2%E2%81%B0%E2%81%B0%E2%81%B7", None),  # superscript digits
        ("/migracion/lima/?edicion=abc", None),
        ("/migracion/lima/?edicion=1850", "No hay datos del censo 1850."),
        ("/?edicion=abc", None),
        ("/?edicion=1850", "No hay datos del censo 1850."),
        ("/migracion/no/existe/", None),
    ],
)
def test_not_found_is_a_spanish_404(get_page, url, message):
    _, soup = get_page(url, status=404)
    assert_spanish_not_found(soup, message)


def test_bad_edition_is_explained(get_page):
    _, soup = get_page("/migracion/?edicion=abc", status=404)
    assert "?edicion=2007" in text_of(soup.find("main"))


def test_explicit_edition_2007(get_page):
    _, soup = get_page("/migracion/?edicion=2007")
    assert text_of(soup.h1) == "Migración interna por departamento, 2007"
    assert len(table_rows(soup)) == COUNT


# Source lines in English ------------------------------------------------------------------------
# Editors write each source line in Spanish and, optionally, in English (``attribution_en``, ``source_en``):
# English pages show the English one; without it, the Spanish one marked lang="es".

EDITION = read_csv("editions.csv")[0]
SPANISH_SOURCES = {
    EDITION["attribution"],
    "INEI – Censos Nacionales 2007: XI de Población y VI de Vivienda (Compendio Estadístico, cuadro 3.43)",
    "INEI – Censos Nacionales de Población y Vivienda 1940–2017 (población censada por departamento)",
    "INEI – Censos Nacionales 2025",
}
ENGLISH_SOURCES = {
    EDITION["attribution_en"],
    "INEI – 2007 National Censuses: XI Population and VI Housing Census (Statistical Compendium, table 3.43)",
    "INEI – 1940–2017 National Population and Housing Censuses (enumerated population by department)",
    "INEI – 2025 National Censuses",
}


def language_of(tag) -> str:
    """The language a reader's software assumes for ``tag``: its own lang or its nearest ancestor's."""
    return next(element["lang"] for element in (tag, *tag.parents) if element.has_attr("lang"))


def source_spans(soup) -> dict[str, str]:
    """{text: language} of every source text under a table or chart."""
    return {text_of(span): language_of(span) for span in soup.select("p.source span")}


def test_english_department_page_shows_english_sources(get_page):
    _, soup = get_page("/en/migracion/lima/")
    assert source_spans(soup) == dict.fromkeys(ENGLISH_SOURCES, "en")
    recent = " ".join(soup.select_one("p.source:-soup-contains('Recent migration:')").get_text().split())
    assert recent == (
        "Compiled by CAD Ciudadanos al Día, based on INEI data. Recent migration: INEI – 2007 National Censuses: "
        "XI Population and VI Housing Census (Statistical Compendium, table 3.43)."
    )
    assert "Elaboración" not in text_of(soup.main)


@pytest.mark.parametrize(
    "path", ["/en/migracion/poblacion/", "/en/migracion/reciente/", "/en/migracion/comparar/?d=lima&d=cajamarca"]
)
def test_english_population_and_recent_migration_pages_show_english_sources(get_page, path):
    _, soup = get_page(path)
    spans = source_spans(soup)
    assert spans and set(spans) <= ENGLISH_SOURCES and set(spans.values()) == {"en"}


def test_without_english_versions_english_pages_show_the_spanish_sources_marked_spanish(get_page):
    CensusEdition.objects.update(attribution_en="")
    CensusPopulation.objects.update(source_en="")
    RecentMigration.objects.update(source_en="")
    _, soup = get_page("/en/migracion/lima/")
    assert source_spans(soup) == dict.fromkeys(SPANISH_SOURCES, "es")
    _, soup = get_page("/en/practicas/sierra-sur/")
    assert source_spans(soup)[EDITION["attribution"]] == "es"


def test_one_english_version_missing_marks_only_that_source_spanish(get_page):
    RecentMigration.objects.filter(name="Lima y Callao").update(source_en="")
    _, soup = get_page("/en/migracion/lima/")
    spans = source_spans(soup)
    assert (
        spans.pop(
            "INEI – Censos Nacionales 2007: XI de Población y VI de Vivienda (Compendio Estadístico, cuadro 3.43)"
        )
        == "es"
    )
    assert set(spans.values()) == {"en"} and EDITION["attribution_en"] in spans


def test_spanish_department_page_keeps_the_spanish_sources(get_page):
    _, soup = get_page("/migracion/lima/")
    assert source_spans(soup) == dict.fromkeys(SPANISH_SOURCES, "es-PE")  # the page's own language
