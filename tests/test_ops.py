"""Operations from browsers: each hostile one is refused and changes nothing (no browser)."""

from __future__ import annotations

import math

import pytest

from canvas.format import store
from canvas.live.hub import Room
from canvas.live.ops import Actor, apply, revert

SAMPLE = "sessions/wales-2022/01-user-research.yaml"
ME = Actor(name="Sam")


@pytest.fixture
def room(first_iteration):
    path = first_iteration
    r = Room(path, store.load(path), save_delay=0.01)
    yield r
    r.close()


def test_add_edit_move_attach_delete(home):
    s = store.load(home / SAMPLE)
    a = apply(s, {"op": "add", "id": "new-1", "x": 0.1, "y": 0.9, "text": "hello"}, ME)
    note = a.session.notes["new-1"]
    assert (note.text, note.author, note.horizon, note.rev) == ("hello", "Sam", "H1", 1)
    b = apply(
        a.session, {"op": "move", "id": "new-1", "x": 0.5, "y": 0.4, "anchor": "ca-metrics"}, ME
    )
    moved = b.session.notes["new-1"]
    assert moved.anchor == "ca-metrics" and moved.horizon == "H2" and moved.rev == 2
    c = apply(b.session, {"op": "move", "id": "new-1", "x": 0.95, "y": 0.95}, ME)
    assert c.session.notes["new-1"].anchor is None
    assert c.session.notes["new-1"].horizon == "H3"
    d = apply(c.session, {"op": "delete", "ids": ["new-1"]}, ME)
    assert "new-1" not in d.session.notes
    back = revert(d.session, d)
    assert back.session.notes["new-1"].text == "hello"
    assert back.session.notes["new-1"].rev > c.session.notes["new-1"].rev


def test_explicit_horizon_sticks_when_moved(home):
    s = store.load(home / SAMPLE)
    a = apply(s, {"op": "add", "id": "n", "x": 0.05, "y": 0.9, "horizon": "H3"}, ME)
    assert a.session.notes["n"].horizon == "H3"
    b = apply(a.session, {"op": "move", "id": "n", "x": 0.06, "y": 0.88}, ME)
    assert b.session.notes["n"].horizon == "H3"


def test_moving_an_anchor_carries_its_notes(home):
    s = store.load(home / SAMPLE)
    on = [n for n in s.notes.values() if n.anchor == "ca-metrics"]
    assert on
    anchor = s.anchors["ca-metrics"]
    a = apply(s, {"op": "anchor_move", "id": "ca-metrics", "x": anchor.x - 0.05, "y": anchor.y}, ME)
    for n in on:
        assert math.isclose(a.session.notes[n.id].x, max(n.x - 0.05, 0.0))


BAD_OPS = [
    {"op": "add", "id": "x1", "x": 0.5, "y": 0.5, "text": "a" * 501},
    {"op": "add", "id": "x1", "x": float("nan"), "y": 0.5},
    {"op": "add", "id": "x1", "x": 1e308, "y": 0.5},
    {"op": "add", "id": "x1", "x": 0.5, "y": -0.1},
    {"op": "add", "id": "x1", "x": "0.5", "y": 0.5},
    {"op": "add", "id": "x1", "x": True, "y": 0.5},
    {"op": "add", "id": "x1", "x": 0.5, "y": 0.5, "colour": "chartreuse"},
    {"op": "add", "id": "../../etc", "x": 0.5, "y": 0.5},
    {"op": "add", "id": "n-0001", "x": 0.5, "y": 0.5},
    {"op": "add", "id": "x1", "x": 0.5, "y": 0.5, "author": "someone else"},
    {"op": "edit", "id": "no-such-note", "text": "hi"},
    {"op": "edit", "id": "n-0001", "text": None},
    {"op": "move", "id": "n-0001", "x": 0.5, "y": 0.5, "anchor": "no-such-anchor"},
    {"op": "style", "id": "n-0001", "colour": "#ff0000"},
    {"op": "style", "id": "n-0001", "polarity": "+"},
    {"op": "delete", "ids": ["no-such-note"]},
    {"op": "delete", "ids": []},
    {"op": "explode"},
    {"op": "__class__"},
    {"text": "no op at all"},
    ["add"],
    "add",
    None,
    {"op": "settings", "crossover": 5},
    {"op": "anchor_add", "id": "a9", "kind": "vision", "title": "", "x": 0.5, "y": 0.5},
    {"op": "anchor_add", "id": "a9", "kind": "wish", "title": "t", "x": 0.5, "y": 0.5},
]


@pytest.mark.parametrize("op", BAD_OPS, ids=lambda o: str(o)[:50])
def test_hostile_operation_is_refused_and_file_unchanged(room, op):
    before_text = room.path.read_bytes()
    before = room.session
    outcome = room.submit("page-1", op, ME)
    assert not outcome.ok
    assert outcome.message
    assert room.session is before
    assert room.flush(5)
    assert room.path.read_bytes() == before_text


def test_participant_cannot_shape_the_board(room):
    participant = Actor(name="Ffion", role="participant", pid="p-ffion")
    outcome = room.submit("p", {"op": "anchor_delete", "id": "ca-metrics"}, participant)
    assert not outcome.ok and "facilitator" in outcome.message
    assert "ca-metrics" in room.session.anchors


def test_control_characters_are_stripped_not_saved(home):
    s = store.load(home / SAMPLE)
    a = apply(s, {"op": "add", "id": "c", "x": 0.5, "y": 0.5, "text": "a\x00b\ud800c\x1b"}, ME)
    assert a.session.notes["c"].text == "abc"
    assert store.loads(store.dumps(a.session)) == a.session


def test_operations_reach_the_file_and_subscribers(room):
    seen = []
    room.subscribe("watcher", seen.append)
    assert room.submit("page-1", {"op": "add", "id": "z1", "x": 0.2, "y": 0.2, "text": "hi"}, ME).ok
    assert room.submit("page-1", {"op": "edit", "id": "z1", "text": "hi there"}, ME).ok
    assert room.flush(5)
    assert store.load(room.path).notes["z1"].text == "hi there"
    patches = [m for m in seen if m["type"] == "patch"]
    assert [p["notes"]["z1"]["text"] for p in patches] == ["hi", "hi there"]
    assert any(m["type"] == "status" and m["state"] == "saved" for m in seen)


def test_undo_and_redo_per_page(room):
    room.submit("a", {"op": "add", "id": "u1", "x": 0.2, "y": 0.2, "text": "mine"}, ME)
    room.submit("b", {"op": "add", "id": "u2", "x": 0.3, "y": 0.2, "text": "theirs"}, ME)
    assert room.submit("a", {"op": "undo"}, ME).ok
    assert "u1" not in room.session.notes and "u2" in room.session.notes
    assert room.submit("a", {"op": "redo"}, ME).ok
    assert room.session.notes["u1"].text == "mine"
    assert not room.submit("c", {"op": "undo"}, ME).ok


def test_undo_refused_when_someone_else_changed_the_note(room):
    room.submit("a", {"op": "add", "id": "u1", "x": 0.2, "y": 0.2, "text": "mine"}, ME)
    room.submit("b", {"op": "edit", "id": "u1", "text": "edited by b"}, ME)
    outcome = room.submit("a", {"op": "undo"}, ME)
    assert not outcome.ok and "someone else" in outcome.message
    assert room.session.notes["u1"].text == "edited by b"


def test_failed_save_is_reported_and_retried(first_iteration):
    path = first_iteration
    calls = []

    def flaky(session, target):
        calls.append(1)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        store.save(session, target)

    room = Room(path, store.load(path), save_delay=0.01, retry_delay=0.05, saver=flaky)
    seen = []
    room.subscribe("w", seen.append)
    room.submit("a", {"op": "add", "id": "f1", "x": 0.2, "y": 0.2, "text": "kept"}, ME)
    assert room.flush(5)
    room.close()
    states = [m for m in seen if m["type"] == "status"]
    assert any(m["state"] == "error" and "No space" in m["reason"] for m in states)
    assert states[-1]["state"] == "saved"
    assert store.load(path).notes["f1"].text == "kept"


def test_every_operation_has_a_spec_and_a_handler():
    from canvas.live.ops import HANDLERS
    from canvas.live.ops.spec import SPEC

    assert HANDLERS.keys() == SPEC.keys()
