"""The site search (/buscar/) as readers type: several words in any order, typos, the page's language. It runs on
SQLite (ranking by matches, difflib for typos) and, in the PostgreSQL pass, on full-text and trigram search."""

from urllib.parse import quote

import pytest

from tests.conftest import text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "group", "first"),
    [
        # Words that are not all in one place: the department still comes first among departments.
        ("huancavelica emigrantes", "departments", "/migracion/huancavelica/"),
        ("cajamrca", "departments", "/migracion/cajamarca/"),  # a typo
        ("Apurimak", "departments", "/migracion/apurimac/"),
        ("credito apurimac", "practices", "/practicas/credito-solidario-comunidades-campesinas/"),
        ("agrobanko", "institutions", "/practicas/institucion/agrobanco/"),
        ("desarollo economico", "categories", "/practicas/categoria/promocion-del-desarrollo-economico/"),
        # English pages search the English texts.
        ("/en/ organic banana exports", "practices", "/en/practicas/exportacion-banano-organico-piura/"),
        ("/en/ Economic Development", "categories", "/en/practicas/categoria/promocion-del-desarrollo-economico/"),
    ],
)
def test_the_search_forgives_and_ranks(get_page, query, group, first):
    prefix, words = ("/en", query.removeprefix("/en/ ")) if query.startswith("/en/") else ("", query)
    _, soup = get_page(f"{prefix}/buscar/?q={quote(words)}")
    section = soup.select_one(f"#resultados-{group}")
    assert section is not None, text_of(soup.select_one("main"))
    links = [a["href"] for a in section.find_parent("section").select(".search-results a[href]")]
    assert links[0] == first


def test_nothing_found_says_so(get_page):
    _, soup = get_page("/buscar/?q=xyzzyq")
    assert text_of(soup.select_one('[role="status"]')) == "0 resultados para «xyzzyq»."
