"""Who is in the room: one entry a person, however many pages they have open.

A room counts pages (its places, its messages), but people count people: a facilitator with
three tabs is one facilitator, a participant with a phone and a laptop is one participant.
Pages that carry no person (observers, reviewers) count one each. Someone who has not typed
a name is still in the room, as "Guest 1", "Guest 2"... (a facilitator without a name is
just "Facilitator"): the number is kept for as long as
they have a page open (it does not change under them as others come and go), and a new
guest takes the lowest number free.
"""

from __future__ import annotations

from collections.abc import Iterable

from canvas.live.actor import Actor

ORDER = {"facilitator": 0, "participant": 1, "observer": 2}


class Presence:
    """The people of one room, drawn from its pages; holds the guests' numbers."""

    def __init__(self) -> None:
        self._guests: dict[str, int] = {}

    def people(self, pages: Iterable[tuple[str, Actor]]) -> list[dict]:
        """``{name, role, guest, pages}`` a person (``guest`` is 0 for a named person): by
        role, facilitators first, the named by name before the guests by number. ``pages``
        are (client, actor), the page that joined or was renamed last coming last."""
        found: dict[str, dict] = {}
        for client, actor in pages:
            key = actor.pid or f"page:{client}"
            entry = found.setdefault(key, {"name": "", "role": str(actor.role), "pages": 0})
            entry["pages"] += 1
            if actor.name:
                entry["name"] = actor.name  # pages come oldest first: the newest name wins
        for key in [k for k in self._guests if k not in found or found[k]["name"]]:
            del self._guests[key]  # gone, or named now: the number is free again
        for key, entry in found.items():
            named = entry["name"] or entry["role"] == "facilitator"  # the room knows its lead
            entry["guest"] = 0 if named else self._number(key)
        return sorted(
            found.values(),
            key=lambda p: (
                ORDER.get(p["role"], 3),
                not p["name"],
                p["name"].casefold(),
                p["guest"],
            ),
        )

    def _number(self, key: str) -> int:
        """The guest's number: kept while they stay, else the lowest one free."""
        if key not in self._guests:
            taken = set(self._guests.values())
            self._guests[key] = next(n for n in range(1, len(taken) + 2) if n not in taken)
        return self._guests[key]
