"""Factories for every model, in one place."""

from decimal import Decimal

import factory
from django.utils.text import slugify

from migration.models import CensusEdition, Department, DepartmentFigures
from portal.models import ContentBlock


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
