"""Operations a browser may send, checked and applied to a session.

Browsers send one small operation per finished gesture (add, edit, move, ...). Nothing a
browser sends is trusted: :mod:`~canvas.live.ops.spec` checks its shape and who may send it,
:mod:`~canvas.live.ops.values` every value, and a refused operation changes nothing. An
accepted one returns an :class:`Applied`: the new session and the diff of what changed, which
the room broadcasts, saves and keeps for undo. :data:`HANDLERS` names every operation's
handler, so a reader (or a tool) can follow each one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from canvas.domain.model import Session, utc_now
from canvas.live.actor import Actor
from canvas.live.ops import notes, running, shaping, voting
from canvas.live.ops.change import Applied, Recorder, revert
from canvas.live.ops.spec import check
from canvas.live.ops.values import MAX_NAME, OpError
from canvas.live.ops.voting import in_scope, tally

Handler = Callable[[Recorder, dict, Actor], None]

HANDLERS: dict[str, Handler] = {
    "add": notes.add,
    "edit": notes.edit,
    "move": notes.move,
    "move_many": notes.move_many,
    "style": notes.style,
    "attach": notes.attach,
    "delete": notes.delete,
    "personas": notes.personas,
    "vote": voting.vote,
    "vote_start": voting.vote_start,
    "vote_close": voting.vote_close,
    "comment": running.comment,
    "resolve": running.resolve,
    "prompt": running.prompt,
    "step": running.step,
    "facilitate": running.facilitate,
    "reveal": running.reveal,
    "hide": running.hide,
    "anchor_add": shaping.anchor_add,
    "anchor_edit": shaping.anchor_edit,
    "anchor_move": shaping.anchor_move,
    "anchor_delete": shaping.anchor_delete,
    "gather": shaping.gather,
    "settings": shaping.settings,
}


def apply(session: Session, op: Any, actor: Actor, now: str | None = None) -> Applied:
    """Check ``op`` and apply it; raises :class:`OpError` and changes nothing when refused."""
    name, op = check(op, actor, session)
    recorder = Recorder(session, now or utc_now())
    HANDLERS[name](recorder, op, actor)
    return recorder.result(name)


__all__ = [
    "HANDLERS",
    "MAX_NAME",
    "Actor",
    "Applied",
    "OpError",
    "apply",
    "in_scope",
    "revert",
    "tally",
]
