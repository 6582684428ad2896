"""SQL queries per public page, drawn from scratch (empty cache: no page, no kept part, no summary):
the same number with 1× and 100× the practices and several census editions, on every public page
(``tests/public_urls.py``). The data grows as in the benchmark (``tests.factories.grow_data``)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from migration.models import CensusEdition
from practices.models import Practice
from tests.factories import grow_data
from tests.public_urls import PUBLIC_URLS

PAGES = PUBLIC_URLS
LIMIT = 10  # a page that needs more is reading something per row
#: /datos/ builds the zip of every open-data file from scratch (to give their sizes): a query or two per file.
ZIP_PAGE, ZIP_LIMIT = "/datos/", 12


def count_queries(client, path) -> int:
    cache.clear()  # from scratch: no kept parts (page, {% cache %} parts, summary) either
    connection.features.supports_json_field  # noqa: B018 (SQLite probes this once per connection, not per page)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(context.captured_queries)


@pytest.mark.django_db
@pytest.mark.database_independent  # the ORM's queries, the same on both (PostgreSQL's plans: test_explain.py)
def test_public_pages_use_few_queries_whatever_the_amount_of_data(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # measure the pages themselves, not the page cache
    before = {path: count_queries(client, path) for path in PAGES}
    grow_data(scale=100)  # 100× the practices, three more census editions, one more population census
    assert Practice.objects.published().count() == 400
    assert CensusEdition.objects.public().count() == 4
    after = {path: count_queries(client, path) for path in PAGES}
    assert after == before
    assert max(count for path, count in before.items() if path != ZIP_PAGE) <= LIMIT, before
    assert before[ZIP_PAGE] <= ZIP_LIMIT, before
    print("\nqueries per page, 1× and 100× data:", before)
