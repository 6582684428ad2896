"""Accent- and case-insensitive text matching on SQLite and PostgreSQL.

``Unaccent`` calls the database function UNACCENT: PostgreSQL's ``unaccent``
extension (enabled by a migration) or, on SQLite, the Python function that
``register_sqlite_functions`` adds to every new connection.
"""

import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, Func
from django.db.models.functions import Lower


def _removed(char: str) -> bool:
    """Accents and other combining marks; NUL and other control characters."""
    return bool(unicodedata.combining(char)) or unicodedata.category(char) == "Cc"


# The same test as one regular expression for the Basic Multilingual Plane (SQLite calls fold() for
# every searched text of every row: this is several times faster than testing character by character).
_REMOVED_BMP = re.compile("[" + "".join(re.escape(chr(code)) for code in range(0x10000) if _removed(chr(code))) + "]")


def fold(text: str) -> str:
    """'Apurímac' → 'apurimac': lower case, accents removed (ñ → n, as PostgreSQL's unaccent)."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    if decomposed.isascii() or max(decomposed) <= "\uffff":
        return _REMOVED_BMP.sub("", decomposed).lower()
    return "".join(char for char in decomposed if not _removed(char)).lower()


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


PUNCTUATION = string.punctuation + "«»¿¡“”‘’…–—"


def search_terms(query: str) -> list[str]:
    """The folded words of a visitor's query, without the punctuation around them («(Minag)» is «minag»): at most
    8 words of at most 50 characters."""
    words = (word.strip(PUNCTUATION) for word in fold(query).split())
    return [word[:50] for word in words if word][:8]


def matching(queryset, query: str, fields: list[str], extra=None):
    """Rows where every word of ``query`` appears in one of ``fields`` (accent- and case-insensitive).

    ``extra(word)`` may add another condition per word (e.g. an ``Exists`` over a relation).
    """
    from django.db.models import Q

    words = search_terms(query)
    if not words:  # only punctuation: nothing to look for
        return queryset.none()
    annotations = {f"_folded_{index}": folded(field) for index, field in enumerate(fields)}
    condition = Q()
    for word in words:
        any_field = Q()
        for name in annotations:
            any_field |= Q(**{f"{name}__contains": word})
        if extra is not None:
            any_field |= extra(word)
        condition &= any_field
    return queryset.annotate(**annotations).filter(condition)


@dataclass(frozen=True)
class SearchGroup:
    """One kind of result of the site search (``/buscar/``), as an app offers it (``migration/search.py``,
    ``practices/search.py``): ``find(query)`` gives the matching objects, best first; each is drawn with
    ``template`` (given ``item``; by default a link to ``item.get_absolute_url`` named by its title or name)."""

    label: str  # lazy: the group's heading
    kind: str  # the heading's id: resultados-<kind>
    find: Callable[[str], list]
    template: str = "includes/search_result.html"
