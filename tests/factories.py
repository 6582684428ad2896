"""Factories for every model, in one place; and ``grow_data``, the synthetic data of the query-count test and
of the benchmark (``scripts/benchmark.py --scale N``)."""

import datetime
import random
from decimal import Decimal

import factory
from django.utils import timezone
from django.utils.text import slugify

from migration.models import (
    CensusEdition,
    CensusPopulation,
    Department,
    DepartmentFigures,
    PopulationCensus,
    RecentMigration,
)
from portal.core.models import ContentBlock
from practices.models import Category, Institution, KeyFigure, Practice


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("ubigeo",)

    ubigeo = factory.Sequence(lambda n: f"{(n % 70) + 30:02d}")
    name = factory.Sequence(lambda n: f"Departamento de prueba {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class CensusEditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CensusEdition
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 2017 + 10 * n)
    title = factory.LazyAttribute(lambda o: f"Censo {o.year}")
    source = "INEI – Censos Nacionales"
    compiler = "CAD Ciudadanos al Día"
    attribution = "Elaboración: CAD Ciudadanos al Día, según información del INEI"
    national_population = 29_381_884
    born_abroad_share = Decimal("0.50")
    status = CensusEdition.Status.PUBLISHED  # tests of the public pages; drafts are made explicitly


class DepartmentFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepartmentFigures

    edition = factory.SubFactory(CensusEditionFactory)
    department = factory.SubFactory(DepartmentFactory)
    population = 100_000
    immigrants = 10_000
    emigrants = 20_000


class ContentBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentBlock

    key = factory.Sequence(lambda n: f"bloque_{n}")
    title = "Bloque de prueba"
    body = "Texto de prueba."


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Categoría de prueba {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = "Descripción de la categoría."


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Institución de prueba {n}")
    acronym = factory.Sequence(lambda n: f"IP{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.acronym))


class PracticeFactory(factory.django.DjangoModelFactory):
    """A published, public practice unless told otherwise."""

    class Meta:
        model = Practice
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Práctica de prueba {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Resumen de la práctica."
    body = "Texto de la práctica."
    award_year = 2010
    category = factory.SubFactory(CategoryFactory)
    institution = factory.SubFactory(InstitutionFactory)
    programme = "Programa de prueba"
    scope = Practice.Scope.REGIONAL
    status = Practice.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    practice = factory.SubFactory(PracticeFactory)
    value = Decimal("100")
    label = "beneficiarios"
    order = factory.Sequence(int)


# Synthetic data ---------------------------------------------------------------------------------------------------
SYNTHETIC = "Cifras sintéticas de prueba de carga (no son datos oficiales)"
SYNTHETIC_SLUG = "sintetica-"
# year: (population factor vs 2007, born abroad %, migration factor vs 2007)
SYNTHETIC_EDITIONS = {1993: (0.81, "0.19", 0.86), 2017: (1.07, "0.72", 1.09), 2022: (1.15, "3.80", 1.17)}
SYNTHETIC_CENSUS = 2027  # a population census (1940–2017 are INEI's) with its recent migration
PRODUCTS = ["café", "cacao", "quinua", "papa nativa", "fibra de alpaca", "palta", "banano orgánico", "trucha"]
PROGRAMMES = ["Mi Chacra Emprendedora", "Agua Segura", "Haku Wiñay", "Sierra Productiva", "Procompite", "Qatun Mayu"]
PROGRAMMES += ["Trabaja Perú", "Escuelas Seguras", "Allin Mikuy", "Municipio Digital", "Alerta Temprana"]
TITLES = [
    "{programa}: {n} familias de {dep} mejoran sus ingresos",
    "Ventanilla única reduce en {pct} % el tiempo de los trámites en {dep}",
    "{n} productores de {producto} de {dep} llegan a nuevos mercados",
    "Gestión participativa del agua riega {n} hectáreas en {dep}",
    "Historia clínica electrónica en {n} establecimientos de salud de {dep}",
    "Compras públicas inclusivas: {n} mypes de {dep} venden al Estado",
    "Catastro rural digital titula {n} predios en {dep}",
    "Cadena productiva de {producto} genera {n} empleos en {dep}",
]
LABELS = ["familias beneficiadas", "puestos de trabajo", "hectáreas bajo riego", "trámites atendidos"]
LABELS += ["productores asociados", "niños y niñas atendidos", "predios titulados", "kilómetros de caminos"]


def grow_data(scale: int, seed: int = 2007) -> dict[str, int]:
    """Add synthetic data to a database holding the portal's source data (``load_portal_data``), as it may grow.

    - ``scale`` × the source practices in all (400 for 100× the four of 2009): Spanish titles, summaries,
      Markdown bodies and 0–4 key figures with varied numbers, 1–4 departments or national scope, the
      existing categories and institutions; published. Their slugs start with ``SYNTHETIC_SLUG``.
    - three more census editions (``SYNTHETIC_EDITIONS``: 1993, 2017, 2022, published, marked synthetic):
      each department's 2007 figures scaled by plausible factors, immigrants ≤ population. Pages then
      show the newest, 2022.
    - one more population census (2027) of the 25 departments, adding up to its national total, and the
      2007 recent migration copied to it.

    Only what is missing is added (a second call adds nothing); the same ``seed`` gives the same data.
    Returns the counts of practices, key figures, census editions and department figures.
    """
    rng = random.Random(seed * scale)

    def scaled(value: int, factor: float, spread: float) -> int:
        return max(1, round(value * factor * rng.uniform(1 - spread, 1 + spread)))

    base_rows = list(DepartmentFigures.objects.filter(edition__year=2007).select_related("department"))
    for year, (population_factor, born_abroad, migration_factor) in SYNTHETIC_EDITIONS.items():
        if CensusEdition.objects.filter(year=year).exists():
            continue
        rows = []
        for row in base_rows:
            population = scaled(row.population, population_factor, 0.06)
            immigrants = min(scaled(row.immigrants, migration_factor, 0.12), population)
            emigrants = scaled(row.emigrants, migration_factor, 0.12)
            rows.append(
                DepartmentFigures(
                    department=row.department, population=population, immigrants=immigrants, emigrants=emigrants
                )
            )
        edition = CensusEditionFactory(
            year=year,
            title=f"Censo {year} (cifras sintéticas de prueba de carga)",
            source="Cifras sintéticas generadas a partir del Censo 2007 (tests/factories.py); no son del INEI",
            compiler="tests/factories.py",
            attribution=SYNTHETIC,
            national_population=sum(row.population for row in rows),
            born_abroad_share=Decimal(born_abroad),
        )
        for row in rows:
            row.edition = edition
        DepartmentFigures.objects.bulk_create(rows)

    if not PopulationCensus.objects.filter(year=SYNTHETIC_CENSUS).exists():
        departments = list(Department.objects.all())
        populations = [scaled(row.population, 1.25, 0.06) for row in base_rows]
        census = PopulationCensus.objects.create(
            year=SYNTHETIC_CENSUS,
            census_date=datetime.date(SYNTHETIC_CENSUS, 10, 24),
            national_population=sum(populations),
            source=SYNTHETIC,
        )
        CensusPopulation.objects.bulk_create(
            CensusPopulation(census=census, department=row.department, population=population, source=SYNTHETIC)
            for row, population in zip(base_rows, populations, strict=True)
        )
        for area in RecentMigration.objects.filter(census__year=2007).prefetch_related("departments"):
            copy = RecentMigration.objects.create(
                census=census,
                name=area.name,
                population_5plus=area.population_5plus,
                native_total=area.native_total,
                native_present=area.native_present,
                immigrants=area.immigrants,
                emigrants=area.emigrants,
                source=SYNTHETIC,
            )
            copy.departments.set(area.departments.all())

    categories = list(Category.objects.all())
    institutions = list(Institution.objects.all())
    departments = list(Department.objects.all())
    wanted = Practice.objects.exclude(slug__startswith=SYNTHETIC_SLUG).count() * scale
    now = timezone.now()
    for number in range(Practice.objects.count(), wanted):
        department = rng.choice(departments)
        programme = rng.choice(PROGRAMMES)
        institution = rng.choice(institutions)
        product = rng.choice(PRODUCTS)
        share = rng.randint(8, 65)
        title = rng.choice(TITLES).format(
            programa=programme, dep=department.name, producto=product, n=f"{rng.randint(12, 9500):,}", pct=share
        )
        first, last = sorted(rng.sample(range(2003, 2025), 2))
        summary = (
            f"{institution.name} puso en marcha {programme} en {department.name}: entre {first} y {last} atendió a "
            f"{rng.randint(150, 48000):,} personas y redujo en {share} % el costo de {rng.choice(LABELS)}."
        )
        body = "\n\n".join(
            [
                f"## El problema\n\nEn {first}, {rng.randint(20, 80)} % de los hogares de las provincias altas de "
                f"{department.name} no tenía acceso a {rng.choice(['agua segura', 'crédito', 'mercados'])} y la "
                f"campaña de {product} se perdía por falta de acopio.",
                f"## La práctica\n\n**{programme}** organizó {rng.randint(4, 60)} núcleos ejecutores con las "
                f"comunidades campesinas y cofinanció {rng.randint(10, 400)} planes de negocio.",
                "## Resultados\n\n"
                + "\n".join(f"- {rng.randint(2, 9000):,} {label}" for label in rng.sample(LABELS, rng.randint(2, 5))),
            ]
        )
        national = rng.random() < 0.1
        practice = PracticeFactory(
            title=title,
            slug=f"{SYNTHETIC_SLUG}{slugify(title)[:150]}-{number}",
            summary=summary,
            body=body,
            award_year=rng.randint(2005, 2024),
            category=rng.choice(categories),
            institution=institution,
            programme=f"Programa {programme}",
            scope=Practice.Scope.NATIONAL if national else Practice.Scope.REGIONAL,
            started_on=datetime.date(first, rng.randint(1, 12), 1) if rng.random() < 0.7 else None,
            published_at=now - datetime.timedelta(days=rng.randint(1, 3650), minutes=number),
            departments=[] if national else list({department, *rng.sample(departments, rng.randint(0, 3))}),
        )
        for order in range(rng.randint(0, 4)):
            KeyFigureFactory(
                practice=practice,
                order=order,
                unit=rng.choice(["", "", "S/", "US$"]),
                value=Decimal(rng.randint(1, 5_000_000)),
                label=rng.choice(LABELS),
            )
    return {
        "practices": Practice.objects.count(),
        "key_figures": KeyFigure.objects.count(),
        "editions": CensusEdition.objects.count(),
        "figures": DepartmentFigures.objects.count(),
    }
