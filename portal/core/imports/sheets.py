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
  sum of the data rows in every column of counts, then left out.

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


def _block_texts(rows: list[list], first: int, last: int) -> list[list[tuple[int, str]]]:
    """For each column, the names its header block gives it, each with its priority (lower is better): the
    text of the lowest row («Hombre»), the texts of the rows above joined to it («Sexo Hombre»), each row's own
    text. An empty cell of an upper row takes the text on its left (a merged cell over several columns); an
    empty cell of the lowest row, the text above it (a merged cell over several rows)."""
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
        own = next((text for text in reversed(column_texts) if text), "")
        names = []
        if own:
            names.append((0, text_key(own)))
            path = [text for text in dict.fromkeys(column_texts) if text]
            if len(path) > 1:
                names.append((1, text_key(" ".join(path))))
            names += [(2, text_key(text)) for text in path if text != own]
        per_column.append(names)
    return per_column


def _match(per_column: list[list[tuple[int, str]]], columns: list[SheetColumn]) -> tuple[dict, dict]:
    """Each declared column to the sheet column that names it best: its spreadsheet name first, then a two-level
    name, then a synonym, then (for ``prefix`` columns) a header that starts with one of its names; the leftmost
    on a tie. Also the columns whose spreadsheet name is written twice (``repeated``)."""
    candidates = []
    for index, names in enumerate(per_column):
        for priority, key in names:
            if not key:
                continue
            for column in columns:
                if key == column.names[0]:
                    candidates.append((priority, index, column.name))
                elif key in column.names:
                    candidates.append((3 + priority, index, column.name))
                elif column.prefix and any(key.startswith(name + " ") for name in column.names):
                    candidates.append((6 + priority, index, column.name))
    found, taken = {}, set()
    for _priority, index, name in sorted(candidates):
        if name not in found and index not in taken:
            found[name] = index
            taken.add(index)
    repeated = {}
    for column in columns:
        exact = sorted({index for priority, index, name in candidates if name == column.name and priority == 0})
        if len(exact) > 1:
            repeated[column.name] = exact
    return found, repeated


def find_header(sheet: Sheet, columns: list[SheetColumn]) -> Header | None:
    """The header block naming the most declared columns (fewer rows, then the earliest, on a tie), or None when
    no row within the first ``HEADER_SEARCH_ROWS`` names any."""
    best, best_rank = None, None
    rows = sheet.rows
    for first in range(min(len(rows), HEADER_SEARCH_ROWS)):
        if all(is_empty(value) for value in rows[first]):
            continue
        for last in range(first, min(first + HEADER_MAX_ROWS, len(rows))):
            found, repeated = _match(_block_texts(rows, first, last), columns)
            rank = (len(found), -(last - first), -first)
            if found and (best_rank is None or rank > best_rank):
                texts = [
                    " ".join(str(rows[index][column]).split())
                    for column in range(max(len(row) for row in rows[first : last + 1]))
                    for index in range(first, last + 1)
                    if column < len(rows[index])
                    and isinstance(rows[index][column], str)
                    and rows[index][column].strip()
                ]
                best = Header(first + 1, last + 1, found, list(dict.fromkeys(texts)), repeated)
                best_rank = rank
    return best


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
