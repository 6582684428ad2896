"""Files of the open-data download: a data dictionary and the rows of each file (``DataFile``), and how every
CSV and XLSX file of the portal is written (``FILE_FORMAT``). Each app lists its files (``migration/datasets.py``,
``practices/datasets.py``); the project puts them in one zip (``portal/datasets.py``)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    """A column of an open-data file: its data dictionary line, and its type and unit as the Data Package's
    Table Schema gives them (``datapackage.json`` in the /datos/ zip) and the XLSX workbook formats them.

    ``type`` is a Table Schema type: ``string`` (the default; codes such as the ubigeo «01» are strings, so
    that their leading zero is kept), ``integer``, ``number``, ``date`` or ``year``. ``decimals``: how many a
    ``number`` is written with (the spreadsheet shows 37.0, not 37). ``unit``: what a number counts (lazy text:
    «personas», «%», «por 1,000 habitantes de 5 años y más»).
    """

    name: str
    description: str
    type: str = "string"
    unit: str = ""
    decimals: int = 0

    def schema(self) -> dict:
        """The column as a Table Schema field."""
        field = {"name": self.name, "type": self.type, "description": str(self.description)}
        if self.unit:
            field["unit"] = str(self.unit)  # a custom property, as Table Schema allows
        if self.type == "number":
            field["decimalChar"] = "."
        return field

    @property
    def number_format(self) -> str:
        """The cell format of the XLSX workbook: 2781145 as 2781145, 37.0 as 37.0, «01» as text."""
        if self.type == "number":
            return "0." + "0" * self.decimals if self.decimals else "0"
        return "@" if self.type == "string" else "General"


@dataclass(frozen=True)
class DataFile:
    """``rows(build_url)``: the file's rows (lists of plain values, in ``columns``' order); ``build_url(path)`` makes
    an absolute URL of a path. ``primary_key``: the columns that name a row (Table Schema's ``primaryKey``)."""

    name: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[Callable[[str], str]], list[list]]
    primary_key: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        """«departamentos» for departamentos.csv: the resource's name in the Data Package, the workbook's sheet."""
        return self.name.rsplit(".", 1)[0]

    def schema(self) -> dict:
        """The file's Table Schema (https://specs.frictionlessdata.io/table-schema/)."""
        schema = {"fields": [column.schema() for column in self.columns], "missingValues": [""]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        return schema


#: How every CSV and XLSX file of the portal is written (the zip's files and each table's downloads):
#: shown on /datos/ and written into LEEME.txt.
FILE_FORMAT = (
    _(
        "CSV en UTF-8 con marca de orden de bytes (BOM), para que Excel muestre bien las tildes y la ñ "
        "al abrirlos con doble clic; separados por comas, con punto decimal (43.0), como los escribe "
        'Excel en Perú. Los programas que leen UTF-8 ignoran la marca (en Python, encoding="utf-8-sig"; '
        'en R, fileEncoding="UTF-8-BOM").'
    ),
    _("Los números son números, sin separador de miles: 2781145, -531984, 43.0."),
    _(
        "Un texto que empieza con =, +, -, @, tabulación o retorno de carro se escribe precedido de un "
        "apóstrofo ('), para que la hoja de cálculo lo muestre como texto y nunca lo ejecute como fórmula."
    ),
)


#: The terms under which the portal's figures may be reused (the data's own, not a licence the portal grants):
#: INEI's notice on its publications, which the other sources (CAD Ciudadanos al Día's compilation, the
#: catalogue) follow. Said by the /datos/ zip (LEEME.txt, datapackage.json), every table download, every
#: downloaded chart and the schema.org description of the data; /acerca/ gives the details.
LICENCE = _(
    "Reutilización libre citando la fuente: «La información puede ser reproducida total o parcialmente, siempre y "
    "cuando se mencione la fuente de origen» (INEI)."
)
LICENCE_SHORT = _("Reutilización libre citando la fuente")
