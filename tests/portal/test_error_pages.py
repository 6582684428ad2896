"""Custom Spanish error pages keep the site's layout and give a way back (the 400 page is plain)."""

import json

import pytest
from django.test import RequestFactory
from django.views import defaults

from portal.views import bad_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (defaults.permission_denied, 403, "Acceso no permitido"),
        (defaults.server_error, 500, "Algo salió mal"),
    ],
)
def test_error_pages_are_spanish_and_keep_the_layout(view, status, heading):
    request = RequestFactory().get("/algo/")
    response = view(request) if view is defaults.server_error else view(request, Exception())
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
    assert 'class="site-header"' not in html


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
