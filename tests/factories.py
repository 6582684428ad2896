"""Factories for every model, in one place; and ``grow_data``, the synthetic data of the query-count test and
of the benchmark (``scripts/benchmark.py --scale N``)."""

import datetime
import io
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
from practices.models import Category, Institution, KeyFigure, Practice, PracticePhoto


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


# Real files, made here: photos (Pillow), documents (pypdf, zip) and hostile uploads -----------------------------


def photo_bytes(
    size=(1600, 1000), color=(180, 120, 60), image_format="JPEG", orientation=None, gps=False, **options
) -> bytes:
    """A photo as a phone or a program saves it: a gradient (so that it compresses like a photo), with an EXIF
    orientation (6: the camera was turned 90°) and a GPS position (Lima) when asked."""
    from PIL import ExifTags, Image

    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image = Image.blend(image, Image.new("RGB", size, color), 0.6)
    image.paste((20, 20, 20), (0, 0, width // 4, height // 4))  # a dark corner: the orientation is visible
    exif = Image.Exif()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.Base.Make] = "Samsung"
        exif[ExifTags.Base.Model] = "SM-A546E"
        position = exif.get_ifd(ExifTags.IFD.GPSInfo)
        position.update({1: "S", 2: (12.0, 2.0, 46.0), 3: "W", 4: (77.0, 1.0, 42.0)})
    if len(exif):
        options["exif"] = exif.tobytes()
    output = io.BytesIO()
    image.save(output, image_format, **options)
    return output.getvalue()


def huge_png_bytes(side=20_000) -> bytes:
    """A real PNG of ``side`` × ``side`` black-and-white pixels that weighs a few KB: a decompression bomb."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1 bit per pixel, greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def pdf_bytes(pages=2, javascript=False) -> bytes:
    """A small real PDF (blank A4 pages, a title); with ``javascript``, one that runs a script when opened."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "Informe de evaluación"})
    if javascript:
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}
        )
        writer._root_object[NameObject("/OpenAction")] = action
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def office_bytes(kind="docx", macros=False) -> bytes:
    """A minimal Word (docx) or OpenDocument text (odt) file; with ``macros``, a Word file with a VBA project."""
    import zipfile

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
            if macros:
                archive.writestr("word/vbaProject.bin", b"\x00" * 64)
    return output.getvalue()


def executable_bytes() -> bytes:
    """The start of a Windows program (MZ header, PE signature), as a renamed .exe would begin."""
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"
        + b"\x00" * 50
        + b"\x80\x00\x00\x00"
        + b"\x00" * 64
        + b"PE\x00\x00"
        + b"\x00" * 400
    )


def photo_with_zip_bytes() -> bytes:
    """A file that is both a valid JPEG and a valid ZIP (a ZIP appended to the photo: the «GIFAR» trick)."""
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.html", "<script>alert(1)</script>")
    return photo_bytes() + archive.getvalue()


def photo(practice=None, **fields):
    """A library photo stored with its renditions (as the admin stores it), shown by ``practice`` if given."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.core.uploads import check_photo
    from practices.media import store_photo

    content = fields.pop("content", None) or photo_bytes(orientation=6, gps=True)
    checked = check_photo(SimpleUploadedFile("foto.jpg", content))
    fields = {
        "alt_text": "Productoras de cacao seleccionan granos",
        "credit": "Foto: Ana Quispe",
        "licence": "cc-by-4.0",
        **fields,
    }
    stored = store_photo(checked, **fields)
    if practice is not None:
        PracticePhoto.objects.create(practice=practice, photo=stored, order=practice.photos.count())
    return stored


def document(practice, content=None, **fields):
    """A document of ``practice`` (a small real PDF unless ``content`` is given)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.core.uploads import check_document
    from practices.media import store_document

    checked = check_document(SimpleUploadedFile("informe.pdf", content or pdf_bytes()))
    return store_document(practice, checked, **{"title": "Informe de evaluación", **fields})


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
