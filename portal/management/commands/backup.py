"""Write a backup of all the portal's content (any database): ``manage.py backup -o copia.zip``.

A .zip holds ``datos.json`` (portable JSON with natural keys) and ``media/…``: every photo, rendition and document
a row refers to, current or in the history (``portal.core.media.referenced_names``). A .json (optionally .gz, .bz2,
.xz) holds the database alone, as before. Restore it into a freshly migrated database with
``manage.py restore copia.zip``.
"""

import tempfile
import zipfile
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand

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
        if not output.endswith(".zip"):
            call_command("dumpdata", "--natural-foreign", "--natural-primary", *exclude, "--output", output)
            self.stdout.write(self.style.SUCCESS(f"Copia de seguridad escrita en {output} (sin fotos ni documentos)."))
            return
        with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(output, "w") as archive:
            data = Path(folder) / DATA_NAME
            call_command("dumpdata", "--natural-foreign", "--natural-primary", *exclude, "--output", str(data))
            archive.write(data, DATA_NAME, compress_type=zipfile.ZIP_DEFLATED)
            copied, missing = 0, []
            for name in sorted(referenced_names()):
                if not default_storage.exists(name):
                    missing.append(name)
                    continue
                with default_storage.open(name) as stored, archive.open(MEDIA_FOLDER + name, "w") as copy:
                    while chunk := stored.read(1024 * 1024):
                        copy.write(chunk)
                copied += 1
        for name in missing:
            self.stderr.write(f"Falta en el almacenamiento (no se copió): {name}")
        self.stdout.write(self.style.SUCCESS(f"Copia de seguridad escrita en {output}, con {copied} archivos."))
