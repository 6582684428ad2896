"""Valid HTML: the W3C Nu HTML checker (vnu.jar, from npm's ``vnu-jar``, run by Debian's Java) finds no error on any
page type, in Spanish and in English. Every page is checked in one run of the checker (one JVM start: it takes a few
seconds), from the HTML the portal sends (scripts only enhance it).

The checker is installed by ``npm ci`` from ``tests/nu/package.json`` and its lock when missing (as
``scripts/lighthouse.py`` installs Lighthouse); Java comes from ``scripts/system-packages.sh``.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.database_independent]  # the markup: once, in the SQLite pass

NU = Path(__file__).resolve().parent.parent / "nu"
VNU_JAR = NU / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

#: One URL per page type; each is checked in Spanish and under /en/.
PAGE_TYPES = [
    "/",
    "/?indicador=saldo",
    "/migracion/",
    "/migracion/?sort=-emigrant_share",
    "/migracion/apurimac/",
    "/migracion/callao/",
    "/migracion/comparar/",
    "/migracion/comparar/?d=lima&d=cajamarca&d=apurimac",
    "/migracion/poblacion/",
    "/migracion/reciente/?indicador=inmigracion",
    "/practicas/",
    "/practicas/?departamento=apurimac&q=credito",
    "/practicas/sierra-sur/",
    "/practicas/categoria/promocion-del-desarrollo-economico/",
    "/practicas/institucion/minag/",
    "/buscar/?q=apurimac",
    "/buscar/?q=cajamrca+emigrantes",
    "/acerca/",
    "/datos/",
    "/embed/net-migration/",
    "/migracion/no-existe/",
    "/api/v1/docs",
]


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command that runs the checker."""
    if not VNU_JAR.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm not found: scripts/system-packages.sh installs it")
        subprocess.run(  # noqa: S603 — the project's own lock file, no install scripts
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--silent"], cwd=NU, check=True, timeout=300
        )
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found: scripts/system-packages.sh installs default-jre-headless")
    return [java, "-Xss4m", "-jar", str(VNU_JAR)]


def test_every_page_type_is_valid_html_in_both_languages(client, vnu, tmp_path):
    files = {}
    for index, path in enumerate(PAGE_TYPES):
        for prefix in ("", "/en"):
            response = client.get(prefix + path)
            assert response.status_code in (200, 404), (prefix + path, response.status_code)
            file = tmp_path / f"{index:02d}{prefix.replace('/', '-')}.html"
            file.write_bytes(response.content)
            files[file.name] = prefix + path
    result = subprocess.run(  # noqa: S603
        [*vnu, "--errors-only", "--format", "json", *sorted(map(str, tmp_path.glob("*.html")))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]  # the checker's report (JSON on stderr)
    assert len(files) == 2 * len(PAGE_TYPES)
    errors = [
        f"{files[Path(message['url']).name]} line {message.get('lastLine')}: {message['message']}"
        for message in messages
        if message["type"] == "error" or message.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors)
