"""Figures written as the source writes them, in every language of the site.

Comma thousands and point decimals: 2,781,145; 43.0 %; +2,376,434. Python's own formatting does
exactly that (and much faster than the locale machinery: a page shows hundreds of figures).
Domain code imports these; the template filters (``portal/templatetags/figures.py``) only wrap them.

And the other way round, ``read_number``: what an editor types or pastes (or a spreadsheet cell holds) read as
the number they mean, or refused with a question — the one reading of every number field in the admin and every
number column of an import.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def format_int(value) -> str:
    """2781145 → '2,781,145'."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}"


def format_signed(value) -> str:
    """Saldo migratorio with an explicit sign: '+2,376,434', '−531,984'."""
    if value is None or value == "":
        return ""
    value = int(value)
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return sign + format_int(abs(value))


def round_half_up(value, places: int = 1) -> Decimal:
    """Percentages are shown rounded half-up: 43.05 → 43.1 (Callao 43.0 %)."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_percent(value, places: int = 1) -> str:
    """43.0039 → '43.0 %'."""
    if value is None or value == "":
        return ""
    return f"{round_half_up(value, places):,.{places}f} %"


def format_signed_percent(value, places: int = 1) -> str:
    """A share that gains or loses, with its sign: '+29.8 %', '−44.0 %', '0.0 %'."""
    if value is None or value == "":
        return ""
    rounded = round_half_up(value, places)
    sign = "+" if rounded > 0 else ("−" if rounded < 0 else "")
    return f"{sign}{abs(rounded):,.{places}f} %"


def format_rate(value, places: int = 1) -> str:
    """A rate with its sign written as the source writes it: 58.1, −2.7 (growth %, rates per 1,000)."""
    if value is None or value == "":
        return ""
    rounded = round_half_up(value, places)
    return ("−" if rounded < 0 else "") + f"{abs(rounded):,.{places}f}"


def format_growth(value) -> str:
    """Average annual growth rate: '2.1 %', '−2.7 %'."""
    text = format_rate(value)
    return f"{text} %" if text else ""


def format_quantity(value) -> str:
    """Key figures as the source writes them: 1400 → '1,400'; 2000000 → '2 millones'; 2.5 → '2.5'."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value >= 1_000_000 and value % 100_000 == 0:
        millions = (value / 1_000_000).normalize()
        return ngettext("%(number)s millón", "%(number)s millones", int(millions)) % {"number": f"{millions:,f}"}
    return format_decimal(value)


CURRENCY = re.compile(r"[$€£¥]|^S/|^(PEN|USD|EUR)$", re.IGNORECASE)


def format_quantity_with_unit(value, unit: str = "") -> str:
    """A key figure with its unit where Spanish writes it: a currency before the number (US$ 2 millones,
    S/ 1,400), any other unit after it (80 %, 1,200 ha)."""
    quantity = format_quantity(value)
    unit = (unit or "").strip()
    if not unit:
        return quantity
    return f"{unit} {quantity}" if CURRENCY.search(unit) else f"{quantity} {unit}"


def format_decimal(value) -> str:
    """A number with the decimals it needs: 1250.00 → '1,250'; 12.50 → '12.5'; 0.70 → '0.7'."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return format_int(value)
    return f"{value.normalize():,f}"


# Reading what editors type ----------------------------------------------------------------------------------------

#: Spaces that group thousands: ordinary, no-break (Excel and Word in Spanish), narrow no-break and thin.
GROUP_SPACES = "\u00a0\u202f\u2009"
MINUS_SIGNS = "-\u2212\u2013"  # hyphen-minus, the minus sign, and the en dash Word writes for a typed "-"
NUMBER_TEXT = re.compile(r"[0-9.,][0-9 .,]*")  # after the sign, every grouping space written " "

NOT_A_WHOLE_NUMBER = _("«%(value)s» no es un número entero (p. ej. 1,387,809).")
NOT_A_NUMBER = _("«%(value)s» no es un número (p. ej. 1,387,809 o 0.3).")
BAD_GROUPS = _("«%(value)s» no es un número: los miles se separan de tres en tres cifras, p. ej. 1,387,809.")
HAS_DECIMALS = _("«%(value)s» tiene decimales; aquí va un número entero (p. ej. 1,387,809).")
TWO_READINGS = _(
    "«%(value)s» se puede leer de dos maneras: %(decimal)s (con decimales) o %(whole)s (sin decimales). "
    "Escriba %(decimal)s o %(whole)s, según lo que quiera decir."
)


class NumberNotRead(ValueError):
    """An entry that is not one number: ``str(error)`` says why and what to write, in Spanish."""

    def __init__(self, message, value, **readings):
        super().__init__(str(message) % {"value": value, **readings})


def read_number(value, *, whole: bool):
    """The number an editor means by ``value`` — text typed or pasted, or a spreadsheet cell — or NumberNotRead.

    ``whole``: a count or a year, read as an int; otherwise a Decimal (a share, a key figure). Empty gives None.

    - Thousands grouped with commas, points or spaces are one number: «1,387,809», «1.387.809», «1 387 809».
    - The decimal mark is a point or a comma: «0.3» and «0,3» are 0.3; «1.387,5» and «1,387.5» are 1387.5.
    - One comma or point followed by exactly three digits («1,500») groups thousands in a count (1500); where
      decimals are allowed it reads two ways (1.5 or 1500) and is refused, naming both. A count with decimals
      («1,5») is refused too. An entry is never silently read 10, 100 or 1,000 times bigger or smaller.
    - A spreadsheet's own numbers (int, float, Decimal) are taken as they are; 1387809.0 is a whole number.
    """
    if value is None:
        return None
    refused = NOT_A_WHOLE_NUMBER if whole else NOT_A_NUMBER
    if isinstance(value, bool):
        raise NumberNotRead(refused, value)
    if isinstance(value, int):
        return value if whole else Decimal(value)
    if isinstance(value, float | Decimal):
        # A float as the spreadsheet shows it (15 significant digits): 0.30000000000000004 is 0.3.
        number = Decimal(f"{value:.15g}") if isinstance(value, float) else value
        if not number.is_finite():
            raise NumberNotRead(refused, value)
        return _whole(number, value) if whole else number
    shown = str(value).strip()
    text = shown
    for space in GROUP_SPACES:
        text = text.replace(space, " ")
    if not text:
        return None
    sign = ""
    if text[0] in MINUS_SIGNS or text[0] == "+":
        sign, text = ("" if text[0] == "+" else "-"), text[1:].lstrip()
    if not NUMBER_TEXT.fullmatch(text):
        raise NumberNotRead(refused, shown)
    if text[0] in ",.":  # ,5 or .5
        text = "0" + text
    marks = [mark for mark in ",." if mark in text]
    decimal_mark = None
    if len(marks) == 2:  # 1,387.5 or 1.387,5: the last mark is the decimal one, the other groups thousands
        decimal_mark = max(marks, key=text.rindex)
        if text.count(decimal_mark) > 1:
            raise NumberNotRead(BAD_GROUPS, shown)
    elif len(marks) == 1 and text.count(marks[0]) == 1:
        before, after = text.split(marks[0])
        groups_thousands = len(after) == 3 and len(before) <= 3 and before[0] != "0" and " " not in before
        if not groups_thousands:
            decimal_mark = marks[0]
        elif not whole:
            reading = Decimal(f"{sign}{before}.{after}")
            raise NumberNotRead(TWO_READINGS, shown, decimal=_plain_decimal(reading), whole=f"{sign}{before}{after}")
    integer, fraction = text.rsplit(decimal_mark, 1) if decimal_mark else (text, "")
    if decimal_mark and not fraction.isdigit():
        raise NumberNotRead(refused, shown)
    groups = re.split(r"[ .,]", integer)
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])):
        raise NumberNotRead(BAD_GROUPS, shown)
    fraction = fraction.rstrip("0")  # 12.50 is 12.5; 5,00 is 5
    number = Decimal(f"{sign}{''.join(groups)}" + (f".{fraction}" if fraction else ""))
    return _whole(number, shown) if whole else number


def _plain_decimal(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _whole(number: Decimal, shown) -> int:
    if number != number.to_integral_value():
        raise NumberNotRead(HAS_DECIMALS, shown)
    return int(number)
