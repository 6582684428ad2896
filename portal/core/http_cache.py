"""HTTP caching: how browsers, Varnish and CDNs may keep the portal's responses.

Public responses (GET or HEAD, no session cookie, not the admin, status 200, no cookie set,
not already marked private) carry:

- ``ETag``: a hash of the content version (``portal.cache``), today's date (the citation on
  /datos/ and in the downloads says when it was consulted), the scheme, host, path and query
  (the language comes from the path: Spanish at the root, English under /en/) and the encoding
  asked for (gzip or not). A request whose ``If-None-Match`` holds it is answered 304 before
  the page is looked up or drawn: one SQL query, the content version.
- ``Cache-Control: public, max-age=…, s-maxage=…, stale-while-revalidate=…``: shared caches
  keep a response ``DJANGO_SHARED_CACHE_SECONDS``, browsers at most a minute; both may serve it
  stale that long again while they revalidate it with ``If-None-Match``.
- ``Vary: Accept-Encoding`` only. Django adds ``Accept-Language`` (LocaleMiddleware) and
  ``Cookie`` (when a view looks at the session or the user): neither changes a public response.
  The language comes from the URL alone (i18n_patterns without a prefix for Spanish); a
  response is public only when the request had no session cookie, and then no cookie changes
  it. Whoever has a session never gets a public response from the portal, and Varnish
  (deploy/varnish/default.vcl) passes such requests to the portal and drops every other cookie.
  Keeping ``Vary: Cookie`` would only stop CDNs from caching the pages.

``Last-Modified`` is kept where a view knows a date (the feeds); ``If-Modified-Since`` is
answered as Django's ConditionalGetMiddleware does, from the response the page cache keeps.

Anything personal — the admin, responses to a request with a session cookie (a signed-in
editor, who may preview drafts), responses that set a cookie (a CSRF token), responses a view
marked private (a draft preview) — is ``Cache-Control: private, no-store``.
"""

import hashlib
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

from .cache import content_version

BROWSER_SECONDS = 60


def has_session(request) -> bool:
    """Whether the request carries a live session (a signed-in editor) — not merely a cookie of that name.

    A made-up ``sessionid`` cookie costs one SQL query here and the visitor gets the public page, from the page
    cache: it cannot make the portal draw every page again. Read once per request.
    """
    if not hasattr(request, "_portal_has_session"):
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        store = import_module(settings.SESSION_ENGINE).SessionStore
        request._portal_has_session = bool(key) and bool(store(key).load())
    return request._portal_has_session


# Vary values Django adds that never change a public response (see the module docstring).
NOT_VARYING = {"cookie", "accept-language"}


class HttpCacheMiddleware:
    """Validators, conditional requests and Cache-Control; sits outside the page cache."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.shared_seconds = settings.SHARED_CACHE_SECONDS
        self.browser_seconds = min(BROWSER_SECONDS, self.shared_seconds)
        self.admin_prefix = f"/{settings.ADMIN_PATH}"
        self.own_headers = ("/salud/", settings.STATIC_URL)  # no-store health check; whitenoise's own validators

    def __call__(self, request):
        if request.path.startswith(self.own_headers):
            return self.get_response(request)
        if self.personal_request(request):
            return self.private(self.get_response(request))
        # The content version is read here, once for the request: the page cache and the kept parts reuse it.
        etag = self.etag(request)
        if self.only_if_none_match(request):
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:  # 304: the page is neither looked up nor drawn
                not_modified._portal_cache = "not-modified"
                return self.public(not_modified, etag)
        response = self.get_response(request)
        if response.status_code != 200 or not self.public_response(response):
            return self.private(response) if response.cookies else response
        self.public(response, etag)
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        answer = get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
        if answer is not response:  # 304 (or 412) from the response the page cache kept or the view drew
            answer._portal_cache = "not-modified"
        return answer

    def personal_request(self, request) -> bool:
        return (
            request.method not in ("GET", "HEAD") or request.path.startswith(self.admin_prefix) or has_session(request)
        )

    @staticmethod
    def only_if_none_match(request) -> bool:
        """Answer before drawing only If-None-Match; other preconditions need the response's date."""
        headers = request.headers
        return (
            "If-None-Match" in headers
            and "If-Match" not in headers
            and "If-Unmodified-Since" not in headers
            # SecurityMiddleware must still redirect plain HTTP to HTTPS.
            and not (settings.SECURE_SSL_REDIRECT and not request.is_secure())
        )

    @staticmethod
    def etag(request) -> str:
        encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else "identity"
        # get_host() refuses hosts outside ALLOWED_HOSTS (a 400), as CommonMiddleware would.
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        parts = (content_version(request), timezone.localdate().isoformat(), encoding, url)
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
        return f'"{digest}"'

    @staticmethod
    def public_response(response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return not response.cookies and not any(word in cache_control for word in ("private", "no-store", "no-cache"))

    def public(self, response, etag: str):
        response["ETag"] = etag
        if self.shared_seconds:
            patch_cache_control(
                response,
                public=True,
                max_age=self.browser_seconds,
                s_maxage=self.shared_seconds,
                stale_while_revalidate=self.shared_seconds,
            )
        else:  # DJANGO_SHARED_CACHE_SECONDS=0: caches keep it but ask every time
            patch_cache_control(response, public=True, no_cache=True)
        vary = [value for value in cc_delim_re.split(response.get("Vary", "")) if value.lower() not in NOT_VARYING]
        response["Vary"] = "Accept-Encoding"
        patch_vary_headers(response, [value for value in vary if value])
        return response

    @staticmethod
    def private(response):
        patch_cache_control(response, private=True, no_store=True)
        return response
