"""Rules the data itself enforces, whatever edits it: in the model validation and in the database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from practices.models import KeyFigure, Practice
from tests.factories import KeyFigureFactory, PracticeFactory

# Key figures --------------------------------------------------------------------------------------


def test_negative_key_figure_is_rejected_by_validation_in_spanish(seed):
    figure = KeyFigure(practice=seed.banano, value=Decimal("-300"), label="puestos de trabajo")
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "La cifra no puede ser negativa." in error.value.messages


def test_negative_key_figure_is_rejected_by_the_database(seed):
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyFigure.objects.create(practice=seed.banano, value=Decimal("-0.01"), label="puestos de trabajo")
    assert seed.banano.key_figures.count() == 4


def test_updating_a_key_figure_to_negative_is_rejected_by_the_database(seed):
    figure = seed.credito.key_figures.get(label="productores de papa")
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyFigure.objects.filter(pk=figure.pk).update(value=Decimal("-290"))
    figure.refresh_from_db()
    assert figure.value == Decimal("290")


@pytest.mark.parametrize("value", ["0", "0.5", "2000000", "1234567890.12"])
def test_zero_and_positive_key_figures_are_accepted(seed, value):
    figure = KeyFigure(practice=seed.sierra_sur, value=Decimal(value), label="beneficiarios")
    figure.full_clean()
    figure.save()
    assert KeyFigure.objects.get(pk=figure.pk).value == Decimal(value)


def test_key_figures_keep_their_order(seed):
    assert [f.label for f in seed.banano.key_figures.all()] == [
        "puestos de trabajo",
        "pequeños productores",
        "en exportaciones (2008)",
        "hectárea por productor en promedio",
    ]
    practice = PracticeFactory()
    KeyFigureFactory(practice=practice, order=2, label="segunda")
    KeyFigureFactory(practice=practice, order=1, label="primera")
    assert [f.label for f in practice.key_figures.all()] == ["primera", "segunda"]


# Slugs ------------------------------------------------------------------------------------------


def test_duplicate_practice_slug_is_rejected_by_validation(seed):
    copy = PracticeFactory.build(slug="sierra-sur", category=seed.category, institution=seed.minag)
    with pytest.raises(ValidationError) as error:
        copy.full_clean()
    assert "slug" in error.value.message_dict
    assert "Ya existe" in error.value.message_dict["slug"][0]


def test_duplicate_practice_slug_is_rejected_by_the_database(seed):
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeFactory(title="Otra Sierra Sur", slug="sierra-sur")
    assert Practice.objects.filter(slug="sierra-sur").count() == 1


def test_invalid_status_and_scope_are_rejected(seed):
    for field, value in (("status", "archived"), ("scope", "global")):
        practice = PracticeFactory.build(category=seed.category, institution=seed.minag, **{field: value})
        with pytest.raises(ValidationError):
            practice.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            Practice.objects.filter(pk=seed.incagro.pk).update(**{field: value})


def test_award_year_range_is_validated(seed):
    for year in (1989, 2101):
        practice = PracticeFactory.build(award_year=year, category=seed.category, institution=seed.minag)
        with pytest.raises(ValidationError) as error:
            practice.full_clean()
        assert "award_year" in error.value.message_dict


# Visibility ----------------------------------------------------------------------------------------


def test_published_excludes_drafts_and_future_dates(seed):
    now = timezone.now()
    visible = PracticeFactory(title="Publicada ayer")
    draft = PracticeFactory(title="Borrador", status=Practice.Status.DRAFT)
    old_draft = PracticeFactory(
        title="Borrador antiguo", status=Practice.Status.DRAFT, published_at=now - datetime.timedelta(days=365)
    )
    scheduled = PracticeFactory(title="Programada", published_at=now + datetime.timedelta(days=1))
    soon = PracticeFactory(title="Programada en un minuto", published_at=now + datetime.timedelta(minutes=1))
    draft_and_future = PracticeFactory(
        title="Borrador programado", status=Practice.Status.DRAFT, published_at=now + datetime.timedelta(days=1)
    )

    published = set(Practice.objects.published())
    assert visible in published
    assert {seed.banano, seed.credito, seed.sierra_sur, seed.incagro} <= published
    assert published.isdisjoint({draft, old_draft, scheduled, soon, draft_and_future})
    assert Practice.objects.published().count() == 5

    assert visible.is_public
    assert not any(p.is_public for p in (draft, old_draft, scheduled, soon, draft_and_future))


def test_published_includes_a_practice_once_its_date_has_passed(seed):
    practice = PracticeFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    assert practice not in Practice.objects.published()
    practice.published_at = timezone.now() - datetime.timedelta(seconds=1)
    practice.save()
    assert practice in Practice.objects.published()


def test_new_practices_start_as_drafts(seed):
    practice = Practice(
        title="Nueva",
        slug="nueva",
        summary="Resumen.",
        body="Texto.",
        award_year=2010,
        category=seed.category,
        institution=seed.minag,
    )
    practice.full_clean()
    practice.save()
    assert practice.status == Practice.Status.DRAFT
    assert practice not in Practice.objects.published()


def test_catalogue_queries_only_show_published(seed):
    hidden = PracticeFactory(status=Practice.Status.DRAFT, departments=[seed.apurimac])
    PracticeFactory(published_at=timezone.now() + datetime.timedelta(hours=1), departments=[seed.apurimac])
    assert hidden not in Practice.objects.for_catalogue()
    counts = Practice.objects.published().counts_by_department()
    assert counts[seed.apurimac.pk] == 2
    assert counts[seed.piura.pk] == 1
    assert seed.lima.pk not in counts
    assert hidden not in Practice.objects.published().related_to(seed.credito)
    assert seed.credito not in Practice.objects.published().related_to(seed.credito)
