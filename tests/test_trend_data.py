"""Trends across iterations as plain data: counts per anchor, flows of notes, top anchors."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from canvas.domain.model import HORIZONS, Anchor, Note, Session
from canvas.domain.trend_data import (
    ADDED,
    FOLDED,
    REMOVED,
    UNCHANGED,
    anchor_axis,
    anchor_counts,
    flows,
    fold_places,
    free_key,
    iteration_numbers,
    node_order,
    story_flows,
    top_anchors,
)
from canvas.format import paths, store

SAMPLE = Path(__file__).resolve().parent.parent / "sessions" / "wales-2022"


@pytest.fixture(scope="module")
def sample() -> list[Session]:
    return [store.load(path) for path in paths.iterations(SAMPLE)]


def _by_hand(session: Session) -> dict[str, tuple[int, int]]:
    """Notes and votes per anchor id (and per free_key for notes on no anchor), counted plainly."""
    counts: dict[str, tuple[int, int]] = {}
    for anchor_id in session.anchors:
        notes = votes = 0
        for note in session.notes.values():
            if note.anchor == anchor_id:
                notes += 1
                votes += note.votes
        counts[anchor_id] = (notes, votes)
    for horizon in HORIZONS:
        notes = votes = 0
        for note in session.notes.values():
            if note.anchor is None and note.horizon == horizon:
                notes += 1
                votes += note.votes
        counts[free_key(horizon)] = (notes, votes)
    return counts


def test_the_sample_has_two_iterations_sharing_note_ids(sample):
    assert [s.iteration for s in sample] == [1, 2]
    assert iteration_numbers(sample) == [1, 2]
    assert set(sample[0].notes) & set(sample[1].notes)


def test_counts_per_anchor_equal_a_count_by_hand(sample):
    rows = anchor_counts(sample)
    for number, session in zip([1, 2], sample, strict=True):
        got = {r.key: (r.notes, r.votes) for r in rows if r.iteration == number}
        assert got == _by_hand(session)
        assert sum(n for n, _ in got.values()) == len(session.notes)
        assert sum(v for _, v in got.values()) == sum(n.votes for n in session.notes.values())


def test_rows_are_long_form_with_titles_kinds_and_horizons(sample):
    rows = anchor_counts(sample)
    assert len(rows) == sum(len(s.anchors) + len(HORIZONS) for s in sample)
    for row in rows:
        session = sample[row.iteration - 1]
        if row.on_anchor:
            anchor = session.anchors[row.anchor_id]
            assert (row.anchor_title, row.kind, row.horizon) == (
                anchor.title,
                anchor.kind,
                anchor.horizon,
            )
            assert row.title("cy") == (anchor.title_cy or anchor.title)
        else:
            assert (row.anchor_title, row.kind) == ("", "")
            assert row.horizon in HORIZONS
    free = [r for r in rows if not r.on_anchor]
    assert [(r.iteration, r.horizon) for r in free] == [(i, h) for i in (1, 2) for h in HORIZONS]
    # One axis row per anchor and horizon, whichever iterations they appear in.
    assert len(anchor_axis(rows)) == len({r.key for r in rows})


def test_flows_account_for_every_note_of_both_iterations(sample):
    one, two = sample
    found = flows(sample, 1, 2)
    out_of_one = sum(f.notes for f in found if not f.source.pseudo and not f.target.pseudo)
    removed = sum(f.notes for f in found if f.target.pseudo == REMOVED)
    added = sum(f.notes for f in found if f.source.pseudo == ADDED)
    assert out_of_one + removed == len(one.notes)
    assert out_of_one + added == len(two.notes)
    assert removed == len(one.notes.keys() - two.notes.keys())
    assert added == len(two.notes.keys() - one.notes.keys())
    # Every note is in exactly one flow, counted once.
    ids = [i for f in found for i in f.note_ids]
    assert sorted(ids) == sorted(one.notes.keys() | two.notes.keys())
    assert all(f.notes == len(f.note_ids) for f in found)
    # Sources are places in iteration 1 (or "added"), targets places in 2 (or "removed").
    assert {f.source.iteration for f in found if not f.source.pseudo} == {1}
    assert {f.target.iteration for f in found if not f.target.pseudo} == {2}
    assert not any(f.source.pseudo == REMOVED or f.target.pseudo == ADDED for f in found)
    assert len({(f.source, f.target) for f in found}) == len(found)


def test_a_flow_follows_each_note_to_its_new_place(sample):
    one, two = sample
    for flow in flows(sample, 1, 2):
        for note_id in flow.note_ids:
            if not flow.source.pseudo:
                before = one.notes[note_id]
                assert (flow.source.horizon, flow.source.anchor_id) == (
                    before.horizon,
                    before.anchor,
                )
                title = one.anchors[before.anchor].title if before.anchor else ""
                assert flow.source.title == title
            if not flow.target.pseudo:
                after = two.notes[note_id]
                assert (flow.target.horizon, flow.target.anchor_id) == (after.horizon, after.anchor)


def test_flows_between_unknown_iterations_are_refused(sample):
    with pytest.raises(ValueError):
        flows(sample, 1, 7)


def _session(number: int, anchors: list[Anchor], notes: list[Note]) -> Session:
    return Session(
        id=f"s{number}",
        title=f"Iteration {number}",
        iteration=number,
        anchors={a.id: a for a in anchors},
        notes={n.id: n for n in notes},
    )


def _anchor(anchor_id: str, horizon: str = "H2", title: str = "") -> Anchor:
    return Anchor(
        anchor_id, "challenge_area", title or anchor_id.upper(), horizon=horizon, x=0.5, y=0.5
    )


def _note(note_id: str, anchor: str | None, horizon: str = "H2", votes: int = 0) -> Note:
    return Note(note_id, "text", 0.5, 0.5, horizon, anchor=anchor, votes=votes)


def test_moves_renames_and_dangling_anchors():
    a, b = _anchor("a"), _anchor("b", "H3")
    one = _session(1, [a, b], [_note("n1", "a"), _note("n2", "a"), _note("n3", None, "H1")])
    two = _session(
        2,
        [replace(a, title="A renamed"), b],
        [_note("n1", "b", "H3"), _note("n2", "a"), _note("n4", "gone")],  # "gone": no anchor
    )
    found = {
        (f.source.pseudo or f"{f.source.horizon}:{f.source.title}"): f
        for f in flows([one, two], 1, 2)
        if f.source.pseudo or f.source.anchor_id != "a" or f.target.anchor_id == "b"
    }
    moved = found["H2:A"]
    assert (moved.target.horizon, moved.target.anchor_id, moved.note_ids) == ("H3", "b", ("n1",))
    assert found["H1:"].target.pseudo == REMOVED
    assert found[ADDED].target.anchor_id is None
    assert found[ADDED].target.horizon == "H2"
    renamed = next(f for f in flows([one, two], 1, 2) if f.note_ids == ("n2",))
    assert (renamed.source.title, renamed.target.title) == ("A", "A renamed")
    rows = {(r.iteration, r.key): r for r in anchor_counts([one, two])}
    assert rows[(2, free_key("H2"))].notes == 1  # the note on the missing anchor
    assert rows[(1, free_key("H1"))].notes == 1
    assert rows[(2, "a")].anchor_title == "A renamed"


def test_top_anchors_rank_the_latest_iteration_and_keep_their_past():
    a, b, c = _anchor("a"), _anchor("b"), _anchor("c")
    one = _session(1, [a, b], [_note("1", "a"), _note("2", "a"), _note("3", "b", votes=4)])
    two = _session(
        2,
        [a, b, c],
        [_note("1", "a"), _note("3", "b", votes=5), _note("4", "b"), _note("5", "c", votes=1)]
        + [_note("6", None), _note("7", None), _note("8", None)],
    )
    rows = anchor_counts([one, two])
    by_notes = top_anchors(rows, 3)
    # The three free notes are not ranked; "c" and "a" tie on notes, and "c" has more votes.
    assert [t.anchor_id for t in by_notes] == ["b", "c", "a"]
    assert [t.notes for t in by_notes] == [(1, 2), (0, 1), (2, 1)]
    assert [t.change() for t in by_notes] == [1, 1, -1]
    assert [t.anchor_id for t in top_anchors(rows, 1)] == ["b"]
    by_votes = top_anchors(rows, 5, by="votes")
    assert [t.anchor_id for t in by_votes] == ["b", "c"]  # "a" has no votes
    assert by_votes[1].votes == (0, 1)  # "c" did not exist in iteration 1
    assert top_anchors(rows, 0) == []
    with pytest.raises(ValueError):
        top_anchors(rows, by="colour")


def test_top_anchors_of_the_sample(sample):
    rows = anchor_counts(sample)
    latest = [r for r in rows if r.iteration == 2 and r.on_anchor]
    top = top_anchors(rows, 3, by="votes")
    assert len(top) == 3
    assert top[0].votes[-1] == max(r.votes for r in latest)
    assert [t.votes[-1] for t in top] == sorted((t.votes[-1] for t in top), reverse=True)
    assert all(t.iterations == (1, 2) for t in top)


def test_repeated_iteration_numbers_fall_back_to_positions():
    one = _session(1, [], [])
    assert iteration_numbers([one, replace(one, id="copy")]) == [1, 2]
    assert iteration_numbers([replace(one, iteration=3), replace(one, iteration=5)]) == [3, 5]
    assert iteration_numbers([]) == []
    assert anchor_counts([]) == []
    assert top_anchors([]) == []


def test_trend_data_imports_only_the_standard_library_and_the_domain():
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import canvas.domain.trend_data\n"
        "new = set(sys.modules) - before\n"
        "third = {m.split('.')[0] for m in new} - set(sys.stdlib_module_names) - {'canvas'}\n"
        "ours = sorted(m for m in new if m.startswith('canvas.'))\n"
        "print(','.join(sorted(third)) + '|' + ','.join(ours))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    third, ours = out.stdout.strip().split("|")
    assert third == ""
    assert all(name.startswith("canvas.domain") for name in ours.split(","))


def test_story_flows_gather_the_notes_that_stayed_into_one_band(sample):
    one, two = sample
    found = story_flows(sample, 1, 2)
    stayed = [
        k
        for k in one.notes.keys() & two.notes.keys()
        if (one.notes[k].horizon, one.notes[k].anchor)
        == (two.notes[k].horizon, two.notes[k].anchor)
    ]
    assert found[0].source.pseudo == found[0].target.pseudo == UNCHANGED
    assert sorted(found[0].note_ids) == sorted(stayed)
    assert not any(f.source == f.target or f.source.pseudo == UNCHANGED for f in found[1:])
    ids = sorted(i for f in found for i in f.note_ids)
    assert ids == sorted(one.notes.keys() | two.notes.keys())


def test_places_are_ordered_by_horizon_with_unchanged_first_and_added_last():
    a1, a2, a3 = _anchor("x", "H1"), _anchor("y", "H2"), _anchor("z", "H3")
    notes = [_note("1", "z", "H3"), _note("2", "y"), _note("3", "x", "H1"), _note("4", None, "H2")]
    one = _session(1, [a1, a2, a3], notes + [_note("5", "x", "H1")])
    two = _session(2, [a1, a2, a3], [_note(n.id, "x", "H1") for n in notes] + [_note("6", "y")])
    sources = sorted({f.source for f in story_flows([one, two], 1, 2)}, key=node_order)
    assert [n.pseudo or f"{n.horizon}:{n.anchor_id}" for n in sources] == [
        UNCHANGED,
        "H1:x",  # note 5, removed
        "H2:y",
        "H2:None",
        "H3:z",
        ADDED,
    ]


def test_folding_keeps_at_most_so_many_places_a_side_and_every_note():
    anchors = [_anchor(f"a{i:02d}", ("H1", "H2", "H3")[i % 3]) for i in range(30)]
    one = _session(1, anchors, [_note(f"n{i}", f"a{i:02d}", anchors[i].horizon) for i in range(30)])
    moved = [
        _note(f"n{i}", f"a{(i + 1) % 30:02d}", anchors[(i + 1) % 30].horizon) for i in range(30)
    ]
    two = _session(2, anchors, moved)
    found = story_flows([one, two], 1, 2)
    folded = fold_places(found, 10)
    for side in ("source", "target"):
        places = {getattr(f, side) for f in folded}
        assert len(places) <= 10
        gathered = [p for p in places if p.pseudo == FOLDED]
        assert {p.horizon for p in gathered} == {"H1", "H2", "H3"}
        assert sum(p.folded for p in gathered) + len(places) - len(gathered) == 30
    assert sorted(i for f in folded for i in f.note_ids) == sorted(one.notes)
    assert fold_places(found, 100) == found
