"""Roles, steps, private writing, dot voting and moderation, checked by the server (no browser)."""

from __future__ import annotations

import json

import pytest

from canvas.format import store
from canvas.live.access import Access, check_password, hash_password, is_loopback
from canvas.live.hub import Room
from canvas.live.ops import Actor
from canvas.live.places import RoomFull
from canvas.live.wire import snapshot

SAMPLE = "sessions/wales-2022/01-user-research.yaml"
LEAD = Actor(name="Lead", role="facilitator", pid="facilitator")
ANN = Actor(name="Ann", role="participant", pid="p-ann00001")
BEN = Actor(name="Ben", role="participant", pid="p-ben00001")
EYE = Actor(name="Eye", role="observer", pid="p-eye00001")


@pytest.fixture
def room(first_iteration):
    path = first_iteration
    r = Room(path, store.load(path), save_delay=0.01)
    for client, actor in (("lead", LEAD), ("ann", ANN), ("ben", BEN), ("eye", EYE)):
        r.subscribe(client, lambda m: None, actor)
    yield r
    r.close()


def add(room, client, actor, note_id, **extra):
    op = {"op": "add", "id": note_id, "x": 0.3, "y": 0.5, "text": f"note {note_id}", **extra}
    return room.submit(client, op, actor)


def seen(room, actor):
    return {n["id"] for n in snapshot(room.session, actor)["notes"]}


def test_participants_change_only_their_own_notes(room):
    assert add(room, "ann", ANN, "a1").ok
    assert add(room, "ben", BEN, "b1").ok
    for op in (
        {"op": "edit", "id": "a1", "text": "mine now"},
        {"op": "move", "id": "a1", "x": 0.9, "y": 0.9},
        {"op": "delete", "ids": ["a1"]},
        {"op": "style", "id": "a1", "colour": "blue"},
        {"op": "delete", "ids": ["b1", "a1"]},
    ):
        outcome = room.submit("ben", op, BEN)
        assert not outcome.ok and "your own notes" in outcome.message
    assert room.session.notes["a1"].text == "note a1"
    assert "b1" in room.session.notes
    assert room.submit("lead", {"op": "delete", "ids": ["a1"]}, LEAD).ok


@pytest.mark.parametrize(
    "op",
    [
        {"op": "step", "step": "H3"},
        {"op": "vote_start", "budget": 5},
        {"op": "facilitate", "locked": True},
        {"op": "reveal"},
        {"op": "hide", "id": "n-0001", "hidden": True},
        {"op": "anchor_delete", "id": "ca-metrics"},
        {"op": "timer", "action": "start", "seconds": 60},
        {"op": "bring", "cx": 0.5, "cy": 0.5, "zoom": 1},
    ],
)
def test_participants_cannot_lead(room, op):
    before = room.session
    outcome = room.submit("ann", op, ANN)
    assert not outcome.ok and "facilitator" in outcome.message
    assert room.session is before


def test_observers_change_nothing(room):
    for op in (
        {"op": "add", "id": "e1", "x": 0.5, "y": 0.5, "text": "x"},
        {"op": "edit", "id": "n-0001", "text": "x"},
        {"op": "vote", "id": "n-0001", "delta": 1},
        {"op": "undo"},
        {"op": "editing", "id": "n-0001"},
    ):
        outcome = room.submit("eye", op, EYE)
        assert not outcome.ok and "observers" in outcome.message


def test_steps_send_new_notes_to_their_horizon(room):
    assert room.submit("lead", {"op": "step", "step": "H3"}, LEAD).ok
    assert add(room, "ann", ANN, "s1").ok
    assert room.session.notes["s1"].horizon == "H3"
    refused = add(room, "ann", ANN, "s2", anchor="ca-metrics")
    assert not refused.ok and "H3" in refused.message
    assert room.submit("lead", {"op": "facilitate", "open_all": True}, LEAD).ok
    assert add(room, "ann", ANN, "s3", anchor="ca-metrics").ok
    assert room.session.notes["s3"].horizon == "H2"


def test_private_writing_until_reveal(room):
    assert room.submit("lead", {"op": "facilitate", "private": True}, LEAD).ok
    assert add(room, "ann", ANN, "p1").ok
    assert "p1" in seen(room, ANN) and "p1" in seen(room, LEAD)
    assert "p1" not in seen(room, BEN) and "p1" not in seen(room, EYE)
    assert not room.submit("ben", {"op": "vote", "id": "p1", "delta": 1}, BEN).ok
    assert room.submit("lead", {"op": "reveal"}, LEAD).ok
    assert "p1" in seen(room, BEN) and "p1" in seen(room, EYE)


def test_dot_vote_budget_secrecy_and_tally(room):
    assert room.submit("lead", {"op": "vote_start", "budget": 5, "horizon": "H2"}, LEAD).ok
    h2 = sorted(n.id for n in room.session.notes.values() if n.horizon == "H2")
    h1 = next(n.id for n in room.session.notes.values() if n.horizon == "H1")
    assert not room.submit("ann", {"op": "vote", "id": h1, "delta": 1}, ANN).ok
    for _ in range(5):
        assert room.submit("ann", {"op": "vote", "id": h2[0], "delta": 1}, ANN).ok
    sixth = room.submit("ann", {"op": "vote", "id": h2[1], "delta": 1}, ANN)
    assert not sixth.ok and "used all 5" in sixth.message
    assert room.submit("ben", {"op": "vote", "id": h2[1], "delta": 1}, BEN).ok
    views = {n["id"]: n for n in snapshot(room.session, BEN)["notes"]}
    assert views[h2[0]]["votes"] is None  # nobody sees totals while the vote is open
    assert views[h2[0]]["my_votes"] == 0 and views[h2[1]]["my_votes"] == 1
    assert room.submit("ann", {"op": "vote", "id": h2[0], "delta": -1}, ANN).ok
    assert room.submit("lead", {"op": "vote_close"}, LEAD).ok
    assert room.session.notes[h2[0]].votes == 4
    assert room.session.notes[h2[1]].votes == 1
    assert room.flush(5)
    saved = store.load(room.path)
    assert saved.voting.ballots["p-ann00001"].notes == {h2[0]: 4}
    assert saved.notes[h2[0]].votes == 4
    ranked = snapshot(room.session, ANN)["voting"]["ranked"]
    assert [r["id"] for r in ranked] == [h2[0], h2[1]]


def test_lock_and_hide(room):
    assert add(room, "ann", ANN, "l1").ok
    assert room.submit("lead", {"op": "facilitate", "locked": True}, LEAD).ok
    outcome = room.submit("ann", {"op": "edit", "id": "l1", "text": "x"}, ANN)
    assert not outcome.ok and "locked" in outcome.message
    assert room.submit("lead", {"op": "hide", "id": "l1", "hidden": True}, LEAD).ok
    assert "l1" not in seen(room, BEN) and "l1" in seen(room, LEAD)
    assert room.submit("lead", {"op": "undo"}, LEAD).ok  # moderation can be undone
    assert "l1" in seen(room, BEN)


def test_note_limit_per_participant(first_iteration):
    path = first_iteration
    session = store.load(path)
    from dataclasses import replace

    session = replace(session, settings=replace(session.settings, max_notes=3))
    room = Room(path, session, save_delay=0.01)
    try:
        for i in range(3):
            assert add(room, "ann", ANN, f"m{i}").ok
        outcome = add(room, "ann", ANN, "m3")
        assert not outcome.ok and "most one person" in outcome.message
        assert add(room, "ben", BEN, "m4").ok
    finally:
        room.close()


def test_someone_editing_blocks_others(room):
    assert room.submit("lead", {"op": "editing", "id": "n-0001"}, LEAD).ok
    other = Actor(name="Co", role="facilitator", pid="facilitator")
    room.subscribe("co", lambda m: None, other)
    outcome = room.submit("co", {"op": "edit", "id": "n-0001", "text": "x"}, other)
    assert not outcome.ok and "Lead is editing" in outcome.message
    room.unsubscribe("lead")  # leaving releases the lock
    assert room.submit("co", {"op": "edit", "id": "n-0001", "text": "x"}, other).ok


def test_room_refuses_pages_past_its_limit_but_never_the_facilitator(first_iteration):
    path = first_iteration
    room = Room(path, store.load(path), max_pages=2)
    try:
        room.subscribe("1", lambda m: None, ANN)
        room.subscribe("2", lambda m: None, BEN)
        with pytest.raises(RoomFull):
            room.subscribe("3", lambda m: None, Actor(role="participant", pid="p-cat00001"))
        room.subscribe("lead", lambda m: None, LEAD)
    finally:
        room.close()


def test_timer_is_shared(room):
    messages = []
    room.subscribe("watch", messages.append, EYE)
    assert room.submit("lead", {"op": "timer", "action": "start", "seconds": 120}, LEAD).ok
    assert room.submit("lead", {"op": "timer", "action": "pause"}, LEAD).ok
    assert room.submit("lead", {"op": "timer", "action": "add", "seconds": 60}, LEAD).ok
    timers = [m for m in messages if m["type"] == "timer"]
    assert [t["running"] for t in timers] == [True, False, False]
    assert 179 < timers[-1]["remaining"] <= 180


def test_passwords_are_hashed_and_checked():
    stored = hash_password("correct horse")
    assert "correct horse" not in stored and stored.startswith("scrypt$")
    assert check_password("correct horse", stored)
    assert not check_password("wrong", stored)
    assert not check_password("correct horse", "garbage")


def test_codes_are_per_session_and_roles_follow_them():
    access = Access(secret=b"s" * 32, password_hash=hash_password("pw123456"), loopback=False)
    join = access.join_code("w/01-a")
    assert join != access.join_code("w/02-b") and join != access.view_code("w/01-a")
    assert access.role("w/01-a", join=join) == "participant"
    assert access.role("w/01-a", view=access.view_code("w/01-a")) == "observer"
    assert access.role("w/02-b", join=join) is None
    assert access.role("w/01-a") is None
    assert access.role("w/01-a", signed_in=True) == "facilitator"
    local = Access(secret=b"s" * 32)
    assert local.open and local.role("w/01-a") == "facilitator"


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_serve_refuses_the_network_without_a_password(home, monkeypatch):
    from canvas.cli.main import main

    monkeypatch.delenv("HORIZONS_FACILITATOR_PASSWORD", raising=False)
    monkeypatch.delenv("HORIZONS_FACILITATOR_HASH", raising=False)
    assert main(["serve", "--address", "0.0.0.0"]) == 1


def test_concurrent_move_and_edit_both_survive_and_delete_wins(room):
    assert add(room, "ann", ANN, "c1").ok
    assert room.submit("lead", {"op": "move", "id": "c1", "x": 0.8, "y": 0.2}, LEAD).ok
    assert room.submit("ann", {"op": "edit", "id": "c1", "text": "both"}, ANN).ok
    note = room.session.notes["c1"]
    assert (note.x, note.y, note.text) == (0.8, 0.2, "both")
    assert room.submit("lead", {"op": "delete", "ids": ["c1"]}, LEAD).ok
    late_edit = room.submit("ann", {"op": "edit", "id": "c1", "text": "back?"}, ANN)
    assert not late_edit.ok
    assert "c1" not in room.session.notes


def test_comments_are_capped_and_each_message_carries_only_what_changed(first_iteration):
    from canvas.live.ops.values import MAX_COMMENTS

    path = first_iteration
    room = Room(path, store.load(path), save_delay=0.01)
    seen = {"lead": [], "eye": [], "rev": []}
    reviewer = Actor(name="Rhys", role="reviewer", pid="")
    room.subscribe("lead", seen["lead"].append, LEAD)
    room.subscribe("eye", seen["eye"].append, EYE)
    room.subscribe("rev", seen["rev"].append, reviewer)
    try:
        text = "a considered remark " * 40
        for i in range(MAX_COMMENTS):
            op = {"op": "comment", "id": f"c{i:04d}", "target": "n-0001", "text": text}
            assert room.submit("lead", op, LEAD).ok
        refused = room.submit("rev", {**op, "id": "c-extra"}, reviewer)
        assert not refused.ok and f"{MAX_COMMENTS} comments" in refused.message
    finally:
        room.close()
    last = [m for m in seen["rev"] if m["type"] == "patch"][-1]
    assert list(last["comments"]) == [f"c{MAX_COMMENTS - 1:04d}"]
    assert len(json.dumps(last)) < 2 * len(text)
    assert all("comments" not in m for m in seen["eye"] if m["type"] == "patch")
    assert len(store.load(path).comments) == MAX_COMMENTS
