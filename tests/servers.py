"""Real servers for end-to-end tests and the benchmark: gunicorn + whitenoise, Varnish and Redis on loopback.

The servers never share the pytest test database: each gets a database of its
own (an SQLite file, or a new PostgreSQL database on the server pytest uses),
migrated and loaded with ``load_portal_data`` like a real deployment
(``prepare_database``) — or a copy of one so prepared (``fresh_database``'s
``copy_of``; tests/conftest.py prepares one per run).
``scripts/benchmark.py`` starts its servers with the same helpers; this module
imports nothing of Django at load time, so that the benchmark can import it.
"""

import contextlib
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent  # settings.BASE_DIR
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
EDITOR = {"username": "editora", "password": "Prueba-Editora-2026!"}
#: A second editor, for what two editors do at once (imports confirmed together).
SECOND_EDITOR = {"username": "editor2", "password": "Segundo-Editor-2026!", "name": "Beto Segundo"}


def free_port() -> int:
    """A free loopback port below the kernel's ephemeral range: a server stopped and started again on its port
    (PostgreSQL, Redis) must not find it taken meanwhile by the source port of some client's connection — a
    port the kernel hands out (bind to 0) is one of those."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as ports:
        ephemeral_from = int(ports.read().split()[0])
    for port in random.sample(range(10_000, ephemeral_from), 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free loopback port between 10000 and {ephemeral_from}")


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
def throwaway_database(tmp_path: Path, postgres_url: str = "", prefix: str = "portal_e2e", copy_of: str = ""):
    """A DATABASE_URL for a new database, empty or, given ``copy_of`` (the DATABASE_URL of a database of the same
    kind, nobody connected to it), a copy of that one: an SQLite file in ``tmp_path`` or, given the URL of a
    PostgreSQL server (any database on it; the user needs CREATEDB), a new database there, dropped afterwards."""
    if not postgres_url:
        path = tmp_path / "portal.sqlite3"
        if copy_of:
            import sqlite3

            source = sqlite3.connect(copy_of.removeprefix("sqlite:///"))
            with contextlib.closing(source), contextlib.closing(sqlite3.connect(path)) as target:
                source.backup(target)
        yield f"sqlite:///{path}"
        return
    import psycopg

    parts = urlsplit(postgres_url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    template = f' TEMPLATE "{urlsplit(copy_of).path.lstrip("/")}"' if copy_of else ""
    with psycopg.connect(maintenance, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"{template}')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def copy_of_the_test_database(tmp_path: Path):
    """A DATABASE_URL for a copy of the test run's own database (pytest-django's) as it is now, for real servers
    and commands: an SQLite file in ``tmp_path`` copied with sqlite3's backup API from the in-memory test database,
    or a PostgreSQL database created from the test database as its template (Django's connection to it is closed
    first: a template must have no session), dropped afterwards. Outside any test's transaction only
    (tests/conftest.py's ``django_db_setup``)."""
    import sqlite3

    from django.db import connection

    if connection.vendor == "sqlite":
        path = tmp_path / "portal.sqlite3"
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)
        yield f"sqlite:///{path}"
        return
    params = connection.settings_dict
    connection.close()
    test_database = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{params['NAME']}"
    with fresh_database(tmp_path, copy_of=test_database) as url:
        yield url


@contextlib.contextmanager
def fresh_database(tmp_path: Path, copy_of: str = ""):
    """A DATABASE_URL for an empty database of the same kind as the test run's, or for a copy of ``copy_of`` (a
    database ``prepare_database`` made once: tests/conftest.py's ``prepared_database``)."""
    from django.db import connection

    params = connection.settings_dict
    server = (
        f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/" if connection.vendor == "postgresql" else ""
    )
    with throwaway_database(tmp_path, server, copy_of=copy_of) as url:
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
    """Migrates and loads an empty database as a deployment does, with the two editors' accounts."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_portal_data")
    create_editors(env)


def create_editors(env: dict[str, str]) -> None:
    """``EDITOR`` and ``SECOND_EDITOR``'s accounts, made with ``manage.py create_editor`` as the README says."""
    manage({**env, "EDITOR_PASSWORD": EDITOR["password"]}, "create_editor", EDITOR["username"], "--name", "Ana Editora")
    second = SECOND_EDITOR
    manage(
        {**env, "EDITOR_PASSWORD": second["password"]}, "create_editor", second["username"], "--name", second["name"]
    )


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


def wait_for_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"nothing answers on 127.0.0.1:{port}")
        time.sleep(0.1)


class RedisServer:
    """A throwaway redis-server on a free loopback port, no persistence, 64 MB at most (LRU, as a deployment's
    cache should be): ``url``; ``stop()`` and ``start()`` it again, empty, on the same port."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RuntimeError("redis-server is not installed (scripts/system-packages.sh installs it)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                *(self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
                *("--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@contextlib.contextmanager
def redis_server():
    """A started ``RedisServer``, stopped at the end."""
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


class PostgresServer:
    """A PostgreSQL cluster of its own (in a temporary directory, on a free loopback port), for tests that stop
    the database under a running portal; ``url`` is its database ``portal``. ``stop()`` (fast shutdown: clients
    are cut off) and ``start()`` it again, data kept. As root, the cluster belongs to the postgres user (the
    directory is made under /tmp, where that user can reach it)."""

    def __init__(self):
        initdb = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parts[4]))
        if not initdb:
            raise RuntimeError("PostgreSQL is not installed (scripts/system-packages.sh installs it)")
        self.bin = initdb[-1].parent
        self.data = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        self.port = free_port()
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/portal"

    def run(self, *args: str) -> None:
        subprocess.run([*self.as_owner, *args], check=True, capture_output=True)  # noqa: S603

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.data / "log"), "-w", "-o", options, "start"
        )

    def stop(self) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def __enter__(self):
        if self.as_owner:
            shutil.chown(self.data, "postgres")
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        self.start()
        self.run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "portal")
        return self

    def copy_from(self, database_url: str) -> None:
        """Makes database ``portal`` a copy of the database at ``database_url`` (on another PostgreSQL server of the
        same version): pg_dump, then pg_restore."""
        dump = subprocess.run(  # noqa: S603
            [str(self.bin / "pg_dump"), "--format=custom", "--no-owner", database_url], check=True, capture_output=True
        ).stdout
        subprocess.run(  # noqa: S603
            [str(self.bin / "pg_restore"), "--no-owner", "--exit-on-error", "-d", self.url],
            input=dump,
            check=True,
            capture_output=True,
        )

    def __exit__(self, *exc):
        subprocess.run(  # noqa: S603
            [*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.data, ignore_errors=True)


@contextlib.contextmanager
def mail_and_sentry_sinks():
    """A bare SMTP server and a Sentry endpoint on free loopback ports, as an operator's would receive what the
    portal reports: yields ``(email_url, sentry_dsn, mails, events)``; ``mails`` and ``events`` fill up with the
    raw texts received."""
    import gzip
    import socketserver
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import brotli

    mails, events = [], []

    class Smtp(socketserver.StreamRequestHandler):
        def handle(self):
            self.wfile.write(b"220 sink\r\n")
            while line := self.rfile.readline():
                command = line.strip().upper()
                if command == b"DATA":
                    self.wfile.write(b"354 go on\r\n")
                    lines = []
                    while (data := self.rfile.readline()) not in (b".\r\n", b""):
                        lines.append(data)
                    mails.append(b"".join(lines).decode(errors="replace"))
                    self.wfile.write(b"250 kept\r\n")
                elif command == b"QUIT":
                    self.wfile.write(b"221 bye\r\n")
                    return
                elif command.startswith(b"EHLO"):
                    self.wfile.write(b"250 sink\r\n")
                else:
                    self.wfile.write(b"250 ok\r\n")

    class Sentry(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            elif self.headers.get("Content-Encoding") == "br":
                body = brotli.decompress(body)
            events.append(body.decode(errors="replace"))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args):
            pass

    smtp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Smtp)
    sentry = ThreadingHTTPServer(("127.0.0.1", 0), Sentry)
    for server in (smtp, sentry):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield (
            f"smtp://127.0.0.1:{smtp.server_address[1]}",
            f"http://public@127.0.0.1:{sentry.server_address[1]}/1",
            mails,
            events,
        )
    finally:
        for server in (smtp, sentry):
            server.shutdown()
            server.server_close()


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


def varnishd_path() -> str:
    binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not Path(binary).exists():
        raise RuntimeError("varnishd is not installed (scripts/system-packages.sh installs it)")
    return binary


@contextlib.contextmanager
def varnish(backends: list[str], workdir: Path, env: dict[str, str], memory: str = "64m", started=None):
    """varnishd with deploy/varnish/default.vcl on a free loopback port in front of ``backends``.

    The VCL is used as shipped, with the portal.vcl the portal writes (``manage.py varnish_vcl``, with ``env``'s
    settings); only its backends.vcl is written for the test's servers (health checks every second; this
    machine, 127.0.0.1, is the load balancer). The cache lives in memory (``memory``), the working directory
    (-n) in ``workdir``; -j none runs it as the calling user (also as root), -F in the foreground, so that
    stopping it stops everything. Yields its base URL; ``started``, if given, is called with the varnishd
    process (the benchmark counts its CPU).
    """
    binary = varnishd_path()
    vcl = workdir / "vcl"
    vcl.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "deploy" / "varnish" / "default.vcl", vcl / "default.vcl")
    manage(env, "varnish_vcl", str(vcl / "portal.vcl"))
    servers = []
    for number, base in enumerate(backends):
        host, port = base.removeprefix("http://").split(":")
        servers.append(f'backend server_{number} {{ .host = "{host}"; .port = "{port}"; .probe = salud; }}')
    additions = "\n".join(f"    portal.add_backend(server_{number});" for number in range(len(backends)))
    (vcl / "backends.vcl").write_text(
        'probe salud { .request = "GET /salud/ HTTP/1.1" "Host: 127.0.0.1" "Connection: close"; '
        ".interval = 1s; .timeout = 1s; .window = 3; .threshold = 2; .initial = 2; }\n"
        + "\n".join(servers)
        + f"\nsub vcl_init {{\n    new portal = directors.round_robin();\n{additions}\n}}\n"
        + 'acl load_balancers { "127.0.0.1"; }\n'
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
