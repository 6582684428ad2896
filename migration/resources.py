"""The migration spreadsheets editors import and export in the admin (``portal.core.imports``).

Each column is declared once: its name in the files the portal writes (``column_name``, read first), the other
names it is known by in editors' and INEI's sheets (``headers``; case and accents do not count), and what it
holds. A department is named by its ubigeo (01, or 1 from a sheet that dropped the zero) or by its name as INEI
writes it («ÁNCASH», «PROV. CONSTITUCIONAL DEL CALLAO»).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.core.imports.resources import Column, SpreadsheetModelResource
from portal.core.imports.sheets import DATA, OUTSIDE, PART, text_key
from portal.core.imports.widgets import CodesWidget, CodeWidget, WholeNumberWidget, YesNoWidget

from .consistency import PUBLISHED_EDITION_HELP, check_edition, published_edition_errors
from .models import (
    CensusEdition,
    CensusPopulation,
    Department,
    DepartmentFigures,
    PopulationCensus,
    RecentMigration,
    census_total_error,
    recent_migration_balance_error,
)

#: A ubigeo or a name of no department (also in the practices' «ubigeos» column).
UNKNOWN_DEPARTMENT = _("No existe un departamento con el código ubigeo o el nombre «%(value)s».")
#: Department names INEI writes other than the portal (accents and case never count): its name for Callao, and
#: the two parts it gives of Lima, which the portal shows as one department.
INEI_DEPARTMENT_NAMES = {
    "Prov. Constitucional del Callao": "07",
    "Provincia Constitucional del Callao": "07",
    "Departamento de Lima": "15",
}
#: INEI's two parts of Lima since 2017 (Lima Metropolitana: the province of Lima; Región Lima: the other nine
#: provinces): a sheet with both is read as one row for Lima, their counts added up.
INEI_DEPARTMENT_PARTS = {"Lima Metropolitana": "15", "Región Lima": "15"}
#: Rows of INEI's tables under a department (read as ``text_key`` writes them): its provinces, districts and ages.
INEI_DETAIL_ROW = re.compile(r"^(provincia|distrito|menores de|de \d+ a \d+ anos|\d+ anos?|de \d+ y mas anos)\b")
#: Rows of people outside the departments, counted in INEI's PERÚ total.
INEI_OUTSIDE_ROWS = frozenset({"extranjero", "en el extranjero", "otro pais", "en otro pais"})


def department_widget() -> CodeWidget:
    return CodeWidget(
        Department,
        "ubigeo",
        UNKNOWN_DEPARTMENT,
        digits=2,
        name_fields=("name",),
        aliases=INEI_DEPARTMENT_NAMES,
        parts=INEI_DEPARTMENT_PARTS,
    )


CENSUS_YEAR_HEADERS = ("año", "año del censo", "censo", "edición del censo")


class DepartmentRowsResource(SpreadsheetModelResource):
    """Rows of one department each: its ubigeo or its name identifies it; its name is exported beside the
    ubigeo to read by."""

    department = Column(
        attribute="department",
        column_name="ubigeo",
        widget=department_widget(),
        label=_("departamento (código ubigeo o nombre)"),
        headers=("departamento", "código", "código ubigeo", "cod ubigeo", "región", "nombre del departamento"),
    )
    department_name = Column(
        attribute="department__name",
        column_name="departamento",
        readonly=True,
        label=_("nombre del departamento (para leer; con «ubigeo», no se importa)"),
    )

    def classify_row(self, row, header, columns):
        """INEI's tables by department, province, district and age: the department rows are read, the rows under
        them (PROVINCIA…, DISTRITO…, «De 5 a 9 años») left out, and EXTRANJERO counted in the total only."""
        kind = super().classify_row(row, header, columns)
        column = header.columns.get("department")
        if kind != DATA or column is None or column >= len(row) or not isinstance(row[column], str):
            return kind
        name = text_key(row[column])
        if INEI_DETAIL_ROW.match(name):
            return PART
        if name in INEI_OUTSIDE_ROWS:
            return OUTSIDE
        return kind


class CensusRowsResource(SpreadsheetModelResource):
    """Rows of a population census, given by its year in the column «censo» or on the import page."""

    census = Column(
        attribute="census",
        column_name="censo",
        widget=CodeWidget(PopulationCensus, "year", _("No existe un censo de población del año «%(value)s».")),
        headers=CENSUS_YEAR_HEADERS,
        from_form=True,
    )


class DepartmentFiguresResource(DepartmentRowsResource):
    """CSV/XLSX columns: edicion (census year), ubigeo, departamento, poblacion, inmigrantes, emigrantes."""

    edition = Column(
        attribute="edition",
        column_name="edicion",
        widget=CodeWidget(CensusEdition, "year", _("No existe una edición del censo del año «%(value)s».")),
        headers=CENSUS_YEAR_HEADERS,
        from_form=True,
    )
    population = Column(
        attribute="population",
        column_name="poblacion",
        widget=WholeNumberWidget(),
        headers=("población", "población censada", "población total", "total", "habitantes"),
    )
    immigrants = Column(
        attribute="immigrants",
        column_name="inmigrantes",
        widget=WholeNumberWidget(),
        headers=("inmigrantes de toda la vida", "población inmigrante", "inmigración"),
    )
    emigrants = Column(
        attribute="emigrants",
        column_name="emigrantes",
        widget=WholeNumberWidget(),
        headers=("emigrantes de toda la vida", "población emigrante", "emigración"),
    )

    class Meta:
        model = DepartmentFigures
        fields = ("edition", "department", "department_name", "population", "immigrants", "emigrants")
        export_order = fields
        import_id_fields = ("edition", "department")
        store_instance = True  # after_import checks the editions the rows belong to

    write_in_preview = True  # after_import checks the published editions as stored

    def before_import(self, dataset, **kwargs):
        published = CensusEdition.objects.filter(status=CensusEdition.Status.PUBLISHED)
        self.rules_before = {edition.pk: check_edition(edition).rules() for edition in published}
        super().before_import(dataset, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        """All rows or none: a published edition touched must keep every rule that held before."""
        super().after_import(dataset, result, **kwargs)
        touched = {row.instance.edition_id for row in result.rows if row.instance is not None}
        for edition in CensusEdition.objects.filter(pk__in=touched & self.rules_before.keys()):
            problems = published_edition_errors(edition, before=self.rules_before[edition.pk])
            if problems:
                raise ValidationError([PUBLISHED_EDITION_HELP, *problems])


class CensusPopulationResource(CensusRowsResource, DepartmentRowsResource):
    """CSV/XLSX columns: censo (year), ubigeo, departamento, poblacion, nota_limites_inei, fuente, fuente_en."""

    write_in_preview = True  # after_import adds up the census as stored

    population = Column(
        attribute="population",
        column_name="poblacion",
        widget=WholeNumberWidget(),
        headers=("población", "población censada", "población total", "total", "habitantes"),
    )
    inei_note = Column(
        attribute="inei_note",
        column_name="nota_limites_inei",
        widget=YesNoWidget(),
        headers=("nota de límites", "nota 1/", "nota inei"),
    )
    source = Column(attribute="source", column_name="fuente", from_form=True)
    source_en = Column(attribute="source_en", column_name="fuente_en", headers=("fuente en inglés", "source"))

    class Meta:
        model = CensusPopulation
        fields = ("census", "department", "department_name", "population", "inei_note", "source", "source_en")
        export_order = fields
        import_id_fields = ("census", "department")
        store_instance = True  # after_import checks the censuses the rows belong to

    def after_import(self, dataset, result, **kwargs):
        """All rows or none: every census touched must still add up to its national total."""
        super().after_import(dataset, result, **kwargs)
        years = {row.instance.census_id for row in result.rows if row.instance is not None}
        for census in PopulationCensus.objects.filter(pk__in=years):
            error = census_total_error(census, list(census.populations.values_list("population", flat=True)))
            if error:
                raise ValidationError(error)


class RecentMigrationResource(CensusRowsResource):
    """CSV/XLSX columns as data/recent_migration_2002_2007.csv, with the census year."""

    write_in_preview = True  # after_import balances the census as stored

    departments = Column(
        attribute="departments",
        column_name="ubigeo",
        widget=CodesWidget(
            Department,
            "ubigeo",
            "+",
            UNKNOWN_DEPARTMENT,
            digits=2,
            required=True,
            name_fields=("name",),
            aliases=INEI_DEPARTMENT_NAMES,
        ),
        label=_("departamentos del área (códigos ubigeo o nombres, separados por +)"),
        headers=("ubigeos", "departamentos", "códigos"),
    )
    name = Column(attribute="name", column_name="name", headers=("área", "nombre", "nombre del área"))
    population_5plus = Column(
        attribute="population_5plus",
        column_name="population_enumerated_5plus",
        widget=WholeNumberWidget(),
        headers=("población de 5 años y más", "población censada de 5 y más años", "población de 5 y más años"),
    )
    native_total = Column(
        attribute="native_total",
        column_name="native_population_total",
        widget=WholeNumberWidget(),
        headers=("población nativa total", "residía hace cinco años"),
    )
    native_present = Column(
        attribute="native_present",
        column_name="native_population_present",
        widget=WholeNumberWidget(),
        headers=("población nativa presente", "no migrantes"),
    )
    immigrants = Column(
        attribute="immigrants",
        column_name="immigrants_2002_2007",
        widget=WholeNumberWidget(),
        headers=("inmigrantes", "inmigrantes recientes"),
    )
    emigrants = Column(
        attribute="emigrants",
        column_name="emigrants_2002_2007",
        widget=WholeNumberWidget(),
        headers=("emigrantes", "emigrantes recientes"),
    )
    source = Column(attribute="source", column_name="fuente")
    source_en = Column(attribute="source_en", column_name="fuente_en", headers=("fuente en inglés", "source"))

    class Meta:
        model = RecentMigration
        fields = (
            "census",
            "departments",
            "name",
            "population_5plus",
            "native_total",
            "native_present",
            "immigrants",
            "emigrants",
            "source",
            "source_en",
        )
        export_order = fields
        import_id_fields = ("census", "name")
        store_instance = True  # after_import checks the censuses the rows belong to

    def after_import(self, dataset, result, **kwargs):
        """All rows or none: recent immigrants and emigrants of each census touched must balance."""
        super().after_import(dataset, result, **kwargs)
        censuses = {row.instance.census_id for row in result.rows if row.instance is not None}
        for census in PopulationCensus.objects.filter(pk__in=censuses):
            error = recent_migration_balance_error(census.recent_migration.all())
            if error:
                raise ValidationError(error)
