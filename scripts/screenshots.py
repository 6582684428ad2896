#!/usr/bin/env python
"""Screenshots of every page type at 375 and 1280 px, in Spanish and English, for review (not a test).

    .venv/bin/python scripts/screenshots.py                 # own server on a throwaway database
    .venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8000   # a portal already running

Without --url it starts the production stack like scripts/lighthouse.py (gunicorn + whitenoise,
production settings, a fresh SQLite database or a new one on $DATABASE_URL's PostgreSQL, whose
helpers it reuses from scripts/benchmark.py). Debian's Chromium takes full-page screenshots after
scrolling to the end (so every chart is drawn). Files go to var/screenshots/ (git-ignored):
``<page>-<language>-<width>.png``. --only home,practice limits the page types.
"""

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

from benchmark import ROOT, Server, manage, portal_env, temporary_database

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
OUT = ROOT / "var" / "screenshots"
WIDTHS = (375, 1280)
LANGUAGES = ("es", "en")
PAGES = {
    "home": "/",
    "migration": "/migracion/",
    "migration-saldo": "/migracion/?indicador=saldo&sort=-net_migration",
    "department": "/migracion/apurimac/",
    "department-lima": "/migracion/lima/",  # Lima's two INEI units
    "department-cajamarca": "/migracion/cajamarca/",
    "balances": "/migracion/balances/",
    "population": "/migracion/poblacion/",
    "compare-start": "/migracion/comparar/",
    "compare": "/migracion/comparar/?d=lima&d=cajamarca&d=apurimac",
    "catalogue": "/practicas/",
    "catalogue-filtered": "/practicas/?departamento=apurimac&q=credito",
    "practice": "/practicas/sierra-sur/",
    "category": "/practicas/categoria/promocion-del-desarrollo-economico/",
    "institution": "/practicas/institucion/minag/",
    "search": "/buscar/?q=apurimac",
    "about": "/acerca/",
    "data": "/datos/",
    "embed": "/embed/net-migration/",
    "not-found": "/migracion/no-existe/",
}


def scroll_to_end(page) -> None:
    """Scroll down a screen at a time so that every chart comes near the screen and is drawn."""
    height = page.evaluate("document.documentElement.scrollHeight")
    position = 0
    while position < height:
        position += page.viewport_size["height"]
        page.evaluate(f"window.scrollTo(0, {position})")
        page.wait_for_timeout(150)
        height = page.evaluate("document.documentElement.scrollHeight")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")


def shoot(base: str, pages: dict[str, str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for width in WIDTHS:
            phone = width < 600
            context = browser.new_context(
                viewport={"width": width, "height": 800 if phone else 900}, is_mobile=phone, has_touch=phone
            )
            page = context.new_page()
            for language in LANGUAGES:
                for name, path in pages.items():
                    url = base + ("/en" + path if language == "en" else path)
                    page.goto(url, wait_until="networkidle")
                    scroll_to_end(page)
                    target = OUT / f"{name}-{language}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
                    print(target.relative_to(ROOT), flush=True)
            context.close()
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="base URL of a running portal (default: start one)")
    parser.add_argument("--only", help="comma-separated page names: " + ", ".join(PAGES))
    args = parser.parse_args()
    pages = {name: PAGES[name] for name in args.only.split(",")} if args.only else PAGES
    if args.url:
        shoot(args.url.rstrip("/"), pages)
        return 0
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="portal-screenshots-")))
        database_url = stack.enter_context(temporary_database(tmp))
        env = portal_env(database_url, workers=2, mode="on")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_portal_data")
        manage(env, "collectstatic", "--noinput", "-v0")
        server = stack.enter_context(Server(env, tmp / "gunicorn.log"))
        shoot(server.url("").rstrip("/"), pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
