"""Data migration: editors may also keep the population censuses and the recent migration current."""

from django.db import migrations

from portal.core.roles import sync_editors_group


def sync_group(apps, schema_editor):
    sync_editors_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_content_block_english"),
        ("migration", "0003_population_history_recent_migration"),
    ]

    operations = [migrations.RunPython(sync_group, migrations.RunPython.noop)]
