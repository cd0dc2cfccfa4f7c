"""Who may see what: the roles, and the one rule every way out of the server applies.

A board holds things that not everyone in the room may see: notes the facilitator hid,
notes written privately and not yet revealed, the ballots of a dot vote (who gave dots to
what), comments meant for the facilitator, and the ids that tie notes to the people who wrote
them. Pages, patches, compare payloads and every export go through :func:`project` or
:func:`may_see`, so a rule changed here changes everywhere at once.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from canvas.domain.model import Ballot, Note, Session, Voting


class Role(StrEnum):
    """What a person came to do. Values are the words of URLs, messages and files."""

    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"
    REVIEWER = "reviewer"
    OBSERVER = "observer"

    @property
    def writes(self) -> bool:
        """Adds and changes notes (a participant their own, the facilitator any)."""
        return self in (Role.FACILITATOR, Role.PARTICIPANT)

    @property
    def comments(self) -> bool:
        """Writes and reads reviewers' comments."""
        return self in (Role.FACILITATOR, Role.REVIEWER)

    @property
    def leads(self) -> bool:
        """Runs the workshop and sees everything."""
        return self is Role.FACILITATOR


def may_see(note: Note, role: Role | str, pid: str = "") -> bool:
    """The visibility rule: the facilitator sees every note; everyone else sees a note that
    is neither hidden nor private (unrevealed), and their own notes whatever they are.

    An author keeps sight of their own hidden note (their page shows it greyed, "hidden by
    the facilitator"): a note that vanished without a word was typed again.
    """
    if role == Role.FACILITATOR:
        return True
    if bool(pid) and note.owner == pid:
        return True
    return not note.hidden and not note.private


def in_snapshot(note: Note, include_private: bool = False) -> bool:
    """Whether a note belongs in a snapshot of the results (an export): hidden notes never
    do, whoever asks, since hiding is moderation; unrevealed private ones only on request."""
    return not note.hidden and (include_private or not note.private)


def _own_ballot(voting: Voting, pid: str) -> dict[str, Ballot]:
    ballot = voting.ballots.get(pid) if pid else None
    return {pid: ballot} if ballot is not None else {}


def project(session: Session, role: Role | str, pid: str = "") -> Session:
    """The session as one person may see it.

    For everyone but the facilitator: only the notes :func:`may_see` allows, with the owner id
    kept only on their own notes; of the ballots, only their own; comments only for those who
    comment. The result is still a valid session, so any export can be made from it.
    """
    if role == Role.FACILITATOR:
        return session
    notes = {
        k: (n if n.owner == pid or not n.owner else replace(n, owner=""))
        for k, n in session.notes.items()
        if may_see(n, role, pid)
    }
    voting = session.voting
    if voting.ballots:
        voting = replace(voting, ballots=_own_ballot(voting, pid))
    comments = session.comments if Role(role).comments else {}
    return replace(session, notes=notes, voting=voting, comments=comments)
