"""Recording what an operation changed, as the domain's diff, and undoing it.

An operation's handler changes the session through a :class:`Recorder`, which keeps the new
session and remembers which notes, anchors and sections it touched; the result is an
:class:`Applied` whose ``diff`` is a :class:`~canvas.domain.diff.SessionDiff`, the same type
that comparison, merging and the file's history use. Undo inverts that diff.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from canvas.domain.diff import SessionDiff, diff, invert, is_empty
from canvas.domain.model import Anchor, Note, Session, utc_now
from canvas.live.ops.spec import UNDOABLE
from canvas.live.ops.values import OpError


@dataclass(frozen=True, slots=True)
class Applied:
    """An accepted operation: the session after it, and what it changed."""

    session: Session
    diff: SessionDiff
    name: str = ""

    @property
    def changed(self) -> bool:
        return not is_empty(self.diff)

    @property
    def undoable(self) -> bool:
        """Changes to notes and anchors are; running the workshop (votes, steps) is not."""
        d = self.diff
        return self.name in UNDOABLE and not (d.notes.is_empty() and d.anchors.is_empty())


class Recorder:
    """The session as an operation changes it, and the names of everything it touched."""

    def __init__(self, session: Session, now: str):
        self.start = session
        self.session = session
        self.now = now
        self._touched: dict[str, set[str]] = {"notes": set(), "anchors": set(), "sections": set()}

    def _put(self, kind: str, item: Any, item_id: str) -> None:
        items = dict(getattr(self.session, kind))
        if item is None:
            items.pop(item_id, None)
        else:
            items[item_id] = item
        self.session = replace(self.session, **{kind: items})
        self._touched[kind].add(item_id)

    def put_note(self, note: Note | None, note_id: str) -> None:
        """Add or replace a note (None removes it; its dots go back to their voters)."""
        self._put("notes", note, note_id)
        if note is None:
            self._refund(note_id)

    def put_anchor(self, anchor: Anchor | None, anchor_id: str) -> None:
        """Add or replace an anchor (None removes it, and personas stop naming it)."""
        self._put("anchors", anchor, anchor_id)
        if anchor is None:
            self._unlink_personas(anchor_id)

    def put_section(self, name: str, value: Any) -> None:
        self.session = replace(self.session, **{name: value})
        self._touched["sections"].add(name)

    def _refund(self, note_id: str) -> None:
        voting = self.session.voting
        if not any(note_id in b.notes for b in voting.ballots.values()):
            return
        ballots = {
            voter: replace(b, notes={k: v for k, v in b.notes.items() if k != note_id})
            for voter, b in voting.ballots.items()
        }
        self.put_section("voting", replace(voting, ballots=ballots))

    def _unlink_personas(self, anchor_id: str) -> None:
        personas = self.session.personas
        if not any(anchor_id in p.challenge_areas for p in personas.values()):
            return
        unlinked = {
            k: replace(p, challenge_areas=tuple(a for a in p.challenge_areas if a != anchor_id))
            for k, p in personas.items()
        }
        self.put_section("personas", unlinked)

    def result(self, name: str = "") -> Applied:
        touched = self._touched
        d = diff(
            self.start,
            self.session,
            notes=touched["notes"],
            anchors=touched["anchors"],
            sections=sorted(touched["sections"]),
        )
        return Applied(self.session, d, name)


def _same_but_revision(current: Note | None, expected: Note | None) -> bool:
    """Equal apart from revision and time: an undo gives restored notes a new revision, so
    the step before it must still match."""
    if current is None or expected is None:
        return current is expected
    return replace(current, rev=expected.rev, updated=expected.updated) == expected


def revert(session: Session, applied: Applied, now: str | None = None) -> Applied:
    """Undo ``applied`` on ``session`` where nobody else changed the same items since.

    The inverse of the operation's diff, applied with one difference: restored notes come
    back with a new revision (never an old one), so every page and the file agree that the
    undo is the latest change.
    """
    now = now or utc_now()
    back = invert(SessionDiff(notes=applied.diff.notes, anchors=applied.diff.anchors))
    rec = Recorder(session, now)
    for note_id, expected, restored in back.notes.pairs():
        current = session.notes.get(note_id)
        if not _same_but_revision(current, expected):
            raise OpError("someone else changed this note since; undo is not possible")
        if restored is not None:
            rev = max(restored.rev, current.rev if current else 0) + 1
            restored = replace(restored, rev=rev, updated=now)
        rec.put_note(restored, note_id)
    for anchor_id, expected, restored in back.anchors.pairs():
        if session.anchors.get(anchor_id) != expected:
            raise OpError("someone else changed this anchor since; undo is not possible")
        rec.put_anchor(restored, anchor_id)
    return rec.result()
