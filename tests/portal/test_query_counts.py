"""SQL queries per public page, drawn from scratch (empty cache: no page, no kept part, no summary):
the same number with 1× and 100× the practices and several census editions, on every public page
(``tests/public_urls.py``)."""

import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from migration.models import Department, DepartmentFigures
from practices.models import Practice
from tests.factories import CensusEditionFactory, KeyFigureFactory, PracticeFactory
from tests.public_urls import PUBLIC_URLS

PAGES = PUBLIC_URLS
LIMIT = 10  # a page that needs more is reading something per row


def count_queries(client, path) -> int:
    cache.clear()  # from scratch: no kept parts (page, {% cache %} parts, summary) either
    connection.features.supports_json_field  # noqa: B018 (SQLite probes this once per connection, not per page)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(context.captured_queries)


def grow_data():
    """100× the practices (400 more) and two more census editions of the 25 departments."""
    departments = list(Department.objects.all())
    rng = random.Random(7)
    for year, factor in ((2017, 1.1), (2022, 1.2)):
        edition = CensusEditionFactory(year=year)
        DepartmentFigures.objects.bulk_create(
            DepartmentFigures(
                edition=edition,
                department=row.department,
                population=int(row.population * factor),
                immigrants=int(row.immigrants * factor),
                emigrants=int(row.emigrants * factor),
            )
            for row in DepartmentFigures.objects.filter(edition__year=2007).select_related("department")
        )
    for practice in PracticeFactory.create_batch(400, departments=rng.sample(departments, 3)):
        KeyFigureFactory(practice=practice)


@pytest.mark.django_db
def test_public_pages_use_few_queries_whatever_the_amount_of_data(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # measure the pages themselves, not the page cache
    before = {path: count_queries(client, path) for path in PAGES}
    grow_data()
    assert Practice.objects.published().count() == 404
    after = {path: count_queries(client, path) for path in PAGES}
    assert after == before
    assert max(before.values()) <= LIMIT, before
    print("\nqueries per page, 1× and 100× data:", before)
