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

from canvas import store
from canvas.horizons import Curves
from canvas.model import Anchor, Note, Session
from canvas.ops import Actor, Applied, OpError, apply, revert

SAVE_DELAY = 0.3
RETRY_DELAY = 2.0
UNDO_DEPTH = 100

Subscriber = Callable[[dict], None]


def note_payload(n: Note) -> dict:
    """A note as the browser sees it."""
    return {
        "id": n.id,
        "text": n.text,
        "x": n.x,
        "y": n.y,
        "horizon": n.horizon,
        "anchor": n.anchor,
        "polarity": n.polarity,
        "colour": n.colour,
        "author": n.author,
        "votes": n.votes,
        "tags": list(n.tags),
        "personas": list(n.personas),
        "rev": n.rev,
        "fixed": n.horizon_fixed,
    }


def anchor_payload(a: Anchor) -> dict:
    """An anchor as the browser sees it."""
    return {
        "id": a.id,
        "kind": a.kind,
        "title": a.title,
        "summary": a.summary,
        "horizon": a.horizon,
        "x": a.x,
        "y": a.y,
        "prompt": a.prompt,
    }


def settings_payload(session: Session) -> dict:
    """The session's settings with the curves sampled for drawing."""
    s = session.settings
    return {
        "palette": dict(sorted(s.palette.items())),
        "max_text": s.max_text,
        "axis_from": s.axis_from,
        "axis_to": s.axis_to,
        "h2_peak": s.h2_peak,
        "crossover": s.crossover,
        "curves": Curves.from_settings(s).paths(61),
    }


def snapshot_payload(session: Session) -> dict:
    """Everything a page needs to draw the board."""
    return {
        "id": session.id,
        "title": session.title,
        "focal_question": session.focal_question,
        "prompts": dict(session.prompts),
        "settings": settings_payload(session),
        "anchors": [anchor_payload(a) for _, a in sorted(session.anchors.items())],
        "notes": [note_payload(n) for _, n in sorted(session.notes.items())],
    }


def patch_payload(applied: Applied, seq: int) -> dict:
    """The changed items of an accepted operation, ``None`` for those removed."""
    patch: dict[str, Any] = {
        "type": "patch",
        "seq": seq,
        "notes": {k: (note_payload(a) if a else None) for k, (_, a) in applied.notes.items()},
        "anchors": {k: (anchor_payload(a) if a else None) for k, (_, a) in applied.anchors.items()},
    }
    if applied.settings:
        patch["settings"] = settings_payload(applied.session)
    return patch


@dataclass(frozen=True, slots=True)
class SaveStatus:
    """What the pages show about saving: saved (and when), saving, or failed (and why)."""

    state: str
    at: str = ""
    reason: str = ""

    def payload(self) -> dict:
        return {"type": "status", "state": self.state, "at": self.at, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one submitted operation."""

    ok: bool
    message: str = ""
    seq: int = 0


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
        saver: Callable[[Session, Path], None] = store.save,
    ):
        self.path = Path(path)
        self._session = session
        self._lock = threading.RLock()
        self._subscribers: dict[str, Subscriber] = {}
        self._undo: dict[str, list[Applied]] = {}
        self._redo: dict[str, list[Applied]] = {}
        self.seq = 0
        self.saved_seq = 0
        self.status = SaveStatus("saved", _clock())
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

    # -- subscribers -------------------------------------------------------------------------

    def subscribe(self, client: str, callback: Subscriber) -> dict:
        """Register a page; returns the snapshot it starts from."""
        with self._lock:
            self._subscribers[client] = callback
            snapshot = snapshot_payload(self._session)
            snapshot["seq"] = self.seq
            snapshot["status"] = self.status.payload()
            return snapshot

    def unsubscribe(self, client: str) -> None:
        with self._lock:
            self._subscribers.pop(client, None)
            self._undo.pop(client, None)
            self._redo.pop(client, None)

    @property
    def clients(self) -> list[str]:
        with self._lock:
            return list(self._subscribers)

    def _broadcast(self, message: dict) -> None:
        for client, callback in list(self._subscribers.items()):
            try:
                callback(message)
            except Exception:  # a page that went away must not stop the others
                self._subscribers.pop(client, None)

    # -- operations ----------------------------------------------------------------------------

    def submit(self, client: str, op: Any, actor: Actor) -> Outcome:
        """Apply one operation from ``client``; refused operations change nothing."""
        with self._lock:
            try:
                if isinstance(op, dict) and op.get("op") in ("undo", "redo") and len(op) == 1:
                    applied = self._undo_redo(client, op["op"])
                else:
                    applied = apply(self._session, op, actor)
                    if not applied.settings:
                        stack = self._undo.setdefault(client, [])
                        stack.append(applied)
                        del stack[:-UNDO_DEPTH]
                        self._redo.pop(client, None)
            except OpError as exc:
                return Outcome(False, str(exc))
            if not (applied.notes or applied.anchors or applied.settings):
                return Outcome(True, seq=self.seq)
            self._session = applied.session
            self.seq += 1
            self._broadcast(patch_payload(applied, self.seq))
            self._dirty.set()
            return Outcome(True, seq=self.seq)

    def _undo_redo(self, client: str, which: str) -> Applied:
        source = self._undo if which == "undo" else self._redo
        target = self._redo if which == "undo" else self._undo
        stack = source.get(client)
        if not stack:
            raise OpError(f"nothing to {which}")
        done = revert(self._session, stack[-1])
        stack.pop()
        target.setdefault(client, []).append(done)
        return done

    # -- saving --------------------------------------------------------------------------------

    def _set_status(self, status: SaveStatus) -> None:
        with self._lock:
            self.status = status
            self._broadcast(status.payload())

    def _save_loop(self) -> None:
        while True:
            self._dirty.wait()
            if self._closed:
                return
            time.sleep(self._save_delay)
            with self._lock:
                self._dirty.clear()
                session, seq = self._session, self.seq
            self._set_status(SaveStatus("saving"))
            try:
                self._saver(session, self.path)
            except Exception as exc:
                reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                self._set_status(SaveStatus("error", reason=reason))
                self._dirty.set()
                time.sleep(self._retry_delay)
                continue
            with self._lock:
                self.saved_seq = max(self.saved_seq, seq)
                self._set_status(SaveStatus("saved", _clock()))
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


class Hub:
    """All rooms of this process, one per session file."""

    def __init__(self, **room_options: Any):
        self._rooms: dict[Path, Room] = {}
        self._lock = threading.Lock()
        self._options = room_options

    def room(self, path: str | Path) -> Room:
        """The room of a session file, opening it (and sweeping its folder) on first use."""
        path = Path(path).resolve()
        with self._lock:
            room = self._rooms.get(path)
            if room is None:
                store.sweep(path.parent)
                room = Room(path, store.load(path), **self._options)
                self._rooms[path] = room
            return room

    def close(self) -> None:
        with self._lock:
            rooms = list(self._rooms.values())
            self._rooms.clear()
        for room in rooms:
            room.close()


HUB = Hub()
