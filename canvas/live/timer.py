"""The workshop's countdown and the facilitator's "bring everyone to my view": room state that
is not part of the board, so it is neither saved nor undone. Pure functions of a message and
who sent it; the room broadcasts what they return.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from canvas.live.actor import Actor
from canvas.live.ops import OpError

MAX_TIMER = 4 * 3600


@dataclass(slots=True)
class Timer:
    """The workshop's countdown; ``remaining`` counts from ``since`` while it runs."""

    duration: float = 0.0
    remaining: float = 0.0
    running: bool = False
    since: float = 0.0

    def left(self) -> float:
        if not self.running:
            return self.remaining
        return max(0.0, self.remaining - (time.monotonic() - self.since))

    def payload(self) -> dict:
        return {
            "type": "timer",
            "duration": self.duration,
            "remaining": round(self.left(), 2),
            "running": self.running and self.left() > 0,
        }


def run_timer(t: Timer, op: dict, actor: Actor) -> Timer:
    """The timer after a ``timer`` message (start, pause, resume, add, reset)."""
    if not actor.facilitator:
        raise OpError("only the facilitator can run the timer")
    action = op.get("action")
    seconds = op.get("seconds", 60)
    if op.keys() - {"op", "action", "seconds"}:
        raise OpError("timer: unknown field")
    if type(seconds) not in (int, float) or not 0 < seconds <= MAX_TIMER:
        raise OpError(f"timer: seconds must be from 1 to {MAX_TIMER}")
    left = t.left()
    if action == "start":
        return Timer(float(seconds), float(seconds), True, time.monotonic())
    if action == "pause" and t.running:
        return Timer(t.duration, left, False, 0.0)
    if action == "resume" and not t.running and left > 0:
        return Timer(t.duration, left, True, time.monotonic())
    if action == "add":
        return Timer(t.duration + seconds, left + seconds, t.running, time.monotonic())
    if action == "reset":
        return Timer()
    if action not in ("pause", "resume"):
        raise OpError("timer: action must be start, pause, resume, add or reset")
    return t


def bring(op: dict, actor: Actor) -> dict:
    """The ``view`` message that brings every other page to the facilitator's view."""
    if not actor.facilitator:
        raise OpError("only the facilitator can bring everyone to their view")
    if op.keys() != {"op", "cx", "cy", "zoom"}:
        raise OpError("bring: needs cx, cy and zoom")
    values = [op["cx"], op["cy"], op["zoom"]]
    if any(type(v) not in (int, float) for v in values):
        raise OpError("bring: cx, cy and zoom must be numbers")
    cx, cy, zoom = (float(v) for v in values)
    if not (0 <= cx <= 1 and 0 <= cy <= 1 and 0.1 <= zoom <= 10):
        raise OpError("bring: the view is outside the board")
    return {"type": "view", "cx": cx, "cy": cy, "zoom": zoom, "by": actor.name}
