"""The whole dataset as CSV files in one zip, with its README (sources, licences, definitions, citation).

Each app gives its files with their data dictionary (``migration/datasets.py``, ``practices/datasets.py``); the
dictionary is shown on /datos/ and written into the zip's LEEME.txt.
"""

import csv
import io
import zipfile
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from migration.datasets import DATA_FILES as MIGRATION_FILES
from migration.population import CensusSources, cached_census_sources
from portal.core.cache import content_updated, content_version
from portal.core.datasets import FILE_FORMAT
from portal.core.exports import excel_csv, spreadsheet_row
from portal.core.site import absolute_url
from practices.datasets import DATA_FILES as PRACTICES_FILES

FILES = (*MIGRATION_FILES, *PRACTICES_FILES)


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


def dataset_zip(edition, citation: str, build_url, sources: CensusSources) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LEEME.txt", readme(edition, citation, sources))
        for data_file in FILES:
            text = io.StringIO()
            writer = csv.writer(text)  # CRLF (RFC 4180): a field holding a carriage return is quoted too
            writer.writerow([column.name for column in data_file.columns])
            writer.writerows(spreadsheet_row(row) for row in data_file.rows(build_url))
            archive.writestr(data_file.name, excel_csv(text.getvalue()))
    return buffer.getvalue()
