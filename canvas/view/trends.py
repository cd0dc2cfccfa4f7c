"""The trends page: how the notes and votes of a workshop moved across all its iterations.

Three figures (:mod:`canvas.view.trend_charts`): a heatmap of notes (or votes) per anchor per
iteration, the flow of the notes followed by id from one iteration to another, and the rise
or fall of the top anchors; with links back to the board and to the workshops page.

A steering group opens this page again and again while the files rarely change, so the
sessions and the counts made from them are kept per file state (path, modification time in
ns, size): a request reads only the files that changed since the last one, and computes each
figure once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import holoviews as hv
import panel as pn

from canvas.domain.model import Session
from canvas.domain.trend_data import AnchorCount, anchor_counts, iteration_numbers
from canvas.format import paths, store
from canvas.format.i18n import t
from canvas.format.problems import FormatError
from canvas.view import trend_charts as charts
from canvas.view.pages.render import render
from canvas.view.pages.site import BOARD_ROUTE, START_ROUTE
from canvas.view.phone_width import PhoneWidth
from canvas.view.trend_heatmap import heatmap

BACKEND = charts.BACKEND
MAX_FILES = 128  # sessions kept in memory, least recently used dropped first
MAX_WORKSHOPS = 16
_NARROWABLE = {"min-width": "0", "max-width": "100%"}


@dataclass(frozen=True, slots=True)
class TrendFigures:
    """The HoloViews objects of the page; ``sankey`` is None with fewer than two iterations."""

    heatmap_notes: object | None
    heatmap_votes: object | None
    sankey: object | None
    top: object | None
    flow_from: int | None
    flow_to: int | None


@dataclass(frozen=True, slots=True)
class Workshop:
    """A workshop folder as read at one state of its files, with its counts made once.

    ``figures`` keeps each chart made from this state (HoloViews elements are immutable and
    are drawn into each page's own Bokeh document), keyed by what was asked for.
    """

    sessions: tuple[Session, ...]
    unreadable: tuple[str, ...]
    files: tuple[Path, ...]
    numbers: tuple[int, ...]
    rows: tuple[AnchorCount, ...]
    figures: dict = field(default_factory=dict, compare=False, repr=False)

    def figure(self, key: tuple, make):
        if key not in self.figures:
            self.figures[key] = make()
        return self.figures[key]

    def heatmap(self, measure: str, lang: str, show_empty: bool):
        return self.figure(
            ("heatmap", measure, lang, show_empty),
            lambda: heatmap(self.rows, self.numbers, measure, lang, show_empty),
        )

    def sankey(self, i: int, j: int, lang: str):
        return self.figure(("sankey", i, j, lang), lambda: charts.sankey(self.sessions, i, j, lang))

    def top(self, measure: str, lang: str):
        return self.figure(
            ("top", measure, lang), lambda: charts.top(self.rows, self.numbers, measure, lang)
        )


class _Cache:
    """Least-recently-used values keyed by a state; a changed state reads afresh."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, state, make):
        with self.lock:
            hit = self.items.get(key)
            if hit is not None and hit[0] == state:
                self.items.move_to_end(key)
                return hit[1]
        value = make()
        with self.lock:
            self.items[key] = (state, value)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


_SESSIONS = _Cache(MAX_FILES)
_WORKSHOPS = _Cache(MAX_WORKSHOPS)


def _state(path: Path) -> tuple[int, int]:
    found = path.stat()
    return found.st_mtime_ns, found.st_size


def _load(path: Path, state: tuple[int, int] | None) -> Session | str:
    """The session in ``path``, or its file name when it cannot be read (kept as is)."""
    if state is None:  # not even its size could be read (a link loop, say)
        return path.name

    def read() -> Session | str:
        try:
            return store.load(path)
        except FormatError:
            return path.name

    return _SESSIONS.get(path.resolve(), state, read)


def read_workshop(folder: Path) -> Workshop:
    """The workshop in ``folder``, from the cache while none of its files changed."""
    files: list[tuple[Path, tuple[int, int] | None]] = []
    for path in paths.iterations(folder) if folder.is_dir() else []:
        try:
            files.append((path, _state(path)))
        except OSError:
            files.append((path, None))

    def make() -> Workshop:
        loaded = [(path, _load(path, state)) for path, state in files]
        sessions = tuple(s for _, s in loaded if isinstance(s, Session))
        return Workshop(
            sessions=sessions,
            unreadable=tuple(s for _, s in loaded if isinstance(s, str)),
            files=tuple(path for path, s in loaded if isinstance(s, Session)),
            numbers=tuple(iteration_numbers(sessions)),
            rows=tuple(anchor_counts(sessions)),
        )

    key = folder.resolve() if folder.is_dir() else folder
    return _WORKSHOPS.get(key, tuple((p.name, s) for p, s in files), make)


def load_sessions(folder: Path) -> tuple[list[Session], list[str]]:
    """The readable sessions of a workshop folder in order, and the names of the others."""
    workshop = read_workshop(folder)
    return list(workshop.sessions), list(workshop.unreadable)


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
        sankey = charts.sankey(sessions, i, j, lang)
    else:
        i = j = None
    return TrendFigures(
        heatmap_notes=heatmap(rows, numbers, "notes", lang, show_empty),
        heatmap_votes=heatmap(rows, numbers, "votes", lang, show_empty),
        sankey=sankey,
        top=charts.top(rows, numbers, measure, lang),
        flow_from=i,
        flow_to=j,
    )


def _message(text: str) -> pn.pane.HTML:
    return pn.pane.HTML(render("status.html", text=text), sizing_mode="stretch_width")


def _figure_pane(figure, empty_text: str) -> pn.viewable.Viewable:
    """A chart under its title as an HTML heading (it wraps on a phone, and a screen reader
    can jump to it), as wide as the page or as wide as it must be to read, then scrolling."""
    if figure is None:
        return _message(empty_text)
    plot = hv.Store.lookup_options(BACKEND, figure, "plot").kwargs
    heading = pn.pane.HTML(
        render("heading.html", level=2, text=plot.get("title", "")),
        sizing_mode="stretch_width",
        styles={"font-size": "0.85rem"},
    )
    figure = figure.opts(title="", clone=True)
    if "width" in plot:  # laid out in pixels (the flow chart): shown at its own width
        pane = pn.pane.HoloViews(figure, backend=BACKEND, sizing_mode="fixed")
    else:
        least = plot.get("min_width", 0)
        pane = pn.pane.HoloViews(
            figure, backend=BACKEND, sizing_mode="stretch_width", min_width=least
        )
    # Panel gives a layout the width of its widest child; the styles keep this one to the
    # page's width, so that the chart scrolls instead of widening the whole page.
    scroller = pn.Column(pane, scroll="x-auto", sizing_mode="stretch_width", styles=_NARROWABLE)
    return pn.Column(heading, scroller, sizing_mode="stretch_width", styles=_NARROWABLE)


def _header(folder: Path, workshop: Workshop, lang: str) -> pn.pane.HTML:
    """The page's heading and its way back: the board of the latest iteration, the workshops."""
    links = []
    if workshop.files:
        latest = f"{folder.name}/{workshop.files[-1].stem}"
        links.append(
            (f"./{BOARD_ROUTE}?session={quote(latest)}&lang={lang}", t("back_to_board", lang))
        )
    links.append((f"./{START_ROUTE}?lang={lang}", t("all_workshops", lang)))
    return pn.pane.HTML(
        render(
            "trends_header.html",
            title=f"{t('trends', lang)}: {folder.name}",
            nav=t("navigation", lang),
            links=links,
        ),
        sizing_mode="stretch_width",
    )


def _sankey_part(workshop: Workshop, lang: str) -> list[pn.viewable.Viewable]:
    numbers = workshop.numbers
    if len(numbers) < 2:
        return [_message(t("trend_one_iteration", lang))]
    options = {charts.iteration_label(n, lang): n for n in numbers}
    first = pn.widgets.Select(
        label=t("trend_from", lang), options=options, value=numbers[-2], width=160
    )
    second = pn.widgets.Select(
        label=t("trend_to", lang), options=options, value=numbers[-1], width=160
    )

    def sankey_view(i: int, j: int) -> pn.viewable.Viewable:
        # Notes flow from the earlier iteration to the later, whichever select holds which,
        # so "added" and "removed" keep their meaning.
        earlier, later = sorted((i, j))
        return _figure_pane(workshop.sankey(earlier, later, lang), t("no_notes", lang))

    view = pn.panel(pn.bind(sankey_view, first, second), styles=_NARROWABLE)
    return [pn.Row(first, second, styles=_NARROWABLE), view]


def trends_page(folder: Path, lang: str = "en", *, defer: bool = True) -> pn.viewable.Viewable:
    """The trends of the workshop in ``folder``: heatmap, flows between two iterations, top.

    With ``defer`` the flows and the top anchors are drawn once the page is on screen (a
    server loads them), so the first chart waits for no other; without it, all at once.
    """
    workshop = read_workshop(folder)
    parts: list[pn.viewable.Viewable] = [_header(folder, workshop, lang)]
    for name in workshop.unreadable:
        parts.append(_message(t("trend_unreadable", lang, name=name)))
    if not workshop.sessions:
        parts.append(_message(t("trend_no_iterations", lang)))
        return pn.Column(
            *parts, PhoneWidth(), sizing_mode="stretch_width", styles={"padding": "1rem"}
        )

    measure = pn.widgets.RadioButtonGroup(
        label=t("trend_measure", lang),
        options={t("notes", lang): "notes", t("votes_col", lang): "votes"},
        value="notes",
    )
    show_empty = pn.widgets.Checkbox(label=t("trend_show_empty", lang), value=False)

    def heatmap_view(measure: str, show_empty: bool) -> pn.viewable.Viewable:
        figure = workshop.heatmap(measure, lang, show_empty)
        return _figure_pane(figure, t("no_notes", lang))

    def top_view(measure: str) -> pn.viewable.Viewable:
        return _figure_pane(workshop.top(measure, lang), t("no_notes", lang))

    def later() -> pn.viewable.Viewable:
        return pn.Column(
            *_sankey_part(workshop, lang),
            pn.panel(pn.bind(top_view, measure), styles=_NARROWABLE),
            sizing_mode="stretch_width",
            styles=_NARROWABLE,
        )

    caption = render("caption.html", text=t("trend_measure", lang))
    parts += [
        pn.Row(pn.pane.HTML(caption), measure, styles=_NARROWABLE),
        show_empty,
        pn.panel(pn.bind(heatmap_view, measure, show_empty), styles=_NARROWABLE),
        # Drawn once the page is on screen, so that the first chart waits for no other.
        pn.panel(later, defer_load=defer, styles=_NARROWABLE) if defer else later(),
    ]
    return pn.Column(
        *parts,
        PhoneWidth(),
        sizing_mode="stretch_width",
        styles={**_NARROWABLE, "max-width": "80rem", "padding": "1rem"},
    )
