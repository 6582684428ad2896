"""The catalogue's files of the open-data download (``/datos/``): each ``DataFile`` with its data dictionary and
its rows (the project's zip, ``portal/datasets.py``, puts every app's files together)."""

from django.utils.translation import gettext_lazy as _

from portal.core.datasets import Column, DataFile

from .models import KeyFigure, Practice


def practices(build_url) -> list[list]:
    return [
        [
            p.slug,
            p.title,
            p.summary,
            p.award_year,
            p.category.name,
            p.institution.name,
            p.institution.acronym,
            p.programme,
            p.scope,
            p.started_on.strftime("%Y-%m") if p.started_on else "",
            build_url(p.get_absolute_url()),
        ]
        for p in Practice.objects.published().select_related("category", "institution").order_by("slug")
    ]


def practice_departments(build_url) -> list[list]:
    links = Practice.departments.through.objects.filter(practice__in=Practice.objects.published())
    links = links.select_related("practice", "department").order_by("practice__slug", "department__ubigeo")
    return [[link.practice.slug, link.department.ubigeo, link.department.name] for link in links]


def key_figures(build_url) -> list[list]:
    figures = KeyFigure.objects.filter(practice__in=Practice.objects.published())
    figures = figures.select_related("practice").order_by("practice__slug", "order")
    return [[k.practice.slug, k.order, k.unit, k.value, k.label] for k in figures]


DATA_FILES = (
    DataFile(
        "practicas.csv",
        _("Buenas prácticas publicadas."),
        (
            Column("slug", _("Identificador de la práctica en las direcciones del portal.")),
            Column("titulo", _("Título.")),
            Column("resumen", _("Resumen.")),
            Column("anio_premio", _("Edición del Premio Buenas Prácticas en Gestión Pública."), "year"),
            Column("categoria", _("Categoría del premio.")),
            Column("institucion", _("Institución pública responsable.")),
            Column("sigla", _("Sigla de la institución.")),
            Column("programa", _("Programa, proyecto u organización.")),
            Column("alcance", _("«regional» (uno o más departamentos) o «national» (todo el país).")),
            Column("inicio", _("Mes de inicio (AAAA-MM), si se conoce.")),
            Column("url", _("Dirección de la práctica en el portal.")),
        ),
        practices,
        primary_key=("slug",),
    ),
    DataFile(
        "practicas_departamentos.csv",
        _("Departamentos donde se aplica cada práctica (una fila por práctica y departamento)."),
        (
            Column("practica", _("slug de la práctica.")),
            Column("ubigeo", _("Código INEI del departamento, dos dígitos: un texto, con su cero inicial.")),
            Column("departamento", _("Nombre del departamento.")),
        ),
        practice_departments,
        primary_key=("practica", "ubigeo"),
    ),
    DataFile(
        "cifras_clave.csv",
        _("Cifras clave de cada práctica."),
        (
            Column("practica", _("slug de la práctica.")),
            Column("orden", _("Orden en que se muestran."), "integer"),
            Column("unidad", _("Unidad escrita antes del número (p. ej. US$), si la hay.")),
            Column("valor", _("Valor numérico."), "number", decimals=2),
            Column("descripcion", _("Lo que se cuenta.")),
        ),
        key_figures,
    ),
)
