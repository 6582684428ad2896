from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import CharField, Count, Exists, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import Cast, JSONArray, JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from migration.models import Department
from portal.core.aggregates import JSONArrayAgg
from portal.core.media import Picture, Rendition, share_rendition
from portal.core.numbers import format_file_size, format_quantity_with_unit
from portal.core.search import folded, matching
from portal.core.text import MARKDOWN_VALIDATORS, LocalizedText, PlainTextModel, image_errors, localized
from portal.core.uploads import DOCUMENT_KINDS

PHOTOS_FOLDER = "practicas/fotos"
DOCUMENTS_FOLDER = "practicas/documentos"


#: The order of «what is new»: the most recently published first; of two published in the same minute
#: (``publication_time``), the one published last (feed, home page, admin list).
LATEST_PUBLISHED_FIRST = ("-published_at", "-pk")


def publication_time():
    """Now, to the minute: a publication time as editors type it and as a spreadsheet saves it («7/12/2026 06:45»),
    so that a practices file opened in Excel and imported again changes no time (nor its history)."""
    return timezone.now().replace(second=0, microsecond=0)


class CategoryQuerySet(models.QuerySet):
    def search(self, query: str):
        return matching(self, query, ["name", "description"])


class InstitutionQuerySet(models.QuerySet):
    def search(self, query: str):
        return matching(self, query, ["name", "acronym"])


class Category(PlainTextModel):
    name = models.CharField(_("nombre"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    description = models.TextField(_("descripción"), blank=True)
    name_en = models.CharField(
        _("nombre en inglés"),
        max_length=150,
        blank=True,
        help_text=_("Opcional. Si se deja vacío, la versión en inglés del sitio muestra el nombre en español."),
    )
    description_en = models.TextField(_("descripción en inglés"), blank=True)

    objects = CategoryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("categoría")
        verbose_name_plural = _("categorías")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("practices:category", kwargs={"slug": self.slug})

    @property
    def localized_name(self) -> LocalizedText:
        return localized(self, "name")

    @property
    def localized_description(self) -> LocalizedText:
        return localized(self, "description")


class Institution(PlainTextModel):
    name = models.CharField(_("nombre"), max_length=200, unique=True)
    acronym = models.CharField(_("sigla"), max_length=30, blank=True, help_text=_("Por ejemplo: Mincetur, Minag."))
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    website = models.URLField(_("sitio web"), blank=True)

    objects = InstitutionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("practices:institution", kwargs={"slug": self.slug})


class PracticeQuerySet(models.QuerySet):
    def published(self):
        """What visitors may see: published, with a publication date that has come."""
        return self.filter(status=Practice.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_relations(self):
        return self.select_related("category", "institution").prefetch_related("departments")

    def with_department_list(self):
        """``department_list``: [[slug, name], …] of each practice's departments, in the same query."""
        departments = (
            Department.objects.filter(practices=OuterRef("pk"))
            .order_by()
            .values("practices")
            .annotate(items=JSONArrayAgg(JSONArray("slug", "name")))
            .values("items")
        )
        return self.annotate(department_list=Subquery(departments, output_field=JSONField()))

    def with_key_figure_list(self):
        """``key_figure_list``: each practice's key figures as JSON objects, in the same query."""
        figures = (
            KeyFigure.objects.filter(practice=OuterRef("pk"))
            .order_by()
            .values("practice")
            .annotate(
                items=JSONArrayAgg(
                    JSONObject(
                        id="pk",
                        order="order",
                        unit="unit",
                        label="label",
                        label_en="label_en",
                        value=Cast("value", CharField()),
                    )
                )
            )
            .values("items")
        )
        return self.annotate(key_figure_list=Subquery(figures, output_field=JSONField()))

    def with_page_details(self):
        """Everything a practice's page shows besides its own fields: one query, and one each for its photos and
        its documents."""
        photos = models.Prefetch("photos", PracticePhoto.objects.select_related("photo"))
        return (
            self.select_related("category", "institution")
            .with_department_list()
            .with_key_figure_list()
            .prefetch_related(photos, "documents")
        )

    def with_lead_photo(self):
        """``lead_photo``: the first photo of each practice as ``{name, width, height}`` (or None), in the same
        query (the catalogue's thumbnails, the feeds' enclosures)."""
        first = (
            PracticePhoto.objects.filter(practice=OuterRef("pk"))
            .order_by("order", "pk")
            .values(json=JSONObject(name="photo__file", width="photo__width", height="photo__height"))[:1]
        )
        return self.annotate(lead_photo=Subquery(first, output_field=JSONField()))

    def for_catalogue(self):
        """The catalogue: published practices, newest award first."""
        return self.published().order_by("-award_year", "title")

    def with_catalogue_columns(self):
        """What the catalogue's rows show, in one query per page (``department_list`` instead of a prefetch)."""
        return self.select_related("category", "institution").with_department_list().with_lead_photo()

    def national(self):
        return self.filter(scope=Practice.Scope.NATIONAL)

    def serving(self, department):
        return self.filter(departments=department)

    def search(self, query: str):
        """Accent- and case-insensitive search over the texts, institution and departments."""

        def serves_matching_department(word):
            departments = Department.objects.annotate(folded_name=folded("name"))
            return Q(Exists(departments.filter(practices=OuterRef("pk"), folded_name__contains=word)))

        fields = ["title", "summary", "body", "programme", "institution__name", "institution__acronym"]
        return matching(self, query, fields, extra=serves_matching_department)

    def related_to(self, practice, limit: int = 4):
        """Other practices of the same category or serving one of the same departments."""
        same_department = Q(departments__in=practice.departments.all())
        return (
            self.exclude(pk=practice.pk)
            .filter(Q(category_id=practice.category_id) | same_department)
            .distinct()
            .select_related("institution")
            .order_by("-award_year", "title")[:limit]
        )

    def counts_by_department(self) -> dict[int, int]:
        rows = self.values("departments").annotate(total=Count("pk", distinct=True)).order_by()
        return {row["departments"]: row["total"] for row in rows if row["departments"] is not None}


class Practice(PlainTextModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        PUBLISHED = "published", _("Publicada")

    class Scope(models.TextChoices):
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("Nacional")

    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, help_text=_("Parte final de la dirección web de la práctica.")
    )
    summary = models.TextField(_("resumen"), help_text=_("Una o dos frases; se muestra en el catálogo."))
    body = models.TextField(
        _("texto"),
        help_text=_("Markdown: párrafos, listas, enlaces, negritas, tablas."),
        validators=MARKDOWN_VALIDATORS,
    )
    title_en = models.CharField(
        _("título en inglés"),
        max_length=200,
        blank=True,
        help_text=_("Opcional. Si se deja vacío, la versión en inglés del sitio muestra el texto en español."),
    )
    summary_en = models.TextField(_("resumen en inglés"), blank=True)
    body_en = models.TextField(
        _("texto en inglés"),
        blank=True,
        help_text=_("Markdown, como el texto en español."),
        validators=MARKDOWN_VALIDATORS,
    )
    source = models.CharField(
        _("fuente"),
        max_length=300,
        blank=True,
        help_text=_(
            "De dónde viene la información de la práctica, p. ej. «Premio Buenas Prácticas en Gestión Pública "
            "2009, Ciudadanos al Día». Se muestra al pie de la práctica; vacío: no se muestra."
        ),
    )
    source_en = models.CharField(_("fuente en inglés"), max_length=300, blank=True)
    award_year = models.PositiveSmallIntegerField(
        _("año del premio"),
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        db_index=True,
        help_text=_("Edición del Premio Buenas Prácticas en Gestión Pública, p. ej. 2009."),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="practices", verbose_name=_("categoría")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="practices", verbose_name=_("institución")
    )
    programme = models.CharField(
        _("programa"), max_length=250, blank=True, help_text=_("Programa, proyecto u organización de la práctica.")
    )
    scope = models.CharField(_("alcance"), max_length=10, choices=Scope.choices, default=Scope.REGIONAL)
    departments = models.ManyToManyField(
        Department,
        related_name="practices",
        blank=True,
        verbose_name=_("departamentos"),
        help_text=_("Departamentos donde se aplica. Déjelo vacío si el alcance es nacional."),
    )
    started_on = models.DateField(
        _("inicio"),
        null=True,
        blank=True,
        help_text=_("Mes de inicio, si se conoce: indique el día 1 del mes (se muestra «septiembre del 2007»)."),
    )
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("fecha de publicación"),
        default=publication_time,
        db_index=True,
        help_text=_("Una fecha futura programa la publicación: la práctica aparece sola cuando llega."),
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    objects = PracticeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[departments])

    class Meta:
        ordering = ["-award_year", "title"]
        verbose_name = _("buena práctica")
        verbose_name_plural = _("buenas prácticas")
        indexes = [models.Index(fields=["status", "published_at"], name="practice_visibility_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]),
                name="practice_status_valid",
                violation_error_message=_("Estado no válido."),
            ),
            models.CheckConstraint(
                condition=Q(scope__in=["regional", "national"]),
                name="practice_scope_valid",
                violation_error_message=_("Alcance no válido."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", kwargs={"slug": self.slug})

    @property
    def localized_title(self) -> LocalizedText:
        return localized(self, "title")

    @property
    def localized_summary(self) -> LocalizedText:
        return localized(self, "summary")

    def clean(self):
        """Its texts hold no image: the portal does not publish them (refused, not dropped silently)."""
        super().clean()
        errors = image_errors(self, ("body", "body_en"))
        if errors:
            raise ValidationError(errors)

    @property
    def localized_body(self) -> LocalizedText:
        return localized(self, "body")

    @property
    def localized_source(self) -> LocalizedText:
        return localized(self, "source")

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()

    @property
    def publication_state(self) -> str:
        """«Borrador», «Publicada» or «Programada para el 1 dic. 2026, 09:00» (Lima time), wherever it is shown."""
        if self.is_scheduled:
            when = date_format(timezone.localtime(self.published_at), "SHORT_DATETIME_FORMAT")
            return _("Programada para el %(when)s") % {"when": when}
        return str(self.Status(self.status).label)

    @property
    def listed_key_figures(self) -> list["KeyFigure"]:
        """Its key figures in order, read with ``PracticeQuerySet.with_key_figure_list()``."""
        items = sorted(self.key_figure_list or (), key=lambda item: (item["order"], item["id"]))
        return [
            KeyFigure(
                pk=item["id"],
                order=item["order"],
                unit=item["unit"],
                label=item["label"],
                label_en=item.get("label_en") or "",
                value=Decimal(item["value"]),
            )
            for item in items
        ]

    @property
    def lead_picture(self) -> Picture | None:
        """The first photo as the catalogue shows it (read with ``PracticeQuerySet.with_lead_photo()``)."""
        lead = getattr(self, "lead_photo", None)
        if not lead:
            return None
        return Picture.of(lead["name"], lead["width"], lead["height"], widest=320)

    @property
    def listed_departments(self) -> list[tuple[str, str]]:
        """(slug, name) of its departments by name, read with ``PracticeQuerySet.with_department_list()``."""
        return sorted(((slug, name) for slug, name in self.department_list or ()), key=lambda item: item[1])


class KeyFigure(PlainTextModel):
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="key_figures", verbose_name=_("práctica")
    )
    value = models.DecimalField(
        _("valor"), max_digits=15, decimal_places=2, help_text=_("Solo el número, sin separadores: 1400 o 2000000.")
    )
    unit = models.CharField(
        _("unidad"), max_length=20, blank=True, help_text=_("Se escribe antes del número, p. ej. «US$». Opcional.")
    )
    label = models.CharField(
        _("descripción"), max_length=200, help_text=_("Lo que se cuenta, tras el número: «puestos de trabajo».")
    )
    label_en = models.CharField(_("descripción en inglés"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("cifra clave")
        verbose_name_plural = _("cifras clave")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="key_figure_value_non_negative",
                violation_error_message=_("La cifra no puede ser negativa."),
            )
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (format_quantity_with_unit(self.value, self.unit), self.label) if part)

    @property
    def localized_label(self) -> LocalizedText:
        return localized(self, "label")


LICENCE_LINKS = {
    "cc-by-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "cc-by-sa-4.0": ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "cc0": ("CC0", "https://creativecommons.org/publicdomain/zero/1.0/"),
}


class PhotoQuerySet(models.QuerySet):
    def search(self, query: str):
        return matching(self, query, ["alt_text", "alt_text_en", "credit"])


class Photo(PlainTextModel):
    """A photo of the library: shown by the practices that use it (``PracticePhoto``), drawn in the sizes pages
    need (``portal.core.media``). The stored file is the photo drawn again from its pixels, without its metadata
    (``portal.core.uploads.check_photo``); its name comes from its content."""

    class Licence(models.TextChoices):
        CC_BY = "cc-by-4.0", _("CC BY 4.0 (citar al autor)")
        CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0 (citar al autor, compartir igual)")
        CC0 = "cc0", _("CC0 (dominio público)")
        PERMISSION = "permission", _("Todos los derechos reservados, publicada con permiso")

    file = models.FileField(_("foto"), upload_to=PHOTOS_FOLDER, max_length=200)
    width = models.PositiveIntegerField(_("ancho (px)"), editable=False)
    height = models.PositiveIntegerField(_("alto (px)"), editable=False)
    alt_text = models.CharField(
        _("texto alternativo"),
        max_length=300,
        help_text=_(
            "Lo que muestra la foto, para quien no puede verla (lectores de pantalla, conexiones lentas): "
            "«Productoras de cacao seleccionan granos en Satipo». No repita el título ni escriba «foto de»."
        ),
    )
    alt_text_en = models.CharField(_("texto alternativo en inglés"), max_length=300, blank=True)
    credit = models.CharField(
        _("crédito"),
        max_length=200,
        help_text=_("Autor o institución, como debe citarse: «Foto: Ana Quispe / Mincetur»."),
    )
    licence = models.CharField(_("licencia"), max_length=20, choices=Licence.choices)
    created_at = models.DateTimeField(_("subida"), auto_now_add=True)

    objects = PhotoQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("foto")
        verbose_name_plural = _("fotos (biblioteca)")
        constraints = [
            models.CheckConstraint(
                condition=Q(licence__in=["cc-by-4.0", "cc-by-sa-4.0", "cc0", "permission"]),
                name="photo_licence_valid",
                violation_error_message=_("Licencia no válida."),
            )
        ]

    def __str__(self) -> str:
        text = self.alt_text if len(self.alt_text) <= 70 else self.alt_text[:69] + "…"
        return f"{text} ({self.credit})"

    @property
    def licence_link(self) -> tuple[str, str]:
        """(short name, address of the licence) of a Creative Commons licence; ("", "") otherwise."""
        return LICENCE_LINKS.get(self.licence, ("", ""))

    @property
    def localized_alt_text(self) -> LocalizedText:
        return localized(self, "alt_text")

    def picture(self, widest: int | None = None) -> Picture:
        return Picture.of(self.file.name, self.width, self.height, widest)

    @property
    def share(self) -> Rendition:
        """The 1200 × 630 JPEG for ``og:image``."""
        return share_rendition(self.file.name)


class PracticePhoto(models.Model):
    """A photo shown on a practice's page, in order: the first also in the catalogue, the feeds and shared links."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="photos", verbose_name=_("práctica"))
    photo = models.ForeignKey(
        Photo,
        on_delete=models.PROTECT,  # a photo in use cannot be deleted: the admin lists the practices that use it
        related_name="uses",
        verbose_name=_("foto"),
        help_text=_("Búsquela en la biblioteca por su texto o crédito, o súbala con «+»."),
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("foto de la práctica")
        verbose_name_plural = _("fotos (la primera se muestra también en el catálogo y al compartir la página)")
        constraints = [models.UniqueConstraint(fields=["practice", "photo"], name="practice_photo_once")]

    def __str__(self) -> str:
        return str(self.practice)


class Document(PlainTextModel):
    """A document of a practice (its award application, an evaluation report), as it was uploaded
    (``portal.core.uploads.check_document``): readers see its kind and size before downloading it."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word"
        XLSX = "xlsx", "Excel"
        PPTX = "pptx", "PowerPoint"
        ODT = "odt", _("OpenDocument (texto)")
        ODS = "ods", _("OpenDocument (hoja de cálculo)")
        ODP = "odp", _("OpenDocument (presentación)")

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="documents", verbose_name=_("práctica")
    )
    title = models.CharField(
        _("título"), max_length=200, help_text=_("Lo que es, como lo leerá el público: «Postulación al premio 2009».")
    )
    title_en = models.CharField(_("título en inglés"), max_length=200, blank=True)
    file = models.FileField(_("archivo"), upload_to=DOCUMENTS_FOLDER, max_length=200)
    kind = models.CharField(_("tipo"), max_length=5, choices=Kind.choices, editable=False)
    size = models.PositiveIntegerField(_("tamaño (bytes)"), editable=False)
    pages = models.PositiveIntegerField(_("páginas"), null=True, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("documento")
        verbose_name_plural = _("documentos (PDF, Word, Excel, PowerPoint u OpenDocument; hasta 25 MB)")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=list(DOCUMENT_KINDS)),
                name="document_kind_valid",
                violation_error_message=_("Tipo de documento no válido."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def localized_title(self) -> LocalizedText:
        return localized(self, "title")

    @property
    def size_label(self) -> str:
        return format_file_size(self.size)

    @property
    def download_name(self) -> str:
        """The file name a reader's computer saves it as: the title, in ASCII, with its extension."""
        return f"{slugify(self.title)[:80] or 'documento'}.{self.kind}"
