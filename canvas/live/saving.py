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
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime

from canvas.format.problems import FormatError
from canvas.live.ops import OpError

log = logging.getLogger(__name__)
_MB = 1024 * 1024
# Saves are spaced to take at most this share of a core (a board of 1,500 notes takes about
# 80 ms to save), and at most MAX_SAVE_GAP seconds apart; flush and close do not wait.
SAVE_SHARE = 0.025
MAX_SAVE_GAP = 5.0


def clock() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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


class Saver:
    """A room's saver (mixed into :class:`canvas.live.hub.Room`, whose board, lock and pages
    it uses): a background thread that writes the latest board after a short debounce."""

    def _set_status(self, status: SaveStatus) -> None:
        with self._lock:
            self.status = status
            self.fanout.announce(status.payload())
        self._wake()

    def _save_loop(self) -> None:
        while True:
            self._dirty.wait()
            if self._closed:
                return
            time.sleep(self._save_delay)
            self._hurry.wait(self._next_save - time.monotonic())
            self._hurry.clear()
            with self._lock:
                self._dirty.clear()
                session, seq = self._session, self.seq
            # "Saving..." is shown by each page itself from the moment it sends a change;
            # broadcasting it too would double the messages of every save.
            self.status = SaveStatus("saving", seq=self.saved_seq)
            cost = time.thread_time()
            try:
                written = self._saver(session, self.path)
            except Exception as exc:
                self._set_status(SaveStatus("error", reason=reason(exc), seq=self.saved_seq))
                self._dirty.set()
                time.sleep(self._retry_delay)
                continue
            cost = time.thread_time() - cost
            self._next_save = time.monotonic() + min(MAX_SAVE_GAP, cost / SAVE_SHARE)
            with self._lock:
                self._book.saved(seq, written if isinstance(written, int) else None)
                self.saved_seq = max(self.saved_seq, seq)
                self._set_status(SaveStatus("saved", clock(), seq=self.saved_seq))
                self._idle.notify_all()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything accepted so far is on disk; False on timeout."""
        self._hurry.set()
        deadline = time.monotonic() + timeout
        with self._lock:
            while self.saved_seq < self.seq:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
            return True

    def close(self, timeout: float = 10.0) -> None:
        """Save what is pending and stop the saver."""
        self.flush(timeout)
        self._closed = True
        self._dirty.set()
        self._thread.join(timeout)
