"""Custom Spanish error pages keep the site's layout and give a way back."""

import pytest
from django.test import RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (defaults.bad_request, 400, "Solicitud no válida"),
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
