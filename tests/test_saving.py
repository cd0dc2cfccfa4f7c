"""A confirmed save is a save: statuses name the last change on disk, a failed save says why
without a server path, and a change that would push the file past its size limit is refused
when it is made (accepted, it could never be saved)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from canvas.domain.model import Note
from canvas.format import sizes, store
from canvas.format.problems import FormatError, Problem
from canvas.live.hub import Room
from canvas.live.ops import Actor

SAMPLE = "sessions/wales-2022/01-user-research.yaml"
LEAD = Actor(name="Lead", role="facilitator", pid="facilitator")
ANN = Actor(name="Ann", role="participant", pid="p-ann00001")
MB = 1024 * 1024


def _add(room: Room, note_id: str, text: str = "a note", actor: Actor = LEAD):
    op = {"op": "add", "id": note_id, "x": 0.3, "y": 0.4, "text": text}
    return room.submit("lead", op, actor)


def test_saved_status_names_the_last_change_on_disk(first_iteration):
    path = first_iteration
    room = Room(path, store.load(path), save_delay=0.01)
    seen: list[dict] = []
    room.subscribe("lead", seen.append, LEAD)
    try:
        outcomes = [_add(room, f"s{i}") for i in range(3)]
        assert room.flush(5)
    finally:
        room.close()
    assert [o.seq for o in outcomes] == [1, 2, 3]
    saved = [m for m in seen if m["type"] == "status" and m["state"] == "saved"]
    assert saved[-1]["seq"] == 3
    on_disk = store.load(path)
    for status in saved:
        assert all(f"s{i}" in on_disk.notes for i in range(status["seq"]))


@pytest.mark.parametrize(
    "failure",
    [
        OSError(28, "No space left on device", "/srv/secret/sessions/w/01-x.yaml"),
        FormatError([Problem("/srv/secret/sessions/w/01-x.yaml", "the file is 10.2 MB")]),
        RuntimeError("/srv/secret/sessions/w/01-x.yaml exploded"),
    ],
    ids=["os-error", "format-error", "anything-else"],
)
def test_a_failed_save_says_why_to_every_page_without_a_server_path(first_iteration, failure):
    path = first_iteration

    def broken(session, target):
        raise failure

    room = Room(path, store.load(path), save_delay=0.01, retry_delay=5, saver=broken)
    seen: list[dict] = []
    room.subscribe("lead", seen.append, LEAD)
    try:
        _add(room, "f1")
        assert not room.flush(0.5)
    finally:
        room._closed = True
    [status] = [m for m in seen if m["type"] == "status"]
    assert status["state"] == "error" and status["seq"] == 0
    assert status["reason"]
    assert "/srv" not in status["reason"] and "secret" not in status["reason"]


def test_a_read_only_session_file_is_reported_not_replaced(first_iteration):
    path = first_iteration
    room = Room(path, store.load(path), save_delay=0.01, retry_delay=5)
    seen: list[dict] = []
    room.subscribe("lead", seen.append, LEAD)
    path.chmod(0o444)
    try:
        _add(room, "ro1")
        assert not room.flush(0.5)
    finally:
        room._closed = True
    [status] = [m for m in seen if m["type"] == "status"]
    assert status["state"] == "error" and "read-only" in status["reason"]
    assert "ro1" not in store.load(path).notes


# ---------------------------------------------------------------------------------------------
# The size limit


def _filled(session, target: int, text_length: int = 480):
    """``session`` with as many long notes as its file can hold within ``target`` bytes."""
    base = sizes.file_bytes(session)
    sample = Note(id="fill-000000", text="x" * text_length, x=0.5, y=0.5, horizon="H2")
    each = sizes.file_bytes(replace(session, notes={**session.notes, sample.id: sample})) - base
    count = (target - base) // each
    notes = dict(session.notes)
    for i in range(count):
        note_id = f"fill-{i:06d}"
        notes[note_id] = replace(sample, id=note_id, text=f"n{i:06d}" + "x" * (text_length - 7))
    return replace(session, notes=notes)


def test_a_board_at_the_10_mb_limit_refuses_the_next_change_with_a_reason(first_iteration):
    path = first_iteration
    full = _filled(store.load(path), store.MAX_BYTES)
    store.save(full, path)
    assert store.MAX_BYTES - 700 < path.stat().st_size <= store.MAX_BYTES
    room = Room(path, store.load(path), save_delay=0.01)
    seen: list[dict] = []
    room.subscribe("lead", seen.append, LEAD)
    try:
        refused = _add(room, "one-too-many", "y" * 480)
        assert not refused.ok
        assert "the board is full" in refused.message
        assert "over the 10 MB limit" in refused.message
        assert "one-too-many" not in room.session.notes
        assert room.seq == 0
        assert not [m for m in seen if m["type"] == "patch"]
        shrink = room.submit("lead", {"op": "delete", "ids": ["fill-000000"]}, LEAD)
        assert shrink.ok
        assert room.flush(20)
    finally:
        room.close()
    assert path.stat().st_size <= store.MAX_BYTES
    assert "fill-000000" not in store.load(path).notes


def test_a_board_opened_over_its_limit_may_shrink_but_not_grow(first_iteration):
    path = first_iteration
    session = store.load(path)
    limit = sizes.file_bytes(session) - 1000
    room = Room(path, session, save_delay=0.01, max_bytes=limit)
    room.subscribe("lead", lambda m: None, LEAD)
    try:
        assert not _add(room, "grow").ok
        assert not room.submit(
            "lead", {"op": "edit", "id": next(iter(session.notes)), "text": "z" * 400}, LEAD
        ).ok
        victims = sorted(session.notes)[:5]
        assert room.submit("lead", {"op": "delete", "ids": victims}, LEAD).ok
        assert room.flush(5)
    finally:
        room.close()
    assert not set(victims) & set(store.load(path).notes)


def test_the_size_estimate_never_falls_below_the_file(first_iteration):
    path = first_iteration
    session = store.load(path)
    room = Room(path, session, save_delay=0.01)
    room.subscribe("lead", lambda m: None, LEAD)
    room.subscribe("ann", lambda m: None, ANN)
    steps = [
        ("lead", {"op": "vote_start", "budget": 3}, LEAD),
        ("ann", {"op": "add", "id": "e1", "x": 0.5, "y": 0.5, "text": "hello"}, ANN),
        ("ann", {"op": "edit", "id": "e1", "text": "hello there, a longer text"}, ANN),
        ("ann", {"op": "vote", "id": "e1", "delta": 1}, ANN),
        ("lead", {"op": "vote_close"}, LEAD),
        ("lead", {"op": "comment", "id": "c1", "target": "e1", "text": "a comment"}, LEAD),
        ("lead", {"op": "facilitate", "locked": True}, LEAD),
        ("lead", {"op": "delete", "ids": ["e1"]}, LEAD),
        ("lead", {"op": "anchor_delete", "id": sorted(session.anchors)[0]}, LEAD),
    ]
    try:
        for client, op, actor in steps:
            assert room.submit(client, op, actor).ok, op
            exact = sizes.file_bytes(room.session)
            slack = sizes.HEADER_ALLOWANCE * 3 * len(steps)
            assert exact <= room._book.estimate <= exact + slack, op["op"]
        assert room.flush(5)
        assert room._book.estimate == sizes.file_bytes(room.session) == path.stat().st_size
    finally:
        room.close()
