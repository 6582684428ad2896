from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, F, FloatField, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Cast, Rank
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.search import matching

# Measures on which departments are ranked (1 = highest value).
RANKED_MEASURES = (
    "population",
    "immigrants",
    "emigrants",
    "net_migration",
    "immigrant_share",
    "emigrant_share",
)


def _share(field: str):
    """Percentage of the department's population, computed by the database."""
    return Cast(F(field), FloatField()) * Value(100.0) / Cast(F("population"), FloatField())


class DepartmentQuerySet(models.QuerySet):
    def search(self, query: str):
        return matching(self, query, ["name", "ubigeo"])


class Department(models.Model):
    ubigeo = models.CharField(
        _("código ubigeo"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^\d{2}$", _("El código ubigeo tiene dos dígitos, p. ej. 03."))],
        help_text=_("Código INEI del departamento, dos dígitos: 01 Amazonas … 25 Ucayali."),
    )
    name = models.CharField(_("nombre"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    objects = DepartmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("departamento")
        verbose_name_plural = _("departamentos")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("migration:detail", kwargs={"slug": self.slug})


class CensusEditionQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-year")

    def with_figures(self):
        """Editions that have figures: one just created in the admin stays hidden until its figures are entered."""
        return self.filter(Exists(DepartmentFigures.objects.filter(edition=OuterRef("pk"))))


class CensusEdition(models.Model):
    year = models.PositiveSmallIntegerField(
        _("año del censo"),
        unique=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    title = models.CharField(_("título"), max_length=200)
    source = models.CharField(_("fuente"), max_length=300)
    compiler = models.CharField(_("elaboración"), max_length=200)
    attribution = models.CharField(
        _("línea de fuente"),
        max_length=300,
        help_text=_(
            "Se muestra bajo cada tabla y gráfico, p. ej. "
            "«Elaboración: CAD Ciudadanos al Día, según información del INEI»."
        ),
    )
    national_population = models.PositiveBigIntegerField(
        _("población nacional censada"),
        help_text=_("Población censada total del país según el censo."),
    )
    born_abroad_share = models.DecimalField(
        _("% nacido en otro país"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Porcentaje de la población nacida en otro país, p. ej. 0.30."),
    )

    objects = CensusEditionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("edición del censo")
        verbose_name_plural = _("ediciones del censo")
        constraints = [
            models.CheckConstraint(
                condition=Q(born_abroad_share__gte=0) & Q(born_abroad_share__lte=100),
                name="edition_born_abroad_share_is_percentage",
                violation_error_message=_("El porcentaje de nacidos en otro país debe estar entre 0 y 100."),
            ),
            models.CheckConstraint(
                condition=Q(national_population__gt=0),
                name="edition_national_population_positive",
                violation_error_message=_("La población nacional debe ser mayor que cero."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DepartmentFiguresQuerySet(models.QuerySet):
    def for_edition(self, edition):
        return self.filter(edition=edition)

    def with_shares(self):
        """Annotate saldo and shares; with ``with_derived``, the only place where they are computed.

        ``net_migration`` (saldo migratorio) = immigrants − emigrants;
        ``immigrant_share`` / ``emigrant_share`` = percentage of the population.
        """
        return self.select_related("department", "edition").annotate(
            net_migration=F("immigrants") - F("emigrants"),
            immigrant_share=_share("immigrants"),
            emigrant_share=_share("emigrants"),
        )

    def with_derived(self):
        """``with_shares`` plus ``<measure>_rank``: 1 for the highest value among the rows of the same edition."""
        return self.with_shares().annotate(
            **{
                f"{measure}_rank": Window(Rank(), partition_by=[F("edition_id")], order_by=F(measure).desc())
                for measure in RANKED_MEASURES
            }
        )

    def for_table(self, edition):
        return self.for_edition(edition).with_derived().order_by("department__name")

    def for_latest_edition(self):
        """The rows of the newest edition that has figures, found in the same query."""
        latest = CensusEdition.objects.with_figures().newest_first().values("pk")[:1]
        return self.filter(edition=Subquery(latest)).with_derived().order_by("department__name")

    def totals(self):
        return self.aggregate(
            population=Sum("population"),
            immigrants=Sum("immigrants"),
            emigrants=Sum("emigrants"),
        )


class DepartmentFigures(models.Model):
    edition = models.ForeignKey(
        CensusEdition, on_delete=models.PROTECT, related_name="figures", verbose_name=_("edición")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="figures", verbose_name=_("departamento")
    )
    population = models.PositiveIntegerField(
        _("población censada"),
        help_text=_("Población censada del departamento (sin omisión censal)."),
    )
    immigrants = models.PositiveIntegerField(
        _("inmigrantes"),
        help_text=_("Personas que viven en el departamento y nacieron en otro departamento."),
    )
    emigrants = models.PositiveIntegerField(
        _("emigrantes"),
        help_text=_("Personas nacidas en el departamento que viven en otro departamento."),
    )

    objects = DepartmentFiguresQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["edition", "department"]
        verbose_name = _("cifras de un departamento")
        verbose_name_plural = _("cifras por departamento")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "department"],
                name="figures_unique_department_per_edition",
                violation_error_message=_("Este departamento ya tiene cifras para esta edición del censo."),
            ),
            models.CheckConstraint(
                condition=Q(population__gt=0),
                name="figures_population_positive",
                violation_error_message=_("La población debe ser mayor que cero."),
            ),
            models.CheckConstraint(
                condition=Q(immigrants__gte=0) & Q(emigrants__gte=0),
                name="figures_migrants_non_negative",
                violation_error_message=_("Inmigrantes y emigrantes no pueden ser negativos."),
            ),
            models.CheckConstraint(
                condition=Q(immigrants__lte=F("population")),
                name="figures_immigrants_within_population",
                violation_error_message=_("Los inmigrantes no pueden superar la población del departamento."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} — {self.edition}"

    def clean(self):
        """The immigrants limit, by its field and quoting the population (the constraint's message has neither)."""
        super().clean()
        if self.population is not None and self.immigrants is not None and self.immigrants > self.population:
            raise ValidationError(
                {
                    "immigrants": _("Los inmigrantes no pueden superar la población del departamento, %(population)s.")
                    % {"population": f"{self.population:,}"}  # as the public site writes it: 1,387,809
                }
            )
