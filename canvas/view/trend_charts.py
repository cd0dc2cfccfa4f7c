"""The trend charts, built from :mod:`canvas.domain.trend_data` with HoloViews and Bokeh.

Each chart is made to be read without a legend to decode: the flow chart orders its places by
horizon and gathers the notes that stayed put into one band, so the moves stand out; the top
anchors are coloured by anchor within their horizon's hue and named at the end of their line;
the heatmap (:mod:`canvas.view.trend_heatmap`) prints its counts in its cells.

User text (anchor titles) reaches the browser only as Bokeh data: axis factors, glyph text
and label sets are drawn on the canvas, and the hover tooltips are lists of ``@{field}``
references, which Bokeh escapes. No HTML is ever built from user text here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import holoviews as hv
import holoviews.plotting.bokeh  # registers the Bokeh backend, with no notebook output
from bokeh.models import ColumnDataSource, LabelSet

from canvas.domain.model import Session
from canvas.domain.trend_data import (
    ADDED,
    FOLDED,
    UNCHANGED,
    AnchorCount,
    FlowNode,
    Trajectory,
    anchor_axis,
    fold_places,
    node_order,
    story_flows,
    top_anchors,
)
from canvas.format.i18n import t

BACKEND = "bokeh"
HORIZON_COLOURS = {"H1": "#b3261e", "H2": "#8a5a00", "H3": "#146c2e"}
# Shades of each horizon's hue, all at least 4.5:1 on white, for the anchors of one horizon.
ANCHOR_SHADES = {
    "H1": ("#b3261e", "#7f1d1d", "#c2410c", "#a61e4d", "#5c0f0a"),
    "H2": ("#8a5a00", "#5c3d00", "#a65f00", "#7a4f2a", "#9c4a1a"),
    "H3": ("#146c2e", "#0b4f1f", "#2d7a4a", "#55731a", "#0f6b5c"),
}
DASHES = ("solid", "dashed", "dotted", "dotdash", "dashdot")
PSEUDO_COLOUR = "#8a8a8a"
UNCHANGED_COLOUR = "#c3c8d0"
OTHER = "other"  # the colour group of "added", "removed" and any unknown horizon
MAX_LABEL = 34  # characters of an anchor on an axis (its hover shows it whole)
TOP = 5
TOP_HEIGHT = 380
TOP_LABEL = 34  # characters of an anchor's name at the end of its line
LABEL_CHAR_PX = 6.5  # about the mean width of a character of a 9pt label
LABEL_GAP_PX = 15
SANKEY_WIDTH = 1100  # the Sankey is laid out in pixels, so it cannot stretch
SANKEY_LABEL = 36
SANKEY_PLACES = 16  # places a side at most; the smallest of the others are folded together
_EDGE_COLUMNS = ("source", "target", "notes", "from_label", "to_label", "from_group")


def short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def place_label(horizon: str, title: str, lang: str) -> str:
    return f"{horizon} · {short(title) if title else t('not_on_anchor', lang)}"


def anchor_labels(axis: Sequence[AnchorCount], lang: str) -> dict[str, str]:
    """A unique axis label for every anchor key (anchor ids tell equal titles apart)."""
    labels = {row.key: place_label(row.horizon, row.title(lang), lang) for row in axis}
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    return {
        key: (f"{label} [{key}]" if seen[label] > 1 else label) for key, label in labels.items()
    }


def iteration_label(number: int, lang: str) -> str:
    return t("iteration", lang, n=number)


# ---------------------------------------------------------------------------------------------
# The flows between two iterations


def _node_label(node: FlowNode, lang: str) -> str:
    if node.pseudo == UNCHANGED:
        return t("trend_unchanged", lang)
    if node.pseudo == FOLDED:
        return f"{node.horizon} · {t('trend_other_places', lang, n=node.folded)}"
    if node.pseudo:
        return t("change_added" if node.pseudo == ADDED else "change_removed", lang)
    return place_label(node.horizon, node.title_in(lang), lang)


def _group(node: FlowNode) -> str:
    if node.pseudo == UNCHANGED:
        return UNCHANGED
    return node.horizon if node.horizon in HORIZON_COLOURS else OTHER


def _sankey_data(found, lang: str) -> tuple[dict, hv.Dataset, int]:
    """Edges and nodes for HoloViews, the nodes of each side in reading order (HoloViews
    stacks them from the bottom, so reversed), and the number of nodes on the fuller side."""
    sides = {
        side: sorted({getattr(f, side) for f in found}, key=node_order, reverse=True)
        for side in ("source", "target")
    }
    index: dict[tuple[str, FlowNode], int] = {}
    labels: list[str] = []
    groups: list[str] = []
    for side, nodes in sides.items():
        for node in nodes:
            index[(side, node)] = len(labels)
            labels.append(_node_label(node, lang))
            groups.append(_group(node))
    edges = []
    for f in found:
        source, target = index[("source", f.source)], index[("target", f.target)]
        edges.append((source, target, f.notes, labels[source], labels[target], groups[source]))
    node_data = hv.Dataset(
        {
            "index": list(range(len(labels))),
            "label": [short(label, SANKEY_LABEL) for label in labels],
            "group": groups,
        },
        "index",
        ["label", "group"],
    )
    columns = {k: [e[n] for e in edges] for n, k in enumerate(_EDGE_COLUMNS)}
    return columns, node_data, max(len(nodes) for nodes in sides.values())


def sankey(sessions: Sequence[Session], i: int, j: int, lang: str) -> hv.Sankey | None:
    """The notes followed from iteration ``i`` to ``j``: places ordered by horizon, top down,
    the notes that stayed where they were in one grey band, and at most
    :data:`SANKEY_PLACES` places a side (the smallest folded together per horizon)."""
    found = fold_places(story_flows(sessions, i, j), SANKEY_PLACES)
    if not found:
        return None
    edges, node_data, per_side = _sankey_data(found, lang)
    element = hv.Sankey(
        (edges, node_data),
        ["source", "target"],
        [
            hv.Dimension("notes", label=t("notes", lang)),
            hv.Dimension("from_label", label=t("trend_from_place", lang)),
            hv.Dimension("to_label", label=t("trend_to_place", lang)),
            hv.Dimension("from_group"),
        ],
    )
    # The nodes sit at x = 0 and x = 1000 (HoloViews' layout); widen the x range so that the
    # labels beside them (" - N" added) fit inside the plot.
    label_px = LABEL_CHAR_PX * (max(len(label) for label in node_data["label"]) + 5)
    pad = 1000 * label_px / max(SANKEY_WIDTH - 60 - 2 * label_px, 200)
    element = element.redim.range(x=(-pad, 1000 + pad))
    colours = {**HORIZON_COLOURS, OTHER: PSEUDO_COLOUR, UNCHANGED: UNCHANGED_COLOUR}
    return element.opts(
        backend=BACKEND,
        title=t("trend_flows", lang, i=i, j=j),
        labels="label",
        label_position="outer",
        node_sort=False,
        node_padding=max(4, min(20, 400 // per_side)),  # in the layout's units of 1000
        node_color="group",
        edge_color="from_group",
        cmap=colours,
        label_text_font_size="9pt",
        node_size=0,
        edge_alpha=0.5,
        node_alpha=0.95,
        hover_tooltips=[
            (t("trend_from_place", lang), "@{from_label}"),
            (t("trend_to_place", lang), "@{to_label}"),
            (t("notes", lang), "@{notes}"),
        ],
        height=max(320, 26 * per_side + 90),
        width=SANKEY_WIDTH,
        toolbar="above",
        default_tools=["save", "reset"],
    )


# ---------------------------------------------------------------------------------------------
# The top anchors


def anchor_styles(found: Sequence[Trajectory]) -> list[tuple[str, str]]:
    """(colour, dash) per trajectory: a shade of its horizon's hue and a dash, by its rank
    among the anchors of that horizon, so no two lines look alike."""
    seen: dict[str, int] = {}
    styles = []
    for trajectory in found:
        k = seen.get(trajectory.horizon, 0)
        seen[trajectory.horizon] = k + 1
        shades = ANCHOR_SHADES.get(trajectory.horizon, (PSEUDO_COLOUR,))
        styles.append((shades[k % len(shades)], DASHES[k % len(DASHES)]))
    return styles


def dodge(values: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Label heights near ``values``, at least ``gap`` apart, pushed below ``high`` if need be."""
    order = sorted(range(len(values)), key=lambda k: values[k])
    placed = [0.0] * len(values)
    last = -math.inf
    for k in order:
        placed[k] = max(values[k], last + gap, low)
        last = placed[k]
    ceiling = high
    for k in reversed(order):
        placed[k] = min(placed[k], ceiling)
        ceiling = placed[k] - gap
    return placed


def _end_labels(texts, xs, ys, colours):
    """A plot hook: each anchor's name at the right edge of the chart, at the height where its
    line ends, in its line's colour on a white ground (Bokeh clips labels to the frame, so
    they are right-aligned against its edge rather than set beyond it)."""

    def hook(plot, _element) -> None:
        source = ColumnDataSource({"x": xs, "y": ys, "text": texts, "colour": colours})
        plot.state.add_layout(
            LabelSet(
                x="x",
                y="y",
                text="text",
                source=source,
                x_offset=-4,
                text_align="right",
                text_color="colour",
                text_baseline="middle",
                text_font_size="9pt",
                text_font_style="bold",
                background_fill_color="#ffffff",
                background_fill_alpha=0.9,
            )
        )

    return hook


def nice_step(top: int, most: int = 8) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50... that cuts 0..``top`` into at most ``most`` steps."""
    k, step = 0, 1
    while math.ceil(max(top, 1) / step) > most:
        k += 1
        step = (1, 2, 5)[k % 3] * 10 ** (k // 3)
    return step


def whole_ticks(top: int, most: int = 8) -> list[int]:
    """Ticks at whole numbers from 0 to at least ``top``: counts are never 0.5."""
    step = nice_step(top, most)
    return list(range(0, max(top, 1) + step, step))


def top(
    rows: Sequence[AnchorCount], numbers: Sequence[int], measure: str, lang: str
) -> hv.Overlay | hv.Curve:
    """The rise or fall of the top anchors, each named at the end of its line (no legend)."""
    found: list[Trajectory] = top_anchors(rows, TOP, by=measure)
    iteration = hv.Dimension("iteration", label=t("iteration_col", lang))
    value = hv.Dimension(measure, label=t("notes" if measure == "notes" else "votes_col", lang))
    anchor = hv.Dimension("anchor", label=t("anchor", lang))
    title = t("trend_top_notes" if measure == "notes" else "trend_top_votes", lang, n=len(found))
    opts = {
        "backend": BACKEND,
        "title": title,
        "xticks": [(n, str(n)) for n in numbers],  # the axis says "Iteration"; phones need room
        "height": TOP_HEIGHT,
        "responsive": True,
        "min_width": 360,
        "toolbar": "above",
        "default_tools": ["save", "reset"],
    }
    if not found:
        return hv.Curve([], iteration, value).opts(**opts)
    labels = anchor_labels(anchor_axis(rows), lang)
    styles = anchor_styles(found)
    layers = []
    for trajectory, (colour, dash) in zip(found, styles, strict=True):
        data = {
            "iteration": list(trajectory.iterations),
            measure: list(trajectory.series(measure)),
            "anchor": [labels[trajectory.anchor_id]] * len(trajectory.iterations),
        }
        layers.append(
            hv.Curve(data, iteration, [value, anchor]).opts(
                backend=BACKEND, tools=["hover"], line_width=2.5, color=colour, line_dash=dash
            )
        )
        layers.append(
            hv.Scatter(data, iteration, [value, anchor]).opts(
                backend=BACKEND, tools=["hover"], size=8, color=colour
            )
        )
    peak = max(max(tr.series(measure)) for tr in found)
    ticks = whole_ticks(peak)
    ymax = max(ticks[-1], 1) + 0.5
    first, last = numbers[0], numbers[-1]
    right = last + max(last - first, 1) * 0.45  # room beside the line ends for the names
    ends = [tr.series(measure)[-1] for tr in found]
    frame_px = TOP_HEIGHT - 110  # the title, the toolbar and the x axis take the rest
    gap = LABEL_GAP_PX * ymax / frame_px
    heights = dodge(ends, gap, gap / 2, ymax - gap / 2)  # whole labels inside the frame
    texts = [short(f"{tr.horizon} · {tr.title_in(lang)}", TOP_LABEL) for tr in found]
    hook = _end_labels(texts, [right] * len(found), heights, [c for c, _ in styles])
    return hv.Overlay(layers).opts(
        **opts,
        xlim=(first - 0.1 * max(last - first, 1), right),
        ylim=(-0.3, ymax),
        yticks=ticks,
        show_legend=False,
        hooks=[hook],
    )
