"""Population in the censuses 1940–2025 and recent migration 2002–2007, as a visitor and a re-user read them.

Expected figures are read from ``data/population_censuses_1940_2017.csv``, ``data/census_2025_by_department.csv``,
``data/censuses.csv`` and ``data/recent_migration_2002_2007.csv``, and computed here, never taken from the portal's
code.
"""

import csv
import io
import itertools
import json
import zipfile
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings
from django.utils.text import slugify

from tests.conftest import text_of

pytestmark = pytest.mark.django_db

DATA_DIR = settings.BASE_DIR / "data"
CENSUS_DATES = {  # as the issue gives them
    1940: date(1940, 6, 9),
    1961: date(1961, 7, 2),
    1972: date(1972, 6, 4),
    1981: date(1981, 7, 12),
    1993: date(1993, 7, 11),
    2007: date(2007, 10, 21),
    2017: date(2017, 10, 22),
    2025: date(2025, 9, 17),  # the midpoint of the fieldwork, 4 August – 31 October 2025
}
YEARS = sorted(CENSUS_DATES)


def read_csv(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


POPULATION = {row["name"]: row for row in read_csv("population_censuses_1940_2017.csv")}
for row_2025 in read_csv("census_2025_by_department.csv"):
    POPULATION[row_2025["name"]]["population_2025"] = row_2025["population_2025"]
LAST = YEARS[-1]
NATIONAL = {int(row["year"]): int(row["national_population"]) for row in read_csv("censuses.csv")}
RECENT = {row["name"]: row for row in read_csv("recent_migration_2002_2007.csv")}
RECENT_COLUMNS = [
    "population_enumerated_5plus",
    "native_population_total",
    "native_population_present",
    "immigrants_2002_2007",
    "emigrants_2002_2007",
]


def grouped(value) -> str:
    return f"{int(value):,}"


def one_decimal(value) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(value) -> str:
    return f"{one_decimal(value)} %"


def by_hand_growth(name: str, start: int, end: int) -> float:
    """(P1 / P0) ^ (1 / t) − 1, t in years of 365.25 days between the census days, in %."""
    p0, p1 = int(POPULATION[name][f"population_{start}"]), int(POPULATION[name][f"population_{end}"])
    years = (CENSUS_DATES[end] - CENSUS_DATES[start]).days / 365.25
    return ((p1 / p0) ** (1 / years) - 1) * 100


def signed_decimal(value) -> str:
    rounded = one_decimal(value)
    return ("−" if rounded < 0 else "") + f"{abs(rounded)}"


def table_rows(soup, caption_start: str) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """(headers, {row header: cells}, footer cells) of the table whose caption starts with ``caption_start``."""
    table = next(t for t in soup.select("table") if t.caption and text_of(t.caption).startswith(caption_start))
    headers = [text_of(th) for th in table.select("thead th")]
    rows = {text_of(tr.th): [text_of(td) for td in tr.find_all("td")] for tr in table.select("tbody tr")}
    footer = [text_of(cell) for cell in table.select("tfoot tr > *")]
    return headers, rows, footer


# --- The national page of population over time -----------------------------------------------------------------


def test_population_page_shows_every_department_in_every_census_and_the_national_totals(get_page):
    _, soup = get_page("/migracion/poblacion/")
    headers, rows, footer = table_rows(soup, "Población censada por departamento")
    assert set(rows) == set(POPULATION)
    for year in YEARS:
        column = headers.index(f"Población {year}") - 1
        for name, row in POPULATION.items():
            assert rows[name][column] == grouped(row[f"population_{year}"]), (name, year)
        assert footer[column + 1] == grouped(NATIONAL[year])
    # the departments add up to INEI's national total in every census (the invariant the data keeps)
    for year in YEARS:
        assert sum(int(row[f"population_{year}"]) for row in POPULATION.values()) == NATIONAL[year]


@pytest.mark.parametrize("name", ["Lima", "Huancavelica", "Ucayali"])
def test_growth_rates_between_censuses_match_a_hand_computation(get_page, name):
    _, soup = get_page("/migracion/poblacion/")
    headers, rows, _ = table_rows(soup, "Crecimiento anual de la población por departamento")
    for start, end in itertools.pairwise(YEARS):
        column = headers.index(f"Crecimiento anual {start}–{end}") - 1
        assert rows[name][column] == f"{signed_decimal(by_hand_growth(name, start, end))} %", (name, start, end)
    # the profile shows the same rates, census by census
    _, profile = get_page(f"/migracion/{slugify(name)}/")
    _, points, _ = table_rows(profile, f"{name}: población censada en cada censo")
    growths = [cells[2] for cells in points.values()]
    assert growths[0] == "—"
    assert growths[1:] == [
        f"{signed_decimal(by_hand_growth(name, start, end))} %" for start, end in itertools.pairwise(YEARS)
    ]


def test_huancavelica_lost_population_between_2007_and_2017_and_the_rate_says_so(get_page):
    assert by_hand_growth("Huancavelica", 2007, 2017) < 0
    _, soup = get_page("/migracion/huancavelica/")
    assert "−2.7 %" in text_of(soup.select_one("#poblacion").parent)


def test_headline_gives_lima_share_of_peru_in_the_first_and_last_census_computed_from_the_data(get_page):
    lima_1940 = Decimal(POPULATION["Lima"]["population_1940"]) * 100 / NATIONAL[1940]
    lima_last = Decimal(POPULATION["Lima"][f"population_{LAST}"]) * 100 / NATIONAL[LAST]
    assert (percent(lima_1940), percent(lima_last)) == ("13.3 %", "32.3 %")
    _, soup = get_page("/migracion/poblacion/")
    headline = text_of(soup.select_one(".headline"))
    assert (
        headline
        == f"Lima reunía el {percent(lima_1940)} de la población del Perú en 1940; en {LAST}, el {percent(lima_last)}."
    )
    _, english = get_page("/en/migracion/poblacion/")
    assert percent(lima_1940) in text_of(english.select_one(".headline"))
    assert "Lima" in text_of(english.select_one(".headline"))


def test_population_table_sorts_by_any_census_and_downloads_what_it_shows(client, get_page):
    _, soup = get_page("/migracion/poblacion/?sort=-population_1940")
    _, rows, _ = table_rows(soup, "Población censada por departamento")
    expected = sorted(POPULATION, key=lambda name: -int(POPULATION[name]["population_1940"]))
    assert list(rows) == expected

    response = client.get("/migracion/poblacion/?sort=-population_1940&descargar=csv")
    assert response.status_code == 200
    downloaded = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["Departamento"] for row in downloaded] == expected
    for row in downloaded:
        for year in YEARS:
            assert int(row[f"Población {year}"]) == int(POPULATION[row["Departamento"]][f"population_{year}"])
    for export_format in ("json", "xlsx"):
        assert client.get(f"/migracion/poblacion/?descargar={export_format}").status_code == 200


def test_population_page_splits_the_census_table_in_two_each_with_its_footer_and_profile_links(get_page):
    _, soup = get_page("/migracion/poblacion/")
    headers, rows, footer = table_rows(soup, f"Población censada por departamento, 1940–{LAST}")
    assert headers == [
        "Departamento",
        *(f"Población {year}" for year in YEARS),
        "% del Perú 1940",
        f"% del Perú {LAST}",
    ]
    assert footer == ["Perú", *(grouped(NATIONAL[year]) for year in YEARS), "100.0 %", "100.0 %"]
    lima_last = Decimal(POPULATION["Lima"][f"population_{LAST}"]) * 100 / NATIONAL[LAST]
    assert rows["Lima"][-1] == percent(lima_last)

    headers, rows, footer = table_rows(soup, f"Crecimiento anual de la población por departamento, 1940–{LAST}")
    assert headers == [
        "Departamento",
        *(f"Crecimiento anual {start}–{end}" for start, end in itertools.pairwise(YEARS)),
    ]
    assert set(rows) == set(POPULATION)
    national = [
        ((NATIONAL[end] / NATIONAL[start]) ** (365.25 / (CENSUS_DATES[end] - CENSUS_DATES[start]).days) - 1) * 100
        for start, end in itertools.pairwise(YEARS)
    ]
    assert footer == ["Perú", *(f"{signed_decimal(rate)} %" for rate in national)]

    for caption in ("Población censada por departamento", "Crecimiento anual de la población por departamento"):
        table = next(t for t in soup.select("table") if text_of(t.caption).startswith(caption))
        link = table.select_one("tbody th a")
        assert link["href"] == f"/migracion/{slugify(text_of(link))}/#poblacion"
        assert "wide" in table.parent["class"] and "scroll-hint" in table.parent.find_previous_sibling()["class"]


def test_the_two_census_tables_sort_independently(get_page):
    by_1940 = sorted(POPULATION, key=lambda name: -int(POPULATION[name]["population_1940"]))
    by_growth = sorted(POPULATION, key=lambda name: by_hand_growth(name, 2007, 2017))
    alphabetical = sorted(POPULATION)
    _, soup = get_page("/migracion/poblacion/?sort=-population_1940")
    assert list(table_rows(soup, "Población censada por departamento")[1]) == by_1940
    assert list(table_rows(soup, "Crecimiento anual de la población")[1]) == alphabetical

    _, soup = get_page("/migracion/poblacion/?crecimiento_sort=growth_2007_2017")
    assert list(table_rows(soup, "Población censada por departamento")[1]) == alphabetical
    assert list(table_rows(soup, "Crecimiento anual de la población")[1]) == by_growth

    _, soup = get_page("/migracion/poblacion/?sort=-population_1940&crecimiento_sort=growth_2007_2017")
    assert list(table_rows(soup, "Población censada por departamento")[1]) == by_1940
    growth_table = next(t for t in soup.select("table") if text_of(t.caption).startswith("Crecimiento anual"))
    assert list(table_rows(soup, "Crecimiento anual de la población")[1]) == by_growth
    # its sort links keep the other table's order and change only its own
    link = growth_table.select_one("thead th a")["href"]
    assert "sort=-population_1940" in link and "crecimiento_sort=department" in link


def test_the_census_download_has_every_column_of_both_tables(client, get_page):
    _, soup = get_page("/migracion/poblacion/")
    assert text_of(soup.select_one(".downloads")).startswith("Descargar las dos tablas en un archivo: CSV")
    _, english = get_page("/en/migracion/poblacion/")
    assert text_of(english.select_one(".downloads")).startswith("Download both tables in one file: CSV")
    response = client.get("/migracion/poblacion/?descargar=csv")
    downloaded = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(downloaded[0]) == [
        "Departamento",
        "ubigeo",
        *(f"Población {year}" for year in YEARS),
        *(f"Crecimiento anual {start}–{end}" for start, end in itertools.pairwise(YEARS)),
        "% del Perú 1940",
        f"% del Perú {LAST}",
    ]
    lima = next(row for row in downloaded if row["Departamento"] == "Lima")
    assert Decimal(lima["Crecimiento anual 2007–2017"]) == one_decimal(by_hand_growth("Lima", 2007, 2017))
    english = client.get("/en/migracion/poblacion/?descargar=json").json()
    assert len(english) == len(POPULATION) and len(english[0]) == 2 + len(YEARS) + len(YEARS) - 1 + 2


def test_inei_boundary_note_is_shown_for_the_departments_it_marks_and_only_there(get_page):
    noted = {name for name, row in POPULATION.items() if row["inei_note_1"] == "yes"}
    assert len(noted) == 8
    _, soup = get_page("/migracion/poblacion/")
    note = text_of(soup.select_one(".boundary-note"))
    assert all(name in note for name in noted)
    for name in ("Junín", "Lima"):
        _, profile = get_page(f"/migracion/{slugify(name)}/")
        assert bool(profile.select_one(".boundary-note")) == (name in noted)


def test_profile_shows_population_in_every_census_with_its_share_of_peru(get_page):
    for name in ("Apurímac", "Callao", "Madre de Dios"):
        _, soup = get_page(f"/migracion/{slugify(name)}/")
        _, points, _ = table_rows(soup, f"{name}: población censada en cada censo")
        assert [cells[0] for cells in points.values()] == [grouped(POPULATION[name][f"population_{y}"]) for y in YEARS]
        assert [cells[1] for cells in points.values()] == [
            percent(Decimal(POPULATION[name][f"population_{y}"]) * 100 / NATIONAL[y]) for y in YEARS
        ]
        assert soup.select_one(f"figure#grafico-department-population[data-chart-url$='/{slugify(name)}.json']")


# --- Recent migration -------------------------------------------------------------------------------------------


def test_recent_migration_page_shows_every_figure_of_every_area_and_the_totals(get_page):
    _, soup = get_page("/migracion/reciente/")
    _, rows, footer = table_rows(soup, "Migración reciente por departamento")
    assert set(rows) == set(RECENT)
    for name, row in RECENT.items():
        cells = rows[name]
        assert cells[:5] == [grouped(row[column]) for column in RECENT_COLUMNS], name
        immigrants, emigrants = int(row["immigrants_2002_2007"]), int(row["emigrants_2002_2007"])
        population = Decimal(row["population_enumerated_5plus"])
        net = immigrants - emigrants
        assert cells[5] == ("+" if net > 0 else "−" if net < 0 else "") + grouped(abs(net))
        assert cells[6:] == [
            signed_decimal(Decimal(value) * 1000 / population) for value in (immigrants, emigrants, net)
        ], name
    totals = {column: sum(int(row[column]) for row in RECENT.values()) for column in RECENT_COLUMNS}
    assert totals["immigrants_2002_2007"] == totals["emigrants_2002_2007"]  # the invariant the source keeps
    assert footer[1:6] == [grouped(totals[column]) for column in RECENT_COLUMNS]


def test_recent_migration_download_has_every_number_of_the_file(client):
    response = client.get("/migracion/reciente/?descargar=csv")
    downloaded = {row["Departamento"]: row for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    headers = [
        "Población de 5 años y más",
        "Vivían en el departamento cinco años antes",
        "De ellos, siguen en el departamento",
        "Inmigrantes recientes",
        "Emigrantes recientes",
    ]
    assert set(downloaded) == set(RECENT)
    for name, row in RECENT.items():
        assert [int(downloaded[name][header]) for header in headers] == [int(row[c]) for c in RECENT_COLUMNS], name


def test_lima_y_callao_is_one_row_shown_once_and_explained(get_page):
    _, soup = get_page("/migracion/reciente/")
    _, rows, _ = table_rows(soup, "Migración reciente por departamento")
    names = list(rows)
    assert names.count("Lima y Callao") == 1
    assert "Lima" not in names and "Callao" not in names
    assert len(names) == 24
    notes = soup.select(".joint-note")
    assert len(notes) == 1
    assert "el INEI publica juntas las cifras de Lima y del Callao" in text_of(notes[0])
    # on the map, both departments carry the joint figure, each named by itself
    labels = [a["aria-label"] for a in soup.select("#mapa svg a")]
    joint = [label for label in labels if "(Lima y Callao):" in label]
    assert [label.split(" (")[0] for label in joint] == ["Callao", "Lima"]
    assert len({label.split(": ")[1] for label in joint}) == 1


@pytest.mark.parametrize("slug", ["lima", "callao"])
def test_lima_and_callao_profiles_show_recent_migration_as_joint(get_page, slug):
    joint = RECENT["Lima y Callao"]
    _, soup = get_page(f"/migracion/{slug}/")
    section = soup.select_one("#migracion-reciente").parent
    assert "(conjunto)" in text_of(section.select_one("thead"))
    assert section.select_one(".joint-note")
    _, rows, _ = table_rows(soup, f"{soup.h1.text}: migración de toda la vida y migración reciente")
    assert rows["Inmigrantes"][1] == grouped(joint["immigrants_2002_2007"])
    assert rows["Emigrantes"][1] == grouped(joint["emigrants_2002_2007"])


def test_a_single_department_profile_shows_its_recent_migration_beside_lifetime(get_page):
    row = RECENT["Cajamarca"]
    _, soup = get_page("/migracion/cajamarca/")
    section = soup.select_one("#migracion-reciente").parent
    assert not section.select_one(".joint-note")
    _, rows, _ = table_rows(soup, "Cajamarca: migración de toda la vida y migración reciente")
    population = Decimal(row["population_enumerated_5plus"])
    assert rows["Población de referencia"][1] == f"{grouped(population)} (5 años y más)"
    assert rows["Emigrantes"] == ["609,379", grouped(row["emigrants_2002_2007"])]
    rate = Decimal(row["emigrants_2002_2007"]) * 1000 / population
    # One unit per row: the recent rate per 1,000 has its own row, the lifetime % its own.
    assert rows["Emigrantes por 1,000 hab."] == ["—", signed_decimal(rate)]
    assert rows["% emigrantes"] == ["43.9 %", "—"]


# --- Comparison, API, open data, search, sitemap -------------------------------------------------------------------


def test_comparison_shows_population_and_recent_migration(get_page):
    _, soup = get_page("/migracion/comparar/?d=lima&d=puno")
    _, rows, _ = table_rows(soup, "Departamentos comparados: población censada")
    assert rows["Población 1940"] == [
        grouped(POPULATION["Lima"]["population_1940"]),
        grouped(POPULATION["Puno"]["population_1940"]),
    ]
    assert rows["Inmigrantes recientes 2002–2007"][1] == grouped(RECENT["Puno"]["immigrants_2002_2007"])
    assert "Lima y Callao" in rows["Inmigrantes recientes 2002–2007"][0]
    assert soup.select_one(".joint-note")


def test_api_serves_population_and_recent_migration_and_describes_them(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/censuses", "/api/v1/population", "/api/v1/population/{slug}", "/api/v1/recent-migration"):
        assert path in schema["paths"], path
    censuses = client.get("/api/v1/censuses").json()["items"]
    assert {item["year"]: item["national_population"] for item in censuses} == NATIONAL
    assert {item["year"]: item["census_date"] for item in censuses} == {
        y: d.isoformat() for y, d in CENSUS_DATES.items()
    }
    lima = client.get("/api/v1/population/lima").json()
    assert [item["population"] for item in lima["censuses"]] == [
        int(POPULATION["Lima"][f"population_{y}"]) for y in YEARS
    ]
    recent = client.get("/api/v1/recent-migration?limit=100").json()
    assert recent["count"] == 24
    joint = next(item for item in recent["items"] if item["name"] == "Lima y Callao")
    assert joint["ubigeo"] == "07+15"
    assert joint["departments"] == ["callao", "lima"]
    assert client.get("/api/v1/population/atlantida").status_code == 404


def test_open_data_zip_has_both_files_with_every_number(client):
    archive = zipfile.ZipFile(io.BytesIO(client.get("/datos/portal-migracion-datos.zip").content))
    population = list(csv.DictReader(io.StringIO(archive.read("poblacion_censos.csv").decode("utf-8-sig"))))
    assert len(population) == 25 * len(YEARS)
    for row in population:
        assert int(row["poblacion"]) == int(POPULATION[row["departamento"]][f"population_{row['censo']}"])
        assert int(row["poblacion_nacional"]) == NATIONAL[int(row["censo"])]
    recent = {
        row["area"]: row
        for row in csv.DictReader(io.StringIO(archive.read("migracion_reciente.csv").decode("utf-8-sig")))
    }
    assert set(recent) == set(RECENT)
    columns = ["poblacion_5_anios_y_mas", "residentes_5_anios_antes", "no_migrantes", "inmigrantes", "emigrantes"]
    for name, row in RECENT.items():
        assert [int(recent[name][c]) for c in columns] == [int(row[c]) for c in RECENT_COLUMNS]
        assert recent[name]["ubigeo"] == row["ubigeo"]
    readme = archive.read("LEEME.txt").decode()
    assert "poblacion_censos.csv" in readme and "migracion_reciente.csv" in readme


def test_data_page_dictionary_describes_the_new_files(get_page):
    _, soup = get_page("/datos/")
    captions = [text_of(caption) for caption in soup.select("caption")]
    assert any(caption.startswith("poblacion_censos.csv") for caption in captions)
    assert any(caption.startswith("migracion_reciente.csv") for caption in captions)


def test_search_and_sitemap_reach_the_new_pages(get_page, client):
    _, soup = get_page("/buscar/?q=poblacion censos")
    assert soup.select_one("#resultados-pages ~ ul a[href='/migracion/poblacion/']")
    _, soup = get_page("/buscar/?q=Lima y Callao")
    assert soup.select_one("#resultados-pages ~ ul a[href='/migracion/reciente/']")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/migracion/poblacion/" in sitemap and "/en/migracion/reciente/" in sitemap


def test_navigation_links_to_the_new_pages(get_page):
    _, soup = get_page("/migracion/")
    links = {a["href"] for a in soup.select(".section-nav a")}
    assert {"/migracion/reciente/", "/migracion/poblacion/", "/migracion/comparar/"} <= links


@pytest.mark.parametrize("url", ["/en/migracion/poblacion/", "/en/migracion/reciente/", "/en/migracion/lima/"])
def test_new_pages_are_in_english(get_page, url):
    _, soup = get_page(url)
    headings = " ".join(text_of(h) for h in soup.select("main h1, main h2, main th, main caption, .section-nav"))
    for spanish in ("Población", "Migración reciente", "Crecimiento", "Inmigrantes", "Emigrantes", "Censo"):
        assert spanish not in headings, spanish


def test_chart_json_matches_the_files(client):
    data = client.get("/migracion/graficos/poblacion.json").json()
    assert data["labels"] == [str(year) for year in YEARS]
    # {x: census year, y: population}: Chart.js places the censuses to scale on a linear x axis.
    assert data["datasets"][0]["data"] == [{"x": year, "y": NATIONAL[year]} for year in YEARS]
    recent = client.get("/migracion/graficos/migracion-reciente.json").json()
    assert recent["labels"].count("Lima y Callao") == 1
    assert json.dumps(recent)  # valid JSON for Chart.js


@pytest.mark.parametrize(
    ("page", "slugs"),
    [
        ("/migracion/poblacion/", ["population", "population-share"]),
        ("/migracion/reciente/", ["recent-net-rate", "recent-migrants"]),
        ("/migracion/huanuco/", ["department-population"]),
    ],
)
def test_each_new_chart_has_a_data_table_equal_to_its_json_and_names_its_source(get_page, client, page, slugs):
    _, soup = get_page(page)
    for slug in slugs:
        figure = soup.select_one(f"figure#grafico-{slug}")
        data = client.get(figure["data-chart-url"]).json()
        rows = figure.find("table").tbody.find_all("tr")
        assert [text_of(tr.th) for tr in rows] == data["labels"]
        for index, tr in enumerate(rows):
            cells = [text_of(td) for td in tr.find_all("td")]
            points = [dataset["data"][index] for dataset in data["datasets"]]
            values = [point["y"] if isinstance(point, dict) else point for point in points]  # {x: year, y: …}
            expected = {
                "int": lambda v: grouped(v),
                "percent": lambda v: f"{v:.1f} %",
                "rate": lambda v: signed_decimal(v),
            }[figure["data-chart-format"]]
            assert cells == [expected(value) for value in values], (slug, index)
        assert text_of(figure.select_one(".source")).startswith("Fuente: INEI")
