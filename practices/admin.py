import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin

from portal.core.admin_history import HistoryAdmin, VersionedFormMixin, VersionedModelForm, who
from portal.core.admin_widgets import ExplainedSlugMixin, MarkdownTextarea, NumberFieldsMixin
from portal.core.exports import ADMIN_FORMATS
from portal.core.imports.admin import SpreadsheetImportMixin
from portal.core.media import generate_renditions
from portal.core.numbers import format_int, format_quantity
from portal.core.uploads import DocumentField, PhotoField

from .models import (
    LATEST_PUBLISHED_FIRST,
    Category,
    Document,
    Institution,
    KeyFigure,
    Photo,
    Practice,
    PracticePhoto,
    publication_time,
)
from .resources import PracticeResource


@admin.register(Category)
class CategoryAdmin(ExplainedSlugMixin, HistoryAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "description")


@admin.register(Institution)
class InstitutionAdmin(ExplainedSlugMixin, HistoryAdmin):
    # A website typed without a scheme ("www.gob.pe/minam") gets https://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "acronym", "website")
    search_fields = ("name", "acronym")
    slug_source = "acronym"


KEY_FIGURE_UNIT_HELP = _(
    "Opcional. Una moneda se escribe antes del número («US$ 2 millones»); otra unidad, después («80 %»)."
)
KEY_FIGURE_VALUE_HELP = _(
    "Solo el número: 1400, 2,000,000 o 2.000.000; con decimales, 12.5 o 12,5. «1,400» se puede leer como 1.4 o "
    "como 1400: el formulario pregunta."
)


class KeyFigureValueMixin(NumberFieldsMixin):
    """A key figure's value written as the public site writes it (1,250; 12.5), not 1250.00."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "value" and formfield is not None:
            formfield.help_text = KEY_FIGURE_VALUE_HELP
        if db_field.name == "unit" and formfield is not None:
            formfield.help_text = KEY_FIGURE_UNIT_HELP
        return formfield


class KeyFigureInline(VersionedFormMixin, KeyFigureValueMixin, admin.TabularInline):
    model = KeyFigure
    extra = 1
    fields = ("order", "unit", "value", "label", "label_en")
    verbose_name = _("cifra clave")
    verbose_name_plural = _("cifras clave (se muestran destacadas: «US$ 2 millones en exportaciones»)")


def restore_rows_deleted_with(practice_id) -> int:
    """A recovered practice gets back its key figures, photos and documents as they were when it was deleted.

    django-simple-history reverts one model: the rows cascaded away with the practice are recreated here from their
    own history, with their ids, each recorded as a new version. A photo of the library deleted since then comes
    back too: its file was kept, since the history still refers to it (``portal.core.media``: orphans).
    """
    deletion = Practice.history.filter(id=practice_id, history_type="-").order_by("-history_date").first()
    if deletion is None:
        return 0
    window = datetime.timedelta(seconds=2)  # cascaded in the same request as the practice
    restored = 0
    for model in (KeyFigure, PracticePhoto, Document):
        records = model.history.filter(
            practice_id=practice_id,
            history_type="-",
            history_date__range=(deletion.history_date - window, deletion.history_date + window),
        ).exclude(id__in=model.objects.values("pk"))
        for record in records.order_by("id", "-history_date").distinct():
            if model.objects.filter(pk=record.id).exists():
                continue
            if model is PracticePhoto and not Photo.objects.filter(pk=record.photo_id).exists():
                photo = Photo.history.filter(id=record.photo_id).exclude(history_type="-").order_by("-history_id")
                if not photo.exists():
                    continue
                photo.first().instance.save()
            record.instance.save()
            restored += 1
    return restored


def thumbnail(photo: Photo | None):
    """The photo, 160 px wide, in the admin's lists and forms."""
    if photo is None or not photo.file:
        return "—"
    picture = photo.picture(widest=160)
    smallest = picture.jpeg[0]
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="admin-thumbnail">',
        smallest.url,
        smallest.width,
        smallest.height,
        photo.alt_text,
    )


class PhotoForm(VersionedModelForm):
    file = PhotoField(
        label=_("foto"),
        help_text=_(
            "JPEG, PNG, WebP o GIF de al menos 640 píxeles de ancho, hasta 20 MB. Se guarda sin sus metadatos "
            "(posición GPS, cámara, fecha) y girada como se tomó; el sitio la muestra en los tamaños que cada "
            "pantalla necesita."
        ),
    )

    class Meta:
        model = Photo
        fields = ("file", "alt_text", "alt_text_en", "credit", "licence")

    def _post_clean(self):
        checked = getattr(self.cleaned_data.get("file"), "checked", None)
        if checked is not None:
            self.instance.width, self.instance.height = checked.width, checked.height
        super()._post_clean()


@admin.register(Photo)
class PhotoAdmin(HistoryAdmin):
    """The photo library: each photo is uploaded once and shown by as many practices as use it."""

    form = PhotoForm
    list_display = ("preview", "alt_text", "credit", "licence", "used_by", "created_at")
    list_display_links = ("preview", "alt_text")
    list_filter = ("licence",)
    search_fields = ("alt_text", "alt_text_en", "credit")
    readonly_fields = ("preview", "dimensions", "used_by_list")
    fieldsets = (
        (None, {"fields": ("file", "preview", "dimensions", "alt_text", "alt_text_en", "credit", "licence")}),
        (_("Dónde se usa"), {"fields": ("used_by_list",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(uses_total=Count("uses"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        generate_renditions(obj.file.name, obj.width, obj.height)  # drawn once, here; never on a page view

    @admin.display(description=_("vista previa"))
    def preview(self, obj):
        return thumbnail(obj)

    @admin.display(description=_("tamaño guardado"))
    def dimensions(self, obj):
        if obj is None or not obj.width:
            return "—"
        return f"{format_int(obj.width)} × {format_int(obj.height)} px"

    @admin.display(description=_("usada en"), ordering="uses_total")
    def used_by(self, obj):
        return ngettext("%d práctica", "%d prácticas", obj.uses_total) % obj.uses_total

    @admin.display(description=_("prácticas que la usan"))
    def used_by_list(self, obj):
        """Before deleting a photo, the editor sees which practices show it (a photo in use cannot be deleted)."""
        uses = obj.uses.select_related("practice").order_by("practice__title") if obj and obj.pk else []
        if not uses:
            return _("Ninguna: puede eliminarse.")
        return format_html_join(
            "",
            '<a href="{}" class="used-by">{}</a> ',
            ((reverse("admin:practices_practice_change", args=[use.practice_id]), use.practice.title) for use in uses),
        )


class PracticePhotoInline(VersionedFormMixin, NumberFieldsMixin, admin.TabularInline):
    model = PracticePhoto
    extra = 1
    fields = ("photo", "preview", "order")
    readonly_fields = ("preview",)
    autocomplete_fields = ("photo",)

    @admin.display(description=_("vista previa"))
    def preview(self, obj):
        return thumbnail(obj.photo if obj and obj.photo_id else None)


class DocumentForm(VersionedModelForm):
    file = DocumentField(
        label=_("archivo"),
        help_text=_("PDF, Word, Excel, PowerPoint u OpenDocument, hasta 25 MB; sin contraseña ni macros."),
    )

    class Meta:
        model = Document
        fields = ("title", "title_en", "file", "order")

    def _post_clean(self):
        checked = getattr(self.cleaned_data.get("file"), "checked", None)
        if checked is not None:
            self.instance.kind, self.instance.pages = checked.extension, checked.pages
            self.instance.size = len(checked.content)
        super()._post_clean()


class DocumentInline(VersionedFormMixin, NumberFieldsMixin, admin.TabularInline):
    model = Document
    form = DocumentForm
    extra = 1
    fields = ("title", "title_en", "file", "described", "order")
    readonly_fields = ("described",)

    @admin.display(description=_("tipo y tamaño"))
    def described(self, obj):
        if obj is None or not obj.pk:
            return "—"
        return f"{obj.get_kind_display()}, {obj.size_label}"


@admin.register(Practice)
class PracticeAdmin(ExplainedSlugMixin, SpreadsheetImportMixin, ImportExportModelAdmin, HistoryAdmin):
    resource_classes = [PracticeResource]
    formats = ADMIN_FORMATS
    change_list_template = "admin/practices/practice/change_list.html"
    inlines = [KeyFigureInline, PracticePhotoInline, DocumentInline]
    list_display = (
        "title",
        "award_year",
        "category",
        "institution_short",
        "department_count",
        "state",
    )
    list_filter = (
        "status",
        "award_year",
        ("category", admin.RelatedOnlyFieldListFilter),
        ("institution", admin.RelatedOnlyFieldListFilter),
        "scope",
        ("departments", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "summary", "body", "programme", "institution__name", "institution__acronym")
    date_hierarchy = "published_at"
    ordering = LATEST_PUBLISHED_FIRST
    list_select_related = ("category", "institution")
    autocomplete_fields = ("departments", "institution", "category")
    slug_source = "title"
    actions = ["publish", "unpublish"]
    readonly_fields = ("visibility", "created_at", "updated_at")

    def slug_is_public(self, obj) -> bool:
        """A draft never published may still change its address; once published, it keeps it."""
        return obj is not None and obj.history.filter(status=Practice.Status.PUBLISHED).exists()

    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body", "source")}),
        (
            _("Versión en inglés"),
            {
                "fields": ("title_en", "summary_en", "body_en", "source_en"),
                "classes": ("collapse",),
                "description": _(
                    "Opcional. Lo que quede vacío se muestra en español en la versión en inglés del sitio, "
                    "marcado como texto en español."
                ),
            },
        ),
        (
            _("Clasificación"),
            {"fields": ("award_year", "category", "institution", "programme", "scope", "departments", "started_on")},
        ),
        (
            _("Publicación"),
            {
                "fields": ("status", "published_at", "visibility", "created_at", "updated_at"),
                "description": _(
                    "Solo las prácticas «Publicada» cuya fecha de publicación ya llegó son visibles al público. "
                    "Con una fecha futura, la práctica aparece sola en esa fecha. Un borrador puede verse con "
                    "«Ver en el sitio» mientras tenga la sesión iniciada."
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(departments_total=Count("departments"))

    def get_deleted_objects(self, objs, request):
        """The delete confirmation lists the key figures, not the internal practice–department links."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        through = Practice.departments.through._meta
        prefix = f"{capfirst(through.verbose_name)}: "

        def without_links(items):
            kept = []
            for item in items:
                if isinstance(item, list):
                    kept.append(without_links(item))
                elif not str(item).startswith(prefix):
                    kept.append(item)
            return [item for item in kept if item != []]

        model_count.pop(through.verbose_name_plural, None)
        return without_links(deleted), model_count, perms_needed, protected

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("body", "body_en"):
            kwargs["widget"] = MarkdownTextarea
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history fills the revert form from the version's own fields only; remember the
        # version so that get_form() can show its departments too (else a recovered practice loses them).
        request.practice_version = Practice.history.filter(id=object_id, history_id=version_id).first()
        recovering = request.method == "POST" and not Practice.objects.filter(pk=object_id).exists()
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if recovering and response.status_code == 302 and Practice.objects.filter(pk=object_id).exists():
                restore_rows_deleted_with(object_id)
        return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        version = getattr(request, "practice_version", None)
        if version is None:
            return form
        departments = [row.department_id for row in version.departments.all()]

        class VersionForm(form):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                self.initial["departments"] = departments

        return VersionForm

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        deleted = path("eliminadas/", self.admin_site.admin_view(self.deleted_view), name="{}_{}_deleted".format(*info))
        return [deleted, *super().get_urls()]

    @admin.display(description=_("institución"), ordering="institution__name")
    def institution_short(self, obj):
        """The acronym (its full name on hover): the list fits 1280 px."""
        institution = obj.institution
        if not institution.acronym:
            return institution.name
        return format_html('<abbr title="{}">{}</abbr>', institution.name, institution.acronym)

    @admin.display(description=_("departamentos"), ordering="departments_total")
    def department_count(self, obj):
        return obj.departments_total

    @admin.display(description=_("estado"), ordering="published_at")
    def state(self, obj):
        """One column tells drafts, scheduled and published practices apart."""
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<span class="publication-state state-{}">{}</span>',
            obj.status if not obj.is_scheduled else "scheduled",
            obj.publication_state,
        )

    @admin.display(description=_("visibilidad al público"))
    def visibility(self, obj):
        """On the form, beside the «estado» dropdown: whether visitors see the practice now."""
        if obj is None or obj.pk is None:
            return _("Aún no guardada: nadie la ve.")
        return self.state(obj)

    @admin.action(description=_("Publicar las prácticas seleccionadas"), permissions=["change"])
    def publish(self, request, queryset):
        count = 0
        for practice in queryset:  # one by one, so that each change is recorded in the history
            published_at = min(practice.published_at, publication_time())
            if practice.status == Practice.Status.PUBLISHED and practice.published_at == published_at:
                continue  # already visible: nothing to record
            practice.status = Practice.Status.PUBLISHED
            practice.published_at = published_at
            practice.save()
            count += 1
        self.message_user(
            request, ngettext("%d práctica publicada.", "%d prácticas publicadas.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Pasar a borrador (retirar del sitio)"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = 0
        for practice in queryset.exclude(status=Practice.Status.DRAFT):
            practice.status = Practice.Status.DRAFT
            practice.save()
            count += 1
        self.message_user(
            request, ngettext("%d práctica retirada.", "%d prácticas retiradas.", count) % count, messages.SUCCESS
        )

    def deleted_view(self, request):
        """Deleted practices, each with a link to restore its last version."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        existing = Practice.objects.values_list("pk", flat=True)
        records = (
            Practice.history.filter(history_type="-")
            .exclude(id__in=existing)
            .order_by("id", "-history_date")
            .select_related("history_user")
        )
        latest = {}
        for record in records:
            latest.setdefault(record.id, record)
        rows = []
        for record in sorted(latest.values(), key=lambda r: r.history_date, reverse=True):
            last_version = Practice.history.filter(id=record.id).exclude(history_type="-").order_by("-history_date")
            version = last_version.first()
            if version is None:
                continue
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_simple_history", args=[record.id, version.pk]
            )
            rows.append({"record": record, "who": who(record), "restore_url": url})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Buenas prácticas eliminadas"),
            "rows": rows,
        }
        return TemplateResponse(request, "admin/practices/practice/deleted.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "deleted_url": reverse("admin:practices_practice_deleted")}
        return super().changelist_view(request, extra_context)


@admin.register(KeyFigure)
class KeyFigureAdmin(KeyFigureValueMixin, HistoryAdmin):
    """Key figures are usually edited inside their practice; this list finds them across practices."""

    list_display = ("practice", "order", "unit", "value_shown", "label")
    list_select_related = ("practice",)
    list_filter = ("practice__award_year",)
    search_fields = ("label", "practice__title")
    autocomplete_fields = ("practice",)
    ordering = ("practice__title", "order")

    @admin.display(description=_("valor"), ordering="value")
    def value_shown(self, obj):
        return format_quantity(obj.value)
