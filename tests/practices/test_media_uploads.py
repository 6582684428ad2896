"""Bad uploads in the admin's photo and document forms: each one refused with a clear Spanish message, never a 500,
and nothing written to MEDIA_ROOT (portal/core/uploads.py). Real files, made here (tests/factories.py).

Form level: Django's request parser already drops what comes before a «/» or «\\» in an uploaded file's name and
removes control characters from it (and ``UploadedFile`` keeps only what follows the last «/»), so such a name
reaches the form only by other means (an import, the shell); the form refuses it all the same, and percent-encoded
separators too.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from practices.admin import DocumentForm, PhotoForm
from tests.factories import (
    executable_bytes,
    huge_png_bytes,
    office_bytes,
    pdf_bytes,
    photo_bytes,
    photo_with_zip_bytes,
)


def noise_png_bytes() -> bytes:
    """A 50 MB PNG: 4,100 × 4,100 random pixels, stored without compression."""
    import os

    from PIL import Image

    image = Image.frombytes("RGB", (4100, 4100), os.urandom(4100 * 4100 * 3))
    output = io.BytesIO()
    image.save(output, "PNG", compress_level=0)
    return output.getvalue()


def encrypted_pdf_bytes() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("clave-secreta")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


PHOTOS = {
    "a renamed executable": ("foto-del-proyecto.jpg", executable_bytes, "no es una foto en JPEG, PNG, WebP o GIF"),
    "a 50 MB image": ("panoramica.png", noise_png_bytes, "pesa 48.1 MB; el máximo es 20.0 MB"),
    "a 20,000 × 20,000 PNG": ("bomba.png", huge_png_bytes, "(400 millones de píxeles): el máximo es 50 millones"),
    "a JPEG that is also a ZIP": ("foto.jpg", photo_with_zip_bytes, "es una imagen y a la vez otro tipo de archivo"),
    "an SVG": ("logo.svg", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
    "an iPhone HEIC": ("IMG_0001.HEIC", lambda: b"\x00\x00\x00\x18ftypheic" + b"\x00" * 200, "HEIC"),
    "a photo too small": ("miniatura.jpg", lambda: photo_bytes(size=(300, 200)), "es muy pequeña (300 × 200 píxeles)"),
    "a damaged JPEG": ("cortada.jpg", lambda: photo_bytes()[:3000], "está dañada o incompleta"),
    "a name with path separators": ("..%2F..%2Fetc%2Ffoto.jpg", photo_bytes, "no puede tener barras"),
    "a name with a control character": ("foto\x00.jpg", photo_bytes, "caracteres de control o invisibles"),
    "a name hiding .exe (right-to-left override)": ("foto\u202egpj.exe", photo_bytes, "«foto?gpj.exe»"),
}
DOCUMENTS = {
    "a renamed executable": ("informe.pdf", executable_bytes, "no es un PDF ni un documento de Word"),
    "a photo renamed .pdf": ("informe.pdf", photo_bytes, "no es un PDF ni un documento de Word"),
    "a PDF that is also a ZIP": ("informe.pdf", lambda: pdf_bytes() + office_bytes(), "a la vez otro tipo de archivo"),
    "a PDF that runs JavaScript": ("informe.pdf", lambda: pdf_bytes(javascript=True), "lleva programas (JavaScript)"),
    "a PDF with a password": ("informe.pdf", encrypted_pdf_bytes, "protegido con contraseña"),
    "a damaged PDF": ("informe.pdf", lambda: b"%PDF-1.7\n" + b"\x00" * 500, "está dañado"),
    "a Word file with macros": ("postulacion.docx", lambda: office_bytes(macros=True), "lleva macros"),
    "a 30 MB document": ("anexos.pdf", lambda: pdf_bytes() + b"\n%" + b"0" * 30 * 1024 * 1024, "el máximo es 25.0 MB"),
    "a name with path separators": ("..\\..\\informe.pdf", pdf_bytes, "no puede tener barras"),
}


def media_files(settings) -> list[str]:
    return [str(path) for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("form_class", "case"), [*((PhotoForm, case) for case in PHOTOS), *((DocumentForm, case) for case in DOCUMENTS)]
)
def test_a_bad_upload_gets_a_clear_spanish_message_and_nothing_is_stored(form_class, case, settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path
    name, make, message = (PHOTOS if form_class is PhotoForm else DOCUMENTS)[case]
    data = {
        "alt_text": "Productoras de cacao",
        "credit": "Foto: Ana Quispe",
        "licence": "cc-by-4.0",
        "title": "Informe de evaluación",
        "order": "0",
    }
    form = form_class(data=data, files={"file": SimpleUploadedFile(name, make())})
    assert not form.is_valid()
    assert list(form.errors) == ["file"], form.errors
    assert message in form.errors["file"][0], form.errors["file"][0]
    assert media_files(settings) == []


def test_good_files_pass_the_same_forms(settings, tmp_path, db):
    """The control: a phone photo (EXIF orientation and GPS), a PNG with transparency, a PDF, Word and OpenDocument
    files are accepted, as what is stored says (a photo drawn again: no EXIF)."""
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    photo_data = {"alt_text": "Productoras de cacao", "credit": "Foto: Ana Quispe", "licence": "cc-by-4.0"}
    for name, content, extension, size in [
        ("IMG_20260314_101512.jpg", photo_bytes(orientation=6, gps=True), "jpg", (1000, 1600)),
        ("mapa.png", photo_bytes(size=(900, 700), image_format="PNG"), "jpg", (900, 700)),
        ("logo.png", transparent_png(), "png", (800, 600)),
    ]:
        form = PhotoForm(data=photo_data, files={"file": SimpleUploadedFile(name, content)})
        assert form.is_valid(), (name, form.errors)
        checked = form.cleaned_data["file"].checked
        assert (checked.extension, (checked.width, checked.height)) == (extension, size), name
        stored = Image.open(io.BytesIO(checked.content))
        assert not stored.getexif(), name  # no orientation left to apply, no GPS, no camera
    for name, content, kind in [
        ("informe.pdf", pdf_bytes(), "pdf"),
        ("postulacion.docx", office_bytes(), "docx"),
        ("acta.odt", office_bytes("odt"), "odt"),
    ]:
        form = DocumentForm(data={"title": "Informe", "order": "0"}, files={"file": SimpleUploadedFile(name, content)})
        assert form.is_valid(), (name, form.errors)
        assert form.cleaned_data["file"].checked.extension == kind
    assert media_files(settings) == []  # checked, not stored: the admin stores them when the whole form is saved


def transparent_png() -> bytes:
    from PIL import Image

    image = Image.new("RGBA", (800, 600), (0, 90, 160, 0))
    image.paste((0, 90, 160, 255), (100, 100, 700, 500))
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()
