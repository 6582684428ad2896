"""Data migration: editors may add, change and delete photos (only unused ones: practices protect theirs) and
documents."""

from django.db import migrations

from portal.core.roles import sync_editors_group


def sync_group(apps, schema_editor):
    sync_editors_group(apps)


class Migration(migrations.Migration):
    dependencies = [("practices", "0009_photos_and_documents"), ("portal", "0008_plain_text")]

    operations = [migrations.RunPython(sync_group, migrations.RunPython.noop)]
