"""The live layer: one room per open session, owned by this server process.

A room holds the authoritative board. Operations from every page are applied under one lock,
in one order; each accepted operation is recorded by name (:mod:`canvas.live.changes`) and
the room's pages hear of it through its :class:`~canvas.live.fanout.Fanout`: encoded once per
audience, the latest state of what changed, coalesced per tick when the server is busy
(items' new state, not the operation, so pages converge by simply taking the latest). A page
that (re)connects starts from a snapshot, taken under the same lock so that no patch falls
between the two.

Who sends the pages their messages: ``wake`` (set by the server's channel,
:mod:`canvas.view.channel`) schedules a :meth:`Room.pump` on its event loop, at most one per
short tick; without one (a test, a tool) every change is pumped at once, in order.

Saving happens on a background thread, never on the event loop: accepted operations mark the
room dirty, and the saver writes the latest immutable session through the store's atomic save
after a short debounce, so a burst of operations costs one write. A failed save is retried and
reported; the board stays in memory meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canvas.domain.model import Session
from canvas.format import paths, sizes, store
from canvas.live import audience, board_layout, changes, saving, succession, wire
from canvas.live.fanout import Fanout, Seat, Sink
from canvas.live.inbox import Listener
from canvas.live.ops import Actor, Applied, OpError, apply, revert
from canvas.live.places import MAX_PAGES, check_place
from canvas.live.presence import Presence
from canvas.live.room_ops import ROOM_OPS, Locks
from canvas.live.saving import SaveStatus, SizeBook, clock
from canvas.live.timer import Timer

SAVE_DELAY = 0.3
RETRY_DELAY = 2.0
UNDO_DEPTH = 100

Subscriber = Callable[[dict], None]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one submitted operation."""

    ok: bool
    message: str = ""
    seq: int = 0
    code: str = ""  # why a refusal happened, for the page (see OpError)


class Room(succession.MovingOn, saving.Saver):
    """One open session: the authoritative board, its pages and its saver."""

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
        self.succession = succession.Succession(self.path)
        # The query arguments that take a page of a role into another iteration (its codes):
        # set by the server that holds the secret, so a page that moves on needs no new link.
        self.entry: Callable[[str, str], dict] = lambda _role, _session: {}
        self._presence = Presence()
        self._lock = threading.RLock()
        self.fanout = Fanout(session)
        self.wake: Callable[[float], None] | None = None  # schedules a pump (see the doc)
        self._undo: dict[str, list[Applied]] = {}
        self._redo: dict[str, list[Applied]] = {}
        self.locks = Locks()
        self.timer = Timer()
        self.seq = 0
        self.saved_seq = 0
        self.max_pages = max_pages
        self.status = SaveStatus("saved", clock())
        self._book = SizeBook(sizes.file_bytes(session), max_bytes)
        self._save_delay = save_delay
        self._retry_delay = retry_delay
        self._saver = saver
        self._dirty = threading.Event()
        self._hurry = threading.Event()  # flush: save now, whatever the last save cost
        self._next_save = 0.0
        self._idle = threading.Condition(self._lock)
        self._closed = False
        for message in self.live_state():
            self.fanout.announce(message)
        self._thread = threading.Thread(target=self._save_loop, name=f"save {path}", daemon=True)
        self._thread.start()

    @property
    def session(self) -> Session:
        return self._session

    # -- pages -------------------------------------------------------------------------------

    def check_place(self, actor: Actor) -> None:
        """RoomFull when the room has no place for one more page of ``actor``."""
        with self._lock:
            check_place([s.actor for s in self.fanout.seats.values()], actor, self.max_pages)

    def connect(self, client: str, sink: Sink, actor: Actor) -> None:
        """A page's connection: it hears a snapshot at the next pump, then every change."""
        with self._lock:
            self._seat(client, sink, actor)
            moved = self.moved_for(actor)
            if moved is not None:
                self.fanout.tell(client, moved)
        self._wake()

    def _seat(self, client: str, sink: Sink, actor: Actor) -> None:
        if client not in self.fanout.seats:
            self.check_place(actor)
            self.fanout.seats[client] = Seat(client, actor)
        self.fanout.attach(client, sink)
        self.fanout.want_people()

    def subscribe(self, client: str, callback: Subscriber, actor: Actor | None = None) -> dict:
        """Register a page that reads messages in this process (a test, a tool); returns the
        snapshot it starts from, as its person may see it."""
        actor = actor or Actor()
        listener = Listener(callback)
        with self._lock:
            self._seat(client, listener, actor)
            self.fanout.settle(client)
            if audience.personal(actor):
                ballot = self._session.voting.ballots.get(actor.pid)
                listener.reader.keep(dict(ballot.notes) if ballot else {})
            snapshot = self.snapshot(client)
        self._wake()  # the others hear of the new page
        return snapshot

    def snapshot(self, client: str) -> dict:
        """The whole board as one page sees it now, with the room's live state."""
        with self._lock:
            seat = self.fanout.seats[client]
            snap = wire.snapshot(self._session, seat.actor)
            snap.update(
                **self.picture.snapshot(),
                seq=self.seq,
                status=self.status.payload(),
                timer=self.timer.payload(),
                editing=self.locks.current(),
                people=self.people(),
                moved=self.moved_for(seat.actor),
            )
            return snap

    def refresh(self, client: str) -> None:
        """Send this page the whole board again at the next pump (a snapshot, cached)."""
        with self._lock:
            seat = self.fanout.seats.get(client)
            if seat is not None:
                seat.fresh = True
        self._wake()

    def live_state(self) -> list[dict]:
        """What changes without a new revision of the board: saving, timer, people, locks."""
        with self._lock:
            return [
                self.status.payload(),
                self.timer.payload(),
                {"type": "presence", "people": self.people()},
                {"type": "editing", "locks": self.locks.current()},
                self.picture.presenting.payload(),
            ]

    def set_actor(self, client: str, actor: Actor) -> None:
        """A page says who they are (a name, after joining)."""
        with self._lock:
            seat = self.fanout.seats.get(client)
            if seat is not None and seat.actor != actor:
                seat.actor = actor
                self.fanout.want_people()
        self._wake()

    def unsubscribe(self, client: str) -> None:
        with self._lock:
            if self.fanout.seats.pop(client, None) is None:
                return
            self._undo.pop(client, None)
            self._redo.pop(client, None)
            if self.locks.release_all(client):
                self.fanout.announce({"type": "editing", "locks": self.locks.current()})
            self.fanout.want_people()
        self._wake()

    @property
    def clients(self) -> list[str]:
        with self._lock:
            return list(self.fanout.seats)

    def people(self) -> list[dict]:
        """Who is in the room: one entry a person (:mod:`canvas.live.presence`)."""
        with self._lock:
            return self._presence.people((c, s.actor) for c, s in self.fanout.seats.items())

    # -- messages ------------------------------------------------------------------------------

    def announce(self, message: dict, *, but: str | None = None, once: bool = False) -> None:
        """Live state every page hears (``once``: an event, for the pages there now)."""
        with self._lock:
            self.fanout.announce(message, but, once=once)
        self._wake()

    def tell(self, client: str, message: dict) -> None:
        """One page's own answer, after everything the room sent it before."""
        with self._lock:
            self.fanout.tell(client, message)
        self._wake()

    def done(self) -> Outcome:
        return Outcome(True, seq=self.seq)

    def _wake(self, delay: float = 0.0) -> None:
        if self.wake is None:
            self.pump()
        else:
            self.wake(delay)

    def pump(self) -> None:
        """Send every page what it has not heard yet (see :mod:`canvas.live.fanout`)."""
        with self._lock:
            frames, dropped = self.fanout.frames(self.picture, self.people)
            for sink, frame in frames:
                try:
                    sink.write(frame)
                except Exception:  # a page that went away must not stop the others
                    dropped.append(sink)
            due = self.fanout.due
        for sink in dropped:
            sink.drop()
        if due is not None and self.wake is not None:
            self.wake(due)

    # -- operations ----------------------------------------------------------------------------

    def submit(self, client: str, op: Any, actor: Actor | None = None) -> Outcome:
        """Apply one operation from ``client``; refused operations change nothing."""
        with self._lock:
            seat = self.fanout.seats.get(client)
            actor = actor or (seat.actor if seat else Actor(role="observer"))
            name = op.get("op") if isinstance(op, dict) else None
            name = name if isinstance(name, str) else None
            try:
                self._check_current(actor)
                if name in ROOM_OPS:
                    return ROOM_OPS[name](self, client, op, actor)
                self.locks.check(client, op)
                if name in ("undo", "redo") and len(op) == 1:
                    applied = self._undo_redo(client, name, actor)
                else:
                    applied = apply(self._session, op, actor)
                if not applied.changed:
                    return self.done()
                growth = sizes.growth(applied.diff)
                self._book.check(growth)
            except OpError as exc:
                return Outcome(False, str(exc), code=exc.code)
            self._remember(client, name, applied)
            self._session = applied.session
            self.seq += 1
            self._book.record(self.seq, growth)
            if name == "edit" and self.locks.release(op.get("id"), client):
                self.fanout.announce({"type": "editing", "locks": self.locks.current()})
            placed = self.picture.follow(applied.session, applied.diff)
            self.fanout.record(applied.session, self.seq, changes.of(applied, placed))
            self._dirty.set()
            self._wake()
            return self.done()

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
            self.locks.check(client, {"id": note_id})
        return revert(self._session, stack[-1])


class Hub:
    """All rooms of this process, one per session file."""

    def __init__(self, **room_options: Any):
        self._rooms: dict[Path, Room] = {}
        self._lock = threading.Lock()
        self._options = room_options
        self.entry: Callable[[str, str], dict] = lambda _role, _session: {}  # see Room.entry

    def room(self, path: str | Path) -> Room:
        """The room of a session file, opening it (and sweeping its folder) on first use."""
        path = paths.real(path)
        with self._lock:
            room = self._rooms.get(path)
            if room is None:
                store.sweep(path.parent)
                room = Room(path, store.load(path), **self._options)
                room.entry = lambda role, session: self.entry(role, session)  # as set now
                self._rooms[path] = room
            return room

    def next_iteration(self, source: Path, **options: Any) -> Path:
        """The next iteration of ``source``'s workshop; its open rooms' pages move to it
        (:func:`canvas.live.succession.next_iteration`)."""
        folder = paths.real(source).parent
        with self._lock:
            rooms = [r for p, r in self._rooms.items() if p.parent == folder]
        return succession.next_iteration(rooms, source, **options)

    def opened(self, path: str | Path) -> Room | None:
        """The room of a session file if this process holds it open (never opens one)."""
        with self._lock:
            return self._rooms.get(paths.real(path))

    def pages(self) -> dict[Path, int]:
        """Every open room's file and how many pages it has."""
        with self._lock:
            rooms = list(self._rooms.values())
        return {room.path: len(room.clients) for room in rooms}

    def close(self) -> None:
        with self._lock:
            rooms = list(self._rooms.values())
            self._rooms.clear()
        for room in rooms:
            room.close()


HUB = Hub()
