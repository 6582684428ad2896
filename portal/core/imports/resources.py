"""Editors' spreadsheets as django-import-export resources: the sheet as it comes, read in a few queries.

``SpreadsheetModelResource`` extends the library's ``ModelResource`` through its hooks:

- ``before_import`` finds the table in the file (``table.SheetTableMixin``: header below titles, Spanish names
  in any order, notes, empty and total rows, missing columns named at once), reads every stored row of the file
  in one query and, at confirmation, refuses a file whose rows changed since the preview
  (``stored.StoredRowsMixin``).
- Each row: its key cells' errors and its other cells' errors together, a key written twice in the file, a
  many-to-many cell checked with the others, «Sin cambios» when every cell reads as what is stored, model
  validation without a query per row (``validation``).
- ``use_bulk``: rows are written with one insert and one update per import, with their history
  (``bulk.save_with_history``), in the import's transaction: all rows or none.

Each app declares its resources (``migration/resources.py``, ``practices/resources.py``) with ``Column`` fields:
the column's name in the files the portal writes, the other names it is known by, what it holds in Spanish.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError
from django.utils.html import escape, format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from portal.core.admin_history import text_comparison
from portal.core.exports import SpreadsheetSafeResource
from portal.core.numbers import format_int

from .bulk import save_with_history
from .stored import PreloadedInstanceLoader, StoredRowsMixin
from .table import MAX_ROWS, SheetTableMixin
from .validation import check_constraints
from .widgets import ChoiceWidget, CodeWidget

__all__ = ["MAX_ROWS", "Column", "SpreadsheetModelResource"]


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
    """The preview's cells of a row: each changed cell as its old value struck out and its new value — a number or
    a date whole (not digit by digit as the library's diff), a text as the history compares it (its changed words
    marked, long unchanged stretches cut: a word added to a long title is in sight) — without inline styles (the
    admin runs under a strict CSP: admin.css colours them); whole numbers of count columns written 1,387,809 (only
    shown so: what is imported is the file's value). ``before`` is None for a new row."""
    cells = []
    for position, (new, is_grouped) in enumerate(zip(after, grouped, strict=True)):
        old = shown_value(before[position], is_grouped) if before is not None else ""
        new = shown_value(new, is_grouped)
        if old == new:
            cells.append(escape(new))
        elif not old:
            cells.append(format_html("<ins>{}</ins>", new))
        elif any(character.isalpha() for character in old + new):
            cells.append(format_html("{} {}", *text_comparison(old, new)))
        else:
            cells.append(format_html("<del>{}</del> <ins>{}</ins>", old, new))
    return cells


def shown_value(value, grouped: bool) -> str:
    """A cell as the preview shows it: whole numbers of count columns as the public site writes them."""
    text = str(value if value is not None else "")
    if grouped and text.lstrip("-").isdigit():
        return format_int(text)
    return text


def _comparable(value) -> str:
    return str(value if value is not None else "").replace("\r\n", "\n").replace("\r", "\n").strip()


class SpreadsheetModelResource(SheetTableMixin, StoredRowsMixin, SpreadsheetSafeResource, resources.ModelResource):
    """An editors' spreadsheet of a model: the table found wherever it sits in the sheet, safe text cells,
    errors on their cells, model validation on every row, all rows or none, written in bulk with history.
    Subclasses declare ``Column`` fields and ``Meta.model``, ``fields``, ``import_id_fields``.

    Constructed with ``defaults`` ({field name: value} for columns the file lacks, from the import page) and,
    at confirmation, ``seen_versions`` (what the preview saw: {pk: newest history id})."""

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

    def after_export(self, queryset, dataset, **kwargs):
        """The workbook's sheet is named after what it lists («Buenas prácticas»), not tablib's «Tablib Dataset»."""
        super().after_export(queryset, dataset, **kwargs)
        dataset.title = capfirst(str(self._meta.model._meta.verbose_name_plural))

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

    @classmethod
    def accepted_names(cls) -> list[dict]:
        """For the import page: each column with its Spanish label, its spreadsheet name, the other names it is
        known by, whether a file must have it, and for a column of choices what a cell may say."""
        resource = cls()
        return [
            {
                "label": resource.label_of(resource.field_name(field)),
                "options": field.widget.options() if isinstance(field.widget, ChoiceWidget) else "",
                "column": field.column_name,
                "other_names": [str(name) for name in getattr(field, "headers", ())],
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
        except ValidationError:
            dataset.wipe()
            raise

    # Each row ----------------------------------------------------------------------------------------------------

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
        """«Sin cambios» when every cell reads as what is stored (as it would be exported). For a changed row, the
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
