"""The live board as a Panel component: an ES module (no build, no CDN) bound to a room.

The page gets a snapshot once, as a parameter; after that only small messages travel: the
browser sends operations, the room sends patches filtered for this page's person. No large
watched parameter is re-assigned per operation (param would deep-compare it every time).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import param
import tornado.web
from panel.custom import JSComponent

from canvas.domain.diff import diff, for_people
from canvas.domain.model import clean_text
from canvas.format import store, workshops
from canvas.format.i18n import catalogue, languages
from canvas.format.problems import FormatError
from canvas.live.hub import Room
from canvas.live.identity import Identities, Visitor, impersonates, still_valid
from canvas.live.ops import MAX_NAME

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
MODULES = STATIC / "board"
# The board's ES modules are served as files (see ``module_route``) under a path holding a hash
# of their contents: browsers keep them for good, and a new version is a new path.
VERSION = hashlib.sha256(
    b"".join(
        p.relative_to(MODULES).as_posix().encode() + p.read_bytes()
        for p in sorted(MODULES.rglob("*.js"))
    )
).hexdigest()[:12]
MODULE_ROUTE = "board-modules"
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


class Board(JSComponent):
    """The Three Horizons canvas of one session, live, as one person sees it."""

    snapshot = param.Dict(default={}, doc="The board when the page was built.")
    strings = param.Dict(default={}, doc="The interface strings of the page's language.")
    role = param.Selector(
        default="facilitator", objects=["facilitator", "participant", "reviewer", "observer"]
    )
    iterations = param.List(default=[], doc="Earlier iterations of this workshop.")
    compare = param.Dict(default={}, doc="Changes from an earlier iteration (compare mode).")
    session_name = param.String(default="", doc="The session's name in URLs (workshop/NN-slug).")
    join = param.Dict(default={}, doc="Links and code to show the room (facilitator only).")
    lang = param.String(default="en", doc="The page's language (en or cy).")
    present = param.Boolean(default=False, doc="Start in present mode (a projector's page).")
    read_only = param.Boolean(default=False, doc="Compare mode for reading: no changes sent.")
    person = param.String(default="", doc="A key for this person's drafts (not their id).")

    # Panel imports this entry from a blob; it loads the board's modules through the import
    # map, whose relative address resolves against the page's own URL (so it holds behind a
    # path prefix too).
    _esm = (
        'import {mount} from "thc-board/main.js"\nexport function render(props) { mount(props) }\n'
    )
    _importmap: ClassVar[dict] = {"imports": {"thc-board/": f"./{MODULE_ROUTE}/{VERSION}/"}}
    _stylesheets: ClassVar[list[str]] = [
        (STATIC / name).read_text(encoding="utf-8") for name in ("board.css", "phone.css")
    ]

    def __init__(
        self,
        room: Room,
        visitor: Visitor,
        identities: Identities,
        *,
        lang: str = "en",
        join: dict | None = None,
        entry: Callable[[str], dict] | None = None,
        **params,
    ):
        self._room = room
        self._entry = entry or (lambda _name: {})
        self._client = secrets.token_hex(16)
        self._visitor = visitor
        self._identities = identities
        self._actor = visitor.actor
        self._limit = RateLimit()
        # The server's own copy: a page may rewrite its parameters, never this.
        self._read_only = bool(params.get("read_only"))
        self._earlier = dict(workshops.earlier(room.path))
        snapshot = self._moving(room.subscribe(self._client, self._deliver, self._actor))
        self._snapshot_seq = snapshot["seq"]
        super().__init__(
            snapshot=snapshot,
            person=_person_key(self._actor.pid),
            strings=catalogue(lang),
            lang=lang if lang in languages() else "en",
            role=str(self._actor.role),
            join=join or {},
            sizing_mode="stretch_both",
            **params,
        )

    @property
    def client(self) -> str:
        return self._client

    def _deliver(self, message: dict) -> None:
        self._send_msg(self._moving(message))

    def _moving(self, message: dict) -> dict:
        """A move to the next iteration (``moved``, or a snapshot that carries one) with the
        way in for this page's person: their codes for the iteration it names."""
        if message.get("type") == "moved":
            return {**message, "query": self._entry(message["session"])}
        if message.get("type") == "snapshot" and message.get("moved"):
            return {**message, "moved": self._moving(message["moved"])}
        return message

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
        self._send_msg(reply)

    def _handle_msg(self, data) -> None:
        """One message from the page. A change carrying a ``ref`` is always answered: an
        ``ack`` with the sequence number it got (the page shows "Saved" once a save status
        covers it), or a refusal. Nothing a page sends may raise into Bokeh's machinery."""
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
        try:
            size = len(json.dumps(data))
        except (TypeError, ValueError):
            return self._refuse("not an operation", ref)
        if size > MAX_MESSAGE:
            return self._refuse(f"the message is {size} bytes; the limit is {MAX_MESSAGE}", ref)
        if isinstance(data, dict) and data.get("op") in ("hello", "name"):
            return self._hello(data)
        if isinstance(data, dict) and data.get("op") == "changed_since":
            return self._changed_since(data)
        if self._read_only and not (isinstance(data, dict) and data.get("op") in REVIEWING):
            return self._refuse("this page compares iterations and cannot change the board", ref)
        outcome = self._room.submit(self._client, data, self._actor)
        if not outcome.ok:
            self._refuse(outcome.message, ref, outcome.code)
        elif ref is not None:
            self._send_msg({"type": "ack", "ref": ref, "seq": outcome.seq})

    def _hello(self, data: dict) -> None:
        """A page says what its person is called; when it starts, it catches up.

        Who the person is (their id, their role) is the server's, fixed when the page was
        built: an id the page sends is ignored. A name that would pass for a role is refused.
        Patches sent between building the page and the browser rendering it are lost, so a
        starting page whose snapshot is behind gets a fresh one.
        """
        name = data.get("name")
        if isinstance(name, str):
            name = clean_text(name).strip()[:MAX_NAME]
            if not self._actor.facilitator and impersonates(name):
                self._refuse(f"the name {name!r} is kept for the workshop's roles; choose another")
            else:
                self._actor = replace(self._actor, name=name)
        resync = data["op"] == "hello" and self._room.seq != self._snapshot_seq
        self._room.set_actor(self._client, self._actor, hello=data["op"] == "hello")
        if resync:
            self._snapshot_seq = self._room.seq
            self._send_msg(self._moving(self._room.snapshot(self._client)))
        if data["op"] == "hello":
            identity = {"type": "identity", "name": self._actor.name}
            self._send_msg({**identity, "role": str(self._actor.role)})
            if not resync:  # the room's live state may have moved on since the snapshot
                for message in self._room.live_state():
                    self._send_msg(message)

    def _changed_since(self, data: dict) -> None:
        """The notes that changed since an earlier iteration, for the review filter.

        Which iterations exist is the server's list, made when the page was built: the
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
        self._send_msg({"type": "changed", "iteration": wanted, "ids": ids})

    def close(self) -> None:
        """Leave the room (the page went away)."""
        self._room.unsubscribe(self._client)


def _person_key(pid: str) -> str:
    """What a page keys its person's drafts by (in the browser's storage): a digest of their
    id, so that drafts stay one person's on a shared machine, and the id stays the server's."""
    return hashlib.sha256(pid.encode()).hexdigest()[:16] if pid else ""


class ModuleFiles(tornado.web.StaticFileHandler):
    """The board's modules; their path names their version, so they never go stale."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "public, max-age=31536000, immutable")


def module_route() -> tuple[str, type, dict]:
    """The Tornado route that serves the board's modules (any version path: an old page
    that asks after an upgrade gets the files there are)."""
    return (rf"/{MODULE_ROUTE}/[0-9a-f]{{12}}/(.*)", ModuleFiles, {"path": str(MODULES)})
