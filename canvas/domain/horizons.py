"""The geometry of the three curves, computed in one place for every view and export.

The board's coordinates run from 0 to 1 on both axes: x is time (now to the future), y is
prevalence (how dominant a pattern is, 0 at the bottom). H1 declines, H3 rises, and they cross
at ``crossover``; H2 rises and falls, peaking at ``h2_peak``. The browser, the HoloViews
exports and ``horizon_at`` all draw on the same functions, so a note sits on the same curve in
every picture of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from canvas.domain.model import HORIZONS, Settings

HIGH = 0.85
LOW = 0.08
H2_HEIGHT = 0.6
H2_WIDTH = 0.2
STEEPNESS = 9.0


@dataclass(frozen=True, slots=True)
class Curves:
    """The shape parameters of the three curves."""

    crossover: float = 0.55
    h2_peak: float = 0.5

    @classmethod
    def from_settings(cls, settings: Settings) -> Curves:
        return cls(crossover=settings.crossover, h2_peak=settings.h2_peak)

    def h1(self, t: float) -> float:
        return LOW + (HIGH - LOW) / (1.0 + math.exp(STEEPNESS * (t - self.crossover)))

    def h2(self, t: float) -> float:
        return LOW + (H2_HEIGHT - LOW) * math.exp(-(((t - self.h2_peak) / H2_WIDTH) ** 2))

    def h3(self, t: float) -> float:
        return LOW + (HIGH - LOW) / (1.0 + math.exp(-STEEPNESS * (t - self.crossover)))

    def function(self, horizon: str) -> Callable[[float], float]:
        return {"H1": self.h1, "H2": self.h2, "H3": self.h3}[horizon]

    def path(self, horizon: str, samples: int = 101) -> list[tuple[float, float]]:
        """Points along one curve from x=0 to x=1, for drawing."""
        f = self.function(horizon)
        return [(i / (samples - 1), f(i / (samples - 1))) for i in range(samples)]

    def paths(self, samples: int = 101) -> dict[str, list[tuple[float, float]]]:
        return {h: self.path(h, samples) for h in HORIZONS}

    def distance(self, horizon: str, x: float, y: float, samples: int = 201) -> float:
        """Shortest distance from (x, y) to a curve, measured on its sampled path."""
        best = math.inf
        for px, py in _sampled(self, horizon, samples):
            d = (px - x) ** 2 + (py - y) ** 2
            if d < best:
                best = d
        return math.sqrt(best)

    def horizon_at(self, x: float, y: float) -> str:
        """The horizon whose curve passes nearest to a freely placed note.

        Ties go to the lower-numbered horizon, so the answer is deterministic.
        """
        return min(HORIZONS, key=lambda h: (self.distance(h, x, y), h))


@lru_cache(maxsize=64)
def _sampled(curves: Curves, horizon: str, samples: int) -> tuple[tuple[float, float], ...]:
    """A curve's sampled path, kept: every note placed freely measures against it."""
    return tuple(curves.path(horizon, samples))


def horizon_at(x: float, y: float, settings: Settings | None = None) -> str:
    """The horizon nearest to (x, y) for the default curves, or for a session's settings."""
    curves = Curves.from_settings(settings) if settings else Curves()
    return curves.horizon_at(x, y)
