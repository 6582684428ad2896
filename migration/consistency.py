"""Is a census edition's data consistent? What its consistency page shows and what publishing requires.

Every immigrant of one department is an emigrant of another: over the 25 departments the sums
are equal (the national saldo is 0). The departments' populations add up to the national total.
No department's immigrants or emigrants exceed its population.
"""

from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from portal.core.numbers import format_int, format_signed

from .models import CensusEdition, Department, DepartmentFigures

_n = format_int  # as the public site writes figures: 1,387,809


@dataclass
class EditionCheck:
    edition: CensusEdition
    departments: int
    expected_departments: int
    population: int
    immigrants: int
    emigrants: int
    missing: list[str] = field(default_factory=list)
    over_population: list[tuple[str, str, float]] = field(default_factory=list)  # (department, measure, share)

    @property
    def migrants_balance(self) -> int:
        return self.immigrants - self.emigrants

    @property
    def population_difference(self) -> int:
        return self.population - self.edition.national_population

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def problems(self) -> list[str]:
        """Everything that keeps the edition from being published."""
        missing = []
        if self.missing:
            missing.append(
                _("Faltan las cifras de %(count)s departamentos: %(names)s.")
                % {"count": len(self.missing), "names": ", ".join(self.missing)}
            )
        return missing + self.total_problems() + self.share_problems()

    def total_problems(self) -> list[str]:
        found = []
        if self.migrants_balance:
            found.append(
                _(
                    "La suma de inmigrantes (%(immigrants)s) no es igual a la de emigrantes (%(emigrants)s): "
                    "el saldo nacional es %(balance)s y debe ser 0."
                )
                % {
                    "immigrants": _n(self.immigrants),
                    "emigrants": _n(self.emigrants),
                    "balance": format_signed(self.migrants_balance),
                }
            )
        if self.population_difference:
            found.append(
                _(
                    "La suma de las poblaciones (%(sum)s) no es la población nacional censada (%(national)s): "
                    "diferencia %(difference)s."
                )
                % {
                    "sum": _n(self.population),
                    "national": _n(self.edition.national_population),
                    "difference": format_signed(self.population_difference),
                }
            )
        return found

    def share_problems(self, department: str | None = None) -> list[str]:
        return [
            _("%(measure)s de %(department)s: %(share)s de su población (más del 100 %%).")
            % {"measure": measure, "department": name, "share": f"{share:,.1f} %"}
            for name, measure, share in self.over_population
            if department in (None, name)
        ]


def check_edition(edition: CensusEdition) -> EditionCheck:
    rows = DepartmentFigures.objects.for_edition(edition).with_shares().order_by("department__name")
    totals = rows.aggregate(population=Sum("population"), immigrants=Sum("immigrants"), emigrants=Sum("emigrants"))
    present = {row.department_id for row in rows}
    missing = [department.name for department in Department.objects.exclude(pk__in=present).order_by("name")]
    over = []
    for row in rows:
        if row.immigrant_share > 100:
            over.append((row.department.name, _("Inmigrantes"), row.immigrant_share))
        if row.emigrant_share > 100:
            over.append((row.department.name, _("Emigrantes"), row.emigrant_share))
    return EditionCheck(
        edition=edition,
        departments=len(present),
        expected_departments=len(present) + len(missing),
        population=totals["population"] or 0,
        immigrants=totals["immigrants"] or 0,
        emigrants=totals["emigrants"] or 0,
        missing=missing,
        over_population=over,
    )


def warnings_after_saving(figures: DepartmentFigures) -> list[str]:
    """What an editor is told after saving one department's figures: its own implausible shares, and the
    national totals once the edition has all its departments."""
    check = check_edition(figures.edition)
    return check.share_problems(figures.department.name) + (check.total_problems() if check.complete else [])
