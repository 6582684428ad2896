from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MigrationConfig(AppConfig):
    name = "migration"
    verbose_name = _("Migración interna")
