from collections import Counter
from functools import cache

import django_filters
from django import forms
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from migration.models import Department

from .models import Category, Institution, Practice


class CountedLabel(str):
    """An option's label, "Apurímac (2)", that knows its number of published practices (``count``)."""

    def __new__(cls, name, count: int):
        label = super().__new__(cls, f"{name} ({count})")
        label.count = count
        return label


class OptionsWithResults(forms.Select):
    """Offers only the options with published practices: one with none is shown only while it is chosen
    (a link to the catalogue of a department without practices), so that the form says what is filtered."""

    def optgroups(self, name, value, attrs=None):
        return [
            group
            for group in super().optgroups(name, value, attrs)
            if any(option["selected"] or getattr(option["label"], "count", 1) for option in group[1])
        ]


class CountedChoiceField(forms.ModelChoiceField):
    widget = OptionsWithResults

    def label_from_instance(self, obj):
        return CountedLabel(getattr(obj, "localized_name", None) or obj, obj.practice_count)


class CountedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = CountedChoiceField


def counted(queryset):
    """``queryset`` (categories, institutions or departments) with ``practice_count``: its published practices.

    Every row stays (a value from a link is valid even without practices); the form hides those with none.
    """
    published = Q(practices__status=Practice.Status.PUBLISHED, practices__published_at__lte=timezone.now())
    return queryset.annotate(practice_count=Count("practices", filter=published, distinct=True))


def year_and_scope_choices() -> tuple[list, list]:
    """The award years of the published practices (newest first) and the two scopes, each with its number of
    published practices: one query for both lists."""
    totals = Practice.objects.published().values_list("award_year", "scope").annotate(total=Count("pk")).order_by()
    years, scopes = Counter(), Counter()
    for year, scope, total in totals:
        years[year] += total
        scopes[scope] += total
    return (
        [(year, CountedLabel(year, years[year])) for year in sorted(years, reverse=True)],
        [(value, CountedLabel(label, scopes[value])) for value, label in Practice.Scope.choices],
    )


class PracticeFilter(django_filters.FilterSet):
    """Catalogue filters; every value lives in the query string (shareable URLs).

    Each list offers only the values with published practices, with their number: "Apurímac (2)".
    """

    q = django_filters.CharFilter(
        label=_("Buscar"),
        method="filter_search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("p. ej. crédito, Apurímac")}),
    )
    # Their choices come from the published practices, when the form is built (``__init__``), counted in one query.
    anio = django_filters.ChoiceFilter(label=_("Año del premio"), field_name="award_year", empty_label=_("Todos"))
    categoria = CountedChoiceFilter(
        label=_("Categoría"),
        field_name="category",
        queryset=lambda request: counted(Category.objects.all()),
        to_field_name="slug",
        empty_label=_("Todas"),
    )
    institucion = CountedChoiceFilter(
        label=_("Institución"),
        field_name="institution",
        queryset=lambda request: counted(Institution.objects.all()),
        to_field_name="slug",
        empty_label=_("Todas"),
    )
    departamento = CountedChoiceFilter(
        label=_("Departamento"),
        field_name="departments",
        queryset=lambda request: counted(Department.objects.all()),
        to_field_name="slug",
        empty_label=_("Todos"),
    )
    alcance = django_filters.ChoiceFilter(
        label=_("Alcance"),
        field_name="scope",
        empty_label=_("Todos"),
        widget=OptionsWithResults,
    )

    class Meta:
        model = Practice
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = cache(year_and_scope_choices)  # read once, when a list is drawn or a value checked
        self.filters["anio"].extra["choices"] = lambda: choices()[0]
        self.filters["alcance"].extra["choices"] = lambda: choices()[1]

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset
