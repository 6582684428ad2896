from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel: the tools both apps use (numbers, text, search, caching, exports, imports, admin bases).

    It imports neither app: what it needs of them (the models public pages show, the query parameters their
    pages read, the text markers, the public pages) they register in their own ``ready()``
    (``portal.core.registry``).

    Its label stays ``portal``: its models (``ContentBlock``, ``PendingImport``), their tables, migrations,
    permissions and the backups made before the kernel had a package of its own all say ``portal``.
    """

    name = "portal.core"
    label = "portal"
    verbose_name = _("Contenido del portal")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import (
            checks,  # noqa: F401 (registers the deploy checks)
            registry,
        )
        from .exports import DOWNLOAD_FORMATS
        from .search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="portal-sqlite-unaccent")
        registry.register_public_models("portal.ContentBlock")
        registry.register_query_parameter("descargar", registry.one_of(*DOWNLOAD_FORMATS))  # tables' downloads
        registry.register_query_parameter("limit", registry.LIMIT)  # the API's pages
        registry.register_query_parameter("offset", registry.OFFSET)
