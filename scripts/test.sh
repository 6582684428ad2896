#!/usr/bin/env bash
# The project's test command (make test, CI): lint, Django checks, then the whole
# pytest suite on SQLite and again on a throwaway PostgreSQL cluster.
# Extra arguments go to pytest, e.g. scripts/test.sh -k sorting
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-test-only-secret-key-not-for-production}"
export DJANGO_DEBUG=0
unset DATABASE_URL

scripts/system-packages.sh

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .
echo "== manage.py check / makemigrations --check"
$BIN/python manage.py check --fail-level WARNING
$BIN/python manage.py makemigrations --check --dry-run

echo "== collectstatic (pages are tested with the production static storage)"
$BIN/python manage.py collectstatic --noinput --clear -v0

echo "== pytest on SQLite"
$BIN/python -m pytest "$@"

echo "== pytest on PostgreSQL"
# The reading tests (layout at three widths in two languages, focus, CLS) check what the browser draws,
# not what the database answers: they run once, in the SQLite pass, to keep the suite well under 15 minutes.
scripts/with-postgres.sh $BIN/python -m pytest --ignore=tests/browser/test_reading.py "$@"
