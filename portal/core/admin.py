from csp.decorators import csp_replace
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseNotAllowed, JsonResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from .admin_history import HistoryAdmin
from .admin_widgets import MarkdownTextarea
from .models import ContentBlock
from .text import MARKDOWN_VALIDATORS, marker_error, marker_values, render_markdown, unknown_markers

admin.site.site_header = _("Portal de Migración Interna — administración")
admin.site.site_title = _("Administración del portal")
admin.site.index_title = _("Contenido del portal")
# Lists and forms fit a 1280 px screen: the side menu would take a quarter of it (the home page and the
# breadcrumbs lead everywhere).
admin.site.enable_nav_sidebar = False


@admin.register(ContentBlock)
class ContentBlockAdmin(HistoryAdmin):
    list_display = ("title", "key", "updated_at")
    search_fields = ("title", "body", "key")
    ordering = ("key",)
    formfield_overrides = {models.TextField: {"widget": MarkdownTextarea(markers=True)}}

    def get_readonly_fields(self, request, obj=None):
        # Pages find their text by key: once created, it stays as it is.
        return ("key", "updated_at") if obj else ("updated_at",)


@staff_member_required
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def markdown_preview(request):
    """The sanitised HTML of a Markdown text, with its [[markers]] filled from the latest data, as a page
    with the public stylesheet: shown in a frame under the field, it looks as the public page will."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    text = request.POST.get("text", "")
    try:  # a text longer than an editor may save is not drawn either: the preview says why
        for validator in MARKDOWN_VALIDATORS:
            validator(text)
    except ValidationError as too_long:
        context = {"html": "", "unknown": too_long.messages}
    else:
        context = {
            "html": mark_safe(render_markdown(text, marker_values(request))),  # noqa: S308 (sanitised by nh3)
            "unknown": [marker_error(written, suggestion) for written, suggestion in unknown_markers(text)],
        }
    return TemplateResponse(request, "admin/markdown_preview.html", context, headers={"Cache-Control": "no-store"})


def session_keepalive(request):
    """Pinged by static/js/admin-editing.js every few minutes while an editor types in a form: the session's
    expiry moves forward (a working editor is not signed out mid-text) and the page gets the current CSRF
    token (valid again after signing in anew in another tab). 401 when the session is over, so that the page
    can say so while the typed text is still on screen (and kept in the browser)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    headers = {"Cache-Control": "no-store"}
    if not (request.user.is_active and request.user.is_staff):
        return JsonResponse({"signed_in": False}, status=401, headers=headers)
    request.session.modified = True  # saved again: expires SESSION_COOKIE_AGE from now
    return JsonResponse({"signed_in": True, "csrf_token": get_token(request)}, headers=headers)
