"""Is a census edition's data consistent? What its consistency page shows and what publishing requires.

Every immigrant of one department is an emigrant of another: over the 25 departments the sums
are equal (the national saldo is 0). The departments' populations add up to the national total.
No department's immigrants or emigrants exceed its population.
"""

from copy import copy
from dataclasses import dataclass, field

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

    def rules(self) -> dict[tuple, str]:
        """Each broken rule, as a key that stays the same while the figures change, with its message."""
        rules = {}
        if self.missing:
            rules[("missing",)] = self.problems[0]
        totals = self.total_problems()
        if self.migrants_balance:
            rules[("balance",)] = totals.pop(0)
        if self.population_difference:
            rules[("population",)] = totals.pop(0)
        for name, measure, _share in self.over_population:
            rules[("share", name, str(measure))] = self.share_problems(name, measure)[0]
        return rules

    def share_problems(self, department: str | None = None, measure: str | None = None) -> list[str]:
        return [
            _("%(measure)s de %(department)s: %(share)s de su población (más del 100 %%).")
            % {"measure": measure_name, "department": name, "share": f"{share:,.1f} %"}
            for name, measure_name, share in self.over_population
            if department in (None, name) and measure in (None, str(measure_name))
        ]


def check_edition(
    edition: CensusEdition, replacing=(), removing=(), national_population: int | None = None
) -> EditionCheck:
    """The edition's figures as stored, or as they would be with the unsaved ``DepartmentFigures`` in
    ``replacing`` (one per department), without the departments (ids) in ``removing`` and with
    ``national_population`` instead of the edition's own."""
    stored = DepartmentFigures.objects.for_edition(edition).values_list(
        "department_id", "population", "immigrants", "emigrants"
    )
    figures = {department: tuple(rest) for department, *rest in stored}
    for row in replacing:
        figures[row.department_id] = (row.population, row.immigrants, row.emigrants)
    for department in removing:
        figures.pop(department, None)
    names = dict(Department.objects.values_list("pk", "name"))
    over = []
    for department, (population, immigrants, emigrants) in sorted(figures.items(), key=lambda item: names[item[0]]):
        for measure, part in ((_("Inmigrantes"), immigrants), (_("Emigrantes"), emigrants)):
            if population and part > population:  # more than 100 % of its population
                over.append((names[department], measure, part * 100 / population))
    missing = sorted(name for pk, name in names.items() if pk not in figures)
    if national_population is not None:
        edition = copy(edition)
        edition.national_population = national_population
    return EditionCheck(
        edition=edition,
        departments=len(figures),
        expected_departments=len(names),
        population=sum(row[0] for row in figures.values()),
        immigrants=sum(row[1] for row in figures.values()),
        emigrants=sum(row[2] for row in figures.values()),
        missing=missing,
        over_population=over,
    )


def published_edition_errors(
    edition: CensusEdition, replacing=(), removing=(), national_population: int | None = None, before=None
) -> list[str]:
    """Why a save would leave a **published** edition incoherent: each rule that holds for its stored figures
    and would break with the change (arguments as ``check_edition``); [] for a draft or a harmless change.

    The one check of every write path — a figure's form, the edition's own form and its page of figures,
    imports. ``before`` is ``EditionCheck.rules()`` of the edition before the change, for a caller whose
    change is already written (an import, inside its transaction); by default it is read from the stored
    figures. A rule broken before (a draft published before this check existed) does not block other work.
    """
    stored = CensusEdition.objects.get(pk=edition.pk)
    if stored.status != CensusEdition.Status.PUBLISHED:
        return []
    if before is None:
        before = check_edition(stored).rules()
    after = check_edition(stored, replacing, removing, national_population).rules()
    return [message for rule, message in after.items() if rule not in before]


def warnings_after_saving(figures: DepartmentFigures) -> list[str]:
    """What an editor is told after saving one department's figures: its own implausible shares, and the
    national totals once the edition has all its departments."""
    check = check_edition(figures.edition)
    return check.share_problems(figures.department.name) + (check.total_problems() if check.complete else [])
