"""The English interface under /en/: pages, charts and the translation catalogue.

Spanish is the source language (every msgid is Spanish); locale/en holds the English
translation. Data and editors' texts (department names, practices, narrative blocks)
stay as they are; the interface around them is English and the figures keep the
source's format (2,781,145; 43.0 %).
"""

import gettext
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import text_of

# The interface's language, whatever the database behind: in the SQLite pass of the test command.
pytestmark = pytest.mark.database_independent

LOCALE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_FILE = LOCALE / "django.po"
MO_FILE = LOCALE / "django.mo"

ENGLISH_NAV = ["Home", "Migration", "Good practices", "Data", "About"]
SPANISH_NAV = ["Inicio", "Migración", "Buenas prácticas", "Datos", "Acerca de"]

# Interface words that must not be left in Spanish in the header and footer of an English page.
SPANISH_CHROME = [
    "Inicio",
    "Buenas prácticas",
    "Buscar",
    "Acerca de",
    "Datos abiertos",
    "Cómo citar",
    "Saltar al contenido",
    "Fuente:",
    "Elaboración de las cifras",
]

PAGES = [
    "/",
    "/migracion/",
    "/migracion/lima/",
    "/practicas/",
    "/practicas/sierra-sur/",
    "/buscar/?q=lima",
    "/acerca/",
]


def nav_labels(soup) -> list[str]:
    return [text_of(link) for link in soup.select("ul.main-nav a")]


def chrome_text(soup) -> str:
    """Header, breadcrumbs and footer: the interface around a page's content."""
    parts = [soup.select_one("header.site-header"), soup.select_one("footer.site-footer")]
    parts += soup.select("nav.breadcrumbs")
    return " ".join(text_of(part) for part in parts if part is not None)


def column_headers(table) -> list[str]:
    return [text_of(th) for th in table.select("thead th")]


# Pages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_english_pages_have_an_english_interface(get_page, path):
    _, soup = get_page(f"/en{path}")
    assert soup.html["lang"] == "en"
    assert nav_labels(soup) == ENGLISH_NAV
    chrome = chrome_text(soup)
    for spanish in SPANISH_CHROME:
        assert spanish not in chrome, (path, spanish)
    assert "Search the portal" in chrome
    # The footer names the censuses and the edition's attribution line from the data, in English.
    assert "Source: INEI" in chrome and "Compiled by CAD Ciudadanos al Día" in chrome
    # The language switcher names each language in that language, and leads to the same page.
    switcher = soup.select_one("nav.language")
    assert text_of(switcher) == "Español English"
    assert switcher.select_one('a[hreflang="es"]')["href"] == path


@pytest.mark.parametrize("path", PAGES)
def test_pages_without_the_prefix_stay_spanish(get_page, path):
    _, soup = get_page(path)
    assert soup.html["lang"] == "es-PE"
    assert nav_labels(soup) == SPANISH_NAV
    assert "Buscar en el portal" in chrome_text(soup)
    assert soup.select_one('nav.language a[hreflang="en"]')["href"] == f"/en{path}"


def test_home_in_english(get_page):
    _, soup = get_page("/en/")
    assert text_of(soup.h1) == "Internal migration in Peru"
    figures = {text_of(div.dt): text_of(div.dd) for div in soup.select("dl.key-figures > div")}
    assert figures["people gained by Lima through migration, more than any other department"] == "+2,376,434"
    assert figures["of the 25 departments lose population through migration"] == "16"
    assert text_of(soup.select_one(".finding .lead")).startswith("1 in 5 people in Peru live outside")
    chart = soup.select_one("#grafico-birthplace")
    assert text_of(chart.select_one(".chart-title")) == "Population by place of birth, 2007"
    assert text_of(chart.select_one(".chart-summary")) == (
        "19.9 % of the population was born in a department other than the one they live in "
        "(5,460,296 people) and 0.3 % was born in another country."
    )
    assert column_headers(chart) == ["Place of birth", "% of the population"]
    highlights = text_of(soup.select_one("#destacados").parent)
    assert "Most immigrants Lima 2,781,145" in highlights
    assert "Largest gain: Lima +2,376,434" in highlights
    assert "Largest loss: Cajamarca −531,984" in highlights


def test_migration_index_in_english(get_page):
    _, soup = get_page("/en/migracion/")
    assert text_of(soup.h1) == "Internal migration by department, 2007"
    assert soup.title.string.startswith("Internal migration by department, 2007 · Internal Migration Portal")
    table = soup.select_one("table.data-table")
    assert text_of(table.caption) == "Migrant population by department, 2007 census"
    assert column_headers(table) == [
        "Department",
        "Population",
        "Immigrants",
        "Emigrants",
        "Net migration",
        "% immigrants",
        "% emigrants",
        "Good practices",
    ]
    lima = next(row for row in table.select("tbody tr") if text_of(row.th) == "Lima")
    assert [text_of(td) for td in lima.select("td")][:6] == [
        "8,445,211",
        "2,781,145",
        "404,711",
        "+2,376,434",
        "32.9 %",
        "4.8 %",
    ]
    assert text_of(table.select_one("tfoot th")) == "Total"
    assert table.select_one('a[title="Sort by Net migration"]') is not None
    titles = [text_of(title) for title in soup.select(".chart-title")]
    assert titles == [
        "Migrant population by department, 2007",
        "Immigrants as a percentage of the total population, 2007",
        "Emigrants as a percentage of the total population, 2007",
        "Net migration by department, 2007",
    ]
    summaries = " ".join(text_of(p) for p in soup.select(".chart-summary"))
    assert "Lima receives the most immigrants: 2,781,145; Cajamarca has the most emigrants: 609,379." in summaries
    assert "Callao has the highest percentage of immigrants (43.0 %) and Puno the lowest (2.6 %)." in summaries
    assert "Lima gains the most population through migration (+2,376,434)" in summaries
    assert text_of(soup.select_one(".map-title")) == "Map of Peru by department: % emigrants"
    assert "% emigrants relative to the population" in text_of(soup.select_one(".legend"))
    assert "Download this table:" in text_of(soup.select_one(".downloads"))


def test_net_migration_map_legend_in_english(get_page):
    _, soup = get_page("/en/migracion/?indicador=saldo")
    legend = [text_of(item) for item in soup.select(".legend li")]
    assert legend[0].startswith("Loses: over −") and legend[-1].startswith("Gains: over +")
    assert any(re.fullmatch(r"Gains: \+[\d,]+ to \+[\d,]+", item) for item in legend)
    assert text_of(soup.select_one(".legend-title")) == "Net migration (people)"


def test_department_profile_in_english(get_page):
    _, soup = get_page("/en/migracion/lima/")
    assert text_of(soup.select_one(".lead")) == (
        "Lima gains 2,376,434 people through migration: "
        "more people arrive (immigrants) than leave for other departments (emigrants)."
    )
    table = soup.select_one("#cifras").find_next("table")
    assert text_of(table.caption) == "Lima compared with the national total"
    assert column_headers(table) == ["Measure", "Lima", "Rank", "National total"]
    rows = {text_of(row.th): [text_of(td) for td in row.select("td")] for row in table.select("tbody tr")}
    assert rows["Immigrants"][0] == "2,781,145" and rows["Immigrants"][1].endswith(" of 25")
    assert rows["Net migration"][0] == "+2,376,434"
    assert rows["% immigrants"][0] == "32.9 %"
    assert list(rows) == [
        "Enumerated population",
        "Immigrants",
        "Emigrants",
        "Net migration",
        "% immigrants",
        "% emigrants",
    ]
    comparison = text_of(soup.select_one("ul.comparison"))
    assert "In Lima, 32.9 % of the population are immigrants (national average: 19.9 %)." in comparison
    assert text_of(soup.select_one("#grafico-department .chart-title")) == "Immigrants and emigrants, 2007"
    assert text_of(soup.select_one("#practicas")) == "Good practices in this department"
    assert soup.select_one("svg")["aria-label"] == "Location of Lima on the map of Peru"


def test_department_profile_in_spanish(get_page):
    _, soup = get_page("/migracion/lima/")
    assert text_of(soup.select_one(".lead")).startswith("Lima gana 2,376,434 personas por migración")


def test_practice_catalogue_in_english(get_page):
    _, soup = get_page("/en/practicas/")
    assert text_of(soup.h1) == "Good Practices in Public Management"
    labels = [text_of(label) for label in soup.select("form.filters label")]
    assert labels == ["Search", "Award year", "Category", "Institution", "Department", "Scope"]
    assert text_of(soup.select_one("form.filters button")) == "Apply"
    assert re.fullmatch(r"\d+ good practices", text_of(soup.select_one("#resultados")))
    assert column_headers(soup.select_one("table.catalogue")) == ["Practice", "Year", "Institution", "Departments"]
    assert "National scope" in text_of(soup.select_one("table.catalogue"))


def test_practice_in_english(get_page):
    _, soup = get_page("/en/practicas/sierra-sur/")
    assert soup.html["lang"] == "en"
    assert "Good Practice 2009" in text_of(soup.select_one(".eyebrow"))
    facts = [text_of(dt) for dt in soup.select("aside.facts dt")]
    assert facts == ["Institution", "Programme", "Category", "Award year", "Scope"]
    assert text_of(soup.select_one("#ficha")) == "Fact sheet"
    assert text_of(soup.select_one("#departamentos")) == "Departments where it is applied"
    context = [text_of(item) for item in soup.select("ul.department-context li")]
    assert "Apurímac — loses 193,987 people through migration; 53.6 % emigrants" in context
    assert "Arequipa — gains 102,522 people through migration; 16.1 % emigrants" in context
    source = text_of(soup.select("p.source")[-1])
    assert source.endswith("(Ciudadanos al Día), category Promotion of Economic Development.")


def test_practice_start_month_in_english(get_page):
    """'Inicio' is a start date here, not the home page: its own context in the catalogue."""
    _, soup = get_page("/en/practicas/credito-solidario-comunidades-campesinas/")
    facts = {text_of(dt): text_of(dt.find_next_sibling("dd")) for dt in soup.select("aside.facts dt")}
    assert facts["Started"] == "September 2007"
    _, soup = get_page("/practicas/credito-solidario-comunidades-campesinas/")
    facts = {text_of(dt): text_of(dt.find_next_sibling("dd")) for dt in soup.select("aside.facts dt")}
    assert facts["Inicio"] == "septiembre del 2007"


def test_search_in_english(get_page):
    _, soup = get_page("/en/buscar/?q=lima")
    assert soup.title.string.startswith("Results for “lima”")
    assert text_of(soup.h1) == "Search the portal"
    assert re.fullmatch(r"\d+ results? for “lima”\.", text_of(soup.select_one('[role="status"]')))
    assert text_of(soup.select_one("#resultados-departments")).startswith("Departments")


def test_about_in_english(get_page):
    _, soup = get_page("/en/acerca/")
    assert text_of(soup.select_one("#como-citar")) == "How to cite"
    citation = text_of(soup.select_one("#citar"))
    assert "Cite the migration data as follows:" in citation
    assert "CAD Ciudadanos al Día, based on INEI data" in citation
    assert "“Internal migration by department, 2007”. Internal Migration and Good Practices Portal." in citation


def test_data_dictionary_in_english(get_page):
    _, soup = get_page("/en/datos/")
    assert text_of(soup.h1) == "Open data"
    text = text_of(soup.select_one("main"))
    assert "Figures by department and census edition." in text
    assert "Immigrants minus emigrants (positive: gains population through migration)." in text


@pytest.mark.parametrize(
    ("path", "heading", "home", "message"),
    [
        ("/en/no-existe/", "Page not found", "Go to the home page", None),
        (
            "/en/migracion/no-existe/",
            "Page not found",
            "Go to the home page",
            "There is no department at that address.",
        ),
        ("/no-existe/", "Página no encontrada", "Ir al inicio", None),
    ],
)
def test_404_page_in_the_visitors_language(get_page, path, heading, home, message):
    _, soup = get_page(path, status=404)
    assert soup.html["lang"] == ("en" if path.startswith("/en/") else "es-PE")
    assert text_of(soup.h1) == heading
    assert home in text_of(soup.select_one("main"))
    if message:
        assert text_of(soup.select_one("main p.note")) == message


# Charts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "english", "spanish"),
    [
        ("graficos/migrantes.json", ["Immigrants", "Emigrants"], ["Inmigrantes", "Emigrantes"]),
        ("graficos/lugar-de-nacimiento.json", ["% of the population"], ["% de la población"]),
        ("graficos/porcentaje-inmigrantes.json", ["% immigrants"], ["% inmigrantes"]),
        ("graficos/porcentaje-emigrantes.json", ["% emigrants"], ["% emigrantes"]),
        ("graficos/saldo-migratorio.json", ["Net migration"], ["Saldo migratorio"]),
        (
            "graficos/comparacion.json?d=lima&d=cajamarca",
            ["% immigrants", "% emigrants"],
            ["% inmigrantes", "% emigrantes"],
        ),
    ],
)
def test_chart_json_dataset_labels(client, db, path, english, spanish):
    for prefix, labels in (("/en", english), ("", spanish)):
        response = client.get(f"{prefix}/migracion/{path}")
        assert response.status_code == 200
        assert [dataset["label"] for dataset in json.loads(response.content)["datasets"]] == labels


def test_chart_json_category_labels(client, db):
    data = json.loads(client.get("/en/migracion/graficos/lugar-de-nacimiento.json").content)
    assert data["labels"] == ["In the same department", "In another department", "In another country"]
    data = json.loads(client.get("/en/migracion/graficos/departamento/lima.json").content)
    assert data["labels"] == ["Immigrants", "Emigrants"]
    assert data["datasets"][0]["label"] == "Lima"  # a department name is data: never translated


# The catalogue ----------------------------------------------------------------------------------


def unescape(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda match: escapes.get(match.group(1), match.group(0)), text)


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: {'flags', 'msgctxt', 'msgid', 'msgid_plural', 'msgstr', 'msgstr[0]', …}.

    A minimal reader: enough for the files makemessages writes. Obsolete (#~) entries are skipped.
    """
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.fullmatch(r'(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"', line):
            key = match.group(1)
            entry[key] = unescape(match.group(2))
        elif match := re.fullmatch(r'"(.*)"', line):
            entry[key] += unescape(match.group(1))
        else:
            raise AssertionError(f"unexpected line in {path.name}: {line!r}")
    return entries


@pytest.fixture(scope="module")
def po_entries():
    entries = read_po(PO_FILE)
    assert entries[0]["msgid"] == ""  # the header
    return entries[1:]


def translations(entry) -> list[str]:
    return [entry[key] for key in sorted(entry) if key.startswith("msgstr")]


def test_catalogue_is_complete(po_entries):
    assert len(po_entries) > 300
    fuzzy = [entry["msgid"] for entry in po_entries if "fuzzy" in entry["flags"]]
    assert fuzzy == []
    untranslated = [entry["msgid"] for entry in po_entries if not all(translations(entry))]
    assert untranslated == []


def test_header_is_not_fuzzy_and_declares_english_plurals():
    header = read_po(PO_FILE)[0]
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["msgstr"]


PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|%%")


def test_translations_keep_placeholders_and_spacing(po_entries):
    for entry in po_entries:
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for index, translated in enumerate(translations(entry)):
            source = sources[min(index, 1)]
            assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(source)), entry["msgid"]
            assert translated[:1].isspace() == source[:1].isspace(), entry["msgid"]
            assert translated[-1:].isspace() == source[-1:].isspace(), entry["msgid"]
        if "msgid_plural" in entry:
            assert sorted(key for key in entry if key.startswith("msgstr")) == ["msgstr[0]", "msgstr[1]"]


def test_language_names_are_not_translated(po_entries):
    msgids = {entry["msgid"] for entry in po_entries}
    assert not msgids & {"Español", "English"}


def test_compiled_catalogue_is_up_to_date(po_entries):
    """The committed .mo was compiled from the committed .po: same translations, and not older.

    A fresh checkout writes both files within the same moment, in either order: hence the
    small tolerance on the times; the content comparison is the real check.
    """
    assert MO_FILE.stat().st_mtime >= PO_FILE.stat().st_mtime - 2
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po_entries:
        prefix = f"{entry['msgctxt']}\x04" if "msgctxt" in entry else ""
        if "msgid_plural" in entry:
            for count, key in ((1, "msgstr[0]"), (2, "msgstr[1]")):
                got = compiled.ngettext(prefix + entry["msgid"], prefix + entry["msgid_plural"], count)
                assert got == entry[key], entry["msgid"]
        else:
            assert compiled.gettext(prefix + entry["msgid"]) == entry["msgstr"], entry["msgid"]
