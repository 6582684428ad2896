"""Comparing 2 to 5 departments; bad, unknown, repeated, too many or too few slugs are explained."""

import pytest

from tests.conftest import text_of

pytestmark = pytest.mark.django_db


def header_names(soup) -> list[str]:
    return [text_of(th) for th in soup.select("#comparacion-tabla ~ thead th")][1:-1]


def test_two_departments_side_by_side_with_figures_ranks_and_chart(get_page, client):
    _, soup = get_page("/migracion/comparar/?d=lima&d=cajamarca")
    assert header_names(soup) == ["Lima", "Cajamarca"]
    rows = {
        text_of(tr.th): [text_of(td) for td in tr.find_all("td")] for tr in soup.select("table.data-table tbody tr")
    }
    assert rows["Inmigrantes"] == ["2,781,145 (1.º)", "77,395 (14.º)", "5,460,296"]
    assert rows["Saldo migratorio"] == ["+2,376,434 (1.º)", "−531,984 (25.º)", "0"]
    assert rows["% emigrantes"][0] == "4.8 % (25.º)"
    figure = soup.select_one("figure[data-chart-url]")
    data = client.get(figure["data-chart-url"]).json()
    assert data["labels"] == ["Lima", "Cajamarca"]
    assert [dataset["label"] for dataset in data["datasets"]] == ["% inmigrantes", "% emigrantes"]
    assert data["datasets"][1]["data"] == [4.8, 43.9]
    # the form keeps the choice; the URL is the permalink
    assert {box["value"] for box in soup.select("input[name=d][checked]")} == {"lima", "cajamarca"}


def test_five_is_the_maximum_and_the_rest_is_named(get_page):
    slugs = ["lima", "callao", "puno", "cusco", "tacna", "ica"]
    _, soup = get_page("/migracion/comparar/?" + "&".join(f"d={slug}" for slug in slugs))
    assert header_names(soup) == ["Lima", "Callao", "Puno", "Cusco", "Tacna"]
    assert "quedaron fuera: Ica" in text_of(soup.select_one(".form-errors"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "Elija entre 2 y 5 departamentos"),
        ("?d=lima", "Elija entre 2 y 5 departamentos"),
        ("?d=lima&d=lima", "Elija entre 2 y 5 departamentos"),
        ("?d=lima&d=atlantida", "No reconocimos estos departamentos y no los tuvimos en cuenta: atlantida"),
        ("?d=%3Cscript%3E&d=x", "No reconocimos"),
    ],
)
def test_too_few_or_unknown_departments_are_explained(get_page, query, expected):
    response, soup = get_page(f"/migracion/comparar/{query}")
    explained = " ".join(text_of(element) for element in soup.select(".form-errors, .instruction"))
    assert expected in explained
    if query in ("", "?d=lima"):  # nothing went wrong: the instruction is not shown as an error
        assert not soup.select(".form-errors")
    assert "<script>" not in response.content.decode()
    assert soup.select("input[name=d]")  # the form to choose again


def test_each_profile_links_to_compare_with_it_preselected(get_page):
    _, soup = get_page("/migracion/puno/")
    link = soup.find("a", string=lambda s: s and s.startswith("Comparar Puno con"))
    _, soup = get_page(link["href"])
    assert [box["value"] for box in soup.select("input[name=d][checked]")] == ["puno"]
