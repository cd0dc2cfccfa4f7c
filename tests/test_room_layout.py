"""The room keeps the board's layout: pages start from it and hear only the cards that moved;
attached notes are stored where the layout shows them; a gathered anchor goes where nothing
lies; the facilitator's present mode reaches the other pages."""

from __future__ import annotations

import pytest

from canvas.domain import layout as L
from canvas.domain.space import Box
from canvas.format import store
from canvas.format.i18n import horizon_labels
from canvas.live.hub import Room
from canvas.live.ops import Actor

SAMPLE = "sessions/wales-2022/02-steering-review.yaml"
LEAD = Actor(name="Lead", role="facilitator", pid="facilitator")
ANN = Actor(name="Ann", role="participant", pid="p-ann00001")
EYE = Actor(name="Eye", role="observer", pid="p-eye00001")


@pytest.fixture
def heard(home):
    path = home / SAMPLE
    room = Room(path, store.load(path), save_delay=0.01)
    messages: dict[str, list[dict]] = {"lead": [], "ann": [], "eye": []}
    for client, actor in (("lead", LEAD), ("ann", ANN), ("eye", EYE)):
        room.subscribe(client, messages[client].append, actor)
    yield room, messages
    room.close()


def _patches(messages):
    return [m for m in messages if m.get("type") == "patch"]


def test_a_page_starts_from_the_whole_layout_and_its_sizes(heard):
    room, _ = heard
    snap = room.snapshot("ann")
    board = L.layout(room.session, horizon_labels())
    assert snap["layout"] == board.wire()
    assert snap["metrics"]["world_w"] == L.WORLD_W
    assert snap["metrics"]["note_size"] * 0.4525 >= 11  # reads at fit on a laptop


def test_attaching_a_note_stores_its_place_in_the_zone_and_sends_only_the_cards_that_moved(heard):
    room, messages = heard
    assert room.submit("lead", {"op": "attach", "id": "n-0002", "anchor": "ca-risk"}, LEAD).ok
    note = room.session.notes["n-0002"]
    board = L.layout(room.session, horizon_labels())
    card = board.notes["n-0002"]
    zone = board.zones["ca-risk"]
    assert zone.contains(card.box)
    assert L.to_unit(card.x, card.y) == pytest.approx((note.x, note.y))
    patch = _patches(messages["ann"])[-1]
    moved = patch["layout"]["notes"]
    others = [k for k, n in room.session.notes.items() if n.anchor == "ca-risk" and k != "n-0002"]
    assert set(moved) <= {"n-0002", *others}
    assert moved["n-0002"] == [round(card.x, 1), round(card.y, 1), round(card.scale, 4),
                               round(card.height, 1)]  # fmt: skip
    assert "anchors" not in patch["layout"]


def test_moving_an_anchor_sends_the_whole_layout_again(heard):
    room, messages = heard
    assert room.submit(
        "lead", {"op": "anchor_move", "id": "ca-risk", "x": 0.02, "y": 0.02}, LEAD
    ).ok
    layout = _patches(messages["eye"])[-1]["layout"]
    assert layout == L.layout(room.session, horizon_labels()).wire()


def test_a_gathered_anchor_is_placed_where_nothing_lies(heard):
    room, _ = heard
    op = {"op": "gather", "ids": ["n-0002", "n-0005"], "anchor_id": "a-new", "kind": "change",
          "title": "Gathered"}  # fmt: skip
    assert room.submit("lead", op, LEAD).ok
    board = L.layout(room.session, horizon_labels())
    new = board.anchors["a-new"]
    for key, box in board.anchors.items():
        assert key == "a-new" or not new.overlaps(box), key
    for label in board.labels.values():
        assert not new.overlaps(label)
    assert all(room.session.notes[i].anchor == "a-new" for i in ("n-0002", "n-0005"))
    assert isinstance(new, Box)


def test_the_facilitators_present_mode_reaches_the_other_pages(heard):
    room, messages = heard
    op = {"op": "present", "on": True, "frame": "H2", "results": False}
    assert room.submit("lead", op, LEAD).ok
    for client in ("ann", "eye"):
        assert messages[client][-1] == {
            "type": "present",
            "on": True,
            "frame": "H2",
            "results": False,
        }
    assert not any(m.get("type") == "present" for m in messages["lead"])
    assert {"type": "present", "on": True, "frame": "H2", "results": False} in room.live_state()


@pytest.mark.parametrize(
    ("actor", "op", "reason"),
    [
        (
            ANN,
            {"op": "present", "on": True, "frame": "all", "results": False},
            "only the facilitator",
        ),
        (LEAD, {"op": "present", "on": "yes", "frame": "all", "results": False}, "true or false"),
        (LEAD, {"op": "present", "on": True, "frame": "H4", "results": False}, "frame must be"),
        (LEAD, {"op": "present", "on": True}, "needs exactly"),
    ],
)
def test_present_mode_is_the_facilitators_and_is_checked(heard, actor, op, reason):
    room, _ = heard
    outcome = room.submit("lead" if actor is LEAD else "ann", {"op": "present", **op}, actor)
    assert not outcome.ok and reason in outcome.message
    assert room.picture.presenting.on is False
