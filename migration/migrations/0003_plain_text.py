"""Existing departments and census editions lose the control characters editors can no longer store."""

from django.db import migrations

from portal.text import clean_stored_text


def forwards(apps, schema_editor):
    for name in ("Department", "CensusEdition"):
        clean_stored_text(apps.get_model("migration", name))


class Migration(migrations.Migration):
    dependencies = [("migration", "0002_historicalcensusedition_historicaldepartment_and_more")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
