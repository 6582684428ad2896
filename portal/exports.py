"""Table downloads (CSV, JSON, XLSX) that follow the page's filters and sort."""

from django.utils import translation
from django_tables2.export import ExportMixin


class DownloadMixin(ExportMixin):
    """``?descargar=csv|json|xlsx`` on a table page downloads exactly the rows shown, in the same order.

    Column names are the Spanish headers whatever the page's language, so files are stable
    (documented on /datos/); numbers are plain values (2781145, 43.0).
    """

    export_trigger_param = "descargar"
    export_formats = ("csv", "json", "xlsx")

    def create_export(self, export_format):
        with translation.override("es"):
            return super().create_export(export_format)  # cached as the page is: portal/http_cache.py

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["download_formats"] = self.export_formats
        context["download_param"] = self.export_trigger_param
        return context
