#!/usr/bin/env python
"""Lighthouse scores of every page type, on the production stack (not part of the test suite).

    make lighthouse            # or: .venv/bin/python scripts/lighthouse.py [--desktop]

Starts gunicorn + whitenoise with production settings on a fresh SQLite database (or a new
database on $DATABASE_URL's PostgreSQL), like the benchmark (scripts/benchmark.py, whose
server helpers it reuses); installs Lighthouse 12.2.3 from npm into var/node/ when missing
(Lighthouse 13 wants Node 22) and runs it with Debian's Chromium, mobile preset by default.
Prints the four category scores per page and what cost points, and writes
var/lighthouse/lighthouse-<timestamp>.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmark import HOST, ROOT, Server, manage, portal_env, temporary_database

LIGHTHOUSE_VERSION = "12.2.3"
NODE_DIR = ROOT / "var" / "node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
PAGES = [
    ("home", "/"),
    ("migration table", "/migracion/"),
    ("department profile", "/migracion/apurimac/"),
    ("comparison", "/migracion/comparar/?d=lima&d=cajamarca"),
    ("catalogue with filters", "/practicas/?departamento=apurimac&q=credito"),
    ("practice", "/practicas/sierra-sur/"),
    ("search results", "/buscar/?q=apurimac"),
    ("open data", "/datos/"),
    ("about", "/acerca/"),
    ("english", "/en/migracion/"),
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {NODE_DIR.relative_to(ROOT)}", flush=True)
    subprocess.run(  # noqa: S603
        ["npm", "install", "--no-audit", "--no-fund", "--silent", f"lighthouse@{LIGHTHOUSE_VERSION}"],  # noqa: S607
        cwd=NODE_DIR,
        check=True,
    )


def audit(url: str, desktop: bool, out: Path) -> dict:
    command = [str(LIGHTHOUSE), url, f"--chrome-flags={CHROME_FLAGS}", "--output=json", f"--output-path={out}"]
    command += ["--quiet", f"--only-categories={','.join(CATEGORIES)}"]
    if desktop:
        command.append("--preset=desktop")
    subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True)  # noqa: S603
    report = json.loads(out.read_text())
    lost = [
        f"{key} ({audit.get('displayValue', '')})".replace(" ()", "")
        for key, audit in report["audits"].items()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("numeric", "binary", "metricSavings")
    ]
    return {
        "scores": {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        "lost": lost,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktop", action="store_true", help="desktop preset instead of mobile")
    args = parser.parse_args()
    ensure_lighthouse()
    results = {}
    with (
        tempfile.TemporaryDirectory(prefix="portal-lighthouse-") as tmp_name,
        temporary_database(Path(tmp_name)) as database_url,
    ):
        tmp = Path(tmp_name)
        env = portal_env(database_url, workers=2, mode="on")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_portal_data")
        manage(env, "collectstatic", "--noinput", "-v0")
        with Server(env, tmp / "gunicorn.log") as server:
            for name, path in PAGES:
                results[name] = {"path": path, **audit(server.url(path), args.desktop, tmp / "report.json")}
                scores = "  ".join(f"{key} {value:3d}" for key, value in results[name]["scores"].items())
                print(f"{name:24} {scores}   {path}", flush=True)
                for item in results[name]["lost"]:
                    print(f"{'':24} - {item}")
    out_dir = ROOT / "var" / "lighthouse"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"lighthouse-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"preset": "desktop" if args.desktop else "mobile", "host": HOST, "pages": results}))
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
