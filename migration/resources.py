"""The migration spreadsheets editors import and export in the admin (``portal.core.imports``).

Each column is declared once: its name in the files the portal writes (``column_name``, read first), the other
names it is known by in editors' and INEI's sheets (``headers``; case and accents do not count), and what it
holds. A department is named by its ubigeo (01, or 1 from a sheet that dropped the zero) or by its name as INEI
writes it («ÁNCASH», «PROV. CONSTITUCIONAL DEL CALLAO»).
"""

import re

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.core.imports.resources import Column, SpreadsheetModelResource
from portal.core.imports.sheets import DATA, OUTSIDE, PART, TOTAL, text_key
from portal.core.imports.widgets import CodesWidget, CodeWidget, WholeNumberWidget, YesNoWidget
from portal.core.numbers import NumberNotRead, format_int, read_number

from .consistency import PUBLISHED_EDITION_HELP, check_edition, published_edition_errors
from .models import (
    CensusEdition,
    CensusPopulation,
    Department,
    DepartmentFigures,
    DepartmentPart,
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


def population_column() -> Column:
    """A department's población censada: «Total» in INEI's tables."""
    return Column(
        attribute="population",
        column_name="poblacion",
        widget=WholeNumberWidget(),
        headers=("población", "población censada", "población total", "total", "habitantes"),
    )


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
    population = population_column()
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

    population = population_column()
    population_5plus = Column(
        attribute="population_5plus",
        column_name="poblacion_5_anios_y_mas",
        widget=WholeNumberWidget(),
        headers=("población de 5 años y más", "población censada de 5 años y más"),
        required=False,
    )
    born_here = Column(
        attribute="born_here",
        column_name="nacidos_en_el_departamento",
        widget=WholeNumberWidget(),
        headers=("nacidos en el departamento", "nacidos"),
        required=False,
    )
    lived_here_before = Column(
        attribute="lived_here_before",
        column_name="vivian_en_el_departamento_5_anios_antes",
        widget=WholeNumberWidget(),
        headers=("vivían en el departamento cinco años antes", "vivían cinco años antes"),
        required=False,
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
        name = _("Población por censo (hoja de cálculo del portal: censo, ubigeo, poblacion…)")
        fields = (
            "census",
            "department",
            "department_name",
            "population",
            "population_5plus",
            "born_here",
            "lived_here_before",
            "inei_note",
            "source",
            "source_en",
        )
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


# INEI's workbooks of a census, as INEI publishes them ---------------------------------------------------------
# The editors' door for a census (README, «For editors»): the census is created in the admin (a draft, with its date
# and INEI's national total), then INEI's workbooks are imported unmodified on the import page of «Población por
# censo», the census chosen there: the table of population (INDDEM01) first, then the tables of origin (MIG01,
# MIG02), which add their counts to the departments' rows.

#: INEI's rows of the youngest ages under a department in INDDEM01 (as ``text_key`` writes them): the department's
#: population aged 5 and over is its total less these.
INEI_UNDER_FIVE = frozenset({"menores de 1 ano", "de 1 a 4 anos"})
#: How INEI heads the column of places in its tables by origin: «Lugar de residencia de la madre… cuando usted
#: nació» (MIG02), «Lugar de residencia permanente hace cinco años…» (MIG01).
INEI_PLACE_HEADERS = ("lugar de residencia",)
IMPORT_POPULATION_FIRST = _(
    "Importe primero el cuadro de población de este censo (hoja INDDEM01 de 01_indicadores_demograficos.xlsx): "
    "las cifras por origen se añaden a la población de cada departamento, y falta la de %(names)s."
)


def whole_number(value) -> int | None:
    try:
        return read_number(value, whole=True)
    except NumberNotRead:
        return None


class IneiPartsMixin:
    """For an INEI table that gives a department in parts (Lima: «LIMA METROPOLITANA», «REGIÓN LIMA»): the import
    machinery adds the parts up into the department's row (``combine_parts``); this also keeps each part's counts
    (``self.parts``: {name: {"code", "line", field: value}}), which ``write_parts`` stores as the department's
    ``DepartmentPart`` rows."""

    def combine_parts(self, table, lines, columns):
        key = next(position for position, column in enumerate(columns) if column.name == "department")
        lookup = self.fields["department"].widget.lookup
        self.parts = {}
        for values, line in zip(table, lines, strict=True):
            code = lookup.part_of(values[key])
            if code is not None:
                self.parts[lookup.parts[text_key(values[key])][1]] = {
                    "code": code,
                    "line": line,
                    **{
                        column.name: whole_number(values[index])
                        for index, column in enumerate(columns)
                        if column.counted
                    },
                }
        return super().combine_parts(table, lines, columns)

    def parts_note(self) -> str:
        return gettext("%(parts)s se guardan también por separado, como partes de su departamento.") % {
            "parts": " y ".join(f"«{name}»" for name in self.parts)
        }


def census_chosen(resource) -> PopulationCensus | None:
    """The census every row belongs to: the one chosen on the import page."""
    year = resource.defaults.get("census")
    return PopulationCensus.objects.filter(year=year).first() if year else None


def write_parts(census, parts: dict, fields) -> None:
    """Create or update the parts INEI gives a department in with their ``fields`` from the file, validated as the
    admin validates them (``full_clean``) and recorded in their history. A part without its population yet (the
    tables of origin imported before the table of population) is refused, saying which table comes first."""
    departments = {department.ubigeo: department for department in Department.objects.all()}
    for name, values in parts.items():
        part = DepartmentPart.objects.filter(census=census, name=name).first()
        if part is None:
            if values.get("population") is None:
                raise ValidationError(IMPORT_POPULATION_FIRST % {"names": name})
            part = DepartmentPart(census=census, name=name, department=departments[values["code"]])
        for field in fields:
            setattr(part, field, values[field])
        part.full_clean()
        part.save()


class IneiPopulationResource(IneiPartsMixin, CensusPopulationResource):
    """INEI's «Cuadro N° 1» of población censada by department, province, district and single year of age (sheet
    INDDEM01 of 01_indicadores_demograficos.xlsx), unmodified: each department's población censada (its row's
    «Total») and its population aged 5 and over (that total less its own rows «Menores de 1 año» and «De 1 a 4
    años», not its provinces'); Lima from its two parts, each also kept as a part of Lima. The machinery leaves the
    provinces, districts and ages out and checks PERÚ against the sum of the departments."""

    sheet_names = ("INDDEM01",)

    class Meta(CensusPopulationResource.Meta):
        name = _("Cuadro INDDEM01 del INEI (población por departamento y edad), tal como se descarga")
        fields = ("census", "department", "department_name", "population", "population_5plus", "source")
        export_order = fields

    def before_import(self, dataset, **kwargs):
        self.under_five, self.in_department, self.parts = [], False, {}
        super().before_import(dataset, **kwargs)

    def choose_sheet(self, sheets, columns):
        """INEI's workbook must have its sheet INDDEM01 (another of its tables would read as something else)."""
        if len(sheets) > 1 and not any(text_key(sheet.title) == text_key(self.sheet_names[0]) for sheet in sheets):
            raise ValidationError(
                gettext(
                    "El archivo no tiene la hoja %(sheet)s del INEI: este tipo de archivo es el libro "
                    "01_indicadores_demograficos.xlsx tal como se descarga."
                )
                % {"sheet": self.sheet_names[0]}
            )
        return super().choose_sheet(sheets, columns)

    def classify_row(self, row, header, columns):
        """Also adds up, for each department's row, its own rows of the youngest ages."""
        kind = super().classify_row(row, header, columns)
        name_at, total_at = header.columns.get("department"), header.columns.get("population")
        name = row[name_at] if name_at is not None and name_at < len(row) else None
        if kind == DATA:
            self.under_five.append(0)
            self.in_department = True
        elif kind == PART and isinstance(name, str) and self.under_five:
            key = text_key(name)
            if key.startswith(("provincia", "distrito")):
                self.in_department = False  # the ages below are a province's or a district's
            elif self.in_department and key in INEI_UNDER_FIVE and total_at is not None and total_at < len(row):
                self.under_five[-1] += whole_number(row[total_at]) or 0
        return kind

    def read_table(self, dataset):
        header = super().read_table(dataset)
        if not any(self.under_five):
            return header  # not INEI's table by age: no population aged 5+ to compute
        combined = self.sheet_info.get("combined") or {}
        every_line = sorted([*self.lines, *(line for others in combined.values() for line in others)])
        under_five = dict(zip(every_line, self.under_five, strict=True))
        position = dataset.headers.index(self.fields["population"].column_name)
        values = []
        for row, line in zip(dataset, self.lines, strict=True):
            total = whole_number(row[position])
            values.append(
                None if total is None else total - sum(under_five[n] for n in [line, *combined.get(line, [])])
            )
        dataset.append_col(values, header=self.fields["population_5plus"].column_name)
        for part in self.parts.values():
            part["population_5plus"] = part["population"] - under_five[part["line"]]
        self.sheet_info["explained"] = [
            gettext(
                "Población de 5 años y más: el «Total» de cada departamento menos sus filas «Menores de 1 año» y "
                "«De 1 a 4 años»."
            ),
            *([self.parts_note()] if self.parts else []),
        ]
        return header

    def after_import(self, dataset, result, **kwargs):
        """Also writes Lima's two parts (their population and population aged 5+) as parts of Lima."""
        super().after_import(dataset, result, **kwargs)
        census = census_chosen(self)
        if census is not None and self.parts and not (result.has_errors() or result.has_validation_errors()):
            write_parts(census, self.parts, ("population", "population_5plus"))


class OriginSheet(IneiPartsMixin, CensusRowsResource, DepartmentRowsResource):
    """One of INEI's tables of people by origin, read for ``IneiOriginResource``: the «Total» of each place of
    origin (``count_field``); the PERÚ and EXTRANJERO rows kept as national figures (``national``, ``abroad``)."""

    count_field = ""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.national = self.abroad = None
        self.parts = {}

    def classify_row(self, row, header, columns):
        kind = super().classify_row(row, header, columns)
        at = header.columns.get(self.count_field)
        if kind in (TOTAL, OUTSIDE) and at is not None and at < len(row):
            value = whole_number(row[at])
            if kind == TOTAL:
                self.national = value
            else:
                self.abroad = (self.abroad or 0) + (value or 0)
        return kind


def origin_column(attribute: str, column_name: str) -> Column:
    return Column(attribute=attribute, column_name=column_name, widget=WholeNumberWidget(), headers=("total",))


class BornHereSheet(OriginSheet):
    """MIG02: everyone by where their mother lived when they were born."""

    sheet_names = ("MIG02",)
    count_field = "born_here"
    department = Column(
        attribute="department", column_name="ubigeo", widget=department_widget(), headers=INEI_PLACE_HEADERS
    )
    born_here = origin_column("born_here", "nacidos_en_el_departamento")

    class Meta:
        model = CensusPopulation
        fields = ("census", "department", "born_here")
        import_id_fields = ("census", "department")


class LivedHereSheet(OriginSheet):
    """MIG01: people aged 5+ by where they usually lived five years before."""

    sheet_names = ("MIG01",)
    count_field = "lived_here_before"
    department = Column(
        attribute="department", column_name="ubigeo", widget=department_widget(), headers=INEI_PLACE_HEADERS
    )
    lived_here_before = origin_column("lived_here_before", "vivian_en_el_departamento_5_anios_antes")

    class Meta:
        model = CensusPopulation
        fields = ("census", "department", "lived_here_before")
        import_id_fields = ("census", "department")


class IneiOriginResource(CensusRowsResource, DepartmentRowsResource):
    """INEI's workbook of migration (03_migracion.xlsx), unmodified: sheets MIG02 (everyone by where their mother
    lived when they were born) and MIG01 (people aged 5+ by where they lived five years before), both counting
    people by origin wherever in Peru they live now. Each department's row gets its people born there and people
    who lived there (added to the population already imported: INDDEM01 comes first); Lima's two parts are kept;
    the EXTRANJERO rows become the census's national figures (born abroad, lived abroad) and MIG01's PERÚ its
    population aged 5+. Each sheet is read by the import machinery (``BornHereSheet``, ``LivedHereSheet``): its
    PERÚ row is checked against the sum of its rows and EXTRANJERO."""

    write_in_preview = True  # after_import writes the parts and the national figures, and checks them
    sheets = (BornHereSheet, LivedHereSheet)
    born_here = origin_column("born_here", "nacidos_en_el_departamento")
    lived_here_before = origin_column("lived_here_before", "vivian_en_el_departamento_5_anios_antes")

    class Meta:
        model = CensusPopulation
        name = _("Cuadros MIG01 y MIG02 del INEI (residencia hace cinco años y al nacer), tal como se descargan")
        fields = ("census", "department", "department_name", "born_here", "lived_here_before")
        export_order = fields
        import_id_fields = ("census", "department")
        store_instance = True

    def read_table(self, dataset):
        """Each sheet read by its own resource, then one row per department with both counts."""
        sheets = getattr(dataset, "sheets", None) or []
        self.readers, tables = [], []
        for reader_class in self.sheets:
            reader = reader_class(defaults=self.defaults)
            wanted = {text_key(name) for name in reader_class.sheet_names}
            own = [sheet for sheet in sheets if text_key(sheet.title) in wanted]
            if not own:
                raise ValidationError(
                    gettext(
                        "El archivo no tiene la hoja %(sheet)s del INEI: este tipo de archivo es el libro "
                        "03_migracion.xlsx tal como se descarga (hojas MIG01 y MIG02)."
                    )
                    % {"sheet": reader_class.sheet_names[0]}
                )
            table = tablib.Dataset()
            table.sheets = own
            reader.read_table(table)
            self.readers.append(reader)
            tables.append(table)
        lookup = self.fields["department"].widget.lookup
        merged, lines = {}, {}
        for reader, table in zip(self.readers, tables, strict=True):
            key_at = table.headers.index("ubigeo")
            count_at = table.headers.index(reader.fields[reader.count_field].column_name)
            for row, line in zip(table, reader.lines, strict=True):
                department = lookup.find(str(row[key_at]))
                code = department.ubigeo if department else str(row[key_at])
                merged.setdefault(code, {})[reader.count_field] = row[count_at]
                lines.setdefault(code, line)
        defaults = [name for name in self.defaults if name in self.fields and name != "department"]
        dataset.wipe()
        dataset.headers = ["ubigeo", *(self.fields[r.count_field].column_name for r in self.readers)]
        dataset.headers += [self.fields[name].column_name for name in defaults]
        for code, counts in merged.items():
            dataset.append(
                [code, *(counts.get(r.count_field) for r in self.readers), *(self.defaults[name] for name in defaults)]
            )
        self.lines = [lines[code] for code in merged]
        first = self.readers[0].sheet_info
        self.sheet_info = {
            **first,
            "description": " + ".join(reader.sheet_info["description"] for reader in self.readers),
            "totals": sorted({line for reader in self.readers for line in reader.sheet_info["totals"]}),
            "explained": self.explained(),
        }
        self.check_population_first(merged)
        return None

    def explained(self) -> list[str]:
        born, lived = self.readers
        notes = [
            gettext(
                "Cada fila une las dos hojas: nacidos en el departamento (MIG02, «Total») y personas de 5 años y más "
                "que vivían en él cinco años antes (MIG01, «Total»)."
            )
        ]
        if born.abroad is not None and lived.abroad is not None:
            notes.append(
                gettext(
                    "Las filas EXTRANJERO se guardan como cifras nacionales del censo: nacidos en el extranjero "
                    "%(born)s, vivían en el extranjero cinco años antes %(lived)s; el PERÚ de MIG01, %(national)s, "
                    "como su población de 5 años y más."
                )
                % {
                    "born": format_int(born.abroad),
                    "lived": format_int(lived.abroad),
                    "national": format_int(lived.national),
                }
            )
        if born.parts:
            notes.append(born.parts_note())
        return notes

    def check_population_first(self, merged) -> None:
        census = census_chosen(self)
        if census is None:
            return
        with_population = set(census.populations.values_list("department__ubigeo", flat=True))
        missing = [code for code in merged if code not in with_population]
        if missing:
            names = dict(Department.objects.filter(ubigeo__in=missing).values_list("ubigeo", "name"))
            raise ValidationError(IMPORT_POPULATION_FIRST % {"names": ", ".join(names.get(c, c) for c in missing)})

    def after_import(self, dataset, result, **kwargs):
        """The parts of Lima and the census's national figures, checked against the population already stored."""
        super().after_import(dataset, result, **kwargs)
        census = census_chosen(self)
        if census is None or result.has_errors() or result.has_validation_errors():
            return
        born, lived = self.readers
        parts = {}
        for reader in self.readers:
            for name, values in reader.parts.items():
                parts.setdefault(name, {"code": values["code"]})[reader.count_field] = values[reader.count_field]
        if parts:
            write_parts(census, parts, ("born_here", "lived_here_before"))
        if born.national is not None and born.national != census.national_population:
            raise ValidationError(
                gettext(
                    "La fila PERÚ de MIG02 suma %(table)s personas, pero la población nacional del censo %(year)s es "
                    "%(national)s: ¿es el censo elegido?"
                )
                % {
                    "table": format_int(born.national),
                    "year": census.year,
                    "national": format_int(census.national_population),
                }
            )
        census.national_population_5plus = lived.national
        census.born_abroad = born.abroad
        census.lived_abroad_before = lived.abroad
        census.full_clean()
        census.save()
