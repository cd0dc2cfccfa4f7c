"""The board of the HTML export: a read-only Bokeh figure drawn from the board's layout.

Every anchor, label and note is where :mod:`canvas.domain.layout` puts it, at its size, so
the page shows the board the room saw. Bokeh draws text at a fixed size on screen, so a
note's text is drawn when it reads at the figure's first zoom and is always in its tooltip
(and in the outline under the board); user text is data, never markup.
"""

from __future__ import annotations

from dataclasses import replace

from canvas.domain import dimensions as dims
from canvas.domain import typeset
from canvas.domain.horizons import Curves
from canvas.domain.layout import Layout, layout
from canvas.domain.model import Note
from canvas.format.i18n import horizon_labels, t
from canvas.view.export.common import (
    ANCHOR_BORDER,
    ANCHOR_FILL,
    ANCHOR_FILL_DEFAULT,
    HORIZON_COLOURS,
    INK,
    MUTED,
    NOTE_FILL_DEFAULT,
    axis_text,
    localised,
)
from canvas.view.export.outline import Outline

PLOT_W = 1400
PLOT_H = PLOT_W * dims.WORLD_H // dims.WORLD_W
SCALE = PLOT_W / dims.WORLD_W  # screen pixels per world pixel at the first zoom
SMALLEST = 7.0  # px: note text smaller than this at the first zoom is left to the tooltip
# The cards' font, as on the board: the layout breaks lines in Arial's metrics.
FONT = 'Arial, "Liberation Sans", Helvetica, sans-serif'


def _cards(fig, source, **style):
    """Card rectangles from a source with ``left``/``right``/``top``/``bottom``/``fill``.

    y runs downwards (as on the board): a card's lower edge has the larger y, and Bokeh's hit
    testing wants top >= bottom in data units, so the two are swapped here.
    """
    return fig.quad(
        left="left",
        right="right",
        top="bottom",
        bottom="top",
        source=source,
        fill_color="fill",
        **style,
    )


def badge(note: Note) -> str:
    return f"H2{note.polarity}" if note.horizon == "H2" and note.polarity else note.horizon


def _figure():
    from bokeh.plotting import figure

    w, h = dims.WORLD_W, dims.WORLD_H
    from bokeh.models import Range1d

    fig = figure(
        frame_width=PLOT_W,
        frame_height=PLOT_H,
        x_range=Range1d(0, w, bounds=(0, w)),
        y_range=Range1d(h, 0, bounds=(0, h)),
        tools="pan,wheel_zoom,box_zoom,reset,save",
        active_scroll="wheel_zoom",
        toolbar_location="left",  # stays in sight when the page scrolls sideways
        match_aspect=True,
        background_fill_color="white",
        border_fill_color="white",
        outline_line_color="#c9d1db",
        min_border=0,
    )
    fig.axis.visible = False
    fig.grid.visible = False
    fig.toolbar.logo = None
    for i in (1, 2, 3):
        fig.line([w * i / 4] * 2, [0, h], line_color="#eef1f4", line_width=1, level="underlay")
    return fig


def _curves(fig, outline: Outline, board: Layout) -> None:
    from bokeh.models import Label, PlainText

    lang = outline.lang
    s = outline.session.settings
    dash = {"H1": "solid", "H2": [12, 7], "H3": [3, 6]}
    for h, path in Curves.from_settings(s).paths().items():
        fig.line(
            [x * dims.WORLD_W for x, _ in path],
            [(1 - y) * dims.WORLD_H for _, y in path],
            line_color=HORIZON_COLOURS[h],
            line_width=7 * SCALE,
            line_dash=dash[h],
            level="underlay",
        )
    _labels(fig, outline, board)
    axis_size = f"{round(dims.AXIS_SIZE * SCALE)}px"
    fig.add_layout(
        Label(
            x=dims.WORLD_W / 2,
            y=dims.WORLD_H - dims.AXIS / 2,
            text=PlainText(text=axis_text(s, lang)),
            text_color=MUTED,
            text_align="center",
            text_baseline="middle",
            text_font_size=axis_size,
            text_font=FONT,
        )
    )
    fig.add_layout(
        Label(
            x=dims.AXIS / 2,
            y=(dims.WORLD_H - dims.AXIS) / 2,
            text=PlainText(text=t("prevalence", lang)),
            angle=1.5708,
            text_color=MUTED,
            text_align="center",
            text_baseline="middle",
            text_font_size=axis_size,
            text_font=FONT,
        )
    )


def _labels(fig, outline: Outline, board: Layout) -> None:
    """The horizon labels in the boxes the layout gave them, above everything."""
    from bokeh.models import Label, PlainText

    for h, box in board.labels.items():
        text = f"{h} · {t(f'{h.lower()}_name', outline.lang)}"
        room = box.w - 2 * dims.LABEL_PAD
        lines = typeset.wrap(text, room, dims.LABEL_SIZE, True)
        fig.add_layout(
            Label(
                x=box.x + dims.LABEL_PAD,
                y=box.y + dims.LABEL_PAD,
                text=PlainText(text="\n".join(lines)),
                text_color=HORIZON_COLOURS[h],
                text_font_style="bold",
                text_font=FONT,
                text_font_size=f"{round(dims.LABEL_SIZE * SCALE)}px",
                text_baseline="top",
                text_line_height=dims.LABEL_LEADING / dims.LABEL_SIZE,
                background_fill_color="white",
                background_fill_alpha=0.85,
                level="overlay",
            )
        )


def _anchor_row(anchor_id: str, anchor, outline: Outline, board: Layout, count: int) -> dict:
    """One anchor as the figure's data: its card, its title's lines, its count's pill."""
    lang = outline.lang
    box = board.anchors[anchor_id]
    room = dims.ANCHOR_W - dims.ANCHOR_BORDER_LEFT - dims.ANCHOR_BORDER - 2 * dims.ANCHOR_PAD_X
    title = outline.anchor_titles.get(anchor_id, anchor.title)
    lines = typeset.wrap(title, room, dims.TITLE_SIZE, True, dims.COUNT_W)
    pill_x = box.x + box.w - dims.ANCHOR_BORDER - dims.ANCHOR_PAD_X - (dims.COUNT_W - 8)
    pill_y = box.y + dims.ANCHOR_BORDER + dims.ANCHOR_PAD_Y
    return {
        "left": box.x, "right": box.x + box.w, "top": box.y, "bottom": box.y + box.h,
        "fill": ANCHOR_FILL.get(anchor.kind, ANCHOR_FILL_DEFAULT),
        "line": HORIZON_COLOURS.get(ANCHOR_BORDER.get(anchor.kind, ""), "#6b7785"),
        "dash": {"action_area": "dashed", "principle": "dotted"}.get(anchor.kind, "solid"),
        "kind": f"{t(f'kind_{anchor.kind}', lang)} · {anchor.horizon}",
        "title": title, "summary": localised(anchor, "summary", lang),
        "label": "\n".join(line for line in lines if line),
        "x": box.x + dims.ANCHOR_BORDER_LEFT + dims.ANCHOR_PAD_X,
        "y": box.y + dims.ANCHOR_BORDER + dims.ANCHOR_PAD_Y,
        "count": str(count or ""), "pill": 1.0 if count else 0.0,
        "px0": pill_x, "px1": pill_x + dims.COUNT_W - 8,
        "py0": pill_y, "py1": pill_y + dims.TITLE_LEADING,
    }  # fmt: skip


def _anchors(fig, outline: Outline, board: Layout):
    from bokeh.core.properties import value
    from bokeh.models import ColumnDataSource

    placed: dict[str, int] = {}
    for note in outline.notes:
        if note.anchor:
            placed[note.anchor] = placed.get(note.anchor, 0) + 1
    a: dict[str, list] = {}
    for anchor_id, anchor in sorted(outline.session.anchors.items()):
        row = _anchor_row(anchor_id, anchor, outline, board, placed.get(anchor_id, 0))
        for key, item in row.items():
            a.setdefault(key, []).append(item)
    source = ColumnDataSource(a)
    boxes = _cards(fig, source, line_color="line", line_width=3 * SCALE * 1.6, line_dash="dash")
    fig.text(
        x="x",
        y="y",
        text="label",
        source=source,
        text_baseline="top",
        text_font_size=f"{round(dims.TITLE_SIZE * SCALE)}px",
        text_font_style="bold",
        text_font=value(FONT),
        text_color=INK,
        text_line_height=dims.TITLE_LEADING / dims.TITLE_SIZE,
    )
    fig.quad(
        left="px0",
        right="px1",
        top="py1",
        bottom="py0",
        source=source,
        fill_color=INK,
        fill_alpha="pill",
        line_color=None,
    )
    fig.text(
        x="px0",
        y="py0",
        text="count",
        source=source,
        x_offset=((dims.COUNT_W - 8) * SCALE) / 2,
        y_offset=(dims.TITLE_LEADING * SCALE) / 2,
        text_align="center",
        text_baseline="middle",
        text_font_size=f"{round(dims.NOTE_SIZE * SCALE)}px",
        text_font=value(FONT),
        text_color="white",
    )
    return boxes


def _notes(fig, outline: Outline, board: Layout):
    from bokeh.core.properties import value
    from bokeh.models import ColumnDataSource

    n: dict[str, list] = {}
    palette = outline.session.settings.palette
    for note in outline.notes:
        card = board.notes[note.id]
        box = card.box
        s = card.scale
        size = dims.NOTE_SIZE * s * SCALE
        room = (dims.NOTE_W - 2 * (dims.NOTE_PAD_X + dims.NOTE_BORDER)) * s
        readable = size >= SMALLEST
        short = "\n".join(typeset.wrap(note.text, room, dims.NOTE_SIZE * s)) if readable else ""
        meta = "  ".join(
            p for p in (badge(note), note.author[:18], f"● {note.votes}" if note.votes else "") if p
        )
        inset_x = (dims.NOTE_PAD_X + dims.NOTE_BORDER) * s
        inset_y = (dims.NOTE_PAD_Y + dims.NOTE_BORDER) * s
        values = {
            "left": box.x, "right": box.x + box.w, "top": box.y, "bottom": box.y + box.h,
            "fill": palette.get(note.colour, NOTE_FILL_DEFAULT), "text": note.text,
            "short": short, "meta": meta if readable else "", "author": note.author,
            "votes": note.votes, "anchor": outline.anchor_title(note), "horizon": badge(note),
            "x": box.x + inset_x, "y": box.y + inset_y, "size": f"{size:.1f}px",
            "my": box.y + box.h - inset_y,
        }  # fmt: skip
        for key, item in values.items():
            n.setdefault(key, []).append(item)
    source = ColumnDataSource(n)
    boxes = _cards(fig, source, line_color="#00000059", line_width=1)
    fig.text(
        x="x",
        y="y",
        text="short",
        source=source,
        text_baseline="top",
        text_font_size="size",
        text_font=value(FONT),
        text_color=INK,
        text_line_height=1.15,
    )
    fig.text(
        x="x",
        y="my",
        text="meta",
        source=source,
        text_baseline="bottom",
        text_font_size="size",
        text_font=value(FONT),
        text_color="#2f3640",
    )
    return boxes


def board(outline: Outline):
    """The board as a Bokeh figure: curves, anchors, notes; hover a card for all its text."""
    from bokeh.models import HoverTool

    lang = outline.lang
    shown = replace(outline.session, notes={n.id: n for n in outline.notes})
    placed = layout(shown, horizon_labels())
    fig = _figure()
    _curves(fig, outline, placed)
    anchor_boxes = _anchors(fig, outline, placed)
    note_boxes = _notes(fig, outline, placed)
    fig.add_tools(
        HoverTool(
            renderers=[note_boxes],
            attachment="above",  # a note on an anchor shows both: one above, one below
            tooltips=[
                (t("note_text", lang), "@text"),
                (t("horizon", lang), "@horizon"),
                (t("export_author", lang), "@author"),
                (t("export_votes", lang), "@votes"),
                (t("anchor", lang), "@anchor"),
            ],
        ),
        HoverTool(
            renderers=[anchor_boxes],
            attachment="below",
            tooltips=[
                (t("anchor", lang), "@title"),
                (t("anchor_kind", lang), "@kind"),
                (t("anchor_summary", lang), "@summary"),
            ],
        ),
    )
    return fig
