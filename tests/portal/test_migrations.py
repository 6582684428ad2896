"""Every migration applies forward and back again; reversing one that would delete data is refused, saying what.

On PostgreSQL, the production database (in the PostgreSQL pass of the test command): operators roll back there, and
on SQLite each step back rebuilds its tables. Every migration forward on SQLite is how each SQLite run makes its test
database."""

import subprocess

import pytest
from django.db import connection

from tests.servers import PYTHON, ROOT, fresh_database, manage, portal_env

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: runs in the PostgreSQL pass of make test"
)


def refused(env, *args: str) -> str:
    """Runs manage.py, which must fail; its error output."""
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0, result.stdout
    return result.stderr


def test_migrations_go_forward_and_back_and_never_reverse_data_away_silently(
    tmp_path, django_db_blocker, migrated_database
):
    # Every migration forward on an empty database is how the test database was made (migrated_database is a copy
    # of it); all the way back on that empty copy (nothing to lose), and forward again.
    with django_db_blocker.unblock(), fresh_database(tmp_path, copy_of=migrated_database) as database_url:
        env = portal_env(database_url)
        back = "from django.core.management import call_command as run\n"
        back += "for app in ('practices', 'portal', 'migration'): run('migrate', app, 'zero', interactive=False)\n"
        back += "run('migrate', interactive=False, verbosity=0)"
        manage(env, "shell", "-c", back)  # one Python start for the three apps and forward again
        assert "buenas prácticas: 4 nuevos" in manage(env, "load_portal_data")

        # With the content in place, going back before the English sources (0006) would first empty Lima's two
        # INEI units (0007): refused before anything is reversed — not even 0008, which loses nothing — saying why.
        error = refused(env, "migrate", "migration", "0005", "--noinput")
        assert "No se revierte migration.0007_census_2025_origin: borraría datos" in error
        assert "migration.DepartmentPart (tabla): 2 filas" in error and "--discard-data" in error
        # Nothing reversed, nothing lost (8 censuses × 25 sources in English); one Python start for both.
        state = "from django.core.management import call_command; call_command('showmigrations', 'migration')\n"
        state += "from migration.models import CensusPopulation as P; print(P.objects.exclude(source_en='').count())"
        shown = manage(env, "shell", "-c", state)
        assert "[X] 0006_english_sources" in shown and "[X] 0008_editors_department_parts" in shown
        assert shown.split()[-1] == "200"

        # Asked for in so many words, it goes back and forward again.
        manage(env, "migrate", "migration", "0005", "--discard-data", "--noinput", "-v0")
        forward = "from django.core.management import call_command as run\n"
        forward += "run('migrate', interactive=False, verbosity=0)\n"
        forward += "run('showmigrations', 'portal', 'migration', 'practices')"
        assert "[ ]" not in manage(env, "shell", "-c", forward)  # one Python start for both
