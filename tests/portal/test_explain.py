"""Every query of every public page can use an index on the large tables (PostgreSQL EXPLAIN).

With 100× the practices and three more census editions (``tests.factories.grow_data``), each SELECT
of each page is explained with sequential scans disabled: if PostgreSQL still plans a "Seq Scan" on a large table,
no index serves that query. The one documented exception is the catalogue's text search
(accent-insensitive ``LIKE '%palabra%'`` over several text fields): it reads the published
practices, which is fine for thousands of them; a pg_trgm index is the next step if the
catalogue ever grows to hundreds of thousands.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import grow_data
from tests.public_urls import PUBLIC_URLS

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: runs in the PostgreSQL pass of make test"
)

LARGE_TABLES = {
    "practices_practice",
    "practices_practice_departments",
    "practices_keyfigure",
    "migration_departmentfigures",
}
SEARCH_MARKER = "UNACCENT"


def sequential_scans(sql: str, params) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {table for table in re.findall(r"Seq Scan on (\w+)", plan) if table in LARGE_TABLES}


@pytest.mark.django_db
def test_no_public_page_query_needs_a_full_scan_of_a_large_table(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    grow_data(scale=100)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    problems = []
    for path in PUBLIC_URLS:
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        for query in context.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or SEARCH_MARKER in sql.upper():
                continue
            # Re-run with the parameters bound by the driver: EXPLAIN the exact statement.
            scans = sequential_scans(sql.replace("%", "%%"), None)
            if scans:
                problems.append(f"{path}: {sorted(scans)} in {sql[:300]}")
    assert problems == [], "\n".join(problems)
