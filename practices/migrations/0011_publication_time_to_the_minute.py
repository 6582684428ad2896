# Publication times are set to the minute from now on (practices.models.publication_time); the fractions of a
# second already stored (the loader's timezone.now()) are dropped, in the history too, so that an import of an
# exported file, which has none, records no phantom «fecha de publicación» change. Seconds stay as they are.

from django.db import migrations, models

import practices.models


def drop_fractions_of_a_second(apps, schema_editor):
    for name in ("Practice", "HistoricalPractice"):
        model = apps.get_model("practices", name)
        key = model._meta.pk.name
        changed = []
        for row in model.objects.only(key, "published_at").iterator():
            if row.published_at.microsecond:
                row.published_at = row.published_at.replace(microsecond=0)
                changed.append(row)
        model.objects.bulk_update(changed, ["published_at"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0010_editors_photos_and_documents"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalpractice",
            name="published_at",
            field=models.DateTimeField(
                db_index=True,
                default=practices.models.publication_time,
                help_text="Una fecha futura programa la publicación: la práctica aparece sola cuando llega.",
                verbose_name="fecha de publicación",
            ),
        ),
        migrations.AlterField(
            model_name="practice",
            name="published_at",
            field=models.DateTimeField(
                db_index=True,
                default=practices.models.publication_time,
                help_text="Una fecha futura programa la publicación: la práctica aparece sola cuando llega.",
                verbose_name="fecha de publicación",
            ),
        ),
        migrations.RunPython(drop_fractions_of_a_second, migrations.RunPython.noop),
    ]
