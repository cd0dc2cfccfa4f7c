"""The diff algebra of sessions: what was added, updated (before and after) and removed.

Iterations of a workshop keep note ids, so two iterations compare item by item. A diff is
complete: ``apply(a, diff(a, b)) == b`` for any two sessions, and ``invert`` undoes it, which
is what undo, comparison and merging all build on.

What a person calls a change is narrower: a note whose votes were reset by a new iteration
has not changed. :func:`is_change` is that one rule and :func:`for_people` applies it, so every
report, the compare mode and "changed since" agree; the algebra keeps votes, so it stays
complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from typing import Any

from canvas.domain.model import Anchor, Note, Session

# Field names reported for a change; x and y are one "position" to a person.
_REPORTED = {"x": "position", "y": "position"}
_ITEM_KINDS = ("anchors", "notes")
_SESSION_FIELDS = tuple(f.name for f in fields(Session) if f.name not in _ITEM_KINDS)
# Fields whose difference alone is no change of the item to a person: votes start again each
# iteration (their totals are reported apart, as trends), and rev/updated are bookkeeping.
NOT_A_CHANGE = frozenset({"votes", "rev", "updated"})


class DiffError(ValueError):
    """A diff that does not fit the session it is applied to."""


@dataclass(frozen=True, slots=True)
class Change:
    """One item as it was and as it is, with the names of what changed."""

    before: Any
    after: Any
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ItemsDiff:
    """Changes to one kind of item (notes or anchors), each keyed by id and sorted."""

    added: dict[str, Any] = field(default_factory=dict)
    updated: dict[str, Change] = field(default_factory=dict)
    removed: dict[str, Any] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.added or self.updated or self.removed)

    def pairs(self) -> Iterator[tuple[str, Any, Any]]:
        """Every changed item as ``(id, before, after)``, None for a side it is missing on."""
        for k, item in self.added.items():
            yield k, None, item
        for k, change in self.updated.items():
            yield k, change.before, change.after
        for k, item in self.removed.items():
            yield k, item, None

    def inverted(self) -> ItemsDiff:
        return ItemsDiff(
            added=self.removed,
            updated={k: Change(c.after, c.before, c.fields) for k, c in self.updated.items()},
            removed=self.added,
        )


@dataclass(frozen=True, slots=True)
class SessionDiff:
    """Everything that differs between two sessions."""

    notes: ItemsDiff = field(default_factory=ItemsDiff)
    anchors: ItemsDiff = field(default_factory=ItemsDiff)
    session: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def changed_fields(before: Note | Anchor, after: Note | Anchor) -> tuple[str, ...]:
    """The names of the fields that differ, x and y reported together as ``position``."""
    names: list[str] = []
    for name in before.__slots__:
        if getattr(before, name) != getattr(after, name):
            reported = _REPORTED.get(name, name)
            if reported not in names:
                names.append(reported)
    return tuple(names)


def diff_items(
    a: dict[str, Any], b: dict[str, Any], keys: Iterable[str] | None = None
) -> ItemsDiff:
    """Compare two id-keyed collections of frozen items (only ``keys``, when given: an
    operation that knows what it touched need not look at the other thousand notes)."""
    if keys is None:
        added = {k: b[k] for k in sorted(b.keys() - a.keys())}
        removed = {k: a[k] for k in sorted(a.keys() - b.keys())}
        both: Iterable[str] = sorted(a.keys() & b.keys())
    else:
        wanted = sorted(set(keys))
        added = {k: b[k] for k in wanted if k in b and k not in a}
        removed = {k: a[k] for k in wanted if k in a and k not in b}
        both = [k for k in wanted if k in a and k in b]
    updated = {}
    for k in both:
        x = a[k]
        y = b[k]
        if x is not y and x != y:
            updated[k] = Change(x, y, changed_fields(x, y))
    return ItemsDiff(added=added, updated=updated, removed=removed)


def is_change(change: Change) -> bool:
    """True when a person would call ``change`` a change of the item.

    An update that differs only in votes (or in revision bookkeeping) is not one: a vote reset
    by a new iteration would otherwise list every voted note as changed.
    """
    return any(name not in NOT_A_CHANGE for name in change.fields)


def for_people(d: SessionDiff) -> SessionDiff:
    """``d`` without the updates :func:`is_change` rejects: for reading, never for :func:`apply`."""

    def keep(items: ItemsDiff) -> ItemsDiff:
        updated = {k: c for k, c in items.updated.items() if is_change(c)}
        if len(updated) == len(items.updated):
            return items
        return ItemsDiff(added=items.added, updated=updated, removed=items.removed)

    return SessionDiff(notes=keep(d.notes), anchors=keep(d.anchors), session=d.session)


def diff(
    a: Session,
    b: Session,
    *,
    notes: Iterable[str] | None = None,
    anchors: Iterable[str] | None = None,
    sections: Iterable[str] | None = None,
) -> SessionDiff:
    """What turns session ``a`` into session ``b``; ``notes``, ``anchors`` and ``sections``
    limit the comparison to what a caller knows may have changed."""
    top = {}
    for name in _SESSION_FIELDS if sections is None else sections:
        x = getattr(a, name)
        y = getattr(b, name)
        if x != y:
            top[name] = (x, y)
    return SessionDiff(
        notes=diff_items(a.notes, b.notes, notes),
        anchors=diff_items(a.anchors, b.anchors, anchors),
        session=top,
    )


def is_empty(d: SessionDiff) -> bool:
    """True when the diff changes nothing."""
    return d.notes.is_empty() and d.anchors.is_empty() and not d.session


def invert(d: SessionDiff) -> SessionDiff:
    """The diff that undoes ``d``."""
    return SessionDiff(
        notes=d.notes.inverted(),
        anchors=d.anchors.inverted(),
        session={k: (after, before) for k, (before, after) in d.session.items()},
    )


def _apply_items(items: dict[str, Any], d: ItemsDiff, kind: str) -> dict[str, Any]:
    if d.is_empty():
        return items
    out = dict(items)
    for k, item in d.removed.items():
        if out.get(k) != item:
            raise DiffError(f"{kind}.{k}: cannot remove, it differs from the diff's copy")
        del out[k]
    for k, change in d.updated.items():
        if out.get(k) != change.before:
            raise DiffError(f"{kind}.{k}: cannot update, it differs from the diff's 'before'")
        out[k] = change.after
    for k, item in d.added.items():
        if k in out:
            raise DiffError(f"{kind}.{k}: cannot add, the id is taken")
        out[k] = item
    return out


def apply(session: Session, d: SessionDiff) -> Session:
    """Return ``session`` with ``d`` applied; refuses a diff made against another state."""
    changes: dict[str, Any] = {}
    for name, (before, after) in d.session.items():
        if getattr(session, name) != before:
            raise DiffError(f"{name}: cannot update, it differs from the diff's 'before'")
        changes[name] = after
    notes = _apply_items(session.notes, d.notes, "notes")
    anchors = _apply_items(session.anchors, d.anchors, "anchors")
    if notes is not session.notes:
        changes["notes"] = notes
    if anchors is not session.anchors:
        changes["anchors"] = anchors
    return replace(session, **changes) if changes else session
