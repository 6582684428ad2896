"""Data migration: editors may delete an institution (only an unused one: practices protect theirs)."""

from django.db import migrations

from portal.core.roles import sync_editors_group


def sync_group(apps, schema_editor):
    sync_editors_group(apps)


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_pending_import")]

    operations = [migrations.RunPython(sync_group, migrations.RunPython.noop)]
