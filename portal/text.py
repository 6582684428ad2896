"""Markdown written by editors, turned into safe HTML."""

import difflib
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

import markdown
import nh3
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "sup", "sub", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
MARKER = re.compile(r"\[\[\s*([a-z0-9_]+(?::[a-z0-9-]+)?)\s*\]\]")
ANY_MARKER = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)

# The markers the portal fills (migration.summary.NationalSummary.figure_values builds their values).
NATIONAL_MARKERS = {
    "poblacion_nacional": _("población nacional censada"),
    "poblacion_migrante": _("personas que viven en otro departamento que el de su nacimiento"),
    "pct_poblacion_migrante": _("% de la población que vive en otro departamento"),
    "pct_nacido_extranjero": _("% de la población nacida en otro país"),
    "uno_de_cada": _("«una de cada N» personas (en palabras)"),
    "anio_censo": _("año del censo"),
}
DEPARTMENT_MARKERS = {
    "poblacion": _("población censada"),
    "inmigrantes": _("inmigrantes"),
    "emigrantes": _("emigrantes"),
    "saldo": _("saldo migratorio con signo (+2,376,434)"),
    "saldo_abs": _("saldo migratorio sin signo"),
    "pct_inmigrantes": _("% de inmigrantes"),
    "pct_emigrantes": _("% de emigrantes"),
}


def marker_names(department_slugs: Iterable[str]) -> set[str]:
    """Every valid marker name, for these departments."""
    slugs = list(department_slugs)
    return set(NATIONAL_MARKERS) | {f"{name}:{slug}" for name in DEPARTMENT_MARKERS for slug in slugs}


def unknown_markers(text: str, department_slugs: Iterable[str]) -> list[tuple[str, str | None]]:
    """``[(marker as written, closest valid marker or None)]`` for each ``[[…]]`` the portal cannot fill."""
    valid = marker_names(department_slugs)
    found = []
    for match in ANY_MARKER.finditer(text or ""):
        name = match.group(1).strip()
        if name in valid or any(written == match.group(0) for written, _ in found):
            continue
        close = difflib.get_close_matches(name.lower().replace(" ", ""), valid, n=1, cutoff=0.75)
        found.append((match.group(0), f"[[{close[0]}]]" if close else None))
    return found


def fill_markers(text: str, values: Mapping[str, str]) -> str:
    """Replace ``[[key]]`` markers by their values; unknown markers stay visible for editors."""
    return MARKER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def render_markdown(text: str, values: Mapping[str, str] | None = None) -> str:
    return _to_safe_html(fill_markers(text, values or {}))


@lru_cache(maxsize=512)
def _to_safe_html(text: str) -> str:
    """A pure function of the text: the few narrative texts are converted once per process, not per view."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
