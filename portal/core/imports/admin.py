"""The admin's import and export pages (django-import-export's ``ImportExportModelAdmin``), Spanish and safe.

``SpreadsheetImportMixin`` extends the library's admin through its own methods:

- the import form refuses a file over ``MAX_FILE_BYTES`` and offers the values of columns a file may lack
  (``Column(from_form=True)``: the census of every row); the page lists each column with the names it is
  known by, and links an example file made from the list's own rows;
- the preview (``import_action``) draws every row with the spreadsheet's own line, the errors on their cells,
  how the sheet was read, and keeps the file with what it saw of the stored rows (``PendingImport``);
- the confirmation (``process_import``) belongs to its editor and session; the file is read and validated again,
  written whole or not at all, and refused if its rows changed since the preview (HTTP 409, saying who changed
  what and when).
"""

import logging

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ImportForm, SelectableFieldsExportForm
from import_export.results import RowResult

from portal.core.models import PendingImport

from .formats import MAX_FILE_BYTES, SPREADSHEET_FORMATS, SpreadsheetError, megabytes
from .preview import error_summary, file_errors, preview_rows, reading_notes
from .resources import MAX_ROWS
from .storage import PendingImportStorage, pending_token
from .widgets import CodeWidget

logger = logging.getLogger(__name__)

#: Rows of the list in the example file of the import page.
EXAMPLE_ROWS = 5


def form_columns(resource_class) -> dict:
    """{field name: form field} of the columns whose value the import page offers (``Column(from_form=True)``)."""
    resource = resource_class()
    offered = {}
    for field in resource.importable_fields():
        if not getattr(field, "from_form", False):
            continue
        name = resource.field_name(field)
        help_text = _("Para un archivo sin la columna «%(column)s»: se aplica a todas sus filas.") % {
            "column": field.column_name
        }
        if isinstance(field.widget, CodeWidget):
            lookup = field.widget.lookup
            choices = [(str(getattr(row, lookup.code_field)), str(row)) for row in lookup.model._default_manager.all()]
            offered[name] = forms.ChoiceField(
                label=resource.label_of(name),
                choices=[("", _("— la del archivo —")), *choices],
                required=False,
                help_text=help_text,
            )
        else:
            max_length = resource._meta.model._meta.get_field(field.attribute).max_length
            offered[name] = forms.CharField(
                label=resource.label_of(name), required=False, max_length=max_length, help_text=help_text
            )
    return offered


class SpreadsheetImportForm(ImportForm):
    """The library's import form: a file up to ``MAX_FILE_BYTES``, and the columns the page may give."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.offered = form_columns(resources[0]) if resources else {}
        self.fields.update(self.offered)

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("El archivo pesa %(size)s; el máximo es %(max)s. Impórtelo en partes más pequeñas.")
                % {"size": megabytes(upload.size), "max": megabytes(MAX_FILE_BYTES)}
            )
        return upload

    def defaults(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.offered if self.cleaned_data.get(name)}


class PendingConfirmForm(ConfirmImportForm):
    """The library's confirm form, valid only for a file previewed by this editor in this session for this
    list; its format and file name come from what was stored, not from what is posted."""

    def __init__(self, *args, request=None, model_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.model_label = model_label
        self.pending = None

    def clean(self):
        cleaned = super().clean()
        token = pending_token(self.data.get("import_file_name"))
        if self.request is not None and token:
            self.pending = (
                PendingImport.objects.owned_by(self.request)
                .filter(model=self.model_label, token=token)
                .defer("data")
                .first()
            )
        if self.pending is None:
            raise forms.ValidationError(
                _(
                    "Esta vista previa ya no está disponible (caducó, ya se confirmó o es de otra sesión). "
                    "Suba el archivo otra vez."
                )
            )
        cleaned.update(
            import_file_name=str(self.pending.token),
            format=str(self.pending.format_index),
            original_file_name=self.pending.file_name,
        )
        return cleaned


class SpreadsheetExportForm(SelectableFieldsExportForm):
    """The export page's column checkboxes labelled in Spanish with their spreadsheet names (the library
    would show «Population 5Plus (population_enumerated_5plus)»)."""

    def _get_field_label(self, resource, field_name: str) -> str:
        if hasattr(resource, "column_label"):
            return resource.column_label(field_name)
        return super()._get_field_label(resource, field_name)


class SpreadsheetImportMixin:
    """For a ModelAdmin with django-import-export's ImportExportModelAdmin (placed before it): Spanish imports
    of sheets as editors have them, and an export page that refuses a query string that is none of the list's
    filters."""

    import_form_class = SpreadsheetImportForm
    confirm_form_class = PendingConfirmForm
    tmp_storage_class = PendingImportStorage
    import_formats = SPREADSHEET_FORMATS
    import_error_display = ("message",)
    export_form_class = SpreadsheetExportForm

    @property
    def model_label(self) -> str:
        return self.opts.label_lower

    def _url(self, name: str) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}")

    def get_import_formats(self):
        return list(SPREADSHEET_FORMATS)

    def get_urls(self):
        example = path(
            "import/ejemplo/",
            self.admin_site.admin_view(self.example_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_import_example",
        )
        return [example, *super().get_urls()]

    # The import page -----------------------------------------------------------------------------------------

    def get_import_context_data(self, **kwargs):
        resource_class = self.resource_classes[0]
        return {
            **super().get_import_context_data(**kwargs),
            "import_max_rows": f"{MAX_ROWS:,}",
            "import_max_size": megabytes(MAX_FILE_BYTES),
            "resource_columns": resource_class.column_labels_in_order(),
            "accepted_columns": resource_class.accepted_names(),
            # a sheet of counts may have a total row, checked against the sum (not the practices)
            "has_totals": any(column.counted for column in resource_class().sheet_columns()),
            "example_url": self._url("import_example"),
        }

    def get_export_context_data(self, **kwargs):
        return {
            **super().get_export_context_data(**kwargs),
            "resource_columns": self.resource_classes[0].column_labels_in_order(),
        }

    def example_view(self, request):
        """An example file to fill in: the list's first rows as an XLSX with the column names imports read first."""
        if not self.has_import_permission(request):
            return HttpResponse(status=403)
        resource = self.resource_classes[0]()
        queryset = self.get_queryset(request)[:EXAMPLE_ROWS]
        dataset = resource.export(queryset=queryset)
        with translation.override("es"):
            name = slugify(str(self.opts.verbose_name_plural))
        response = HttpResponse(
            base_formats.XLSX().export_data(dataset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="ejemplo-{name}.xlsx"'
        return response

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            logger.warning("Unreadable import file: %r", e)
            form.add_error(
                "import_file",
                _("No se pudo leer el archivo. Compruebe que es una hoja de cálculo CSV o XLSX."),
            )

    # Preview and confirmation --------------------------------------------------------------------------------

    def get_import_resource_kwargs(self, request, **kwargs):
        """The resource gets the values chosen on the page (preview) or kept with the file (confirmation), and
        at confirmation what the preview saw of the stored rows."""
        form = kwargs.get("form")
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        resource_kwargs.pop("form", None)
        if isinstance(form, SpreadsheetImportForm) and hasattr(form, "cleaned_data"):
            resource_kwargs["defaults"] = form.defaults()
        elif isinstance(form, PendingConfirmForm) and form.pending is not None:
            resource_kwargs["defaults"] = form.pending.defaults
            resource_kwargs["seen_versions"] = form.pending.seen_versions
        return resource_kwargs

    def get_import_data_kwargs(self, **kwargs):
        """At confirmation, all rows or none: a row that no longer validates rolls the whole import back."""
        form = kwargs.get("form")
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        if isinstance(form, ConfirmImportForm):
            data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {
            **super().get_confirm_form_kwargs(request, import_form),
            "request": request,
            "model_label": self.model_label,
        }

    def get_confirm_form_initial(self, request, import_form):
        """After a preview that can be confirmed: the file waits in the database, for this editor and session."""
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is None:
            return initial
        upload = import_form.cleaned_data["import_file"]
        upload.seek(0)
        if not request.session.session_key:
            request.session.save()
        # One pending file per editor and list; abandoned previews of anyone are dropped after a few hours.
        PendingImport.objects.filter(
            Q(user=request.user, model=self.model_label) | Q(pk__in=PendingImport.objects.stale().values("pk"))
        ).delete()
        PendingImport.objects.create(
            token=initial["import_file_name"],
            user=request.user,
            session_key=request.session.session_key,
            model=self.model_label,
            format_index=int(import_form.cleaned_data["format"]),
            file_name=upload.name[:255],
            data=upload.read(),
            defaults=import_form.defaults(),
        )
        return initial

    def _preview_context(self, request, result) -> dict:
        resource_class = getattr(result, "resource_class", None) or self.get_import_resource_classes(request)[0]
        resource = resource_class()
        rows = preview_rows(result, resource)
        columns = [field.column_name for field in resource.get_import_fields()]
        return {
            "file_errors": file_errors(result),
            "reading_notes": reading_notes(result),
            "preview_columns": columns,
            "preview_rows": rows,
            "error_summary": error_summary(rows, columns),
            "error_count": sum(1 for row in rows if row["has_errors"]),
            "change_count": sum(1 for row in rows if row["kind"] in ("new", "update", "delete")),
        }

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data.get("result") is not None:
            result = response.context_data["result"]
            response.context_data.update(self._preview_context(request, result))
            confirm_form = response.context_data.get("confirm_form")
            if confirm_form is not None and not response.context_data["change_count"]:
                PendingImport.objects.filter(token=confirm_form.initial["import_file_name"]).delete()
                response.context_data.pop("confirm_form")  # nothing would be written
            elif confirm_form is not None:
                PendingImport.objects.filter(token=confirm_form.initial["import_file_name"]).update(
                    seen_versions=getattr(result, "versions", {})
                )
        return response

    def process_import(self, request, **kwargs):
        """A confirmation that is not this editor's pending file goes back to the import page, saying so."""
        if request.method == "POST" and self.has_import_permission(request):
            confirm_form = self.create_confirm_form(request)
            if not confirm_form.is_valid():
                for error in confirm_form.non_field_errors() or [_("Suba el archivo otra vez.")]:
                    messages.error(request, error)
                return HttpResponseRedirect(self._url("import"))
        return super().process_import(request, **kwargs)

    def process_result(self, result, request):
        """Written: the list, with what changed. Not written (the data changed since the preview, a row no
        longer validates): the preview again, with why, and nothing saved (409)."""
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Importar"),
            "opts": self.opts,
            "form": self.get_import_form_class(request)(
                self.get_import_formats(), self.get_import_resource_classes(request)
            ),
            "result": result,
            "confirm_failed": True,
            **self.get_import_context_data(),
            **self._preview_context(request, result),
        }
        return TemplateResponse(request, [self.import_template_name], context, status=409)

    def add_success_message(self, result, request):
        totals = result.totals
        counts = {
            "new": totals[RowResult.IMPORT_TYPE_NEW],
            "update": totals[RowResult.IMPORT_TYPE_UPDATE],
            "skip": totals[RowResult.IMPORT_TYPE_SKIP],
        }
        parts = [
            ngettext("%(count)s fila nueva", "%(count)s filas nuevas", counts["new"]) % {"count": counts["new"]},
            ngettext("%(count)s actualizada", "%(count)s actualizadas", counts["update"]) % {"count": counts["update"]},
            ngettext("%(count)s sin cambios", "%(count)s sin cambios", counts["skip"]) % {"count": counts["skip"]},
        ]
        messages.success(
            request,
            _("Importación terminada (%(model)s): %(counts)s.")
            % {"model": self.opts.verbose_name_plural, "counts": ", ".join(parts)},
        )

    # Export ----------------------------------------------------------------------------------------------------

    def get_export_filename(self, request, queryset, file_format):
        """«migracion-reciente-2026-11-30.csv»: the list's Spanish name, as the editor knows it, and the day in Lima."""
        with translation.override("es"):
            name = slugify(str(self.opts.verbose_name_plural))
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def export_action(self, request):
        """The export page exports the list as its filters show it (the query string of the list's «Exportar»
        link). A query string that is none of the list's filters — a link edited by hand, an old bookmark —
        gets a 400 page that says so, where django-import-export would fail with a server error."""
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Filtro no válido"),
                "changelist_url": self._url("changelist"),
                "export_url": request.path,
            }
            return TemplateResponse(request, "admin/import_export/export_refused.html", context, status=400)
