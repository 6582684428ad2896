"""The public URLs with their usual query strings, in one list.

Shared by the never-500 (``tests/portal/test_never_500.py``), query-count
(``tests/portal/test_query_counts.py``) and caching (``tests/portal/test_caching.py``) tests:
a page added to the site is added here, and all three check it.
"""

from urllib.parse import urlsplit

PUBLIC_URLS = [
    # Home: map indicator, census edition, both languages.
    "/",
    "/?indicador=saldo",
    "/?indicador=inmigrantes&edicion=2007",
    "/en/",
    "/en/?indicador=saldo",
    # The 25 departments: sort, map indicator, edition, download.
    "/migracion/",
    "/migracion/?sort=-emigrant_share",
    "/migracion/?sort=population&indicador=saldo",
    "/migracion/?edicion=2007&indicador=inmigrantes&sort=-net_migration",
    "/migracion/?sort=-practice_count",
    "/migracion/?descargar=csv&sort=-population",
    "/en/migracion/?sort=immigrants",
    # Population in every census, recent migration.
    "/migracion/poblacion/",
    "/migracion/poblacion/?sort=-population_1940&crecimiento_sort=-growth_2007_2017",  # each table its own order
    "/migracion/poblacion/?descargar=csv",  # not xlsx: the file holds the time it was written
    "/migracion/reciente/",
    "/migracion/reciente/?indicador=inmigracion&sort=-net_rate",
    "/migracion/reciente/?descargar=json",
    "/en/migracion/reciente/",
    # Birth and residence in the newest census (2025): map indicator, sort, download, both languages.
    "/migracion/balances/",
    "/migracion/balances/?indicador=reciente&sort=-lifetime_balance",
    "/en/migracion/balances/?sort=recent_balance_share&descargar=csv",
    # A department, a comparison.
    "/migracion/apurimac/",
    "/migracion/lima/?edicion=2007",
    "/en/migracion/cusco/",
    "/migracion/comparar/?d=lima&d=puno&d=apurimac",
    "/migracion/comparar/?d=cusco&d=piura&edicion=2007",
    "/migracion/comparar/",
    # Chart data (django-chartjs).
    "/migracion/graficos/migrantes.json",
    # The departments' names for the search boxes' suggestions.
    "/migracion/departamentos.json",
    "/en/migracion/departamentos.json",
    "/migracion/graficos/saldo-migratorio.json?edicion=2007",
    "/migracion/graficos/departamento/lima.json",
    "/migracion/graficos/comparacion.json?d=lima&d=puno",
    "/migracion/graficos/comparacion-poblacion.json?d=lima&d=puno&d=cusco",
    "/migracion/graficos/poblacion.json",
    "/migracion/graficos/poblacion-porcentaje.json",
    "/migracion/graficos/poblacion/lima.json",
    "/migracion/graficos/migracion-reciente.json",
    "/migracion/graficos/migracion-reciente-saldo.json",
    "/migracion/graficos/balance-reciente.json",
    "/migracion/graficos/nacidos-en-otro-pais.json",
    # The catalogue: filters, search, sort, page, download, both languages.
    "/practicas/",
    "/practicas/?departamento=apurimac",
    "/practicas/?categoria=promocion-del-desarrollo-economico&sort=-title",
    "/practicas/?anio=2009&alcance=regional",
    "/practicas/?institucion=minag&sort=institution",
    "/practicas/?q=credito",
    "/practicas/?sort=award_year&page=1",
    "/practicas/?page=2",
    "/practicas/?departamento=apurimac&descargar=csv",
    "/en/practicas/?alcance=national",
    "/en/practicas/?descargar=csv",
    # A practice, a category, an institution, the feeds.
    "/practicas/sierra-sur/",
    "/en/practicas/sierra-sur/",
    "/practicas/categoria/promocion-del-desarrollo-economico/",
    "/practicas/institucion/minag/",
    "/practicas/feed/rss/",
    "/en/practicas/feed/atom/",
    # Search, about, data, embed.
    "/buscar/?q=apurimac",
    "/en/buscar/?q=credito",
    "/acerca/",
    "/en/acerca/",
    "/datos/",
    "/embed/migrants/",
    "/en/embed/net-migration/",
    # For search engines and load balancers.
    "/sitemap.xml",
    "/robots.txt",
    "/salud/",
]

#: The same pages without their query strings (the never-500 test generates its own).
PUBLIC_PATHS = sorted({urlsplit(url).path for url in PUBLIC_URLS})
