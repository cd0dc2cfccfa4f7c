"""The board itself on the poster's axes: curves, horizon labels, axes, anchors and notes,
each where the board's layout (:mod:`canvas.domain.layout`) puts it.

Cards have the layout's sizes; their text is broken in the pictures' font to the card's
width and, should that font need more lines than the layout planned (a wider fallback font),
set a little smaller so that it stays inside its card. A note keeps its whole text.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Rectangle

from canvas.domain import dimensions as dims
from canvas.domain.dimensions import Card
from canvas.domain.horizons import Curves
from canvas.domain.layout import Layout
from canvas.domain.model import Anchor, Note
from canvas.format.i18n import t
from canvas.view.export.common import (
    ANCHOR_BORDER,
    ANCHOR_FILL,
    ANCHOR_FILL_DEFAULT,
    HORIZON_COLOURS,
    INK,
    MUTED,
    NOTE_FILL_DEFAULT,
)
from canvas.view.export.postertext import clip, fit, fit_lines, wrap

NOTE_LINESPACING = 1.2 / 1.17  # the layout's leading, in matplotlib's line heights ("lp")
META_COLOUR = "#2f3640"
DASHES = {"H1": (None, None), "H2": (20 / 7, 11 / 7), "H3": (4 / 7, 10 / 7)}
LABEL_LINESPACING = (dims.LABEL_LEADING / dims.LABEL_SIZE) / 1.17


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
    """Draws the board of one layout on a poster's axes (``poster`` gives sizes and text)."""

    def __init__(self, poster, board: Layout) -> None:
        self.poster = poster
        self.board = board
        self.lang = poster.lang

    def curves(self, ax) -> None:
        s = self.poster.session.settings
        lw = self.poster.pt(7)
        for h, path in Curves.from_settings(s).paths().items():
            xs = [x * dims.WORLD_W for x, _ in path]
            ys = [(1 - y) * dims.WORLD_H for _, y in path]
            ax.add_line(Line2D(xs, ys, color=HORIZON_COLOURS[h], lw=lw, dashes=DASHES[h], zorder=1))
            ax.lines[-1].set_solid_capstyle("round")

    def labels(self, ax) -> None:
        """The horizon labels where the layout put them, above everything; the axes."""
        for h, box in self.board.labels.items():
            ax.add_patch(
                FancyBboxPatch(
                    (box.x, box.y),
                    box.w,
                    box.h,
                    boxstyle="round,pad=0,rounding_size=8",
                    facecolor=(1, 1, 1, 0.88),
                    edgecolor="none",
                    zorder=9,
                )
            )
            room = box.w - 2 * dims.LABEL_PAD
            text = f"{h} · {t(f'{h.lower()}_name', self.lang)}"
            lines = wrap(text, dims.LABEL_SIZE, room, bold=True)
            self.poster.text(
                ax,
                box.x + dims.LABEL_PAD,
                box.y + dims.LABEL_PAD,
                "\n".join(lines),
                dims.LABEL_SIZE,
                color=HORIZON_COLOURS[h],
                fontweight="bold",
                va="top",
                linespacing=LABEL_LINESPACING,
                zorder=9.1,
            )
        s = self.poster.session.settings
        axis = " ".join(f"{s.axis_from} → {s.axis_to}".split())
        size, axis = fit(axis, dims.AXIS_SIZE, dims.WORLD_W * 0.6)
        y = dims.WORLD_H - dims.AXIS / 2
        self.poster.text(ax, dims.WORLD_W / 2, y, axis, size, color=MUTED, ha="center", va="center")
        self.poster.text(
            ax,
            dims.AXIS / 2,
            (dims.WORLD_H - dims.AXIS) / 2,
            t("prevalence", self.lang),
            dims.AXIS_SIZE,
            color=MUTED,
            rotation=90,
            ha="center",
            va="center",
        )

    def anchor(self, ax, anchor_id: str, anchor: Anchor, count: int) -> None:
        box = self.board.anchors[anchor_id]
        colour = HORIZON_COLOURS.get(ANCHOR_BORDER.get(anchor.kind, ""), "#6b7785")
        style = {"action_area": "--", "principle": ":"}.get(anchor.kind, "-")
        rounding = 30 if anchor.kind == "pocket" else 10
        ax.add_patch(
            FancyBboxPatch(
                (box.x, box.y),
                box.w,
                box.h,
                boxstyle=f"round,pad=0,rounding_size={rounding}",
                facecolor=ANCHOR_FILL.get(anchor.kind, ANCHOR_FILL_DEFAULT),
                edgecolor=colour,
                lw=self.poster.pt(3),
                linestyle=style,
                zorder=2,
                gid=f"anchor-{anchor_id}",
            )
        )
        left = dims.ANCHOR_BORDER
        if ANCHOR_BORDER.get(anchor.kind) == "H1":
            left = dims.ANCHOR_BORDER_LEFT
            ax.add_patch(
                Rectangle((box.x, box.y + 4), left, box.h - 8, facecolor=colour, zorder=2.1)
            )
        self._count(ax, box, count)
        self._title(ax, box, left, self.poster.outline.anchor_titles.get(anchor_id, anchor.title))

    def _count(self, ax, box, count: int) -> None:
        w = dims.COUNT_W - 8
        x = box.x + box.w - dims.ANCHOR_BORDER - dims.ANCHOR_PAD_X - w
        y = box.y + dims.ANCHOR_BORDER + dims.ANCHOR_PAD_Y
        if not count:
            return
        ax.add_patch(
            FancyBboxPatch(
                (x, y),
                w,
                dims.TITLE_LEADING,
                boxstyle="round,pad=0,rounding_size=14",
                facecolor=INK,
                edgecolor="none",
                zorder=2.3,
            )
        )
        mid = (x + w / 2, y + dims.TITLE_LEADING / 2)
        self.poster.text(
            ax, *mid, str(count), 22, color="white", ha="center", va="center_baseline", zorder=2.4
        )

    def _title(self, ax, box, left: float, title: str) -> None:
        room = box.w - left - dims.ANCHOR_BORDER - 2 * dims.ANCHOR_PAD_X
        height = box.h - 2 * (dims.ANCHOR_BORDER + dims.ANCHOR_PAD_Y)
        # The first line leaves room for the count, as on the board.
        size, lines = fit_lines(
            title,
            dims.TITLE_SIZE,
            room - dims.COUNT_W,
            height,
            dims.TITLE_LEADING / dims.TITLE_SIZE,
            bold=True,
        )
        self.poster.text(
            ax,
            box.x + left + dims.ANCHOR_PAD_X,
            box.y + dims.ANCHOR_BORDER + dims.ANCHOR_PAD_Y,
            "\n".join(lines),
            size,
            fontweight="bold",
            va="top",
            linespacing=(dims.TITLE_LEADING / dims.TITLE_SIZE) / 1.17,
            zorder=2.2,
        )

    def notes(self, ax, cards: list[NoteCard]) -> list:
        """Each note's card, then its text: one note above the other in id order."""
        artists = []
        step = 1 / (len(cards) + 1)
        for i, c in enumerate(cards):
            z = 3 + i * step * 5
            box = FancyBboxPatch(
                (c.left, c.top),
                c.width,
                c.height,
                boxstyle=f"round,pad=0,rounding_size={8 * c.scale}",
                facecolor=c.fill,
                edgecolor=(0, 0, 0, 0.35),
                lw=self.poster.pt(2 * c.scale),
                zorder=z,
                gid=f"note-{c.note.id}",
            )
            ax.add_patch(box)
            body = self.poster.text(
                ax,
                c.text_x,
                c.text_top,
                "\n".join(c.lines),
                c.size,
                va="top",
                linespacing=NOTE_LINESPACING,
                zorder=z + step,
            )
            meta = self.poster.text(
                ax,
                c.text_x,
                c.meta_bottom,
                c.meta,
                c.meta_size,
                va="bottom",
                zorder=z + step,
                color=META_COLOUR,
            )
            artists += [box, body, meta]
        return artists
