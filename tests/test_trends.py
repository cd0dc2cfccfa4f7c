"""The trends page builds its figures without a server, and shows user text only as data."""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import replace
from pathlib import Path

import holoviews as hv
import panel as pn
import pytest
from bokeh.document import Document
from bokeh.models import GraphRenderer, HoverTool

from canvas.format import paths, store
from canvas.format.i18n import t
from canvas.view.trends import load_sessions, trends_figures, trends_page

SAMPLE = Path(__file__).resolve().parent.parent / "sessions" / "wales-2022"

HOSTILE = '<img src=x onerror="alert(1)">Metrics & <b>more</b>'
FIELD = re.compile(r"@\{[A-Za-z_][A-Za-z0-9_]*\}")


@pytest.fixture(scope="module")
def sample():
    sessions, unreadable = load_sessions(SAMPLE)
    assert unreadable == []
    return sessions


def _title(element) -> str:
    return hv.Store.lookup_options("bokeh", element, "plot").kwargs["title"]


def _expected_edges(one, two) -> int:
    """Distinct (place in 1 or added, place in 2 or removed) pairs of notes that moved, counted
    by hand, plus one band for all the notes that stayed where they were."""
    pairs = set()
    for note_id in one.notes.keys() | two.notes.keys():
        before, after = one.notes.get(note_id), two.notes.get(note_id)
        source = (before.horizon, before.anchor) if before else "added"
        target = (after.horizon, after.anchor) if after else "removed"
        pairs.add((source, target) if source != target else "unchanged")
    return len(pairs)


def test_figures_of_the_sample_render_with_bokeh(sample):
    figures = trends_figures(sample, "en")
    assert (figures.flow_from, figures.flow_to) == (1, 2)  # the last two by default
    for element in (figures.heatmap_notes, figures.heatmap_votes, figures.sankey, figures.top):
        assert element is not None
        plot = hv.render(element, backend="bokeh")
        assert plot.select(type=HoverTool)


def test_the_sankey_has_one_band_for_what_stayed_and_one_edge_per_move(sample):
    one, two = sample
    sankey = trends_figures(sample).sankey
    expected = _expected_edges(one, two)
    assert len(sankey) == expected
    assert sum(sankey.dimension_values("notes")) == len(one.notes.keys() | two.notes.keys())
    graph = hv.render(sankey, backend="bokeh").select_one(GraphRenderer)
    assert len(graph.edge_renderer.data_source.data["notes"]) == expected


def test_heatmap_has_a_cell_per_iteration_and_busy_anchor(sample):
    figures = trends_figures(sample)
    busy = {
        note.anchor or f"free {note.horizon}"
        for session in sample
        for note in session.notes.values()
    }
    heatmap = figures.heatmap_notes
    assert len(set(heatmap.dimension_values("anchor"))) == len(busy)
    assert sum(heatmap.dimension_values("notes")) == sum(len(s.notes) for s in sample)
    assert sum(figures.heatmap_votes.dimension_values("votes")) == sum(
        n.votes for s in sample for n in s.notes.values()
    )
    everything = trends_figures(sample, show_empty=True).heatmap_notes
    assert len(set(everything.dimension_values("anchor"))) > len(busy)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_titles_come_from_the_catalogue(sample, lang):
    figures = trends_figures(sample, lang)
    assert _title(figures.heatmap_notes) == t("trend_heatmap_notes", lang)
    assert _title(figures.heatmap_votes) == t("trend_heatmap_votes", lang)
    assert _title(figures.sankey) == t("trend_flows", lang, i=1, j=2)
    assert t("iteration", lang, n=2) in set(figures.heatmap_notes.dimension_values("iteration"))
    if lang == "cy":  # Welsh anchor titles where the file has them
        titles = set(figures.heatmap_notes.dimension_values("title"))
        assert any(a.title_cy in titles for a in sample[-1].anchors.values() if a.title_cy)


def test_every_tooltip_is_a_list_of_escaped_field_references(sample):
    figures = trends_figures(sample, "en")
    for element in (figures.heatmap_notes, figures.heatmap_votes, figures.sankey, figures.top):
        for tool in hv.render(element, backend="bokeh").select(type=HoverTool):
            assert isinstance(tool.tooltips, list), "no HTML template tooltips"
            for _label, value in tool.tooltips:
                assert FIELD.fullmatch(value), value  # never {safe}, never markup


def _hostile_workshop(root: Path) -> Path:
    folder = root / "sessions" / "hostile"
    shutil.copytree(SAMPLE, folder)
    for path in paths.iterations(folder):
        session = store.load(path)
        anchors = dict(session.anchors)
        anchors["ca-metrics"] = replace(anchors["ca-metrics"], title=HOSTILE, title_cy=HOSTILE)
        store.save(replace(session, anchors=anchors), path, backups=0)
    return folder


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


# Where an anchor title may sit in the Bokeh document: the data sources (drawn on the canvas
# or escaped in tooltips), the categorical axis factors (drawn on the canvas) and a renderer's
# name (an identifier, never shown). Nowhere else: not in markup, titles or widget labels.
AS_DATA = {("ColumnDataSource", "data"), ("FactorRange", "factors"), ("GlyphRenderer", "name")}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_anchor_titles_reach_the_browser_only_as_data(tmp_path, lang):
    page = trends_page(_hostile_workshop(tmp_path), lang)
    root = page.get_root(Document())
    found = set()
    for model in root.references():
        for name, value in model.properties_with_values(include_defaults=False).items():
            if any("<img" in text for text in _strings(value)):
                found.add((type(model).__name__, name))
    assert ("ColumnDataSource", "data") in found  # the title is there, as data
    assert found <= AS_DATA


def _headings(page) -> list[str]:
    """The chart titles of a page, as its HTML headings say them."""
    found = []
    for pane in page.select(pn.pane.HTML):
        found += [html.unescape(h) for h in re.findall(r"<h2>(.*?)</h2>", pane.object)]
    return found


def test_the_page_follows_the_selects_from_earlier_to_later(sample):
    page = trends_page(SAMPLE, defer=False)
    first, second = page.select(pn.widgets.Select)
    assert (first.value, second.value) == (1, 2)
    first.value, second.value = 2, 1  # chosen backwards: still drawn from 1 to 2
    assert t("trend_flows", i=1, j=2) in _headings(page)
    measure = page.select(pn.widgets.RadioButtonGroup)[0]
    measure.value = "votes"
    headings = _headings(page)
    assert t("trend_heatmap_votes") in headings
    assert t("trend_top_votes", n=5) in headings
    assert t("trend_heatmap_notes") not in headings


def test_one_iteration_no_iterations_and_unreadable_files(tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    first = paths.iterations(SAMPLE)[0]
    shutil.copy(first, folder / first.name)
    (folder / "02-broken.yaml").write_text("format: [unclosed\n", encoding="utf-8")
    figures = trends_figures(load_sessions(folder)[0])
    assert figures.sankey is None and figures.heatmap_notes is not None
    page = trends_page(folder, defer=False)
    text = " ".join(p.object for p in page.select(pn.pane.HTML))
    assert t("trend_one_iteration") in text
    assert t("trend_unreadable", name="02-broken.yaml") in text
    assert not page.select(pn.widgets.Select)

    empty = trends_page(tmp_path / "nothing-here")
    text = " ".join(p.object for p in empty.select(pn.pane.HTML))
    assert t("trend_no_iterations") in text
    assert trends_figures([]).heatmap_notes is None


# ------------------------------------------------------------------------------------------
# Charts that tell the story


def _contrast(a: str, b: str) -> float:
    from canvas.view.trend_heatmap import _luminance

    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_heatmap_prints_every_count_in_its_cell_on_a_whole_number_scale(sample):
    from bokeh.models import ColorBar

    overlay = trends_figures(sample).heatmap_notes
    cells, counts = overlay.values()
    assert list(counts.dimension_values("count")) == [
        str(v) for v in cells.dimension_values("notes")
    ]
    colorbar = hv.render(overlay, backend="bokeh").select_one(ColorBar)
    names = [colorbar.major_label_overrides[tick] for tick in colorbar.ticker.ticks]
    assert names == ["0", "1"]
    assert all(re.fullmatch(r"\d+(–\d+|\+)?", name) for name in names)


def test_heatmap_steps_follow_the_anchors_and_every_count_is_legible():
    from canvas.domain.trend_data import AnchorCount
    from canvas.view.trend_heatmap import SCALES, Scale, text_on

    rows = [AnchorCount(1, f"a{i}", f"A{i}", "vision", "H3", i, 0) for i in range(10)]
    rows.append(AnchorCount(1, None, "", "", "H3", 240, 0))  # many notes on no anchor
    scale = Scale.of(rows, "notes")
    names = list(scale.labels().values())
    assert names[0] == "0" and names[-1].endswith("+") and len(names) == len(scale.colours)
    assert scale.colour(240) == scale.colours[-1] != scale.colour(1)
    for colours in SCALES.values():
        for colour in colours:
            assert _contrast(text_on(colour), colour) >= 4.5, colour


def test_top_anchors_are_told_apart_and_named_at_their_line_ends(sample):
    from bokeh.models import LabelSet, Legend

    from canvas.domain.trend_data import anchor_counts, top_anchors
    from canvas.view.trend_charts import anchor_styles, whole_ticks

    found = top_anchors(anchor_counts(sample), 5)
    plot = hv.render(trends_figures(sample, "cy").top, backend="bokeh")
    assert not plot.select(type=Legend)  # no legend of look-alike entries to decode
    names = plot.select_one(LabelSet).source.data["text"]
    assert [n.split(" · ")[0] for n in names] == [tr.horizon for tr in found]
    assert all(tr.title_in("cy")[:10] in name for tr, name in zip(found, names, strict=True))
    styles = anchor_styles(found)
    assert len(set(styles)) == len(styles)
    assert whole_ticks(3) == [0, 1, 2, 3] and whole_ticks(17) == [0, 5, 10, 15, 20]
    assert all(isinstance(tick, int) for tick in plot.yaxis.ticker.ticks)


def test_the_flows_are_ordered_by_horizon_top_down(sample):
    sankey = trends_figures(sample).sankey
    sources = len(set(sankey.dimension_values("source")))
    labels = list(sankey.nodes.dimension_values("label"))[:sources][::-1]  # top first
    assert labels[0] == t("trend_unchanged") and labels[-1] == t("change_added")
    horizons = [label[:2] for label in labels[1:-1]]
    assert horizons == sorted(horizons)


def test_files_are_read_once_per_state_and_again_when_they_change(tmp_path, monkeypatch):
    from canvas.view.trends import read_workshop

    folder = tmp_path / "again"
    shutil.copytree(SAMPLE, folder)
    real = store.load
    calls: list[str] = []
    monkeypatch.setattr(store, "load", lambda p, *a, **k: calls.append(Path(p).name) or real(p))
    first = read_workshop(folder)
    assert len(calls) == 2
    assert read_workshop(folder) is first
    trends_page(folder, defer=False)
    assert len(calls) == 2  # a page reads no file its workshop has read at this state
    assert first.heatmap("notes", "en", False) is first.heatmap("notes", "en", False)
    path = paths.iterations(folder)[-1]
    store.save(replace(real(path), title="Changed since"), path, backups=0)
    again = read_workshop(folder)
    assert again is not first and calls[2:] == [path.name]  # only the changed file
    assert again.sessions[-1].title == "Changed since"


def test_the_page_leads_back_to_the_board_and_the_workshops():
    header = trends_page(SAMPLE, "cy", defer=False).objects[0].object
    assert 'href="./board?session=wales-2022/02-steering-review&amp;lang=cy"' in header
    assert 'href="./workshops?lang=cy"' in header
    assert t("back_to_board", "cy") in html.unescape(header)
    assert t("all_workshops", "cy") in header
