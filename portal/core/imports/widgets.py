"""How a spreadsheet cell becomes a value (django-import-export widgets), with Spanish messages on their cells.

- Numbers are read by ``portal.core.numbers.read_number``, as in every admin form: «1.387.809» is 1387809 in a
  count, «0,3» is 0.3, «1,500» where decimals are allowed is refused naming both readings.
- A row of another table (a department, an edition, a category) is named by its code or by its name, in any
  case, with or without accents; a code that lost its leading zero in a spreadsheet (ubigeo 1) is read with
  it (01). Each widget reads its table once per import: no query per row.
"""

from django.utils.translation import gettext_lazy as _
from import_export import widgets

from portal.core.numbers import read_number

from .sheets import text_key

#: The message of an empty cell that must name a row of another table.
MISSING_VALUE = _("Falta este dato.")


def plain(value) -> str:
    """A cell as text: 1.0 from a spreadsheet is 1, surrounding spaces dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class WholeNumberWidget(widgets.IntegerWidget):
    """A count or a year, read as ``read_number`` reads it (1,387,809; 1.387.809; 1 387 809).

    ``grouped``: a count, shown in the preview as the public site writes it (1,387,809) and checked against a
    total row; False for a year or a position."""

    def __init__(self, grouped=True, **kwargs):
        super().__init__(**kwargs)
        self.grouped = grouped

    def clean(self, value, row=None, **kwargs):
        return read_number(value, whole=True)


class DecimalNumberWidget(widgets.DecimalWidget):
    """A number with decimals, read as ``read_number`` reads it (0.3 or 0,3; «1,500» is asked about)."""

    grouped = False

    def clean(self, value, row=None, **kwargs):
        return read_number(value, whole=False)


class Lookup:
    """The rows of a reference table by every way a spreadsheet names them, read in one query at first use.

    ``code_field``: the code (ubigeo, year, slug), compared as written (with its zeros put back: ``digits``);
    ``name_fields``: names, compared as ``text_key`` writes them («ÁNCASH» is Ancash); ``aliases``: other names
    (name → code), e.g. INEI's «PROV. CONSTITUCIONAL DEL CALLAO» for Callao; ``parts``: names of parts that make
    up one row only together (name → code), e.g. INEI's «LIMA METROPOLITANA» and «REGIÓN LIMA» for Lima."""

    def __init__(self, model, code_field, *, name_fields=(), digits=None, aliases=None, parts=None):
        self.model = model
        self.code_field = code_field
        self.name_fields = tuple(name_fields)
        self.digits = digits
        self.aliases = dict(aliases or {})
        self.parts = {text_key(name): (code, name) for name, code in (parts or {}).items()}
        self._by_text = None
        self._found = {}  # each text of the file looked up once

    def __deepcopy__(self, memo):  # each resource (each import) reads the table afresh
        copy = type(self)(
            self.model, self.code_field, name_fields=self.name_fields, digits=self.digits, aliases=self.aliases
        )
        copy.parts = dict(self.parts)
        return copy

    def part_of(self, text) -> str | None:
        """The code of the row ``text`` is a part of («LIMA METROPOLITANA 1/» → 15), or None."""
        return self.parts.get(text_key(text), (None, None))[0] if isinstance(text, str) else None

    def parts_of(self, code: str) -> dict[str, str]:
        """{text_key: name} of the parts of the row ``code``."""
        return {key: name for key, (part_code, name) in self.parts.items() if part_code == code}

    def _table(self) -> dict:
        if self._by_text is None:
            by_text = {}
            rows = list(self.model._default_manager.all())
            by_code = {str(getattr(row, self.code_field)): row for row in rows}
            for row in rows:
                for name_field in self.name_fields:
                    if getattr(row, name_field):
                        by_text.setdefault(text_key(getattr(row, name_field)), row)
            for alias, code in self.aliases.items():
                if code in by_code:
                    by_text[text_key(alias)] = by_code[code]
            by_text.update({f"code:{code}": row for code, row in by_code.items()})
            self._by_text = by_text
        return self._by_text

    def find(self, text: str):
        """The row named by ``text`` (a code or a name), or None."""
        table = self._table()
        if text not in self._found:
            code = text.zfill(self.digits) if self.digits and text.isdigit() else text
            self._found[text] = table.get(f"code:{code}") or table.get(text_key(text))
        return self._found[text]


class CodeWidget(widgets.ForeignKeyWidget):
    """A row of another table named in a cell by its code or its name (``Lookup``); exported as its code. An
    unknown one is an error of its cell: ``message`` with ``%(value)s``."""

    def __init__(self, model, field, message, digits=None, name_fields=(), aliases=None, parts=None):
        super().__init__(model, field=field)
        self.message = message
        self.lookup = Lookup(model, field, name_fields=name_fields, digits=digits, aliases=aliases, parts=parts)

    def clean(self, value, row=None, **kwargs):
        text = plain(value)
        if text == "":
            raise ValueError(MISSING_VALUE)
        found = self.lookup.find(text)
        if found is None:
            raise ValueError(self.message % {"value": text})
        return found


class CodesWidget(widgets.ManyToManyWidget):
    """Several rows of another table in one cell, separated by ``separator`` («06;15», «Cajamarca; Lima»);
    an unknown one is an error of its cell (the library would drop it silently). With ``required``, an empty
    cell is one too (the library would empty the relation)."""

    def __init__(self, model, field, separator, message, digits=None, required=False, name_fields=(), aliases=None):
        super().__init__(model, separator=separator, field=field)
        self.message = message
        self.required = required
        self.lookup = Lookup(model, field, name_fields=name_fields, digits=digits, aliases=aliases)
        #: {pk of a stored row: its related rows}, read for the whole file in one query by the resource
        #: (``SpreadsheetModelResource.load_existing``): the preview compares and shows them without a query per row.
        self.stored = {}

    def stored_values(self, manager) -> list:
        pk = manager.instance.pk
        return self.stored[pk] if pk in self.stored else list(manager.all())

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.separator.join(str(getattr(item, self.field)) for item in self.stored_values(value))

    def clean(self, value, row=None, **kwargs):
        texts = [plain(text) for text in plain(value).split(self.separator) if plain(text)]
        if self.required and not texts:
            raise ValueError(MISSING_VALUE)
        found = {text: self.lookup.find(text) for text in texts}
        unknown = [text for text, row in found.items() if row is None]
        if unknown:
            raise ValueError(self.message % {"value": ", ".join(unknown)})
        return list(dict.fromkeys(found.values()))


class YesNoWidget(widgets.BooleanWidget):
    """Sí or no as an editor writes it: «sí», «si», «x», «1», «verdadero», «TRUE»; «no», «0», «falso», empty.
    Anything else is an error of its cell (the library would read «sí» as no)."""

    YES = frozenset({"si", "s", "x", "1", "verdadero", "true", "yes", "y"})
    NO = frozenset({"no", "n", "0", "falso", "false", ""})

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        key = text_key(plain(value))
        if key in self.YES:
            return True
        if key in self.NO:
            return False
        raise ValueError(_("«%(value)s» no es «sí» ni «no».") % {"value": plain(value)})


class ChoiceWidget(widgets.Widget):
    """One of a field's choices, by its stored value («national») or by its label in any case («Nacional»);
    exported as its label in the editor's language («Nacional»), which reads back as the same choice. Anything
    else is an error of its cell that lists the labels."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)

    def render(self, value, obj=None, **kwargs):
        labels = dict(self.choices)
        return "" if value is None else str(labels.get(value, value))

    def options(self) -> str:
        """«Regional» o «Nacional»: what a cell may say."""
        return " o ".join(f"«{label}»" for _stored, label in self.choices)

    def clean(self, value, row=None, **kwargs):
        text = plain(value)
        if text == "":
            return None
        for stored, label in self.choices:
            if text_key(text) in (text_key(stored), text_key(label)):
                return stored
        message = _("«%(value)s» no es una opción: escriba %(options)s.")
        raise ValueError(message % {"value": text, "options": self.options()})


class DateTimeWidget(widgets.DateTimeWidget):
    """A date and time as spreadsheets write them: a date cell of an XLSX, «30/11/2026 09:00» (Excel in Spanish),
    «2026-11-30 09:00:00» (the portal's exports), or a date alone (00:00); in Lima time. Anything else is an error
    of its cell, in Spanish."""

    FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")

    def __init__(self, **kwargs):
        super().__init__(format=self.FORMATS[0], **kwargs)
        self.formats = self.FORMATS

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value.strip() if isinstance(value, str) else value, row=row, **kwargs)
        except ValueError:
            raise ValueError(
                _("«%(value)s» no es una fecha (p. ej. 30/11/2026 09:00 o 2026-11-30 09:00).") % {"value": plain(value)}
            ) from None
