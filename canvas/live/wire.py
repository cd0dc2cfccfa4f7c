"""What each page may see of the board, as the JSON the browser draws.

The room holds one board; pages see it through their role. Private notes are shown only to
their author and the facilitator until revealed, hidden notes only to the facilitator, and
while a dot vote is open nobody sees totals, only their own dots. Filtering happens here, on
the server, so a page never receives what its person may not see.
"""

from __future__ import annotations

from canvas.domain.fields import table
from canvas.domain.horizons import Curves
from canvas.domain.model import Anchor, Comment, Note, Persona, Session
from canvas.domain.visibility import may_see, project
from canvas.format.i18n import DEFAULT, languages, persona_name
from canvas.format.summaries import line as summary_line
from canvas.live.actor import Actor
from canvas.live.changes import Change
from canvas.live.ops import in_scope, tally


def visible(note: Note, actor: Actor) -> bool:
    """Whether ``actor`` may see ``note`` at all (the domain's one rule)."""
    return may_see(note, actor.role, actor.pid)


_NOTE_WIRE = tuple((f.name, f.wire_name) for f in table(Note) if f.wire_name)


def note_view(note: Note, actor: Actor, session: Session) -> dict | None:
    """A note as one page sees it, or None when that page may not see it."""
    if not visible(note, actor):
        return None
    voting = session.voting
    view = {}
    for name, wire_name in _NOTE_WIRE:
        value = getattr(note, name)
        view[wire_name] = list(value) if isinstance(value, tuple) else value
    view["mine"] = note.owner == actor.pid
    if voting.open:
        view["votes"] = None
        ballot = voting.ballots.get(actor.pid)
        view["my_votes"] = ballot.notes.get(note.id, 0) if ballot else 0
        view["in_scope"] = in_scope(session, note, voting)
    return view


ANCHOR_FIELDS = tuple(f.name for f in table(Anchor) if f.wire_name)
PERSONA_FIELDS = tuple(f.name for f in table(Persona) if f.wire_name)


def _pick(item, names: tuple[str, ...]) -> dict:
    """Some fields of a frozen item as JSON-ready values (tuples become lists)."""
    picked = {}
    for name in names:
        value = getattr(item, name)
        picked[name] = list(value) if isinstance(value, tuple) else value
    return picked


def anchor_view(a: Anchor) -> dict:
    """An anchor as every page sees it."""
    return _pick(a, ANCHOR_FIELDS)


def settings_view(session: Session) -> dict:
    """The session's settings with the curves sampled for drawing."""
    s = session.settings
    return {
        "palette": dict(sorted(s.palette.items())),
        "max_text": s.max_text,
        "max_notes": s.max_notes,
        "axis_from": s.axis_from,
        "axis_to": s.axis_to,
        "h2_peak": s.h2_peak,
        "crossover": s.crossover,
        "curves": Curves.from_settings(s).paths(61),
    }


def facilitation_view(session: Session) -> dict:
    f = session.facilitation
    return {"step": f.step, "open_all": f.open_all, "private": f.private, "locked": f.locked}


def voting_view(session: Session, actor: Actor) -> dict:
    """The vote as one page sees it: its rules, this person's dots, and the ranking once closed."""
    v = session.voting
    ballot = v.ballots.get(actor.pid)
    view = {
        "open": v.open,
        "budget": v.budget,
        "kind": v.kind,
        "horizon": v.horizon,
        "used": sum(ballot.notes.values()) if ballot else 0,
        "voters": len(v.ballots),
    }
    if not v.open and v.ballots:
        totals = tally(v)
        ranked = sorted(
            (n for n in session.notes.values() if n.id in totals and visible(n, actor)),
            key=lambda n: (-totals[n.id], n.id),
        )
        view["ranked"] = [{"id": n.id, "text": n.text, "votes": totals[n.id]} for n in ranked]
    return view


def persona_view(p: Persona) -> dict:
    """A persona with its name in every other language (``name_cy``), as anchors carry titles."""
    view = _pick(p, PERSONA_FIELDS)
    for lang in languages():
        if lang != DEFAULT:
            view[f"name_{lang}"] = persona_name(p, lang)
    return view


def comments_view(session: Session, actor: Actor) -> list[dict]:
    """Reviewers' comments, for the facilitator and the reviewers."""
    if not actor.role.comments:
        return []
    return [_comment(c) for c in sorted(session.comments.values(), key=lambda c: (c.created, c.id))]


def _comment(c: Comment) -> dict:
    return {
        "id": c.id,
        "target": c.target,
        "text": c.text,
        "author": c.author,
        "created": c.created,
        "reply_to": c.reply_to,
        "resolved": c.resolved,
    }


def snapshot(session: Session, actor: Actor) -> dict:
    """Everything one page needs to draw the board."""
    notes = []
    for _, note in sorted(session.notes.items()):
        view = note_view(note, actor, session)
        if view is not None:
            notes.append(view)
    return {
        "type": "snapshot",
        "id": session.id,
        "title": session.title,
        "focal_question": session.focal_question,
        "prompts": dict(session.prompts),
        "title_cy": session.title_cy,
        "focal_question_cy": session.focal_question_cy,
        "prompts_cy": dict(session.prompts_cy),
        "settings": settings_view(session),
        "facilitation": facilitation_view(session),
        "voting": voting_view(session, actor),
        "anchors": [anchor_view(a) for _, a in sorted(session.anchors.items())],
        "notes": notes,
        "personas": [persona_view(p) for _, p in sorted(session.personas.items())],
        "comments": comments_view(session, actor),
        "role": actor.role,
    }


def patch_from(session: Session, change: Change, since: int, seq: int, actor: Actor) -> dict:
    """The latest state of everything ``change`` names, as one page sees it (None: gone or
    unseen): what a page at revision ``since`` needs to be at ``seq``."""
    notes = {}
    for k in sorted(change.notes):
        note = session.notes.get(k)
        notes[k] = note_view(note, actor, session) if note is not None else None
    anchors = {}
    for k in sorted(change.anchors):
        anchor = session.anchors.get(k)
        anchors[k] = anchor_view(anchor) if anchor is not None else None
    message: dict = {"type": "patch", "since": since, "seq": seq, "notes": notes}
    message["anchors"] = anchors
    sections = change.sections
    if "settings" in sections:
        message["settings"] = settings_view(session)
    if "facilitation" in sections:
        message["facilitation"] = facilitation_view(session)
    if "prompts" in sections or "prompts_cy" in sections:
        message["prompts"] = dict(session.prompts)
        message["prompts_cy"] = dict(session.prompts_cy)
    voting = session.voting
    if "voting" in sections or (not voting.open and voting.ballots and notes):
        # Closed-vote results name notes: they change with those notes' text or visibility.
        message["voting"] = voting_view(session, actor)
    if "personas" in sections:
        message["personas"] = [persona_view(p) for _, p in sorted(session.personas.items())]
    if change.comments and actor.role.comments:
        # Only the comments that changed, by id (None: gone): a page holds the rest.
        message["comments"] = {
            k: (_comment(session.comments[k]) if k in session.comments else None)
            for k in sorted(change.comments)
        }
    return message


def _title(anchor: Anchor, lang: str) -> str:
    """An anchor's title in ``lang`` when it has one (``title_cy``), else its own."""
    return (getattr(anchor, f"title_{lang}", "") if lang != DEFAULT else "") or anchor.title


def _before_view(note: Note) -> dict:
    return {
        "id": note.id,
        "text": note.text,
        "x": note.x,
        "y": note.y,
        "horizon": note.horizon,
        "anchor": note.anchor,
        "polarity": note.polarity,
        "votes": note.votes,
    }


def compare_view(
    before: Session, after: Session, actor: Actor, label: dict, lang: str = DEFAULT
) -> dict:
    """Every change from an earlier iteration to this board, as the compare mode draws it.

    Both sides are first seen through the visitor's role (:func:`project`): the facilitator's
    counts are those of ``horizons diff`` on the same files (votes are no change: their
    totals per iteration come apart); anyone else's count only what they may see, so no
    figure or summary betrays a hidden or private note.
    """
    from canvas.domain.compare import anchor_summaries, vote_totals, word_diff
    from canvas.domain.diff import diff, for_people

    before = project(before, actor.role, actor.pid)
    after = project(after, actor.role, actor.pid)
    d = for_people(diff(before, after))
    votes = vote_totals(before, after)
    titles = {k: _title(a, lang) for k, a in {**before.anchors, **after.anchors}.items()}
    changes = []
    for note_id, note in d.notes.added.items():
        if visible(note, actor):
            changes.append({"id": note_id, "kinds": ["added"], "after": note_id})
    for note_id, note in d.notes.removed.items():
        if visible(note, actor):
            changes.append({"id": note_id, "kinds": ["removed"], "before": _before_view(note)})
    for note_id, change in d.notes.updated.items():
        if not visible(change.after, actor):
            continue
        old, new = change.before, change.after
        kinds = []
        entry: dict = {"id": note_id, "before": _before_view(old), "after": note_id}
        if "position" in change.fields:
            kinds.append("moved")
        if "text" in change.fields:
            kinds.append("edited")
            entry["words"] = word_diff(old.text, new.text)
        for name in ("horizon", "anchor", "polarity"):
            if name in change.fields:
                kinds.append(name)
        entry["kinds"] = kinds or ["other"]
        changes.append(entry)
    return {
        "against": label,
        "counts": {
            "added": len(d.notes.added),
            "updated": len(d.notes.updated),
            "removed": len(d.notes.removed),
        },
        "changes": changes,
        "votes": {"before": votes.before, "after": votes.after},
        "summary": [summary_line(s, lang, titles) for s in anchor_summaries(before, after, d)],
    }
