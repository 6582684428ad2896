"""The editors' back office: the "Editores" role, account creation, login lock-out,
the Markdown preview and what editors' text can (not) put on the public pages."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from migration.models import CensusEdition, Department, DepartmentFigures
from portal.core.models import ContentBlock
from practices.models import Category, Institution, Practice
from tests.html import form_data, text_of

EDITOR_USERNAME = "maria"
EDITOR_PASSWORD = "quipu-andino-de-lluvia-2024"


def error_texts(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(node.get_text(" ").split()) for node in soup.select(".errorlist li")]


@pytest.fixture
def editor(db, monkeypatch):
    """An editor account made the documented way: manage.py create_editor with EDITOR_PASSWORD."""
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    out = io.StringIO()
    call_command("create_editor", EDITOR_USERNAME, "--email", "maria@example.pe", "--name", "María Quispe", stdout=out)
    assert "creada" in out.getvalue()
    return User.objects.get(username=EDITOR_USERNAME)


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


# --- The role -------------------------------------------------------------------------------------------------------

EXPECTED_EDITOR_PERMISSIONS = {
    "practices.add_practice",
    "practices.change_practice",
    "practices.delete_practice",
    "practices.view_practice",
    "practices.add_keyfigure",
    "practices.change_keyfigure",
    "practices.delete_keyfigure",
    "practices.view_keyfigure",
    "practices.add_category",
    "practices.change_category",
    "practices.view_category",
    "practices.add_institution",
    "practices.change_institution",
    "practices.delete_institution",
    "practices.view_institution",
    *(
        f"practices.{action}_{model}"
        for model in ("photo", "practicephoto", "document")
        for action in ("add", "change", "delete", "view")
    ),
    "portal.change_contentblock",
    "portal.view_contentblock",
    "migration.add_departmentfigures",
    "migration.change_departmentfigures",
    "migration.view_departmentfigures",
    "migration.change_department",
    "migration.view_department",
    "migration.add_censusedition",
    "migration.change_censusedition",
    "migration.view_censusedition",
    "migration.add_populationcensus",
    "migration.change_populationcensus",
    "migration.view_populationcensus",
    "migration.add_censuspopulation",
    "migration.change_censuspopulation",
    "migration.view_censuspopulation",
    "migration.add_departmentpart",
    "migration.change_departmentpart",
    "migration.delete_departmentpart",
    "migration.view_departmentpart",
    "migration.add_recentmigration",
    "migration.change_recentmigration",
    "migration.view_recentmigration",
}


@pytest.mark.django_db
def test_editores_group_exists_after_migrations_with_exactly_the_intended_permissions():
    group = Group.objects.get(name="Editores")
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    assert granted == EXPECTED_EDITOR_PERMISSIONS


def test_create_editor_makes_a_staff_member_of_editores_who_is_not_superuser(editor):
    assert editor.is_staff
    assert editor.is_active
    assert not editor.is_superuser
    assert (editor.first_name, editor.last_name, editor.email) == ("María", "Quispe", "maria@example.pe")
    assert list(editor.groups.values_list("name", flat=True)) == ["Editores"]
    assert editor.check_password(EDITOR_PASSWORD)
    assert editor.get_all_permissions() == EXPECTED_EDITOR_PERMISSIONS


@pytest.mark.parametrize(
    ("password", "message"),
    [("12345678", "completamente numérica"), ("password1", "demasiado común"), ("maria", "demasiado corta")],
)
def test_create_editor_rejects_a_weak_password_with_a_clear_message(db, monkeypatch, password, message):
    monkeypatch.setenv("EDITOR_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("create_editor", EDITOR_USERNAME, stdout=io.StringIO())
    assert not User.objects.filter(username=EDITOR_USERNAME).exists()


# --- What an editor can do in the admin ------------------------------------------------------------------------------


def test_editor_sees_the_content_sections_but_not_users_and_groups_on_the_admin_index(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for url in (
        reverse("admin:practices_practice_changelist"),
        reverse("admin:practices_category_changelist"),
        reverse("admin:practices_institution_changelist"),
        reverse("admin:portal_contentblock_changelist"),
        reverse("admin:migration_departmentfigures_changelist"),
    ):
        assert f'href="{url}"' in html
    assert reverse("admin:auth_user_changelist") not in html
    assert reverse("admin:auth_group_changelist") not in html


def test_editor_adds_a_practice_with_a_key_figure(editor_client, editor):
    category, institution = Category.objects.first(), Institution.objects.first()
    puno = Department.objects.get(slug="puno")
    data = form_data(editor_client.get(reverse("admin:practices_practice_add")), "form#practice_form")
    data.update(
        title="Ferias de quinua en Puno",
        slug="ferias-de-quinua-en-puno",
        summary="Productores de quinua venden en ferias regionales.",
        body="Las ferias **acercan** a productores y compradores.",
        award_year="2010",
        category=str(category.pk),
        institution=str(institution.pk),
        scope="regional",
        departments=[str(puno.pk)],
        status="published",
        **{"key_figures-0-value": "450", "key_figures-0-label": "familias productoras"},
    )
    response = editor_client.post(reverse("admin:practices_practice_add"), data)
    assert response.status_code == 302, error_texts(response)
    practice = Practice.objects.get(slug="ferias-de-quinua-en-puno")
    assert list(practice.departments.all()) == [puno]
    assert [(figure.value, figure.label) for figure in practice.key_figures.all()] == [(450, "familias productoras")]
    assert practice.history.latest().history_user == editor


def test_editor_changes_a_practice_and_adds_a_key_figure_inline(editor_client):
    practice = Practice.objects.get(slug="credito-solidario-comunidades-campesinas")
    figures_before = practice.key_figures.count()
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    data = form_data(editor_client.get(url), "form#practice_form")
    extra = int(data["key_figures-TOTAL_FORMS"]) - 1  # the empty row below the existing figures
    data["title"] = "Crédito solidario para comunidades"
    data.update({f"key_figures-{extra}-value": "12", f"key_figures-{extra}-label": "agencias rurales"})
    response = editor_client.post(url, data)
    assert response.status_code == 302, error_texts(response)
    practice.refresh_from_db()
    assert practice.title == "Crédito solidario para comunidades"
    assert practice.key_figures.count() == figures_before + 1
    assert practice.key_figures.filter(label="agencias rurales", value=12).exists()


@pytest.mark.parametrize(
    ("model", "form", "values"),
    [
        ("category", "form#category_form", {"name": "Inclusión Financiera", "slug": "inclusion-financiera"}),
        ("institution", "form#institution_form", {"name": "Ministerio de la Producción", "acronym": "Produce"}),
    ],
)
def test_editor_adds_and_changes_categories_and_institutions(editor_client, model, form, values):
    add_url = reverse(f"admin:practices_{model}_add")
    data = form_data(editor_client.get(add_url), form)
    data.update(values)
    data["slug"] = data.get("slug") or values["acronym"].lower()
    response = editor_client.post(add_url, data)
    assert response.status_code == 302, error_texts(response)
    obj = (Category if model == "category" else Institution).objects.get(name=values["name"])

    change_url = reverse(f"admin:practices_{model}_change", args=[obj.pk])
    data = form_data(editor_client.get(change_url), form)
    data["name"] = values["name"] + " (nueva)"
    response = editor_client.post(change_url, data)
    assert response.status_code == 302, error_texts(response)
    obj.refresh_from_db()
    assert obj.name == values["name"] + " (nueva)"


def test_editor_changes_a_content_block_but_cannot_add_one(editor_client):
    block = ContentBlock.objects.get(key="saldo_migratorio")
    url = reverse("admin:portal_contentblock_change", args=[block.pk])
    data = form_data(editor_client.get(url), "form#contentblock_form")
    assert "key" not in data  # read-only: pages find their text by key
    data["body"] = "Lima gana [[saldo_abs:lima]] personas."
    response = editor_client.post(url, data)
    assert response.status_code == 302, error_texts(response)
    block.refresh_from_db()
    assert block.body == "Lima gana [[saldo_abs:lima]] personas."
    assert block.key == "saldo_migratorio"
    assert editor_client.get(reverse("admin:portal_contentblock_add")).status_code == 403


def test_editor_adds_a_census_edition_with_its_figures_and_changes_existing_figures(editor_client):
    data = form_data(editor_client.get(reverse("admin:migration_censusedition_add")), "form#censusedition_form")
    data.update(
        year="2017",
        title="Censos Nacionales 2017",
        source="INEI – Censos Nacionales 2017",
        compiler="CAD Ciudadanos al Día",
        attribution="Elaboración: CAD Ciudadanos al Día, según información del INEI",
        national_population="29381884",
        born_abroad_share="0.50",
    )
    response = editor_client.post(reverse("admin:migration_censusedition_add"), data)
    assert response.status_code == 302, error_texts(response)
    edition = CensusEdition.objects.get(year=2017)

    lima = Department.objects.get(slug="lima")
    add_url = reverse("admin:migration_departmentfigures_add")
    data = form_data(editor_client.get(add_url), "form#departmentfigures_form")
    data.update(edition=str(edition.pk), department=str(lima.pk), population="9485405")
    data.update(immigrants="3000000", emigrants="400000")
    response = editor_client.post(add_url, data)
    assert response.status_code == 302, error_texts(response)
    assert DepartmentFigures.objects.filter(edition=edition, department=lima, population=9_485_405).exists()

    figures = DepartmentFigures.objects.get(edition=edition, department=lima)  # a draft: one figure alone
    change_url = reverse("admin:migration_departmentfigures_change", args=[figures.pk])
    data = form_data(editor_client.get(change_url), "form#departmentfigures_form")
    data["emigrants"] = str(figures.emigrants + 1)
    response = editor_client.post(change_url, data)
    assert response.status_code == 302, error_texts(response)
    assert DepartmentFigures.objects.get(pk=figures.pk).emigrants == figures.emigrants + 1


def test_editor_cannot_delete_departments_or_census_editions(editor_client):
    department = Department.objects.get(slug="lima")
    edition = CensusEdition.objects.get(year=2007)
    for url in (
        reverse("admin:migration_department_delete", args=[department.pk]),
        reverse("admin:migration_censusedition_delete", args=[edition.pk]),
    ):
        assert editor_client.get(url).status_code == 403
        assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Department.objects.filter(pk=department.pk).exists()
    assert CensusEdition.objects.filter(pk=edition.pk).exists()


def test_editor_cannot_manage_users_or_groups(editor_client, editor):
    group = Group.objects.get(name="Editores")
    for url in (
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[editor.pk]),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_change", args=[group.pk]),
    ):
        assert editor_client.get(url).status_code == 403, url
    # Nor make themselves superuser through their own account page.
    response = editor_client.post(
        reverse("admin:auth_user_change", args=[editor.pk]), {"username": EDITOR_USERNAME, "is_superuser": "on"}
    )
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser


# --- Login lock-out (django-axes) ------------------------------------------------------------------------------------


def test_admin_login_is_locked_after_five_failed_attempts_even_with_the_right_password(client, editor):
    login_url = reverse("admin:login")
    for attempt in range(1, 5):
        response = client.post(login_url, {"username": EDITOR_USERNAME, "password": "no-es-la-clave"})
        assert response.status_code == 200, attempt
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.select_one(".errornote"), attempt  # the login form again, with its error
        assert "Por favor introduzca el nombre de usuario y la clave correctos" in text_of(
            soup.select_one(".errornote")
        )
    response = client.post(login_url, {"username": EDITOR_USERNAME, "password": "no-es-la-clave"})
    assert response.status_code == 429  # the fifth failure locks the account from this address

    response = client.post(login_url, {"username": EDITOR_USERNAME, "password": EDITOR_PASSWORD, "next": "/admin/"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Acceso bloqueado temporalmente" in html
    assert "una hora" in html
    # Not signed in: the admin still asks for a login.
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(login_url)


def test_a_successful_login_before_the_limit_signs_the_editor_in(client, editor):
    login_url = reverse("admin:login")
    for _ in range(3):
        client.post(login_url, {"username": EDITOR_USERNAME, "password": "no-es-la-clave"})
    response = client.post(login_url, {"username": EDITOR_USERNAME, "password": EDITOR_PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_log_in_whose_next_is_another_site_lands_on_the_admin(client, editor):
    response = client.post(
        reverse("admin:login"),
        {"username": EDITOR_USERNAME, "password": EDITOR_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


# --- Markdown preview ------------------------------------------------------------------------------------------------


def test_markdown_preview_returns_sanitised_html_with_the_markers_filled(editor_client):
    text = (
        "Lima recibe **[[inmigrantes:lima]]** inmigrantes.\n\n"
        "<script>alert(1)</script>\n\n[enlace](javascript:alert(1)) [[marcador_desconocido]]"
    )
    response = editor_client.post(reverse("markdown-preview"), {"text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p>Lima recibe <strong>2,781,145</strong> inmigrantes.</p>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "[[marcador_desconocido]]" in html  # unknown markers stay visible to the editor


def test_markdown_preview_of_hostile_text_answers_at_once(editor_client):
    from portal.core.text import MARKDOWN_MAX_LENGTH

    nested = editor_client.post(reverse("markdown-preview"), {"text": "\n".join("  " * d + "- x" for d in range(150))})
    assert nested.status_code == 200 and "<li>" in nested.content.decode()  # a 500 with the previous renderer
    too_long = editor_client.post(reverse("markdown-preview"), {"text": "[" * (MARKDOWN_MAX_LENGTH + 1)})
    assert too_long.status_code == 200
    assert f"{MARKDOWN_MAX_LENGTH + 1}" in too_long.content.decode()  # says how long it is, draws nothing


def test_markdown_preview_is_for_signed_in_staff_only(client):
    response = client.post(reverse("markdown-preview"), {"text": "[[inmigrantes:lima]]"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert b"2,781,145" not in response.content


def test_markdown_preview_only_answers_post(editor_client):
    response = editor_client.get(reverse("markdown-preview"), {"text": "hola"})
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_markdown_textarea_in_the_admin_points_to_the_preview(editor_client):
    block = ContentBlock.objects.get(key="saldo_migratorio")
    response = editor_client.get(reverse("admin:portal_contentblock_change", args=[block.pk]))
    textarea = BeautifulSoup(response.content, "html.parser").find("textarea", attrs={"name": "body"})
    assert textarea["data-preview-url"] == reverse("markdown-preview")


# --- Editors' text cannot inject active content into public pages ----------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "<iframe src=//evil>",
    '<p style="color:red">rojo</p>',
    '<a href="#" onclick="x()">clic</a>',
    "<svg onload=alert(1)>",
]
PROBE = "Sonda de seguridad"
# Raw markup that only a live element can produce ("<" in text or attribute values is escaped).
ACTIVE_MARKUP = re.compile(r"<\s*(script[^>]*>\s*alert|iframe|svg[^>]*\sonload|img[^>]*onerror)", re.I)


def assert_no_active_content(html: str, page: str) -> None:
    """No element, attribute or URL from the payloads is live in the page (escaped text is harmless)."""
    assert not ACTIVE_MARKUP.search(html), (page, ACTIVE_MARKUP.search(html).group(0))
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(["iframe", "object", "embed"]), page
    assert not soup.find_all("img", src="x"), page
    for script in soup.find_all("script"):
        assert "alert" not in script.text, page
    for tag in soup.find_all(True):
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), (page, str(tag)[:120])
            values = value if isinstance(value, list) else [value]
            assert not any(v.strip().lower().startswith("javascript:") for v in values), (page, str(tag)[:120])
            if attribute.lower() == "style":
                assert "color:red" not in value.replace(" ", ""), (page, str(tag)[:120])


@pytest.mark.database_independent  # what the pages make of the text: in the SQLite pass
@pytest.mark.parametrize("payload", PAYLOADS)
def test_editor_text_cannot_put_active_content_on_public_pages(editor_client, client, payload):
    # An image in a Markdown text is refused with a message (tests/browser/test_two_editors.py): that payload
    # goes into the plain texts only.
    in_markdown = payload if "<img" not in payload else ""
    practice = Practice.objects.get(slug="credito-solidario-comunidades-campesinas")
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    data = form_data(editor_client.get(url), "form#practice_form")
    data.update(
        title=f"{PROBE} {payload}",
        summary=f"Resumen {payload} fin.",
        body=f"{PROBE} en el texto.\n\n{in_markdown}\n\nPárrafo {in_markdown} en línea.",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, error_texts(response)

    for block in ContentBlock.objects.all():
        block_url = reverse("admin:portal_contentblock_change", args=[block.pk])
        data = form_data(editor_client.get(block_url), "form#contentblock_form")
        data["body"] = f"{PROBE} ({block.key}).\n\n{in_markdown}\n\n{data['body']}\n\nAl final {in_markdown}"
        data["title"] = f"{data['title']} {payload}"
        response = editor_client.post(block_url, data)
        assert response.status_code == 302, error_texts(response)
    assert ContentBlock.objects.filter(body__contains=in_markdown).count() == ContentBlock.objects.count() == 7

    practice.refresh_from_db()
    department = practice.departments.first()
    pages = [
        practice.get_absolute_url(),
        reverse("practices:index"),
        department.get_absolute_url(),
        reverse("migration:index"),
        reverse("home"),
        reverse("about"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert PROBE in html, page  # the edited text is on the page ...
        assert_no_active_content(html, page)  # ... without anything that runs or styles itself

    soup = BeautifulSoup(client.get(practice.get_absolute_url()).content, "html.parser")
    assert soup.find("h1").get_text() == f"{PROBE} {payload}"  # the title is shown as the text the editor typed


# --- Institutions (issue 15, item 10) --------------------------------------------------------------------------------


def test_editor_deletes_an_unused_institution_but_not_one_in_use(editor_client):
    unused = Institution.objects.create(name="Ministerio equivocado", slug="ministerio-equivocado")
    url = reverse("admin:practices_institution_delete", args=[unused.pk])
    assert editor_client.get(url).status_code == 200
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not Institution.objects.filter(pk=unused.pk).exists()

    used = Practice.objects.first().institution
    response = editor_client.get(reverse("admin:practices_institution_delete", args=[used.pk]))
    text = " ".join(BeautifulSoup(response.content, "html.parser").select_one("#content").get_text().split())
    assert "no se puede eliminar mientras lo usen estos elementos" in text
    assert editor_client.post(
        reverse("admin:practices_institution_delete", args=[used.pk]), {"post": "yes"}
    ).status_code in (
        200,
        403,
    )
    assert Institution.objects.filter(pk=used.pk).exists()


# --- Preview with the public stylesheet; markers checked (issue 15, item 6) -----------------------------------------


def test_markdown_preview_is_a_page_with_the_public_stylesheet_framed_by_the_admin_only(editor_client):
    response = editor_client.post(reverse("markdown-preview"), {"text": "- uno\n- dos"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert [link["href"] for link in soup.select("link[rel=stylesheet]")] == [
        BeautifulSoup(editor_client.get("/").content, "html.parser").select_one("link[rel=stylesheet]")["href"]
    ]
    assert [text_of(li) for li in soup.select(".prose ul li")] == ["uno", "dos"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "style=" not in response.content.decode() and "<script" not in response.content.decode()


def test_markdown_preview_names_an_unknown_marker_and_the_valid_ones(editor_client):
    response = editor_client.post(reverse("markdown-preview"), {"text": "Lima: [[inmigrante:lima]]"})
    warning = text_of(BeautifulSoup(response.content, "html.parser").select_one("[role=alert]"))
    assert warning.startswith("El marcador [[inmigrante:lima]] no existe. ¿Quiso decir [[inmigrantes:lima]]?")
    assert "[[poblacion_nacional]]" in warning and "[[saldo_abs:lima]]" in warning


def test_a_text_with_an_unknown_marker_is_refused_naming_the_valid_ones(client, editor_client):
    block = ContentBlock.objects.get(key="saldo_migratorio")
    url = reverse("admin:portal_contentblock_change", args=[block.pk])
    data = form_data(editor_client.get(url), "form#contentblock_form")
    data["body"] = "Lima recibe [[inmigrante:lima]] personas."
    response = editor_client.post(url, data)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    errors = [text_of(li) for li in soup.select(".field-body .errorlist li")]
    assert len(errors) == 1
    assert errors[0].startswith("El marcador [[inmigrante:lima]] no existe. ¿Quiso decir [[inmigrantes:lima]]?")
    assert "[[pct_emigrantes:lima]]" in errors[0]
    block.refresh_from_db()
    assert "[[inmigrante:lima]]" not in block.body


def test_the_valid_markers_are_listed_beside_the_text(editor_client):
    block = ContentBlock.objects.get(key="saldo_migratorio")
    soup = BeautifulSoup(
        editor_client.get(reverse("admin:portal_contentblock_change", args=[block.pk])).content, "html.parser"
    )
    listed = text_of(soup.select_one(".field-body .marker-list"))
    for marker in ("[[poblacion_migrante]]", "[[anio_censo]]", "[[inmigrantes:lima]]", "[[saldo:lima]]"):
        assert marker in listed
    assert "apurimac" in listed


@pytest.mark.django_db
def test_every_marker_listed_is_one_the_portal_fills():
    from django.test import RequestFactory

    from migration.summary import load_summary
    from portal.core.text import marker_names

    summary = load_summary(RequestFactory().get("/"))
    assert set(summary.figure_values) == marker_names()


# --- Passwords and robots.txt (issue 15, item 9) ---------------------------------------------------------------------


def test_create_editor_rejects_a_password_shorter_than_twelve_characters(db, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "Quipu-2024!")  # 11 characters
    with pytest.raises(CommandError, match="por lo menos 12 caracteres"):
        call_command("create_editor", EDITOR_USERNAME, stdout=io.StringIO())
    assert not User.objects.filter(username=EDITOR_USERNAME).exists()


def test_robots_txt_does_not_reveal_the_admin_path_and_the_admin_says_noindex(client, db):
    from django.conf import settings

    robots = client.get("/robots.txt").content.decode()
    assert settings.ADMIN_PATH.strip("/") not in robots
    assert "Sitemap:" in robots
    soup = BeautifulSoup(client.get(reverse("admin:login")).content, "html.parser")
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex, nofollow"
