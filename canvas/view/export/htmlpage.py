"""One self-contained HTML file: a read-only Bokeh board, the per-anchor summary, the changes
since the previous iteration, the outline, the top-voted notes and the personas.

Everything is inline (Bokeh's INLINE resources, our own styles); the page loads nothing
from anywhere, and its Content-Security-Policy forbids it to. Every user string is escaped
with :func:`html.escape`; on the board, user text is data that Bokeh draws on a canvas or
shows in a tooltip as text, and labels take it as ``PlainText`` (never TeX).
"""

from __future__ import annotations

import textwrap
from html import escape

from canvas.domain.horizons import Curves
from canvas.domain.model import Note
from canvas.format.i18n import catalogue, t
from canvas.view.export.common import (
    ANCHOR_BORDER,
    ANCHOR_FILL,
    ANCHOR_FILL_DEFAULT,
    ANCHOR_H,
    ANCHOR_W,
    HORIZON_COLOURS,
    INK,
    MUTED,
    NOTE_FILL_DEFAULT,
    NOTE_H,
    NOTE_W,
    WORLD_H,
    WORLD_W,
    Progress,
    count,
    localised,
)
from canvas.view.export.outline import AnchorBlock, Outline

PLOT_W = 1400
PLOT_H = PLOT_W * WORLD_H // WORLD_W
SCALE = PLOT_W / WORLD_W
NOTE_CHARS = 20
NOTE_LINES = 3
NOTE_FONT = 8  # pixels: three lines and the meta line fit a card at this scale

CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-src 'none'; object-src 'none'"
)

STYLE = """
:root { --ink: #1b1f24; --muted: #4a5360; --line: #c9d1db; --h1: #b3261e; --h2: #8a5a00;
  --h3: #146c2e; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans",
  sans-serif; color: var(--ink); background: #fbfbfc; line-height: 1.45; }
header, main { max-width: 1440px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 20px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 18px 0 6px; }
h4 { font-size: 1rem; margin: 14px 0 4px; }
.sub, .muted, .summary { color: var(--muted); }
.summary { font-style: italic; margin: 2px 0 6px; }
.focal { font-size: 1.1rem; }
.board { background: #fff; border: 1px solid var(--line); overflow-x: auto; }
.hint { color: var(--muted); font-size: 0.9rem; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid #eef1f4;
  vertical-align: top; }
td.n { text-align: right; }
.H1 { color: var(--h1); } .H2 { color: var(--h2); } .H3 { color: var(--h3); }
ul.notes { margin: 4px 0 10px; padding-left: 22px; }
.note-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.meta { color: var(--muted); font-size: 0.9rem; }
.notice { font-weight: 600; }
"""


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


def _e(text: str) -> str:
    return escape(text, quote=True)


def _short(text: str) -> str:
    lines = textwrap.wrap(" ".join(text.split()), NOTE_CHARS, break_long_words=True) or [""]
    if len(lines) > NOTE_LINES:
        lines = [*lines[: NOTE_LINES - 1], lines[NOTE_LINES - 1][: NOTE_CHARS - 1] + "…"]
    return "\n".join(lines)


def board(outline: Outline):
    """The board as a Bokeh figure: curves, anchors, notes; hover a card for all its text."""
    from bokeh.models import ColumnDataSource, HoverTool, Label, PlainText, Range1d
    from bokeh.plotting import figure

    lang = outline.lang
    s = outline.session.settings
    fig = figure(
        frame_width=PLOT_W,
        frame_height=PLOT_H,
        x_range=Range1d(0, WORLD_W, bounds=(-200, WORLD_W + 200)),
        y_range=Range1d(WORLD_H, 0, bounds=(-200, WORLD_H + 200)),
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
    for i in (1, 2, 3):
        fig.line(
            [WORLD_W * i / 4] * 2,
            [0, WORLD_H],
            line_color="#eef1f4",
            line_width=1,
            level="underlay",
        )

    curves = Curves.from_settings(s)
    dash = {"H1": "solid", "H2": [10, 6], "H3": [2, 5]}
    for h, path in curves.paths().items():
        fig.line(
            [x * WORLD_W for x, _ in path],
            [(1 - y) * WORLD_H for _, y in path],
            line_color=HORIZON_COLOURS[h],
            line_width=5 * SCALE,
            line_dash=dash[h],
            level="underlay",
        )
    for h, x, align in (("H1", 0.02, "left"), ("H2", s.h2_peak, "center"), ("H3", 0.98, "right")):
        fig.add_layout(
            Label(
                x=x * WORLD_W,
                y=(1 - curves.function(h)(x)) * WORLD_H - 12,
                text=PlainText(text=f"{h} · {t(f'{h.lower()}_name', lang)}"),
                text_color=HORIZON_COLOURS[h],
                text_font_style="bold",
                text_font_size=f"{round(22 * SCALE)}px",
                text_align=align,
                background_fill_color="white",
                background_fill_alpha=0.7,
                level="underlay",
            )
        )
    fig.add_layout(
        Label(
            x=WORLD_W / 2,
            y=WORLD_H - 8,
            text=PlainText(text=f"{s.axis_from} → {s.axis_to}"),
            text_color=MUTED,
            text_align="center",
            text_font_size=f"{round(18 * SCALE)}px",
        )
    )
    fig.add_layout(
        Label(
            x=14,
            y=WORLD_H / 2,
            text=PlainText(text=t("prevalence", lang)),
            angle=1.5708,
            text_color=MUTED,
            text_align="center",
            text_font_size=f"{round(18 * SCALE)}px",
        )
    )

    placed: dict[str, int] = {}
    for note in outline.notes:
        if note.anchor:
            placed[note.anchor] = placed.get(note.anchor, 0) + 1
    a = {
        k: []
        for k in (
            "left",
            "right",
            "top",
            "bottom",
            "fill",
            "line",
            "dash",
            "kind",
            "title",
            "summary",
            "label",
            "count",
            "cx",
            "cy",
        )
    }
    for anchor_id, anchor in sorted(outline.session.anchors.items()):
        left = min(max(anchor.x * WORLD_W, 0.0), WORLD_W - ANCHOR_W)
        top = min(max((1.0 - anchor.y) * WORLD_H, 0.0), WORLD_H - ANCHOR_H)
        title = outline.anchor_titles.get(anchor_id, anchor.title)
        kind = t(f"kind_{anchor.kind}", lang)
        a["left"].append(left)
        a["right"].append(left + ANCHOR_W)
        a["top"].append(top)
        a["bottom"].append(top + ANCHOR_H)
        a["fill"].append(ANCHOR_FILL.get(anchor.kind, ANCHOR_FILL_DEFAULT))
        a["line"].append(HORIZON_COLOURS.get(ANCHOR_BORDER.get(anchor.kind, ""), "#6b7785"))
        a["dash"].append({"action_area": "dashed", "principle": "dotted"}.get(anchor.kind, "solid"))
        a["kind"].append(f"{kind.upper()} · {anchor.horizon}")
        a["title"].append(title)
        a["summary"].append(localised(anchor, "summary", lang))
        a["label"].append("\n".join(textwrap.wrap(title, 22)[:2]))
        a["count"].append(str(placed.get(anchor_id, 0)))
        a["cx"].append(left + ANCHOR_W + 1)
        a["cy"].append(top + 1)
    anchors = ColumnDataSource(a)
    anchor_boxes = _cards(fig, anchors, line_color="line", line_width=2, line_dash="dash")
    fig.text(
        x="left",
        y="top",
        text="kind",
        source=anchors,
        x_offset=6,
        y_offset=3,
        text_baseline="top",
        text_font_size=f"{round(10 * SCALE)}px",
        text_color=MUTED,
    )
    fig.text(
        x="left",
        y="top",
        text="label",
        source=anchors,
        x_offset=6,
        y_offset=14,
        text_baseline="top",
        text_font_size=f"{round(12 * SCALE)}px",
        text_font_style="bold",
        text_color=INK,
        text_line_height=1.15,
    )
    fig.circle(x="cx", y="cy", radius=11, source=anchors, fill_color=INK, line_color=None)
    fig.text(
        x="cx",
        y="cy",
        text="count",
        source=anchors,
        text_align="center",
        text_baseline="middle",
        text_font_size=f"{round(12 * SCALE)}px",
        text_color="white",
    )

    palette = s.palette
    n = {
        k: []
        for k in (
            "left",
            "right",
            "top",
            "bottom",
            "fill",
            "text",
            "short",
            "meta",
            "author",
            "votes",
            "anchor",
            "horizon",
        )
    }
    for note in outline.notes:
        left = min(max(note.x * WORLD_W, 0.0), WORLD_W - NOTE_W)
        top = min(max((1.0 - note.y) * WORLD_H, 0.0), WORLD_H - NOTE_H)
        badge = _badge(note)
        n["left"].append(left)
        n["right"].append(left + NOTE_W)
        n["top"].append(top)
        n["bottom"].append(top + NOTE_H)
        n["fill"].append(palette.get(note.colour, NOTE_FILL_DEFAULT))
        n["text"].append(note.text)
        n["short"].append(_short(note.text))
        n["meta"].append(
            "  ".join(
                p for p in (badge, note.author[:18], f"● {note.votes}" if note.votes else "") if p
            )
        )
        n["author"].append(note.author)
        n["votes"].append(note.votes)
        n["anchor"].append(outline.anchor_title(note))
        n["horizon"].append(badge)
    notes = ColumnDataSource(n)
    note_boxes = _cards(fig, notes, line_color="#00000059", line_width=1)
    fig.text(
        x="left",
        y="top",
        text="short",
        source=notes,
        x_offset=4,
        y_offset=4,
        text_baseline="top",
        text_font_size=f"{NOTE_FONT}px",
        text_color=INK,
        text_line_height=1.1,
    )
    fig.text(
        x="left",
        y="bottom",
        text="meta",
        source=notes,
        x_offset=4,
        y_offset=-3,
        text_baseline="bottom",
        text_font_size=f"{round(10.5 * SCALE)}px",
        text_color="#2f3640",
    )
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
    fig.toolbar.logo = None
    return fig


def _badge(note: Note) -> str:
    return f"H2{note.polarity}" if note.horizon == "H2" and note.polarity else note.horizon


def _note_item(note: Note, outline: Outline, show_anchor: bool = False) -> str:
    lang = outline.lang
    details = [_e(count(note.votes, "votes", lang))]
    if note.horizon == "H2" and note.polarity:
        details.insert(0, _e(_badge(note)))
    if show_anchor and outline.anchor_title(note):
        details.append(_e(t("on_anchor", lang, title=outline.anchor_title(note))))
    if note.author:
        details.append(_e(t("by_author", lang, name=note.author)))
    text = _e(note.text) if note.text.strip() else f"<em>{_e(t('empty_note', lang))}</em>"
    return (
        f'<li id="note-{_e(note.id)}"><span class="note-text">{text}</span> '
        f'<span class="meta">({"; ".join(details)})</span></li>'
    )


def _block(block: AnchorBlock, outline: Outline) -> list[str]:
    lang = outline.lang
    kind = f"{_e(t(f'kind_{block.kind}', lang))}: " if block.kind else ""
    totals = f"{count(len(block.notes), 'notes', lang)}, {count(block.votes, 'votes', lang)}"
    out = [f'<h4>{kind}{_e(block.title)} <span class="meta">({_e(totals)})</span></h4>']
    if block.summary:
        out.append(f'<p class="summary">{_e(block.summary)}</p>')
    if block.notes:
        out.append('<ul class="notes">')
        out += [_note_item(n, outline) for n in block.notes]
        out.append("</ul>")
    else:
        out.append(f'<p class="muted">{_e(t("no_notes", lang))}</p>')
    return out


def _per_anchor(outline: Outline) -> list[str]:
    lang = outline.lang
    out = [
        f"<h2>{_e(t('export_per_anchor', lang))}</h2>",
        "<table><thead><tr>",
        f"<th>{_e(t('horizon', lang))}</th><th>{_e(t('anchor_kind', lang))}</th>"
        f"<th>{_e(t('anchor', lang))}</th><th>{_e(t('notes', lang))}</th>"
        f"<th>{_e(t('export_votes', lang))}</th>",
        "</tr></thead><tbody>",
    ]
    for horizon in outline.horizons:
        for block in horizon.blocks:
            kind = t(f"kind_{block.kind}", lang) if block.kind else ""
            out.append(
                f'<tr><td class="{horizon.horizon}">{horizon.horizon}</td><td>{_e(kind)}</td>'
                f"<td>{_e(block.title)}</td><td class=n>{len(block.notes)}</td>"
                f"<td class=n>{block.votes}</td></tr>"
            )
    out.append("</tbody></table>")
    return out


def body(outline: Outline) -> list[str]:
    """The page's text below the board, as escaped HTML lines."""
    lang = outline.lang
    out = _per_anchor(outline)
    if outline.previous_iteration is not None:
        out.append(f"<h2>{_e(t('export_changes', lang, n=outline.previous_iteration))}</h2>")
        if outline.changes:
            out.append("<ul>")
            out += [f"<li>{_e(line)}</li>" for line in outline.changes]
            out.append("</ul>")
        else:
            out.append(f"<p>{_e(t('export_no_changes', lang, n=outline.previous_iteration))}</p>")

    out.append(f"<h2>{_e(t('export_outline', lang))}</h2>")
    for horizon in outline.horizons:
        out.append(f'<h3 class="{horizon.horizon}">{_e(horizon.heading)}</h3>')
        if horizon.prompt:
            out.append(
                f'<p class="summary">{_e(t("export_prompt", lang))}: {_e(horizon.prompt)}</p>'
            )
        for block in horizon.blocks:
            out += _block(block, outline)

    out.append(f"<h2>{_e(t('export_top_voted', lang))}</h2>")
    if outline.top:
        out.append('<ol class="notes">')
        out += [_note_item(n, outline, True) for n in outline.top]
        out.append("</ol>")
    else:
        out.append(f"<p>{_e(t('export_no_votes', lang))}</p>")

    out.append(f"<h2>{_e(t('export_personas', lang))}</h2>")
    if outline.personas:
        out.append("<ul>")
        for ref in outline.personas:
            role = f" ({_e(ref.role)})" if ref.role else ""
            out.append(
                f"<li><strong>{_e(ref.name)}</strong>{role}: "
                f"{_e(count(ref.notes, 'notes', lang))}</li>"
            )
        out.append("</ul>")
    else:
        out.append(f"<p>{_e(t('export_no_personas', lang))}</p>")
    return out


def _inline_resources(fig) -> tuple[list[str], list[str]]:
    """Bokeh's JavaScript and CSS for ``fig``, inline: ``(scripts, styles)``.

    Bokeh adds the ``__javascript__`` / ``__css__`` URLs of every extension model loaded in
    the process (Panel's, when the app exports) to a bundle's files, used or not. The board
    uses Bokeh's own models only, so those files are left out; an extension model on the
    board would need its code, so that is refused rather than silently linked.
    """
    from bokeh.embed.bundle import bundle_for_objs_and_resources
    from bokeh.resources import INLINE

    modules = {type(model).__module__ for model in fig.references()}
    foreign = sorted(name for name in modules if not name.startswith("bokeh."))
    if foreign:
        raise RuntimeError(f"the board uses models from outside Bokeh: {', '.join(foreign)}")
    bundle = bundle_for_objs_and_resources([fig], INLINE)
    for code in bundle.js_raw:
        if "</script" in code.lower():
            raise RuntimeError("Bokeh's code cannot be inlined: it holds '</script'")
    return list(bundle.js_raw), list(bundle.css_raw)


def render(outline: Outline, *, progress: Progress | None = None) -> str:
    """The whole page as text."""
    from bokeh.embed import components

    progress = progress or Progress()
    lang = outline.lang
    progress(0.1, t("export_progress_board", lang))
    fig = board(outline)
    scripts, styles = _inline_resources(fig)
    script, div = components(fig)
    progress(0.6, t("export_progress_outline", lang))
    s = outline.session
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(catalogue(lang).get("_locale", lang))}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{_e(t("app_name", lang))}">',
        f"<title>{_e(outline.title)}</title>",
        f"<style>{STYLE}</style>",
        *(f"<style>{css}</style>" for css in styles),
        *(f"<script>\n{js}\n</script>" for js in scripts),
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(outline.title)}</h1>",
        f'<p class="sub">{_e(outline.subtitle())}</p>',
    ]
    if outline.focal_question:
        head.append(
            f'<p class="focal"><strong>{_e(t("export_focal_question", lang))}:</strong> '
            f"{_e(outline.focal_question)}</p>"
        )
    if s.facilitator:
        head.append(f"<p>{_e(t('export_facilitator', lang))}: {_e(s.facilitator)}</p>")
    totals = ", ".join(
        (
            count(len(outline.notes), "notes", lang),
            count(outline.votes, "votes", lang),
            count(len(s.anchors), "anchors", lang),
        )
    )
    head.append(f'<p class="sub">{_e(totals)}</p>')
    if outline.include_private:
        head.append(f'<p class="notice">{_e(t("export_private_included", lang))}</p>')
    head += [
        "</header>",
        "<main>",
        f"<h2>{_e(t('board', lang))}</h2>",
        f'<p class="hint">{_e(t("export_board_hint", lang))}</p>',
        f'<div class="board">{div}</div>',
    ]
    page = [*head, *body(outline), "</main>", script, "</body>", "</html>"]
    progress(1.0, t("export_progress_outline", lang))
    return "\n".join(page) + "\n"
