"""The stored rows an import touches: read in one query, locked at confirmation, compared with the preview
(a mixin of ``SpreadsheetModelResource``, and the library's instance loader that reads from it).

A preview records what it saw of each stored row of the file: the id of its newest history record
(django-simple-history). The confirmation locks those rows (PostgreSQL: ``SELECT … FOR UPDATE``; another
confirmation of the same rows waits for this one), reads their newest records again and refuses the file if a
row was created, changed or deleted since, naming who did it, when and which fields — as a refused admin save
does (``portal.core.admin_history``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import widgets
from import_export.instance_loaders import BaseInstanceLoader

from portal.core.admin_history import changed_fields, who

from .widgets import CodeWidget

#: Rows another editor changed since the preview that a refused confirmation names (and how many more).
CHANGES_NAMED = 5


def _key_part(value):
    return value.pk if isinstance(value, models.Model) else value


class PreloadedInstanceLoader(BaseInstanceLoader):
    """The stored row of each spreadsheet row, from the one query ``before_import`` made for the whole file."""

    def get_instance(self, row):
        return self.resource.existing_instance(row)


class StoredRowsMixin:
    """For a resource constructed with ``seen_versions`` at confirmation (None at preview)."""

    @property
    def confirming(self) -> bool:
        """A confirmation (constructed with what its preview saw), not a preview."""
        return self.seen_versions is not None

    def row_key(self, row) -> tuple | None:
        """The row's key values (pks for related rows), or None when a key cell cannot be read."""
        try:
            return tuple(_key_part(self.fields[name].clean(row)) for name in self.get_import_id_fields())
        except (ValueError, ValidationError, KeyError):
            return None

    def key_attnames(self) -> list[str]:
        opts = self._meta.model._meta
        return [opts.get_field(self.fields[name].attribute).attname for name in self.get_import_id_fields()]

    def load_existing(self, dataset) -> None:
        """Every stored row the file names, read in one query (locked until the import ends, at confirmation),
        with their many-to-many values; and what the preview saw of them (their newest history records)."""
        keys = [self.row_key(row) for row in dataset.dict]
        attnames = self.key_attnames()
        self.first_line_of_key = {}
        for line, key in zip(self.lines, keys, strict=False):
            if key is not None:
                self.first_line_of_key.setdefault(key, line)
        queryset = self.get_queryset()
        for position, attname in enumerate(attnames):
            queryset = queryset.filter(**{f"{attname}__in": {key[position] for key in keys if key is not None}})
        fields = self.importable_fields()
        related = [field.attribute for field in fields if isinstance(field.widget, CodeWidget)]
        m2m = [field for field in fields if isinstance(field.widget, widgets.ManyToManyWidget)]
        queryset = queryset.select_related(*related).prefetch_related(*(field.attribute for field in m2m))
        if self.confirming:
            queryset = queryset.select_for_update(of=("self",))  # another confirmation of these rows waits for this one
        wanted = set(keys)
        self.existing = {}
        for instance in queryset if any(key is not None for key in keys) else []:
            key = tuple(getattr(instance, attname) for attname in attnames)
            if key in wanted:
                self.existing[key] = instance
        for field in m2m:  # kept apart: the library's copy of each row (deepcopy) drops prefetched values
            field.widget.stored = {
                instance.pk: list(getattr(instance, field.attribute).all()) for instance in self.existing.values()
            }
        self.versions = self.history_versions([instance.pk for instance in self.existing.values()])

    def history_versions(self, pks) -> dict[str, int]:
        """{pk: id of its newest history record} for the given rows."""
        if not pks:
            return {}
        rows = self._meta.model.history.filter(id__in=pks).values("id").annotate(newest=Max("history_id")).order_by()
        return {str(row["id"]): row["newest"] for row in rows}

    def existing_instance(self, row):
        key = self.row_key(row)
        return None if key is None else self.existing.get(key)

    def check_unchanged_since_preview(self) -> None:
        """At confirmation: refused, naming who changed what and when, if a row of the file was created, changed
        or deleted since the preview (by another editor, an import or this editor in another tab)."""
        seen = {str(pk): version for pk, version in self.seen_versions.items()}
        rows = set(seen) | {str(instance.pk) for instance in self.existing.values()}
        now = self.history_versions(rows)
        line = {str(instance.pk): self.first_line_of_key.get(key, 0) for key, instance in self.existing.items()}
        changed = sorted((pk for pk in rows if seen.get(pk) != now.get(pk)), key=lambda pk: (line.get(pk, 0), pk))
        if not changed:
            return
        history = self._meta.model.history
        newest = {}
        records = history.filter(id__in=changed).select_related("history_user").order_by("id", "-history_id")
        for record in records:
            newest.setdefault(str(record.id), record)
        lines = []
        for pk in changed[:CHANGES_NAMED]:
            record = newest.get(pk)
            if record is None:
                continue
            # As a refused admin save says it (portal.core.admin_history): who, when, which fields.
            lines.append(
                _("«%(row)s»: %(who)s, el %(when)s%(how)s: %(fields)s.")
                % {
                    "row": str(record.instance),
                    "who": who(record),
                    "when": date_format(timezone.localtime(record.history_date), "SHORT_DATETIME_FORMAT"),
                    "how": f" ({record.history_change_reason})" if record.history_change_reason else "",
                    "fields": ", ".join(changed_fields(record)),
                }
            )
        more = len(changed) - len(lines)
        message = ngettext(
            "No se importó nada: desde su vista previa, %(count)s fila de este archivo cambió en el portal.",
            "No se importó nada: desde su vista previa, %(count)s filas de este archivo cambiaron en el portal.",
            len(changed),
        ) % {"count": len(changed)}
        closing = _("Suba el archivo otra vez para ver la vista previa con los datos de ahora.")
        if more > 0 and lines:
            closing = (
                ngettext("Y %(count)s fila más.", "Y %(count)s filas más.", more) % {"count": more} + " " + closing
            )
        raise ValidationError([message, *lines, closing], code="changed")
