"""The board itself on the poster: curves, horizon labels, axes, anchors and notes, each where
the board's layout (:mod:`canvas.domain.layout`) puts it, as shapes of a
:class:`~canvas.view.export.scene.Scene`.

Cards have the layout's sizes; their text is broken in the pictures' font to the card's
width and, should that font need more lines than the layout planned (a wider fallback font),
set a little smaller so that it stays inside its card. A note keeps its whole text.
"""

from __future__ import annotations

from dataclasses import dataclass

from canvas.domain import dimensions as dims
from canvas.domain.dimensions import Card
from canvas.domain.horizons import Curves
from canvas.domain.layout import Layout
from canvas.domain.model import Anchor, Note
from canvas.domain.space import Box
from canvas.format.i18n import t
from canvas.view.export.common import (
    ANCHOR_BORDER,
    ANCHOR_FILL,
    ANCHOR_FILL_DEFAULT,
    HORIZON_COLOURS,
    INK,
    LINE,
    MUTED,
    NOTE_FILL_DEFAULT,
    axis_text,
)
from canvas.view.export.postertext import clip, fit, fit_lines, wrap
from canvas.view.export.scene import Group, Line, Rect, Text, baseline

META_COLOUR = "#2f3640"
# Each curve's dash, in world pixels (on, off), as board.css draws it.
DASHES: dict[str, tuple[float, float] | None] = {"H1": None, "H2": (20, 11), "H3": (4, 10)}
ANCHOR_DASHES = {"action_area": (11.0, 5.0), "principle": (3.0, 5.0)}


@dataclass(frozen=True, slots=True)
class NoteCard:
    """A note as drawn, in world pixels: its card, its broken text and its meta line."""

    note: Note
    left: float
    top: float
    width: float
    height: float
    scale: float
    size: float
    lines: tuple[str, ...]
    meta: str
    fill: str

    @property
    def text_x(self) -> float:
        return self.left + (dims.NOTE_PAD_X + dims.NOTE_BORDER) * self.scale

    @property
    def text_top(self) -> float:
        return self.top + (dims.NOTE_PAD_Y + dims.NOTE_BORDER) * self.scale

    @property
    def meta_size(self) -> float:
        return dims.NOTE_SIZE * self.scale

    @property
    def meta_bottom(self) -> float:
        return self.top + self.height - (dims.NOTE_PAD_Y + dims.NOTE_BORDER) * self.scale


def badge(note: Note) -> str:
    return f"H2{note.polarity}" if note.horizon == "H2" and note.polarity else note.horizon


def note_card(note: Note, card: Card, empty: str, palette: dict[str, str]) -> NoteCard:
    """A note on its layout card: its whole text broken to the card, then its meta line."""
    s = card.scale
    inner = dims.NOTE_PAD_X + dims.NOTE_BORDER
    room = (dims.NOTE_W - 2 * inner) * s
    text = note.text.strip() or empty
    text_h = (card.height - 2 * (dims.NOTE_PAD_Y + dims.NOTE_BORDER) - dims.META_H) * s
    size, lines = fit_lines(text, dims.NOTE_SIZE * s, room, text_h, 1.2)
    votes = f"● {note.votes}" if note.votes else ""
    author = " ".join(note.author.split())
    meta = " · ".join(p for p in (badge(note), author, votes) if p)
    meta = clip(wrap(meta, dims.NOTE_SIZE * s, room), 1, dims.NOTE_SIZE * s, room)
    box = card.box
    return NoteCard(
        note,
        box.x,
        box.y,
        box.w,
        box.h,
        s,
        size,
        tuple(lines),
        meta[0] if meta else "",
        palette.get(note.colour, NOTE_FILL_DEFAULT),
    )


class BoardDrawing:
    """Puts the board of one layout on a poster's scene (``poster`` says where the board is
    on the page and how large: :meth:`Poster.at` and :meth:`Poster.pt`)."""

    def __init__(self, poster, board: Layout) -> None:
        self.poster = poster
        self.board = board
        self.lang = poster.lang
        self.scene = poster.scene

    def _rect(self, box, **kw) -> Rect:
        x, y = self.poster.at(box.x, box.y)
        pt = self.poster.pt
        return Rect(x, y, pt(box.w), pt(box.h), **kw)

    def _text(self, x: float, top: float, lines, size: float, leading: float = 1.2, **kw) -> Text:
        """Lines of text whose first line box starts at world ``(x, top)``."""
        pt = self.poster.pt
        px, py = self.poster.at(x, top)
        first = baseline(py, pt(size), leading)
        return Text(px, first, tuple(lines), pt(size), step=pt(size) * leading, **kw)

    def frame(self) -> None:
        """The board's paper and its quarter lines."""
        pt = self.poster.pt
        self.scene.add(self._rect(dims.WORLD_BOX, fill="#ffffff", stroke=LINE, width=1.0))
        for i in (1, 2, 3):
            x, y = self.poster.at(dims.WORLD_W * i / 4, 0)
            self.scene.add(Line(((x, y), (x, y + pt(dims.WORLD_H))), "#eef1f4", 1.0))

    def curves(self) -> None:
        s = self.poster.session.settings
        pt = self.poster.pt
        for h, path in Curves.from_settings(s).paths().items():
            points = tuple(
                self.poster.at(x * dims.WORLD_W, (1 - y) * dims.WORLD_H) for x, y in path
            )
            dash = DASHES[h]
            self.scene.add(
                Line(
                    points, HORIZON_COLOURS[h], pt(7), (pt(dash[0]), pt(dash[1])) if dash else None
                )
            )

    def labels(self) -> None:
        """The horizon labels where the layout put them, above everything; the axes."""
        for h, box in self.board.labels.items():
            self.scene.add(self._rect(box, fill="#ffffff", opacity=0.88, radius=self.poster.pt(8)))
            room = box.w - 2 * dims.LABEL_PAD
            text = f"{h} · {t(f'{h.lower()}_name', self.lang)}"
            lines = wrap(text, dims.LABEL_SIZE, room, bold=True)
            leading = dims.LABEL_LEADING / dims.LABEL_SIZE
            at = (box.x + dims.LABEL_PAD, box.y + dims.LABEL_PAD)
            colour = HORIZON_COLOURS[h]
            self.scene.add(
                self._text(*at, lines, dims.LABEL_SIZE, leading, colour=colour, bold=True)
            )
        self._axes()

    def _axes(self) -> None:
        s = self.poster.session.settings
        pt = self.poster.pt
        axis = " ".join(axis_text(s, self.lang).split())
        size, axis = fit(axis, dims.AXIS_SIZE, dims.WORLD_W * 0.6)
        x, y = self.poster.at(dims.WORLD_W / 2, dims.WORLD_H - dims.AXIS / 2)
        middle = 0.35 * pt(size)  # from the middle of a line to its baseline
        self.scene.add(Text(x, y + middle, (axis,), pt(size), MUTED, align="center"))
        x, y = self.poster.at(dims.AXIS / 2, (dims.WORLD_H - dims.AXIS) / 2)
        label = (t("prevalence", self.lang),)
        self.scene.add(
            Text(x + middle, y, label, pt(dims.AXIS_SIZE), MUTED, align="center", rotate=90)
        )

    def anchor(self, anchor_id: str, anchor: Anchor, count: int) -> None:
        box = self.board.anchors[anchor_id]
        pt = self.poster.pt
        colour = HORIZON_COLOURS.get(ANCHOR_BORDER.get(anchor.kind, ""), "#6b7785")
        dash = ANCHOR_DASHES.get(anchor.kind)
        group = Group(f"anchor-{anchor_id}")
        fill = ANCHOR_FILL.get(anchor.kind, ANCHOR_FILL_DEFAULT)
        rounding = pt(30 if anchor.kind == "pocket" else 10)
        group.items.append(
            self._rect(
                box,
                fill=fill,
                stroke=colour,
                width=pt(3),
                radius=rounding,
                dash=(pt(dash[0]), pt(dash[1])) if dash else None,
            )
        )
        left = dims.ANCHOR_BORDER
        if ANCHOR_BORDER.get(anchor.kind) == "H1":
            left = dims.ANCHOR_BORDER_LEFT
            bar = Box(box.x, box.y + 4, left, box.h - 8)
            group.items.append(self._rect(bar, fill=colour))
        self.scene.add(group)
        self._count(box, count)
        self._title(box, left, self.poster.outline.anchor_titles.get(anchor_id, anchor.title))

    def _count(self, box, count: int) -> None:
        if not count:
            return
        w = dims.COUNT_W - 8
        x = box.x + box.w - dims.ANCHOR_BORDER - dims.ANCHOR_PAD_X - w
        y = box.y + dims.ANCHOR_BORDER + dims.ANCHOR_PAD_Y
        pill = Box(x, y, w, dims.TITLE_LEADING)
        self.scene.add(self._rect(pill, fill=INK, radius=self.poster.pt(14)))
        cx, cy = self.poster.at(x + w / 2, y + dims.TITLE_LEADING / 2)
        size = self.poster.pt(22)
        self.scene.add(Text(cx, cy + 0.35 * size, (str(count),), size, "#ffffff", align="center"))

    def _title(self, box, left: float, title: str) -> None:
        room = box.w - left - dims.ANCHOR_BORDER - 2 * dims.ANCHOR_PAD_X
        height = box.h - 2 * (dims.ANCHOR_BORDER + dims.ANCHOR_PAD_Y)
        leading = dims.TITLE_LEADING / dims.TITLE_SIZE
        # The first line leaves room for the count, as on the board.
        size, lines = fit_lines(title, dims.TITLE_SIZE, room - dims.COUNT_W, height, leading, True)
        top = box.y + dims.ANCHOR_BORDER + dims.ANCHOR_PAD_Y
        x = box.x + left + dims.ANCHOR_PAD_X
        self.scene.add(self._text(x, top, lines, size, leading, colour=INK, bold=True))

    def notes(self, cards: list[NoteCard]) -> None:
        """Each note's card, then its text: one note above the other in id order."""
        pt = self.poster.pt
        for c in cards:
            group = Group(f"note-{c.note.id}")
            box = Box(c.left, c.top, c.width, c.height)
            group.items.append(
                self._rect(
                    box,
                    fill=c.fill,
                    stroke="#000000",
                    stroke_opacity=0.35,
                    width=pt(2 * c.scale),
                    radius=pt(8 * c.scale),
                )
            )
            group.items.append(self._text(c.text_x, c.text_top, c.lines, c.size, colour=INK))
            if c.meta:
                x, y = self.poster.at(c.text_x, c.meta_bottom)
                size = pt(c.meta_size)
                group.items.append(Text(x, y - DESCENT_GAP * size, (c.meta,), size, META_COLOUR))
            self.scene.add(group)


DESCENT_GAP = 0.3  # from the bottom of the meta line's box to its baseline, in font sizes
