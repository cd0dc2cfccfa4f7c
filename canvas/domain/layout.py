"""Where everything on the board goes: anchors, their zones, their notes, the horizon labels.

One pure function, :func:`layout`, places the whole board, and every picture of it draws from
its answer: the live board (the room sends it to the pages), the HTML export and the poster.
So a note sits at the same spot, the same size, in every view.

- An anchor's card is as tall as its title needs in English or Welsh (the larger), so that
  switching language moves nothing.
- Each anchor owns a zone (:mod:`canvas.domain.zones`) and its notes are packed into it, so an
  attached note never covers another anchor or another anchor's notes.
- A note that is not on an anchor keeps the place it was put (its x/y), at full size.
- The three horizon labels go on their curves where nothing lies, and are drawn above all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from canvas.domain import typeset
from canvas.domain.dimensions import (
    AXIS,
    GAP,
    LABEL_LEADING,
    LABEL_MAX_W,
    LABEL_PAD,
    LABEL_SIZE,
    WORLD_BOX,
    WORLD_H,
    WORLD_W,
    ZONE_GAP,
    ZONE_MIN_H,
    Card,
    anchor_box,
    card_wire,
    free_card,
    to_unit,
    to_world,
)
from canvas.domain.horizons import Curves
from canvas.domain.model import HORIZONS, Note, Session
from canvas.domain.space import Box, Grid, bounds_of, first_free, nearest_free
from canvas.domain.zones import pack, zone_order, zone_seed, zones

FRAME_SPAN = 0.45  # of the board's width: the widest a horizon's frame gets


@dataclass(frozen=True, slots=True)
class Layout:
    """The whole board placed: every anchor, zone, note and horizon label, and the frames."""

    anchors: dict[str, Box]
    zones: dict[str, Box]
    notes: dict[str, Card]
    labels: dict[str, Box]
    frames: dict[str, Box]
    order: tuple[str, ...]  # anchors in reading order: by row, then left to right

    def wire(self) -> dict:
        """As JSON for the browser: lists of numbers, rounded to a tenth of a pixel."""
        return {
            "anchors": {k: b.rounded() for k, b in self.anchors.items()},
            "zones": {k: b.rounded() for k, b in self.zones.items()},
            "notes": {k: card_wire(c) for k, c in self.notes.items()},
            "labels": {k: b.rounded() for k, b in self.labels.items()},
            "frames": {k: b.rounded() for k, b in self.frames.items()},
            "order": list(self.order),
        }


def label_size(texts: Sequence[str]) -> tuple[float, float]:
    """A label's box: its widest text wrapped to at most a card's width, in every language."""
    room = LABEL_MAX_W - 2 * LABEL_PAD
    widest = max(typeset.width(x, LABEL_SIZE, True) for x in texts)
    lines = max(typeset.count_lines(x, room, LABEL_SIZE, True) for x in texts)
    return min(widest, room) + 2 * LABEL_PAD, lines * LABEL_LEADING + 2 * LABEL_PAD


def label_box(horizon: str, size: tuple[float, float], curves: Curves, t: float) -> Box:
    """The label of ``horizon`` sitting on its curve at time ``t`` (its bottom on the line)."""
    w, h = size
    cx = t * WORLD_W
    cy = (1.0 - curves.function(horizon)(t)) * WORLD_H
    left = {"H1": cx, "H2": cx - w / 2, "H3": cx - w}[horizon]
    left = min(max(left, AXIS), WORLD_W - w)
    return Box(left, min(max(cy - h, 0.0), WORLD_H - AXIS - h), w, h)


def _label_times(horizon: str, curves: Curves) -> list[float]:
    """Where along its curve a horizon's label is tried, best first."""
    steps = [i / 80 for i in range(81)]
    if horizon == "H1":
        return steps
    if horizon == "H3":
        return steps[::-1]
    return sorted(steps, key=lambda t: abs(t - curves.h2_peak))


def labels(
    texts: Mapping[str, Sequence[str]], curves: Curves, obstacles: Sequence[Box]
) -> dict[str, Box]:
    """Each horizon label on its own curve, where it covers nothing (else where it covers least)."""
    placed: dict[str, Box] = {}
    for horizon in HORIZONS:
        taken = list(obstacles) + list(placed.values())
        size = label_size(texts.get(horizon) or (horizon,))
        options = [label_box(horizon, size, curves, t) for t in _label_times(horizon, curves)]
        placed[horizon] = first_free(options, taken, GAP) or min(
            options, key=lambda b: sum(b.overlap_area(o) for o in taken)
        )
    return placed


def reading_order(boxes: Mapping[str, Box]) -> tuple[str, ...]:
    """Anchors by row, then left to right: a row is the topmost card left and every card that
    starts beside it (above its bottom edge)."""
    rest = sorted(boxes, key=lambda k: (boxes[k].y, boxes[k].x, k))
    order: list[str] = []
    while rest:
        first = boxes[rest[0]]
        row = [k for k in rest if boxes[k].y < first.bottom]
        order.extend(sorted(row, key=lambda k: (boxes[k].x, boxes[k].y, k)))
        rest = [k for k in rest if k not in set(row)]
    return tuple(order)


def frames(
    session: Session, anchors: Mapping[str, Box], zone_boxes: Mapping[str, Box]
) -> dict[str, Box]:
    """A frame per horizon and one of the whole board, to jump to when presenting.

    A horizon's frame holds the most of its anchors that fit in a stretch of the timeline
    ``FRAME_SPAN`` of the board wide, with their zones: not all of them, since the pockets of
    the future sit in the present, far from the visions, and one frame round both would be
    the whole board.
    """
    found = {"all": WORLD_BOX}
    span = FRAME_SPAN * WORLD_W
    for horizon in HORIZONS:
        own = [
            anchors[k].union(zone_boxes[k])
            for k, a in sorted(session.anchors.items())
            if a.horizon == horizon and k in anchors
        ]
        windows = [[b for b in own if b.x >= w.x and b.right <= w.x + span] for w in own]
        windows = [w for w in windows if w]
        if windows:
            best = max(windows, key=lambda w: (len(w), -bounds_of(w).area))
            found[horizon] = bounds_of(best)
    return {k: b.inflate(2 * GAP).clip(WORLD_BOX) for k, b in found.items()}


def layout(session: Session, label_texts: Mapping[str, Sequence[str]] | None = None) -> Layout:
    """The whole board placed. ``label_texts`` are the horizon labels in every language shown
    (the widest decides the room a label takes), so the layout is the same in all of them."""
    anchors, label_boxes, zone_boxes = _frame(session, label_texts)
    by_anchor: dict[str, list[Note]] = {}
    cards: dict[str, Card] = {}
    for note in session.notes.values():
        if note.anchor in anchors:
            by_anchor.setdefault(note.anchor, []).append(note)
        else:
            cards[note.id] = free_card(note)
    for key, notes in by_anchor.items():
        cards.update(pack(zone_boxes[key], zone_order(notes)))
    return Layout(
        anchors=anchors,
        zones=zone_boxes,
        notes=cards,
        labels=label_boxes,
        frames=frames(session, anchors, zone_boxes),
        order=reading_order(anchors),
    )


def free_spot(
    session: Session, w: float, h: float, near: tuple[float, float], board: Layout | None = None
) -> Box:
    """The free place nearest ``near`` (world pixels) for a ``w`` x ``h`` card and a zone
    under it: clear of every anchor, label and note, and of every zone that holds notes (an
    empty zone is only room kept free). A gathered anchor goes there."""
    board = board or layout(session)
    used = {n.anchor for n in session.notes.values()}
    taken = [
        *board.anchors.values(),
        *(z for k, z in board.zones.items() if k in used),
        *(c.box for c in board.notes.values()),
        *board.labels.values(),
    ]
    inner = Box(AXIS, 0.0, WORLD_W - AXIS, WORLD_H - AXIS)
    room = h + ZONE_GAP + ZONE_MIN_H
    spot = None
    for margin in (GAP, GAP / 3, 0.0):  # a crowded board leaves only narrower gaps
        spot = nearest_free(Grid.of(inner, taken, margin), w, room, near)
        if spot is not None:
            break
    if spot is None:  # no room anywhere: where it covers least
        spot = nearest_free(Grid.of(inner, taken, 0.0), w, room, near, least=True)
    if spot is None:
        return Box(*to_world(near[0] / WORLD_W, 1 - near[1] / WORLD_H, w, h), w, h)
    return Box(spot.x, spot.y, w, h)


def members(session: Session, anchor_id: str) -> list[Note]:
    """The notes of one anchor's zone, in the order they fill it."""
    return zone_order(n for n in session.notes.values() if n.anchor == anchor_id)


def update(
    board: Layout,
    session: Session,
    changed: Mapping[str, tuple[Note | None, Note | None]],
) -> tuple[Layout, set[str]]:
    """The layout after some notes changed (each ``(before, after)``, None when absent), and
    the ids of the notes whose card moved, changed size or went.

    Only the zones those notes left or joined are packed again; the anchors, zones and labels
    stay (a change to an anchor or to the curves needs :func:`layout`).
    """
    cards = dict(board.notes)
    touched: set[str] = set()
    for note_id, (before, after) in changed.items():
        for note in (before, after):
            if note is not None and note.anchor in board.anchors:
                touched.add(note.anchor)
        cards.pop(note_id, None)
        if after is not None and after.anchor not in board.anchors:
            cards[note_id] = free_card(after)
    packed: dict[str, Card] = {}
    for anchor_id in touched:
        packed.update(pack(board.zones[anchor_id], members(session, anchor_id)))
    cards.update(packed)
    # Only packed cards and the changed notes' own can differ: the rest are the same cards.
    maybe = packed.keys() | (changed.keys() & cards.keys())
    moved = {k for k in changed if k not in cards}
    moved |= {k for k in maybe if board.notes.get(k) != cards[k]}
    return replace(board, notes=cards), moved


def slot(session: Session, note: Note, zone_boxes: Mapping[str, Box]) -> tuple[float, float]:
    """Where ``note`` sits (a stored position) once placed on its anchor, among the notes
    already there: what the server stores for an attached note."""
    anchor = note.anchor or ""
    others = [n for n in session.notes.values() if n.anchor == anchor and n.id != note.id]
    card = pack(zone_boxes[anchor], zone_order([*others, note]))[note.id]
    return to_unit(card.x, card.y)


def board_zones(
    session: Session, label_texts: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Box]:
    """Every anchor's zone (what :func:`layout` computes before placing any note)."""
    return _frame(session, label_texts)[2]


def _frame(
    session: Session, label_texts: Mapping[str, Sequence[str]] | None
) -> tuple[dict[str, Box], dict[str, Box], dict[str, Box]]:
    """The anchors, the horizon labels and the zones: everything but the notes.

    The labels go first, clear of the anchors and of the least room each anchor's zone needs,
    so that a label never sits where a zone must be; the zones then grow around them.
    """
    anchors = {k: anchor_box(a) for k, a in session.anchors.items()}
    curves = Curves.from_settings(session.settings)
    seeds = [zone_seed(b) for b in anchors.values()]
    label_boxes = labels(label_texts or {}, curves, [*anchors.values(), *seeds])
    return anchors, label_boxes, zones(anchors, list(label_boxes.values()))
