"""The heatmap of the trends page: notes (or votes) per anchor per iteration, counted in words.

The counts are printed in the cells, so the chart reads without decoding colours; the colour
scale is stepped in whole numbers (zero alone, then equal bins), never a continuous bar with
ticks at 0.5 for counts that are always whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import holoviews as hv
from bokeh.models import FixedTicker
from bokeh.palettes import Blues9, Oranges9

from canvas.domain.trend_data import AnchorCount, anchor_axis
from canvas.format.i18n import t
from canvas.view.trend_charts import (
    BACKEND,
    anchor_labels,
    iteration_label,
    nice_step,
)

# Sequential palettes from light to dark; the lightest stands for zero. Oranges9's "#d94801"
# holds neither white nor dark text at 4.5:1, so a slightly deeper orange takes its place.
SCALES = {
    "notes": tuple(reversed(Blues9)),
    "votes": tuple("#c44103" if c == "#d94801" else c for c in reversed(Oranges9)),
}
DARK_TEXT = "#1b1f24"
ROW_PX = 22
AXIS_CHAR_PX = 5.5  # about the mean width of a character of an axis label


def count_bins(top: int, most: int = 8) -> list[tuple[int, int]]:
    """Whole-number bins for counts up to ``top``: 0 alone, then equal steps of 1, 2, 5, 10...

    At most ``most`` bins besides zero, so that each gets a colour of its own.
    """
    step = nice_step(top, most)
    bins = [(0, 0)]
    low = 1
    while low <= max(top, 1):
        bins.append((low, low + step - 1))
        low += step
    return bins


def bin_label(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_on(colour: str) -> str:
    """White or dark text, whichever contrasts more with ``colour``."""
    lum = _luminance(colour)
    on_white = 1.05 / (lum + 0.05)
    on_dark = (lum + 0.05) / (_luminance(DARK_TEXT) + 0.05)
    return "#ffffff" if on_white > on_dark else DARK_TEXT


def bin_colours(measure: str, count: int) -> list[str]:
    """``count`` colours of the measure's scale, evenly spread from light (zero) to dark."""
    scale = SCALES[measure]
    if count == 1:
        return [scale[0]]
    return [scale[round(i * (len(scale) - 1) / (count - 1))] for i in range(count)]


@dataclass(frozen=True, slots=True)
class Scale:
    """The stepped colour scale of one heatmap.

    The steps are set by the anchors' counts: the notes on no anchor (often many more) would
    otherwise push every anchor into the lightest step. A count above the last step takes
    its colour, and that step reads "N+".
    """

    bins: tuple[tuple[int, int], ...]
    colours: tuple[str, ...]
    open_top: bool

    @classmethod
    def of(cls, shown: Sequence[AnchorCount], measure: str) -> Scale:
        values = [getattr(row, measure) for row in shown]
        anchored = [getattr(row, measure) for row in shown if row.on_anchor]
        bins = count_bins(max(anchored, default=0) or max(values, default=0))
        colours = bin_colours(measure, len(bins))
        return cls(tuple(bins), tuple(colours), max(values, default=0) > bins[-1][1])

    def colour(self, value: int) -> str:
        for (_, high), colour in zip(self.bins, self.colours, strict=True):
            if value <= high:
                return colour
        return self.colours[-1]

    def labels(self) -> dict[float, str]:
        """The colour bar's tick at the middle of each step, named in whole numbers."""
        out = {(low + high) / 2: bin_label(low, high) for low, high in self.bins}
        if self.open_top:
            low, high = self.bins[-1]
            out[(low + high) / 2] = f"{low}+"
        return out

    def opts(self) -> dict:
        edges = [-0.5] + [high + 0.5 for _, high in self.bins]
        ticks = self.labels()
        return {
            "cmap": list(self.colours),
            "color_levels": edges,
            "clim": (edges[0], edges[-1]),
            "colorbar_opts": {
                "ticker": FixedTicker(ticks=list(ticks)),
                "major_label_overrides": ticks,
            },
        }


_COLUMNS = ("iteration", "anchor", "notes", "votes", "kind", "horizon", "title")


def _records(shown, axis, labels: dict[str, str], lang: str) -> dict[str, list]:
    kinds = {row.key: (t(f"kind_{row.kind}", lang) if row.kind else "") for row in axis}
    records: dict[str, list] = {name: [] for name in _COLUMNS}
    for row in shown:
        records["iteration"].append(iteration_label(row.iteration, lang))
        records["anchor"].append(labels[row.key])
        records["notes"].append(row.notes)
        records["votes"].append(row.votes)
        records["kind"].append(kinds[row.key])
        records["horizon"].append(row.horizon)
        records["title"].append(row.title(lang) or t("not_on_anchor", lang))
    return records


def _tooltips(lang: str) -> list[tuple[str, str]]:
    return [
        (t("iteration_col", lang), "@{iteration}"),
        (t("horizon", lang), "@{horizon}"),
        (t("anchor_title", lang), "@{title}"),
        (t("anchor_kind", lang), "@{kind}"),
        (t("notes", lang), "@{notes}"),
        (t("votes_col", lang), "@{votes}"),
    ]


def _cells(records, measure: str, order, scale: Scale, lang: str) -> hv.HeatMap:
    other = "votes" if measure == "notes" else "notes"
    dims = {
        "notes": hv.Dimension("notes", label=t("notes", lang)),
        "votes": hv.Dimension("votes", label=t("votes_col", lang)),
    }
    extra = [
        hv.Dimension("kind", label=t("anchor_kind", lang)),
        hv.Dimension("horizon", label=t("horizon", lang)),
        hv.Dimension("title", label=t("anchor_title", lang)),
    ]
    cells = hv.HeatMap(records, _kdims(lang), [dims[measure], dims[other], *extra])
    return cells.redim.values(iteration=order[0], anchor=order[1]).opts(
        backend=BACKEND,
        colorbar=True,
        colorbar_position="bottom",
        clabel=t("notes" if measure == "notes" else "votes_col", lang),
        line_color="#ffffff",
        line_width=1,
        tools=["hover"],
        hover_tooltips=_tooltips(lang),
        **scale.opts(),
    )


def _kdims(lang: str) -> list[hv.Dimension]:
    return [
        hv.Dimension("iteration", label=t("iteration_col", lang)),
        hv.Dimension("anchor", label=t("anchor", lang)),
    ]


def _counts(records, measure: str, order, scale: Scale, lang: str) -> hv.Labels:
    """Each cell's count, in white or dark ink, whichever reads better on its colour."""
    values = records[measure]
    counts = hv.Labels(
        {
            "iteration": records["iteration"],
            "anchor": records["anchor"],
            "count": [str(v) for v in values],
            "ink": [text_on(scale.colour(v)) for v in values],
        },
        _kdims(lang),
        ["count", "ink"],
    )
    return counts.redim.values(iteration=order[0], anchor=order[1]).opts(
        backend=BACKEND, text_color="ink", text_font_size="9pt", text_font_style="bold"
    )


def heatmap(
    rows: Sequence[AnchorCount], numbers: Sequence[int], measure: str, lang: str, show_empty: bool
) -> hv.Overlay | None:
    """Notes (or votes) per anchor per iteration, counts printed in the cells."""
    axis = anchor_axis(rows)
    if not show_empty:
        busy = {row.key for row in rows if row.notes or row.votes}
        axis = [row for row in axis if row.key in busy]
    if not axis:
        return None
    labels = anchor_labels(axis, lang)
    shown = [row for row in rows if row.key in labels]
    scale = Scale.of(shown, measure)
    records = _records(shown, axis, labels, lang)
    order_y = [labels[row.key] for row in reversed(axis)]  # first row at the top
    order = ([iteration_label(n, lang) for n in numbers], order_y)
    title_key = "trend_heatmap_notes" if measure == "notes" else "trend_heatmap_votes"
    names_px = int(AXIS_CHAR_PX * max(len(label) for label in order_y))
    layers = _cells(records, measure, order, scale, lang) * _counts(
        records, measure, order, scale, lang
    )
    return layers.opts(
        backend=BACKEND,
        title=t(title_key, lang),
        xlabel=t("iteration_col", lang),
        ylabel="",  # the heading names the rows; the room is for their names
        height=200 + ROW_PX * len(axis),
        responsive=True,
        # Narrower than its names and a readable column per iteration, it scrolls instead.
        min_width=names_px + 40 * len(numbers) + 30,
        toolbar="above",
        default_tools=["save", "reset"],
    )
