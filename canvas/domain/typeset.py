"""How much room a text needs on the board, without a browser.

The board's layout is computed in Python (for the live board and for every export alike), yet
its cards must be tall enough for their whole text as the browser wraps it. The cards are set
in Arial's metrics (Arial, Liberation Sans and Helvetica share them), so the advance widths
below, in thousandths of an em, predict the browser's line breaks; the wrap here breaks only
where the browser may (spaces, newlines, and anywhere inside a word too long for a line), so
it never finds fewer lines than the browser does. Characters outside the table count as
their base letter (Welsh ŵ as w) or, failing that, as a full em.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Advance widths of the printable ASCII characters (space to tilde), 1/1000 em.
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
)  # fmt: skip
# Punctuation that notes use and that has no ASCII base letter.
_OTHER = {
    "\u2014": 1000,  # em dash
    "\u2013": 556,  # en dash
    "\u2018": 222,
    "\u2019": 222,
    "\u201c": 333,
    "\u201d": 333,
    "\u2026": 1000,  # ellipsis
    "\u00b7": 278,  # middle dot
    "\u2022": 350,
    "\u2192": 1000,  # arrow
    "\u00a3": 556,
    "\u20ac": 556,
    "\u00a0": 278,
}
SAFETY = 1.03  # browsers round glyph positions; a little slack keeps the last word on its line
TAB = 8  # spaces a tab takes (CSS tab-size)


@lru_cache(maxsize=4096)
def _advance(char: str, bold: bool) -> float:
    code = ord(char)
    if 32 <= code <= 126:
        return (_BOLD if bold else _REGULAR)[code - 32] / 1000
    if char in _OTHER:
        return _OTHER[char] / 1000
    if char == "\t":
        return TAB * _advance(" ", bold)
    base = unicodedata.normalize("NFD", char)[:1]
    if base != char and 32 <= ord(base) <= 126:
        return _advance(base, bold)
    if unicodedata.combining(char):
        return 0.0
    return 1.25 if code > 0xFFFF else 1.0


def width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` set at ``size`` (in the unit of ``size``)."""
    return sum(_advance(c, bold) for c in text) * size * SAFETY


def wrap(text: str, room: float, size: float, bold: bool = False, indent: float = 0.0) -> list[str]:
    """``text`` broken into lines no wider than ``room``, as the browser breaks it.

    Spaces are kept as typed (the cards use ``white-space: pre-wrap``), a newline always
    breaks, and a word wider than a whole line goes to a line of its own and is broken
    between characters there (``overflow-wrap: anywhere``). ``indent`` is room taken at the
    start of the first line (by a badge floated beside the text).
    """
    lines: list[str] = []
    space = width(" ", size, bold)
    for n, paragraph in enumerate(text.split("\n")):
        line, used = "", 0.0
        for i, word in enumerate(paragraph.split(" ")):
            w = width(word, size, bold)
            if i == 0 and n == 0 and indent and indent + w > room:
                lines.append("")  # the first word does not fit beside the badge
                line, used = word, w
            elif i == 0:
                line, used = word, w + (indent if n == 0 else 0.0)
            elif used + space + w <= room:
                line, used = f"{line} {word}", used + space + w
            else:
                lines.append(line)
                line, used = word, w
            while used > room and len(line) > 1:
                cut = _fitting(line, room, size, bold)
                lines.append(line[:cut])
                line = line[cut:]
                used = width(line, size, bold)
        lines.append(line)
    return lines


def _fitting(text: str, room: float, size: float, bold: bool) -> int:
    """How many leading characters of ``text`` fit in ``room`` (at least one)."""
    acc = 0.0
    for i, c in enumerate(text):
        acc += _advance(c, bold) * size * SAFETY
        if acc > room:
            return max(i, 1)
    return len(text)


@lru_cache(maxsize=65536)
def count_lines(
    text: str, room: float, size: float, bold: bool = False, indent: float = 0.0
) -> int:
    """How many lines ``text`` takes in a column ``room`` wide (at least one)."""
    return max(1, len(wrap(text, room, size, bold, indent)))
