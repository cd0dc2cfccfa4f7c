"""The board as a poster: the header, the board, the key, as one page of shapes and text.

Everything on the board sits where the board's layout puts it (:mod:`canvas.domain.layout`):
the same world, the same anchors and zones, the same notes at the same sizes, so the poster
is the board as the room saw it (:mod:`canvas.view.export.posterboard` draws it). The result is
a :class:`~canvas.view.export.scene.Scene` that the SVG, the PDF and the PNG paint, each with a
few primitives of its own: text is measured and broken here once, in the pictures' font
(:mod:`canvas.view.export.postertext`), never laid out glyph by glyph by a plotting library
(matplotlib took seconds per thousand notes for that).

The page is A3 landscape (vector in SVG and PDF); printed at A2 it is 1.4 times larger.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from canvas.domain.dimensions import WORLD_H, WORLD_W
from canvas.domain.layout import layout
from canvas.domain.model import HORIZONS
from canvas.format.i18n import horizon_labels, t
from canvas.view.export.common import HORIZON_COLOURS, INK, MUTED, Progress, count
from canvas.view.export.outline import Outline
from canvas.view.export.posterboard import DASHES, META_COLOUR, BoardDrawing, NoteCard, note_card
from canvas.view.export.postertext import (
    _advance,
    clip,
    family,
    fit,
    font_path,
    width,
    wrap,
)
from canvas.view.export.scene import Line, Scene, Text

__all__ = [
    "META_COLOUR",
    "NoteCard",
    "Poster",
    "_advance",
    "clip",
    "draw",
    "family",
    "fit",
    "font_path",
    "note_card",
    "width",
    "wrap",
]

PAPER = {"A3": (16.54, 11.69), "A2": (23.39, 16.54)}
MARGIN, HEADER, FOOTER = 0.4 * 72, 1.3 * 72, 0.45 * 72  # points
TITLE, META, FOCAL = 22.0, 12.0, 13.0  # font sizes (points)


class Poster:
    """An outline's board laid out on a page: ``scene`` holds every shape and line of text;
    ``board`` is where the board sits (left, top, width, height in points)."""

    def __init__(self, outline: Outline, paper: str = "A3") -> None:
        self.outline = outline
        self.session = outline.session
        self.lang = outline.lang
        self.fig_w, self.fig_h = PAPER[paper]
        page_w, page_h = self.fig_w * 72, self.fig_h * 72
        board_w = page_w - 2 * MARGIN
        board_h = board_w * WORLD_H / WORLD_W
        if board_h > page_h - HEADER - FOOTER:
            board_h = page_h - HEADER - FOOTER
            board_w = board_h * WORLD_W / WORLD_H
        top = min(HEADER, page_h - FOOTER - board_h)
        self.board = ((page_w - board_w) / 2, top, board_w, board_h)
        self.scale = board_w / WORLD_W  # points per world pixel
        self.placed = Counter(n.anchor for n in outline.notes if n.anchor)
        # The layout of what is exported: the notes left out leave no gap.
        shown = replace(self.session, notes={n.id: n for n in outline.notes})
        self.layout = layout(shown, horizon_labels())
        empty = t("empty_note", self.lang)
        palette = self.session.settings.palette
        self.cards = [note_card(n, self.layout.notes[n.id], empty, palette) for n in outline.notes]
        self.scene = Scene(page_w, page_h, title=outline.title, description=self.description())

    def pt(self, px: float) -> float:
        """A length on the board in points on the page."""
        return px * self.scale

    def at(self, x: float, y: float) -> tuple[float, float]:
        """A world point's place on the page, in points."""
        return self.board[0] + x * self.scale, self.board[1] + y * self.scale

    def to_pixels(self, x: float, y: float, dpi: float) -> tuple[float, float]:
        """A world point's place in an image of the page at ``dpi`` (y down)."""
        px, py = self.at(x, y)
        return px * dpi / 72, py * dpi / 72

    def description(self) -> str:
        """The poster in words, for those who cannot see it (the PDF's alternative text)."""
        o = self.outline
        lang = self.lang
        parts = [t("export_poster_alt", lang, title=o.title)]
        for horizon in o.horizons:
            anchors = sum(1 for b in horizon.anchors)
            parts.append(
                t(
                    "export_poster_alt_horizon",
                    lang,
                    heading=horizon.heading,
                    anchors=count(anchors, "anchors", lang),
                    notes=count(horizon.notes, "notes", lang),
                )
            )
        return " ".join(parts)

    def draw(self, progress: Progress | None = None) -> Scene:
        progress = progress or Progress()
        lang = self.lang
        drawing = BoardDrawing(self, self.layout)
        self._header()
        drawing.frame()
        drawing.curves()
        progress(0.2, t("export_progress_board", lang))
        for anchor_id, anchor in sorted(self.session.anchors.items()):
            drawing.anchor(anchor_id, anchor, self.placed.get(anchor_id, 0))
        progress(0.4, t("export_progress_board", lang))
        drawing.notes(self.cards)
        drawing.labels()
        self._footer()
        progress(1.0, t("export_progress_board", lang))
        return self.scene

    def _header(self) -> None:
        """The title at the left, what and when at the right, the focal question below.

        The title gets the room the right-hand lines leave it (two lines at most, smaller if
        need be), so a long title never runs into them, in any language.
        """
        o = self.outline
        lang = self.lang
        left, _, board_w, _ = self.board
        right = left + board_w
        top = MARGIN / 2
        totals = ", ".join(
            (
                count(len(o.notes), "notes", lang),
                count(o.votes, "votes", lang),
                count(len(o.session.anchors), "anchors", lang),
            )
        )
        meta = (o.subtitle(), totals)
        room = board_w - max(width(line, META) for line in meta) - 24
        size, lines = _title_lines(" ".join(o.title.split()), room)
        self.scene.add(
            Text(left, top + size * 0.9, tuple(lines), size, INK, bold=True, step=size * 1.15)
        )
        self.scene.add(Text(right, top + META, meta, META, MUTED, align="right", step=META * 1.3))
        below = top + size * 0.9 + (len(lines) - 1) * size * 1.15 + FOCAL * 1.6
        if o.focal_question:
            label = f"{t('export_focal_question', lang)}: {' '.join(o.focal_question.split())}"
            most = 2 if len(lines) == 1 else 1
            focal = clip(wrap(label, FOCAL, board_w), most, FOCAL, board_w)
            self.scene.add(Text(left, below, tuple(focal), FOCAL, INK, step=FOCAL * 1.3))

    def _footer(self) -> None:
        """The key: each horizon's line and name; the app's name (or the private notice)."""
        lang = self.lang
        left, top, board_w, board_h = self.board
        y = top + board_h + 0.22 * 72
        step = board_w / 4.2
        for i, h in enumerate(HORIZONS):
            x = left + i * step
            dash = DASHES[h]
            pattern = (dash[0] * 3 / 7, dash[1] * 3 / 7) if dash else None
            self.scene.add(Line(((x, y), (x + 0.025 * board_w, y)), HORIZON_COLOURS[h], 3, pattern))
            name = f"{h} · {t(f'{h.lower()}_name', lang)}"
            self.scene.add(Text(x + 0.03 * board_w, y + 3.5, (name,), 10, INK))
        notice = t("export_private_included", lang) if self.outline.include_private else ""
        text = (notice or t("app_name", lang),)
        self.scene.add(
            Text(left + board_w, y + 3.2, text, 9, MUTED, bold=bool(notice), align="right")
        )


def _title_lines(title: str, room: float) -> tuple[float, list[str]]:
    """The title in one line, smaller if need be (down to 16 pt), else in two."""
    size, line = fit(title, TITLE, room, bold=True, smallest=16)
    if line == title:
        return size, [line]
    size = 18.0
    lines = wrap(title, size, room, bold=True)
    return size, clip(lines, 2, size, room, bold=True)


def draw(
    outline: Outline,
    *,
    paper: str = "A3",
    progress: Progress | None = None,
) -> Poster:
    """The poster of an outline's board; its page of shapes and text is ``.scene``."""
    poster = Poster(outline, paper)
    poster.draw(progress)
    return poster
