"""Real servers for end-to-end tests: gunicorn + whitenoise on loopback, each on its own database.

The servers never share the pytest test database: each test run gets a fresh
database (an SQLite file, or a new PostgreSQL database on the server pytest
uses), migrated and loaded with ``load_portal_data`` like a real deployment.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
EDITOR = {"username": "editora", "password": "Prueba-Editora-2026!"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback only)
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextlib.contextmanager
def fresh_database(tmp_path: Path):
    """A DATABASE_URL for an empty database of the same kind as the test run's."""
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        name = f"portal_e2e_{uuid.uuid4().hex[:8]}"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{name}"
        try:
            yield url
        finally:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield f"sqlite:///{tmp_path / 'portal.sqlite3'}"


def portal_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "e2e-test-secret-key-not-for-production-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "WEB_CONCURRENCY": "2",
    }
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def prepare_database(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_portal_data")
    manage({**env, "EDITOR_PASSWORD": EDITOR["password"]}, "create_editor", EDITOR["username"], "--name", "Ana Editora")


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log_path: Path):
    """A gunicorn server (production settings) on a free loopback port; yields its base URL."""
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            [GUNICORN, "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/salud/")
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)


@contextlib.contextmanager
def redis_server():
    """A throwaway redis-server on a free loopback port, no persistence; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (scripts/system-packages.sh installs it)")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def multipart(fields: list[tuple[str, str]], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends a form with files, and its Content-Type."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields
    ]
    for name, (file_name, content) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
        parts.append(head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class AdminBrowser:
    """Signs in to a running portal's admin and submits its forms over plain HTTP, as a browser would."""

    def __init__(self, base: str):
        import http.cookiejar

        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.headers = None  # of the last response

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=10) as response:
            self.headers = response.headers
            return response.status, response.read().decode()

    def submit(
        self, path: str, form_html: str, changes: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None
    ) -> tuple[int, str]:
        """Submit the page's form with ``changes``; ``files``: {field: (file name, content)}, sent as multipart."""
        from urllib.parse import urlencode

        from bs4 import BeautifulSoup

        from tests.html import form_fields

        # The largest POST form: the page's own form, not the header's log-out form.
        forms = BeautifulSoup(form_html, "html.parser").find_all("form", attrs={"method": "post"})
        form = max(forms, key=lambda candidate: len(candidate.find_all(["input", "select", "textarea"])))
        fields = [
            (name, item)
            for name, value in form_fields(form).items()
            if name not in changes
            for item in (value if isinstance(value, list) else [value])
        ]
        fields += list(changes.items())
        headers = {"Referer": self.base + path}
        if files:
            body, headers["Content-Type"] = multipart(fields, files)
        else:
            body = urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 (loopback only)
        with self.opener.open(request, timeout=10) as response:
            self.headers = response.headers
            return response.status, response.read().decode()

    def login(self, username: str, password: str) -> None:
        _, page = self.get("/admin/login/")
        _, landing = self.submit("/admin/login/", page, {"username": username, "password": password})
        if "logout" not in landing and "Cerrar sesión" not in landing:
            raise AssertionError("admin login failed")


@contextlib.contextmanager
def varnish(backends: list[str], workdir: Path):
    """varnishd with deploy/varnish/default.vcl on a free loopback port in front of ``backends``.

    The VCL is used as shipped; only its backends.vcl is written for the test's servers. The
    cache lives in memory, the working directory (-n) in ``workdir``; -j none runs it as the
    calling user (also as root), -F in the foreground, so that stopping it stops everything.
    """
    binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not Path(binary).exists():
        raise RuntimeError("varnishd is not installed (scripts/system-packages.sh installs it)")
    vcl = workdir / "vcl"
    vcl.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "deploy" / "varnish" / "default.vcl", vcl / "default.vcl")
    servers = []
    for number, base in enumerate(backends):
        host, port = base.removeprefix("http://").split(":")
        servers.append(f'backend server_{number} {{ .host = "{host}"; .port = "{port}"; .probe = salud; }}')
    additions = "\n".join(f"    portal.add_backend(server_{number});" for number in range(len(backends)))
    (vcl / "backends.vcl").write_text(
        'probe salud { .request = "GET /salud/ HTTP/1.1" "Host: 127.0.0.1" "Connection: close"; '
        ".interval = 1s; .initial = 3; }\n"
        + "\n".join(servers)
        + f"\nsub vcl_init {{\n    new portal = directors.round_robin();\n{additions}\n}}\n"
    )
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            binary,
            "-F",
            "-j",
            "none",
            "-n",
            str(workdir / "varnish"),
            "-a",
            f"127.0.0.1:{port}",
            "-T",
            "none",
            "-f",
            str(vcl / "default.vcl"),
            "-s",
            "malloc,64m",
        ],
        stdout=(workdir / "varnishd.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/salud/")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
