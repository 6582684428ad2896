"""Every migration applies forward and back again; reversing one that would delete data is refused, saying what."""

import subprocess

from tests.servers import PYTHON, ROOT, fresh_database, manage, portal_env


def refused(env, *args: str) -> str:
    """Runs manage.py, which must fail; its error output."""
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0, result.stdout
    return result.stderr


def test_migrations_go_forward_and_back_and_never_reverse_data_away_silently(tmp_path, django_db_blocker):
    with django_db_blocker.unblock(), fresh_database(tmp_path) as database_url:
        env = portal_env(database_url)
        # Every migration forward and all the way back, on an empty database (nothing to lose), and forward again.
        manage(env, "migrate", "--noinput", "-v0")
        for app in ("practices", "portal", "migration"):
            manage(env, "migrate", app, "zero", "--noinput", "-v0")
        manage(env, "migrate", "--noinput", "-v0")
        assert "buenas prácticas: 4 nuevos" in manage(env, "load_portal_data")

        # With the content in place, reversing the English sources (0006) would empty them: refused, saying why.
        error = refused(env, "migrate", "migration", "0005", "--noinput")
        assert "No se revierte migration.0006_english_sources: borraría datos" in error
        assert "migration.censuspopulation.source_en: 175 filas" in error and "--discard-data" in error
        assert "[X] 0006_english_sources" in manage(env, "showmigrations", "migration")  # nothing reversed
        english = "from migration.models import CensusPopulation as P; print(P.objects.exclude(source_en='').count())"
        assert manage(env, "shell", "-c", english).split()[-1] == "175"  # nothing lost

        # Asked for in so many words, it goes back and forward again.
        manage(env, "migrate", "migration", "0005", "--discard-data", "--noinput", "-v0")
        manage(env, "migrate", "--noinput", "-v0")
        assert "[ ]" not in manage(env, "showmigrations", "portal", "migration", "practices")
