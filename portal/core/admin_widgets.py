from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.core.numbers import NumberNotRead, format_decimal, format_int, read_number
from portal.core.registry import TEXT_MARKERS


class MarkdownTextarea(forms.Textarea):
    """Textarea for Markdown with a "Vista previa" button (static/js/admin-markdown.js).

    With ``markers=True`` the valid ``[[markers]]`` are listed beside it.
    """

    template_name = "portal/widgets/markdown_textarea.html"

    def __init__(self, attrs=None, markers=False):
        attrs = {"rows": 16, "class": "vLargeTextField markdown-input", **(attrs or {})}
        attrs.setdefault("data-preview-url", reverse_lazy("markdown-preview"))
        super().__init__(attrs)
        self.markers = markers

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.markers:
            context["widget"]["marker_sets"] = [
                {"markers": markers, "slugs": sorted(markers.slugs())} for markers in TEXT_MARKERS
            ]
        return context

    class Media:
        js = (
            "js/admin-markdown.js",
            "vendor/turndown/turndown.js",
            "vendor/turndown/turndown-plugin-gfm.js",
            "js/admin-paste.js",
        )
        css = {"all": ("css/admin.css",)}


class GroupedNumberInput(forms.TextInput):
    """A whole number shown as the public site writes it (1,387,809), wide enough for every digit.

    A text input, never ``type=number``: a browser drops what such an input cannot read («1,5» in an English
    browser) and sends nothing, without a word; here every entry reaches ``read_number``, which reads it or asks.
    """

    grouped = True

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "class": "vGroupedNumber", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if self.grouped and (
            isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit())
        ):
            return format_int(value)
        return super().format_value(value)


class PlainNumberInput(GroupedNumberInput):
    """A whole number that is a year or a position (2009, 3): shown without thousands separators."""

    grouped = False

    def __init__(self, attrs=None):
        super().__init__({"class": "vPlainNumber", **(attrs or {})})


class GroupedDecimalInput(forms.TextInput):
    """A number with decimals shown as the public site writes it (2,000,000; 12.5; 0.7, not 0.70), unless that
    would read two ways when saved again: 1250 is shown 1250, not «1,250» (1.25 or 1250?)."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "class": "vGroupedNumber", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (int, Decimal, float)):
            shown = format_decimal(value)
            try:
                read_number(shown, whole=False)
            except NumberNotRead:
                return f"{Decimal(value).normalize():f}"
            return shown
        return super().format_value(value)


def _read(value, whole: bool):
    try:
        return read_number(value, whole=whole)
    except NumberNotRead as error:
        raise ValidationError(str(error), code="invalid") from None


class WholeNumberField(forms.IntegerField):
    """A count or a year as ``read_number`` reads it: 1387809, 1,387,809, 1.387.809 or 1 387 809; «1,5» is
    refused (a count is whole)."""

    widget = GroupedNumberInput

    def to_python(self, value):
        return _read(value, whole=True)

    def widget_attrs(self, widget):
        # No min/max attributes on a text input: the limits are checked by the form and shown in Spanish.
        return {}


class DecimalNumberField(forms.DecimalField):
    """A number with decimals as ``read_number`` reads it: 0.3 or 0,3; 1,387,809; «1,500» is refused naming its
    two readings (1.5 or 1500)."""

    widget = GroupedDecimalInput

    def to_python(self, value):
        return _read(value, whole=False)

    def widget_attrs(self, widget):
        # No step/min/max attributes on a text input: the limits are checked by the form and shown in Spanish.
        return {}


class NumberFieldsMixin:
    """ModelAdmin and inline mixin: every number field of the form — change form, inline, list-editable column —
    is read with ``read_number``, the one reading of what editors type. Decimals and the whole numbers named in
    ``grouped_integer_fields`` are shown as the public site writes them (1,387,809; 0.3); other whole numbers
    (years, positions) plainly (2009)."""

    grouped_integer_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if not db_field.choices:
            if isinstance(db_field, models.DecimalField):
                kwargs["form_class"] = DecimalNumberField
                kwargs["widget"] = GroupedDecimalInput
            elif isinstance(db_field, models.IntegerField):
                kwargs["form_class"] = WholeNumberField
                grouped = db_field.name in self.grouped_integer_fields
                kwargs["widget"] = GroupedNumberInput if grouped else PlainNumberInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def grouped_column(model, name: str):
    """A list column of the whole-number field ``name`` of ``model``, written as the public site writes it
    (1,387,809), titled and sorted as the field."""

    @admin.display(description=model._meta.get_field(name).verbose_name, ordering=name)
    def column(obj):
        return format_int(getattr(obj, name))

    column.__name__ = f"{name}_shown"
    return column


class ExplainedSlugMixin:
    """ModelAdmin mixin for a model with a public page at ``…/<slug>/``: the slug field is called what it is for
    an editor (the last part of the page's address), filled from ``slug_source`` when the object is added, and
    kept once the page may have been seen (``slug_is_public``): read-only, so that no link to it breaks."""

    slug_source = "name"

    def slug_is_public(self, obj) -> bool:
        """Whether the page may have been seen: by default, once the object exists."""
        return obj is not None

    def get_prepopulated_fields(self, request, obj=None):
        # Not the class attribute: django-simple-history's revert page reads that one whatever the object.
        return {} if self.slug_is_public(obj) else {"slug": (self.slug_source,)}

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "slug") if self.slug_is_public(obj) else fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.SlugField) and formfield is not None:
            formfield.label = _("Dirección web (parte final)")
            formfield.help_text = _(
                "Se completa sola a partir del nombre: minúsculas, sin tildes y con guiones, p. ej. "
                "«ferias-de-quinua-en-puno». Es la última parte de la dirección de la página; una vez publicada, "
                "ya no cambia, para que los enlaces a ella sigan funcionando."
            )
        return formfield
