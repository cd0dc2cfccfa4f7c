"""What a room tells its pages about saving, and how it keeps its file within the size limit.

"Saved" is a promise: a status names the sequence number of the last change that is on disk,
so a page shows "Saved" only once every change it sent (each acknowledged with its sequence
number) is covered. The reason of a failed save goes to every page, so it never holds a
server path, only what went wrong.

A change that would push the file past its size limit is refused when it is made, with a
reason: accepted, it could never be saved and would be lost at the next restart. The room
knows the file's size without writing it: the exact size at the last save, plus the growth
of each change since (:func:`canvas.format.sizes.growth`, an over-estimate by a few bytes).
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass

from canvas.format.problems import FormatError
from canvas.live.ops import OpError

log = logging.getLogger(__name__)
_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class SaveStatus:
    """Saved (when, and up to which change), saving, or failed (why)."""

    state: str
    at: str = ""
    reason: str = ""
    seq: int = 0  # every change up to this sequence number is on disk

    def payload(self) -> dict:
        return {
            "type": "status",
            "state": self.state,
            "at": self.at,
            "reason": self.reason,
            "seq": self.seq,
        }


def reason(exc: BaseException) -> str:
    """Why a save failed, in words fit for every page: never a path on the server."""
    if isinstance(exc, FormatError):
        return "; ".join(
            f"{p.field}: {p.message}" if p.field else p.message for p in exc.problems[:3]
        )
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    log.warning("save failed: %r", exc)
    return "the board could not be written (the server's log says why)"


class SizeBook:
    """The size of a room's file: exact at each save, estimated for the changes since."""

    def __init__(self, size: int, limit: int):
        self.limit = limit
        self._saved = size
        self._since: deque[tuple[int, int]] = deque()  # (seq, growth) not yet on disk
        self._pending = 0

    @property
    def estimate(self) -> int:
        return self._saved + self._pending

    def check(self, growth: int) -> None:
        """Refuse a change that would take the file past the limit (shrinking is allowed)."""
        after = self.estimate + growth
        if growth > 0 and after > self.limit:
            raise OpError(
                f"the board is full: this change would make its file {after / _MB:.2f} MB,"
                f" over the {self.limit / _MB:g} MB limit. Delete notes, or start the next"
                " iteration"
            )

    def record(self, seq: int, growth: int) -> None:
        self._since.append((seq, growth))
        self._pending += growth

    def saved(self, seq: int, size: int | None) -> None:
        """The file now holds every change up to ``seq`` and is ``size`` bytes (None: a
        saver that does not say; the estimate stands)."""
        done = 0
        while self._since and self._since[0][0] <= seq:
            done += self._since.popleft()[1]
        self._pending -= done
        self._saved = size if size is not None else self._saved + done
