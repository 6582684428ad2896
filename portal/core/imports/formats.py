"""Reading an uploaded spreadsheet into sheets (django-import-export's formats, made safe and forgiving).

- **What the file is** comes from its bytes, not from the format chosen or the file's name: an XLSX workbook is
  a zip, anything else is read as CSV. An Excel 97-2003 (.xls) or LibreOffice (.ods) file gets a Spanish message
  saying how to save it.
- **CSV** as Excel, LibreOffice and editors save it: UTF-8 (with or without BOM), UTF-16 («Texto Unicode») or
  Windows-1252 (a Spanish-language Excel's «CSV»); separated by semicolons, commas or tabs, whichever splits the
  first lines into the most rows of the same width (a semicolon file with decimal commas stays a semicolon file).
- **XLSX**: every worksheet, values as Excel last calculated them, read as a stream (``read_only``): the
  unpacked size is checked before the workbook is opened, so a small zip cannot unpack to gigabytes.
- Limits: ``MAX_FILE_BYTES`` per upload (the import form), ``MAX_SHEET_ROWS`` rows in a file (titles, notes and
  the other levels of INEI's tables included). The rows that are imported have their own limit
  (``portal.core.imports.resources.MAX_ROWS``).

The result is a ``tablib.Dataset`` that carries the sheets as read (``dataset.sheets``): which sheet and which
rows hold the table is for the resource to find (``resources.SpreadsheetModelResource.before_import``).
"""

import csv
import io
import zipfile
from collections import Counter

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from .sheets import Sheet, is_empty

MAX_FILE_BYTES = 5_000_000  # INEI's workbook of the 2025 census by district and age is 1.2 MB
MAX_XLSX_UNPACKED_BYTES = 25_000_000  # the same workbook unpacks to 7.7 MB
MAX_SHEET_ROWS = 50_000  # every row of every sheet; INEI's largest table has 11,983
DELIMITERS = (";", ",", "\t")
SNIFFED_LINES = 50

XLS_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (OLE2 compound file)
ZIP_SIGNATURE = b"PK\x03\x04"


class SpreadsheetError(ValueError):
    """A file that cannot be imported as a whole; its message is for the editor, in Spanish."""


def megabytes(num_bytes: int) -> str:
    return f"{num_bytes / 1_000_000:.1f} MB".replace(".0 MB", " MB")


def _too_many_rows() -> SpreadsheetError:
    return SpreadsheetError(
        _("El archivo tiene más de %(max)s filas; impórtelo en partes más pequeñas.") % {"max": f"{MAX_SHEET_ROWS:,}"}
    )


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding: UTF-16 with its BOM, UTF-8 (with or without BOM),
    otherwise Windows-1252, as a Spanish-language Excel saves «CSV»."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "UTF-16"
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most rows of one width (more than one column)."""
    sample = "\n".join(text.splitlines()[:SNIFFED_LINES])
    best, best_score = ";", (-1, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(row)]
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = (count if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(data: bytes) -> Sheet:
    text, encoding = decode(data)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            if len(rows) >= MAX_SHEET_ROWS:
                raise _too_many_rows()
            rows.append(row)
    except csv.Error as error:
        raise SpreadsheetError(
            _("El archivo no se puede leer como CSV (línea %(line)s).") % {"line": reader.line_num}
        ) from error
    names = {";": _("punto y coma"), ",": _("comas"), "\t": _("tabuladores")}
    description = _("CSV separado por %(delimiter)s, %(encoding)s") % {
        "delimiter": names[delimiter],
        "encoding": encoding,
    }
    return Sheet(title="CSV", rows=rows, description=description)


def read_xlsx(data: bytes) -> list[Sheet]:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except zipfile.BadZipFile as error:
        raise SpreadsheetError(_("El archivo no es un libro XLSX válido.")) from error
    if b"opendocument" in mimetype:
        raise SpreadsheetError(
            _("Es una hoja de LibreOffice (.ods): guárdela como «Libro de Excel (.xlsx)» o como CSV y súbala otra vez.")
        )
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise SpreadsheetError(
            _("El libro XLSX ocupa %(size)s al descomprimirlo; el máximo es %(max)s.")
            % {"size": megabytes(unpacked), "max": megabytes(MAX_XLSX_UNPACKED_BYTES)}
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise SpreadsheetError(_("El archivo no es un libro XLSX válido.")) from error
    sheets, total = [], 0
    try:
        for worksheet in book.worksheets:
            rows = []
            for row in worksheet.iter_rows(values_only=True):
                total += 1
                if total > MAX_SHEET_ROWS:
                    raise _too_many_rows()
                rows.append(list(row))
            description = _("hoja «%(sheet)s» del libro XLSX") % {"sheet": worksheet.title}
            sheets.append(Sheet(title=worksheet.title, rows=rows, description=description))
    except SpreadsheetError:
        raise
    except Exception as error:
        raise SpreadsheetError(_("El archivo no es un libro XLSX válido.")) from error
    finally:
        book.close()
    return sheets


def read_sheets(data: bytes) -> list[Sheet]:
    """The sheets of an uploaded file, whatever format was chosen: XLSX by its zip signature, else CSV."""
    if not data or not data.strip():
        raise SpreadsheetError(_("El archivo está vacío."))
    if data.startswith(XLS_SIGNATURE):
        raise SpreadsheetError(
            _(
                "Es un libro de Excel 97-2003 (.xls): ábralo en Excel y guárdelo como «Libro de Excel (.xlsx)» "
                "o como CSV, y súbalo otra vez."
            )
        )
    if (
        not data.startswith(ZIP_SIGNATURE)
        and b"\x00" in data[:4096]
        and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        raise SpreadsheetError(_("El archivo no es una hoja de cálculo CSV ni un libro XLSX."))
    sheets = read_xlsx(data) if data.startswith(ZIP_SIGNATURE) else [read_csv(data)]
    for sheet in sheets:
        while sheet.rows and all(is_empty(value) for value in sheet.rows[-1]):
            sheet.rows.pop()
    sheets = [sheet for sheet in sheets if sheet.rows]
    if not sheets:
        raise SpreadsheetError(_("El archivo está vacío."))
    return sheets


def sheets_dataset(data: bytes) -> tablib.Dataset:
    """A dataset of the first sheet's rows as they are, carrying every sheet (``dataset.sheets``) for the
    resource to find its table in."""
    sheets = read_sheets(data)
    width = max(len(row) for row in sheets[0].rows)
    dataset = tablib.Dataset(*[list(row) + [None] * (width - len(row)) for row in sheets[0].rows])
    dataset.sheets = sheets
    return dataset


class SpreadsheetCSV(base_formats.CSV):
    """«csv» on the import page; the file is read as what it is (``read_sheets``)."""

    def get_title(self):
        return "csv"

    def is_binary(self):
        return True  # decoded here, whatever the encoding

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return sheets_dataset(in_stream if isinstance(in_stream, bytes) else in_stream.encode())


class SpreadsheetXLSX(base_formats.XLSX):
    """«xlsx» on the import page; the file is read as what it is (``read_sheets``)."""

    def get_title(self):
        return "xlsx"

    def create_dataset(self, in_stream, **kwargs):
        return sheets_dataset(in_stream)


SPREADSHEET_FORMATS = [SpreadsheetCSV, SpreadsheetXLSX]
