from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LocalizedText(str):
    """A text in the visitor's language, or the Spanish one when no English version exists.

    ``lang`` is ``"es"`` when an English page shows the Spanish text (so that templates mark it
    ``lang="es"`` and say it is not translated yet), empty otherwise.
    """

    lang = ""


def localized(instance, field: str) -> LocalizedText:
    """``instance.<field>_en`` on English pages when it is filled in, ``instance.<field>`` otherwise."""
    spanish = getattr(instance, field)
    if get_language() != "en":
        return LocalizedText(spanish)
    english = getattr(instance, f"{field}_en", "")
    if english:
        return LocalizedText(english)
    text = LocalizedText(spanish)
    text.lang = "es" if spanish else ""
    return text


class ContentBlockQuerySet(models.QuerySet):
    def by_key(self, *keys: str) -> dict[str, "ContentBlock"]:
        """The blocks with these keys in one query, as ``{key: block}``."""
        return self.in_bulk(keys, field_name="key")


class ContentBlock(models.Model):
    """A piece of narrative text that editors keep current (Markdown).

    ``[[clave]]`` markers in the body are replaced by figures computed from the
    stored data (see ``migration.summary.NationalSummary.figure_values``), so the
    text never repeats a number by hand.
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
    )
    title_en = models.CharField(_("título en inglés"), max_length=200, blank=True)
    body_en = models.TextField(
        _("texto en inglés"),
        blank=True,
        help_text=_("Opcional. Si se deja vacío, la versión en inglés del sitio muestra el texto en español."),
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

    @property
    def localized_title(self) -> LocalizedText:
        return localized(self, "title")

    @property
    def localized_body(self) -> LocalizedText:
        return localized(self, "body")
