"""Population in the national censuses, recent migration (five years before a census) and the counts by origin
of the newest census (2025).

Only INEI's counts are stored; what is derived from them is computed here, in one place:
the share of the national population, the average annual growth rate between censuses and
the national totals. Rates of recent migration per 1,000 inhabitants aged 5+ come from
``RecentMigrationQuerySet.with_rates``, balances by origin from ``CensusPopulationQuerySet.with_balances``.

Public pages show published censuses; a signed-in editor also sees a draft census (``summary.may_see_drafts``),
marked «Borrador» on the page: such pages are never kept by the page cache (a session) and are ``private``.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q, Subquery, Value

from portal.core.cache import content_version
from portal.core.text import LocalizedText, localized

from .models import CensusEdition, CensusPopulation, DepartmentPart, PopulationCensus, RecentMigration
from .summary import small_number_words

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
    sources: dict[int, str] = field(default_factory=dict)  # census year → the figure's source (Spanish)

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
    def load(cls, slug: str | None = None, drafts: bool = False) -> "PopulationHistory":
        """Every department's series, or only the one of the department ``slug``; published censuses, and the
        drafts too with ``drafts`` (``may_see_drafts``)."""
        figures = CensusPopulation.objects.for_history().filter(census__in=PopulationCensus.objects.shown(drafts))
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
            row.sources[figure.census.year] = figure.source
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

    def national_change(self, interval: Interval) -> float:
        """% change of the national population between two censuses (2017 → 2025: +11.3 %)."""
        return (interval.end.national_population / interval.start.national_population - 1) * 100

    @cached_property
    def by_slug(self) -> dict[str, DepartmentSeries]:
        return {row.department.slug: row for row in self.rows}

    @property
    def drafts(self) -> list[PopulationCensus]:
        """Draft censuses shown (to a signed-in editor)."""
        return [census for census in self.censuses if census.is_draft]

    @property
    def dated_by_fieldwork(self) -> list[PopulationCensus]:
        """Censuses whose date is the midpoint of weeks of fieldwork (2025), which the pages say."""
        return [census for census in self.censuses if census.date_is_fieldwork_midpoint]

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


@dataclass
class OriginSummary:
    """A census that counts people by origin (2025): each department's residents beside the people born in it and
    the people who lived in it five years before (wherever in Peru they live now), with the balances and ranks of
    ``CensusPopulationQuerySet.with_balance_ranks``; the parts INEI publishes a department in (Lima); the national
    figures, including the people counted by origin abroad, which INEI does not give by department.

    What it cannot give, and so never gives: immigrants or emigrants of a department, or a national count of
    internal migrants («one in N»).
    """

    census: PopulationCensus
    rows: tuple[CensusPopulation, ...]  # alphabetical, with balances, ranks and ``has_parts``

    @classmethod
    def load(cls, drafts: bool = False, year: int | None = None) -> "OriginSummary | None":
        """The newest census with origin figures (or the one of ``year``); drafts too with ``drafts``. None when
        there is none. One query; the parts and the earlier census are read when asked for."""
        censuses = PopulationCensus.objects.shown(drafts).filter(national_population_5plus__isnull=False)
        if year is not None:
            censuses = censuses.filter(year=year)
        parts = DepartmentPart.objects.filter(census=OuterRef("census"), department=OuterRef("department"))
        rows = tuple(
            CensusPopulation.objects.filter(
                census=Subquery(censuses.order_by("-year").values("pk")[:1]),
                population_5plus__isnull=False,
                born_here__isnull=False,
                lived_here_before__isnull=False,
            )
            .with_balance_ranks()
            .annotate(has_parts=Exists(parts))
            .select_related("census", "department")
            .order_by("department__name")
        )
        if not rows:
            return None
        return cls(rows[0].census, rows)

    @cached_property
    def parts(self) -> tuple[DepartmentPart, ...]:
        """The parts INEI publishes departments in (Lima), with their balances; read only if there are any."""
        if not any(row.has_parts for row in self.rows):
            return ()
        return tuple(
            DepartmentPart.objects.filter(census=self.census)
            .with_balances()
            .select_related("department")
            .order_by("department__name", "-population")
        )

    @cached_property
    def earlier_edition(self) -> CensusEdition | None:
        """The newest published census edition before this census with a share born abroad (2007: 0.30 %)."""
        return CensusEdition.objects.public().filter(year__lt=self.census.year).first()

    @cached_property
    def previous_census(self) -> PopulationCensus | None:
        """The census before it (2017), for the growth of the population counted."""
        return PopulationCensus.objects.public().filter(year__lt=self.census.year).order_by("-year").first()

    @property
    def population_change(self) -> float | None:
        """% change of the national population counted since the previous census (2017 → 2025: +11.3 %)."""
        previous = self.previous_census
        if previous is None:
            return None
        return (self.census.national_population / previous.national_population - 1) * 100

    @property
    def is_draft(self) -> bool:
        return self.census.is_draft

    @property
    def sources(self) -> tuple[str, ...]:
        return sources_of(self.rows)

    @property
    def localized_sources(self) -> tuple[LocalizedText, ...]:
        return localized_sources_of(self.rows)

    @property
    def sources_with_earlier(self) -> tuple[LocalizedText, ...]:
        """Its sources and the earlier edition's attribution: what a comparison with that edition cites."""
        earlier = (self.earlier_edition.localized_attribution,) if self.earlier_edition else ()
        return (*self.localized_sources, *earlier)

    @property
    def year(self) -> int:
        return self.census.year

    @property
    def earlier_year(self) -> int:
        """The year of «five years before» (2020)."""
        return self.census.earlier_year

    @property
    def period(self) -> str:
        return f"{self.census.earlier_year}–{self.census.year}"

    # The whole country: sums of the departments (what the tables' «Perú» row shows) -------------------------
    def _sum(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.rows)

    @cached_property
    def population(self) -> int:
        return self._sum("population")

    @cached_property
    def born_here(self) -> int:
        """People born in a department of Peru (the national population less those born abroad)."""
        return self._sum("born_here")

    @cached_property
    def population_5plus(self) -> int:
        return self._sum("population_5plus")

    @cached_property
    def lived_here_before(self) -> int:
        return self._sum("lived_here_before")

    @property
    def lifetime_balance(self) -> int:
        """Over the whole country the departments' gains and losses cancel out: what is left is the people born
        abroad (when the census is coherent)."""
        return self.population - self.born_here

    @property
    def recent_balance(self) -> int:
        return self.population_5plus - self.lived_here_before

    @property
    def lifetime_balance_share(self) -> float:
        return self.lifetime_balance * 100 / self.population

    @property
    def recent_balance_share(self) -> float:
        return self.recent_balance * 100 / self.population_5plus

    # Counted by origin abroad ---------------------------------------------------------------------------------
    @property
    def born_abroad(self) -> int:
        return self.census.born_abroad

    @property
    def lived_abroad_before(self) -> int:
        return self.census.lived_abroad_before

    @property
    def born_abroad_share(self) -> float:
        """% of the national population born abroad (2025: 3.2 %)."""
        return self.census.born_abroad * 100 / self.census.national_population

    @property
    def lived_abroad_share(self) -> float:
        """% of the national population aged 5+ who lived abroad five years before."""
        return self.census.lived_abroad_before * 100 / self.census.national_population_5plus

    @property
    def earlier_born_abroad_share(self) -> float | None:
        return None if self.earlier_edition is None else float(self.earlier_edition.born_abroad_share)

    @property
    def born_abroad_times_words(self) -> str:
        """``born_abroad_times`` as the narrative says it: «diez» in Spanish, the digits in English."""
        return small_number_words(self.born_abroad_times)

    @property
    def born_abroad_times(self) -> int | None:
        """How many whole times the share born abroad is that of the earlier census (10 for 3.2 % against 0.3 %:
        «more than ten times»); None without an earlier share or when it is not at least twice as large."""
        earlier = self.earlier_born_abroad_share
        if not earlier:
            return None
        times = math.floor(self.born_abroad_share / earlier)
        return times if times >= 2 else None

    # Departments ------------------------------------------------------------------------------------------------
    @cached_property
    def by_slug(self) -> dict[str, CensusPopulation]:
        return {row.department.slug: row for row in self.rows}

    def parts_of(self, department) -> list[DepartmentPart]:
        row = next((row for row in self.rows if row.department_id == department.pk), None)
        if row is None or not row.has_parts:
            return []
        return [part for part in self.parts if part.department_id == department.pk]

    def ranked(self, measure: str, *, lowest_first: bool = False) -> list[CensusPopulation]:
        return sorted(self.rows, key=lambda row: getattr(row, measure), reverse=not lowest_first)

    def gaining(self, measure: str) -> list[CensusPopulation]:
        return [row for row in self.ranked(measure) if getattr(row, measure) > 0]

    def losing(self, measure: str) -> list[CensusPopulation]:
        return [row for row in self.ranked(measure, lowest_first=True) if getattr(row, measure) < 0]

    @property
    def gaining_lifetime(self) -> list[CensusPopulation]:
        """Departments with more residents than people born in them, largest balance first."""
        return self.gaining("lifetime_balance")

    @property
    def losing_lifetime(self) -> list[CensusPopulation]:
        return self.losing("lifetime_balance")

    @property
    def largest_gain(self) -> CensusPopulation:
        return self.ranked("lifetime_balance")[0]

    @property
    def largest_loss(self) -> CensusPopulation:
        return self.ranked("lifetime_balance", lowest_first=True)[0]

    @property
    def largest_recent_gain(self) -> CensusPopulation:
        return self.ranked("recent_balance")[0]

    @property
    def largest_recent_loss(self) -> CensusPopulation:
        return self.ranked("recent_balance", lowest_first=True)[0]


@dataclass(frozen=True)
class EditionSource:
    """A published census edition of lifetime migration (2007) and its attribution line."""

    year: int
    attribution: str
    attribution_en: str

    @property
    def localized_attribution(self) -> LocalizedText:
        return localized(self, "attribution")


@dataclass(frozen=True)
class CensusSources:
    """Which census each kind of figure comes from — what the footer, the API's description and the open data's
    LEEME.txt say, never a year written by hand: the published population censuses (the newest last; those that
    count people by origin) and the published census editions of lifetime migration with their attribution.

    Read in one query (``load``), kept per content version by the callers that show it on every page.
    """

    census_years: tuple[int, ...]  # oldest first
    origin_years: tuple[int, ...]
    recent_years: tuple[int, ...]  # censuses with recent migration (2007: 2002–2007)
    editions: tuple[EditionSource, ...]  # newest first

    @classmethod
    def load(cls) -> "CensusSources":
        text = models.CharField()
        flag = models.BooleanField()
        censuses = (
            PopulationCensus.objects.public()
            .annotate(
                kind=Value("census", output_field=text),
                text=Value("", output_field=text),
                text_en=Value("", output_field=text),
                origin=ExpressionWrapper(Q(national_population_5plus__isnull=False), output_field=flag),
                recent=Exists(RecentMigration.objects.filter(census=OuterRef("pk"))),
            )
            .values_list("kind", "year", "text", "text_en", "origin", "recent")
            .order_by()
        )
        editions = (
            CensusEdition.objects.public()
            .annotate(
                kind=Value("edition", output_field=text),
                origin=Value(False, output_field=flag),
                recent=Value(False, output_field=flag),
            )
            .values_list("kind", "year", "attribution", "attribution_en", "origin", "recent")
            .order_by()
        )
        rows = sorted(censuses.union(editions, all=True), key=lambda row: row[1])
        return cls(
            census_years=tuple(year for kind, year, *_rest in rows if kind == "census"),
            origin_years=tuple(year for kind, year, _t, _e, origin, _r in rows if kind == "census" and origin),
            recent_years=tuple(year for kind, year, _t, _e, _o, recent in rows if kind == "census" and recent),
            editions=tuple(
                EditionSource(year, text, text_en)
                for kind, year, text, text_en, *_rest in reversed(rows)
                if kind == "edition"
            ),
        )

    @property
    def first(self) -> int | None:
        return self.census_years[0] if self.census_years else None

    @property
    def newest(self) -> int | None:
        """The newest published census (2025)."""
        return self.census_years[-1] if self.census_years else None

    @property
    def newest_counts_origin(self) -> bool:
        return self.newest is not None and self.newest in self.origin_years

    @property
    def edition(self) -> EditionSource | None:
        """The newest published edition of lifetime migration (2007)."""
        return self.editions[0] if self.editions else None

    @property
    def without_lifetime_migration(self) -> tuple[int, ...]:
        """Censuses after the newest edition of lifetime migration (2017, 2025): INEI has published no
        origin–destination table of them, so the portal has no immigrants and emigrants of them."""
        edition = self.edition
        return tuple(year for year in self.census_years if edition is not None and year > edition.year)


def cached_census_sources(request) -> CensusSources:
    """``CensusSources`` read once per content version (the footer of every page, /datos/ and its zip)."""
    key = f"census-sources:{content_version(request)}"
    return cache.get_or_set(key, CensusSources.load, settings.FRAGMENT_CACHE_SECONDS)


@dataclass(frozen=True)
class CensusGuideEntry:
    census: PopulationCensus
    lifetime_edition: bool  # a published edition of lifetime migration (immigrants, emigrants) of this year
    recent_migration: bool
    origin: bool


def census_guide(request, drafts: bool = False) -> tuple[list[CensusGuideEntry], CensusSources]:
    """/acerca/: each census shown, oldest first, with what the portal has of it, and what it lacks."""
    sources = cached_census_sources(request)  # published editions only, as the footer
    editions = {edition.year for edition in sources.editions}
    entries = [
        CensusGuideEntry(
            census,
            lifetime_edition=census.year in editions,
            recent_migration=census.year in sources.recent_years,
            origin=census.has_origin_figures,
        )
        for census in PopulationCensus.objects.shown(drafts).order_by("year")
    ]
    return entries, sources
