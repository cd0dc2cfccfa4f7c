"""Who is editing which note: a page that opens a note's editor holds the note, so that two
people never overwrite each other's words. A hold lasts until the edit is sent or given up,
the page leaves, or two minutes pass (a page that vanished mid-edit frees the note)."""

from __future__ import annotations

import time
from typing import Any

from canvas.domain.model import Session
from canvas.live import wire
from canvas.live.actor import Actor
from canvas.live.ops import OpError

EDIT_LOCK_SECONDS = 120


class EditLocks:
    """The notes held by pages of one room: note id -> (client, name, since)."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[str, str, float]] = {}

    def payload(self) -> dict[str, str]:
        """Who holds what (note id -> name), holds past their time let go first."""
        now = time.monotonic()
        for note_id in [n for n, (_, _, t) in self._held.items() if now - t > EDIT_LOCK_SECONDS]:
            del self._held[note_id]
        return {note_id: name for note_id, (_, name, _) in self._held.items()}

    def check(self, client: str, op: Any) -> None:
        """Refuse an operation on a note another page holds (a vote is no edit)."""
        if not isinstance(op, dict) or op.get("op") == "vote":
            return
        ids = op.get("ids") if isinstance(op.get("ids"), list) else [op.get("id")]
        if isinstance(op.get("moves"), list):
            ids = [m.get("id") for m in op["moves"] if isinstance(m, dict)]
        self.payload()
        for note_id in ids:
            lock = self._held.get(note_id) if isinstance(note_id, str) else None
            if lock and lock[0] != client:
                raise OpError(f"{lock[1] or 'someone'} is editing this note")

    def release(self, note_id: Any, client: str) -> bool:
        """Let go of a note this client held (its edit arrived); whether it was held."""
        lock = self._held.get(note_id) if isinstance(note_id, str) else None
        if lock and lock[0] == client:
            del self._held[note_id]
            return True
        return False

    def leave(self, client: str) -> bool:
        """Let go of everything a page held; whether it held anything."""
        released = [n for n, (c, _, _) in self._held.items() if c == client]
        for note_id in released:
            del self._held[note_id]
        return bool(released)

    def take(self, session: Session, client: str, op: dict, actor: Actor) -> None:
        """The ``editing`` operation: hold a note (``id``), or let go of all (``id: None``)."""
        if op.keys() != {"op", "id"}:
            raise OpError("editing: needs exactly id")
        note_id = op["id"]
        if note_id is None:
            self.leave(client)
            return
        if actor.role in ("observer", "reviewer"):
            raise OpError(f"{actor.role}s can follow the board but not change it")
        note = session.notes.get(note_id) if isinstance(note_id, str) else None
        if note is None or not wire.visible(note, actor):
            raise OpError("no such note (it may have been deleted)")
        if not actor.facilitator and note.owner != actor.pid:
            raise OpError("you can only change your own notes")
        lock = self._held.get(note_id)
        if lock and lock[0] != client:
            raise OpError(f"{lock[1] or 'someone'} is editing this note")
        self._held[note_id] = (client, actor.name, time.monotonic())
