"""The catalogue /practicas/: filters, search, sort, pagination and bad input, as a visitor uses them."""

from urllib.parse import parse_qs, quote, urlencode, urlsplit

import factory
import pytest
from bs4 import BeautifulSoup

from practices.models import Practice
from tests.conftest import text_of
from tests.factories import CategoryFactory, InstitutionFactory, PracticeFactory
from tests.html import seen_text_of

from .conftest import (
    BANANO,
    CATEGORY_SLUG,
    CREDITO,
    EMPTY_TEXT,
    INCAGRO,
    SIERRA_SUR,
    catalogue_column,
    catalogue_titles,
    empty_message,
    result_count,
)

ALL_SEED = [CREDITO, BANANO, INCAGRO, SIERRA_SUR]  # default order: newest award first, then by title


def url(**params) -> str:
    return "/practicas/?" + urlencode(params) if params else "/practicas/"


def titles(get_page, address, status=200) -> list[str]:
    _, soup = get_page(address, status=status)
    return catalogue_titles(soup)


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


# Introduction and the unfiltered catalogue ---------------------------------------------------


def test_introduction_block_and_all_published_practices(get_page):
    _, soup = get_page("/practicas/")
    assert text_of(soup.h1) == "Buenas Prácticas en Gestión Pública"
    assert "La ausencia de oportunidades de desarrollo local" in text_of(soup.select_one("main .prose"))
    assert catalogue_titles(soup) == ALL_SEED
    assert result_count(soup) == "4 buenas prácticas"
    assert soup.find("a", string="Quitar filtros") is None  # nothing to clear


# Filters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"anio": "2009"}, ALL_SEED),
        ({"categoria": CATEGORY_SLUG}, ALL_SEED),
        ({"institucion": "minag"}, [INCAGRO, SIERRA_SUR]),
        ({"institucion": "agrobanco"}, [CREDITO]),
        ({"institucion": "mincetur"}, [BANANO]),
        ({"departamento": "apurimac"}, [CREDITO, SIERRA_SUR]),
        ({"departamento": "piura"}, [BANANO]),
        ({"departamento": "tacna"}, [SIERRA_SUR]),
        ({"alcance": "national"}, [INCAGRO]),
        ({"alcance": "regional"}, [CREDITO, BANANO, SIERRA_SUR]),
        # Empty values are "Todos": no filter.
        ({"anio": "", "categoria": "", "institucion": "", "departamento": "", "alcance": "", "q": ""}, ALL_SEED),
    ],
)
def test_each_filter_on_the_seed(get_page, params, expected):
    assert titles(get_page, url(**params)) == expected


def test_filters_separate_new_practices_from_the_seed(get_page, seed):
    other_category = CategoryFactory(name="Gestión del Agua")
    other_institution = InstitutionFactory(name="Gobierno Regional de Cusco", acronym="GRC")
    riego = PracticeFactory(
        title="Riego tecnificado en Cusco",
        award_year=2012,
        category=other_category,
        institution=other_institution,
        departments=[seed.cusco],
    )

    assert titles(get_page, url(anio="2012")) == [riego.title]
    assert titles(get_page, url(anio="2009")) == ALL_SEED
    assert titles(get_page, url(categoria=other_category.slug)) == [riego.title]
    assert titles(get_page, url(categoria=CATEGORY_SLUG)) == ALL_SEED
    assert titles(get_page, url(institucion=other_institution.slug)) == [riego.title]
    assert titles(get_page, url(departamento="cusco")) == [riego.title, SIERRA_SUR]
    assert titles(get_page, url(alcance="regional")) == [riego.title, CREDITO, BANANO, SIERRA_SUR]
    assert titles(get_page, "/practicas/") == [riego.title, *ALL_SEED]

    # The new year and institution are offered in the form.
    _, soup = get_page("/practicas/")
    years = [option["value"] for option in soup.select("select[name=anio] option")]
    assert years == ["", "2012", "2009"]
    institutions = [option["value"] for option in soup.select("select[name=institucion] option")]
    assert other_institution.slug in institutions


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"institucion": "minag", "alcance": "regional"}, [SIERRA_SUR]),
        ({"institucion": "minag", "alcance": "national"}, [INCAGRO]),
        ({"departamento": "apurimac", "institucion": "agrobanco"}, [CREDITO]),
        ({"departamento": "apurimac", "q": "sierra"}, [SIERRA_SUR]),
        ({"departamento": "piura", "q": "crédito"}, []),
        (
            {"anio": "2009", "categoria": CATEGORY_SLUG, "alcance": "regional", "departamento": "apurimac"},
            [
                CREDITO,
                SIERRA_SUR,
            ],
        ),
        ({"institucion": "mincetur", "departamento": "apurimac"}, []),
        ({"departamento": "apurimac", "alcance": "national"}, []),
    ],
)
def test_filters_combine(get_page, params, expected):
    assert titles(get_page, url(**params)) == expected


def test_department_filter_lists_a_practice_once_even_with_several_departments(get_page, seed):
    PracticeFactory(title="Ferias en Apurímac y Piura", departments=[seed.apurimac, seed.piura])
    assert titles(get_page, url(departamento="apurimac")) == ["Ferias en Apurímac y Piura", CREDITO, SIERRA_SUR]
    _, soup = get_page(url(q="apurímac piura"))
    assert catalogue_titles(soup) == ["Ferias en Apurímac y Piura"]
    assert result_count(soup) == "1 buena práctica"


# Search ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("apurimac", [CREDITO, SIERRA_SUR]),
        ("APURÍMAC", [CREDITO, SIERRA_SUR]),
        ("Apurímac", [CREDITO, SIERRA_SUR]),
        ("credito", [CREDITO]),
        ("crédito", [CREDITO]),
        ("CRÉDITO", [CREDITO]),
        ("andahuaylas", [CREDITO]),
        ("ANDAHUAYLAS", [CREDITO]),
        ("Crédito Apurímac", [CREDITO]),  # every word must match
        ("banano apurimac", []),
        ("tacna", [SIERRA_SUR]),  # a department the practice serves
        ("cepibo", [BANANO]),
        ("minag", [INCAGRO, SIERRA_SUR]),  # institution acronym
        ("banco agropecuario", [CREDITO]),  # institution name
        ("ministerio de agricultura", [INCAGRO, SIERRA_SUR]),
        ("genética", [INCAGRO]),  # only in the body
        ("  sierra   SUR  ", [SIERRA_SUR]),
        ("gestion publica", ALL_SEED),
    ],
)
def test_search_is_accent_and_case_insensitive(get_page, query, expected):
    assert titles(get_page, url(q=query)) == expected


@pytest.mark.parametrize("field", ["title", "summary", "body", "programme", "institution_name", "institution_acronym"])
def test_search_looks_in_each_field(get_page, field):
    """A word that appears in only one field of a practice finds it, whatever its accents and case."""
    values = {"title": "Práctica de búsqueda", "summary": "Resumen.", "body": "Texto.", "programme": "Programa"}
    institution = {"name": "Institución de búsqueda", "acronym": "IDB"}
    if field.startswith("institution_"):
        institution[field.removeprefix("institution_")] = "Ñandúes Públicos" if field.endswith("name") else "ÑANDÚ"
    else:
        values[field] += " Ñandú"
    practice = PracticeFactory(institution=InstitutionFactory(**institution), **values)

    assert titles(get_page, url(q="nandu")) == [practice.title]
    assert titles(get_page, url(q="ÑANDÚ")) == [practice.title]
    assert titles(get_page, url(q="nandu crédito")) == []


def test_search_shows_the_query_and_the_count(get_page):
    _, soup = get_page(url(q="crédito"))
    assert soup.select_one("form.filters input[name=q]")["value"] == "crédito"
    assert result_count(soup) == "1 buena práctica"
    assert soup.title.get_text().startswith("Buenas prácticas: resultados")
    assert soup.find("a", string="Quitar filtros")["href"] == "/practicas/"


# Filter state in the URL ---------------------------------------------------------------------


def test_the_form_shows_the_filters_of_the_url(get_page):
    params = {
        "q": "crédito",
        "anio": "2009",
        "categoria": CATEGORY_SLUG,
        "institucion": "agrobanco",
        "departamento": "apurimac",
        "alcance": "regional",
        "sort": "-title",
    }
    _, soup = get_page(url(**params))
    assert catalogue_titles(soup) == [CREDITO]
    form = soup.select_one("form.filters")
    assert form["method"] == "get"
    assert form["action"] == "/practicas/#resultados"  # "Aplicar" brings the reader to the results
    assert form.select_one("input[name=q]")["value"] == "crédito"
    for name in ("anio", "categoria", "institucion", "departamento", "alcance"):
        selected = form.select(f"select[name={name}] option[selected]")
        assert [option["value"] for option in selected] == [params[name]], name
    assert text_of(form.select_one("select[name=departamento] option[selected]")) == "Apurímac (2)"
    assert text_of(form.select_one("select[name=institucion] option[selected]")) == "Banco Agropecuario (Agrobanco) (1)"
    # Folded on phones, the filters say how many are applied.
    assert text_of(form.select_one("details.filter-panel > summary")) == "Buscar y filtrar (6 filtros aplicados)"
    # Applying the form again keeps the sort order.
    assert form.select_one("input[type=hidden][name=sort]")["value"] == "-title"


def test_no_match_says_so(get_page):
    _, soup = get_page(url(departamento="lima"))
    assert catalogue_titles(soup) == []
    assert empty_message(soup) == EMPTY_TEXT
    assert result_count(soup) == "0 buenas prácticas"

    _, soup = get_page(url(q="zzzxxyy"))
    assert empty_message(soup) == EMPTY_TEXT


# Sort ------------------------------------------------------------------------------------------


@pytest.fixture
def sortable(db):
    """Three practices of one category whose title, year and institution orders all differ."""
    category = CategoryFactory(name="Categoría para ordenar")
    for title, year, institution, acronym in [
        ("Acueducto rural", 2011, "Zeta Municipalidad", "ZM"),
        ("Biblioteca móvil", 2015, "Alfa Gobierno Regional", "AGR"),
        ("Catastro digital", 2013, "Mu Ministerio", "MM"),
    ]:
        PracticeFactory(
            title=title,
            award_year=year,
            category=category,
            institution=InstitutionFactory(name=institution, acronym=acronym),
        )
    return category


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["Acueducto rural", "Biblioteca móvil", "Catastro digital"]),
        ("-title", ["Catastro digital", "Biblioteca móvil", "Acueducto rural"]),
        ("award_year", ["Acueducto rural", "Catastro digital", "Biblioteca móvil"]),
        ("-award_year", ["Biblioteca móvil", "Catastro digital", "Acueducto rural"]),
        ("institution", ["Biblioteca móvil", "Catastro digital", "Acueducto rural"]),
        ("-institution", ["Acueducto rural", "Catastro digital", "Biblioteca móvil"]),
        ("", ["Biblioteca móvil", "Catastro digital", "Acueducto rural"]),  # default: newest award first
        ("unknown", ["Biblioteca móvil", "Catastro digital", "Acueducto rural"]),
    ],
)
def test_sort_both_directions(get_page, sortable, sort, expected):
    _, soup = get_page(url(categoria=sortable.slug, sort=sort))
    assert catalogue_titles(soup) == expected


def test_sort_columns_on_the_seed(get_page):
    assert titles(get_page, url(sort="-title")) == [SIERRA_SUR, INCAGRO, BANANO, CREDITO]
    _, soup = get_page(url(sort="institution"))
    institutions = catalogue_column(soup, 1)
    assert institutions == sorted(institutions)
    assert institutions[0] == "Banco Agropecuario (Agrobanco)"
    assert institutions[-1] == "Ministerio de Comercio Exterior y Turismo (Mincetur)"
    _, soup = get_page(url(sort="-institution"))
    assert catalogue_column(soup, 1) == sorted(institutions, reverse=True)


def test_sort_links_keep_the_filters_and_mark_the_sorted_column(get_page, sortable):
    _, soup = get_page(url(categoria=sortable.slug, sort="title"))
    headers = {text_of(th): th for th in soup.select("table.catalogue thead th")}
    assert headers["Práctica"]["aria-sort"] == "ascending"
    assert not headers["Institución"].has_attr("aria-sort")
    assert "Departamentos" in headers and headers["Departamentos"].a is None  # not sortable

    link = headers["Práctica"].a["href"]
    assert query_of(link) == {"categoria": [sortable.slug], "sort": ["-title"]}
    _, soup = get_page("/practicas/" + link)
    assert catalogue_titles(soup) == ["Catastro digital", "Biblioteca móvil", "Acueducto rural"]
    assert soup.select_one("table.catalogue thead th[aria-sort]")["aria-sort"] == "descending"

    year_link = headers["Año"].a["href"]
    assert query_of(year_link)["categoria"] == [sortable.slug]
    assert query_of(headers["Institución"].a["href"]) == {"categoria": [sortable.slug], "sort": ["institution"]}


# Pagination ------------------------------------------------------------------------------------


@pytest.fixture
def many(db):
    """25 practices of one category, newer (2010) than the 2009 seed."""
    category = CategoryFactory(name="Categoría paginada")
    PracticeFactory.create_batch(
        25,
        title=factory.Iterator([f"Práctica paginada {n:02d}" for n in range(1, 26)]),
        category=category,
        award_year=2010,
    )
    return category


def page_links(soup) -> dict[str, str]:
    return {seen_text_of(a): a["href"] for a in soup.select("nav.pagination a")}


def test_twenty_per_page(get_page, many):
    _, first = get_page("/practicas/")
    _, second = get_page("/practicas/?page=2")
    page_1, page_2 = catalogue_titles(first), catalogue_titles(second)
    assert len(page_1) == 20
    assert len(page_2) == 9
    assert set(page_1).isdisjoint(page_2)
    assert result_count(first) == result_count(second) == "29 buenas prácticas"
    # Newest award first, then by title: the 2010 practices, then the 2009 seed.
    assert page_1 == [f"Práctica paginada {n:02d}" for n in range(1, 21)]
    assert page_2 == [f"Práctica paginada {n:02d}" for n in range(21, 26)] + ALL_SEED
    everything = set(Practice.objects.published().values_list("title", flat=True))
    assert set(page_1) | set(page_2) == everything

    assert first.select_one("nav.pagination [aria-current=page]").get_text() == "1"
    assert second.select_one("nav.pagination [aria-current=page]").get_text() == "2"
    assert first.select_one("nav.pagination a[rel=next]") is not None
    assert first.select_one("nav.pagination a[rel=prev]") is None
    assert second.select_one("nav.pagination a[rel=next]") is None
    assert query_of(second.select_one("nav.pagination a[rel=prev]")["href"])["page"] == ["1"]


def test_page_links_keep_filters_and_sort(get_page, many):
    _, soup = get_page(url(categoria=many.slug, sort="title"))
    page_1 = catalogue_titles(soup)
    assert page_1 == [f"Práctica paginada {n:02d}" for n in range(1, 21)]
    next_href = soup.select_one("nav.pagination a[rel=next]")["href"]
    assert query_of(next_href) == {"categoria": [many.slug], "sort": ["title"], "page": ["2"]}
    assert query_of(page_links(soup)["2"]) == {"categoria": [many.slug], "sort": ["title"], "page": ["2"]}

    _, soup = get_page("/practicas/" + next_href)
    assert catalogue_titles(soup) == [f"Práctica paginada {n:02d}" for n in range(21, 26)]
    assert soup.select_one("select[name=categoria] option[selected]")["value"] == many.slug
    assert query_of(soup.select_one("nav.pagination a[rel=prev]")["href"]) == {
        "categoria": [many.slug],
        "sort": ["title"],
        "page": ["1"],
    }


def test_pages_neither_repeat_nor_skip_practices_whatever_the_sort(get_page, seed):
    """Many practices share a year, an institution, even a title: each still appears on exactly one page."""
    institution = InstitutionFactory(name="Institución con muchas prácticas")
    PracticeFactory.create_batch(100, institution=institution, category=seed.category, award_year=2010)
    PracticeFactory.create_batch(
        16,
        title="Mismo título",
        slug=factory.Sequence(lambda n: f"mismo-titulo-{n}"),
        institution=institution,
        category=seed.category,
        award_year=2010,
    )
    published = sorted(p.get_absolute_url() for p in Practice.objects.published())
    for sort in ("award_year", "-award_year", "institution", "-institution", "title", "-title", ""):
        shown = []
        for page in range(1, 7):
            _, soup = get_page(url(sort=sort, page=page) if sort else url(page=page))
            shown += [row.th.a["href"] for row in soup.select("table.catalogue tbody tr")]
        assert len(shown) == 120, sort
        assert sorted(shown) == published, sort


def test_a_filter_with_few_results_has_no_pagination(get_page, many):
    _, soup = get_page(url(categoria=CATEGORY_SLUG))
    assert catalogue_titles(soup) == ALL_SEED
    assert soup.select_one("nav.pagination") is None


@pytest.mark.parametrize("page", ["abc", "99999", "0", "-1", "2.5", "", "%00"])
def test_odd_page_numbers_never_fail(client, many, page):
    response = client.get(f"/practicas/?page={page}")
    assert response.status_code in (200, 404)


# Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "label"),
    [
        ({"categoria": "no-existe"}, "Categoría"),
        ({"institucion": "no-existe"}, "Institución"),
        ({"departamento": "atlantida"}, "Departamento"),
        ({"anio": "abc"}, "Año del premio"),
        ({"anio": "1995"}, "Año del premio"),
        ({"alcance": "x"}, "Alcance"),
        ({"q": "a" * 201}, "Buscar"),
        ({"q": "a\x00b"}, "Buscar"),
        ({"departamento": "\x00"}, "Departamento"),
        ({"departamento": "apurimac", "alcance": "x"}, "Alcance"),
    ],
)
def test_invalid_filter_values_give_400_with_spanish_errors(get_page, params, label):
    response, soup = get_page(url(**params), status=400)
    errors = soup.select_one(".form-errors")
    assert errors is not None
    assert errors["role"] == "alert"
    assert text_of(errors).startswith("No pudimos aplicar algunos filtros:")
    messages = [text_of(li) for li in errors.select("li")]
    assert len(messages) == 1
    assert messages[0].startswith(f"{label}: ")
    assert any(words in messages[0] for words in ("opción válida", "caracteres"))
    # The page is still the catalogue, with its form to correct the value.
    assert soup.select_one("form.filters") is not None
    assert "Página no encontrada" not in text_of(soup)
    assert response["Content-Type"].startswith("text/html")


def test_error_messages_name_every_bad_filter(get_page):
    _, soup = get_page(url(categoria="x", institucion="y", anio="abc"), status=400)
    messages = [text_of(li) for li in soup.select(".form-errors li")]
    assert [message.split(":")[0] for message in messages] == ["Año del premio", "Categoría", "Institución"]
    assert all("Escoja una opción válida." in message for message in messages)
    assert messages[0] == "Año del premio: Escoja una opción válida. abc no es una de las opciones disponibles."


def test_a_long_search_is_refused_with_the_limit(get_page):
    _, soup = get_page(url(q="a" * 201), status=400)
    assert "200 caracteres (tiene 201)" in text_of(soup.select_one(".form-errors"))
    # 200 characters is fine.
    _, soup = get_page(url(q="a" * 200))
    assert empty_message(soup) == EMPTY_TEXT


UNUSUAL_SEARCHES = ["ñandú", "😀", "数据", "مرحبا", "Ω≈ç√∫", "' OR '1'='1", "1; DROP TABLE practices_practice; --"]
UNUSUAL_SEARCHES += ['" OR 1=1 --', "%", "_", "%' --", "\\", "<script>alert(1)</script>"]


def test_unicode_and_sql_looking_searches_are_plain_text(get_page):
    for query in UNUSUAL_SEARCHES:
        _, soup = get_page("/practicas/?q=" + quote(query))
        assert catalogue_titles(soup) == [], query
        assert empty_message(soup) == EMPTY_TEXT, query
        assert soup.select_one("form.filters input[name=q]")["value"] == query, query  # shown back, escaped
        assert soup.find("script", string="alert(1)") is None, query
    # Nothing was harmed: the catalogue is intact.
    assert titles(get_page, "/practicas/") == ALL_SEED


def test_the_catalogue_always_shows_twenty_rows_per_page(client, db):
    PracticeFactory.create_batch(30)
    soup = BeautifulSoup(client.get("/practicas/?per_page=500").content, "html.parser")
    assert len(soup.select("table.catalogue tbody tr")) == 20


# Filter options: only those with results, with their counts -----------------------------------


def options(soup, name) -> list[str]:
    return [text_of(option) for option in soup.select(f"form.filters select[name={name}] option")]


def test_filters_offer_only_options_with_published_practices_and_their_counts(get_page, seed):
    PracticeFactory(status=Practice.Status.DRAFT, departments=[seed.lima])  # a draft counts for nothing
    _, soup = get_page("/practicas/")
    departments = options(soup, "departamento")
    assert departments[0] == "Todos"
    assert "Apurímac (2)" in departments
    assert not any(option.startswith(("Lima", "Loreto")) for option in departments)  # no practice there
    assert all(option == "Todos" or option.endswith(")") for option in departments)
    assert options(soup, "anio") == ["Todos", "2009 (4)"]
    assert options(soup, "categoria") == ["Todas", "Promoción del Desarrollo Económico (4)"]
    assert options(soup, "alcance") == ["Todos", "Regional (3)", "Nacional (1)"]
    assert "Ministerio de Agricultura (Minag) (2)" in options(soup, "institucion")

    # Each count is what choosing the option gives.
    for option in soup.select("form.filters select[name=departamento] option[value!='']"):
        count = int(text_of(option).rsplit("(", 1)[1].rstrip(")"))
        _, results = get_page(url(departamento=option["value"]))
        assert len(catalogue_titles(results)) == count, option["value"]


def test_a_department_without_practices_from_a_link_still_shows_what_is_filtered(get_page):
    _, soup = get_page(url(departamento="lima"))  # linked from Lima's profile and the figures table
    assert "Lima (0)" in options(soup, "departamento")  # shown while chosen, though it has no practice
    assert text_of(soup.select_one("select[name=departamento] option[selected]")) == "Lima (0)"
    assert result_count(soup) == "0 buenas prácticas"


def test_filters_in_english_name_the_options_in_english(get_page):
    _, soup = get_page("/en/practicas/")
    assert options(soup, "alcance") == ["All", "Regional (3)", "National (1)"]
    assert options(soup, "categoria")[1].endswith("(4)")


def test_the_results_heading_is_where_the_form_and_the_sort_and_page_links_lead(get_page, many):
    _, soup = get_page(url(sort="title"))
    heading = soup.select_one("h2#resultados")
    assert heading["tabindex"] == "-1"  # focus moves there when the page opens at #resultados
    assert soup.select_one("form.filters")["action"].endswith("#resultados")
    sort_links = soup.select("table.catalogue thead th a")
    assert sort_links and all(link["href"].endswith("#resultados") for link in sort_links)
    page_links = soup.select("nav.pagination a")
    assert page_links and all(link["href"].endswith("#resultados") for link in page_links)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (url(), ("Año", "descending")),  # the default order: newest first, ties by title (no second arrow)
        (url(sort="-award_year"), ("Año", "descending")),
        (url(sort="title"), ("Práctica", "ascending")),
    ],
)
def test_one_sort_arrow_on_the_sorted_column_only(get_page, sortable, address, expected):
    _, soup = get_page(address)
    sorted_headers = soup.select("table.catalogue thead th[aria-sort]")
    assert [(text_of(th), th["aria-sort"]) for th in sorted_headers] == [expected]


def test_every_value_of_a_row_carries_its_label_for_the_phone_cards(get_page):
    _, soup = get_page("/practicas/")
    assert "stacked" in soup.select_one("table.catalogue").find_parent("div")["class"]
    for row in soup.select("table.catalogue tbody tr"):
        labels = [td.get("data-label") for td in row.find_all("td")]
        assert labels == ["Año", "Institución", "Departamentos"]
    _, soup = get_page("/en/practicas/")
    row = soup.select_one("table.catalogue tbody tr")
    assert [td.get("data-label") for td in row.find_all("td")] == ["Year", "Institution", "Departments"]
