"""Factories for every model, in one place."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from django.utils.text import slugify

from migration.models import CensusEdition, Department, DepartmentFigures
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
