"""Pure operations on the model, the curves and the horizon rule."""

from __future__ import annotations

import pytest

from canvas.domain.horizons import Curves, horizon_at
from canvas.domain.model import (
    Anchor,
    ModelError,
    Note,
    Session,
    add_note,
    clean_text,
    remove_anchor,
    remove_note,
    touch,
    update_note,
)


def test_operations_return_new_sessions_and_leave_the_old_alone():
    s0 = Session(id="s", title="t")
    note = Note(id="n1", text="hello", x=0.2, y=0.8, horizon="H1")
    s1 = add_note(s0, note)
    assert s0.notes == {}
    assert s1.notes["n1"] is note
    s2 = update_note(s1, "n1", text="bye", now="2022-01-01T00:00:00Z")
    assert s1.notes["n1"].text == "hello"
    assert s2.notes["n1"].text == "bye"
    assert s2.notes["n1"].rev == 1
    assert s2.notes["n1"].updated == "2022-01-01T00:00:00Z"
    assert remove_note(s2, "n1").notes == {}


def test_touch_bumps_revision_every_time():
    note = Note(id="n", text="a", x=0, y=0, horizon="H1")
    assert touch(touch(note, text="b"), text="c").rev == 2


def test_refuses_duplicate_and_unknown_ids():
    s = add_note(Session(id="s", title="t"), Note(id="n", text="", x=0, y=0, horizon="H1"))
    with pytest.raises(ModelError):
        add_note(s, Note(id="n", text="", x=0, y=0, horizon="H1"))
    with pytest.raises(ModelError):
        update_note(s, "missing", text="x")
    with pytest.raises(ModelError):
        remove_note(s, "missing")


def test_removing_an_anchor_detaches_its_notes():
    a = Anchor(id="a", kind="vision", title="V", horizon="H3", x=0.9, y=0.9)
    s = Session(
        id="s",
        title="t",
        anchors={"a": a},
        notes={"n": Note(id="n", text="", x=0.9, y=0.9, horizon="H3", anchor="a")},
    )
    s2 = remove_anchor(s, "a")
    assert s2.anchors == {}
    assert s2.notes["n"].anchor is None
    assert s2.notes["n"].rev == 1


def test_clean_text_strips_what_cannot_be_saved():
    assert clean_text("a\x00b\x1bc\td\r\ne\ud800f") == "abc\td\nef"
    assert clean_text("ŵ 😀 \u2028") == "ŵ 😀 \u2028"


def test_curves_shape():
    c = Curves()
    assert c.h1(0.0) > c.h1(1.0)  # H1 declines
    assert c.h3(0.0) < c.h3(1.0)  # H3 rises
    assert c.h2(0.5) > c.h2(0.0) and c.h2(0.5) > c.h2(1.0)  # H2 rises and falls
    assert abs(c.h1(c.crossover) - c.h3(c.crossover)) < 1e-9  # H1 and H3 cross
    path = c.path("H2", samples=11)
    assert path[0][0] == 0.0 and path[-1][0] == 1.0 and len(path) == 11


def test_horizon_at_picks_the_nearest_curve():
    c = Curves()
    assert horizon_at(0.05, c.h1(0.05)) == "H1"
    assert horizon_at(0.95, c.h3(0.95)) == "H3"
    assert horizon_at(0.5, c.h2(0.5)) == "H2"
    assert horizon_at(0.05, 0.9) == "H1"  # upper left: the dominant present
    assert horizon_at(0.95, 0.95) == "H3"  # upper right: the viable future


def test_reshaped_curves_move_the_horizons():
    early = Curves(crossover=0.3, h2_peak=0.25)
    late = Curves(crossover=0.8, h2_peak=0.75)
    assert early.horizon_at(0.6, 0.8) == "H3"
    assert late.horizon_at(0.6, 0.8) == "H1"
