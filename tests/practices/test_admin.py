"""Editing Buenas Prácticas in the admin: publishing workflow, history and recovery, export.

Each test acts as an editor does (admin forms and actions, posted as the pages submit them)
and checks what an anonymous visitor then sees on the public site, which is served from the
page cache whenever possible.
"""

import csv
import datetime
import io
import time
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from migration.models import Department
from practices.models import Category, Institution, Practice
from tests.factories import CategoryFactory, InstitutionFactory
from tests.html import form_data, text_of

TITLE = "Ferias de quinua en Puno"
SLUG = "ferias-de-quinua-en-puno"
DRAFT_BANNER = "Borrador — no visible al público"
SEED_SLUGS = {
    "exportacion-banano-organico-piura",
    "credito-solidario-comunidades-campesinas",
    "sierra-sur",
    "incagro-innovacion-agraria",
}


def error_texts(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [text_of(node) for node in soup.select(".errornote, .errorlist li")]


def publication_fields(when: datetime.datetime) -> dict:
    """The admin's split date/time widget, in the portal's time zone (Lima)."""
    local = timezone.localtime(when)
    return {"published_at_0": local.strftime("%d/%m/%Y"), "published_at_1": local.strftime("%H:%M:%S")}


@pytest.fixture
def editor(db):
    user = User.objects.create_user(
        "rosa", password="no-se-usa-en-las-pruebas", is_staff=True, first_name="Rosa", last_name="Huamán"
    )
    user.groups.add(Group.objects.get(name="Editores"))
    return user


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def add_practice(editor_client, **changes) -> Practice:
    """Fill the admin's add form for a practice in Puno and save it."""
    url = reverse("admin:practices_practice_add")
    data = form_data(editor_client.get(url), "form#practice_form")
    data.update(
        title=TITLE,
        slug=SLUG,
        summary="Productores de quinua venden en ferias regionales con apoyo técnico.",
        body="Las ferias **acercan** a productores de Puno y compradores de todo el país.",
        award_year="2010",
        category=str(Category.objects.get(slug="promocion-del-desarrollo-economico").pk),
        institution=str(Institution.objects.get(slug="minag").pk),
        scope="regional",
        departments=[str(Department.objects.get(slug="puno").pk)],
        **{"key_figures-0-value": "450", "key_figures-0-label": "familias productoras"},
    )
    data.update(changes)
    response = editor_client.post(url, data)
    assert response.status_code == 302, error_texts(response)
    return Practice.objects.get(slug=data["slug"])


def change_practice(editor_client, practice, **changes) -> None:
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    data = form_data(editor_client.get(url), "form#practice_form")
    data.update(changes)
    response = editor_client.post(url, data)
    assert response.status_code == 302, error_texts(response)


def run_action(editor_client, action: str, *practices) -> str:
    """Select practices on the change list, choose an action, press "Ir"; return the message shown."""
    changelist = reverse("admin:practices_practice_changelist")
    data = {"action": action, "index": "0", "select_across": "0", "_selected_action": [str(p.pk) for p in practices]}
    response = editor_client.post(changelist, data, follow=True)
    assert response.status_code == 200
    messages = BeautifulSoup(response.content, "html.parser").select(".messagelist li")
    return " ".join(text_of(message) for message in messages)


def public_places() -> dict[str, str]:
    """Every public page that would list the Puno practice of add_practice() once it is visible."""
    return {
        "catalogue": reverse("practices:index"),
        "rss": reverse("practices:feed-rss"),
        "atom": reverse("practices:feed-atom"),
        "department": reverse("migration:detail", kwargs={"slug": "puno"}),
        "home": reverse("home"),
        "category": reverse("practices:category", kwargs={"slug": "promocion-del-desarrollo-economico"}),
        "institution": reverse("practices:institution", kwargs={"slug": "minag"}),
        "search": reverse("search") + "?q=quinua",
        "sitemap": "/sitemap.xml",
    }


def where_listed(client, practice, title: str = TITLE) -> set[str]:
    """The public pages (as an anonymous visitor gets them) that show the practice."""
    found = set()
    for place, url in public_places().items():
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        if title in content or practice.get_absolute_url() in content:
            found.add(place)
    detail = client.get(practice.get_absolute_url())
    assert detail.status_code in (200, 404)
    if detail.status_code == 200:
        found.add("detail")
    return found


EVERYWHERE = {
    "detail",
    "catalogue",
    "rss",
    "atom",
    "department",
    "home",
    "category",
    "institution",
    "search",
    "sitemap",
}


# --- Publishing workflow ---------------------------------------------------------------------------------------------


def test_a_draft_is_hidden_from_visitors_but_previewed_by_staff_at_its_public_url(client, editor_client):
    assert where_listed(client, Practice(slug=SLUG)) == set()  # pages cached before the draft exists
    practice = add_practice(editor_client, status="draft")
    assert practice.status == Practice.Status.DRAFT

    assert where_listed(client, practice) == set()
    assert client.get(practice.get_absolute_url()).status_code == 404

    response = editor_client.get(practice.get_absolute_url())
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert text_of(soup.select_one(".draft-banner")) == DRAFT_BANNER
    assert text_of(soup.h1) == TITLE
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]
    # The editor's preview is never served to visitors from the cache.
    assert client.get(practice.get_absolute_url()).status_code == 404


def test_publishing_a_draft_shows_it_everywhere_and_the_banner_goes(client, editor_client):
    practice = add_practice(editor_client, status="draft")
    assert where_listed(client, practice) == set()

    change_practice(editor_client, practice, status="published")

    assert where_listed(client, practice) == EVERYWHERE
    soup = BeautifulSoup(client.get(practice.get_absolute_url()).content, "html.parser")
    assert soup.select_one(".draft-banner") is None
    assert "450 familias productoras" in text_of(soup.select_one(".practice-figures"))
    soup = BeautifulSoup(editor_client.get(practice.get_absolute_url()).content, "html.parser")
    assert soup.select_one(".draft-banner") is None


def test_a_scheduled_practice_appears_by_itself_when_its_time_comes(client, editor_client):
    now = timezone.now()
    when = now.replace(microsecond=0) + datetime.timedelta(seconds=3)  # 2–3 s from now (the form has seconds)
    catalogue = reverse("practices:index")
    assert TITLE not in client.get(catalogue).content.decode()

    practice = add_practice(editor_client, status="published", **publication_fields(when))
    assert practice.published_at == when

    assert TITLE not in client.get(catalogue).content.decode()
    assert client.get(practice.get_absolute_url()).status_code == 404
    soup = BeautifulSoup(editor_client.get(practice.get_absolute_url()).content, "html.parser")
    banner = text_of(soup.select_one(".draft-banner"))
    # "Programada para el 1 dic. 2026, 09:00 — no visible al público", in Lima time
    expected = date_format(timezone.localtime(when), "j N Y, H:i")
    assert banner.startswith(f"Programada para el {expected} — no visible al público")

    time.sleep(max(0.0, (when - timezone.now()).total_seconds()) + 0.05)  # nobody does anything meanwhile

    assert TITLE in client.get(catalogue).content.decode()
    assert where_listed(client, practice) == EVERYWHERE
    soup = BeautifulSoup(editor_client.get(practice.get_absolute_url()).content, "html.parser")
    assert soup.select_one(".draft-banner") is None


def test_a_scheduled_practice_whose_date_is_moved_into_the_past_shows_at_once(client, editor_client):
    practice = add_practice(
        editor_client, status="published", **publication_fields(timezone.now() + datetime.timedelta(days=7))
    )
    assert where_listed(client, practice) == set()

    # No save, no history record: only the publication time changes (as when the date comes).
    Practice.objects.filter(pk=practice.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))

    assert where_listed(client, practice) == EVERYWHERE


def test_unpublish_action_hides_a_practice_everywhere_and_publish_shows_it_again(client, editor_client):
    practice = add_practice(editor_client, status="published")
    assert where_listed(client, practice) == EVERYWHERE  # and the pages are now cached

    message = run_action(editor_client, "unpublish", practice)
    assert "1 práctica retirada." in message
    practice.refresh_from_db()
    assert practice.status == Practice.Status.DRAFT
    assert where_listed(client, practice) == set()

    message = run_action(editor_client, "publish", practice)
    assert "1 práctica publicada." in message
    assert where_listed(client, practice) == EVERYWHERE


def test_publish_action_publishes_a_scheduled_practice_now(client, editor_client):
    practice = add_practice(
        editor_client, status="published", **publication_fields(timezone.now() + datetime.timedelta(days=30))
    )
    assert where_listed(client, practice) == set()
    assert "1 práctica publicada." in run_action(editor_client, "publish", practice)
    practice.refresh_from_db()
    assert practice.published_at <= timezone.now()
    assert where_listed(client, practice) == EVERYWHERE


def test_actions_on_several_practices(client, editor_client):
    seed = list(Practice.objects.filter(slug__in=SEED_SLUGS))
    assert run_action(editor_client, "unpublish", *seed) == "4 prácticas retiradas."
    soup = BeautifulSoup(client.get(reverse("practices:index")).content, "html.parser")
    assert "Ninguna buena práctica coincide" in text_of(soup.select_one("table.catalogue"))
    assert run_action(editor_client, "publish", *seed) == "4 prácticas publicadas."
    content = client.get(reverse("practices:index")).content.decode()
    assert all(practice.get_absolute_url() in content for practice in seed)


def test_an_edit_in_the_admin_shows_at_once_on_cached_public_pages(client, editor_client):
    practice = Practice.objects.get(slug="exportacion-banano-organico-piura")
    old_title = practice.title
    pages = [
        practice.get_absolute_url(),
        reverse("practices:index"),
        reverse("migration:detail", kwargs={"slug": "piura"}),
        practice.institution.get_absolute_url(),
    ]
    for url in pages:  # twice: the second time from the cache
        assert old_title in client.get(url).content.decode()
        assert old_title in client.get(url).content.decode()

    change_practice(editor_client, practice, title="Banano orgánico de Piura para el mundo")

    for url in pages:
        content = client.get(url).content.decode()
        assert "Banano orgánico de Piura para el mundo" in content, url
        assert old_title not in content, url


# --- History, revert, recovery ---------------------------------------------------------------------------------------


def test_each_admin_save_is_recorded_in_the_history_with_the_editor(editor_client, editor):
    practice = add_practice(editor_client, status="draft")
    after_add = practice.history.count()
    assert after_add >= 1
    assert practice.history.earliest().history_type == "+"

    change_practice(editor_client, practice, title="Ferias de quinua del altiplano")
    change_practice(editor_client, practice, status="published")
    records = list(practice.history.order_by("history_date"))
    assert len(records) == after_add + 2
    assert {record.history_user for record in records} == {editor}
    assert [record.title for record in records[-2:]] == ["Ferias de quinua del altiplano"] * 2
    assert [record.status for record in records[-2:]] == ["draft", "published"]

    response = editor_client.get(reverse("admin:practices_practice_history", args=[practice.pk]))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    rows = soup.select("#change-history tbody tr")
    assert len(rows) == len(records)
    newest, second = text_of(rows[0]), text_of(rows[1])
    assert "Rosa Huamán" in newest  # by name, as every editor message names people
    assert "Borrador" in newest or "draft" in newest
    assert "Publicada" in newest or "published" in newest
    assert TITLE in second
    assert "Ferias de quinua del altiplano" in second


def test_reverting_to_an_earlier_version_restores_the_old_title_on_the_public_page(client, editor_client, editor):
    practice = Practice.objects.get(slug="credito-solidario-comunidades-campesinas")
    original_title = practice.title
    cusco = Department.objects.get(slug="cusco")
    change_practice(editor_client, practice, title="Crédito rural (título equivocado)", departments=[str(cusco.pk)])
    soup = BeautifulSoup(client.get(practice.get_absolute_url()).content, "html.parser")
    assert text_of(soup.h1) == "Crédito rural (título equivocado)"
    assert [text_of(a) for a in soup.select(".department-context a")] == ["Cusco"]

    # The history page links each version to its revert form.
    history = BeautifulSoup(
        editor_client.get(reverse("admin:practices_practice_history", args=[practice.pk])).content, "html.parser"
    )
    version = practice.history.filter(title=original_title).latest()
    revert_url = reverse("admin:practices_practice_simple_history", args=[practice.pk, version.history_id])
    assert history.find("a", href=revert_url) is not None

    data = form_data(editor_client.get(revert_url), "form#historicalpractice_form")
    assert data["title"] == original_title
    response = editor_client.post(revert_url, data)
    assert response.status_code == 302, error_texts(response)

    soup = BeautifulSoup(client.get(practice.get_absolute_url()).content, "html.parser")
    assert text_of(soup.h1) == original_title
    assert [text_of(a) for a in soup.select(".department-context a")] == ["Apurímac"]  # the version's departments
    assert original_title in client.get(reverse("practices:index")).content.decode()
    assert original_title in client.get(reverse("migration:detail", kwargs={"slug": "apurimac"})).content.decode()
    assert original_title not in client.get(reverse("migration:detail", kwargs={"slug": "cusco"})).content.decode()
    assert practice.history.latest().history_user == editor
    assert practice.history.latest().title == original_title


def delete_in_admin(editor_client, practice) -> None:
    delete_url = reverse("admin:practices_practice_delete", args=[practice.pk])
    assert editor_client.get(delete_url).status_code == 200  # the confirmation page
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Practice.objects.filter(pk=practice.pk).exists()


def recover_in_admin(editor_client, title: str) -> None:
    """From the change list to "Recuperar eliminadas", then "Recuperar" and "Revertir" on the version shown."""
    deleted_url = reverse("admin:practices_practice_deleted")
    changelist = BeautifulSoup(editor_client.get(reverse("admin:practices_practice_changelist")).content, "html.parser")
    assert changelist.find("a", href=deleted_url, string="Recuperar eliminadas") is not None
    soup = BeautifulSoup(editor_client.get(deleted_url).content, "html.parser")
    rows = soup.select("#content table tbody tr")
    assert len(rows) == 1
    assert title in text_of(rows[0])
    assert "Rosa Huamán" in text_of(rows[0])  # who deleted it, by name
    restore_url = rows[0].find("a", string="Recuperar")["href"]

    version = editor_client.get(restore_url)
    crumbs = text_of(BeautifulSoup(version.content, "html.parser").select_one(".breadcrumbs"))
    assert crumbs == f"Inicio › Buenas prácticas › Buenas prácticas › {title} › Historial › Revertir: buena práctica"
    data = form_data(version, "form#historicalpractice_form")
    assert data["title"] == title
    response = editor_client.post(restore_url, data)
    assert response.status_code == 302, error_texts(response)


def test_a_deleted_practice_can_be_recovered_from_the_deleted_page(client, editor_client):
    practice = Practice.objects.get(slug="exportacion-banano-organico-piura")
    title, url, pk = practice.title, practice.get_absolute_url(), practice.pk
    piura = reverse("migration:detail", kwargs={"slug": "piura"})
    deleted_url = reverse("admin:practices_practice_deleted")
    assert "No hay prácticas eliminadas." in editor_client.get(deleted_url).content.decode()
    assert title in client.get(piura).content.decode()

    delete_in_admin(editor_client, practice)
    assert client.get(url).status_code == 404
    assert title not in client.get(reverse("practices:index")).content.decode()
    assert title not in client.get(piura).content.decode()

    recover_in_admin(editor_client, title)

    restored = Practice.objects.get(pk=pk)
    assert (restored.title, restored.slug) == (title, practice.slug)
    assert restored.is_public
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    assert text_of(soup.h1) == title
    assert [text_of(a) for a in soup.select(".department-context a")] == ["Piura"]
    assert title in client.get(reverse("practices:index")).content.decode()
    assert title in client.get(piura).content.decode()
    assert "No hay prácticas eliminadas." in editor_client.get(deleted_url).content.decode()


def test_a_recovered_practice_gets_its_key_figures_back(client, editor_client):
    practice = Practice.objects.get(slug="exportacion-banano-organico-piura")
    url = practice.get_absolute_url()
    figures = [
        text_of(li) for li in BeautifulSoup(client.get(url).content, "html.parser").select(".practice-figures li")
    ]
    assert len(figures) == 4

    delete_in_admin(editor_client, practice)
    recover_in_admin(editor_client, practice.title)

    soup = BeautifulSoup(client.get(url).content, "html.parser")
    assert [text_of(li) for li in soup.select(".practice-figures li")] == figures


# --- Change list and export ------------------------------------------------------------------------------------------


def test_changelist_shows_the_columns_editors_work_with(editor_client):
    response = editor_client.get(reverse("admin:practices_practice_changelist"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    headers = [text_of(th) for th in soup.select("#result_list thead th")][1:]  # after the selection checkbox
    assert headers == ["Título", "Año del premio", "Categoría", "Institución", "Departamentos", "Estado"]
    rows = {
        text_of(tr.th): [text_of(td) for td in tr.find_all("td")][1:] for tr in soup.select("#result_list tbody tr")
    }
    assert len(rows) == 4
    sierra_sur = rows["Sierra Sur: Gestores de su propio desarrollo"]
    assert sierra_sur[:5] == [
        "2009",
        "Promoción del Desarrollo Económico",
        "Minag",
        "6",
        "Publicada",
    ]


def test_a_scheduled_practice_is_listed_as_scheduled_with_its_lima_date_and_time(editor_client):
    when = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    practice = add_practice(editor_client, status="published", **publication_fields(when))
    expected = f"Programada para el {date_format(when, 'j N Y, H:i')}"
    assert practice.publication_state == expected
    soup = BeautifulSoup(editor_client.get(reverse("admin:practices_practice_changelist")).content, "html.parser")
    row = next(tr for tr in soup.select("#result_list tbody tr") if text_of(tr.th) == TITLE)
    assert text_of(row.select_one("td.field-state")) == expected
    change = BeautifulSoup(
        editor_client.get(reverse("admin:practices_practice_change", args=[practice.pk])).content, "html.parser"
    )
    assert text_of(change.select_one(".field-visibility .readonly")) == expected
    assert text_of(change.select_one(".field-visibility label")) == "Visibilidad al público:"
    # every moment an editor reads is written one way (7 dic. 2026, 09:00)
    created = date_format(timezone.localtime(practice.created_at), "j N Y, H:i")
    assert text_of(change.select_one(".field-created_at .readonly")) == created
    soup = BeautifulSoup(editor_client.get(practice.get_absolute_url()).content, "html.parser")
    assert text_of(soup.select_one(".draft-banner")).startswith(f"{expected} — no visible al público")


def test_export_returns_a_csv_with_the_seed_practices(editor_client):
    url = "/admin/practices/practice/export/"
    page = editor_client.get(url)
    soup = BeautifulSoup(page.content, "html.parser")
    csv_value = next(option["value"] for option in soup.select("#id_format option") if option.text.strip() == "csv")
    data = form_data(page, "form:has(#id_format)")  # every column ticked, as the page comes
    data["format"] = csv_value
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert ".csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["slug"] for row in rows} == SEED_SLUGS
    sierra_sur = next(row for row in rows if row["slug"] == "sierra-sur")
    assert sierra_sur["titulo"] == "Sierra Sur: Gestores de su propio desarrollo"
    assert sierra_sur["anio"] == "2009"
    assert (sierra_sur["estado"], sierra_sur["alcance"]) == ("Publicada", "Regional")  # as the editor reads them
    assert len(sierra_sur["ubigeos"].split(";")) == 6


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("1250", "1250", "1250"),  # «1,250» would read two ways (1.25 or 1250) when saved again
        ("1.250,5", "1250.5", "1,250.5"),
        ("12,5", "12.5", "12.5"),
        ("2.000.000", "2000000", "2,000,000"),
    ],
)
def test_a_key_figure_is_typed_and_shown_as_the_public_site_writes_it(editor_client, typed, stored, shown):
    practice = add_practice(editor_client, **{"key_figures-0-value": typed})
    figure = practice.key_figures.get()
    assert figure.value == Decimal(stored)
    for url, name in [
        (reverse("admin:practices_practice_change", args=[practice.pk]), "key_figures-0-value"),
        (reverse("admin:practices_keyfigure_change", args=[figure.pk]), "value"),
    ]:
        soup = BeautifulSoup(editor_client.get(url).content, "html.parser")
        assert soup.find("input", attrs={"name": name})["value"] == shown  # not 1250.00


def test_a_key_figure_that_is_not_a_number_gets_a_spanish_message(editor_client):
    url = reverse("admin:practices_practice_add")
    data = form_data(editor_client.get(url), "form#practice_form")
    data.update(title=TITLE, slug=SLUG, **{"key_figures-0-value": "mil", "key_figures-0-label": "familias"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "«mil» no es un número (p. ej. 1,387,809 o 0.3)." in error_texts(response)


def test_a_new_practice_says_it_is_not_visible_under_its_own_label(editor_client):
    soup = BeautifulSoup(editor_client.get(reverse("admin:practices_practice_add")).content, "html.parser")
    assert text_of(soup.select_one(".field-visibility label")) == "Visibilidad al público:"
    assert text_of(soup.select_one(".field-visibility .readonly")) == "Aún no guardada: nadie la ve."
    assert text_of(soup.select_one(".field-status label")) == "Estado:"


def test_list_filters_offer_only_categories_institutions_and_departments_with_practices(editor_client):
    CategoryFactory(name="Categoría sin prácticas")
    InstitutionFactory(name="Institución sin prácticas", acronym="ISP")
    soup = BeautifulSoup(editor_client.get(reverse("admin:practices_practice_changelist")).content, "html.parser")
    offered = {
        text_of(d.summary): [text_of(li) for li in d.select("li")][1:]
        for d in soup.select("#changelist-filter details")
    }
    categories = sorted({str(p.category) for p in Practice.objects.all()})
    # A filter with a single choice filters nothing: the admin does not show it.
    assert sorted(offered.get("Por categoría", [])) == (categories if len(categories) > 1 else [])
    assert "Categoría sin prácticas" not in text_of(soup.select_one("#changelist-filter"))
    assert sorted(offered["Por institución"]) == sorted({str(p.institution) for p in Practice.objects.all()})
    departments = [name for name in offered["Por departamentos"] if name != "-"]  # «-»: practices without any
    assert sorted(departments) == sorted({str(d) for d in Department.objects.filter(practices__isnull=False)})
    assert len(departments) < Department.objects.count()


def test_a_page_keeps_its_address_once_published(client, editor_client):
    """A draft may still change its address; once published, the slug is kept (read-only), so no link breaks.
    Categories and institutions have a public page from the start: theirs is kept at once."""
    practice = add_practice(editor_client, status="draft")
    change_practice(editor_client, practice, slug="ferias-de-quinua-puno")
    practice.refresh_from_db()
    assert practice.slug == "ferias-de-quinua-puno"

    change_practice(editor_client, practice, status="published", **publication_fields(timezone.now()))
    change_practice(editor_client, practice, slug="otra-direccion", status="draft")
    practice.refresh_from_db()
    assert practice.slug == "ferias-de-quinua-puno"  # the field is read-only: what is posted is ignored
    form = BeautifulSoup(
        editor_client.get(reverse("admin:practices_practice_change", args=[practice.pk])).content, "html.parser"
    )
    assert form.select("input[name=slug]") == []

    for model in (Category, Institution):
        obj = model.objects.first()
        url = reverse(f"admin:practices_{model._meta.model_name}_change", args=[obj.pk])
        assert BeautifulSoup(editor_client.get(url).content, "html.parser").select("input[name=slug]") == []
        record = obj.history.first()
        revert = reverse(f"admin:practices_{model._meta.model_name}_simple_history", args=[obj.pk, record.pk])
        assert editor_client.get(revert).status_code == 200  # the revert page too


def test_saving_again_after_a_refused_save_keeps_what_the_other_editor_saved(editor_client, admin_client):
    """Two editors open the same practice; the other saves a new title; this editor's new summary is refused
    (out-of-date form); saving the same form again writes the summary and keeps the other editor's title."""
    practice = Practice.objects.get(slug="sierra-sur")
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    mine = form_data(editor_client.get(url), "form#practice_form")
    change_practice(admin_client, practice, title="Sierra Sur: título corregido por la otra editora")

    mine["summary"] = "Resumen nuevo de esta editora."
    refused = editor_client.post(url, mine)
    assert refused.status_code == 200 and "cambió mientras usted lo editaba" in refused.content.decode()
    again = form_data(refused, "form#practice_form")
    assert again["summary"] == "Resumen nuevo de esta editora."  # what this editor typed is kept
    assert editor_client.post(url, again).status_code == 302

    practice.refresh_from_db()
    assert practice.summary == "Resumen nuevo de esta editora."
    assert practice.title == "Sierra Sur: título corregido por la otra editora"  # not sent back to the old one
