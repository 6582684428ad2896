"""Write a backup of all the portal's content (any database): ``manage.py backup -o copia.json.gz``.

Portable JSON (optionally .gz/.bz2/.xz compressed) with natural keys; restore it into a
freshly migrated database with ``manage.py restore copia.json.gz``.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Rebuilt by migrate (content types, permissions) or not worth keeping (sessions, log-in attempts, admin log).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


class Command(BaseCommand):
    help = "Copia de seguridad de todo el contenido del portal en JSON (cualquier base de datos)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="archivo de salida: .json, .json.gz, .json.xz…")

    def handle(self, *args, output, **options):
        exclude = [item for name in EXCLUDED for item in ("--exclude", name)]
        call_command("dumpdata", "--natural-foreign", "--natural-primary", *exclude, "--output", output)
        self.stdout.write(self.style.SUCCESS(f"Copia de seguridad escrita en {output}."))
