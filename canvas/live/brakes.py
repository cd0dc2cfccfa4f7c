"""Brakes on what one client may try: guessing passwords and codes, and minting identities.

A join code of 8 characters or a facilitator's password falls to a fast enough guesser, so
failures are counted per client: a few a minute are free (people mistype), after that each
further failure makes the client wait twice as long as the last time, up to a quarter of an
hour. New identities are the other thing worth limiting (each one is a fresh budget of notes
and dots): a client may make a burst of them (a room behind one NAT joins at once), then one
every few seconds. Both forget a client that has been quiet, so memory stays bounded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

FREE_FAILURES = 5
WINDOW = 60.0
FIRST_DELAY = 2.0
LONGEST_DELAY = 15 * 60.0
JOIN_BURST = 30
JOIN_EVERY = 2.0  # seconds per new identity after the burst
MAX_CLIENTS = 10_000  # clients remembered before the quiet ones are forgotten


@dataclass(slots=True)
class _Record:
    failures: list[float] = field(default_factory=list)
    excess: int = 0
    until: float = 0.0


class Attempts:
    """Failed sign-ins and codes per client, and how long each must wait before trying again:
    ``free`` failures within ``window`` seconds, and the attempt after them waits."""

    def __init__(
        self,
        free: int = FREE_FAILURES,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.free = free
        self.window = window
        self._clock = clock
        self._clients: dict[str, _Record] = {}

    def wait(self, client: str) -> float:
        """Seconds ``client`` must wait before its next attempt is even looked at (0: none)."""
        record = self._clients.get(client)
        return max(0.0, record.until - self._clock()) if record else 0.0

    def failed(self, client: str) -> float:
        """Count a failure; returns the wait it earns (0 while failures are still free)."""
        now = self._clock()
        if len(self._clients) >= MAX_CLIENTS:
            self._forget(now)
        record = self._clients.setdefault(client, _Record())
        record.failures = [t for t in record.failures if now - t < self.window] + [now]
        if now >= record.until + self.window:
            record.excess = 0  # a quiet minute after the last delay starts over
        if len(record.failures) < self.free:
            return 0.0
        record.excess += 1
        delay = min(LONGEST_DELAY, FIRST_DELAY * 2 ** (record.excess - 1))
        record.until = now + delay
        return delay

    def _forget(self, now: float) -> None:
        quiet = [
            c
            for c, r in self._clients.items()
            if now >= r.until and all(now - t >= self.window for t in r.failures)
        ]
        for client in quiet:
            del self._clients[client]


class Joins:
    """New identities per client: a burst, then one every ``every`` seconds."""

    def __init__(
        self,
        burst: int = JOIN_BURST,
        every: float = JOIN_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.burst = burst
        self.every = every
        self._clock = clock
        self._clients: dict[str, tuple[float, float]] = {}  # client -> (tokens, stamp)

    def take(self, client: str) -> float:
        """0 when ``client`` may have a new identity now (and counts it), else the seconds
        until it may."""
        now = self._clock()
        if len(self._clients) >= MAX_CLIENTS:
            full = self.burst * self.every
            self._clients = {c: v for c, v in self._clients.items() if now - v[1] < full}
        tokens, stamp = self._clients.get(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - stamp) / self.every)
        if tokens < 1:
            self._clients[client] = (tokens, now)
            return (1 - tokens) * self.every
        self._clients[client] = (tokens - 1, now)
        return 0.0
