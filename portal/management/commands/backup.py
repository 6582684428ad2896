"""Write a backup of all the portal's content (any database): ``manage.py backup -o copia.json.gz``.

Portable JSON (optionally .gz/.bz2/.xz compressed) with natural keys; restore it into a
freshly migrated database with ``manage.py restore copia.json.gz``. One snapshot: every table is read in
one read-only transaction (REPEATABLE READ on PostgreSQL; on SQLite one read transaction), so a backup taken
while editors save holds each row with its own history — never a row newer than its history, or older.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

# Rebuilt by migrate (content types, permissions) or not worth keeping (sessions, log-in attempts, admin log).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


class Command(BaseCommand):
    help = "Copia de seguridad de todo el contenido del portal en JSON (cualquier base de datos)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="archivo de salida: .json, .json.gz, .json.xz…")

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
            call_command("dumpdata", "--natural-foreign", "--natural-primary", *exclude, "--output", output)
        self.stdout.write(self.style.SUCCESS(f"Copia de seguridad escrita en {output}."))
