"""Every migration applies forward on an empty database and on one with the seed data, and back again."""

from tests.servers import fresh_database, manage, portal_env


def test_migrations_forward_on_empty_and_seeded_database_and_backwards(tmp_path, django_db_blocker):
    with django_db_blocker.unblock(), fresh_database(tmp_path) as database_url:
        env = portal_env(database_url)
        manage(env, "migrate", "--noinput", "-v0")  # empty database
        assert "buenas prácticas: 4 nuevos" in manage(env, "load_portal_data")

        # Back to before the data migration (the Editores group is removed), then forward again.
        manage(env, "migrate", "portal", "0002", "--noinput", "-v0")
        manage(env, "migrate", "--noinput", "-v0")
        assert "[ ]" not in manage(env, "showmigrations", "portal", "migration", "practices")

        # All the way back with the seed data in place, and forward again: an empty, working database.
        manage(env, "migrate", "practices", "zero", "--noinput", "-v0")
        manage(env, "migrate", "portal", "zero", "--noinput", "-v0")
        manage(env, "migrate", "migration", "zero", "--noinput", "-v0")
        manage(env, "migrate", "--noinput", "-v0")
        output = manage(env, "load_portal_data")
        assert "cifras por departamento: 25 nuevos" in output
        assert "Editores" in manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth.models import Group; print(*Group.objects.values_list('name', flat=True))",
        )
