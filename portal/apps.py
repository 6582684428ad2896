from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Contenido del portal")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401 (registers the deploy checks)
        from .search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="portal-sqlite-unaccent")
