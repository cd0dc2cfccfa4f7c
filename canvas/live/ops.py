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

from canvas.domain.horizons import Curves
from canvas.domain.model import (
    ANCHOR_KINDS,
    HORIZONS,
    ID_PATTERN,
    POLARITIES,
    STEPS,
    Anchor,
    Ballot,
    Comment,
    Note,
    Session,
    Voting,
    clean_text,
    touch,
    utc_now,
)

MAX_TITLE = 120
MAX_SUMMARY = 1000
MAX_BATCH = 500
MAX_NAME = 40
MAX_BUDGET = 50
ROLES = ("facilitator", "participant", "reviewer", "observer")
MAX_COMMENT = 2000
STACK_DX = 0.08
STACK_COLUMN = 0.075
STACK_DY = 0.06

# Operation name -> (required fields, optional fields, who may send it). "own" operations
# are open to participants for their own notes; "shape" and "lead" ones to the facilitator.
SPEC: dict[str, tuple[frozenset, frozenset, str]] = {
    "add": (frozenset({"id", "x", "y"}), frozenset({"text", "anchor", "colour", "horizon"}), "own"),
    "edit": (frozenset({"id", "text"}), frozenset(), "own"),
    "move": (frozenset({"id", "x", "y"}), frozenset({"anchor"}), "own"),
    "move_many": (frozenset({"moves"}), frozenset(), "own"),
    "style": (frozenset({"id"}), frozenset({"colour", "polarity", "horizon"}), "own"),
    "attach": (frozenset({"id", "anchor"}), frozenset(), "own"),
    "delete": (frozenset({"ids"}), frozenset(), "own"),
    "vote": (frozenset({"id", "delta"}), frozenset(), "vote"),
    "personas": (frozenset({"id", "personas"}), frozenset(), "own"),
    "comment": (frozenset({"id", "target", "text"}), frozenset(), "review"),
    "anchor_add": (
        frozenset({"id", "kind", "title", "x", "y"}),
        frozenset({"summary", "horizon", "prompt"}),
        "shape",
    ),
    "anchor_edit": (
        frozenset({"id"}),
        frozenset({"title", "summary", "kind", "prompt", "lang"}),
        "shape",
    ),
    "anchor_move": (frozenset({"id", "x", "y"}), frozenset(), "shape"),
    "anchor_delete": (frozenset({"id"}), frozenset(), "shape"),
    "gather": (frozenset({"ids", "anchor_id", "kind", "title"}), frozenset(), "shape"),
    "settings": (
        frozenset(),
        frozenset({"axis_from", "axis_to", "h2_peak", "crossover"}),
        "shape",
    ),
    "prompt": (frozenset({"horizon", "text"}), frozenset({"lang"}), "lead"),
    "step": (frozenset({"step"}), frozenset(), "lead"),
    "facilitate": (frozenset(), frozenset({"open_all", "private", "locked"}), "lead"),
    "reveal": (frozenset(), frozenset(), "lead"),
    "hide": (frozenset({"id", "hidden"}), frozenset(), "lead"),
    "vote_start": (frozenset(), frozenset({"budget", "kind", "horizon"}), "lead"),
    "vote_close": (frozenset(), frozenset(), "lead"),
}
UNDOABLE = frozenset(
    name for name, (_, _, who) in SPEC.items() if who in ("own", "shape") and name != "settings"
) | {"hide", "reveal"}
# Sections of the session besides notes and anchors that an operation may change.
SECTIONS = (
    "settings",
    "facilitation",
    "voting",
    "prompts",
    "prompts_cy",
    "comments",
    "personas",
)


class OpError(ValueError):
    """An operation refused; the message is shown to the person who sent it."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who sends an operation: their name, role, and the id their notes are owned by."""

    name: str = ""
    role: str = "facilitator"
    pid: str = "facilitator"

    @property
    def facilitator(self) -> bool:
        return self.role == "facilitator"


@dataclass(frozen=True, slots=True)
class Applied:
    """The result of an accepted operation."""

    session: Session
    notes: dict[str, tuple[Note | None, Note | None]]
    anchors: dict[str, tuple[Anchor | None, Anchor | None]]
    sections: frozenset = frozenset()
    name: str = ""

    @property
    def undoable(self) -> bool:
        """Changes to notes and anchors are; running the workshop (votes, steps) is not."""
        return self.name in UNDOABLE and bool(self.notes or self.anchors)


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


def _own(session: Session, value: Any, actor: Actor) -> Note:
    """A note this actor may change: any note for the facilitator, their own for others."""
    note = _note(session, value)
    if not actor.facilitator and note.owner != actor.pid:
        raise OpError("you can only change your own notes")
    if not actor.facilitator and (note.hidden or (note.private and note.owner != actor.pid)):
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


def check(op: Any, actor: Actor, session: Session | None = None) -> tuple[str, dict]:
    """The operation's name and fields, if its shape is one we accept from this actor."""
    if type(op) is not dict or type(op.get("op")) is not str:
        raise OpError("not an operation")
    name = op["op"]
    spec = SPEC.get(name)
    if spec is None:
        raise OpError(f"unknown operation {name[:40]!r}")
    required, optional, who = spec
    keys = op.keys() - {"op"}
    missing = required - keys
    if missing:
        raise OpError(f"{name}: missing {', '.join(sorted(missing))}")
    unknown = keys - required - optional
    if unknown:
        raise OpError(f"{name}: unknown field {sorted(unknown)[0][:40]!r}")
    if actor.role == "observer":
        raise OpError("observers can follow the board but not change it")
    if actor.role == "reviewer" and who != "review":
        raise OpError("reviewers can comment but not change the board")
    if who == "review" and actor.role not in ("reviewer", "facilitator"):
        raise OpError("only reviewers and the facilitator can comment")
    if not actor.facilitator:
        if who == "shape":
            raise OpError("only the facilitator can change the board's anchors and settings")
        if who == "lead":
            raise OpError("only the facilitator can run the workshop's steps, votes and moderation")
        if who == "own" and session is not None and session.facilitation.locked:
            raise OpError("the facilitator has locked the board")
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
        self.sections: set[str] = set()

    def _put(self, kind: str, item: Any, item_id: str) -> None:
        """Record ``item`` (None: removed) under ``item_id`` in ``notes`` or ``anchors``."""
        items = getattr(self.session, kind)
        entry = getattr(self, kind).setdefault(item_id, [items.get(item_id), None])
        entry[1] = item
        items = dict(items)
        if item is None:
            items.pop(item_id, None)
        else:
            items[item_id] = item
        self.session = replace(self.session, **{kind: items})

    def put_note(self, note: Note | None, note_id: str) -> None:
        self._put("notes", note, note_id)
        if note is None:
            self._refund(note_id)

    def put_anchor(self, anchor: Anchor | None, anchor_id: str) -> None:
        self._put("anchors", anchor, anchor_id)
        if anchor is None:
            self._unlink_personas(anchor_id)

    def _refund(self, note_id: str) -> None:
        """Dots on a deleted note go back to their voters (and out of the file)."""
        voting = self.session.voting
        if not any(note_id in b.notes for b in voting.ballots.values()):
            return
        ballots = {
            voter: replace(b, notes={k: v for k, v in b.notes.items() if k != note_id})
            for voter, b in voting.ballots.items()
        }
        self.put_section("voting", replace(voting, ballots=ballots))

    def _unlink_personas(self, anchor_id: str) -> None:
        """A removed challenge area leaves the personas that named it."""
        personas = self.session.personas
        if not any(anchor_id in p.challenge_areas for p in personas.values()):
            return
        unlinked = {
            k: replace(p, challenge_areas=tuple(a for a in p.challenge_areas if a != anchor_id))
            for k, p in personas.items()
        }
        self.put_section("personas", unlinked)

    def result(self, name: str = "") -> Applied:
        return Applied(
            self.session,
            {k: (v[0], v[1]) for k, v in self.notes.items()},
            {k: (v[0], v[1]) for k, v in self.anchors.items()},
            frozenset(self.sections),
            name,
        )

    def show(self, note: Note) -> None:
        """Send a note to the pages again without changing it (how they see it changed)."""
        self.notes.setdefault(note.id, [note, note])

    def put_section(self, name: str, value: Any) -> None:
        self.session = replace(self.session, **{name: value})
        self.sections.add(name)


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
    name, op = check(op, actor, session)
    now = now or utc_now()
    change = _Change(session, now)
    handler = globals()["_op_" + name]
    handler(change, op, actor)
    return change.result(name)


def _op_add(c: _Change, op: dict, actor: Actor) -> None:
    s = c.session
    note_id = _new_id(op, "id", s.notes)
    x, y = _number(op, "x"), _number(op, "y")
    text = _text(op, "text", s.settings.max_text) if "text" in op else ""
    colour = _colour(s, op["colour"]) if "colour" in op else "yellow"
    if colour not in s.settings.palette:
        colour = sorted(s.settings.palette)[0]
    if not actor.facilitator:
        mine = sum(1 for n in s.notes.values() if n.owner == actor.pid)
        if mine >= s.settings.max_notes:
            raise OpError(f"you have written {mine} notes, the most one person may add here")
    fixed = "horizon" in op and op["horizon"] is not None
    horizon = _choice(op, "horizon", HORIZONS) if fixed else _curves(s).horizon_at(x, y)
    step = s.facilitation.step
    if step in HORIZONS and not s.facilitation.open_all:
        anchor = s.anchors.get(op["anchor"]) if op.get("anchor") is not None else None
        if anchor is not None and anchor.horizon != step:
            raise OpError(f"during the {step} step new notes go to {step} anchors")
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
        note = _placed(s, note, x, y, op["anchor"], c.now)
        note = replace(note, rev=1)
    c.put_note(note, note_id)


def _op_edit(c: _Change, op: dict, actor: Actor) -> None:
    note = _own(c.session, op["id"], actor)
    text = _text(op, "text", c.session.settings.max_text)
    if text != note.text:
        c.put_note(touch(note, c.now, text=text), note.id)


def _op_move(c: _Change, op: dict, actor: Actor) -> None:
    note = _own(c.session, op["id"], actor)
    x, y = _number(op, "x"), _number(op, "y")
    c.put_note(_placed(c.session, note, x, y, op.get("anchor"), c.now), note.id)


def _op_attach(c: _Change, op: dict, actor: Actor) -> None:
    note = _own(c.session, op["id"], actor)
    c.put_note(_placed(c.session, note, note.x, note.y, op["anchor"], c.now), note.id)


def _op_move_many(c: _Change, op: dict, actor: Actor) -> None:
    moves = op["moves"]
    if type(moves) is not list or not moves or len(moves) > MAX_BATCH:
        raise OpError(f"moves must be a list of 1 to {MAX_BATCH} moves")
    planned = []
    for move in moves:
        if type(move) is not dict or move.keys() != {"id", "x", "y"}:
            raise OpError("each move needs exactly id, x and y")
        planned.append((_own(c.session, move["id"], actor), _number(move, "x"), _number(move, "y")))
    for note, x, y in planned:
        c.put_note(_placed(c.session, note, x, y, None, c.now), note.id)


def _op_style(c: _Change, op: dict, actor: Actor) -> None:
    note = _own(c.session, op["id"], actor)
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
    ids = _note_ids(c.session, op["ids"])
    for note_id in ids:
        _own(c.session, note_id, actor)
    for note_id in ids:
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


def _suffix(op: dict) -> str:
    """Which language's text an edit changes: English, or Welsh (``lang: cy``)."""
    lang = op.get("lang", "en")
    if lang not in ("en", "cy"):
        raise OpError("lang must be en or cy")
    return "_cy" if lang == "cy" else ""


def _op_anchor_edit(c: _Change, op: dict, actor: Actor) -> None:
    anchor = _anchor(c.session, op["id"])
    suffix = _suffix(op)
    changes: dict[str, Any] = {}
    if "title" in op:
        changes["title" + suffix] = _text(op, "title", MAX_TITLE, allow_empty=bool(suffix))
    if "summary" in op:
        changes["summary" + suffix] = _text(op, "summary", MAX_SUMMARY)
    if "prompt" in op:
        changes["prompt" + suffix] = _text(op, "prompt", MAX_SUMMARY)
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
    c.put_section("settings", settings)
    curves = Curves.from_settings(settings)
    for note in list(c.session.notes.values()):
        if note.anchor is None and not note.horizon_fixed:
            horizon = curves.horizon_at(note.x, note.y)
            if horizon != note.horizon:
                polarity = note.polarity if horizon == "H2" else None
                c.put_note(touch(note, c.now, horizon=horizon, polarity=polarity), note.id)


def _flag(op: dict, key: str) -> bool:
    value = op.get(key)
    if type(value) is not bool:
        raise OpError(f"{key} must be true or false")
    return value


def _op_prompt(c: _Change, op: dict, actor: Actor) -> None:
    horizon = _choice(op, "horizon", HORIZONS)
    text = _text(op, "text", MAX_SUMMARY)
    name = "prompts" + _suffix(op)
    prompts = {**getattr(c.session, name), horizon: text}
    if not text:
        del prompts[horizon]
    c.put_section(name, prompts)


def _op_step(c: _Change, op: dict, actor: Actor) -> None:
    step = op["step"]
    if step != "" and step not in STEPS:
        raise OpError(f"step must be one of {', '.join(STEPS)}")
    c.put_section("facilitation", replace(c.session.facilitation, step=step))


def _op_facilitate(c: _Change, op: dict, actor: Actor) -> None:
    changes = {key: _flag(op, key) for key in ("open_all", "private", "locked") if key in op}
    if changes:
        c.put_section("facilitation", replace(c.session.facilitation, **changes))


def _op_reveal(c: _Change, op: dict, actor: Actor) -> None:
    for note in list(c.session.notes.values()):
        if note.private:
            c.put_note(touch(note, c.now, private=False), note.id)


def _op_hide(c: _Change, op: dict, actor: Actor) -> None:
    note = _note(c.session, op["id"])
    hidden = _flag(op, "hidden")
    if note.hidden != hidden:
        c.put_note(touch(note, c.now, hidden=hidden), note.id)


def in_scope(session: Session, note: Note, voting: Voting | None = None) -> bool:
    """Whether a note can take dots in the current (or given) vote."""
    voting = voting or session.voting
    if voting.horizon and note.horizon != voting.horizon:
        return False
    if voting.kind:
        anchor = session.anchors.get(note.anchor) if note.anchor else None
        if anchor is None or anchor.kind != voting.kind:
            return False
    return not note.hidden


def _op_vote_start(c: _Change, op: dict, actor: Actor) -> None:
    budget = op.get("budget", Voting().budget)
    if type(budget) is not int or not 1 <= budget <= MAX_BUDGET:
        raise OpError(f"budget must be a whole number from 1 to {MAX_BUDGET}")
    kind = op.get("kind") or ""
    if kind and kind not in ANCHOR_KINDS:
        raise OpError("kind must be a kind of anchor")
    horizon = op.get("horizon") or ""
    if horizon and horizon not in HORIZONS:
        raise OpError("horizon must be one of H1, H2, H3")
    c.put_section("voting", Voting(open=True, budget=budget, kind=kind, horizon=horizon))
    for note in c.session.notes.values():
        c.show(note)  # totals disappear from every card while the vote is open


def tally(voting: Voting) -> dict[str, int]:
    """Dots per note over every ballot."""
    totals: dict[str, int] = {}
    for ballot in voting.ballots.values():
        for note_id, dots in ballot.notes.items():
            totals[note_id] = totals.get(note_id, 0) + dots
    return totals


def _op_vote_close(c: _Change, op: dict, actor: Actor) -> None:
    voting = c.session.voting
    if not voting.open:
        raise OpError("no vote is open")
    totals = tally(voting)
    for note in list(c.session.notes.values()):
        if in_scope(c.session, note, voting) or note.id in totals:
            votes = totals.get(note.id, 0)
            if votes != note.votes:
                c.put_note(touch(note, c.now, votes=votes), note.id)
    c.put_section("voting", replace(voting, open=False))
    for note in c.session.notes.values():
        c.show(note)


def _op_vote(c: _Change, op: dict, actor: Actor) -> None:
    voting = c.session.voting
    if not voting.open:
        raise OpError("no vote is open")
    delta = op["delta"]
    if delta not in (1, -1) or type(delta) is not int:
        raise OpError("delta must be 1 or -1")
    note = _note(c.session, op["id"])
    if note.private and note.owner != actor.pid and not actor.facilitator:
        raise OpError("no such note (it may have been deleted)")
    if not in_scope(c.session, note, voting):
        raise OpError("this note is not part of the vote")
    ballot = voting.ballots.get(actor.pid) or Ballot(name=actor.name)
    used = sum(ballot.notes.values())
    mine = ballot.notes.get(note.id, 0)
    if delta > 0 and used >= voting.budget:
        raise OpError(f"you have used all {voting.budget} of your votes")
    if delta < 0 and mine == 0:
        raise OpError("you have no vote on this note to take back")
    dots = {**ballot.notes, note.id: mine + delta}
    if dots[note.id] == 0:
        del dots[note.id]
    ballots = {**voting.ballots, actor.pid: Ballot(name=actor.name, notes=dots)}
    c.put_section("voting", replace(voting, ballots=ballots))
    c.show(note)


def _op_personas(c: _Change, op: dict, actor: Actor) -> None:
    note = _own(c.session, op["id"], actor)
    wanted = op["personas"]
    if type(wanted) is not list or len(wanted) > len(c.session.personas):
        raise OpError("personas must be a list of persona ids")
    for pid in wanted:
        if type(pid) is not str or pid not in c.session.personas:
            raise OpError("no such persona")
    personas = tuple(dict.fromkeys(wanted))
    if personas != note.personas:
        c.put_note(touch(note, c.now, personas=personas), note.id)


def _op_comment(c: _Change, op: dict, actor: Actor) -> None:
    s = c.session
    comment_id = _new_id(op, "id", s.comments)
    target = op["target"]
    if type(target) is not str or (target not in s.notes and target not in s.anchors):
        raise OpError("no such note or anchor")
    note = s.notes.get(target)
    if note is not None and (note.hidden or note.private) and not actor.facilitator:
        raise OpError("no such note or anchor")
    text = _text(op, "text", MAX_COMMENT, allow_empty=False)
    comment = Comment(id=comment_id, target=target, text=text, author=actor.name, created=c.now)
    c.put_section("comments", {**s.comments, comment_id: comment})


def _same_but_revision(current: Note | None, expected: Note | None) -> bool:
    """Equal apart from revision and time: an undo gives restored notes a new revision, so
    the step before it must still match."""
    if current is None or expected is None:
        return current is expected
    return replace(current, rev=expected.rev, updated=expected.updated) == expected


def revert(session: Session, applied: Applied, now: str | None = None) -> Applied:
    """Undo ``applied`` on ``session`` where nobody else changed the same items since.

    Notes come back with a new revision (never an old one), so every page and the file
    agree that the undo is the latest change.
    """
    now = now or utc_now()
    change = _Change(session, now)
    for note_id, (before, after) in applied.notes.items():
        current = session.notes.get(note_id)
        if not _same_but_revision(current, after):
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
