import django_filters
from django import forms
from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Cast, Concat
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from migration.models import Department
from portal.cache import per_content_version

from .models import Category, Institution, Practice


@per_content_version
def facet_choices() -> dict[str, list[tuple[str, str]]]:
    """The choices of every catalogue filter, read in one query (a UNION of the small reference tables).

    Kept per content version (shared between requests: read-only).
    """

    def labelled(queryset, kind, value, label):
        return queryset.order_by().values_list(Value(kind, output_field=CharField()), value, label)

    years = Cast("award_year", CharField())
    institution_label = Case(  # as Institution.__str__: "Banco Agropecuario (Agrobanco)"
        When(acronym="", then=F("name")),
        default=Concat("name", Value(" ("), "acronym", Value(")")),
        output_field=CharField(),
    )
    rows = labelled(Category.objects.all(), "categoria", "slug", "name").union(
        labelled(Institution.objects.annotate(label=institution_label), "institucion", "slug", F("label")),
        labelled(Department.objects.all(), "departamento", "slug", "name"),
        labelled(Practice.objects.published().annotate(year=years), "anio", F("year"), F("year")).distinct(),
        all=True,
    )
    choices = {"categoria": [], "institucion": [], "departamento": [], "anio": []}
    for kind, value, label in rows:
        choices[kind].append((value, label))
    for kind in ("categoria", "institucion", "departamento"):
        choices[kind].sort(key=lambda choice: choice[1])
    choices["anio"].sort(reverse=True)
    return choices


@per_content_version
def facet_values() -> dict[str, set[str]]:
    """The values each filter accepts (see ``PracticeFilter.checked_choices``)."""
    return {name: {value for value, _ in choices} for name, choices in facet_choices().items()}


class FacetChoices(BaseChoiceIterator):
    """One filter's choices, read from ``facet_choices()`` when the form is checked or drawn.

    Shared by every form: not copied for each request (forms deep-copy their fields).
    """

    def __init__(self, name: str):
        self.name = name

    def __iter__(self):
        yield from facet_choices()[self.name]

    def __len__(self):
        return len(facet_choices()[self.name])

    def __deepcopy__(self, memo):
        return self


class PracticeFilter(django_filters.FilterSet):
    """Catalogue filters; every value lives in the query string (shareable URLs)."""

    q = django_filters.CharFilter(
        label=_("Buscar"),
        method="filter_search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("p. ej. crédito, Apurímac")}),
    )
    anio = django_filters.ChoiceFilter(
        label=_("Año del premio"), field_name="award_year", choices=FacetChoices("anio"), empty_label=_("Todos")
    )
    categoria = django_filters.ChoiceFilter(
        label=_("Categoría"), field_name="category__slug", choices=FacetChoices("categoria"), empty_label=_("Todas")
    )
    institucion = django_filters.ChoiceFilter(
        label=_("Institución"),
        field_name="institution__slug",
        choices=FacetChoices("institucion"),
        empty_label=_("Todas"),
    )
    departamento = django_filters.ChoiceFilter(
        label=_("Departamento"),
        field_name="departments__slug",
        choices=FacetChoices("departamento"),
        empty_label=_("Todos"),
    )
    alcance = django_filters.ChoiceFilter(
        label=_("Alcance"), field_name="scope", choices=Practice.Scope.choices, empty_label=_("Todos")
    )

    class Meta:
        model = Practice
        fields = ()

    _form_class = None

    def get_form_class(self):
        # The fields never change per request (their choices are FacetChoices): build the form class once,
        # as for any Django form, instead of once per request.
        if type(self)._form_class is None:
            type(self)._form_class = super().get_form_class()
        return type(self)._form_class

    @classmethod
    def checked_choices(cls, data) -> dict[str, str] | None:
        """What the form would clean ``data`` to, found without building it, when no text is searched and
        every filter value is empty or one of its filter's choices (the usual request: a link or the
        form's own selects). None when the form must check: a search, or a value that is not a choice
        (the form explains it).

        A form is a few hundred microseconds (copies of its filters and fields, validation); this is a
        few lookups in the memoised choices.
        """
        if data.get("q", "").strip():
            return None
        values = {}
        for name, filter_ in cls.base_filters.items():
            value = data.get(name)
            if name == "q" or value in (None, ""):
                continue
            if value not in cls._choice_values(filter_):
                return None
            values[name] = value
        return values

    @staticmethod
    def _choice_values(filter_) -> set[str]:
        choices = filter_.extra["choices"]
        return facet_values()[choices.name] if isinstance(choices, FacetChoices) else {str(v) for v, _ in choices}

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset
