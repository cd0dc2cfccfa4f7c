"""Presence and moderation people understand: everyone on a page counts in the room, once
per person, and an author sees their note that the facilitator hid."""

from __future__ import annotations

import pytest

from canvas.format import store
from canvas.live.hub import Room
from canvas.live.ops import Actor
from canvas.live.presence import Presence
from canvas.live.wire import snapshot

LEAD = Actor(name="Lead", role="facilitator", pid="facilitator")


def _guest(n: int) -> Actor:
    return Actor(role="participant", pid=f"p-{n:016x}")


@pytest.fixture
def room(first_iteration):
    r = Room(first_iteration, store.load(first_iteration), save_delay=0.01)
    yield r
    r.close()


def test_a_facilitators_tabs_count_once_and_unnamed_people_as_guests(room):
    for tab in range(3):
        room.subscribe(f"lead-{tab}", lambda m: None, LEAD)
    for n in range(1, 5):
        room.subscribe(f"guest-{n}", lambda m: None, _guest(n))
    room.subscribe("guest-1-phone", lambda m: None, _guest(1))  # one person, two pages
    room.subscribe("watcher", lambda m: None, Actor(role="observer", pid=""))
    people = room.people()
    assert [(p["name"], p["role"], p["guest"], p["pages"]) for p in people] == [
        ("Lead", "facilitator", 0, 3),
        ("", "participant", 1, 2),
        ("", "participant", 2, 1),
        ("", "participant", 3, 1),
        ("", "participant", 4, 1),
        ("", "observer", 5, 1),
    ]


def test_a_guest_keeps_their_number_while_others_come_and_go():
    presence = Presence()
    pages = [(f"c{n}", _guest(n)) for n in (1, 2, 3)]
    assert [p["guest"] for p in presence.people(pages)] == [1, 2, 3]
    assert [p["guest"] for p in presence.people(pages[1:])] == [2, 3]
    # A newcomer takes the lowest number free; nobody is renumbered.
    newcomer = ("c9", _guest(9))
    assert sorted(p["guest"] for p in presence.people([*pages[1:], newcomer])) == [1, 2, 3]
    named = [(c, Actor(name="Ann", role="participant", pid=a.pid)) for c, a in pages[1:2]]
    people = presence.people([*named, newcomer])
    assert [(p["name"], p["guest"]) for p in people] == [("Ann", 0), ("", 1)]


def test_the_name_given_last_is_the_persons_name(room):
    room.subscribe("a", lambda m: None, _guest(1))
    room.subscribe("b", lambda m: None, _guest(1))
    room.set_actor("a", Actor(name="Alys", role="participant", pid=_guest(1).pid))
    assert [p["name"] for p in room.people()] == ["Alys"]
    room.set_actor("b", Actor(name="Alys Jones", role="participant", pid=_guest(1).pid))
    assert [p["name"] for p in room.people()] == ["Alys Jones"]


def test_a_guest_whose_page_comes_without_a_name_is_counted_on_every_page(room):
    heard: list[dict] = []
    lead = Actor(role="facilitator", pid="facilitator")  # no name: "Facilitator", no number
    room.subscribe("lead", heard.append, lead)
    room.subscribe("guest", lambda m: None, _guest(1))  # the page has come; no name typed
    told = [m["people"] for m in heard if m.get("type") == "presence"]
    assert told and [(p["role"], p["guest"]) for p in told[-1]] == [
        ("facilitator", 0),
        ("participant", 1),
    ]


def test_an_author_sees_their_hidden_note_and_nobody_else_does(room):
    ann, ben = _guest(1), _guest(2)
    for client, actor in (("lead", LEAD), ("ann", ann), ("ben", ben)):
        room.subscribe(client, lambda m: None, actor)
    op = {"op": "add", "id": "rude", "x": 0.3, "y": 0.5, "text": "a note to hide"}
    assert room.submit("ann", op, ann).ok
    assert room.submit("lead", {"op": "hide", "id": "rude", "hidden": True}, LEAD).ok
    mine = {n["id"]: n for n in snapshot(room.session, ann)["notes"]}
    assert mine["rude"]["hidden"] is True and mine["rude"]["mine"] is True
    assert "rude" not in {n["id"] for n in snapshot(room.session, ben)["notes"]}
    assert "rude" not in {
        n["id"] for n in snapshot(room.session, Actor(role="observer", pid=""))["notes"]
    }
