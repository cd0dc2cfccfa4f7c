"""Operations a browser may send, checked and applied to a session.

Browsers send one small operation per finished gesture (add, edit, move, ...). Nothing a
browser sends is trusted: every field is checked here (known operation, known fields, types,
lengths, finite coordinates on the board, palette colours, known ids) and a refused operation
changes nothing. An accepted one returns the new session and, per item, the state before and
after, which is what the room broadcasts, saves and keeps for undo.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from canvas.horizons import Curves
from canvas.model import (
    ANCHOR_KINDS,
    HORIZONS,
    ID_PATTERN,
    POLARITIES,
    Anchor,
    Note,
    Session,
    clean_text,
    touch,
    utc_now,
)

MAX_TITLE = 120
MAX_SUMMARY = 1000
MAX_BATCH = 500
MAX_NAME = 40
STACK_DX = 0.08
STACK_COLUMN = 0.075
STACK_DY = 0.06

# Operation name -> (required fields, optional fields, needs the facilitator's rights)
SPEC: dict[str, tuple[frozenset, frozenset, bool]] = {
    "add": (frozenset({"id", "x", "y"}), frozenset({"text", "anchor", "colour", "horizon"}), False),
    "edit": (frozenset({"id", "text"}), frozenset(), False),
    "move": (frozenset({"id", "x", "y"}), frozenset({"anchor"}), False),
    "move_many": (frozenset({"moves"}), frozenset(), False),
    "style": (frozenset({"id"}), frozenset({"colour", "polarity", "horizon"}), False),
    "attach": (frozenset({"id", "anchor"}), frozenset(), False),
    "delete": (frozenset({"ids"}), frozenset(), False),
    "anchor_add": (
        frozenset({"id", "kind", "title", "x", "y"}),
        frozenset({"summary", "horizon", "prompt"}),
        True,
    ),
    "anchor_edit": (frozenset({"id"}), frozenset({"title", "summary", "kind", "prompt"}), True),
    "anchor_move": (frozenset({"id", "x", "y"}), frozenset(), True),
    "anchor_delete": (frozenset({"id"}), frozenset(), True),
    "gather": (frozenset({"ids", "anchor_id", "kind", "title"}), frozenset(), True),
    "settings": (
        frozenset(),
        frozenset({"axis_from", "axis_to", "h2_peak", "crossover"}),
        True,
    ),
}


class OpError(ValueError):
    """An operation refused; the message is shown to the person who sent it."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who sends an operation: their display name and whether they may shape the board."""

    name: str = ""
    facilitator: bool = True


@dataclass(frozen=True, slots=True)
class Applied:
    """The result of an accepted operation."""

    session: Session
    notes: dict[str, tuple[Note | None, Note | None]]
    anchors: dict[str, tuple[Anchor | None, Anchor | None]]
    settings: bool = False


# ------------------------------------------------------------------------------------------
# Checking values from the browser


def _number(op: dict, key: str) -> float:
    value = op.get(key)
    if type(value) not in (int, float) or not math.isfinite(value) or not 0 <= value <= 1:
        raise OpError(f"{key} must be a number from 0 to 1")
    return float(value)


def _text(op: dict, key: str, limit: int, *, allow_empty: bool = True) -> str:
    value = op.get(key)
    if type(value) is not str:
        raise OpError(f"{key} must be text")
    value = clean_text(value)
    if len(value) > limit:
        raise OpError(f"{key} is {len(value)} characters long; the limit is {limit}")
    if not allow_empty and not value.strip():
        raise OpError(f"{key} must not be empty")
    return value


def _new_id(op: dict, key: str, taken: dict) -> str:
    value = op.get(key)
    if type(value) is not str or not ID_PATTERN.fullmatch(value):
        raise OpError(f"{key} is not a valid id")
    if value in taken:
        raise OpError(f"the id {value!r} is taken")
    return value


def _note(session: Session, value: Any) -> Note:
    note = session.notes.get(value) if type(value) is str else None
    if note is None:
        raise OpError("no such note (it may have been deleted)")
    return note


def _anchor(session: Session, value: Any) -> Anchor:
    anchor = session.anchors.get(value) if type(value) is str else None
    if anchor is None:
        raise OpError("no such anchor")
    return anchor


def _choice(op: dict, key: str, options: tuple[str, ...]) -> str:
    value = op.get(key)
    if value not in options:
        raise OpError(f"{key} must be one of {', '.join(options)}")
    return value


def _colour(session: Session, value: Any) -> str:
    if type(value) is not str or value not in session.settings.palette:
        raise OpError("colour must be one of the session palette")
    return value


def _note_ids(session: Session, value: Any) -> list[str]:
    if type(value) is not list or not value or len(value) > MAX_BATCH:
        raise OpError(f"ids must be a list of 1 to {MAX_BATCH} note ids")
    return [_note(session, v).id for v in dict.fromkeys(value)]


def check(op: Any, actor: Actor) -> tuple[str, dict]:
    """The operation's name and fields, if its shape is one we accept."""
    if type(op) is not dict or type(op.get("op")) is not str:
        raise OpError("not an operation")
    name = op["op"]
    spec = SPEC.get(name)
    if spec is None:
        raise OpError(f"unknown operation {name[:40]!r}")
    required, optional, shaping = spec
    keys = op.keys() - {"op"}
    missing = required - keys
    if missing:
        raise OpError(f"{name}: missing {', '.join(sorted(missing))}")
    unknown = keys - required - optional
    if unknown:
        raise OpError(f"{name}: unknown field {sorted(unknown)[0][:40]!r}")
    if shaping and not actor.facilitator:
        raise OpError("only the facilitator can change the board's anchors and settings")
    return name, op


# ------------------------------------------------------------------------------------------
# Applying


class _Change:
    """Collects item changes so that each id keeps its first 'before' and last 'after'."""

    def __init__(self, session: Session, now: str):
        self.session = session
        self.now = now
        self.notes: dict[str, list] = {}
        self.anchors: dict[str, list] = {}
        self.settings = False

    def put_note(self, note: Note | None, note_id: str) -> None:
        before = self.session.notes.get(note_id)
        entry = self.notes.setdefault(note_id, [before, None])
        entry[1] = note
        notes = dict(self.session.notes)
        if note is None:
            notes.pop(note_id, None)
        else:
            notes[note_id] = note
        self.session = replace(self.session, notes=notes)

    def put_anchor(self, anchor: Anchor | None, anchor_id: str) -> None:
        before = self.session.anchors.get(anchor_id)
        entry = self.anchors.setdefault(anchor_id, [before, None])
        entry[1] = anchor
        anchors = dict(self.session.anchors)
        if anchor is None:
            anchors.pop(anchor_id, None)
        else:
            anchors[anchor_id] = anchor
        self.session = replace(self.session, anchors=anchors)

    def result(self) -> Applied:
        return Applied(
            self.session,
            {k: (v[0], v[1]) for k, v in self.notes.items()},
            {k: (v[0], v[1]) for k, v in self.anchors.items()},
            self.settings,
        )


def _curves(session: Session) -> Curves:
    return Curves.from_settings(session.settings)


def stack_position(session: Session, anchor: Anchor, note_id: str) -> tuple[float, float]:
    """Where a note placed on ``anchor`` goes: beside it, below the notes already there."""
    others = sorted(
        n.id for n in session.notes.values() if n.anchor == anchor.id and n.id != note_id
    )
    slot = len(others)
    right = anchor.x + STACK_DX <= 0.95
    x = anchor.x + STACK_DX if right else anchor.x - STACK_DX
    column, row = divmod(slot, 6)
    x += column * STACK_COLUMN * (1 if right else -1)
    y = anchor.y - row * STACK_DY
    return min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)


def _placed(session: Session, note: Note, x: float, y: float, anchor_id: Any, now: str) -> Note:
    """A note moved to (x, y), attached to ``anchor_id`` (or freed when it is None)."""
    if anchor_id is not None:
        anchor = _anchor(session, anchor_id)
        # A note moved within its own anchor's stack stays where it was dropped.
        sx, sy = (x, y) if note.anchor == anchor.id else stack_position(session, anchor, note.id)
        polarity = note.polarity if anchor.horizon == "H2" else None
        return touch(
            note, now, x=sx, y=sy, anchor=anchor.id, horizon=anchor.horizon, polarity=polarity
        )
    horizon = note.horizon if note.horizon_fixed else _curves(session).horizon_at(x, y)
    polarity = note.polarity if horizon == "H2" else None
    return touch(note, now, x=x, y=y, anchor=None, horizon=horizon, polarity=polarity)


def apply(session: Session, op: Any, actor: Actor, now: str | None = None) -> Applied:
    """Check ``op`` and apply it; raises :class:`OpError` and changes nothing when refused."""
    name, op = check(op, actor)
    now = now or utc_now()
    change = _Change(session, now)
    handler = globals()["_op_" + name]
    handler(change, op, actor)
    return change.result()


def _op_add(c: _Change, op: dict, actor: Actor) -> None:
    s = c.session
    note_id = _new_id(op, "id", s.notes)
    x, y = _number(op, "x"), _number(op, "y")
    text = _text(op, "text", s.settings.max_text) if "text" in op else ""
    colour = _colour(s, op["colour"]) if "colour" in op else "yellow"
    if colour not in s.settings.palette:
        colour = sorted(s.settings.palette)[0]
    fixed = "horizon" in op and op["horizon"] is not None
    horizon = _choice(op, "horizon", HORIZONS) if fixed else _curves(s).horizon_at(x, y)
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
    )
    if op.get("anchor") is not None:
        note = _placed(s, note, x, y, op["anchor"], c.now)
        note = replace(note, rev=1)
    c.put_note(note, note_id)


def _op_edit(c: _Change, op: dict, actor: Actor) -> None:
    note = _note(c.session, op["id"])
    text = _text(op, "text", c.session.settings.max_text)
    if text != note.text:
        c.put_note(touch(note, c.now, text=text), note.id)


def _op_move(c: _Change, op: dict, actor: Actor) -> None:
    note = _note(c.session, op["id"])
    x, y = _number(op, "x"), _number(op, "y")
    c.put_note(_placed(c.session, note, x, y, op.get("anchor"), c.now), note.id)


def _op_attach(c: _Change, op: dict, actor: Actor) -> None:
    note = _note(c.session, op["id"])
    c.put_note(_placed(c.session, note, note.x, note.y, op["anchor"], c.now), note.id)


def _op_move_many(c: _Change, op: dict, actor: Actor) -> None:
    moves = op["moves"]
    if type(moves) is not list or not moves or len(moves) > MAX_BATCH:
        raise OpError(f"moves must be a list of 1 to {MAX_BATCH} moves")
    planned = []
    for move in moves:
        if type(move) is not dict or move.keys() != {"id", "x", "y"}:
            raise OpError("each move needs exactly id, x and y")
        planned.append((_note(c.session, move["id"]), _number(move, "x"), _number(move, "y")))
    for note, x, y in planned:
        c.put_note(_placed(c.session, note, x, y, None, c.now), note.id)


def _op_style(c: _Change, op: dict, actor: Actor) -> None:
    note = _note(c.session, op["id"])
    changes: dict[str, Any] = {}
    if "colour" in op:
        changes["colour"] = _colour(c.session, op["colour"])
    horizon = note.horizon
    if "horizon" in op:
        horizon = _choice(op, "horizon", HORIZONS)
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
    changes = {k: v for k, v in changes.items() if getattr(note, k) != v}
    if changes:
        c.put_note(touch(note, c.now, **changes), note.id)


def _op_delete(c: _Change, op: dict, actor: Actor) -> None:
    for note_id in _note_ids(c.session, op["ids"]):
        c.put_note(None, note_id)


def _op_anchor_add(c: _Change, op: dict, actor: Actor) -> None:
    s = c.session
    anchor_id = _new_id(op, "id", s.anchors)
    x, y = _number(op, "x"), _number(op, "y")
    horizon = (
        _choice(op, "horizon", HORIZONS)
        if op.get("horizon") is not None
        else _curves(s).horizon_at(x, y)
    )
    anchor = Anchor(
        id=anchor_id,
        kind=_choice(op, "kind", ANCHOR_KINDS),
        title=_text(op, "title", MAX_TITLE, allow_empty=False),
        horizon=horizon,
        x=x,
        y=y,
        summary=_text(op, "summary", MAX_SUMMARY) if "summary" in op else "",
        prompt=_text(op, "prompt", MAX_SUMMARY) if "prompt" in op else "",
    )
    c.put_anchor(anchor, anchor_id)


def _op_anchor_edit(c: _Change, op: dict, actor: Actor) -> None:
    anchor = _anchor(c.session, op["id"])
    changes: dict[str, Any] = {}
    if "title" in op:
        changes["title"] = _text(op, "title", MAX_TITLE, allow_empty=False)
    if "summary" in op:
        changes["summary"] = _text(op, "summary", MAX_SUMMARY)
    if "prompt" in op:
        changes["prompt"] = _text(op, "prompt", MAX_SUMMARY)
    if "kind" in op:
        changes["kind"] = _choice(op, "kind", ANCHOR_KINDS)
    if changes:
        c.put_anchor(replace(anchor, **changes), anchor.id)


def _op_anchor_move(c: _Change, op: dict, actor: Actor) -> None:
    anchor = _anchor(c.session, op["id"])
    x, y = _number(op, "x"), _number(op, "y")
    dx, dy = x - anchor.x, y - anchor.y
    c.put_anchor(replace(anchor, x=x, y=y), anchor.id)
    for note in list(c.session.notes.values()):
        if note.anchor == anchor.id:
            nx = min(max(note.x + dx, 0.0), 1.0)
            ny = min(max(note.y + dy, 0.0), 1.0)
            c.put_note(touch(note, c.now, x=nx, y=ny), note.id)


def _op_anchor_delete(c: _Change, op: dict, actor: Actor) -> None:
    anchor = _anchor(c.session, op["id"])
    for note in list(c.session.notes.values()):
        if note.anchor == anchor.id:
            c.put_note(touch(note, c.now, anchor=None), note.id)
    c.put_anchor(None, anchor.id)


def _op_gather(c: _Change, op: dict, actor: Actor) -> None:
    s = c.session
    ids = _note_ids(s, op["ids"])
    anchor_id = _new_id(op, "anchor_id", s.anchors)
    notes = [s.notes[i] for i in ids]
    x = min(max(sum(n.x for n in notes) / len(notes) - STACK_DX / 2, 0.0), 0.85)
    y = min(max(max(n.y for n in notes), 0.05), 1.0)
    anchor = Anchor(
        id=anchor_id,
        kind=_choice(op, "kind", ANCHOR_KINDS),
        title=_text(op, "title", MAX_TITLE, allow_empty=False),
        horizon=_curves(s).horizon_at(x, y),
        x=x,
        y=y,
    )
    c.put_anchor(anchor, anchor_id)
    for note in notes:
        c.put_note(_placed(c.session, note, note.x, note.y, anchor_id, c.now), note.id)


def _op_settings(c: _Change, op: dict, actor: Actor) -> None:
    s = c.session
    changes: dict[str, Any] = {}
    for key in ("axis_from", "axis_to"):
        if key in op:
            changes[key] = _text(op, key, MAX_NAME, allow_empty=False)
    for key in ("h2_peak", "crossover"):
        if key in op:
            value = _number(op, key)
            if not 0.2 <= value <= 0.8:
                raise OpError(f"{key} must be between 0.2 and 0.8")
            changes[key] = value
    if not changes:
        return
    settings = replace(s.settings, **changes)
    c.session = replace(s, settings=settings)
    c.settings = True
    curves = Curves.from_settings(settings)
    for note in list(c.session.notes.values()):
        if note.anchor is None and not note.horizon_fixed:
            horizon = curves.horizon_at(note.x, note.y)
            if horizon != note.horizon:
                polarity = note.polarity if horizon == "H2" else None
                c.put_note(touch(note, c.now, horizon=horizon, polarity=polarity), note.id)


def revert(session: Session, applied: Applied, now: str | None = None) -> Applied:
    """Undo ``applied`` on ``session`` where nobody else changed the same items since.

    Notes come back with a new revision (never an old one), so every page and the file
    agree that the undo is the latest change.
    """
    now = now or utc_now()
    change = _Change(session, now)
    for note_id, (before, after) in applied.notes.items():
        current = session.notes.get(note_id)
        if current != after:
            raise OpError("someone else changed this note since; undo is not possible")
        if before is None:
            change.put_note(None, note_id)
        else:
            rev = max(before.rev, current.rev if current else 0) + 1
            change.put_note(replace(before, rev=rev, updated=now), note_id)
    for anchor_id, (before, after) in applied.anchors.items():
        if session.anchors.get(anchor_id) != after:
            raise OpError("someone else changed this anchor since; undo is not possible")
        change.put_anchor(before, anchor_id)
    return change.result()
