"""The poster as a list of shapes and lines of text on a page, for every picture to paint.

:mod:`canvas.view.export.poster` builds one :class:`Scene` from the board's layout; the SVG
(:mod:`~canvas.view.export.svg`), the PDF (:mod:`~canvas.view.export.pdf`) and the PNG
(:mod:`~canvas.view.export.png`) each paint it with their own few primitives. So the three
pictures cannot disagree about where anything is, and none of them lays text out itself: every
line of text arrives broken, measured and placed.

Units are points (1/72 inch) from the page's top left corner, y downwards. Standard library
only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Liberation Sans / Arial: ascent and descent in em (hhea), as a browser places a line in its
# line box: baseline = top + (leading - (ascent + descent)) / 2 + ascent, in font sizes.
ASCENT = 0.905
DESCENT = 0.212


def baseline(top: float, size: float, leading: float = 1.2) -> float:
    """The baseline of a line whose line box (``leading`` times ``size`` tall) starts at
    ``top``."""
    return top + ((leading - ASCENT - DESCENT) / 2 + ASCENT) * size


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle, its corners rounded by ``radius``; ``dash`` is (on, off) in points."""

    x: float
    y: float
    w: float
    h: float
    fill: str | None = None
    stroke: str | None = None
    width: float = 0.0
    radius: float = 0.0
    dash: tuple[float, float] | None = None
    opacity: float = 1.0
    stroke_opacity: float = 1.0


@dataclass(frozen=True, slots=True)
class Line:
    """An open polyline; round caps and joins."""

    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float
    dash: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Text:
    """Lines of text already broken: ``x`` is where they start (or end, or centre, by
    ``align``), ``y`` the first line's baseline, each next line ``step`` lower. ``rotate`` is
    90 for text that reads upwards (the prevalence axis)."""

    x: float
    y: float
    lines: tuple[str, ...]
    size: float
    colour: str
    bold: bool = False
    italic: bool = False
    step: float = 0.0
    align: str = "left"
    rotate: int = 0


@dataclass(slots=True)
class Group:
    """Shapes that belong to one item (``note-ID``, ``anchor-ID``), drawn together."""

    gid: str
    items: list = field(default_factory=list)


@dataclass(slots=True)
class Scene:
    """A page of shapes and text, painted in order (later items above earlier ones)."""

    width: float
    height: float
    items: list = field(default_factory=list)
    title: str = ""
    description: str = ""

    def add(self, *items) -> None:
        self.items.extend(items)

    def texts(self):
        """Every :class:`Text`, groups included, in painting order."""
        for item in self.items:
            if isinstance(item, Group):
                yield from (i for i in item.items if isinstance(i, Text))
            elif isinstance(item, Text):
                yield item


def flatten(items):
    """Every shape and text, groups opened, in painting order."""
    for item in items:
        if isinstance(item, Group):
            yield from item.items
        else:
            yield item
