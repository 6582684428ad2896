"""Editors' spreadsheets as django-import-export resources: the sheet as it comes, read in a few queries.

``SpreadsheetModelResource`` extends the library's ``ModelResource`` through its hooks:

- ``before_import`` finds the table in the file (``sheets``: header below titles, Spanish names in any order,
  notes, empty and total rows), names every missing column at once, checks total rows against the sum of the
  rows, reads every existing row of the file in one query (``PreloadedInstanceLoader``) and, at confirmation,
  refuses a file whose rows another editor changed since the preview (``check_unchanged_since_preview``).
- Each row: its key cells' errors and its other cells' errors together, a key written twice in the file, a
  many-to-many cell checked with the others, «Omitido» when every cell reads as what is stored.
- ``use_bulk``: rows are written with one insert and one update per import, with their history
  (``bulk.save_with_history``), in the import's transaction: all rows or none.

Each app declares its resources (``migration/resources.py``, ``practices/resources.py``) with ``Column`` fields:
the column's name in the files the portal writes, the other names it is known by, what it holds in Spanish.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, models
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader

from portal.core.admin_history import changed_fields, who
from portal.core.exports import SpreadsheetSafeResource
from portal.core.numbers import NumberNotRead, format_int, read_number

from .bulk import save_with_history
from .formats import SpreadsheetError
from .sheets import (
    DATA,
    NOTE,
    OUTSIDE,
    PART,
    TOTAL,
    Header,
    Sheet,
    SheetColumn,
    column_letter,
    find_header,
    row_kind,
    text_key,
)
from .validation import check_constraints
from .widgets import CodeWidget, WholeNumberWidget, plain

#: Rows of data an import takes (notes, totals and the other rows of INEI's tables not counted): preview and
#: confirmation of this many rows each take a few seconds on PostgreSQL (``scripts/benchmark.py --modes imports``).
MAX_ROWS = 2_000
#: Rows another editor changed since the preview that a refused confirmation names (and how many more).
CHANGES_NAMED = 5


class Column(fields.Field):
    """A column of an editors' spreadsheet (a django-import-export ``Field``).

    ``column_name``: its name in the files the portal writes (and reads first); ``headers``: other names it is
    known by (Spanish, with accents, INEI's); ``label``: what it holds, in Spanish (default: the model field's
    verbose name); ``required``: a file without it is refused (default: a key, or a field new rows cannot do
    without; a file whose rows all exist already may leave other columns out: they are not changed);
    ``from_form``: the import page offers its value for a file without the column (the census of every row)."""

    def __init__(self, *args, headers=(), label=None, required=None, from_form=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = tuple(headers)
        self.label = label
        self.required = required
        self.from_form = from_form


def changed_cells(before: list | None, after: list, grouped: list[bool]) -> list[str]:
    """The preview's cells of a row: each changed cell as its old value struck out and its new value, whole (not
    digit by digit as the library's diff), without inline styles (the admin runs under a strict CSP: admin.css
    colours them); whole numbers of count columns written 1,387,809 (only shown so: what is imported is the
    file's value). ``before`` is None for a new row."""
    cells = []
    for position, (new, is_grouped) in enumerate(zip(after, grouped, strict=True)):
        old = shown_value(before[position], is_grouped) if before is not None else ""
        new = shown_value(new, is_grouped)
        if old == new:
            cells.append(escape(new))
        elif not old:
            cells.append(format_html("<ins>{}</ins>", new))
        else:
            cells.append(format_html("<del>{}</del> <ins>{}</ins>", old, new))
    return cells


def shown_value(value, grouped: bool) -> str:
    """A cell as the preview shows it: whole numbers of count columns as the public site writes them."""
    text = str(value if value is not None else "")
    if grouped and text.lstrip("-").isdigit():
        return format_int(text)
    return text


class PreloadedInstanceLoader(BaseInstanceLoader):
    """The stored row of each spreadsheet row, from the one query ``before_import`` made for the whole file."""

    def get_instance(self, row):
        return self.resource.existing_instance(row)


def _comparable(value) -> str:
    return str(value if value is not None else "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _key_part(value):
    return value.pk if isinstance(value, models.Model) else value


class SpreadsheetModelResource(SpreadsheetSafeResource, resources.ModelResource):
    """An editors' spreadsheet of a model: the table found wherever it sits in the sheet, safe text cells,
    errors on their cells, model validation on every row, all rows or none, written in bulk with history.
    Subclasses declare ``Column`` fields and ``Meta.model``, ``fields``, ``import_id_fields``.

    Constructed with ``defaults`` ({field name: value} for columns the file lacks, from the import page) and,
    at confirmation, ``seen_versions`` (what the preview saw: {pk: newest history id})."""

    #: Sheet names to prefer in a workbook (INEI's «MIG01»); otherwise the sheet that names the most columns.
    sheet_names: tuple[str, ...] = ()
    #: Whether the preview writes the rows too (and rolls them back): for a resource whose ``after_import`` reads
    #: the database to check the rows together (a census's total). Otherwise the preview only validates them —
    #: every check a write would make is made on each row — and costs a third less.
    write_in_preview = False

    def __init__(self, defaults=None, seen_versions=None, **kwargs):
        super().__init__(**kwargs)
        self.defaults = dict(defaults or {})
        self.seen_versions = seen_versions
        self.dry_run = True
        self.user = None
        self.reason = ""
        self.lines: list[int] = []
        self.sheet_info: dict = {}
        self.existing: dict = {}
        self.versions: dict[str, int] = {}
        self.first_line_of_key: dict = {}
        self.row_number = 0
        self.links: dict[int, dict] = {}
        self.changed: dict[int, set[str]] = {}
        self.before: list | None = None
        self.after: list | None = None
        self.current_instance = None
        self.missing_columns: list = []

    # Columns ---------------------------------------------------------------------------------------------------

    @classmethod
    def label_of(cls, name: str) -> str:
        field = cls.fields[name]
        label = getattr(field, "label", None)
        if label is None:
            label = cls._meta.model._meta.get_field(field.attribute.split("__")[0]).verbose_name
        return capfirst(str(label))

    @classmethod
    def column_label(cls, name: str) -> str:
        """«Población censada («poblacion»)»: what the column holds, in Spanish, and its name in the spreadsheet."""
        return f"{cls.label_of(name)} («{cls.fields[name].column_name}»)"

    @classmethod
    def column_labels_in_order(cls) -> list[str]:
        return [cls.column_label(name) for name in cls().get_export_order()]

    def get_import_fields(self):
        """The library's list, made once per import (it is asked for several times per row)."""
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def importable_fields(self) -> list:
        return [field for field in self.get_import_fields() if not field.readonly and field.attribute]

    def field_name(self, field) -> str:
        return next(name for name, candidate in self.fields.items() if candidate is field)

    def is_required(self, field) -> bool:
        """Whether a file must have the column: its ``required``, else a key, else what a new row needs."""
        if getattr(field, "required", None) is not None:
            return field.required
        if self.field_name(field) in self.get_import_id_fields():
            return True
        if isinstance(field.widget, widgets.ManyToManyWidget):
            return bool(getattr(field.widget, "required", False))
        model_field = self._meta.model._meta.get_field(field.attribute)
        return not model_field.blank and not model_field.has_default() and not getattr(model_field, "auto_now", False)

    def sheet_columns(self) -> list[SheetColumn]:
        """The columns to look for in a sheet: each with every name it is known by."""
        keys = set(self.get_import_id_fields())
        columns = []
        for field in self.importable_fields():
            name = self.field_name(field)
            label = self.label_of(name)
            names = dict.fromkeys(
                key for key in (text_key(field.column_name), text_key(label), *map(text_key, field.headers)) if key
            )
            columns.append(
                SheetColumn(
                    name=name,
                    names=tuple(names),
                    label=f"{label} («{field.column_name}»)",
                    required=self.is_required(field),
                    key=name in keys,
                    counted=isinstance(field.widget, WholeNumberWidget) and field.widget.grouped,
                    prefix=isinstance(field.widget, CodeWidget) and bool(field.widget.lookup.name_fields),
                )
            )
        return columns

    @classmethod
    def accepted_names(cls) -> list[dict]:
        """For the import page: each column with its Spanish label, its spreadsheet name, the other names it is
        known by, and whether a file must have it."""
        resource = cls()
        return [
            {
                "label": resource.label_of(resource.field_name(field)),
                "column": field.column_name,
                "other_names": [str(name) for name in field.headers],
                "required": resource.is_required(field),
                "from_form": getattr(field, "from_form", False),
            }
            for field in resource.importable_fields()
        ]

    # Reading the sheet -----------------------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        """The table found in the file replaces the dataset's rows; the file's stored rows are read in one query.
        A fault of the whole file empties the dataset (no row is read) and is reported once, at the top."""
        super().before_import(dataset, **kwargs)
        self.user = kwargs.get("user")
        self.reason = _("Importación de «%(file)s»") % {"file": kwargs.get("file_name") or _("hoja de cálculo")}
        try:
            header = self.read_table(dataset)
            self.load_existing(dataset)
            if self.missing_columns and len(self.existing) < len(dataset):  # some rows are new: they need them
                raise ValidationError(self.missing_message(self.missing_columns, header))
            if self.confirming:
                self.check_unchanged_since_preview()
        except (ValidationError, SpreadsheetError) as error:
            dataset.wipe()
            raise error if isinstance(error, ValidationError) else ValidationError(str(error)) from None

    def choose_sheet(self, sheets: list[Sheet], columns: list[SheetColumn]):
        """The sheet and header to read: a sheet named in ``sheet_names`` first, else the one whose header names
        the most columns (the first such)."""
        found = []
        keys = {column.name for column in columns if column.key}
        for sheet in sheets:
            header = find_header(sheet, columns)
            if header is not None:
                preferred = text_key(sheet.title) in {text_key(name) for name in self.sheet_names}
                rank = (preferred, len(keys & set(header.columns)), len(header.columns), len(sheet.rows))
                found.append((rank, sheet, header))
        if not found:
            return None, None
        best = max(rank for rank, _sheet, _header in found)
        return next((sheet, header) for rank, sheet, header in found if rank == best)

    def classify_row(self, row: list, header, columns: list[SheetColumn]) -> str:
        """Hook: what a row under the header is (``sheets.DATA``, ``NOTE``, ``TOTAL``, ``BLANK``)."""
        return row_kind(row, header, columns)

    def read_table(self, dataset):
        """Replace the dataset's rows by the table found in the file; the header found, or ValidationError."""
        sheets = getattr(dataset, "sheets", None)
        if sheets is None:  # a dataset made in code, with its headers
            sheets = [Sheet("", [list(dataset.headers or []), *[list(row) for row in dataset]])]
        columns = self.sheet_columns()
        sheet, header = self.choose_sheet(sheets, columns)
        if header is None:
            examples = ", ".join(column.names[0] for column in columns if column.required)
            raise ValidationError(
                _(
                    "No se encontró la fila con los nombres de las columnas. El archivo necesita una fila con "
                    "estos nombres (en cualquier orden, con o sin tildes): %(columns)s."
                )
                % {"columns": examples}
            )
        errors = []
        for name, indexes in header.repeated.items():
            errors.append(
                _("La columna «%(column)s» está dos veces (columnas %(letters)s): deje solo una.")
                % {
                    "column": self.fields[name].column_name,
                    "letters": " y ".join(column_letter(index) for index in indexes),
                }
            )
        missing = [
            column
            for column in columns
            if column.required and column.name not in header.columns and column.name not in self.defaults
        ]
        # Keys (and columns declared required) are needed by every row; the others only by new rows.
        always = [column for column in missing if column.key or getattr(self.fields[column.name], "required", None)]
        if always:
            errors.append(self.missing_message(missing, header))
        if errors:
            raise ValidationError(errors)
        self.missing_columns = missing
        by_name = {column.name: column for column in columns}
        found = list(header.columns)
        defaults = [name for name in self.defaults if name not in header.columns and name in by_name]
        table, lines, totals, notes, parts, outside = [], [], [], [], [], []
        for index in range(header.data_start, len(sheet.rows)):
            row = sheet.rows[index]
            kind = self.classify_row(row, header, columns)
            values = [row[header.columns[name]] if header.columns[name] < len(row) else None for name in found]
            if kind == DATA:
                table.append(values)
                lines.append(index + 1)
            elif kind == TOTAL:
                totals.append((index + 1, row))
            elif kind == NOTE:
                notes.append(index + 1)
            elif kind == PART:
                parts.append(index + 1)
            elif kind == OUTSIDE:
                outside.append((index + 1, values))
        if not table:
            raise ValidationError(
                _(
                    "No hay filas de datos debajo de la fila de nombres de las columnas (%(sheet)s, línea %(line)s). "
                    "Compruebe que es el archivo que quería importar."
                )
                % {"sheet": sheet.description, "line": header.last_line}
            )
        if len(table) > MAX_ROWS:
            raise ValidationError(
                _("El archivo tiene %(count)s filas de datos; el máximo es %(max)s: impórtelo en partes.")
                % {"count": f"{len(table):,}", "max": f"{MAX_ROWS:,}"}
            )
        found_columns = [by_name[name] for name in found]
        summed = table + [values for _line, values in outside]
        total_errors = self.check_totals(totals, header, found_columns, summed)
        if total_errors:
            raise ValidationError(total_errors)
        table, lines, combined = self.combine_parts(table, lines, found_columns)
        dataset.wipe()
        dataset.headers = [self.fields[name].column_name for name in (*found, *defaults)]
        dataset.extend([(*values, *(self.defaults[name] for name in defaults)) for values in table])
        self.lines = lines
        self.sheet_info = {
            "description": sheet.description,
            "header_lines": (header.first_line, header.last_line),
            "notes": notes,
            "totals": [line for line, _row in totals],
            "parts": parts,
            "outside": [line for line, _values in outside],
            "combined": combined,
            "defaults": {self.fields[name].column_name: self.defaults[name] for name in defaults},
            "missing": [column.label for column in missing],
        }
        return header

    def combine_parts(self, table, lines, columns):
        """Rows that are parts of one («LIMA METROPOLITANA» and «REGIÓN LIMA», for Lima: ``Lookup.parts``) become
        that one row: counts added up, other cells taken from the first part. A part without the others is an
        error: half a department is not a department. Returns the table, its lines and {line: [lines added]}."""
        key = next(
            (
                position
                for position, column in enumerate(columns)
                if column.key and getattr(getattr(self.fields[column.name].widget, "lookup", None), "parts", None)
            ),
            None,
        )
        if key is None:
            return table, lines, {}
        lookup = self.fields[columns[key].name].widget.lookup
        groups = {}
        for position, row in enumerate(table):
            code = lookup.part_of(row[key])
            if code is not None:
                groups.setdefault(code, []).append(position)
        if not groups:
            return table, lines, {}
        errors, combined, dropped = [], {}, set()
        for code, positions in groups.items():
            names = {text_key(table[position][key]) for position in positions}
            missing = [name for name in lookup.parts_of(code) if name not in names]
            every_part = ", ".join(f"«{name}»" for name in lookup.parts_of(code).values())
            if missing or len(positions) != len(names):
                errors.append(
                    _(
                        "«%(part)s» (línea %(line)s) es una parte de un departamento: el archivo debe tener todas sus "
                        "partes una vez (%(parts)s) para sumarlas."
                    )
                    % {
                        "part": table[positions[0]][key],
                        "line": lines[positions[0]],
                        "parts": every_part,
                    }
                )
                continue
            first = list(table[positions[0]])
            first[key] = code
            for position, column in enumerate(columns):
                if column.counted:
                    try:
                        first[position] = sum(read_number(table[row][position], whole=True) or 0 for row in positions)
                    except NumberNotRead:
                        continue  # left to the cell's own error
            table[positions[0]] = first
            combined[lines[positions[0]]] = [lines[row] for row in positions[1:]]
            dropped.update(positions[1:])
        if errors:
            raise ValidationError(errors)
        kept = [position for position in range(len(table)) if position not in dropped]
        return [table[position] for position in kept], [lines[position] for position in kept], combined

    def missing_message(self, missing: list[SheetColumn], header: Header) -> str:
        names = ", ".join(column.label for column in missing)
        text = ngettext("Falta la columna %(columns)s.", "Faltan las columnas %(columns)s.", len(missing)) % {
            "columns": names
        }
        found = ", ".join(f"«{name}»" for name in header.texts[:12])
        if found:
            text += " " + _("La fila de nombres encontrada (línea %(line)s) tiene: %(found)s.") % {
                "line": header.first_line
                if header.first_line == header.last_line
                else f"{header.first_line}–{header.last_line}",
                "found": found,
            }
        from_form = [column for column in missing if getattr(self.fields[column.name], "from_form", False)]
        if from_form:
            text += " " + _("También puede elegir %(columns)s en la página de importación.") % {
                "columns": ", ".join(f"«{self.label_of(column.name)}»" for column in from_form)
            }
        return text

    def check_totals(self, totals, header, found_columns, table) -> list[str]:
        """Each total row against the sum of the data rows, in every column of counts; [] when they agree.
        A column with a cell that is not a number is left to that cell's own error."""
        errors = []
        for line, row in totals:
            label = next((plain(value) for value in row if plain(value)), "")
            for position, column in enumerate(found_columns):
                if not column.counted:
                    continue
                cell = row[header.columns[column.name]] if header.columns[column.name] < len(row) else None
                try:
                    total = read_number(cell, whole=True)
                    values = [read_number(values[position], whole=True) for values in table]
                except NumberNotRead:
                    continue
                if total is None or None in values:
                    continue
                if sum(values) != total:
                    errors.append(
                        _(
                            "La fila de total «%(label)s» (línea %(line)s) dice %(total)s en «%(column)s», pero las "
                            "filas suman %(sum)s (diferencia: %(difference)s). Revise si falta o sobra una fila, o "
                            "quite la fila de total."
                        )
                        % {
                            "label": label,
                            "line": line,
                            "total": format_int(total),
                            "column": self.fields[column.name].column_name,
                            "sum": format_int(sum(values)),
                            "difference": format_int(abs(total - sum(values))),
                        }
                    )
        return errors

    # The stored rows of the file, in one query -------------------------------------------------------------------

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
                    "when": date_format(timezone.localtime(record.history_date), "j M Y, H:i:s"),
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

    # Each row ----------------------------------------------------------------------------------------------------

    @property
    def confirming(self) -> bool:
        """A confirmation (constructed with what its preview saw), not a preview."""
        return self.seen_versions is not None

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self.row_number = kwargs.get("row_number", 0)
        self.dry_run = kwargs.get("dry_run", False)  # the library tells rows, not before_import

    def line_of(self, row_number: int) -> int:
        """The spreadsheet's own line of the dataset's row ``row_number`` (1-based)."""
        return self.lines[row_number - 1] if 0 < row_number <= len(self.lines) else row_number + 1

    def get_instance(self, instance_loader, row):
        """An unreadable key (unknown ubigeo…) is an error of its own cell, not of the whole row; the row's
        other unreadable cells are reported with it (the editor fixes them all at once). A key the file already
        had on an earlier line is an error of that cell too."""
        errors = {}
        for name in self.get_import_id_fields():
            field = self.fields[name]
            if field.column_name not in row:
                continue
            try:
                field.clean(row)
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error), code="invalid")
            except ValidationError as error:
                errors[field.attribute] = ValidationError(error.messages, code="invalid")
        if errors:
            for field in self.importable_fields():
                if field.attribute in errors or field.column_name not in row:
                    continue
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error), code="invalid")
            raise ValidationError(errors)
        key = self.row_key(row)
        first = self.first_line_of_key.get(key)
        if first is not None and first != self.line_of(self.row_number):
            name = self.get_import_id_fields()[-1]
            raise ValidationError(
                {
                    self.fields[name].attribute: _(
                        "Esta fila repite la de la línea %(line)s: cada fila va una sola vez."
                    )
                    % {"line": first}
                }
            )
        return super().get_instance(instance_loader, row)

    def import_instance(self, instance, row, **kwargs):
        """Many-to-many cells are checked with the others (the library reads them only when saving)."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.importable_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def exported(self, instance) -> list:
        """The row's cells as the portal would export them (the import fields, in order)."""
        return [field.export(instance) for field in self.get_import_fields()]

    def after_init_instance(self, instance, new, row, **kwargs):
        """Before the file's values are set: the stored row's cells, to compare and to show what changes. (The
        library's own diff deep-copies every row: ``Meta.skip_diff`` leaves that out.)"""
        super().after_init_instance(instance, new, row, **kwargs)
        self.before = None if new else self.exported(instance)
        self.current_instance = instance

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """«Omitido» when every cell reads as what is stored (as it would be exported). For a changed row, the
        fields that changed are kept: the bulk update writes only those."""
        self.after = None
        if not self._meta.skip_unchanged or import_validation_errors or self.before is None:
            return False
        changed = set()
        self.after = self.exported(instance)
        for field, old, new in zip(self.get_import_fields(), self.before, self.after, strict=True):
            if field.readonly or not field.attribute or field.column_name not in row:
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                wanted = sorted(value.pk for value in field.clean(row))
                stored = sorted(value.pk for value in field.widget.stored_values(field.get_value(instance)))
                if wanted != stored:
                    changed.add(field.attribute)
            elif _comparable(new) != _comparable(old):
                changed.add(field.attribute)
        self.changed[id(instance)] = changed
        return not changed

    def after_import_row(self, row, row_result, **kwargs):
        """The preview's cells of the row: what changes, struck out and new."""
        super().after_import_row(row, row_result, **kwargs)
        if kwargs.get("dry_run") and row_result.import_type in ("new", "update", "skip"):
            instance = self.current_instance
            links = self.links.get(id(instance), {})  # many-to-many values are written later, in bulk
            after = [
                field.widget.separator.join(str(getattr(item, field.widget.field)) for item in links[field.attribute])
                if field.attribute in links
                else value
                for field, value in zip(self.get_import_fields(), self.after or self.exported(instance), strict=True)
            ]
            grouped = [getattr(field.widget, "grouped", False) for field in self.get_import_fields()]
            row_result.diff = changed_cells(self.before, after, grouped)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Model validation as ``full_clean`` does it, without its query per row (``validation``): related rows
        named by code come from the database already, keys are unique by construction, check constraints are
        evaluated in Python."""
        errors = dict(import_validation_errors or {})
        trusted = [field.attribute for field in self.importable_fields() if isinstance(field.widget, CodeWidget)]
        keys = [self.fields[name].attribute for name in self.get_import_id_fields()]
        try:
            instance.full_clean(exclude=[*errors, *trusted], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if validate_unique:
            try:
                instance.validate_unique(exclude=[*errors, *keys])
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        for name, messages in check_constraints(instance, exclude=list(errors), unique_keys=keys).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def save_m2m(self, instance, row, **kwargs):
        """Kept for the bulk write (``use_bulk``: the library leaves many-to-many values to us)."""
        values = {
            field.attribute: field.clean(row)
            for field in self.importable_fields()
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row
        }
        if values:
            self.links[id(instance)] = values

    # Writing -----------------------------------------------------------------------------------------------------

    def get_bulk_update_fields(self):
        """The model fields the changed rows changed (the others are not written)."""
        keys = set(self.key_attnames())
        opts = self._meta.model._meta
        changed = set().union(*(self.changed.get(id(instance), set()) for instance in self.update_instances))
        names = []
        for field in self.importable_fields():
            model_field = opts.get_field(field.attribute)  # importable fields are the model's own
            writable = model_field.concrete and not model_field.many_to_many and model_field.attname not in keys
            if writable and field.attribute in changed:
                names.append(model_field.name)
        return names

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._write(self.create_instances, [], using_transactions, dry_run, raise_errors, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._write([], self.update_instances, using_transactions, dry_run, raise_errors, result)

    def _write(self, created, updated, using_transactions, dry_run, raise_errors, result):
        if not (created or updated) or not (using_transactions or not dry_run):
            return
        if dry_run and not self.write_in_preview:
            created.clear()
            updated.clear()
            return
        try:
            save_with_history(
                self._meta.model,
                created,
                updated,
                self.get_bulk_update_fields(),
                self.links,
                user=self.user if getattr(self.user, "pk", None) else None,
                reason=self.reason,
            )
        except (IntegrityError, OperationalError):
            # A row another editor created meanwhile (the database refused the duplicate), or, on SQLite, another
            # write holding the database: nothing is written, and the editor is told to look again.
            message = _(
                "No se importó nada: otra persona guardó filas de este archivo mientras se importaba. "
                "Suba el archivo otra vez para ver la vista previa con los datos de ahora."
            )
            self.handle_import_error(result, ValidationError(message, code="changed"), raise_errors)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            created.clear()
            updated.clear()

    def after_import(self, dataset, result, **kwargs):
        """What the preview shows besides the rows: their lines in the sheet, how the sheet was read, and what
        the preview saw of the stored rows (kept with the file for the confirmation)."""
        super().after_import(dataset, result, **kwargs)
        result.lines = self.lines
        result.sheet_info = self.sheet_info
        result.resource_class = type(self)  # the one the editor chose, when a list imports several kinds of file
        result.versions = self.versions

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        use_bulk = True
        batch_size = None  # one insert and one update per import: MAX_ROWS bounds them
        skip_diff = True  # the preview's cells come from after_init_instance and after_import_row
        instance_loader_class = PreloadedInstanceLoader
