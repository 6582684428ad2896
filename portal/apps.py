from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The assembly: settings, URLs, the API, the pages that compose both apps, the management commands.

    Labelled ``site``: the label ``portal`` belongs to the kernel (``portal.core``), which keeps the models.
    """

    name = "portal"
    label = "site"
    verbose_name = _("Portal")
