"""Whether a room's iteration is still the one the workshop writes on.

When the facilitator starts the next iteration, the room moves on with it: the old
iteration becomes read-only for participants (a late note is refused with the reason, and
their page keeps it as a draft), and every page on it hears where the workshop went. A
note written after the split can then never land, silently, on a board nobody looks at.

The next iteration may be started by this server (:meth:`canvas.live.hub.Hub.next_iteration`,
which holds the old rooms closed while it copies them) or by anyone else writing into the
workshop's folder (``horizons iterate``): a room looks at its folder again whenever the
folder changed, which costs one ``stat`` per participant's change.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from canvas.domain.visibility import Role
from canvas.format import workshops
from canvas.format.paths import iteration_number, iterations
from canvas.live.actor import Actor
from canvas.live.ops import OpError


class Succession:
    """The iteration after a room's own, if its folder holds one."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.number = iteration_number(self.path)
        self.closing = False  # the next iteration is being copied from this one
        self._stamp: int | None = None
        self._latest: Path | None = None

    def latest(self) -> Path | None:
        """The newest iteration numbered after this one (looked for again only when the
        folder has changed since the last look)."""
        if self.number is None:
            return None
        try:
            stamp = os.stat(self.path.parent).st_mtime_ns
        except OSError:
            return self._latest
        if stamp != self._stamp:
            self._stamp = stamp
            later = [p for p in iterations(self.path.parent) if iteration_number(p) > self.number]
            self._latest = later[-1] if later else None
        return self._latest

    @property
    def seen(self) -> Path | None:
        """The newest iteration as last looked for (no look now)."""
        return self._latest

    def refusal(self, actor: Actor) -> OpError | None:
        """Why a participant's change is refused once the workshop has moved on (or while
        it is moving), else None. Others may still change an old iteration: the facilitator
        tidies it, reviewers comment on it."""
        if actor.role is not Role.PARTICIPANT:
            return None
        if self.closing:
            return OpError("the facilitator is starting the next iteration", "moving")
        latest = self.latest()
        if latest is None:
            return None
        number = iteration_number(latest)
        return OpError(f"this iteration has ended: the workshop is on iteration {number}", "ended")

    def payload(self) -> dict | None:
        """What pages hear of the move (``moved``), or None while this is the latest."""
        latest = self.latest()
        if latest is None:
            return None
        return {
            "type": "moved",
            "session": workshops.session_name(latest),
            "iteration": iteration_number(latest),
        }


class MovingOn:
    """A room's side of the move (mixed into :class:`canvas.live.hub.Room`, whose pages,
    lock and pump it uses): pages hear where the workshop went, with their way in."""

    succession: Succession
    entry: Callable[[str, str], dict]

    def moved_for(self, actor: Actor) -> dict | None:
        """Where the workshop went (``moved``) with the way in for ``actor``'s role, or None
        while this is its latest iteration."""
        moved = self.succession.payload()
        return None if moved is None else self._with_way_in(moved, str(actor.role))

    def _with_way_in(self, moved: dict, role: str) -> dict:
        query = self.entry(role, moved["session"])
        return {**moved, "query": query} if query else moved

    def _tell_moved(self) -> None:
        """Every page hears where the workshop went: the folder looked at once, the way in
        made once a role."""
        moved = self.succession.payload()
        if moved is not None:
            by_role: dict[str, dict] = {}
            for client, seat in self.fanout.seats.items():
                role = str(seat.actor.role)
                if role not in by_role:
                    by_role[role] = self._with_way_in(moved, role)
                self.fanout.tell(client, by_role[role])
        self._wake()

    def _check_current(self, actor: Actor) -> None:
        """Refuse a participant's change on an iteration the workshop has left; the pages
        hear of the move the moment the room notices it."""
        seen = self.succession.seen
        refusal = self.succession.refusal(actor)
        if refusal is None:
            return
        if self.succession.seen != seen:
            self._tell_moved()
        raise refusal

    def move_on(self) -> None:
        """The next iteration exists now: every page hears where the workshop went."""
        with self._lock:
            self.succession.closing = False
            self._tell_moved()


def next_iteration(rooms: list, source: Path, **options: Any) -> Path:
    """The next iteration of ``source``'s workshop, copied from what its open ``rooms`` hold;
    their pages move to it. The rooms stop taking participants' changes and save first: the
    copy holds every note written before the split, and none lands on the old board after
    it (a late one is refused, and its page keeps it)."""
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
