"""Links between practices, their departments' migration figures, categories, institutions and feeds."""

import csv
import datetime
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from migration.models import CensusEdition
from tests.conftest import text_of
from tests.factories import PracticeFactory

from .conftest import (
    ATOM,
    BANANO,
    CATEGORY_NAME,
    CATEGORY_SLUG,
    CREDITO,
    INCAGRO,
    SEED_TITLES,
    SIERRA_SUR,
    atom_titles,
    catalogue_titles,
    department_practices,
    list_titles,
    practice_counts,
    rss_titles,
    section,
)

DATA_DIR = settings.BASE_DIR / "data"
ATTRIBUTION = "Elaboración: CAD Ciudadanos al Día, según información del INEI"


def read_csv(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


DEPARTMENTS = {row["ubigeo"]: row for row in read_csv("departments_2007.csv")}
PRACTICES = read_csv("practices_2009.csv")


def context_line(name: str) -> str:
    """«Apurímac — pierde 193,987 personas por migración; 53.6 % emigrantes», from the census CSV."""
    row = next(row for row in DEPARTMENTS.values() if row["name"] == name)
    immigrants, emigrants, population = int(row["immigrants"]), int(row["emigrants"]), int(row["population_2007"])
    net = immigrants - emigrants
    change = f"pierde {-net:,}" if net < 0 else f"gana {net:,}"
    share = (Decimal(emigrants) * 100 / Decimal(population)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{name} — {change} personas por migración; {share} % emigrantes"


def regional_practices_of(ubigeo: str) -> list[str]:
    """Titles of the seed practices serving a department, in catalogue order (all are 2009: by title)."""
    return sorted(row["title"] for row in PRACTICES if ubigeo in row["department_ubigeos"].split(";"))


# Practice → departments ------------------------------------------------------------------------


def test_context_line_expected_for_apurimac():
    assert context_line("Apurímac") == "Apurímac — pierde 193,987 personas por migración; 53.6 % emigrantes"


@pytest.mark.parametrize("row", PRACTICES, ids=lambda row: row["slug"])
def test_practice_links_each_department_with_its_migration_context(get_page, row):
    _, soup = get_page(f"/practicas/{row['slug']}/")
    departments = section(soup, "departamentos")
    items = departments.select("ul.department-context > li")
    names = [DEPARTMENTS[code]["name"] for code in row["department_ubigeos"].split(";") if code]
    assert [text_of(li) for li in items] == [context_line(name) for name in sorted(names)]
    assert [li.a["href"] for li in items] == [f"/migracion/{slugify(name)}/" for name in sorted(names)]
    if names:
        assert text_of(departments.select_one("p.source")) == f"Cifras del censo 2007. {ATTRIBUTION}"
    else:
        link = departments.find("a", string="Ver la migración en los 25 departamentos")
        assert link["href"] == "/migracion/"


def test_sierra_sur_department_context(get_page):
    _, soup = get_page("/practicas/sierra-sur/")
    lines = [text_of(li) for li in soup.select("ul.department-context > li")]
    assert lines == [
        "Apurímac — pierde 193,987 personas por migración; 53.6 % emigrantes",
        "Arequipa — gana 102,522 personas por migración; 16.1 % emigrantes",
        "Cusco — pierde 181,793 personas por migración; 22.6 % emigrantes",
        "Moquegua — gana 9,140 personas por migración; 23.8 % emigrantes",
        "Puno — pierde 289,046 personas por migración; 25.4 % emigrantes",
        "Tacna — gana 77,110 personas por migración; 10.0 % emigrantes",
    ]


def test_english_practice_names_the_census_in_english_or_marks_the_spanish_line(get_page):
    shipped = read_csv("editions.csv")[0]
    _, soup = get_page("/en/practicas/sierra-sur/")
    line = section(soup, "departamentos").select_one("p.source")
    assert text_of(line) == f"2007 census figures. {shipped['attribution_en']}"
    assert not line.select("[lang]")  # English, as the page
    edition = CensusEdition.objects.get(year=2007)
    edition.attribution_en = ""  # as an editor who empties it in the admin (a new content version)
    edition.save()
    _, soup = get_page("/en/practicas/sierra-sur/")
    line = section(soup, "departamentos").select_one("p.source")
    assert text_of(line) == f"2007 census figures. {ATTRIBUTION}"
    assert text_of(line.select_one('span[lang="es"]')) == ATTRIBUTION


def test_department_links_lead_to_profiles_that_link_back(get_page):
    _, soup = get_page("/practicas/sierra-sur/")
    for link in soup.select("ul.department-context > li > a"):
        _, profile = get_page(link["href"])
        assert text_of(profile.h1) == text_of(link)
        regional, _ = department_practices(profile)
        assert SIERRA_SUR in regional
        back = section(profile, "practicas").find("a", string=SIERRA_SUR)
        assert back["href"] == "/practicas/sierra-sur/"


# Department profile → practices -----------------------------------------------------------------


@pytest.mark.parametrize("ubigeo", list(DEPARTMENTS))
def test_department_profile_lists_its_practices_and_the_national_ones(get_page, ubigeo):
    name = DEPARTMENTS[ubigeo]["name"]
    slug = slugify(name)
    _, soup = get_page(f"/migracion/{slug}/")
    regional, national = department_practices(soup)
    assert regional == regional_practices_of(ubigeo)
    assert national == [INCAGRO]

    practices = section(soup, "practicas")
    slugs = {row["title"]: row["slug"] for row in PRACTICES}
    for title in regional + national:
        assert practices.find("a", string=title)["href"] == f"/practicas/{slugs[title]}/"
    if not regional:
        assert f"Todavía no hay buenas prácticas publicadas para {name}." in text_of(practices)
    search = practices.find("a", string=f"Buscar prácticas de {name} en el catálogo")
    assert search["href"] == f"/practicas/?departamento={slug}"


def test_department_catalogue_link_shows_the_same_practices(get_page):
    _, soup = get_page("/migracion/apurimac/")
    href = section(soup, "practicas").find("a", string="Buscar prácticas de Apurímac en el catálogo")["href"]
    _, catalogue = get_page(href)
    assert catalogue_titles(catalogue) == [CREDITO, SIERRA_SUR]
    assert catalogue.select_one("select[name=departamento] option[selected]")["value"] == "apurimac"


def test_a_new_practice_shows_on_each_of_its_departments(get_page, seed):
    practice = PracticeFactory(title="Ferias de Apurímac y Lima", departments=[seed.apurimac, seed.lima])
    for slug in ("apurimac", "lima"):
        _, soup = get_page(f"/migracion/{slug}/")
        regional, _ = department_practices(soup)
        assert practice.title in regional
    _, soup = get_page("/migracion/piura/")
    assert practice.title not in department_practices(soup)[0]
    _, soup = get_page(practice.get_absolute_url())
    assert [text_of(a) for a in soup.select("ul.department-context > li > a")] == ["Apurímac", "Lima"]


# /migracion/ → catalogue --------------------------------------------------------------------------


def test_migration_table_counts_practices_per_department(get_page):
    _, soup = get_page("/migracion/")
    counts = practice_counts(soup)
    assert len(counts) == 25
    expected = {row["name"]: len(regional_practices_of(code)) for code, row in DEPARTMENTS.items()}
    assert {name: count for name, (count, _) in counts.items()} == {name: str(n) for name, n in expected.items()}
    assert (counts["Apurímac"][0], counts["Piura"][0], counts["Lima"][0]) == ("2", "1", "0")
    for name, (count, href) in counts.items():  # a 0 links nowhere: the list would be empty
        assert href == (f"/practicas/?departamento={slugify(name)}" if count != "0" else None)


@pytest.mark.parametrize("name", ["Apurímac", "Piura", "Puno"])
def test_count_link_opens_the_catalogue_with_that_many(get_page, name):
    _, soup = get_page("/migracion/")
    count, href = practice_counts(soup)[name]
    _, catalogue = get_page(href)
    assert len(catalogue_titles(catalogue)) == int(count)
    noun = "buena práctica" if count == "1" else "buenas prácticas"
    assert text_of(catalogue.select_one("h2#resultados")) == f"{count} {noun}"


def test_counts_follow_new_practices(get_page, seed):
    PracticeFactory(departments=[seed.apurimac, seed.lima])
    PracticeFactory(departments=[seed.lima])
    PracticeFactory(scope="national")  # no department: counted nowhere
    _, soup = get_page("/migracion/")
    counts = practice_counts(soup)
    assert (counts["Apurímac"][0], counts["Lima"][0], counts["Piura"][0]) == ("3", "2", "1")


# Categories and institutions ---------------------------------------------------------------------


@pytest.mark.parametrize("slug", list(SEED_TITLES))
def test_every_practice_links_its_category_and_institution_pages(get_page, slug, seed):
    _, soup = get_page(f"/practicas/{slug}/")
    title = SEED_TITLES[slug]
    category_links = {a["href"] for a in soup.main.find_all("a", string=CATEGORY_NAME)}
    assert category_links == {f"/practicas/categoria/{CATEGORY_SLUG}/"}  # eyebrow and facts

    institution_link = soup.select_one("aside.facts dd a[href^='/practicas/institucion/']")
    _, group = get_page(institution_link["href"])
    assert text_of(group.h1) == text_of(institution_link)
    assert title in list_titles(group.main)
    assert group.main.find("a", string=title)["href"] == f"/practicas/{slug}/"

    _, group = get_page(f"/practicas/categoria/{CATEGORY_SLUG}/")
    assert title in list_titles(group.main)


def test_category_page_lists_its_practices(get_page, seed):
    _, soup = get_page(f"/practicas/categoria/{CATEGORY_SLUG}/")
    assert text_of(soup.h1) == CATEGORY_NAME
    assert "impulsan el desarrollo económico" in text_of(soup.select_one("p.lead"))
    assert text_of(soup.find("h2")) == "4 buenas prácticas publicadas"
    assert list_titles(soup.main) == [CREDITO, BANANO, INCAGRO, SIERRA_SUR]
    notes = [text_of(li.select_one(".note")) for li in soup.select("ul.practice-list > li")]
    assert notes[0] == "Banco Agropecuario (Agrobanco) · 2009"
    link = soup.main.find("a", string="Ver en el catálogo, con filtros")["href"]
    assert link == f"/practicas/?categoria={CATEGORY_SLUG}"
    _, catalogue = get_page(link)
    assert catalogue_titles(catalogue) == [CREDITO, BANANO, INCAGRO, SIERRA_SUR]


@pytest.mark.parametrize(
    ("slug", "name", "titles"),
    [
        ("minag", "Ministerio de Agricultura (Minag)", [INCAGRO, SIERRA_SUR]),
        ("agrobanco", "Banco Agropecuario (Agrobanco)", [CREDITO]),
        ("mincetur", "Ministerio de Comercio Exterior y Turismo (Mincetur)", [BANANO]),
    ],
)
def test_institution_page_lists_its_practices(get_page, slug, name, titles):
    _, soup = get_page(f"/practicas/institucion/{slug}/")
    assert text_of(soup.h1) == name
    noun = "buena práctica publicada" if len(titles) == 1 else "buenas prácticas publicadas"
    assert text_of(soup.find("h2")) == f"{len(titles)} {noun}"
    assert list_titles(soup.main) == titles
    assert soup.main.find("a", string="Sitio web de la institución")["href"].startswith("https://")
    link = soup.main.find("a", string="Ver en el catálogo, con filtros")["href"]
    assert link == f"/practicas/?institucion={slug}"
    _, catalogue = get_page(link)
    assert catalogue_titles(catalogue) == titles


def test_unknown_category_or_institution_is_404(client, db):
    assert client.get("/practicas/categoria/no-existe/").status_code == 404
    assert client.get("/practicas/institucion/no-existe/").status_code == 404
    assert client.get("/practicas/no-existe/").status_code == 404


def test_catalogue_rows_link_practice_institution_and_departments(get_page):
    _, soup = get_page("/practicas/?institucion=minag")
    rows = {text_of(tr.th.a): tr for tr in soup.select("table.catalogue tbody tr")}
    sierra = rows[SIERRA_SUR]
    assert sierra.th.a["href"] == "/practicas/sierra-sur/"
    cells = sierra.find_all("td")
    assert cells[1].a["href"] == "/practicas/institucion/minag/"
    assert [a["href"] for a in cells[2].find_all("a")] == [
        f"/migracion/{slug}/" for slug in ("apurimac", "arequipa", "cusco", "moquegua", "puno", "tacna")
    ]
    assert text_of(rows[INCAGRO].find_all("td")[2]) == "Alcance nacional"


# Feeds ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/practicas/", "/practicas/sierra-sur/", "/migracion/apurimac/"])
def test_feeds_are_linked_from_the_page_head(get_page, url):
    _, soup = get_page(url)
    alternates = {link["type"]: link["href"] for link in soup.head.select("link[rel=alternate][type]")}
    assert alternates == {
        "application/rss+xml": "/practicas/feed/rss/",
        "application/atom+xml": "/practicas/feed/atom/",
    }


def test_feeds_list_newest_first(client, seed):
    """The seed was published in the minute the test database was loaded, in the order of data/practices_2009.csv:
    at the same time, the one published last comes first."""
    now = timezone.now()
    older = PracticeFactory(title="Publicada hace dos días", published_at=now - datetime.timedelta(days=2))
    newest = PracticeFactory(title="Publicada recién", published_at=now - datetime.timedelta(microseconds=1))
    middle = PracticeFactory(title="Publicada un instante antes", published_at=now - datetime.timedelta(microseconds=2))

    rss = client.get("/practicas/feed/rss/")
    assert rss.status_code == 200
    assert rss["Content-Type"].startswith("application/rss+xml")
    titles = rss_titles(rss.content)
    assert titles == [newest.title, middle.title, INCAGRO, SIERRA_SUR, CREDITO, BANANO, older.title]

    atom = client.get("/practicas/feed/atom/")
    assert atom.status_code == 200
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert atom_titles(atom.content) == titles


def test_feed_items_link_to_the_practice_pages(client, seed):
    channel = ET.fromstring(client.get("/practicas/feed/rss/").content).find("channel")  # noqa: S314
    assert channel.findtext("title") == "Buenas Prácticas en Gestión Pública"
    assert urlsplit(channel.findtext("link")).path == "/practicas/"
    items = {item.findtext("title"): item for item in channel.iter("item")}
    sierra = items[SIERRA_SUR]
    assert urlsplit(sierra.findtext("link")).path == "/practicas/sierra-sur/"
    assert sierra.findtext("category") == CATEGORY_NAME
    assert "Sierra Sur" in sierra.findtext("description")
    assert sierra.findtext("pubDate")
    for title, item in items.items():
        response = client.get(urlsplit(item.findtext("link")).path)
        assert response.status_code == 200, title

    atom = ET.fromstring(client.get("/practicas/feed/atom/").content)  # noqa: S314
    entry = next(e for e in atom.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == CREDITO)
    assert (
        urlsplit(entry.find(f"{ATOM}link").get("href")).path == "/practicas/credito-solidario-comunidades-campesinas/"
    )
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Banco Agropecuario"
    assert entry.findtext(f"{ATOM}updated")


def test_english_feeds_are_in_english_for_feedparser(client, seed):
    """What an English reader's feed reader shows: the feed's language, English titles, summaries, categories."""
    import feedparser

    for url in ("/en/practicas/feed/rss/", "/en/practicas/feed/atom/"):
        feed = feedparser.parse(client.get(url).content)
        assert feed.bozo == 0, url
        assert feed.feed.get("language") == "en", url
        banana = next(e for e in feed.entries if e.link.endswith("/exportacion-banano-organico-piura/"))
        assert banana.title == "Organic banana exports create 300 jobs"
        assert banana.summary.startswith("Mincetur fostered in Piura")
        assert [tag.term for tag in banana.tags] == ["Promotion of Economic Development"]
    assert feedparser.parse(client.get("/practicas/feed/rss/").content).feed.language == "es-pe"


def test_footer_links_the_rss_feed(get_page):
    _, soup = get_page("/practicas/")
    assert soup.find("footer").find("a", string="Novedades (RSS)")["href"] == "/practicas/feed/rss/"
