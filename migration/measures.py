"""The migration measures, each declared once.

Every page, chart, map, download, the API and the admin take the measures' names, labels, formats and
kinds from here:

- ``MEASURES``: the six lifetime measures of a department in a census edition. Three are stored
  (population, immigrants, emigrants); three are derived by ``DepartmentFiguresQuerySet.with_shares``
  (saldo and the two shares); all six are ranked by ``with_derived`` (``<key>_rank``: 1 = highest value)
  and added up by ``NationalSummary``.
- ``RECENT_MEASURES``: the nine measures of recent migration of an area (people aged 5 and over, by where
  they lived five years before the census). Five are stored (``RecentMigration``); saldo is derived by
  ``RecentMigrationQuerySet.with_rates`` with the three rates per 1,000; ``RecentMigrationSummary`` gives
  each for the whole country.
- ``ORIGIN_MEASURES``: the eight measures of a census that counts people by origin (2025): residents, people born
  in the department and the lifetime balance; residents aged 5+, people who lived in the department five years
  before and the recent balance; each balance also as a % of its residents. Four are stored
  (``CensusPopulation``); the balances and their shares are derived by ``CensusPopulationQuerySet.with_balances``
  and ranked by ``with_balance_ranks``; ``OriginSummary`` gives each for the whole country. None of them is a
  count of immigrants or emigrants: INEI's 2025 tables do not give those.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.core.numbers import (
    format_int,
    format_percent,
    format_rate,
    format_signed,
    format_signed_percent,
    round_half_up,
)


@dataclass(frozen=True)
class Measure:
    key: str  # attribute of a DepartmentFigures row (stored or annotated) and of NationalSummary
    label: object  # as a page names it: "Población censada", "% inmigrantes"
    column: object  # table header, also the downloads' column name: "Población"
    file_column: str  # column of the /datos/ file (departamentos.csv, migracion_reciente.csv)
    definition: object  # the data dictionary's line
    unit: str  # "people", "percent" (of the population) or "rate" (per 1,000 inhabitants aged 5+)
    stored: bool = False  # a field of DepartmentFigures (the others are computed)
    ranked: bool = True
    diverging: bool = False  # signed, around zero (saldo migratorio)

    def format(self, value) -> str:
        """As pages write it: 2,781,145 · +2,376,434 · 43.0 % · −44.0 % (a balance's share) · −60.1 (a rate per
        1,000)."""
        if self.unit == "percent":
            return format_signed_percent(value) if self.diverging else format_percent(value)
        if self.unit == "rate":
            return format_rate(value)
        return format_signed(value) if self.diverging else format_int(value)

    def plain(self, value):
        """As table downloads give it: 2781145 · 43.0 (percentages and rates rounded half-up to one decimal)."""
        return int(value) if self.unit == "people" else float(round_half_up(value, 1))

    def precise(self, value):
        """As the data file of recent migration and the API (as a float) give it: counts whole, shares and rates
        to two decimals (a ``Decimal``, rounded half-up)."""
        return int(value) if self.unit == "people" else round_half_up(value, 2)

    def of(self, row):
        return getattr(row, self.key)

    def rank_of(self, row) -> int:
        return getattr(row, f"{self.key}_rank")


MEASURES = (
    Measure(
        "population", _("Población censada"), _("Población"), "poblacion",
        _("Población censada (sin omisión censal)."), "people", stored=True,
    ),
    Measure(
        "immigrants", _("Inmigrantes"), _("Inmigrantes"), "inmigrantes",
        _("Personas que viven en el departamento y nacieron en otro departamento."), "people", stored=True,
    ),
    Measure(
        "emigrants", _("Emigrantes"), _("Emigrantes"), "emigrantes",
        _("Personas nacidas en el departamento que viven en otro departamento."), "people", stored=True,
    ),
    Measure(
        "net_migration", _("Saldo migratorio"), _("Saldo migratorio"), "saldo_migratorio",
        _("Inmigrantes menos emigrantes (positivo: gana población por migración)."), "people", diverging=True,
    ),
    Measure(
        "immigrant_share", _("% inmigrantes"), _("% inmigrantes"), "pct_inmigrantes",
        _("Inmigrantes / población × 100, redondeado a un decimal."), "percent",
    ),
    Measure(
        "emigrant_share", _("% emigrantes"), _("% emigrantes"), "pct_emigrantes",
        _("Emigrantes / población × 100, redondeado a un decimal."), "percent",
    ),
)  # fmt: skip
BY_KEY = {measure.key: measure for measure in MEASURES}
RANKED = tuple(measure.key for measure in MEASURES if measure.ranked)
DERIVED = tuple(measure for measure in MEASURES if not measure.stored)

RECENT_MEASURES = (
    Measure(
        "population_5plus", _("Población censada de 5 años y más"), _("Población de 5 años y más"),
        "poblacion_5_anios_y_mas", _("Población censada de 5 años y más."), "people", stored=True, ranked=False,
    ),
    Measure(
        "native_total", _("Vivían en el departamento cinco años antes"),
        _("Vivían en el departamento cinco años antes"), "residentes_5_anios_antes",
        _("Personas de 5 años y más que vivían en el área cinco años antes."), "people", stored=True, ranked=False,
    ),
    Measure(
        "native_present", _("De ellos, siguen en el departamento"), _("De ellos, siguen en el departamento"),
        "no_migrantes", _("De ellas, las que siguen viviendo en el área el día del censo."), "people",
        stored=True, ranked=False,
    ),
    Measure(
        "immigrants", _("Inmigrantes recientes"), _("Inmigrantes recientes"), "inmigrantes",
        _("Vivían en otro departamento cinco años antes."), "people", stored=True, ranked=False,
    ),
    Measure(
        "emigrants", _("Emigrantes recientes"), _("Emigrantes recientes"), "emigrantes",
        _("Vivían en el área cinco años antes y en otro departamento el día del censo."), "people",
        stored=True, ranked=False,
    ),
    Measure(
        "net_migration", _("Saldo migratorio reciente"), _("Saldo migratorio reciente"), "saldo_migratorio",
        _("Inmigrantes menos emigrantes."), "people", ranked=False, diverging=True,
    ),
    Measure(
        "immigration_rate", _("Inmigrantes recientes por 1,000 habitantes"), _("Inmigrantes por 1,000 hab."),
        "tasa_inmigracion", _("Inmigrantes por 1,000 habitantes de 5 años y más, con dos decimales."), "rate",
        ranked=False,
    ),
    Measure(
        "emigration_rate", _("Emigrantes recientes por 1,000 habitantes"), _("Emigrantes por 1,000 hab."),
        "tasa_emigracion", _("Emigrantes por 1,000 habitantes de 5 años y más, con dos decimales."), "rate",
        ranked=False,
    ),
    Measure(
        "net_rate", _("Saldo migratorio reciente por 1,000 habitantes"), _("Saldo por 1,000 hab."), "tasa_saldo",
        _("Saldo por 1,000 habitantes de 5 años y más, con dos decimales."), "rate", ranked=False, diverging=True,
    ),
)  # fmt: skip
RECENT_BY_KEY = {measure.key: measure for measure in RECENT_MEASURES}

ORIGIN_MEASURES = (
    Measure(
        "population", _("Población censada"), _("Población"), "poblacion",
        _("Población censada que reside en el departamento."), "people", stored=True, ranked=False,
    ),
    Measure(
        "born_here", _("Nacidos en el departamento"), _("Nacidos en el departamento"), "nacidos_en_el_departamento",
        _(
            "Personas censadas en cualquier lugar del Perú cuya madre vivía en el departamento cuando nacieron "
            "(pregunta de lugar de nacimiento del INEI)."
        ),
        "people", stored=True, ranked=False,
    ),
    Measure(
        "lifetime_balance", _("Balance de toda la vida"), _("Balance de toda la vida"), "balance_toda_la_vida",
        _(
            "Población censada menos nacidos en el departamento: positivo si viven en él más personas de las que "
            "nacieron en él. Incluye a los residentes nacidos en el extranjero; no es el saldo migratorio."
        ),
        "people", diverging=True,
    ),
    Measure(
        "lifetime_balance_share", _("Balance de toda la vida, % de los residentes"),
        _("Balance de toda la vida (% de los residentes)"), "pct_balance_toda_la_vida",
        _("Balance de toda la vida / población censada × 100."), "percent", diverging=True,
    ),
    Measure(
        "population_5plus", _("Población de 5 años y más"), _("Población de 5 años y más"),
        "poblacion_5_anios_y_mas", _("Población censada de 5 años y más que reside en el departamento."), "people",
        stored=True, ranked=False,
    ),
    Measure(
        "lived_here_before", _("Vivían en el departamento cinco años antes"), _("Vivían en él cinco años antes"),
        "vivian_en_el_departamento_5_anios_antes",
        _(
            "Personas de 5 años y más, censadas en cualquier lugar del Perú, que vivían en el departamento cinco "
            "años antes del censo."
        ),
        "people", stored=True, ranked=False,
    ),
    Measure(
        "recent_balance", _("Balance reciente"), _("Balance reciente"), "balance_reciente",
        _(
            "Población de 5 años y más menos quienes vivían en el departamento cinco años antes. Incluye a los "
            "residentes que vivían en el extranjero; no es el saldo migratorio reciente."
        ),
        "people", diverging=True,
    ),
    Measure(
        "recent_balance_share", _("Balance reciente, % de los residentes de 5 años y más"),
        _("Balance reciente (% de los residentes de 5 años y más)"), "pct_balance_reciente",
        _("Balance reciente / población de 5 años y más × 100."), "percent", diverging=True,
    ),
)  # fmt: skip
ORIGIN_BY_KEY = {measure.key: measure for measure in ORIGIN_MEASURES}
ORIGIN_RANKED = tuple(measure.key for measure in ORIGIN_MEASURES if measure.ranked)
