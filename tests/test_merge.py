"""Merging breakout maps: order does not matter, each group's work arrives, conflicts follow
the stated rule, and ``horizons merge`` does it on files."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canvas.domain.merge import Conflict, merge
from canvas.domain.model import (
    Anchor,
    Comment,
    Note,
    Session,
    add_note,
    remove_anchor,
    remove_note,
    update_note,
)
from canvas.format import store, templates

from strategies import edited, sessions

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = ["Group A", "group-b", "Grŵp C", "Red", "blue", "Z"]
DAY = "2026-01-02"
T1, T2 = "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z"


@st.composite
def breakouts(draw):
    """A base session and 2-4 groups, each the base after its own random edits."""
    base = draw(sessions())
    names = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=4, unique=True))
    groups = {name: draw(edited(base, tag=f"g{i}")) for i, name in enumerate(names)}
    return base, groups


def content(session: Session) -> Session:
    return replace(session, id="", title="", iteration=1)


@SETTINGS
@given(breakouts(), st.randoms(use_true_random=False))
def test_any_order_of_the_groups_gives_the_same_merge(case, rng):
    base, groups = case
    first = merge(base, groups, date=DAY)
    names = list(groups)
    rng.shuffle(names)
    again = merge(base, {n: groups[n] for n in names}, title="Other", date=DAY)
    assert content(again.session) == content(first.session)
    assert again.conflicts == first.conflicts


@SETTINGS
@given(breakouts())
def test_the_merge_is_a_valid_session_file(case):
    base, groups = case
    merged = merge(base, groups, date=DAY).session
    assert store.loads(store.dumps(merged)) == merged
    assert merged.iteration == base.iteration + 1


def _touched_by_others(kind, item_id, name, base, groups) -> bool:
    old = getattr(base, kind).get(item_id)
    return any(getattr(s, kind).get(item_id) != old for n, s in groups.items() if n != name)


@SETTINGS
@given(breakouts())
def test_each_group_finds_its_own_changes_in_the_merge(case):
    base, groups = case
    result = merge(base, groups, date=DAY)
    merged = result.session
    repaired = {(c.kind, c.id) for c in result.conflicts}
    for name, session in groups.items():
        for kind in ("notes", "anchors"):
            mine_all, old_all = getattr(session, kind), getattr(base, kind)
            for item_id in mine_all.keys() | old_all.keys():
                mine, old = mine_all.get(item_id), old_all.get(item_id)
                if mine == old or _touched_by_others(kind, item_id, name, base, groups):
                    continue
                if (kind, item_id) in repaired:
                    continue
                got = getattr(merged, kind).get(item_id)
                if mine is None:
                    assert got is None
                elif kind == "anchors":
                    assert got == mine
                else:
                    edited_here = old is None or mine.rev != old.rev
                    assert got == replace(mine, group=name if edited_here else old.group)


@SETTINGS
@given(breakouts())
def test_conflicts_are_resolved_by_the_stated_rule(case):
    base, groups = case
    result = merge(base, groups, date=DAY)
    merged = result.session
    reported = {(c.kind, c.id, c.field) for c in result.conflicts}
    ordered = sorted(groups.items())
    for nid, old in base.notes.items():
        versions = [(n, s.notes.get(nid)) for n, s in ordered]
        if any(v is None for _, v in versions):
            assert nid not in merged.notes  # a delete wins
            continue
        texts = [(n, v) for n, v in versions if v.text != old.text]
        if len({v.text for _, v in texts}) > 1:
            _, winner = min(texts, key=lambda t: (-t[1].rev, t[0]))
            assert merged.notes[nid].text == winner.text
            assert ("notes", nid, "text") in reported
        elif texts:
            assert merged.notes[nid].text == texts[0][1].text
        voted = [v.votes for _, v in versions if v.votes != old.votes]
        assert merged.notes[nid].votes == (sum(voted) if voted else old.votes)


# ---------------------------------------------------------------------------------------------
# The rule, case by case


def _board() -> Session:
    anchors = {
        "a1": Anchor("a1", "finding", "Finding", horizon="H1", x=0.1, y=0.8),
        "a2": Anchor("a2", "vision", "Vision", horizon="H3", x=0.9, y=0.2),
    }
    notes = {
        f"n{i}": Note(f"n{i}", f"note {i}", 0.1, 0.8, "H1", anchor="a1", votes=1, tags=("x",))
        for i in range(1, 5)
    }
    return Session(id="w-02", title="Base", workshop="w", iteration=2, anchors=anchors, notes=notes)


def test_a_field_changed_differently_goes_to_the_higher_rev_then_the_first_name():
    base = _board()
    a = update_note(base, "n1", now=T1, text="A says")
    b = update_note(update_note(base, "n1", now=T1, colour="blue"), "n1", now=T2, text="B says")
    result = merge(base, {"A": a, "B": b}, date=DAY)
    note = result.session.notes["n1"]
    assert (note.text, note.colour, note.group) == ("B says", "blue", "B")
    assert note.rev == 3 and note.updated == T2
    [conflict] = result.conflicts
    assert conflict == Conflict(
        "notes", "n1", "text", ("A", "B"), "changed by A, B; kept B's (higher rev)"
    )
    b = update_note(base, "n1", now=T1, text="B says")
    result = merge(base, {"B": b, "A": a}, date=DAY)
    assert result.session.notes["n1"].text == "A says"
    assert (
        result.conflicts[0].text() == "note n1 text: changed by A, B; kept A's (first group name)"
    )


def test_a_delete_wins_over_edits_and_is_reported():
    base = _board()
    a = remove_note(base, "n2")
    b = update_note(base, "n2", now=T1, text="kept?")
    result = merge(base, {"A": a, "B": b}, date=DAY)
    assert "n2" not in result.session.notes
    assert [c.text() for c in result.conflicts] == [
        "note n2 deleted: deleted by A; the changes of B dropped (a delete wins)"
    ]


def test_placement_moves_as_one_and_votes_add_up_and_tags_merge_as_sets():
    base = _board()
    a = update_note(base, "n3", now=T1, x=0.9, y=0.2, anchor="a2", horizon="H3", votes=4)
    a = update_note(a, "n3", now=T1, tags=("x", "from-a"))
    b = update_note(base, "n3", now=T1, x=0.5, y=0.5, anchor=None, votes=2, tags=("from-b",))
    note = merge(base, {"A": a, "B": b}, date=DAY).session.notes["n3"]
    assert (note.x, note.y, note.anchor, note.horizon) == (0.9, 0.2, "a2", "H3")  # A: higher rev
    assert note.votes == 6
    assert note.tags == ("from-a", "from-b")


def test_the_same_change_in_two_groups_is_no_conflict():
    base = _board()
    a = update_note(base, "n1", now=T1, text="agreed")
    b = update_note(base, "n1", now=T2, text="agreed")
    result = merge(base, {"A": a, "B": b}, date=DAY)
    assert result.conflicts == ()
    assert result.session.notes["n1"].text == "agreed"


def test_notes_record_the_group_that_added_or_edited_them():
    base = replace(
        _board(), notes={k: replace(n, group="plenary") for k, n in _board().notes.items()}
    )
    start = templates.next_iteration(base)  # votes reset: a change nobody made on the board
    a = add_note(start, Note("a-new", "from A", 0.2, 0.2, "H1"))
    b = update_note(start, "n4", now=T1, text="edited by B")
    result = merge(base, {"A": a, "B": b}, date=DAY)
    notes = result.session.notes
    assert notes["a-new"].group == "A"
    assert notes["n4"].group == "B"
    assert notes["n1"].group == "plenary"
    assert all(n.votes == 0 for n in notes.values())
    assert result.conflicts == ()


def test_the_same_new_id_in_two_groups_keeps_both_notes():
    base = _board()
    a = add_note(base, Note("new-1", "from A", 0.2, 0.2, "H1"))
    b = add_note(base, Note("new-1", "from B", 0.3, 0.3, "H1"))
    b = replace(b, comments={"c1": Comment("c1", "new-1", "about B's note")})
    result = merge(base, {"A": a, "B": b}, date=DAY)
    notes = result.session.notes
    assert (notes["new-1"].text, notes["new-1"].group) == ("from A", "A")
    assert (notes["new-1-B"].text, notes["new-1-B"].group) == ("from B", "B")
    assert result.session.comments["c1"].target == "new-1-B"
    assert [c.field for c in result.conflicts] == ["id"]


def test_a_removed_anchor_detaches_notes_another_group_put_on_it():
    base = _board()
    a = remove_anchor(base, "a2", now=T1)
    b = update_note(base, "n1", now=T1, anchor="a2", x=0.9, y=0.2)
    result = merge(base, {"A": a, "B": b}, date=DAY)
    assert "a2" not in result.session.anchors
    assert result.session.notes["n1"].anchor is None
    assert "note n1 anchor: detached: anchor a2 was removed" in [c.text() for c in result.conflicts]


def test_anchor_edits_merge_field_by_field():
    base = _board()
    a = replace(base, anchors={**base.anchors, "a1": replace(base.anchors["a1"], title="A's")})
    b = replace(base, anchors={**base.anchors, "a1": replace(base.anchors["a1"], x=0.3)})
    anchor = merge(base, {"A": a, "B": b}, date=DAY).session.anchors["a1"]
    assert (anchor.title, anchor.x) == ("A's", 0.3)


def test_the_merge_is_the_next_iteration_with_the_title_given():
    base = _board()
    merged = merge(base, {"A": base}, title="After breakouts", date=DAY).session
    assert (merged.id, merged.iteration, merged.title, merged.date) == (
        "w-03",
        3,
        "After breakouts",
        DAY,
    )
    assert merged.notes == base.notes
    with pytest.raises(ValueError):
        merge(base, {})


# ---------------------------------------------------------------------------------------------
# horizons merge


def _run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "canvas", *args], cwd=cwd, capture_output=True, text=True
    )


def _breakout_files(home):
    base = store.load(home / "sessions/wales-2022/02-steering-review.yaml")
    a = templates.next_iteration(base, "Group A")
    b = templates.next_iteration(base, "Group B")
    first = sorted(base.notes)
    a = update_note(a, first[0], now=T1, text="Group A's wording")
    b = update_note(b, first[0], now=T1, text="Group B's wording")
    a = add_note(a, Note("ga-1", "A new idea from A", 0.2, 0.3, "H1"))
    b = remove_note(b, first[1])
    folder = home / "breakouts"
    store.save(a, folder / "group-a.yaml")
    store.save(b, folder / "group-b.yaml")
    return base, first


def test_cli_merge_end_to_end(home):
    first = _breakout_files(home)[1]
    into = "sessions/wales-2022/03-after-breakouts.yaml"
    args = ("merge", "breakouts/group-a.yaml", "breakouts/group-b.yaml", "--into", into)
    result = _run(*args, "--title", "After breakouts", cwd=home)
    assert result.returncode == 0, result.stderr
    assert "02-steering-review.yaml" in result.stdout  # the base was found
    assert "1 conflicts:" in result.stdout
    assert f"note {first[0]} text: changed by Group A, Group B; kept Group A's" in result.stdout
    assert _run("validate", into, cwd=home).returncode == 0
    merged = store.load(home / into)
    assert (merged.iteration, merged.title) == (3, "After breakouts")
    assert merged.notes["ga-1"].group == "Group A"
    assert merged.notes[first[0]].text == "Group A's wording"
    assert first[1] not in merged.notes
    again = _run(*args, cwd=home)
    assert again.returncode == 1 and "exists already" in again.stderr


def test_cli_merge_with_an_explicit_base_and_file_names(home):
    _breakout_files(home)
    for name in ("group-a", "group-b"):  # titles equal to the base's: named after the files
        path = home / "breakouts" / f"{name}.yaml"
        store.save(replace(store.load(path), title="Steering group review"), path)
    base = store.load(home / "sessions/wales-2022/02-steering-review.yaml")
    args = ["breakouts/group-a.yaml", "breakouts/group-b.yaml", "--into", "merged.yaml"]
    result = _run("merge", *args, "--base", "sessions/wales-2022/02-steering-review.yaml", cwd=home)
    assert result.returncode == 0, result.stderr
    merged = store.load(home / "merged.yaml")
    assert merged.notes["ga-1"].group == "group-a"
    assert merged.title == base.title


def test_cli_merge_refuses_what_it_cannot_decide(home):
    _breakout_files(home)
    other = "sessions/wales-2022/01-user-research.yaml"
    mixed = _run("merge", "breakouts/group-a.yaml", other, "--into", "m.yaml", cwd=home)
    assert mixed.returncode == 1
    assert "different iterations" in mixed.stderr and "Traceback" not in mixed.stderr
    assert _run("merge", "breakouts/group-a.yaml", cwd=home).returncode == 2
    missing = _run("merge", "nope.yaml", "--into", "m.yaml", cwd=home)
    assert missing.returncode == 1 and "nope.yaml" in missing.stderr
    assert not (home / "m.yaml").exists()
    helped = _run("merge", "--help", cwd=home)
    assert "A delete wins" in helped.stdout and "higher" in helped.stdout
