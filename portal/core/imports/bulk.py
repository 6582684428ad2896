"""Writing an import in a few queries, its history included (django-simple-history).

``save_with_history`` writes new rows with one ``bulk_create`` and changed rows with one ``UPDATE`` statement
sent for all of them (``update_rows``: ``executemany``; Django's ``bulk_update`` builds a ``CASE WHEN`` per row
and field, over a second of CPU for 2,000 rows, ``scripts/benchmark.py --modes imports``), then
their many-to-many links, then one history record per row with ``bulk_history_create`` — the manager method
behind simple-history's ``bulk_create_with_history`` and ``bulk_update_with_history`` — and, for models that
keep the history of a many-to-many field (``HistoricalRecords(m2m_fields=…)``), each record's links as
simple-history keeps them (simple-history itself only does that one row at a time, on ``save()``).

Every record carries the editor and the reason («Importación de cifras.csv»), so the history pages and the
content version (``portal.core.cache``, which reads the history tables' counters) see an import as any edit.
"""

from django.db import connections, models, router, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords


def _m2m_history_model(model, field):
    """simple-history's model of the links of ``field`` in each historical record, or None."""
    return HistoricalRecords.m2m_models.get(field) if field in model.history.model._history_m2m_fields else None


def save_with_history(
    model, created: list, updated: list, fields: list[str], links: dict, *, user=None, reason: str = ""
) -> None:
    """Write ``created`` (new instances) and ``updated`` (their changed ``fields``), set their many-to-many
    ``links`` ({id(instance): {field name: [related objects]}}; instances absent keep their links) and record one
    history row per instance. All or nothing: the caller's transaction (an import's) holds it."""
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        manager = model._default_manager
        if created:
            manager.bulk_create(created)
        if updated:
            auto_now = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
            for instance in updated:
                for field in auto_now:
                    setattr(instance, field.attname, now)
            names = list(dict.fromkeys([*fields, *(field.name for field in auto_now)]))
            if names:
                update_rows(model, updated, names)
        written = [*created, *updated]
        for field in model._meta.many_to_many:
            wanted = {
                instance: links[id(instance)][field.name]
                for instance in written
                if field.name in links.get(id(instance), {})
            }
            if wanted:
                _set_links(field, wanted)
        history = model.history
        records = []
        if created:
            records += history.bulk_history_create(
                created, default_user=user, default_change_reason=reason, default_date=now
            )
        if updated:
            records += history.bulk_history_create(
                updated, update=True, default_user=user, default_change_reason=reason, default_date=now
            )
        for field in model._meta.many_to_many:
            history_model = _m2m_history_model(model, field)
            if history_model is not None and records:
                _record_links(field, history_model, records)


def update_rows(model, instances: list, names: list[str]) -> None:
    """``UPDATE … SET <names> WHERE pk = …`` for each instance, sent in one ``executemany``; values prepared by
    each field as ``save()`` prepares them (no ``pre_save``: ``save_with_history`` sets ``auto_now`` fields)."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    opts = model._meta
    fields = [opts.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    # Identifiers come from the model's metadata, quoted; every value is a parameter.
    sql = f"UPDATE {quote(opts.db_table)} SET {assignments} WHERE {quote(opts.pk.column)} = %s"  # noqa: S608
    rows = [
        [field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields]
        + [opts.pk.get_db_prep_save(instance.pk, connection)]
        for instance in instances
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _set_links(field: models.ManyToManyField, wanted: dict) -> None:
    """The through rows of ``field`` for each instance become exactly ``wanted[instance]``: one delete and one
    insert for all instances."""
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    source_id, target_id = f"{source}_id", f"{target}_id"
    current = {}
    rows = through.objects.filter(**{f"{source}__in": [instance.pk for instance in wanted]})
    for source_pk, target_pk in rows.values_list(source_id, target_id):
        current.setdefault(source_pk, set()).add(target_pk)
    stale, new = [], []
    for instance, objects in wanted.items():
        want = {obj.pk for obj in objects}
        have = current.get(instance.pk, set())
        if want != have:
            stale.append(instance.pk)
            new += [through(**{source_id: instance.pk, target_id: pk}) for pk in sorted(want)]
    if stale:
        through.objects.filter(**{f"{source}__in": stale}).delete()
        through.objects.bulk_create(new)


def _record_links(field, history_model, records) -> None:
    """Each history record gets the links its instance has now, as simple-history's own records do."""
    through = field.remote_field.through
    source = field.m2m_field_name()
    names = [f.attname for f in through._meta.fields]  # ids only: no related object read
    by_instance = {}
    rows = through.objects.filter(**{f"{source}__in": {record.id for record in records}}).values(*names)
    for row in rows:
        by_instance.setdefault(row[f"{source}_id"], []).append(row)
    history_model.objects.bulk_create(
        [history_model(history=record, **row) for record in records for row in by_instance.get(record.id, [])]
    )
