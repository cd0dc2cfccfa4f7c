"""The diff algebra: a diff carries one session to another, and its inverse carries it back."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings

from canvas.domain.diff import DiffError, apply, diff, for_people, invert, is_change, is_empty
from canvas.domain.model import Note, Session, update_note

from strategies import sessions

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(sessions(), sessions())
def test_apply_diff_gives_target(a, b):
    assert apply(a, diff(a, b)) == b


@SETTINGS
@given(sessions(), sessions())
def test_apply_inverted_diff_gives_source(a, b):
    assert apply(b, invert(diff(a, b))) == a


@SETTINGS
@given(sessions())
def test_diff_with_itself_is_empty(a):
    assert is_empty(diff(a, a))


def _note(nid, **kw):
    base = dict(text="t", x=0.1, y=0.2, horizon="H1")
    base.update(kw)
    return Note(id=nid, **base)


def test_diff_names_changed_fields():
    a = Session(id="s", title="t", notes={"n1": _note("n1"), "n2": _note("n2"), "n3": _note("n3")})
    b = update_note(a, "n1", x=0.5, horizon="H2", now="2022-01-01T00:00:00Z")
    b = update_note(b, "n2", text="new", votes=3, now="2022-01-01T00:00:00Z")
    notes = dict(b.notes)
    del notes["n3"]
    notes["n4"] = _note("n4")
    b = replace(b, notes=notes)
    d = diff(a, b)
    assert list(d.notes.added) == ["n4"]
    assert list(d.notes.removed) == ["n3"]
    assert set(d.notes.updated["n1"].fields) == {"position", "horizon", "updated", "rev"}
    assert set(d.notes.updated["n2"].fields) == {"text", "votes", "updated", "rev"}


def test_apply_refuses_a_diff_for_another_state():
    a = Session(id="s", title="t", notes={"n1": _note("n1")})
    b = update_note(a, "n1", text="changed", now="2022-01-01T00:00:00Z")
    d = diff(a, b)
    with pytest.raises(DiffError):
        apply(b, d)


def test_a_votes_only_update_is_no_change_for_people_but_stays_in_the_algebra():
    a = Session(id="s", title="t", notes={"n1": _note("n1", votes=4), "n2": _note("n2")})
    b = update_note(a, "n1", votes=0, now="2022-01-01T00:00:00Z")
    b = update_note(b, "n2", text="new", now="2022-01-01T00:00:00Z")
    d = diff(a, b)
    assert set(d.notes.updated) == {"n1", "n2"}
    assert not is_change(d.notes.updated["n1"])
    assert is_change(d.notes.updated["n2"])
    assert list(for_people(d).notes.updated) == ["n2"]
    assert apply(a, d) == b  # the algebra still carries the votes


@SETTINGS
@given(sessions(), sessions())
def test_for_people_drops_exactly_the_updates_of_votes_and_bookkeeping(a, b):
    d = diff(a, b)
    seen = for_people(d)
    assert seen.notes.added == d.notes.added and seen.notes.removed == d.notes.removed
    for k, change in d.notes.updated.items():
        kept = k in seen.notes.updated
        assert kept == bool(set(change.fields) - {"votes", "rev", "updated"})
    assert seen.anchors == d.anchors and seen.session == d.session
