"""Backup and restore (README, "Copias de seguridad"): dump → fresh database → load → every object equal, and every
photo, rendition and document a row refers to (current or in the history) restored byte for byte.

Runs against SQLite, and against PostgreSQL in the PostgreSQL pass of the test command.
"""

import json
import re
import subprocess
import zipfile

from tests.servers import EDITOR, PYTHON, ROOT, fresh_database, manage, portal_env


def data_file(path):
    """The JSON of a backup: the file itself, or the ``datos.json`` of a .zip (written beside it)."""
    if path.suffix != ".zip":
        return path
    with zipfile.ZipFile(path) as archive:
        path.with_suffix(".json").write_bytes(archive.read("datos.json"))
    return path.with_suffix(".json")


def objects(path) -> list[str]:
    return json_objects(data_file(path))


def json_objects(path) -> list[str]:
    """Every object of a dump, as canonical JSON, sorted (the order of rows is not part of the data).

    Django writes times to the millisecond: a time whose milliseconds are 0 is written "…:52.000Z" when it
    had microseconds and "…:52Z" once restored without them; both are the same instant, written one way here.
    """
    dumped = (json.dumps(item, sort_keys=True, ensure_ascii=False) for item in json.loads(path.read_text()))
    return sorted(re.sub(r"(T\d\d:\d\d:\d\d)\.000(?=Z|[+-]\d\d:)", r"\1", text) for text in dumped)


VERSION = "from portal.core.cache import read_content_version; print(read_content_version())"
EDIT = (
    "from migration.models import DepartmentFigures as F; "
    "row = F.objects.get(department__slug='lima'); row.immigrants += 1; row.save()"
)


# A photo and a document on a practice, and a document deleted since (only the history refers to it now).
MEDIA = (
    "from practices.models import Practice; from tests.factories import photo, document; "
    "p = Practice.objects.get(slug='sierra-sur'); photo(p); document(p); "
    "document(p, title='Borrador', content=__import__('tests.factories').factories.pdf_bytes(pages=1)).delete()"
)


def files(folder) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def versions_around(env, code: str) -> tuple[str, str]:
    """The content version before and after running ``code`` (Python), in one Python start."""
    before, after = manage(env, "shell", "-c", f"{VERSION}\n{code}\n{VERSION}").strip().splitlines()[-2:]
    return before, after


def backup_while_an_editor_saves(env, backup) -> None:
    """``manage.py backup`` while Lima's figures are saved again and again, each save in one transaction (the row
    and its history record), as the admin saves."""
    saves = "import time\nfrom django.db import transaction\nsaved = 0\nwhile True:\n    time.sleep(0.01)\n"
    saves += "    with transaction.atomic():\n        " + EDIT.replace("; ", "\n        ")
    saves += "\n    saved += 1\n    if saved == 1:\n        print('guardado', flush=True)"
    editor = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [PYTHON, "manage.py", "shell", "-c", saves],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        while editor.stdout.readline().strip() != "guardado":  # the first save is committed (after the shell's notice)
            assert editor.poll() is None, "the editor's saves stopped"
        manage(env, "backup", "-o", str(backup))
    finally:
        editor.kill()
        editor.wait()


def lima_row_and_history(path) -> tuple[int, int]:
    """Lima's immigrants in the backup's figures row, and in its latest history record."""
    items = json.loads(path.read_text())
    lima = next(
        item["pk"] for item in items if item["model"] == "migration.department" and item["fields"]["slug"] == "lima"
    )
    row = next(
        item
        for item in items
        if item["model"] == "migration.departmentfigures" and item["fields"]["department"] == lima
    )
    history = [
        item
        for item in items
        if item["model"] == "migration.historicaldepartmentfigures" and item["fields"]["id"] == row["pk"]
    ]
    return row["fields"]["immigrants"], max(history, key=lambda item: item["pk"])["fields"]["immigrants"]


def test_dump_and_restore_into_a_fresh_database_keeps_every_object(
    tmp_path, django_db_blocker, prepared_database, migrated_database
):
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    source_dir.mkdir()
    target_dir.mkdir()
    with (
        django_db_blocker.unblock(),
        fresh_database(source_dir, copy_of=prepared_database) as source_url,  # the source data, editor accounts
        fresh_database(target_dir, copy_of=migrated_database) as target_url,  # migrated, empty: a new server's
    ):
        source = portal_env(source_url, DJANGO_MEDIA_ROOT=str(source_dir / "media"))
        manage(source, "shell", "-c", MEDIA)
        backup = tmp_path / "backup.zip"
        backup_while_an_editor_saves(source, backup)
        # When the saves stopped, right after the backup; then an edit after the backup, lost with the old server…
        at_backup, after_backup = versions_around(source, EDIT)
        row, history = lima_row_and_history(data_file(backup))
        assert row == history  # one snapshot: the row and its history agree

        target = portal_env(target_url, DJANGO_MEDIA_ROOT=str(target_dir / "media"))
        manage(target, "restore", str(backup))
        restored = tmp_path / "restored.zip"
        manage(target, "backup", "-o", str(restored))
        # The content version never comes back to the lost edit's (pages kept under it show other figures),
        # neither after the restore nor after the first edit on the restored database (same history id).
        restored_version, edited_version = versions_around(target, EDIT)
        assert restored_version != after_backup
        assert edited_version not in (at_backup, after_backup, restored_version)

    original = objects(backup)
    assert len(original) > 100  # 25 departments, 25 figures, practices, history, the editor…
    lost = sorted(set(original) - set(objects(restored)))
    added = sorted(set(objects(restored)) - set(original))
    assert (lost, added) == ([], []), f"lost: {lost[:2]}\nadded: {added[:2]}"
    assert objects(restored) == original
    models = {json.loads(item)["model"] for item in original}
    assert {"migration.departmentfigures", "practices.practice", "portal.contentblock", "auth.user"} <= models
    assert any(EDITOR["username"] in item for item in original)

    # The photo (drawn again, 11 renditions) and both documents, the deleted one too: the history refers to it.
    stored, restored_files = files(source_dir / "media"), files(target_dir / "media")
    assert restored_files == stored
    assert sum(name.endswith(".pdf") for name in stored) == 2
    assert sum(name.endswith(".webp") for name in stored) == 5
