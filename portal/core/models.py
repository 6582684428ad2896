import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .text import (
    MARKDOWN_VALIDATORS,
    LocalizedText,
    PlainTextModel,
    image_errors,
    localized,
    marker_error,
    unknown_markers,
)


class ContentBlockQuerySet(models.QuerySet):
    def by_key(self, *keys: str) -> dict[str, "ContentBlock"]:
        """The blocks with these keys in one query, as ``{key: block}``."""
        return self.in_bulk(keys, field_name="key")


class ContentBlock(PlainTextModel):
    """A piece of narrative text that editors keep current (Markdown).

    ``[[clave]]`` markers in the body are replaced by figures computed from the
    stored data (the apps register them: ``portal.core.registry.TextMarkers``), so
    the text never repeats a number by hand.
    """

    key = models.SlugField(
        _("clave"),
        max_length=80,
        unique=True,
        help_text=_("Identificador interno del bloque; las páginas lo usan para encontrarlo. No lo cambie."),
    )
    title = models.CharField(_("título"), max_length=200)
    body = models.TextField(
        _("texto"),
        help_text=_(
            "Markdown. Las cifras se escriben como marcadores que el portal calcula a partir de los datos, "
            "p. ej. [[inmigrantes:lima]], [[pct_emigrantes:apurimac]], [[saldo_abs:cajamarca]], "
            "[[poblacion_migrante]]."
        ),
        validators=MARKDOWN_VALIDATORS,
    )
    title_en = models.CharField(_("título en inglés"), max_length=200, blank=True)
    body_en = models.TextField(
        _("texto en inglés"),
        blank=True,
        help_text=_("Opcional. Si se deja vacío, la versión en inglés del sitio muestra el texto en español."),
        validators=MARKDOWN_VALIDATORS,
    )
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = ContentBlockQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = _("bloque de texto")
        verbose_name_plural = _("bloques de texto")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        """A mistyped ``[[marker]]`` would reach the public page as it is: refused, naming the valid ones."""
        super().clean()
        errors = {field: [message] for field, message in image_errors(self, ("body", "body_en")).items()}
        for field in ("body", "body_en"):
            unknown = unknown_markers(getattr(self, field))
            if unknown:
                errors.setdefault(field, []).extend(
                    marker_error(written, suggestion) for written, suggestion in unknown
                )
        if errors:
            raise ValidationError(errors)

    @property
    def localized_title(self) -> LocalizedText:
        return localized(self, "title")

    @property
    def localized_body(self) -> LocalizedText:
        return localized(self, "body")


class PendingImportQuerySet(models.QuerySet):
    def owned_by(self, request):
        """The uploads of this editor in this session: another user or session never sees them."""
        return self.filter(user=request.user, session_key=request.session.session_key or "")

    def stale(self):
        return self.filter(created_at__lt=timezone.now() - PendingImport.LIFETIME)


class PendingImport(models.Model):
    """A spreadsheet previewed in the admin and waiting for its «Confirmar importación».

    Kept in the database (no file on a server's disk): a preview made on one server can be
    confirmed on another. It belongs to its user and session, and is read again and validated
    again at confirmation.
    """

    LIFETIME = timedelta(hours=6)

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40)
    model = models.CharField(max_length=100)  # "app_label.model_name"
    format_index = models.PositiveSmallIntegerField()
    file_name = models.CharField(max_length=255)
    data = models.BinaryField()
    #: Values chosen on the import page for columns the file lacks ({field name: value}).
    defaults = models.JSONField(default=dict, blank=True)
    #: What the preview saw of the stored rows of the file ({pk: newest history id}): a confirmation whose
    #: preview is out of date is refused (``SpreadsheetModelResource.check_unchanged_since_preview``).
    seen_versions = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("importación pendiente")
        verbose_name_plural = _("importaciones pendientes")

    def __str__(self) -> str:
        return self.file_name
