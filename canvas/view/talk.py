"""What a page says to its room, checked: the server's side of ``transport.js``.

Every message is checked before the room sees it: the credential the page was admitted with
still holds, a rate limit, a size limit, a well-formed reference. A change carrying a ``ref``
is always answered: an ``ack`` with the sequence number it got (the page shows "Saved" once
a save status covers it), or a refusal. Answers go out with the room's next pump, after
everything the room sent the page before, so an ``ack`` never overtakes its own patch.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import replace

from canvas.domain.diff import diff, for_people
from canvas.domain.model import clean_text
from canvas.format import store, workshops
from canvas.format.problems import FormatError
from canvas.live.hub import Room
from canvas.live.identity import Identities, Visitor, impersonates, still_valid
from canvas.live.ops import MAX_NAME

log = logging.getLogger(__name__)
MAX_MESSAGE = 64 * 1024
# What a page in read-only compare mode may still send: a steering group reviews with comments.
REVIEWING = frozenset({"comment", "resolve"})
BURST = 20
RATE = 5.0  # operations per second, after the burst


class RateLimit:
    """A token bucket: ``burst`` operations at once, then ``rate`` per second."""

    def __init__(self, burst: int = BURST, rate: float = RATE):
        self.burst = burst
        self.rate = rate
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Talk:
    """One page's messages to its room, as the server hears them."""

    def __init__(
        self,
        room: Room,
        client: str,
        visitor: Visitor,
        identities: Identities,
        *,
        read_only: bool = False,
    ):
        self._room = room
        self._read_only = read_only
        self._client = client
        self._visitor = visitor
        self._identities = identities
        self._actor = visitor.actor
        self._limit = RateLimit()
        self._earlier = dict(workshops.earlier(room.path))

    def _say(self, message: dict) -> None:
        self._room.tell(self._client, message)

    def _refuse(
        self, message: str, ref: int | None = None, code: str = "", retry: bool = False
    ) -> None:
        """Say no to a message. ``code`` names a reason the page explains in its language
        (see OpError); ``retry`` says the same message may succeed a moment later."""
        reply: dict = {"type": "refused", "message": message}
        if ref is not None:
            reply["ref"] = ref
        if code:
            reply["code"] = code
        if retry:
            reply["retry"] = True
        self._say(reply)

    def hear(self, raw: str | bytes) -> None:
        """One message from the page; nothing a page sends may raise into the server."""
        if len(raw) > MAX_MESSAGE:
            return self._refuse(f"the message is {len(raw)} bytes; the limit is {MAX_MESSAGE}")
        try:
            data = json.loads(raw)
        except (TypeError, ValueError):
            return self._refuse("not an operation")
        ref = data.pop("ref", None) if isinstance(data, dict) else None
        if ref is not None and (type(ref) is not int or not 0 < ref < 2**53):
            return self._refuse("ref must be a positive whole number")
        try:
            self._handle(data, ref)
        except Exception:
            log.exception("a message from a page failed")
            self._refuse("the server could not handle this message", ref)

    def _handle(self, data, ref: int | None) -> None:
        if not still_valid(self._identities, self._visitor):
            return self._refuse("your place on this board has expired; reload the page", ref)
        if not self._limit.take():
            return self._refuse("too many changes at once; wait a moment", ref, retry=True)
        if isinstance(data, dict) and data.get("op") in ("hello", "name"):
            return self._hello(data)
        if isinstance(data, dict) and data.get("op") == "changed_since":
            return self._changed_since(data)
        if data == {"op": "snapshot"}:  # a second view of the board on this page starts
            return self._room.refresh(self._client)
        if self._read_only and not (isinstance(data, dict) and data.get("op") in REVIEWING):
            return self._refuse("this page compares iterations and cannot change the board", ref)
        outcome = self._room.submit(self._client, data, self._actor)
        if not outcome.ok:
            self._refuse(outcome.message, ref, outcome.code)
        elif ref is not None:
            self._say({"type": "ack", "ref": ref, "seq": outcome.seq})

    def _hello(self, data: dict) -> None:
        """A page says what its person is called (and, on ``hello``, hears who it is).

        Who the person is (their id, their role) is the server's, fixed when the page was
        admitted: an id the page sends is ignored. A name that would pass for a role is
        refused.
        """
        name = data.get("name")
        if isinstance(name, str):
            name = clean_text(name).strip()[:MAX_NAME]
            if not self._actor.facilitator and impersonates(name):
                self._refuse(f"the name {name!r} is kept for the workshop's roles; choose another")
            else:
                self._actor = replace(self._actor, name=name)
        self._room.set_actor(self._client, self._actor)
        if data["op"] == "hello":
            self._say({"type": "identity", "name": self._actor.name, "role": str(self._actor.role)})

    def _changed_since(self, data: dict) -> None:
        """The notes that changed since an earlier iteration, for the review filter.

        Which iterations exist is the server's list, made when the page was admitted: the
        page's own ``iterations`` property is for drawing only (a page may rewrite it).
        """
        wanted = data.get("iteration")
        path = self._earlier.get(wanted) if type(wanted) is int else None
        if path is None:
            return self._refuse("no such earlier iteration")
        try:
            earlier = store.load(path)
        except FormatError:
            return self._refuse(f"iteration {wanted} cannot be read ({path.name})")
        d = for_people(diff(earlier, self._room.session))
        ids = sorted({*d.notes.added, *d.notes.updated})
        self._say({"type": "changed", "iteration": wanted, "ids": ids})
