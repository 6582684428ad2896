"""Existing text blocks lose the control characters editors can no longer store (see portal.text.plain_text)."""

from django.db import migrations

from portal.core.text import clean_stored_text


def forwards(apps, schema_editor):
    clean_stored_text(apps.get_model("portal", "ContentBlock"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0007_editors_delete_unused_institutions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
