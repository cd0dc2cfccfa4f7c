"""What a page makes of the room's messages, in Python: the twin of ``transport.js``.

The room sends each page a list of messages per tick. A participant's list may hold, right
after a snapshot or a patch, a personal part (``mine``, :mod:`canvas.live.audience`): their
own notes, and their dots when their ballot changed. The page lays it over the shared message
and keeps its dots, to lay them over every later shared note view that shows dots and every
shared vote. :class:`Reader` does exactly what the browser's transport does, so Python callers
(tests, tools) see each message as the board draws it: what :func:`canvas.live.wire.patch`
and :func:`canvas.live.wire.snapshot` make for that person.
"""

from __future__ import annotations

import json
from collections.abc import Callable

BOARD = ("snapshot", "patch")


class Reader:
    """One page's reading of its messages (its dots carry over from one to the next)."""

    def __init__(self) -> None:
        self.personal = False
        self.dots: dict[str, int] = {}
        self.used = 0

    def keep(self, dots: dict[str, int]) -> None:
        """Start from a snapshot made for this person (their dots already on it)."""
        self.personal, self.dots, self.used = True, dict(dots), sum(dots.values())

    def read(self, frame: bytes | str) -> list[dict]:
        """The messages of one frame, each personal part laid over its board message."""
        out: list[dict] = []
        for message in json.loads(frame):
            if message.get("type") == "mine":
                if out and out[-1].get("type") in BOARD:
                    self._lay(out[-1], message)
                continue
            if message.get("type") in BOARD:
                self._start(message)
            out.append(message)
        for message in out:
            if message.get("type") in BOARD and self.personal:
                self._dots(message)
        return out

    def _start(self, message: dict) -> None:
        if message["type"] == "snapshot":
            self.personal, self.dots, self.used = False, {}, 0

    def _lay(self, board: dict, mine: dict) -> None:
        self.personal = True
        vote = dict(mine.get("voting") or {})
        if "dots" in vote:
            self.dots, self.used = vote.pop("dots"), vote.get("used", 0)
        own = mine.get("notes") or {}
        if board["type"] == "snapshot":
            notes = {n["id"]: n for n in board["notes"]}
            notes.update(own)
            board["notes"] = [notes[k] for k in sorted(notes)]
        else:
            board["notes"].update(own)
        board["_own"] = set(own)
        if "voting" in board:
            board["voting"] = {**board["voting"], **vote}

    def _dots(self, board: dict) -> None:
        """Lay this person's dots over the shared views (their own notes have them)."""
        own = board.pop("_own", set())
        views = board["notes"] if board["type"] == "snapshot" else board["notes"].values()
        for view in views:
            if view is not None and "my_votes" in view and view["id"] not in own:
                view["my_votes"] = self.dots.get(view["id"], 0)
        if "voting" in board:
            board["voting"]["used"] = self.used


class Listener:
    """A sink that hands every message, as its page reads it, to a function (no socket:
    nothing is ever behind)."""

    def __init__(self, callback: Callable[[dict], None]):
        self.callback = callback
        self.reader = Reader()

    def write(self, frame: bytes) -> None:
        for message in self.reader.read(frame):
            self.callback(message)

    def backlog(self) -> int:
        return 0

    def drop(self) -> None:
        pass
