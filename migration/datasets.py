"""The migration app's files of the open-data download (``/datos/``): each ``DataFile`` with its data dictionary
and its rows (the project's zip, ``portal/datasets.py``, puts every app's files together)."""

from django.utils.translation import gettext_lazy as _

from portal.core.datasets import Column, DataFile
from portal.core.numbers import round_half_up

from .measures import MEASURES, RECENT_MEASURES
from .models import DepartmentFigures
from .population import PopulationHistory, RecentMigrationSummary

UNITS = {
    "people": _("personas"),
    "percent": _("% de la población censada"),
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
            "" if share is None else round_half_up(share, 2),
            "" if growth is None else round_half_up(growth, 2),
            "sí" if row.inei_note else "no",
            "; ".join(history.sources),
        ]
        for row in history.rows
        for census, value, share, growth in row.points()
        if value is not None
    ]


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
            Column("edicion", _("Año del censo (2007)."), "year"),
            Column("ubigeo", UBIGEO),
            Column("departamento", _("Nombre del departamento como lo escribe la fuente.")),
            *(measure_column(measure, 1) for measure in MEASURES),
        ),
        department_figures,
        primary_key=("edicion", "ubigeo"),
    ),
    DataFile(
        "poblacion_censos.csv",
        _("Población censada de cada departamento en cada censo nacional (1940–2017)."),
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
        "migracion_reciente.csv",
        _(
            "Migración reciente: personas de 5 años y más según dónde vivían cinco años antes del censo 2007. "
            "Lima y Callao son una sola área (ubigeo 07+15) porque la fuente publica sus cifras juntas."
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
