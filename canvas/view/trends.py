"""The trends page: how the notes and votes of a workshop moved across all its iterations.

Three figures, all HoloViews with the Bokeh backend: a heatmap of notes (or votes) per anchor
per iteration, a Sankey of the notes followed by id from one iteration to another, and the
rise or fall of the top anchors. The numbers come from :mod:`canvas.domain.trend_data`; the sessions
are read once per page.

User text (anchor titles) reaches the browser only as Bokeh data: axis factors, glyph text
and legend labels are drawn on the canvas, and the hover tooltips are lists of ``@{field}``
references, which Bokeh escapes. No HTML is ever built from user text here.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import holoviews as hv
import holoviews.plotting.bokeh  # registers the Bokeh backend, with no notebook output
import panel as pn

from canvas.domain.model import Session
from canvas.domain.trend_data import (
    ADDED,
    AnchorCount,
    FlowNode,
    Trajectory,
    anchor_axis,
    anchor_counts,
    flows,
    iteration_numbers,
    top_anchors,
)
from canvas.format import paths, store
from canvas.format.i18n import t
from canvas.format.problems import FormatError

BACKEND = "bokeh"
HORIZON_COLOURS = {"H1": "#b3261e", "H2": "#8a5a00", "H3": "#146c2e"}
PSEUDO_COLOUR = "#8a8a8a"
OTHER = "other"  # the colour group of "added", "removed" and any unknown horizon
CMAPS = {"notes": "Blues", "votes": "Oranges"}
MAX_LABEL = 48
TOP = 5
ROW_PX = 22
SANKEY_WIDTH = 1100  # the Sankey is laid out in pixels, so it cannot stretch
SANKEY_LABEL = 36
LABEL_CHAR_PX = 6  # about the mean width of a character of a 9pt label
_EDGE_COLUMNS = ("source", "target", "notes", "from_label", "to_label", "from_group")


@dataclass(frozen=True, slots=True)
class TrendFigures:
    """The HoloViews objects of the page; ``sankey`` is None with fewer than two iterations."""

    heatmap_notes: hv.HeatMap | None
    heatmap_votes: hv.HeatMap | None
    sankey: hv.Sankey | None
    top: hv.Overlay | hv.Curve | None
    flow_from: int | None
    flow_to: int | None


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def _place_label(horizon: str, title: str, lang: str) -> str:
    return f"{horizon} · {_short(title) if title else t('not_on_anchor', lang)}"


def _anchor_labels(axis: Sequence[AnchorCount], lang: str) -> dict[str, str]:
    """A unique axis label for every anchor key (anchor ids tell equal titles apart)."""
    labels = {row.key: _place_label(row.horizon, row.title(lang), lang) for row in axis}
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    return {
        key: (f"{label} [{key}]" if seen[label] > 1 else label) for key, label in labels.items()
    }


def _iteration_label(number: int, lang: str) -> str:
    return t("iteration", lang, n=number)


def _heatmap(
    rows: Sequence[AnchorCount], numbers: Sequence[int], measure: str, lang: str, show_empty: bool
) -> hv.HeatMap | None:
    axis = anchor_axis(rows)
    if not show_empty:
        busy = {row.key for row in rows if row.notes or row.votes}
        axis = [row for row in axis if row.key in busy]
    if not axis:
        return None
    labels = _anchor_labels(axis, lang)
    kinds = {row.key: (t(f"kind_{row.kind}", lang) if row.kind else "") for row in axis}
    data = [
        (
            _iteration_label(row.iteration, lang),
            labels[row.key],
            row.notes,
            row.votes,
            kinds[row.key],
            row.horizon,
            row.title(lang) or t("not_on_anchor", lang),
        )
        for row in rows
        if row.key in labels
    ]
    other = "votes" if measure == "notes" else "notes"
    dims = {
        "notes": hv.Dimension("notes", label=t("notes", lang)),
        "votes": hv.Dimension("votes", label=t("votes_col", lang)),
    }
    iteration = hv.Dimension("iteration", label=t("iteration_col", lang))
    anchor = hv.Dimension("anchor", label=t("anchor", lang))
    kind = hv.Dimension("kind", label=t("anchor_kind", lang))
    horizon = hv.Dimension("horizon", label=t("horizon", lang))
    title = hv.Dimension("title", label=t("anchor_title", lang))
    columns = ["iteration", "anchor", "notes", "votes", "kind", "horizon", "title"]
    records = {name: [d[i] for d in data] for i, name in enumerate(columns)}
    heatmap = hv.HeatMap(
        records, [iteration, anchor], [dims[measure], dims[other], kind, horizon, title]
    )
    order_x = [_iteration_label(n, lang) for n in numbers]
    order_y = [labels[row.key] for row in reversed(axis)]  # first row at the top
    heatmap = heatmap.redim.values(iteration=order_x, anchor=order_y)
    top = max((getattr(row, measure) for row in rows if row.key in labels), default=0)
    title_key = "trend_heatmap_notes" if measure == "notes" else "trend_heatmap_votes"
    return heatmap.opts(
        backend=BACKEND,
        title=t(title_key, lang),
        cmap=CMAPS[measure],
        clim=(0, max(top, 1)),
        colorbar=True,
        tools=["hover"],
        hover_tooltips=[
            (t("iteration_col", lang), "@{iteration}"),
            (t("horizon", lang), "@{horizon}"),
            (t("anchor_title", lang), "@{title}"),
            (t("anchor_kind", lang), "@{kind}"),
            (t("notes", lang), "@{notes}"),
            (t("votes_col", lang), "@{votes}"),
        ],
        xlabel=t("iteration_col", lang),
        ylabel=t("anchor", lang),
        height=140 + ROW_PX * len(axis),
        responsive=True,
        min_width=480,
        toolbar="above",
        default_tools=["save", "reset"],
    )


def _node_label(node: FlowNode, lang: str) -> str:
    if node.pseudo:
        return t("change_added" if node.pseudo == ADDED else "change_removed", lang)
    return _place_label(node.horizon, node.title_in(lang), lang)


def _short_node(label: str) -> str:
    return label if len(label) <= SANKEY_LABEL else label[: SANKEY_LABEL - 1].rstrip() + "…"


def _sankey(sessions: Sequence[Session], i: int, j: int, lang: str) -> hv.Sankey | None:
    found = flows(sessions, i, j)
    if not found:
        return None
    index: dict[tuple[str, FlowNode], int] = {}
    nodes: list[tuple[int, str, str]] = []
    shown: list[str] = []  # the node labels drawn beside the nodes, shortened

    def node_id(side: str, node: FlowNode) -> int:
        key = (side, node)
        if key not in index:
            index[key] = len(nodes)
            colour = node.horizon if node.horizon in HORIZON_COLOURS else OTHER
            nodes.append((len(nodes), _node_label(node, lang), colour))
            shown.append(_short_node(nodes[-1][1]))
        return index[key]

    edges = []
    for flow in found:
        source = node_id("from", flow.source)
        target = node_id("to", flow.target)
        edges.append(
            (
                source,
                target,
                flow.notes,
                nodes[source][1],
                nodes[target][1],
                nodes[source][2],
            )
        )
    node_data = hv.Dataset(
        {
            "index": [n[0] for n in nodes],
            "label": shown,
            "group": [n[2] for n in nodes],
        },
        "index",
        ["label", "group"],
    )
    notes = hv.Dimension("notes", label=t("notes", lang))
    from_label = hv.Dimension("from_label", label=t("trend_from_place", lang))
    to_label = hv.Dimension("to_label", label=t("trend_to_place", lang))
    group = hv.Dimension("from_group")
    sankey = hv.Sankey(
        ({k: [e[n] for e in edges] for n, k in enumerate(_EDGE_COLUMNS)}, node_data),
        ["source", "target"],
        [notes, from_label, to_label, group],
    )
    per_side = max(
        sum(1 for side, _ in index if side == "from"), sum(1 for side, _ in index if side == "to")
    )
    colours = {**HORIZON_COLOURS, OTHER: PSEUDO_COLOUR}
    # The nodes sit at x = 0 and x = 1000 (HoloViews' layout); widen the x range so that the
    # labels beside them (" - N" added) fit inside the plot.
    label_px = LABEL_CHAR_PX * (max(len(label) for label in shown) + 4)
    pad = 1000 * label_px / max(SANKEY_WIDTH - 60 - 2 * label_px, 200)
    sankey = sankey.redim.range(x=(-pad, 1000 + pad))
    return sankey.opts(
        backend=BACKEND,
        title=t("trend_flows", lang, i=i, j=j),
        labels="label",
        label_position="outer",
        node_color="group",
        edge_color="from_group",
        cmap=colours,
        label_text_font_size="9pt",
        edge_alpha=0.45,
        node_alpha=0.9,
        hover_tooltips=[
            (t("trend_from_place", lang), "@{from_label}"),
            (t("trend_to_place", lang), "@{to_label}"),
            (t("notes", lang), "@{notes}"),
        ],
        height=max(360, 34 * per_side + 80),
        width=SANKEY_WIDTH,
        toolbar="above",
        default_tools=["save", "reset"],
    )


def _top(
    rows: Sequence[AnchorCount], numbers: Sequence[int], measure: str, lang: str
) -> hv.Overlay | hv.Curve:
    found: list[Trajectory] = top_anchors(rows, TOP, by=measure)
    iteration = hv.Dimension("iteration", label=t("iteration_col", lang))
    value = hv.Dimension(measure, label=t("notes" if measure == "notes" else "votes_col", lang))
    anchor = hv.Dimension("anchor", label=t("anchor", lang))
    title = t("trend_top_notes" if measure == "notes" else "trend_top_votes", lang, n=len(found))
    opts = {
        "backend": BACKEND,
        "title": title,
        "xticks": [(n, _iteration_label(n, lang)) for n in numbers],
        "height": 380,
        "responsive": True,
        "min_width": 480,
        "toolbar": "above",
        "default_tools": ["save", "reset"],
    }
    if not found:
        return hv.Curve([], iteration, value).opts(**opts)
    labels = _anchor_labels(anchor_axis(rows), lang)
    layers = []
    for trajectory in found:
        label = labels[trajectory.anchor_id]
        data = {
            "iteration": list(trajectory.iterations),
            measure: list(trajectory.series(measure)),
            "anchor": [label] * len(trajectory.iterations),
        }
        colour = HORIZON_COLOURS.get(trajectory.horizon, PSEUDO_COLOUR)
        layers.append(
            hv.Curve(data, iteration, [value, anchor], label=label).opts(
                backend=BACKEND, tools=["hover"], line_width=2.5, color=colour
            )
        )
        layers.append(
            hv.Scatter(data, iteration, [value, anchor], label=label).opts(
                backend=BACKEND, tools=["hover"], size=8, color=colour
            )
        )
    peak = max(max(tr.series(measure)) for tr in found)
    return hv.Overlay(layers).opts(
        **opts,
        ylim=(0, math.ceil(peak * 1.1) + 1),
        legend_position="right",
        show_legend=True,
    )


def trends_figures(
    sessions: Sequence[Session],
    lang: str = "en",
    *,
    i: int | None = None,
    j: int | None = None,
    measure: str = "notes",
    show_empty: bool = False,
) -> TrendFigures:
    """The figures for the sessions of one workshop in iteration order (no server needed).

    ``i`` and ``j`` are iteration numbers for the Sankey (by default the last two); ``measure``
    ("notes" or "votes") picks what the top-anchors chart ranks and plots.
    """
    if not sessions:
        return TrendFigures(None, None, None, None, None, None)
    numbers = iteration_numbers(sessions)
    rows = anchor_counts(sessions)
    sankey = None
    if len(numbers) > 1:
        i = numbers[-2] if i is None else i
        j = numbers[-1] if j is None else j
        sankey = _sankey(sessions, i, j, lang)
    else:
        i = j = None
    return TrendFigures(
        heatmap_notes=_heatmap(rows, numbers, "notes", lang, show_empty),
        heatmap_votes=_heatmap(rows, numbers, "votes", lang, show_empty),
        sankey=sankey,
        top=_top(rows, numbers, measure, lang),
        flow_from=i,
        flow_to=j,
    )


def load_sessions(folder: Path) -> tuple[list[Session], list[str]]:
    """The readable sessions of a workshop folder in order, and the names of the others."""
    sessions: list[Session] = []
    unreadable: list[str] = []
    for path in paths.iterations(folder):
        try:
            sessions.append(store.load(path))
        except FormatError:
            unreadable.append(path.name)
    return sessions, unreadable


def _message(text: str) -> pn.pane.HTML:
    return pn.pane.HTML(f'<p role="status">{html.escape(text)}</p>', sizing_mode="stretch_width")


def _figure_pane(figure, empty_text: str) -> pn.viewable.Viewable:
    if figure is None:
        return _message(empty_text)
    return pn.pane.HoloViews(figure, backend=BACKEND, sizing_mode="stretch_width")


def trends_page(folder: Path, lang: str = "en") -> pn.viewable.Viewable:
    """The trends of the workshop in ``folder``: heatmap, flows between two iterations, top."""
    sessions, unreadable = load_sessions(folder)
    heading = pn.pane.HTML(
        f"<h1>{html.escape(t('trends', lang))}: {html.escape(folder.name)}</h1>",
        sizing_mode="stretch_width",
    )
    parts: list[pn.viewable.Viewable] = [heading]
    for name in unreadable:
        parts.append(_message(t("trend_unreadable", lang, name=name)))
    if not sessions:
        parts.append(_message(t("trend_no_iterations", lang)))
        return pn.Column(*parts, sizing_mode="stretch_width", styles={"padding": "1rem"})

    numbers = iteration_numbers(sessions)
    rows = anchor_counts(sessions)
    measure = pn.widgets.RadioButtonGroup(
        options={t("notes", lang): "notes", t("votes_col", lang): "votes"},
        value="notes",
    )
    show_empty = pn.widgets.Checkbox(label=t("trend_show_empty", lang), value=False)

    def heatmap_view(measure: str, show_empty: bool) -> pn.viewable.Viewable:
        return _figure_pane(_heatmap(rows, numbers, measure, lang, show_empty), t("no_notes", lang))

    def top_view(measure: str) -> pn.viewable.Viewable:
        return _figure_pane(_top(rows, numbers, measure, lang), t("no_notes", lang))

    parts += [
        pn.Row(pn.pane.HTML(f"<span>{html.escape(t('trend_measure', lang))}</span>"), measure),
        show_empty,
        pn.bind(heatmap_view, measure, show_empty),
    ]
    if len(numbers) > 1:
        options = {_iteration_label(n, lang): n for n in numbers}
        first = pn.widgets.Select(label=t("trend_from", lang), options=options, value=numbers[-2])
        second = pn.widgets.Select(label=t("trend_to", lang), options=options, value=numbers[-1])

        def sankey_view(i: int, j: int) -> pn.viewable.Viewable:
            # Notes flow from the earlier iteration to the later, whichever select holds which,
            # so "added" and "removed" keep their meaning.
            earlier, later = sorted((i, j))
            return _figure_pane(_sankey(sessions, earlier, later, lang), t("no_notes", lang))

        parts += [pn.Row(first, second), pn.bind(sankey_view, first, second)]
    else:
        parts.append(_message(t("trend_one_iteration", lang)))
    parts.append(pn.bind(top_view, measure))
    return pn.Column(
        *parts,
        sizing_mode="stretch_width",
        styles={"max-width": "80rem", "padding": "1rem"},
    )
