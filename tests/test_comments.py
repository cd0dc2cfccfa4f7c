"""Comment threads, checked without a browser: names, replies, resolving, who may do what, the
file format (version 4), the wire, and what the reports tell."""

from __future__ import annotations

from dataclasses import replace

import pytest

from canvas.domain.model import Comment, threads
from canvas.domain.visibility import Role, project
from canvas.format import store
from canvas.live.ops import Actor, OpError, apply
from canvas.live.wire import snapshot
from canvas.view.export import build, render

SAMPLE = "sessions/wales-2022/02-steering-review.yaml"
LEAD = Actor(name="Lead", role="facilitator", pid="facilitator")
MAIR = Actor(name="Mair", role="reviewer", pid="")
GARETH = Actor(name="Gareth", role="reviewer", pid="")
ANN = Actor(name="Ann", role="participant", pid="p-ann00001")
NOTE = "n-0001"


@pytest.fixture
def session(home):
    return store.load(home / SAMPLE)


def comment(session, actor, cid, text="A remark", **extra):
    op = {"op": "comment", "id": cid, "target": NOTE, "text": text, **extra}
    return apply(session, op, actor, now="2022-04-22T09:30:00Z").session


def test_a_comment_carries_its_authors_name_and_time(session):
    after = comment(session, MAIR, "c1", "Is this true in every region?")
    made = after.comments["c1"]
    assert (made.author, made.created, made.target) == ("Mair", "2022-04-22T09:30:00Z", NOTE)
    assert (made.reply_to, made.resolved) == ("", False)


def test_a_comment_without_a_name_is_refused_so_no_comment_reads_someone(session):
    with pytest.raises(OpError, match="give your name"):
        comment(session, replace(MAIR, name="  "), "c1")


def test_a_reply_joins_the_thread_of_the_comment_that_opened_it(session):
    s = comment(session, MAIR, "c1")
    s = comment(s, GARETH, "c2", "Not in Powys", reply_to="c1")
    # A reply to the reply, sent with another target, still belongs to the first thread.
    op = {"op": "comment", "id": "c3", "target": "ca-value", "text": "Agreed", "reply_to": "c2"}
    s = apply(s, op, MAIR).session
    assert s.comments["c2"].reply_to == "c1" and s.comments["c3"].reply_to == "c1"
    assert s.comments["c3"].target == NOTE
    [(first, replies)] = threads(s)
    assert first.id == "c1" and [c.id for c in replies] == ["c2", "c3"]
    with pytest.raises(OpError, match="no such comment"):
        comment(s, MAIR, "c4", reply_to="c-missing")


def test_only_the_facilitator_resolves_a_thread_and_may_open_it_again(session):
    s = comment(comment(session, MAIR, "c1"), GARETH, "c2", reply_to="c1")
    for who in (MAIR, ANN):
        with pytest.raises(OpError):
            apply(s, {"op": "resolve", "id": "c1", "resolved": True}, who)
    # Resolving any comment of a thread resolves the thread (its first comment).
    s = apply(s, {"op": "resolve", "id": "c2", "resolved": True}, LEAD).session
    assert s.comments["c1"].resolved and not s.comments["c2"].resolved
    s = apply(s, {"op": "resolve", "id": "c1", "resolved": False}, LEAD).session
    assert not s.comments["c1"].resolved
    with pytest.raises(OpError, match="true or false"):
        apply(s, {"op": "resolve", "id": "c1", "resolved": "yes"}, LEAD)


def test_participants_neither_comment_nor_see_comments(session):
    with pytest.raises(OpError):
        comment(session, ANN, "c1")
    s = comment(session, MAIR, "c1")
    assert snapshot(s, ANN)["comments"] == []
    assert project(s, Role.OBSERVER).comments == {}
    [seen] = snapshot(s, MAIR)["comments"]
    assert seen["author"] == "Mair" and seen["reply_to"] == "" and seen["resolved"] is False


def test_threads_survive_a_save_and_a_version_3_file_still_loads(home, session):
    s = comment(comment(session, MAIR, "c1"), GARETH, "c2", reply_to="c1")
    s = apply(s, {"op": "resolve", "id": "c1", "resolved": True}, LEAD).session
    path = home / "threads.yaml"
    store.save(s, path, backups=0)
    text = path.read_text(encoding="utf-8")
    assert "schema_version: 4\n" in text and "reply_to: c1" in text and "resolved: true" in text
    assert store.load(path).comments == s.comments
    old = text.replace("schema_version: 4\n", "schema_version: 3\n")
    path.write_text(old, encoding="utf-8")
    with pytest.raises(ValueError, match="schema_version 4"):
        store.load(path)


def test_a_reply_whose_first_comment_is_gone_opens_a_thread_of_its_own(session):
    orphan = Comment("c2", NOTE, "still here", "Gareth", "2022-04-22T10:00:00Z", reply_to="c1")
    s = replace(session, comments={"c2": orphan})
    assert threads(s) == [(orphan, [])]


def test_reports_tell_each_thread_under_its_note_and_anchor_with_names(session):
    s = comment(comment(session, MAIR, "c1", "Is this true?"), GARETH, "c2", "No", reply_to="c1")
    op = {"op": "comment", "id": "c3", "target": "ca-value", "text": "Value for whom?"}
    s = apply(s, op, MAIR, now="2022-04-22T11:00:00Z").session
    s = apply(s, {"op": "resolve", "id": "c1", "resolved": True}, LEAD).session
    outline = build(s)
    [thread] = outline.threads_on(NOTE)
    assert thread.resolved and [c.author for c in thread.comments] == ["Mair", "Gareth"]
    markdown = render(s, "md").decode("utf-8")
    assert "  - 💬 **Mair, 2022-04-22 09:30** *(resolved)*: Is this true?" in markdown
    assert "    - **Gareth, 2022-04-22 09:30**: No" in markdown
    assert "- 💬 **Mair, 2022-04-22 11:00**: Value for whom?" in markdown
    html = render(s, "html").decode("utf-8")
    assert "Value for whom?" in html and "<strong>Gareth, 2022-04-22 09:30</strong>" in html
    # A thread about a note the report leaves out is still told, apart.
    hidden = replace(s, notes={**s.notes, NOTE: replace(s.notes[NOTE], hidden=True)})
    assert [t.comment.id for t in build(hidden).stray_threads] == ["c1"]
    assert "Comments on notes and anchors not in this report" in render(hidden, "md").decode()
