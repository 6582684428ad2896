"""The log-in lock-out behind a load balancer: a real reverse proxy in front of gunicorn, directly or through
Varnish (deploy/varnish/default.vcl) as the README's deployment has it — with .env.example's settings.

Clients connect to the proxy from different loopback addresses (127.0.0.2, 127.0.0.3…), as
visitors from different places reach the balancer; gunicorn only ever sees the proxy's or Varnish's address.
"""

import contextlib
import http.client
import re
from urllib.parse import urlencode, urlsplit

import pytest

from tests.proxy import reverse_proxy
from tests.servers import EDITOR, fresh_database, gunicorn, portal_env, varnish

# Addresses and headers: the same on any database (in the SQLite pass of the test command only).
pytestmark = pytest.mark.database_independent

LOGIN = "/admin/login/"


class Visitor:
    """A browser on its own address: keeps its cookies, can send any header it likes."""

    def __init__(self, base: str, address: str, headers: dict | None = None):
        parts = urlsplit(base)
        self.host, self.port, self.address = parts.hostname, parts.port, address
        self.cookies: dict[str, str] = {}
        self.headers = headers or {}

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=20, source_address=(self.address, 0))
        headers = {**self.headers, "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                self.cookies[key] = val
        content = response.read().decode()
        connection.close()
        return response.status, content

    def log_in(self, username: str, password: str) -> int:
        _, page = self.request("GET", LOGIN)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.request(
            "POST", LOGIN, {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"}
        )
        return status


def fail_five_times(visitor: Visitor, username: str = EDITOR["username"]) -> list[int]:
    return [visitor.log_in(username, "no-es-la-clave-correcta") for _ in range(5)]


@pytest.fixture(scope="module")
def database(tmp_path_factory, django_db_blocker, prepared_database):
    tmp_path = tmp_path_factory.mktemp("proxy")
    with django_db_blocker.unblock(), fresh_database(tmp_path, copy_of=prepared_database) as database_url:
        yield database_url, tmp_path


@pytest.fixture(scope="module")
def behind_the_proxy(database):
    """The portal with the proxy settings as .env.example ships them; both chains below are in front of it."""
    database_url, tmp_path = database
    env = portal_env(database_url, DJANGO_BEHIND_PROXY="1", DJANGO_PROXY_COUNT="1", DJANGO_ALLOWED_HOSTS="127.0.0.1")
    with gunicorn(env, tmp_path / "behind-the-proxy.log") as server:
        yield server, env, tmp_path


# Each chain's visitors come from addresses of their own (127.0.0.x, 127.0.1.x): nobody starts locked out.
@pytest.mark.parametrize(
    ("chain", "network"),
    [("balancer", "127.0.0"), ("balancer+varnish", "127.0.1")],
    ids=["balancer", "balancer+varnish"],
)
def test_behind_the_proxy_each_visitor_is_locked_out_alone_and_spoofing_does_not_help(behind_the_proxy, chain, network):
    server, env, tmp_path = behind_the_proxy
    with contextlib.ExitStack() as running:
        if chain == "balancer+varnish":
            server = running.enter_context(varnish([server], tmp_path / "varnish", env))
        proxy = running.enter_context(reverse_proxy(server))
        # Password spraying: five made-up usernames from one address lock that address out…
        sprayer = Visitor(proxy, f"{network}.4")
        for number in range(5):
            sprayer.log_in(f"usuario{number}", "Primavera2026!")
        assert sprayer.log_in(EDITOR["username"], EDITOR["password"]) == 429
        # …and nobody else: the editor signs in from elsewhere.
        assert Visitor(proxy, f"{network}.3").log_in(EDITOR["username"], EDITOR["password"]) == 302

        attacker = Visitor(proxy, f"{network}.2")
        assert fail_five_times(attacker)[:4] == [200, 200, 200, 200]
        assert attacker.log_in(EDITOR["username"], EDITOR["password"]) == 429  # locked, even the right password

        # Another visitor behind the same balancer signs in with the same username: the lock-out is not everyone's.
        editor = Visitor(proxy, f"{network}.5")
        assert editor.log_in(EDITOR["username"], EDITOR["password"]) == 302

        # The attacker's own X-Forwarded-For is not believed: the proxy's entry is.
        spoofing = Visitor(proxy, f"{network}.2", headers={"X-Forwarded-For": "203.0.113.9"})
        assert spoofing.log_in(EDITOR["username"], EDITOR["password"]) == 429


def test_without_the_proxy_setting_forwarded_headers_are_ignored(portal_url):
    """The run's shared server has no proxy setting (tests/conftest.py's ``portal_server``): the address is the
    connection's, whatever X-Forwarded-For says. (127.0.0.5 ends locked out there; no other test signs in from it.)"""
    for attempt in range(5):
        Visitor(portal_url, "127.0.0.5", headers={"X-Forwarded-For": f"198.51.100.{attempt}"}).log_in(
            "otra-persona", "no-es-la-clave"
        )
    fresh_address = Visitor(portal_url, "127.0.0.5", headers={"X-Forwarded-For": "198.51.100.200"})
    assert fresh_address.log_in(EDITOR["username"], EDITOR["password"]) == 429
    assert Visitor(portal_url, "127.0.0.6").log_in(EDITOR["username"], EDITOR["password"]) == 302
