from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

from portal.text import render_markdown

register = template.Library()


def format_int(value) -> str:
    """2781145 → '2,781,145' (grouping as the source document writes figures)."""
    if value is None or value == "":
        return ""
    return number_format(int(value), force_grouping=True)


def format_signed(value) -> str:
    """Saldo migratorio with an explicit sign: '+2,376,434', '−531,984'."""
    if value is None or value == "":
        return ""
    value = int(value)
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return sign + format_int(abs(value))


def round_half_up(value, places: int = 1) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_percent(value, places: int = 1) -> str:
    """43.0039 → '43.0 %'."""
    if value is None or value == "":
        return ""
    return f"{number_format(round_half_up(value, places), places)} %"


register.filter("cifra", format_int)
register.filter("saldo", format_signed)
register.filter("porcentaje", format_percent)


@register.filter
def markdown(text: str, values=None):
    return mark_safe(render_markdown(text or "", values))  # noqa: S308 (sanitised by nh3)


@register.filter
def ordinal(value) -> str:
    """1 → '1.º' (Spanish ordinal abbreviation)."""
    return f"{int(value)}.º"


@register.filter
def absoluto(value):
    """Magnitude of a number, e.g. the people a department loses (−531,984 → 531984)."""
    return abs(value)


def format_quantity(value) -> str:
    """Key figures as the source writes them: 1400 → '1,400'; 2000000 → '2 millones'; 2.5 → '2.5'."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value >= 1_000_000 and value % 100_000 == 0:
        millions = value / 1_000_000
        number = number_format(millions.normalize(), force_grouping=True)
        return f"{number} {'millón' if millions == 1 else 'millones'}"
    if value == value.to_integral_value():
        return format_int(value)
    return number_format(value.normalize(), force_grouping=True)


register.filter("cantidad", format_quantity)
