"""The board as a poster, drawn with matplotlib (no browser): curves, anchors, notes, votes.

Cards sit where the browser puts them (the same world of 2000 x 1200 pixels, the same
corner and clamping), so the poster is the board as the room saw it. A note's whole text is
drawn, wrapped to the card; a long note gets a smaller type and, if it still does not fit,
a taller card. Every user string is drawn with ``parse_math=False``, so ``$`` is a dollar.

The figure is A3 landscape (vector in SVG and PDF); printed at A2 it is 1.4 times larger.
The PNG draws the notes' text with Pillow (matplotlib's own image library) in the same font
at the same places: matplotlib lays text out glyph by glyph, which for a thousand notes
takes many seconds; see :mod:`canvas.view.export.png`.
"""

from __future__ import annotations

import warnings
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle

from canvas.domain.horizons import Curves
from canvas.domain.model import HORIZONS, Note
from canvas.format.i18n import t
from canvas.view.export.common import (
    ANCHOR_BORDER,
    ANCHOR_FILL,
    ANCHOR_FILL_DEFAULT,
    ANCHOR_H,
    ANCHOR_W,
    HORIZON_COLOURS,
    INK,
    LINE,
    MUTED,
    NOTE_FILL_DEFAULT,
    NOTE_H,
    NOTE_W,
    WORLD_H,
    WORLD_W,
    Progress,
    count,
)
from canvas.view.export.outline import Outline

PAPER = {"A3": (16.54, 11.69), "A2": (23.39, 16.54)}
FAMILY = "DejaVu Sans"  # matplotlib's own font: Latin (Welsh included), Greek, Cyrillic
NOTE_PAD = 6
NOTE_LEADING = 1.25  # line height, in font sizes
NOTE_LINESPACING = NOTE_LEADING / 1.17  # matplotlib's, in heights of "lp" (1.17 em in DejaVu)
# (font size in world pixels, most lines at that size before trying the next one)
NOTE_SIZES = ((12.5, 3), (11.0, 4), (9.5, 99))
META_SIZE = 10.5
META_COLOUR = "#2f3640"
_DASHES = {"H1": (None, None), "H2": (14 / 5, 8 / 5), "H3": (3 / 5, 7 / 5)}


@contextmanager
def quiet():
    """Silence matplotlib's warnings about glyphs its font lacks (emoji in a note)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*[Gg]lyph .* missing from")
        warnings.filterwarnings("ignore", message=r".*missing from font")
        yield


@cache
def font_path(bold: bool = False) -> str:
    return findfont(FontProperties(family=FAMILY, weight="bold" if bold else "normal"))


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


@dataclass(frozen=True, slots=True)
class NoteCard:
    """A note as drawn, in world pixels: its card, its wrapped text and its meta line."""

    note: Note
    left: float
    top: float
    height: float
    size: float
    lines: tuple[str, ...]
    meta: str
    fill: str

    @property
    def text_x(self) -> float:
        return self.left + NOTE_PAD

    @property
    def text_top(self) -> float:
        return self.top + NOTE_PAD - 1

    @property
    def meta_bottom(self) -> float:
        return self.top + self.height - NOTE_PAD + 1


def badge(note: Note) -> str:
    return f"H2{note.polarity}" if note.horizon == "H2" and note.polarity else note.horizon


def note_card(note: Note, empty: str, palette: dict[str, str]) -> NoteCard:
    """Where a note is drawn and how its text is wrapped."""
    room = NOTE_W - 2 * NOTE_PAD
    text = note.text.strip() or empty
    for size, most in NOTE_SIZES:
        lines = wrap(text, size, room)
        if len(lines) <= most:
            break
    if len(lines) > 24:  # mostly line breaks (500 characters fill about 24 lines otherwise)
        lines = wrap(" ".join(text.split()), size, room)
    height = max(NOTE_H, 2 * NOTE_PAD + len(lines) * size * NOTE_LEADING + META_SIZE * 1.4)
    left = min(max(note.x * WORLD_W, 0.0), WORLD_W - NOTE_W)
    # As the board does, but a card grown for a long text stays on the board too.
    top = min(max((1.0 - note.y) * WORLD_H, 0.0), WORLD_H - height)
    votes = f"● {note.votes}" if note.votes else ""
    head = " · ".join(p for p in (badge(note), votes) if p)
    author = " ".join(note.author.split())
    if author:
        room_left = room - width(head + " · ", META_SIZE)
        author = clip(wrap(author, META_SIZE, room_left), 1, META_SIZE, room_left)
        head = " · ".join(p for p in (badge(note), author[0] if author else "", votes) if p)
    return NoteCard(
        note,
        left,
        top,
        height,
        size,
        tuple(lines),
        head,
        palette.get(note.colour, NOTE_FILL_DEFAULT),
    )


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
        empty = t("empty_note", self.lang)
        palette = self.session.settings.palette
        self.cards = [note_card(n, empty, palette) for n in outline.notes]
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
        kw.setdefault("fontfamily", FAMILY)
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
        self._curves(ax)
        progress(0.2, t("export_progress_board", lang))
        for anchor_id, anchor in sorted(self.session.anchors.items()):
            self._anchor(ax, anchor_id, anchor)
        progress(0.4, t("export_progress_board", lang))
        self._notes(ax, notes)
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
            fig.text(x, y, s, fontsize=size, va="top", parse_math=False, fontfamily=FAMILY, **kw)

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
                    dashes=_DASHES[h],
                )
            )
            fig.text(
                x + i * step + 0.03,
                y,
                f"{h} · {t(f'{h.lower()}_name', lang)}",
                fontsize=10,
                va="center",
                color=INK,
                fontfamily=FAMILY,
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
            fontfamily=FAMILY,
            parse_math=False,
            fontweight="bold" if notice else "normal",
        )

    def _curves(self, ax) -> None:
        s = self.session.settings
        curves = Curves.from_settings(s)
        lw = self.pt(5)
        for h, path in curves.paths().items():
            xs = [x * WORLD_W for x, _ in path]
            ys = [(1 - y) * WORLD_H for _, y in path]
            ax.add_line(
                Line2D(
                    xs,
                    ys,
                    color=HORIZON_COLOURS[h],
                    lw=lw,
                    dashes=_DASHES[h],
                    solid_capstyle="round",
                    dash_capstyle="round",
                    zorder=1,
                )
            )
        halo = [patheffects.withStroke(linewidth=self.pt(5), foreground="white")]

        def at(h: str, x: float) -> float:
            return (1 - curves.function(h)(x)) * WORLD_H - 12

        for h, x, ha in (("H1", 0.02, "left"), ("H2", s.h2_peak, "center"), ("H3", 0.98, "right")):
            self.text(
                ax,
                x * WORLD_W,
                at(h, x),
                f"{h} · {t(f'{h.lower()}_name', self.lang)}",
                22,
                color=HORIZON_COLOURS[h],
                fontweight="bold",
                ha=ha,
                va="baseline",
                path_effects=halo,
                zorder=1.5,
            )
        axis = " ".join(f"{s.axis_from} → {s.axis_to}".split())
        size, axis = fit(axis, 18, WORLD_W * 0.6)
        self.text(
            ax,
            WORLD_W / 2,
            WORLD_H - 8,
            axis,
            size,
            color=MUTED,
            ha="center",
            va="baseline",
            zorder=1.5,
        )
        self.text(
            ax,
            14,
            WORLD_H / 2,
            t("prevalence", self.lang),
            18,
            color=MUTED,
            rotation=90,
            ha="center",
            va="center",
            zorder=1.5,
        )

    def _anchor(self, ax, anchor_id: str, anchor) -> None:
        left = min(max(anchor.x * WORLD_W, 0.0), WORLD_W - ANCHOR_W)
        top = min(max((1.0 - anchor.y) * WORLD_H, 0.0), WORLD_H - ANCHOR_H)
        colour = HORIZON_COLOURS.get(ANCHOR_BORDER.get(anchor.kind, ""), "#6b7785")
        thick = 3 if anchor.kind in ("challenge_area", "vision", "principle") else 2
        style = {"action_area": "--", "principle": ":"}.get(anchor.kind, "-")
        rounding = 24 if anchor.kind == "pocket" else 6
        ax.add_patch(
            FancyBboxPatch(
                (left, top),
                ANCHOR_W,
                ANCHOR_H,
                boxstyle=f"round,pad=0,rounding_size={rounding}",
                facecolor=ANCHOR_FILL.get(anchor.kind, ANCHOR_FILL_DEFAULT),
                edgecolor=colour,
                lw=self.pt(thick),
                linestyle=style,
                zorder=2,
            )
        )
        if ANCHOR_BORDER.get(anchor.kind) == "H1":
            ax.add_patch(
                Rectangle(
                    (left, top + 2), 6, ANCHOR_H - 4, facecolor=colour, edgecolor="none", zorder=2.1
                )
            )
        room = ANCHOR_W - 24
        size, kind = fit(
            f"{t(f'kind_{anchor.kind}', self.lang).upper()} · {anchor.horizon}", 10, room
        )
        self.text(ax, left + 10, top + 4, kind, size, color=MUTED, va="top", zorder=2.2)
        title = self.outline.anchor_titles.get(anchor_id, anchor.title)
        size = 12.0
        lines = wrap(title, size, room, bold=True)
        if len(lines) > 2:
            size = 10.5
            lines = clip(wrap(title, size, room, bold=True), 3, size, room, bold=True)
        self.text(
            ax,
            left + 10,
            top + 17,
            "\n".join(lines),
            size,
            fontweight="bold",
            va="top",
            linespacing=1.1,
            zorder=2.2,
        )
        cx, cy = left + ANCHOR_W + 1, top + 1
        ax.add_patch(
            Circle((cx, cy), 11, facecolor=INK, edgecolor="none", zorder=2.3, clip_on=False)
        )
        self.text(
            ax,
            cx,
            cy,
            str(self.placed.get(anchor_id, 0)),
            12,
            color="white",
            ha="center",
            va="center_baseline",
            zorder=2.4,
            clip_on=False,
        )

    def _notes(self, ax, notes: bool) -> None:
        """Each note's card then its text, one note above the other in id order."""
        if not notes:
            return
        step = 1 / (len(self.cards) + 1)
        for i, c in enumerate(self.cards):
            z = 3 + i * step
            box = FancyBboxPatch(
                (c.left, c.top),
                NOTE_W,
                c.height,
                boxstyle="round,pad=0,rounding_size=6",
                facecolor=c.fill,
                edgecolor=(0, 0, 0, 0.35),
                lw=self.pt(1),
                zorder=z,
            )
            ax.add_patch(box)
            body = self.text(
                ax,
                c.text_x,
                c.text_top,
                "\n".join(c.lines),
                c.size,
                va="top",
                linespacing=NOTE_LINESPACING,
                zorder=z + step / 2,
            )
            meta = self.text(
                ax,
                c.text_x,
                c.meta_bottom,
                c.meta,
                META_SIZE,
                va="bottom",
                zorder=z + step / 2,
                color=META_COLOUR,
            )
            self.note_artists += [box, body, meta]


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
