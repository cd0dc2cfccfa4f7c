"""One join link per workshop: the code opens the current iteration, and when the facilitator
starts the next one, the rooms of the old one move their pages on and take no more notes from
participants, so that no note lands silently on a board nobody looks at any more."""

from __future__ import annotations

import shutil

import pytest

from canvas.domain.diff import diff, for_people
from canvas.format import store, workshops
from canvas.live.access import Access
from canvas.live.hub import Hub
from canvas.live.ops import Actor

LEAD = Actor(name="Lead", role="facilitator", pid="facilitator")
ANN = Actor(name="Ann", role="participant", pid="p-ann0000000000001")
EYE = Actor(name="Eira", role="reviewer", pid="")  # a reviewer comments under a name


@pytest.fixture
def workshop(home):
    """A workshop of one iteration (a copy of the sample's first)."""
    folder = home / "sessions" / "day"
    folder.mkdir()
    shutil.copy(home / "sessions" / "wales-2022" / "01-user-research.yaml", folder)
    return folder


@pytest.fixture
def hub():
    h = Hub(save_delay=0.01)
    yield h
    h.close()


def _add(room, client, note_id, actor=ANN):
    op = {"op": "add", "id": note_id, "x": 0.3, "y": 0.5, "text": f"note {note_id}"}
    return room.submit(client, op, actor)


def test_the_workshop_code_opens_every_iteration_as_a_participant_and_no_other_workshop():
    access = Access(secret=b"s" * 32)
    code = access.workshop_code("day")
    assert access.role("day/01-a", join=code) == "participant"
    assert access.role("day/07-b", join=code.upper()) == "participant"
    assert access.role("night/01-a", join=code) is None
    # The older per-session codes keep working, each for its own session only.
    assert access.role("day/01-a", join=access.join_code("day/01-a")) == "participant"
    assert access.role("day/02-b", join=access.join_code("day/01-a")) is None
    assert code not in {access.join_code("day/01-a"), access.view_code("day/01-a")}


def test_a_page_moving_on_gets_its_own_way_into_the_next_iteration():
    access = Access(secret=b"s" * 32)
    assert access.entry("participant", "day/02-b") == {"join": access.workshop_code("day")}
    assert access.entry("observer", "day/02-b") == {"view": access.view_code("day/02-b")}
    assert access.entry("reviewer", "day/02-b") == {"review": access.review_code("day/02-b")}
    assert access.entry("facilitator", "day/02-b") == {}


def test_next_iteration_moves_every_page_and_leaves_the_old_board_read_only(workshop, hub):
    old = hub.room(workshop / "01-user-research.yaml")
    heard = {name: [] for name in ("lead", "ann", "eye")}
    for name, actor in (("lead", LEAD), ("ann", ANN), ("eye", EYE)):
        old.subscribe(name, heard[name].append, actor)
    assert _add(old, "ann", "before-split").ok

    target = hub.next_iteration(workshop / "01-user-research.yaml")

    # The copy holds the note written just before (no save had to happen first by chance).
    assert "before-split" in store.load(target).notes
    name = workshops.session_name(target)
    for messages in heard.values():
        assert {"type": "moved", "session": name, "iteration": 2} in messages
    late = _add(old, "ann", "after-split")
    assert not late.ok and late.code == "ended"
    assert "iteration 2" in late.message
    assert not old.submit("ann", {"op": "edit", "id": "before-split", "text": "x"}, ANN).ok
    # The facilitator may still tidy the old board, and a reviewer comment on it.
    assert _add(old, "lead", "lead-after", LEAD).ok
    assert old.submit(
        "eye", {"op": "comment", "id": "c-1", "target": "n-0001", "text": "?"}, EYE
    ).ok
    # A page opened on the old iteration now starts knowing where the workshop went.
    assert old.snapshot("ann")["moved"]["session"] == name

    new = hub.room(target)
    new.subscribe("ann", lambda m: None, ANN)
    assert _add(new, "ann", "after-split").ok
    assert old.flush() and new.flush()
    before, after = store.load(workshop / "01-user-research.yaml"), store.load(target)
    assert "after-split" not in before.notes
    # The comparison of the two iterations lists no participant's note as removed.
    removed = for_people(diff(before, after)).notes.removed
    assert set(removed) == {"lead-after"}


def test_a_note_sent_while_the_next_iteration_is_being_made_is_refused(workshop, hub):
    old = hub.room(workshop / "01-user-research.yaml")
    old.subscribe("ann", lambda m: None, ANN)
    old.succession.closing = True
    refused = _add(old, "ann", "mid-split")
    assert not refused.ok and refused.code == "moving"
    old.move_on()  # the copy failed: nothing moved, the board takes notes again
    assert old.snapshot("ann")["moved"] is None
    assert _add(old, "ann", "mid-split").ok


def test_a_next_iteration_made_elsewhere_is_noticed_at_the_next_participants_note(workshop, hub):
    old = hub.room(workshop / "01-user-research.yaml")
    heard = []
    old.subscribe("ann", heard.append, ANN)
    assert _add(old, "ann", "first").ok
    assert old.flush()
    workshops.next_iteration(workshop / "01-user-research.yaml")  # as `horizons iterate` does

    refused = _add(old, "ann", "second")
    assert not refused.ok and refused.code == "ended"
    assert [m["iteration"] for m in heard if m.get("type") == "moved"] == [2]
    _add(old, "ann", "third")
    assert len([m for m in heard if m.get("type") == "moved"]) == 1  # told once


def test_a_note_sent_again_is_no_second_note_and_no_one_elses(workshop, hub):
    room = hub.room(workshop / "01-user-research.yaml")
    ben = Actor(name="Ben", role="participant", pid="p-ben0000000000001")
    room.subscribe("ann", lambda m: None, ANN)
    room.subscribe("ben", lambda m: None, ben)
    first = _add(room, "ann", "once")
    again = _add(room, "ann", "once")  # the page heard no answer, and sent it again
    assert first.ok and again.ok and again.seq == first.seq
    assert list(room.session.notes).count("once") == 1
    taken = _add(room, "ben", "once", ben)
    assert not taken.ok and "taken" in taken.message
    assert room.session.notes["once"].owner == ANN.pid
