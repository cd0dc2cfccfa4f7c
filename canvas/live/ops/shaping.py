"""The facilitator shapes the board: anchors, gathering notes under a new anchor, curves."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from canvas.domain.dimensions import WORLD_H, WORLD_W, anchor_height, to_unit
from canvas.domain.horizons import Curves
from canvas.domain.model import ANCHOR_KINDS, HORIZONS, Anchor, touch
from canvas.live import board_layout
from canvas.live.actor import Actor
from canvas.live.ops import values as v
from canvas.live.ops.change import Recorder
from canvas.live.ops.notes import curves, placed
from canvas.live.ops.values import OpError


def anchor_add(c: Recorder, op: dict, actor: Actor) -> None:
    s = c.session
    anchor_id = v.new_id(op, "id", s.anchors)
    x, y = v.number(op, "x"), v.number(op, "y")
    horizon = (
        v.choice(op, "horizon", HORIZONS)
        if op.get("horizon") is not None
        else curves(s).horizon_at(x, y)
    )
    anchor = Anchor(
        id=anchor_id,
        kind=v.choice(op, "kind", ANCHOR_KINDS),
        title=v.text(op, "title", v.MAX_TITLE, allow_empty=False),
        horizon=horizon,
        x=x,
        y=y,
        summary=v.text(op, "summary", v.MAX_SUMMARY) if "summary" in op else "",
        prompt=v.text(op, "prompt", v.MAX_SUMMARY) if "prompt" in op else "",
    )
    c.put_anchor(anchor, anchor_id)


def anchor_edit(c: Recorder, op: dict, actor: Actor) -> None:
    anchor = v.anchor(c.session, op["id"])
    suffix = v.lang_suffix(op)
    changes: dict[str, Any] = {}
    if "title" in op:
        changes["title" + suffix] = v.text(op, "title", v.MAX_TITLE, allow_empty=bool(suffix))
    if "summary" in op:
        changes["summary" + suffix] = v.text(op, "summary", v.MAX_SUMMARY)
    if "prompt" in op:
        changes["prompt" + suffix] = v.text(op, "prompt", v.MAX_SUMMARY)
    if "kind" in op:
        changes["kind"] = v.choice(op, "kind", ANCHOR_KINDS)
    if changes:
        c.put_anchor(replace(anchor, **changes), anchor.id)


def anchor_move(c: Recorder, op: dict, actor: Actor) -> None:
    anchor = v.anchor(c.session, op["id"])
    x, y = v.number(op, "x"), v.number(op, "y")
    dx, dy = x - anchor.x, y - anchor.y
    c.put_anchor(replace(anchor, x=x, y=y), anchor.id)
    for note in list(c.session.notes.values()):
        if note.anchor == anchor.id:
            nx = min(max(note.x + dx, 0.0), 1.0)
            ny = min(max(note.y + dy, 0.0), 1.0)
            c.put_note(touch(note, c.now, x=nx, y=ny), note.id)


def anchor_delete(c: Recorder, op: dict, actor: Actor) -> None:
    anchor = v.anchor(c.session, op["id"])
    for note in list(c.session.notes.values()):
        if note.anchor == anchor.id:
            c.put_note(touch(note, c.now, anchor=None), note.id)
    c.put_anchor(None, anchor.id)


def gather(c: Recorder, op: dict, actor: Actor) -> None:
    s = c.session
    ids = v.note_ids(s, op["ids"])
    anchor_id = v.new_id(op, "anchor_id", s.anchors)
    notes = [s.notes[i] for i in ids]
    anchor = Anchor(
        id=anchor_id,
        kind=v.choice(op, "kind", ANCHOR_KINDS),
        title=v.text(op, "title", v.MAX_TITLE, allow_empty=False),
        horizon="H1",
        x=0.0,
        y=0.0,
    )
    # The new anchor goes where nothing lies, near the notes it gathers.
    near = (
        sum(n.x for n in notes) / len(notes) * WORLD_W,
        (1 - sum(n.y for n in notes) / len(notes)) * WORLD_H,
    )
    spot = board_layout.spot_for_anchor(s, anchor_height(anchor), near)
    x, y = to_unit(spot.x, spot.y)
    anchor = replace(anchor, x=x, y=y, horizon=curves(s).horizon_at(x, y))
    c.put_anchor(anchor, anchor_id)
    for note in notes:
        c.put_note(placed(c.session, note, note.x, note.y, anchor_id, c.now), note.id)


def settings(c: Recorder, op: dict, actor: Actor) -> None:
    s = c.session
    changes: dict[str, Any] = {}
    for key in ("axis_from", "axis_to"):
        if key in op:
            changes[key] = v.text(op, key, v.MAX_NAME, allow_empty=False)
    for key in ("h2_peak", "crossover"):
        if key in op:
            value = v.number(op, key)
            if not 0.2 <= value <= 0.8:
                raise OpError(f"{key} must be between 0.2 and 0.8")
            changes[key] = value
    if not changes:
        return
    new = replace(s.settings, **changes)
    c.put_section("settings", new)
    shape = Curves.from_settings(new)
    for note in list(c.session.notes.values()):
        if note.anchor is None and not note.horizon_fixed:
            horizon = shape.horizon_at(note.x, note.y)
            if horizon != note.horizon:
                polarity = note.polarity if horizon == "H2" else None
                c.put_note(touch(note, c.now, horizon=horizon, polarity=polarity), note.id)
