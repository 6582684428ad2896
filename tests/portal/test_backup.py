"""Backup and restore (README, "Copias de seguridad"): dump → fresh database → load → every object equal.

Runs against SQLite, and against PostgreSQL in the PostgreSQL pass of the test command.
"""

import json

from tests.servers import EDITOR, fresh_database, manage, portal_env, prepare_database


def objects(path) -> list[str]:
    """Every object of a dump, as canonical JSON, sorted (the order of rows is not part of the data)."""
    return sorted(json.dumps(item, sort_keys=True, ensure_ascii=False) for item in json.loads(path.read_text()))


def test_dump_and_restore_into_a_fresh_database_keeps_every_object(tmp_path, django_db_blocker):
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    source_dir.mkdir()
    target_dir.mkdir()
    with (
        django_db_blocker.unblock(),
        fresh_database(source_dir) as source_url,
        fresh_database(target_dir) as target_url,
    ):
        source = portal_env(source_url)
        prepare_database(source)  # migrations, the source data and an editor account
        backup = tmp_path / "backup.json"
        manage(source, "backup", "-o", str(backup))

        target = portal_env(target_url)
        manage(target, "migrate", "--noinput", "-v0")
        manage(target, "restore", str(backup))
        restored = tmp_path / "restored.json"
        manage(target, "backup", "-o", str(restored))

    original = objects(backup)
    assert len(original) > 100  # 25 departments, 25 figures, practices, history, the editor…
    lost = sorted(set(original) - set(objects(restored)))
    added = sorted(set(objects(restored)) - set(original))
    assert (lost, added) == ([], []), f"lost: {lost[:2]}\nadded: {added[:2]}"
    assert objects(restored) == original
    models = {json.loads(item)["model"] for item in original}
    assert {"migration.departmentfigures", "practices.practice", "portal.contentblock", "auth.user"} <= models
    assert any(EDITOR["username"] in item for item in original)
