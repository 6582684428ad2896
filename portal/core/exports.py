"""Spreadsheets the portal writes (table downloads, the /datos/ zip, admin exports), safe to open.

- **Formula injection** (OWASP, «CSV Injection»): a text cell that starts with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return is written with a leading apostrophe, so that no spreadsheet program
  runs it as a formula. Numbers are never touched: Cajamarca's saldo −531984 stays the number -531984
  (also when a writer hands it over as the text ``"-531984"``).
- **Control characters**: text cells carry only characters XML 1.0 allows (``portal.text.plain_text``),
  so an XLSX file is valid whatever is stored.
- **Excel and accents**: CSV files are UTF-8 *with* a byte-order mark, which Excel needs to read
  accents right (documented in the data dictionary on /datos/ and in the zip's LEEME.txt).
- **Numbers as the page shows them** (XLSX): a column of decimals is formatted with its decimals (37.0 % opens
  as 37.0, not 37); a second sheet says what the table is, its source, the terms of reuse, its address and
  the day it was downloaded.
"""

import io
import re
from decimal import Decimal

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tables2.export import ExportMixin, TableExport
from import_export.formats import base_formats
from openpyxl import load_workbook
from tablib import Dataset

from portal.core.datasets import LICENCE
from portal.core.site import absolute_url
from portal.core.text import plain_text

#: The download formats every table offers; anything else asked for is a 400 that lists them.
DOWNLOAD_FORMATS = ("csv", "json", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
BYTE_ORDER_MARK = "\ufeff"


def spreadsheet_cell(value):
    """A cell value that a spreadsheet program shows as written and never runs."""
    if not isinstance(value, str):
        return value
    value = plain_text(value)
    if value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def spreadsheet_row(row) -> list:
    return [spreadsheet_cell(value) for value in row]


def excel_csv(text: str) -> str:
    """CSV text as Excel reads it right: with a UTF-8 byte-order mark."""
    return text if text.startswith(BYTE_ORDER_MARK) else BYTE_ORDER_MARK + text


def decimals_of(value) -> int:
    """How many decimals a number is written with: 37.0 → 1, 1.05 → 2, 375993 → 0."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return 0
    if isinstance(value, int):
        return 0
    exponent = Decimal(str(value)).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def column_decimals(dataset) -> list[int]:
    """How many decimals each column of a tablib ``dataset`` is written with (the most any of its cells has)."""
    return [max((decimals_of(value) for value in dataset.get_col(index)), default=0) for index in range(dataset.width)]


def formatted_workbook(content: bytes, decimals: list[int], about: list[tuple[str, str]]) -> bytes:
    """An XLSX file whose decimal columns show their ``decimals`` (37.0, not 37: «0.0»), with a sheet ``about``
    (label, text) saying what the table is and where it comes from."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    for places, column in zip(decimals, sheet.iter_cols(min_row=2), strict=False):
        if places:
            for cell in column:
                if isinstance(cell.value, int | float | Decimal) and not isinstance(cell.value, bool):
                    cell.number_format = "0." + "0" * places
    if about:
        notes = book.create_sheet(_("Fuente"))
        for row in about:
            notes.append([spreadsheet_cell(str(value)) for value in row])
        notes.column_dimensions["A"].width = 14
        notes.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class SpreadsheetSafeExport(TableExport):
    """django-tables2's export, limited to ``DOWNLOAD_FORMATS``, with safe cells and Excel-ready CSV; an XLSX file
    gets number formats and a sheet ``about`` (``formatted_workbook``)."""

    def __init__(self, *args, about=(), **kwargs):
        self.about = list(about)
        self.decimals = []
        super().__init__(*args, **kwargs)

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format in DOWNLOAD_FORMATS

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        if self.format == "json":  # data, not a spreadsheet: kept as it is
            return dataset
        self.decimals = column_decimals(dataset)
        rows = (spreadsheet_row(row) for row in dataset)
        return Dataset(*rows, headers=spreadsheet_row(dataset.headers or []), title=dataset.title)

    def export(self):
        content = super().export()
        if self.format == "xlsx":
            return formatted_workbook(content, self.decimals, self.about)
        return excel_csv(content) if self.format == "csv" else content


class DownloadMixin(ExportMixin):
    """``?descargar=csv|json|xlsx`` on a table page downloads exactly the rows shown, in the same order.

    The file is in the page's language: a download from an English page has the English headers (the
    columns' verbose names), the English texts where there are (Spanish where there is none, as the page
    shows), links to the English pages and an English sheet and file name; Spanish pages give the Spanish
    file. Numbers are plain values in both (2781145, 43.0, -531984). The open data under /datos/
    (``portal.datasets``) is the file with stable Spanish column names. Any other ``?descargar=`` value is
    a 400 page that lists the formats offered.
    """

    export_class = SpreadsheetSafeExport
    export_trigger_param = "descargar"
    export_formats = DOWNLOAD_FORMATS

    def download_source(self) -> str:
        """Where the table's figures come from, as its page's source line says it (each view says its own)."""
        return ""

    def download_about(self, table) -> list[tuple[str, str]]:
        """What the XLSX download's second sheet says: the table (its caption), its source, the terms of reuse,
        its address (the page it was downloaded from, with its filters and order) and the day."""
        query = self.request.GET.copy()
        query.pop(self.export_trigger_param, None)
        page = absolute_url(self.request.path) + (f"?{query.urlencode()}" if query else "")
        name = getattr(table, "caption", "") or self.get_export_filename("xlsx").removesuffix(".xlsx")
        about = [(_("Tabla"), name)]
        if source := self.download_source():
            about.append((_("Fuente"), source))
        return [
            *about,
            (_("Licencia"), str(LICENCE)),
            (_("Dirección"), page),
            (_("Descargado"), date_format(timezone.localdate())),
        ]

    def create_export(self, export_format):
        """django-tables2's ``create_export``, with what the XLSX file says about itself."""
        table = self.get_table(**self.get_table_kwargs())
        exporter = self.export_class(
            export_format=export_format,
            table=table,
            exclude_columns=self.exclude_columns,
            dataset_kwargs=self.get_dataset_kwargs(),
            about=self.download_about(table) if export_format == "xlsx" else (),
        )
        return exporter.response(filename=self.get_export_filename(export_format))

    def render_to_response(self, context, **kwargs):
        if self.export_trigger_param in self.request.GET:
            asked = self.request.GET.getlist(self.export_trigger_param)
            export_format = asked[-1]
            if export_format not in self.export_formats or len(set(asked)) > 1:
                return self.refuse_format(" / ".join(dict.fromkeys(asked)))
            return self.create_export(export_format)
        return super().render_to_response(context, **kwargs)

    def refuse_format(self, export_format):
        links = []
        for name in self.export_formats:
            query = self.request.GET.copy()
            query[self.export_trigger_param] = name
            links.append((name, f"?{query.urlencode()}"))
        html = render_to_string(
            "download_refused.html", {"asked": plain_text(export_format)[:40], "links": links}, request=self.request
        )
        return HttpResponseBadRequest(html)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["download_formats"] = self.export_formats
        context["download_param"] = self.export_trigger_param
        return context


# Admin exports and imports (django-import-export) ----------------------------------------------------------
class ExcelCSV(base_formats.CSV):
    """CSV with a byte-order mark (imports read it with or without one: the admin decodes ``utf-8-sig``)."""

    def export_data(self, dataset, **kwargs):
        return excel_csv(super().export_data(dataset, **kwargs))


#: What editors export and import: the two formats the README and the editors' guide name.
ADMIN_FORMATS = [ExcelCSV, base_formats.XLSX]


class SpreadsheetSafeResource:
    """For import-export resources: exported text cells are written as ``spreadsheet_cell``, and an import
    takes the apostrophe such a cell got off again, so that export → import gives back the same text."""

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return spreadsheet_row(super().export_resource(instance, selected_fields, **kwargs))

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        for name, value in row.items():
            if isinstance(value, str) and value.startswith("'") and spreadsheet_cell(value[1:]) == value:
                row[name] = value[1:]
