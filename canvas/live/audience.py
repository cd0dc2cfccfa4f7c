"""Who sees a board the same way: one encoding per audience, and each person's own part.

What a page may see depends on its role (:mod:`canvas.domain.visibility`) and, for a
participant, on who they are: their own notes (marked as theirs, private ones included) and
their own dots. Everything else a participant sees is what every participant sees. So a
change is encoded once per audience (the facilitator, a participant who owns nothing here, a
reviewer, an observer) and the same bytes go to every page of that audience; a participant
whose own notes or ballot the change touched also gets a small personal part, ``mine``, which
their page lays over the shared one (``transport.js``; :mod:`canvas.live.inbox` is its twin in
Python, and the convergence test holds them to the same board).

``mine`` holds the person's notes as they see them (replacing the shared views), and, when
their ballot changed, their dots (``voting.dots``, note id to dots, and ``voting.used``); a
page keeps its dots and lays them over every shared note view that shows dots (``my_votes``)
and over every shared vote (``used``), so a vote costs one personal part, the voter's, however
many people have dots on the same note. Where the results name a private note of the person
(``ranked``), that differs too and travels in ``mine``.
"""

from __future__ import annotations

from collections.abc import Iterable

from canvas.domain.model import Session
from canvas.domain.visibility import Role, may_see
from canvas.live import wire
from canvas.live.actor import Actor
from canvas.live.ops import tally

# A participant's view without anything of their own: no note's owner is ever this id (a
# real one is "p-" and 16 hex digits), and no ballot is kept under it.
NOBODY = "-"
AUDIENCES = {
    Role.FACILITATOR: Actor(role=Role.FACILITATOR, pid="facilitator"),
    Role.PARTICIPANT: Actor(role=Role.PARTICIPANT, pid=NOBODY),
    Role.REVIEWER: Actor(role=Role.REVIEWER, pid=""),
    Role.OBSERVER: Actor(role=Role.OBSERVER, pid=""),
}


def audience(actor: Actor) -> Actor:
    """The actor whose view a page shares: its role's (all facilitators are one person)."""
    return AUDIENCES[actor.role]


def personal(actor: Actor) -> bool:
    """Whether a page may get a personal part: a participant's (anyone else sees exactly
    what their audience sees)."""
    return actor.role is Role.PARTICIPANT


class Owners:
    """Which notes each person wrote, kept current per change, so that a page joining a
    large board finds its person's notes without reading every note."""

    def __init__(self, session: Session):
        self._owner: dict[str, str] = {}
        self._notes: dict[str, set[str]] = {}
        self.update(session, session.notes)

    def update(self, session: Session, ids: Iterable[str]) -> None:
        for note_id in ids:
            old = self._owner.pop(note_id, None)
            if old is not None:
                self._notes[old].discard(note_id)
            note = session.notes.get(note_id)
            if note is not None and note.owner:
                self._owner[note_id] = note.owner
                self._notes.setdefault(note.owner, set()).add(note_id)

    def of(self, pid: str) -> set[str]:
        return self._notes.get(pid, set())

    def owners(self, ids: Iterable[str]) -> set[str]:
        """Who wrote any of ``ids`` (notes that are gone have nobody)."""
        return {owner for i in ids if (owner := self._owner.get(i)) is not None}


def ranked_owners(session: Session) -> set[str]:
    """People whose closed-vote results name a private note only they may see."""
    voting = session.voting
    if voting.open or not voting.ballots:
        return set()
    return {
        note.owner
        for note_id in tally(voting)
        if (note := session.notes.get(note_id)) is not None
        and note.owner
        and not may_see(note, Role.PARTICIPANT, NOBODY)
        and may_see(note, Role.PARTICIPANT, note.owner)
    }


def _own_notes(session: Session, actor: Actor, ids: Iterable[str]) -> dict[str, dict]:
    views = {}
    for note_id in sorted(ids):
        note = session.notes.get(note_id)
        if note is not None and note.owner == actor.pid:
            view = wire.note_view(note, actor, session)
            if view is not None:
                views[note_id] = view
    return views


def _ballot(session: Session, actor: Actor) -> dict:
    ballot = session.voting.ballots.get(actor.pid)
    dots = dict(ballot.notes) if ballot else {}
    return {"used": sum(dots.values()), "dots": dots}


def _differs(session: Session, actor: Actor, shared: dict) -> dict:
    """The fields of the vote this person sees otherwise than their audience (``used``
    apart: the page lays its own over every shared vote)."""
    mine = wire.voting_view(session, actor)
    return {k: v for k, v in mine.items() if k != "used" and shared.get(k) != v}


def overlay(
    session: Session,
    actor: Actor,
    notes: Iterable[str],
    *,
    ballot_changed: bool,
    shared_vote: dict | None,
) -> dict | None:
    """A participant's personal part of a patch; None when they see it as everyone does.

    ``notes`` are the notes the patch names, ``shared_vote`` the vote as the shared patch
    shows it (None: the patch has none).
    """
    message: dict = {"type": "mine", "notes": _own_notes(session, actor, notes)}
    vote: dict = {}
    if shared_vote is not None:
        vote.update(_differs(session, actor, shared_vote))
    if ballot_changed:
        vote.update(_ballot(session, actor))
    if vote:
        message["voting"] = vote
    return message if message["notes"] or vote else None


def snapshot_overlay(session: Session, actor: Actor, owners: Owners, shared_vote: dict) -> dict:
    """A participant's personal part of a snapshot: their notes, their dots, their vote."""
    vote = _differs(session, actor, shared_vote) | _ballot(session, actor)
    return {
        "type": "mine",
        "notes": _own_notes(session, actor, owners.of(actor.pid)),
        "voting": vote,
    }
