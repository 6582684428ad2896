from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.core.numbers import format_decimal, format_int
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


GROUP_SEPARATORS = (",", " ", "\u00a0", "\u202f", "_")


def without_group_separators(text: str) -> str:
    """``text`` stripped, without the thousands separators an editor may type or paste (1,387,809 → 1387809)."""
    text = text.strip()
    for separator in GROUP_SEPARATORS:
        text = text.replace(separator, "")
    return text


class GroupedNumberInput(forms.TextInput):
    """A whole number shown as the public site writes it (1,387,809), wide enough for every digit."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "class": "vGroupedNumber", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit()):
            return format_int(value)
        return super().format_value(value)


class GroupedIntegerField(forms.IntegerField):
    """Accepts 1387809, 1,387,809 or 1 387 809 (thousands separators are ignored)."""

    widget = GroupedNumberInput
    default_error_messages = {"invalid": _("Escriba un número entero, p. ej. 1,387,809.")}

    def to_python(self, value):
        if isinstance(value, str):
            value = without_group_separators(value)
            if value.startswith("-") and value[1:].isdigit():
                return int(value)
            if value and not (value.isascii() and value.isdigit()):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def widget_attrs(self, widget):
        # No min/max attributes on a text input: the limits are checked by the form and shown in Spanish.
        return {}


class GroupedDecimalInput(forms.TextInput):
    """A number with decimals shown as the public site writes it: 1,250 (not 1250.00), 12.5, 0.7."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "class": "vGroupedNumber", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (int, Decimal, float)):
            return format_decimal(value)
        return super().format_value(value)


class GroupedDecimalField(forms.DecimalField):
    """Accepts 1250, 1,250, 1 250 or 12.5 (thousands separators ignored; the point is the decimal mark)."""

    widget = GroupedDecimalInput
    default_error_messages = {"invalid": _("Escriba un número, p. ej. 1,250 o 12.5.")}

    def to_python(self, value):
        if isinstance(value, str):
            value = without_group_separators(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # No step/min/max attributes on a text input: the limits are checked by the form and shown in Spanish.
        return {}


class GroupedIntegersMixin:
    """ModelAdmin mixin: the whole-number fields named in ``grouped_integer_fields`` use GroupedIntegerField,
    the decimal ones in ``grouped_decimal_fields`` GroupedDecimalField: both as the public site writes them."""

    grouped_integer_fields: tuple[str, ...] = ()
    grouped_decimal_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.grouped_integer_fields:
            kwargs["form_class"] = GroupedIntegerField
            kwargs["widget"] = GroupedNumberInput
        elif db_field.name in self.grouped_decimal_fields:
            kwargs["form_class"] = GroupedDecimalField
            kwargs["widget"] = GroupedDecimalInput
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
