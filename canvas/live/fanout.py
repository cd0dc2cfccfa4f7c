"""A room's traffic to its pages: encoded once per audience, coalesced per tick, never
held up by a slow page.

The room records each accepted change by name (:mod:`canvas.live.changes`) and each piece of
live state (save status, timer, people, editing locks, present mode...) by kind, and asks for
a *pump*. A pump runs at most once per short tick (the server's event loop schedules it,
:mod:`canvas.view.channel`); it gives every page one message, a JSON list, with everything it
has not heard yet:

* the board: a patch from the revision the page has to the room's, built from the current
  board for the union of the changes since (the latest state of each item, not every step),
  encoded once per audience and revision (:mod:`canvas.live.audience`), plus a participant's
  personal part when the change touched their notes or ballot; or, for a page that is new or
  too far behind for the change log, a snapshot, kept encoded per audience and revision, so
  a wave of joins costs one encoding, not one per page;
* live state: the latest of each kind only, encoded once for everyone, after the board, so
  a burst of people joining never holds notes back (and people are sent at most every
  ``presence_every`` seconds);
* the page's own answers (acknowledgements, refusals), in order.

A page whose socket has more than :data:`HIGH_WATER` bytes still unsent is behind: it gets
nothing new until it has read them, then the latest state of what changed meanwhile in one
message. A page with more than :data:`DROP_LIMIT` unsent is dropped: it connects again and
starts from a snapshot.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from canvas.domain.model import Session
from canvas.live import audience, wire
from canvas.live.actor import Actor
from canvas.live.board_layout import Picture
from canvas.live.changes import Change, ChangeLog

HIGH_WATER = 256 * 1024  # unsent bytes past which a page gets nothing new until it reads
DROP_LIMIT = 4 * 1024 * 1024  # unsent bytes past which a page is dropped
PRESENCE_EVERY = 0.5  # seconds between two lists of people, on a served board


class Sink(Protocol):
    """Where one page's messages go (a WebSocket, or a test's list)."""

    def write(self, frame: bytes) -> None: ...

    def backlog(self) -> int:
        """Bytes written and not yet sent."""
        ...

    def drop(self) -> None:
        """Close: the page is too far behind and will connect again."""
        ...


def encode(message: Any) -> bytes:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode()


def with_layout(message: dict, layout: bytes) -> bytes:
    """``message`` with a ``layout`` encoded once for every audience, spliced in."""
    return b'{"layout":' + layout + b"," + encode(message)[1:]


@dataclass(eq=False, slots=True)
class Seat:
    """One page in a room: who is looking, where its messages go, and what it has heard."""

    client: str
    actor: Actor
    sink: Sink | None = None
    seq: int = 0  # the board's revision this page has
    fresh: bool = True  # it needs a snapshot
    seen: dict[str, int] = field(default_factory=dict)  # live kind -> version heard
    heard: int = 0  # the newest live version this page heard (all of them, when current)
    inbox: list[bytes] = field(default_factory=list)  # its own answers, in order


@dataclass(frozen=True, slots=True)
class Live:
    version: int
    data: bytes
    but: str | None = None  # the page that sent it already knows
    once: bool = False  # an event for the pages there now (bring to a view), not a state


class Pass:
    """What one pump shares between pages: changes, patches and personal parts by the
    revision a page has."""

    def __init__(self, fanout: Fanout, session: Session, seq: int, picture: Picture):
        self.fanout, self.session, self.seq, self.picture = fanout, session, seq, picture
        self._changes: dict[int, Change | None] = {}
        self._layouts: dict[int, bytes] = {}
        self._patches: dict[tuple[Any, int], tuple[bytes, dict | None]] = {}
        self._mine: dict[tuple[str, int], bytes | None] = {}
        self._concerned: dict[int, set[str]] = {}
        self.frames: dict[tuple[int, ...], bytes] = {}

    def change(self, since: int) -> Change | None:
        if since not in self._changes:
            self._changes[since] = self.fanout.log.since(since)
        return self._changes[since]

    def patch(self, actor: Actor, since: int) -> tuple[bytes, dict | None]:
        """The shared patch of an audience from ``since``, and the vote it shows."""
        key = (actor.role, since)
        if key not in self._patches:
            change = self.change(since)
            assert change is not None
            if since not in self._layouts:
                self._layouts[since] = encode(self.picture.placed(change.cards, change.relaid))
            message = wire.patch_from(self.session, change, since, self.seq, actor)
            self._patches[key] = (with_layout(message, self._layouts[since]), message.get("voting"))
        return self._patches[key]

    def mine(self, actor: Actor, since: int, shared_vote: dict | None) -> bytes | None:
        """A participant's personal part of the patch from ``since``, if any."""
        key = (actor.pid, since)
        if key not in self._mine:
            change = self.change(since)
            assert change is not None
            if actor.pid in self._people(since, change, shared_vote):
                part = audience.overlay(
                    self.session,
                    actor,
                    change.notes,
                    ballot_changed=actor.pid in change.voters,
                    shared_vote=shared_vote,
                )
                self._mine[key] = encode(part) if part is not None else None
            else:
                self._mine[key] = None
        return self._mine[key]

    def _people(self, since: int, change: Change, shared_vote: dict | None) -> set[str]:
        if since not in self._concerned:
            people = self.fanout.owners.owners(change.notes) | change.voters
            if shared_vote is not None:
                people |= audience.ranked_owners(self.session)
            self._concerned[since] = people
        return self._concerned[since]


class Fanout:
    """The pages of one room and everything on its way to them (see the module's doc)."""

    def __init__(self, session: Session, seq: int = 0):
        # The board as last recorded: a pump sends this, whatever the room is in the
        # middle of (an operation's live state may ask for a pump before it is recorded).
        self.session, self.seq = session, seq
        self.seats: dict[str, Seat] = {}
        self.log = ChangeLog(seq)
        self.owners = audience.Owners(session)
        self.presence_every = 0.0
        self._live: dict[str, Live] = {}
        self._version = 0
        self._snapshots: dict[tuple[Any, ...], bytes] = {}
        self._people_wanted = False
        self._people_at = float("-inf")
        self.due: float | None = None  # seconds until a pump has more to send, if any

    # -- what the room records ------------------------------------------------------------

    def record(self, session: Session, seq: int, change: Change) -> None:
        self.session, self.seq = session, seq
        self.log.record(seq, change)
        self.owners.update(session, change.notes)

    def announce(self, message: dict, but: str | None = None, *, once: bool = False) -> None:
        """Live state everyone hears (the latest of each kind): status, timer, people...;
        ``once``: an event that only the pages there now hear."""
        kind = str(message.get("type"))
        self._version += 1
        self._live.pop(kind, None)  # kept in the order of their versions
        self._live[kind] = Live(self._version, encode(message), but, once)
        seat = self.seats.get(but) if but is not None else None
        if seat is not None:
            seat.seen[kind] = self._version

    def want_people(self) -> None:
        """The room's people changed: a list goes out at the next pump that may send one."""
        self._people_wanted = True

    def tell(self, client: str, message: dict) -> None:
        """One page's own answer (an acknowledgement, a refusal, an identity)."""
        seat = self.seats.get(client)
        if seat is not None:
            seat.inbox.append(encode(message))

    # -- the pump -------------------------------------------------------------------------

    def frames(
        self, picture: Picture, people: Callable[[], list]
    ) -> tuple[list[tuple[Sink, bytes]], list[Sink]]:
        """Every page's next message, and the pages to drop; called under the room's lock."""
        self._people(people)
        shared = Pass(self, self.session, self.seq, picture)
        out: list[tuple[Sink, bytes]] = []
        dropped: list[Sink] = []
        for seat in self.seats.values():
            sink = seat.sink
            if sink is None:
                continue
            backlog = sink.backlog()
            if backlog > DROP_LIMIT:
                dropped.append(sink)
                self.detach(seat.client)
                continue
            if backlog > HIGH_WATER:
                continue  # behind: it hears the latest once it has read what it has
            parts = self._board(seat, shared) + self._live_parts(seat)
            if seat.inbox:
                parts += seat.inbox
                seat.inbox = []
            if parts:
                key = tuple(map(id, parts))
                if key not in shared.frames:
                    shared.frames[key] = b"[" + b",".join(parts) + b"]"
                out.append((sink, shared.frames[key]))
        for kind in [k for k, live in self._live.items() if live.once]:
            del self._live[kind]
        return out, dropped

    def _board(self, seat: Seat, shared: Pass) -> list[bytes]:
        if not seat.fresh and seat.seq >= shared.seq:
            return []
        if not seat.fresh and shared.change(seat.seq) is not None:
            data, vote = shared.patch(audience.audience(seat.actor), seat.seq)
            parts = [data]
            if audience.personal(seat.actor):
                mine = shared.mine(seat.actor, seat.seq, vote)
                if mine is not None:
                    parts.append(mine)
            seat.seq = shared.seq
            return parts
        parts = [self._snapshot(seat.actor, shared)]
        if audience.personal(seat.actor):
            vote = wire.voting_view(shared.session, audience.audience(seat.actor))
            own = audience.snapshot_overlay(shared.session, seat.actor, self.owners, vote)
            parts.append(encode(own))
        seat.fresh, seat.seq = False, shared.seq
        if "present" in self._live:  # the snapshot has it
            seat.seen["present"] = self._live["present"].version
        return parts

    def _snapshot(self, actor: Actor, shared: Pass) -> bytes:
        """The board as an audience sees it at this revision, encoded once."""
        present = self._live.get("present")
        key = (actor.role, shared.seq, present.version if present else 0)
        if key not in self._snapshots:
            if self._snapshots and next(iter(self._snapshots))[1:] != key[1:]:
                self._snapshots.clear()  # only the current revision's are kept
            view = audience.audience(actor)
            picture = shared.picture.snapshot()
            message = wire.snapshot(shared.session, view)
            message.update(seq=shared.seq, metrics=picture["metrics"], present=picture["present"])
            self._snapshots[key] = with_layout(message, encode(picture["layout"]))
        return self._snapshots[key]

    def _live_parts(self, seat: Seat) -> list[bytes]:
        if seat.heard >= self._version:
            return []
        parts = []
        for kind, live in self._live.items():
            if seat.seen.get(kind, 0) < live.version:
                seat.seen[kind] = live.version
                if live.but != seat.client:
                    parts.append(live.data)
        seat.heard = self._version
        return parts

    def _people(self, people: Callable[[], list]) -> None:
        self.due = None
        if not self._people_wanted:
            return
        now = time.monotonic()
        wait = self._people_at + self.presence_every - now
        if wait > 0:
            self.due = wait
            return
        self._people_wanted = False
        self._people_at = now
        self.announce({"type": "presence", "people": people()})

    # -- pages ----------------------------------------------------------------------------

    def attach(self, client: str, sink: Sink) -> None:
        """A page's connection: it starts from a snapshot, with every live state."""
        seat = self.seats[client]
        seat.sink, seat.fresh, seat.seen, seat.heard = sink, True, {}, 0

    def settle(self, client: str) -> None:
        """A page that has the board as recorded and every live state (a test's, which got
        its snapshot from :meth:`canvas.live.hub.Room.subscribe`)."""
        seat = self.seats[client]
        seat.fresh, seat.seq, seat.heard = False, self.seq, self._version
        seat.seen = {kind: live.version for kind, live in self._live.items()}

    def detach(self, client: str) -> None:
        seat = self.seats.get(client)
        if seat is not None:
            seat.sink = None
