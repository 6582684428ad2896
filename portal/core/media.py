"""Photos and documents editors upload: stored by content, drawn in the sizes pages need, served by the portal.

Storage. Django's storage API (``STORAGES["default"]``): ``MediaStorage``, the filesystem under ``MEDIA_ROOT``
(``DJANGO_MEDIA_ROOT``), which several servers share as one volume. Every name is made from the file's content
(its SHA-256), so a name, once written, always holds the same bytes: saving it again keeps the file already there
(two editors uploading the same photo share one file), and nothing is ever overwritten while a server reads it.
A file is written before its row is committed, by the server that took the upload; no page links to it before
the row exists, so no server can ask for a half-written file.

Renditions. From each stored photo (``portal.core.uploads``), django-imagekit draws once, when it is saved
(``generate_renditions``), the widths pages ask for in WebP and in JPEG (the fallback), and a 1200 × 630 JPEG for
links shared on social networks (``og:image``). Their names come from the photo's: ``…/<sha256>.jpg`` gives
``…/<sha256>/640.webp``, ``…/<sha256>/640.jpg`` and ``…/<sha256>/og.jpg``; no page view checks or draws one. A new
photo is a new name: a rendition is never stale.

Serving (``serve``, at ``/media/…``). The apps say which stored names are theirs and who may read each
(``registry.register_media``): a file public pages show is public; any other (a draft's document) only for
signed-in staff; anything else is a 404. Public files are cached for a year by browsers (``immutable``: the name
changes with the content) and for ``DJANGO_SHARED_CACHE_SECONDS`` by Varnish, which then revalidates them with
``If-None-Match`` (a 304 costs one query): a photo withdrawn from the site stops being served within that time.
Headers: the media type from the name, never guessed from the content; ``X-Content-Type-Options: nosniff``; a
policy that runs nothing (``default-src 'none'; sandbox``); documents as attachments with their title as the name.

Orphans. A stored file is an orphan when no row refers to it, current or in the history (a deleted practice can be
recovered with its photos and documents). ``manage.py clean_media`` removes them (``orphans``); it runs after
history is pruned (``clean_old_history``), and keeps files younger than a day (an upload being saved).
"""

import datetime
import hashlib
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe
from imagekit.cachefiles import ImageCacheFile
from imagekit.specs import ImageSpec
from pilkit.processors import MakeOpaque, Resize, ResizeToFill

from . import registry

# Rendition widths (px): the catalogue's thumbnail (80 px wide, twice for sharp screens), the practice page's
# photos (up to 45rem = 720 px; 1280 for sharp screens) and phones in between. Drawing them all for a 12-megapixel
# phone photo takes about 3 s of one core, once, when it is uploaded.
WIDTHS = (160, 320, 640, 960, 1280)
SHARE_SIZE = (1200, 630)  # og:image: what social networks and chat apps show for a shared link
YEAR = 365 * 24 * 60 * 60

#: Media types by extension: the only ones served, decided by the name the portal gave the file.
MEDIA_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# Names the portal writes: lower-case folders, a hash, an extension; nothing else is looked up.
SAFE_NAME = re.compile(r"(?:[a-z0-9-]+/)+[0-9a-f]{64}(?:/(?:\d{2,4}|og))?\.[a-z]{3,4}")


class MediaStorage(FileSystemStorage):
    """``MEDIA_ROOT`` on the filesystem, for content-named files: a name already stored is kept, not written again."""

    def save(self, name, content, max_length=None):
        if name and self.exists(name):
            return name
        return super().save(name, content, max_length=max_length)


def content_name(folder: str, content: bytes, extension: str) -> str:
    """``folder/<sha256 of content>.<extension>``: the stored name of a file."""
    return f"{folder}/{hashlib.sha256(content).hexdigest()}.{extension}"


# Renditions -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendition:
    """One drawn size of a stored photo: its stored name, pixels and media type."""

    name: str
    width: int
    height: int
    media_type: str

    @property
    def url(self) -> str:
        return default_storage.url(self.name)


@dataclass(frozen=True)
class Format:
    extension: str
    pillow: str
    media_type: str
    options: dict


WEBP = Format("webp", "WEBP", "image/webp", {"quality": 78, "method": 4})
JPEG = Format("jpg", "JPEG", "image/jpeg", {"quality": 82, "optimize": True, "progressive": True})


def _folder(name: str) -> str:
    return posixpath.splitext(name)[0]


def widths_for(width: int) -> list[int]:
    """The rendition widths of a photo ``width`` pixels wide: never wider than the photo itself."""
    widths = [candidate for candidate in WIDTHS if candidate < width]
    if width <= WIDTHS[-1]:
        widths.append(width)
    return widths or [width]


def rendition(name: str, width: int, height: int, target_width: int, image_format: Format) -> Rendition:
    """The rendition ``target_width`` wide of the stored photo ``name`` (``width`` × ``height``)."""
    target_height = max(1, round(height * target_width / width))
    return Rendition(
        f"{_folder(name)}/{target_width}.{image_format.extension}", target_width, target_height, image_format.media_type
    )


def renditions(name: str, width: int, height: int, image_format: Format) -> list[Rendition]:
    """Every width of one format, narrowest first (a ``srcset``)."""
    return [rendition(name, width, height, target, image_format) for target in widths_for(width)]


def share_rendition(name: str) -> Rendition:
    """The 1200 × 630 JPEG for ``og:image`` (cropped around the centre)."""
    return Rendition(f"{_folder(name)}/og.jpg", *SHARE_SIZE, JPEG.media_type)


def all_renditions(name: str, width: int, height: int) -> list[Rendition]:
    return [*renditions(name, width, height, WEBP), *renditions(name, width, height, JPEG), share_rendition(name)]


class RenditionSpec(ImageSpec):
    """django-imagekit's spec for one rendition: resize (or fill, for og:image) and save in its format."""

    def __init__(self, source, target: Rendition, image_format: Format, fill: bool = False):
        resize = ResizeToFill(target.width, target.height) if fill else Resize(target.width, target.height)
        self.processors = [resize] if image_format is WEBP else [resize, MakeOpaque()]  # JPEG: white, not black
        self.format = image_format.pillow
        self.options = image_format.options
        super().__init__(source=source)


def generate_renditions(name: str, width: int, height: int) -> list[str]:
    """Draw every rendition of the stored photo ``name`` that is not stored yet; the names drawn."""
    drawn = []
    with default_storage.open(name) as stored:
        source = File(stored, name=name)
        jobs = [(item, WEBP, False) for item in renditions(name, width, height, WEBP)]
        jobs += [(item, JPEG, False) for item in renditions(name, width, height, JPEG)]
        jobs.append((share_rendition(name), JPEG, True))
        for target, image_format, fill in jobs:
            if default_storage.exists(target.name):
                continue
            # force: the storage was just asked. django-imagekit's own record of which files exist lives in a cache
            # that outlives them (a rendition removed with its orphan photo, a volume restored from a backup).
            ImageCacheFile(RenditionSpec(source, target, image_format, fill), name=target.name).generate(force=True)
            drawn.append(target.name)
    return drawn


@dataclass(frozen=True)
class Picture:
    """What ``includes/picture.html`` draws for a photo: WebP and JPEG ``srcset``s, the JPEG ``src`` for browsers
    without ``<picture>``, and the photo's shape (``width``/``height``: the browser keeps its place, nothing jumps)."""

    webp: list[Rendition]
    jpeg: list[Rendition]
    width: int
    height: int

    @classmethod
    def of(cls, name: str, width: int, height: int, widest: int | None = None) -> "Picture":
        """``widest``: the largest width a page needs (the catalogue's thumbnails need no 1600 px)."""

        def upto(items):
            kept = [item for item in items if widest is None or item.width <= widest]
            return kept or items[:1]

        return cls(
            upto(renditions(name, width, height, WEBP)), upto(renditions(name, width, height, JPEG)), width, height
        )

    @staticmethod
    def srcset(items: list[Rendition]) -> str:
        return ", ".join(f"{item.url} {item.width}w" for item in items)

    @property
    def portrait(self) -> bool:
        """Taller than wide: shown narrower, so that it fits a screen's height."""
        return self.height > self.width

    @property
    def webp_srcset(self) -> str:
        return self.srcset(self.webp)

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset(self.jpeg)

    def html(self, alt: str, sizes: str, eager: bool = False) -> str:
        """``includes/picture.html`` for this photo (tables and feeds that draw HTML in code)."""
        return render_to_string("includes/picture.html", {"picture": self, "alt": alt, "sizes": sizes, "eager": eager})

    @property
    def fallback(self) -> Rendition:
        """The JPEG closest to 640 px wide: what a browser without ``srcset`` shows."""
        return min(self.jpeg, key=lambda item: abs(item.width - 640))


# Serving --------------------------------------------------------------------------------------------------------


def _owner_lookup(name: str) -> registry.MediaFile | None:
    for owner in registry.MEDIA_OWNERS:
        if name.startswith(owner.prefix):
            return owner.lookup(name)
    return None


@require_safe
def serve(request, path: str):
    """A stored file, if an app says it is its own and the visitor may read it (see the module docstring)."""
    if not SAFE_NAME.fullmatch(path):
        raise Http404
    extension = path.rsplit(".", 1)[1]
    found = _owner_lookup(path)
    if extension not in MEDIA_TYPES or found is None or not (found.public or request.user.is_staff):
        raise Http404
    etag = '"{}"'.format(hashlib.sha256(f"{path}|{found.download_name}".encode()).hexdigest()[:32])
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        response = not_modified
    else:
        try:
            stored = default_storage.open(path)
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            stored,
            content_type=MEDIA_TYPES[extension],
            as_attachment=bool(found.download_name),
            filename=found.download_name or None,
        )
    response["ETag"] = etag
    if found.public:
        # Browsers keep it a year (the name changes with the content); Varnish and CDNs as long as pages, then
        # they revalidate: a file withdrawn from the site is no longer served after that.
        patch_cache_control(response, public=True, max_age=YEAR, immutable=True, s_maxage=settings.SHARED_CACHE_SECONDS)
    else:
        patch_cache_control(response, private=True, no_store=True)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Backups and orphans --------------------------------------------------------------------------------------------


def referenced_names() -> set[str]:
    """Every stored name a row refers to, current or in the history, renditions included."""
    names = set()
    for owner in registry.MEDIA_OWNERS:
        names.update(owner.referenced())
    return names


def stored_names(storage=default_storage) -> Iterable[str]:
    """Every file stored under the apps' folders."""

    def walk(folder):
        folders, files = storage.listdir(folder)
        for file in files:
            yield f"{folder}{file}"
        for child in folders:
            yield from walk(f"{folder}{child}/")

    for owner in registry.MEDIA_OWNERS:
        if storage.exists(owner.prefix.rstrip("/")):
            yield from walk(owner.prefix)


def orphans(min_age: datetime.timedelta = datetime.timedelta(days=1)) -> list[str]:
    """Stored files no row refers to (current or history), older than ``min_age``: an upload being saved writes
    its files before its row is committed."""
    referenced = referenced_names()
    cutoff = timezone.now() - min_age
    return sorted(
        name for name in stored_names() if name not in referenced and default_storage.get_modified_time(name) < cutoff
    )
