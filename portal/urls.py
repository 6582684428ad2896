from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal.admin import markdown_preview
from portal.views import HomeView, health

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("salud/", health, name="health"),
    path("migracion/", include("migration.urls")),
    path("practicas/", include("practices.urls")),
    path(f"{settings.ADMIN_PATH}vista-previa-markdown/", markdown_preview, name="markdown-preview"),
    path(settings.ADMIN_PATH, admin.site.urls),
]

handler404 = "portal.views.page_not_found"
