"""Every number an editor types is read as they mean it, or refused with a question (portal.core.numbers.read_number).

One table of entries, checked against every number field of every admin form (change forms, inlines,
list-editable columns) and every number column of every import: the same reading everywhere.
"""

from decimal import Decimal

from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models
from django.forms import ValidationError
from django.test import RequestFactory
from import_export import widgets

from portal.core.numbers import NumberNotRead

TWO_READINGS = (
    "«{}» se puede leer de dos maneras: {} (con decimales) o {} (sin decimales). "
    "Escriba {} o {}, según lo que quiera decir."
)
HAS_DECIMALS = "«{}» tiene decimales; aquí va un número entero (p. ej. 1,387,809)."
BAD_GROUPS = "«{}» no es un número: los miles se separan de tres en tres cifras, p. ej. 1,387,809."
NOT_WHOLE = "«{}» no es un número entero (p. ej. 1,387,809)."
NOT_NUMBER = "«{}» no es un número (p. ej. 1,387,809 o 0.3)."

# typed: (read in a count or a year, read where decimals are allowed); a str is the message the editor gets.
ENTRIES = {
    "1,387,809": (1387809, Decimal("1387809")),
    "1.387.809": (1387809, Decimal("1387809")),
    "1 387 809": (1387809, Decimal("1387809")),
    "1\u00a0387\u00a0809": (1387809, Decimal("1387809")),  # pasted from Excel in Spanish: no-break spaces
    "0,3": (HAS_DECIMALS.format("0,3"), Decimal("0.3")),
    "0.3": (HAS_DECIMALS.format("0.3"), Decimal("0.3")),
    "80,5": (HAS_DECIMALS.format("80,5"), Decimal("80.5")),
    "1,5": (HAS_DECIMALS.format("1,5"), Decimal("1.5")),
    "1,500": (1500, TWO_READINGS.format("1,500", "1.5", "1500", "1.5", "1500")),
    "1.500": (1500, TWO_READINGS.format("1.500", "1.5", "1500", "1.5", "1500")),
    "1.387,5": (HAS_DECIMALS.format("1.387,5"), Decimal("1387.5")),
    "1,387.5": (HAS_DECIMALS.format("1,387.5"), Decimal("1387.5")),
    "12,50": (HAS_DECIMALS.format("12,50"), Decimal("12.5")),
    "2009": (2009, Decimal("2009")),
    " 2009 ": (2009, Decimal("2009")),
    "1,38,7809": (BAD_GROUPS.format("1,38,7809"), BAD_GROUPS.format("1,38,7809")),
    "1e5": (NOT_WHOLE.format("1e5"), NOT_NUMBER.format("1e5")),
    "muchos": (NOT_WHOLE.format("muchos"), NOT_NUMBER.format("muchos")),
    "": (None, None),
}


def _read_form(field, typed):
    try:
        return field.to_python(typed)
    except ValidationError as error:
        return " ".join(error.messages)


def _read_cell(widget, typed):
    try:
        return widget.clean(typed)
    except (NumberNotRead, ValueError) as error:
        return str(error)


def number_form_fields(request):
    """(where, form field, model field) for every number field of the portal's admin forms."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("migration", "practices", "portal"):
            continue
        forms = [("form", model_admin.get_form(request))]
        forms += [
            (f"inline {inline.model.__name__}", inline.get_formset(request).form)
            for inline in model_admin.get_inline_instances(request)
        ]
        if model_admin.list_editable:
            forms.append(("list", model_admin.get_changelist_form(request)))
        for where, form in forms:
            for name, field in form.base_fields.items():
                model_field = next((f for f in form._meta.model._meta.fields if f.name == name), None)
                if isinstance(model_field, models.IntegerField | models.DecimalField) and not model_field.choices:
                    yield f"{model.__name__} {where} {name}", field, model_field


def number_import_widgets():
    """(where, widget, model field) for every number column of the admin's imports."""
    for model, model_admin in admin.site._registry.items():
        for resource_class in getattr(model_admin, "resource_classes", []):
            resource = resource_class()
            for field in resource.importable_fields():
                model_field = model._meta.get_field(field.attribute)
                if isinstance(model_field, models.IntegerField | models.DecimalField):
                    yield f"{model.__name__} import {field.column_name}", field.widget, model_field


def test_every_number_field_of_every_admin_form_and_import_reads_entries_the_same_way(db):
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("jefa", password="no-se-usa")
    places = [(where, field, model_field, _read_form) for where, field, model_field in number_form_fields(request)]
    places += [(where, widget, model_field, _read_cell) for where, widget, model_field in number_import_widgets()]
    checked = sorted(where for where, *_ in places)
    assert "DepartmentFigures form population" in checked
    assert "PopulationCensus inline CensusPopulation population" in checked
    assert "Practice inline KeyFigure value" in checked
    assert "CensusEdition form born_abroad_share" in checked
    assert "DepartmentFigures import poblacion" in checked and "Practice import anio" in checked
    wrong = {}
    for where, reader, model_field, read in places:
        decimals = isinstance(model_field, models.DecimalField)
        for typed, readings in ENTRIES.items():
            expected = readings[1 if decimals else 0]
            got = read(reader, typed)
            if got != expected or type(got) is not type(expected):
                wrong[(where, typed)] = (got, expected)
        if isinstance(reader, widgets.Widget):
            continue
        for value in (1387809, 1500, 0) if not decimals else (Decimal("1250"), Decimal("0.3"), Decimal("2000000")):
            shown = reader.widget.format_value(value)
            if read(reader, shown) != value:  # what the form shows is read back as the same number
                wrong[(where, f"shown {shown}")] = (read(reader, shown), value)
    assert wrong == {}
