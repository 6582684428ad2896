"""The version of the public content, for cache keys.

Two caching layers use it, and nothing else is kept between requests:

1. the page cache (``portal.middleware.PublicPageCacheMiddleware``) keys whole public pages on it;
2. Django's ``{% cache %}`` tag has it in its vary list (the ``content_version`` context variable
   comes from ``portal.context_processors.content``), and computed values kept in the cache
   (the census summary: ``migration.summary.load_summary``) have it in their key.

Design. The apps register the models public pages show (``portal.core.registry.register_public_models``).
Each keeps a history table (django-simple-history): every save, import, revert or delete through the ORM adds a row
there. For each history table the version holds

- the *high-water mark* of its ``history_id`` — the database's own counter behind the column
  (PostgreSQL: the identity sequence; SQLite: ``sqlite_sequence``, the columns are
  ``AUTOINCREMENT``). Unlike ``MAX(history_id)`` it does not go back when history rows are
  deleted (``clean_old_history``, ``clean_duplicate_history``), and on PostgreSQL not even when
  a transaction is rolled back;
- ``MAX(history_date)``: the time of the newest change. Time never goes back, so the version
  written inside a rolled-back transaction (SQLite restores its counter on rollback) or before a
  restore from backup (the counter comes back to the backup's value) is never written again:
  the next edit brings a new time.

and, for scheduled publication (``registry.Scheduled``), the date of the latest row that is due (the latest
practice whose publication time has come). One
query of indexed look-ups; no signals, no version row to bump, nothing to invalidate by hand.

What it guarantees: two moments with the same version show the same content. After a restore
the version is never that of an edit lost with the old database (the backup keeps times to the
millisecond, so it is usually a version never seen; at most the one the backup was taken at, with
exactly that content), and the first edit after it gives a new one. Changes that bypass the ORM (raw SQL,
``bulk_create`` without history) are not seen until the cached values expire
(``DJANGO_PAGE_CACHE_SECONDS``, ``DJANGO_FRAGMENT_CACHE_SECONDS``).
"""

import datetime
import hashlib
from functools import cache

from django.apps import apps
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .registry import PUBLIC_MODELS, SCHEDULED


def _high_water_mark(table: str) -> tuple[str, list]:
    """SQL (and its parameters) for the last value the database handed out for ``table``'s history_id."""
    if connection.vendor == "postgresql":
        return "(SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, 'history_id')))", [table]
    if connection.vendor == "sqlite":
        return "(SELECT seq FROM sqlite_sequence WHERE name = %s)", [table]
    raise NotImplementedError(f"content_version() supports SQLite and PostgreSQL, not {connection.vendor}")


NOW = object()  # in the query's parameters: the time it is read


@cache
def _version_query() -> tuple[str, tuple]:
    quote = connection.ops.quote_name
    parts, params = [], []
    for label in PUBLIC_MODELS:
        table = apps.get_model(label).history.model._meta.db_table
        counter, counter_params = _high_water_mark(table)
        # Identifiers come from model metadata and are quoted; values are parameters.
        parts += [counter, f"(SELECT MAX({quote('history_date')}) FROM {quote(table)})"]  # noqa: S608
        params += counter_params
    for scheduled in SCHEDULED:
        table = apps.get_model(scheduled.model)._meta.db_table
        conditions = [f"{quote(field)} = %s" for field in scheduled.filters]
        conditions.append(f"{quote(scheduled.date_field)} <= %s")
        parts.append(
            f"(SELECT MAX({quote(scheduled.date_field)}) FROM {quote(table)} "  # noqa: S608
            f"WHERE {' AND '.join(conditions)})"
        )
        params += [*scheduled.filters.values(), NOW]
    return "SELECT " + ", ".join(parts), tuple(params)


def _read_row() -> tuple:
    sql, params = _version_query()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(sql, [now if param is NOW else param for param in params])
        return cursor.fetchone()


def _version_of(row) -> str:
    # Short and opaque: it goes into cache keys (memcached takes at most 250 characters).
    return hashlib.blake2b(repr(row).encode(), digest_size=12).hexdigest()


def read_content_version() -> str:
    """The content version, read from the database now."""
    return _version_of(_read_row())


def content_version(request) -> str:
    """The content version, read once per request (page cache, ``{% cache %}`` keys and kept values agree)."""
    version = getattr(request, "content_version", None)
    if version is None:
        request.content_row = _read_row()
        version = request.content_version = _version_of(request.content_row)
    return version


def _as_datetime(value):
    # Raw SQL: PostgreSQL gives aware datetimes, SQLite the stored text (UTC).
    if isinstance(value, str):
        value = parse_datetime(value)
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.UTC)
    return value


def content_updated(request):
    """When the public content last changed (its newest change or due publication), from the same query
    as the version: None when nothing was ever recorded."""
    content_version(request)  # reads the row, once per request
    # The row alternates (history counter, newest history_date) per public model, then the latest due date of
    # each scheduled model.
    row, models = request.content_row, len(PUBLIC_MODELS)
    dates = [_as_datetime(value) for value in (*row[1 : 2 * models : 2], *row[2 * models :])]
    dates = [date for date in dates if date is not None]
    return max(dates) if dates else None
