"""The facilitator runs the workshop: prompts, steps, private writing, lock, moderation,
and reviewers' comments."""

from __future__ import annotations

from dataclasses import replace

from canvas.domain.model import HORIZONS, STEPS, Comment, touch
from canvas.domain.visibility import may_see
from canvas.live.actor import Actor
from canvas.live.ops import values as v
from canvas.live.ops.change import Recorder
from canvas.live.ops.values import OpError


def prompt(c: Recorder, op: dict, actor: Actor) -> None:
    horizon = v.choice(op, "horizon", HORIZONS)
    text = v.text(op, "text", v.MAX_SUMMARY)
    name = "prompts" + v.lang_suffix(op)
    prompts = {**getattr(c.session, name), horizon: text}
    if not text:
        del prompts[horizon]
    c.put_section(name, prompts)


def step(c: Recorder, op: dict, actor: Actor) -> None:
    value = op["step"]
    if value != "" and value not in STEPS:
        raise OpError(f"step must be one of {', '.join(STEPS)}")
    c.put_section("facilitation", replace(c.session.facilitation, step=value))


def facilitate(c: Recorder, op: dict, actor: Actor) -> None:
    changes = {key: v.flag(op, key) for key in ("open_all", "private", "locked") if key in op}
    if changes:
        c.put_section("facilitation", replace(c.session.facilitation, **changes))


def reveal(c: Recorder, op: dict, actor: Actor) -> None:
    for note in list(c.session.notes.values()):
        if note.private:
            c.put_note(touch(note, c.now, private=False), note.id)


def hide(c: Recorder, op: dict, actor: Actor) -> None:
    note = v.note(c.session, op["id"])
    hidden = v.flag(op, "hidden")
    if note.hidden != hidden:
        c.put_note(touch(note, c.now, hidden=hidden), note.id)


def comment(c: Recorder, op: dict, actor: Actor) -> None:
    """A comment on a note or an anchor, or a reply in a comment's thread.

    A comment carries its author's name, so a steering group can tell who said what: a page
    must have given one (the name is the server's copy, set by the page's ``name`` message).
    A reply to a reply joins the thread of the comment that opened it; a reply is about the
    thread's note or anchor, whatever the page says.
    """
    s = c.session
    if len(s.comments) >= v.MAX_COMMENTS:
        raise OpError(f"this board has {len(s.comments)} comments, the most it takes")
    if not actor.name.strip():
        raise OpError("give your name before you comment, so that others know who said it")
    comment_id = v.new_id(op, "id", s.comments)
    reply_to = op.get("reply_to") or ""
    if reply_to:
        opened = s.comments.get(reply_to) if type(reply_to) is str else None
        if opened is None:
            raise OpError("no such comment to reply to")
        while opened.reply_to in s.comments:
            opened = s.comments[opened.reply_to]
        reply_to, target = opened.id, opened.target
    else:
        target = op["target"]
        if type(target) is not str or (target not in s.notes and target not in s.anchors):
            raise OpError("no such note or anchor")
    note = s.notes.get(target)
    if note is not None and not may_see(note, actor.role, actor.pid):
        raise OpError("no such note or anchor")
    text = v.text(op, "text", v.MAX_COMMENT, allow_empty=False)
    made = Comment(
        id=comment_id,
        target=target,
        text=text,
        author=actor.name.strip(),
        created=c.now,
        reply_to=reply_to,
    )
    c.put_section("comments", {**s.comments, comment_id: made})


def resolve(c: Recorder, op: dict, actor: Actor) -> None:
    """The facilitator resolves a comment's thread (or opens it again)."""
    found = c.session.comments.get(op["id"]) if type(op["id"]) is str else None
    if found is None:
        raise OpError("no such comment")
    while found.reply_to in c.session.comments:
        found = c.session.comments[found.reply_to]
    resolved = v.flag(op, "resolved")
    if found.resolved != resolved:
        changed = replace(found, resolved=resolved)
        c.put_section("comments", {**c.session.comments, found.id: changed})
