"""Draw every missing rendition of the library's photos (``portal.core.media.generate_renditions``): after the
rendition sizes change (``portal.core.media.WIDTHS``), or after photos were copied into ``MEDIA_ROOT`` by hand.
Photos only the history refers to get theirs too: a recovered practice shows them at once."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from portal.core.media import generate_renditions
from practices.models import Photo


class Command(BaseCommand):
    help = "Dibuja las versiones reducidas que falten de las fotos de la biblioteca (también las del historial)."

    def handle(self, *args, **options):
        photos = set()
        for rows in (Photo.objects, Photo.history):
            photos.update(rows.values_list("file", "width", "height").distinct().order_by())
        stored = [
            (name, width, height) for name, width, height in sorted(photos) if name and default_storage.exists(name)
        ]
        drawn = sum(len(generate_renditions(name, width, height)) for name, width, height in stored)
        self.stdout.write(self.style.SUCCESS(f"{drawn} versiones dibujadas para {len(photos)} fotos."))
