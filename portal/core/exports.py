"""Spreadsheets the portal writes (table downloads, the /datos/ zip, admin exports), safe to open.

- **Formula injection** (OWASP, «CSV Injection»): a text cell that starts with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return is written with a leading apostrophe, so that no spreadsheet program
  runs it as a formula. Numbers are never touched: Cajamarca's saldo −531984 stays the number -531984
  (also when a writer hands it over as the text ``"-531984"``).
- **Control characters**: text cells carry only characters XML 1.0 allows (``portal.text.plain_text``),
  so an XLSX file is valid whatever is stored.
- **Excel and accents**: CSV files are UTF-8 *with* a byte-order mark, which Excel needs to read
  accents right (documented in the data dictionary on /datos/ and in the zip's LEEME.txt).
"""

import re

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django_tables2.export import ExportMixin, TableExport
from import_export.formats import base_formats
from tablib import Dataset

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


class SpreadsheetSafeExport(TableExport):
    """django-tables2's export, limited to ``DOWNLOAD_FORMATS``, with safe cells and Excel-ready CSV."""

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format in DOWNLOAD_FORMATS

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        if self.format == "json":  # data, not a spreadsheet: kept as it is
            return dataset
        rows = (spreadsheet_row(row) for row in dataset)
        return Dataset(*rows, headers=spreadsheet_row(dataset.headers or []), title=dataset.title)

    def export(self):
        content = super().export()
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
