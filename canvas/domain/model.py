"""The board as plain, immutable data: sessions, anchors, notes, personas.

Everything above this module (the format, the live hub, the views) trades in these values.
They are frozen so that a room can hand the same session to many readers without copying,
and every change is a pure function that returns a new value; a diff of two sessions can then
rely on identity for the notes nobody touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

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

    palette: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PALETTE))
    max_text: int = MAX_TEXT
    max_notes: int = MAX_NOTES_PER_PARTICIPANT
    axis_from: str = "Now"
    axis_to: str = "Future"
    h2_peak: float = 0.5
    crossover: float = 0.55


@dataclass(frozen=True, slots=True)
class Anchor:
    """A research output that notes are placed onto (a finding, a challenge area, a vision...)."""

    id: str
    kind: str
    title: str
    horizon: str
    x: float
    y: float
    summary: str = ""
    prompt: str = ""
    title_cy: str = ""
    summary_cy: str = ""
    prompt_cy: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    """A sticky note written during a workshop.

    ``horizon_fixed`` records that someone chose the horizon by hand, so moving the note
    freely no longer re-derives it from the curves.
    """

    id: str
    text: str
    x: float
    y: float
    horizon: str
    anchor: str | None = None
    polarity: str | None = None
    colour: str = DEFAULT_COLOUR
    author: str = ""
    votes: int = 0
    tags: tuple[str, ...] = ()
    personas: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    rev: int = 0
    horizon_fixed: bool = False
    owner: str = ""
    private: bool = False
    hidden: bool = False
    group: str = ""


@dataclass(frozen=True, slots=True)
class Facilitation:
    """Where the workshop is: its step, and what the facilitator has opened or closed.

    ``private`` keeps new notes visible only to their authors until revealed; ``locked``
    lets only the facilitator change the board; ``open_all`` lets notes go to any horizon
    during a step.
    """

    step: str = ""
    open_all: bool = False
    private: bool = False
    locked: bool = False


@dataclass(frozen=True, slots=True)
class Ballot:
    """One voter's dots in a dot vote."""

    name: str = ""
    notes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Voting:
    """The dot vote: its budget per person and scope, and every voter's ballot.

    While ``open``, ballots are secret; when the vote closes, each note in scope gets the
    total of its dots as ``votes``.
    """

    open: bool = False
    budget: int = DEFAULT_BUDGET
    kind: str = ""
    horizon: str = ""
    ballots: dict[str, Ballot] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Persona:
    """One of the report's personas: an innovation profile or a challenge-area voice."""

    id: str
    name: str
    role: str
    group: str
    type: str
    challenge_areas: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    message: str = ""
    quote: str = ""
    role_cy: str = ""
    message_cy: str = ""


@dataclass(frozen=True, slots=True)
class Comment:
    """A reviewer's comment on a note or an anchor, kept in the session for the facilitator."""

    id: str
    target: str
    text: str
    author: str = ""
    created: str = ""


@dataclass(frozen=True, slots=True)
class Session:
    """One workshop iteration: the whole board at one point in time."""

    id: str
    title: str
    workshop: str = ""
    iteration: int = 1
    date: str = ""
    focal_question: str = ""
    facilitator: str = ""
    prompts: dict[str, str] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    anchors: dict[str, Anchor] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    personas: dict[str, Persona] = field(default_factory=dict)
    facilitation: Facilitation = field(default_factory=Facilitation)
    voting: Voting = field(default_factory=Voting)
    comments: dict[str, Comment] = field(default_factory=dict)
    title_cy: str = ""
    focal_question_cy: str = ""
    prompts_cy: dict[str, str] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)


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


def notes_on(session: Session, anchor_id: str) -> list[Note]:
    """The notes placed on an anchor, in id order."""
    return [n for _, n in sorted(session.notes.items()) if n.anchor == anchor_id]
