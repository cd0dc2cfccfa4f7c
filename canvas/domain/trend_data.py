"""Trends across the iterations of one workshop, as plain data for the trends page.

Iterations of a workshop keep note ids, so a note can be followed from one iteration to the
next. From the sessions of a workshop, in iteration order, this module counts the notes and
votes on every anchor in every iteration (long-form rows, with one "no anchor" row per
horizon), follows the notes from one iteration to another (flows between places, plus the
notes added and removed; :func:`story_flows` gathers the notes that stayed put into one band,
so the moves stand out), and ranks the anchors of the latest iteration to show how the top
ones rose or fell.

Standard library and the canvas domain only: no UI library, no file access. Every note counts,
hidden and private ones included, so the numbers always add up to the notes in the files.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from canvas.domain.model import ANCHOR_KINDS, HORIZONS, Note, Session

ADDED = "added"
REMOVED = "removed"
UNCHANGED = "unchanged"
FOLDED = "folded"
MEASURES = ("notes", "votes")
_KIND_ORDER = {kind: i for i, kind in enumerate(ANCHOR_KINDS)}


def _horizon_order(horizon: str) -> tuple[int, str]:
    return (HORIZONS.index(horizon), "") if horizon in HORIZONS else (len(HORIZONS), horizon)


def in_language(title: str, title_cy: str, lang: str) -> str:
    """A title in ``lang``: the Welsh one when asked for and given, else the English one."""
    return title_cy if lang == "cy" and title_cy else title


def free_key(horizon: str) -> str:
    """The key of the notes of ``horizon`` that are on no anchor.

    It starts with "(" and holds a space, so it can never be an anchor id.
    """
    return f"(no anchor) {horizon}"


@dataclass(frozen=True, slots=True)
class AnchorCount:
    """One long-form row: the notes and votes on one anchor in one iteration.

    ``anchor_id`` is None for the notes of a horizon that are on no anchor; their title and
    kind are then "". ``anchor_title_cy`` is the Welsh title, "" when there is none.
    """

    iteration: int
    anchor_id: str | None
    anchor_title: str
    kind: str
    horizon: str
    notes: int
    votes: int
    anchor_title_cy: str = ""

    def title(self, lang: str = "en") -> str:
        return in_language(self.anchor_title, self.anchor_title_cy, lang)

    @property
    def key(self) -> str:
        """The same in every iteration: the anchor id, or :func:`free_key` of the horizon."""
        return self.anchor_id if self.anchor_id is not None else free_key(self.horizon)

    @property
    def on_anchor(self) -> bool:
        return self.anchor_id is not None


@dataclass(frozen=True, slots=True)
class FlowNode:
    """Where notes were in one iteration: a horizon and an anchor (or none).

    The pseudo-nodes :data:`ADDED` (notes new in the later iteration), :data:`REMOVED`
    (notes gone from it) and :data:`UNCHANGED` (notes that stayed where they were, in
    :func:`story_flows`) have ``pseudo`` set, no iteration and no horizon. A :data:`FOLDED`
    node (from :func:`fold_places`) stands for ``folded`` small places of one horizon.
    """

    iteration: int | None
    horizon: str
    anchor_id: str | None
    title: str
    pseudo: str = ""
    title_cy: str = ""
    folded: int = 0

    def title_in(self, lang: str = "en") -> str:
        return in_language(self.title, self.title_cy, lang)


@dataclass(frozen=True, slots=True)
class Flow:
    """The notes that went from ``source`` (earlier) to ``target`` (later)."""

    source: FlowNode
    target: FlowNode
    notes: int
    note_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Trajectory:
    """One anchor's notes and votes in every iteration (0 where it had none or did not exist).

    The title, kind and horizon are those of the latest iteration.
    """

    anchor_id: str
    title: str
    kind: str
    horizon: str
    iterations: tuple[int, ...]
    notes: tuple[int, ...]
    votes: tuple[int, ...]
    title_cy: str = ""

    def title_in(self, lang: str = "en") -> str:
        return in_language(self.title, self.title_cy, lang)

    def series(self, by: str = "notes") -> tuple[int, ...]:
        if by not in MEASURES:
            raise ValueError(f"not a measure: {by!r}")
        return self.notes if by == "notes" else self.votes

    def change(self, by: str = "notes") -> int:
        """The rise (positive) or fall (negative) from the previous iteration to the latest."""
        values = self.series(by)
        return values[-1] - values[-2] if len(values) > 1 else 0


def iteration_numbers(sessions: Sequence[Session]) -> list[int]:
    """The numbers the sessions go by: their ``iteration`` when those increase, else 1, 2...

    Copied or hand-edited files can repeat a number; positions keep the labels unique.
    """
    numbers = [s.iteration for s in sessions]
    if all(a < b for a, b in pairwise(numbers)):
        return numbers
    return list(range(1, len(sessions) + 1))


def _anchor_of(session: Session, note: Note) -> str | None:
    """The anchor a note is on, or None (also for a dangling anchor id)."""
    return note.anchor if note.anchor in session.anchors else None


def _row_order(row: AnchorCount) -> tuple:
    return (
        _horizon_order(row.horizon),
        not row.on_anchor,
        _KIND_ORDER.get(row.kind, len(_KIND_ORDER)),
        row.anchor_title.casefold(),
        row.anchor_id or "",
    )


def anchor_counts(sessions: Sequence[Session]) -> list[AnchorCount]:
    """Notes and votes per anchor per iteration, with a "no anchor" row for every horizon.

    Rows come in iteration order, then horizon, anchors before the "no anchor" row, kind,
    title. Every anchor of an iteration has a row, with no notes too; a note's votes count
    for the anchor it is on. Notes on no anchor count under their own horizon.
    """
    rows: list[AnchorCount] = []
    for number, session in zip(iteration_numbers(sessions), sessions, strict=True):
        notes: Counter[str | None] = Counter()
        votes: Counter[str | None] = Counter()
        free_notes: Counter[str] = Counter()
        free_votes: Counter[str] = Counter()
        for note in session.notes.values():
            anchor = _anchor_of(session, note)
            if anchor is None:
                free_notes[note.horizon] += 1
                free_votes[note.horizon] += note.votes
            else:
                notes[anchor] += 1
                votes[anchor] += note.votes
        found = [
            AnchorCount(
                number, a.id, a.title, a.kind, a.horizon, notes[a.id], votes[a.id], a.title_cy
            )
            for a in session.anchors.values()
        ]
        for horizon in sorted(set(HORIZONS) | set(free_notes), key=_horizon_order):
            found.append(
                AnchorCount(number, None, "", "", horizon, free_notes[horizon], free_votes[horizon])
            )
        rows.extend(sorted(found, key=_row_order))
    return rows


def anchor_axis(rows: Sequence[AnchorCount]) -> list[AnchorCount]:
    """One row per key (the latest of each), in display order: a stable axis for a chart."""
    latest: dict[str, AnchorCount] = {}
    for row in rows:
        latest[row.key] = row
    return sorted(latest.values(), key=_row_order)


def _place(session: Session, number: int, note: Note) -> FlowNode:
    anchor = _anchor_of(session, note)
    if anchor is None:
        return FlowNode(number, note.horizon, None, "")
    found = session.anchors[anchor]
    return FlowNode(number, note.horizon, anchor, found.title, title_cy=found.title_cy)


def node_order(node: FlowNode) -> tuple:
    """Places by horizon (H1, H2, H3), anchors before free notes and folded places last
    within a horizon, then by title; "unchanged" first and "added" / "removed" last: the order
    a reader scans a flow chart in."""
    rank = 0 if node.pseudo == UNCHANGED else 2 if node.pseudo in (ADDED, REMOVED) else 1
    return (
        rank,
        _horizon_order(node.horizon),
        node.pseudo == FOLDED,
        node.anchor_id is None,
        node.title.casefold(),
        node.anchor_id or "",
        node.pseudo,
    )


def flows(sessions: Sequence[Session], i: int, j: int) -> list[Flow]:
    """The notes followed by id from iteration ``i`` to iteration ``j`` (iteration numbers).

    A note in both goes from its place in ``i`` to its place in ``j``; a note only in ``i``
    goes to :data:`REMOVED`, a note only in ``j`` comes from :data:`ADDED`. So the flows out
    of the ``i`` places add up to the notes of ``i``, and the flows into the ``j`` places to
    the notes of ``j``. Flows are sorted by source, then target.
    """
    numbers = iteration_numbers(sessions)
    try:
        a = sessions[numbers.index(i)]
        b = sessions[numbers.index(j)]
    except ValueError:
        raise ValueError(f"no iteration {i} or {j} in {numbers}") from None
    added = FlowNode(None, "", None, "", ADDED)
    removed = FlowNode(None, "", None, "", REMOVED)
    grouped: dict[tuple[FlowNode, FlowNode], list[str]] = defaultdict(list)
    for note_id in sorted(a.notes.keys() | b.notes.keys()):
        before = a.notes.get(note_id)
        after = b.notes.get(note_id)
        source = _place(a, i, before) if before is not None else added
        target = _place(b, j, after) if after is not None else removed
        grouped[(source, target)].append(note_id)
    return [
        Flow(source, target, len(ids), tuple(ids))
        for (source, target), ids in sorted(
            grouped.items(), key=lambda item: (node_order(item[0][0]), node_order(item[0][1]))
        )
    ]


def story_flows(sessions: Sequence[Session], i: int, j: int) -> list[Flow]:
    """:func:`flows`, with every note that stayed in its place gathered into one flow.

    A note stayed when its horizon and anchor are the same in both iterations; those notes go
    from :data:`UNCHANGED` to :data:`UNCHANGED` (first in the list), so that a chart of the
    flows shows what moved instead of a wall of places that flow into themselves. The notes
    still add up to those of ``i`` on the left and of ``j`` on the right.
    """
    stayed: list[str] = []
    moved: list[Flow] = []
    for flow in flows(sessions, i, j):
        source, target = flow.source, flow.target
        same = (source.horizon, source.anchor_id) == (target.horizon, target.anchor_id)
        if same and not source.pseudo and not target.pseudo:
            stayed.extend(flow.note_ids)
        else:
            moved.append(flow)
    if not stayed:
        return moved
    unchanged = FlowNode(None, "", None, "", UNCHANGED)
    return [Flow(unchanged, unchanged, len(stayed), tuple(sorted(stayed))), *moved]


def _regroup(found: Sequence[Flow], rename) -> list[Flow]:
    grouped: dict[tuple[FlowNode, FlowNode], list[str]] = defaultdict(list)
    for flow in found:
        grouped[(rename("source", flow.source), rename("target", flow.target))] += flow.note_ids
    return [
        Flow(source, target, len(ids), tuple(sorted(ids)))
        for (source, target), ids in sorted(
            grouped.items(), key=lambda item: (node_order(item[0][0]), node_order(item[0][1]))
        )
    ]


def fold_places(found: Sequence[Flow], most: int) -> list[Flow]:
    """``found`` with at most ``most`` places a side, so that many small moves stay readable.

    On a side with more places, the biggest ``most - 3`` (by notes) are kept and the others
    are gathered into one :data:`FOLDED` node per horizon, which counts them. Pseudo-nodes
    are never folded; the notes still add up, and flows between the same nodes merge.
    """
    renames: dict[str, dict[FlowNode, FlowNode]] = {}
    for side in ("source", "target"):
        sizes: Counter[FlowNode] = Counter()
        for flow in found:
            node = getattr(flow, side)
            if not node.pseudo:
                sizes[node] += flow.notes
        if len(sizes) <= most:
            continue
        ranked = sorted(sizes, key=lambda n: (-sizes[n], node_order(n)))
        rest = ranked[max(most - 3, 1) :]
        per_horizon = Counter(node.horizon for node in rest)
        renames[side] = {
            node: FlowNode(
                node.iteration, node.horizon, None, "", FOLDED, folded=per_horizon[node.horizon]
            )
            for node in rest
        }
    if not renames:
        return list(found)
    return _regroup(found, lambda side, node: renames.get(side, {}).get(node, node))


def top_anchors(rows: Sequence[AnchorCount], n: int = 5, by: str = "notes") -> list[Trajectory]:
    """The ``n`` anchors with the most notes (or votes) in the latest iteration, and their past.

    Only anchors (not the "no anchor" rows) with at least one note (or vote) in the latest
    iteration are ranked; ties go to the other measure, then to the title. Each comes with its
    series across all iterations, so a chart can show its rise or fall.
    """
    if by not in MEASURES:
        raise ValueError(f"not a measure: {by!r}")
    if not rows:
        return []
    iterations = tuple(sorted({row.iteration for row in rows}))
    latest = iterations[-1]
    other = "votes" if by == "notes" else "notes"
    candidates = [
        row for row in rows if row.iteration == latest and row.on_anchor and getattr(row, by) > 0
    ]
    candidates.sort(
        key=lambda r: (-getattr(r, by), -getattr(r, other), r.anchor_title.casefold(), r.key)
    )
    by_key: dict[str, dict[int, AnchorCount]] = defaultdict(dict)
    for row in rows:
        by_key[row.key][row.iteration] = row
    result = []
    for row in candidates[: max(n, 0)]:
        past = by_key[row.key]
        result.append(
            Trajectory(
                anchor_id=row.key,
                title=row.anchor_title,
                kind=row.kind,
                horizon=row.horizon,
                iterations=iterations,
                notes=tuple(past[k].notes if k in past else 0 for k in iterations),
                votes=tuple(past[k].votes if k in past else 0 for k in iterations),
                title_cy=row.anchor_title_cy,
            )
        )
    return result
