"""The trends page builds its figures without a server, and shows user text only as data."""

from __future__ import annotations

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
    """Distinct (place in 1 or added, place in 2 or removed) pairs, counted by hand."""
    pairs = set()
    for note_id in one.notes.keys() | two.notes.keys():
        before, after = one.notes.get(note_id), two.notes.get(note_id)
        source = (before.horizon, before.anchor) if before else "added"
        target = (after.horizon, after.anchor) if after else "removed"
        pairs.add((source, target))
    return len(pairs)


def test_figures_of_the_sample_render_with_bokeh(sample):
    figures = trends_figures(sample, "en")
    assert (figures.flow_from, figures.flow_to) == (1, 2)  # the last two by default
    for element in (figures.heatmap_notes, figures.heatmap_votes, figures.sankey, figures.top):
        assert element is not None
        plot = hv.render(element, backend="bokeh")
        assert plot.select(type=HoverTool)


def test_the_sankey_has_one_edge_per_pair_of_places(sample):
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


def test_the_page_follows_the_selects_from_earlier_to_later(sample):
    page = trends_page(SAMPLE)
    first, second = page.select(pn.widgets.Select)
    assert (first.value, second.value) == (1, 2)
    views = [o for o in page.objects if type(o).__name__ == "ParamFunction"]
    sankey = views[1]
    first.value, second.value = 2, 1  # chosen backwards: still drawn from 1 to 2
    assert _title(sankey._pane.object) == t("trend_flows", i=1, j=2)
    measure = page.select(pn.widgets.RadioButtonGroup)[0]
    measure.value = "votes"
    assert _title(views[0]._pane.object) == t("trend_heatmap_votes")
    assert _title(views[2]._pane.object) == t("trend_top_votes", n=5)


def test_one_iteration_no_iterations_and_unreadable_files(tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    first = paths.iterations(SAMPLE)[0]
    shutil.copy(first, folder / first.name)
    (folder / "02-broken.yaml").write_text("format: [unclosed\n", encoding="utf-8")
    figures = trends_figures(load_sessions(folder)[0])
    assert figures.sankey is None and figures.heatmap_notes is not None
    page = trends_page(folder)
    text = " ".join(p.object for p in page.select(pn.pane.HTML))
    assert t("trend_one_iteration") in text
    assert t("trend_unreadable", name="02-broken.yaml") in text
    assert not page.select(pn.widgets.Select)

    empty = trends_page(tmp_path / "nothing-here")
    text = " ".join(p.object for p in empty.select(pn.pane.HTML))
    assert t("trend_no_iterations") in text
    assert trends_figures([]).heatmap_notes is None
