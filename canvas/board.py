"""The live board as a Panel component: an ES module (no build, no CDN) bound to a room.

The page gets a snapshot once, as a parameter; after that only small messages travel: the
browser sends operations, the room sends patches. No large watched parameter is re-assigned
per operation (param would deep-compare it every time).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import param
from panel.custom import JSComponent

from canvas.hub import Room, snapshot_payload
from canvas.i18n import catalogue
from canvas.model import clean_text
from canvas.ops import MAX_NAME, Actor

STATIC = Path(__file__).resolve().parent / "static"
MAX_MESSAGE = 64 * 1024


class Board(JSComponent):
    """The Three Horizons canvas of one session, live."""

    snapshot = param.Dict(default={}, doc="The board when the page was built.")
    strings = param.Dict(default={}, doc="The interface strings of the page's language.")
    facilitator = param.Boolean(default=True, doc="May this page shape the board itself?")

    _esm = STATIC / "board.js"
    _stylesheets: ClassVar[list[str]] = [(STATIC / "board.css").read_text(encoding="utf-8")]

    def __init__(self, room: Room, *, lang: str = "en", facilitator: bool = True, **params):
        self._room = room
        self._client = uuid.uuid4().hex
        self._actor = Actor(name="", facilitator=facilitator)
        snapshot = room.subscribe(self._client, self._deliver)
        self._snapshot_seq = snapshot["seq"]
        super().__init__(
            snapshot=snapshot,
            strings=catalogue(lang),
            facilitator=facilitator,
            sizing_mode="stretch_both",
            **params,
        )

    @property
    def client(self) -> str:
        return self._client

    def _deliver(self, message: dict) -> None:
        self._send_msg(message)

    def _refuse(self, message: str) -> None:
        self._send_msg({"type": "refused", "message": message})

    def _handle_msg(self, data) -> None:
        try:
            size = len(json.dumps(data))
        except (TypeError, ValueError):
            return self._refuse("not an operation")
        if size > MAX_MESSAGE:
            return self._refuse(f"the message is {size} bytes; the limit is {MAX_MESSAGE}")
        if isinstance(data, dict) and data.get("op") in ("hello", "name"):
            return self._hello(data)
        outcome = self._room.submit(self._client, data, self._actor)
        if not outcome.ok:
            self._refuse(outcome.message)

    def _hello(self, data: dict) -> None:
        """A page says who it is; when it starts, it catches up with what it may have missed.

        Patches sent between building the page and the browser rendering it are lost, so a
        starting page whose snapshot is behind the room gets a fresh one.
        """
        name = data.get("name")
        if isinstance(name, str):
            self._actor = replace(self._actor, name=clean_text(name).strip()[:MAX_NAME])
        if data["op"] == "hello" and self._room.seq != self._snapshot_seq:
            snapshot = snapshot_payload(self._room.session)
            snapshot.update(type="snapshot", seq=self._room.seq, status=self._room.status.payload())
            self._snapshot_seq = self._room.seq
            self._send_msg(snapshot)

    def close(self) -> None:
        """Leave the room (the page went away)."""
        self._room.unsubscribe(self._client)
