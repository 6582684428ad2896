"""Restore a backup made with ``manage.py backup`` into a freshly migrated database.

The database is restored all or nothing (one transaction); history is restored as it was in the backup: loading
does not add history records of its own. A .zip backup's photos and documents are written first to the storage
(``MEDIA_ROOT``), each under its own content-named name (a file already there is kept); only the names the portal
writes are accepted from the archive.
"""

import tempfile
import zipfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from migration.models import Department
from portal.core.media import SAFE_NAME

from .backup import DATA_NAME, MEDIA_FOLDER


class Command(BaseCommand):
    help = "Restaura una copia de seguridad (manage.py backup) en una base de datos recién migrada."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="archivo de la copia (.zip, o .json, .json.gz… de solo datos)")

    def handle(self, *args, backup, **options):
        if Department.objects.exists():
            raise CommandError(
                "La base de datos ya tiene contenido. Restaure en una base de datos nueva: "
                "cree una vacía, ejecute manage.py migrate y luego manage.py restore."
            )
        if not backup.endswith(".zip"):
            self.load(backup, options["verbosity"])
            self.stdout.write(self.style.SUCCESS(f"Copia {backup} restaurada."))
            return
        with zipfile.ZipFile(backup) as archive, tempfile.TemporaryDirectory() as folder:
            media = [name for name in archive.namelist() if name.startswith(MEDIA_FOLDER) and not name.endswith("/")]
            refused = [name for name in media if not SAFE_NAME.fullmatch(name.removeprefix(MEDIA_FOLDER))]
            if refused:
                raise CommandError(f"La copia tiene archivos con nombres que el portal no escribe: {refused[:3]}")
            for name in media:
                default_storage.save(name.removeprefix(MEDIA_FOLDER), ContentFile(archive.read(name)))
            data = Path(archive.extract(DATA_NAME, folder))
            self.load(str(data), options["verbosity"])
        self.stdout.write(self.style.SUCCESS(f"Copia {backup} restaurada, con {len(media)} archivos."))

    @staticmethod
    def load(path: str, verbosity: int):
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", path, verbosity=verbosity)
