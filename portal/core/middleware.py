"""Request-level pieces: structured request log, security headers, public page cache, the read-only API's
methods."""

import hashlib
import json
import logging
import re
import time
from urllib.parse import unquote_to_bytes

from csp.utils import build_policy
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware

from .cache import content_version
from .errors import bad_request
from .http_cache import has_session
from .registry import QUERY_PARAMETERS

request_logger = logging.getLogger("portal.request")
security_logger = logging.getLogger("django.security")


class RequestLogMiddleware:
    """One JSON line per request: method, path, status, duration (ms), cache. Answers 500 and above are logged
    at ERROR (``… ERROR portal.request {"status": 503, …}``), the rest at INFO: alert on the level."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        request_logger.log(
            logging.ERROR if response.status_code >= 500 else logging.INFO,
            json.dumps(
                {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "cache": getattr(response, "_portal_cache", "-"),
                },
                ensure_ascii=False,
            ),
        )
        return response


class SecurityHeadersMiddleware:
    """First in the chain: every response leaves with the security headers, errors included.

    Django's SecurityMiddleware, django-csp and XFrameOptionsMiddleware set them on the responses that
    pass through them (with a page's own policy, e.g. /embed/ may be framed); a request refused before
    them — a Host not in ALLOWED_HOSTS, a query Django will not parse — would leave without. Here each
    header gets the site's value unless the response already has one.
    """

    PERMISSIONS_POLICY = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
        "payment=(), usb=(), interest-cohort=()"
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": build_policy(),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
            "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
            "Permissions-Policy": self.PERMISSIONS_POLICY,
        }
        self.hsts = ""
        if settings.SECURE_HSTS_SECONDS:
            self.hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
            self.hsts += "; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else ""
            self.hsts += "; preload" if settings.SECURE_HSTS_PRELOAD else ""

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.setdefault(name, value)
        if not getattr(response, "xframe_options_exempt", False):
            response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        if self.hsts and request.is_secure():
            response.setdefault("Strict-Transport-Security", self.hsts)
        return response


class AcceptEncodingMiddleware:
    """``Accept-Encoding`` as the client means it: a coding it refuses (``gzip;q=0``, or ``*;q=0`` for every
    coding it does not name) is taken out, so that Django's GZipMiddleware, whitenoise, the page cache's key
    and the ETag — which all look for the word ``gzip`` (or ``br``) — never compress for a client that said no.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_ACCEPT_ENCODING")
        if header and "q" in header.lower():
            request.META["HTTP_ACCEPT_ENCODING"] = accepted_encodings(header)
        return self.get_response(request)


def accepted_encodings(header: str) -> str:
    """``"gzip;q=0, br"`` → ``"br"``; ``"*;q=0, identity"`` → ``"identity"``; ``"*"`` → ``"*, gzip, br"``."""
    weights = {}
    for part in header.split(","):
        coding, _, parameters = part.partition(";")
        quality = re.search(r"q\s*=\s*([0-9.]+)", parameters, re.IGNORECASE)
        try:
            weights[coding.strip().lower()] = float(quality.group(1)) if quality else 1.0
        except ValueError:
            weights[coding.strip().lower()] = 0.0
    accepted = [coding for coding, weight in weights.items() if coding and weight > 0]
    if weights.get("*", 0) > 0:
        accepted += [coding for coding in ("gzip", "br") if coding not in weights]
    return ", ".join(accepted)


class UnreadableRequestMiddleware:
    """A query string the portal will not read is answered at once with the plain 400 page
    (``portal.core.errors.bad_request``), before any view, error page or template reads it again:

    - one Django refuses to parse (more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields);
    - one longer than ``MAX_QUERY_LENGTH`` characters (no link of the portal comes near it);
    - one whose percent-escapes are not UTF-8 text (``%ff%fe``), which Django would read as U+FFFD.

    Bodies are read only by the admin's forms: Django answers what it refuses there (too large, too many
    fields, bad multipart) with the same page, through ``handler400``.
    """

    MAX_QUERY_LENGTH = 2048

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        try:
            if len(query) > self.MAX_QUERY_LENGTH:
                raise SuspiciousOperation(f"query string of {len(query)} characters")
            # WSGI hands the raw bytes over as latin-1; they must be UTF-8 once percent-decoded.
            unquote_to_bytes(query.encode("iso-8859-1")).decode()
            request.GET  # noqa: B018 (parsed once, here)
        except (SuspiciousOperation, UnicodeError) as refused:
            security_logger.warning("Refused query string (%s: %s)", type(refused).__name__, refused)
            return bad_request(request, refused)
        return self.get_response(request)


class PublicGZipMiddleware(GZipMiddleware):
    """Compress public pages; never the admin, whose pages carry CSRF tokens (BREACH), nor media files (photos are
    compressed already; documents keep their length, for download progress and ranges)."""

    def process_response(self, request, response):
        if request.path.startswith((f"/{settings.ADMIN_PATH}", settings.MEDIA_URL)):
            return response
        return super().process_response(request, response)


#: A value longer than this is not one a link of the portal writes.
MAX_VALUE_LENGTH = 60


def kept_query(request) -> bool:
    """Whether the page cache may keep the answer to ``request``'s query string.

    Every parameter must be one the apps registered (``portal.core.registry.register_query_parameter``: those
    their pages and API read), each value short and one a link of the portal writes, the parameter no more times
    than it may appear. Anything else — a parameter no page reads (``?utm_source=``), a value no link writes, a
    free-text search (``?q=``) — is answered fresh and not kept: nothing a client invents becomes a key of the
    shared cache. An empty value (the catalogue's form sends ``?anio=&categoria=…`` for «Todos») is a usual one.

    The query must also be written as the portal writes it (``?a=1&b=2``, nothing more: no ``?&&``), as
    ``request.GET.urlencode()`` gives it back.
    """
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return True
    if query != request.GET.urlencode():
        return False
    for name, values in request.GET.lists():
        parameter = QUERY_PARAMETERS.get(name)
        if parameter is None or len(values) > parameter.most:
            return False
        if not all(value == "" or (len(value) <= MAX_VALUE_LENGTH and parameter.accepts(value)) for value in values):
            return False
    return True


class PublicPageCacheMiddleware:
    """Serve public pages from the cache while the published content is unchanged.

    The cache key holds the content version (``portal.cache``): any edit (recorded
    in the history tables) or a scheduled practice becoming due gives a new version,
    so an edit shows at once on every server sharing the cache — without signals.

    It sits first in the middleware chain, so a hit skips all the others: the
    stored response already carries every header they added (CSP, security,
    compression). Whoever has a session (staff signed in to the admin, who may
    preview drafts), non-GET requests and queries the pages do not recognise
    (``kept_query``) bypass it. The language comes from the URL (Spanish at the root,
    English under /en/), as LocaleMiddleware decides it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        self.skip_prefixes = (f"/{settings.ADMIN_PATH}", "/salud/", settings.STATIC_URL, settings.MEDIA_URL)
        self.languages = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

    def bypass(self, request) -> bool:
        # Only GET and HEAD requests get here (see __call__).
        return (
            not self.timeout
            or request.path.startswith(self.skip_prefixes)
            or has_session(request)
            or (settings.SECURE_SSL_REDIRECT and not request.is_secure())  # let SecurityMiddleware redirect
            or not kept_query(request)
        )

    def language(self, request) -> str:
        prefix = request.path.split("/", 2)[1]
        return prefix if prefix in self.languages else settings.LANGUAGE_CODE

    def key(self, request, version: str) -> str:
        # Not the host: absolute URLs come from settings.SITE_URL. get_host() still refuses hosts not in
        # ALLOWED_HOSTS (a 400) before a stored page is served, as CommonMiddleware would.
        request.get_host()
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else "identity"
        return f"page:{version}:{self.language(request)}:{encoding}:{digest}"

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or self.bypass(request):
            return self.get_response(request)
        # A session cookie here is a dead or made-up one (has_session said so): the visitor gets the public page,
        # and the answer is kept like any other — without the cookie, SessionMiddleware adds no Set-Cookie to
        # delete it, which would make every such answer one nobody may keep, drawn again each time.
        request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
        key = self.key(request, content_version(request))
        cached = cache.get(key)
        if cached is not None:
            cached._portal_cache = "hit"
            return cached
        response = self.get_response(request)
        if self.cacheable(response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            # One chunk: feeds are written piece by piece, and the server would send each piece on its own.
            response.content = response.content
            cache.set(key, response, self.timeout)
            response._portal_cache = "miss"
        return response

    @staticmethod
    def cacheable(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and "private" not in response.get("Cache-Control", "")
            and not response.cookies
        )


class ReadOnlyApiMiddleware:
    """The JSON API under /api/ answers the methods a read-only resource takes, as Django's own views do.

    django-ninja routes GET alone: here HEAD is answered as GET (the WSGI server sends the headers without the
    body, RFC 9110 §9.3.2); OPTIONS gets ``Allow`` and what a browser's CORS preflight asks (a page elsewhere may
    revalidate with ``If-None-Match``); any other method a JSON 405 that says so — never ninja's «Method not
    allowed» in text/html nor the CSRF page of its schema and docs views. Innermost: the page cache and the ETags
    outside see the HEAD as it came.
    """

    ALLOW = "GET, HEAD, OPTIONS"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") or request.method == "GET":
            return self.get_response(request)
        if request.method == "HEAD":
            request.method = "GET"
            try:
                return self.get_response(request)
            finally:
                request.method = "HEAD"
        if request.method == "OPTIONS":
            response = HttpResponse(status=200)
            response["Access-Control-Allow-Methods"] = "GET, HEAD"
            response["Access-Control-Allow-Headers"] = "If-None-Match"
            response["Access-Control-Max-Age"] = "86400"
        else:
            message = "La API es de solo lectura: admite GET y HEAD."  # in Spanish, as all its answers
            response = JsonResponse({"detail": message}, status=405, content_type="application/json; charset=utf-8")
        response["Allow"] = self.ALLOW
        response["Access-Control-Allow-Origin"] = "*"
        return response
