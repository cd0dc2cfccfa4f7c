"""The board as a poster, drawn with matplotlib (no browser): the header, the board, the key.

Everything on the board sits where the board's layout puts it (:mod:`canvas.domain.layout`):
the same world, the same anchors and zones, the same notes at the same sizes, so the poster
is the board as the room saw it (:mod:`canvas.view.export.posterboard` draws it). Every user
string is drawn with ``parse_math=False``, so ``$`` is a dollar.

The figure is A3 landscape (vector in SVG and PDF); printed at A2 it is 1.4 times larger.
The PNG draws the notes' text with Pillow (matplotlib's own image library) in the same font
at the same places: matplotlib lays text out glyph by glyph, which for a thousand notes
takes many seconds; see :mod:`canvas.view.export.png`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from canvas.domain.dimensions import WORLD_H, WORLD_W
from canvas.domain.layout import layout
from canvas.domain.model import HORIZONS
from canvas.format.i18n import horizon_labels, t
from canvas.view.export.common import HORIZON_COLOURS, INK, LINE, MUTED, Progress, count
from canvas.view.export.outline import Outline
from canvas.view.export.posterboard import DASHES, META_COLOUR, BoardDrawing, NoteCard, note_card
from canvas.view.export.postertext import (
    _advance,
    clip,
    family,
    fit,
    font_path,
    quiet,
    width,
    wrap,
)

__all__ = [
    "META_COLOUR",
    "NoteCard",
    "Poster",
    "_advance",
    "clip",
    "draw",
    "fit",
    "font_path",
    "note_card",
    "quiet",
    "width",
    "wrap",
]

PAPER = {"A3": (16.54, 11.69), "A2": (23.39, 16.54)}


class Poster:
    """An outline's board drawn on a figure; ``draw(notes=False)`` leaves the notes to the
    caller (the PNG paints them with Pillow from :attr:`cards`)."""

    def __init__(self, outline: Outline, paper: str = "A3") -> None:
        self.outline = outline
        self.session = outline.session
        self.lang = outline.lang
        self.fig_w, self.fig_h = PAPER[paper]
        margin, header, footer = 0.4, 1.3, 0.45
        board_w = self.fig_w - 2 * margin
        board_h = board_w * WORLD_H / WORLD_W
        if board_h > self.fig_h - header - footer:
            board_h = self.fig_h - header - footer
            board_w = board_h * WORLD_W / WORLD_H
        bottom = max(footer, self.fig_h - header - board_h)
        self.board = (
            (self.fig_w - board_w) / 2 / self.fig_w,
            bottom / self.fig_h,
            board_w / self.fig_w,
            board_h / self.fig_h,
        )
        self.scale = board_w * 72 / WORLD_W  # points per world pixel
        self.header_top = 1 - margin / 2 / self.fig_h
        self.placed = Counter(n.anchor for n in outline.notes if n.anchor)
        # The layout of what is exported: the notes left out leave no gap.
        shown = replace(self.session, notes={n.id: n for n in outline.notes})
        self.layout = layout(shown, horizon_labels())
        empty = t("empty_note", self.lang)
        palette = self.session.settings.palette
        self.cards = [note_card(n, self.layout.notes[n.id], empty, palette) for n in outline.notes]
        self.note_artists: list = []
        self.fig: Figure | None = None

    def pt(self, px: float) -> float:
        return px * self.scale

    def to_pixels(self, x: float, y: float, dpi: float) -> tuple[float, float]:
        """A world point's place in an image of the figure at ``dpi`` (y down)."""
        left, bottom, w, h = self.board
        px = (left + x / WORLD_W * w) * self.fig_w * dpi
        py = (1 - bottom - h + y / WORLD_H * h) * self.fig_h * dpi
        return px, py

    def text(self, ax, x, y, s, size_px, **kw):
        """User or catalogue text: never TeX, never mathtext."""
        kw.setdefault("color", INK)
        kw.setdefault("fontfamily", family())
        return ax.text(x, y, s, fontsize=self.pt(size_px), parse_math=False, **kw)

    # ---------------------------------------------------------------------------------
    def draw(self, progress: Progress | None = None, *, notes: bool = True) -> Figure:
        progress = progress or Progress()
        lang = self.lang
        fig = Figure(figsize=(self.fig_w, self.fig_h), facecolor="white")
        self._header(fig)
        ax = fig.add_axes(self.board)
        ax.set_xlim(0, WORLD_W)
        ax.set_ylim(WORLD_H, 0)
        ax.set_axis_off()
        ax.add_patch(
            Rectangle((0, 0), WORLD_W, WORLD_H, facecolor="white", edgecolor=LINE, lw=1, zorder=0)
        )
        for i in (1, 2, 3):
            ax.add_line(
                Line2D([WORLD_W * i / 4] * 2, [0, WORLD_H], color="#eef1f4", lw=1, zorder=0.5)
            )
        drawing = BoardDrawing(self, self.layout)
        drawing.curves(ax)
        progress(0.2, t("export_progress_board", lang))
        for anchor_id, anchor in sorted(self.session.anchors.items()):
            drawing.anchor(ax, anchor_id, anchor, self.placed.get(anchor_id, 0))
        progress(0.4, t("export_progress_board", lang))
        if notes:
            self.note_artists = drawing.notes(ax, self.cards)
        drawing.labels(ax)
        self._footer(fig)
        progress(1.0, t("export_progress_board", lang))
        self.fig = fig
        return fig

    def _header(self, fig: Figure) -> None:
        o = self.outline
        lang = self.lang
        left = self.board[0]
        right = self.board[0] + self.board[2]
        top = self.header_top
        room = (self.board[2] * self.fig_w - 3.2) * 72

        def put(x, y, s, size, **kw):
            fig.text(x, y, s, fontsize=size, va="top", parse_math=False, fontfamily=family(), **kw)

        size, title = fit(" ".join(o.title.split()), 22, room, bold=True, smallest=14)
        put(left, top, title, size, fontweight="bold", color=INK)
        totals = ", ".join(
            (
                count(len(o.notes), "notes", lang),
                count(o.votes, "votes", lang),
                count(len(o.session.anchors), "anchors", lang),
            )
        )
        put(right, top, o.subtitle(), 12, ha="right", color=MUTED)
        put(right, top - 0.22 / self.fig_h, totals, 12, ha="right", color=MUTED)
        if o.focal_question:
            label = f"{t('export_focal_question', lang)}: {' '.join(o.focal_question.split())}"
            lines = clip(wrap(label, 13, room), 2, 13, room)
            put(left, top - 0.48 / self.fig_h, "\n".join(lines), 13, color=INK, linespacing=1.3)

    def _footer(self, fig: Figure) -> None:
        lang = self.lang
        y = self.board[1] - 0.22 / self.fig_h
        x = self.board[0]
        step = self.board[2] / 4.2
        for i, h in enumerate(HORIZONS):
            fig.add_artist(
                Line2D(
                    [x + i * step, x + i * step + 0.025],
                    [y, y],
                    transform=fig.transFigure,
                    color=HORIZON_COLOURS[h],
                    lw=3,
                    dashes=DASHES[h],
                )
            )
            fig.text(
                x + i * step + 0.03,
                y,
                f"{h} · {t(f'{h.lower()}_name', lang)}",
                fontsize=10,
                va="center",
                color=INK,
                fontfamily=family(),
                parse_math=False,
            )
        notice = t("export_private_included", lang) if self.outline.include_private else ""
        fig.text(
            self.board[0] + self.board[2],
            y,
            notice or t("app_name", lang),
            fontsize=9,
            ha="right",
            va="center",
            color=MUTED,
            fontfamily=family(),
            parse_math=False,
            fontweight="bold" if notice else "normal",
        )


def draw(
    outline: Outline,
    *,
    paper: str = "A3",
    notes: bool = True,
    progress: Progress | None = None,
) -> Poster:
    """The poster of an outline's board (no pyplot, no GUI); its figure is ``.fig``.

    ``notes=False`` leaves the notes out (:mod:`canvas.view.export.png` paints them itself).
    """
    poster = Poster(outline, paper)
    with quiet():
        poster.draw(progress, notes=notes)
    return poster
