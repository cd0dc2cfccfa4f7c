"""The operations a page may send: the fields of each, and who may send it.

``own`` operations are open to participants for their own notes, ``vote`` to whoever takes
part in a vote, ``review`` to reviewers and the facilitator, ``shape`` (the board's anchors
and settings) and ``lead`` (running the workshop) to the facilitator alone.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from canvas.domain.model import Session
from canvas.domain.visibility import Role
from canvas.live.actor import Actor
from canvas.live.ops.values import OpError


class Spec(NamedTuple):
    required: frozenset[str]
    optional: frozenset[str]
    who: str


def _spec(required: str, optional: str, who: str) -> Spec:
    return Spec(frozenset(required.split()), frozenset(optional.split()), who)


SPEC: dict[str, Spec] = {
    "add": _spec("id x y", "text anchor colour horizon", "own"),
    "edit": _spec("id text", "", "own"),
    "move": _spec("id x y", "anchor", "own"),
    "move_many": _spec("moves", "", "own"),
    "style": _spec("id", "colour polarity horizon", "own"),
    "attach": _spec("id anchor", "", "own"),
    "delete": _spec("ids", "", "own"),
    "vote": _spec("id delta", "", "vote"),
    "personas": _spec("id personas", "", "own"),
    "comment": _spec("id target text", "reply_to", "review"),
    "resolve": _spec("id resolved", "", "lead"),
    "anchor_add": _spec("id kind title x y", "summary horizon prompt", "shape"),
    "anchor_edit": _spec("id", "title summary kind prompt lang", "shape"),
    "anchor_move": _spec("id x y", "", "shape"),
    "anchor_delete": _spec("id", "", "shape"),
    "gather": _spec("ids anchor_id kind title", "", "shape"),
    "settings": _spec("", "axis_from axis_to h2_peak crossover", "shape"),
    "prompt": _spec("horizon text", "lang", "lead"),
    "step": _spec("step", "", "lead"),
    "facilitate": _spec("", "open_all private locked", "lead"),
    "reveal": _spec("", "", "lead"),
    "hide": _spec("id hidden", "", "lead"),
    "vote_start": _spec("", "budget kind horizon", "lead"),
    "vote_close": _spec("", "", "lead"),
}

# Changes to notes and anchors can be undone; running the workshop (votes, steps, settings)
# cannot, except hiding and revealing notes.
UNDOABLE = frozenset(
    name for name, spec in SPEC.items() if spec.who in ("own", "shape") and name != "settings"
) | {"hide", "reveal"}


def check(op: Any, actor: Actor, session: Session | None = None) -> tuple[str, dict]:
    """The operation's name and fields, if its shape is one we accept from this actor."""
    if type(op) is not dict or type(op.get("op")) is not str:
        raise OpError("not an operation")
    name = op["op"]
    spec = SPEC.get(name)
    if spec is None:
        raise OpError(f"unknown operation {name[:40]!r}")
    keys = op.keys() - {"op"}
    missing = spec.required - keys
    if missing:
        raise OpError(f"{name}: missing {', '.join(sorted(missing))}")
    unknown = keys - spec.required - spec.optional
    if unknown:
        raise OpError(f"{name}: unknown field {sorted(unknown)[0][:40]!r}")
    permit(spec.who, actor, session)
    return name, op


def permit(who: str, actor: Actor, session: Session | None = None) -> None:
    """Refuse an operation of kind ``who`` that ``actor`` may not send (now)."""
    role = actor.role
    if role is Role.OBSERVER:
        raise OpError("observers can follow the board but not change it")
    if role is Role.REVIEWER and who != "review":
        raise OpError("reviewers can comment but not change the board")
    if who == "review" and not role.comments:
        raise OpError("only reviewers and the facilitator can comment")
    if role.leads:
        return
    if who == "shape":
        raise OpError("only the facilitator can change the board's anchors and settings")
    if who == "lead":
        raise OpError("only the facilitator can run the workshop's steps, votes and moderation")
    if who == "own" and session is not None and session.facilitation.locked:
        raise OpError("the facilitator has locked the board", "locked")
