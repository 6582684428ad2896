"""Remove orphan photos and documents: stored files no row refers to, current or in the history
(``portal.core.media.orphans``). Run it after pruning the history (``clean_old_history``): a file the history
still refers to is kept, since a deleted practice can be recovered with its photos and documents."""

import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from portal.core.media import orphans


class Command(BaseCommand):
    help = "Elimina las fotos y documentos huérfanos: archivos guardados a los que ya no se refiere ninguna fila."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="solo lista los archivos, sin eliminarlos")
        parser.add_argument(
            "--min-age-hours",
            type=int,
            default=24,
            help="conserva los archivos más recientes (una subida en curso los escribe antes de guardar su fila)",
        )

    def handle(self, *args, dry_run, min_age_hours, **options):
        found = orphans(datetime.timedelta(hours=min_age_hours))
        for name in found:
            self.stdout.write(name)
            if not dry_run:
                default_storage.delete(name)
        verb = "Se eliminarían" if dry_run else "Eliminados"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(found)} archivos huérfanos."))
