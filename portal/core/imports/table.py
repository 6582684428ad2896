"""The table in an uploaded file, as a resource reads it (a mixin of ``SpreadsheetModelResource``).

The resource's columns (``Column``: its spreadsheet name, the other names it is known by) are looked for in every
sheet (``sheets.find_header``); the sheet whose header names the most is read: its rows of data become the
dataset the library imports, each with its line in the sheet; notes and empty rows are left out; a total row is
checked against the sum of the rows; rows that are parts of one (Lima's two parts in INEI's tables) are added up;
missing columns are named once, at the top. Anything wrong with the file as a whole is a ``ValidationError``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.core.numbers import NumberNotRead, format_int, read_number

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
from .widgets import CodeWidget, WholeNumberWidget, plain

#: Rows of data an import takes (notes, totals and the other rows of INEI's tables not counted): preview and
#: confirmation of this many rows each take a few seconds on PostgreSQL (``scripts/benchmark.py --modes imports``).
MAX_ROWS = 2_000


class SheetTableMixin:
    """For a resource with ``Column`` fields: ``read_table(dataset)`` replaces the dataset's rows by the table
    found in the file; ``lines``, ``sheet_info`` and ``missing_columns`` say where each row was and what was
    left out."""

    #: Sheet names to prefer in a workbook (INEI's «MIG01»); otherwise the sheet that names the most columns.
    sheet_names: tuple[str, ...] = ()

    def sheet_columns(self) -> list[SheetColumn]:
        """The columns to look for in a sheet: each with every name it is known by."""
        keys = set(self.get_import_id_fields())
        columns = []
        for field in self.importable_fields():
            name = self.field_name(field)
            label = self.label_of(name)
            names = dict.fromkeys(
                key
                for key in (text_key(field.column_name), text_key(label), *map(text_key, getattr(field, "headers", ())))
                if key
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
