from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from portal.api import api
from portal.core.admin import markdown_preview, session_keepalive
from portal.sitemaps import SITEMAPS
from portal.views import (
    AboutView,
    DatasetDownloadView,
    DataView,
    EmbedChartView,
    HomeView,
    SearchView,
    api_docs,
    api_fallback,
    health,
    robots_txt,
    without_spanish_prefix,
)

# Public pages: Spanish at the root, English under /en/.
urlpatterns = i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("migracion/", include("migration.urls")),
    path("practicas/", include("practices.urls")),
    path("buscar/", SearchView.as_view(), name="search"),
    path("acerca/", AboutView.as_view(), name="about"),
    path("datos/", DataView.as_view(), name="data"),
    path("datos/portal-migracion-datos.zip", DatasetDownloadView.as_view(), name="data-zip"),
    path("embed/<slug:chart>/", EmbedChartView.as_view(), name="embed"),
    # Before the API's own /api/v1/docs (which it replaces): the docs in Spanish, and in English under /en/.
    path("api/v1/docs", api_docs, name="api-docs"),
    prefix_default_language=False,
)

urlpatterns += [
    path("salud/", require_safe(health), name="health"),
    path("robots.txt", require_safe(robots_txt), name="robots"),
    path("api/v1/", api_fallback),  # before the API's own URLs, whose root is a 404
    path("api/v1/", api.urls),
    # Anything else under /api/: the canonical form of an API URL (no trailing slash), the docs, or a JSON 404.
    re_path(r"^api(?:/(?P<rest>.*))?$", api_fallback, name="api-fallback"),
    # Spanish is the language without a prefix: /es/migracion/ is /migracion/.
    re_path(r"^es(?:/.*)?$", without_spanish_prefix),
    path(
        "sitemap.xml",
        require_safe(sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True)),
    path(f"{settings.ADMIN_PATH}vista-previa-markdown/", markdown_preview, name="markdown-preview"),
    path(f"{settings.ADMIN_PATH}sesion-activa/", session_keepalive, name="admin-session-keepalive"),
    path(settings.ADMIN_PATH, admin.site.urls),
]

handler400 = "portal.core.errors.bad_request"
handler404 = "portal.core.errors.page_not_found"
handler500 = "portal.core.errors.server_error"
