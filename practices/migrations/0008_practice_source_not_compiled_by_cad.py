"""The four 2009 practices' source line said «Elaboración: CAD Ciudadanos al Día» («Compiled by CAD…»): CAD
compiled the census figures, not these texts. The line is corrected where it is still the one the loader wrote
(an editor's own wording is left as it is)."""

from django.db import migrations

OLD = (
    "Premio Buenas Prácticas en Gestión Pública 2009, categoría Promoción del Desarrollo Económico. "
    "Elaboración: CAD Ciudadanos al Día."
)
NEW = "Premio Buenas Prácticas en Gestión Pública 2009 (Ciudadanos al Día), categoría Promoción del Desarrollo Económico."
OLD_EN = (
    "Good Practices in Public Management Award 2009, category Promotion of Economic Development. "
    "Compiled by CAD Ciudadanos al Día."
)
NEW_EN = (
    "Good Practices in Public Management Award 2009 (Ciudadanos al Día), category Promotion of Economic Development."
)


def forwards(apps, schema_editor):
    Practice = apps.get_model("practices", "Practice")
    Practice.objects.filter(source=OLD).update(source=NEW)
    Practice.objects.filter(source_en=OLD_EN).update(source_en=NEW_EN)


def backwards(apps, schema_editor):
    Practice = apps.get_model("practices", "Practice")
    Practice.objects.filter(source=NEW).update(source=OLD)
    Practice.objects.filter(source_en=NEW_EN).update(source_en=OLD_EN)


class Migration(migrations.Migration):
    dependencies = [("practices", "0007_markdown_length")]
    operations = [migrations.RunPython(forwards, backwards)]
