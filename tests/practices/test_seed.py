"""The four practices of the 2009 award, loaded from data/, as a visitor reads them on their pages."""

import pytest

from tests.conftest import text_of

from .conftest import BANANO, CATEGORY_NAME, CATEGORY_SLUG, CREDITO, INCAGRO, SIERRA_SUR, section

SEED = {
    "exportacion-banano-organico-piura": {
        "title": BANANO,
        "institution": ("Ministerio de Comercio Exterior y Turismo (Mincetur)", "/practicas/institucion/mincetur/"),
        "programme": "Central Piurana de Asociaciones de Pequeños Productores de Banano Orgánico (CEPIBO)",
        "figures": [
            "300 puestos de trabajo",
            "1,400 pequeños productores",
            "US$ 2 millones en exportaciones (2008)",
            "1 hectárea por productor en promedio",
        ],
        "departments": ["Piura"],
        "scope": "Regional",
        "started": None,
    },
    "credito-solidario-comunidades-campesinas": {
        "title": CREDITO,
        "institution": ("Banco Agropecuario (Agrobanco)", "/practicas/institucion/agrobanco/"),
        "programme": "Crédito Solidario para Comunidades Campesinas",
        "figures": ["13 comunidades campesinas", "290 productores de papa"],
        "departments": ["Apurímac"],
        "scope": "Regional",
        "started": "septiembre del 2007",
    },
    "sierra-sur": {
        "title": SIERRA_SUR,
        "institution": ("Ministerio de Agricultura (Minag)", "/practicas/institucion/minag/"),
        "programme": "Proyecto Sierra Sur",
        "figures": [],
        "departments": ["Apurímac", "Arequipa", "Cusco", "Moquegua", "Puno", "Tacna"],
        "scope": "Regional",
        "started": None,
    },
    "incagro-innovacion-agraria": {
        "title": INCAGRO,
        "institution": ("Ministerio de Agricultura (Minag)", "/practicas/institucion/minag/"),
        "programme": "Innovación y Competitividad para el Agro Peruano (INCAGRO)",
        "figures": [],
        "departments": [],
        "scope": "Nacional",
        "started": None,
    },
}


def facts(soup) -> dict[str, str]:
    """The «Ficha» of a practice page: label → value."""
    dl = soup.select_one("aside.facts dl")
    return {text_of(dt): text_of(dt.find_next_sibling("dd")) for dt in dl.find_all("dt")}


@pytest.mark.parametrize("slug", list(SEED))
def test_title_summary_and_award(get_page, slug):
    expected = SEED[slug]
    _, soup = get_page(f"/practicas/{slug}/")
    assert text_of(soup.h1) == expected["title"]
    assert soup.title.get_text().startswith(expected["title"])
    assert text_of(soup.select_one("article.practice p.eyebrow")) == f"{CATEGORY_NAME} · Buena Práctica 2009"
    assert text_of(soup.select_one("article.practice p.lead"))  # the summary is shown
    source = text_of(soup.select("article.practice > p.source")[-1])
    assert source == (
        f"Fuente: Premio Buenas Prácticas en Gestión Pública 2009 (Ciudadanos al Día), categoría {CATEGORY_NAME}."
    )  # CAD compiled the census figures, not these texts: no «Elaboración: CAD» here


@pytest.mark.parametrize("slug", list(SEED))
def test_key_figures_as_displayed(get_page, slug):
    _, soup = get_page(f"/practicas/{slug}/")
    figures = [text_of(li) for li in soup.select("ul.practice-figures > li")]
    assert figures == SEED[slug]["figures"]


def test_banano_figures_are_those_the_text_quotes(get_page):
    """The highlighted figures repeat the numbers of the practice's own text, written the same way."""
    _, soup = get_page("/practicas/exportacion-banano-organico-piura/")
    body = text_of(soup.select_one("article.practice .prose"))
    assert "1,400 pequeños productores" in body
    assert "US$ 2 millones en exportaciones" in body
    assert "300 puestos de trabajo" in body
    assert text_of(soup.select_one("ul.practice-figures > li strong")) == "300"


@pytest.mark.parametrize("slug", list(SEED))
def test_facts_institution_programme_category_scope(get_page, slug):
    expected = SEED[slug]
    _, soup = get_page(f"/practicas/{slug}/")
    shown = facts(soup)
    institution, institution_url = expected["institution"]
    assert shown["Institución"] == institution
    assert shown["Programa"] == expected["programme"]
    assert shown["Categoría"] == CATEGORY_NAME
    assert shown["Año del premio"] == "2009"
    assert shown["Alcance"] == expected["scope"]
    if expected["started"]:
        assert shown["Inicio"] == expected["started"]
    else:
        assert "Inicio" not in shown

    links = {text_of(a): a["href"] for a in soup.select("aside.facts a")}
    assert links[institution] == institution_url
    assert links[CATEGORY_NAME] == f"/practicas/categoria/{CATEGORY_SLUG}/"
    assert links["2009"] == "/practicas/?anio=2009"


@pytest.mark.parametrize("slug", list(SEED))
def test_departments_where_it_applies(get_page, slug):
    _, soup = get_page(f"/practicas/{slug}/")
    departments = section(soup, "departamentos")
    names = [text_of(li.a) for li in departments.select("ul.department-context > li")]
    assert names == SEED[slug]["departments"]
    if not names:
        assert "Práctica de alcance nacional: no se limita a un departamento." in text_of(departments)


def test_credito_started_in_september_2007(get_page):
    _, soup = get_page("/practicas/credito-solidario-comunidades-campesinas/")
    assert facts(soup)["Inicio"] == "septiembre del 2007"
    assert "Andahuaylas" in text_of(soup.select_one("article.practice .prose"))


def test_the_catalogue_lists_the_four_seed_practices(get_page):
    _, soup = get_page("/practicas/")
    assert text_of(soup.select_one("h2#resultados")) == "4 buenas prácticas"
    rows = {
        text_of(tr.th.a): [" ".join(td.get_text().split()) for td in tr.find_all("td")]
        for tr in soup.select("table.catalogue tbody tr")
    }
    assert rows == {
        CREDITO: ["2009", "Banco Agropecuario (Agrobanco)", "Apurímac"],
        BANANO: ["2009", "Ministerio de Comercio Exterior y Turismo (Mincetur)", "Piura"],
        INCAGRO: ["2009", "Ministerio de Agricultura (Minag)", "Alcance nacional"],
        SIERRA_SUR: ["2009", "Ministerio de Agricultura (Minag)", "Apurímac, Arequipa, Cusco, Moquegua, Puno, Tacna"],
    }
    for tr in soup.select("table.catalogue tbody tr"):
        assert text_of(tr.th.select_one(".meta")) == CATEGORY_NAME
