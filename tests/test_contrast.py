"""Note text is readable on every palette colour (WCAG 2.2 AA: 4.5:1), in both themes.

Both themes draw notes with the same dark text on the palette colours, so one check covers
them; the dark theme only darkens the page around the board.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from canvas.domain.model import DEFAULT_PALETTE

CSS = (Path(__file__).resolve().parent.parent / "canvas/view/static/board.css").read_text()
NOTE_TEXT = "#1b1f24"


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_cards_use_the_dark_note_text():
    assert re.search(r"\.thc-note \{[^}]*color: #1b1f24", CSS)
    dark = CSS[CSS.index("prefers-color-scheme: dark") :]
    assert ".thc-note, .thc-anchor" in dark and "color: #1b1f24" in dark


@pytest.mark.parametrize("name", sorted(DEFAULT_PALETTE))
def test_note_text_contrast_on_every_palette_colour(name):
    assert contrast(NOTE_TEXT, DEFAULT_PALETTE[name]) >= 4.5


def test_contrast_formula():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
