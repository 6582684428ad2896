from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.db import models
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from migration.summary import load_summary

from .admin_widgets import MarkdownTextarea
from .models import ContentBlock
from .text import render_markdown

admin.site.site_header = _("Portal de Migración Interna — administración")
admin.site.site_title = _("Administración del portal")
admin.site.index_title = _("Contenido del portal")


@admin.register(ContentBlock)
class ContentBlockAdmin(SimpleHistoryAdmin):
    list_display = ("title", "key", "updated_at")
    search_fields = ("title", "body", "key")
    ordering = ("key",)
    formfield_overrides = {models.TextField: {"widget": MarkdownTextarea}}

    def get_readonly_fields(self, request, obj=None):
        # Pages find their text by key: once created, it stays as it is.
        return ("key", "updated_at") if obj else ("updated_at",)


@staff_member_required
def markdown_preview(request):
    """The sanitised HTML of a Markdown text, with its [[markers]] filled from the latest data."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        values = load_summary(request).figure_values
    except Http404:
        values = {}
    return HttpResponse(render_markdown(request.POST.get("text", ""), values))
