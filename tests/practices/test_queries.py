"""The number of SQL queries of the practice pages does not grow with the number of practices.

Each page is measured with 5 published practices (the seed and one more) and again with 200,
with their departments, categories and institutions attached; both counts must be equal.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices.models import Practice
from tests.factories import CategoryFactory, InstitutionFactory, KeyFigureFactory, PracticeFactory

from .conftest import CATEGORY_SLUG

PAGES = [
    "/practicas/",
    "/practicas/?departamento=apurimac",
    "/practicas/?q=apurimac&alcance=regional",
    "/practicas/?categoria=promocion-del-desarrollo-economico&sort=institution&page=2",
    "/practicas/sierra-sur/",
    "/practicas/credito-solidario-comunidades-campesinas/",
    f"/practicas/categoria/{CATEGORY_SLUG}/",
    "/practicas/institucion/minag/",
    "/migracion/apurimac/",
    "/migracion/",
    "/",
    "/practicas/feed/rss/",
    "/practicas/feed/atom/",
]


def queries_of(client, url: str) -> int:
    """Queries to render ``url`` from scratch (no page cache, no cached parts), after a first warm-up request."""
    for _ in range(2):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
    return len(captured)


def add_practices(seed, count: int, start: int = 0):
    """``count`` published practices spread over departments, categories and institutions."""
    categories = [seed.category, CategoryFactory(name=f"Categoría de carga {start}")]
    institutions = [seed.minag, seed.agrobanco, InstitutionFactory(name=f"Institución de carga {start}")]
    department_sets = [[seed.apurimac], [seed.apurimac, seed.cusco, seed.piura], [seed.lima], []]
    for index in range(count):
        departments = department_sets[index % len(department_sets)]
        practice = PracticeFactory(
            title=f"Práctica de carga {start + index:03d}",
            category=categories[index % 2],
            institution=institutions[index % 3],
            scope=Practice.Scope.REGIONAL if departments else Practice.Scope.NATIONAL,
            award_year=2010 + index % 5,
            departments=departments,
        )
        KeyFigureFactory.create_batch(2, practice=practice)


@pytest.fixture
def counts_with_5_and_200(client, seed):
    add_practices(seed, 1)
    assert Practice.objects.published().count() == 5
    small = {url: queries_of(client, url) for url in PAGES}

    add_practices(seed, 195, start=1)
    assert Practice.objects.published().count() == 200
    large = {url: queries_of(client, url) for url in PAGES}
    return small, large


def test_query_counts_do_not_grow_with_the_practices(counts_with_5_and_200):
    small, large = counts_with_5_and_200
    assert large == small
    # Each page was rendered, not served from the page cache (which needs a single query).
    assert all(count > 1 for count in small.values()), small


def test_the_larger_catalogue_is_really_shown(client, seed):
    """The measured pages do show the extra practices: 200 in the catalogue, 10 pages of 20."""
    add_practices(seed, 196)
    html = client.get("/practicas/").content.decode()
    assert "200 buenas prácticas" in html
    assert 'href="?page=10#resultados"' in html
