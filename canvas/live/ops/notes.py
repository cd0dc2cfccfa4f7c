"""Operations on notes: write, edit, move, place on an anchor, style, link personas, delete.

Participants may change only their own notes; the facilitator any. Where a note placed on
an anchor goes is the board's rule (its place in the anchor's zone, from the board's
layout), not the sender's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from canvas.domain.horizons import Curves
from canvas.domain.model import HORIZONS, POLARITIES, Note, Session, touch
from canvas.domain.visibility import may_see
from canvas.live import board_layout
from canvas.live.actor import Actor
from canvas.live.ops import values as v
from canvas.live.ops.change import Recorder
from canvas.live.ops.values import OpError


def own(session: Session, value: Any, actor: Actor) -> Note:
    """A note this actor may change: any note for the facilitator, their own for others."""
    note = v.note(session, value)
    if not actor.facilitator and note.owner != actor.pid:
        raise OpError("you can only change your own notes")
    if not may_see(note, actor.role, actor.pid):
        raise OpError(v.GONE)
    return note


def curves(session: Session) -> Curves:
    return Curves.from_settings(session.settings)


def placed(session: Session, note: Note, x: float, y: float, anchor_id: Any, now: str) -> Note:
    """A note moved to (x, y), attached to ``anchor_id`` (or freed when it is None)."""
    if anchor_id is not None:
        anchor = v.anchor(session, anchor_id)
        # The board places an attached note in its anchor's zone; its stored position is
        # that place, so a note freed later stays where it was seen.
        sx, sy = board_layout.slot(session, replace(note, anchor=anchor.id))
        polarity = note.polarity if anchor.horizon == "H2" else None
        return touch(
            note, now, x=sx, y=sy, anchor=anchor.id, horizon=anchor.horizon, polarity=polarity
        )
    horizon = note.horizon if note.horizon_fixed else curves(session).horizon_at(x, y)
    polarity = note.polarity if horizon == "H2" else None
    return touch(note, now, x=x, y=y, anchor=None, horizon=horizon, polarity=polarity)


def add(c: Recorder, op: dict, actor: Actor) -> None:
    """A new note. Sent again (the page heard no answer, or moved to the next iteration,
    which keeps note ids), a note its sender already wrote is no change, never a second
    note: the id the page chose makes sending idempotent."""
    s = c.session
    earlier = s.notes.get(op["id"]) if type(op["id"]) is str else None
    if earlier is not None and earlier.owner and earlier.owner == actor.pid:
        return
    note_id = v.new_id(op, "id", s.notes)
    x, y = v.number(op, "x"), v.number(op, "y")
    text = v.text(op, "text", s.settings.max_text) if "text" in op else ""
    colour = v.colour(s, op["colour"]) if "colour" in op else "yellow"
    if colour not in s.settings.palette:
        colour = sorted(s.settings.palette)[0]
    if not actor.facilitator:
        mine = sum(1 for n in s.notes.values() if n.owner == actor.pid)
        if mine >= s.settings.max_notes:
            raise OpError(
                f"you have written {mine} notes, the most one person may add here", "max_notes"
            )
    fixed = "horizon" in op and op["horizon"] is not None
    horizon = v.choice(op, "horizon", HORIZONS) if fixed else curves(s).horizon_at(x, y)
    step = s.facilitation.step
    if step in HORIZONS and not s.facilitation.open_all:
        anchor = s.anchors.get(op["anchor"]) if op.get("anchor") is not None else None
        if anchor is not None and anchor.horizon != step:
            raise OpError(f"during the {step} step new notes go to {step} anchors", "step")
        horizon, fixed = step, True
    note = Note(
        id=note_id,
        text=text,
        x=x,
        y=y,
        horizon=horizon,
        colour=colour,
        author=actor.name,
        created=c.now,
        updated=c.now,
        rev=1,
        horizon_fixed=fixed,
        owner=actor.pid,
        private=s.facilitation.private,
    )
    if op.get("anchor") is not None:
        note = replace(placed(s, note, x, y, op["anchor"], c.now), rev=1)
    c.put_note(note, note_id)


def edit(c: Recorder, op: dict, actor: Actor) -> None:
    note = own(c.session, op["id"], actor)
    text = v.text(op, "text", c.session.settings.max_text)
    if text != note.text:
        c.put_note(touch(note, c.now, text=text), note.id)


def move(c: Recorder, op: dict, actor: Actor) -> None:
    note = own(c.session, op["id"], actor)
    x, y = v.number(op, "x"), v.number(op, "y")
    c.put_note(placed(c.session, note, x, y, op.get("anchor"), c.now), note.id)


def attach(c: Recorder, op: dict, actor: Actor) -> None:
    note = own(c.session, op["id"], actor)
    c.put_note(placed(c.session, note, note.x, note.y, op["anchor"], c.now), note.id)


def move_many(c: Recorder, op: dict, actor: Actor) -> None:
    moves = op["moves"]
    if type(moves) is not list or not moves or len(moves) > v.MAX_BATCH:
        raise OpError(f"moves must be a list of 1 to {v.MAX_BATCH} moves")
    planned = []
    for item in moves:
        if type(item) is not dict or item.keys() != {"id", "x", "y"}:
            raise OpError("each move needs exactly id, x and y")
        planned.append(
            (own(c.session, item["id"], actor), v.number(item, "x"), v.number(item, "y"))
        )
    for note, x, y in planned:
        c.put_note(placed(c.session, note, x, y, None, c.now), note.id)


def style(c: Recorder, op: dict, actor: Actor) -> None:
    note = own(c.session, op["id"], actor)
    changes: dict[str, Any] = {}
    if "colour" in op:
        changes["colour"] = v.colour(c.session, op["colour"])
    horizon = note.horizon
    if "horizon" in op:
        horizon = v.choice(op, "horizon", HORIZONS)
        changes["horizon"] = horizon
        changes["horizon_fixed"] = True
        if note.anchor is not None and c.session.anchors[note.anchor].horizon != horizon:
            changes["anchor"] = None
        if horizon != "H2":
            changes["polarity"] = None
    if "polarity" in op:
        polarity = op["polarity"]
        if polarity is not None and polarity not in POLARITIES:
            raise OpError("polarity must be +, - or none")
        if polarity is not None and horizon != "H2":
            raise OpError("only H2 notes are H2+ or H2-")
        changes["polarity"] = polarity
    changes = {k: val for k, val in changes.items() if getattr(note, k) != val}
    if changes:
        c.put_note(touch(note, c.now, **changes), note.id)


def delete(c: Recorder, op: dict, actor: Actor) -> None:
    ids = v.note_ids(c.session, op["ids"])
    for note_id in ids:
        own(c.session, note_id, actor)
    for note_id in ids:
        c.put_note(None, note_id)


def personas(c: Recorder, op: dict, actor: Actor) -> None:
    note = own(c.session, op["id"], actor)
    wanted = op["personas"]
    if type(wanted) is not list or len(wanted) > len(c.session.personas):
        raise OpError("personas must be a list of persona ids")
    for pid in wanted:
        if type(pid) is not str or pid not in c.session.personas:
            raise OpError("no such persona")
    linked = tuple(dict.fromkeys(wanted))
    if linked != note.personas:
        c.put_note(touch(note, c.now, personas=linked), note.id)
