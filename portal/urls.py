from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from portal.admin import markdown_preview
from portal.views import HomeView, health

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("salud/", health, name="health"),
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True)),
    path("migracion/", include("migration.urls")),
    path("practicas/", include("practices.urls")),
    path(f"{settings.ADMIN_PATH}vista-previa-markdown/", markdown_preview, name="markdown-preview"),
    path(settings.ADMIN_PATH, admin.site.urls),
]

handler404 = "portal.views.page_not_found"
