"""The migration app's files of the open-data download (``/datos/``): each ``DataFile`` with its data dictionary
and its rows (the project's zip, ``portal/datasets.py``, puts every app's files together)."""

from django.utils.translation import gettext_lazy as _

from portal.core.datasets import Column, DataFile
from portal.core.numbers import round_half_up

from .measures import MEASURES, ORIGIN_MEASURES, RECENT_MEASURES
from .models import DepartmentFigures
from .population import OriginSummary, PopulationHistory, RecentMigrationSummary

UNITS = {
    "people": _("personas"),
    "percent": "%",  # of what: the column's description
    "rate": _("por 1,000 habitantes de 5 años y más"),
}


def measure_column(measure, decimals: int) -> Column:
    """A measure's column: a count of people (integer) or a share or rate written with ``decimals``."""
    if measure.unit == "people":
        return Column(measure.file_column, measure.definition, "integer", UNITS["people"])
    return Column(measure.file_column, measure.definition, "number", UNITS[measure.unit], decimals)


UBIGEO = _("Código INEI del departamento, dos dígitos (01 Amazonas … 25 Ucayali): un texto, con su cero inicial.")


def department_figures(build_url) -> list[list]:
    figures = DepartmentFigures.objects.with_shares().order_by("-edition__year", "department__name")
    return [
        [row.edition.year, row.department.ubigeo, row.department.name, *(m.plain(m.of(row)) for m in MEASURES)]
        for row in figures
    ]


#: The national figures of a census that counts people by origin, given for Peru only (empty for the others).
NATIONAL_ORIGIN = ("national_population_5plus", "born_abroad", "lived_abroad_before")


def optional(value):
    return "" if value is None else value


def census_populations(build_url) -> list[list]:
    history = PopulationHistory.load()
    return [
        [
            census.year,
            census.census_date.isoformat(),
            row.department.ubigeo,
            row.department.name,
            value,
            census.national_population,
            census.enumeration,
            census.fieldwork_start.isoformat() if census.fieldwork_start else "",
            census.fieldwork_end.isoformat() if census.fieldwork_end else "",
            *(optional(getattr(census, name)) for name in NATIONAL_ORIGIN),
            "" if share is None else round_half_up(share, 2),
            "" if growth is None else round_half_up(growth, 2),
            "sí" if row.inei_note else "no",
            row.sources[census.year],
        ]
        for row in history.rows
        for census, value, share, growth in row.points()
        if value is not None
    ]


def origin_balances(build_url) -> list[list]:
    """The newest census that counts people by origin: one row per department, then one per part INEI publishes
    a department in (Lima Metropolitana, Región Lima), then the people counted by origin abroad (Peru only)."""
    summary = OriginSummary.load()
    if summary is None:
        return []
    year = summary.year
    rows = [
        [year, row.department.ubigeo, row.department.name, "", *(m.precise(m.of(row)) for m in ORIGIN_MEASURES), src]
        for row, src in ((row, row.source) for row in summary.rows)
    ]
    rows += [
        [
            year,
            part.department.ubigeo,
            part.department.name,
            part.name,
            *(m.precise(m.of(part)) for m in ORIGIN_MEASURES),
            "",
        ]
        for part in summary.parts
    ]
    return rows


def recent_migration(build_url) -> list[list]:
    return [
        [
            area.census.year,
            area.code,
            area.name,
            *(measure.precise(measure.of(area)) for measure in RECENT_MEASURES),
            area.source,
        ]
        for area in RecentMigrationSummary.load().areas
    ]


DATA_FILES = (
    DataFile(
        "departamentos.csv",
        _("Cifras por departamento y edición del censo."),
        (
            Column("edicion", _("Año de la edición del censo."), "year"),
            Column("ubigeo", UBIGEO),
            Column("departamento", _("Nombre del departamento como lo escribe la fuente.")),
            *(measure_column(measure, 1) for measure in MEASURES),
        ),
        department_figures,
        primary_key=("edicion", "ubigeo"),
    ),
    DataFile(
        "poblacion_censos.csv",
        _("Población censada de cada departamento en cada censo nacional (censo: su año)."),
        (
            Column("censo", _("Año del censo."), "year"),
            Column("fecha_censo", _("Día del censo (AAAA-MM-DD)."), "date"),
            Column("ubigeo", UBIGEO),
            Column("departamento", _("Nombre del departamento.")),
            Column("poblacion", _("Población censada del departamento."), "integer", UNITS["people"]),
            Column(
                "poblacion_nacional",
                _("Población nacional censada de ese censo, según el INEI."),
                "integer",
                UNITS["people"],
            ),
            Column(
                "tipo_de_censo",
                _("de_facto: contó a cada persona donde estaba el día del censo; de_jure: donde vive habitualmente."),
            ),
            Column(
                "inicio_trabajo_de_campo",
                _(
                    "Para un censo levantado durante semanas, su primer día (AAAA-MM-DD); fecha_censo es entonces el "
                    "punto medio del trabajo de campo. Vacío para un censo de un día."
                ),
                "date",
            ),
            Column("fin_trabajo_de_campo", _("El último día del trabajo de campo, o vacío."), "date"),
            Column(
                "poblacion_nacional_5_anios_y_mas",
                _("Población nacional censada de 5 años y más (solo censos con cifras por lugar de origen, 2025)."),
                "integer",
                UNITS["people"],
            ),
            Column(
                "nacidos_en_el_extranjero",
                _(
                    "Personas censadas cuya madre vivía en otro país cuando nacieron (fila EXTRANJERO del INEI): solo "
                    "para todo el país; vacío en los censos sin cifras por lugar de origen."
                ),
                "integer",
                UNITS["people"],
            ),
            Column(
                "vivian_en_el_extranjero_5_anios_antes",
                _("Personas de 5 años y más que vivían en otro país cinco años antes del censo: ídem."),
                "integer",
                UNITS["people"],
            ),
            Column(
                "pct_nacional",
                _("Población del departamento / población nacional × 100, con dos decimales."),
                "number",
                _("% de la población nacional"),
                2,
            ),
            Column(
                "crecimiento_anual",
                _(
                    "Tasa de crecimiento promedio anual (geométrica, %) desde el censo anterior, entre los días "
                    "de ambos censos, con dos decimales; vacía en el primer censo."
                ),
                "number",
                _("% por año"),
                2,
            ),
            Column(
                "nota_limites_inei",
                _("sí: el INEI marca el departamento con su nota 1/ (sus límites cambiaron entre censos); si no, no."),
            ),
            Column("fuente", _("Fuente de la cifra.")),
        ),
        census_populations,
        primary_key=("censo", "ubigeo"),
    ),
    DataFile(
        "nacimiento_y_residencia.csv",
        _(
            "Censo más reciente con cifras por lugar de origen: residentes de cada departamento, personas nacidas en "
            "él (vivan hoy donde vivan en el Perú) y personas que vivían en él cinco años antes, con los balances "
            "que resultan. No son inmigrantes ni emigrantes, que el INEI no publica para este censo. Tras los 25 "
            "departamentos, las partes en que el INEI publica un departamento (Lima Metropolitana y Región Lima, "
            "que suman Lima)."
        ),
        (
            Column("censo", _("Año del censo."), "year"),
            Column("ubigeo", UBIGEO),
            Column("departamento", _("Nombre del departamento.")),
            Column("parte", _("Vacío en la fila del departamento; el nombre de la parte en las filas de sus partes.")),
            *(measure_column(measure, 2) for measure in ORIGIN_MEASURES),
            Column("fuente", _("Fuente de la cifra (la de su departamento en las filas de las partes).")),
        ),
        origin_balances,
    ),
    DataFile(
        "migracion_reciente.csv",
        _(
            "Migración reciente: personas de 5 años y más según dónde vivían cinco años antes del censo (columna "
            "censo). Lima y Callao son una sola área (ubigeo 07+15) porque la fuente publica sus cifras juntas."
        ),
        (
            Column("censo", _("Año del censo; el periodo son los cinco años anteriores."), "year"),
            Column(
                "ubigeo",
                _("Código del área: el del departamento (un texto, con su cero inicial), o 07+15 para Lima y Callao."),
            ),
            Column("area", _("Departamento, o «Lima y Callao».")),
            *(measure_column(measure, 2) for measure in RECENT_MEASURES),
            Column("fuente", _("Fuente de la cifra.")),
        ),
        recent_migration,
        primary_key=("censo", "ubigeo"),
    ),
)
