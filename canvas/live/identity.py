"""Who a visitor is, as the server decides: the one place identities are issued and checked.

A participant's id (``pid``) ties their notes, dots and limits to them, so it is the
server's: issued when they join with the session's code, carried in a signed, HttpOnly,
SameSite=Strict cookie, and checked again on every message. An id a page sends is never
believed (a page that sent another's id became them); a fresh page of the same browser is
the same person with the same budget, and a new person takes a new join, which the server
limits per client. The facilitator's sign-in is a credential of the same kind.

Credentials are ``payload.signature``: the payload is the id and the time it was issued,
the signature an HMAC-SHA256 with the server's secret and the credential's purpose, so a
participant's credential is never a facilitator's. Both the Bokeh page path and a future
room channel call :meth:`Identities.person` and :meth:`Identities.facilitator`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from canvas.domain.visibility import Role
from canvas.live.access import Access
from canvas.live.actor import Actor

PERSON_COOKIE = "thc_person"
FACILITATOR_COOKIE = "thc_facilitator"
MAX_AGE = 24 * 3600.0  # seconds a credential holds: one workshop day
PID = re.compile(r"p-[0-9a-f]{16}")

# Display names that would pass for someone the room trusts, in English and Welsh.
RESERVED_NAMES = frozenset(
    {
        "facilitator",
        "facilitators",
        "hwylusydd",
        "hwyluswyr",
        "observer",
        "sylwedydd",
        "arsylwr",
        "reviewer",
        "adolygydd",
        "participant",
        "cyfranogwr",
        "admin",
        "administrator",
        "gweinyddwr",
        "host",
        "moderator",
        "server",
        "system",
        "staff",
    }
)


@dataclass(frozen=True, slots=True)
class Person:
    """A participant as the server issued them."""

    pid: str
    issued: float


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Identities:
    """Issues and checks the credentials of one server (one secret)."""

    def __init__(
        self,
        secret: bytes,
        *,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.time,
    ):
        self._secret = secret
        self.max_age = max_age
        self._clock = clock

    def _sign(self, purpose: str, payload: str) -> str:
        mac = hmac.new(self._secret, f"{purpose}|{payload}".encode(), hashlib.sha256)
        return _b64(mac.digest())

    def _make(self, purpose: str, subject: str) -> str:
        payload = _b64(json.dumps([subject, round(self._clock())]).encode())
        return f"{payload}.{self._sign(purpose, payload)}"

    def _open(self, purpose: str, value: object) -> tuple[str, float] | None:
        if isinstance(value, bytes):
            value = value.decode("ascii", "replace")
        if not isinstance(value, str) or value.count(".") != 1 or len(value) > 512:
            return None
        payload, signature = value.split(".")
        if not hmac.compare_digest(signature, self._sign(purpose, payload)):
            return None
        try:
            subject, issued = json.loads(_unb64(payload))
        except (ValueError, TypeError):
            return None
        if not isinstance(subject, str) or type(issued) is not int:
            return None
        age = self._clock() - issued
        if not -60 <= age <= self.max_age:
            return None
        return subject, float(issued)

    # -- participants ------------------------------------------------------------------------

    def issue(self) -> tuple[Person, str]:
        """A new person and the cookie value that proves it (at a join, never otherwise)."""
        pid = f"p-{secrets.token_hex(8)}"
        value = self._make("person", pid)
        return Person(pid, self._clock()), value

    def person(self, value: object) -> Person | None:
        """The person a cookie value proves, or None (forged, expired, or not one)."""
        opened = self._open("person", value)
        if opened is None or not PID.fullmatch(opened[0]):
            return None
        return Person(*opened)

    # -- the facilitator ---------------------------------------------------------------------

    def signed_in(self) -> str:
        """The cookie value of a facilitator who has just given the password."""
        return self._make("facilitator", "facilitator")

    def facilitator(self, value: object) -> bool:
        """Whether a cookie value proves a facilitator's sign-in (still valid)."""
        opened = self._open("facilitator", value)
        return opened is not None and opened[0] == "facilitator"


def impersonates(name: str) -> bool:
    """Whether a display name would pass for a role ("Facilitator", "the Hwylusydd", ...)."""
    folded = unicodedata.normalize("NFKD", name).casefold()
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = re.findall(r"[^\W\d_]+", plain)
    return any(word in RESERVED_NAMES for word in words) or "".join(words) in RESERVED_NAMES


@dataclass(frozen=True, slots=True)
class Visitor:
    """Who is looking at a board: the actor the room knows, and the credential that proves
    it ("" where there is nothing to prove: codes do not expire, an open server trusts all)."""

    actor: Actor
    credential: str = ""


class NeedsJoin(Exception):
    """A participant's code without a person: the browser kept no identity cookie."""


def visitor(
    access: Access,
    identities: Identities,
    session: str,
    *,
    cookies: Mapping[str, object],
    join: str = "",
    view: str = "",
    review: str = "",
    person: bool = True,
) -> Visitor | None:
    """Who a visitor of ``session`` is, from the codes they hold and the cookies the server
    gave them; None when they may not enter. The one place a role and an id are decided.

    ``person=False`` is for a look that needs no id (a download): a participant then has none.
    """
    signed = _text(cookies.get(FACILITATOR_COOKIE))
    is_facilitator = identities.facilitator(signed)
    role = access.role(session, join=join, view=view, review=review, signed_in=is_facilitator)
    if role is None:
        return None
    role = Role(role)
    if role is Role.FACILITATOR:
        return Visitor(Actor(role=role, pid="facilitator"), signed if is_facilitator else "")
    if role is Role.PARTICIPANT and person:
        value = _text(cookies.get(PERSON_COOKIE))
        person = identities.person(value)
        if person is None:
            raise NeedsJoin("this browser holds no place in the workshop yet")
        return Visitor(Actor(role=role, pid=person.pid), value)
    return Visitor(Actor(role=role, pid=""))


def still_valid(identities: Identities, who: Visitor) -> bool:
    """Whether the credential a page was admitted with still holds (checked per message)."""
    if not who.credential:
        return True
    if who.actor.role is Role.FACILITATOR:
        return identities.facilitator(who.credential)
    person = identities.person(who.credential)
    return person is not None and person.pid == who.actor.pid


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("ascii", "replace")
    return value if isinstance(value, str) else ""
