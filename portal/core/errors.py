"""Error pages: the plain 400, the CSRF 403, the 404, the 500 and the 503 of an outage, in the page's language and
the site's layout (JSON under /api/). Set as ``handler400``, ``handler404``, ``handler500`` and
``CSRF_FAILURE_VIEW``; the 400 is also what ``UnreadableRequestMiddleware`` answers. The 503 and 429 pages are
also written into Varnish's configuration (``manage.py varnish_vcl``), for what Varnish answers itself."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
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


#: Seconds a client is asked to wait (``Retry-After``) when the database cannot be reached (503) or, through
#: Varnish, when it sent too many requests that the cache could not answer (429).
RETRY_AFTER_SECONDS = 60


def server_error(request):
    """``handler500``: the 500 page — or the 503 of an outage when what failed is the database: unreachable,
    stopped, or not answering within the statement or lock time-out (``OperationalError``, ``InterfaceError``).

    Called while Django handles the exception (``sys.exception()`` is it). Drawn without the request's context
    processors, which read the database.
    """
    if isinstance(sys.exception(), (OperationalError, InterfaceError)):
        return service_unavailable(request)
    with translation.override(_path_language(request.path)):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Error del servidor. Ya quedó registrado.")}, status=500)
        return HttpResponse(render_to_string("500.html"), status=500)


def service_unavailable(request):
    """503 with ``Retry-After``: a page for visitors; for a form that was sent (an editor saving), it says the
    change was not saved. JSON under /api/."""
    with translation.override(_path_language(request.path)):
        if request.path.startswith("/api/"):
            response = JsonResponse(api_outage(503), status=503)
        else:
            not_saved = request.method not in ("GET", "HEAD")
            admin = request.path.startswith(f"/{settings.ADMIN_PATH}")
            response = HttpResponse(outage_page(503, not_saved=not_saved, admin=admin), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def api_outage(status: int) -> dict:
    """The API's answer (``{"detail": …}``) when it cannot answer now: 503 (the portal cannot reach its data) or,
    from Varnish, 429 (too many requests it did not hold)."""
    if status == 429:
        return {"detail": _("Demasiadas solicitudes seguidas. Vuelva a intentarlo en un minuto.")}
    return {"detail": _("El servicio no está disponible por un momento. Vuelva a intentarlo en un minuto.")}


def outage_page(status: int, *, not_saved: bool = False, admin: bool = False) -> str:
    """The HTML of the 503 (the portal cannot reach its data) or 429 (too many requests) page in the active
    language, in the site's layout."""
    context = {"retry_minutes": max(1, RETRY_AFTER_SECONDS // 60), "not_saved": not_saved, "admin": admin}
    return render_to_string(f"{status}.html", context)


def _path_language(path: str) -> str:
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE
