"""An editor brings in a census through the editors' door: INEI's two workbooks as downloaded, in a real browser.

The portal runs on a database as it was before the 2025 census came in (loaded, then the 2025 census removed): the
editor creates the census (a draft, dated at the fieldwork's midpoint), imports 01_indicadores_demograficos.xlsx and
03_migracion.xlsx unmodified, sees the draft on the public pages (visitors do not), checks its coherence and
publishes it; visitors then see the figures INEI published — the same as ``data/census_2025_by_department.csv``.
"""

import pytest
from django.conf import settings

from tests.browser.conftest import PageProblems, signed_in_page
from tests.migration.test_census_2025 import ROWS, as_shown, expected
from tests.servers import fresh_database, gunicorn, manage, portal_env

pytestmark = pytest.mark.browser

WORKBOOKS = settings.BASE_DIR / "data" / "inei-2025"
BEFORE_THE_CENSUS = """
from migration.models import CensusPopulation, DepartmentPart, PopulationCensus
census = PopulationCensus.objects.get(year=2025)
DepartmentPart.objects.filter(census=census).delete()
CensusPopulation.objects.filter(census=census).delete()
census.delete()
"""


@pytest.fixture(scope="module")
def portal_before_2025(tmp_path_factory, django_db_blocker, prepared_database, _collected_static):
    """A portal of its own (this test changes its censuses): every census but the 2025 one."""
    tmp_path = tmp_path_factory.mktemp("census")
    with django_db_blocker.unblock(), fresh_database(tmp_path, copy_of=prepared_database) as database_url:
        env = portal_env(database_url)
        manage(env, "shell", "-c", BEFORE_THE_CENSUS)
        with gunicorn(env, tmp_path / "gunicorn.log") as base:
            yield base


def expected_row(name: str) -> list[str]:
    """The department's row of the balances table, computed from the tidy file of the same figures."""
    return as_shown(expected(ROWS[name]))


def import_workbook(page, base: str, resource: str, workbook: str) -> list[str]:
    """Upload an INEI workbook as downloaded on the import page of «Población por censo», the census chosen there;
    the preview's kinds of rows, after checking what it says of the reading. Confirms it."""
    page.goto(f"{base}/admin/migration/censuspopulation/import/")
    page.select_option("#id_resource", label=resource)
    page.select_option("#id_census", value="2025")
    page.fill("#id_source", "INEI – Censos Nacionales 2025")
    page.set_input_files("#id_import_file", str(WORKBOOKS / workbook))
    page.select_option("#id_format", label="xlsx")
    page.click("input[type=submit]")
    page.wait_for_selector("#import-result-title", timeout=60_000)
    assert page.inner_text("#import-result-title") == "Vista previa"
    assert not page.locator(".errorlist").count(), page.locator(".errorlist").all_inner_texts()
    kinds = page.locator("table.import-preview tbody td.import-type").all_inner_texts()
    reading = page.locator(".import-reading").inner_text()
    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist .success", timeout=60_000)
    return kinds, reading


def test_an_editor_brings_in_the_2025_census_from_inei_workbooks_as_downloaded(portal_before_2025, browser):
    base = portal_before_2025
    context = browser.new_context(locale="es-PE", viewport={"width": 1280, "height": 900})
    visitor = browser.new_context(locale="es-PE", viewport={"width": 375, "height": 800}, is_mobile=True)
    page = signed_in_page(base, context)

    # The census: a draft, dated at the midpoint of its fieldwork, with INEI's national total.
    page.goto(f"{base}/admin/migration/populationcensus/add/")
    page.fill("#id_year", "2025")
    page.select_option("#id_enumeration", value="de_jure")
    page.fill("#id_source", "INEI – Censos Nacionales 2025: XIII de Población, VIII de Vivienda y IV de Comunidades")
    page.fill("#id_census_date", "17/09/2025")
    page.fill("#id_fieldwork_start", "04/08/2025")
    page.fill("#id_fieldwork_end", "31/10/2025")
    page.fill("#id_national_population", "32,706,028")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    # INEI's table of population, then its tables of origin, each at the first attempt.
    kinds, reading = import_workbook(
        page, base, "Cuadro INDDEM01 del INEI (población por departamento y edad), tal como se descarga",
        "01_indicadores_demograficos.xlsx",
    )  # fmt: skip
    assert kinds == ["Nuevo"] * 25
    assert "hoja «INDDEM01»" in reading and "coincide con la suma de las filas" in reading  # PERÚ checked
    assert "«Lima Metropolitana» y «Región Lima» se guardan también por separado" in reading
    assert "25 filas nuevas" in page.inner_text(".messagelist")
    kinds, reading = import_workbook(
        page, base, "Cuadros MIG01 y MIG02 del INEI (residencia hace cinco años y al nacer), tal como se descargan",
        "03_migracion.xlsx",
    )  # fmt: skip
    assert kinds == ["Actualizar"] * 25
    assert "nacidos en el extranjero 1,052,977" in reading and "cinco años antes 156,788" in reading
    assert "25 actualizadas" in page.inner_text(".messagelist")

    # The editor sees the draft on the public pages, under its banner; a visitor does not.
    page.goto(f"{base}/migracion/balances/")
    assert "Borrador — el censo 2025 no es visible al público." in page.inner_text(".draft-banner")
    cajamarca = page.locator("table.data-table tbody tr", has_text="Cajamarca").first.locator("td").all_inner_texts()
    assert cajamarca == expected_row("Cajamarca")
    public = visitor.new_page()
    assert public.goto(f"{base}/migracion/balances/").status == 404
    public.goto(f"{base}/migracion/poblacion/")
    assert "2025" not in public.inner_text("h1") and not public.locator(".draft-banner").count()
    public.problems = PageProblems(public)  # from here on, every response of the visitor's pages is a 2xx

    # Coherent: «Publicar este censo», after its confirmation.
    page.goto(f"{base}/admin/migration/populationcensus/")
    page.click("#result_list tr:has-text('2025') a:has-text('Coherente')")
    assert "Las cifras son coherentes." in page.inner_text("#content")
    page.click("input[name=_publish]")
    assert "Será el censo más reciente del portal" in page.inner_text("#content")
    page.click("input[name=_confirmed]")
    assert "está publicado" in page.inner_text(".messagelist .success")

    # Visitors now see the census, with Lima's two INEI units on its profile, on a phone.
    public.goto(f"{base}/migracion/balances/")
    assert not public.locator(".draft-banner").count()
    row = public.locator("table.data-table tbody tr", has_text="Cajamarca").first.locator("td").all_inner_texts()
    assert row == expected_row("Cajamarca")
    assert "1,052,977" in public.inner_text("main")
    public.goto(f"{base}/migracion/lima/")
    parts = public.inner_text("table:has(#partes-tabla)")
    assert "Lima Metropolitana" in parts and "Región Lima" in parts
    assert public.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.problems.errors == [] and public.problems.errors == []
    context.close()
    visitor.close()
