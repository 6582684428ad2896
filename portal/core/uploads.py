"""Files editors upload, checked by their content — never by their name or by what the browser says they are.

- Photos (``check_photo``): JPEG, PNG, WebP or GIF read by Pillow, and only those decoders; size, pixel and side
  limits read from the header before a pixel is decoded (decompression bombs: a 20,000 × 20,000 PNG weighs a few
  hundred KB); no SVG (it may carry scripts); no file that is also something else (a ZIP or a PDF inside, HTML or
  a script). The stored photo is drawn again from its pixels: turned as the camera's EXIF orientation says, at most
  ``MASTER_SIDE`` pixels, JPEG (PNG when it has transparency) with its colour profile and nothing else — the GPS
  position, camera and date in EXIF, XMP or IPTC are not copied, nor is anything hidden after the image.
- Documents (``check_document``): PDF (pypdf reads it; not encrypted, no JavaScript, launch actions or attached
  files), Word, Excel and PowerPoint (.docx, .xlsx, .pptx; no macros) and OpenDocument (.odt, .ods, .odp), told
  apart by their structure. Stored unchanged.
- A file name with path separators, control or invisible characters is refused (``check_file_name``). The name is
  never used to store the file: stored names come from the content (``portal.core.media``).

Each refusal is a ``ValidationError`` with a Spanish message that says what to do. These functions only read the
upload, which Django keeps in memory or in the system's temporary folder: a refused file never reaches
``MEDIA_ROOT``.
"""

import hashlib
import io
import logging
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .numbers import format_file_size, format_int

logger = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 20 * 1024 * 1024  # a 50-megapixel phone JPEG weighs about 15 MB
MAX_PHOTO_PIXELS = 50_000_000  # 50 megapixels: decoded, about 150 MB of memory
MAX_PHOTO_SIDE = 12_000
MIN_PHOTO_WIDTH = 640  # narrower photos look blurred on the practice page
MASTER_SIDE = 2400  # the stored photo's longest side: the renditions are drawn from it
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")

MAX_DOCUMENT_BYTES = 25 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000

#: Document kinds: extension → (name readers see, media type).
DOCUMENT_KINDS = {
    "pdf": ("PDF", "application/pdf"),
    "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": ("OpenDocument", "application/vnd.oasis.opendocument.text"),
    "ods": ("OpenDocument", "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": ("OpenDocument", "application/vnd.oasis.opendocument.presentation"),
}
# Office Open XML: the part every file of the kind has.
OOXML_MAIN_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
ODF_TYPES = {media_type: extension for extension, (_, media_type) in DOCUMENT_KINDS.items() if extension[0] == "o"}

# What makes a file "also something else": what a browser, a PDF reader or an unzipper would open in it.
ACTIVE_MARKUP = re.compile(rb"<(?:script|html|iframe|object|embed|svg|\?php)[\s>/]", re.IGNORECASE)
PDF_SIGNATURE = b"%PDF-"
ZIP_END = b"PK\x05\x06"
SEPARATORS = re.compile(r"[/\\]|%2f|%5c", re.IGNORECASE)


def _shown(name: str) -> str:
    """The name as a message may quote it: control and invisible characters as «?», at most 80 characters."""
    shown = "".join("?" if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char for char in name)
    return shown if len(shown) <= 80 else shown[:77] + "…"


def check_file_name(name: str) -> None:
    """Refuse a name with a path separator (also percent-encoded), a control or invisible character (a NUL, a
    right-to-left override that hides «.exe»), a leading dot or more than 200 characters.

    Browsers send the name alone; Django already drops what comes before a separator and removes control
    characters from the names it reads in a request (``MultiPartParser.sanitize_file_name``); this check also
    covers files handed to a form by other means (an import, the shell, a test).
    """
    bad_character = any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in name)
    if not name or SEPARATORS.search(name) or bad_character or name.startswith(".") or len(name) > 200:
        raise ValidationError(
            _(
                "El nombre del archivo «%(name)s» no se acepta: no puede tener barras (/ o \\), caracteres de "
                "control o invisibles, empezar con un punto ni pasar de 200 caracteres. Cámbiele el nombre "
                "(por ejemplo «informe-2009.pdf») y súbalo de nuevo."
            )
            % {"name": _shown(name)},
            code="file_name",
        )


def _too_large(upload, limit: int, what: str) -> ValidationError:
    return ValidationError(
        _("%(what)s «%(name)s» pesa %(size)s; el máximo es %(limit)s.")
        % {
            "what": what,
            "name": _shown(upload.name),
            "size": format_file_size(upload.size),
            "limit": format_file_size(limit),
        },
        code="too_large",
    )


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _is_zip(data: bytes) -> bool:
    return ZIP_END in data and zipfile.is_zipfile(io.BytesIO(data))


# Photos ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedPhoto:
    """A photo as it is stored: drawn again from the upload's pixels, without metadata."""

    content: bytes
    extension: str  # "jpg" or "png"
    width: int
    height: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _not_a_photo(upload) -> ValidationError:
    return ValidationError(
        _(
            "«%(name)s» no es una foto en JPEG, PNG, WebP o GIF: su contenido no lo es, diga lo que diga su "
            "nombre. Ábrala en un programa de fotos y guárdela como JPEG."
        )
        % {"name": _shown(upload.name)},
        code="not_a_photo",
    )


def _too_many_pixels(upload, width: int = 0, height: int = 0, refusal: Exception | None = None) -> ValidationError:
    """The size is quoted as the header gives it: width × height, or (when Pillow refused the file before handing
    its size over, above twice its own limit) the number of pixels its message gives."""
    pixels = re.search(r"\((\d+) pixels\)", str(refusal or ""))
    if width:
        size = _(" (%(width)s × %(height)s píxeles)") % {"width": format_int(width), "height": format_int(height)}
    elif pixels:
        size = _(" (%(millions)s millones de píxeles)") % {"millions": format_int(int(pixels.group(1)) // 1_000_000)}
    else:
        size = ""
    return ValidationError(
        _(
            "«%(name)s» es demasiado grande%(size)s: el máximo es %(pixels)s millones de píxeles y %(side)s "
            "píxeles por lado. Redúzcala (con 2,400 píxeles de ancho basta) y súbala de nuevo."
        )
        % {
            "name": _shown(upload.name),
            "size": size,
            "pixels": MAX_PHOTO_PIXELS // 1_000_000,
            "side": format_int(MAX_PHOTO_SIDE),
        },
        code="too_many_pixels",
    )


def _refuse_other_kinds(upload, data: bytes) -> None:
    """SVG, iPhone HEIC and files that are also something else, each with its own message."""
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        raise ValidationError(
            _(
                "«%(name)s» es una imagen SVG: el portal no las publica, porque pueden llevar programas. "
                "Expórtela como PNG o JPEG y súbala de nuevo."
            )
            % {"name": _shown(upload.name)},
            code="svg",
        )
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1", b"ftyphevc", b"ftypavif"):
        raise ValidationError(
            _(
                "«%(name)s» es una foto HEIC o AVIF (la de los iPhone): guárdela o compártala como JPEG "
                "(en el iPhone: Ajustes › Cámara › Formatos › «Más compatible») y súbala de nuevo."
            )
            % {"name": _shown(upload.name)},
            code="heic",
        )
    if _is_zip(data) or PDF_SIGNATURE in data[:1024] or ACTIVE_MARKUP.search(data):
        raise ValidationError(
            _(
                "«%(name)s» es una imagen y a la vez otro tipo de archivo (lleva dentro un ZIP, un PDF, una "
                "página web o un programa). Por seguridad no se acepta: ábrala en un programa de fotos, "
                "guárdela de nuevo como JPEG o PNG y súbala."
            )
            % {"name": _shown(upload.name)},
            code="polyglot",
        )


def check_photo(upload) -> CheckedPhoto:
    """The photo to store for ``upload`` (a Django ``UploadedFile``), or a ``ValidationError`` saying why not."""
    check_file_name(upload.name)
    if upload.size > MAX_PHOTO_BYTES:
        raise _too_large(upload, MAX_PHOTO_BYTES, _("La foto"))
    data = _read(upload)
    _refuse_other_kinds(upload, data)
    with warnings.catch_warnings():
        # Pillow warns above its own pixel limit and refuses above twice it: both are refusals here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=PHOTO_FORMATS)  # reads the header only
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as refusal:
            raise _too_many_pixels(upload, refusal=refusal) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _not_a_photo(upload) from None
        width, height = image.size
        if width * height > MAX_PHOTO_PIXELS or max(width, height) > MAX_PHOTO_SIDE:
            raise _too_many_pixels(upload, width, height)
        if min(width, height) < 1:
            raise _not_a_photo(upload)
        try:
            image.draft("RGB", (MASTER_SIDE, MASTER_SIDE))  # a large JPEG is decoded at a smaller scale
            image.load()
            photo = _drawn_again(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(upload, width, height) from None
        except Exception:  # a damaged file fails in many ways inside a decoder
            logger.info("Photo %r refused: it could not be decoded", upload.name, exc_info=True)
            raise ValidationError(
                _("«%(name)s» está dañada o incompleta: no se pudo leer la foto. Súbala de nuevo desde el original.")
                % {"name": _shown(upload.name)},
                code="damaged",
            ) from None
    if photo.width < MIN_PHOTO_WIDTH:
        raise ValidationError(
            _(
                "«%(name)s» es muy pequeña (%(width)s × %(height)s píxeles): en la página se vería borrosa. "
                "Suba una de al menos %(minimum)s píxeles de ancho."
            )
            % {
                "name": _shown(upload.name),
                "width": format_int(photo.width),
                "height": format_int(photo.height),
                "minimum": format_int(MIN_PHOTO_WIDTH),
            },
            code="too_small",
        )
    return photo


def _drawn_again(image: Image.Image) -> CheckedPhoto:
    """The photo drawn from the pixels alone: upright, at most MASTER_SIDE, its colour profile and nothing else."""
    icc_profile = image.info.get("icc_profile")
    try:
        image = ImageOps.exif_transpose(image)  # the camera's orientation, applied to the pixels
    except Exception:  # a malformed EXIF block (Pillow #4215, #5528, #8348): the pixels are still the photo
        logger.info("EXIF orientation not applied: unreadable EXIF", exc_info=True)
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if transparent else "RGB")
    image.thumbnail((MASTER_SIDE, MASTER_SIDE), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if transparent:
        image.save(output, "PNG", optimize=True, **options)
    else:
        image.save(output, "JPEG", quality=88, optimize=True, progressive=True, **options)
    return CheckedPhoto(output.getvalue(), "png" if transparent else "jpg", image.width, image.height)


# Documents ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedDocument:
    """A document as it is stored (unchanged), with what readers are told before downloading it."""

    content: bytes
    extension: str  # a key of DOCUMENT_KINDS
    pages: int | None  # PDF only

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _not_a_document(upload) -> ValidationError:
    return ValidationError(
        _(
            "«%(name)s» no es un PDF ni un documento de Word, Excel, PowerPoint u OpenDocument (.docx, .xlsx, "
            ".pptx, .odt, .ods, .odp): su contenido no lo es, diga lo que diga su nombre. Un .doc o .xls antiguo: "
            "guárdelo como PDF o en el formato nuevo y súbalo de nuevo."
        )
        % {"name": _shown(upload.name)},
        code="not_a_document",
    )


def check_document(upload) -> CheckedDocument:
    """The document to store for ``upload``, or a ``ValidationError`` saying why not."""
    check_file_name(upload.name)
    if upload.size > MAX_DOCUMENT_BYTES:
        raise _too_large(upload, MAX_DOCUMENT_BYTES, _("El documento"))
    if not upload.size:
        raise ValidationError(_("«%(name)s» está vacío.") % {"name": _shown(upload.name)}, code="empty")
    data = _read(upload)
    if data.startswith(PDF_SIGNATURE):
        return _checked_pdf(upload, data)
    if data.startswith(b"PK\x03\x04"):
        return _checked_office_file(upload, data)
    raise _not_a_document(upload)


def _polyglot_document(upload) -> ValidationError:
    return ValidationError(
        _(
            "«%(name)s» es un documento y a la vez otro tipo de archivo. Por seguridad no se acepta: ábralo y "
            "guárdelo de nuevo como PDF («Imprimir» › «Guardar como PDF»)."
        )
        % {"name": _shown(upload.name)},
        code="polyglot",
    )


def _checked_pdf(upload, data: bytes) -> CheckedDocument:
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    if _is_zip(data):
        raise _polyglot_document(upload)
    damaged = ValidationError(
        _("«%(name)s» está dañado: no se pudo leer el PDF. Guárdelo de nuevo como PDF y súbalo.")
        % {"name": _shown(upload.name)},
        code="damaged",
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _(
                    "«%(name)s» está protegido con contraseña: los lectores no podrían abrirlo. Guárdelo sin "
                    "contraseña y súbalo de nuevo."
                )
                % {"name": _shown(upload.name)},
                code="encrypted",
            )
        pages = len(reader.pages)
        root = reader.trailer["/Root"].get_object()
        names = root.get("/Names")
        names = names.get_object() if names is not None else DictionaryObject()
        open_action = root.get("/OpenAction")
        open_action = open_action.get_object() if open_action is not None else None
        active = (
            "/JavaScript" in names
            or "/EmbeddedFiles" in names
            or "/AA" in root
            or (isinstance(open_action, dict) and open_action.get("/S") in ("/JavaScript", "/Launch"))
        )
    except ValidationError:
        raise
    except Exception:  # pypdf fails in many ways on a damaged file
        logger.info("PDF %r refused: pypdf could not read it", upload.name, exc_info=True)
        raise damaged from None
    if not pages:
        raise damaged
    if active:
        raise ValidationError(
            _(
                "«%(name)s» lleva programas (JavaScript), acciones al abrirse o archivos adjuntos: por seguridad "
                "no se acepta. Guárdelo de nuevo con «Imprimir» › «Guardar como PDF» y súbalo."
            )
            % {"name": _shown(upload.name)},
            code="active_content",
        )
    return CheckedDocument(data, "pdf", pages)


def _checked_office_file(upload, data: bytes) -> CheckedDocument:
    if PDF_SIGNATURE in data[:1024]:
        raise _polyglot_document(upload)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise _not_a_document(upload)
            names = [entry.filename for entry in entries]
            extension = None
            if names and names[0] == "mimetype" and entries[0].file_size < 200:
                extension = ODF_TYPES.get(archive.read("mimetype").decode("ascii", "replace").strip())
            elif "[Content_Types].xml" in names:
                extension = next((kind for part, kind in OOXML_MAIN_PARTS.items() if part in names), None)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        raise _not_a_document(upload) from None
    if extension is None:
        raise _not_a_document(upload)
    if any(name.lower().endswith("vbaproject.bin") or name.startswith(("Basic/", "Scripts/")) for name in names):
        raise ValidationError(
            _(
                "«%(name)s» lleva macros: por seguridad no se acepta. Guárdelo sin macros (.docx, .xlsx, .pptx) o "
                "como PDF y súbalo de nuevo."
            )
            % {"name": _shown(upload.name)},
            code="macros",
        )
    return CheckedDocument(data, extension, None)


# Form fields ----------------------------------------------------------------------------------------------------


class CheckedFileField(forms.FileField):
    """A file field whose new upload is checked by content (``check``) and replaced by what is stored: a file named
    after its content (``<sha256>.<extension>``), with the check's result as ``checked``. A refused file is a form
    error; nothing is written until the model is saved."""

    check = None

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if not isinstance(value, UploadedFile):
            return value  # unchanged: the stored file
        checked = type(self).check(value)
        stored = ContentFile(checked.content, name=f"{checked.digest}.{checked.extension}")
        stored.checked = checked
        return stored


class PhotoField(CheckedFileField):
    check = staticmethod(check_photo)
    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})


class DocumentField(CheckedFileField):
    check = staticmethod(check_document)
    widget = forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp"})
