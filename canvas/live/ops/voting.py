"""Dot voting: the facilitator opens a vote with a budget and a scope, people give and take
back dots, and closing the vote turns every ballot into the notes' totals."""

from __future__ import annotations

from dataclasses import replace

from canvas.domain.model import ANCHOR_KINDS, HORIZONS, Ballot, Note, Session, Voting, touch
from canvas.domain.visibility import may_see
from canvas.live.actor import Actor
from canvas.live.ops import values as v
from canvas.live.ops.change import Recorder
from canvas.live.ops.values import OpError


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


def tally(voting: Voting) -> dict[str, int]:
    """Dots per note over every ballot."""
    totals: dict[str, int] = {}
    for ballot in voting.ballots.values():
        for note_id, dots in ballot.notes.items():
            totals[note_id] = totals.get(note_id, 0) + dots
    return totals


def vote_start(c: Recorder, op: dict, actor: Actor) -> None:
    budget = op.get("budget", Voting().budget)
    if type(budget) is not int or not 1 <= budget <= v.MAX_BUDGET:
        raise OpError(f"budget must be a whole number from 1 to {v.MAX_BUDGET}")
    kind = op.get("kind") or ""
    if kind and kind not in ANCHOR_KINDS:
        raise OpError("kind must be a kind of anchor")
    horizon = op.get("horizon") or ""
    if horizon and horizon not in HORIZONS:
        raise OpError("horizon must be one of H1, H2, H3")
    c.put_section("voting", Voting(open=True, budget=budget, kind=kind, horizon=horizon))


def vote_close(c: Recorder, op: dict, actor: Actor) -> None:
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


def vote(c: Recorder, op: dict, actor: Actor) -> None:
    voting = c.session.voting
    if not voting.open:
        raise OpError("no vote is open")
    delta = op["delta"]
    if delta not in (1, -1) or type(delta) is not int:
        raise OpError("delta must be 1 or -1")
    note = v.note(c.session, op["id"])
    if not may_see(note, actor.role, actor.pid):
        raise OpError(v.GONE)
    if not in_scope(c.session, note, voting):
        raise OpError("this note is not part of the vote")
    ballot = voting.ballots.get(actor.pid) or Ballot(name=actor.name)
    used = sum(ballot.notes.values())
    mine = ballot.notes.get(note.id, 0)
    if delta > 0 and used >= voting.budget:
        raise OpError(f"you have used all {voting.budget} of your votes", "budget")
    if delta < 0 and mine == 0:
        raise OpError("you have no vote on this note to take back")
    dots = {**ballot.notes, note.id: mine + delta}
    if dots[note.id] == 0:
        del dots[note.id]
    ballots = {**voting.ballots, actor.pid: Ballot(name=actor.name, notes=dots)}
    c.put_section("voting", replace(voting, ballots=ballots))
