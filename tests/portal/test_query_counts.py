"""SQL queries per public page, drawn from scratch (empty cache: no page, no kept part, no summary):
the same number with 1× and 100× the practices and several census editions, on every public page
(``tests/public_urls.py``)."""

import datetime
import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from migration.models import CensusPopulation, Department, DepartmentFigures, PopulationCensus, RecentMigration
from practices.models import Practice
from tests.factories import CensusEditionFactory, KeyFigureFactory, PracticeFactory
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


def grow_data():
    """100× the practices (400 more), two more census editions of the 25 departments, one more population
    census and recent migration of another census."""
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
    census = PopulationCensus.objects.create(
        year=2027, census_date=datetime.date(2027, 10, 24), national_population=32_000_000, source="Sintético"
    )
    CensusPopulation.objects.bulk_create(
        CensusPopulation(census=census, department=department, population=1_280_000, source="Sintético")
        for department in departments
    )
    for area in RecentMigration.objects.filter(census__year=2007).prefetch_related("departments"):
        copy = RecentMigration.objects.create(
            census=census,
            name=area.name,
            population_5plus=area.population_5plus,
            native_total=area.native_total,
            native_present=area.native_present,
            immigrants=area.immigrants,
            emigrants=area.emigrants,
            source="Sintético",
        )
        copy.departments.set(area.departments.all())
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
    assert max(count for path, count in before.items() if path != ZIP_PAGE) <= LIMIT, before
    assert before[ZIP_PAGE] <= ZIP_LIMIT, before
    print("\nqueries per page, 1× and 100× data:", before)
