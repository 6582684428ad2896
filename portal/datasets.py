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
from portal.core.cache import content_updated, content_version
from portal.core.datasets import FILE_FORMAT
from portal.core.exports import excel_csv, spreadsheet_row
from portal.core.site import absolute_url
from practices.datasets import DATA_FILES as PRACTICES_FILES

FILES = (*MIGRATION_FILES, *PRACTICES_FILES)


def readme(edition, citation: str) -> str:
    lines = [
        "Portal de Migración Interna y Buenas Prácticas — datos abiertos",
        f"Generado: {timezone.localtime():%Y-%m-%d %H:%M} (hora de Lima)",
        "",
        "FUENTES Y LICENCIAS",
        f"- Población: {edition.source}. La información del INEI puede reproducirse total o",
        "  parcialmente citando la fuente: Instituto Nacional de Estadística e Informática.",
        f"- Inmigrantes y emigrantes: {edition.attribution}.",
        "- Población 1940–2017: INEI – Censos Nacionales de Población y Vivienda 1940–2017 (población censada).",
        "- Migración reciente 2002–2007: INEI – Censos Nacionales 2007 (Compendio Estadístico, cuadro 3.43).",
        "- Buenas prácticas: Premio Buenas Prácticas en Gestión Pública, Ciudadanos al Día.",
        "",
        "DEFINICIONES",
        "- Inmigrante: vive en un departamento distinto al de su nacimiento (migración de toda la vida).",
        "- Emigrante: nació en el departamento y vive en otro.",
        "- Saldo migratorio: inmigrantes menos emigrantes.",
        "- % emigrantes se calcula sobre la población que hoy reside en el departamento, no sobre",
        "  las personas nacidas en él.",
        "- Migración reciente: dónde vivía cada persona de 5 años y más cinco años antes del censo frente a",
        "  dónde vivía el día del censo. Lima y Callao se publican como una sola área.",
        "- Crecimiento anual: tasa geométrica promedio entre los días de dos censos consecutivos.",
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
    facts = partial(_dataset_facts, edition, citation, absolute_url)
    return {"sizes": cache.get_or_set(key, facts, settings.FRAGMENT_CACHE_SECONDS), "updated": content_updated(request)}


def _dataset_facts(edition, citation: str, build_url) -> dict:
    return file_sizes(dataset_zip(edition, citation, build_url))


def dataset_zip(edition, citation: str, build_url) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LEEME.txt", readme(edition, citation))
        for data_file in FILES:
            text = io.StringIO()
            writer = csv.writer(text)  # CRLF (RFC 4180): a field holding a carriage return is quoted too
            writer.writerow([column.name for column in data_file.columns])
            writer.writerows(spreadsheet_row(row) for row in data_file.rows(build_url))
            archive.writestr(data_file.name, excel_csv(text.getvalue()))
    return buffer.getvalue()
