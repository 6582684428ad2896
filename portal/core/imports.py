"""Importing real spreadsheets in the admin (django-import-export, made safe and Spanish).

- Files as editors' spreadsheets save them: CSV separated by commas or semicolons (UTF-8, with
  or without BOM, or Windows-1252 as Excel writes it) and XLSX; size and rows limited.
- The preview shows every row with the spreadsheet's own line number and each error on its cell,
  in Spanish; never a traceback.
- The uploaded file waits for its confirmation in the database (``PendingImport``), bound to its
  editor and session: a preview made on one server can be confirmed on another, nothing stays on
  a server's disk, and the confirm step reads no file name from the form.
- At confirmation the file is read and validated again, and written whole or not at all.
"""

import csv
import io
import logging
import re
import uuid
import zipfile
from decimal import Decimal, InvalidOperation

import tablib
from django import forms
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.utils.html import escape, format_html
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from import_export import resources, widgets
from import_export.formats import base_formats
from import_export.forms import ImportForm, SelectableFieldsExportForm
from import_export.results import RowResult
from import_export.tmp_storages import BaseStorage

from .exports import SpreadsheetSafeResource
from .models import PendingImport
from .numbers import format_int

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 1_000_000  # 1 MB: far more than a census edition (25 rows) or the catalogue needs
MAX_ROWS = 2_000
MAX_XLSX_UNPACKED_BYTES = 20_000_000  # an XLSX is a zip: its unpacked size is checked before it is opened


class SpreadsheetError(ValueError):
    """A file that cannot be imported as a whole; its message is for the editor."""


def _size(num_bytes: int) -> str:
    return f"{num_bytes / 1_000_000:.1f} MB".replace(".0 MB", " MB")


def _too_many_rows() -> SpreadsheetError:
    return SpreadsheetError(
        _("El archivo tiene más de %(max)s filas de datos; impórtelo en partes de %(max)s filas como máximo.")
        % {"max": f"{MAX_ROWS:,}"}
    )


def _dataset(rows, headers) -> tablib.Dataset:
    headers = [str(header or "").strip().lower() for header in headers]
    if not any(headers):
        raise SpreadsheetError(_("La primera fila del archivo debe tener los nombres de las columnas."))
    dataset = tablib.Dataset(headers=headers)
    for count, row in enumerate(rows, 1):
        if count > MAX_ROWS:
            raise _too_many_rows()
        row = list(row)[: len(headers)]
        dataset.append(row + [None] * (len(headers) - len(row)))  # short rows (trailing empty cells) padded
    return dataset


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); otherwise Windows-1252, as a Spanish-language Excel saves CSV."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class SpreadsheetCSV(base_formats.CSV):
    """CSV separated by commas or by semicolons (Excel in Spanish), read from the raw bytes."""

    def get_title(self):
        return "csv"

    def is_binary(self):
        return True  # decoded here, whatever the encoding

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        text = decode(in_stream) if isinstance(in_stream, bytes) else in_stream
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            headers = next(reader, None)
            if headers is None:
                raise SpreadsheetError(_("El archivo está vacío."))
            return _dataset(reader, headers)
        except csv.Error as error:
            raise SpreadsheetError(
                _("El archivo no se puede leer como CSV (línea %(line)s).") % {"line": reader.line_num}
            ) from error


class SpreadsheetXLSX(base_formats.XLSX):
    """The first sheet of an XLSX workbook; refused before opening when it unpacks to too much."""

    def get_title(self):
        return "xlsx"

    def create_dataset(self, in_stream):
        import openpyxl

        try:
            with zipfile.ZipFile(io.BytesIO(in_stream)) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile as error:
            raise SpreadsheetError(_("El archivo no es un libro XLSX válido.")) from error
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            raise SpreadsheetError(
                _("El libro XLSX ocupa %(size)s al descomprimirlo; el máximo es %(max)s.")
                % {"size": _size(unpacked), "max": _size(MAX_XLSX_UNPACKED_BYTES)}
            )
        try:
            book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged workbook
            raise SpreadsheetError(_("El archivo no es un libro XLSX válido.")) from error
        rows = book.active.iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            raise SpreadsheetError(_("El archivo está vacío."))
        return _dataset(rows, headers)


SPREADSHEET_FORMATS = [SpreadsheetCSV, SpreadsheetXLSX]


#: The messages of a cell that names a row of another table.
MISSING_VALUE = _("Falta este dato.")
#: A ubigeo of no department (the migration spreadsheets and the practices' «ubigeos» column).
UNKNOWN_UBIGEO = _("No existe un departamento con el código ubigeo «%(value)s».")


def _plain(value) -> str:
    """A cell as text: 1.0 from a spreadsheet is 1, surrounding spaces dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number written 1387809, 1,387,809, 1 387 809 or 1.387.809; refused in Spanish otherwise.

    ``grouped``: the import preview writes it as the public site does (1,387,809); False for a year."""

    GROUPED = re.compile(r"^-?\d{1,3}([,.\s\u00a0\u202f]\d{3})+$")

    def __init__(self, grouped=True, **kwargs):
        super().__init__(**kwargs)
        self.grouped = grouped

    def clean(self, value, row=None, **kwargs):
        text = _plain(value)
        if text == "":
            return None
        if self.GROUPED.match(text):
            text = re.sub(r"[,.\s\u00a0\u202f]", "", text)
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value() or len(text) > 15:
            if not self.grouped:  # a year
                raise ValueError(_("«%(value)s» no es un año en números (p. ej. 2009).") % {"value": text})
            raise ValueError(_("«%(value)s» no es un número entero (p. ej. 1,387,809).") % {"value": text})
        return int(number)


class CodeWidget(widgets.ForeignKeyWidget):
    """A foreign key given by its code; an unknown code is an error of its cell, in Spanish.

    ``digits``: codes written with leading zeros (ubigeo 01); a spreadsheet that dropped them (1) is read as 01.
    """

    def __init__(self, model, field, message, digits=None):
        super().__init__(model, field=field)
        self.message = message
        self.digits = digits

    def clean(self, value, row=None, **kwargs):
        text = _plain(value)
        if text == "":
            raise ValueError(MISSING_VALUE)
        if self.digits and text.isdigit() and len(text) < self.digits:
            text = text.zfill(self.digits)
        try:
            return super().clean(text, row=row, **kwargs)
        except (self.model.DoesNotExist, ValueError):
            raise ValueError(self.message % {"value": text}) from None


class CodesWidget(widgets.ManyToManyWidget):
    """Several codes in one cell ("06;15"); one-digit codes read with their zero ("6;15"); an unknown code
    is an error of its cell (the library would drop it silently). With ``required``, an empty cell is one
    too (the library would empty the relation)."""

    def __init__(self, model, field, separator, message, digits=None, required=False):
        super().__init__(model, separator=separator, field=field)
        self.message = message
        self.digits = digits
        self.required = required

    def clean(self, value, row=None, **kwargs):
        codes = [_plain(code) for code in _plain(value).split(self.separator) if _plain(code)]
        if self.required and not codes:
            raise ValueError(MISSING_VALUE)
        if self.digits:
            codes = [code.zfill(self.digits) if code.isdigit() else code for code in codes]
        found = self.model.objects.filter(**{f"{self.field}__in": codes})
        unknown = sorted(set(codes) - {str(getattr(item, self.field)) for item in found})
        if unknown:
            raise ValueError(self.message % {"value": ", ".join(unknown)})
        return found


def _shown(value, grouped: bool) -> str:
    """A cell of the preview: whole numbers of figure columns as the public site writes them (1,387,809)."""
    text = force_str(value if value is not None else "")
    if grouped and re.fullmatch(r"-?\d+", text):
        return format_int(text)
    return text


class CspDiff(resources.Diff):
    """Each changed cell as its old value struck out and its new value, whole (not digit by digit), without
    the library's inline styles (the admin runs under a strict CSP): admin.css colours them. Whole numbers
    of figure columns are written 1,387,809 (only shown so: what is imported is the file's value)."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.grouped = [getattr(field.widget, "grouped", False) for field in resource.get_import_fields()]

    def as_html(self):
        cells = []
        for old, new, grouped in zip(self.left, self.right, self.grouped, strict=False):
            old, new = _shown(old if not self.new else "", grouped), _shown(new, grouped)
            if old == new:
                cells.append(escape(new))
            elif not old:
                cells.append(format_html("<ins>{}</ins>", new))
            else:
                cells.append(format_html("<del>{}</del> <ins>{}</ins>", old, new))
        return cells


def _comparable(value) -> str:
    return str(value if value is not None else "").replace("\r\n", "\n").replace("\r", "\n").strip()


class SpreadsheetResourceMixin:
    """Blank lines skipped; a row is «Omitido» when every cell reads as what is stored (as it would be exported)."""

    def get_diff_class(self):
        return CspDiff

    def import_row(self, row, instance_loader, **kwargs):
        if all(_plain(value) == "" for value in row.values()):
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            row_result.blank = True
            return row_result
        return super().import_row(row, instance_loader, **kwargs)

    def get_instance(self, instance_loader, row):
        """An unreadable key (unknown ubigeo…) is an error of its own cell, not of the whole row; the row's
        other unreadable cells are reported with it (the editor fixes them all at once)."""
        errors = {}
        key_names = list(self.get_import_id_fields())
        for name in key_names:
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
            for field in self.get_import_fields():
                if field.attribute in errors or field.column_name not in row or field.readonly:
                    continue
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error), code="invalid")
            raise ValidationError(errors)
        return super().get_instance(instance_loader, row)

    def import_instance(self, instance, row, **kwargs):
        """Many-to-many cells are checked with the others (the library reads them only when saving)."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not self._meta.skip_unchanged or import_validation_errors or original is None or original.pk is None:
            return False
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                if field.column_name not in row:
                    continue
                new = sorted(value.pk for value in field.clean(row))
                old = sorted(value.pk for value in field.get_value(original).all())
                if new != old:
                    return False
            elif _comparable(field.export(instance)) != _comparable(field.export(original)):
                return False
        return True


class SpreadsheetModelResource(SpreadsheetSafeResource, SpreadsheetResourceMixin, resources.ModelResource):
    """An editors' spreadsheet of a model: safe text cells, blank and unchanged rows skipped, each error in its
    cell, model validation on every row, and all rows or none. Subclasses add their columns and ``Meta.model``.

    ``column_labels``: a column's Spanish label where its model field's verbose name would not say it
    (a ubigeo code, a name only exported to read by)."""

    column_labels: dict = {}

    @classmethod
    def column_label(cls, name: str) -> str:
        """«Población censada («poblacion»)»: what the column holds, in Spanish, and its name in the spreadsheet."""
        field = cls.fields[name]
        label = cls.column_labels.get(name)
        if label is None:
            label = cls._meta.model._meta.get_field(field.attribute.split("__")[0]).verbose_name
        return f"{capfirst(label)} («{field.column_name}»)"

    @classmethod
    def column_labels_in_order(cls) -> list[str]:
        return [cls.column_label(name) for name in cls().get_export_order()]

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class MemoryStorage(BaseStorage):
    """The preview reads the upload from memory: nothing is written to a server's temp folder."""

    def save(self, data):
        self.data = data

    def read(self):
        return self.data

    def remove(self):
        self.data = None


class SpreadsheetExportForm(SelectableFieldsExportForm):
    """The export page's column checkboxes labelled in Spanish with their spreadsheet names (the library
    would show «Population 5Plus (population_enumerated_5plus)»)."""

    def _get_field_label(self, resource, field_name: str) -> str:
        if hasattr(resource, "column_label"):
            return resource.column_label(field_name)
        return super()._get_field_label(resource, field_name)


class SpreadsheetImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("El archivo pesa %(size)s; el máximo es %(max)s. Impórtelo en partes más pequeñas.")
                % {"size": _size(upload.size), "max": _size(MAX_FILE_BYTES)}
            )
        return upload


KIND_LABELS = {
    RowResult.IMPORT_TYPE_NEW: gettext_lazy("Nuevo"),
    RowResult.IMPORT_TYPE_UPDATE: gettext_lazy("Actualizar"),
    RowResult.IMPORT_TYPE_SKIP: gettext_lazy("Omitido"),
    RowResult.IMPORT_TYPE_DELETE: gettext_lazy("Eliminar"),
    RowResult.IMPORT_TYPE_INVALID: gettext_lazy("Con errores"),
    RowResult.IMPORT_TYPE_ERROR: gettext_lazy("Con errores"),
}


def preview_rows(result, resource) -> list[dict]:
    """Each row of the file as the preview shows it: line number, kind, and its cells with their own errors."""
    fields = list(resource.get_import_fields())
    columns = [field.column_name for field in fields]
    grouped_columns = [getattr(field.widget, "grouped", False) for field in fields]
    column_of = {}
    for field in fields:
        column_of[field.attribute] = field.column_name
        column_of[field.column_name] = field.column_name
    invalid = {row.number: row for row in result.invalid_rows}
    rows = []
    for number, row_result in enumerate(result.rows, 1):
        if getattr(row_result, "blank", False):
            continue
        line = number + 1  # the header is line 1 of the spreadsheet
        entry = {"line": line, "kind": row_result.import_type, "label": KIND_LABELS.get(row_result.import_type, "")}
        if row_result.import_type == RowResult.IMPORT_TYPE_INVALID and number in invalid:
            invalid_row = invalid[number]
            cell_errors = {column: [] for column in columns}
            row_errors = []
            for key, errors in invalid_row.error_dict.items():
                column = column_of.get(key)
                if key == NON_FIELD_ERRORS or column is None:
                    row_errors.extend(errors)
                else:
                    cell_errors[column].extend(errors)
            entry["cells"] = [
                {"value": _shown(value if value != "---" else "", grouped), "errors": cell_errors[column]}
                for column, value, grouped in zip(columns, invalid_row.values, grouped_columns, strict=False)
            ]
            entry["row_errors"] = row_errors
        elif row_result.import_type == RowResult.IMPORT_TYPE_ERROR:
            for error in row_result.errors:
                logger.warning("Import error on line %s: %r", line, error.error)
            entry["cells"] = [{"value": "", "errors": []} for _column in columns]
            entry["row_errors"] = [_("Esta fila no se pudo leer. Revise sus datos.")]
        else:
            entry["cells"] = [{"value": value, "errors": []} for value in (row_result.diff or [""] * len(columns))]
            entry["row_errors"] = []
        entry["has_errors"] = bool(entry["row_errors"]) or any(cell["errors"] for cell in entry["cells"])
        rows.append(entry)
    return rows


def error_summary(rows, columns) -> list[dict]:
    """Every error of the preview, in the order of the file: its line, its column and what to fix, for the
    summary above the preview (each links to its row)."""
    summary = []
    for row in rows:
        for message in row["row_errors"]:
            text = _("Línea %(line)s: %(message)s") % {"line": row["line"], "message": message}
            summary.append({"line": row["line"], "text": text})
        for column, cell in zip(columns, row["cells"], strict=False):
            for message in cell["errors"]:
                text = _("Línea %(line)s, columna «%(column)s»: %(message)s") % {
                    "line": row["line"],
                    "column": column,
                    "message": message,
                }
                summary.append({"line": row["line"], "text": text})
    return summary


def file_errors(result) -> list[str]:
    """Errors of the whole file (not of one row): the resource's own checks in Spanish, else what to fix."""
    messages_ = []
    for error in result.base_errors:
        if isinstance(error.error, ValidationError):
            messages_.extend(error.error.messages)
        elif "import_id_fields" in str(error.error):
            messages_.append(_("Faltan columnas obligatorias en la primera fila del archivo."))
        else:
            logger.warning("Import error: %r", error.error)
            messages_.append(_("El archivo no se pudo importar. Revise sus datos."))
    return messages_


class SpreadsheetImportMixin:
    """For a ModelAdmin with django-import-export's ImportExportModelAdmin (placed before it): Spanish imports from
    real spreadsheets, and an export page that refuses a query string that is none of the list's filters."""

    import_form_class = SpreadsheetImportForm
    tmp_storage_class = MemoryStorage
    import_formats = SPREADSHEET_FORMATS
    import_error_display = ("message",)

    export_form_class = SpreadsheetExportForm

    def _resource_columns(self) -> list[str]:
        """The columns of the list's spreadsheet as the import page names them (Spanish label and column)."""
        resource_class = self.resource_classes[0]
        if hasattr(resource_class, "column_labels_in_order"):
            return resource_class.column_labels_in_order()
        return []

    def get_import_context_data(self, **kwargs):
        return {
            **super().get_import_context_data(**kwargs),
            "import_max_rows": f"{MAX_ROWS:,}",
            "import_max_size": _size(MAX_FILE_BYTES),
            "resource_columns": self._resource_columns(),
        }

    def get_export_context_data(self, **kwargs):
        return {**super().get_export_context_data(**kwargs), "resource_columns": self._resource_columns()}

    def get_export_filename(self, request, queryset, file_format):
        """«migracion-reciente-2026-11-30.csv»: the list's Spanish name, as the editor knows it, and the day in Lima."""
        with translation.override("es"):
            name = slugify(str(self.opts.verbose_name_plural))
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def get_import_formats(self):
        return list(SPREADSHEET_FORMATS)

    def export_action(self, request):
        """The export page exports the list as its filters show it (the query string of the list's «Exportar»
        link). A query string that is none of the list's filters — a link edited by hand, an old bookmark —
        gets a 400 page that says so, where django-import-export would fail with a server error."""
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Filtro no válido"),
                "changelist_url": changelist,
                "export_url": request.path,
            }
            return TemplateResponse(request, "admin/import_export/export_refused.html", context, status=400)

    @property
    def model_label(self) -> str:
        return self.opts.label_lower

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            logger.warning("Unreadable import file: %r", e)
            form.add_error(
                "import_file",
                _("No se pudo leer el archivo. Compruebe que es una hoja de cálculo CSV o XLSX y el formato elegido."),
            )

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is None:
            return initial
        upload = import_form.cleaned_data["import_file"]
        upload.seek(0)
        if not request.session.session_key:
            request.session.save()
        # One pending file per editor and list; abandoned previews of anyone are dropped after a few hours.
        PendingImport.objects.filter(
            Q(user=request.user, model=self.model_label) | Q(pk__in=PendingImport.objects.stale().values("pk"))
        ).delete()
        pending = PendingImport.objects.create(
            user=request.user,
            session_key=request.session.session_key,
            model=self.model_label,
            format_index=int(import_form.cleaned_data["format"]),
            file_name=upload.name[:255],
            data=upload.read(),
        )
        initial["import_file_name"] = str(pending.token)
        return initial

    def _preview_context(self, request, result, form=None):
        resource = self.get_import_resource_classes(request)[0](**self.get_import_resource_kwargs(request))
        rows = preview_rows(result, resource)
        columns = [field.column_name for field in resource.get_import_fields()]
        return {
            "file_errors": file_errors(result),
            "preview_columns": columns,
            "preview_rows": rows,
            "error_summary": error_summary(rows, columns),
            "error_count": sum(1 for row in rows if row["has_errors"]),
            "change_count": sum(1 for row in rows if row["kind"] in ("new", "update", "delete")),
        }

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data.get("result") is not None:
            result = response.context_data["result"]
            response.context_data.update(self._preview_context(request, result))
            if not response.context_data["change_count"]:
                response.context_data.pop("confirm_form", None)  # nothing would be written
        return response

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        pending = None
        if confirm_form.is_valid():
            pending = (
                PendingImport.objects.owned_by(request)
                .filter(model=self.model_label, token__in=_uuid_or_none(confirm_form.cleaned_data["import_file_name"]))
                .first()
            )
        import_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        if pending is None:
            messages.error(
                request,
                _(
                    "Esta vista previa ya no está disponible (caducó, ya se confirmó o es de otra sesión). "
                    "Suba el archivo otra vez."
                ),
            )
            return _redirect(import_url)
        input_format = SPREADSHEET_FORMATS[pending.format_index]()
        try:
            dataset = input_format.create_dataset(bytes(pending.data))
        except SpreadsheetError as error:
            pending.delete()
            messages.error(request, str(error))
            return _redirect(import_url)
        result = self.process_dataset(
            dataset,
            confirm_form,
            request,
            file_name=pending.file_name,
            raise_errors=False,
            rollback_on_validation_errors=True,  # all rows or none
            **kwargs,
        )
        pending.delete()
        if result.has_errors() or result.has_validation_errors():
            # The data changed since the preview: nothing was written; show why.
            context = {
                **self.admin_site.each_context(request),
                "title": _("Importar"),
                "opts": self.opts,
                "form": self.get_import_form_class(request)(
                    self.get_import_formats(), self.get_import_resource_classes(request)
                ),
                "result": result,
                "confirm_failed": True,
                **self._preview_context(request, result),
            }
            return TemplateResponse(request, [self.import_template_name], context, status=409)
        return self.process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        parts = [
            ngettext("%(count)s fila nueva", "%(count)s filas nuevas", totals[RowResult.IMPORT_TYPE_NEW]),
            ngettext("%(count)s actualizada", "%(count)s actualizadas", totals[RowResult.IMPORT_TYPE_UPDATE]),
            ngettext("%(count)s sin cambios", "%(count)s sin cambios", totals[RowResult.IMPORT_TYPE_SKIP]),
        ]
        counts = [
            totals[RowResult.IMPORT_TYPE_NEW],
            totals[RowResult.IMPORT_TYPE_UPDATE],
            totals[RowResult.IMPORT_TYPE_SKIP],
        ]
        text = ", ".join(part % {"count": count} for part, count in zip(parts, counts, strict=True))
        messages.success(
            request,
            _("Importación terminada (%(model)s): %(counts)s.")
            % {"model": self.opts.verbose_name_plural, "counts": text},
        )


def _uuid_or_none(value: str) -> list[str]:
    try:
        return [str(uuid.UUID(value))]
    except (ValueError, TypeError):
        return []


def _redirect(url):
    return HttpResponseRedirect(url)
