"""The whole dataset as CSV files in one zip, with its README (sources, licences, definitions, citation).

The column lists below are the data dictionary shown on /datos/ and written into the zip's LEEME.txt.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from migration.measures import MEASURES
from migration.models import DepartmentFigures
from migration.population import PopulationHistory, RecentMigrationSummary
from portal.core.cache import content_updated, content_version
from portal.core.exports import excel_csv, spreadsheet_row
from portal.core.numbers import round_half_up
from portal.core.site import absolute_url
from practices.models import KeyFigure, Practice


@dataclass(frozen=True)
class Column:
    name: str
    description: str


@dataclass(frozen=True)
class DataFile:
    name: str
    description: str
    columns: tuple[Column, ...]


FILES = (
    DataFile(
        "departamentos.csv",
        _("Cifras por departamento y edición del censo."),
        (
            Column("edicion", _("Año del censo (2007).")),
            Column("ubigeo", _("Código INEI del departamento, dos dígitos (01 Amazonas … 25 Ucayali).")),
            Column("departamento", _("Nombre del departamento como lo escribe la fuente.")),
            *(Column(measure.file_column, measure.definition) for measure in MEASURES),
        ),
    ),
    DataFile(
        "poblacion_censos.csv",
        _("Población censada de cada departamento en cada censo nacional (1940–2017)."),
        (
            Column("censo", _("Año del censo.")),
            Column("fecha_censo", _("Día del censo (AAAA-MM-DD).")),
            Column("ubigeo", _("Código INEI del departamento.")),
            Column("departamento", _("Nombre del departamento.")),
            Column("poblacion", _("Población censada del departamento.")),
            Column("poblacion_nacional", _("Población nacional censada de ese censo, según el INEI.")),
            Column("pct_nacional", _("Población del departamento / población nacional × 100, con dos decimales.")),
            Column(
                "crecimiento_anual",
                _(
                    "Tasa de crecimiento promedio anual (geométrica, %) desde el censo anterior, entre los días "
                    "de ambos censos, con dos decimales; vacía en el primer censo."
                ),
            ),
            Column(
                "nota_limites_inei",
                _("sí: el INEI marca el departamento con su nota 1/ (sus límites cambiaron entre censos); si no, no."),
            ),
            Column("fuente", _("Fuente de la cifra.")),
        ),
    ),
    DataFile(
        "migracion_reciente.csv",
        _(
            "Migración reciente: personas de 5 años y más según dónde vivían cinco años antes del censo 2007. "
            "Lima y Callao son una sola área (ubigeo 07+15) porque la fuente publica sus cifras juntas."
        ),
        (
            Column("censo", _("Año del censo; el periodo son los cinco años anteriores.")),
            Column("ubigeo", _("Código del área: el del departamento, o 07+15 para Lima y Callao.")),
            Column("area", _("Departamento, o «Lima y Callao».")),
            Column("poblacion_5_anios_y_mas", _("Población censada de 5 años y más.")),
            Column("residentes_5_anios_antes", _("Personas de 5 años y más que vivían en el área cinco años antes.")),
            Column("no_migrantes", _("De ellas, las que siguen viviendo en el área el día del censo.")),
            Column("inmigrantes", _("Vivían en otro departamento cinco años antes.")),
            Column("emigrantes", _("Vivían en el área cinco años antes y en otro departamento el día del censo.")),
            Column("saldo_migratorio", _("Inmigrantes menos emigrantes.")),
            Column("tasa_inmigracion", _("Inmigrantes por 1,000 habitantes de 5 años y más, con dos decimales.")),
            Column("tasa_emigracion", _("Emigrantes por 1,000 habitantes de 5 años y más, con dos decimales.")),
            Column("tasa_saldo", _("Saldo por 1,000 habitantes de 5 años y más, con dos decimales.")),
            Column("fuente", _("Fuente de la cifra.")),
        ),
    ),
    DataFile(
        "practicas.csv",
        _("Buenas prácticas publicadas."),
        (
            Column("slug", _("Identificador de la práctica en las direcciones del portal.")),
            Column("titulo", _("Título.")),
            Column("resumen", _("Resumen.")),
            Column("anio_premio", _("Edición del Premio Buenas Prácticas en Gestión Pública.")),
            Column("categoria", _("Categoría del premio.")),
            Column("institucion", _("Institución pública responsable.")),
            Column("sigla", _("Sigla de la institución.")),
            Column("programa", _("Programa, proyecto u organización.")),
            Column("alcance", _("«regional» (uno o más departamentos) o «national» (todo el país).")),
            Column("inicio", _("Mes de inicio (AAAA-MM), si se conoce.")),
            Column("url", _("Dirección de la práctica en el portal.")),
        ),
    ),
    DataFile(
        "practicas_departamentos.csv",
        _("Departamentos donde se aplica cada práctica (una fila por práctica y departamento)."),
        (
            Column("practica", _("slug de la práctica.")),
            Column("ubigeo", _("Código INEI del departamento.")),
            Column("departamento", _("Nombre del departamento.")),
        ),
    ),
    DataFile(
        "cifras_clave.csv",
        _("Cifras clave de cada práctica."),
        (
            Column("practica", _("slug de la práctica.")),
            Column("orden", _("Orden en que se muestran.")),
            Column("unidad", _("Unidad escrita antes del número (p. ej. US$), si la hay.")),
            Column("valor", _("Valor numérico.")),
            Column("descripcion", _("Lo que se cuenta.")),
        ),
    ),
)


#: How every CSV and XLSX file of the portal is written (the zip's files and each table's downloads):
#: shown on /datos/ and written into LEEME.txt.
FILE_FORMAT = (
    _(
        "CSV en UTF-8 con marca de orden de bytes (BOM), para que Excel muestre bien las tildes y la ñ "
        "al abrirlos con doble clic; separados por comas, con punto decimal (43.0), como los escribe "
        'Excel en Perú. Los programas que leen UTF-8 ignoran la marca (en Python, encoding="utf-8-sig"; '
        'en R, fileEncoding="UTF-8-BOM").'
    ),
    _("Los números son números, sin separador de miles: 2781145, -531984, 43.0."),
    _(
        "Un texto que empieza con =, +, -, @, tabulación o retorno de carro se escribe precedido de un "
        "apóstrofo ('), para que la hoja de cálculo lo muestre como texto y nunca lo ejecute como fórmula."
    ),
)


def _rows(build_url):
    figures = DepartmentFigures.objects.with_shares().order_by("-edition__year", "department__name")
    practices = list(Practice.objects.published().with_relations().order_by("slug"))
    key_figures = (
        KeyFigure.objects.filter(practice__in=practices).select_related("practice").order_by("practice__slug", "order")
    )
    yield (
        "departamentos.csv",
        [
            [
                row.edition.year,
                row.department.ubigeo,
                row.department.name,
                *(measure.plain(measure.of(row)) for measure in MEASURES),
            ]
            for row in figures
        ],
    )
    history = PopulationHistory.load()
    yield (
        "poblacion_censos.csv",
        [
            [
                census.year,
                census.census_date.isoformat(),
                row.department.ubigeo,
                row.department.name,
                value,
                census.national_population,
                "" if share is None else round_half_up(share, 2),
                "" if growth is None else round_half_up(growth, 2),
                "sí" if row.inei_note else "no",
                "; ".join(history.sources),
            ]
            for row in history.rows
            for census, value, share, growth in row.points()
            if value is not None
        ],
    )
    yield (
        "migracion_reciente.csv",
        [
            [
                area.census.year,
                area.code,
                area.name,
                area.population_5plus,
                area.native_total,
                area.native_present,
                area.immigrants,
                area.emigrants,
                area.net_migration,
                round_half_up(area.immigration_rate, 2),
                round_half_up(area.emigration_rate, 2),
                round_half_up(area.net_rate, 2),
                area.source,
            ]
            for area in RecentMigrationSummary.load().areas
        ],
    )
    yield (
        "practicas.csv",
        [
            [
                p.slug,
                p.title,
                p.summary,
                p.award_year,
                p.category.name,
                p.institution.name,
                p.institution.acronym,
                p.programme,
                p.scope,
                p.started_on.strftime("%Y-%m") if p.started_on else "",
                build_url(p.get_absolute_url()),
            ]
            for p in practices
        ],
    )
    yield (
        "practicas_departamentos.csv",
        [[p.slug, d.ubigeo, d.name] for p in practices for d in sorted(p.departments.all(), key=lambda d: d.ubigeo)],
    )
    yield "cifras_clave.csv", [[k.practice.slug, k.order, k.unit, k.value, k.label] for k in key_figures]


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
    columns = {data_file.name: [column.name for column in data_file.columns] for data_file in FILES}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LEEME.txt", readme(edition, citation))
        for name, rows in _rows(build_url):
            text = io.StringIO()
            writer = csv.writer(text)  # CRLF (RFC 4180): a field holding a carriage return is quoted too
            writer.writerow(columns[name])
            writer.writerows(spreadsheet_row(row) for row in rows)
            archive.writestr(name, excel_csv(text.getvalue()))
    return buffer.getvalue()
