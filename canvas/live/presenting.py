"""The facilitator's present mode, as the room knows it: on or off, which frame of the board
(a horizon's region or the whole board), and whether the vote's results are shown.

It changes nothing on the board and is never saved: the room keeps the latest and tells every
page, so a projector or an observer's page can follow the facilitator's screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from canvas.live.actor import Actor
from canvas.live.ops.values import OpError

FRAMES = ("all", "H1", "H2", "H3")


@dataclass(frozen=True, slots=True)
class Presenting:
    on: bool = False
    frame: str = "all"
    results: bool = False

    def payload(self) -> dict:
        return {"type": "present", "on": self.on, "frame": self.frame, "results": self.results}


def present(op: Any, actor: Actor) -> Presenting:
    """The state a ``present`` operation asks for; OpError when it is not one, or when its
    sender is not the facilitator."""
    if not actor.facilitator:
        raise OpError("only the facilitator presents to the room")
    if not isinstance(op, dict) or op.keys() != {"op", "on", "frame", "results"}:
        raise OpError("present: needs exactly on, frame and results")
    if type(op["on"]) is not bool or type(op["results"]) is not bool:
        raise OpError("present: on and results must be true or false")
    if op["frame"] not in FRAMES:
        raise OpError(f"present: frame must be one of {', '.join(FRAMES)}")
    return Presenting(op["on"], op["frame"], op["results"])
