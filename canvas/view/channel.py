"""The room channel: one WebSocket per page, beside Panel's routes, carrying all room traffic.

Bokeh's own comm would serialise every message once per page through the document's patch
machinery (the cost that collapsed a room of 70); here a room encodes each change once per
audience and writes the same bytes to every page (:mod:`canvas.live.fanout`). The page's
Panel document is only a shell: the board's snapshot comes over this channel, kept encoded
per audience and revision, so a wave of joins costs one encoding.

Behind the same door as everything else (:class:`~canvas.view.gate.Gate` checks the host
name and the ``Origin`` of every WebSocket before any handler runs, and ``check_origin``
asks it again), a page is admitted by the same identity check as the page itself
(:func:`canvas.live.identity.visitor`, from the page's own query and cookies) and every
message is checked again (:func:`canvas.live.identity.still_valid`).

Messages are JSON: a page sends one operation per text message, and receives one JSON list
per tick (:data:`TICK`, 50 ms; longer under load, up to :data:`MAX_TICK`). A page whose
socket has more than :data:`canvas.live.fanout.DROP_LIMIT` bytes unsent is closed (code
4000): it connects again and starts from a snapshot.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from typing import Any

import tornado.websocket
from tornado.ioloop import IOLoop
from tornado.iostream import StreamClosedError

from canvas.format import workshops
from canvas.format.i18n import t as translate
from canvas.live import fanout
from canvas.live.hub import HUB, Room
from canvas.live.identity import NeedsJoin, Visitor
from canvas.live.places import RoomFull
from canvas.view.pages.board_page import reads_only
from canvas.view.talk import Talk

log = logging.getLogger(__name__)
ROUTE = "room"
TICK = 0.05  # seconds between two pumps of a room, at least
SLACK = 3.0  # ... and at least this many times as long as the last pump took (under load)
MAX_TICK = 0.25
MAX_FRAME = 1024 * 1024  # a bigger message from a page closes its socket (1009)
BEHIND = 4000  # close code: too far behind, connect again


class Ticker:
    """Pumps one room on the server's event loop: soon after a change, at most once per
    tick (changes meanwhile go out together, each item's latest state). The tick is
    :data:`TICK`, longer when pumps take long (a busy machine, a big room): then more changes
    go out together, and the room spends less of its core on sending."""

    def __init__(self, room: Room, loop: IOLoop):
        self.room, self.loop = room, loop
        self.last = float("-inf")
        self.tick = TICK
        self.when: float | None = None  # when the next pump runs, if one is due
        self._timer: object | None = None

    def wake(self, delay: float = 0.0) -> None:
        """Any thread (the saver's too) may ask."""
        self.loop.add_callback(self._arm, delay)

    def _arm(self, delay: float) -> None:
        now = time.monotonic()
        when = max(now + delay, self.last + self.tick)
        if self.when is not None and self.when <= when:
            return  # a pump as soon or sooner is due already
        if self._timer is not None:  # a later one (the list of people can wait): sooner
            self.loop.remove_timeout(self._timer)
        self.when = when
        self._timer = self.loop.call_later(max(0.0, when - now), self._run)

    def _run(self) -> None:
        self.when, self._timer = None, None
        self.last = time.monotonic()
        try:
            self.room.pump()
        except Exception:
            log.exception("a room's pump failed")
        took = time.monotonic() - self.last
        self.tick = min(MAX_TICK, max(TICK, SLACK * took))


def served(room: Room) -> Room:
    """The room, pumped by this event loop (the first page to connect sets it up)."""
    if room.wake is None:
        room.fanout.presence_every = fanout.PRESENCE_EVERY
        room.wake = Ticker(room, IOLoop.current()).wake
    return room


class RoomSocket(tornado.websocket.WebSocketHandler):
    """One page's room channel (see the module's doc)."""

    def initialize(self, site: Any, gate: Any) -> None:
        self.site, self.gate = site, gate
        self.client = secrets.token_hex(16)
        self.room: Room | None = None
        self.talk: Talk | None = None

    def check_origin(self, origin: str) -> bool:
        return self.gate.origin_allowed(origin)

    def get_compression_options(self) -> None:
        return None  # the same bytes to every page: compressing would be per page

    @property
    def max_message_size(self) -> int:  # type: ignore[override]
        return MAX_FRAME

    def open(self, workshop: str | None = None) -> None:
        self.set_nodelay(True)
        lang = self.get_argument("lang", "en")
        try:
            path = workshops.resolve(self.get_argument("session", "") or self.site.default)
            if workshop is not None and workshop != path.parent.name:
                raise ValueError("the channel's path names another workshop than its session")
            if not self.site.owns(path.parent.name):
                raise ValueError(f"{path.parent.name}: this workshop is served by another process")
            who = self._visitor(workshops.session_name(path))
        except NeedsJoin:
            return self._turn_away(translate("need_cookies", lang))
        except ValueError as exc:
            return self._turn_away(str(exc))
        if who is None:
            return self._turn_away(translate("need_access", lang))
        room = served(HUB.room(path))
        args = (self.get_argument("compare", ""), self.get_argument("edit", ""))
        read_only = reads_only(path, *args, who.actor)
        self.talk = Talk(room, self.client, who, self.site.identities, read_only=read_only)
        try:
            room.connect(self.client, Pipe(self), who.actor)
        except RoomFull as exc:
            self.talk = None
            return self._turn_away(str(exc))
        self.room = room

    def _visitor(self, name: str) -> Visitor | None:
        codes = {k: self.get_argument(k, "")[:64] for k in ("join", "view", "review")}
        cookies = {k: m.value for k, m in self.request.cookies.items()}
        return self.site.visitor(name, cookies, **codes)

    def _turn_away(self, reason: str) -> None:
        self.write_message(json.dumps([{"type": "refused", "message": reason, "final": True}]))
        self.close(4003, "not admitted")

    def on_message(self, message: str | bytes) -> None:
        if self.talk is not None:
            self.talk.hear(message)

    def on_close(self) -> None:
        if self.room is not None:
            self.room.unsubscribe(self.client)
            self.room = None


def text_frame(payload: bytes) -> bytes:
    """``payload`` as one WebSocket text frame from a server (final, unmasked, uncompressed):
    the same bytes for every page that gets the same message."""
    size = len(payload)
    if size < 126:
        head = bytes((0x81, size))
    elif size < 1 << 16:
        head = bytes((0x81, 126)) + size.to_bytes(2, "big")
    else:
        head = bytes((0x81, 127)) + size.to_bytes(8, "big")
    return head + payload


class Frames:
    """Each message framed once however many pages get it (a pump hands the very same bytes
    object to every page of an audience; bytes keep their hash, so a lookup is cheap)."""

    def __init__(self, keep: int = 64):
        self.keep = keep
        self._framed: dict[bytes, bytes] = {}

    def __call__(self, payload: bytes) -> bytes:
        framed = self._framed.get(payload)
        if framed is None:
            if len(self._framed) >= self.keep:
                self._framed.clear()
            framed = self._framed[payload] = text_frame(payload)
        return framed


FRAMES = Frames()


class Pipe:
    """A page's socket as its room writes to it (a :class:`~canvas.live.fanout.Sink`).

    A frame goes straight to the socket's stream: Tornado's ``write_message`` would frame
    the same message again for every page and start a task per write, which cost more than
    the send itself in a room of 150.
    """

    def __init__(self, socket: RoomSocket):
        self.socket = socket

    def write(self, frame: bytes) -> None:
        connection = self.socket.ws_connection
        stream = getattr(connection, "stream", None)
        if connection is None or connection.is_closing() or stream is None:
            raise tornado.websocket.WebSocketClosedError()
        try:
            stream.write(FRAMES(frame))
        except StreamClosedError:
            raise tornado.websocket.WebSocketClosedError() from None

    def backlog(self) -> int:
        connection = self.socket.ws_connection
        stream = getattr(connection, "stream", None)
        return int(getattr(stream, "_write_buffer_size", 0)) if stream is not None else 0

    def drop(self) -> None:
        if self.socket.ws_connection is not None:
            self.socket.close(BEHIND, "too far behind")


def channel_route(site: Any, gate: Any) -> tuple[str, type, dict]:
    """``/room/WORKSHOP`` (the workshop in the path, for a proxy to route by; ``/room``
    alone serves a page of the server's own default session)."""
    return (rf"/{ROUTE}(?:/([^/]+))?", RoomSocket, {"site": site, "gate": gate})
