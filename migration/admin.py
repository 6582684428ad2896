from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export import fields, widgets
from import_export.admin import ImportExportModelAdmin

from portal.core.admin_history import HistoryAdmin, VersionedFormMixin, VersionedModelForm
from portal.core.admin_widgets import ExplainedSlugMixin, GroupedIntegersMixin, grouped_column
from portal.core.exports import ADMIN_FORMATS
from portal.core.imports import (
    UNKNOWN_UBIGEO,
    CodesWidget,
    CodeWidget,
    SpreadsheetImportMixin,
    SpreadsheetModelResource,
    WholeNumberWidget,
)
from portal.core.numbers import format_rate

from .consistency import check_edition, published_edition_errors, warnings_after_saving
from .measures import DERIVED, MEASURES, RECENT_BY_KEY
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
class DepartmentAdmin(ExplainedSlugMixin, HistoryAdmin):
    list_display = ("name", "ubigeo", "slug")
    search_fields = ("name", "ubigeo")
    ordering = ("name",)
    # Its address (/migracion/amazonas/), every link to it and the texts' markers ([[poblacion:amazonas]]) use
    # the slug: once created, it stays (ExplainedSlugMixin).


PUBLISHED_EDITION_HELP = _(
    "Esta edición está publicada: el público ve sus cifras. No se guarda un cambio que rompa una regla que se "
    "cumplía (inmigrantes o emigrantes mayores que la población, Σ inmigrantes ≠ Σ emigrantes, suma de los "
    "departamentos ≠ total nacional); las correcciones que tocan varias cifras se hacen juntas en la página de "
    "la edición o con una importación."
)


class DepartmentFiguresForm(VersionedModelForm):
    """One department's figures: on a published edition, a save that breaks a rule that held is refused."""

    def _post_clean(self):
        super()._post_clean()  # the row's own limits first (immigrants ≤ population, one row per department)
        if self.errors:
            return
        problems = published_edition_errors(self.instance.edition, replacing=[self.instance])
        if problems:
            self.add_error(None, ValidationError([PUBLISHED_EDITION_HELP, *problems]))


class EditionFiguresFormSet(BaseInlineFormSet):
    """The figures of an edition edited together: a published edition stays coherent (rules that held)."""

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        replacing = [form.instance for form in _kept_forms(self) if form.has_changed()]
        removing = [form.instance.department_id for form in self.deleted_forms if form.instance.pk]
        problems = published_edition_errors(self.instance, replacing=replacing, removing=removing)
        if problems:
            raise ValidationError([PUBLISHED_EDITION_HELP, *problems])


class EditionFiguresInline(VersionedFormMixin, GroupedIntegersMixin, admin.TabularInline):
    """The edition's page holds its 25 departments' figures: corrections that touch several are saved together."""

    model = DepartmentFigures
    formset = EditionFiguresFormSet
    grouped_integer_fields = tuple(measure.key for measure in MEASURES if measure.stored)
    fields = ("department", *grouped_integer_fields)
    autocomplete_fields = ("department",)
    ordering = ("department__name",)
    extra = 0
    verbose_name_plural = _("cifras por departamento (se guardan juntas)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department")


@admin.register(CensusEdition)
class CensusEditionAdmin(GroupedIntegersMixin, HistoryAdmin):
    list_display = (
        "year",
        "title",
        "status",
        grouped_column(CensusEdition, "national_population"),
        "born_abroad_share_shown",
        "consistency",
    )
    list_filter = ("status",)
    grouped_integer_fields = ("national_population",)
    grouped_decimal_fields = ("born_abroad_share",)
    search_fields = ("title", "source")
    ordering = ("-year",)
    change_form_template = "admin/migration/censusedition/change_form.html"
    inlines = [EditionFiguresInline]

    def get_urls(self):
        view = self.admin_site.admin_view(self.consistency_view)
        return [
            path("<int:object_id>/coherencia/", view, name="migration_censusedition_consistency"),
            *super().get_urls(),
        ]

    @admin.display(
        description=CensusEdition._meta.get_field("born_abroad_share").verbose_name, ordering="born_abroad_share"
    )
    def born_abroad_share_shown(self, obj):
        """0.3, as the public site writes the share (not 0.30)."""
        return format_rate(obj.born_abroad_share)

    @admin.display(description=_("coherencia"))
    def consistency(self, obj):
        problems = check_edition(obj).problems
        label = (
            _("Coherente") if not problems else ngettext("%d problema", "%d problemas", len(problems)) % len(problems)
        )
        url = reverse("admin:migration_censusedition_consistency", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, label)

    def consistency_view(self, request, object_id):
        """The edition's sums side by side with what they must be, and «Publicar» once they agree."""
        edition = get_object_or_404(CensusEdition, pk=object_id)
        if not self.has_view_or_change_permission(request, edition):
            raise PermissionDenied
        if request.method == "POST" and "_publish" in request.POST:
            if not self.has_change_permission(request, edition):
                raise PermissionDenied
            if "_confirmed" not in request.POST and not check_edition(edition).problems:
                return self.publish_confirmation(request, edition)
            edition.status = CensusEdition.Status.PUBLISHED
            try:
                edition.full_clean()
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                edition.save()
                messages.success(
                    request, _("«%(edition)s» está publicada: el público ve ahora sus cifras.") % {"edition": edition}
                )
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": edition,
            "title": _("Coherencia de las cifras: %(edition)s") % {"edition": edition},
            "check": check_edition(edition),
            "can_publish": self.has_change_permission(request, edition),
            "figures_url": reverse("admin:migration_departmentfigures_changelist")
            + f"?edition__id__exact={edition.pk}",
        }
        return TemplateResponse(request, "admin/migration/censusedition/consistency.html", context)

    def publish_confirmation(self, request, edition):
        """«Publicar esta edición» asks first, saying what visitors will see once it is published."""
        current = CensusEdition.objects.public().exclude(pk=edition.pk).first()
        replaces = current is None or edition.year > current.year
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": edition,
            "title": _("¿Publicar «%(edition)s»?") % {"edition": edition},
            "current": current,
            "replaces": replaces,
            "preview_url": reverse("migration:index") + f"?edicion={edition.year}",
            "current_url": reverse("migration:index") + (f"?edicion={current.year}" if current else ""),
        }
        return TemplateResponse(request, "admin/migration/censusedition/publish_confirmation.html", context)


# Spreadsheets (import and export) ----------------------------------------------------------------------------


class DepartmentRowsResource(SpreadsheetModelResource):
    """Rows of one department each: the ubigeo identifies it (01, or 1 from a spreadsheet that dropped the zero);
    its name is exported beside it to read by, and ignored on import."""

    department = fields.Field(
        attribute="department",
        column_name="ubigeo",
        widget=CodeWidget(Department, "ubigeo", UNKNOWN_UBIGEO, digits=2),
    )
    department_name = fields.Field(attribute="department__name", column_name="departamento", readonly=True)
    column_labels = {
        "department": _("código ubigeo del departamento"),
        "department_name": _("nombre del departamento (solo para leer; no se importa)"),
    }


class CensusRowsResource(SpreadsheetModelResource):
    """Rows of a population census, given by its year in the column «censo»."""

    census = fields.Field(
        attribute="census",
        column_name="censo",
        widget=CodeWidget(PopulationCensus, "year", _("No existe un censo de población del año «%(value)s».")),
    )


class DepartmentFiguresResource(DepartmentRowsResource):
    """CSV/XLSX columns: edicion (census year), ubigeo, departamento, poblacion, inmigrantes, emigrantes."""

    edition = fields.Field(
        attribute="edition",
        column_name="edicion",
        widget=CodeWidget(CensusEdition, "year", _("No existe una edición del censo del año «%(value)s».")),
    )
    population = fields.Field(attribute="population", column_name="poblacion", widget=WholeNumberWidget())
    immigrants = fields.Field(attribute="immigrants", column_name="inmigrantes", widget=WholeNumberWidget())
    emigrants = fields.Field(attribute="emigrants", column_name="emigrantes", widget=WholeNumberWidget())

    class Meta:
        model = DepartmentFigures
        fields = ("edition", "department", "department_name", "population", "immigrants", "emigrants")
        export_order = fields
        import_id_fields = ("edition", "department")
        store_instance = True  # after_import checks the editions the rows belong to

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        published = CensusEdition.objects.filter(status=CensusEdition.Status.PUBLISHED)
        self.rules_before = {edition.pk: check_edition(edition).rules() for edition in published}

    def after_import(self, dataset, result, **kwargs):
        """All rows or none: a published edition touched must keep every rule that held before."""
        super().after_import(dataset, result, **kwargs)
        touched = {row.instance.edition_id for row in result.rows if row.instance is not None}
        for edition in CensusEdition.objects.filter(pk__in=touched & self.rules_before.keys()):
            problems = published_edition_errors(edition, before=self.rules_before[edition.pk])
            if problems:
                raise ValidationError([PUBLISHED_EDITION_HELP, *problems])


def derived_column(measure):
    """An admin column of a derived measure, formatted as the pages write it ("—" before the row is saved)."""

    @admin.display(description=format_lazy("{} ({})", measure.label, _("calculado")), ordering=measure.key)
    def column(self, obj):
        return measure.format(measure.of(obj)) if hasattr(obj, measure.key) else "—"

    return column


def measure_column(measure):
    """A list column of a measure (``migration.measures``), titled as the pages title it and formatted as they
    write it (1,387,809; −60.1)."""

    @admin.display(description=measure.label, ordering=measure.key)
    def column(self, obj):
        return measure.format(measure.of(obj))

    return column


def list_column(measure) -> str:
    return f"{measure.key}_shown" if measure.stored else measure.key


@admin.register(DepartmentFigures)
class DepartmentFiguresAdmin(GroupedIntegersMixin, SpreadsheetImportMixin, ImportExportModelAdmin, HistoryAdmin):
    resource_classes = [DepartmentFiguresResource]
    formats = ADMIN_FORMATS
    grouped_integer_fields = tuple(measure.key for measure in MEASURES if measure.stored)
    list_display = ("department", "edition", *(list_column(measure) for measure in MEASURES))
    list_filter = (("edition", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("department", "edition")
    search_fields = ("department__name", "department__ubigeo")
    ordering = ("edition", "department__name")
    autocomplete_fields = ("department",)
    readonly_fields = tuple(measure.key for measure in DERIVED)  # computed: shown, never typed
    fields = ("edition", "department", *(measure.key for measure in MEASURES))
    form = DepartmentFiguresForm

    def get_readonly_fields(self, request, obj=None):
        # A row stays the department and edition it was created for (a move would leave a hole in one edition).
        return (*self.readonly_fields, "edition", "department") if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        published = obj is not None and obj.edition.status == CensusEdition.Status.PUBLISHED
        return not published and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).with_shares()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warnings = warnings_after_saving(obj)
        if warnings:
            url = reverse("admin:migration_censusedition_consistency", args=[obj.edition_id])
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Revise estas cifras: %(warnings)s") % {"warnings": " ".join(warnings)},
                    url,
                    _("Ver la coherencia de la edición"),
                ),
                messages.WARNING,
            )

    locals().update({measure.key: derived_column(measure) for measure in DERIVED})  # read-only, computed
    locals().update({list_column(measure): measure_column(measure) for measure in MEASURES if measure.stored})


# Population censuses and recent migration --------------------------------------------------------------------
# A census's department populations must add up to its national total, and its recent immigrants to its recent
# emigrants: both are checked where they are edited together — the census's page (inlines) and the imports.


def _kept_forms(formset):
    return [form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


def _rows_not_in(formset):
    """The parent's rows the formset does not hold (added by another editor since the page was drawn)."""
    if formset.instance.pk is None:
        return formset.model.objects.none()
    shown = [form.instance.pk for form in formset.forms if form.instance.pk is not None]
    return formset.get_queryset().model.objects.filter(**{formset.fk.name: formset.instance}).exclude(pk__in=shown)


class CensusPopulationFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        populations = [
            *_rows_not_in(self).values_list("population", flat=True),
            *(form.cleaned_data["population"] for form in _kept_forms(self)),
        ]
        error = census_total_error(self.instance, populations)
        if error:
            raise ValidationError(error)


class RecentMigrationFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        forms = _kept_forms(self)
        error = recent_migration_balance_error([*_rows_not_in(self), *(form.instance for form in forms)])
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


class CensusPopulationInline(VersionedFormMixin, GroupedIntegersMixin, admin.TabularInline):
    model = CensusPopulation
    formset = CensusPopulationFormSet
    grouped_integer_fields = ("population",)
    fields = ("department", "population", "inei_note", "source", "source_en")
    autocomplete_fields = ("department",)
    ordering = ("department__name",)
    extra = 0


class RecentMigrationInline(VersionedFormMixin, GroupedIntegersMixin, admin.StackedInline):
    model = RecentMigration
    formset = RecentMigrationFormSet
    grouped_integer_fields = ("population_5plus", "native_total", "native_present", "immigrants", "emigrants")
    fields = (
        "name",
        "departments",
        ("population_5plus", "native_total", "native_present"),
        ("immigrants", "emigrants"),
        ("source", "source_en"),
    )
    autocomplete_fields = ("departments",)
    ordering = ("name",)
    extra = 0


@admin.register(PopulationCensus)
class PopulationCensusAdmin(GroupedIntegersMixin, HistoryAdmin):
    list_display = ("year", "census_date", grouped_column(PopulationCensus, "national_population"), "source")
    grouped_integer_fields = ("national_population",)
    search_fields = ("year", "source")
    ordering = ("year",)
    inlines = [CensusPopulationInline, RecentMigrationInline]


class CensusPopulationResource(CensusRowsResource, DepartmentRowsResource):
    """CSV/XLSX columns: censo (year), ubigeo, departamento, poblacion, nota_limites_inei, fuente, fuente_en."""

    population = fields.Field(attribute="population", column_name="poblacion", widget=WholeNumberWidget())
    inei_note = fields.Field(attribute="inei_note", column_name="nota_limites_inei", widget=widgets.BooleanWidget())
    source = fields.Field(attribute="source", column_name="fuente")
    source_en = fields.Field(attribute="source_en", column_name="fuente_en")

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


@admin.register(CensusPopulation)
class CensusPopulationAdmin(SpreadsheetImportMixin, ImportExportModelAdmin, HistoryAdmin):
    """Listed, exported and imported here; edited on its census's page, where the total is checked."""

    resource_classes = [CensusPopulationResource]
    formats = ADMIN_FORMATS
    list_display = ("department", "census", grouped_column(CensusPopulation, "population"), "inei_note")
    list_filter = (("census", admin.RelatedOnlyFieldListFilter), "inei_note")
    list_select_related = ("department", "census")
    search_fields = ("department__name", "department__ubigeo")
    ordering = ("census__year", "department__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecentMigrationResource(CensusRowsResource):
    """CSV/XLSX columns as data/recent_migration_2002_2007.csv, with the census year."""

    column_labels = {"departments": _("códigos ubigeo de sus departamentos (separados por +)")}

    departments = fields.Field(
        attribute="departments",
        column_name="ubigeo",
        widget=CodesWidget(Department, "ubigeo", "+", UNKNOWN_UBIGEO, digits=2, required=True),
    )
    name = fields.Field(attribute="name", column_name="name")
    population_5plus = fields.Field(
        attribute="population_5plus", column_name="population_enumerated_5plus", widget=WholeNumberWidget()
    )
    native_total = fields.Field(
        attribute="native_total", column_name="native_population_total", widget=WholeNumberWidget()
    )
    native_present = fields.Field(
        attribute="native_present", column_name="native_population_present", widget=WholeNumberWidget()
    )
    immigrants = fields.Field(attribute="immigrants", column_name="immigrants_2002_2007", widget=WholeNumberWidget())
    emigrants = fields.Field(attribute="emigrants", column_name="emigrants_2002_2007", widget=WholeNumberWidget())
    source = fields.Field(attribute="source", column_name="fuente")
    source_en = fields.Field(attribute="source_en", column_name="fuente_en")

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


@admin.register(RecentMigration)
class RecentMigrationAdmin(SpreadsheetImportMixin, ImportExportModelAdmin, HistoryAdmin):
    """Listed, exported and imported here; edited on its census's page, where the balance is checked."""

    resource_classes = [RecentMigrationResource]
    formats = ADMIN_FORMATS
    listed_measures = ("population_5plus", "immigrants", "emigrants", "net_migration", "net_rate")
    list_display = ("name", "census", *(f"{key}_shown" for key in listed_measures))
    list_filter = (("census", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("census",)
    search_fields = ("name", "departments__name")
    ordering = ("census__year", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).with_rates()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    locals().update({f"{key}_shown": measure_column(RECENT_BY_KEY[key]) for key in listed_measures})
