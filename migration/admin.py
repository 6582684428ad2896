from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from portal.numbers import format_rate, format_signed

from .measures import DERIVED, MEASURES
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


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "ubigeo", "slug")
    search_fields = ("name", "ubigeo")
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(CensusEdition)
class CensusEditionAdmin(SimpleHistoryAdmin):
    list_display = ("year", "title", "national_population", "born_abroad_share")
    search_fields = ("title", "source")
    ordering = ("-year",)


class CodeWidget(widgets.ForeignKeyWidget):
    """A foreign key given by its code; an unknown code is an error of its row, in Spanish, in the preview."""

    def __init__(self, model, field, message):
        super().__init__(model, field=field)
        self.message = message

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValidationError(self.message % {"value": value}) from None


class DepartmentFiguresResource(resources.ModelResource):
    """CSV/XLSX columns: edicion (census year), ubigeo, poblacion, inmigrantes, emigrantes."""

    edition = fields.Field(
        attribute="edition",
        column_name="edicion",
        widget=CodeWidget(CensusEdition, "year", _("No existe una edición del censo del año «%(value)s».")),
    )
    department = fields.Field(
        attribute="department",
        column_name="ubigeo",
        widget=CodeWidget(Department, "ubigeo", _("No existe un departamento con el código ubigeo «%(value)s».")),
    )
    department_name = fields.Field(attribute="department__name", column_name="departamento", readonly=True)
    population = fields.Field(attribute="population", column_name="poblacion", widget=widgets.IntegerWidget())
    immigrants = fields.Field(attribute="immigrants", column_name="inmigrantes", widget=widgets.IntegerWidget())
    emigrants = fields.Field(attribute="emigrants", column_name="emigrantes", widget=widgets.IntegerWidget())

    class Meta:
        model = DepartmentFigures
        fields = ("edition", "department", "department_name", "population", "immigrants", "emigrants")
        export_order = fields
        import_id_fields = ("edition", "department")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


def derived_column(measure):
    """An admin column of a derived measure, formatted as the pages write it ("—" before the row is saved)."""

    @admin.display(description=format_lazy("{} ({})", measure.label, _("calculado")), ordering=measure.key)
    def column(self, obj):
        return measure.format(measure.of(obj)) if hasattr(obj, measure.key) else "—"

    return column


@admin.register(DepartmentFigures)
class DepartmentFiguresAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [DepartmentFiguresResource]
    list_display = ("department", "edition", *(measure.key for measure in MEASURES))
    list_filter = ("edition",)
    list_select_related = ("department", "edition")
    search_fields = ("department__name", "department__ubigeo")
    ordering = ("edition", "department__name")
    autocomplete_fields = ("department",)
    readonly_fields = tuple(measure.key for measure in DERIVED)  # computed: shown, never typed
    fields = ("edition", "department", *(measure.key for measure in MEASURES))

    def get_queryset(self, request):
        return super().get_queryset(request).with_shares()

    locals().update({measure.key: derived_column(measure) for measure in DERIVED})  # read-only, computed


# Population censuses and recent migration --------------------------------------------------------------------
# A census's department populations must add up to its national total, and its recent immigrants to its recent
# emigrants: both are checked where they are edited together — the census's page (inlines) and the imports.


def _kept_forms(formset):
    return [form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


class CensusPopulationFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        error = census_total_error(self.instance, [form.cleaned_data["population"] for form in _kept_forms(self)])
        if error:
            raise ValidationError(error)


class RecentMigrationFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        forms = _kept_forms(self)
        error = recent_migration_balance_error(form.instance for form in forms)
        if error:
            raise ValidationError(error)
        seen = {}
        for form in forms:
            for department in form.cleaned_data.get("departments", ()):
                if department in seen:
                    raise ValidationError(
                        _("%(department)s está en dos áreas: «%(first)s» y «%(second)s».")
                        % {"department": department, "first": seen[department], "second": form.cleaned_data["name"]}
                    )
                seen[department] = form.cleaned_data["name"]


class CensusPopulationInline(admin.TabularInline):
    model = CensusPopulation
    formset = CensusPopulationFormSet
    fields = ("department", "population", "inei_note", "source")
    autocomplete_fields = ("department",)
    ordering = ("department__name",)
    extra = 0


class RecentMigrationInline(admin.StackedInline):
    model = RecentMigration
    formset = RecentMigrationFormSet
    fields = (
        "name",
        "departments",
        ("population_5plus", "native_total", "native_present"),
        ("immigrants", "emigrants"),
        "source",
    )
    autocomplete_fields = ("departments",)
    ordering = ("name",)
    extra = 0


@admin.register(PopulationCensus)
class PopulationCensusAdmin(SimpleHistoryAdmin):
    list_display = ("year", "census_date", "national_population", "source")
    search_fields = ("year", "source")
    ordering = ("year",)
    inlines = [CensusPopulationInline, RecentMigrationInline]


class CensusPopulationResource(resources.ModelResource):
    """CSV/XLSX columns: censo (year), ubigeo, departamento, poblacion, nota_limites_inei, fuente."""

    census = fields.Field(
        attribute="census",
        column_name="censo",
        widget=CodeWidget(PopulationCensus, "year", _("No existe un censo de población del año «%(value)s».")),
    )
    department = fields.Field(
        attribute="department",
        column_name="ubigeo",
        widget=CodeWidget(Department, "ubigeo", _("No existe un departamento con el código ubigeo «%(value)s».")),
    )
    department_name = fields.Field(attribute="department__name", column_name="departamento", readonly=True)
    population = fields.Field(attribute="population", column_name="poblacion", widget=widgets.IntegerWidget())
    inei_note = fields.Field(attribute="inei_note", column_name="nota_limites_inei", widget=widgets.BooleanWidget())
    source = fields.Field(attribute="source", column_name="fuente")

    class Meta:
        model = CensusPopulation
        fields = ("census", "department", "department_name", "population", "inei_note", "source")
        export_order = fields
        import_id_fields = ("census", "department")
        store_instance = True  # after_import checks the censuses the rows belong to
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def after_import(self, dataset, result, **kwargs):
        """All rows or none: every census touched must still add up to its national total."""
        super().after_import(dataset, result, **kwargs)
        years = {row.instance.census_id for row in result.rows if row.instance is not None}
        for census in PopulationCensus.objects.filter(pk__in=years):
            error = census_total_error(census, list(census.populations.values_list("population", flat=True)))
            if error:
                raise ValidationError(error)


@admin.register(CensusPopulation)
class CensusPopulationAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Listed, exported and imported here; edited on its census's page, where the total is checked."""

    resource_classes = [CensusPopulationResource]
    list_display = ("department", "census", "population", "inei_note")
    list_filter = ("census", "inei_note")
    list_select_related = ("department", "census")
    search_fields = ("department__name", "department__ubigeo")
    ordering = ("census__year", "department__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecentMigrationResource(resources.ModelResource):
    """CSV/XLSX columns as data/recent_migration_2002_2007.csv, with the census year."""

    census = fields.Field(
        attribute="census",
        column_name="censo",
        widget=CodeWidget(PopulationCensus, "year", _("No existe un censo de población del año «%(value)s».")),
    )
    departments = fields.Field(
        attribute="departments",
        column_name="ubigeo",
        widget=widgets.ManyToManyWidget(Department, separator="+", field="ubigeo"),
    )
    name = fields.Field(attribute="name", column_name="name")
    population_5plus = fields.Field(
        attribute="population_5plus", column_name="population_enumerated_5plus", widget=widgets.IntegerWidget()
    )
    native_total = fields.Field(
        attribute="native_total", column_name="native_population_total", widget=widgets.IntegerWidget()
    )
    native_present = fields.Field(
        attribute="native_present", column_name="native_population_present", widget=widgets.IntegerWidget()
    )
    immigrants = fields.Field(
        attribute="immigrants", column_name="immigrants_2002_2007", widget=widgets.IntegerWidget()
    )
    emigrants = fields.Field(attribute="emigrants", column_name="emigrants_2002_2007", widget=widgets.IntegerWidget())
    source = fields.Field(attribute="source", column_name="fuente")

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
        )
        export_order = fields
        import_id_fields = ("census", "name")
        store_instance = True  # after_import checks the censuses the rows belong to
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def after_import(self, dataset, result, **kwargs):
        """All rows or none: recent immigrants and emigrants of each census touched must balance."""
        super().after_import(dataset, result, **kwargs)
        censuses = {row.instance.census_id for row in result.rows if row.instance is not None}
        for census in PopulationCensus.objects.filter(pk__in=censuses):
            error = recent_migration_balance_error(census.recent_migration.all())
            if error:
                raise ValidationError(error)


@admin.register(RecentMigration)
class RecentMigrationAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Listed, exported and imported here; edited on its census's page, where the balance is checked."""

    resource_classes = [RecentMigrationResource]
    list_display = ("name", "census", "population_5plus", "immigrants", "emigrants", "net_migration", "net_rate")
    list_filter = ("census",)
    list_select_related = ("census",)
    search_fields = ("name", "departments__name")
    ordering = ("census__year", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).with_rates()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("saldo (calculado)"), ordering="net_migration")
    def net_migration(self, obj):
        return format_signed(obj.net_migration)

    @admin.display(description=_("saldo por 1,000 hab. de 5 años y más (calculado)"), ordering="net_rate")
    def net_rate(self, obj):
        return format_rate(obj.net_rate)
