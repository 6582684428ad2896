"""Chart JSON (Chart.js) and the data table each chart carries on the page.

Expected series are computed here from the stored ``DepartmentFigures`` rows, not from the chart classes.
"""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import resolve, reverse

from migration.models import CensusEdition, DepartmentFigures
from tests.conftest import text_of
from tests.migration.test_population import NATIONAL

SUMMARY_CHARTS = ["chart-birthplace", "chart-migrants", "chart-immigrant-share", "chart-emigrant-share"]
SUMMARY_CHARTS += ["chart-net-migration"]
SLUGS = [
    "amazonas", "ancash", "apurimac", "arequipa", "ayacucho", "cajamarca", "callao", "cusco", "huancavelica",
    "huanuco", "ica", "junin", "la-libertad", "lambayeque", "lima", "loreto", "madre-de-dios", "moquegua",
    "pasco", "piura", "puno", "san-martin", "tacna", "tumbes", "ucayali",
]  # fmt: skip


def one_decimal(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def stored_rows():
    """The 2007 figures as stored, alphabetically."""
    return list(
        DepartmentFigures.objects.filter(edition__year=2007).select_related("department").order_by("department__name")
    )


def share(row, field) -> Decimal:
    return Decimal(getattr(row, field)) * 100 / Decimal(row.population)


def expected_chart(name: str, slug: str | None = None) -> tuple[list[str], list[tuple[str, list]]]:
    """(labels, [(dataset label, values)]) for a chart, from the database."""
    rows = stored_rows()
    if name == "chart-birthplace":
        edition = CensusEdition.objects.get(year=2007)
        migrants = sum(row.immigrants for row in rows)
        migrant_share = Decimal(migrants) * 100 / Decimal(edition.national_population)
        same = 100 - migrant_share - edition.born_abroad_share
        values = [one_decimal(same), one_decimal(migrant_share), one_decimal(edition.born_abroad_share)]
        labels = ["En el mismo departamento", "En otro departamento", "En otro país"]
        return labels, [("% de la población", values)]
    if name == "chart-migrants":  # sorted by immigrants, most first
        ranked = sorted(rows, key=lambda row: row.immigrants, reverse=True)
        return [row.department.name for row in ranked], [
            ("Inmigrantes", [row.immigrants for row in ranked]),
            ("Emigrantes", [row.emigrants for row in ranked]),
        ]
    if name in ("chart-immigrant-share", "chart-emigrant-share"):
        field = "immigrants" if name == "chart-immigrant-share" else "emigrants"
        ranked = sorted(rows, key=lambda row: share(row, field), reverse=True)
        label = "% inmigrantes" if field == "immigrants" else "% emigrantes"
        return [row.department.name for row in ranked], [(label, [one_decimal(share(row, field)) for row in ranked])]
    if name == "chart-net-migration":
        ranked = sorted(rows, key=lambda row: row.immigrants - row.emigrants, reverse=True)
        return [row.department.name for row in ranked], [
            ("Saldo migratorio", [row.immigrants - row.emigrants for row in ranked])
        ]
    if name == "chart-department":
        row = next(row for row in rows if row.department.slug == slug)
        return ["Inmigrantes", "Emigrantes"], [(row.department.name, [row.immigrants, row.emigrants])]
    raise AssertionError(name)


def url_of(name, slug=None):
    return reverse(f"migration:{name}", kwargs={"slug": slug} if slug else None)


def get_json(get_page, url, status=200):
    response, _ = get_page(url, status=status)
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def assert_chart_js_shape(data):
    # Only what Chart.js needs: no serialised view, no URL kwargs.
    assert set(data) == {"labels", "datasets"}
    assert data["datasets"]
    for dataset in data["datasets"]:
        assert {"data", "label"} <= set(dataset)
        assert len(dataset["data"]) == len(data["labels"])


# JSON ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SUMMARY_CHARTS)
def test_summary_chart_json(get_page, name):
    data = get_json(get_page, url_of(name))
    assert_chart_js_shape(data)
    labels, datasets = expected_chart(name)
    assert data["labels"] == labels
    assert [(dataset["label"], dataset["data"]) for dataset in data["datasets"]] == datasets


@pytest.mark.parametrize("slug", SLUGS)
def test_department_chart_json(get_page, slug):
    data = get_json(get_page, url_of("chart-department", slug))
    assert_chart_js_shape(data)
    assert "slug" not in data
    labels, datasets = expected_chart("chart-department", slug)
    assert data["labels"] == labels
    assert [(dataset["label"], dataset["data"]) for dataset in data["datasets"]] == datasets


def test_every_department_has_a_chart(db):
    assert sorted(row.department.slug for row in stored_rows()) == SLUGS


def test_birthplace_shares_add_up_to_100(get_page):
    data = get_json(get_page, url_of("chart-birthplace"))
    assert data["datasets"][0]["data"] == [79.8, 19.9, 0.3]
    assert sum(Decimal(str(value)) for value in data["datasets"][0]["data"]) == 100


def test_share_charts_rank_as_the_text_says(get_page):
    immigrants = get_json(get_page, url_of("chart-immigrant-share"))
    assert immigrants["labels"][:4] == ["Callao", "Madre de Dios", "Tacna", "Lima"]
    assert immigrants["labels"][-3:] == ["Piura", "Huancavelica", "Puno"]
    assert immigrants["datasets"][0]["data"][0] == 43.0
    emigrants = get_json(get_page, url_of("chart-emigrant-share"))
    assert emigrants["labels"][:3] == ["Huancavelica", "Apurímac", "Ayacucho"]
    assert emigrants["labels"][-3:] == ["Madre de Dios", "Tacna", "Lima"]
    net = get_json(get_page, url_of("chart-net-migration"))
    assert (net["labels"][0], net["datasets"][0]["data"][0]) == ("Lima", 2_376_434)
    assert (net["labels"][-1], net["datasets"][0]["data"][-1]) == ("Cajamarca", -531_984)


def test_chart_follows_an_edited_figure(get_page, db):
    # An editor corrects a figure in the admin (a save, recorded in the history): the chart shows it.
    row = DepartmentFigures.objects.get(edition__year=2007, department__slug="tacna")
    get_json(get_page, url_of("chart-migrants"))
    row.immigrants = 106_019
    row.save()
    data = get_json(get_page, url_of("chart-migrants"))
    assert data["datasets"][0]["data"][data["labels"].index("Tacna")] == 106_019
    assert get_json(get_page, url_of("chart-department", "tacna"))["datasets"][0]["data"] == [106_019, 28_908]


@pytest.mark.parametrize("slug", ["atlantida", "lima-metropolitana", "LIMA", "0"])
def test_unknown_department_chart_is_404(get_page, slug):
    get_page(url_of("chart-department", slug), status=404)


@pytest.mark.parametrize("edition", ["abc", "1850", "2017", "20070", "%C2%B2%E2%81%B0%E2%81%B0%E2%81%B7"])
def test_chart_of_unknown_edition_is_404(get_page, edition):
    get_page(f"{url_of('chart-migrants')}?edicion={edition}", status=404)
    get_page(f"{url_of('chart-department', 'lima')}?edicion={edition}", status=404)


def test_chart_of_edition_2007_asked_for(get_page):
    data = get_json(get_page, f"{url_of('chart-migrants')}?edicion=2007")
    assert data["labels"] == expected_chart("chart-migrants")[0]


CENSUS_YEARS = [1940, 1961, 1972, 1981, 1993, 2007, 2017, 2025]
YEARS_AXIS_CHARTS = {"chart-population", "chart-department-population"}


def value_of(point):
    """A chart value: a number, or the y of an {x, y} point (charts over census years)."""
    return point["y"] if isinstance(point, dict) else point


def match_name(url):
    return resolve(url.partition("?")[0]).url_name


@pytest.mark.parametrize("url", ["/migracion/graficos/poblacion.json", "/migracion/graficos/poblacion/cajamarca.json"])
def test_population_chart_places_the_censuses_by_year(get_page, url):
    """Points {x: census year, y: population}: Chart.js's linear x axis puts 1940→1961 (21 years) twice as
    far apart as 2007→2017 (10 years), not one equal step per census."""
    data = get_json(get_page, url)
    assert_chart_js_shape(data)
    assert data["labels"] == [str(year) for year in CENSUS_YEARS]
    (dataset,) = data["datasets"]
    assert [point["x"] for point in dataset["data"]] == CENSUS_YEARS
    assert all(isinstance(point["x"], int) and isinstance(point["y"], int) for point in dataset["data"])
    if url.endswith("poblacion.json"):  # the national totals of the censuses, as INEI publishes them
        assert dataset["data"] == [{"x": year, "y": NATIONAL[year]} for year in CENSUS_YEARS]


def test_charts_not_over_years_keep_plain_values(get_page):
    data = get_json(get_page, url_of("chart-migrants"))
    assert all(isinstance(value, int) for dataset in data["datasets"] for value in dataset["data"])
    data = get_json(get_page, "/migracion/graficos/poblacion-porcentaje.json")
    assert all(isinstance(value, float) for dataset in data["datasets"] for value in dataset["data"])


# The HTML data table of each chart on the pages ------------------------------------------------------


def parse_cell(text: str, value_format: str):
    if value_format == "percent":
        assert text.endswith(" %"), text
        return float(text.removesuffix(" %"))
    return int(text.replace(",", "").replace("−", "-").replace("+", ""))


@pytest.mark.parametrize(
    ("page", "charts"),
    [
        ("/", {"chart-birthplace"}),
        ("/migracion/", {"chart-migrants", "chart-immigrant-share", "chart-emigrant-share", "chart-net-migration"}),
        ("/migracion/apurimac/", {"chart-department", "chart-department-population"}),
        ("/migracion/lima/", {"chart-department", "chart-department-population"}),
        ("/migracion/poblacion/", {"chart-population", "chart-population-share"}),
    ],
)
def test_each_chart_on_the_page_has_its_data_table(get_page, page, charts):
    _, soup = get_page(page)
    figures = soup.select("figure[data-chart-url]")
    assert len(figures) == len(charts)
    seen = set()
    for figure in figures:
        url = figure["data-chart-url"]
        data = get_json(get_page, url)
        assert_chart_js_shape(data)

        table = figure.find("table")
        assert table is not None, url
        headers = [text_of(th) for th in table.thead.find_all("th")]
        assert headers[1:] == [dataset["label"] for dataset in data["datasets"]], url
        rows = table.tbody.find_all("tr")
        assert [text_of(tr.th) for tr in rows] == data["labels"], url
        value_format = figure["data-chart-format"]
        for index, tr in enumerate(rows):
            cells = [parse_cell(text_of(td), value_format) for td in tr.find_all("td")]
            assert cells == [value_of(dataset["data"][index]) for dataset in data["datasets"]], (
                url,
                data["labels"][index],
            )
        # A chart over census years says so, and its points carry the years the table's rows name.
        assert figure.has_attr("data-chart-years") == (match_name(url) in YEARS_AXIS_CHARTS), url

        # The figure names its chart's data, and says where the data come from.
        assert text_of(figure.find(class_="chart-title"))
        path, _, query = url.partition("?")
        match = resolve(path)
        seen.add(match.url_name)
        if match.url_name.startswith("chart-population") or match.url_name == "chart-department-population":
            # Population history comes from INEI's census tables, not from CAD's compilation.
            assert text_of(figure.find("p", class_="source")).startswith("Fuente: INEI – Censos Nacionales")
            continue
        assert text_of(figure.find("p", class_="source")) == (
            "Elaboración: CAD Ciudadanos al Día, según información del INEI"
        )
        # And the JSON is what the database holds.
        assert query == "edicion=2007"
        labels, datasets = expected_chart(match.url_name, match.kwargs.get("slug"))
        assert (data["labels"], [(d["label"], d["data"]) for d in data["datasets"]]) == (labels, datasets)
    assert seen == charts


def test_chart_summaries_state_the_extremes(get_page):
    _, soup = get_page("/migracion/")
    summaries = {
        figure["id"]: text_of(figure.find("p", class_="chart-summary"))
        for figure in soup.select("figure[data-chart-url]")
    }
    assert summaries["grafico-migrants"] == (
        "Lima recibe la mayor cantidad de inmigrantes: 2,781,145; Cajamarca tiene la mayor cantidad de emigrantes: "
        "609,379."
    )
    assert summaries["grafico-immigrant-share"] == (
        "Callao tiene el mayor porcentaje de inmigrantes (43.0 %) y Puno el menor (2.6 %)."
    )
    assert summaries["grafico-emigrant-share"] == (
        "Huancavelica tiene el mayor porcentaje de emigrantes (53.8 %) y Lima el menor (4.8 %)."
    )
    rows = stored_rows()
    gainers = sum(row.immigrants > row.emigrants for row in rows)
    losers = sum(row.immigrants < row.emigrants for row in rows)
    assert summaries["grafico-net-migration"] == (
        f"Lima gana más población por migración (+2,376,434) y Cajamarca es el que más pierde (−531,984); "
        f"{gainers} departamentos ganan y {losers} pierden."
    )
