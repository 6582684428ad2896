"""The import preview as an editor reads it: every row with the spreadsheet's own line number, each error on its
cell and in a summary that links to it, in Spanish, and how the sheet was read (which sheet, where the names
were, which notes and totals were left out). Never a traceback."""

import logging

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export.results import RowResult

from .resources import shown_value

logger = logging.getLogger(__name__)

KIND_LABELS = {
    RowResult.IMPORT_TYPE_NEW: gettext_lazy("Nuevo"),
    RowResult.IMPORT_TYPE_UPDATE: gettext_lazy("Actualizar"),
    RowResult.IMPORT_TYPE_SKIP: gettext_lazy("Sin cambios"),
    RowResult.IMPORT_TYPE_DELETE: gettext_lazy("Eliminar"),
    RowResult.IMPORT_TYPE_INVALID: gettext_lazy("Con errores"),
    RowResult.IMPORT_TYPE_ERROR: gettext_lazy("Con errores"),
}


def preview_rows(result, resource) -> list[dict]:
    """Each row of the table as the preview shows it: its line, its kind, and its cells with their own errors."""
    fields = list(resource.get_import_fields())
    columns = [field.column_name for field in fields]
    grouped = [getattr(field.widget, "grouped", False) for field in fields]
    column_of = {}
    for field in fields:
        column_of[field.attribute] = field.column_name
        column_of[field.column_name] = field.column_name
    headers = list(result.diff_headers)  # the order of InvalidRow.values; "---" for a column the file lacks
    lines = getattr(result, "lines", None) or []
    invalid = {row.number: row for row in result.invalid_rows}
    rows = []
    for number, row_result in enumerate(result.rows, 1):
        line = lines[number - 1] if number <= len(lines) else number + 1
        entry = {"line": line, "kind": row_result.import_type, "label": KIND_LABELS.get(row_result.import_type, "")}
        if row_result.import_type == RowResult.IMPORT_TYPE_INVALID and number in invalid:
            invalid_row = invalid[number]
            values = {
                column: "" if value in (None, "---") else value
                for column, value in zip(headers, invalid_row.values, strict=False)
            }
            cell_errors = {column: [] for column in columns}
            row_errors = []
            for key, errors in invalid_row.error_dict.items():
                column = column_of.get(key)
                if key == NON_FIELD_ERRORS or column is None:
                    row_errors.extend(errors)
                else:
                    cell_errors[column].extend(errors)
            entry["cells"] = [
                {"value": shown_value(values.get(column, ""), is_grouped), "errors": cell_errors[column]}
                for column, is_grouped in zip(columns, grouped, strict=True)
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
    """Errors of the whole file (not of one row): the resource's own checks in Spanish, else what to do."""
    messages = []
    for error in result.base_errors:
        if isinstance(error.error, ValidationError):
            messages.extend(error.error.messages)
        else:
            logger.warning("Import error: %r", error.error)
            messages.append(_("El archivo no se pudo importar. Revise sus datos."))
    return messages


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(number) for number in numbers[:8])
    return shown + ("…" if len(numbers) > 8 else "")


def reading_notes(result) -> list[str]:
    """How the sheet was read, for the editor to check: the sheet, the line of the names, what was left out."""
    info = getattr(result, "sheet_info", None) or {}
    if not info:
        return []
    first, last = info["header_lines"]
    notes = [
        _("Se leyó: %(description)s; nombres de las columnas en la línea %(lines)s.")
        % {"description": info["description"], "lines": first if first == last else f"{first}–{last}"}
    ]
    if info["totals"]:
        notes.append(
            ngettext(
                "La fila de total (línea %(lines)s) coincide con la suma de las filas y no se importa.",
                "Las filas de total (líneas %(lines)s) coinciden con la suma de las filas y no se importan.",
                len(info["totals"]),
            )
            % {"lines": _lines(info["totals"])}
        )
    if info["notes"]:
        notes.append(
            ngettext(
                "Se omitió %(count)s fila de notas o títulos (línea %(lines)s).",
                "Se omitieron %(count)s filas de notas o títulos (líneas %(lines)s).",
                len(info["notes"]),
            )
            % {"count": len(info["notes"]), "lines": _lines(info["notes"])}
        )
    if info.get("parts"):
        notes.append(
            ngettext(
                "Se omitió %(count)s fila que detalla otra (provincia, distrito, edad): línea %(lines)s.",
                "Se omitieron %(count)s filas que detallan otras (provincias, distritos, edades): líneas %(lines)s.",
                len(info["parts"]),
            )
            % {"count": f"{len(info['parts']):,}", "lines": _lines(info["parts"])}
        )
    if info.get("outside"):
        notes.append(
            ngettext(
                "Se omitió %(count)s fila de fuera de los departamentos (línea %(lines)s), sumada en el total.",
                "Se omitieron %(count)s filas de fuera de los departamentos (líneas %(lines)s), sumadas en el total.",
                len(info["outside"]),
            )
            % {"count": len(info["outside"]), "lines": _lines(info["outside"])}
        )
    for line, others in (info.get("combined") or {}).items():
        notes.append(
            _("Las líneas %(lines)s son partes de un mismo departamento: se suman en una fila (línea %(line)s).")
            % {"lines": " y ".join(str(number) for number in [line, *others]), "line": line}
        )
    notes += info.get("explained", [])  # what a resource tells of its own reading (resources.py)
    for column, value in info["defaults"].items():
        notes.append(
            _(
                "La columna «%(column)s» no está en el archivo: todas las filas llevan %(value)s, "
                "elegido en esta página."
            )
            % {"column": column, "value": value}
        )
    if info["missing"]:
        notes.append(
            _("No están en el archivo y no se cambian: %(columns)s.") % {"columns": ", ".join(info["missing"])}
        )
    return notes
