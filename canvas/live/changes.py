"""What changed on a board, by name, so that pages can be sent the latest state of it.

A page that hears of changes late (the room coalesces them under load, a slow page reads them
late) needs the items' latest state, not every step between: a note dragged 40 times is sent
once, where it is now. So the room keeps, per accepted operation, only the names of what it
touched (a :class:`Change`), and a page that is behind gets one patch built from the current
board for the union of the changes it missed (:meth:`ChangeLog.since`). The log is short: a
page further behind than it reaches starts again from a snapshot.

Each change also names the voters whose ballots it changed: their own view of it differs
from everyone else's (so do the views of the notes' owners, whom the room knows from the
notes). Only they get a personal part besides the bytes shared by their whole audience
(:mod:`canvas.live.audience`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from canvas.domain.model import Voting
from canvas.live.ops import Applied

HISTORY = 1024  # changes kept for pages that are behind


@dataclass(frozen=True, slots=True)
class Change:
    """The names of what one operation (or a run of them) changed."""

    notes: frozenset[str] = frozenset()  # notes whose view changed (gone ones included)
    anchors: frozenset[str] = frozenset()
    sections: frozenset[str] = frozenset()  # settings, facilitation, voting, comments...
    comments: frozenset[str] = frozenset()  # comments that changed, by id
    cards: frozenset[str] = frozenset()  # cards of the layout that moved (or went)
    relaid: bool = False  # the whole layout changed (anchors or curves moved)
    voters: frozenset[str] = frozenset()  # pids whose ballot it changed

    def __or__(self, other: Change) -> Change:
        return Change(
            self.notes | other.notes,
            self.anchors | other.anchors,
            self.sections | other.sections,
            self.comments | other.comments,
            self.cards | other.cards,
            self.relaid or other.relaid,
            self.voters | other.voters,
        )


def revoted(before: Voting, after: Voting, notes: Iterable[str]) -> set[str]:
    """Notes whose cards look different after a change to the vote: every note when the
    vote opens, closes or changes scope (totals and buttons appear or go), else the notes
    whose dots changed (their voters' own counts)."""
    if replace(before, ballots={}) != replace(after, ballots={}):
        return set(notes)
    changed = set()
    for voter in before.ballots.keys() | after.ballots.keys():
        old = before.ballots.get(voter)
        new = after.ballots.get(voter)
        old_dots = old.notes if old else {}
        new_dots = new.notes if new else {}
        changed.update(
            k for k in old_dots.keys() | new_dots.keys() if old_dots.get(k) != new_dots.get(k)
        )
    return changed


def _ballots_changed(before: Voting, after: Voting) -> set[str]:
    return {
        pid
        for pid in before.ballots.keys() | after.ballots.keys()
        if before.ballots.get(pid) is not after.ballots.get(pid)
    }


def of(applied: Applied, placed: Mapping[str, Any]) -> Change:
    """The change an accepted operation made, and what of the layout moved with it."""
    session = applied.session
    d = applied.diff
    notes = {k for k, _, _ in d.notes.pairs()}
    voters: set[str] = set()
    if "voting" in d.session:
        before, after = d.session["voting"]
        notes |= {k for k in revoted(before, after, session.notes) if k in session.notes}
        voters = _ballots_changed(before, after)
    comments: set[str] = set()
    if "comments" in d.session:
        old, new = d.session["comments"]
        comments = {k for k in old.keys() | new.keys() if old.get(k) is not new.get(k)}
    return Change(
        notes=frozenset(notes),
        anchors=frozenset(k for k, _, _ in d.anchors.pairs()),
        sections=frozenset(d.session),
        comments=frozenset(comments),
        cards=frozenset(placed.get("notes") or ()),
        relaid="anchors" in placed,
        voters=frozenset(voters),
    )


class ChangeLog:
    """The changes of the last :data:`HISTORY` revisions of a board, by sequence number."""

    def __init__(self, seq: int = 0, history: int = HISTORY):
        self._changes: deque[tuple[int, Change]] = deque(maxlen=history)
        self._first = seq  # the log covers every revision after this one

    def record(self, seq: int, change: Change) -> None:
        if len(self._changes) == self._changes.maxlen:
            self._first = self._changes[0][0]
        self._changes.append((seq, change))

    def since(self, seq: int) -> Change | None:
        """Everything changed after revision ``seq``; None when the log no longer reaches
        back that far (the page starts again from a snapshot)."""
        if seq < self._first:
            return None
        union = Change()
        for number, change in reversed(self._changes):
            if number <= seq:
                break
            union = union | change
        return union
