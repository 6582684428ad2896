"""Files of the open-data download: a data dictionary and the rows of each file (``DataFile``), and how every
CSV and XLSX file of the portal is written (``FILE_FORMAT``). Each app lists its files (``migration/datasets.py``,
``practices/datasets.py``); the project puts them in one zip (``portal/datasets.py``)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    name: str
    description: str


@dataclass(frozen=True)
class DataFile:
    """``rows(build_url)``: the file's rows (lists of plain values, in ``columns``' order); ``build_url(path)`` makes
    an absolute URL of a path."""

    name: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[Callable[[str], str]], list[list]]


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
