"""Comparing two iterations the way a facilitator reads them: per anchor, and per word.

A diff lists notes one by one; a steering group asks "what happened on Metrics?". The summary
per anchor answers that from the same diff, so the CLI, the app and the exports all tell the
same story. Text matching is for boards that do not share note ids (re-typed by hand,
imported from another tool): it pairs notes by what they say, so an edited note reads as an
edit rather than as one note removed and another added. Votes are not changes (each iteration
starts them again): :class:`VoteTotals` reports them per iteration, beside the changes.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from canvas.domain.diff import Change, SessionDiff, changed_fields, diff, for_people
from canvas.domain.matching import TextMatch, match_notes, normalise
from canvas.domain.model import Session

__all__ = [
    "NO_ANCHOR",
    "AnchorSummary",
    "MatchedDiff",
    "Move",
    "TextMatch",
    "VoteTotals",
    "anchor_summaries",
    "diff_with_matching",
    "match_by_text",
    "normalise",
    "vote_totals",
    "word_diff",
]

NO_ANCHOR = "no anchor"
_TOKENS = re.compile(r"\s+|\S+")
_STATUS_TEXT = {"added": "new anchor", "removed": "anchor removed", "changed": "anchor edited"}


@dataclass(frozen=True, slots=True)
class Move:
    """Notes that moved between one anchor and another (``anchor`` None: no anchor)."""

    anchor: str | None
    title: str
    count: int


@dataclass(frozen=True, slots=True)
class AnchorSummary:
    """What happened on one anchor between two iterations.

    ``status`` is the anchor's own fate: "added", "removed", "changed" (its title, position...
    were edited) or "". Counts and votes are of the notes placed on it; ``added`` and
    ``removed`` count notes that are new or gone, ``edited`` notes on it whose text changed,
    and ``moved_in`` / ``moved_out`` notes that changed anchor, per other anchor. Votes are
    kept as figures but are no change (:class:`VoteTotals` tells them), so a vote reset does
    not make every voted anchor look changed.
    """

    anchor: str
    title: str
    status: str
    notes_before: int
    notes_after: int
    votes_before: int
    votes_after: int
    added: int = 0
    removed: int = 0
    edited: int = 0
    moved_in: tuple[Move, ...] = ()
    moved_out: tuple[Move, ...] = ()

    @property
    def delta_notes(self) -> int:
        return self.notes_after - self.notes_before

    @property
    def delta_votes(self) -> int:
        return self.votes_after - self.votes_before

    @property
    def changed(self) -> bool:
        """True when :meth:`describe` has anything to say."""
        return bool(
            self.status
            or self.delta_notes
            or self.added
            or self.removed
            or self.edited
            or self.moved_in
            or self.moved_out
        )

    def describe(self) -> str:
        """The changes without the title: "+7 notes; 2 notes moved here from X"."""
        groups: list[str] = []
        if self.delta_notes:
            groups.append(_signed(self.delta_notes, "note"))
        if self.moved_in:
            groups.append(_moves(self.moved_in, "moved here from", "from"))
        if self.moved_out:
            groups.append(_moves(self.moved_out, "moved away to", "to"))
        if self.added and self.removed:
            groups.append(f"{_count(self.added, 'note')} added, {self.removed} removed")
        elif self.added or self.removed:
            n, what = (self.added, "added") if self.added else (self.removed, "removed")
            groups.append(f"{_count(n, 'note')} {what}")
        if self.edited:
            groups.append(f"{_count(self.edited, 'note')} edited")
        if self.status:
            groups.append(_STATUS_TEXT[self.status])
        return "; ".join(groups) or "no change"

    def text(self) -> str:
        """One line for people: "Metrics: +7 notes; 2 notes moved here from X"."""
        return f"{self.title}: {self.describe()}"

    def to_dict(self) -> dict[str, Any]:
        """Every field, the deltas and the text, as plain JSON-ready data."""

        def moves(items: tuple[Move, ...]) -> list[dict[str, Any]]:
            return [{"anchor": m.anchor, "title": m.title, "count": m.count} for m in items]

        return {
            "anchor": self.anchor,
            "title": self.title,
            "status": self.status,
            "notes_before": self.notes_before,
            "notes_after": self.notes_after,
            "delta_notes": self.delta_notes,
            "votes_before": self.votes_before,
            "votes_after": self.votes_after,
            "delta_votes": self.delta_votes,
            "added": self.added,
            "removed": self.removed,
            "edited": self.edited,
            "moved_in": moves(self.moved_in),
            "moved_out": moves(self.moved_out),
            "text": self.text(),
        }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _signed(n: int, noun: str) -> str:
    if not n:
        return ""
    return f"{'+' if n > 0 else '-'}{_count(abs(n), noun)}"


def _moves(moves: tuple[Move, ...], first: str, rest: str) -> str:
    head, *tail = moves
    parts = [f"{_count(head.count, 'note')} {first} {head.title}"]
    parts += [f"{m.count} {rest} {m.title}" for m in tail]
    return ", ".join(parts)


def _movements(d: SessionDiff) -> tuple[Counter, dict, dict]:
    """Per anchor: notes edited on it, and notes moved in (from where) and out (to where)."""
    edited: Counter = Counter()
    moved_in: dict[str | None, Counter] = {}
    moved_out: dict[str | None, Counter] = {}
    for change in d.notes.updated.values():
        src, dst = change.before.anchor, change.after.anchor
        if src != dst:
            moved_in.setdefault(dst, Counter())[src] += 1
            moved_out.setdefault(src, Counter())[dst] += 1
        if "text" in change.fields:
            edited[dst] += 1
    return edited, moved_in, moved_out


def _title(anchor_id: str | None, first: Session, second: Session) -> str:
    if anchor_id is None:
        return NO_ANCHOR
    anchor = first.anchors.get(anchor_id) or second.anchors.get(anchor_id)
    return anchor.title if anchor else anchor_id


def anchor_summaries(
    before: Session,
    after: Session,
    d: SessionDiff | None = None,
    *,
    include_unchanged: bool = False,
) -> list[AnchorSummary]:
    """What happened on each anchor (present in either session), in anchor id order.

    ``d`` is the diff to read changes from (computed when None), read through
    :func:`canvas.domain.diff.for_people`; pass the diff of :func:`diff_with_matching` to count
    notes matched by text as moved or edited. Counts and votes come from the sessions
    themselves: every note placed on the anchor, hidden and private ones included. Only anchors
    with something to report are listed unless ``include_unchanged``.
    """
    d = for_people(diff(before, after) if d is None else d)
    notes_b, votes_b = _tally(before)
    notes_a, votes_a = _tally(after)
    added = Counter(n.anchor for n in d.notes.added.values())
    removed = Counter(n.anchor for n in d.notes.removed.values())
    edited, moved_in, moved_out = _movements(d)
    status = {k: "added" for k in d.anchors.added}
    status.update((k, "removed") for k in d.anchors.removed)
    status.update((k, "changed") for k in d.anchors.updated)

    def name(anchor_id: str | None, first: Session, second: Session) -> str:
        return _title(anchor_id, first, second)

    def moves(counter: Counter | None, first: Session, second: Session) -> tuple[Move, ...]:
        if not counter:
            return ()
        items = [Move(k, name(k, first, second), c) for k, c in counter.items()]
        return tuple(sorted(items, key=lambda m: (-m.count, m.title, m.anchor or "")))

    out = []
    for anchor_id in sorted(before.anchors.keys() | after.anchors.keys()):
        summary = AnchorSummary(
            anchor=anchor_id,
            title=name(anchor_id, after, before),
            status=status.get(anchor_id, ""),
            notes_before=notes_b[anchor_id],
            notes_after=notes_a[anchor_id],
            votes_before=votes_b[anchor_id],
            votes_after=votes_a[anchor_id],
            added=added[anchor_id],
            removed=removed[anchor_id],
            edited=edited[anchor_id],
            moved_in=moves(moved_in.get(anchor_id), before, after),
            moved_out=moves(moved_out.get(anchor_id), after, before),
        )
        if include_unchanged or summary.changed:
            out.append(summary)
    return out


@dataclass(frozen=True, slots=True)
class VoteTotals:
    """The votes of two iterations, in all and per anchor: reported beside the changes, not as one.

    ``by_anchor`` holds (anchor id, title, votes before, votes after) for every anchor with
    votes in either iteration, in anchor id order; notes on no anchor count in the totals only.
    """

    before: int
    after: int
    by_anchor: tuple[tuple[str, str, int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "after": self.after,
            "by_anchor": [
                {"anchor": a, "title": t, "before": b, "after": n} for a, t, b, n in self.by_anchor
            ],
        }


def vote_totals(before: Session, after: Session) -> VoteTotals:
    """How many votes each iteration gave, in all and per anchor (see :class:`VoteTotals`)."""
    _, votes_b = _tally(before)
    _, votes_a = _tally(after)
    rows = []
    for anchor_id in sorted(votes_b.keys() | votes_a.keys()):
        if votes_b[anchor_id] or votes_a[anchor_id]:
            anchor = after.anchors.get(anchor_id) or before.anchors.get(anchor_id)
            title = anchor.title if anchor else anchor_id
            rows.append((anchor_id, title, votes_b[anchor_id], votes_a[anchor_id]))
    return VoteTotals(
        before=sum(n.votes for n in before.notes.values()),
        after=sum(n.votes for n in after.notes.values()),
        by_anchor=tuple(rows),
    )


def _tally(session: Session) -> tuple[Counter, Counter]:
    notes: Counter = Counter()
    votes: Counter = Counter()
    for note in session.notes.values():
        if note.anchor is not None:
            notes[note.anchor] += 1
            votes[note.anchor] += note.votes
    return notes, votes


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``old`` turned into ``new`` word by word: ("equal" | "insert" | "delete", token).

    Tokens are runs of non-space and runs of space, so joining the "equal" and "delete"
    tokens gives ``old`` back exactly, and the "equal" and "insert" tokens give ``new``: an
    edited note can be shown with its line breaks and spacing as typed.
    """
    a = _TOKENS.findall(old)
    b = _TOKENS.findall(new)
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [("equal", t) for t in a[i1:i2]]
            continue
        out += [("delete", t) for t in a[i1:i2]]
        out += [("insert", t) for t in b[j1:j2]]
    return out


def match_by_text(before: Session, after: Session, threshold: float = 0.8) -> list[TextMatch]:
    """Pairs of notes present only in ``before`` and only in ``after`` that say the same thing.

    Similarity is difflib's ``SequenceMatcher(None, old, new, autojunk=False).ratio()`` on
    normalised text
    (Unicode NFKC, case-folded, runs of white space as one space); pairs at or above
    ``threshold`` are taken greedily, best first, each note at most once; equal ratios go
    to the smaller before id, then the smaller after id, so the result never depends on
    dict order. Notes whose normalised text is empty are never matched. Sorted by before id.
    """
    only_before = {k: before.notes[k].text for k in before.notes.keys() - after.notes.keys()}
    only_after = {k: after.notes[k].text for k in after.notes.keys() - before.notes.keys()}
    return match_notes(only_before, only_after, threshold)


class MatchedDiff(NamedTuple):
    """A diff in which notes matched by text count as updated, and the matches made.

    ``matched`` maps the before id of each matched pair to its after id.
    """

    diff: SessionDiff
    matched: dict[str, str]


def diff_with_matching(before: Session, after: Session, threshold: float = 0.8) -> MatchedDiff:
    """:func:`canvas.domain.diff.diff`, with notes that lost their shared id paired by text.

    How ids are reconciled: a matched pair is reported in ``notes.updated`` under its
    *before* id, as ``Change(before_note, after_note, fields)``; ``after_note`` keeps its own
    (after) id, so ``fields`` includes "id", and ``matched`` maps before id -> after id so
    that reports can label it "matched by text". Neither id appears in ``added`` or
    ``removed``. Such a diff is for reading: :func:`canvas.domain.diff.apply` would file the after
    note under the before id, so apply the plain diff instead.
    """
    d = diff(before, after)
    matches = match_notes(
        {k: n.text for k, n in d.notes.removed.items()},
        {k: n.text for k, n in d.notes.added.items()},
        threshold,
    )
    if not matches:
        return MatchedDiff(d, {})
    added = dict(d.notes.added)
    removed = dict(d.notes.removed)
    updated: dict[str, Change] = dict(d.notes.updated)
    for m in matches:
        old = removed.pop(m.before)
        new = added.pop(m.after)
        updated[m.before] = Change(old, new, changed_fields(old, new))
    notes = replace(d.notes, added=added, removed=removed, updated=dict(sorted(updated.items())))
    return MatchedDiff(replace(d, notes=notes), {m.before: m.after for m in matches})
