"""Finding the table in a sheet as editors and INEI have it.

A sheet arrives as a grid of cells (``Sheet``: its rows, from the first line of the file). What it holds is
found the way a person reads it, with the columns a resource declares (``SheetColumn``):

- **The header** is the block of one to three rows, within the first 30, whose cells name the most of the
  columns: titles above it are passed over, and a header over two rows («Sexo» over «Hombre | Mujer», or a
  merged cell — whose value sits in its first cell only — over the cells below it) is read as one.
- **Column names** are compared as ``text_key`` writes them: case, accents, punctuation, line breaks and INEI's
  footnote marks («1/») do not count, so «Población censada», «POBLACION_CENSADA» and «poblacion censada 1/» are
  one name. Each column accepts its spreadsheet name, its Spanish label and the synonyms its resource lists, in
  any order; a column missing from the header is named once, at the top, with every other one missing.
- **Rows** below the header are ``DATA`` unless they are ``BLANK`` (nothing in them), a ``NOTE`` («Nota:»,
  «Fuente:», «1/ Comprende…», a sentence alone in its row; also a row with no key and no number — the rest of a
  header), or a ``TOTAL`` (a key cell «Total», «PERÚ», «Total nacional»): a total row is checked against the
  sum of the data rows in every column of counts, then left out. A resource may also tell ``PART`` rows (the
  provinces, districts and ages under a department in INEI's tables) and ``OUTSIDE`` rows (abroad) apart.

Pure functions over lists: no database, no Django model.
"""

import re
from dataclasses import dataclass, field

from portal.core.search import fold

#: Rows searched for the header (INEI's tables have it on line 2 to 6).
HEADER_SEARCH_ROWS = 30
#: Rows a header may span: «Sexo» over «Hombre | Mujer», or three levels in INEI's widest tables.
HEADER_MAX_ROWS = 3

BLANK, NOTE, TOTAL, DATA = "blank", "note", "total", "data"
#: Kinds a resource's ``classify_row`` may add: a row that details another one (INEI's provinces, districts and
#: age groups under a department) is left out and not summed; a row outside what is imported but inside the
#: total (people abroad, «EXTRANJERO») is left out and summed when a total row is checked.
PART, OUTSIDE = "part", "outside"

FOOTNOTE_MARK = re.compile(r"(?<![0-9])\d{1,2}/(?![0-9])")  # INEI's «LIMA METROPOLITANA 1/», not a date 1/5/2025
NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")
#: How notes start: «Nota:», «Notas», «Fuente:», «Elaboración:», «1/ Comprende…», «(*) …», «* …».
NOTE_START = re.compile(r"^(nota|notas|fuente|fuentes|elaboracion|elaborado|elaborada)\b|^\(?\*|^\d{1,2}/|^\(\d{1,2}\)")
#: A cell that says its row is a total (after ``text_key``).
TOTAL_KEYS = frozenset({"total", "peru", "total peru", "peru total", "total nacional", "nacional", "total general"})
LONG_TEXT = 60  # a text alone in its row and longer than this is a note, not a data row


def text_key(value) -> str:
    """A name as compared: «Población censada 1/» → «poblacion censada»; «PROV. CONSTITUCIONAL DEL CALLAO» →
    «prov constitucional del callao»; «De 5 a 14\\naños» → «de 5 a 14 anos»."""
    text = FOOTNOTE_MARK.sub(" ", fold(str(value)))
    return NOT_ALPHANUMERIC.sub(" ", text).strip()


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as a spreadsheet program names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass
class Sheet:
    """A sheet as read from the file: ``rows`` from its first line, each a list of cell values (str, int,
    float, Decimal, date or None); ``title`` is the sheet's name («MIG01») or «CSV»; ``description`` says how it
    was read, for the preview («CSV separado por punto y coma, Windows-1252»)."""

    title: str
    rows: list[list]
    description: str = ""


@dataclass(frozen=True)
class SheetColumn:
    """A column a resource reads: ``name`` (the resource's field), ``names`` (the keys it is known by, already
    ``text_key``-ed; the first is its spreadsheet name), ``required`` (a file without it is refused), ``key``
    (it names the row: a total row says «Total» there), ``counted`` (a column of counts: checked against a
    total row), ``prefix`` (a header that starts with one of its names also matches: INEI's «Departamento,
    provincia, distrito y edad simple»), ``label`` (how the page names it: «Población censada («poblacion»)»)."""

    name: str
    names: tuple[str, ...]
    label: str
    required: bool = True
    key: bool = False
    counted: bool = False
    prefix: bool = False


@dataclass
class Header:
    """Where the table starts: the header's lines (1-based, as the spreadsheet numbers them), the column index
    of each found column, and the header's texts (for messages)."""

    first_line: int
    last_line: int
    columns: dict[str, int]
    texts: list[str] = field(default_factory=list)
    repeated: dict[str, list[int]] = field(default_factory=dict)

    @property
    def data_start(self) -> int:
        """Index in ``Sheet.rows`` of the first row under the header."""
        return self.last_line


OWN, PATH, UPPER = 0, 1, 2  # a column's own name («Hombre»), with the names above it («Sexo Hombre»), a name above


def _block_texts(rows: list[list], first: int, last: int) -> list[list[tuple[int, str]]]:
    """For each column, the names its header block gives it, each with its level: ``OWN`` (the text of the
    lowest row that has one: «Hombre»), ``PATH`` (the texts of the rows above joined to it: «Sexo Hombre»),
    ``UPPER`` (a text above it: «Sexo», a group of columns). An empty cell of an upper row takes the text on its
    left (a merged cell over several columns); the lowest row's empty cell, the text above it (over several rows)."""
    width = max((len(rows[index]) for index in range(first, last + 1)), default=0)
    levels = []
    for index in range(first, last + 1):
        row = list(rows[index]) + [None] * (width - len(rows[index]))
        texts = [value.strip() if isinstance(value, str) else "" for value in row]
        if index < last:  # an upper level: a merged cell spreads to the right
            for column in range(1, width):
                if not texts[column] and is_empty(row[column]):
                    texts[column] = texts[column - 1]
        levels.append(texts)
    per_column = []
    for column in range(width):
        column_texts = [level[column] for level in levels]
        own_level = next((level for level in range(len(levels) - 1, -1, -1) if column_texts[level]), None)
        names = []
        if own_level is not None:
            own = column_texts[own_level]
            names.append((OWN, text_key(own)))
            # A text above that only spreads from its left is a group name, not this column's: only the levels
            # where this column has a text of its own, or sits under a merged cell, make its path.
            path = [text for text in dict.fromkeys(column_texts[: own_level + 1]) if text]
            if len(path) > 1:
                names.append((PATH, text_key(" ".join(path))))
            names += [(UPPER, text_key(text)) for text in path if text != own]
        per_column.append(names)
    return per_column


def _match(per_column: list[list[tuple[int, str]]], columns: list[SheetColumn]) -> tuple[dict, dict]:
    """Each declared column to the sheet column that names it best — its own name before a name above it, its
    spreadsheet name before a synonym, a synonym before a header that only starts with one of its names
    (``prefix`` columns) — the leftmost on a tie. Also the columns whose spreadsheet name is written twice."""
    candidates = []
    for index, names in enumerate(per_column):
        for level, key in names:
            if not key:
                continue
            for column in columns:
                if key == column.names[0]:
                    kind = 0
                elif key in column.names:
                    kind = 1
                elif column.prefix and any(key.startswith(name + " ") for name in column.names):
                    kind = 2
                else:
                    continue
                rank = (level == UPPER, kind == 2, level, kind)  # a group name or a prefix only when nothing else
                candidates.append((rank, index, column.name))
    found, taken = {}, set()
    for _rank, index, name in sorted(candidates):
        if name not in found and index not in taken:
            found[name] = index
            taken.add(index)
    repeated = {}
    for column in columns:
        exact = sorted(
            {index for rank, index, name in candidates if name == column.name and rank == (False, False, OWN, 0)}
        )
        if len(exact) > 1:
            repeated[column.name] = exact
    return found, repeated


def _continues_header(row: list, found: dict, columns: list[SheetColumn]) -> bool:
    """A row under a header that is more of it (INEI's «Hombre | Mujer» under merged cells): texts only, none in
    a key column."""
    texts = [value for value in row if not is_empty(value)]
    keys = [found[column.name] for column in columns if column.key and column.name in found]
    return (
        bool(texts)
        and all(isinstance(value, str) and not _looks_numeric(value) for value in texts)
        and all(index >= len(row) or is_empty(row[index]) for index in keys)
    )


def find_header(sheet: Sheet, columns: list[SheetColumn]) -> Header | None:
    """The header block naming the most declared columns (fewer rows, then the earliest, on a tie) and the rows
    under it that continue it, or None when no row within the first ``HEADER_SEARCH_ROWS`` names any column."""
    best, best_rank = None, None
    rows = sheet.rows
    for first in range(min(len(rows), HEADER_SEARCH_ROWS)):
        if all(is_empty(value) for value in rows[first]):
            continue
        for last in range(first, min(first + HEADER_MAX_ROWS, len(rows))):
            found, _repeated = _match(_block_texts(rows, first, last), columns)
            rank = (len(found), -(last - first), -first)
            if found and (best_rank is None or rank > best_rank):
                best, best_rank = (first, last, found), rank
    if best is None:
        return None
    first, last, found = best
    while (
        last + 1 < len(rows)
        and last - first + 1 < HEADER_MAX_ROWS
        and _continues_header(rows[last + 1], found, columns)
    ):
        last += 1
    found, repeated = _match(_block_texts(rows, first, last), columns)
    texts = [
        " ".join(rows[index][column].split())
        for column in range(max(len(row) for row in rows[first : last + 1]))
        for index in range(first, last + 1)
        if column < len(rows[index]) and isinstance(rows[index][column], str) and rows[index][column].strip()
    ]
    return Header(first + 1, last + 1, found, list(dict.fromkeys(texts)), repeated)


def row_kind(row: list, header: Header, columns: list[SheetColumn]) -> str:
    """What a row under the header is: BLANK, NOTE, TOTAL or DATA (see the module's docstring)."""
    filled = [value for value in row if not is_empty(value)]
    if not filled:
        return BLANK
    first = filled[0]
    if isinstance(first, str) and NOTE_START.search(fold(first.strip()[:20])):
        return NOTE
    key_indexes = [header.columns[column.name] for column in columns if column.key and column.name in header.columns]
    keys = [row[index] for index in key_indexes if index < len(row) and not is_empty(row[index])]
    if any(isinstance(value, str) and len(value) < 30 and text_key(value) in TOTAL_KEYS for value in [*keys, first]):
        return TOTAL
    if keys and not (len(filled) == 1 and isinstance(first, str) and len(first.strip()) > LONG_TEXT):
        return DATA
    numbers = [value for value in filled if isinstance(value, int | float) or _looks_numeric(value)]
    if not keys and not numbers:
        return NOTE  # the rest of a header (INEI's «Hombre | Mujer» row under merged cells), a caption
    if len(filled) == 1 and isinstance(first, str) and len(first.strip()) > LONG_TEXT:
        return NOTE
    return DATA


def _looks_numeric(value) -> bool:
    return isinstance(value, str) and bool(
        re.fullmatch(r"\s*[-+\u2212]?[\d.,\s\u00a0\u202f]*\d[\d.,\s\u00a0\u202f]*", value)
    )
