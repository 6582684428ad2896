"""Security headers on every response (cached ones too), HTTPS settings, and safe configuration.

None of it depends on the database: in the SQLite pass of make test only."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = [pytest.mark.django_db, pytest.mark.database_independent]

PAGES = ["/", "/migracion/", "/practicas/", "/practicas/sierra-sur/", "/migracion/graficos/migrantes.json", "/nope/"]


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_fresh_and_cached_responses(client, path):
    for attempt in ("fresh", "cached"):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, attempt
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "geolocation=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"


def test_pages_are_served_from_the_cache_the_second_time(client, django_assert_max_num_queries):
    client.get("/migracion/")
    with django_assert_max_num_queries(1):  # just the content version
        assert client.get("/migracion/").status_code == 200


def test_https_redirect_hsts_and_secure_cookies_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    client.get("/migracion/", secure=True)  # cached over HTTPS…
    response = client.get("/migracion/")  # …but plain HTTP is still redirected
    assert response.status_code == 301 and response["Location"].startswith("https://")
    secure = client.get("/migracion/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def run_settings(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_warns_when_the_site_url_is_not_https():
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k8Jx2-very-long-random-production-secret-value-9aQz7LmN3pR5tV1wY4",
        "DJANGO_ALLOWED_HOSTS": "migracion.example.pe",
        "DJANGO_HTTPS": "1",
    }
    result = run_settings(production, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "portal.W001" in result.stderr


def test_a_site_url_with_a_path_is_refused():
    result = run_settings({"DJANGO_DEBUG": "1", "DJANGO_SITE_URL": "https://example.pe/portal"}, "check")
    assert result.returncode != 0
    assert "DJANGO_SITE_URL must be an origin" in result.stderr


def test_without_a_secret_key_production_refuses_to_start():
    result = run_settings({"DJANGO_DEBUG": "0"}, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k8Jx2-very-long-random-production-secret-value-9aQz7LmN3pR5tV1wY4",
        "DJANGO_ALLOWED_HOSTS": "migracion.example.pe",
        "DJANGO_HTTPS": "1",
        "DJANGO_SITE_URL": "https://migracion.example.pe",
    }
    result = run_settings(production, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def shipped_configuration() -> dict[str, str]:
    """The variables of .env.example, as an operator copies them."""
    lines = (settings.BASE_DIR / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_check_deploy_is_clean_with_the_shipped_configuration_and_warns_about_a_broken_proxy_chain():
    shipped = {
        **shipped_configuration(),
        "DJANGO_SECRET_KEY": "k8Jx2-very-long-random-production-secret-value-9aQz7LmN3pR5tV1wY4",
    }
    result = run_settings(shipped, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    # Everyone would be the balancer (five failed log-ins lock the admin for all), and anyone could skip Varnish.
    broken = {**shipped, "DJANGO_PROXY_COUNT": "0", "GUNICORN_BIND": "0.0.0.0:8000"}
    result = run_settings(broken, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "portal.W002" in result.stderr and "portal.W003" in result.stderr
