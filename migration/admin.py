from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin

from portal.core.admin_history import HistoryAdmin, VersionedFormMixin, VersionedModelForm
from portal.core.admin_widgets import ExplainedSlugMixin, NumberFieldsMixin, grouped_column
from portal.core.exports import ADMIN_FORMATS
from portal.core.imports.admin import SpreadsheetImportMixin
from portal.core.numbers import format_rate

from .consistency import (
    PUBLISHED_EDITION_HELP,
    check_census,
    check_edition,
    published_edition_errors,
    warnings_after_saving,
)
from .measures import DERIVED, MEASURES, ORIGIN_MEASURES, RECENT_MEASURES
from .models import (
    ORIGIN_FIELDS,
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
from .resources import (
    CensusPopulationResource,
    DepartmentFiguresResource,
    IneiOriginResource,
    IneiPopulationResource,
    RecentMigrationResource,
)


@admin.register(Department)
class DepartmentAdmin(ExplainedSlugMixin, HistoryAdmin):
    list_display = ("name", "ubigeo", "slug")
    search_fields = ("name", "ubigeo")
    ordering = ("name",)
    # Its address (/migracion/amazonas/), every link to it and the texts' markers ([[poblacion:amazonas]]) use
    # the slug: once created, it stays (ExplainedSlugMixin).


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


class EditionFiguresInline(VersionedFormMixin, NumberFieldsMixin, admin.TabularInline):
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
class CensusEditionAdmin(HistoryAdmin):
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
        value = measure.of(obj)
        return "—" if value is None else measure.format(value)

    return column


def list_column(measure) -> str:
    return f"{measure.key}_shown" if measure.stored else measure.key


@admin.register(DepartmentFigures)
class DepartmentFiguresAdmin(SpreadsheetImportMixin, ImportExportModelAdmin, HistoryAdmin):
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


ORIGIN_COUNTS = ORIGIN_FIELDS  # population aged 5+, born in the department, lived there five years before


class CensusPopulationInline(VersionedFormMixin, NumberFieldsMixin, admin.TabularInline):
    model = CensusPopulation
    formset = CensusPopulationFormSet
    grouped_integer_fields = ("population", *ORIGIN_COUNTS)
    fields = ("department", "population", *ORIGIN_COUNTS, "inei_note", "source", "source_en")
    autocomplete_fields = ("department",)
    ordering = ("department__name",)
    extra = 0


class DepartmentPartInline(VersionedFormMixin, NumberFieldsMixin, admin.StackedInline):
    """The parts INEI publishes a department in (Lima Metropolitana, Región Lima): the department's figures are
    their sum, which the census's «Coherencia» page checks."""

    model = DepartmentPart
    grouped_integer_fields = ("population", *ORIGIN_COUNTS)
    fields = (
        ("department", "name", "name_en"),
        ("description", "description_en"),
        ("population", *ORIGIN_COUNTS),
    )
    autocomplete_fields = ("department",)
    ordering = ("department__name", "-population")
    extra = 0


class RecentMigrationInline(VersionedFormMixin, NumberFieldsMixin, admin.StackedInline):
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
class PopulationCensusAdmin(HistoryAdmin):
    """A census: its date (for a census of weeks, the fieldwork's midpoint), national totals, status; its
    departments' figures, the parts INEI publishes a department in and its recent migration, edited together.
    A new census is a draft — editors see it on the public pages, marked «Borrador» — until it is published
    from its «Coherencia» page."""

    list_display = (
        "year",
        "census_date",
        grouped_column(PopulationCensus, "national_population"),
        "status",
        "consistency",
        "source",
    )
    list_filter = ("status",)
    grouped_integer_fields = ("national_population", "national_population_5plus", "born_abroad", "lived_abroad_before")
    search_fields = ("year", "source")
    ordering = ("year",)
    fieldsets = (
        (None, {"fields": ("year", "status", "enumeration", "source")}),
        (_("Fecha"), {"fields": ("census_date", ("fieldwork_start", "fieldwork_end"))}),
        (
            _("Totales nacionales del INEI"),
            {"fields": ("national_population", "national_population_5plus", "born_abroad", "lived_abroad_before")},
        ),
    )
    inlines = [CensusPopulationInline, DepartmentPartInline, RecentMigrationInline]
    change_form_template = "admin/migration/populationcensus/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.consistency_view)
        return [
            path("<int:object_id>/coherencia/", view, name="migration_populationcensus_consistency"),
            *super().get_urls(),
        ]

    @admin.display(description=_("coherencia"))
    def consistency(self, obj):
        problems = check_census(obj).problems
        label = (
            _("Coherente") if not problems else ngettext("%d problema", "%d problemas", len(problems)) % len(problems)
        )
        url = reverse("admin:migration_populationcensus_consistency", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, label)

    def consistency_view(self, request, object_id):
        """The census's sums beside INEI's national totals; «Publicar este censo» once they agree, after a
        confirmation that says what visitors will then see."""
        census = get_object_or_404(PopulationCensus, pk=object_id)
        if not self.has_view_or_change_permission(request, census):
            raise PermissionDenied
        check = check_census(census)
        if request.method == "POST" and "_publish" in request.POST:
            if not self.has_change_permission(request, census):
                raise PermissionDenied
            if "_confirmed" not in request.POST and not check.problems:
                return self.publish_confirmation(request, census)
            census.status = PopulationCensus.Status.PUBLISHED
            try:
                census.full_clean()
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                census.save()
                messages.success(
                    request, _("«%(census)s» está publicado: el público ve ahora sus cifras.") % {"census": census}
                )
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": census,
            "title": _("Coherencia de las cifras: %(census)s") % {"census": census},
            "check": check,
            "can_publish": self.has_change_permission(request, census),
            "change_url": reverse("admin:migration_populationcensus_change", args=[census.pk]),
            "preview_url": reverse("migration:balances" if census.has_origin_figures else "migration:population"),
        }
        return TemplateResponse(request, "admin/migration/populationcensus/consistency.html", context)

    def publish_confirmation(self, request, census):
        """«Publicar este censo» asks first, saying where visitors will see it."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": census,
            "title": _("¿Publicar «%(census)s»?") % {"census": census},
            "newest": not PopulationCensus.objects.public().filter(year__gt=census.year).exists(),
            "preview_url": reverse("migration:balances" if census.has_origin_figures else "migration:population"),
        }
        return TemplateResponse(request, "admin/migration/populationcensus/publish_confirmation.html", context)


@admin.register(CensusPopulation)
class CensusPopulationAdmin(SpreadsheetImportMixin, ImportExportModelAdmin, HistoryAdmin):
    """Listed, exported and imported here; edited on its census's page, where the total is checked. Imported from
    the portal's own spreadsheet or from INEI's workbooks of a census as INEI publishes them (README, «For
    editors»: the table of population first, then the tables of origin)."""

    resource_classes = [CensusPopulationResource, IneiPopulationResource, IneiOriginResource]
    formats = ADMIN_FORMATS
    list_display = (
        "department",
        "census",
        # population, and the census's origin counts as stored (the balances are on the public page)
        *(f"{measure.key}_shown" for measure in ORIGIN_MEASURES if measure.stored),
        "inei_note_shown",
    )
    list_filter = (("census", admin.RelatedOnlyFieldListFilter), "inei_note")
    list_select_related = ("department", "census")
    search_fields = ("department__name", "department__ubigeo")
    ordering = ("census__year", "department__name")

    # the page of one row (read only: edited on its census's page) writes each figure as the public site does
    fields = (
        "census",
        "department",
        *(f"{measure.key}_shown" for measure in ORIGIN_MEASURES),
        "inei_note_shown",
        "source",
    )
    readonly_fields = fields

    @admin.display(description=CensusPopulation._meta.get_field("inei_note").verbose_name, ordering="inei_note")
    def inei_note_shown(self, obj):
        """Sí or No in words (Django's icon says «True»/«False» to a screen reader)."""
        return capfirst(_("sí") if obj.inei_note else _("no"))

    def get_queryset(self, request):
        return super().get_queryset(request).with_balances()

    locals().update({f"{measure.key}_shown": measure_column(measure) for measure in ORIGIN_MEASURES})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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

    # the page of one row (read only: edited on its census's page) writes each figure as the public site does
    fields = ("census", "name", "departments", *(f"{measure.key}_shown" for measure in RECENT_MEASURES), "source")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    locals().update({f"{measure.key}_shown": measure_column(measure) for measure in RECENT_MEASURES})
