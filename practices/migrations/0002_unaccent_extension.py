"""PostgreSQL: enable the unaccent extension used by accent-insensitive search.

SQLite gets an equivalent UNACCENT function on each connection (portal.search).
"""

from django.db import migrations


def enable_unaccent(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(enable_unaccent, migrations.RunPython.noop)]
