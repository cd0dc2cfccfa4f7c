"""What every export shares: file names, language helpers, progress, atomic writing.

Standard library and the lower layers only, so that ``horizons export --help`` and the
bundle's naming never load a plotting library.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from canvas.domain import dimensions
from canvas.domain.model import Session
from canvas.format import paths, store
from canvas.format.i18n import t

ProgressFn = Callable[[float, str], None]

# The board's world and its cards' sizes: one definition, the layout's
# (:mod:`canvas.domain.dimensions`), for the browser and every picture of the board.
WORLD_W = dimensions.WORLD_W
WORLD_H = dimensions.WORLD_H

# The board's colours (canvas/view/static/board.css).
HORIZON_COLOURS = {"H1": "#b3261e", "H2": "#8a5a00", "H3": "#146c2e"}
INK = "#1b1f24"
MUTED = "#4a5360"
LINE = "#c9d1db"
ANCHOR_BORDER = {
    "finding": "H1",
    "concern": "H1",
    "outcome": "H1",
    "driver": "H1",
    "pocket": "H3",
    "vision": "H3",
    "change": "H2",
    "challenge_area": "H2",
    "action_area": "H2",
    "principle": "H2",
}
ANCHOR_FILL = {"vision": "#eef8f0", "challenge_area": "#fff6e5"}
ANCHOR_FILL_DEFAULT = "#f7f9fb"
NOTE_FILL_DEFAULT = "#fff3a6"


def localised(item: object, name: str, lang: str) -> str:
    """A text field in ``lang`` when the item has it (``title_cy``...), else the default."""
    if lang != "en":
        value = getattr(item, f"{name}_{lang}", "")
        if value:
            return value
    return getattr(item, name)


def axis_text(settings, lang: str) -> str:
    """The time axis ("Now → Future", "Nawr → Dyfodol"): the catalogue's words while the
    session keeps the defaults, else the facilitator's own (as the board shows them)."""
    start = t("axis_now", lang) if settings.axis_from == "Now" else settings.axis_from
    end = t("axis_future", lang) if settings.axis_to == "Future" else settings.axis_to
    return f"{start} → {end}"


def count(n: int, what: str, lang: str) -> str:
    """A count in words (1 note, 3 votes, 6 phleidlais): the plural forms of ``export_{what}``."""
    return t(f"export_{what}", lang, n=n)


def base_name(session: Session) -> str:
    """``<workshop>-<NN>-<date>``, e.g. ``wales-2022-02-2022-04-21``.

    A session without a workshop is named after its id, and one without a date after today.
    """
    workshop = session.workshop if paths.is_slug(session.workshop) else ""
    workshop = workshop or paths.slugify(session.id)
    date = session.date or datetime.now(UTC).strftime("%Y-%m-%d")
    return f"{workshop}-{session.iteration:02d}-{date}"


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write an export atomically (a crash leaves the old file or the new one whole)."""
    path = Path(path)
    store.write_atomic(path, data, backups=0)
    return path


@dataclass
class Progress:
    """Reports ``fraction`` of the whole job through ``callback``, for a slice of it.

    A bundle hands each format a slice (``part``) of its own range, so a format reports
    0..1 of its own work and the caller sees one steadily rising fraction.
    """

    callback: ProgressFn | None = None
    start: float = 0.0
    end: float = 1.0

    def __call__(self, fraction: float, message: str) -> None:
        if self.callback is not None:
            fraction = min(max(fraction, 0.0), 1.0)
            self.callback(self.start + (self.end - self.start) * fraction, message)

    def part(self, start: float, end: float) -> Progress:
        span = self.end - self.start
        return Progress(self.callback, self.start + span * start, self.start + span * end)
