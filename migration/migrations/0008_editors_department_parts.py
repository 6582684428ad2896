"""Data migration: editors edit the parts INEI publishes a department in (Lima Metropolitana, Región Lima) on a
census's page, as they edit its departments' populations."""

from django.db import migrations

from portal.core.roles import sync_editors_group


def sync_group(apps, schema_editor):
    sync_editors_group(apps)


class Migration(migrations.Migration):
    dependencies = [("migration", "0007_census_2025_origin"), ("portal", "0007_editors_delete_unused_institutions")]

    operations = [migrations.RunPython(sync_group, migrations.RunPython.noop)]
