"""The read-only JSON API, version 1, mounted at /api/v1/ (django-ninja).

Described at /api/v1/openapi.json and documented at /api/v1/docs (ninja's bundled Swagger UI,
served from /static/, no inline script: it passes the site's Content-Security-Policy).
This module only assembles it: each app owns its router (``migration/api.py``, ``practices/api.py``), the kernel
the pieces they share (``portal/core/api.py``).
"""

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from migration import api as migration_api
from portal.core.api import public_read_only
from practices import api as practices_api

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


class PortalAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """``portal_api_list_departments``: the ids the API was published with, kept when each app got its own
        router (clients generated from the OpenAPI document name their methods after them)."""
        return f"portal_api_{operation.view_func.__name__}"


api = PortalAPI(
    title="API de datos abiertos: Migración Interna y Buenas Prácticas (Perú)",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0, "deepLinking": False}),
    docs_decorator=public_read_only,
    openapi_extra={
        "tags": [*migration_api.TAGS, *practices_api.TAGS],
        "info": {"license": {"name": "Reutilización permitida citando la fuente (INEI; CAD Ciudadanos al Día)"}},
    },
)
api.add_decorator(public_read_only, mode="view")

api.add_router("", migration_api.router)
api.add_router("", practices_api.router)
