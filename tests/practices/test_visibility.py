"""Drafts and scheduled practices stay out of every public page, list, count and feed until published."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from practices.models import Practice
from tests.conftest import text_of
from tests.factories import CategoryFactory, PracticeFactory

from .conftest import (
    BANANO,
    CATEGORY_SLUG,
    CREDITO,
    INCAGRO,
    SIERRA_SUR,
    atom_titles,
    catalogue_titles,
    department_practices,
    list_titles,
    practice_counts,
    rss_titles,
    section,
)

HIDDEN_REGIONAL = ("Borrador de riego en Apurímac", "Ferias programadas en Apurímac")
HIDDEN_NATIONAL = ("Borrador de alcance nacional", "Programa nacional programado")
HIDDEN = HIDDEN_REGIONAL + HIDDEN_NATIONAL
SEED_ORDER = [CREDITO, BANANO, INCAGRO, SIERRA_SUR]


@pytest.fixture
def hidden(seed):
    """Two drafts and two scheduled practices, in the seed's category, institution (Minag) and department."""
    now = timezone.now()
    common = {"category": seed.category, "institution": seed.minag}
    return [
        PracticeFactory(
            title=HIDDEN_REGIONAL[0],
            status=Practice.Status.DRAFT,
            award_year=2015,
            departments=[seed.apurimac],
            **common,
        ),
        PracticeFactory(
            title=HIDDEN_REGIONAL[1],
            published_at=now + datetime.timedelta(days=7),
            award_year=2016,
            departments=[seed.apurimac],
            **common,
        ),
        PracticeFactory(
            title=HIDDEN_NATIONAL[0],
            status=Practice.Status.DRAFT,
            scope=Practice.Scope.NATIONAL,
            award_year=2015,
            **common,
        ),
        PracticeFactory(
            title=HIDDEN_NATIONAL[1],
            published_at=now + datetime.timedelta(minutes=5),
            scope=Practice.Scope.NATIONAL,
            award_year=2016,
            **common,
        ),
    ]


def publish(practices):
    """What an editor does: status «Publicada», publication date in the past (newest last).

    The dates are just past, so these are the most recently published practices (the seed was
    published when the test database was loaded).
    """
    now = timezone.now()
    for offset, practice in enumerate(reversed(practices), start=1):
        practice.status = Practice.Status.PUBLISHED
        practice.published_at = now - datetime.timedelta(microseconds=offset)
        practice.save()


def page_text(get_page, url) -> str:
    _, soup = get_page(url)
    return text_of(soup)


def hidden_slugs_linked(soup, practices) -> list[str]:
    hrefs = {a["href"] for a in soup.find_all("a", href=True)}
    return [p.slug for p in practices if any(p.slug in href for href in hrefs)]


def assert_hidden(get_page, client, practices):
    # The catalogue: neither listed, counted, offered as a year, nor found by search.
    _, soup = get_page("/practicas/")
    assert catalogue_titles(soup) == SEED_ORDER
    assert text_of(soup.select_one("h2#resultados")) == "4 buenas prácticas"
    assert [option["value"] for option in soup.select("select[name=anio] option")] == ["", "2009"]
    assert not hidden_slugs_linked(soup, practices)
    for url in ("/practicas/?q=borrador", "/practicas/?q=programado", "/practicas/?alcance=national"):
        _, soup = get_page(url)
        assert not set(catalogue_titles(soup)) & set(HIDDEN), url
    _, soup = get_page("/practicas/?departamento=apurimac")
    assert catalogue_titles(soup) == [CREDITO, SIERRA_SUR]
    get_page("/practicas/?anio=2015", status=400)  # not a year of the catalogue

    # Their own pages do not exist for visitors.
    for practice in practices:
        response = client.get(practice.get_absolute_url())
        assert response.status_code == 404, practice.title
        assert practice.title not in response.content.decode()

    # Category and institution pages.
    _, soup = get_page(f"/practicas/categoria/{CATEGORY_SLUG}/")
    assert text_of(soup.find("h2")) == "4 buenas prácticas publicadas"
    assert list_titles(soup.main) == SEED_ORDER
    _, soup = get_page("/practicas/institucion/minag/")
    assert text_of(soup.find("h2")) == "2 buenas prácticas publicadas"
    assert list_titles(soup.main) == [INCAGRO, SIERRA_SUR]

    # The department profile, regional and national lists.
    _, soup = get_page("/migracion/apurimac/")
    assert department_practices(soup) == ([CREDITO, SIERRA_SUR], [INCAGRO])
    _, soup = get_page("/migracion/lima/")
    assert department_practices(soup) == ([], [INCAGRO])

    # The count per department on /migracion/.
    _, soup = get_page("/migracion/")
    assert practice_counts(soup)["Apurímac"][0] == "2"

    # The home page's latest practices.
    _, soup = get_page("/")
    assert not set(list_titles(section(soup, "practicas"))) & set(HIDDEN)
    assert len(list_titles(section(soup, "practicas"))) == 3

    # The feeds.
    rss = client.get("/practicas/feed/rss/")
    atom = client.get("/practicas/feed/atom/")
    assert sorted(rss_titles(rss.content)) == sorted(SEED_ORDER)
    assert sorted(atom_titles(atom.content)) == sorted(SEED_ORDER)
    for practice in practices:
        assert practice.slug.encode() not in rss.content + atom.content

    # Related practices on another practice's page (same category and department).
    _, soup = get_page("/practicas/credito-solidario-comunidades-campesinas/")
    related = [text_of(li.a) for li in section(soup, "relacionadas").select("li")]
    assert related == [BANANO, INCAGRO, SIERRA_SUR]

    # The catalogue's downloads (every format linked from the page).
    _, soup = get_page("/practicas/")
    for link in soup.select("p.downloads a[download]"):
        response = client.get("/practicas/" + link["href"])
        assert response.status_code == 200, link["href"]
        content = b"".join(response) if response.streaming else response.content
        for practice in practices:
            assert practice.slug.encode() not in content, link["href"]
        if text_of(link) in ("CSV", "JSON"):
            assert SIERRA_SUR.encode() in content

    # Site search and sitemap.
    for query in ("borrador", "programad", "apurimac"):
        text = page_text(get_page, f"/buscar/?q={query}")
        assert not any(title in text for title in HIDDEN), query
    sitemap = client.get("/sitemap.xml").content.decode()
    assert not any(practice.slug in sitemap for practice in practices)


def test_drafts_and_scheduled_practices_are_invisible_everywhere(get_page, client, hidden):
    assert_hidden(get_page, client, hidden)


def test_they_all_appear_once_published(get_page, client, hidden):
    assert_hidden(get_page, client, hidden)  # pages are now in the page cache
    publish(hidden)
    newest_first = list(reversed(HIDDEN))  # publish() dates the last one the latest

    _, soup = get_page("/practicas/")
    titles = catalogue_titles(soup)
    assert set(titles) == set(SEED_ORDER) | set(HIDDEN)
    assert text_of(soup.select_one("h2#resultados")) == "8 buenas prácticas"
    assert [option["value"] for option in soup.select("select[name=anio] option")] == ["", "2016", "2015", "2009"]
    _, soup = get_page("/practicas/?anio=2015")
    assert set(catalogue_titles(soup)) == {HIDDEN_REGIONAL[0], HIDDEN_NATIONAL[0]}
    _, soup = get_page("/practicas/?departamento=apurimac")
    assert set(catalogue_titles(soup)) == {CREDITO, SIERRA_SUR, *HIDDEN_REGIONAL}

    for practice in hidden:
        _, soup = get_page(practice.get_absolute_url())
        assert text_of(soup.h1) == practice.title
        assert soup.select_one(".draft-banner") is None

    _, soup = get_page(f"/practicas/categoria/{CATEGORY_SLUG}/")
    assert text_of(soup.find("h2")) == "8 buenas prácticas publicadas"
    _, soup = get_page("/practicas/institucion/minag/")
    assert text_of(soup.find("h2")) == "6 buenas prácticas publicadas"
    assert set(list_titles(soup.main)) == {INCAGRO, SIERRA_SUR, *HIDDEN}

    _, soup = get_page("/migracion/apurimac/")
    regional, national = department_practices(soup)
    assert set(regional) == {CREDITO, SIERRA_SUR, *HIDDEN_REGIONAL}
    assert set(national) == {INCAGRO, *HIDDEN_NATIONAL}
    _, soup = get_page("/migracion/lima/")
    assert set(department_practices(soup)[1]) == {INCAGRO, *HIDDEN_NATIONAL}

    _, soup = get_page("/migracion/")
    assert practice_counts(soup)["Apurímac"][0] == "4"

    _, soup = get_page("/")
    assert list_titles(section(soup, "practicas")) == newest_first[:3]

    assert rss_titles(client.get("/practicas/feed/rss/").content)[:4] == newest_first
    assert atom_titles(client.get("/practicas/feed/atom/").content)[:4] == newest_first

    _, soup = get_page("/practicas/credito-solidario-comunidades-campesinas/")
    related = [text_of(li.a) for li in section(soup, "relacionadas").select("li")]
    assert len(related) == 4
    assert set(related) == set(HIDDEN)  # newer awards come first

    assert all(practice.slug in client.get("/sitemap.xml").content.decode() for practice in hidden)


def test_unpublishing_hides_a_practice_again(get_page, client, seed):
    get_page("/practicas/sierra-sur/")
    seed.sierra_sur.status = Practice.Status.DRAFT
    seed.sierra_sur.save()
    assert client.get("/practicas/sierra-sur/").status_code == 404
    _, soup = get_page("/practicas/")
    assert SIERRA_SUR not in catalogue_titles(soup)
    _, soup = get_page("/migracion/")
    counts = practice_counts(soup)
    assert (counts["Apurímac"][0], counts["Puno"][0]) == ("1", "0")
    assert SIERRA_SUR not in rss_titles(client.get("/practicas/feed/rss/").content)


def test_a_scheduled_practice_appears_when_its_time_comes(get_page, client, seed):
    """Pages cached while it was scheduled show it once its publication time has passed.

    The clock cannot be moved here, so its publication time is moved instead, without saving the
    model (no history row, as when nothing but time changes).
    """
    practice = PracticeFactory(
        title="Ferias programadas en Piura",
        published_at=timezone.now() + datetime.timedelta(hours=1),
        departments=[seed.piura],
    )
    pages = ["/practicas/", "/", "/migracion/piura/", "/practicas/feed/rss/"]
    for url in pages:
        assert practice.title not in client.get(url).content.decode(), url
    assert client.get(practice.get_absolute_url()).status_code == 404

    Practice.objects.filter(pk=practice.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))

    for url in pages:
        assert practice.title in client.get(url).content.decode(), url
    assert client.get(practice.get_absolute_url()).status_code == 200


def test_a_group_with_only_hidden_practices_shows_none(get_page, db):
    category = CategoryFactory(name="Gestión de Residuos")
    draft = PracticeFactory(title="Reciclaje en borrador", category=category, status=Practice.Status.DRAFT)
    _, soup = get_page(category.get_absolute_url())
    assert text_of(soup.find("h2")) == "0 buenas prácticas publicadas"
    assert "Todavía no hay buenas prácticas publicadas aquí." in text_of(soup.main)
    assert draft.title not in text_of(soup)
    _, soup = get_page(draft.institution.get_absolute_url())
    assert draft.title not in text_of(soup)


def test_staff_preview_a_draft_that_visitors_cannot_see(client, admin_client, hidden):
    draft, scheduled = hidden[0], hidden[1]
    assert client.get(draft.get_absolute_url()).status_code == 404

    response = admin_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Borrador — no visible al público" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert "private" in response["Cache-Control"]

    response = admin_client.get(scheduled.get_absolute_url())
    banner = text_of(BeautifulSoup(response.content, "html.parser").select_one(".draft-banner"))
    assert banner.startswith(f"{scheduled.publication_state} — no visible al público")
    assert banner.startswith("Programada para el ")

    # The preview is not cached for visitors.
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
