"""Existing departments, census editions, population censuses and recent-migration rows lose the control characters editors can no longer store."""

from django.db import migrations

from portal.core.text import clean_stored_text


def forwards(apps, schema_editor):
    for name in ("Department", "CensusEdition", "PopulationCensus", "CensusPopulation", "RecentMigration"):
        clean_stored_text(apps.get_model("migration", name))


class Migration(migrations.Migration):
    dependencies = [("migration", "0004_census_edition_status")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
