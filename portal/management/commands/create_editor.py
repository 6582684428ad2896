"""Create (or update) a staff editor account in the "Editores" group.

    python manage.py create_editor maria --email maria@example.pe --name "María Quispe"

The password is read from the environment variable EDITOR_PASSWORD or asked for.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.core.roles import EDITORS_GROUP


class Command(BaseCommand):
    help = "Crea una cuenta de editor (staff, grupo «Editores»). Contraseña: EDITOR_PASSWORD o se pregunta."

    def add_arguments(self, parser):
        parser.add_argument("username", help="nombre de usuario para entrar al admin")
        parser.add_argument("--email", default="", help="correo electrónico")
        parser.add_argument("--name", default="", help="nombre y apellidos")

    def handle(self, *args, username, email, name, **options):
        password = os.environ.get("EDITOR_PASSWORD") or self.ask_password()
        first_name, _, last_name = name.partition(" ")
        user_model = get_user_model()
        candidate = user_model(username=username, email=email, first_name=first_name, last_name=last_name)
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        try:
            group = Group.objects.get(name=EDITORS_GROUP)
        except Group.DoesNotExist:
            raise CommandError("Falta el grupo «Editores»: ejecute primero manage.py migrate.") from None

        with transaction.atomic():
            user, created = user_model.objects.get_or_create(username=username)
            if user.is_superuser:
                raise CommandError(f"«{username}» es superusuario; no se convierte en editor.")
            user.email, user.first_name, user.last_name = email, first_name, last_name
            user.is_staff, user.is_active = True, True
            user.set_password(password)
            user.save()
            user.groups.add(group)
        verb = "creada" if created else "actualizada"
        self.stdout.write(self.style.SUCCESS(f"Cuenta de editor «{username}» {verb}."))

    def ask_password(self) -> str:
        if not os.isatty(0):
            raise CommandError("Indique la contraseña en la variable de entorno EDITOR_PASSWORD.")
        password = getpass.getpass("Contraseña: ")
        if password != getpass.getpass("Repita la contraseña: "):
            raise CommandError("Las contraseñas no coinciden.")
        return password
