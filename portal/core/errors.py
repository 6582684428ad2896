"""Error pages: the plain 400, the CSRF 403 and the 404, in the page's language and the site's layout
(JSON under /api/). Set as ``handler400``, ``handler404`` and ``CSRF_FAILURE_VIEW``; the 400 is also what
``UnreadableRequestMiddleware`` answers."""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import Resolver404, reverse
from django.utils import translation
from django.utils.translation import gettext as _


def bad_request(request, exception=None):
    """400 for a request Django refused to read (too many fields, too large a body, bad multipart, a host not
    allowed): a plain page that reads nothing of the request but its path — JSON under /api/."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Solicitud no válida: no pudimos leer sus parámetros o sus datos.")}, status=400
        )
    # The language of the path: the request may have been refused before LocaleMiddleware ran.
    with translation.override(translation.get_language_from_path(request.path) or settings.LANGUAGE_CODE):
        if request.path.startswith(f"/{settings.ADMIN_PATH}"):  # an editor: back to the administration
            back = {"back_url": reverse("admin:index"), "back_label": _("Volver a la administración")}
        else:
            back = {"back_url": reverse("home"), "back_label": _("Ir al inicio")}
        return HttpResponseBadRequest(get_template("400.html").render(back))


def csrf_failure(request, reason=""):
    """403 for a form sent without its security token (CSRF_FAILURE_VIEW): an editor's form that expired or a
    browser that blocks cookies, or a POST to a public page, which takes none. Django's own page is English
    and technical; this one says what to do, in the page's language and the site's layout."""
    admin = request.path.startswith(f"/{settings.ADMIN_PATH}")
    return render(request, "403_csrf.html", {"admin": admin}, status=403)


def page_not_found(request, exception):
    """Spanish 404 page in the site's layout, with the reason when the portal gave one; JSON under /api/."""
    if request.path.startswith("/api/"):
        return api_not_found()
    message = ""
    if not isinstance(exception, Resolver404) and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return render(request, "404.html", {"message": message}, status=404)


def api_not_found():
    docs = reverse("api-v1:openapi-view")
    message = _("No existe esa dirección en la API. La documentación está en %(docs)s.") % {"docs": docs}
    response = JsonResponse({"detail": message}, status=404)
    response["Access-Control-Allow-Origin"] = "*"
    return response
