"""Real servers for end-to-end tests and the benchmark: gunicorn + whitenoise, Varnish and Redis on loopback.

The servers never share the pytest test database: each test run gets a fresh
database (an SQLite file, or a new PostgreSQL database on the server pytest
uses), migrated and loaded with ``load_portal_data`` like a real deployment.
``scripts/benchmark.py`` starts its servers with the same helpers; this module
imports nothing of Django at load time, so that the benchmark can import it.
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
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent  # settings.BASE_DIR
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
EDITOR = {"username": "editora", "password": "Prueba-Editora-2026!"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 30, process: subprocess.Popen | None = None) -> None:
    """Until ``url`` answers 200; fails at once if ``process`` (the server behind it) has exited."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback only)
                if response.status == 200:
                    return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"the server behind {url} exited ({process.returncode})") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def children(pid: int) -> list[int]:
    """The process ids of ``pid``'s children (gunicorn's workers, varnishd's child), from /proc."""
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def stop(process: subprocess.Popen, grace: float = 20) -> None:
    """SIGTERM, then SIGKILL if it has not stopped after ``grace`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def throwaway_database(tmp_path: Path, postgres_url: str = "", prefix: str = "portal_e2e"):
    """A DATABASE_URL for a new, empty database: an SQLite file in ``tmp_path`` or, given the URL of a
    PostgreSQL server (any database on it; the user needs CREATEDB), a new database there, dropped afterwards."""
    if not postgres_url:
        yield f"sqlite:///{tmp_path / 'portal.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(postgres_url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(maintenance, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def fresh_database(tmp_path: Path):
    """A DATABASE_URL for an empty database of the same kind as the test run's."""
    from django.db import connection

    params = connection.settings_dict
    server = (
        f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/" if connection.vendor == "postgresql" else ""
    )
    with throwaway_database(tmp_path, server) as url:
        yield url


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
    """Run ``manage.py`` with ``env``; its output, or an error that shows it when the command fails."""
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        output = (result.stdout + result.stderr)[-4000:]
        raise RuntimeError(f"manage.py {' '.join(args)} failed (exit {result.returncode}):\n{output}")
    return result.stdout


def prepare_database(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_portal_data")
    manage({**env, "EDITOR_PASSWORD": EDITOR["password"]}, "create_editor", EDITOR["username"], "--name", "Ana Editora")


class GunicornServer:
    """gunicorn with gunicorn.conf.py (production settings from ``env``) on a free loopback port, its log
    appended to ``log_path``; started by ``with``, ready when every worker (WEB_CONCURRENCY) is up."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.env = env
        self.log_path = log_path
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "GunicornServer":
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [GUNICORN, "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_for(f"{self.base}/salud/", seconds=60, process=self.process)
            deadline = time.monotonic() + 30  # each worker imports the portal on its own
            while len(self.workers()) < int(self.env.get("WEB_CONCURRENCY", 1)) and time.monotonic() < deadline:
                time.sleep(0.1)
        except BaseException as error:
            self.__exit__()
            if isinstance(error, Exception):
                raise RuntimeError(f"gunicorn did not start:\n{self.log_tail()}") from error
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            stop(self.process)

    def workers(self) -> list[int]:
        return children(self.process.pid) if self.process else []

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log_path: Path):
    """A ``GunicornServer``; yields its base URL."""
    with GunicornServer(env, log_path) as server:
        yield server.base


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

    def submit(self, path: str, form_html: str, changes: dict[str, str]) -> tuple[int, str]:
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
        request = urllib.request.Request(  # noqa: S310 (loopback only)
            self.base + path, data=urlencode(fields).encode(), headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=10) as response:
            self.headers = response.headers
            return response.status, response.read().decode()

    def login(self, username: str, password: str) -> None:
        _, page = self.get("/admin/login/")
        _, landing = self.submit("/admin/login/", page, {"username": username, "password": password})
        if "logout" not in landing and "Cerrar sesión" not in landing:
            raise AssertionError("admin login failed")


def varnishd_path() -> str:
    binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not Path(binary).exists():
        raise RuntimeError("varnishd is not installed (scripts/system-packages.sh installs it)")
    return binary


@contextlib.contextmanager
def varnish(backends: list[str], workdir: Path, memory: str = "64m", started=None):
    """varnishd with deploy/varnish/default.vcl on a free loopback port in front of ``backends``.

    The VCL is used as shipped; only its backends.vcl is written for the test's servers. The
    cache lives in memory (``memory``), the working directory (-n) in ``workdir``; -j none runs it as the
    calling user (also as root), -F in the foreground, so that stopping it stops everything.
    Yields its base URL; ``started``, if given, is called with the varnishd process (the benchmark counts its CPU).
    """
    binary = varnishd_path()
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
            f"malloc,{memory}",
        ],
        stdout=(workdir / "varnishd.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/salud/", process=process)
        if started is not None:
            started(process)
        yield base
    finally:
        stop(process)
