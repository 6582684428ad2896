"""Census editions get a status: the editions already there stay published; new ones start as drafts."""

from django.db import migrations, models

HELP = (
    "Una edición nueva es un borrador: sus cifras se cargan y revisan mientras el público sigue viendo la "
    "edición publicada. Se publica cuando sus cifras son coherentes (página «Coherencia»)."
)
CHOICES = [("draft", "Borrador"), ("published", "Publicada")]


def status_field(default: str):
    return models.CharField(choices=CHOICES, default=default, help_text=HELP, max_length=10, verbose_name="estado")


class Migration(migrations.Migration):
    dependencies = [
        ("migration", "0003_population_history_recent_migration"),
    ]

    operations = [
        # Existing editions (and their history) are what the public sees: published.
        migrations.AddField(model_name="censusedition", name="status", field=status_field("published")),
        migrations.AddField(model_name="historicalcensusedition", name="status", field=status_field("published")),
        # From now on a new edition is a draft until an editor publishes it.
        migrations.AlterField(model_name="censusedition", name="status", field=status_field("draft")),
        migrations.AlterField(model_name="historicalcensusedition", name="status", field=status_field("draft")),
        migrations.AddConstraint(
            model_name="censusedition",
            constraint=models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published"]),
                name="edition_status_valid",
                violation_error_message="Estado no válido.",
            ),
        ),
    ]
