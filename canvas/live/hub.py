"""The live layer: one room per open session, owned by this server process.

A room holds the authoritative board. Operations from every page are applied under one lock,
in one order; each accepted operation is forwarded to every subscribed page as a patch of the
items it changed (the items' new state, not the operation, so pages converge by simply
taking the latest). A page that (re)connects subscribes and gets a full snapshot, taken under
the same lock so that no patch falls between the two.

Saving happens on a background thread, never on the event loop: accepted operations mark the
room dirty, and the saver writes the latest immutable session through the store's atomic save
after a short debounce, so a burst of operations costs one write. A failed save is retried and
reported; the board stays in memory meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from canvas.domain.model import Session
from canvas.format import paths, sizes, store, workshops
from canvas.live import board_layout, wire
from canvas.live.editing import EditLocks
from canvas.live.ops import Actor, Applied, OpError, apply, revert
from canvas.live.places import MAX_PAGES, check_place
from canvas.live.presence import Presence
from canvas.live.saving import SaveStatus, SizeBook, reason
from canvas.live.succession import Succession
from canvas.live.timer import Timer, bring, run_timer

SAVE_DELAY = 0.3
RETRY_DELAY = 2.0
UNDO_DEPTH = 100

Subscriber = Callable[[dict], None]


@dataclass(slots=True)
class Member:
    """One page in a room: where its messages go and who is looking."""

    callback: Subscriber
    actor: Actor


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one submitted operation."""

    ok: bool
    message: str = ""
    seq: int = 0
    code: str = ""  # why a refusal happened, for the page (see OpError)


def _clock() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Room:
    """One open session: the authoritative board, its subscribers and its saver."""

    def __init__(
        self,
        path: Path,
        session: Session,
        *,
        save_delay: float = SAVE_DELAY,
        retry_delay: float = RETRY_DELAY,
        saver: Callable[[Session, Path], int | None] = store.save_checked,
        max_pages: int = MAX_PAGES,
        max_bytes: int = store.MAX_BYTES,
    ):
        self.path = Path(path)
        self._session = session
        self.picture = board_layout.Picture(session)
        self.succession = Succession(self.path)
        self._presence = Presence()
        self._lock = threading.RLock()
        self._members: dict[str, Member] = {}
        self._undo: dict[str, list[Applied]] = {}
        self._redo: dict[str, list[Applied]] = {}
        self._editing = EditLocks()
        self.timer = Timer()
        self.seq = 0
        self.saved_seq = 0
        self.max_pages = max_pages
        self.status = SaveStatus("saved", _clock())
        self._book = SizeBook(sizes.file_bytes(session), max_bytes)
        self._save_delay = save_delay
        self._retry_delay = retry_delay
        self._saver = saver
        self._dirty = threading.Event()
        self._idle = threading.Condition(self._lock)
        self._closed = False
        self._thread = threading.Thread(target=self._save_loop, name=f"save {path}", daemon=True)
        self._thread.start()

    @property
    def session(self) -> Session:
        return self._session

    # -- members -----------------------------------------------------------------------------

    def subscribe(self, client: str, callback: Subscriber, actor: Actor | None = None) -> dict:
        """Register a page; returns the snapshot it starts from, as its person may see it."""
        actor = actor or Actor()
        with self._lock:
            if client not in self._members:
                others = [m.actor for m in self._members.values()]
                check_place(others, actor, self.max_pages)
            # Others learn of the new page when it says hello (within milliseconds): one
            # presence broadcast per join instead of two.
            self._members[client] = Member(callback, actor)
            return self.snapshot(client)

    def snapshot(self, client: str) -> dict:
        """The whole board as one member sees it now, with the room's live state."""
        with self._lock:
            member = self._members[client]
            snap = wire.snapshot(self._session, member.actor)
            snap.update(
                **self.picture.snapshot(),
                seq=self.seq,
                status=self.status.payload(),
                timer=self.timer.payload(),
                editing=self._editing.payload(),
                people=self.people(),
                moved=self.succession.payload(),
            )
            return snap

    def live_state(self) -> list[dict]:
        """What changes without a new revision of the board: saving, timer, people, locks."""
        with self._lock:
            return [
                self.status.payload(),
                self.timer.payload(),
                {"type": "presence", "people": self.people()},
                {"type": "editing", "locks": self._editing.payload()},
                self.picture.presenting.payload(),
            ]

    def set_actor(self, client: str, actor: Actor, hello: bool = False) -> None:
        """A member says who they are; a hello, named or not, tells the room the page came."""
        with self._lock:
            member = self._members.get(client)
            if member is not None and (hello or member.actor != actor):
                member.actor = actor
                self._members[client] = self._members.pop(client)  # the latest name counts
                self._broadcast_presence()

    def unsubscribe(self, client: str) -> None:
        with self._lock:
            if self._members.pop(client, None) is None:
                return
            self._undo.pop(client, None)
            self._redo.pop(client, None)
            if self._editing.leave(client):
                self._broadcast_all({"type": "editing", "locks": self._editing.payload()})
            self._broadcast_presence()

    @property
    def clients(self) -> list[str]:
        with self._lock:
            return list(self._members)

    def people(self) -> list[dict]:
        """Who is in the room: one entry a person (:mod:`canvas.live.presence`)."""
        with self._lock:
            return self._presence.people((c, m.actor) for c, m in self._members.items())

    def _send(self, client: str, member: Member, message: dict) -> None:
        try:
            member.callback(message)
        except Exception:  # a page that went away must not stop the others
            self._members.pop(client, None)

    def _broadcast_all(self, message: dict, *, but: str | None = None) -> None:
        for client, member in list(self._members.items()):
            if client != but:
                self._send(client, member, message)

    def _broadcast_presence(self) -> None:
        self._broadcast_all({"type": "presence", "people": self.people()})

    # -- operations ----------------------------------------------------------------------------

    def submit(self, client: str, op: Any, actor: Actor | None = None) -> Outcome:
        """Apply one operation from ``client``; refused operations change nothing."""
        with self._lock:
            member = self._members.get(client)
            actor = actor or (member.actor if member else Actor(role="observer"))
            name = op.get("op") if isinstance(op, dict) else None
            name = name if isinstance(name, str) else None
            try:
                self._check_current(actor)
                if name in ROOM_OPS:
                    return ROOM_OPS[name](self, client, op, actor)
                self._editing.check(client, op)
                if name in ("undo", "redo") and len(op) == 1:
                    applied = self._undo_redo(client, name, actor)
                else:
                    applied = apply(self._session, op, actor)
                if not applied.changed:
                    return Outcome(True, seq=self.seq)
                growth = sizes.growth(applied.diff)
                self._book.check(growth)
            except OpError as exc:
                return Outcome(False, str(exc), code=exc.code)
            self._remember(client, name, applied)
            self._session = applied.session
            self.seq += 1
            self._book.record(self.seq, growth)
            if name == "edit" and self._editing.release(op.get("id"), client):
                self._broadcast_all({"type": "editing", "locks": self._editing.payload()})
            placed = self.picture.follow(applied.session, applied.diff)
            for c, m in list(self._members.items()):
                self._send(c, m, {**wire.patch(applied, self.seq, m.actor), "layout": placed})
            self._dirty.set()
            return Outcome(True, seq=self.seq)

    def _remember(self, client: str, name: str | None, applied: Applied) -> None:
        """Keep an accepted change for undo (and an undone one for redo)."""
        if name in ("undo", "redo"):
            source = self._undo if name == "undo" else self._redo
            target = self._redo if name == "undo" else self._undo
            source[client].pop()
            target.setdefault(client, []).append(applied)
        elif applied.undoable:
            stack = self._undo.setdefault(client, [])
            stack.append(applied)
            del stack[:-UNDO_DEPTH]
            self._redo.pop(client, None)

    def _undo_redo(self, client: str, which: str, actor: Actor) -> Applied:
        if actor.role in ("observer", "reviewer"):
            raise OpError(f"{actor.role}s can follow the board but not change it")
        if not actor.facilitator and self._session.facilitation.locked:
            raise OpError("the facilitator has locked the board", "locked")
        stack = (self._undo if which == "undo" else self._redo).get(client)
        if not stack:
            raise OpError(f"nothing to {which}")
        for note_id, _, _ in stack[-1].diff.notes.pairs():
            self._editing.check(client, {"id": note_id})
        return revert(self._session, stack[-1])

    # -- room-level operations: presence, editing, timer, views -----------------------------

    def _op_editing(self, client: str, op: dict, actor: Actor) -> Outcome:
        self._editing.take(self._session, client, op, actor)
        self._broadcast_all({"type": "editing", "locks": self._editing.payload()})
        return Outcome(True, seq=self.seq)

    def _check_current(self, actor: Actor) -> None:
        """Refuse a participant's change on an iteration the workshop has left; the pages
        hear of the move the moment the room notices it."""
        seen = self.succession.seen
        refusal = self.succession.refusal(actor)
        if refusal is None:
            return
        if self.succession.seen != seen:
            self._broadcast_all(self.succession.payload())
        raise refusal

    def move_on(self) -> None:
        """The next iteration exists now: every page hears where the workshop went."""
        with self._lock:
            self.succession.closing = False
            moved = self.succession.payload()
            if moved is not None:
                self._broadcast_all(moved)

    # The room's own operations refuse with an OpError, which ``submit`` answers.

    def _op_timer(self, client: str, op: dict, actor: Actor) -> Outcome:
        self.timer = run_timer(self.timer, op, actor)
        self._broadcast_all(self.timer.payload())
        return Outcome(True, seq=self.seq)

    def _op_bring(self, client: str, op: dict, actor: Actor) -> Outcome:
        self._broadcast_all(bring(op, actor), but=client)
        return Outcome(True, seq=self.seq)

    def _op_present(self, client: str, op: dict, actor: Actor) -> Outcome:
        """The facilitator presents: every other page hears it (observers' pages follow)."""
        self._broadcast_all(self.picture.present(op, actor), but=client)
        return Outcome(True, seq=self.seq)

    # -- saving --------------------------------------------------------------------------------

    def _set_status(self, status: SaveStatus) -> None:
        with self._lock:
            self.status = status
            self._broadcast_all(status.payload())

    def _save_loop(self) -> None:
        while True:
            self._dirty.wait()
            if self._closed:
                return
            time.sleep(self._save_delay)
            with self._lock:
                self._dirty.clear()
                session, seq = self._session, self.seq
            # "Saving..." is shown by each page itself from the moment it sends a change;
            # broadcasting it too would double the messages of every save.
            self.status = SaveStatus("saving", seq=self.saved_seq)
            try:
                written = self._saver(session, self.path)
            except Exception as exc:
                self._set_status(SaveStatus("error", reason=reason(exc), seq=self.saved_seq))
                self._dirty.set()
                time.sleep(self._retry_delay)
                continue
            with self._lock:
                self._book.saved(seq, written if isinstance(written, int) else None)
                self.saved_seq = max(self.saved_seq, seq)
                self._set_status(SaveStatus("saved", _clock(), seq=self.saved_seq))
                self._idle.notify_all()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything accepted so far is on disk; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self.saved_seq < self.seq:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
            return True

    def close(self, timeout: float = 10.0) -> None:
        """Save what is pending and stop the saver."""
        self.flush(timeout)
        self._closed = True
        self._dirty.set()
        self._thread.join(timeout)


ROOM_OPS: dict[str, Callable[[Room, str, dict, Actor], Outcome]] = {
    "present": Room._op_present,
    "editing": Room._op_editing,
    "timer": Room._op_timer,
    "bring": Room._op_bring,
}


class Hub:
    """All rooms of this process, one per session file."""

    def __init__(self, **room_options: Any):
        self._rooms: dict[Path, Room] = {}
        self._lock = threading.Lock()
        self._options = room_options

    def room(self, path: str | Path) -> Room:
        """The room of a session file, opening it (and sweeping its folder) on first use."""
        path = paths.real(path)
        with self._lock:
            room = self._rooms.get(path)
            if room is None:
                store.sweep(path.parent)
                room = Room(path, store.load(path), **self._options)
                self._rooms[path] = room
            return room

    def next_iteration(self, source: Path, **options: Any) -> Path:
        """The next iteration of ``source``'s workshop, copied from what its open rooms hold;
        their pages move to it. The rooms stop taking participants' changes and save first:
        the copy holds every note written before the split, and none lands on the old board
        after it (a late one is refused, and its page keeps it)."""
        folder = paths.real(source).parent
        with self._lock:
            rooms = [r for p, r in self._rooms.items() if p.parent == folder]
        for room in rooms:
            room.succession.closing = True
        try:
            if not all(room.flush() for room in rooms):
                raise OSError("the board could not be saved; try again")
            target, _ = workshops.next_iteration(source, **options)
        finally:
            for room in rooms:
                room.move_on()
        return target

    def close(self) -> None:
        with self._lock:
            rooms = list(self._rooms.values())
            self._rooms.clear()
        for room in rooms:
            room.close()


HUB = Hub()
