"""One row per note, every field, UTF-8 with a byte order mark (so spreadsheets read it as
UTF-8), and :func:`read_csv` to get the very same notes back.

Columns are the fields of :class:`canvas.domain.model.Note` in order. Lists (tags, personas) are
JSON arrays, booleans ``true``/``false``, an absent anchor or polarity an empty cell; x and y are
rounded to 4 decimal places (a ten-thousandth of the board, finer than any screen shows), so a
spreadsheet shows 0.22, not the float noise 0.22000000000000003. A cell
that a spreadsheet would take for a formula (starting with ``= + - @``, a tab or a carriage
return) is written with a leading ``'``, as is any cell that starts with ``'``, and
:func:`read_csv` takes exactly one leading ``'`` off again.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from canvas.domain.fields import table
from canvas.domain.model import Note

# The note's field table decides the columns and how each is written and read back.
COLUMNS = tuple(f.name for f in table(Note))
_KINDS = {f.name: f.kind for f in table(Note)}
_FLOATS = {name for name, kind in _KINDS.items() if kind == "unit"}
_INTS = {name for name, kind in _KINDS.items() if kind == "count"}
_BOOLS = {name for name, kind in _KINDS.items() if kind == "flag"}
_LISTS = {name for name, kind in _KINDS.items() if kind in ("ids", "tags")}
_OPTIONAL = {f.name for f in table(Note) if f.default is None}
PLACES = 4  # decimal places of x and y
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "'")


class CsvError(ValueError):
    """A CSV file that does not hold notes as :func:`render` writes them."""


def _protect(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA) else cell


def _unprotect(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def _cell(note: Note, name: str) -> str:
    value = getattr(note, name)
    if name in _LISTS:
        return json.dumps(list(value), ensure_ascii=False)
    if name in _BOOLS:
        return "true" if value else "false"
    if value is None:
        return ""
    if name in _FLOATS:
        return repr(round(float(value), PLACES) + 0.0)  # + 0.0: never "-0.0"
    return _protect(str(value))


def render(notes) -> bytes:
    """The CSV bytes of ``notes`` (any iterable of notes), with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for note in notes:
        writer.writerow([_cell(note, name) for name in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _value(name: str, cell: str, where: str):
    try:
        if name in _FLOATS:
            return float(cell)
        if name in _INTS:
            return int(cell)
        if name in _BOOLS:
            if cell not in ("true", "false"):
                raise ValueError(f"expected true or false, got {cell!r}")
            return cell == "true"
        if name in _LISTS:
            items = json.loads(cell) if cell else []
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise ValueError("expected a JSON list of text")
            return tuple(items)
    except ValueError as exc:
        raise CsvError(f"{where}: {name}: {exc}") from None
    cell = _unprotect(cell)
    if name in _OPTIONAL and cell == "":
        return None
    return cell


def loads(text: str, source: str = "<csv>") -> dict[str, Note]:
    """Notes from CSV text as :func:`render` writes it (a leading BOM is ignored)."""
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(rows, None)
    if header is None or tuple(header) != COLUMNS:
        raise CsvError(f"{source}: the first row must name the columns {', '.join(COLUMNS)}")
    notes: dict[str, Note] = {}
    for line, row in enumerate(rows, 2):
        if not row:
            continue
        where = f"{source}:{line}"
        if len(row) != len(COLUMNS):
            raise CsvError(f"{where}: expected {len(COLUMNS)} cells, got {len(row)}")
        note = Note(**{n: _value(n, c, where) for n, c in zip(COLUMNS, row, strict=True)})
        if note.id in notes:
            raise CsvError(f"{where}: note {note.id!r} appears twice")
        notes[note.id] = note
    return notes


def read_csv(path: str | os.PathLike) -> dict[str, Note]:
    """The notes of a CSV export, by id (x and y as exported: to 4 places)."""
    path = Path(path)
    return loads(path.read_bytes().decode("utf-8"), str(path))
