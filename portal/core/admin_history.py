"""The admin's history pages as an editor reads them: values in Lima time, choice labels, 1,387,809."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from portal.core.admin_widgets import NumberFieldsMixin
from portal.core.numbers import format_int


class ReadableChangesHelper(HistoricalRecordContextHelper):
    """django-simple-history's own hook for how each changed value is shown."""

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
            return date_format(timezone.localtime(value), "j M Y, H:i")
        if isinstance(value, datetime.date):
            return date_format(value, "j M Y")
        if isinstance(value, bool):
            return "sí" if value else "no"
        if isinstance(value, int):
            return format_int(value)
        return value


class HistoryAdmin(NumberFieldsMixin, SimpleHistoryAdmin):
    """The base of the portal's ModelAdmins: readable history pages, and every number field read as
    ``portal.core.numbers.read_number`` reads it (``NumberFieldsMixin``)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChangesHelper(self.model, historical_record)
