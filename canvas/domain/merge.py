"""Merging breakout maps: several groups start from one iteration, one board comes back.

Each group's changes are what its session differs from the base; a change made by one group
alone is taken as it is, so every group finds its own work in the merge. Where groups
disagree the rule below decides, the same way whatever order the groups are given in
(everything runs over the groups sorted by name), and each disagreement is reported.

The rule is :data:`RULE` (also printed by ``horizons merge --help``).

The merged session is the next iteration after the base: iteration ``base.iteration + 1``,
id ``<workshop>-NN``, the given title and date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date as _date
from typing import Any

from canvas.domain.merge_fields import Conflict, comparable, is_edit, merge_fields, merge_value
from canvas.domain.model import DEFAULT_COLOUR, Session
from canvas.domain.references import repaired

RULE = """\
1. A delete wins. A note, anchor, persona or comment deleted by any group is not in the
   merge; another group's edits to it are dropped and reported.
2. Additions are kept, with their ids. When several groups added different items under the
   same id, the group whose name sorts first keeps the id and the others' items get
   ``<id>-<group>`` (references inside that group follow), reported.
3. Field by field. A note's x, y, anchor, horizon and horizon_fixed move together as its
   "placement", and an anchor's x and y as its "position"; every other field stands alone.
   A field changed by one group (or changed to the same value by several) takes that change.
   A field changed to different values takes the value from the version with the higher
   ``rev``; on equal revs (and for items that have no rev: anchors, personas, comments,
   session settings) the group whose name sorts first wins. Reported.
   Three fields of a note merge differently: ``votes`` changed by several groups become the
   sum of their values (each group's dot vote counts); ``tags`` and ``personas`` merge as
   sets (each kept unless a group removed it, plus every group's additions).
4. Notes record their group: a note added by a group gets ``group: <name>``; a note a group
   edited gets that group (the one with the highest rev, then first name, when several
   did); other notes keep their group. A note edited by several groups gets the highest
   rev plus one, and the latest ``updated``. An edit is a change with a new ``rev``: a
   difference without one (votes reset when ``horizons iterate`` made the group's copy)
   merges like any change but is neither reported nor credited to the group.
5. Repairs: references left dangling by the above follow the one rule for orphans
   (canvas.domain.references): a note on an anchor another group deleted is detached,
   dots on a deleted note go back to their voter, links to deleted personas or anchors
   are dropped, and a comment on a deleted note is kept. A polarity left on a note outside
   H2 is cleared; a colour missing from the merged palette becomes the default. Reported.
"""

_ITEM_KINDS = ("anchors", "notes", "personas", "comments")
# Fields that change together, per type of item; every other field is a unit of its own.
_IDENTITY = ("id", "title", "iteration", "date")
_WHOLE = ("anchors", "notes", "personas", "comments", *_IDENTITY)
_MERGE_BY_FIELD = ("settings", "facilitation")


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged session and every conflict and repair, in a stable order."""

    session: Session
    conflicts: tuple[Conflict, ...]


def merge(
    base: Session,
    groups: dict[str, Session],
    *,
    title: str | None = None,
    date: str | None = None,
) -> MergeResult:
    """Merge the sessions of breakout ``groups`` (name -> session), all started from ``base``.

    See the module docstring for the rule. ``title`` defaults to the base's, ``date`` to today.
    """
    if not groups:
        raise ValueError("nothing to merge: no groups")
    names = sorted(groups)
    conflicts: list[Conflict] = []
    sessions = _separate_collisions(base, [(n, groups[n]) for n in names], conflicts)
    merged: dict[str, Any] = {}
    for kind in _ITEM_KINDS:
        merged[kind] = _merge_items(kind, getattr(base, kind), sessions, conflicts)
    for f in fields(Session):
        if f.name in _WHOLE:
            continue
        old = getattr(base, f.name)
        versions = [(n, getattr(s, f.name)) for n, s in sessions]
        if f.name in _MERGE_BY_FIELD:
            changed = [(n, v) for n, v in versions if v != old]
            merged[f.name] = merge_fields("session", f.name, old, changed, conflicts)
        else:
            merged[f.name] = merge_value("session", "", f.name, old, versions, conflicts)
    number = base.iteration + 1
    workshop = merged["workshop"] or base.workshop or base.id
    session = Session(
        id=f"{workshop}-{number:02d}",
        title=title or base.title,
        iteration=number,
        date=date or _date.today().isoformat(),
        **merged,
    )
    return MergeResult(_repair(session, conflicts), tuple(conflicts))


# ---------------------------------------------------------------------------------------------
# Items


def _merge_items(
    kind: str,
    base_items: dict[str, Any],
    sessions: list[tuple[str, Session]],
    conflicts: list[Conflict],
) -> dict[str, Any]:
    ids = set(base_items)
    for _, s in sessions:
        ids |= getattr(s, kind).keys()
    out = {}
    for item_id in sorted(ids):
        old = base_items.get(item_id)
        versions = [(n, getattr(s, kind).get(item_id)) for n, s in sessions]
        if old is not None:
            deleted = [n for n, v in versions if v is None]
            changed = [(n, v) for n, v in versions if v is not None and v != old]
            if deleted:
                edited = [n for n, v in changed if is_edit(old, v)]
                if edited:
                    conflicts.append(
                        Conflict(
                            kind,
                            item_id,
                            "deleted",
                            tuple(deleted + edited),
                            f"deleted by {', '.join(deleted)}; the changes of"
                            f" {', '.join(edited)} dropped (a delete wins)",
                        )
                    )
                continue
        else:
            changed = [(n, v) for n, v in versions if v is not None]
        out[item_id] = merge_fields(kind, item_id, old, changed, conflicts) if changed else old
    return out


def _separate_collisions(
    base: Session, sessions: list[tuple[str, Session]], conflicts: list[Conflict]
) -> list[tuple[str, Session]]:
    out = list(sessions)
    for kind in _ITEM_KINDS:
        taken = set(getattr(base, kind))
        for _, s in out:
            taken |= getattr(s, kind).keys()
        new_ids = sorted({k for _, s in out for k in getattr(s, kind)} - getattr(base, kind).keys())
        for item_id in new_ids:
            kept: list[Any] = []
            for index, (name, s) in enumerate(out):
                item = getattr(s, kind).get(item_id)
                if item is None:
                    continue
                plain = comparable(item)
                if not kept or plain in kept:
                    kept.append(plain)
                    continue
                new_id = _fresh_id(item_id, name, taken)
                taken.add(new_id)
                out[index] = (name, _rekey(s, kind, item_id, new_id))
                conflicts.append(
                    Conflict(
                        kind,
                        item_id,
                        "id",
                        (name,),
                        f"added by several groups; {name}'s is kept as {new_id}",
                    )
                )
    return out


def _fresh_id(item_id: str, group: str, taken: set[str]) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", group).strip("-") or "group"
    stem = f"{item_id}-{slug}"[:60]
    candidate, n = stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def _rekey(session: Session, kind: str, old: str, new: str) -> Session:
    """``session`` with one item's id changed, and the references to it within the session."""
    items = {(new if k == old else k): v for k, v in getattr(session, kind).items()}
    items[new] = replace(items[new], id=new)
    changes: dict[str, Any] = {kind: dict(sorted(items.items()))}
    session = replace(session, **changes)

    def swap(ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(new if i == old else i for i in ids)

    notes, personas, comments = session.notes, session.personas, session.comments
    if kind == "anchors":
        notes = {k: replace(n, anchor=new) if n.anchor == old else n for k, n in notes.items()}
        personas = {
            k: replace(p, challenge_areas=swap(p.challenge_areas)) for k, p in personas.items()
        }
    if kind == "personas":
        notes = {k: replace(n, personas=swap(n.personas)) for k, n in notes.items()}
        personas = {k: replace(p, links=swap(p.links)) for k, p in personas.items()}
    if kind in ("notes", "anchors"):
        comments = {
            k: replace(c, target=new) if c.target == old else c for k, c in comments.items()
        }
    voting = session.voting
    if kind == "notes":
        ballots = {
            v: replace(b, notes={(new if k == old else k): d for k, d in b.notes.items()})
            for v, b in voting.ballots.items()
        }
        voting = replace(voting, ballots=ballots)
    return replace(session, notes=notes, personas=personas, comments=comments, voting=voting)


# ---------------------------------------------------------------------------------------------
# Rule 5: repairs


_REPAIRED = {
    "anchor": "detached: anchor {target} was removed",
    "personas": "dropped personas that were removed",
    "challenge_areas": "dropped links to removed anchors or personas",
    "links": "dropped links to removed anchors or personas",
    "notes": "dropped dots on removed notes",
}


def _repair(session: Session, conflicts: list[Conflict]) -> Session:
    """Orphans by the one rule of :mod:`canvas.domain.references`, then what only a merge
    can leave behind: a polarity outside H2, a colour missing from the merged palette."""
    session, orphans = repaired(session)
    reported = set()
    for d in orphans:
        kind, item, name = d.kind, d.item, d.field
        if kind == "voting.ballots":
            kind, item, name = "session", "", f"voting.ballots.{d.item}"
        elif kind == "personas":
            name = "references"
        if (kind, item, name) not in reported:
            reported.add((kind, item, name))
            what = _REPAIRED[d.field].format(target=d.target)
            conflicts.append(Conflict(kind, item, name, (), what))
    palette = session.settings.palette
    colour = DEFAULT_COLOUR if DEFAULT_COLOUR in palette else min(palette, default=DEFAULT_COLOUR)
    notes = {}
    for k, n in session.notes.items():
        changes: dict[str, Any] = {}
        if n.polarity is not None and n.horizon != "H2":
            changes["polarity"] = None
            conflicts.append(
                Conflict("notes", k, "polarity", (), f"cleared: the note is in {n.horizon}")
            )
        if n.colour not in palette:
            changes["colour"] = colour
            what = f"{n.colour} is not in the palette; now {colour}"
            conflicts.append(Conflict("notes", k, "colour", (), what))
        notes[k] = replace(n, **changes) if changes else n
    return replace(session, notes=notes)
