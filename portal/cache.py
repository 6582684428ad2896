"""The version of the public content, for cache keys.

It changes whenever anything editors can change is saved, imported, reverted or
deleted (every such model keeps a history table, and each change adds a row
there), and whenever a scheduled practice's publication time comes. One cheap
query of indexed maxima; no signals, nothing to invalidate by hand.
"""

from functools import cache

from django.apps import apps
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
