"""References between items, and the one rule for what happens when the target is gone.

Notes point at an anchor and at personas, personas at challenge areas (anchors) and at other
personas, ballots at the notes they gave dots to, comments at a note or an anchor. The rule
for an orphan, everywhere (reading a file, merging breakout maps, removing an item live):

- a note whose anchor is gone is **detached**: it stays on the board where it is;
- a link to a removed persona or anchor (a note's personas, a persona's challenge areas or
  links) is **dropped**;
- dots on a removed note go **back to their voter** (dropped from the ballot);
- a comment **outlives** the note or anchor it was about: reviewers' words are never lost.

A file that holds a dangling reference is refused (someone edited it by hand, and should
know); a merge or a live removal repairs by the rule above.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from canvas.domain.model import Ballot, Session


@dataclass(frozen=True, slots=True)
class Dangling:
    """One reference whose target does not exist: ``kind.item.field`` names ``target``."""

    kind: str
    item: str
    field: str
    target: str

    @property
    def path(self) -> tuple[str, ...]:
        if self.kind == "voting.ballots":
            return ("voting", "ballots", self.item, "notes", self.target)
        return (self.kind, self.item, self.field)


def dangling(
    session: Session, known: Mapping[str, Collection[str]] | None = None
) -> list[Dangling]:
    """Every reference to a note, anchor or persona that is not there (comments excepted:
    they may outlive their target). ``known`` gives the ids that exist, when they are not
    simply the session's (a file's items that failed to read still exist as targets)."""
    ids = known or {
        "anchors": session.anchors,
        "notes": session.notes,
        "personas": session.personas,
    }
    anchors, notes, personas = ids["anchors"], ids["notes"], ids["personas"]
    found = []
    for k, n in session.notes.items():
        if n.anchor is not None and n.anchor not in anchors:
            found.append(Dangling("notes", k, "anchor", n.anchor))
        found += [Dangling("notes", k, "personas", p) for p in n.personas if p not in personas]
    for k, p in session.personas.items():
        found += [
            Dangling("personas", k, "challenge_areas", a)
            for a in p.challenge_areas
            if a not in anchors
        ]
        found += [Dangling("personas", k, "links", o) for o in p.links if o not in personas]
    for voter, ballot in session.voting.ballots.items():
        found += [
            Dangling("voting.ballots", voter, "notes", n) for n in ballot.notes if n not in notes
        ]
    return found


def _only(ids: tuple[str, ...], known: dict) -> tuple[str, ...]:
    return tuple(i for i in ids if i in known)


def repaired(session: Session) -> tuple[Session, list[Dangling]]:
    """The session with every orphan treated by the rule, and what was repaired."""
    found = dangling(session)
    if not found:
        return session, []
    notes = dict(session.notes)
    for k, n in session.notes.items():
        changes: dict[str, Any] = {}
        if n.anchor is not None and n.anchor not in session.anchors:
            changes["anchor"] = None
        kept = _only(n.personas, session.personas)
        if kept != n.personas:
            changes["personas"] = kept
        if changes:
            notes[k] = replace(n, **changes)
    personas = {
        k: replace(
            p,
            challenge_areas=_only(p.challenge_areas, session.anchors),
            links=_only(p.links, session.personas),
        )
        for k, p in session.personas.items()
    }
    ballots = {
        voter: Ballot(b.name, {k: v for k, v in b.notes.items() if k in session.notes})
        for voter, b in session.voting.ballots.items()
    }
    voting = replace(session.voting, ballots=ballots)
    return replace(session, notes=notes, personas=personas, voting=voting), found


def referring_notes(session: Session, anchor_id: str) -> list[str]:
    """The notes placed on an anchor (detached when it goes), in id order."""
    return sorted(k for k, n in session.notes.items() if n.anchor == anchor_id)
