"""Accent- and case-insensitive text matching on SQLite and PostgreSQL, and the site search's ranking.

``Unaccent`` calls the database function UNACCENT: PostgreSQL's ``unaccent``
extension (enabled by a migration) or, on SQLite, the Python function that
``register_sqlite_functions`` adds to every new connection.

- ``matching``: a filter — every word of the query in one of the fields (the catalogue's ``?q=``, the admin).
- ``ranked``: the site search (``/buscar/``) — any word, best first, forgiving typos. On PostgreSQL, full-text
  search (``SearchVector``/``SearchRank``, Spanish or English stemming by field) plus trigram similarity of the
  names (``pg_trgm``, enabled by a migration: «cajamrca» finds Cajamarca); on SQLite, the closest it offers: each
  word found inside a field (a name counts more than a text), and a word found nowhere is replaced by the closest
  words of the names (``difflib``, over the few names there are).
"""

import difflib
import re
import string
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Case, CharField, F, FloatField, Func, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, Greatest, Lower


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


def search_terms(query: str, limit: int | None = 8) -> list[str]:
    """The folded words of a visitor's query, without the punctuation around them («(Minag)» is «minag»): at most
    ``limit`` words of at most 50 characters."""
    words = (word.strip(PUNCTUATION) for word in fold(query).split())
    return [word[:50] for word in words if word][:limit]


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


#: A word of the query that is in no name is compared with the names' words: those at least this close
#: (difflib's ratio; «cajamrca» is 0.94 from «cajamarca», «lima» 0.67 from «lama») stand in for it.
CLOSE_WORD = 0.8
#: PostgreSQL: the least trigram word similarity (pg_trgm) of a query word to a name for the name to count.
CLOSE_TRIGRAMS = 0.5
NAME_WEIGHT, TEXT_WEIGHT = 3, 1  # a word in a name counts three times a word in a longer text


def english(field: str) -> bool:
    """Fields ending in ``_en`` hold the English version of a text (stemmed as English on PostgreSQL)."""
    return field.endswith("_en")


def close_words(word: str, vocabulary: set[str]) -> list[str]:
    """``word``, and — when no word of ``vocabulary`` contains it — the vocabulary's words closest to it (a typo of
    a name: «cajamrca» → «cajamarca»; the word itself is still looked for in the texts)."""
    if any(word in known for known in vocabulary):
        return [word]
    return [word, *difflib.get_close_matches(word, vocabulary, n=3, cutoff=CLOSE_WORD)]


def vocabulary_of(queryset, fields: Iterable[str]) -> set[str]:
    """The folded words of ``fields`` over every row of ``queryset`` (names: a few hundred words at most)."""
    words = set()
    for values in queryset.values_list(*fields):
        for value in values:
            words.update(search_terms(value or "", limit=None))
    return words


def ranked(queryset, query: str, names: list[str], texts: list[str] = (), extra=None):
    """Rows of ``queryset`` where any word of ``query`` is found, best first (``search_rank``, a number).

    ``names``: short fields (name, title, acronym), where a word counts most and a typo is forgiven; ``texts``:
    longer ones (summary, body). Fields ending in ``_en`` are the English versions (a view passes them on English
    pages). ``extra(word)`` may add a condition per word (an ``Exists`` over a relation), counted as a text.
    """
    words = search_terms(query)
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        return _ranked_postgresql(queryset, words, names, texts, extra)
    return _ranked_by_matches(queryset, words, names, texts, extra)


def _word_found(word_forms: list[str], annotations: list[str]) -> Q:
    condition = Q()
    for form in word_forms:
        for name in annotations:
            condition |= Q(**{f"{name}__contains": form})
    return condition


def _ranked_by_matches(queryset, words, names, texts, extra):
    """SQLite: each word found in a name scores 3, in a text 1; a typo becomes the closest words of the names."""
    vocabulary = vocabulary_of(queryset, names)
    name_fields = {f"_name_{index}": folded(field) for index, field in enumerate(names)}
    text_fields = {f"_text_{index}": folded(field) for index, field in enumerate(texts)}
    score, found = Value(0), Q()
    for word in words:
        forms = close_words(word, vocabulary)
        in_name, in_text = _word_found(forms, name_fields), _word_found(forms, text_fields)
        if extra is not None:
            for form in forms:
                in_text |= extra(form)
        scores = [(in_name, NAME_WEIGHT), (in_text, TEXT_WEIGHT)]
        whens = [When(condition, then=Value(weight)) for condition, weight in scores if condition]
        word_score = Case(*whens, default=Value(0), output_field=IntegerField())
        score = score + word_score
        found |= in_name | in_text
    return (
        queryset.annotate(**name_fields, **text_fields)
        .filter(found)
        .annotate(search_rank=score)
        .order_by("-search_rank", *queryset.query.order_by or queryset.model._meta.ordering)
    )


def _ranked_postgresql(queryset, words, names, texts, extra):
    """PostgreSQL: full-text rank (Spanish and English stemming, names weighted A, texts B) plus the trigram
    similarity of each word to the closest name; a row counts when the full-text query or a close name matches
    (or a word is inside a field, as ``matching`` finds it: «credit» inside «crédito»)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity

    def vector(fields, config, weight):
        return [SearchVector(Unaccent(field), config=config, weight=weight) for field in fields]

    rank, matched = Value(0.0, output_field=FloatField()), Q()
    for config, chosen in (("spanish", lambda f: not english(f)), ("english", english)):
        parts = vector(filter(chosen, names), config, "A") + vector(filter(chosen, texts), config, "B")
        if not parts:
            continue
        document = parts[0]
        for part in parts[1:]:
            document = document + part
        search = SearchQuery(words[0], config=config)
        for word in words[1:]:
            search = search | SearchQuery(word, config=config)
        name = f"_document_{config}"
        queryset = queryset.annotate(**{name: document})
        rank = rank + SearchRank(F(name), search, weights=[0.1, 0.2, 0.4, 1.0])
        matched |= Q(**{name: search})
    similarities = {}
    for index, word in enumerate(words):
        closest = [TrigramWordSimilarity(word, Unaccent(field)) for field in names]
        similarities[f"_similarity_{index}"] = Coalesce(Greatest(*closest) if len(closest) > 1 else closest[0], 0.0)
    queryset = queryset.annotate(**similarities)
    similarity = Value(0.0, output_field=FloatField())
    for name in similarities:
        similarity = similarity + F(name)
        matched |= Q(**{f"{name}__gte": CLOSE_TRIGRAMS})
    inside = {f"_inside_{index}": folded(field) for index, field in enumerate([*names, *texts])}
    for word in words:
        matched |= _word_found([word], inside)
        if extra is not None:
            matched |= extra(word)
    return (
        queryset.annotate(**inside)
        .filter(matched)
        .annotate(search_rank=rank * 10 + similarity)
        .order_by("-search_rank", *queryset.query.order_by or queryset.model._meta.ordering)
    )


@dataclass(frozen=True)
class SearchGroup:
    """One kind of result of the site search (``/buscar/``), as an app offers it (``migration/search.py``,
    ``practices/search.py``): ``find(query)`` gives the matching objects, best first; each is drawn with
    ``template`` (given ``item``; by default a link to ``item.get_absolute_url`` named by its title or name)."""

    label: str  # lazy: the group's heading
    kind: str  # the heading's id: resultados-<kind>
    find: Callable[[str], list]
    template: str = "includes/search_result.html"
