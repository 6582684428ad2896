"""The whole dataset in one zip: a Frictionless Data Package of CSV files (``datapackage.json``: each file's
schema — types, units, ubigeo as text —, sources and licence), the same tables as one XLSX workbook
(``datos.xlsx``: ubigeo as text, numbers with their decimals) and a README (sources, licences, definitions,
citation).

Each app gives its files with their data dictionary (``migration/datasets.py``, ``practices/datasets.py``); the
dictionary is shown on /datos/ and written into LEEME.txt, and each column's type and unit into
``datapackage.json`` and the workbook's formats: one definition (``portal.core.datasets.Column``).
"""

import csv
import io
import json
import stat
import time
import zipfile
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from openpyxl import Workbook

from migration.datasets import DATA_FILES as MIGRATION_FILES
from migration.population import CensusSources, cached_census_sources
from portal.core.cache import content_updated, content_version
from portal.core.datasets import FILE_FORMAT, LICENCE
from portal.core.exports import excel_csv, spreadsheet_row
from portal.core.site import absolute_url
from practices.datasets import DATA_FILES as PRACTICES_FILES

FILES = (*MIGRATION_FILES, *PRACTICES_FILES)
WORKBOOK = "datos.xlsx"


def sources_lines(edition, sources: CensusSources) -> list[str]:
    """Which census each kind of figure comes from, from the data (``CensusSources``): never a year by hand."""
    lines = []
    if sources.newest:
        lines.append(
            f"- Población censada: INEI – Censos Nacionales de Población {sources.first}–{sources.newest} "
            f"(el más reciente, {sources.newest}). Cada fila trae su fuente en la columna «fuente»."
        )
    lines.append(f"- Inmigrantes y emigrantes (migración de toda la vida, censo {edition.year}): {edition.source};")
    lines.append(f"  {edition.attribution}.")
    lines += [
        f"- Nacimiento y residencia (censo {year}): INEI – Censos Nacionales {year}." for year in sources.origin_years
    ]
    lines += [
        f"- Migración reciente {year - 5}–{year}: INEI – Censos Nacionales {year}." for year in sources.recent_years
    ]
    return lines


def readme(edition, citation: str, sources: CensusSources) -> str:
    lines = [
        "Portal de Migración Interna y Buenas Prácticas — datos abiertos",
        f"Generado: {timezone.localtime():%Y-%m-%d %H:%M} (hora de Lima)",
        "",
        "FUENTES Y LICENCIAS",
        *sources_lines(edition, sources),
        "- Buenas prácticas: Premio Buenas Prácticas en Gestión Pública, Ciudadanos al Día.",
        "La información del INEI puede reproducirse total o parcialmente citando la fuente: Instituto Nacional",
        "de Estadística e Informática.",
        "",
        "DEFINICIONES",
        "- Inmigrante: vive en un departamento distinto al de su nacimiento (migración de toda la vida).",
        "- Emigrante: nació en el departamento y vive en otro.",
        "- Saldo migratorio: inmigrantes menos emigrantes.",
        "- % emigrantes se calcula sobre la población que hoy reside en el departamento, no sobre",
        "  las personas nacidas en él.",
        "- Migración reciente: dónde vivía cada persona de 5 años y más cinco años antes del censo frente a",
        "  dónde vivía el día del censo. Lima y Callao se publican como una sola área.",
        "- Balance de toda la vida: residentes del departamento menos personas nacidas en él (según dónde vivía",
        "  su madre al nacer) que viven en cualquier lugar del Perú. Balance reciente: residentes de 5 años y más",
        "  menos quienes vivían en el departamento cinco años antes. Incluyen a los residentes nacidos o que",
        "  vivían en el extranjero, que el INEI no da por departamento: no son inmigrantes ni emigrantes ni el",
        "  saldo migratorio.",
        "- Crecimiento anual: tasa geométrica promedio entre las fechas de dos censos consecutivos (la de un",
        "  censo levantado durante semanas es el punto medio de su trabajo de campo).",
        "- Nota 1/ del INEI: los límites del departamento cambiaron entre censos; cada cifra corresponde",
        "  al territorio de su censo.",
        "",
        "CÓMO CITAR",
        citation,
        "",
        "FORMATO DE LOS ARCHIVOS",
        *(f"- {note}" for note in FILE_FORMAT),
        "- El ubigeo es un texto de dos dígitos (01 Amazonas): léalo como texto para unirlo con otros datos del",
        '  INEI. En pandas: pd.read_csv("departamentos.csv", dtype={"ubigeo": str}); en LibreOffice o Excel,',
        f"  abra {WORKBOOK} (el ubigeo ya es texto) o marque la columna como «Texto» al importar el CSV.",
        "- datapackage.json describe cada archivo (Frictionless Data Package: tipos, unidades, fuentes,",
        "  licencia): frictionless validate datapackage.json lo comprueba; con frictionless o con el",
        "  paquete de R «frictionless» se leen con sus tipos.",
        f"- {WORKBOOK}: las mismas tablas en un libro de Excel, una hoja por archivo.",
        "",
        "LICENCIA",
        str(LICENCE),
        "",
        "ARCHIVOS",
    ]
    for data_file in FILES:
        lines += ["", f"{data_file.name}: {data_file.description}"]
        lines += [f"  {column.name}: {column.description}" for column in data_file.columns]
    return "\n".join(lines) + "\n"


def file_sizes(content: bytes) -> dict[str, int]:
    """The size in bytes of each file inside the zip ``content``, and of the zip itself (under ``""``)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sizes = {info.filename: info.file_size for info in archive.infolist()}
    return {"": len(content), **sizes}


def dataset_facts(request, edition, citation: str) -> dict:
    """What /datos/ says about the download: ``sizes`` (``file_sizes``) and ``updated`` (a datetime or None).

    The sizes come from building the zip once per content version (and language), not once per page view:
    kept with ``cache.get_or_set`` like the census summary. The date is the newest change the content version
    already read (``portal.cache.content_updated``): no query of its own.
    """
    key = f"dataset-facts:{content_version(request)}:{edition.pk}:{get_language()}"
    facts = partial(_dataset_facts, edition, citation, absolute_url, cached_census_sources(request))
    return {"sizes": cache.get_or_set(key, facts, settings.FRAGMENT_CACHE_SECONDS), "updated": content_updated(request)}


def _dataset_facts(edition, citation: str, build_url, sources: CensusSources) -> dict:
    return file_sizes(dataset_zip(edition, citation, build_url, sources))


def package_sources(edition, sources: CensusSources) -> list[dict]:
    """The Data Package's ``sources``: who published each figure (the lines of LEEME.txt, from the data)."""
    return [
        {"title": edition.source, "path": "https://www.inei.gob.pe/"},
        {"title": edition.attribution},
        *({"title": line.lstrip("- ").rstrip(";.")} for line in sources_lines(edition, sources)[:1]),
        *({"title": f"INEI – Censos Nacionales {year} (nacimiento y residencia)"} for year in sources.origin_years),
        *(
            {"title": f"INEI – Censos Nacionales {year} (migración reciente {year - 5}–{year})"}
            for year in sources.recent_years
        ),
        {"title": "Premio Buenas Prácticas en Gestión Pública, Ciudadanos al Día"},
    ]


def datapackage(edition, citation: str, build_url, sources: CensusSources) -> dict:
    """``datapackage.json``: the zip's CSV files as a Frictionless Data Package (v1, which every frictionless
    release reads): one resource per file with its Table Schema, the sources and the terms of reuse."""
    return {
        "name": "portal-migracion-interna-peru",
        "title": "Portal de Migración Interna y Buenas Prácticas — datos abiertos",
        "description": (
            "Migración interna entre los 25 departamentos del Perú (censos del INEI), población censada en cada "
            "censo y el catálogo de Buenas Prácticas en Gestión Pública."
        ),
        "homepage": build_url(reverse("data")),
        "created": timezone.localtime().isoformat(timespec="seconds"),
        "licenses": [{"name": "other-at", "path": build_url(reverse("about")), "title": str(LICENCE)}],
        "sources": package_sources(edition, sources),
        "citation": citation,
        "resources": [
            {
                "name": data_file.stem,
                "path": data_file.name,
                "profile": "tabular-data-resource",
                "description": str(data_file.description),
                "format": "csv",
                "mediatype": "text/csv",
                # The IANA name: frictionless (Python) and readr skip the byte-order mark themselves, and the R
                # package refuses «utf-8-sig» (frictionlessdata/frictionless-r#86).
                "encoding": "utf-8",
                "schema": data_file.schema(),
            }
            for data_file in FILES
        ],
    }


def workbook(tables) -> bytes:
    """The tables ``[(data_file, rows)]`` as one XLSX workbook, a sheet per file: ubigeo and other codes as
    text (their leading zero kept), numbers with their decimals (37.0 shows as 37.0), column widths to fit."""
    book = Workbook()
    book.remove(book.active)
    for data_file, rows in tables:
        sheet = book.create_sheet(data_file.stem[:31])
        sheet.append([column.name for column in data_file.columns])
        for row in rows:
            sheet.append(row)
        for index, column in enumerate(data_file.columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = column.number_format
            sheet.column_dimensions[letter].width = min(40, max(10, len(column.name) + 2))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_entry(name: str) -> zipfile.ZipInfo:
    """An archive member as a regular file readable by all (``-rw-r--r--``), compressed. ``writestr`` given a bare
    name stores no file type and mode 0600: ``unzip`` then makes files only their owner can read (a shared
    folder, a web server's) and ``zipinfo`` lists them as ``?rw-------``."""
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def dataset_zip(edition, citation: str, build_url, sources: CensusSources) -> bytes:
    buffer = io.BytesIO()
    tables = [(data_file, [spreadsheet_row(row) for row in data_file.rows(build_url)]) for data_file in FILES]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zip_entry("LEEME.txt"), readme(edition, citation, sources))
        archive.writestr(
            zip_entry("datapackage.json"),
            json.dumps(datapackage(edition, citation, build_url, sources), ensure_ascii=False, indent=2),
        )
        for data_file, rows in tables:
            text = io.StringIO()
            writer = csv.writer(text)  # CRLF (RFC 4180): a field holding a carriage return is quoted too
            writer.writerow([column.name for column in data_file.columns])
            writer.writerows(rows)
            archive.writestr(zip_entry(data_file.name), excel_csv(text.getvalue()))
        archive.writestr(zip_entry(WORKBOOK), workbook(tables))
    return buffer.getvalue()
