"""Measuring and breaking text for the pictures (poster, PNG, SVG, PDF), in the font they use.

The measures read the same font file that the PDF embeds and Pillow draws the PNG with, so a
line broken here is a line they draw at the same width.
"""

from __future__ import annotations

from functools import cache

from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font

FALLBACK = "DejaVu Sans"  # matplotlib's own font: Latin (Welsh included), Greek, Cyrillic


@cache
def family() -> str:
    """The font the pictures are set in: Arial's metrics when the system has them (the
    layout predicts line breaks in those), else matplotlib's own DejaVu Sans, which is wider,
    so text set in it is made smaller where it would not fit its card."""
    for name in ("Liberation Sans", "Arial"):
        try:
            findfont(FontProperties(family=name), fallback_to_default=False)
        except ValueError:
            continue
        return name
    return FALLBACK


@cache
def font_path(bold: bool = False, italic: bool = False) -> str:
    """The font file of the pictures' font in one weight and style (found by matplotlib's
    font manager, which also ships the fallback)."""
    style = "italic" if italic else "normal"
    props = FontProperties(family=family(), weight="bold" if bold else "normal", style=style)
    return findfont(props)


@cache
def _font(bold: bool) -> FT2Font:
    # A font object of our own: matplotlib's cached ones change size as they draw.
    font = FT2Font(font_path(bold))
    font.set_size(100, 72)
    return font


@cache
def _advance(char: str, bold: bool) -> float:
    """Width of ``char`` in em (a character the font lacks is drawn as its empty box)."""
    font = _font(bold)
    glyph = font.load_glyph(font.get_char_index(ord(char)))
    return glyph.linearHoriAdvance / 65536 / 100


def width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` at ``size`` (any unit: the result is in the same unit)."""
    return sum(_advance(c, bold) for c in text) * size


def wrap(text: str, size: float, room: float, bold: bool = False) -> list[str]:
    """Greedy word wrap of ``text`` into lines no wider than ``room``.

    A word too long for a line is broken between characters; the text's own line breaks
    stay. Joining the lines gives back the text's words in order.
    """
    out: list[str] = []
    space = width(" ", size, bold)
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            w = width(word, size, bold)
            if line and used + space + w <= room:
                line, used = f"{line} {word}", used + space + w
                continue
            if line:
                out.append(line)
            while w > room and len(word) > 1:
                cut, acc = len(word) - 1, 0.0
                for i, c in enumerate(word):
                    acc += _advance(c, bold) * size
                    if acc > room:
                        cut = max(i, 1)
                        break
                out.append(word[:cut])
                word = word[cut:]
                w = width(word, size, bold)
            line, used = word, w
        if line:
            out.append(line)
    return out


def clip(lines: list[str], most: int, size: float, room: float, bold: bool = False) -> list[str]:
    """At most ``most`` lines; the last one ends in an ellipsis when some were cut."""
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    while last and width(last + "…", size, bold) > room:
        last = last[:-1]
    return [*lines[: most - 1], last.rstrip() + "…"]


def fit(text: str, size: float, room: float, bold: bool = False, smallest: float = 7.0):
    """``(size, text)``: one line, in a smaller size if needed, cut with "…" if even that fails."""
    while size > smallest and width(text, size, bold) > room:
        size -= 0.5
    return size, clip(wrap(text, size, room, bold), 1, size, room, bold)[0] if text else ""


def fit_lines(
    text: str, size: float, room: float, height: float, leading: float, bold: bool = False
) -> tuple[float, list[str]]:
    """``(size, lines)``: ``text`` broken to ``room``, in ``size`` or smaller (down to 60%)
    until its lines fit ``height`` at ``leading`` times the size."""
    smallest = size * 0.6
    lines = wrap(text, size, room, bold)
    while len(lines) * size * leading > height + 1e-6 and size > smallest:
        size *= 0.95
        lines = wrap(text, size, room, bold)
    return size, lines
