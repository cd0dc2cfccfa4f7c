"""Merging one item field by field (rules 3 and 4 of :data:`canvas.domain.merge.RULE`), and
the conflicts a merge reports.

An item changed by several groups is merged unit by unit (a note's placement moves as one);
a unit changed to different values goes to the higher ``rev``, then the first group name,
except ``votes`` (added up) and ``tags`` and ``personas`` (merged as sets).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from canvas.domain.fields import table
from canvas.domain.model import Note

_SINGULAR = {"anchors": "anchor", "notes": "note", "personas": "persona", "comments": "comment"}


@dataclass(frozen=True, slots=True)
class Conflict:
    """A disagreement between groups, or a repair, and how the merge resolved it.

    ``kind`` is "notes", "anchors", "personas", "comments" or "session"; ``id`` the item
    ("" for the session); ``field`` the field or unit ("deleted" and "id" for rules 1 and 2).
    """

    kind: str
    id: str
    field: str
    groups: tuple[str, ...]
    resolution: str

    def text(self) -> str:
        """One line: "note n-0001 text: changed by A, B; kept B's (higher rev)"."""
        what = f"{_SINGULAR.get(self.kind, self.kind)} {self.id}".strip()
        return f"{what} {self.field}: {self.resolution}"


def is_edit(old: Any, new: Any) -> bool:
    """A change someone made on the board: a note's rev goes up with every edit.

    A note that differs without a new rev was changed when its copy was made (``horizons
    iterate`` resets votes): merged like any change, but neither reported nor credited.
    """
    return new != old and (not isinstance(new, Note) or new.rev != old.rev)


def _rev(item: Any) -> int:
    return getattr(item, "rev", 0)


def merge_units(item: Any) -> list[tuple[str, tuple[str, ...]]]:
    """The units an item merges by: (name, field names), in field order. Fields that share
    a ``unit`` in the record's table move together; ``bookkeeping`` fields are set by the
    merge itself."""
    out: dict[str, list[str]] = {}
    for f in table(type(item)):
        if not f.bookkeeping:
            out.setdefault(f.unit or f.name, []).append(f.name)
    return [(unit, tuple(names)) for unit, names in out.items()]


def merge_fields(
    kind: str, item_id: str, old: Any, changed: list[tuple[str, Any]], conflicts: list[Conflict]
) -> Any:
    """One item (or a settings-like section) merged from the versions that changed it."""
    if not changed:
        return old
    first = comparable(changed[0][1])
    if len(changed) == 1 or (old is None and all(comparable(v) == first for _, v in changed)):
        return _label(old, changed, changed[0][1])  # one change, or one addition made twice
    start = old if old is not None else changed[0][1]
    values: dict[str, Any] = {}
    for unit, names in merge_units(start):
        before = None if old is None else tuple(getattr(old, n) for n in names)
        movers = [(g, v, tuple(getattr(v, n) for n in names)) for g, v in changed]
        movers = [(g, v, value) for g, v, value in movers if value != before]
        if not movers:
            continue
        if isinstance(start, Note) and unit in ("votes", "tags", "personas"):
            value = _combine(kind, item_id, unit, before, movers, conflicts)
        else:
            value = _pick(kind, item_id, unit, movers, conflicts)
        values.update(zip(names, value, strict=True))
    item = replace(start, **values)
    if isinstance(item, Note):
        revs = [v.rev for _, v in changed] + ([old.rev] if old is not None else [])
        editors = sum(1 for _, v in changed if old is None or is_edit(old, v))
        updated = max(v.updated for _, v in changed)
        item = replace(item, rev=max(revs) + (editors > 1), updated=updated)
    return _label(old, changed, item)


def _pick(kind, item_id, unit, movers, conflicts) -> tuple:
    """The value of a unit changed by several groups: agreed, or the winner's (rule 3)."""
    if all(value == movers[0][2] for _, _, value in movers):
        return movers[0][2]
    group, version, value = min(movers, key=lambda m: (-_rev(m[1]), m[0]))
    top = [g for g, v, _ in movers if _rev(v) == _rev(version)]
    why = "higher rev" if len(top) == 1 else "first group name"
    groups = tuple(g for g, _, _ in movers)
    conflicts.append(
        Conflict(kind, item_id, unit, groups, f"{_by(groups)}; kept {group}'s ({why})")
    )
    return value


def _combine(kind, item_id, unit, before, movers, conflicts) -> tuple:
    """Votes add up; tags and personas merge as sets (rule 3)."""
    if unit == "votes":
        total = sum(value[0] for _, _, value in movers)
        voted = [(g, value[0]) for g, _, value in movers if value[0]]
        if len(voted) > 1:
            parts = " + ".join(f"{g} {n}" for g, n in voted)
            conflicts.append(
                Conflict(
                    kind,
                    item_id,
                    unit,
                    tuple(g for g, _ in voted),
                    f"{_by(tuple(g for g, _ in voted))}; added up: {parts} = {total}",
                )
            )
        return (total,)
    old = before[0] if before is not None else ()
    removed = {t for _, _, value in movers for t in old if t not in value[0]}
    out = [t for t in old if t not in removed]
    for _, _, value in movers:
        out += [t for t in value[0] if t not in old and t not in out]
    return (tuple(out),)


def _by(groups: tuple[str, ...]) -> str:
    return f"changed by {', '.join(groups)}"


def _label(old: Any, changed: list[tuple[str, Any]], item: Any) -> Any:
    """Rule 4: the group a merged note records."""
    if not isinstance(item, Note):
        return item
    if old is None:
        return replace(item, group=changed[0][0])
    editors = [(g, v) for g, v in changed if is_edit(old, v)]
    if not editors:
        return replace(item, group=old.group)
    group, _ = min(editors, key=lambda e: (-e[1].rev, e[0]))
    return replace(item, group=group)


def merge_value(kind, item_id, name, old, versions, conflicts) -> Any:
    """A session field merged as a whole (no rev: the first group name wins a conflict)."""
    changed = [(g, v) for g, v in versions if v != old]
    if not changed:
        return old
    distinct = []
    for _, v in changed:
        if v not in distinct:
            distinct.append(v)
    if len(distinct) > 1:
        groups = tuple(g for g, _ in changed)
        conflicts.append(
            Conflict(
                kind, item_id, name, groups, f"{_by(groups)}; kept {groups[0]}'s (first group name)"
            )
        )
    return changed[0][1]


# ---------------------------------------------------------------------------------------------
# Rule 2: the same new id in several groups


def comparable(item: Any) -> Any:
    return replace(item, group="") if isinstance(item, Note) else item
