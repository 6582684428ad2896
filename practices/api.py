"""The API of the catalogue of Buenas Prácticas (a django-ninja router, registered by the project's API in
``portal/api.py``): only ``Practice.objects.published()``, three queries whatever the number of rows."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from portal.core.api import ERRORS, INVALID, TEXT_PATTERN, Pages, absolute_url, slug_filter, slug_path

from .models import Practice

PRACTICES_TAG = "Buenas prácticas"
#: The tag's description in the API's documentation.
TAGS = [{"name": PRACTICES_TAG, "description": "Catálogo de Buenas Prácticas en Gestión Pública publicadas."}]

router = Router(tags=[PRACTICES_TAG])


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


@router.get("/practices", response={200: list[PracticeOut], **INVALID}, summary="Buenas prácticas")
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
            pattern=TEXT_PATTERN,
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


@router.get("/practices/{slug}", response={200: PracticeOut, **ERRORS}, summary="Una buena práctica")
def get_practice(request, slug: slug_path("sierra-sur")):
    """Una buena práctica publicada; 404 si no existe, es un borrador o su publicación está programada."""
    practice = published_practices().filter(slug=slug).first()
    if practice is None:
        raise HttpError(404, f"No hay una buena práctica publicada con el slug «{slug}».")
    return practice
