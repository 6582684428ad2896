"""National figures and highlights of one census edition, built from the annotated rows.

Per-department derived values (saldo, shares, ranks) come from
``DepartmentFiguresQuerySet.with_derived``; this module only adds them up and
picks the extremes, so every page and every narrative marker shows the same numbers.
"""

from dataclasses import dataclass, field
from functools import cached_property, partial

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.core.cache import content_version
from portal.core.numbers import format_int, format_percent, format_signed

from .models import CensusEdition, DepartmentFigures

SPANISH_SMALL_NUMBERS = {
    1: "uno", 2: "dos", 3: "tres", 4: "cuatro", 5: "cinco",
    6: "seis", 7: "siete", 8: "ocho", 9: "nueve", 10: "diez",
}  # fmt: skip


def small_number_words(number: int) -> str:
    """«cinco», «diez» in the Spanish narrative; the digits in English (and beyond ten)."""
    if get_language() == "en":
        return format_int(number)
    return SPANISH_SMALL_NUMBERS.get(number, format_int(number))


def resolve_edition(year_param: str | None, drafts: bool = False) -> CensusEdition:
    """The edition asked for with ``?edicion=AAAA``, or the latest published one; only editions that have
    figures. With ``drafts`` (a signed-in editor) the year may name a draft edition too."""
    editions = CensusEdition.objects.public()
    if drafts and year_param not in (None, ""):
        editions = CensusEdition.objects.with_figures()
    if year_param in (None, ""):
        edition = editions.first()
        if edition is None:
            raise Http404(_("Todavía no se han cargado datos del censo."))
        return edition
    if not (year_param.isascii() and year_param.isdigit()) or len(year_param) != 4:
        raise Http404(_("La edición del censo se indica con un año de cuatro cifras, p. ej. ?edicion=2007."))
    try:
        return editions.get(year=int(year_param))
    except CensusEdition.DoesNotExist:
        raise Http404(_("No hay datos del censo %(year)s.") % {"year": year_param}) from None


def load_summary(request, year_param: str | None = None) -> "NationalSummary":
    """The summary of the edition asked for with ``?edicion=AAAA``, or of the latest one.

    Read and added up once per content version (``portal.cache``), not once per page view: kept in
    the cache with ``cache.get_or_set``. Each call gets its own copy (the cache stores it pickled).
    """
    if year_param not in (None, "") and (not (year_param.isascii() and year_param.isdigit()) or len(year_param) != 4):
        resolve_edition(year_param)  # the 404 with its explanation
    drafts = year_param not in (None, "") and may_see_drafts(request)
    key = f"summary:{content_version(request)}:{year_param or ''}:{'drafts' if drafts else ''}"
    return cache.get_or_set(key, partial(_compute_summary, year_param, drafts), settings.FRAGMENT_CACHE_SECONDS)


def may_see_drafts(request) -> bool:
    """A signed-in editor sees a draft edition on the public pages (``?edicion=AAAA``), marked «Borrador».

    Only a request with a session cookie is looked at: a visitor's session is never touched. Such requests
    are never kept by the page cache nor by Varnish, and are answered ``private, no-store`` (README,
    *Caching*); a visitor asking for a draft's year gets a 404 before any cached part is drawn."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff


def _compute_summary(year_param: str | None, drafts: bool = False) -> "NationalSummary":
    if year_param in (None, ""):
        rows = list(DepartmentFigures.objects.for_latest_edition())
        if not rows:
            raise Http404(_("Todavía no se han cargado datos del censo."))
        return NationalSummary(rows[0].edition, tuple(rows))
    summary = NationalSummary.for_edition(resolve_edition(year_param, drafts))
    summary.edition_query = f"?edicion={summary.edition.year}"
    return summary


@dataclass
class NationalSummary:
    edition: CensusEdition
    rows: tuple[DepartmentFigures, ...]  # alphabetical

    @classmethod
    def for_edition(cls, edition: CensusEdition) -> "NationalSummary":
        return cls(edition, tuple(DepartmentFigures.objects.for_table(edition)))

    #: "?edicion=AAAA" when the visitor asked for an edition, so links stay on it; "" for the latest.
    edition_query: str = ""
    _figure_values: dict[str, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    # Totals -------------------------------------------------------------
    @cached_property
    def population(self) -> int:
        return sum(row.population for row in self.rows)

    @cached_property
    def immigrants(self) -> int:
        return sum(row.immigrants for row in self.rows)

    @cached_property
    def emigrants(self) -> int:
        return sum(row.emigrants for row in self.rows)

    @property
    def net_migration(self) -> int:
        return self.immigrants - self.emigrants

    @property
    def migrants(self) -> int:
        """People living in a department other than the one they were born in."""
        return self.immigrants

    @property
    def migrant_share(self) -> float:
        return self.migrants * 100 / self.edition.national_population

    @property
    def one_in(self) -> int:
        """'Una de cada N personas' nació en otro departamento."""
        return round(self.edition.national_population / self.migrants)

    @property
    def one_in_words(self) -> str:
        """'cinco' in the Spanish narrative; the digit elsewhere (and beyond ten)."""
        return small_number_words(self.one_in)

    @property
    def born_abroad_share(self) -> float:
        return float(self.edition.born_abroad_share)

    @property
    def same_department_share(self) -> float:
        return 100 - self.migrant_share - self.born_abroad_share

    @property
    def immigrant_share(self) -> float:
        return self.immigrants * 100 / self.population

    @property
    def emigrant_share(self) -> float:
        return self.emigrants * 100 / self.population

    # Look-ups and rankings ------------------------------------------------
    @cached_property
    def by_slug(self) -> dict[str, DepartmentFigures]:
        return {row.department.slug: row for row in self.rows}

    def ranked(self, measure: str, *, lowest_first: bool = False) -> list[DepartmentFigures]:
        return sorted(self.rows, key=lambda row: getattr(row, measure), reverse=not lowest_first)

    def top(self, measure: str, n: int = 4) -> list[DepartmentFigures]:
        return self.ranked(measure)[:n]

    def bottom(self, measure: str, n: int = 3) -> list[DepartmentFigures]:
        return self.ranked(measure, lowest_first=True)[:n]

    @property
    def largest_gain(self) -> DepartmentFigures:
        return self.ranked("net_migration")[0]

    @property
    def largest_loss(self) -> DepartmentFigures:
        return self.ranked("net_migration", lowest_first=True)[0]

    @property
    def departments_gaining(self) -> int:
        return sum(row.net_migration > 0 for row in self.rows)

    @property
    def departments_losing(self) -> int:
        return sum(row.net_migration < 0 for row in self.rows)

    def neighbours(self, row: DepartmentFigures):
        """Previous and next department in alphabetical order (wrapping around)."""
        index = self.rows.index(row)
        return self.rows[index - 1], self.rows[(index + 1) % len(self.rows)]

    # Narrative markers ------------------------------------------------------
    @property
    def figure_values(self) -> dict[str, str]:
        """Values for the ``[[marker]]`` placeholders of the narrative text, in the active language."""
        language = get_language()
        if language not in self._figure_values:
            self._figure_values[language] = self._build_figure_values()
        return self._figure_values[language]

    def _build_figure_values(self) -> dict[str, str]:
        values = {
            "poblacion_nacional": format_int(self.edition.national_population),
            "poblacion_migrante": format_int(self.migrants),
            "pct_poblacion_migrante": format_percent(self.migrant_share),
            "pct_nacido_extranjero": format_percent(self.born_abroad_share),
            "uno_de_cada": self.one_in_words,
            "anio_censo": str(self.edition.year),
        }
        for slug, row in self.by_slug.items():
            values |= {
                f"poblacion:{slug}": format_int(row.population),
                f"inmigrantes:{slug}": format_int(row.immigrants),
                f"emigrantes:{slug}": format_int(row.emigrants),
                f"saldo:{slug}": format_signed(row.net_migration),
                f"saldo_abs:{slug}": format_int(abs(row.net_migration)),
                f"pct_inmigrantes:{slug}": format_percent(row.immigrant_share),
                f"pct_emigrantes:{slug}": format_percent(row.emigrant_share),
            }
        return values


MAX_COMPARED = 5


@dataclass
class Comparison:
    """Departments chosen with ``?d=slug&d=slug…`` (2 to 5), and what was left out and why."""

    summary: NationalSummary
    rows: list[DepartmentFigures]
    unknown: list[str]
    dropped: list[str]

    @classmethod
    def from_slugs(cls, summary: NationalSummary, slugs: list[str]) -> "Comparison":
        rows, unknown, dropped = [], [], []
        for slug in slugs:
            slug = slug.strip()[:80]
            row = summary.by_slug.get(slug)
            if row is None:
                if slug:
                    unknown.append(slug)
            elif row in rows:
                continue
            elif len(rows) >= MAX_COMPARED:
                dropped.append(row.department.name)
            else:
                rows.append(row)
        return cls(summary, rows, unknown, dropped)

    @property
    def is_complete(self) -> bool:
        return len(self.rows) >= 2

    @property
    def slugs(self) -> list[str]:
        return [row.department.slug for row in self.rows]

    @property
    def names(self) -> str:
        return ", ".join(row.department.name for row in self.rows)

    @property
    def query(self) -> str:
        return "&".join(f"d={slug}" for slug in self.slugs)
