"""Who gets a place in a room: the facilitator always; the others share the room's places,
with observers and reviewers held to caps of their own (a crowd of view-only pages, which
any holder of the view link can open, cannot keep participants out), and one person to a
few pages (one code cannot fill the room).
"""

from __future__ import annotations

from collections.abc import Iterable

from canvas.domain.visibility import Role
from canvas.live.actor import Actor

MAX_PAGES = 150  # pages besides the facilitator's
ROLE_PLACES = {Role.OBSERVER: 30, Role.REVIEWER: 20}
PAGES_PER_PERSON = 5


class RoomFull(Exception):
    """A room that has no place for one more page of this visitor."""


def check_place(present: Iterable[Actor], actor: Actor, max_pages: int = MAX_PAGES) -> None:
    """Refuse ``actor`` a page when the room (holding ``present``) has no place for it."""
    if actor.facilitator:
        return
    others = [a for a in present if not a.facilitator]
    if len(others) >= max_pages:
        raise RoomFull(f"this board already has {max_pages} pages open")
    cap = ROLE_PLACES.get(actor.role)
    if cap is not None and sum(a.role is actor.role for a in others) >= cap:
        raise RoomFull(f"this board already has {cap} {actor.role} pages open")
    if actor.pid and sum(a.pid == actor.pid for a in others) >= PAGES_PER_PERSON:
        raise RoomFull(f"you already have {PAGES_PER_PERSON} pages of this board open")
