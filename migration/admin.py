from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .measures import DERIVED, MEASURES
from .models import CensusEdition, Department, DepartmentFigures


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
