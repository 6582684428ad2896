"""Census figures that cannot go wrong silently (issue 15, item 2).

Warnings on save when a share exceeds 100 % or the national totals stop agreeing; a consistency
page per census edition; new editions prepared as drafts (the public keeps seeing the published
one) and published only when consistent, with history and revert.
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from migration.consistency import check_edition
from migration.models import CensusEdition, DepartmentFigures
from tests.factories import CensusEditionFactory
from tests.html import form_data, text_of


@pytest.fixture
def editor_client(db):
    user = User.objects.create_user("lucho", password="no-se-usa-en-las-pruebas", is_staff=True)
    user.groups.add(Group.objects.get(name="Editores"))
    client = Client()
    client.force_login(user)
    return client


def draft_2017(**changes) -> CensusEdition:
    """A draft edition with a copy of the 2007 figures (consistent), ``changes`` by department slug."""
    edition = CensusEditionFactory(year=2017, national_population=27_412_157, status=CensusEdition.Status.DRAFT)
    for row in DepartmentFigures.objects.filter(edition__year=2007).select_related("department"):
        values = {"population": row.population, "immigrants": row.immigrants, "emigrants": row.emigrants}
        values |= changes.get(row.department.slug, {})
        DepartmentFigures.objects.create(edition=edition, department=row.department, **values)
    return edition


def consistency_page(editor_client, edition):
    url = reverse("admin:migration_censusedition_consistency", args=[edition.pk])
    return url, BeautifulSoup(editor_client.get(url).content, "html.parser")


def test_the_published_edition_is_consistent_and_its_page_says_so(editor_client):
    edition = CensusEdition.objects.get(year=2007)
    check = check_edition(edition)
    assert (check.immigrants, check.emigrants, check.population) == (5_460_296, 5_460_296, 27_412_157)
    assert check.problems == []
    _, soup = consistency_page(editor_client, edition)
    rows = [[text_of(cell) for cell in tr.find_all(["th", "td"])] for tr in soup.select("table.consistency tbody tr")]
    assert rows[0] == ["Inmigrantes frente a emigrantes", "5,460,296", "5,460,296 (suma de emigrantes)", "0"]
    assert rows[1] == ["Población", "27,412,157", "27,412,157 (población nacional censada)", "0"]
    assert rows[2] == ["Departamentos con cifras", "25", "25", "0"]
    assert text_of(soup.select_one(".consistency-ok")) == "Las cifras son coherentes."


def test_an_implausible_figure_of_a_draft_is_saved_with_warnings_and_shown_on_the_consistency_page(editor_client):
    CensusEdition.objects.filter(year=2007).update(status=CensusEdition.Status.DRAFT)
    figures = DepartmentFigures.objects.get(edition__year=2007, department__slug="cajamarca")
    url = reverse("admin:migration_departmentfigures_change", args=[figures.pk])
    data = form_data(editor_client.get(url), "form#departmentfigures_form")
    data["emigrants"] = "2,000,000"
    response = editor_client.post(url, data, follow=True)
    warning = text_of(BeautifulSoup(response.content, "html.parser").select_one(".messagelist .warning"))
    assert "Emigrantes de Cajamarca: 144.1 % de su población (más del 100 %)." in warning
    assert (
        "La suma de inmigrantes (5,460,296) no es igual a la de emigrantes (6,850,917): "
        "el saldo nacional es −1,390,621 y debe ser 0." in warning.replace("-1,390,621", "−1,390,621")
    )
    _, soup = consistency_page(editor_client, figures.edition)
    problems = [text_of(li) for li in soup.select(".consistency-problems li")]
    assert len(problems) == 2
    assert "inconsistent" in soup.select("table.consistency tbody tr")[0]["class"]


def test_a_consistent_save_gives_no_warning(editor_client):
    figures = DepartmentFigures.objects.get(edition__year=2007, department__slug="cajamarca")
    url = reverse("admin:migration_departmentfigures_change", args=[figures.pk])
    response = editor_client.post(url, form_data(editor_client.get(url), "form#departmentfigures_form"), follow=True)
    assert BeautifulSoup(response.content, "html.parser").select_one(".messagelist .warning") is None


def test_a_new_edition_added_in_the_admin_is_a_draft(editor_client):
    url = reverse("admin:migration_censusedition_add")
    data = form_data(editor_client.get(url), "form#censusedition_form")
    assert data["status"] == "draft"


def test_a_draft_edition_stays_off_the_public_pages(client, db):
    draft_2017()
    assert '"year":2017' not in client.get(reverse("api-v1:list_editions")).content.decode().replace(" ", "")
    assert client.get(reverse("migration:index") + "?edicion=2017").status_code == 404
    soup = BeautifulSoup(client.get(reverse("migration:index")).content, "html.parser")
    assert "2007" in text_of(soup.h1) or "2007" in text_of(soup.select_one("main"))


def test_publishing_is_refused_while_inconsistent_then_allowed_with_history_and_revert(client, editor_client):
    edition = draft_2017(lima={"immigrants": 2_800_000})
    url, soup = consistency_page(editor_client, edition)
    assert soup.select_one("input[name=_publish]").has_attr("disabled")
    response = editor_client.post(url, {"_publish": "1"}, follow=True)
    errors = [text_of(li) for li in BeautifulSoup(response.content, "html.parser").select(".messagelist .error")]
    assert "No se puede publicar mientras sus cifras no sean coherentes:" in errors
    assert any("La suma de inmigrantes (5,479,151)" in error for error in errors)
    edition.refresh_from_db()
    assert edition.status == "draft"

    # The change form refuses it too.
    change = reverse("admin:migration_censusedition_change", args=[edition.pk])
    data = form_data(editor_client.get(change), "form#censusedition_form")
    data["status"] = "published"
    soup = BeautifulSoup(editor_client.post(change, data).content, "html.parser")
    assert "No se puede publicar" in text_of(soup.select_one(".field-status .errorlist"))

    lima = DepartmentFigures.objects.get(edition=edition, department__slug="lima")
    lima.immigrants = 2_781_145
    lima.save()
    assert client.get(reverse("migration:index") + "?edicion=2017").status_code == 404  # a draft: visitors
    draft_page = editor_client.get(reverse("migration:index") + "?edicion=2017")  # an editor sees it, marked
    assert "Borrador — «Censo 2017» no es visible al público." in text_of(
        BeautifulSoup(draft_page.content, "html.parser").select_one(".draft-banner")
    )
    assert "no-store" in draft_page["Cache-Control"]
    confirmation = BeautifulSoup(editor_client.post(url, {"_publish": "1"}).content, "html.parser")
    edition.refresh_from_db()
    assert edition.status == "draft"  # asked first, saying what visitors will see
    assert "los visitantes verán las cifras de «Censo 2017»" in text_of(confirmation.select_one("#content"))
    response = editor_client.post(url, {"_publish": "1", "_confirmed": "1"}, follow=True)
    success = text_of(BeautifulSoup(response.content, "html.parser").select_one(".messagelist .success"))
    assert success == "«Censo 2017» está publicada: el público ve ahora sus cifras."
    assert client.get(reverse("migration:index") + "?edicion=2017").status_code == 200
    assert '"year":2017' in client.get(reverse("api-v1:list_editions")).content.decode().replace(" ", "")

    # History and revert, as for practices.
    versions = list(edition.history.order_by("history_date"))
    assert [version.status for version in versions[-2:]] == ["draft", "published"]
    revert = reverse("admin:migration_censusedition_simple_history", args=[edition.pk, versions[-2].history_id])
    response = editor_client.post(revert, form_data(editor_client.get(revert), "form#historicalcensusedition_form"))
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.status == "draft"
    assert client.get(reverse("migration:index") + "?edicion=2017").status_code == 404
