"""Is a census edition's data consistent? What its consistency page shows and what publishing requires.

Every immigrant of one department is an emigrant of another: over the 25 departments the sums
are equal (the national saldo is 0). The departments' populations add up to the national total.
No department's immigrants or emigrants exceed its population.
"""

from copy import copy
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


PUBLISHED_EDITION_HELP = gettext_lazy(
    "Esta edición está publicada: el público ve sus cifras. No se guarda un cambio que rompa una regla que se "
    "cumplía (inmigrantes o emigrantes mayores que la población, Σ inmigrantes ≠ Σ emigrantes, suma de los "
    "departamentos ≠ total nacional); las correcciones que tocan varias cifras se hacen juntas en la página de "
    "la edición o con una importación."
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


# Population censuses -----------------------------------------------------------------------------------------

#: The counts a census's departments add up to its national figures, with the national field and, for a census with
#: origin figures, what is counted outside the departments (people born or living abroad five years before).
ORIGIN_TOTALS = (
    ("population_5plus", "national_population_5plus", None),
    ("born_here", "national_population", "born_abroad"),
    ("lived_here_before", "national_population_5plus", "lived_abroad_before"),
)


@dataclass
class CensusCheck:
    """A population census's figures against its national totals: what its «Coherencia» page shows."""

    census: object  # PopulationCensus
    departments: int
    expected_departments: int
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: (what is added up, its sum, what it must be) for the page's table of sums.
    sums: list[tuple[str, int, int]] = field(default_factory=list)


def check_census(census) -> CensusCheck:
    """Every rule a census's figures must keep to be published, with the sums the «Coherencia» page shows:

    - every department has its population, and the populations add up to the national total INEI printed;
    - for a census with origin figures (2025): every department has them; the departments' residents aged 5+ add
      up to the national population aged 5+; people born in the departments plus those born abroad add up to
      the national population; people who lived in the departments five years before plus those who lived abroad
      add up to the national population aged 5+;
    - a department published in parts (Lima: Lima Metropolitana and Región Lima) is the sum of its parts, in
      every count.
    """
    from .models import ORIGIN_FIELDS, CensusPopulation, DepartmentPart, census_total_error

    rows = list(CensusPopulation.objects.filter(census=census).select_related("department"))
    names = dict(Department.objects.values_list("pk", "name"))
    present = {row.department_id for row in rows}
    missing = sorted(name for pk, name in names.items() if pk not in present)
    check = CensusCheck(census, len(present), len(names), missing)
    if missing:
        check.problems.append(
            _("Faltan las cifras de %(count)s departamentos: %(names)s.")
            % {"count": len(missing), "names": ", ".join(missing)}
        )
    population = sum(row.population for row in rows)
    check.sums.append((_("Población censada de los departamentos"), population, census.national_population))
    error = census_total_error(census, [row.population for row in rows]) if rows else None
    if error:
        check.problems.append(error)
    if census.has_origin_figures:
        without = sorted(row.department.name for row in rows if None in (getattr(row, name) for name in ORIGIN_FIELDS))
        if without:
            check.problems.append(
                _(
                    "Faltan cifras por origen (población de 5 años y más, nacidos, vivían cinco años antes) de: "
                    "%(names)s."
                )
                % {"names": ", ".join(without)}
            )
        else:
            for field_name, national_field, abroad_field in ORIGIN_TOTALS:
                total = sum(getattr(row, field_name) for row in rows)
                label = CensusPopulation._meta.get_field(field_name).verbose_name
                expected = getattr(census, national_field)
                if abroad_field:
                    abroad = getattr(census, abroad_field)
                    label = _("%(counted)s + %(abroad)s (%(value)s)") % {
                        "counted": label,
                        "abroad": census._meta.get_field(abroad_field).verbose_name,
                        "value": _n(abroad),
                    }
                    total += abroad
                national = census._meta.get_field(national_field).verbose_name
                check.sums.append((str(label), total, expected))
                if total != expected:
                    check.problems.append(
                        _("%(label)s suman %(total)s, no %(national)s (%(expected)s): diferencia %(difference)s.")
                        % {
                            "label": str(label)[:1].upper() + str(label)[1:],
                            "total": _n(total),
                            "national": national,
                            "expected": _n(expected),
                            "difference": format_signed(total - expected),
                        }
                    )
    by_department = {row.department_id: row for row in rows}
    parts = {}
    for part in DepartmentPart.objects.filter(census=census).select_related("department"):
        parts.setdefault(part.department_id, []).append(part)
    for department_id, units in parts.items():
        row = by_department.get(department_id)
        if row is None:
            continue
        for field_name in ("population", "population_5plus", "born_here", "lived_here_before"):
            values = [getattr(unit, field_name) for unit in units]
            if getattr(row, field_name) is None and all(value is None for value in values):
                continue
            if None in values or sum(values) != getattr(row, field_name):
                check.problems.append(
                    _("%(department)s: sus partes (%(parts)s) suman %(total)s en «%(field)s», no %(value)s.")
                    % {
                        "department": row.department.name,
                        "parts": ", ".join(unit.name for unit in units),
                        "total": _n(sum(value or 0 for value in values)),
                        "field": CensusPopulation._meta.get_field(field_name).verbose_name,
                        "value": _n(getattr(row, field_name) or 0),
                    }
                )
    return check
