"""Each anchor's zone, and its notes packed into it.

A zone is free room next to an anchor's card (below it when there is room), claimed in
reading order and never overlapping another anchor, another zone or a horizon label; so a
note packed into its anchor's zone covers no other anchor and no other anchor's notes. The
notes of a zone go into columns at one scale that fits them all; a crowded zone holds smaller
notes, which the board reveals when the view is zoomed in far enough to read them.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence

from canvas.domain.dimensions import (
    GAP,
    NOTE_W,
    SLOT_GAP,
    WORLD_BOX,
    WORLD_H,
    WORLD_W,
    ZONE_GAP,
    ZONE_MAX_H,
    ZONE_MAX_W,
    ZONE_MIN_H,
    ZONE_MIN_W,
    ZONE_SCALE,
    Card,
    note_height,
)
from canvas.domain.model import Note
from canvas.domain.space import Box, Grid, nearest_free


def _grow(seed: Box, direction: str, limit: float, obstacles: Sequence[Box]) -> Box | None:
    """``seed`` grown in ``direction`` up to ``limit`` (its extent), stopping short of obstacles.

    None when the seed itself is not free.
    """
    if not WORLD_BOX.contains(seed) or any(seed.overlaps(o, GAP) for o in obstacles):
        return None
    if direction == "down":
        stop = min(
            [WORLD_H]
            + [o.y - GAP for o in obstacles if o.spans_x(seed, GAP) and o.y >= seed.bottom]
        )
        return Box(seed.x, seed.y, seed.w, min(limit, stop - seed.y))
    if direction == "up":
        stop = max(
            [0.0]
            + [o.bottom + GAP for o in obstacles if o.spans_x(seed, GAP) and o.bottom <= seed.y]
        )
        top = max(seed.bottom - limit, stop)
        return Box(seed.x, top, seed.w, seed.bottom - top)
    if direction == "right":
        stop = min(
            [WORLD_W] + [o.x - GAP for o in obstacles if o.spans_y(seed, GAP) and o.x >= seed.right]
        )
        return Box(seed.x, seed.y, min(limit, stop - seed.x), seed.h)
    stop = max(
        [0.0] + [o.right + GAP for o in obstacles if o.spans_y(seed, GAP) and o.right <= seed.x]
    )
    left = max(seed.right - limit, stop)
    return Box(left, seed.y, seed.right - left, seed.h)


def _zone_for(a: Box, obstacles: Sequence[Box], grid: Grid | None) -> Box:
    """Free room beside anchor ``a``: below it, else right, above, left; else the nearest spot."""
    side_h = max(a.h, ZONE_MIN_H)
    seeds = (
        (Box(a.x, a.bottom + ZONE_GAP, a.w, ZONE_MIN_H), "down", ZONE_MAX_H),
        (Box(a.right + ZONE_GAP, a.y, ZONE_MIN_W, side_h), "right", ZONE_MAX_W),
        (Box(a.x, a.y - ZONE_GAP - ZONE_MIN_H, a.w, ZONE_MIN_H), "up", ZONE_MAX_H),
        (Box(a.x - ZONE_GAP - ZONE_MIN_W, a.y, ZONE_MIN_W, side_h), "left", ZONE_MAX_W),
    )
    for seed, direction, limit in seeds:
        grown = _grow(seed, direction, limit, obstacles)
        if grown is not None:
            return grown
    grid = grid or Grid.of(WORLD_BOX, [a, *obstacles], GAP)
    spot = nearest_free(grid, ZONE_MIN_W, ZONE_MIN_H, (a.x + a.w / 2, a.bottom))
    return spot or Box(a.x, a.bottom, 0.0, 0.0)


def zones(anchor_boxes: Mapping[str, Box], fixed: Sequence[Box] = ()) -> dict[str, Box]:
    """Every anchor's zone, clear of the ``fixed`` boxes (the labels), claimed in reading
    order so that earlier anchors keep theirs."""
    claimed: dict[str, Box] = {}
    order = sorted(anchor_boxes, key=lambda k: (anchor_boxes[k].y, anchor_boxes[k].x, k))
    for key in order:
        others = [b for k, b in anchor_boxes.items() if k != key]
        claimed[key] = _zone_for(anchor_boxes[key], [*others, *fixed, *claimed.values()], None)
    return claimed


def zone_seed(a: Box) -> Box:
    """The least room an anchor's zone needs below it (kept free of labels)."""
    return Box(a.x, a.bottom + ZONE_GAP, a.w, ZONE_MIN_H)


# ------------------------------------------------------------------------------ packing


def _columns(heights: Sequence[float], count: int) -> tuple[list[int], list[float]]:
    """Each note's column (the shortest so far, the leftmost of equals) and the columns'
    heights, at full size."""
    tops = [0.0] * count
    heap = [(0.0, i) for i in range(count)]
    where = []
    for h in heights:
        top, i = heapq.heappop(heap)
        where.append(i)
        tops[i] = top + h + SLOT_GAP
        heapq.heappush(heap, (tops[i], i))
    return where, tops


def _scale_for(zone: Box, heights: Sequence[float], count: int) -> float:
    width = count * NOTE_W + (count - 1) * SLOT_GAP
    _, tops = _columns(heights, count)
    tallest = max(tops) - SLOT_GAP
    return min(ZONE_SCALE, zone.w / width, zone.h / tallest if tallest > 0 else 1.0)


def pack(zone: Box, notes: Sequence[Note]) -> dict[str, Card]:
    """``notes`` (in order) in columns inside ``zone``, at the one scale that fits them all.

    The number of columns is the one that gives the largest scale; more columns make each
    note narrower but the columns shorter.
    """
    if not notes:
        return {}
    heights = [note_height(n.text) for n in notes]
    best_count, best = 1, _scale_for(zone, heights, 1)
    low, high = 1, len(notes)
    while low < high:  # the scale rises with the count while height binds, then falls
        mid = (low + high) // 2
        here, there = _scale_for(zone, heights, mid), _scale_for(zone, heights, mid + 1)
        if there > here:
            low = mid + 1
        else:
            high = mid
    for count in {low - 1, low, low + 1} & set(range(1, len(notes) + 1)):
        scale = _scale_for(zone, heights, count)
        if scale > best:
            best_count, best = count, scale
    where, _ = _columns(heights, best_count)
    tops = [0.0] * best_count
    cards = {}
    for note, h, col in zip(notes, heights, where, strict=True):
        x = zone.x + col * (NOTE_W + SLOT_GAP) * best
        cards[note.id] = Card(x, zone.y + tops[col] * best, best, h)
        tops[col] += h + SLOT_GAP
    return cards


def zone_order(notes: Iterable[Note]) -> list[Note]:
    """The order notes fill a zone: first placed first, so a new note never moves the others
    ahead of it."""
    return sorted(notes, key=lambda n: (n.created, n.id))
