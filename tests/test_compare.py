"""Comparing iterations: the per-anchor summary, word diffs, and pairing notes by text."""

from __future__ import annotations

import difflib
import json
import random
import subprocess
import sys
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from canvas.domain.compare import (
    AnchorSummary,
    anchor_summaries,
    diff_with_matching,
    match_by_text,
    normalise,
    vote_totals,
    word_diff,
)
from canvas.domain.diff import diff
from canvas.domain.matching import match_notes
from canvas.domain.model import Anchor, Note, Session, add_note, remove_note, update_note
from canvas.format import store

from strategies import edited, sessions

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SAMPLE_02 = "sessions/wales-2022/02-steering-review.yaml"


@st.composite
def before_and_after(draw):
    before = draw(sessions())
    return before, draw(edited(before, tag="x"))


def by_hand(before: Session, after: Session) -> dict[str, dict]:
    """The per-anchor figures counted straight from the two sessions, no diff involved."""
    out = {}
    for aid in before.anchors.keys() | after.anchors.keys():
        on_b = {k for k, n in before.notes.items() if n.anchor == aid}
        on_a = {k for k, n in after.notes.items() if n.anchor == aid}
        stayed_in = on_a & before.notes.keys()
        stayed_out = on_b & after.notes.keys()
        out[aid] = {
            "notes_before": len(on_b),
            "notes_after": len(on_a),
            "votes_before": sum(before.notes[k].votes for k in on_b),
            "votes_after": sum(after.notes[k].votes for k in on_a),
            "added": len(on_a - before.notes.keys()),
            "removed": len(on_b - after.notes.keys()),
            "edited": sum(1 for k in stayed_in if before.notes[k].text != after.notes[k].text),
            "moved_in": Counter(
                before.notes[k].anchor for k in stayed_in if before.notes[k].anchor != aid
            ),
            "moved_out": Counter(
                after.notes[k].anchor for k in stayed_out if after.notes[k].anchor != aid
            ),
            "anchor_changed": before.anchors.get(aid) != after.anchors.get(aid),
        }
    return out


def figures(s: AnchorSummary) -> dict:
    return {
        "notes_before": s.notes_before,
        "notes_after": s.notes_after,
        "votes_before": s.votes_before,
        "votes_after": s.votes_after,
        "added": s.added,
        "removed": s.removed,
        "edited": s.edited,
        "moved_in": Counter({m.anchor: m.count for m in s.moved_in}),
        "moved_out": Counter({m.anchor: m.count for m in s.moved_out}),
        "anchor_changed": bool(s.status),
    }


@SETTINGS
@given(before_and_after())
def test_summary_per_anchor_equals_a_count_by_hand(pair):
    before, after = pair
    expected = by_hand(before, after)
    every = anchor_summaries(before, after, include_unchanged=True)
    assert [s.anchor for s in every] == sorted(expected)
    for s in every:
        assert figures(s) == expected[s.anchor]
        moved = sum(m.count for m in s.moved_in) - sum(m.count for m in s.moved_out)
        assert s.delta_notes == s.added - s.removed + moved
    changed = [s.anchor for s in anchor_summaries(before, after)]
    assert changed == [s.anchor for s in every if s.changed]
    for s in every:
        assert (s.describe() == "no change") == (not s.changed)


@SETTINGS
@given(before_and_after())
def test_summary_accepts_the_diff_it_would_compute(pair):
    before, after = pair
    assert anchor_summaries(before, after, diff(before, after)) == anchor_summaries(before, after)


def _metrics_board() -> tuple[Session, Session]:
    anchors = {
        "ca-metrics": Anchor("ca-metrics", "challenge_area", "Metrics", horizon="H2", x=0.4, y=0.5),
        "ca-req": Anchor("ca-req", "challenge_area", "Requirements", horizon="H2", x=0.5, y=0.5),
    }
    notes = {
        f"r{i}": Note(f"r{i}", f"req {i}", 0.5, 0.5, "H2", anchor="ca-req", votes=3)
        for i in range(3)
    }
    before = Session(id="w-01", title="One", anchors=anchors, notes=notes)
    after = before
    for i in range(2):
        after = update_note(after, f"r{i}", now="2022-01-01T00:00:00Z", anchor="ca-metrics")
    for i in range(5):
        note = Note(f"m{i}", f"metric {i}", 0.4, 0.5, "H2", anchor="ca-metrics", votes=3)
        after = add_note(after, note)
    return before, after


def test_summary_text_reads_like_a_facilitator_would_say_it():
    before, after = _metrics_board()
    metrics, requirements = anchor_summaries(before, after)
    assert metrics.text() == (
        "Metrics: +7 notes; 2 notes moved here from Requirements; 5 notes added"
    )
    assert requirements.text() == "Requirements: -2 notes; 2 notes moved away to Metrics"
    assert metrics.to_dict()["moved_in"] == [
        {"anchor": "ca-req", "title": "Requirements", "count": 2}
    ]


def test_summary_names_free_notes_and_anchor_fates():
    before, after = _metrics_board()
    after = update_note(after, "r2", now="2022-01-01T00:00:00Z", anchor=None)
    after = remove_note(after, "m0")
    new = Anchor("v-1", "vision", "Vision", horizon="H3", x=0.9, y=0.9)
    after = replace(after, anchors={**after.anchors, "v-1": new})
    after = update_note(after, "r1", now="2022-01-01T00:00:00Z", anchor="v-1", text="changed")
    by_id = {s.anchor: s for s in anchor_summaries(before, after)}
    assert by_id["ca-req"].describe() == (
        "-3 notes; 1 note moved away to Metrics, 1 to Vision, 1 to no anchor"
    )
    assert by_id["v-1"].describe() == (
        "+1 note; 1 note moved here from Requirements; 1 note edited; new anchor"
    )
    assert by_id["ca-metrics"].describe() == (
        "+5 notes; 1 note moved here from Requirements; 4 notes added"
    )
    unchanged = anchor_summaries(before, before, include_unchanged=True)
    assert [s.text() for s in unchanged] == ["Metrics: no change", "Requirements: no change"]
    assert anchor_summaries(before, before) == []


def test_votes_reset_on_an_anchor_are_no_change_there_and_are_told_as_totals():
    before, _ = _metrics_board()
    after = before
    for i in range(3):
        after = update_note(after, f"r{i}", now="2022-01-01T00:00:00Z", votes=0)
    assert anchor_summaries(before, after) == []
    (requirements,) = anchor_summaries(before, after, include_unchanged=True)[1:]
    assert (requirements.votes_before, requirements.votes_after) == (9, 0)
    assert requirements.describe() == "no change"
    totals = vote_totals(before, after)
    assert (totals.before, totals.after) == (9, 0)
    assert totals.by_anchor == (("ca-req", "Requirements", 9, 0),)


# ---------------------------------------------------------------------------------------------
# word_diff


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_word_diff_reassembles_both_texts(old, new):
    ops = word_diff(old, new)
    assert "".join(t for op, t in ops if op != "insert") == old
    assert "".join(t for op, t in ops if op != "delete") == new
    assert {op for op, _ in ops} <= {"equal", "insert", "delete"}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["care", "time", " ", "\n", "  ", "ŵyr"]), max_size=12))
def test_word_diff_of_a_text_with_itself_is_all_equal(tokens):
    text = "".join(tokens)
    assert all(op == "equal" for op, _ in word_diff(text, text))


def test_word_diff_marks_the_changed_word_only():
    assert word_diff("the quick fox", "the slow fox") == [
        ("equal", "the"),
        ("equal", " "),
        ("delete", "quick"),
        ("insert", "slow"),
        ("equal", " "),
        ("equal", "fox"),
    ]


# ---------------------------------------------------------------------------------------------
# Matching by text


def _brute_force(before: dict, after: dict, threshold: float) -> list[tuple]:
    """The rule as stated, with no shortcuts: every ratio, sorted, taken greedily."""
    a = {k: normalise(t) for k, t in before.items() if normalise(t)}
    b = {k: normalise(t) for k, t in after.items() if normalise(t)}
    pairs = []
    for i, x in a.items():
        for j, y in b.items():
            ratio = difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()
            if ratio >= threshold:
                pairs.append((-ratio, i, j))
    used_a, used_b, out = set(), set(), []
    for ratio, i, j in sorted(pairs):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j, -ratio))
    return sorted(out)


small_texts = st.text(alphabet="abAB é\n", max_size=10)


@settings(max_examples=400, deadline=None)
@given(
    st.dictionaries(st.from_regex(r"a[0-9]{1,2}", fullmatch=True), small_texts, max_size=8),
    st.dictionaries(st.from_regex(r"b[0-9]{1,2}", fullmatch=True), small_texts, max_size=8),
    st.sampled_from([0.3, 0.5, 0.8, 0.9, 1.0]),
)
def test_matching_is_the_plain_greedy_rule(before, after, threshold):
    """The bounds and the lazy heap change the cost, never the answer (ties included)."""
    got = [tuple(m) for m in match_notes(before, after, threshold)]
    assert got == _brute_force(before, after, threshold)


def _sentence(rng: random.Random) -> str:
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 8)))
        for _ in range(rng.randint(5, 10))
    ]
    return " ".join(words)


def _retype(rng: random.Random, text: str) -> str:
    """The same note typed again: another case, other spacing, one character wrong."""
    chars = list(text.upper() if rng.random() < 0.3 else text)
    i = rng.randrange(len(chars))
    if chars[i] != " ":
        chars[i] = rng.choice("xyz")
    return "  ".join("".join(chars).split(" ")) + rng.choice(["", " ", "\n"])


def _note(nid: str, text: str, anchor: str | None = None) -> Note:
    return Note(id=nid, text=text, x=0.5, y=0.5, horizon="H1", anchor=anchor)


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(1, 25), st.integers(0, 5), st.integers(0, 5))
def test_a_retyped_board_pairs_every_note_with_itself(rng, kept, gone, new):
    """Ids renamed, texts retyped: each note pairs with its own copy, and no other."""
    old = [_sentence(rng) for _ in range(kept + gone)]
    fresh = [_sentence(rng) for _ in range(new)]
    retyped = [_retype(rng, t) for t in old[:kept]]
    ratio = [
        [
            difflib.SequenceMatcher(None, normalise(a), normalise(b), autojunk=False).ratio()
            for b in retyped + fresh
        ]
        for a in old
    ]
    # The board is one a person would call unambiguous: each note is closest to its own
    # copy, both ways, and nothing else comes near.
    for i in range(kept):
        assume(ratio[i][i] >= 0.8)
        assume(all(ratio[i][j] < 0.7 for j in range(kept + new) if j != i))
        assume(all(ratio[k][i] < 0.7 for k in range(kept + gone) if k != i))
    for k in range(kept, kept + gone):
        assume(all(r < 0.7 for r in ratio[k]))
    order = list(range(kept + new))
    rng.shuffle(order)  # the retyped board's ids say nothing about the old ones
    before = Session(
        id="a", title="a", notes={f"n-{i:03d}": _note(f"n-{i:03d}", t) for i, t in enumerate(old)}
    )
    texts = retyped + fresh
    after = Session(
        id="b",
        title="b",
        notes={f"imported-{order[j]}": _note(f"imported-{order[j]}", texts[j]) for j in order},
    )
    matches = match_by_text(before, after)
    assert {(m.before, m.after) for m in matches} == {
        (f"n-{i:03d}", f"imported-{order[i]}") for i in range(kept)
    }
    d, matched = diff_with_matching(before, after)
    assert matched == {m.before: m.after for m in matches}
    assert set(d.notes.removed) == {f"n-{k:03d}" for k in range(kept, kept + gone)}
    assert len(d.notes.added) == new


def test_matching_is_one_to_one_and_ties_go_to_the_smaller_ids():
    before = {"b2": "same words", "b1": "same words"}
    after = {"z": "Same  words", "y": "same words", "x": "same wordz"}
    assert [tuple(m) for m in match_notes(before, after)] == [
        ("b1", "y", 1.0),
        ("b2", "z", 1.0),
    ]
    assert match_notes({"a": "", "b": "   "}, {"c": "", "d": " "}) == []
    with pytest.raises(ValueError):
        match_notes({}, {}, threshold=0.0)


def test_diff_with_matching_reports_a_pair_under_the_before_id():
    anchors = {
        "a1": Anchor("a1", "finding", "Finding", horizon="H1", x=0.1, y=0.1),
        "a2": Anchor("a2", "vision", "Vision", horizon="H3", x=0.9, y=0.9),
    }
    before = Session(
        id="s",
        title="s",
        anchors=anchors,
        notes={
            "n-1": _note("n-1", "Carers have plenty of ideas", "a1"),
            "n-2": _note("n-2", "Nothing like the other one", "a1"),
        },
    )
    after = replace(
        before,
        notes={
            "x-9": _note("x-9", "Carers have plenty of ideas!", "a2"),
            "x-8": _note("x-8", "A brand new thought entirely", "a2"),
        },
    )
    plain = diff(before, after)
    assert set(plain.notes.added) == {"x-8", "x-9"} and not plain.notes.updated
    d, matched = diff_with_matching(before, after)
    assert matched == {"n-1": "x-9"}
    assert list(d.notes.updated) == ["n-1"]
    change = d.notes.updated["n-1"]
    assert change.before is before.notes["n-1"] and change.after is after.notes["x-9"]
    assert {"id", "text", "anchor"} <= set(change.fields)
    assert set(d.notes.added) == {"x-8"} and set(d.notes.removed) == {"n-2"}
    assert diff(before, after) == plain  # canvas.diff.diff is untouched
    vision = {s.anchor: s for s in anchor_summaries(before, after, d)}["a2"]
    assert (
        vision.describe() == "+2 notes; 1 note moved here from Finding; 1 note added; 1 note edited"
    )


def _retyped_sample(home):
    session = store.load(home / SAMPLE_02)
    rng = random.Random(7)
    notes = {}
    for i, note in enumerate(sorted(session.notes.values(), key=lambda n: n.id)):
        nid = f"typed-{i:02d}"
        text = note.text.replace("the", "teh", 1) if rng.random() < 0.5 else note.text.upper()
        notes[nid] = replace(note, id=nid, text=text)
    copy = replace(session, id="typed", notes=notes, voting=replace(session.voting, ballots={}))
    copy = replace(copy, comments={})
    target = home / "typed.yaml"
    store.save(copy, target)
    return session, target


def _run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "canvas", *args], cwd=cwd, capture_output=True, text=True
    )


def test_cli_diff_match_text_labels_pairs(home):
    session, typed = _retyped_sample(home)
    plain = json.loads(_run("diff", SAMPLE_02, str(typed), "--format", "json", cwd=home).stdout)
    assert plain["counts"]["notes"]["added"] == len(session.notes)
    assert plain["matched_by_text"] == {}
    result = _run("diff", SAMPLE_02, str(typed), "--format", "json", "--match-text", cwd=home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["matched_by_text"]) == len(session.notes)
    assert data["counts"]["notes"] == {"added": 0, "updated": len(session.notes), "removed": 0}
    some = next(iter(data["matched_by_text"]))
    assert data["notes"]["updated"][some]["matched_by_text"] == data["matched_by_text"][some]
    text = _run("diff", SAMPLE_02, str(typed), "--match-text", cwd=home).stdout
    assert text.count("(matched by text: now typed-") == len(session.notes)
    assert f"{len(session.notes)} matched by text" in text.splitlines()[0]
    md = _run("diff", SAMPLE_02, str(typed), "--match-text", "--format", "markdown", cwd=home)
    assert "notes matched by text" in md.stdout
    bad = _run("diff", SAMPLE_02, str(typed), "--match-text", "--threshold", "2", cwd=home)
    assert bad.returncode == 2


def test_cli_diff_ends_with_the_per_anchor_summary(home):
    first = "sessions/wales-2022/01-user-research.yaml"
    a, b = store.load(home / first), store.load(home / SAMPLE_02)
    expected = anchor_summaries(a, b)
    text = _run("diff", first, SAMPLE_02, cwd=home).stdout
    assert text.endswith("".join(f"  {s.text()}\n" for s in expected))
    assert "\nby anchor:\n" in text
    data = json.loads(_run("diff", first, SAMPLE_02, "--format", "json", cwd=home).stdout)
    assert data["summary"] == [s.to_dict() for s in expected]
    assert set(data["summary"][0]) >= {"anchor", "title", "delta_notes", "delta_votes", "text"}
    md = _run("diff", first, SAMPLE_02, "--format", "markdown", cwd=home).stdout
    assert "\n## By anchor\n" in md
    assert md.endswith("".join(f"- {s.text()}\n" for s in expected))
