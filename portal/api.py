"""The read-only JSON API, version 1, mounted at /api/v1/ (django-ninja).

Described at /api/v1/openapi.json and documented at /api/v1/docs (ninja's bundled Swagger UI,
served from /static/, no inline script: it passes the site's Content-Security-Policy).
Figures come from the same querysets as the pages: saldo, shares and ranks only from
``DepartmentFiguresQuerySet.with_derived`` (through ``for_table``); practices only from
``Practice.objects.published()``. Every endpoint runs a fixed number of SQL queries.
"""

from datetime import date, datetime
from functools import wraps
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils import translation
from ninja import Field, NinjaAPI, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.openapi.docs import Swagger
from ninja.pagination import LimitOffsetPagination, paginate

from migration.models import RANKED_MEASURES, CensusEdition, DepartmentFigures, PopulationCensus
from migration.population import PopulationHistory, RecentMigrationSummary
from migration.summary import NationalSummary, resolve_edition
from portal.core import site
from portal.core.numbers import round_half_up
from practices.models import Practice

MIGRATION_TAG = "Migración interna"
PRACTICES_TAG = "Buenas prácticas"

DESCRIPTION = """
Datos abiertos del **Portal de Migración Interna y Buenas Prácticas**, de solo lectura y en JSON:
la migración interna entre los 25 departamentos del Perú según el censo 2007 (población, inmigrantes,
emigrantes, saldo migratorio, porcentajes de la población y puestos en el ranking), la población censada de
los departamentos en los siete censos de 1940 a 2017, la migración reciente 2002–2007 (Lima y Callao como una
sola área, como la publica el INEI) y el catálogo de *Buenas Prácticas en Gestión Pública*.

**Los nombres de los campos están en inglés; los valores, tal como están guardados, en español**
(*field names are English; values are as stored, Spanish text*).

- Las listas se paginan con `limit` (de 1 a 100, 25 por defecto) y `offset`; cada respuesta trae
  `items` y `count` (el total de resultados).
- Un recurso inexistente responde 404 con `detail` (mensaje en español); un parámetro no válido, 422
  con el detalle de la validación.
- Respuestas públicas: `Cache-Control: public` con `ETag` (una consulta con `If-None-Match` responde 304
  si los datos no cambiaron) y `Access-Control-Allow-Origin: *`.

**Fuente:** INEI – Censos Nacionales 2007: XI de Población y VI de Vivienda (población censada);
**elaboración:** CAD Ciudadanos al Día, según información del INEI (inmigrantes y emigrantes).
Reutilización permitida citando la fuente; cada edición del censo (`/api/v1/editions`) trae su fuente,
su elaboración y su línea de atribución.

**Cita sugerida:** CAD Ciudadanos al Día, según información del INEI (INEI – Censos Nacionales 2007:
XI de Población y VI de Vivienda). «Migración interna por departamento, 2007». Portal de Migración
Interna y Buenas Prácticas, API v1 (consultado el [fecha]).
"""

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
MAX_PAGE_SIZE = 100


def public_read_only(view):
    """Spanish URLs in the answers; readable from any origin (Cache-Control and ETag: portal/http_cache.py)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        repeated = sorted(name for name in request.GET if len(request.GET.getlist(name)) > 1)
        if repeated:  # every parameter takes one value: ?year=2009&year=2010 is refused, not half-read
            errors = [{"loc": ["query", name], "msg": "Este parámetro admite un solo valor."} for name in repeated]
            response = JsonResponse({"detail": errors}, status=422)
            response["Access-Control-Allow-Origin"] = "*"
            return response
        with translation.override(settings.LANGUAGE_CODE):
            response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


api = NinjaAPI(
    title="API de datos abiertos: Migración Interna y Buenas Prácticas (Perú)",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
    docs_decorator=public_read_only,
    openapi_extra={
        "tags": [
            {"name": MIGRATION_TAG, "description": "Ediciones del censo y cifras por departamento."},
            {"name": PRACTICES_TAG, "description": "Catálogo de Buenas Prácticas en Gestión Pública publicadas."},
            {
                "name": "Población y migración reciente",
                "description": "Población censada 1940–2017 y migración reciente 2002–2007 (INEI).",
            },
        ],
        "info": {"license": {"name": "Reutilización permitida citando la fuente (INEI; CAD Ciudadanos al Día)"}},
    },
)
api.add_decorator(public_read_only, mode="view")


# Shared pieces ----------------------------------------------------------------------------------------------
class Message(Schema):
    detail: str = Field(description="Qué no se encontró, en español.")


class ValidationErrors(Schema):
    detail: list[dict[str, Any]] = Field(description="Un elemento por parámetro no válido (ubicación y motivo).")


class Unreadable(Schema):
    detail: str = Field(
        description="Solicitud no válida: una consulta que el portal no lee (más de 2 KB, más de 1,000 "
        "parámetros o no UTF-8), rechazada antes de llegar a la API."
    )


#: Every operation: a query the portal will not read is a 400 (portal.middleware.UnreadableRequestMiddleware).
INVALID: dict[int, Any] = {400: Unreadable, 422: ValidationErrors}
ERRORS: dict[int, Any] = {**INVALID, 404: Message}


class Pages(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(25, ge=1, le=MAX_PAGE_SIZE, description="Elementos por página: de 1 a 100.")
        offset: int = Field(0, ge=0, le=1_000_000, description="Cuántos elementos saltar desde el primero.")


def absolute_url(context, path: str) -> str:
    return site.absolute_url(path)


def slug_path(example: str):
    return Annotated[str, Path(pattern=SLUG_PATTERN, max_length=200, description="Slug.", example=example)]


def slug_filter(description: str):
    return Annotated[str | None, Query(pattern=SLUG_PATTERN, max_length=200, description=description)]


# Census editions and departments ----------------------------------------------------------------------------
migration = Router(tags=[MIGRATION_TAG])

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


class DepartmentOut(Schema):
    ubigeo: str = Field(description="Código INEI de dos dígitos.")
    name: str
    slug: str
    url: str = Field(description="Ficha pública del departamento en el portal.")
    edition: int = Field(description="Año de la edición del censo de estas cifras.")
    population: int = Field(description="Población censada.")
    immigrants: int = Field(description="Personas que viven en el departamento y nacieron en otro.")
    emigrants: int = Field(description="Personas nacidas en el departamento que viven en otro.")
    net_migration: int = Field(description="Saldo migratorio: inmigrantes − emigrantes.")
    immigrant_share: float = Field(description="Inmigrantes, % de la población (2 decimales).")
    emigrant_share: float = Field(description="Emigrantes, % de la población (2 decimales).")
    ranks: Ranks

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
        url = absolute_url(context, row.department.get_absolute_url())
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


@migration.get("/editions", response={200: list[EditionOut], **INVALID}, summary="Ediciones del censo")
@paginate(Pages)
def list_editions(request):
    """Las ediciones del censo que tienen cifras, de la más reciente a la más antigua."""
    return CensusEdition.objects.public()


@migration.get("/departments", response={200: list[DepartmentOut], **ERRORS}, summary="Departamentos")
@paginate(Pages)
def list_departments(request, edition: EditionParam = None):
    """Los departamentos con cifras de la edición (la más reciente por defecto), en orden alfabético."""
    return DepartmentFigures.objects.for_table(edition_or_404(edition))


@migration.get("/departments/{slug}", response={200: DepartmentOut, **ERRORS}, summary="Un departamento")
def get_department(request, slug: slug_path("lima"), edition: EditionParam = None):
    """Las cifras de un departamento en la edición (la más reciente por defecto); 404 si no las hay."""
    # Ranks are computed over the whole edition: the row is picked after the query, not filtered in it.
    row = NationalSummary.for_edition(edition_or_404(edition)).by_slug.get(slug)
    if row is None:
        raise HttpError(404, f"No hay cifras del departamento «{slug}» en esta edición del censo.")
    return row


# Population censuses 1940–2017 and recent migration ----------------------------------------------------------
POPULATION_TAG = "Población y migración reciente"
population = Router(tags=[POPULATION_TAG])


class CensusOut(Schema):
    year: int = Field(description="Año del censo.")
    census_date: date = Field(description="Día del censo (las tasas de crecimiento se calculan entre estas fechas).")
    national_population: int = Field(description="Población nacional censada, según el INEI.")
    source: str


class CensusFigureOut(Schema):
    year: int = Field(description="Año del censo.")
    population: int | None = Field(description="Población censada del departamento (null si no hay cifra).")
    share: float | None = Field(description="% de la población nacional de ese censo (2 decimales).")
    growth_rate: float | None = Field(
        description="Tasa de crecimiento promedio anual (geométrica, %) desde el censo anterior (2 decimales)."
    )


class PopulationOut(Schema):
    ubigeo: str
    name: str
    slug: str
    url: str = Field(description="Ficha pública del departamento.")
    inei_boundary_note: bool = Field(
        description="El INEI marca el departamento con su nota 1/: sus límites cambiaron entre censos."
    )
    censuses: list[CensusFigureOut]

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


class RecentMigrationOut(Schema):
    ubigeo: str = Field(description="Código del área como lo escribe la fuente: 03, o 07+15 para Lima y Callao.")
    name: str = Field(description="Departamento, o «Lima y Callao», que la fuente publica como una sola área.")
    departments: list[str] = Field(description="Slugs de los departamentos del área.")
    census: int = Field(description="Año del censo; el periodo son los cinco años anteriores.")
    period: str
    population_5plus: int = Field(description="Población censada de 5 años y más.")
    native_population_total: int = Field(description="Personas de 5 años y más que vivían en el área 5 años antes.")
    native_population_present: int = Field(description="De ellas, las que siguen viviendo en el área.")
    immigrants: int = Field(description="Vivían en otro departamento 5 años antes.")
    emigrants: int = Field(description="Vivían en el área 5 años antes y en otro departamento el día del censo.")
    net_migration: int = Field(description="Inmigrantes − emigrantes.")
    immigration_rate: float = Field(description="Inmigrantes por 1,000 habitantes de 5 años y más (2 decimales).")
    emigration_rate: float = Field(description="Emigrantes por 1,000 habitantes de 5 años y más (2 decimales).")
    net_rate: float = Field(description="Saldo por 1,000 habitantes de 5 años y más (2 decimales).")
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
        return float(round_half_up(area.immigration_rate, 2))

    @staticmethod
    def resolve_emigration_rate(area) -> float:
        return float(round_half_up(area.emigration_rate, 2))

    @staticmethod
    def resolve_net_rate(area) -> float:
        return float(round_half_up(area.net_rate, 2))


@population.get("/censuses", response={200: list[CensusOut], **INVALID}, summary="Censos de población")
@paginate(Pages)
def list_censuses(request):
    """Los censos nacionales de población (1940–2017), del más antiguo al más reciente, con su total nacional."""
    return PopulationCensus.objects.order_by("year")


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
    """Migración en los cinco años anteriores al censo 2007, por área: Lima y Callao son una sola área,
    porque la fuente publica sus cifras juntas."""
    return list(RecentMigrationSummary.load().areas)


# Buenas prácticas ---------------------------------------------------------------------------------------------
practices = Router(tags=[PRACTICES_TAG])


class CategoryOut(Schema):
    slug: str
    name: str


class InstitutionOut(Schema):
    slug: str
    name: str
    acronym: str


class DepartmentRef(Schema):
    ubigeo: str
    slug: str
    name: str


class KeyFigureOut(Schema):
    label: str = Field(description="Lo que se cuenta, p. ej. «puestos de trabajo».")
    value: float
    unit: str = Field(description="Unidad escrita antes del número, p. ej. «US$»; puede estar vacía.")
    order: int


class PracticeOut(Schema):
    slug: str
    title: str
    summary: str
    award_year: int = Field(description="Edición del Premio Buenas Prácticas en Gestión Pública.")
    category: CategoryOut
    institution: InstitutionOut
    programme: str
    scope: Literal["regional", "national"]
    started_on: date | None = Field(description="Inicio (el día 1 del mes), si se conoce.")
    departments: list[DepartmentRef] = Field(description="Departamentos donde se aplica; vacío si es nacional.")
    key_figures: list[KeyFigureOut]
    url: str = Field(description="Página pública de la práctica en el portal.")
    published_at: datetime

    @staticmethod
    def resolve_url(practice, context) -> str:
        return absolute_url(context, practice.get_absolute_url())


def published_practices():
    """Only what visitors may see, with everything the answer shows: three queries, however many rows."""
    return (
        Practice.objects.published()
        .with_relations()
        .prefetch_related("key_figures")
        .order_by("-award_year", "title", "pk")
    )


@practices.get("/practices", response={200: list[PracticeOut], **INVALID}, summary="Buenas prácticas")
@paginate(Pages)
def list_practices(
    request,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Año del premio.")] = None,
    category: slug_filter("Slug de la categoría.") = None,
    institution: slug_filter("Slug de la institución.") = None,
    department: slug_filter("Slug de un departamento donde se aplica.") = None,
    scope: Annotated[Literal["regional", "national"] | None, Query(description="Alcance.")] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            pattern=r"^[^\x00]*$",
            description="Búsqueda sin distinguir tildes ni mayúsculas en textos, institución y departamentos.",
        ),
    ] = None,
):
    """Las buenas prácticas publicadas, de la más reciente a la más antigua, con filtros combinables."""
    found = published_practices()
    if q and q.strip():
        found = found.search(q)
    filters = {
        "award_year": year,
        "category__slug": category,
        "institution__slug": institution,
        "departments__slug": department,
        "scope": scope,
    }
    return found.filter(**{field: value for field, value in filters.items() if value is not None})


@practices.get("/practices/{slug}", response={200: PracticeOut, **ERRORS}, summary="Una buena práctica")
def get_practice(request, slug: slug_path("sierra-sur")):
    """Una buena práctica publicada; 404 si no existe, es un borrador o su publicación está programada."""
    practice = published_practices().filter(slug=slug).first()
    if practice is None:
        raise HttpError(404, f"No hay una buena práctica publicada con el slug «{slug}».")
    return practice


api.add_router("", migration)
api.add_router("", population)
api.add_router("", practices)
