"""Figures written as the source writes them, in every language of the site.

Comma thousands and point decimals: 2,781,145; 43.0 %; +2,376,434. Python's own formatting does
exactly that (and much faster than the locale machinery: a page shows hundreds of figures).
Domain code imports these; the template filters (``portal/templatetags/figures.py``) only wrap them.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

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
