import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Cast, Rank
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.numbers import format_int
from portal.core.search import matching
from portal.core.text import LocalizedText, PlainTextModel, localized

from .measures import ORIGIN_RANKED
from .measures import RANKED as RANKED_MEASURES  # ranked on: 1 = highest value


def _share(field: str):
    """Percentage of the department's population, computed by the database."""
    return Cast(F(field), FloatField()) * Value(100.0) / Cast(F("population"), FloatField())


class DepartmentQuerySet(models.QuerySet):
    def search(self, query: str):
        return matching(self, query, ["name", "ubigeo"])


class Department(PlainTextModel):
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

    def public(self):
        """What visitors see, newest first: published editions that have figures (a draft stays in the admin).

        The one place where public pages, the API and the narrative choose their census edition.
        """
        return self.filter(status=CensusEdition.Status.PUBLISHED).with_figures().newest_first()


class CensusEdition(PlainTextModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        PUBLISHED = "published", _("Publicada")

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
    attribution_en = models.CharField(
        _("línea de fuente en inglés"),
        max_length=300,
        blank=True,
        help_text=_("Opcional. Si se deja vacío, la versión en inglés del sitio muestra la línea en español."),
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

    status = models.CharField(
        _("estado"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_(
            "Una edición nueva es un borrador: sus cifras se cargan y revisan mientras el público sigue viendo "
            "la edición publicada. Se publica cuando sus cifras son coherentes (página «Coherencia»)."
        ),
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
                condition=Q(status__in=["draft", "published"]),
                name="edition_status_valid",
                violation_error_message=_("Estado no válido."),
            ),
            models.CheckConstraint(
                condition=Q(national_population__gt=0),
                name="edition_national_population_positive",
                violation_error_message=_("La población nacional debe ser mayor que cero."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def localized_attribution(self) -> LocalizedText:
        return localized(self, "attribution")

    def clean(self):
        """Published only when its figures are consistent, and kept so (see ``migration.consistency``)."""
        super().clean()
        if self.status != self.Status.PUBLISHED or self.pk is None:
            return
        from .consistency import check_edition, published_edition_errors

        stored = CensusEdition.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored == self.Status.PUBLISHED:
            problems = published_edition_errors(self, national_population=self.national_population)
            if problems:
                raise ValidationError(
                    {
                        "national_population": [
                            _("La edición está publicada y este cambio dejaría sus cifras incoherentes:"),
                            *problems,
                        ]
                    }
                )
            return
        problems = check_edition(self).problems
        if problems:
            raise ValidationError(
                {"status": [_("No se puede publicar mientras sus cifras no sean coherentes:"), *problems]}
            )


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
        """The rows of the newest public edition, found in the same query."""
        latest = CensusEdition.objects.public().values("pk")[:1]
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
        if (
            self.population
            and self.population > 0
            and self.immigrants is not None
            and self.immigrants > self.population
        ):
            raise ValidationError(
                {
                    "immigrants": _("Los inmigrantes no pueden superar la población del departamento, %(population)s.")
                    % {"population": format_int(self.population)}  # as the public site writes it: 1,387,809
                }
            )


# Population in the national censuses --------------------------------------------------------------------------


class PopulationCensusQuerySet(models.QuerySet):
    def public(self):
        """What visitors see: published censuses (a census being loaded stays a draft, seen only by editors)."""
        return self.filter(status=PopulationCensus.Status.PUBLISHED)

    def shown(self, drafts: bool = False):
        """The censuses a page shows: the published ones, and the drafts too for a signed-in editor (``drafts``)."""
        return self.all() if drafts else self.public()


class PopulationCensus(PlainTextModel):
    """A national census of population: its date, the national totals INEI printed for it and its status.

    The departments' populations of a census (``CensusPopulation``) must add up to its national total:
    checked where they are entered together (the census's admin page, the import, the loader), see
    ``census_total_error``; the rest of its coherence (origin figures, Lima's two INEI units) is
    ``migration.consistency.check_census``, which a census must pass to be published.

    A census with **origin figures** (2025) also has, for the whole country, the population aged 5 and over and the
    people counted by origin outside Peru, which INEI does not give by department: ``born_abroad`` (their mother
    lived abroad when they were born) and ``lived_abroad_before`` (aged 5+, lived abroad five years before).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        PUBLISHED = "published", _("Publicado")

    class Enumeration(models.TextChoices):
        DE_FACTO = "de_facto", _("De hecho: cada persona donde estaba el día del censo")
        DE_JURE = "de_jure", _("De derecho: cada persona donde vive habitualmente")

    year = models.PositiveSmallIntegerField(
        _("año del censo"), unique=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    enumeration = models.CharField(
        _("tipo de censo"),
        max_length=10,
        choices=Enumeration.choices,
        default=Enumeration.DE_FACTO,
        help_text=_("Los censos de 1940 a 2017 fueron de hecho; el de 2025, de derecho."),
    )
    census_date = models.DateField(
        _("fecha del censo"),
        unique=True,
        help_text=_(
            "Día del censo, p. ej. 2007-10-21. Para un censo empadronado durante semanas, el punto medio del trabajo "
            "de campo (2025: del 4 de agosto al 31 de octubre, punto medio 2025-09-17). Las tasas de crecimiento se "
            "calculan entre estas fechas."
        ),
    )
    fieldwork_start = models.DateField(
        _("inicio del trabajo de campo"),
        null=True,
        blank=True,
        help_text=_("Solo para un censo empadronado durante semanas; vacío para un censo de un día."),
    )
    fieldwork_end = models.DateField(_("fin del trabajo de campo"), null=True, blank=True)
    national_population = models.PositiveBigIntegerField(
        _("población nacional censada"),
        help_text=_("Total nacional publicado por el INEI; los departamentos deben sumar exactamente esta cifra."),
    )
    national_population_5plus = models.PositiveBigIntegerField(
        _("población nacional censada de 5 años y más"),
        null=True,
        blank=True,
        help_text=_(
            "Solo para un censo con cifras por lugar de origen (2025: 30,692,308): total nacional del INEI, que los "
            "departamentos deben sumar."
        ),
    )
    born_abroad = models.PositiveBigIntegerField(
        _("nacidos en el extranjero"),
        null=True,
        blank=True,
        help_text=_(
            "Personas censadas en el Perú cuya madre vivía en otro país cuando nacieron (fila «EXTRANJERO» del cuadro "
            "de lugar de nacimiento; 2025: 1,052,977). El INEI no las da por departamento."
        ),
    )
    lived_abroad_before = models.PositiveBigIntegerField(
        _("vivían en el extranjero cinco años antes"),
        null=True,
        blank=True,
        help_text=_(
            "Personas de 5 años y más que vivían en otro país cinco años antes del censo (fila «EXTRANJERO»; 2025: "
            "156,788). El INEI no las da por departamento."
        ),
    )
    source = models.CharField(_("fuente"), max_length=300)
    status = models.CharField(
        _("estado"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_(
            "Un censo nuevo es un borrador: sus cifras se cargan y revisan (los editores las ven en el sitio, marcadas "
            "«Borrador») mientras el público sigue viendo los censos publicados. Se publica cuando sus cifras son "
            "coherentes (página «Coherencia»)."
        ),
    )

    objects = PopulationCensusQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        verbose_name = _("censo de población")
        verbose_name_plural = _("censos de población")
        constraints = [
            models.CheckConstraint(
                condition=Q(national_population__gt=0),
                name="census_national_population_positive",
                violation_error_message=_("La población nacional debe ser mayor que cero."),
            ),
            models.CheckConstraint(
                condition=Q(census_date__year=F("year")),
                name="census_date_in_census_year",
                violation_error_message=_("La fecha del censo debe caer en el año del censo."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]),
                name="census_status_valid",
                violation_error_message=_("Estado no válido."),
            ),
            models.CheckConstraint(
                condition=Q(enumeration__in=["de_facto", "de_jure"]),
                name="census_enumeration_valid",
                violation_error_message=_("Tipo de censo no válido."),
            ),
            models.CheckConstraint(
                condition=Q(fieldwork_start__isnull=True, fieldwork_end__isnull=True)
                | Q(fieldwork_start__lte=F("census_date"), fieldwork_end__gte=F("census_date")),
                name="census_date_within_fieldwork",
                violation_error_message=_(
                    "El trabajo de campo tiene inicio y fin, y la fecha del censo cae entre ambos."
                ),
            ),
            models.CheckConstraint(
                condition=Q(national_population_5plus__isnull=True, born_abroad__isnull=True,
                            lived_abroad_before__isnull=True)
                | Q(
                    national_population_5plus__lte=F("national_population"),
                    born_abroad__lte=F("national_population"),
                    lived_abroad_before__lte=F("national_population_5plus"),
                ),
                name="census_origin_totals_complete",
                violation_error_message=_(
                    "Las cifras nacionales por origen van juntas (población de 5 años y más, nacidos en el extranjero, "
                    "vivían en el extranjero): ninguna mayor que la población que cuenta."
                ),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return _("Censo %(year)s") % {"year": self.year}

    @property
    def has_origin_figures(self) -> bool:
        """INEI published counts by origin for this census (born in each department, living there 5 years before)."""
        return self.national_population_5plus is not None

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def fieldwork_midpoint(self) -> datetime.date | None:
        if self.fieldwork_start is None or self.fieldwork_end is None:
            return None
        return self.fieldwork_start + (self.fieldwork_end - self.fieldwork_start) / 2

    @property
    def date_is_fieldwork_midpoint(self) -> bool:
        """The census date is the midpoint of its fieldwork (2025), as the pages say beside it."""
        return self.fieldwork_midpoint is not None and self.census_date == self.fieldwork_midpoint

    @property
    def earlier_year(self) -> int:
        """The year «five years before the census» of its recent-migration questions (2020 for 2025)."""
        return self.year - 5

    def clean(self):
        """The fieldwork's two dates go together; origin totals go together; published only when coherent."""
        super().clean()
        errors = {}
        if (self.fieldwork_start is None) != (self.fieldwork_end is None):
            missing = "fieldwork_end" if self.fieldwork_end is None else "fieldwork_start"
            errors[missing] = _("Indique el inicio y el fin del trabajo de campo, o deje ambos vacíos.")
        elif (
            self.fieldwork_start
            and self.census_date
            and not (self.fieldwork_start <= self.census_date <= self.fieldwork_end)
        ):
            errors["census_date"] = _(
                "La fecha del censo debe caer dentro del trabajo de campo (%(start)s – %(end)s); su punto medio es "
                "%(midpoint)s."
            ) % {"start": self.fieldwork_start, "end": self.fieldwork_end, "midpoint": self.fieldwork_midpoint}
        origin = ("national_population_5plus", "born_abroad", "lived_abroad_before")
        given = [name for name in origin if getattr(self, name) is not None]
        if given and len(given) < len(origin):
            for name in origin:
                if name not in given:
                    errors[name] = _(
                        "Las tres cifras nacionales por origen van juntas: complete esta o deje las tres vacías."
                    )
        if errors:
            raise ValidationError(errors)
        stored = PopulationCensus.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if self.status == self.Status.PUBLISHED and self.pk is not None and stored != self.Status.PUBLISHED:
            # Being published: its stored figures must be coherent. A published census's figures are edited with
            # it on its page, where the formsets check the totals.
            from .consistency import check_census

            problems = check_census(self).problems
            if problems:
                raise ValidationError(
                    {"status": [_("No se puede publicar mientras sus cifras no sean coherentes:"), *problems]}
                )


def census_total_error(census: PopulationCensus, populations: list[int]) -> str | None:
    """Why the departments' ``populations`` of ``census`` break the invariant, or None when they add up."""
    total = sum(populations)
    if populations and total != census.national_population:
        return _(
            "Las poblaciones de los departamentos del censo %(year)s suman %(total)s, no el total nacional "
            "%(national)s: corrija las cifras o el total nacional."
        ) % {"year": census.year, "total": f"{total:,}", "national": f"{census.national_population:,}"}
    return None


ORIGIN_FIELDS = ("population_5plus", "born_here", "lived_here_before")


def origin_constraints(prefix: str) -> list:
    """The residents aged 5+ are some of the residents: for ``CensusPopulation`` and ``DepartmentPart``. The origin
    counts (``ORIGIN_FIELDS``) come from different INEI tables, imported one after the other: each may be missing
    while a census is a draft; that every department has all three is a rule of the census
    (``migration.consistency.check_census``), which a census must keep to be published."""
    return [
        models.CheckConstraint(
            condition=Q(population_5plus__isnull=True) | Q(population_5plus__lte=F("population")),
            name=f"{prefix}_5plus_within_population",
            violation_error_message=_("La población de 5 años y más no puede superar la población."),
        ),
    ]


def clean_origin_figures(row) -> None:
    """The constraint of ``origin_constraints`` on its field, quoting the limit."""
    if row.population_5plus is not None and row.population and row.population_5plus > row.population:
        raise ValidationError(
            {
                "population_5plus": _("La población de 5 años y más no puede superar la población, %(population)s.")
                % {"population": format_int(row.population)}
            }
        )


def _balances_of(queryset):
    """Balances by origin, annotated by the database: the one place where they are computed.

    ``lifetime_balance`` = residents − people born in the unit (wherever in Peru they live now);
    ``recent_balance`` = residents aged 5+ − people aged 5+ who lived in the unit five years before;
    ``*_share``: the balance as a % of those residents (all residents; residents aged 5+). Both balances include
    the residents born (or living five years before) abroad, whom INEI does not give by unit: they are not the
    2007 saldo migratorio (immigrants − emigrants). None where the census has no origin figures.
    """
    return queryset.annotate(
        lifetime_balance=F("population") - F("born_here"),
        recent_balance=F("population_5plus") - F("lived_here_before"),
    ).annotate(
        lifetime_balance_share=Cast(F("lifetime_balance"), FloatField())
        * Value(100.0)
        / Cast(F("population"), FloatField()),
        recent_balance_share=Cast(F("recent_balance"), FloatField())
        * Value(100.0)
        / Cast(F("population_5plus"), FloatField()),
    )


class CensusPopulationQuerySet(models.QuerySet):
    def for_history(self):
        """Every department's population in every census, with what the pages need, in one query."""
        return self.select_related("census", "department").order_by("department__name", "census__year")

    def with_balances(self):
        """Balances by origin and their shares (``_balances_of``)."""
        return _balances_of(self)

    def with_balance_ranks(self):
        """``with_balances`` plus ``<measure>_rank`` for each ranked origin measure (``migration.measures``): 1 for
        the highest value among the rows of the same census."""
        return self.with_balances().annotate(
            **{
                f"{measure}_rank": Window(Rank(), partition_by=[F("census_id")], order_by=F(measure).desc())
                for measure in ORIGIN_RANKED
            }
        )


class CensusPopulation(PlainTextModel):
    census = models.ForeignKey(
        PopulationCensus, on_delete=models.PROTECT, related_name="populations", verbose_name=_("censo")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="census_populations", verbose_name=_("departamento")
    )
    population = models.PositiveIntegerField(
        _("población censada"), help_text=_("Población censada del departamento en ese censo.")
    )
    population_5plus = models.PositiveIntegerField(
        _("población censada de 5 años y más"),
        null=True,
        blank=True,
        help_text=_("Solo para un censo con cifras por lugar de origen (2025). Residentes de 5 años y más."),
    )
    born_here = models.PositiveIntegerField(
        _("nacidos en el departamento"),
        null=True,
        blank=True,
        help_text=_(
            "Personas censadas en cualquier lugar del Perú cuya madre vivía en el departamento cuando nacieron "
            "(pregunta de lugar de nacimiento del INEI)."
        ),
    )
    lived_here_before = models.PositiveIntegerField(
        _("vivían en el departamento cinco años antes"),
        null=True,
        blank=True,
        help_text=_(
            "Personas de 5 años y más, censadas en cualquier lugar del Perú, que vivían en el departamento cinco años "
            "antes del censo (2025: en 2020)."
        ),
    )
    inei_note = models.BooleanField(
        _("nota 1/ del INEI (límites del censo)"),
        default=False,
        help_text=_(
            "Marcado cuando el INEI señala el departamento con su nota 1/: sus límites cambiaron entre censos, "
            "y cada cifra corresponde a los límites de su censo."
        ),
    )
    source = models.CharField(_("fuente"), max_length=300)
    source_en = models.CharField(
        _("fuente en inglés"),
        max_length=300,
        blank=True,
        help_text=_("Opcional. Si se deja vacío, la versión en inglés del sitio muestra la fuente en español."),
    )

    objects = CensusPopulationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["census", "department"]
        verbose_name = _("población de un departamento en un censo")
        verbose_name_plural = _("población por censo")
        constraints = [
            models.UniqueConstraint(
                fields=["census", "department"],
                name="census_population_unique_department",
                violation_error_message=_("Este departamento ya tiene población en este censo."),
            ),
            models.CheckConstraint(
                condition=Q(population__gt=0),
                name="census_population_positive",
                violation_error_message=_("La población debe ser mayor que cero."),
            ),
            *origin_constraints("census_population"),
        ]

    def __str__(self) -> str:
        return f"{self.department} — {self.census}"

    @property
    def localized_source(self) -> LocalizedText:
        return localized(self, "source")

    def clean(self):
        super().clean()
        clean_origin_figures(self)


class DepartmentPartQuerySet(models.QuerySet):
    def with_balances(self):
        """Balances by origin and their shares, as for departments (``_balances_of``)."""
        return _balances_of(self)


class DepartmentPart(PlainTextModel):
    """A part of a department that INEI publishes on its own row: Lima is «Lima Metropolitana» (the province of
    Lima, 43 districts) and «Región Lima» (its other nine provinces) in the 2025 tables.

    The department's own figures (``CensusPopulation``) are the sum of its parts, each count: the pages and every
    total read the department's row, and its profile shows the parts. That the parts add up is checked where a
    census's figures are checked (``migration.consistency.check_census``: the «Coherencia» page, publishing, the
    loader and the imports).
    """

    census = models.ForeignKey(
        PopulationCensus, on_delete=models.PROTECT, related_name="parts", verbose_name=_("censo")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="census_parts", verbose_name=_("departamento")
    )
    name = models.CharField(_("nombre"), max_length=80, help_text=_("Como lo escribe el INEI: «Lima Metropolitana»."))
    name_en = models.CharField(
        _("nombre en inglés"),
        max_length=80,
        blank=True,
        help_text=_("Opcional. Si se deja vacío, la versión en inglés del sitio muestra el nombre en español."),
    )
    description = models.CharField(
        _("qué comprende"),
        max_length=300,
        blank=True,
        help_text=_("La nota del INEI, p. ej. «los 43 distritos de la provincia de Lima»."),
    )
    description_en = models.CharField(_("qué comprende, en inglés"), max_length=300, blank=True)
    population = models.PositiveIntegerField(_("población censada"))
    population_5plus = models.PositiveIntegerField(_("población censada de 5 años y más"), null=True, blank=True)
    born_here = models.PositiveIntegerField(_("nacidos en esta parte"), null=True, blank=True)
    lived_here_before = models.PositiveIntegerField(_("vivían en esta parte cinco años antes"), null=True, blank=True)

    objects = DepartmentPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["census", "department", "-population"]
        verbose_name = _("parte de un departamento (INEI)")
        verbose_name_plural = _("partes de departamentos (INEI)")
        constraints = [
            models.UniqueConstraint(
                fields=["census", "name"],
                name="department_part_unique_name",
                violation_error_message=_("Esta parte ya tiene cifras en este censo."),
            ),
            models.CheckConstraint(
                condition=Q(population__gt=0),
                name="department_part_population_positive",
                violation_error_message=_("La población debe ser mayor que cero."),
            ),
            *origin_constraints("department_part"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.department}) — {self.census}"

    @property
    def localized_name(self) -> LocalizedText:
        return localized(self, "name")

    @property
    def localized_description(self) -> LocalizedText:
        return localized(self, "description")

    def clean(self):
        super().clean()
        clean_origin_figures(self)


# Recent migration: the five years before a census -----------------------------------------------------------


def _per_thousand(field: str):
    """Rate per 1,000 inhabitants aged 5 and over, computed by the database."""
    return Cast(F(field), FloatField()) * Value(1000.0) / Cast(F("population_5plus"), FloatField())


class RecentMigrationQuerySet(models.QuerySet):
    def with_rates(self):
        """Net recent migration and the rates per 1,000 people aged 5+: the only place they are computed."""
        return self.annotate(net_migration=F("immigrants") - F("emigrants")).annotate(
            immigration_rate=_per_thousand("immigrants"),
            emigration_rate=_per_thousand("emigrants"),
            net_rate=_per_thousand("net_migration"),
        )

    def for_table(self):
        return self.with_rates().select_related("census").prefetch_related("departments").order_by("name")

    def for_department(self, department):
        """The area that holds ``department`` (Lima and Callao share one), with how many departments it joins."""
        through = RecentMigration.departments.through.objects.filter(recentmigration=OuterRef("pk"))
        return (
            self.filter(departments=department)
            .with_rates()
            .select_related("census")
            .annotate(department_count=Subquery(through.values("recentmigration").annotate(n=Count("*")).values("n")))
            .order_by("-census__year")
        )


class RecentMigration(PlainTextModel):
    """Recent migration of one area: people aged 5+ by where they lived five years before the census.

    An area is one department, or several the source publishes as one row (Lima and Callao).
    """

    census = models.ForeignKey(
        PopulationCensus, on_delete=models.PROTECT, related_name="recent_migration", verbose_name=_("censo")
    )
    name = models.CharField(_("área"), max_length=80)
    departments = models.ManyToManyField(
        Department,
        related_name="recent_migration",
        verbose_name=_("departamentos"),
        help_text=_("Los departamentos del área (dos cuando la fuente los publica juntos)."),
    )
    population_5plus = models.PositiveIntegerField(
        _("población censada de 5 años y más"),
        help_text=_("Personas de 5 años y más empadronadas en el área en el censo."),
    )
    native_total = models.PositiveIntegerField(
        _("población que residía en el área cinco años antes"),
        help_text=_(
            "Personas de 5 años y más que vivían en el área cinco años antes del censo, vivan donde vivan hoy."
        ),
    )
    native_present = models.PositiveIntegerField(
        _("de ellas, residentes en el área en el censo"),
        help_text=_("Las que siguen viviendo en el área el día del censo."),
    )
    immigrants = models.PositiveIntegerField(
        _("inmigrantes recientes"),
        help_text=_("Vivían en otro departamento cinco años antes y en el área el día del censo."),
    )
    emigrants = models.PositiveIntegerField(
        _("emigrantes recientes"),
        help_text=_("Vivían en el área cinco años antes y en otro departamento el día del censo."),
    )
    source = models.CharField(_("fuente"), max_length=300)
    source_en = models.CharField(
        _("fuente en inglés"),
        max_length=300,
        blank=True,
        help_text=_("Opcional. Si se deja vacío, la versión en inglés del sitio muestra la fuente en español."),
    )

    objects = RecentMigrationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[departments])

    class Meta:
        ordering = ["census", "name"]
        verbose_name = _("migración reciente de un área")
        verbose_name_plural = _("migración reciente")
        constraints = [
            models.UniqueConstraint(
                fields=["census", "name"],
                name="recent_migration_unique_area",
                violation_error_message=_("Esta área ya tiene cifras de migración reciente en este censo."),
            ),
            models.CheckConstraint(
                condition=Q(population_5plus__gt=0) & Q(native_total__gt=0),
                name="recent_migration_populations_positive",
                violation_error_message=_("Las poblaciones deben ser mayores que cero."),
            ),
            models.CheckConstraint(
                condition=Q(native_present=F("population_5plus") - F("immigrants")),
                name="recent_migration_enumerated_minus_immigrants",
                violation_error_message=_(
                    "Población de 5 años y más − inmigrantes debe ser igual a la población residente que no se movió."
                ),
            ),
            models.CheckConstraint(
                condition=Q(native_present=F("native_total") - F("emigrants")),
                name="recent_migration_native_minus_emigrants",
                violation_error_message=_(
                    "Población que residía cinco años antes − emigrantes debe ser igual a la población residente "
                    "que no se movió."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.census}"

    @property
    def localized_source(self) -> LocalizedText:
        return localized(self, "source")

    @property
    def is_joint(self) -> bool:
        """Published for several departments together (Lima and Callao)."""
        return len(self.departments.all()) > 1

    @property
    def code(self) -> str:
        """The area's ubigeo as the source writes it: 03, or 07+15 for Lima and Callao."""
        return "+".join(sorted(department.ubigeo for department in self.departments.all()))

    @property
    def period(self) -> str:
        return f"{self.census.year - 5}–{self.census.year}"


def recent_migration_balance_error(rows) -> str | None:
    """Between departments, everyone who arrives somewhere left somewhere else: Σ immigrants = Σ emigrants."""
    rows = list(rows)
    immigrants, emigrants = sum(row.immigrants for row in rows), sum(row.emigrants for row in rows)
    if immigrants != emigrants:
        return _(
            "La suma de inmigrantes recientes (%(immigrants)s) debe ser igual a la de emigrantes recientes "
            "(%(emigrants)s): cada persona que llega a un departamento salió de otro."
        ) % {"immigrants": f"{immigrants:,}", "emigrants": f"{emigrants:,}"}
    return None
