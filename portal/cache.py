"""The version of the public content, for cache keys.

It changes whenever anything editors can change is saved, imported, reverted or
deleted (every such model keeps a history table, and each change adds a row
there), and whenever a scheduled practice's publication time comes. One cheap
query of indexed maxima; no signals, nothing to invalidate by hand.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, partial, wraps

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone


@cache
def _version_sql() -> str:
    quote = connection.ops.quote_name
    parts = []
    for model in apps.get_models():
        is_history = hasattr(model, "instance_type") and any(f.name == "history_id" for f in model._meta.fields)
        if is_history and model._meta.app_label in {"migration", "practices", "portal"}:
            # Identifiers come from model metadata and are quoted; values are parameters.
            parts.append(f"(SELECT MAX({quote('history_id')}) FROM {quote(model._meta.db_table)})")  # noqa: S608
    practice = apps.get_model("practices", "Practice")
    parts.append(
        f"(SELECT MAX({quote('published_at')}) FROM {quote(practice._meta.db_table)} "  # noqa: S608
        f"WHERE {quote('status')} = %s AND {quote('published_at')} <= %s)"
    )
    return "SELECT " + ", ".join(parts)


def content_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(), ["published", timezone.now()])
        row = cursor.fetchone()
    return "-".join("" if value is None else str(value) for value in row).replace(" ", "_")


# Within one GET request the version is read once, lazily (page cache, memoised data and cached
# fragments all use the same value). Writes (POST…) get no scope: they always read it afresh.
_UNKNOWN = object()
_request_version: ContextVar = ContextVar("content_version", default=None)


@contextmanager
def version_scope():
    if _request_version.get() is not None:  # already in one (HTTP cache middleware, then page cache)
        yield
        return
    token = _request_version.set([_UNKNOWN])
    try:
        yield
    finally:
        _request_version.reset(token)


def current_version() -> str:
    """``content_version()``, read at most once per request."""
    scope = _request_version.get()
    if scope is None:
        return content_version()
    if scope[0] is _UNKNOWN:
        scope[0] = content_version()
    return scope[0]


_memo: dict[tuple, tuple[str, float, object]] = {}


def per_content_version(func):
    """Keep what ``func`` computes from the published content until the content changes.

    For pure functions of the stored content (the census summary, the filter choices): the
    result is kept per process, keyed on the arguments (which must be few and validated)
    and on ``current_version()``, so an edit shows on the next request, on every server.
    Entries are also dropped after ``settings.FRAGMENT_CACHE_SECONDS`` (data changed outside
    the admin, e.g. by a restore, shows by then; 0 turns this off). Results are shared: treat
    them as read-only.
    """

    @wraps(func)
    def wrapper(*args):
        return kept_for_content((func.__module__, func.__qualname__, *args), partial(func, *args))

    return wrapper


def kept_for_content(key: tuple, compute):
    """``compute()``, kept per process under ``key`` for the current content version (see above)."""
    if not settings.FRAGMENT_CACHE_SECONDS:
        return compute()
    version, now = current_version(), time.monotonic()
    entry = _memo.get(key)
    if entry is not None and entry[0] == version and entry[1] > now:
        return entry[2]
    value = compute()
    _memo[key] = (version, now + settings.FRAGMENT_CACHE_SECONDS, value)
    return value


class LocalFragments:
    """A small per-process store of drawn page parts, in front of the shared cache (keys hold the version)."""

    def __init__(self, size: int = 256):
        self.size, self.entries = size, {}

    def get(self, key):
        entry = self.entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def set(self, key, html, seconds):
        if len(self.entries) >= self.size:
            self.entries.clear()  # simple and bounded; a miss costs one shared-cache read
        self.entries[key] = (time.monotonic() + seconds, html)


local_fragments = LocalFragments()


def clear_local_caches() -> None:
    """Forget what this process keeps (tests: a rolled-back transaction can reuse a content version)."""
    _memo.clear()
    local_fragments.entries.clear()
