"""The board's layout: anchors, zones, notes and labels placed without covering one another."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canvas.domain import dimensions, typeset
from canvas.domain import layout as L
from canvas.domain.horizons import Curves
from canvas.domain.model import HORIZONS, Anchor, Note, Session
from canvas.domain.space import Box
from canvas.format import store
from canvas.format.i18n import horizon_labels

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "canvas" / "format" / "templates" / "wales-2022.yaml"
SAMPLE = sorted((ROOT / "sessions" / "wales-2022").glob("*.yaml"))
WORDS = ["care", "Wales", "innovation", "a", "co-production", "ŵyr", "listening", "risk"]


def _text(rng: random.Random, longest: int) -> str:
    kind = rng.random()
    if kind < 0.05:
        return ""
    if kind < 0.1:
        return "x" * rng.randint(1, longest)  # one word longer than any line
    words = [rng.choice(WORDS) for _ in range(rng.randint(1, max(1, longest // 6)))]
    return " ".join(words)[:longest]


def _board(seed: int, n_anchors: int, n_notes: int, crowd: float) -> Session:
    """A random board: anchors anywhere (overlapping one another too), notes on random
    anchors (``crowd`` of them on the first anchor) or free."""
    rng = random.Random(seed)
    anchors = {
        f"a{i}": Anchor(
            id=f"a{i}",
            kind="vision",
            title=_text(rng, 60),
            title_cy=_text(rng, 60),
            horizon=rng.choice(HORIZONS),
            x=rng.random(),
            y=rng.random(),
        )
        for i in range(n_anchors)
    }
    ids = sorted(anchors)
    notes = {}
    for i in range(n_notes):
        if ids and rng.random() < crowd:
            anchor = ids[0]
        elif ids and rng.random() < 0.9:
            anchor = rng.choice(ids)
        else:
            anchor = None
        notes[f"n{i}"] = Note(
            id=f"n{i}",
            text=_text(rng, 500),
            x=rng.random(),
            y=rng.random(),
            horizon="H1",
            anchor=anchor,
            created=f"2022-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}Z",
        )
    return Session(id="random", title="random", anchors=anchors, notes=notes)


def _crossing(boxes: list[tuple[Box, str]]) -> list[tuple[str, str]]:
    """Pairs of boxes with different owners that overlap (a sweep along x)."""
    found = []
    live: list[tuple[Box, str]] = []
    for box, owner in sorted(boxes, key=lambda b: b[0].x):
        live = [(b, o) for b, o in live if b.right > box.x]
        found += [(owner, o) for b, o in live if o != owner and b.overlaps(box)]
        live.append((box, owner))
    return found


boards = st.builds(
    _board,
    seed=st.integers(0, 2**32 - 1),
    n_anchors=st.integers(0, 50),
    n_notes=st.integers(0, 2000),
    crowd=st.sampled_from([0.0, 0.0, 0.3, 0.9]),
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(boards)
def test_no_attached_note_covers_an_anchor_or_another_anchors_notes(session):
    board = L.layout(session, horizon_labels())
    anchors = list(board.anchors.items())
    attached = [(k, n) for k, n in session.notes.items() if n.anchor in board.anchors]
    for note_id, note in attached:
        box = board.notes[note_id].box
        assert box.area > 0, f"{note_id} has no room at all"
        assert dimensions.WORLD_BOX.contains(box), f"{note_id} is off the board"
        assert board.zones[note.anchor].contains(box), f"{note_id} left its anchor's zone"
        covered = [k for k, a in anchors if box.overlaps(a)]
        assert not covered, f"{note_id} covers the anchor(s) {covered}"
    pairs = _crossing([(board.notes[k].box, n.anchor) for k, n in attached])
    assert not pairs, f"notes of different anchors overlap: {pairs[:5]}"


small_boards = st.builds(
    _board,
    seed=st.integers(0, 2**32 - 1),
    n_anchors=st.integers(0, 50),
    n_notes=st.integers(0, 300),
    crowd=st.sampled_from([0.0, 0.5]),
)


@settings(max_examples=60, deadline=None)
@given(small_boards, st.integers(0, 2**32 - 1))
def test_updating_a_layout_after_a_change_gives_the_layout_of_the_changed_board(session, seed):
    rng = random.Random(seed)
    board = L.layout(session)
    notes = dict(session.notes)
    changed = {}
    for note_id in rng.sample(sorted(notes), min(5, len(notes))):
        before = notes[note_id]
        after = (
            None
            if rng.random() < 0.3
            else replace(
                before,
                anchor=rng.choice([None, *session.anchors]),
                text=_text(rng, 120),
                x=rng.random(),
            )
        )
        changed[note_id] = (before, after)
        if after is None:
            del notes[note_id]
        else:
            notes[note_id] = after
    moved_board = replace(session, notes=notes)
    updated, moved = L.update(board, moved_board, changed)
    assert updated.notes == L.layout(moved_board).notes
    assert moved == {k for k in session.notes if board.notes.get(k) != updated.notes.get(k)}


# ------------------------------------------------------------------------------ the template


@pytest.fixture(scope="module")
def template():
    session = store.load(TEMPLATE)
    return session, L.layout(session, horizon_labels())


def test_the_template_has_fifty_anchors_none_overlapping_and_all_on_the_board(template):
    _, board = template
    assert len(board.anchors) == 50
    boxes = list(board.anchors.items())
    for i, (key, box) in enumerate(boxes):
        assert dimensions.WORLD_BOX.contains(box), key
        assert box.x >= dimensions.AXIS and box.bottom <= dimensions.WORLD_H - dimensions.AXIS, key
        for other, other_box in boxes[i + 1 :]:
            assert not box.overlaps(other_box, dimensions.GAP), (key, other)


def test_every_template_anchor_has_a_zone_below_it_with_room_for_a_stack(template):
    _, board = template
    for key, zone in board.zones.items():
        anchor = board.anchors[key]
        assert zone.y == pytest.approx(anchor.bottom + dimensions.ZONE_GAP), key
        assert zone.x == anchor.x and zone.w == anchor.w, key
        assert zone.h >= dimensions.FACE_H, key
        for other, box in board.anchors.items():
            assert not zone.overlaps(box), (key, other)
        for other, box in board.zones.items():
            assert other == key or not zone.overlaps(box), (key, other)


def test_the_horizon_labels_lie_on_their_curves_and_cover_nothing(template):
    session, board = template
    curves = Curves.from_settings(session.settings)
    taken = [*board.anchors.values(), *board.zones.values()]
    for horizon, box in board.labels.items():
        assert not any(box.overlaps(t) for t in taken), horizon
        assert dimensions.WORLD_BOX.contains(box), horizon
        # The label's foot is on its curve somewhere under it.
        ys = [
            (1 - curves.function(horizon)(x / dimensions.WORLD_W)) * dimensions.WORLD_H
            for x in range(int(box.x), int(box.right))
        ]
        assert min(abs(y - box.bottom) for y in ys) < 2, horizon
    left = {h: b.x + b.w / 2 for h, b in board.labels.items()}
    assert left["H1"] < left["H2"] < left["H3"]


def test_the_template_reads_left_to_right_then_top_to_bottom(template):
    session, board = template
    order = board.order
    assert sorted(order) == sorted(session.anchors)
    # Rows: each card is right of the one before, or starts a new row lower than the last.
    row_start = board.anchors[order[0]]
    assert row_start.y == min(b.y for b in board.anchors.values())
    rows = 1
    for a, b in itertools.pairwise(order):
        first, second = board.anchors[a], board.anchors[b]
        if second.x <= first.x:
            assert second.y > row_start.y, (a, b)
            row_start, rows = second, rows + 1
    assert rows <= 12


def test_the_frames_of_the_horizons_hold_their_main_groups(template):
    session, board = template
    for horizon in HORIZONS:
        frame = board.frames[horizon]
        inside = [
            k
            for k, a in session.anchors.items()
            if a.horizon == horizon and frame.contains(board.anchors[k])
        ]
        assert len(inside) >= 4, horizon
        assert frame.area < dimensions.WORLD_BOX.area * 0.6, horizon
    visions = [k for k, a in session.anchors.items() if a.kind == "vision"]
    assert all(board.frames["H3"].contains(board.anchors[k]) for k in visions)
    assert board.frames["all"] == dimensions.WORLD_BOX


@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: p.name)
def test_the_sample_keeps_its_notes_where_the_layout_puts_them_and_covers_no_anchor(path):
    session = store.load(path)
    board = L.layout(session, horizon_labels())
    for note_id, note in session.notes.items():
        card = board.notes[note_id]
        if note.anchor:
            assert dimensions.to_world(note.x, note.y, 0, 0) == pytest.approx(
                (card.x, card.y), abs=1
            )
        for key, anchor in board.anchors.items():
            assert not card.box.overlaps(anchor), (note_id, key)
        for label in board.labels.values():
            assert not card.box.overlaps(label), note_id


# ------------------------------------------------------------------------------ text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.floats(40, 600), st.booleans())
def test_wrapped_lines_fit_and_keep_every_word(text, room, bold):
    lines = typeset.wrap(text, room, 25, bold)
    for line in lines:
        assert len(line) == 1 or typeset.width(line, 25, bold) <= room + 1e-6
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_a_title_too_long_for_one_line_takes_two():
    one = Anchor("a", "vision", "Risk", horizon="H3", x=0.5, y=0.5)
    two = replace(one, title="Financial and operational pressure")
    assert dimensions.anchor_height(two) - dimensions.anchor_height(one) == dimensions.TITLE_LEADING
    welsh = replace(one, title_cy="Peidio â llethu'r rhai sydd eisoes dan bwysau")
    assert dimensions.anchor_height(welsh) > dimensions.anchor_height(one)


def test_a_gathered_anchor_finds_room_where_nothing_lies(template):
    session, board = template
    spot = L.free_spot(session, dimensions.ANCHOR_W, 47, (1200, 640), board)
    taken = [*board.anchors.values(), *board.labels.values()]
    assert not any(spot.overlaps(t) for t in taken)
