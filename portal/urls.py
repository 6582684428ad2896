from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("migracion/", include("migration.urls")),
    path("practicas/", include("practices.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
]

handler404 = "portal.views.page_not_found"
