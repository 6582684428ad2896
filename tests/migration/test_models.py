"""The invariants of the census figures: refused with a Spanish message in forms, and by the database itself.

Plus: a later census edition is added with data only (no code change) and becomes what the pages show.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from migration.models import CensusEdition, Department, DepartmentFigures
from tests.conftest import text_of
from tests.factories import CensusEditionFactory, DepartmentFiguresFactory

# Django's own (Spanish) messages for the field validators, which run before the constraints.
AT_LEAST_ZERO = "Asegúrese de que este valor es mayor o igual a 0."
AT_MOST_100 = "Asegúrese de que este valor es menor o igual a 100."

NEGATIVE_MIGRANTS = "Inmigrantes y emigrantes no pueden ser negativos."
POPULATION_POSITIVE = "La población debe ser mayor que cero."
IMMIGRANTS_WITHIN_POPULATION = "Los inmigrantes no pueden superar la población del departamento."
DUPLICATE = "Este departamento ya tiene cifras para esta edición del censo."
SHARE_PERCENTAGE = "El porcentaje de nacidos en otro país debe estar entre 0 y 100."
NATIONAL_POPULATION_POSITIVE = "La población nacional debe ser mayor que cero."


@pytest.fixture
def edition_2007(db):
    return CensusEdition.objects.get(year=2007)


@pytest.fixture
def lima(db):
    return Department.objects.get(slug="lima")


@pytest.fixture
def new_edition(db):
    """An edition without figures, so that a department's figures for it are not duplicates."""
    return CensusEditionFactory(year=2017)


def figures(edition, department, **values):
    return DepartmentFigures(
        edition=edition,
        department=department,
        **{"population": 1_000, "immigrants": 100, "emigrants": 200, **values},
    )


def errors(instance, method="full_clean") -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        getattr(instance, method)()
    return caught.value.message_dict


def assert_refused_by_database(save):
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


# Valid figures ------------------------------------------------------------------------------


def test_valid_figures_pass(new_edition, lima):
    figures(new_edition, lima).full_clean()
    # The limits themselves are allowed: nobody migrates, or everybody living there was born elsewhere.
    figures(new_edition, lima, immigrants=0, emigrants=0).full_clean()
    figures(new_edition, lima, population=1_000, immigrants=1_000).full_clean()


def test_the_loaded_data_satisfies_every_invariant(edition_2007):
    rows = DepartmentFigures.objects.filter(edition=edition_2007)
    assert rows.count() == 25
    for row in rows:
        row.full_clean()
    edition_2007.full_clean()


# Negative figures ---------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["immigrants", "emigrants"])
def test_negative_migrants_refused_by_validation(new_edition, lima, field):
    instance = figures(new_edition, lima, **{field: -1})
    # In a form the field itself is marked, in Spanish.
    assert errors(instance) == {field: [AT_LEAST_ZERO]}
    # The constraint states the rule in its own words.
    assert errors(instance, "validate_constraints") == {"__all__": [NEGATIVE_MIGRANTS]}


@pytest.mark.parametrize("field", ["immigrants", "emigrants"])
def test_negative_migrants_refused_by_database(new_edition, lima, field):
    assert_refused_by_database(lambda: figures(new_edition, lima, **{field: -1}).save())
    existing = DepartmentFigures.objects.get(edition__year=2007, department=lima)
    assert_refused_by_database(lambda: DepartmentFigures.objects.filter(pk=existing.pk).update(**{field: -5}))
    existing.refresh_from_db()
    assert (existing.immigrants, existing.emigrants) == (2_781_145, 404_711)


def test_negative_population_refused_by_validation(new_edition, lima):
    instance = figures(new_edition, lima, population=-1)
    assert errors(instance) == {"population": [AT_LEAST_ZERO]}
    assert POPULATION_POSITIVE in errors(instance, "validate_constraints")["__all__"]


def test_negative_population_refused_by_database(new_edition, lima):
    assert_refused_by_database(lambda: figures(new_edition, lima, population=-1, immigrants=0).save())


# Population zero ------------------------------------------------------------------------------


def test_population_zero_refused_by_validation(new_edition, lima):
    # A share of a population of zero would divide by zero on every page.
    instance = figures(new_edition, lima, population=0, immigrants=0)
    assert errors(instance) == {"__all__": [POPULATION_POSITIVE]}


def test_population_zero_refused_by_database(new_edition, lima):
    assert_refused_by_database(lambda: figures(new_edition, lima, population=0, immigrants=0).save())
    assert_refused_by_database(
        lambda: DepartmentFigures.objects.filter(edition__year=2007, department=lima).update(population=0)
    )


# More immigrants than inhabitants -----------------------------------------------------------------


def test_immigrants_above_population_refused_by_validation(new_edition, lima):
    instance = figures(new_edition, lima, population=1_000, immigrants=1_001)
    # By its field, quoting the limit (the database constraint keeps the general message).
    assert errors(instance) == {
        "immigrants": ["Los inmigrantes no pueden superar la población del departamento, 1,000."]
    }


def test_immigrants_above_population_refused_by_database(new_edition, lima):
    assert_refused_by_database(lambda: figures(new_edition, lima, population=1_000, immigrants=1_001).save())
    assert_refused_by_database(
        lambda: DepartmentFigures.objects.filter(edition__year=2007).update(immigrants=F("population") + 1)
    )
    assert DepartmentFigures.objects.get(edition__year=2007, department=lima).immigrants == 2_781_145


# One row per department and edition -----------------------------------------------------------------


def test_duplicate_department_and_edition_refused_by_validation(edition_2007, lima):
    instance = figures(edition_2007, lima)
    assert errors(instance) == {"__all__": [DUPLICATE]}


def test_duplicate_department_and_edition_refused_by_database(edition_2007, lima):
    assert_refused_by_database(lambda: figures(edition_2007, lima).save())
    assert DepartmentFigures.objects.filter(edition=edition_2007, department=lima).count() == 1


def test_same_department_in_another_edition_is_allowed(new_edition, lima):
    instance = figures(new_edition, lima)
    instance.full_clean()
    instance.save()
    assert lima.figures.count() == 2


# Share of people born abroad --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "field_message"),
    [(Decimal("-0.01"), AT_LEAST_ZERO), (Decimal("-1"), AT_LEAST_ZERO), (Decimal("100.01"), AT_MOST_100)],
)
def test_born_abroad_share_outside_0_100_refused_by_validation(db, share, field_message):
    edition = CensusEditionFactory.build(year=2017, born_abroad_share=share)
    assert errors(edition) == {"born_abroad_share": [field_message]}
    assert errors(edition, "validate_constraints") == {"__all__": [SHARE_PERCENTAGE]}


@pytest.mark.parametrize("share", [Decimal("0"), Decimal("0.30"), Decimal("100")])
def test_born_abroad_share_limits_are_allowed(db, share):
    CensusEditionFactory.build(year=2017, born_abroad_share=share).full_clean()


@pytest.mark.parametrize("share", [Decimal("-1"), Decimal("150")])
def test_born_abroad_share_outside_0_100_refused_by_database(db, share):
    assert_refused_by_database(lambda: CensusEditionFactory(year=2017, born_abroad_share=share))
    assert_refused_by_database(
        lambda: CensusEdition.objects.filter(year=2007).update(born_abroad_share=share),
    )
    assert CensusEdition.objects.get(year=2007).born_abroad_share == Decimal("0.30")


def test_national_population_zero_refused(db):
    edition = CensusEditionFactory.build(year=2017, national_population=0)
    assert errors(edition) == {"__all__": [NATIONAL_POPULATION_POSITIVE]}
    assert_refused_by_database(lambda: CensusEditionFactory(year=2017, national_population=0))


# A later census edition -------------------------------------------------------------------------------


@pytest.fixture
def edition_2017(db):
    """The 2017 census, entered as an editor would: only data, for two departments so far."""
    edition = CensusEditionFactory(year=2017, national_population=29_381_884, born_abroad_share=Decimal("0.50"))
    for slug, population, immigrants, emigrants in [
        ("lima", 9_485_405, 3_000_000, 500_000),
        ("callao", 994_494, 400_000, 150_000),
    ]:
        DepartmentFiguresFactory(
            edition=edition,
            department=Department.objects.get(slug=slug),
            population=population,
            immigrants=immigrants,
            emigrants=emigrants,
        )
    return edition


def figures_table_rows(soup) -> list[list[str]]:
    table = soup.find("table", class_="data-table")
    return [[text_of(tr.th), *(text_of(td) for td in tr.find_all("td")[:4])] for tr in table.tbody.find_all("tr")]


def test_latest_edition_is_shown_by_default(get_page, edition_2017):
    _, soup = get_page("/migracion/")
    assert text_of(soup.h1) == "Migración interna por departamento, 2017"
    # Only the two departments entered so far: that is what the 2017 census holds for now.
    assert figures_table_rows(soup) == [
        ["Callao", "994,494", "400,000", "150,000", "+250,000"],
        ["Lima", "9,485,405", "3,000,000", "500,000", "+2,500,000"],
    ]
    table = soup.find("table", class_="data-table")
    assert text_of(table.caption) == "Población migrante por departamento, censo 2017"
    footer = [text_of(cell) for cell in table.tfoot.tr.find_all(["th", "td"])][:5]
    assert footer == ["Total", "10,479,899", "3,400,000", "650,000", "+2,750,000"]
    # Charts follow the page's edition.
    assert {figure["data-chart-url"].split("?")[1] for figure in soup.select("figure[data-chart-url]")} == {
        "edicion=2017"
    }

    _, soup = get_page("/")
    lead = text_of(soup.select_one(".finding .lead"))
    assert "3,400,000 personas" in lead
    assert "(censo 2017)" in lead

    _, soup = get_page("/migracion/lima/")
    rows = {text_of(tr.th): [text_of(td) for td in tr.find_all("td")] for tr in soup.find("tbody").find_all("tr")}
    assert rows["Inmigrantes"] == ["3,000,000", "1.º de 2", "3,400,000"]

    response, _ = get_page("/migracion/graficos/migrantes.json")
    assert response.json()["labels"] == ["Lima", "Callao"]  # sorted by immigrants


def test_earlier_edition_still_shown_when_asked_for(get_page, edition_2017):
    _, soup = get_page("/migracion/?edicion=2007")
    assert text_of(soup.h1) == "Migración interna por departamento, 2007"
    rows = figures_table_rows(soup)
    assert len(rows) == 25
    assert ["Lima", "8,445,211", "2,781,145", "404,711", "+2,376,434"] in rows
    # Sorting keeps the edition asked for.
    headers = soup.find("table", class_="data-table").thead.find_all("a")
    assert all("edicion=2007" in a["href"] for a in headers)
    assert {figure["data-chart-url"].split("?")[1] for figure in soup.select("figure[data-chart-url]")} == {
        "edicion=2007"
    }

    _, soup = get_page("/migracion/?edicion=2007&sort=-immigrants")
    assert [row[0] for row in figures_table_rows(soup)][:2] == ["Lima", "Callao"]

    _, soup = get_page("/?edicion=2007")
    assert "5,460,296 personas" in text_of(soup.select_one(".finding .lead"))

    _, soup = get_page("/migracion/lima/?edicion=2007")
    rows = {text_of(tr.th): [text_of(td) for td in tr.find_all("td")] for tr in soup.find("tbody").find_all("tr")}
    assert rows["Inmigrantes"] == ["2,781,145", "1.º de 25", "5,460,296"]

    response, _ = get_page("/migracion/graficos/migrantes.json?edicion=2007")
    assert len(response.json()["labels"]) == 25


def test_department_without_figures_in_the_latest_edition(get_page, edition_2017):
    _, soup = get_page("/migracion/apurimac/", status=404)
    assert text_of(soup.h1) == "Página no encontrada"
    assert "No hay cifras de este departamento en esta edición del censo." in text_of(soup.find("main"))
    _, soup = get_page("/migracion/apurimac/?edicion=2007")
    assert text_of(soup.h1) == "Apurímac"


def test_new_edition_without_figures_yet_does_not_replace_the_shown_one(get_page, edition_2017):
    # An editor creates the 2027 edition in the admin before typing its figures: the site keeps working.
    CensusEditionFactory(year=2027)
    _, soup = get_page("/migracion/")
    assert text_of(soup.h1) == "Migración interna por departamento, 2017"
    get_page("/")
    get_page("/migracion/lima/")
    get_page("/migracion/graficos/migrantes.json")
    _, soup = get_page("/migracion/?edicion=2027", status=404)
    assert "No hay datos del censo 2027." in text_of(soup.find("main"))
