"""Accent- and case-insensitive text matching on SQLite and PostgreSQL.

``Unaccent`` calls the database function UNACCENT: PostgreSQL's ``unaccent``
extension (enabled by a migration) or, on SQLite, the Python function that
``register_sqlite_functions`` adds to every new connection.
"""

import unicodedata

from django.db.models import CharField, Func
from django.db.models.functions import Lower


def fold(text: str) -> str:
    """'Apurímac' → 'apurimac': lower case, accents removed (ñ → n, as PostgreSQL's unaccent)."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(
        char
        for char in decomposed
        if not unicodedata.combining(char) and unicodedata.category(char) != "Cc"  # no NUL or control characters
    ).lower()


class Unaccent(Func):
    function = "UNACCENT"
    output_field = CharField()


def folded(field: str):
    """Expression: the field in lower case without accents, to compare with ``fold(query)``."""
    return Lower(Unaccent(field))


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "UNACCENT", 1, lambda value: None if value is None else fold(value), deterministic=True
        )


def search_terms(query: str) -> list[str]:
    """The folded words of a visitor's query (at most 8 words of at most 50 characters)."""
    return [word[:50] for word in fold(query).split()[:8]]


def matching(queryset, query: str, fields: list[str], extra=None):
    """Rows where every word of ``query`` appears in one of ``fields`` (accent- and case-insensitive).

    ``extra(word)`` may add another condition per word (e.g. an ``Exists`` over a relation).
    """
    from django.db.models import Q

    annotations = {f"_folded_{index}": folded(field) for index, field in enumerate(fields)}
    condition = Q()
    for word in search_terms(query):
        any_field = Q()
        for name in annotations:
            any_field |= Q(**{f"{name}__contains": word})
        if extra is not None:
            any_field |= extra(word)
        condition &= any_field
    return queryset.annotate(**annotations).filter(condition)
