"""Custom Spanish error pages keep the site's layout and give a way back (the 400 page is plain)."""

import json
import re

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.views import defaults

from portal.core.errors import bad_request, server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (defaults.permission_denied, 403, "Acceso no permitido"),
        (server_error, 500, "Algo salió mal"),
    ],
)
def test_error_pages_are_spanish_and_keep_the_layout(view, status, heading):
    request = RequestFactory().get("/algo/")
    response = view(request) if view is server_error else view(request, Exception())
    html = response.content.decode()
    assert response.status_code == status
    assert heading in html
    assert 'class="site-header"' in html and 'href="/"' in html  # the layout, and a way back home


def test_the_400_page_is_plain_spanish_with_a_way_home_and_reads_nothing_of_the_request():
    # The query string cannot be parsed (more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS): the page never
    # touches it, and draws no layout that would.
    request = RequestFactory().get("/algo/?" + "&" * 1000)
    response = bad_request(request, Exception())
    html = response.content.decode()
    assert response.status_code == 400
    assert "Solicitud no válida" in html and 'href="/"' in html
    assert "portal" in html and ".css" in html  # the site's name and look
    assert "hreflang" not in html and "main-nav" not in html  # no language links or menu: they read the request


def test_the_400_page_of_the_admin_leads_back_to_the_administration(client, django_user_model):
    editor = django_user_model.objects.create_user("ana", password="x", is_staff=True, is_superuser=True)
    client.force_login(editor)
    # A filter the list does not offer (Django refuses it as a suspicious lookup).
    response = client.get("/admin/migration/censuspopulation/?census__year=2017")
    assert response.status_code == 400
    assert '<a href="/admin/">Volver a la administración</a>' in response.content.decode()


@pytest.mark.parametrize(
    ("path", "heading", "lang"),
    [
        ("/migracion/", "El formulario no se pudo enviar", "es-PE"),
        ("/en/migracion/", "The form could not be sent", "en"),
    ],
)
def test_a_post_to_a_public_page_gets_the_portals_own_403_in_the_pages_language(path, heading, lang):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, {"x": "1"})
    html = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{lang}">' in html and heading in html
    assert 'class="site-header"' in html  # the site's layout, not Django's technical page


def test_an_admin_form_sent_without_its_token_says_what_to_do(django_user_model):
    editor = django_user_model.objects.create_user("ana", password="x", is_staff=True, is_superuser=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/admin/practices/category/add/", {"name": "Salud"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Lo que escribió no se pierde" in html and "«Recuperar lo que escribí»" in html
    assert '<a href="/admin/">Volver a la administración</a>' in html


def test_the_400_page_under_the_api_is_json():
    response = bad_request(RequestFactory().get("/api/v1/practices?" + "&" * 1000), Exception())
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert "Solicitud no válida" in json.loads(response.content)["detail"]


def test_404_page_is_spanish_with_the_reason(client):
    response = client.get("/migracion/no-existe/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Página no encontrada" in html
    assert "No existe un departamento con esa dirección." in html
    assert 'href="/migracion/"' in html


def test_disallowed_host_is_a_400_not_a_500(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "path", "lang", "says"),
    [
        ("get", "/migracion/tacna/", "es-PE", "El portal no puede leer sus datos en este momento"),
        ("get", "/en/migracion/tacna/", "en", "The portal cannot read its data right now"),
        ("post", "/admin/practices/practice/1/change/", "es-PE", "Su cambio no se guardó."),
    ],
)
def test_the_database_out_of_reach_is_a_503_that_says_so_never_a_500(method, path, lang, says):
    """What handler500 answers while the database cannot be reached (the real outage: tests/portal/test_scale_out)."""
    request = getattr(RequestFactory(), method)(path)
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert f'<html lang="{lang}">' in html and says in html and 'class="site-header"' in html


def test_the_404_of_a_path_that_looks_like_another_site_links_only_to_this_one(client):
    response = client.get("/", PATH_INFO="//evil.example/")  # as a server hands the path over
    assert response.status_code == 404
    hrefs = re.findall(r'href="([^"]*)"', response.content.decode())
    assert any(href.startswith("/en/") for href in hrefs)  # the language link is there…
    for href in hrefs:  # …and every link stays on this site
        assert "//evil.example" not in href, href
        assert href.startswith(("#", "/", settings.SITE_URL + "/")) and not href.startswith("//"), href
