"""The room's own operations: editing locks, the timer, bringing pages to a view, present mode.

They change nothing on the board and are never saved; what they change is live state, which
every page hears as the latest of its kind (:meth:`canvas.live.fanout.Fanout.announce`).
Each refuses with an :class:`~canvas.live.ops.OpError`, which ``Room.submit`` answers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from canvas.live import wire
from canvas.live.ops import Actor, OpError
from canvas.live.timer import bring, run_timer

if TYPE_CHECKING:
    from canvas.live.hub import Outcome, Room

EDIT_LOCK_SECONDS = 120


class Locks:
    """Who is editing which note (note -> client, name, since); a lock lapses after
    :data:`EDIT_LOCK_SECONDS`, and goes with its page."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[str, str, float]] = {}

    def current(self) -> dict[str, str]:
        now = time.monotonic()
        for note_id in [n for n, (_, _, t) in self._held.items() if now - t > EDIT_LOCK_SECONDS]:
            del self._held[note_id]
        return {note_id: name for note_id, (_, name, _) in self._held.items()}

    def holder(self, note_id: Any) -> tuple[str, str] | None:
        lock = self._held.get(note_id) if isinstance(note_id, str) else None
        return (lock[0], lock[1]) if lock else None

    def check(self, client: str, op: Any) -> None:
        """Refuse an operation on a note someone else is editing (a vote excepted)."""
        if not isinstance(op, dict) or op.get("op") == "vote":
            return
        ids = op.get("ids") if isinstance(op.get("ids"), list) else [op.get("id")]
        if isinstance(op.get("moves"), list):
            ids = [m.get("id") for m in op["moves"] if isinstance(m, dict)]
        self.current()
        for note_id in ids:
            lock = self.holder(note_id)
            if lock and lock[0] != client:
                raise OpError(f"{lock[1] or 'someone'} is editing this note")

    def take(self, note_id: str, client: str, name: str) -> None:
        self._held[note_id] = (client, name, time.monotonic())

    def release(self, note_id: Any, client: str) -> bool:
        """Release ``client``'s lock on one note; whether there was one."""
        lock = self.holder(note_id)
        if lock and lock[0] == client:
            del self._held[note_id]
            return True
        return False

    def release_all(self, client: str) -> bool:
        mine = [n for n, (c, _, _) in self._held.items() if c == client]
        for note_id in mine:
            del self._held[note_id]
        return bool(mine)


def editing(room: Room, client: str, op: dict, actor: Actor) -> Outcome:
    if op.keys() != {"op", "id"}:
        raise OpError("editing: needs exactly id")
    note_id = op["id"]
    if note_id is None:
        room.locks.release_all(client)
    else:
        if actor.role in ("observer", "reviewer"):
            raise OpError(f"{actor.role}s can follow the board but not change it")
        note = room.session.notes.get(note_id) if isinstance(note_id, str) else None
        if note is None or not wire.visible(note, actor):
            raise OpError("no such note (it may have been deleted)")
        if not actor.facilitator and note.owner != actor.pid:
            raise OpError("you can only change your own notes")
        lock = room.locks.holder(note_id)
        if lock and lock[0] != client:
            raise OpError(f"{lock[1] or 'someone'} is editing this note")
        room.locks.take(note_id, client, actor.name)
    room.announce({"type": "editing", "locks": room.locks.current()})
    return room.done()


def timer(room: Room, client: str, op: dict, actor: Actor) -> Outcome:
    room.timer = run_timer(room.timer, op, actor)
    room.announce(room.timer.payload())
    return room.done()


def bring_to(room: Room, client: str, op: dict, actor: Actor) -> Outcome:
    room.announce(bring(op, actor), but=client, once=True)
    return room.done()


def present(room: Room, client: str, op: dict, actor: Actor) -> Outcome:
    """The facilitator presents: every other page hears it (observers' pages follow)."""
    room.announce(room.picture.present(op, actor), but=client)
    return room.done()


ROOM_OPS: dict[str, Callable[[Room, str, dict, Actor], Outcome]] = {
    "present": present,
    "editing": editing,
    "timer": timer,
    "bring": bring_to,
}
