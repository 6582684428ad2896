import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from migration.models import Department

from .models import Category, Institution, Practice


def award_years():
    """The award years of the published practices, newest first (read when the form is built)."""
    years = Practice.objects.published().order_by("-award_year").values_list("award_year", flat=True).distinct()
    return [(year, year) for year in years]


class PracticeFilter(django_filters.FilterSet):
    """Catalogue filters; every value lives in the query string (shareable URLs)."""

    q = django_filters.CharFilter(
        label=_("Buscar"),
        method="filter_search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("p. ej. crédito, Apurímac")}),
    )
    anio = django_filters.ChoiceFilter(
        label=_("Año del premio"), field_name="award_year", choices=award_years, empty_label=_("Todos")
    )
    categoria = django_filters.ModelChoiceFilter(
        label=_("Categoría"),
        field_name="category",
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label=_("Todas"),
    )
    institucion = django_filters.ModelChoiceFilter(
        label=_("Institución"),
        field_name="institution",
        queryset=Institution.objects.all(),
        to_field_name="slug",
        empty_label=_("Todas"),
    )
    departamento = django_filters.ModelChoiceFilter(
        label=_("Departamento"),
        field_name="departments",
        queryset=Department.objects.all(),
        to_field_name="slug",
        empty_label=_("Todos"),
    )
    alcance = django_filters.ChoiceFilter(
        label=_("Alcance"), field_name="scope", choices=Practice.Scope.choices, empty_label=_("Todos")
    )

    class Meta:
        model = Practice
        fields = ()

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset
