"""The editors' screens read as correct Spanish, with Lima time (issue 15, item 4).

Every admin page an editor opens is read for English and wrong Spanish words in a real browser, on the production
stack: tests/browser/test_admin_editor.py. Here: the messages, labels and history those pages show after an edit."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from migration.models import PopulationCensus
from practices.models import Institution, Practice
from tests.html import form_data, text_of
from tests.portal.admin_pages import editor_pages, english_words


@pytest.fixture
def editor_client(db):
    user = User.objects.create_user("rosa", password="no-se-usa-en-las-pruebas", is_staff=True, first_name="Rosa")
    user.groups.add(Group.objects.get(name="Editores"))
    client = Client()
    client.force_login(user)
    return client


def test_english_words_is_a_real_check():
    assert english_words("Changed by rosa — Import finished: 0 new") == ["Changed by", "Import finished"]
    assert english_words("Importar — Exportar — Historial — Revertir") == []


def test_messages_after_saving_read_correctly_whatever_the_gender(editor_client):
    practice = Practice.objects.get(slug="sierra-sur")
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    response = editor_client.post(url, form_data(editor_client.get(url), "form#practice_form"), follow=True)
    message = BeautifulSoup(response.content, "html.parser").select_one(".messagelist").get_text().strip()
    assert message == f"Se guardaron los cambios de «{practice.title}» (buena práctica)."

    institution = Institution.objects.create(name="Instituto de prueba", slug="instituto-de-prueba")
    response = editor_client.post(
        reverse("admin:practices_institution_delete", args=[institution.pk]), {"post": "yes"}, follow=True
    )
    message = text_of(BeautifulSoup(response.content, "html.parser").select_one(".messagelist"))
    assert message == "Se eliminó «Instituto de prueba» (institución)."


def test_the_delete_confirmation_lists_key_figures_not_internal_links(editor_client):
    practice = Practice.objects.get(slug="exportacion-banano-organico-piura")
    soup = BeautifulSoup(
        editor_client.get(reverse("admin:practices_practice_delete", args=[practice.pk])).content, "html.parser"
    )
    listed = text_of(soup.select_one("#content"))
    assert f"¿Seguro que quiere eliminar «{practice.title}» (buena práctica)?" in listed
    assert "Cifra clave:" in listed
    assert "Relación" not in listed and "object (" not in listed


def test_the_key_figures_header_and_the_slug_read_as_spanish(editor_client):
    soup = BeautifulSoup(editor_client.get(reverse("admin:practices_practice_add")).content, "html.parser")
    header = text_of(soup.select_one(".inline-group h2"))
    assert header == "Cifras clave (se muestran destacadas: «US$ 2 millones en exportaciones»)"
    slug_row = text_of(soup.select_one(".form-row.field-slug"))
    assert "Dirección web (parte final)" in slug_row
    assert "Se completa sola" in slug_row
    assert "Slug" not in slug_row


def test_the_history_shows_lima_time_and_changed_fields_by_their_names(editor_client):
    practice = Practice.objects.get(slug="sierra-sur")
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    data = form_data(editor_client.get(url), "form#practice_form")
    when = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    data.update(published_at_0=when.strftime("%d/%m/%Y"), published_at_1="09:00:00")
    assert editor_client.post(url, data).status_code == 302

    soup = BeautifulSoup(
        editor_client.get(reverse("admin:practices_practice_history", args=[practice.pk])).content, "html.parser"
    )
    newest = text_of(soup.select("#change-history tbody tr")[0])
    assert "Fecha de publicación:" in newest
    assert f"{when.day} " in newest and ", 09:00" in newest  # Lima time, no seconds or microseconds
    assert "+00:00" not in newest and "UTC" not in newest
    assert "Rosa" in newest
    assert [text_of(th) for th in soup.select("#change-history thead th")] == [
        "Versión",
        "Fecha y hora (Lima)",
        "Acción",
        "Por",
        "Cambios",
    ]


def test_the_history_names_departments_not_lists(editor_client):
    from migration.models import Department

    practice = Practice.objects.get(slug="credito-solidario-comunidades-campesinas")
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    data = form_data(editor_client.get(url), "form#practice_form")
    data["departments"] = [str(Department.objects.get(slug="cusco").pk)]
    assert editor_client.post(url, data).status_code == 302
    soup = BeautifulSoup(
        editor_client.get(reverse("admin:practices_practice_history", args=[practice.pk])).content, "html.parser"
    )
    changes = " ".join(text_of(ul) for ul in soup.select("#change-history .history-changes"))
    assert "Departamentos:" in changes and "Cusco" in changes
    assert "[" not in changes and "'" not in changes  # names, not Python lists


def test_no_admin_form_shows_two_fields_with_the_same_label(editor_client):
    """An editor tells fields apart by their labels: «Estado:» twice (a dropdown and a read-only text) misleads."""
    pages = {name: url for name, url in editor_pages().items() if name.endswith((" add", " change"))}
    census = PopulationCensus.objects.get(year=2007)
    pages["migration_populationcensus change"] = reverse("admin:migration_populationcensus_change", args=[census.pk])
    pages["practices_practice add"] = reverse("admin:practices_practice_add")
    found = {}
    for name, url in pages.items():
        soup = BeautifulSoup(editor_client.get(url).content, "html.parser")
        labels = [
            text_of(label).rstrip(":")
            for label in soup.select("#content-main form fieldset.module .form-row label")
            if not label.find_parent(class_="inline-group")
            and (label.find_parent(class_="flex-container") or label.find_parent(class_="fieldBox"))
            and label.parent.name == "div"
        ]
        repeated = sorted({label for label in labels if labels.count(label) > 1})
        if repeated:
            found[name] = repeated
    assert found == {}
