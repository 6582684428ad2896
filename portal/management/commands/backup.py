"""Write a backup of all the portal's content (any database): ``manage.py backup -o copia.zip``.

A .zip holds ``datos.json`` (portable JSON with natural keys) and ``media/…``: every photo, rendition and document
a row refers to, current or in the history (``portal.core.media.referenced_names``). A .json (optionally .gz, .bz2,
.xz) holds the database alone, as before. Restore either into a freshly migrated database with
``manage.py restore copia.zip``.

One snapshot: every table is read in one read-only transaction (REPEATABLE READ on PostgreSQL; on SQLite one read
transaction), so a backup taken while editors save holds each row with its own history — never a row newer than
its history, or older — and the files of exactly those rows. Files are content-named and never overwritten: a file
a row of the snapshot refers to is still there when it is copied.
"""

import tempfile
import zipfile
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from portal.core.media import referenced_names

# Rebuilt by migrate (content types, permissions) or not worth keeping (sessions, log-in attempts, admin log).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]
DATA_NAME = "datos.json"
MEDIA_FOLDER = "media/"


class Command(BaseCommand):
    help = "Copia de seguridad de todo el contenido del portal (cualquier base de datos), con fotos y documentos."

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            help="archivo de salida: .zip (datos, fotos y documentos) o .json, .json.gz… (solo los datos)",
        )

    def handle(self, *args, output, **options):
        exclude = [item for name in EXCLUDED for item in ("--exclude", name)]
        with transaction.atomic():
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # The transaction's first statement: every table read from here on is the same snapshot.
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    cursor.execute("SET LOCAL statement_timeout = 0")  # however long the copy takes
                elif connection.vendor == "sqlite":
                    cursor.execute("SELECT count(*) FROM sqlite_master")  # the read transaction starts here
            if not output.endswith(".zip"):
                call_command("dumpdata", "--natural-foreign", "--natural-primary", *exclude, "--output", output)
                self.stdout.write(
                    self.style.SUCCESS(f"Copia de seguridad escrita en {output} (sin fotos ni documentos).")
                )
                return
            with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(output, "w") as archive:
                data = Path(folder) / DATA_NAME
                call_command("dumpdata", "--natural-foreign", "--natural-primary", *exclude, "--output", str(data))
                archive.write(data, DATA_NAME, compress_type=zipfile.ZIP_DEFLATED)
                copied, missing = self.copy_media(archive)
        for name in missing:
            self.stderr.write(f"Falta en el almacenamiento (no se copió): {name}")
        self.stdout.write(self.style.SUCCESS(f"Copia de seguridad escrita en {output}, con {copied} archivos."))

    @staticmethod
    def copy_media(archive) -> tuple[int, list[str]]:
        """Copy every stored file the snapshot's rows refer to into ``archive``; (how many, names missing)."""
        copied, missing = 0, []
        for name in sorted(referenced_names()):
            if not default_storage.exists(name):
                missing.append(name)
                continue
            with default_storage.open(name) as stored, archive.open(MEDIA_FOLDER + name, "w") as copy:
                while chunk := stored.read(1024 * 1024):
                    copy.write(chunk)
            copied += 1
        return copied, missing
