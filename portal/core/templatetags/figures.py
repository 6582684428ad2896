"""Figures and texts in templates: thin wrappers around ``portal.numbers`` and ``portal.text``."""

from django import template
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.core import numbers
from portal.core.text import render_markdown

register = template.Library()

register.filter("cifra", numbers.format_int)
register.filter("tasa", numbers.format_rate)
register.filter("crecimiento", numbers.format_growth)
register.filter("saldo", numbers.format_signed)
register.filter("porcentaje", numbers.format_percent)
register.filter("porcentaje_con_signo", numbers.format_signed_percent)
register.filter("cantidad", numbers.format_quantity)
register.filter("cantidad_con_unidad", numbers.format_quantity_with_unit)


@register.filter
def absoluto(value):
    """Magnitude of a number, e.g. the people a department loses (−531,984 → 531984)."""
    return abs(value)


@register.filter
def diferencia(total, expected) -> str:
    """``{{ total|diferencia:expected }}``: '+2,174', '−630', '0' (a sum against what it must be)."""
    return numbers.format_signed(total - expected) or "0"


@register.filter
def ordinal(value) -> str:
    """1 → '1.º' in Spanish; '1st', '2nd', '3rd', '11th' in English."""
    number = int(value)
    if get_language() != "en":
        return f"{number}.º"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@register.filter
def month_year(value) -> str:
    """A month-precision date: 'septiembre del 2007' (Spanish), 'September 2007' (English)."""
    if not value:
        return ""
    month = date_format(value, "F")
    if get_language() != "en":
        month = month.lower()
    return _("%(month)s del %(year)s") % {"month": month, "year": value.year}


@register.filter
def format(measure, value) -> str:
    """``{{ measure|format:value }}``: a value of a migration measure as pages write it (``migration.measures``)."""
    return measure.format(value)


@register.filter
def format_of(measure, row) -> str:
    """``{{ measure|format_of:row }}``: the measure's value of ``row``, as pages write it."""
    return measure.format(measure.of(row))


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` (the key as text too), or None: a department's population in a census year."""
    if not mapping:
        return None
    return mapping.get(key, mapping.get(str(key)))


@register.filter
def growth_over(series, interval):
    """A department's average annual growth rate over ``interval`` (``migration.population.DepartmentSeries``)."""
    return series.growth(interval)


@register.filter
def share_in(series, year):
    return series.share(year)


@register.filter
def join_names(rows) -> str:
    return ", ".join(row.department.name for row in rows)


@register.filter
def as_list(value) -> list:
    """One object as a list of one, for an include that takes a list."""
    return [value]


@register.filter
def join_years(years) -> str:
    """(2017, 2025) → «2017 y 2025»; «1993, 2017 y 2025»."""
    years = [str(year) for year in years]
    if len(years) < 2:
        return "".join(years)
    return _("%(names)s y %(last)s") % {"names": ", ".join(years[:-1]), "last": years[-1]}


@register.filter
def join_localized_names(parts) -> str:
    """«Lima Metropolitana y Región Lima»: the ``localized_name`` of each object, in the visitor's language."""
    names = [str(part.localized_name) for part in parts]
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s y %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


@register.filter
def markdown(text: str, values=None):
    return mark_safe(render_markdown(text or "", values))  # noqa: S308 (sanitised by nh3)
