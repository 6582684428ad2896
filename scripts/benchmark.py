#!/usr/bin/env python3
"""Benchmark of the production stack: gunicorn + whitenoise on loopback, driven by wrk.

    .venv/bin/python scripts/benchmark.py              # 10 s per run (make bench)
    .venv/bin/python scripts/benchmark.py --quick      # 3 s per run
    .venv/bin/python scripts/benchmark.py --quick --scale 100   # 1×, then 100× the data

What it does (see README.md, section "Benchmark"):

1. A throwaway database: a fresh SQLite file in a temporary directory, or, when
   DATABASE_URL is set, a new database created on that PostgreSQL server (dropped at
   the end). ``migrate`` and ``load_portal_data`` fill it like a real deployment.
2. Production settings (DJANGO_DEBUG=0, a random secret key, DJANGO_ALLOWED_HOSTS=127.0.0.1),
   ``collectstatic``, and for every page a static file of the same size in
   ``STATIC_ROOT/bench/``: the ceiling, the same gunicorn + whitenoise serving bytes only.
3. gunicorn with gunicorn.conf.py on a free loopback port (WEB_CONCURRENCY workers), once
   with the public page cache on and once with it off (DJANGO_PAGE_CACHE_SECONDS=0: every
   request runs its view; the parts drawn from the content are kept per content version); wrk
   drives every page and its ceiling at 1, 20 and 50 connections. Then, for information, "cold":
   the fragment cache off too (DJANGO_FRAGMENT_CACHE_SECONDS=0), at 1 connection — the cost of
   drawing every part of a page. Peak RSS of every worker is sampled during the 50-connection runs.
4. ``imports`` (in the default runs, or alone with ``--modes imports``): an editor signs in to the admin of
   the same gunicorn and imports, over HTTP as a browser does, a Spanish-Excel CSV of ``IMPORT_ROWS`` new
   practices (preview, then «Confirmar importación»), then the same file with every practice changed: the
   seconds of each preview and confirmation, against ``TARGETS["import_seconds"]``.
5. Tables, PASS/FAIL lines against the targets, and the results as JSON and text in
   ``var/benchmark/``.

Its servers are the test suite's (tests/servers.py: gunicorn, Varnish, throwaway databases) and so is
its synthetic data for --scale (tests/factories.py, grow_data): run it with the project's Python
(.venv/bin/python, make install-dev). Everything it starts (gunicorn, Varnish, wrk, temporary files, the
PostgreSQL database) is stopped and removed when it ends, also on Ctrl-C. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gzip
import http.client
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import servers  # noqa: E402 (the test suite's server helpers: gunicorn, Varnish, databases)

PYTHON = servers.PYTHON
STATIC_ROOT = ROOT / "staticfiles"  # settings.STATIC_ROOT
BENCH_STATIC = STATIC_ROOT / "bench"
STATIC_URL = "/static/"
HOST = "127.0.0.1"  # the only address this command ever sends traffic to

# (name, path): one URL per page type.
PAGES = [
    ("inicio", "/"),
    ("migracion", "/migracion/"),
    ("departamento", "/migracion/apurimac/"),
    ("practicas-filtro", "/practicas/?departamento=apurimac"),
    ("practica", "/practicas/sierra-sur/"),
    ("grafico-json", "/migracion/graficos/migrantes.json"),
    ("feed-rss", "/practicas/feed/rss/"),
]
CONNECTIONS = (1, 20, 50)
# on: public page cache on. off: page cache off, every request runs its view (parts of pages drawn from
# the content are still kept per content version: DJANGO_FRAGMENT_CACHE_SECONDS). cold: both off, every
# part of every page drawn for each request — measured at the lowest connection count only, for information.
MODES = ("on", "off", "cold")
TARGET_MODES = ("on", "off")
# varnish: Varnish (deploy/varnish/default.vcl) in front of the same gunicorn with the page cache on;
# each page through Varnish, a static file of its size through Varnish (the new ceiling) and the page
# from gunicorn alone, at these connection counts.
VARNISH = "varnish"
VARNISH_CONNECTIONS = (20, 200)
# faults: the deployment of the README (Varnish, two gunicorn servers, PostgreSQL, Redis) with the faults for
# real — Redis stopped, Redis frozen, PostgreSQL stopped, a table locked — while visitors keep reading.
FAULTS = "faults"
# Through Varnish every run is made twice: as browsers ask (Accept-Encoding: gzip — Varnish sends the
# compressed copy it keeps) and as scripts ask (no Accept-Encoding — Varnish decompresses for each
# request). The targets are checked on the first; the second is printed for information.
BROWSER_ENCODING = "gzip"
CLIENT_ENCODINGS = (BROWSER_ENCODING, "identity")
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br"  # what Chromium and Firefox send
VARNISH_VCL = ROOT / "deploy" / "varnish" / "default.vcl"
# imports: the admin's import of a spreadsheet of this many rows (the documented limit, MAX_ROWS).
IMPORTS = "imports"
IMPORT_ROWS = 2000

TARGETS = {
    "cached_ratio": 0.8,  # page ÷ ceiling (requests/s) at 20 connections, page cache on
    "uncached_ratio": 0.25,  # the same with the page cache off
    "p99_ms": 50.0,  # at 20 connections
    "errors_at_50": 0,
    "rss_mb": 120.0,  # peak RSS of any worker
    "growth": 1.5,  # p50 latency at --scale N ÷ at 1× (page cache off, 1 connection)
    "varnish_ratio": 0.9,  # page through Varnish ÷ same-size static file through Varnish, 20 and 200 connections
    "varnish_gain": 5.0,  # page through Varnish ÷ page from gunicorn alone, 200 connections
    "varnish_errors_at_200": 0,
    "import_seconds": 5.0,  # preview and confirmation of IMPORT_ROWS rows, each
}
TARGET_CONNECTIONS = 20

# wrk reports through this script: one JSON line at the end of the run. No per-response
# callback, so that wrk itself stays as cheap as possible.
WRK_SCRIPT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""

# Synthetic data for --scale N: the test suite's generator (tests/factories.py, grow_data), run with
# ``manage.py shell -c`` in the benchmark database.
GENERATOR = """
import json
from tests.factories import grow_data
print("BENCHGEN " + json.dumps(grow_data(scale={scale})))
"""

DB_INFO = r"""
import json
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
    version = cursor.fetchone()[0]
print("BENCHDB " + json.dumps({"vendor": connection.vendor, "version": version}))
"""

VERSIONS = r"""
import json, platform
from importlib.metadata import version
print(json.dumps({"python": platform.python_version(), "django": version("django"),
                  "gunicorn": version("gunicorn"), "whitenoise": version("whitenoise")}))
"""


class BenchmarkError(RuntimeError):
    pass


# ---------------------------------------------------------------------------------------------
# Output: every line printed also goes into the text report.


class Report:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.append(line)

    def table(self, header: list[str], rows: list[list[str]], align: str = "") -> None:
        """A plain-text table; ``align`` has one letter per column (l or r), right by default."""
        widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
        align = align.ljust(len(header), "r")

        def line(cells):
            return "  ".join(
                str(cell).ljust(width) if how == "l" else str(cell).rjust(width)
                for cell, width, how in zip(cells, widths, align, strict=True)
            ).rstrip()

        self(line(header))
        self("  ".join("-" * width for width in widths))
        for row in rows:
            self(line(row))


def log(message: str) -> None:
    """Progress, not part of the report."""
    print(f"  · {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Commands and requests.


def manage(env: dict[str, str], *args: str) -> str:
    try:
        return servers.manage(env, *args)
    except RuntimeError as error:
        raise BenchmarkError(str(error)) from None


def marker(output: str, name: str) -> dict:
    for line in output.splitlines():
        if line.startswith(f"{name} "):
            return json.loads(line.removeprefix(f"{name} "))
    raise BenchmarkError(f"no {name} line in:\n{output[-2000:]}")


def get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes, str]:
    """GET from our loopback server, without compression (as wrk asks): status, body, content type."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Content-Type", "")
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------
# Machine, wrk, database.


def system_command(command: str) -> str:
    """The path of ``command`` (wrk, varnishd); scripts/system-packages.sh installs the Debian packages
    the suite and the benchmark need when they are missing."""

    def which() -> str | None:
        return shutil.which(command) or shutil.which(command, path="/usr/sbin:/sbin")

    if not which() and subprocess.run([str(ROOT / "scripts" / "system-packages.sh")], check=False).returncode:  # noqa: S603
        raise BenchmarkError(f"{command} is missing and scripts/system-packages.sh could not install it")
    found = which()
    if not found:
        raise BenchmarkError(f"scripts/system-packages.sh did not provide a {command} command")
    return found


def machine_info(wrk: str, varnishd: str | None) -> dict:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_mb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_mb = int(line.split()[1]) // 1024
    versions = subprocess.run([PYTHON, "-c", VERSIONS], capture_output=True, text=True, check=True)  # noqa: S603
    versions = json.loads(versions.stdout.strip().splitlines()[-1])
    wrk_version = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)  # noqa: S603
    varnish_version = ""
    if varnishd:
        output = subprocess.run([varnishd, "-V"], capture_output=True, text=True, check=False)  # noqa: S603
        varnish_version = ((output.stdout + output.stderr).strip().splitlines() or [""])[0]
    return {
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "memory_mb": memory_mb,
        "kernel": platform.release(),
        **versions,
        "wrk": (wrk_version.stdout or wrk_version.stderr).split("[")[0].strip(),
        "varnish": varnish_version,
    }


@contextlib.contextmanager
def temporary_database(tmp: Path):
    """A DATABASE_URL of a new, empty database: SQLite in ``tmp``, or one on $DATABASE_URL's PostgreSQL."""
    given = os.environ.get("DATABASE_URL", "").strip()
    if given and urlsplit(given).scheme not in {"postgres", "postgresql", "pgsql"}:
        raise BenchmarkError(
            f"DATABASE_URL must be a PostgreSQL URL (or unset for SQLite), not {given.split(':')[0]}://"
        )
    with servers.throwaway_database(tmp, given, prefix="portal_bench") as url:
        if given:
            log(f"throwaway database {urlsplit(url).path[1:]} on {urlsplit(url).hostname}")
        yield url


def portal_env(database_url: str, workers: int, mode: str) -> dict[str, str]:
    env = servers.portal_env(
        database_url,
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_HTTPS="0",  # plain HTTP on loopback: no redirect to https://
        DJANGO_BEHIND_PROXY="0",
        WEB_CONCURRENCY=str(workers),
        PYTHONDONTWRITEBYTECODE="1",
    )
    # "on" means on, whatever the caller's environment says; likewise the fragment cache outside "cold".
    env["DJANGO_PAGE_CACHE_SECONDS"] = "0" if mode != "on" else (os.environ.get("DJANGO_PAGE_CACHE_SECONDS") or "600")
    if env["DJANGO_PAGE_CACHE_SECONDS"] == "0" and mode == "on":
        env["DJANGO_PAGE_CACHE_SECONDS"] = "600"
    fragments = os.environ.get("DJANGO_FRAGMENT_CACHE_SECONDS") or "600"
    env["DJANGO_FRAGMENT_CACHE_SECONDS"] = "0" if mode == "cold" else ("600" if fragments == "0" else fragments)
    return env


def mode_connections(ctx: Context, mode: str) -> list[int]:
    if mode == VARNISH:
        return list(VARNISH_CONNECTIONS)
    return [min(ctx.args.connections)] if mode == "cold" else ctx.args.connections


MODE_TITLES = {
    "on": "page cache ON",
    "off": "page cache OFF (parts drawn from the content kept per content version)",
    "cold": "page cache and fragment cache OFF (every part drawn for every request; for information)",
    VARNISH: "through Varnish (deploy/varnish/default.vcl) in front of gunicorn with the page cache ON",
}


SECRET_KEY = secrets.token_urlsafe(50)


# ---------------------------------------------------------------------------------------------
# gunicorn, memory sampling, wrk.


class Target:
    """What wrk drives: a gunicorn server (``servers.GunicornServer``), or Varnish in front of one. The
    process is the one whose CPU is counted (gunicorn's master and workers, or varnishd); the log is
    always gunicorn's request log (what reached the portal)."""

    def __init__(self, base: str, process: subprocess.Popen, log_path: Path) -> None:
        self.base = base
        self.port = urlsplit(base).port
        self.process = process
        self.log_path = log_path

    def url(self, path: str) -> str:
        return self.base + path

    def workers(self) -> list[int]:
        return servers.children(self.process.pid)

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def log_since(self, offset: int) -> bytes:
        with self.log_path.open("rb") as handle:
            handle.seek(offset)
            return handle.read()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log_path: Path):
    """A gunicorn server (the suite's ``servers.GunicornServer``) as a ``Target``."""
    try:
        with servers.GunicornServer(env, log_path) as server:
            yield Target(server.base, server.process, server.log_path)
    except RuntimeError as error:
        raise BenchmarkError(str(error)) from None


@contextlib.contextmanager
def varnish(backend: Target, workdir: Path, env: dict[str, str]):
    """Varnish (the suite's ``servers.varnish``: the shipped VCL, its portal part written with ``env``) in front
    of one gunicorn, as a Target."""
    varnishd = []
    with servers.varnish([backend.base], workdir, env, memory="256m", started=varnishd.append) as base:
        yield Target(base, varnishd[0], backend.log_path)


def rss_kb(pid: int) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


class RssSampler:
    """Peak VmRSS of every worker (children of the gunicorn master), sampled every 0.2 s."""

    def __init__(self, server: Target, interval: float = 0.2) -> None:
        self.server = server
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self.server.workers():
                value = rss_kb(pid)
                if value is not None:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), value)
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


LOG_STATUS = re.compile(rb'"status": (\d{3}),')
LOG_CACHE = re.compile(rb'"cache": "(hit|miss)"')


@dataclass
class Run:
    scale: int
    cache: str
    page: str
    path: str
    kind: str  # "page" or "ceiling"
    connections: int
    duration_s: float
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    response_bytes: float
    body_bytes: int
    socket_errors: dict
    non_2xx: int
    errors: int
    logged: int
    cache_hits: int
    cache_misses: int
    worker_boots: int
    cpu: dict = field(default_factory=dict)  # % of all cores during the run: machine, workers, wrk, other
    rss_peak_mb: float | None = None
    encoding: str = "identity"  # "gzip": wrk sent Accept-Encoding as browsers do (runs through Varnish only)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Context:
    args: argparse.Namespace
    wrk: str
    varnishd: str | None
    lua: Path
    tmp: Path
    workers: int
    report: Report
    runs: list[Run] = field(default_factory=list)
    rss: list[dict] = field(default_factory=list)
    sizes: dict[int, dict[str, int]] = field(default_factory=dict)
    datasets: dict[int, dict] = field(default_factory=dict)
    bodies: dict[str, bytes] = field(default_factory=dict)  # of the pages, at the scale being measured
    faults: list[dict] = field(default_factory=list)  # the faults run, one row per fault
    imports: list[dict] = field(default_factory=list)  # the imports run: {"file", "rows", "step", "seconds"}


def wrk_run(ctx: Context, server: Target, path: str, connections: int, duration: int, encoding="identity") -> dict:
    url = server.url(path)
    assert urlsplit(url).hostname == HOST  # noqa: S101 (never anywhere but loopback)
    threads = max(1, min(ctx.args.threads, connections))
    args = [ctx.wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s", str(ctx.lua)]
    if encoding == BROWSER_ENCODING:
        args += ["-H", f"Accept-Encoding: {BROWSER_ACCEPT_ENCODING}"]
    args.append(url)
    machine_before, server_before = cpu_times(), server_ticks(server)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(  # noqa: S603
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=duration + 60, check=False
    ).stdout
    machine_after, server_after = cpu_times(), server_ticks(server)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wait_idle(server)
    result = marker(output, "BENCH")
    # Where the CPU went during the run, in % of all cores: gunicorn, wrk, the kernel's interrupt
    # work (loopback networking), and every other process on the machine.
    delta = {key: machine_after[key] - machine_before[key] for key in machine_after}
    elapsed = delta["total"] or 1
    wrk_seconds = (children_after.ru_utime + children_after.ru_stime) - (
        children_before.ru_utime + children_before.ru_stime
    )
    gunicorn_ticks = server_after - server_before
    wrk_ticks = wrk_seconds * CLOCK_TICKS
    result["cpu"] = {
        "machine_busy_pct": round(100 * (delta["processes"] + delta["interrupts"] + delta["steal"]) / elapsed, 1),
        "gunicorn_pct": round(100 * gunicorn_ticks / elapsed, 1),
        "wrk_pct": round(100 * wrk_ticks / elapsed, 1),
        "interrupts_pct": round(100 * delta["interrupts"] / elapsed, 1),
        "steal_pct": round(100 * delta["steal"] / elapsed, 1),
        "other_pct": round(max(0.0, 100 * (delta["processes"] - gunicorn_ticks - wrk_ticks) / elapsed), 1),
    }
    return result


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_times() -> dict[str, int]:
    """Clock ticks of the whole machine (all cores) from /proc/stat: in processes (user, nice,
    system), in interrupts (irq, softirq), stolen by the hypervisor, and in total."""
    user, nice, system, idle, iowait, irq, softirq, steal = (
        int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]
    )
    return {
        "processes": user + nice + system,
        "interrupts": irq + softirq,
        "steal": steal,
        "total": user + nice + system + idle + iowait + irq + softirq + steal,
    }


def server_ticks(server: Target) -> int:
    """CPU ticks of gunicorn: the master, its live workers, and the workers it has already reaped."""
    if server.process is None:
        return 0
    total = sum(cpu_ticks(server.workers()).values())
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return total


def background_load(seconds: float = 2) -> float:
    """% of all cores busy (processes) before we start anything."""
    before = cpu_times()
    time.sleep(seconds)
    after = cpu_times()
    return 100 * (after["processes"] - before["processes"]) / ((after["total"] - before["total"]) or 1)


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    ticks = {}
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


def wait_idle(server: Target, quiet: float = 0.3, limit: float = 60) -> None:
    """Wait until the workers stop using CPU: when wrk stops, requests it had queued at the server
    are still being answered, and they must not slow down the next run."""
    deadline = time.monotonic() + limit
    before = cpu_ticks(server.workers())
    while time.monotonic() < deadline:
        time.sleep(quiet)
        after = cpu_ticks(server.workers())
        if after.keys() == before.keys() and sum(after.values()) - sum(before.values()) <= 1:
            return
        before = after


def measure(
    ctx: Context, server: Target, *, scale, cache, page, path, kind, connections, body_bytes, encoding="identity"
) -> Run:
    duration = ctx.args.duration
    offset = server.log_size()
    sampler = RssSampler(server) if connections == max(ctx.args.connections) else None
    with sampler or contextlib.nullcontext():
        result = wrk_run(ctx, server, path, connections, duration, encoding)
    # wrk_run waited for the workers to be idle: the requests it cut off at the end are logged by now.
    log_chunk = server.log_since(offset)
    statuses = LOG_STATUS.findall(log_chunk)
    # A 304 in the portal's log is Varnish revalidating its copy (runs through Varnish), not an error.
    non_2xx = max(sum(1 for status in statuses if not status.startswith(b"2") and status != b"304"), result["status"])
    socket_errors = {name: result[name] for name in ("connect", "read", "write", "timeout")}
    requests = result["requests"]
    caches = LOG_CACHE.findall(log_chunk)
    run_ = Run(
        scale=scale,
        cache=cache,
        page=page,
        path=path,
        kind=kind,
        connections=connections,
        duration_s=round(result["duration_us"] / 1e6, 3),
        requests=requests,
        rps=round(requests / (result["duration_us"] / 1e6), 1),
        p50_ms=result["p50_us"] / 1000,
        p90_ms=result["p90_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        max_ms=result["max_us"] / 1000,
        mean_ms=round(result["mean_us"] / 1000, 3),
        response_bytes=round(result["bytes"] / requests, 1) if requests else 0,
        body_bytes=body_bytes,
        socket_errors=socket_errors,
        non_2xx=non_2xx,
        errors=non_2xx + sum(socket_errors.values()),
        logged=len(statuses),
        cache_hits=caches.count(b"hit"),
        cache_misses=caches.count(b"miss"),
        worker_boots=log_chunk.count(b"Booting worker"),
        cpu=result["cpu"],
        encoding=encoding,
    )
    if sampler is not None:
        run_.rss_peak_mb = round(max(sampler.peaks.values(), default=0) / 1024, 1)
        ctx.rss.append(
            {
                "scale": scale,
                "cache": cache,
                "page": page,
                "kind": kind,
                "samples": sampler.samples,
                "peak_mb_by_pid": {str(pid): round(kb / 1024, 1) for pid, kb in sorted(sampler.peaks.items())},
            }
        )
    ctx.runs.append(run_)
    return run_


# ---------------------------------------------------------------------------------------------
# The benchmark.


def selected_pages(args) -> list[tuple[str, str]]:
    if not args.only:
        return PAGES
    names = set(args.only.split(","))
    unknown = names - {name for name, _ in PAGES}
    if unknown:
        raise BenchmarkError(f"unknown page(s) {', '.join(sorted(unknown))}; pages: {', '.join(n for n, _ in PAGES)}")
    return [(name, path) for name, path in PAGES if name in names]


def ceiling_path(size: int) -> str:
    return f"{STATIC_URL}bench/{size}.html"


def write_ceiling_files(sizes: dict[str, int]) -> None:
    """One static file per page size, in STATIC_ROOT (whitenoise reads the folder when a worker starts)."""
    BENCH_STATIC.mkdir(parents=True, exist_ok=True)
    filler = (
        "<!doctype html><html lang=es><meta charset=utf-8><title>Techo estático</title><body><p>"
        + "Archivo estático del mismo tamaño que la página, servido por gunicorn y whitenoise. " * 40
    ).encode()
    for size in set(sizes.values()):
        content = (filler * (size // len(filler) + 1))[:size]
        (BENCH_STATIC / f"{size}.html").write_bytes(content)


def probe_sizes(ctx: Context, env: dict[str, str], pages) -> dict[str, int]:
    """Body size of every page (uncompressed, as wrk gets it), from a short-lived server."""
    sizes = {}
    with gunicorn(env, ctx.tmp / "gunicorn-probe.log") as server:
        for name, path in pages:
            status, body, content_type = get(server.port, path)
            if status != 200:
                raise BenchmarkError(f"{path} answered {status}, not 200:\n{body[:500]!r}")
            sizes[name] = len(body)
            ctx.bodies[name] = body
            log(f"{path}: {len(body):,} bytes ({content_type})")
    return sizes


def benchmark_scale(ctx: Context, database_url: str, scale: int) -> None:
    pages = selected_pages(ctx.args)
    sizes = probe_sizes(ctx, portal_env(database_url, ctx.workers, "off"), pages)
    ctx.sizes[scale] = sizes
    write_ceiling_files(sizes)
    if VARNISH in ctx.args.modes:
        benchmark_varnish(ctx, database_url, scale, pages, sizes)
    for cache in (mode for mode in MODES if mode in ctx.args.modes):
        env = portal_env(database_url, ctx.workers, cache)
        log(f"scale {scale}×, page cache {cache}: starting gunicorn ({ctx.workers} workers)")
        with gunicorn(env, ctx.tmp / f"gunicorn-{scale}-{cache}.log") as server:
            # Warm-up, not measured: fills each worker's page cache, template and connection caches.
            for name, path in pages:
                for target in (path, ceiling_path(sizes[name])):
                    status, body, _ = get(server.port, target)
                    if status != 200 or len(body) != sizes[name]:
                        raise BenchmarkError(f"{target}: status {status}, {len(body)} bytes (expected {sizes[name]})")
                    wrk_run(ctx, server, target, max(2, ctx.workers * 2), 1)
            for name, path in pages:
                for connections in mode_connections(ctx, cache):
                    for kind, target in (("page", path), ("ceiling", ceiling_path(sizes[name]))):
                        result = measure(
                            ctx,
                            server,
                            scale=scale,
                            cache=cache,
                            page=name,
                            path=target,
                            kind=kind,
                            connections=connections,
                            body_bytes=sizes[name],
                        )
                        log(
                            f"{scale}× cache {cache} {name:<16} {kind:<7} c={connections:<3} "
                            f"{result.rps:>8.1f} req/s  p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:7.2f} ms"
                            f"  errors {result.errors}"
                        )
            tail = [line for line in server.log_tail(400).splitlines() if "Traceback" in line or " ERROR " in line]
            if tail:
                ctx.report(f"! gunicorn logged errors (scale {scale}×, cache {cache}): {tail[:3]}")


# ---------------------------------------------------------------------------------------------
# The admin's import of a large spreadsheet (README "For editors", "Import and export").

IMPORT_SETUP = r"""
import json
from practices.models import Category, Institution
print("BENCHIMP " + json.dumps({
    "category": Category.objects.order_by("pk").first().name,
    "institution": Institution.objects.order_by("pk").first().name,
}))
"""
IMPORT_EDITOR = ("bench-editora", "Quinua-Maca-Cacao-2026!")


class AdminSession:
    """An editor signed in to the admin over HTTP, with cookies and CSRF tokens, as a browser."""

    def __init__(self, server: Target) -> None:
        import http.cookiejar
        import urllib.request

        self.server = server
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: bytes | None = None, content_type: str = "") -> tuple[int, str, str]:
        import urllib.error
        import urllib.request

        headers = {"Referer": self.server.url(path)}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.server.url(path), data=data, headers=headers)  # noqa: S310 (loopback)
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.url

    @staticmethod
    def token(page: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not found:
            raise BenchmarkError("no CSRF token on the admin page")
        return found.group(1)

    def login(self, username: str, password: str) -> None:
        from urllib.parse import urlencode

        _, page, _ = self.request("/admin/login/")
        fields = {
            "csrfmiddlewaretoken": self.token(page),
            "username": username,
            "password": password,
            "next": "/admin/",
        }
        status, landing, _ = self.request(
            "/admin/login/", urlencode(fields).encode(), "application/x-www-form-urlencoded"
        )
        if status != 200 or "logout" not in landing:
            raise BenchmarkError(f"the editor could not sign in to the admin (status {status})")

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        from urllib.parse import urlencode

        return self.request(path, urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def post_file(self, path: str, fields: dict[str, str], name: str, content: bytes) -> tuple[int, str, str]:
        boundary = f"----bench{secrets.token_hex(8)}"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="import_file"; filename="{name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(path, body, f"multipart/form-data; boundary={boundary}")


def practices_csv(rows: int, category: str, institution: str, version: str) -> bytes:
    """``rows`` practices as a Spanish-language Excel saves them: semicolons, Windows-1252, CRLF."""
    import csv
    import io

    body = "Párrafo de la práctica con sus resultados, sus cifras y sus lecciones para otras entidades. " * 8
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    header = "slug titulo resumen texto anio categoria institucion programa alcance ubigeos estado publicacion"
    writer.writerow(header.split())
    for number in range(rows):
        writer.writerow(
            [
                f"bench-importada-{number:05d}",
                f"Práctica importada número {number} ({version})",
                f"Resumen de la práctica {number}, {version}.",
                body,
                "2024",
                category,
                institution,
                f"Programa {number % 40}",
                "Regional",
                f"{number % 25 + 1:02d};Cajamarca",
                "Borrador",
                "30/11/2024 09:00",
            ]
        )
    return buffer.getvalue().encode("cp1252")


def postgres_ticks() -> int:
    """CPU ticks of the PostgreSQL server processes on this machine (0 for SQLite or a remote server)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = stat.read_text()
            if text.split("(", 1)[1].startswith("postgres)"):
                total += sum(int(value) for value in text.rsplit(")", 1)[1].split()[11:13])
    return total


def timed(server: Target, call, *args) -> tuple[tuple, float, float, float]:
    """``call(*args)``'s result, the seconds it took, and the CPU seconds gunicorn and PostgreSQL spent meanwhile
    (those do not grow when other processes share the machine: compare them when the wall time does)."""
    ticks, database, started = server_ticks(server), postgres_ticks(), time.monotonic()
    result = call(*args)
    seconds = time.monotonic() - started
    return (
        result,
        seconds,
        (server_ticks(server) - ticks) / CLOCK_TICKS,
        (postgres_ticks() - database) / CLOCK_TICKS,
    )


def benchmark_imports(ctx: Context, database_url: str) -> None:
    """Preview and confirmation of IMPORT_ROWS new practices, then of the same practices changed, timed as the
    editor waits for them (HTTP request to response, gunicorn with its workers and timeout)."""
    env = portal_env(database_url, ctx.workers, "on")
    names = marker(manage(env, "shell", "-c", IMPORT_SETUP), "BENCHIMP")
    username, password = IMPORT_EDITOR
    manage({**env, "EDITOR_PASSWORD": password}, "create_editor", username, "--name", "Editora de Prueba")
    url = "/admin/practices/practice/import/"
    with gunicorn(env, ctx.tmp / "gunicorn-imports.log") as server:
        session = AdminSession(server)
        session.login(username, password)
        for version in ("nuevas", "cambiadas"):
            upload = f"practicas-{version}.csv"
            content = practices_csv(IMPORT_ROWS, names["category"], names["institution"], version)
            _, page, _ = session.request(url)
            fields = {"csrfmiddlewaretoken": session.token(page), "resource": "0", "format": "0"}
            (status, preview, _), *preview_times = timed(server, session.post_file, url, fields, upload, content)
            token = re.search(r'name="import_file_name" value="([^"]+)"', preview)
            if status != 200 or token is None:
                found = re.search(r'<ul class="errorlist[^"]*">(.*?)</ul>', preview, re.S)
                raise BenchmarkError(f"import preview: status {status}, nothing to confirm: {found and found[1][:500]}")
            confirm = {
                "csrfmiddlewaretoken": session.token(preview),
                "import_file_name": token.group(1),
                "original_file_name": upload,
                "format": "0",
                "resource": "0",
                "confirm": "Confirmar importación",
            }
            process = "/admin/practices/practice/process_import/"
            (status, landing, where), *confirm_times = timed(server, session.post_form, process, confirm)
            if status != 200 or "Importación terminada" not in landing:
                raise BenchmarkError(f"import confirmation: status {status} at {where}")
            for step, (seconds, server_cpu, database_cpu) in (("preview", preview_times), ("confirm", confirm_times)):
                ctx.imports.append(
                    {
                        "file": f"practices {version}",
                        "rows": IMPORT_ROWS,
                        "step": step,
                        "seconds": seconds,
                        "gunicorn_cpu_s": server_cpu,
                        "postgres_cpu_s": database_cpu,
                    }
                )
                log(
                    f"import of {IMPORT_ROWS:,} practices {version}: {step} {seconds:.2f} s "
                    f"(CPU: gunicorn {server_cpu:.2f} s, PostgreSQL {database_cpu:.2f} s)"
                )
        errors = [line for line in server.log_tail(400).splitlines() if "Traceback" in line or " ERROR " in line]
        if errors:
            ctx.report(f"! gunicorn logged errors during the imports: {errors[:3]}")
    ctx.report()
    ctx.report(
        f"Imports (admin, over HTTP, {ctx.workers} gunicorn workers): rows, seconds the editor waits, and the CPU "
        "seconds gunicorn and a local PostgreSQL spent (load-independent)"
    )
    ctx.report(f"  {'file':<22} {'rows':>6} {'step':<8} {'seconds':>8} {'gunicorn CPU':>13} {'PostgreSQL CPU':>15}")
    for item in ctx.imports:
        ctx.report(
            f"  {item['file']:<22} {item['rows']:>6,} {item['step']:<8} {item['seconds']:>8.2f} "
            f"{item['gunicorn_cpu_s']:>13.2f} {item['postgres_cpu_s']:>15.2f}"
        )


def write_varnish_ceilings(ctx: Context, pages) -> dict[str, str]:
    """For each page, a static file of its very bytes and, as collectstatic writes them, a gzip copy.

    Varnish fetches both the page and the file compressed (whitenoise serves the .gz copy) and
    decompresses them for wrk, which asks without Accept-Encoding: the same work for both.
    """
    paths = {}
    for name, _ in pages:
        file = BENCH_STATIC / f"varnish-{name}.html"
        file.write_bytes(ctx.bodies[name])
        # Compressed as the portal compresses its pages (django.utils.text.compress_string: level 6).
        file.with_name(file.name + ".gz").write_bytes(gzip.compress(ctx.bodies[name], compresslevel=6, mtime=0))
        paths[name] = f"{STATIC_URL}bench/{file.name}"
    return paths


def benchmark_varnish(ctx: Context, database_url: str, scale: int, pages, sizes: dict[str, int]) -> None:
    """Each page through Varnish, a same-size static file through Varnish, and the page from gunicorn alone."""
    ceilings = write_varnish_ceilings(ctx, pages)  # before gunicorn starts: whitenoise reads the folder then
    env = portal_env(database_url, ctx.workers, "on")
    log(f"scale {scale}×, through Varnish: starting gunicorn ({ctx.workers} workers, page cache on) and varnishd")
    with (
        gunicorn(env, ctx.tmp / f"gunicorn-{scale}-varnish.log") as server,
        varnish(server, ctx.tmp / f"varnish-{scale}", env) as front,
    ):
        # Warm-up, not measured: Varnish keeps each page and file, gunicorn's workers their page caches.
        for name, path in pages:
            for where, target in ((front, path), (front, ceilings[name]), (server, path)):
                status, body, _ = get(where.port, target)
                if status != 200 or len(body) != sizes[name]:
                    raise BenchmarkError(f"{target}: status {status}, {len(body)} bytes (expected {sizes[name]})")
                for encoding in CLIENT_ENCODINGS:
                    wrk_run(ctx, where, target, max(2, ctx.workers * 2), 1, encoding)
        for encoding in CLIENT_ENCODINGS:
            for name, path in pages:
                for connections in VARNISH_CONNECTIONS:
                    for kind, where, target in (
                        ("page", front, path),
                        ("ceiling", front, ceilings[name]),
                        ("gunicorn", server, path),
                    ):
                        result = measure(
                            ctx,
                            where,
                            scale=scale,
                            cache=VARNISH,
                            page=name,
                            path=target,
                            kind=kind,
                            connections=connections,
                            body_bytes=sizes[name],
                            encoding=encoding,
                        )
                        log(
                            f"{scale}× varnish {encoding:<8} {name:<16} {kind:<8} c={connections:<3} "
                            f"{result.rps:>8.1f} req/s  p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:7.2f} ms  "
                            f"errors {result.errors}"
                        )


def gain(ctx: Context, scale: int, page: str, connections: int, encoding: str) -> float | None:
    """Page through Varnish ÷ the same page from gunicorn alone (requests/s), both asked the same way."""
    through = find(ctx, scale=scale, cache=VARNISH, page=page, kind="page", connections=connections, encoding=encoding)
    alone = find(
        ctx, scale=scale, cache=VARNISH, page=page, kind="gunicorn", connections=connections, encoding=encoding
    )
    if not through or not alone or not alone.rps:
        return None
    return through.rps / alone.rps


ENCODING_TITLES = {
    BROWSER_ENCODING: f"as browsers ask (Accept-Encoding: {BROWSER_ACCEPT_ENCODING}): Varnish, whitenoise and the "
    "page cache send the compressed copy they keep",
    "identity": "as scripts ask (no Accept-Encoding): Varnish decompresses its gzip copy for every request; "
    "for information",
}


def print_varnish_table(ctx: Context, scale: int) -> None:
    report = ctx.report
    for encoding in CLIENT_ENCODINGS:
        report()
        report(
            f"== Data {scale}×, {MODE_TITLES[VARNISH]}, {ENCODING_TITLES[encoding]}. DJANGO_SHARED_CACHE_SECONDS="
            f"{portal_env('', ctx.workers, 'on').get('DJANGO_SHARED_CACHE_SECONDS') or '60 (default)'}; "
            f"{ctx.workers} workers, {ctx.args.duration} s per run. Ceiling: a static file holding the page's own "
            "bytes (and a gzip copy, as collectstatic writes) through the same Varnish; gunicorn: the page from "
            "gunicorn alone (page cache on), asked the same way. 'sent B': bytes per response, headers included."
        )
        rows = []
        for name, _ in selected_pages(ctx.args):
            for connections in VARNISH_CONNECTIONS:
                where = {"scale": scale, "cache": VARNISH, "page": name, "connections": connections}
                runs = {
                    kind: find(ctx, kind=kind, encoding=encoding, **where) for kind in ("page", "ceiling", "gunicorn")
                }
                if not all(runs.values()):
                    continue
                first = connections == VARNISH_CONNECTIONS[0]
                row = [name if first else "", f"{ctx.sizes[scale][name]:,}" if first else ""]
                row += [f"{runs['page'].response_bytes:,.0f}" if first else "", connections]
                for kind in ("page", "ceiling", "gunicorn"):
                    run_ = runs[kind]
                    row += [fmt(run_.rps), fmt(run_.p99_ms, 2), run_.errors, "|"]
                row += [
                    fmt(ratio(ctx, scale, VARNISH, name, connections, encoding), 2),
                    f"{fmt(gain(ctx, scale, name, connections, encoding), 1)}×",
                    f"{runs['page'].cpu.get('other_pct', 0):.0f}",
                ]
                rows.append(row)
        header = ["page", "body B", "sent B", "conn"]
        for what in ("Varnish", "ceil", "gunicorn"):
            header += [f"{what} req/s", "p99 ms", "err", "|"]
        header += ["page÷ceil", "÷gunicorn", "other CPU %"]
        report.table(header, rows, align="l")
    report(
        "Through Varnish, 'other CPU %' counts gunicorn (idle but for revalidations) and every process "
        "but varnishd and wrk."
    )


def find(ctx: Context, **where) -> Run | None:
    for run_ in ctx.runs:
        if all(getattr(run_, key) == value for key, value in where.items()):
            return run_
    return None


def ratio(ctx: Context, scale: int, cache: str, page: str, connections: int, encoding: str) -> float | None:
    where = {"scale": scale, "cache": cache, "page": page, "connections": connections, "encoding": encoding}
    page_run = find(ctx, kind="page", **where)
    ceiling = find(ctx, kind="ceiling", **where)
    if not page_run or not ceiling or not ceiling.rps:
        return None
    return page_run.rps / ceiling.rps


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def print_tables(ctx: Context, scale: int) -> None:
    report = ctx.report
    pages = selected_pages(ctx.args)
    if VARNISH in ctx.args.modes:
        print_varnish_table(ctx, scale)
    if not any(mode in ctx.args.modes for mode in MODES):
        return
    for cache in (mode for mode in MODES if mode in ctx.args.modes):
        env = portal_env("", ctx.workers, cache)
        report()
        report(
            f"== Data {scale}×, {MODE_TITLES[cache]}: DJANGO_PAGE_CACHE_SECONDS={env['DJANGO_PAGE_CACHE_SECONDS']}, "
            f"DJANGO_FRAGMENT_CACHE_SECONDS={env['DJANGO_FRAGMENT_CACHE_SECONDS']}; "
            f"{ctx.workers} workers, {ctx.args.duration} s per run"
        )
        rows = []
        for name, _ in pages:
            for connections in mode_connections(ctx, cache):
                page_run = find(ctx, scale=scale, cache=cache, page=name, kind="page", connections=connections)
                ceiling = find(ctx, scale=scale, cache=cache, page=name, kind="ceiling", connections=connections)
                if not page_run or not ceiling:
                    continue
                hit_rate = (
                    f"{100 * page_run.cache_hits / page_run.logged:.0f}%" if cache == "on" and page_run.logged else ""
                )
                rows.append(
                    [
                        name if connections == mode_connections(ctx, cache)[0] else "",
                        f"{ctx.sizes[scale][name]:,}" if connections == mode_connections(ctx, cache)[0] else "",
                        connections,
                        fmt(page_run.rps),
                        fmt(page_run.p50_ms, 2),
                        fmt(page_run.p99_ms, 2),
                        page_run.errors,
                        hit_rate,
                        "|",
                        fmt(ceiling.rps),
                        fmt(ceiling.p50_ms, 2),
                        fmt(ceiling.p99_ms, 2),
                        ceiling.errors,
                        "|",
                        fmt(ratio(ctx, scale, cache, name, connections, "identity"), 2),
                        f"{page_run.cpu.get('other_pct', 0):.0f} / {ceiling.cpu.get('other_pct', 0):.0f}",
                    ]
                )
        report.table(
            [
                "page",
                "body B",
                "conn",
                "req/s",
                "p50 ms",
                "p99 ms",
                "err",
                "hits",
                "|",
                "ceil req/s",
                "p50 ms",
                "p99 ms",
                "err",
                "|",
                "page÷ceil",
                "other CPU %",
            ],
            rows,
            align="l",
        )
        peaks = {}
        boots = sum(run_.worker_boots for run_ in ctx.runs if run_.scale == scale and run_.cache == cache)
        for sample in ctx.rss:
            if sample["scale"] == scale and sample["cache"] == cache:
                for pid, mb in sample["peak_mb_by_pid"].items():
                    peaks[pid] = max(peaks.get(pid, 0), mb)
        if peaks:
            report(
                f"Peak RSS per worker during the {max(ctx.args.connections)}-connection runs: "
                f"max {max(peaks.values()):.1f} MB, median {statistics.median(peaks.values()):.1f} MB, "
                f"min {min(peaks.values()):.1f} MB over {len(peaks)} worker processes (recycled ones included)"
            )
        report(f"Workers booted during the measured runs (max_requests recycling): {boots}")

    report()
    report(f"== Data {scale}×: page ÷ ceiling (requests/s), page cache on / off / cold (both caches off)")
    rows = []
    for name, _ in pages:
        rows.append(
            [name]
            + [
                " / ".join(fmt(ratio(ctx, scale, mode, name, c, "identity"), 2) for mode in MODES)
                for c in ctx.args.connections
            ]
        )
    report.table(["page"] + [f"{c} conn" for c in ctx.args.connections], rows, align="l")


def growth_rows(ctx: Context, scale: int) -> list[dict]:
    rows = []
    for name, _ in selected_pages(ctx.args):
        for cache in MODES:
            for connections in ctx.args.connections:
                small = find(ctx, scale=1, cache=cache, page=name, kind="page", connections=connections)
                large = find(ctx, scale=scale, cache=cache, page=name, kind="page", connections=connections)
                if small and large and small.p50_ms:
                    rows.append(
                        {
                            "page": name,
                            "cache": cache,
                            "connections": connections,
                            "p50_ms_1x": small.p50_ms,
                            f"p50_ms_{scale}x": large.p50_ms,
                            "growth": round(large.p50_ms / small.p50_ms, 2),
                            "rps_1x": small.rps,
                            f"rps_{scale}x": large.rps,
                            "body_bytes_1x": small.body_bytes,
                            f"body_bytes_{scale}x": large.body_bytes,
                        }
                    )
    return rows


def print_growth(ctx: Context, scale: int, growth: list[dict]) -> None:
    report = ctx.report
    report()
    report(f"== Growth of p50 latency: data {scale}× ÷ 1×")
    rows = []
    for name, _ in selected_pages(ctx.args):
        by_key = {(row["cache"], row["connections"]): row for row in growth if row["page"] == name}
        for c in ctx.args.connections:
            off, on, cold = by_key.get(("off", c)), by_key.get(("on", c)), by_key.get(("cold", c))
            if not off or not on:
                continue
            first = c == ctx.args.connections[0]
            rows.append(
                [
                    name if first else "",
                    f"{off['body_bytes_1x']:,} → {off[f'body_bytes_{scale}x']:,}" if first else "",
                    c,
                    fmt(off["p50_ms_1x"], 2),
                    fmt(off[f"p50_ms_{scale}x"], 2),
                    f"{fmt(off['growth'], 2)}×",
                    "|",
                    fmt(on["p50_ms_1x"], 2),
                    fmt(on[f"p50_ms_{scale}x"], 2),
                    f"{fmt(on['growth'], 2)}×",
                    "|",
                    fmt(cold["p50_ms_1x"], 2) if cold else "–",
                    fmt(cold[f"p50_ms_{scale}x"], 2) if cold else "–",
                    f"{fmt(cold['growth'], 2)}×" if cold else "–",
                ]
            )
    report.table(
        [
            "page",
            f"body B 1× → {scale}×",
            "conn",
            "off: p50 ms 1×",
            f"{scale}×",
            "growth",
            "|",
            "on: p50 ms 1×",
            f"{scale}×",
            "growth",
            "|",
            "cold: p50 ms 1×",
            f"{scale}×",
            "growth",
        ],
        rows,
        align="l",
    )


def checks(ctx: Context, scales: list[int], growth: dict[int, list[dict]]) -> list[dict]:
    """The targets, one line each; failing pages are named with their value."""
    results = []
    pages = [name for name, _ in selected_pages(ctx.args)]
    c_target, c_max = TARGET_CONNECTIONS, max(ctx.args.connections)

    def check(label: str, values: dict[str, float], ok, unit: str = "", scale: int = 1, digits: int = 2) -> None:
        failing = {key: value for key, value in values.items() if not ok(value)}
        worst = ", ".join(f"{key} {fmt(value, digits)}{unit}" for key, value in failing.items())
        shown = min(values.values()) if values else None
        results.append(
            {
                "scale": scale,
                "check": label,
                "passed": bool(values) and not failing,
                "failing": failing,
                "values": values,
            }
        )
        if not values:
            line = f"SKIP  {label}: not measured"
        elif failing:
            line = f"FAIL  {label}: {len(failing)}/{len(values)} fail — {worst}"
        else:
            spread = f"{fmt(shown, digits)}–{fmt(max(values.values()), digits)}{unit}"
            line = f"PASS  {label} (all {len(values)}: {spread})"
        ctx.report(line)

    def inform(label: str, values: dict[str, float], ok, unit: str = "", scale: int = 1, digits: int = 2) -> None:
        """The same figures as a check, printed for information: not a target, never a FAIL."""
        if not values:
            return
        below = {key: value for key, value in values.items() if not ok(value)}
        detail = f"{fmt(min(values.values()), digits)}–{fmt(max(values.values()), digits)}{unit}"
        if below:
            detail += "; below: " + ", ".join(f"{key} {fmt(value, digits)}{unit}" for key, value in below.items())
        ctx.report(f"INFO  {label}: {detail}")

    for scale in scales if set(ctx.args.modes) - {IMPORTS, FAULTS} else []:
        ctx.report()
        ctx.report(f"== Targets, data {scale}×")
        for cache, target, key in (
            ("on", TARGETS["cached_ratio"], "cached"),
            ("off", TARGETS["uncached_ratio"], "uncached"),
        ):
            values = {
                name: value
                for name in pages
                if (value := ratio(ctx, scale, cache, name, c_target, "identity")) is not None
            }
            check(
                f"{key} page ≥ {target} × ceiling at {c_target} connections",
                values,
                lambda v, t=target: v >= t,
                scale=scale,
            )
        for cache in TARGET_MODES:
            values = {
                run_.page: run_.p99_ms
                for run_ in ctx.runs
                if run_.scale == scale and run_.cache == cache and run_.kind == "page" and run_.connections == c_target
            }
            check(
                f"p99 ≤ {TARGETS['p99_ms']:.0f} ms at {c_target} connections, page cache {cache}",
                values,
                lambda v: v <= TARGETS["p99_ms"],
                " ms",
                scale,
            )
        for cache in TARGET_MODES:
            values = {
                f"{run_.page}{'' if run_.kind == 'page' else ' (ceiling)'}": run_.errors
                for run_ in ctx.runs
                if run_.scale == scale and run_.cache == cache and run_.connections == c_max
            }
            check(f"0 errors at {c_max} connections, page cache {cache}", values, lambda v: v == 0, "", scale, 0)
        for cache in TARGET_MODES:
            peaks = {}
            for sample in ctx.rss:
                if sample["scale"] == scale and sample["cache"] == cache:
                    for pid, mb in sample["peak_mb_by_pid"].items():
                        peaks[f"pid {pid}"] = max(peaks.get(f"pid {pid}", 0), mb)
            check(
                f"peak RSS per worker ≤ {TARGETS['rss_mb']:.0f} MB, page cache {cache}",
                peaks,
                lambda v: v <= TARGETS["rss_mb"],
                " MB",
                scale,
            )
        if VARNISH in ctx.args.modes:
            c_top = max(VARNISH_CONNECTIONS)
            for encoding in CLIENT_ENCODINGS:
                # The targets are checked as browsers ask; the same figures without compression are printed
                # as INFO lines (a client that does not accept gzip is a script, not a visitor).
                asked = "as browsers ask" if encoding == BROWSER_ENCODING else "no Accept-Encoding, for information"
                checked = check if encoding == BROWSER_ENCODING else inform
                for connections in VARNISH_CONNECTIONS:
                    values = {
                        name: value
                        for name in pages
                        if (value := ratio(ctx, scale, VARNISH, name, connections, encoding)) is not None
                    }
                    checked(
                        f"through Varnish ({asked}): page ≥ {TARGETS['varnish_ratio']} × Varnish's static ceiling "
                        f"at {connections} connections",
                        values,
                        lambda v: v >= TARGETS["varnish_ratio"],
                        scale=scale,
                    )
                values = {
                    name: value for name in pages if (value := gain(ctx, scale, name, c_top, encoding)) is not None
                }
                checked(
                    f"through Varnish ({asked}): page ≥ {TARGETS['varnish_gain']:.0f} × gunicorn alone "
                    f"at {c_top} connections",
                    values,
                    lambda v: v >= TARGETS["varnish_gain"],
                    "×",
                    scale,
                    1,
                )
                values = {
                    f"{run_.page} ({run_.kind})": run_.errors
                    for run_ in ctx.runs
                    if (run_.scale, run_.cache, run_.connections, run_.encoding) == (scale, VARNISH, c_top, encoding)
                    and run_.kind != "gunicorn"
                }
                checked(
                    f"0 errors through Varnish ({asked}) at {c_top} connections",
                    values,
                    lambda v: v == 0,
                    "",
                    scale,
                    0,
                )
        if scale in growth:
            c_growth = min(ctx.args.connections)
            values = {
                row["page"]: row["growth"]
                for row in growth[scale]
                if row["cache"] == "off" and row["connections"] == c_growth
            }
            check(
                f"growth of p50 {scale}× ÷ 1× ≤ {TARGETS['growth']}× (page cache off, {c_growth} connection)",
                values,
                lambda v: v <= TARGETS["growth"],
                "×",
                scale,
            )
    if IMPORTS in ctx.args.modes:
        check(
            f"import of {IMPORT_ROWS:,} rows ≤ {TARGETS['import_seconds']} s (preview and confirmation, each)",
            {f"{item['file']} {item['step']}": item["seconds"] for item in ctx.imports},
            lambda v: v <= TARGETS["import_seconds"],
            " s",
        )
    return results


def benchmark_faults(ctx: Context) -> list[dict]:
    """The faults run: what visitors see through Varnish while Redis is stopped or frozen, PostgreSQL is stopped
    and a table is locked, each for 3 × --duration seconds, and how long the portal takes to recover.

    Self-contained: its own PostgreSQL cluster, Redis, two gunicorn servers (2 workers each) and Varnish with the
    shipped VCL, started with the test suite's helpers (tests/servers.py). Visitors — 8 threads, each from its own
    loopback address, as browsers ask — read pages Varnish holds, and one reads a page it has never held.
    Per fault: requests and errors on the held pages (target 0: anything but the page is an error), the unheld
    page's answers (the portal's 503 page is the expected one; a 500, Varnish's own page or a time-out are
    errors, target 0), and the seconds from the end of the fault until a page Varnish never held is answered
    again by the portal.
    """
    import psycopg

    seconds = 3 * ctx.args.duration
    held = ["/", "/migracion/", "/migracion/apurimac/", "/practicas/", "/practicas/sierra-sur/", "/en/migracion/"]
    faults = {
        "Redis stopped": (lambda stack: stack.redis.stop(), lambda stack: stack.redis.start()),
        "Redis frozen (SIGSTOP)": (
            lambda stack: os.kill(stack.redis.process.pid, signal.SIGSTOP),
            lambda stack: os.kill(stack.redis.process.pid, signal.SIGCONT),
        ),
        "PostgreSQL stopped": (lambda stack: stack.postgres.stop(), lambda stack: stack.postgres.start()),
        "table practices_practice locked": (
            lambda stack: setattr(stack, "locker", lock_table(psycopg, stack.postgres.url)),
            lambda stack: stack.locker.close(),
        ),
    }
    unheld = iter(f"/en/migracion/{slug}/" for slug in ("tacna", "tumbes", "ucayali", "pasco", "moquegua", "loreto"))
    rows, results = [], []
    log(f"faults: PostgreSQL, Redis, 2 gunicorn servers and Varnish; each fault lasts {seconds} s")
    with contextlib.ExitStack() as running:
        stack = argparse.Namespace()
        stack.postgres = running.enter_context(servers.PostgresServer())
        stack.redis = running.enter_context(servers.redis_server())
        env = servers.portal_env(stack.postgres.url, DJANGO_CACHE_URL=stack.redis.url, DJANGO_SHARED_CACHE_SECONDS="10")
        servers.prepare_database(env)
        backends = [running.enter_context(servers.gunicorn(env, ctx.tmp / f"faults-{name}.log")) for name in "ab"]
        front = running.enter_context(servers.varnish(backends, ctx.tmp / "faults-varnish", env))
        for name, (start, end) in faults.items():
            for path in held:  # Varnish holds them
                fault_get(front + path, "127.0.0.1")
            page = next(unheld)
            counts: dict[str, int] = {}
            stop = threading.Event()
            visitors = [
                threading.Thread(target=fault_visitor, args=(front, paths, f"127.0.1.{number + 1}", counts, stop, kind))
                for number, (paths, kind) in enumerate([(held, "held")] * 8 + [([page], "unheld")])
            ]
            for visitor in visitors:
                visitor.start()
            start(stack)
            time.sleep(seconds)
            end(stack)
            ended = time.monotonic()
            while fault_get(front + page, "127.0.0.2")[0] != 200 and time.monotonic() - ended < 120:
                time.sleep(0.2)
            recovery = time.monotonic() - ended
            stop.set()
            for visitor in visitors:
                visitor.join()
            row = {
                "fault": name,
                "seconds": seconds,
                "held_requests": counts.get("held total", 0),
                "held_errors": counts.get("held error", 0),
                "unheld_requests": counts.get("unheld total", 0),
                "unheld_503_page": counts.get("unheld 503", 0),
                "unheld_errors": counts.get("unheld error", 0),
                "recovery_s": round(recovery, 1),
            }
            rows.append(row)
            for label, value in (("held", row["held_errors"]), ("unheld", row["unheld_errors"])):
                results.append(
                    {
                        "scale": 1,
                        "check": f"faults: {name}: errors on {label} pages",
                        "passed": value == 0,
                        "failing": {name: value} if value else {},
                        "values": {name: value},
                    }
                )
    ctx.report()
    ctx.report(f"Faults through Varnish (2 gunicorn servers, PostgreSQL, Redis; each fault {seconds} s; 8 visitors on")
    ctx.report("pages Varnish holds, 1 once a second on a page it never held; recovery: from the fault's end to")
    ctx.report("that page answered by the portal)")
    ctx.report.table(
        ["fault", "held: requests", "errors", "unheld: requests", "503 page", "errors", "recovery s"],
        [
            [
                row["fault"],
                f"{row['held_requests']:,}",
                str(row["held_errors"]),
                f"{row['unheld_requests']:,}",
                str(row["unheld_503_page"]),
                str(row["unheld_errors"]),
                fmt(row["recovery_s"]),
            ]
            for row in rows
        ],
        align="lrrrrrr",
    )
    for result in results:
        ctx.report(
            f"{'PASS' if result['passed'] else 'FAIL'}  {result['check']} (target 0): {sum(result['values'].values())}"
        )
    ctx.faults = rows
    return results


def lock_table(psycopg, url: str):
    """A connection holding practices_practice in ACCESS EXCLUSIVE mode until it is closed."""
    locker = psycopg.connect(url)
    locker.execute("LOCK TABLE practices_practice IN ACCESS EXCLUSIVE MODE")
    return locker


def fault_get(url: str, address: str) -> tuple[int, str]:
    """A browser's GET from ``address``: status and text; a time-out or a refused connection is status 0."""
    parts = urlsplit(url)
    client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10, source_address=(address, 0))
    try:
        client.request("GET", parts.path, headers={"Host": HOST, "Accept-Encoding": BROWSER_ACCEPT_ENCODING})
        response = client.getresponse()
        body = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.status, body.decode(errors="replace")
    except (OSError, http.client.HTTPException):
        return 0, ""
    finally:
        client.close()


def fault_visitor(front: str, paths: list[str], address: str, counts: dict, stop, kind: str) -> None:
    """Reads ``paths`` in turn until ``stop``, counting answers: ``held``: anything but 200 is an error;
    ``unheld``: 200 or the portal's 503 page (lang, stylesheet, Retry-After) are expected, the rest errors."""
    number = 0
    while not stop.is_set():
        status, text = fault_get(front + paths[number % len(paths)], address)
        number += 1
        if status == 200:
            answer = "total"
        elif kind == "unheld" and status == 503 and "/static/css/portal." in text and "Guru Meditation" not in text:
            answer = "503"
        else:
            answer = "error"
        with COUNTS_LOCK:
            counts[f"{kind} total"] = counts.get(f"{kind} total", 0) + 1
            if answer != "total":
                counts[f"{kind} {answer}"] = counts.get(f"{kind} {answer}", 0) + 1
        # A reader of a page Varnish does not hold tries again after a second (faster, Varnish's rate limit
        # would answer 429: that visitor is then a flood, measured by the tests); readers of held pages at once.
        time.sleep(1 if kind == "unheld" else 0 if answer == "total" else 0.05)


COUNTS_LOCK = threading.Lock()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    length.add_argument("--quick", action="store_true", help="3 s per run")
    parser.add_argument(
        "--scale", type=int, default=1, help="also run with N× the practices and extra census editions (e.g. 100)"
    )
    parser.add_argument(
        "--connections",
        default=",".join(map(str, CONNECTIONS)),
        help="comma-separated concurrent connections (default 1,20,50)",
    )
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: leaves the cores to gunicorn)")
    parser.add_argument(
        "--only", default="", help=f"comma-separated subset of the pages: {', '.join(n for n, _ in PAGES)}"
    )
    parser.add_argument(
        "--modes",
        default=",".join((*MODES, VARNISH, FAULTS, IMPORTS)),
        help=f"comma-separated subset of the runs: {', '.join((*MODES, VARNISH, FAULTS, IMPORTS))} (default all)",
    )
    parser.add_argument("--output-dir", default=str(ROOT / "var" / "benchmark"), help="default var/benchmark")
    args = parser.parse_args(argv)
    args.modes = [mode for mode in args.modes.split(",") if mode]
    if not args.modes or set(args.modes) - {*MODES, VARNISH, FAULTS, IMPORTS}:
        parser.error(f"--modes takes some of: {', '.join((*MODES, VARNISH, FAULTS, IMPORTS))}")
    if args.quick:
        args.duration = 3
    args.connections = sorted({int(value) for value in args.connections.split(",") if value.strip()})
    if args.duration < 1 or args.scale < 1 or not args.connections or min(args.connections) < 1:
        parser.error("--duration, --scale and --connections must be positive")
    if TARGET_CONNECTIONS not in args.connections:
        print(f"Note: the targets are checked at {TARGET_CONNECTIONS} connections, which is not measured.")

    cores = os.cpu_count() or 1
    workers = int(os.environ.get("WEB_CONCURRENCY") or cores * 2 + 1)  # as gunicorn.conf.py
    started = datetime.datetime.now()
    stamp = started.strftime("%Y%m%d-%H%M%S")
    report = Report()

    def interrupted(signum, frame):
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):  # a second Ctrl-C must not cut the clean-up short
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        raise KeyboardInterrupt

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        signal.signal(getattr(signal, name), interrupted)
    tmp = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    shutil.rmtree(BENCH_STATIC, ignore_errors=True)  # left over by a run that was killed
    try:
        wrk = system_command("wrk")
        varnishd = system_command("varnishd") if VARNISH in args.modes else None
        lua = tmp / "report.lua"
        lua.write_text(WRK_SCRIPT)
        ctx = Context(args=args, wrk=wrk, varnishd=varnishd, lua=lua, tmp=tmp, workers=workers, report=report)
        machine = machine_info(wrk, varnishd)
        idle_load = background_load()
        machine["cpu_busy_before_start_pct"] = round(idle_load, 1)
        scales = [1] if args.scale == 1 else [1, args.scale]
        with temporary_database(tmp) as database_url:
            env = portal_env(database_url, workers, "on")
            log("migrate, load_portal_data, collectstatic")
            try:
                servers.prepare_database(env)  # as the suite's servers: migrate, load_portal_data, an editor
            except RuntimeError as error:
                raise BenchmarkError(str(error)) from None
            manage(env, "collectstatic", "--noinput", "-v0")
            database = marker(manage(env, "shell", "-c", DB_INFO), "BENCHDB")
            machine["database"] = f"{database['vendor']} {database['version']}"
            report(f"Portal benchmark {started:%Y-%m-%d %H:%M:%S}")
            report(
                f"Machine: {machine['cores']} cores ({machine['usable_cores']} usable) {machine['cpu']}, "
                f"{machine['memory_mb']:,} MB RAM, Linux {machine['kernel']}"
            )
            report(
                f"Python {machine['python']}, Django {machine['django']}, gunicorn {machine['gunicorn']}, "
                f"whitenoise {machine['whitenoise']}, {machine['wrk']}"
                + (f", {machine['varnish']}" if machine["varnish"] else "")
            )
            report(
                f"Database: {machine['database']} (throwaway copy); cache: "
                f"{os.environ.get('DJANGO_CACHE_URL') or 'locmem:// (per worker)'}; "
                f"gunicorn: {workers} sync workers (WEB_CONCURRENCY), wrk: {args.threads} thread(s), "
                f"{args.duration} s per run, connections {', '.join(map(str, args.connections))}"
            )
            report(
                "Ceiling: a static file of the page's size served by the same gunicorn + whitenoise; "
                "no compression (no Accept-Encoding)."
            )
            report(
                f"Other processes used {idle_load:.0f} % of the machine's CPU before the start; column "
                "'other CPU %' = CPU used by processes other than gunicorn and wrk during the page / "
                "ceiling run (% of all cores, interrupts not counted; a local PostgreSQL server counts as other). "
                "Well above 0, the numbers are not reliable."
            )
            growth: dict[int, list[dict]] = {}
            page_runs = set(args.modes) - {FAULTS, IMPORTS}
            for scale in scales if page_runs else []:
                if scale > 1:
                    log(f"generating synthetic data: {scale}× the practices, extra census editions")
                    generated = marker(manage(env, "shell", "-c", GENERATOR.format(scale=scale)), "BENCHGEN")
                    ctx.datasets[scale] = generated
                    report()
                    report(
                        f"Synthetic data {scale}×: {generated['practices']} practices, "
                        f"{generated['key_figures']} key figures, {generated['editions']} census editions, "
                        f"{generated['figures']} department figures"
                    )
                benchmark_scale(ctx, database_url, scale)
                print_tables(ctx, scale)
                if scale > 1:
                    growth[scale] = growth_rows(ctx, scale)
                    print_growth(ctx, scale, growth[scale])
            if IMPORTS in args.modes:
                log(f"imports: {IMPORT_ROWS:,} practices through the admin")
                benchmark_imports(ctx, database_url)
            results = checks(ctx, scales, growth) if set(args.modes) - {FAULTS} else []
            if FAULTS in args.modes:
                results += benchmark_faults(ctx)
        output_dir = Path(args.output_dir)
        output_dir.mkdir(parents=True, exist_ok=True)
        json_path = output_dir / f"benchmark-{stamp}.json"
        text_path = output_dir / f"benchmark-{stamp}.txt"
        report()
        report(f"Results: {json_path.relative_to(ROOT) if json_path.is_relative_to(ROOT) else json_path}")
        report(f"         {text_path.relative_to(ROOT) if text_path.is_relative_to(ROOT) else text_path}")
        json_path.write_text(
            json.dumps(
                {
                    "started": started.isoformat(timespec="seconds"),
                    "finished": datetime.datetime.now().isoformat(timespec="seconds"),
                    "machine": machine,
                    "settings": {
                        "workers": workers,
                        "duration_s": args.duration,
                        "connections": args.connections,
                        "wrk_threads": args.threads,
                        "scales": scales,
                        "cache_url": os.environ.get("DJANGO_CACHE_URL") or "locmem://",
                        "targets": TARGETS,
                    },
                    "pages": dict(selected_pages(args)),
                    "body_bytes": {str(scale): sizes for scale, sizes in ctx.sizes.items()},
                    "datasets": {str(scale): data for scale, data in ctx.datasets.items()},
                    "runs": [run_.as_dict() for run_ in ctx.runs],
                    "rss": ctx.rss,
                    "growth": {str(scale): rows for scale, rows in growth.items()},
                    "faults": ctx.faults,
                    "imports": ctx.imports,
                    "checks": results,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
        text_path.write_text("\n".join(report.lines) + "\n")
        return 0 if all(result["passed"] for result in results) else 1
    except KeyboardInterrupt:
        print("\nInterrupted: stopping everything the benchmark started…", file=sys.stderr)
        return 130
    except BenchmarkError as error:
        print(f"\nbenchmark: {error}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(BENCH_STATIC, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
