from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin

from portal.admin_history import HistoryAdmin
from portal.admin_widgets import ExplainedSlugMixin, GroupedIntegersMixin
from portal.imports import CodeWidget, SpreadsheetImportMixin, SpreadsheetResourceMixin, WholeNumberWidget
from portal.templatetags.portal import format_int, format_percent, format_signed

from .models import CensusEdition, Department, DepartmentFigures


@admin.register(Department)
class DepartmentAdmin(ExplainedSlugMixin, HistoryAdmin):
    list_display = ("name", "ubigeo", "slug")
    search_fields = ("name", "ubigeo")
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(CensusEdition)
class CensusEditionAdmin(GroupedIntegersMixin, HistoryAdmin):
    list_display = ("year", "title", "population_shown", "born_abroad_share")
    grouped_integer_fields = ("national_population",)
    search_fields = ("title", "source")
    ordering = ("-year",)

    @admin.display(description=_("población nacional censada"), ordering="national_population")
    def population_shown(self, obj):
        return format_int(obj.national_population)


class DepartmentFiguresResource(SpreadsheetResourceMixin, resources.ModelResource):
    """CSV/XLSX columns: edicion (census year), ubigeo, poblacion, inmigrantes, emigrantes."""

    edition = fields.Field(
        attribute="edition",
        column_name="edicion",
        widget=CodeWidget(CensusEdition, "year", _("No existe una edición del censo del año «%(value)s».")),
    )
    department = fields.Field(
        attribute="department",
        column_name="ubigeo",
        widget=CodeWidget(
            Department, "ubigeo", _("No existe un departamento con el código ubigeo «%(value)s»."), digits=2
        ),
    )
    department_name = fields.Field(attribute="department__name", column_name="departamento", readonly=True)
    population = fields.Field(attribute="population", column_name="poblacion", widget=WholeNumberWidget())
    immigrants = fields.Field(attribute="immigrants", column_name="inmigrantes", widget=WholeNumberWidget())
    emigrants = fields.Field(attribute="emigrants", column_name="emigrantes", widget=WholeNumberWidget())

    class Meta:
        model = DepartmentFigures
        fields = ("edition", "department", "department_name", "population", "immigrants", "emigrants")
        export_order = fields
        import_id_fields = ("edition", "department")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


@admin.register(DepartmentFigures)
class DepartmentFiguresAdmin(GroupedIntegersMixin, SpreadsheetImportMixin, ImportExportModelAdmin, HistoryAdmin):
    resource_classes = [DepartmentFiguresResource]
    grouped_integer_fields = ("population", "immigrants", "emigrants")
    list_display = (
        "department",
        "edition",
        "population_shown",
        "immigrants_shown",
        "emigrants_shown",
        "net_migration",
        "immigrant_share",
        "emigrant_share",
    )
    list_filter = ("edition",)
    list_select_related = ("department", "edition")
    search_fields = ("department__name", "department__ubigeo")
    ordering = ("edition", "department__name")
    autocomplete_fields = ("department",)
    readonly_fields = ("net_migration", "immigrant_share", "emigrant_share")
    fields = ("edition", "department", "population", "immigrants", "emigrants", *readonly_fields)

    def get_queryset(self, request):
        return super().get_queryset(request).with_shares()

    @admin.display(description=_("población censada"), ordering="population")
    def population_shown(self, obj):
        return format_int(obj.population)

    @admin.display(description=_("inmigrantes"), ordering="immigrants")
    def immigrants_shown(self, obj):
        return format_int(obj.immigrants)

    @admin.display(description=_("emigrantes"), ordering="emigrants")
    def emigrants_shown(self, obj):
        return format_int(obj.emigrants)

    @admin.display(description=_("saldo migratorio (calculado)"), ordering="net_migration")
    def net_migration(self, obj):
        return format_signed(obj.net_migration) if hasattr(obj, "net_migration") else "—"

    @admin.display(description=_("% inmigrantes (calculado)"), ordering="immigrant_share")
    def immigrant_share(self, obj):
        return format_percent(obj.immigrant_share) if hasattr(obj, "immigrant_share") else "—"

    @admin.display(description=_("% emigrantes (calculado)"), ordering="emigrant_share")
    def emigrant_share(self, obj):
        return format_percent(obj.emigrant_share) if hasattr(obj, "emigrant_share") else "—"
