"""Rectangles on the board and the search for free room among them.

The layout asks two questions many times: does this box touch that one, and where is the
nearest free room for a box of some size. The second is answered on a coarse occupancy grid
with a summed-area table, so each candidate costs four look-ups whatever the number of
things on the board. The grid marks every cell an obstacle touches, so a box it calls free
is free.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CELL = 12.0  # grid resolution, world pixels


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle: top-left corner, width and height (y down)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def area(self) -> float:
        return max(self.w, 0.0) * max(self.h, 0.0)

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        """True when the two come closer than ``gap`` (touching edges do not overlap)."""
        return (
            self.x < other.right + gap
            and other.x < self.right + gap
            and self.y < other.bottom + gap
            and other.y < self.bottom + gap
            and self.area > 0
            and other.area > 0
        )

    def spans_x(self, other: Box, gap: float = 0.0) -> bool:
        """True when the two share some of their horizontal extent (widened by ``gap``)."""
        return self.x < other.right + gap and other.x < self.right + gap

    def spans_y(self, other: Box, gap: float = 0.0) -> bool:
        return self.y < other.bottom + gap and other.y < self.bottom + gap

    def contains(self, other: Box) -> bool:
        eps = 1e-6
        return (
            other.x >= self.x - eps
            and other.y >= self.y - eps
            and other.right <= self.right + eps
            and other.bottom <= self.bottom + eps
        )

    def overlap_area(self, other: Box) -> float:
        w = min(self.right, other.right) - max(self.x, other.x)
        h = min(self.bottom, other.bottom) - max(self.y, other.y)
        return w * h if w > 0 and h > 0 else 0.0

    def union(self, other: Box) -> Box:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Box(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)

    def inflate(self, d: float) -> Box:
        return Box(self.x - d, self.y - d, self.w + 2 * d, self.h + 2 * d)

    def clip(self, bounds: Box) -> Box:
        x, y = max(self.x, bounds.x), max(self.y, bounds.y)
        right, bottom = min(self.right, bounds.right), min(self.bottom, bounds.bottom)
        return Box(x, y, max(right - x, 0.0), max(bottom - y, 0.0))

    def rounded(self) -> list[float]:
        return [round(self.x, 1), round(self.y, 1), round(self.w, 1), round(self.h, 1)]


def bounds_of(boxes: Sequence[Box]) -> Box:
    """The smallest box holding all of ``boxes`` (at least one)."""
    found = boxes[0]
    for box in boxes[1:]:
        found = found.union(box)
    return found


def first_free(options: Iterable[Box], taken: Sequence[Box], gap: float = 0.0) -> Box | None:
    """The first of ``options`` that overlaps none of ``taken``."""
    for option in options:
        if not any(option.overlaps(t, gap) for t in taken):
            return option
    return None


@dataclass(frozen=True, slots=True)
class Grid:
    """Which cells of ``bounds`` something occupies, as a summed-area table."""

    bounds: Box
    cols: int
    rows: int
    table: tuple[tuple[int, ...], ...]  # (rows + 1) x (cols + 1) running sums

    @classmethod
    def of(cls, bounds: Box, obstacles: Iterable[Box], gap: float = 0.0) -> Grid:
        cols, rows = int(bounds.w // CELL), int(bounds.h // CELL)
        filled = [[0] * cols for _ in range(rows)]
        for o in obstacles:
            o = o.inflate(gap)
            c0 = max(0, math.floor((o.x - bounds.x) / CELL))
            c1 = min(cols, math.ceil((o.right - bounds.x) / CELL))
            r0 = max(0, math.floor((o.y - bounds.y) / CELL))
            r1 = min(rows, math.ceil((o.bottom - bounds.y) / CELL))
            for r in range(r0, r1):
                row = filled[r]
                for c in range(c0, c1):
                    row[c] = 1
        sums = [[0] * (cols + 1)]
        for r in range(rows):
            line, run, above = [0], 0, sums[r]
            for c in range(cols):
                run += filled[r][c]
                line.append(above[c + 1] + run)
            sums.append(line)
        return cls(bounds, cols, rows, tuple(tuple(s) for s in sums))

    def busy(self, col: int, row: int, cols: int, rows: int) -> int:
        t = self.table
        return t[row + rows][col + cols] - t[row][col + cols] - t[row + rows][col] + t[row][col]


def nearest_free(
    grid: Grid, w: float, h: float, near: tuple[float, float], least: bool = False
) -> Box | None:
    """The free ``w`` x ``h`` box of the grid whose centre is nearest ``near``, or None.

    With ``least``, the box with the fewest occupied cells when none is free (nearest first
    among equals): never None while the box fits the grid at all.
    """
    cols, rows = math.ceil(w / CELL), math.ceil(h / CELL)
    if cols > grid.cols or rows > grid.rows:
        return None
    b = grid.bounds
    spots = [
        (
            (b.x + (c + cols / 2) * CELL - near[0]) ** 2
            + (b.y + (r + rows / 2) * CELL - near[1]) ** 2,
            c,
            r,
        )
        for r in range(grid.rows - rows + 1)
        for c in range(grid.cols - cols + 1)
    ]
    spots.sort()
    best = None
    for _, c, r in spots:
        busy = grid.busy(c, r, cols, rows)
        if not busy:
            return Box(b.x + c * CELL, b.y + r * CELL, cols * CELL, rows * CELL)
        if least and (best is None or busy < best[0]):
            best = (busy, c, r)
    if best is None:
        return None
    return Box(b.x + best[1] * CELL, b.y + best[2] * CELL, cols * CELL, rows * CELL)
