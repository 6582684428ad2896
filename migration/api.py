"""The API of the migration figures: census editions and departments, population in every census, the balances by
origin of the newest census, recent migration (django-ninja routers, registered by the project's API in
``portal/api.py``).

Figures come from the same querysets as the pages: saldo, shares and ranks only from
``DepartmentFiguresQuerySet.with_derived`` (through ``for_table``). Every endpoint runs a fixed number of SQL
queries.
"""

from datetime import date
from typing import Annotated

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from portal.core.api import ERRORS, INVALID, Pages, absolute_url, slug_path
from portal.core.numbers import round_half_up

from .measures import ORIGIN_BY_KEY, ORIGIN_RANKED, RECENT_BY_KEY
from .models import RANKED_MEASURES, CensusEdition, DepartmentFigures, PopulationCensus
from .population import OriginSummary, PopulationHistory, RecentMigrationSummary
from .summary import NationalSummary, resolve_edition

MIGRATION_TAG = "Migración interna"
POPULATION_TAG = "Población y migración reciente"
#: The tags' descriptions in the API's documentation.
TAGS = [
    {"name": MIGRATION_TAG, "description": "Ediciones del censo y cifras por departamento."},
    {
        "name": POPULATION_TAG,
        "description": "Población censada en cada censo nacional, nacimiento y residencia del censo más reciente y "
        "migración reciente (INEI).",
    },
]

editions = Router(tags=[MIGRATION_TAG])

EditionParam = Annotated[
    str | None,
    Query(
        description="Año de la edición del censo, p. ej. `2007`; sin él, la más reciente con datos. "
        "Un año sin datos o no válido responde 404.",
        example="2007",
    ),
]


def edition_or_404(year: str | None) -> CensusEdition:
    try:
        return resolve_edition(year)
    except Http404 as missing:
        if not year:
            raise HttpError(404, str(missing)) from None
        years = CensusEdition.objects.public().values_list("year", flat=True)
        available = ", ".join(map(str, years)) or "ninguna"
        raise HttpError(
            404,
            f"No hay datos de la edición del censo «{year[:20]}»: indique el año con cuatro cifras, "
            f"p. ej. edition=2007. Ediciones con datos: {available}.",
        ) from None


class EditionOut(Schema):
    year: int = Field(description="Año del censo.")
    title: str
    source: str = Field(description="Fuente de los datos.")
    compiler: str = Field(description="Quién elaboró las cifras de migración.")
    attribution: str = Field(description="Línea de fuente que debe acompañar a las cifras.")
    national_population: int = Field(description="Población nacional censada.")
    born_abroad_share: float = Field(description="Porcentaje de la población nacida en otro país.")


# Puesto del departamento en cada medida (migration.measures): 1 = el valor más alto de la edición.
Ranks = type(
    "Ranks",
    (Schema,),
    {
        "__doc__": "Puesto del departamento en cada medida: 1 = el valor más alto de la edición.",
        "__annotations__": dict.fromkeys(RANKED_MEASURES, int),
    },
)


class DepartmentRef(Schema):
    """The department a row is about (``row.department``): its code, names and public page."""

    ubigeo: str = Field(description="Código INEI de dos dígitos.")
    name: str
    slug: str
    url: str = Field(description="Ficha pública del departamento en el portal.")

    @staticmethod
    def resolve_ubigeo(row) -> str:
        return row.department.ubigeo

    @staticmethod
    def resolve_name(row) -> str:
        return row.department.name

    @staticmethod
    def resolve_slug(row) -> str:
        return row.department.slug

    @staticmethod
    def resolve_url(row, context) -> str:
        return absolute_url(context, row.department.get_absolute_url())


class DepartmentOut(DepartmentRef):
    edition: int = Field(description="Año de la edición del censo de estas cifras.")
    population: int = Field(description="Población censada.")
    immigrants: int = Field(description="Personas que viven en el departamento y nacieron en otro.")
    emigrants: int = Field(description="Personas nacidas en el departamento que viven en otro.")
    net_migration: int = Field(description="Saldo migratorio: inmigrantes − emigrantes.")
    immigrant_share: float = Field(description="Inmigrantes, % de la población (2 decimales).")
    emigrant_share: float = Field(description="Emigrantes, % de la población (2 decimales).")
    ranks: Ranks

    @staticmethod
    def resolve_url(row, context) -> str:
        url = DepartmentRef.resolve_url(row, context)
        # The edition asked for stays on the linked page, as links between the portal's pages do.
        return f"{url}?edicion={row.edition.year}" if context["request"].GET.get("edition") else url

    @staticmethod
    def resolve_edition(row) -> int:
        return row.edition.year

    @staticmethod
    def resolve_immigrant_share(row) -> float:
        return float(round_half_up(row.immigrant_share, 2))

    @staticmethod
    def resolve_emigrant_share(row) -> float:
        return float(round_half_up(row.emigrant_share, 2))

    @staticmethod
    def resolve_ranks(row) -> dict[str, int]:
        return {measure: getattr(row, f"{measure}_rank") for measure in RANKED_MEASURES}


@editions.get("/editions", response={200: list[EditionOut], **INVALID}, summary="Ediciones del censo")
@paginate(Pages)
def list_editions(request):
    """Las ediciones del censo que tienen cifras, de la más reciente a la más antigua."""
    return CensusEdition.objects.public()


@editions.get("/departments", response={200: list[DepartmentOut], **ERRORS}, summary="Departamentos")
@paginate(Pages)
def list_departments(request, edition: EditionParam = None):
    """Los departamentos con cifras de la edición (la más reciente por defecto), en orden alfabético."""
    return DepartmentFigures.objects.for_table(edition_or_404(edition))


@editions.get("/departments/{slug}", response={200: DepartmentOut, **ERRORS}, summary="Un departamento")
def get_department(request, slug: slug_path("lima"), edition: EditionParam = None):
    """Las cifras de un departamento en la edición (la más reciente por defecto); 404 si no las hay."""
    # Ranks are computed over the whole edition: the row is picked after the query, not filtered in it.
    row = NationalSummary.for_edition(edition_or_404(edition)).by_slug.get(slug)
    if row is None:
        raise HttpError(404, f"No hay cifras del departamento «{slug}» en esta edición del censo.")
    return row


population = Router(tags=[POPULATION_TAG])


class CensusOut(Schema):
    year: int = Field(description="Año del censo.")
    census_date: date = Field(
        description="Día del censo, o punto medio del trabajo de campo de un censo levantado durante semanas (las "
        "tasas de crecimiento se calculan entre estas fechas)."
    )
    fieldwork_start: date | None = Field(description="Primer día del trabajo de campo (null: censo de un día).")
    fieldwork_end: date | None = Field(description="Último día del trabajo de campo (null: censo de un día).")
    date_is_fieldwork_midpoint: bool = Field(description="census_date es el punto medio del trabajo de campo.")
    enumeration: str = Field(
        description="de_facto: contó a cada persona donde estaba el día del censo; de_jure: donde vive habitualmente."
    )
    national_population: int = Field(description="Población nacional censada, según el INEI.")
    national_population_5plus: int | None = Field(
        description="Población nacional censada de 5 años y más (solo censos con cifras por lugar de origen)."
    )
    born_abroad: int | None = Field(
        description="Personas censadas cuya madre vivía en otro país cuando nacieron; el INEI no las da por "
        "departamento (solo censos con cifras por lugar de origen)."
    )
    lived_abroad_before: int | None = Field(
        description="Personas de 5 años y más que vivían en otro país cinco años antes del censo (ídem)."
    )
    source: str


class CensusFigureOut(Schema):
    year: int = Field(description="Año del censo.")
    population: int | None = Field(description="Población censada del departamento (null si no hay cifra).")
    share: float | None = Field(description="% de la población nacional de ese censo (2 decimales).")
    growth_rate: float | None = Field(
        description="Tasa de crecimiento promedio anual (geométrica, %) desde el censo anterior (2 decimales)."
    )


class PopulationOut(DepartmentRef):
    inei_boundary_note: bool = Field(
        description="El INEI marca el departamento con su nota 1/: sus límites cambiaron entre censos."
    )
    censuses: list[CensusFigureOut]

    @staticmethod
    def resolve_inei_boundary_note(row) -> bool:
        return row.inei_note

    @staticmethod
    def resolve_censuses(row) -> list[dict]:
        return [
            {
                "year": census.year,
                "population": value,
                "share": None if share is None else float(round_half_up(share, 2)),
                "growth_rate": None if growth is None else float(round_half_up(growth, 2)),
            }
            for census, value, share, growth in row.points()
        ]


def recent(key: str, **kwargs):
    """A field of a recent-migration measure, described as the data dictionary describes it."""
    return Field(description=str(RECENT_BY_KEY[key].definition), **kwargs)


class RecentMigrationOut(Schema):
    ubigeo: str = Field(description="Código del área como lo escribe la fuente: 03, o 07+15 para Lima y Callao.")
    name: str = Field(description="Departamento, o «Lima y Callao», que la fuente publica como una sola área.")
    departments: list[str] = Field(description="Slugs de los departamentos del área.")
    census: int = Field(description="Año del censo; el periodo son los cinco años anteriores.")
    period: str
    population_5plus: int = recent("population_5plus")
    native_population_total: int = recent("native_total")
    native_population_present: int = recent("native_present")
    immigrants: int = recent("immigrants")
    emigrants: int = recent("emigrants")
    net_migration: int = recent("net_migration")
    immigration_rate: float = recent("immigration_rate")
    emigration_rate: float = recent("emigration_rate")
    net_rate: float = recent("net_rate")
    source: str

    @staticmethod
    def resolve_ubigeo(area) -> str:
        return area.code

    @staticmethod
    def resolve_departments(area) -> list[str]:
        return sorted(department.slug for department in area.departments.all())

    @staticmethod
    def resolve_census(area) -> int:
        return area.census.year

    @staticmethod
    def resolve_native_population_total(area) -> int:
        return area.native_total

    @staticmethod
    def resolve_native_population_present(area) -> int:
        return area.native_present

    @staticmethod
    def resolve_immigration_rate(area) -> float:
        return float(RECENT_BY_KEY["immigration_rate"].precise(area.immigration_rate))

    @staticmethod
    def resolve_emigration_rate(area) -> float:
        return float(RECENT_BY_KEY["emigration_rate"].precise(area.emigration_rate))

    @staticmethod
    def resolve_net_rate(area) -> float:
        return float(RECENT_BY_KEY["net_rate"].precise(area.net_rate))


@population.get("/censuses", response={200: list[CensusOut], **INVALID}, summary="Censos de población")
@paginate(Pages)
def list_censuses(request):
    """Los censos nacionales de población publicados, del más antiguo al más reciente, con sus totales nacionales."""
    return PopulationCensus.objects.public().order_by("year")


@population.get("/population", response={200: list[PopulationOut], **INVALID}, summary="Población")
@paginate(Pages)
def list_population(request):
    """La población censada de cada departamento en cada censo, su % del país y su crecimiento anual."""
    return list(PopulationHistory.load().rows)


@population.get("/population/{slug}", response={200: PopulationOut, **ERRORS}, summary="Población de un departamento")
def get_population(request, slug: slug_path("lima")):
    """La población censada de un departamento en cada censo; 404 si no existe."""
    row = PopulationHistory.load(slug=slug).by_slug.get(slug)
    if row is None:
        raise HttpError(404, f"No hay población censada del departamento «{slug}».")
    return row


@population.get(
    "/recent-migration",
    response={200: list[RecentMigrationOut], **INVALID},
    summary="Migración reciente",
)
@paginate(Pages)
def list_recent_migration(request):
    """Migración en los cinco años anteriores al censo (`census`), por área: Lima y Callao son una sola área,
    porque la fuente publica sus cifras juntas."""
    return list(RecentMigrationSummary.load().areas)


def origin(key: str, **kwargs):
    """A field of a measure by origin, described as the data dictionary describes it."""
    return Field(description=str(ORIGIN_BY_KEY[key].definition), **kwargs)


OriginRanks = type(
    "OriginRanks",
    (Schema,),
    {
        "__doc__": "Puesto del departamento en cada balance: 1 = el valor más alto del censo.",
        "__annotations__": dict.fromkeys(ORIGIN_RANKED, int),
    },
)


class OriginFigures(Schema):
    population: int = origin("population")
    born_here: int = origin("born_here")
    lifetime_balance: int = origin("lifetime_balance")
    lifetime_balance_share: float = origin("lifetime_balance_share")
    population_5plus: int = origin("population_5plus")
    lived_here_before: int = origin("lived_here_before")
    recent_balance: int = origin("recent_balance")
    recent_balance_share: float = origin("recent_balance_share")

    @staticmethod
    def resolve_lifetime_balance_share(part) -> float:
        return float(ORIGIN_BY_KEY["lifetime_balance_share"].precise(part.lifetime_balance_share))

    @staticmethod
    def resolve_recent_balance_share(part) -> float:
        return float(ORIGIN_BY_KEY["recent_balance_share"].precise(part.recent_balance_share))


class OriginPartOut(OriginFigures):
    name: str = Field(description="La parte como la escribe el INEI: «Lima Metropolitana», «Región Lima».")
    description: str = Field(description="Qué comprende, según la nota del INEI.")


class OriginOut(DepartmentRef, OriginFigures):  # the figures first, then the department, as published
    census: int = Field(description="Año del censo; «cinco años antes» es census − 5.")
    ranks: OriginRanks
    parts: list[OriginPartOut] = Field(
        description="Las partes en que el INEI publica el departamento (Lima: Lima Metropolitana y Región Lima), "
        "que suman sus cifras; vacía para los demás."
    )
    source: str

    @staticmethod
    def resolve_census(row) -> int:
        return row.census.year

    @staticmethod
    def resolve_ranks(row) -> dict[str, int]:
        return {measure: getattr(row, f"{measure}_rank") for measure in ORIGIN_RANKED}

    @staticmethod
    def resolve_parts(row) -> list:
        return getattr(row, "parts", [])


def origin_summary() -> OriginSummary:
    summary = OriginSummary.load()
    if summary is None:
        raise HttpError(404, "Todavía no se han cargado cifras por lugar de origen.")
    for row in summary.rows:
        row.parts = summary.parts_of(row.department)
    return summary


@population.get("/balances", response={200: list[OriginOut], **ERRORS}, summary="Nacimiento y residencia")
@paginate(Pages)
def list_balances(request):
    """Del censo más reciente con cifras por lugar de origen (2025), por departamento: residentes, nacidos en él y
    quienes vivían en él cinco años antes, con los balances de toda la vida y reciente. No son inmigrantes ni
    emigrantes: el INEI no los publica para ese censo. Las personas nacidas o que vivían en el extranjero están en
    `/censuses` (solo para todo el país)."""
    return list(origin_summary().rows)


@population.get(
    "/balances/{slug}", response={200: OriginOut, **ERRORS}, summary="Nacimiento y residencia de un departamento"
)
def get_balances(request, slug: slug_path("lima")):
    """Las cifras por lugar de origen de un departamento en el censo más reciente que las tiene; 404 si no las hay."""
    row = origin_summary().by_slug.get(slug)
    if row is None:
        raise HttpError(404, f"No hay cifras por lugar de origen del departamento «{slug}».")
    return row


router = Router()
router.add_router("", editions)
router.add_router("", population)
