"""SQL queries per public page: at most 6 (the department profile; 5 elsewhere) when the page is not
served from the page cache and nothing of it is kept yet (every part drawn from the database), and the
same number with 1× and 100× the practices, several census editions and more population censuses."""

import datetime
import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from migration.models import CensusPopulation, Department, DepartmentFigures, PopulationCensus, RecentMigration
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
    "/migracion/poblacion/",
    "/migracion/poblacion/?sort=-growth_2007_2017",
    "/migracion/reciente/",
    "/migracion/reciente/?indicador=inmigracion&sort=-net_rate",
    "/migracion/graficos/poblacion.json",
    "/migracion/graficos/poblacion/lima.json",
    "/migracion/graficos/migracion-reciente.json",
    "/en/migracion/reciente/",
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
# A department's profile reads the most: the content version, the census summary, its two practice lists,
# its population in every census and its recent migration (6). Every other page reads at most 5.
LIMIT = 6


def count_queries(client, path) -> int:
    cache.clear()  # from scratch: no kept parts (fragments, memoised data) either
    clear_local_caches()
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
    assert max(before.values()) <= LIMIT, before
