"""Population in the national censuses (1940–2017) and recent migration (five years before a census).

Only INEI's counts are stored; what is derived from them is computed here, in one place:
the share of the national population, the average annual growth rate between censuses and
the national totals. Rates of recent migration per 1,000 inhabitants aged 5+ come from
``RecentMigrationQuerySet.with_rates``.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from portal.core.text import LocalizedText

from .models import CensusPopulation, PopulationCensus, RecentMigration

DAYS_PER_YEAR = 365.25


def growth_rate(earlier: int, later: int, start: date, end: date) -> float:
    """Average annual geometric growth rate, in %, between two censuses on their exact dates.

    r = (later / earlier) ^ (1 / t) − 1, with t the years between the census days (days / 365.25).
    """
    years = (end - start).days / DAYS_PER_YEAR
    return ((later / earlier) ** (1 / years) - 1) * 100


def sources_of(rows) -> tuple[str, ...]:
    """The rows' sources in Spanish, each once (what the open-data files say)."""
    return tuple(dict.fromkeys(row.source for row in rows))


def localized_sources_of(rows) -> tuple[LocalizedText, ...]:
    """The rows' sources in the visitor's language, each once (what the pages say)."""
    return tuple(dict.fromkeys(row.localized_source for row in rows))


@dataclass(frozen=True)
class Interval:
    """Two consecutive censuses."""

    start: PopulationCensus
    end: PopulationCensus

    @property
    def key(self) -> str:
        return f"{self.start.year}_{self.end.year}"

    @property
    def label(self) -> str:
        return f"{self.start.year}–{self.end.year}"


@dataclass(eq=False)
class DepartmentSeries:
    """One department's population in every census (None where a census has no figure for it)."""

    department: object
    populations: dict[int, int]  # census year → población censada
    inei_note: bool
    history: "PopulationHistory" = field(repr=False)

    def population(self, year: int) -> int | None:
        return self.populations.get(year)

    def share(self, year: int) -> float | None:
        """% of the national population in that census."""
        census = self.history.census(year)
        value = self.populations.get(year)
        return None if value is None else value * 100 / census.national_population

    def growth(self, interval: Interval) -> float | None:
        earlier, later = self.populations.get(interval.start.year), self.populations.get(interval.end.year)
        if earlier is None or later is None:
            return None
        return growth_rate(earlier, later, interval.start.census_date, interval.end.census_date)

    def points(self):
        """(census, population, share, growth since the previous census) for each census, oldest first."""
        previous = None
        for census in self.history.censuses:
            value = self.populations.get(census.year)
            growth = None
            if previous is not None and value is not None:
                growth = self.growth(Interval(previous, census))
            yield census, value, self.share(census.year), growth
            previous = census

    @property
    def populations_by_census(self) -> dict[str, int]:
        """Keyed by the census year as text, for the table's accessors (``populations_by_census.1940``)."""
        return {str(year): value for year, value in self.populations.items()}

    @property
    def growths(self) -> dict[str, float | None]:
        """Growth rate per interval, keyed ``1940_1961``…, for the table's accessors."""
        return {interval.key: self.growth(interval) for interval in self.history.intervals}

    @property
    def shares(self) -> dict[str, float | None]:
        return {str(census.year): self.share(census.year) for census in self.history.censuses}


@dataclass(eq=False)
class PopulationHistory:
    """Every department's population in every census, read in one query."""

    censuses: tuple[PopulationCensus, ...]  # oldest first
    rows: tuple[DepartmentSeries, ...]  # alphabetical
    source_figures: tuple[CensusPopulation, ...] = ()  # one figure of each source (and English version)

    @classmethod
    def load(cls, slug: str | None = None) -> "PopulationHistory":
        """Every department's series, or only the one of the department ``slug``."""
        figures = CensusPopulation.objects.for_history()
        if slug is not None:
            figures = figures.filter(department__slug=slug)
        censuses, series, sources = {}, {}, {}
        history = cls((), ())
        for figure in figures:
            sources.setdefault((figure.source, figure.source_en), figure)
            censuses.setdefault(figure.census.year, figure.census)
            row = series.get(figure.department_id)
            if row is None:
                row = series[figure.department_id] = DepartmentSeries(figure.department, {}, False, history)
            row.populations[figure.census.year] = figure.population
            row.inei_note = row.inei_note or figure.inei_note
        history.censuses = tuple(censuses[year] for year in sorted(censuses))
        history.rows = tuple(series.values())
        history.source_figures = tuple(sources.values())
        return history

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def sources(self) -> tuple[str, ...]:
        return sources_of(self.source_figures)

    @property
    def localized_sources(self) -> tuple[LocalizedText, ...]:
        return localized_sources_of(self.source_figures)

    def census(self, year: int) -> PopulationCensus | None:
        return self._by_year.get(year)

    @cached_property
    def _by_year(self) -> dict[int, PopulationCensus]:
        return {census.year: census for census in self.censuses}

    @cached_property
    def intervals(self) -> tuple[Interval, ...]:
        return tuple(Interval(a, b) for a, b in zip(self.censuses, self.censuses[1:], strict=False))

    def interval(self, key: str) -> Interval | None:
        return next((interval for interval in self.intervals if interval.key == key), None)

    @property
    def first(self) -> PopulationCensus:
        return self.censuses[0]

    @property
    def last(self) -> PopulationCensus:
        return self.censuses[-1]

    @property
    def span(self) -> Interval:
        return Interval(self.first, self.last)

    def national_growth(self, interval: Interval) -> float:
        return growth_rate(
            interval.start.national_population,
            interval.end.national_population,
            interval.start.census_date,
            interval.end.census_date,
        )

    @cached_property
    def by_slug(self) -> dict[str, DepartmentSeries]:
        return {row.department.slug: row for row in self.rows}

    @property
    def largest(self) -> DepartmentSeries:
        """The department with the largest share of the country in the last census (the headline's subject)."""
        return max(self.rows, key=lambda row: row.populations.get(self.last.year, 0))

    @property
    def noted(self) -> list[DepartmentSeries]:
        """Departments INEI marks with its note 1/ (limits changed between censuses)."""
        return [row for row in self.rows if row.inei_note]


@dataclass
class RecentMigrationSummary:
    """The areas of recent migration of one census (Lima and Callao as one), with national totals."""

    areas: tuple[RecentMigration, ...]  # alphabetical, with rates

    @classmethod
    def load(cls) -> "RecentMigrationSummary":
        areas = list(RecentMigration.objects.for_table())
        latest = max((area.census.year for area in areas), default=None)
        return cls(tuple(area for area in areas if area.census.year == latest))

    def __bool__(self) -> bool:
        return bool(self.areas)

    @property
    def census(self) -> PopulationCensus:
        return self.areas[0].census

    @property
    def sources(self) -> tuple[str, ...]:
        return sources_of(self.areas)

    @property
    def localized_sources(self) -> tuple[LocalizedText, ...]:
        return localized_sources_of(self.areas)

    @property
    def period(self) -> str:
        return self.areas[0].period

    @cached_property
    def population_5plus(self) -> int:
        return sum(area.population_5plus for area in self.areas)

    @cached_property
    def native_total(self) -> int:
        return sum(area.native_total for area in self.areas)

    @cached_property
    def native_present(self) -> int:
        return sum(area.native_present for area in self.areas)

    @cached_property
    def immigrants(self) -> int:
        return sum(area.immigrants for area in self.areas)

    @cached_property
    def emigrants(self) -> int:
        return sum(area.emigrants for area in self.areas)

    @property
    def net_migration(self) -> int:
        return self.immigrants - self.emigrants

    @property
    def migration_rate(self) -> float:
        """People who changed department in the period, per 1,000 inhabitants aged 5+."""
        return self.immigrants * 1000 / self.population_5plus

    # The country as a whole, for each rate of ``migration.measures.RECENT_MEASURES``: every immigrant of an
    # area is an emigrant of another.
    immigration_rate = emigration_rate = migration_rate

    @property
    def net_rate(self) -> float:
        return self.net_migration * 1000 / self.population_5plus

    @property
    def joint_areas(self) -> list[RecentMigration]:
        return [area for area in self.areas if area.is_joint]

    @cached_property
    def by_department(self) -> dict[int, RecentMigration]:
        return {department.pk: area for area in self.areas for department in area.departments.all()}

    def ranked(self, measure: str, *, lowest_first: bool = False) -> list[RecentMigration]:
        return sorted(self.areas, key=lambda area: getattr(area, measure), reverse=not lowest_first)
