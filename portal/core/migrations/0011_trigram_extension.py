"""PostgreSQL: enable pg_trgm, whose trigram similarity lets the site search forgive typos («cajamrca»).

SQLite has no such extension: the site search uses difflib there (``portal.core.search.ranked``).
"""

from django.db import migrations


def enable_pg_trgm(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("portal", "0010_pending_import_defaults_and_versions")]

    operations = [migrations.RunPython(enable_pg_trgm, migrations.RunPython.noop)]
