"""Schema version 1: the mapping between a parsed YAML tree and a :class:`Session`.

Validation collects every problem, each with the dotted path of its field, instead of stopping
at the first: a facilitator fixing a hand-edited file should see all that is wrong at once.
Writing builds the tree in the canonical key order and leaves out every default, so files stay
short and their git diffs show only what people changed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from canvas.domain.model import (
    ANCHOR_KINDS,
    COLOUR_PATTERN,
    DEFAULT_COLOUR,
    HORIZONS,
    ID_PATTERN,
    PERSONA_GROUPS,
    PERSONA_TYPES,
    POLARITIES,
    STEPS,
    Anchor,
    Ballot,
    Comment,
    Facilitation,
    Note,
    Persona,
    Session,
    Settings,
    Voting,
    has_unsaveable,
)

FORMAT = "three-horizons-session"
SCHEMA_VERSION = 3

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z")

Path = tuple
Issue = tuple  # (path, message)


class _Invalid(Exception):
    pass


def show(value: Any) -> str:
    """A short, safe rendering of a bad value for an error message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text(v: Any) -> str:
    if type(v) is not str:
        raise _Invalid(f"expected text, got {show(v)}")
    if has_unsaveable(v):
        raise _Invalid("text holds control characters or lone surrogates")
    return v


def _id(v: Any) -> str:
    if type(v) is not str or not ID_PATTERN.fullmatch(v):
        raise _Invalid(f"expected an id (letters, digits, '-', '_', '.'), got {show(v)}")
    return v


def _one_of(options: tuple[str, ...]) -> Callable[[Any], str]:
    allowed = frozenset(options)
    listed = ", ".join(options)

    def check(v: Any) -> str:
        if type(v) is not str or v not in allowed:
            raise _Invalid(f"expected one of {listed}, got {show(v)}")
        return v

    return check


def _unit(v: Any) -> float:
    if type(v) is float:
        if 0.0 <= v <= 1.0:
            return v
    elif type(v) is int and 0 <= v <= 1:
        return float(v)
    elif type(v) not in (int, float):
        raise _Invalid(f"expected a number from 0 to 1, got {show(v)}")
    if isinstance(v, float) and not math.isfinite(v):
        raise _Invalid(f"expected a finite number from 0 to 1, got {show(v)}")
    raise _Invalid(f"expected a number from 0 to 1, got {show(v)}")


def _count(v: Any) -> int:
    if type(v) is not int or v < 0:
        raise _Invalid(f"expected a whole number >= 0, got {show(v)}")
    return v


def _positive(v: Any) -> int:
    if type(v) is not int or v < 1:
        raise _Invalid(f"expected a whole number >= 1, got {show(v)}")
    return v


def _flag(v: Any) -> bool:
    if type(v) is not bool:
        raise _Invalid(f"expected true or false, got {show(v)}")
    return v


def _date(v: Any) -> str:
    if type(v) is not str or (v and not _DATE.fullmatch(v)):
        raise _Invalid(f"expected a date like 2022-03-01, got {show(v)}")
    return v


def _time(v: Any) -> str:
    if type(v) is not str or (v and not _TIME.fullmatch(v)):
        raise _Invalid(f"expected a UTC time like 2022-03-01T10:00:00Z, got {show(v)}")
    return v


def _ids(v: Any) -> tuple[str, ...]:
    if type(v) is not list:
        raise _Invalid(f"expected a list of ids, got {show(v)}")
    return tuple(_id(x) for x in v)


def _tags(v: Any) -> tuple[str, ...]:
    if type(v) is not list:
        raise _Invalid(f"expected a list of tags, got {show(v)}")
    out = []
    for x in v:
        if type(x) is not str or not x or has_unsaveable(x):
            raise _Invalid(f"expected a list of tags (short text), got {show(x)}")
        out.append(x)
    return tuple(out)


def _polarity(v: Any) -> str | None:
    if v is None:
        return None
    if v not in POLARITIES:
        raise _Invalid(f"expected + or -, got {show(v)}")
    return v


def _colour_hex(v: Any) -> str:
    if type(v) is not str or not COLOUR_PATTERN.fullmatch(v):
        raise _Invalid(f"expected a colour like #ffeeaa, got {show(v)}")
    return v


def _palette(v: Any) -> dict[str, str]:
    if type(v) is not dict or not v:
        raise _Invalid(f"expected a mapping of colour names to #rrggbb, got {show(v)}")
    return {_id(k): _colour_hex(c) for k, c in v.items()}


def _prompts(v: Any) -> dict[str, str]:
    if type(v) is not dict:
        raise _Invalid(f"expected a mapping of H1, H2, H3 to text, got {show(v)}")
    check = _one_of(HORIZONS)
    return {check(k): _text(t) for k, t in v.items()}


def _meta(v: Any) -> dict:
    if type(v) is not dict:
        raise _Invalid(f"expected a mapping, got {show(v)}")
    _check_plain(v)
    return v


def _check_plain(v: Any) -> None:
    if isinstance(v, dict):
        for k, x in v.items():
            if type(k) is not str:
                raise _Invalid(f"keys must be text, got {show(k)}")
            _check_plain(x)
    elif isinstance(v, list):
        for x in v:
            _check_plain(x)
    elif isinstance(v, str):
        _text(v)
    elif isinstance(v, float) and not math.isfinite(v):
        raise _Invalid(f"expected a finite number, got {show(v)}")


# Field name -> (check, default); a missing default (``...``) marks a required field.
_ANCHOR_FIELDS: dict[str, tuple[Callable, Any]] = {
    "kind": (_one_of(ANCHOR_KINDS), ...),
    "title": (_text, ...),
    "summary": (_text, ""),
    "horizon": (_one_of(HORIZONS), ...),
    "x": (_unit, ...),
    "y": (_unit, ...),
    "prompt": (_text, ""),
    "title_cy": (_text, ""),
    "summary_cy": (_text, ""),
    "prompt_cy": (_text, ""),
}
_NOTE_FIELDS: dict[str, tuple[Callable, Any]] = {
    "text": (_text, ...),
    "x": (_unit, ...),
    "y": (_unit, ...),
    "horizon": (_one_of(HORIZONS), ...),
    "anchor": (lambda v: None if v is None else _id(v), None),
    "polarity": (_polarity, None),
    "colour": (_id, DEFAULT_COLOUR),
    "author": (_text, ""),
    "votes": (_count, 0),
    "tags": (_tags, ()),
    "personas": (_ids, ()),
    "created": (_time, ""),
    "updated": (_time, ""),
    "rev": (_count, 0),
    "horizon_fixed": (_flag, False),
    "owner": (lambda v: v if v == "" else _id(v), ""),
    "private": (_flag, False),
    "hidden": (_flag, False),
    "group": (_text, ""),
}
_PERSONA_FIELDS: dict[str, tuple[Callable, Any]] = {
    "name": (_text, ...),
    "role": (_text, ...),
    "group": (_one_of(PERSONA_GROUPS), ...),
    "type": (_one_of(PERSONA_TYPES), ...),
    "challenge_areas": (_ids, ()),
    "links": (_ids, ()),
    "message": (_text, ""),
    "quote": (_text, ""),
    "role_cy": (_text, ""),
    "message_cy": (_text, ""),
}
_COMMENT_FIELDS: dict[str, tuple[Callable, Any]] = {
    "target": (_id, ...),
    "text": (_text, ...),
    "author": (_text, ""),
    "created": (_time, ""),
}
_SETTINGS = Settings()
_SETTINGS_FIELDS: dict[str, tuple[Callable, Any]] = {
    "palette": (_palette, _SETTINGS.palette),
    "max_text": (_positive, _SETTINGS.max_text),
    "max_notes": (_positive, _SETTINGS.max_notes),
    "axis_from": (_text, _SETTINGS.axis_from),
    "axis_to": (_text, _SETTINGS.axis_to),
    "h2_peak": (_unit, _SETTINGS.h2_peak),
    "crossover": (_unit, _SETTINGS.crossover),
}
_SESSION_FIELDS: dict[str, tuple[Callable, Any]] = {
    "format": (None, ...),
    "schema_version": (None, ...),
    "id": (_id, ...),
    "title": (_text, ...),
    "workshop": (lambda v: v if v == "" else _id(v), ""),
    "iteration": (_positive, 1),
    "date": (_date, ""),
    "focal_question": (_text, ""),
    "facilitator": (_text, ""),
    "prompts": (_prompts, None),
    "settings": (None, None),
    "anchors": (None, None),
    "notes": (None, None),
    "personas": (None, None),
    "facilitation": (None, None),
    "voting": (None, None),
    "comments": (None, None),
    "title_cy": (_text, ""),
    "focal_question_cy": (_text, ""),
    "prompts_cy": (_prompts, None),
    "meta": (_meta, None),
}
_FACILITATION = Facilitation()
_FACILITATION_FIELDS: dict[str, tuple[Callable, Any]] = {
    "step": (lambda v: v if v == "" else _one_of(STEPS)(v), ""),
    "open_all": (_flag, False),
    "private": (_flag, False),
    "locked": (_flag, False),
}
_VOTING = Voting()
_VOTING_FIELDS: dict[str, tuple[Callable, Any]] = {
    "open": (_flag, False),
    "budget": (_positive, _VOTING.budget),
    "kind": (lambda v: v if v == "" else _one_of(ANCHOR_KINDS)(v), ""),
    "horizon": (lambda v: v if v == "" else _one_of(HORIZONS)(v), ""),
    "ballots": (None, None),
}
_BALLOT_FIELDS: dict[str, tuple[Callable, Any]] = {
    "name": (_text, ""),
    "notes": (None, None),
}


def _fields(
    data: Any, spec: dict[str, tuple[Callable, Any]], path: Path, issues: list[Issue]
) -> dict[str, Any] | None:
    """Check one mapping against a field spec; returns the converted values present."""
    if type(data) is not dict:
        issues.append((path, f"expected a mapping, got {show(data)}"))
        return None
    out: dict[str, Any] = {}
    for key, value in data.items():
        entry = spec.get(key)
        if entry is None:
            issues.append((path + (key,), "unknown field"))
            continue
        check = entry[0]
        if check is None:
            out[key] = value
            continue
        try:
            out[key] = check(value)
        except _Invalid as exc:
            issues.append((path + (key,), str(exc)))
    for key, (_, default) in spec.items():
        if default is ... and key not in data:
            issues.append((path + (key,), "required field is missing"))
    return out


def _items(
    data: Any, spec: dict, path: Path, issues: list[Issue], make: Callable
) -> dict[str, Any]:
    """Check an id-keyed mapping of items and build each valid one with ``make``."""
    if data is None:
        return {}
    if type(data) is not dict:
        issues.append((path, f"expected a mapping of id to item, got {show(data)}"))
        return {}
    out = {}
    for key, item in data.items():
        try:
            _id(key)
        except _Invalid as exc:
            issues.append((path + (key,), str(exc)))
            continue
        before = len(issues)
        values = _fields(item, spec, path + (key,), issues)
        if values is not None and len(issues) == before:
            out[key] = make(key, values)
    return out


def check_header(tree: Any) -> list[Issue]:
    """Problems with the part of a file that says what it is and which version it has."""
    if type(tree) is not dict:
        return [((), f"expected a mapping at the top level, got {show(tree)}")]
    issues = []
    if tree.get("format") != FORMAT:
        got = show(tree["format"]) if "format" in tree else "nothing"
        issues.append((("format",), f"missing header: expected 'format: {FORMAT}', got {got}"))
    version = tree.get("schema_version")
    if type(version) is not int or version < 1:
        issues.append((("schema_version",), f"expected a whole number >= 1, got {show(version)}"))
    return issues


def from_tree(tree: dict) -> tuple[Session | None, list[Issue]]:
    """Validate a current-version tree; returns the session, or None and every problem."""
    issues: list[Issue] = check_header(tree)
    if issues:
        return None, issues
    top = _fields(tree, _SESSION_FIELDS, (), issues) or {}
    settings_values = _fields(tree.get("settings") or {}, _SETTINGS_FIELDS, ("settings",), issues)
    settings = Settings(**(settings_values or {}))
    anchors = _items(
        tree.get("anchors"), _ANCHOR_FIELDS, ("anchors",), issues, lambda k, v: Anchor(id=k, **v)
    )
    notes = _items(
        tree.get("notes"), _NOTE_FIELDS, ("notes",), issues, lambda k, v: Note(id=k, **v)
    )
    personas = _items(
        tree.get("personas"),
        _PERSONA_FIELDS,
        ("personas",),
        issues,
        lambda k, v: Persona(id=k, **v),
    )
    facilitation = Facilitation(
        **(
            _fields(tree.get("facilitation") or {}, _FACILITATION_FIELDS, ("facilitation",), issues)
            or {}
        )
    )
    voting = _voting(tree.get("voting"), tree.get("notes"), issues)
    comments = _items(
        tree.get("comments"),
        _COMMENT_FIELDS,
        ("comments",),
        issues,
        lambda k, v: Comment(id=k, **v),
    )
    # A comment outlives the note or anchor it was about: reviewers' words are not lost.
    _check_references(tree, anchors, notes, personas, settings, issues)
    if issues:
        return None, issues
    for key in _ITEM_SECTIONS:
        top.pop(key, None)
    session = Session(
        **top,
        settings=settings,
        anchors=anchors,
        notes=notes,
        personas=personas,
        facilitation=facilitation,
        voting=voting,
        comments=comments,
    )
    return session, []


_ITEM_SECTIONS = (
    "format",
    "schema_version",
    "settings",
    "anchors",
    "notes",
    "personas",
    "facilitation",
    "voting",
    "comments",
)


def _voting(data: Any, raw_notes: Any, issues: list[Issue]) -> Voting:
    values = _fields(data or {}, _VOTING_FIELDS, ("voting",), issues) or {}
    raw = values.pop("ballots", None) or {}
    known = raw_notes if type(raw_notes) is dict else {}
    ballots = {}
    if type(raw) is not dict:
        issues.append(
            (("voting", "ballots"), f"expected a mapping of voter to ballot, got {show(raw)}")
        )
        raw = {}
    for voter, ballot in raw.items():
        path = ("voting", "ballots", voter)
        try:
            _id(voter)
        except _Invalid as exc:
            issues.append((path, str(exc)))
            continue
        fields = _fields(ballot, _BALLOT_FIELDS, path, issues)
        if fields is None:
            continue
        dots = fields.get("notes") or {}
        if type(dots) is not dict:
            issues.append(
                (path + ("notes",), f"expected a mapping of note id to dots, got {show(dots)}")
            )
            continue
        checked = {}
        for note_id, count in dots.items():
            if note_id not in known:
                issues.append((path + ("notes", note_id), f"no note with id {show(note_id)}"))
            elif type(count) is not int or count < 1:
                issues.append(
                    (path + ("notes", note_id), f"expected a whole number >= 1, got {show(count)}")
                )
            else:
                checked[note_id] = count
        ballots[voter] = Ballot(name=fields.get("name", ""), notes=checked)
    return Voting(**values, ballots=ballots)


def _check_references(tree, anchors, notes, personas, settings, issues) -> None:
    raw_anchors = tree.get("anchors") if type(tree.get("anchors")) is dict else {}
    raw_personas = tree.get("personas") if type(tree.get("personas")) is dict else {}
    palette = settings.palette
    for nid, note in notes.items():
        path = ("notes", nid)
        if note.anchor is not None and note.anchor not in raw_anchors:
            issues.append((path + ("anchor",), f"no anchor with id {show(note.anchor)}"))
        if note.colour not in palette:
            names = ", ".join(sorted(palette))
            issues.append((path + ("colour",), f"expected one of {names}, got {show(note.colour)}"))
        if note.polarity is not None and note.horizon != "H2":
            issues.append((path + ("polarity",), "only H2 notes have a polarity (+ or -)"))
        for pid in note.personas:
            if pid not in raw_personas:
                issues.append((path + ("personas",), f"no persona with id {show(pid)}"))
    for pid, persona in personas.items():
        for aid in persona.challenge_areas:
            if aid not in raw_anchors:
                issues.append(
                    (("personas", pid, "challenge_areas"), f"no anchor with id {show(aid)}")
                )
        for other in persona.links:
            if other not in raw_personas:
                issues.append((("personas", pid, "links"), f"no persona with id {show(other)}"))


# ---------------------------------------------------------------------------------------------
# Writing


def _note_tree(n: Note) -> dict:
    d: dict[str, Any] = {"text": n.text, "x": n.x, "y": n.y, "horizon": n.horizon}
    if n.anchor is not None:
        d["anchor"] = n.anchor
    if n.polarity is not None:
        d["polarity"] = n.polarity
    if n.colour != DEFAULT_COLOUR:
        d["colour"] = n.colour
    if n.author:
        d["author"] = n.author
    if n.votes:
        d["votes"] = n.votes
    if n.tags:
        d["tags"] = n.tags
    if n.personas:
        d["personas"] = n.personas
    if n.created:
        d["created"] = n.created
    if n.updated:
        d["updated"] = n.updated
    if n.rev:
        d["rev"] = n.rev
    if n.horizon_fixed:
        d["horizon_fixed"] = True
    if n.owner:
        d["owner"] = n.owner
    if n.private:
        d["private"] = True
    if n.hidden:
        d["hidden"] = True
    if n.group:
        d["group"] = n.group
    return d


def _defaults_left_out(value: Any, spec: dict[str, tuple[Callable, Any]]) -> dict:
    return {
        name: getattr(value, name)
        for name, (_, default) in spec.items()
        if default is not None and getattr(value, name) != default
    }


def _voting_tree(v: Voting) -> dict:
    d = _defaults_left_out(v, _VOTING_FIELDS)
    if v.ballots:
        d["ballots"] = {
            voter: {
                **({"name": b.name} if b.name else {}),
                **({"notes": dict(sorted(b.notes.items()))} if b.notes else {}),
            }
            for voter, b in sorted(v.ballots.items())
        }
    return d


def _anchor_tree(a: Anchor) -> dict:
    d: dict[str, Any] = {"kind": a.kind, "title": a.title}
    if a.summary:
        d["summary"] = a.summary
    d["horizon"] = a.horizon
    d["x"] = a.x
    d["y"] = a.y
    if a.prompt:
        d["prompt"] = a.prompt
    for name in ("title_cy", "summary_cy", "prompt_cy"):
        value = getattr(a, name)
        if value:
            d[name] = value
    return d


def _persona_tree(p: Persona) -> dict:
    d: dict[str, Any] = {"name": p.name, "role": p.role, "group": p.group, "type": p.type}
    if p.challenge_areas:
        d["challenge_areas"] = p.challenge_areas
    if p.links:
        d["links"] = p.links
    if p.message:
        d["message"] = p.message
    if p.quote:
        d["quote"] = p.quote
    for name in ("role_cy", "message_cy"):
        value = getattr(p, name)
        if value:
            d[name] = value
    return d


def _comment_tree(c: Comment) -> dict:
    d: dict[str, Any] = {"target": c.target, "text": c.text}
    if c.author:
        d["author"] = c.author
    if c.created:
        d["created"] = c.created
    return d


def _settings_tree(s: Settings) -> dict:
    d: dict[str, Any] = {}
    for name, (_, default) in _SETTINGS_FIELDS.items():
        value = getattr(s, name)
        if value != default:
            d[name] = dict(sorted(value.items())) if name == "palette" else value
    return d


def to_tree(s: Session) -> dict:
    """The canonical tree of a session: fixed key order, sorted ids, defaults left out."""
    d: dict[str, Any] = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "id": s.id}
    d["title"] = s.title
    if s.workshop:
        d["workshop"] = s.workshop
    if s.iteration != 1:
        d["iteration"] = s.iteration
    for name in ("date", "focal_question", "facilitator"):
        value = getattr(s, name)
        if value:
            d[name] = value
    if s.prompts:
        d["prompts"] = {h: s.prompts[h] for h in HORIZONS if h in s.prompts}
    settings = _settings_tree(s.settings)
    if settings:
        d["settings"] = settings
    if s.anchors:
        d["anchors"] = {k: _anchor_tree(s.anchors[k]) for k in sorted(s.anchors)}
    if s.notes:
        d["notes"] = {k: _note_tree(s.notes[k]) for k in sorted(s.notes)}
    if s.personas:
        d["personas"] = {k: _persona_tree(s.personas[k]) for k in sorted(s.personas)}
    facilitation = _defaults_left_out(s.facilitation, _FACILITATION_FIELDS)
    if facilitation:
        d["facilitation"] = facilitation
    voting = _voting_tree(s.voting)
    if voting:
        d["voting"] = voting
    if s.comments:
        d["comments"] = {k: _comment_tree(s.comments[k]) for k in sorted(s.comments)}
    if s.title_cy:
        d["title_cy"] = s.title_cy
    if s.focal_question_cy:
        d["focal_question_cy"] = s.focal_question_cy
    if s.prompts_cy:
        d["prompts_cy"] = {h: s.prompts_cy[h] for h in HORIZONS if h in s.prompts_cy}
    if s.meta:
        d["meta"] = s.meta
    return d
