"""Settings for the Portal de Migración Interna y Buenas Prácticas.

One settings module for every environment: production differences come only
from the environment variables listed in ``.env.example``.
"""

from email.utils import getaddresses
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


class Env(environ.Env):
    """django-environ, with the cache URL schemes this portal has always documented."""

    CACHE_SCHEMES = {
        **environ.Env.CACHE_SCHEMES,
        "locmem": "django.core.cache.backends.locmem.LocMemCache",
        "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
        "dummy": "django.core.cache.backends.dummy.DummyCache",
    }


# Every variable, its type and its default (listed with examples in .env.example).
env = Env(
    DJANGO_DEBUG=(bool, False),
    DJANGO_SECRET_KEY=(str, ""),
    DJANGO_ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "[::1]"]),
    DJANGO_SITE_URL=(str, "http://127.0.0.1:8000"),
    DJANGO_CSRF_TRUSTED_ORIGINS=(list, []),
    DJANGO_HTTPS=(bool, False),
    DJANGO_BEHIND_PROXY=(bool, False),
    DJANGO_PROXY_COUNT=(int, 1),
    DJANGO_DB_CONN_MAX_AGE=(int, 60),
    DJANGO_DB_CONNECT_TIMEOUT=(int, 5),
    DJANGO_DB_STATEMENT_TIMEOUT=(float, 10),
    DJANGO_DB_LOCK_TIMEOUT=(float, 3),
    DJANGO_CACHE_TIMEOUT=(float, 0.25),
    DJANGO_PAGE_CACHE_SECONDS=(int, 600),
    DJANGO_SHARED_CACHE_SECONDS=(int, 60),
    DJANGO_FRAGMENT_CACHE_SECONDS=(int, 600),
    DJANGO_ADMIN_PATH=(str, "admin/"),
    DJANGO_LOG_LEVEL=(str, "INFO"),
    DJANGO_MEDIA_ROOT=(str, ""),
    DJANGO_ADMINS=(list, []),
    DJANGO_SERVER_EMAIL=(str, "portal@localhost"),
    SENTRY_DSN=(str, ""),
    SENTRY_ENVIRONMENT=(str, "production"),
)

DEBUG = env("DJANGO_DEBUG")

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS")


def site_origin(url) -> str:
    """DJANGO_SITE_URL (as ``env.url`` parses it) as ``scheme://host[:port]``: the public origin, no path."""
    netloc = url.netloc
    if (
        url.scheme not in ("http", "https")
        or not url.hostname
        or netloc != netloc.strip()
        or url.path.strip("/")
        or url.query
    ):
        raise ImproperlyConfigured(
            f"DJANGO_SITE_URL must be an origin such as https://migracion.example.pe, not {url.geturl()!r}"
        )
    return f"{url.scheme}://{netloc}"


# Absolute URLs (canonical links, feeds, sitemap, API, downloads, citations) come from here, never from
# the request's Host header.
SITE_URL = site_origin(env.url("DJANGO_SITE_URL"))
CSRF_TRUSTED_ORIGINS = env("DJANGO_CSRF_TRUSTED_ORIGINS")

# HTTPS: on in production (DJANGO_HTTPS=1) — redirect, secure cookies, HSTS.
HTTPS = env("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env("DJANGO_BEHIND_PROXY")
# Trusted proxies in front of the portal (load balancer, CDN…) that append to X-Forwarded-For: the
# client's address for the log-in lock-out is the one they add (portal/proxies.py); 0 = not behind one.
PROXY_COUNT = env("DJANGO_PROXY_COUNT") if BEHIND_PROXY else 0
if BEHIND_PROXY:
    # The load balancer terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SECURE_REDIRECT_EXEMPT = [r"^salud/$"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "django_tables2",
    "simple_history",
    "import_export",
    "axes",
    "ninja",
    "portal.core",  # the kernel: shared tools, text blocks (label "portal")
    "migration",
    "practices",
    "portal",  # the assembly: management commands (label "site")
]

# A form sent without its CSRF token: a page in Spanish (and English) that says what to do.
CSRF_FAILURE_VIEW = "portal.core.errors.csrf_failure"

MIDDLEWARE = [
    # First: every response, errors included, leaves with the security headers.
    "portal.core.middleware.SecurityHeadersMiddleware",
    "portal.core.middleware.RequestLogMiddleware",
    # Codings the client refuses (gzip;q=0) are taken out of Accept-Encoding before anything reads it.
    "portal.core.middleware.AcceptEncodingMiddleware",
    # A query string Django refuses to parse: a plain 400 at once.
    "portal.core.middleware.UnreadableRequestMiddleware",
    # Before the page cache: a revalidation (If-None-Match) is answered 304 without looking the page up.
    "portal.core.http_cache.HttpCacheMiddleware",
    # Early: a cached public page skips every middleware below (its response already has their headers).
    "portal.core.middleware.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.core.static_files.StaticFilesMiddleware",  # whitenoise
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside the cache: pages are stored compressed, once per encoding.
    "portal.core.middleware.PublicGZipMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The API's HEAD, OPTIONS and refused methods (django-ninja routes GET alone).
    "portal.core.middleware.ReadOnlyApiMiddleware",
    # Last: locks out an account or address after repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

# The admin is the only place to sign in: a log-in whose ?next= is refused (another site) lands on its index,
# never on Django's /accounts/… defaults (404).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login: after 5 failures the username+address pair is locked for an hour, and so is an address
# that fails 5 times across usernames (password spraying). The address is the client's, also behind
# the load balancer (portal/proxies.py; DJANGO_BEHIND_PROXY, DJANGO_PROXY_COUNT).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_CLIENT_IP_CALLABLE = "portal.core.proxies.client_ip"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

IMPORT_EXPORT_USE_TRANSACTIONS = True
# Uploads waiting for confirmation live in the database (portal.models.PendingImport), never in a temp folder.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "portal.core.imports.storage.PendingImportStorage"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# Content-Security-Policy: no inline scripts or styles anywhere on the public site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.core.context_processors.content",
                "portal.core.context_processors.site_url",
            ],
        },
    },
]

DATABASES = {
    "default": {
        **env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        "CONN_MAX_AGE": env("DJANGO_DB_CONN_MAX_AGE"),
        "CONN_HEALTH_CHECKS": True,
    }
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable, stuck or locked database fails fast — the portal answers 503 (portal.core.errors) and Varnish
    # serves the copy it holds — instead of holding every worker until gunicorn's time-out. Seconds; 0 = no limit.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env("DJANGO_DB_CONNECT_TIMEOUT"),
        "options": (
            f"-c statement_timeout={round(env('DJANGO_DB_STATEMENT_TIMEOUT') * 1000)}"
            f" -c lock_timeout={round(env('DJANGO_DB_LOCK_TIMEOUT') * 1000)}"
        ),
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# DJANGO_CACHE_URL: locmem:// (default, per process), redis://host:6379/0, memcached://host:11211.
CACHES = {"default": env.cache_url("DJANGO_CACHE_URL", default="locmem://portal")}
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # A cache is an optimisation: Redis down, frozen or restarting is a cache miss, bounded by these time-outs
    # (seconds; each cache operation of a request waits at most this long) and logged (logger portal.cache, once a
    # minute per process), never an error page.
    CACHES["default"]["OPTIONS"] = {
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": env("DJANGO_CACHE_TIMEOUT"),
        "SOCKET_TIMEOUT": env("DJANGO_CACHE_TIMEOUT"),
        **CACHES["default"].get("OPTIONS", {}),
    }
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "portal.cache"
# Public pages are cached this many seconds (0 turns the page cache off); edits show at once anyway.
PUBLIC_PAGE_CACHE_SECONDS = env("DJANGO_PAGE_CACHE_SECONDS")
# HTTP caching (portal/http_cache.py): public responses say "Cache-Control: public, s-maxage=N,
# stale-while-revalidate=N": shared caches (Varnish, a CDN) serve them N seconds without asking the
# portal, then revalidate with If-None-Match. An edit shows through them within N seconds.
SHARED_CACHE_SECONDS = env("DJANGO_SHARED_CACHE_SECONDS")
# Lifetime of what is kept per content version besides whole pages, also when the page cache is off:
# the census summary and the {% cache %} parts of templates (0 turns them off).
FRAGMENT_CACHE_SECONDS = env("DJANGO_FRAGMENT_CACHE_SECONDS")
# Sessions (admin only) in the database: no state on a server's local disk.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # OWASP ASVS 2.1.1: at least 12 characters.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Spanish (Peru) first; figures are written as the
# source writes them (2,781,145 and 43.0 %), see portal/formats/es/formats.py.
LANGUAGE_CODE = "es"  # pages say lang="es-PE"; "es" keeps Spanish URLs unprefixed
LANGUAGES = [("es", "Español"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.core.formats"]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Photos and documents editors upload (portal/core/media.py): content-named files, served by the portal itself
# (/media/…, portal.core.media.serve) with the right headers. Several servers share one folder (a shared volume).
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"
FILE_UPLOAD_PERMISSIONS = 0o644
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o755
STORAGES = {
    "default": {"BACKEND": "portal.core.media.MediaStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Source maps (those of the API docs' bundles, 11 MB) are fetched by developer tools only: kept uncompressed, they no
# longer take most of collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# django-imagekit writes each rendition once, when the photo is saved (portal.core.media.generate_renditions), and
# never checks on a page view whether it exists; what it remembers of the files stays in each process.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"
IMAGEKIT_CACHE_BACKEND = "imagekit"
CACHES["imagekit"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "imagekit"}

ADMIN_PATH = env("DJANGO_ADMIN_PATH").strip("/") + "/"

DJANGO_TABLES2_TEMPLATE = "includes/table.html"

# Error reports. Django mails the tracebacks of errors (500, and 503 when the database is unreachable) to
# DJANGO_ADMINS ("Ana Pérez <ana@example.pe>, …") through the SMTP server of DJANGO_EMAIL_URL
# (smtp://user:password@host:587 with STARTTLS as smtp+tls://…), each kind of error at most once every ten
# minutes per server process (portal.core.logs.OncePerInterval): an outage is one mail, not thousands.
ADMINS = getaddresses(env("DJANGO_ADMINS"))
SERVER_EMAIL = DEFAULT_FROM_EMAIL = env("DJANGO_SERVER_EMAIL")
vars().update(env.email_url("DJANGO_EMAIL_URL", default="smtp://localhost:25"))
EMAIL_TIMEOUT = 5  # a mail server that does not answer never holds a request for long
EMAIL_SUBJECT_PREFIX = "[Portal de Migración] "

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "once_per_minute": {"()": "portal.core.logs.OncePerInterval", "seconds": 60},
        "once_per_ten_minutes": {"()": "portal.core.logs.OncePerInterval", "seconds": 600},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "once_per_ten_minutes"],
        },
    },
    "root": {"handlers": ["console", "mail_admins"], "level": env("DJANGO_LOG_LEVEL")},
    "loggers": {
        # Django's own handlers would print and mail a second time: its records go to the root's.
        "django": {"handlers": [], "level": "INFO"},
        # One structured line per request, 5xx at ERROR (for alerts); not mailed: django.request mails those errors.
        "portal.request": {"handlers": ["console"], "propagate": False},
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # A cache that does not answer (django-redis, IGNORE_EXCEPTIONS): one line a minute, not one per request.
        "portal.cache": {"level": "WARNING", "filters": ["once_per_minute"]},
    },
}

# Sentry (optional, off unless SENTRY_DSN is set): errors with their traceback and request path, no personal
# data (no cookies, no user, no IP address).
if env("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(
        dsn=env("SENTRY_DSN"), environment=env("SENTRY_ENVIRONMENT"), send_default_pii=False, traces_sample_rate=0
    )
