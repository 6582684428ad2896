"""SQL queries per public page: at most 5 when the page is not served from the page cache and
nothing of it is kept yet (every part drawn from the database), and the same number with 1× and
100× the practices and several census editions."""

import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from migration.models import Department, DepartmentFigures
from portal.cache import clear_local_caches
from practices.models import Practice
from tests.factories import CensusEditionFactory, KeyFigureFactory, PracticeFactory

PAGES = [
    "/",
    "/migracion/",
    "/migracion/?sort=-emigrant_share",
    "/migracion/apurimac/",
    "/migracion/comparar/?d=lima&d=puno&d=apurimac",
    "/migracion/graficos/migrantes.json",
    "/migracion/graficos/departamento/lima.json",
    "/practicas/",
    "/practicas/?departamento=apurimac&q=credito&sort=-award_year",
    "/practicas/?page=2",
    "/practicas/sierra-sur/",
    "/practicas/categoria/promocion-del-desarrollo-economico/",
    "/practicas/institucion/minag/",
    "/practicas/feed/rss/",
    "/practicas/feed/atom/",
    "/buscar/?q=apurimac",
    "/acerca/",
    "/datos/",
    "/embed/migrants/",
    "/en/migracion/",
]
LIMIT = 5


def count_queries(client, path) -> int:
    cache.clear()  # from scratch: no kept parts (fragments, memoised data) either
    clear_local_caches()
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
