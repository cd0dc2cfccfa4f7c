"""The one visibility rule: who sees which note, ballot, comment and owner id."""

from __future__ import annotations

import pytest

from canvas.domain.model import Ballot, Comment, Note, Session, Voting
from canvas.domain.visibility import Role, may_see, project

A, B = "p-aaaaaaaa", "p-bbbbbbbb"


def _board() -> Session:
    notes = {
        "open": Note(id="open", text="everyone", x=0.1, y=0.1, horizon="H1", owner=A),
        "mine": Note(
            id="mine", text="A's secret", x=0.2, y=0.2, horizon="H1", owner=A, private=True
        ),
        "hid": Note(id="hid", text="hidden", x=0.3, y=0.3, horizon="H1", owner=B, hidden=True),
    }
    voting = Voting(
        open=True, ballots={A: Ballot("Ann", {"open": 2}), B: Ballot("Bo", {"open": 1})}
    )
    comments = {"c1": Comment(id="c1", target="open", text="why?", author="Mair")}
    return Session(id="s", title="t", notes=notes, voting=voting, comments=comments)


def test_the_facilitator_sees_everything():
    s = _board()
    assert project(s, Role.FACILITATOR) is s
    assert all(may_see(n, "facilitator") for n in s.notes.values())


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.OBSERVER, Role.REVIEWER])
@pytest.mark.parametrize("pid", ["p-cccccccc", ""])
def test_nobody_else_sees_hidden_notes_or_others_private_notes(role, pid):
    seen = project(_board(), role, pid)
    assert set(seen.notes) == {"open"}


def test_an_author_still_sees_their_own_hidden_note_and_nobody_elses():
    seen = project(_board(), Role.PARTICIPANT, B)
    assert set(seen.notes) == {"open", "hid"}
    assert seen.notes["hid"].hidden and seen.notes["hid"].owner == B
    assert set(project(_board(), Role.PARTICIPANT, A).notes) == {"open", "mine"}


def test_an_author_sees_their_own_private_note_and_their_own_owner_id_only():
    seen = project(_board(), Role.PARTICIPANT, A)
    assert set(seen.notes) == {"open", "mine"}
    assert seen.notes["mine"].owner == A
    other = project(_board(), Role.PARTICIPANT, B)
    assert other.notes["open"].owner == ""


def test_ballots_are_secret_but_ones_own():
    assert set(project(_board(), Role.PARTICIPANT, A).voting.ballots) == {A}
    assert project(_board(), Role.OBSERVER, "").voting.ballots == {}


def test_comments_reach_only_those_who_comment():
    assert project(_board(), Role.REVIEWER, "").comments
    assert project(_board(), Role.PARTICIPANT, A).comments == {}
    assert project(_board(), Role.OBSERVER, "").comments == {}


def test_a_projection_is_still_a_valid_session():
    from canvas.format import store

    seen = project(_board(), Role.OBSERVER, "")
    assert store.loads(store.dumps(seen)) == seen


def test_roles_read_as_their_words():
    assert Role("observer") is Role.OBSERVER and Role.OBSERVER == "observer"
    assert [r.value for r in Role if r.writes] == ["facilitator", "participant"]
