"""The admin's history as editors use it: who changed what and when, and no change lost to another editor.

- History pages read as an editor reads: values in Lima time, choice labels, 1,387,809, and long texts as a
  comparison of the words that changed (not «[776 chars]»).
- Two editors at once: every change form and inline carries the version it was drawn from — the id of the
  object's newest django-simple-history record — and a save made on an older version is refused, naming who
  changed what and when, with the editor's typed values kept in the form (``VersionedModelForm``). The history
  already records every change with its author and time, so it is the version: no version column, no migration.
- A save that changes nothing records nothing: no empty entries, and no phantom «published_at» change from the
  form dropping a time's microseconds.
"""

import datetime

from diff_match_patch import diff_match_patch
from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from portal.core.admin_widgets import NumberFieldsMixin
from portal.core.numbers import format_int
from portal.core.search import matching

VERSION_FIELD = "history_version"
LONG_TEXT = 100  # characters: a longer changed text is shown as a comparison of its words
CONTEXT = 60  # characters of unchanged text kept on each side of a change in that comparison


def text_comparison(old: str, new: str) -> tuple[str, str]:
    """HTML of ``old`` with its removed words in <del> and of ``new`` with its added words in <ins>; long
    unchanged stretches are cut to their ends around «…», between words. Line breaks are kept (shown by the
    stylesheet)."""
    differ = diff_match_patch()
    diffs = differ.diff_main(old, new)
    differ.diff_cleanupSemantic(diffs)

    def side(kept_op: int, tag: str) -> str:
        parts = []
        for op, text in diffs:
            if op == 0:
                if len(text) > 2 * CONTEXT:
                    text = f"{text[:CONTEXT].rsplit(' ', 1)[0]} … {text[-CONTEXT:].split(' ', 1)[-1]}"
                parts.append(conditional_escape(text))
            elif op == kept_op:
                parts.append(format_html("<{}>{}</{}>", tag, text, tag))
        return mark_safe('<span class="text-comparison">' + "".join(parts) + "</span>")  # noqa: S308 (escaped)

    return side(-1, "del"), side(1, "ins")


class ReadableChangesHelper(HistoricalRecordContextHelper):
    """django-simple-history's own hooks for how each changed value is shown."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if isinstance(value, list):  # many-to-many: the related objects' names
            return ", ".join(sorted(str(item) for item in value)) or "—"
        if value is None or value == "":
            return "—"
        if getattr(field, "choices", None):
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return date_format(value, "SHORT_DATE_FORMAT")
        if isinstance(value, bool):
            return "sí" if value else "no"
        if isinstance(value, int):
            return format_int(value)
        return value

    def stringify_delta_change_values(self, change, old, new):
        if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > LONG_TEXT:
            return text_comparison(old, new)
        return super().stringify_delta_change_values(change, old, new)


# Two editors at once ------------------------------------------------------------------------------------------


def newest_record(instance):
    """The newest history record of ``instance`` (a deletion too), or None."""
    return type(instance).history.filter(id=instance.pk).order_by("-history_id").first()


def who(record) -> str:
    user = record.history_user
    if user is None:
        return _("alguien fuera de la administración (una importación o un comando)")
    return user.get_full_name() or user.get_username()


def changed_fields(record) -> list[str]:
    """The field names (as the form labels them) that ``record`` changed from the record before it."""
    model = record.instance_type
    if record.history_type == "-":
        return [_("eliminó el registro")]
    previous = record.prev_record
    if record.history_type == "+" or previous is None:
        return [_("lo creó")]
    return [
        str(capfirst(model._meta.get_field(change.field).verbose_name))
        for change in record.diff_against(previous).changes
    ]


class VersionedModelForm(forms.ModelForm):
    """A ModelForm that refuses a save made on an out-of-date form (another editor saved in between).

    The hidden ``history_version`` holds the id of the object's newest history record when the form was
    drawn. On validation the row is locked (PostgreSQL: ``SELECT … FOR UPDATE``, inside the admin's
    transaction, so two saves cannot both pass the check) and its newest record read again: when it
    differs, a form error says who changed which fields and when, the typed values stay in the form, and the
    hidden version moves to the newest one («newest@first», keeping the version the form was first drawn on).
    Saving again then writes what this editor changed — replacing the other editor's values only in those
    fields — and keeps what the other editor saved in every field this editor left as it was drawn.
    """

    history_version = forms.CharField(widget=forms.HiddenInput, required=False, label=gettext_lazy("versión leída"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.stored_values = {}
        if instance.pk is not None and not instance._state.adding:
            record = newest_record(instance)
            self.fields[VERSION_FIELD].initial = str(record.history_id) if record else "0"
            # As stored now (a revert form's instance holds an older version's values).
            attnames = [field.attname for field in instance._meta.concrete_fields]
            self.stored_values = type(instance)._base_manager.filter(pk=instance.pk).values(*attnames).first() or {}

    def clean(self):
        cleaned_data = super().clean()
        seen = self.data.get(self.add_prefix(VERSION_FIELD))
        if seen and self.instance.pk is not None and self.stored_values:
            seen, _, first = seen.partition("@")
            self.check_version(seen, first or seen)
            if first and first != seen:
                self.keep_what_others_saved(first)
        return cleaned_data

    def keep_what_others_saved(self, first: str):
        """After a refused save, the fields this editor left as they were drawn (``first``: the history id the
        form was first drawn on) take the values stored now instead of sending the old ones back."""
        drawn = type(self.instance).history.filter(id=self.instance.pk, history_id=int(first) if first.isdigit() else 0)
        drawn = drawn.first()
        if drawn is None:
            return
        model_fields = {field.name: field for field in self.instance._meta.concrete_fields}
        for name in self.changed_data:
            field = model_fields.get(name)
            if field is None or name not in self.cleaned_data:
                continue
            typed, then = self.cleaned_data[name], getattr(drawn, field.attname)
            if isinstance(typed, models.Model):
                typed = typed.pk
            if isinstance(typed, datetime.datetime) and isinstance(then, datetime.datetime):
                then = then.replace(microsecond=typed.microsecond)
            if typed != then:
                continue  # this editor changed it: theirs
            stored = self.stored_values.get(field.attname)
            if field.is_relation:
                stored = field.related_model._base_manager.filter(pk=stored).first()
            self.cleaned_data[name] = stored

    def check_version(self, seen: str, first: str = ""):
        model = type(self.instance)
        database = router.db_for_write(model)
        if connections[database].in_atomic_block:
            model._base_manager.using(database).select_for_update().filter(pk=self.instance.pk).exists()
        newest = newest_record(self.instance)
        newest_id = str(newest.history_id) if newest else "0"
        if seen == newest_id:
            return
        newer = (
            model.history.filter(id=self.instance.pk, history_id__gt=int(seen) if seen.isdigit() else 0)
            .select_related("history_user")
            .order_by("history_id")
        )
        changes = format_html_join(
            "",
            "<li>{}</li>",
            (
                (
                    _("%(who)s, el %(when)s: %(fields)s.")
                    % {
                        "who": who(record),
                        "when": date_format(timezone.localtime(record.history_date), "SHORT_DATETIME_FORMAT"),
                        "fields": ", ".join(changed_fields(record)),
                    },
                )
                for record in newer
            ),
        )
        history_url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[self.instance.pk]
        )
        self.data = self.data.copy()
        # Saving again replaces the other editor's values only where this editor typed something else.
        self.data[self.add_prefix(VERSION_FIELD)] = f"{newest_id}@{first or seen}"
        raise ValidationError(
            format_html(
                '{} <ul>{}</ul>{} <a href="{}">{}</a>',
                _("«%(object)s» cambió mientras usted lo editaba; sus cambios no se guardaron:")
                % {"object": self.instance},
                changes,
                _(
                    "Lo que usted escribió sigue en el formulario. Compárelo con lo que cambió y vuelva a guardar "
                    "si debe reemplazarlo: se guardará lo que usted cambió, y en los demás campos se conserva lo "
                    "que guardó la otra persona."
                ),
                history_url,
                _("Ver el historial"),
            ),
            code="stale",
        )

    def _post_clean(self):
        super()._post_clean()
        # A time shown without its microseconds and saved unchanged keeps them: no phantom change.
        for attname, stored in self.stored_values.items():
            value = getattr(self.instance, attname)
            if (
                isinstance(stored, datetime.datetime)
                and isinstance(value, datetime.datetime)
                and value == stored.replace(microsecond=0)
            ):
                setattr(self.instance, attname, stored)

    @property
    def changes_something(self) -> bool:
        """Whether saving would change a stored value (its own fields or a many-to-many one)."""
        if not self.stored_values:
            return True
        own = any(getattr(self.instance, name) != value for name, value in self.stored_values.items())
        many = any(name in self.changed_data for name in (f.name for f in self.instance._meta.many_to_many))
        return own or many


class VersionedFormMixin:
    """For a ModelAdmin or an inline: its forms are ``VersionedModelForm`` with the hidden version drawn in."""

    form = VersionedModelForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if VERSION_FIELD in flatten_fieldsets(fieldsets) or not self.has_change_permission(request, obj):
            return fieldsets
        (name, options), *others = fieldsets
        return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *others]


class HistoryAdmin(NumberFieldsMixin, VersionedFormMixin, SimpleHistoryAdmin):
    """The base of the portal's ModelAdmins: readable history pages, a save refused when another editor saved
    first, and every number field read as ``portal.core.numbers.read_number`` reads it (``NumberFieldsMixin``)."""

    def get_search_results(self, request, queryset, search_term):
        """Accent- and case-insensitive, as the public search: «Junin» finds Junín (portal.core.search)."""
        fields = [name.lstrip("^=@") for name in self.get_search_fields(request)]
        if not search_term.strip() or not fields:
            return super().get_search_results(request, queryset, search_term)
        return matching(queryset, search_term, fields), any("__" in name for name in fields)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChangesHelper(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        """A save that changes nothing records nothing."""
        if change and not getattr(form, "changes_something", True):
            return
        super().save_model(request, obj, form, change)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting is a save like any other: one transaction, in which the version check locks the row.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)
