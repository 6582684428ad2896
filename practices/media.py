"""The practices' photos and documents as the kernel's media tools see them (``portal.core.media``), registered in
``PracticesConfig.ready()``: who may read each stored file and which files rows refer to."""

from django.core.files.base import ContentFile

from portal.core.media import all_renditions, generate_renditions
from portal.core.registry import MediaFile, MediaOwner
from portal.core.uploads import CheckedDocument, CheckedPhoto

from .models import DOCUMENTS_FOLDER, PHOTOS_FOLDER, Document, Photo, Practice, PracticePhoto


def media_file(name: str) -> MediaFile | None:
    """How the stored file ``name`` is served: public when a published practice shows it, else to staff only;
    None when no current row refers to it (a 404, also for a file only the history still refers to)."""
    published = Practice.objects.published()
    if name.startswith(f"{PHOTOS_FOLDER}/"):
        digest = name[len(PHOTOS_FOLDER) + 1 :][:64]
        photos = list(Photo.objects.filter(file__startswith=f"{PHOTOS_FOLDER}/{digest}."))
        if not any(
            name == photo.file.name
            or name in {item.name for item in all_renditions(photo.file.name, photo.width, photo.height)}
            for photo in photos
        ):
            return None
        shown = PracticePhoto.objects.filter(photo__in=photos, practice__in=published).exists()
        return MediaFile(public=shown)
    if name.startswith(f"{DOCUMENTS_FOLDER}/"):
        documents = list(Document.objects.filter(file=name).select_related("practice"))
        public = [document for document in documents if document.practice.is_public]
        chosen = (public or documents or [None])[0]
        return None if chosen is None else MediaFile(public=bool(public), download_name=chosen.download_name)
    return None


def referenced_names() -> set[str]:
    """Every stored name a photo or document row refers to, current or in the history, renditions included."""
    names = set()
    for rows in (Photo.objects, Photo.history):
        for name, width, height in rows.values_list("file", "width", "height").distinct().order_by():
            if name:
                names.add(name)
                names.update(item.name for item in all_renditions(name, width, height))
    for rows in (Document.objects, Document.history):
        names.update(name for name in rows.values_list("file", flat=True).distinct().order_by() if name)
    return names


MEDIA = MediaOwner("practicas/", media_file, referenced_names)


def store_photo(checked: CheckedPhoto, **fields) -> Photo:
    """A photo of the library from a checked upload (``portal.core.uploads.check_photo``), its renditions drawn:
    what the admin's photo form does, for the shell and the tests. ``fields``: alt_text, credit, licence…"""
    photo = Photo(width=checked.width, height=checked.height, **fields)
    photo.file.save(f"{checked.digest}.{checked.extension}", ContentFile(checked.content), save=False)
    photo.full_clean()
    photo.save()
    generate_renditions(photo.file.name, photo.width, photo.height)
    return photo


def store_document(practice: Practice, checked: CheckedDocument, **fields) -> Document:
    """A document of ``practice`` from a checked upload (``portal.core.uploads.check_document``), as the admin's
    document form stores it."""
    document = Document(
        practice=practice, kind=checked.extension, size=len(checked.content), pages=checked.pages, **fields
    )
    document.file.save(f"{checked.digest}.{checked.extension}", ContentFile(checked.content), save=False)
    document.full_clean()
    document.save()
    return document
