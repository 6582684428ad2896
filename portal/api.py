"""The read-only JSON API, version 1, mounted at /api/v1/ (django-ninja).

Described at /api/v1/openapi.json and documented at /api/v1/docs (ninja's bundled Swagger UI,
served from /static/, no inline script: it passes the site's Content-Security-Policy).
This module only assembles it: each app owns its router (``migration/api.py``, ``practices/api.py``), the kernel
the pieces they share (``portal/core/api.py``).
"""

from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger

from migration import api as migration_api
from migration.models import CensusEdition
from migration.population import CensusSources
from portal.core.api import public_read_only, said_in_spanish
from practices import api as practices_api

DESCRIPTION = """
Datos abiertos del **Portal de Migración Interna y Buenas Prácticas**, de solo lectura y en JSON:
{contents} y el catálogo de *Buenas Prácticas en Gestión Pública*.

**Los nombres de los campos están en inglés; los valores, tal como están guardados, en español**
(*field names are English; values are as stored, Spanish text*).

- Las listas se paginan con `limit` (de 1 a 100, 25 por defecto) y `offset`; cada respuesta trae
  `items` y `count` (el total de resultados).
- Un recurso inexistente responde 404 con `detail` (mensaje en español); un parámetro no válido, 422
  con `detail`: un elemento por parámetro, con `loc` (dónde), `type` (el tipo de error, para programas) y
  `msg` (qué admite, en español).
- De solo lectura: GET y HEAD (y OPTIONS, para el *preflight* CORS de un navegador); otro método responde 405
  con `detail`.
- Respuestas públicas: `Cache-Control: public` con `ETag` (una consulta con `If-None-Match` responde 304
  si los datos no cambiaron) y `Access-Control-Allow-Origin: *`.

{sources}
Reutilización permitida citando la fuente; cada edición del censo (`/api/v1/editions`) trae su fuente,
su elaboración y su línea de atribución, cada censo (`/api/v1/censuses`) su fuente.

{citation}
"""


def described(sources: CensusSources, edition) -> str:
    """The API's description with the censuses the data come from (``CensusSources``), never a year by hand."""
    contents = []
    if edition is not None:
        contents.append(
            f"la migración interna entre los 25 departamentos del Perú según el censo {edition.year} (población, "
            "inmigrantes, emigrantes, saldo migratorio, porcentajes de la población y puestos en el ranking)"
        )
    if sources.newest:
        contents.append(
            f"la población censada de los departamentos en los {len(sources.census_years)} censos de "
            f"{sources.first} a {sources.newest}"
        )
    contents += [
        f"nacimiento y residencia del censo {year} (balances de toda la vida y recientes por departamento; "
        "no inmigrantes ni emigrantes, que el INEI no publica para ese censo)"
        for year in sources.origin_years
    ]
    contents += [
        f"la migración reciente {year - 5}–{year} (Lima y Callao como una sola área, como la publica el INEI)"
        for year in sources.recent_years
    ]
    lines = []
    if sources.newest:
        lines.append(
            f"**Fuente:** INEI – Censos Nacionales de Población {sources.first}–{sources.newest} (población "
            f"censada; el más reciente, {sources.newest})."
        )
    if edition is not None:
        lines.append(f"**Inmigrantes y emigrantes:** {edition.source}; {edition.attribution}.")
    citation = ""
    if edition is not None:
        citation = (
            f"**Cita sugerida:** {edition.compiler}, según información del INEI ({edition.source}). «Migración "
            f"interna por departamento, {edition.year}». Portal de Migración Interna y Buenas Prácticas, API v1 "
            "(consultado el [fecha])."
        )
    return DESCRIPTION.format(contents="; ".join(contents), sources="\n".join(lines), citation=citation)


class PortalAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The description names the censuses the data come from as published now (one query each for the
        censuses and the newest edition), not as they were when the code was written."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["info"]["description"] = described(CensusSources.load(), CensusEdition.objects.public().first())
        return schema

    def get_openapi_operation_id(self, operation) -> str:
        """``portal_api_list_departments``: the ids the API was published with, kept when each app got its own
        router (clients generated from the OpenAPI document name their methods after them)."""
        return f"portal_api_{operation.view_func.__name__}"


api = PortalAPI(
    title="API de datos abiertos: Migración Interna y Buenas Prácticas (Perú)",
    version="1.0.0",
    description="",  # get_openapi_schema writes it from the data
    urls_namespace="api-v1",
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0, "deepLinking": False}),
    docs_decorator=public_read_only,
    openapi_extra={
        "tags": [*migration_api.TAGS, *practices_api.TAGS],
        "info": {"license": {"name": "Reutilización permitida citando la fuente (INEI; CAD Ciudadanos al Día)"}},
    },
)
api.add_decorator(public_read_only, mode="view")


@api.exception_handler(ValidationError)
def refused_parameters(request, exc):
    """A 422 whose ``detail`` says in Spanish what each refused parameter must be."""
    return api.create_response(request, {"detail": said_in_spanish(exc.errors)}, status=422)


api.add_router("", migration_api.router)
api.add_router("", practices_api.router)
