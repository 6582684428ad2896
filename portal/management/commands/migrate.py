"""``manage.py migrate``, which refuses to reverse a migration that would delete data.

Reversing a migration that added a field drops its column; one that created a table drops the table. Django does
it without a word: reversing ``migration.0006_english_sources`` emptied every English source and their history.
Here, before anything is reversed, the fields each migration of the plan added and the tables it created are
read: when any holds data (a value other than the field's default, a row), nothing at all is reversed (not even
the migrations before it in the plan) and the command says what would be lost, where, and how to go on.
``--discard-data`` reverses anyway, after a backup.
"""

from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections
from django.db.migrations import operations
from django.db.migrations.exceptions import AmbiguityError, NodeNotFoundError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader


class Command(MigrateCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--discard-data",
            action="store_true",
            help="Revierte también las migraciones que borrarían datos (haga antes manage.py backup).",
        )

    def handle(self, *args, **options):
        self.discard_data = options["discard_data"]
        self.database = options["database"]
        if not self.discard_data and not options["fake"]:
            connection = connections[self.database]
            for migration in reversed_by(connection, options["app_label"], options["migration_name"]):
                refuse_if_data_lost(migration, connection)
        return super().handle(*args, **options)

    def migration_progress_callback(self, action, migration=None, fake=False):
        if action == "unapply_start" and not fake and not self.discard_data:
            refuse_if_data_lost(migration, connections[self.database])  # the plan read again, as it runs
        super().migration_progress_callback(action, migration, fake)


def reversed_by(connection, app_label, migration_name) -> list:
    """The migrations ``migrate [app_label [migration_name]]`` would reverse, in order; none when the targets
    cannot be read (Django's own command then says what is wrong with them)."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    try:
        if app_label and migration_name:
            name = (
                None
                if migration_name == "zero"
                else executor.loader.get_migration_by_prefix(app_label, migration_name).name
            )
            targets = [(app_label, name)]
        elif app_label:
            targets = [key for key in graph.leaf_nodes() if key[0] == app_label]
        else:
            targets = graph.leaf_nodes()
        plan = executor.migration_plan(targets)
    except (KeyError, AmbiguityError, NodeNotFoundError):
        return []
    return [migration for migration, backwards in plan if backwards]


def refuse_if_data_lost(migration, connection) -> None:
    """Raises ``CommandError`` saying what reversing ``migration`` would delete, if anything."""
    lost = data_lost_by_reversing(migration, connection)
    if lost:
        raise CommandError(
            f"No se revierte {migration.app_label}.{migration.name}: borraría datos — "
            + "; ".join(lost)
            + ". Nada se ha borrado. Si de verdad quiere perderlos, haga antes una copia "
            "(manage.py backup) y repita la orden con --discard-data."
        )


def data_lost_by_reversing(migration, connection) -> list[str]:
    """What reversing ``migration`` would delete: ``["practices.Practice.body_en: 4 filas", …]`` — the rows of
    each table it created, the rows whose value differs from the default in each field it added."""
    state = MigrationLoader(connection).project_state((migration.app_label, migration.name), at_end=True)
    lost = []
    for operation in migration.operations:
        if isinstance(operation, operations.CreateModel):
            model = state.apps.get_model(migration.app_label, operation.name)
            rows = model._base_manager.using(connection.alias).count()
            where = f"{migration.app_label}.{operation.name} (tabla)"
        elif isinstance(operation, operations.AddField):
            model = state.apps.get_model(migration.app_label, operation.model_name)
            field = model._meta.get_field(operation.name)
            filled = model._base_manager.using(connection.alias).exclude(**{f"{field.name}__isnull": True})
            if field.has_default():
                filled = filled.exclude(**{field.name: field.get_default()})
            rows = filled.count()
            where = f"{migration.app_label}.{operation.model_name}.{operation.name}"
        else:
            continue
        if rows:
            lost.append(f"{where}: {rows} fila{'s' if rows != 1 else ''}")
    return lost
