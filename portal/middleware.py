"""Request-level pieces: structured request log, security headers, public page cache."""

import hashlib
import json
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.middleware.gzip import GZipMiddleware

from .cache import content_version

request_logger = logging.getLogger("portal.request")


class RequestLogMiddleware:
    """One JSON line per request: method, path, status, duration (ms)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        request_logger.info(
            json.dumps(
                {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "cache": getattr(response, "_portal_cache", "-"),
                },
                ensure_ascii=False,
            )
        )
        return response


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set."""

    PERMISSIONS_POLICY = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
        "payment=(), usb=(), interest-cohort=()"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class PublicGZipMiddleware(GZipMiddleware):
    """Compress public pages; never the admin, whose pages carry CSRF tokens (BREACH)."""

    def process_response(self, request, response):
        if request.path.startswith(f"/{settings.ADMIN_PATH}"):
            return response
        return super().process_response(request, response)


class PublicPageCacheMiddleware:
    """Serve public pages from the cache while the published content is unchanged.

    The cache key holds the content version (``portal.cache``): any edit (recorded
    in the history tables) or a scheduled practice becoming due gives a new version,
    so an edit shows at once on every server sharing the cache — without signals.

    It sits first in the middleware chain, so a hit skips all the others: the
    stored response already carries every header they added (CSP, security,
    compression). Whoever has a session (staff signed in to the admin, who may
    preview drafts) and non-GET requests bypass it. The language comes from the
    URL (Spanish at the root, English under /en/), as LocaleMiddleware decides it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        self.skip_prefixes = (f"/{settings.ADMIN_PATH}", "/salud/", settings.STATIC_URL)
        self.languages = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

    def bypass(self, request) -> bool:
        # Only GET and HEAD requests get here (see __call__).
        return (
            not self.timeout
            or request.path.startswith(self.skip_prefixes)
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or (settings.SECURE_SSL_REDIRECT and not request.is_secure())  # let SecurityMiddleware redirect
        )

    def language(self, request) -> str:
        prefix = request.path.split("/", 2)[1]
        return prefix if prefix in self.languages else settings.LANGUAGE_CODE

    def key(self, request, version: str) -> str:
        # Scheme and host too: pages hold absolute URLs (canonical, Open Graph, embed code).
        # get_host() also refuses hosts not in ALLOWED_HOSTS (a 400), as CommonMiddleware would.
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(url.encode()).hexdigest()
        encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else "identity"
        return f"page:{version}:{self.language(request)}:{encoding}:{digest}"

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or self.bypass(request):
            return self.get_response(request)
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
