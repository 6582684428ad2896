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
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


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
