"""The six migration measures of a department, in one place.

Every page, chart, map, download, the API and the admin take the measures' names, labels,
formats and kinds from ``MEASURES``. Three are stored (population, immigrants, emigrants); three
are derived by ``DepartmentFiguresQuerySet.with_shares`` (saldo and the two shares); all six are
ranked by ``with_derived`` (``<key>_rank``: 1 = highest value) and added up by ``NationalSummary``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.core.numbers import format_int, format_percent, format_signed, round_half_up


@dataclass(frozen=True)
class Measure:
    key: str  # attribute of a DepartmentFigures row (stored or annotated) and of NationalSummary
    label: object  # as a page names it: "Población censada", "% inmigrantes"
    column: object  # table header, also the downloads' column name: "Población"
    file_column: str  # column of /datos/'s departamentos.csv
    definition: object  # the data dictionary's line
    unit: str  # "people" or "percent"
    stored: bool = False  # a field of DepartmentFigures (the others are computed)
    ranked: bool = True
    diverging: bool = False  # signed, around zero (saldo migratorio)

    def format(self, value) -> str:
        """As pages write it: 2,781,145 · +2,376,434 · 43.0 %."""
        if self.unit == "percent":
            return format_percent(value)
        return format_signed(value) if self.diverging else format_int(value)

    def plain(self, value):
        """As downloads and the data files give it: 2781145 · 43.0 (percentages rounded half-up)."""
        return float(round_half_up(value, 1)) if self.unit == "percent" else int(value)

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
