"""What every app's part of the JSON API shares (django-ninja): how answers are made public and read-only,
the error schemas, the pages of a list (``limit``, ``offset``), slug parameters, absolute URLs.

The API itself (``portal/api.py``) registers each app's router (``migration/api.py``, ``practices/api.py``).
"""

from functools import wraps
from typing import Annotated, Any

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from ninja import Field, Path, Query, Schema
from ninja.pagination import LimitOffsetPagination

from portal.core import site

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
#: A text parameter (a search): anything but the NUL character, which no database stores.
TEXT_PATTERN = r"^[^\x00]*$"
MAX_PAGE_SIZE = 100


def public_read_only(view):
    """Spanish URLs in the answers; readable from any origin (Cache-Control and ETag: portal/http_cache.py)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        repeated = sorted(name for name in request.GET if len(request.GET.getlist(name)) > 1)
        if repeated:  # every parameter takes one value: ?year=2009&year=2010 is refused, not half-read
            errors = [
                {"type": "repeated_parameter", "loc": ["query", name], "msg": "Este parámetro admite un solo valor."}
                for name in repeated
            ]
            response = JsonResponse({"detail": errors}, status=422, content_type="application/json; charset=utf-8")
        else:
            with translation.override(settings.LANGUAGE_CODE):
                response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        # A page elsewhere may read the ETag (portal/http_cache.py) to revalidate with If-None-Match.
        response["Access-Control-Expose-Headers"] = "ETag"
        return response

    return wrapper


#: How pydantic's kinds of refusal (an error's ``type``) are said to the API's Spanish-speaking users; ``{le}``,
#: ``{max_length}``… come from the error's ``ctx``. A kind not listed here says «Valor no válido.».
REFUSALS = {
    "missing": "Falta este parámetro.",
    "int_parsing": "Debe ser un número entero, sin decimales ni separadores (p. ej. 2009).",
    "int_from_float": "Debe ser un número entero, sin decimales.",
    "int_parsing_size": "El número es demasiado grande.",
    "greater_than_equal": "Debe ser mayor o igual que {ge}.",
    "less_than_equal": "Debe ser menor o igual que {le}.",
    "greater_than": "Debe ser mayor que {gt}.",
    "less_than": "Debe ser menor que {lt}.",
    "literal_error": "Debe ser {expected}.",
    "string_too_long": "Admite a lo sumo {max_length} caracteres.",
    "string_pattern_mismatch": "Contiene caracteres que este parámetro no admite (expresión regular: {pattern}).",
}


#: What the patterns of the API's parameters admit, said as a refusal.
PATTERNS = {
    SLUG_PATTERN: "Solo admite letras sin tilde ni eñe, cifras, «-» y «_» (un slug, p. ej. sierra-sur).",
    TEXT_PATTERN: "No admite el carácter nulo (%00).",
}


def said_in_spanish(errors: list[dict]) -> list[dict]:
    """ninja's validation errors (``[{"type", "loc", "msg", "ctx"?}]``) with each ``msg`` in Spanish («Debe ser
    menor o igual que 100.»); ``type``, ``loc`` and ``ctx`` are kept for programs."""
    said = []
    for error in errors:
        context = {name: str(value).replace("' or '", "' o '") for name, value in error.get("ctx", {}).items()}
        if error["type"] == "string_pattern_mismatch" and error["ctx"]["pattern"] in PATTERNS:
            message = PATTERNS[error["ctx"]["pattern"]]
        else:
            try:
                message = REFUSALS[error["type"]].format(**context)
            except KeyError:  # a kind not listed, or a context without the value its message names
                message = "Valor no válido."
        said.append({**error, "msg": message})
    return said


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
