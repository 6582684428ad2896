"""The English catalogue is in step with the code: every text visitors and editors read has its English version.

``makemessages`` is run on a copy of the project: it would add no message (an untranslated one), change none (a
fuzzy one) and remove none (a message the code no longer has) from ``locale/en/LC_MESSAGES/django.po``.
"""

import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

pytestmark = pytest.mark.database_independent  # reads files only: once, in the SQLite pass

SOURCES = ("manage.py", "portal", "migration", "practices", "templates", "locale")
CATALOGUE = "locale/en/LC_MESSAGES/django.po"


def test_makemessages_would_add_change_or_remove_no_english_message(tmp_path):
    for name in SOURCES:
        source = settings.BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "en", "--verbosity", "0"],
        cwd=tmp_path,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"},
    )
    committed = polib.pofile(str(settings.BASE_DIR / CATALOGUE))
    updated = polib.pofile(str(tmp_path / CATALOGUE))

    def key(entry):
        return (entry.msgctxt, entry.msgid, entry.msgid_plural)

    missing = [entry.msgid for entry in updated.untranslated_entries()]
    changed = [entry.msgid for entry in updated.fuzzy_entries()]
    gone = sorted({key(entry) for entry in committed} - {key(entry) for entry in updated if not entry.obsolete})
    assert not missing, f"{len(missing)} messages have no English version, e.g. {missing[:5]}"
    assert not changed, f"{len(changed)} messages changed in the code, e.g. {changed[:5]}"
    assert not gone, f"{len(gone)} messages are no longer in the code, e.g. {gone[:5]}"
