"""The board as plain, immutable data: sessions, anchors, notes, personas.

Everything above this module (the format, the live hub, the views) trades in these values.
They are frozen so that a room can hand the same session to many readers without copying,
and every change is a pure function that returns a new value; a diff of two sessions can then
rely on identity for the notes nobody touched.
"""

from __future__ import annotations

import re
from dataclasses import KW_ONLY, dataclass, replace
from datetime import UTC, datetime

from canvas.domain.fields import spec

HORIZONS = ("H1", "H2", "H3")
ANCHOR_KINDS = (
    "finding",
    "concern",
    "outcome",
    "pocket",
    "change",
    "challenge_area",
    "action_area",
    "principle",
    "vision",
    "driver",
)
POLARITIES = ("+", "-")
PERSONA_GROUPS = ("innovator", "enabler", "stakeholder")
STEPS = ("H1", "H3", "H2", "review")  # IFF order: "as easy as one, three, two"
DEFAULT_BUDGET = 5
PERSONA_TYPES = ("profile", "voice")

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
COLOUR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")

DEFAULT_PALETTE = {
    "blue": "#cfe8ff",
    "green": "#d3f5d1",
    "orange": "#ffdcb8",
    "pink": "#ffd6e7",
    "purple": "#e6dcff",
    "yellow": "#fff3a6",
}
DEFAULT_COLOUR = "yellow"
MAX_TEXT = 500
MAX_NOTES_PER_PARTICIPANT = 50

# C0 controls other than tab and newline, and lone surrogates, cannot be saved as UTF-8 YAML
# reliably; they are removed wherever text enters the model.
_UNSAVEABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Return ``text`` with line endings normalised and unsaveable characters removed."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAVEABLE.sub("", text)


def has_unsaveable(text: str) -> bool:
    """True when ``text`` holds a character that :func:`clean_text` would remove."""
    return "\r" in text or _UNSAVEABLE.search(text) is not None


def utc_now() -> str:
    """The current time as the format stores it: ISO 8601, UTC, whole seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Settings:
    """Per-session choices: the palette, limits, and the shape and labels of the curves."""

    palette: dict[str, str] = spec("palette", factory=lambda: dict(DEFAULT_PALETTE))
    max_text: int = spec("positive", MAX_TEXT)
    max_notes: int = spec("positive", MAX_NOTES_PER_PARTICIPANT)
    axis_from: str = spec("text", "Now")
    axis_to: str = spec("text", "Future")
    h2_peak: float = spec("unit", 0.5)
    crossover: float = spec("unit", 0.55)


@dataclass(frozen=True, slots=True)
class Anchor:
    """A research output that notes are placed onto (a finding, a challenge area, a vision...)."""

    id: str = spec("id")
    kind: str = spec("anchor_kind")
    title: str = spec("text")
    _: KW_ONLY
    summary: str = spec("text", "")
    horizon: str = spec("horizon")
    x: float = spec("unit", unit="position")
    y: float = spec("unit", unit="position")
    prompt: str = spec("text", "")
    title_cy: str = spec("text", "", since=3)
    summary_cy: str = spec("text", "", since=3)
    prompt_cy: str = spec("text", "", since=3)


@dataclass(frozen=True, slots=True)
class Note:
    """A sticky note written during a workshop.

    ``horizon_fixed`` records that someone chose the horizon by hand, so moving the note
    freely no longer re-derives it from the curves. ``owner`` ties the note to the person
    who wrote it (their server-issued id) and never leaves the server for anyone else.
    """

    id: str = spec("id", bookkeeping=True)
    text: str = spec("text")
    x: float = spec("unit", unit="placement")
    y: float = spec("unit", unit="placement")
    horizon: str = spec("horizon", unit="placement")
    anchor: str | None = spec("id?", None, unit="placement")
    polarity: str | None = spec("polarity", None)
    colour: str = spec("colour", DEFAULT_COLOUR)
    author: str = spec("text", "")
    votes: int = spec("count", 0)
    tags: tuple[str, ...] = spec("tags", ())
    personas: tuple[str, ...] = spec("ids", ())
    created: str = spec("time", "", wire=None)
    updated: str = spec("time", "", wire=None, bookkeeping=True)
    rev: int = spec("count", 0, bookkeeping=True)
    horizon_fixed: bool = spec("flag", False, wire="fixed", unit="placement")
    owner: str = spec("id?", "", since=2, wire=None)
    private: bool = spec("flag", False, since=2)
    hidden: bool = spec("flag", False, since=2)
    group: str = spec("text", "", since=3, wire=None, bookkeeping=True)


@dataclass(frozen=True, slots=True)
class Facilitation:
    """Where the workshop is: its step, and what the facilitator has opened or closed.

    ``private`` keeps new notes visible only to their authors until revealed; ``locked``
    lets only the facilitator change the board; ``open_all`` lets notes go to any horizon
    during a step.
    """

    step: str = spec("step?", "", since=2)
    open_all: bool = spec("flag", False, since=2)
    private: bool = spec("flag", False, since=2)
    locked: bool = spec("flag", False, since=2)


@dataclass(frozen=True, slots=True)
class Ballot:
    """One voter's dots in a dot vote."""

    name: str = spec("text", "", since=2)
    notes: dict[str, int] = spec("dots", factory=dict, since=2)


@dataclass(frozen=True, slots=True)
class Voting:
    """The dot vote: its budget per person and scope, and every voter's ballot.

    While ``open``, ballots are secret; when the vote closes, each note in scope gets the
    total of its dots as ``votes``.
    """

    open: bool = spec("flag", False, since=2)
    budget: int = spec("positive", DEFAULT_BUDGET, since=2)
    kind: str = spec("anchor_kind?", "", since=2)
    horizon: str = spec("horizon?", "", since=2)
    ballots: dict[str, Ballot] = spec("ballots", factory=dict, since=2, of=Ballot)


@dataclass(frozen=True, slots=True)
class Persona:
    """One of the report's personas: an innovation profile or a challenge-area voice."""

    id: str = spec("id")
    name: str = spec("text")
    role: str = spec("text")
    group: str = spec("persona_group")
    type: str = spec("persona_type")
    challenge_areas: tuple[str, ...] = spec("ids", ())
    links: tuple[str, ...] = spec("ids", ())
    message: str = spec("text", "")
    quote: str = spec("text", "")
    role_cy: str = spec("text", "", since=3)
    message_cy: str = spec("text", "", since=3)


@dataclass(frozen=True, slots=True)
class Comment:
    """A reviewer's comment on a note or an anchor, kept in the session for the facilitator.

    Comments form threads: a reply names the comment that opened its thread (``reply_to``),
    and the facilitator resolves a thread by marking that first comment ``resolved``.
    """

    id: str = spec("id", since=3)
    target: str = spec("id", since=3)
    text: str = spec("text", since=3)
    author: str = spec("text", "", since=3)
    created: str = spec("time", "", since=3)
    reply_to: str = spec("id?", "", since=4)
    resolved: bool = spec("flag", False, since=4)


@dataclass(frozen=True, slots=True)
class Session:
    """One workshop iteration: the whole board at one point in time."""

    id: str = spec("id")
    title: str = spec("text")
    workshop: str = spec("id?", "")
    iteration: int = spec("positive", 1)
    date: str = spec("date", "")
    focal_question: str = spec("text", "")
    facilitator: str = spec("text", "")
    prompts: dict[str, str] = spec("prompts", factory=dict)
    settings: Settings = spec("record", factory=Settings, of=Settings)
    anchors: dict[str, Anchor] = spec("items", factory=dict, of=Anchor)
    notes: dict[str, Note] = spec("items", factory=dict, of=Note)
    personas: dict[str, Persona] = spec("items", factory=dict, of=Persona)
    facilitation: Facilitation = spec("record", factory=Facilitation, since=2, of=Facilitation)
    voting: Voting = spec("record", factory=Voting, since=2, of=Voting)
    comments: dict[str, Comment] = spec("items", factory=dict, since=3, of=Comment)
    title_cy: str = spec("text", "", since=3)
    focal_question_cy: str = spec("text", "", since=3)
    prompts_cy: dict[str, str] = spec("prompts", factory=dict, since=3)
    meta: dict = spec("meta", factory=dict)


class ModelError(ValueError):
    """An operation that would leave the session inconsistent."""


def touch(note: Note, now: str | None = None, **changes) -> Note:
    """Return ``note`` with ``changes`` applied, its revision bumped and its time updated.

    This is the only place a note's ``rev`` and ``updated`` change, so every edit path
    (the browser, the CLI, a migration) versions notes the same way.
    """
    return replace(note, **changes, rev=note.rev + 1, updated=now or utc_now())


def with_note(session: Session, note: Note) -> Session:
    """Return ``session`` with ``note`` added or replaced."""
    notes = dict(session.notes)
    notes[note.id] = note
    return replace(session, notes=notes)


def add_note(session: Session, note: Note) -> Session:
    """Return ``session`` with a new note; refuses an id already in use."""
    if note.id in session.notes:
        raise ModelError(f"note {note.id!r} exists already")
    return with_note(session, note)


def update_note(session: Session, note_id: str, now: str | None = None, **changes) -> Session:
    """Return ``session`` with one note changed through :func:`touch`."""
    note = session.notes.get(note_id)
    if note is None:
        raise ModelError(f"no note {note_id!r}")
    return with_note(session, touch(note, now, **changes))


def remove_note(session: Session, note_id: str) -> Session:
    """Return ``session`` without the note ``note_id``."""
    if note_id not in session.notes:
        raise ModelError(f"no note {note_id!r}")
    notes = dict(session.notes)
    del notes[note_id]
    return replace(session, notes=notes)


def with_anchor(session: Session, anchor: Anchor) -> Session:
    """Return ``session`` with ``anchor`` added or replaced."""
    anchors = dict(session.anchors)
    anchors[anchor.id] = anchor
    return replace(session, anchors=anchors)


def remove_anchor(session: Session, anchor_id: str, now: str | None = None) -> Session:
    """Return ``session`` without the anchor; its notes stay where they are, detached."""
    if anchor_id not in session.anchors:
        raise ModelError(f"no anchor {anchor_id!r}")
    anchors = dict(session.anchors)
    del anchors[anchor_id]
    notes = {
        nid: (touch(n, now, anchor=None) if n.anchor == anchor_id else n)
        for nid, n in session.notes.items()
    }
    return replace(session, anchors=anchors, notes=notes)


def threads(session: Session) -> list[tuple[Comment, list[Comment]]]:
    """Every comment thread: its first comment and its replies, oldest first.

    A reply whose first comment is gone (removed by a merge) opens a thread of its own, so
    no reviewer's words are lost.
    """
    order = sorted(session.comments.values(), key=lambda c: (c.created, c.id))
    replies: dict[str, list[Comment]] = {}
    roots = []
    for c in order:
        if c.reply_to and c.reply_to in session.comments:
            replies.setdefault(c.reply_to, []).append(c)
        else:
            roots.append(c)
    return [(root, replies.get(root.id, [])) for root in roots]


def notes_on(session: Session, anchor_id: str) -> list[Note]:
    """The notes placed on an anchor, in id order."""
    return [n for _, n in sorted(session.notes.items()) if n.anchor == anchor_id]
