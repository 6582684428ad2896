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
# The suite starts about a hundred Python processes (gunicorn workers, manage.py commands): each reuses the modules
# the first one compiled (__pycache__), even where the environment says not to write them (as CI's does).
unset PYTHONDONTWRITEBYTECODE

scripts/system-packages.sh

# Whatever stops this script (a failed check, Ctrl-C), what it started stops and its logs go.
static_pid="" pg_pid="" static_log="" pg_log=""
cleanup() {
  [ -n "$static_pid" ] && kill "$static_pid" 2>/dev/null
  [ -n "$pg_pid" ] && kill -- -"$pg_pid" 2>/dev/null
  rm -f "$static_log" "$pg_log"
}
trap cleanup EXIT

# Pages are tested with the production static storage: collectstatic runs (8 s) while the checks do.
static_log=$(mktemp /tmp/portal-collectstatic.XXXXXX)
$BIN/python manage.py collectstatic --noinput --clear -v0 >"$static_log" 2>&1 &
static_pid=$!

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .
echo "== import contracts (pyproject.toml: the kernel imports no app, migration never imports practices…)"
$BIN/lint-imports --no-logo --no-cache
echo "== manage.py check / makemigrations --check"
$BIN/python manage.py check --fail-level WARNING
$BIN/python manage.py makemigrations --check --dry-run

echo "== collectstatic"
static_status=0
wait "$static_pid" || static_status=$?
static_pid=""
cat "$static_log"
[ "$static_status" -eq 0 ]

# The two passes run at the same time, each in its own process with its own database: on a machine with
# two cores or more the suite takes about as long as the longer pass. The PostgreSQL pass writes to a log that is
# printed after the SQLite pass; the command fails if either pass fails.
# The PostgreSQL pass runs the tests where the database matters; those marked database_independent (HTTP
# parsing, headers) run once, in the SQLite pass. The real-browser tests run once, split so that the two passes
# take about as long: those that act (editors, imports, downloads) against a portal on PostgreSQL, the production
# database; those that read (test_reading.py, test_map.py, test_wide_tables.py, test_charts.py, test_readers.py,
# test_api_docs.py) on SQLite.
# With arguments (scripts/test.sh -k sorting) both passes run them, the browser tests in the SQLite pass only.
ON_POSTGRES=(tests/browser/test_admin_editor.py tests/browser/test_census_import.py
  tests/browser/test_editor_imports.py tests/browser/test_editor_publishes_practice.py
  tests/browser/test_practice_photos.py tests/browser/test_public_pages.py tests/browser/test_two_editors.py)
if [ "$#" -eq 0 ]; then
  sqlite_args=("${ON_POSTGRES[@]/#/--ignore=}")
  pg_args=(-m "not database_independent" tests/migration tests/portal tests/practices "${ON_POSTGRES[@]}")
else
  sqlite_args=("$@")
  pg_args=(-m "not browser and not database_independent" "$@")
fi
pg_log=$(mktemp /tmp/portal-pytest-postgres.XXXXXX)
# setsid: the pass and everything it starts form one process group, stopped together if this script stops early.
# It keeps its own pytest cache folder, so that --lf and --ff still work for both passes.
setsid scripts/with-postgres.sh $BIN/python -m pytest -o cache_dir=.pytest_cache/postgres "${pg_args[@]}" \
  >"$pg_log" 2>&1 &
pg_pid=$!

echo "== pytest on SQLite (PostgreSQL pass running alongside)"
sqlite_status=0
$BIN/python -m pytest "${sqlite_args[@]}" || sqlite_status=$?

pg_status=0
wait "$pg_pid" || pg_status=$?
pg_pid=""  # finished: nothing left for the exit trap to stop
echo "== pytest on PostgreSQL"
cat "$pg_log"

echo "== SQLite pass: exit $sqlite_status; PostgreSQL pass: exit $pg_status"
[ "$sqlite_status" -eq 0 ] && [ "$pg_status" -eq 0 ]
