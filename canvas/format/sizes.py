"""How many bytes a change adds to a session's canonical file, without writing the file.

A live room must refuse a change that would push its file past the size limit (accepting it
and then failing every save would lose it silently). Dumping the whole board per operation
costs tens of milliseconds at a few thousand notes; a change touches a few items, so the
growth is measured item by item: each changed note, anchor, comment, persona or ballot is
written on its own at the indentation it has in the file, and small sections (settings,
prompts, facilitation, the vote's rules) are written whole. Section headers that appear or
go are counted with a small allowance (:data:`HEADER_ALLOWANCE`); the room corrects its
estimate to the exact size at every save.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from canvas.domain.diff import SessionDiff
from canvas.domain.model import Session, Voting
from canvas.format import safeyaml
from canvas.format.schema import to_tree

HEADER_ALLOWANCE = 64  # bytes: a section or sub-section header that may appear
_BASE = Session(id="x", title="x")
_ITEMS = ("notes", "anchors", "comments", "personas")


def _bytes(**fields: Any) -> int:
    """The size of a near-empty session's file with ``fields`` set."""
    return len(safeyaml.emit(to_tree(replace(_BASE, **fields))).encode("utf-8"))


_BASE_BYTES = _bytes()


def _item(kind: str, item_id: str, item: Any) -> int:
    """The bytes one item takes in its section (0 for none)."""
    if item is None:
        return 0
    return _bytes(**{kind: {item_id: item}}) - _BASE_BYTES - len(kind) - 2  # "kind:\n"


def _items(kind: str, before: dict, after: dict) -> int:
    growth = 0
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old is not new:
            growth += _item(kind, key, new) - _item(kind, key, old)
    return growth


def _ballots(before: Voting, after: Voting) -> int:
    growth = 0
    for voter in before.ballots.keys() | after.ballots.keys():
        old, new = before.ballots.get(voter), after.ballots.get(voter)
        if old is not new:
            growth += _ballot(voter, new) - _ballot(voter, old)
    return growth


def _ballot(voter: str, ballot) -> int:
    if ballot is None:
        return 0
    voting = Voting(ballots={voter: ballot})
    return _bytes(voting=voting) - _BASE_BYTES - len("voting:\n  ballots:\n")


def _section(name: str, before: Any, after: Any) -> int:
    if name in _ITEMS:
        return _items(name, before, after)
    if name == "voting":
        rules = _bytes(voting=replace(after, ballots={})) - _bytes(
            voting=replace(before, ballots={})
        )
        return rules + _ballots(before, after)
    return _bytes(**{name: after}) - _bytes(**{name: before})


def growth(d: SessionDiff) -> int:
    """Bytes the file grows by (negative: shrinks) with the change ``d``, to within
    :data:`HEADER_ALLOWANCE` per section touched (counted as growth, never as shrinking)."""
    total = 0
    sections = 0
    for kind, items in (("notes", d.notes), ("anchors", d.anchors)):
        for key, old, new in items.pairs():
            total += _item(kind, key, new) - _item(kind, key, old)
        sections += not items.is_empty()
    for name, (before, after) in d.session.items():
        total += _section(name, before, after)
        sections += 1
    return total + HEADER_ALLOWANCE * sections


def file_bytes(session: Session) -> int:
    """The exact size of a session's canonical file (writes it in memory: not per change)."""
    return len(safeyaml.emit(to_tree(session)).encode("utf-8"))
