"""Data migration: the "Editores" group and its permissions (idempotent, reversible)."""

from django.db import migrations

from portal.core.roles import EDITORS_GROUP, sync_editors_group


def create_group(apps, schema_editor):
    sync_editors_group(apps)


def delete_group(apps, schema_editor):
    """Reversed: the group goes only when nobody is in it (editors keep their group otherwise)."""
    apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0002_historicalcontentblock"),
        ("migration", "0002_historicalcensusedition_historicaldepartment_and_more"),
        ("practices", "0003_historicalcategory_historicalinstitution_and_more"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
