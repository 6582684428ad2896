"""Restore a backup made with ``manage.py backup`` into a freshly migrated database.

All or nothing (one transaction). History is restored as it was in the backup: loading does
not add history records of its own.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from migration.models import Department


class Command(BaseCommand):
    help = "Restaura una copia de seguridad (manage.py backup) en una base de datos recién migrada."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="archivo de la copia (.json, .json.gz, .json.xz…)")

    def handle(self, *args, backup, **options):
        if Department.objects.exists():
            raise CommandError(
                "La base de datos ya tiene contenido. Restaure en una base de datos nueva: "
                "cree una vacía, ejecute manage.py migrate y luego manage.py restore."
            )
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", backup, verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS(f"Copia {backup} restaurada."))
