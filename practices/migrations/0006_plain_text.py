"""Existing practices, categories, institutions and key figures lose the control characters editors can no
longer store (a summary pasted from Word with U+000B broke the feeds and the XLSX downloads)."""

from django.db import migrations

from portal.core.text import clean_stored_text


def forwards(apps, schema_editor):
    for name in ("Category", "Institution", "Practice", "KeyFigure"):
        clean_stored_text(apps.get_model("practices", name))


class Migration(migrations.Migration):
    dependencies = [("practices", "0005_english_versions_and_source")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
