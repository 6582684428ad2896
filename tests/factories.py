"""Factories for every model, in one place."""

import datetime
import io
from decimal import Decimal

import factory
from django.utils import timezone
from django.utils.text import slugify

from migration.models import CensusEdition, Department, DepartmentFigures
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
