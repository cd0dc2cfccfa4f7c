"""Hypothesis strategies for sessions with awkward but legal content."""

from __future__ import annotations

from hypothesis import strategies as st

from canvas.domain.model import (
    ANCHOR_KINDS,
    DEFAULT_PALETTE,
    HORIZONS,
    PERSONA_GROUPS,
    PERSONA_TYPES,
    STEPS,
    Anchor,
    Ballot,
    Comment,
    Facilitation,
    Note,
    Persona,
    Session,
    Voting,
    clean_text,
)

AWKWARD = "ŵŷâêîôûẁỳ😀👩‍👩‍👧🏴󠁧󠁢󠁷󠁬󠁳󠁿שלוםمرحبا\u0085\u2028\u2029\ufeff\u00a0\t\n:#'\"\\-?&*!|>%@`{}[],"
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,12}", fullmatch=True)
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=AWKWARD + "abc xyz 123", max_size=40),
    st.sampled_from(
        ["yes", "No", "null", "~", "1.5", "0x10", "2022-03-01", "", " a ", "- x", ".inf"]
    ),
).map(clean_text)
units = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
times = st.sampled_from(["", "2022-03-24T10:15:00Z", "2026-11-29T03:05:18Z"])
tags = st.lists(texts.filter(bool), max_size=3).map(tuple)


@st.composite
def anchors(draw, anchor_id=None):
    return Anchor(
        id=anchor_id or draw(ids),
        kind=draw(st.sampled_from(ANCHOR_KINDS)),
        title=draw(texts),
        horizon=draw(st.sampled_from(HORIZONS)),
        x=draw(units),
        y=draw(units),
        summary=draw(texts),
        prompt=draw(texts),
        title_cy=draw(texts),
        summary_cy=draw(texts),
        prompt_cy=draw(texts),
    )


@st.composite
def notes(draw, note_id, anchor_ids, persona_ids):
    horizon = draw(st.sampled_from(HORIZONS))
    return Note(
        id=note_id,
        text=draw(texts),
        x=draw(units),
        y=draw(units),
        horizon=horizon,
        anchor=draw(st.none() | st.sampled_from(anchor_ids)) if anchor_ids else None,
        polarity=draw(st.sampled_from([None, "+", "-"])) if horizon == "H2" else None,
        colour=draw(st.sampled_from(sorted(DEFAULT_PALETTE))),
        author=draw(texts),
        votes=draw(st.integers(0, 50)),
        tags=draw(tags),
        personas=tuple(draw(st.lists(st.sampled_from(persona_ids), max_size=2)))
        if persona_ids
        else (),
        created=draw(times),
        updated=draw(times),
        rev=draw(st.integers(0, 1000)),
        horizon_fixed=draw(st.booleans()),
        owner=draw(st.sampled_from(["", "p-1", "facilitator"])),
        private=draw(st.booleans()),
        hidden=draw(st.booleans()),
        group=draw(st.sampled_from(["", "Group A", "Grŵp B"])),
    )


@st.composite
def sessions(draw, max_notes=8):
    anchor_ids = draw(st.lists(ids, max_size=5, unique=True))
    persona_ids = draw(st.lists(ids, max_size=3, unique=True))
    note_ids = draw(st.lists(ids, max_size=max_notes, unique=True))
    personas = {
        pid: Persona(
            id=pid,
            name=draw(texts),
            role=draw(texts),
            group=draw(st.sampled_from(PERSONA_GROUPS)),
            type=draw(st.sampled_from(PERSONA_TYPES)),
            challenge_areas=tuple(draw(st.lists(st.sampled_from(anchor_ids), max_size=2)))
            if anchor_ids
            else (),
            links=tuple(draw(st.lists(st.sampled_from(persona_ids), max_size=2))),
            message=draw(texts),
            quote=draw(texts),
            role_cy=draw(texts),
            message_cy=draw(texts),
        )
        for pid in persona_ids
    }
    return Session(
        id=draw(ids),
        title=draw(texts),
        workshop=draw(st.sampled_from(["", "wales-2022", "demo"])),
        iteration=draw(st.integers(1, 99)),
        date=draw(st.sampled_from(["", "2022-03-24"])),
        focal_question=draw(texts),
        facilitator=draw(texts),
        prompts=draw(st.dictionaries(st.sampled_from(HORIZONS), texts)),
        anchors={aid: draw(anchors(aid)) for aid in anchor_ids},
        notes={nid: draw(notes(nid, anchor_ids, persona_ids)) for nid in note_ids},
        personas=personas,
        facilitation=Facilitation(
            step=draw(st.sampled_from(("", *STEPS))),
            open_all=draw(st.booleans()),
            private=draw(st.booleans()),
            locked=draw(st.booleans()),
        ),
        voting=Voting(
            open=draw(st.booleans()),
            budget=draw(st.integers(1, 20)),
            kind=draw(st.sampled_from(("", *ANCHOR_KINDS))),
            horizon=draw(st.sampled_from(("", *HORIZONS))),
            ballots={
                voter: Ballot(
                    name=draw(texts),
                    notes=draw(st.dictionaries(st.sampled_from(note_ids), st.integers(1, 5)))
                    if note_ids
                    else {},
                )
                for voter in draw(st.lists(ids, max_size=3, unique=True))
            },
        ),
        comments={
            cid: Comment(
                id=cid,
                target=draw(st.sampled_from(note_ids + anchor_ids)),
                text=draw(texts),
                author=draw(texts),
                created=draw(times),
            )
            for cid in (
                draw(st.lists(ids, max_size=3, unique=True)) if note_ids + anchor_ids else []
            )
        },
        title_cy=draw(texts),
        focal_question_cy=draw(texts),
        prompts_cy=draw(st.dictionaries(st.sampled_from(HORIZONS), texts)),
        meta=draw(
            st.dictionaries(
                texts,
                st.recursive(
                    st.none() | st.booleans() | st.integers() | units | texts,
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(texts, c, max_size=3),
                    max_leaves=6,
                ),
                max_size=3,
            )
        ),
    )


NOW = "2026-01-01T00:00:00Z"


@st.composite
def edited(draw, session, tag="e", max_ops=8, anchors_too=True):
    """``session`` after random board edits made through :mod:`canvas.domain.model`, ids kept.

    Notes are changed (text, votes, placement, colour, tags), added under ids starting with
    ``tag`` (so several editors of one session never pick the same new id) and removed;
    with ``anchors_too``, anchors are edited, added and removed too. Every edit goes through
    ``update_note`` / ``add_note`` / ``remove_note`` / ``remove_anchor``, so revs go up.
    """
    from dataclasses import replace

    from canvas.domain.model import add_note, remove_anchor, remove_note, update_note, with_anchor

    kinds = ["update", "update", "add", "remove"]
    if anchors_too:
        kinds += ["anchor_edit", "anchor_add", "anchor_remove"]
    for step in range(draw(st.integers(0, max_ops))):
        kind = draw(st.sampled_from(kinds))
        note_ids = sorted(session.notes)
        anchor_ids = sorted(session.anchors)
        persona_ids = sorted(session.personas)
        if kind == "update" and note_ids:
            nid = draw(st.sampled_from(note_ids))
            changes = {}
            for name in draw(
                st.sets(st.sampled_from(["text", "votes", "place", "colour", "tags"]))
            ):
                if name == "text":
                    changes["text"] = draw(texts)
                elif name == "votes":
                    changes["votes"] = draw(st.integers(0, 30))
                elif name == "place":
                    changes["x"] = draw(units)
                    changes["y"] = draw(units)
                    changes["anchor"] = draw(st.none() | st.sampled_from(anchor_ids or [None]))
                    changes["horizon"] = draw(st.sampled_from(HORIZONS))
                    if changes["horizon"] != "H2":
                        changes["polarity"] = None
                elif name == "colour":
                    changes["colour"] = draw(st.sampled_from(sorted(DEFAULT_PALETTE)))
                else:
                    changes["tags"] = draw(tags)
            session = update_note(session, nid, now=NOW, **changes)
        elif kind == "add":
            nid = f"{tag}-n{step}"
            if nid not in session.notes:
                session = add_note(session, draw(notes(nid, anchor_ids, persona_ids)))
        elif kind == "remove" and note_ids:
            session = remove_note(session, draw(st.sampled_from(note_ids)))
        elif kind == "anchor_edit" and anchor_ids:
            anchor = session.anchors[draw(st.sampled_from(anchor_ids))]
            session = with_anchor(session, replace(anchor, title=draw(texts), x=draw(units)))
        elif kind == "anchor_add":
            aid = f"{tag}-a{step}"
            if aid not in session.anchors:
                session = with_anchor(session, draw(anchors(aid)))
        elif kind == "anchor_remove" and anchor_ids:
            session = remove_anchor(session, draw(st.sampled_from(anchor_ids)), now=NOW)
    return session
