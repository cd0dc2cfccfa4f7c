"""Where the room puts things: the board's layout, with the horizon labels of every language.

The layout itself is pure (:mod:`canvas.domain.layout`); this module gives it the labels'
texts (so every page and every export reserves the same room for them) and keeps it current
as operations arrive, so that each accepted operation sends the pages only the cards that
moved.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from canvas.domain import layout
from canvas.domain.dimensions import ANCHOR_W, card_wire, metrics
from canvas.domain.model import Note, Session
from canvas.domain.space import Box
from canvas.format.i18n import horizon_labels

__all__ = ["board", "changes", "metrics", "slot", "spot_for_anchor", "zones"]


@cache
def label_texts() -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in horizon_labels().items()}


def board(session: Session) -> layout.Layout:
    """The whole board placed."""
    return layout.layout(session, label_texts())


_memo: list = [None, None, {}]  # anchors, settings, zones: the last board's zones


def zones(session: Session) -> dict[str, Box]:
    """Every anchor's zone. They depend on the anchors and the curves only, and a session
    that changed neither shares those very objects with the last one, so they are kept."""
    anchors, settings, found = _memo
    if anchors is session.anchors and settings is session.settings:
        return found
    found = layout.board_zones(session, label_texts())
    _memo[:] = [session.anchors, session.settings, found]
    return found


def slot(session: Session, note: Note) -> tuple[float, float]:
    """The stored position of ``note`` placed on its anchor: its place in the anchor's zone."""
    return layout.slot(session, note, zones(session))


def spot_for_anchor(session: Session, height: float, near: tuple[float, float]) -> Box:
    """Free room for a new anchor near ``near`` (world pixels), with room for its zone."""
    return layout.free_spot(session, ANCHOR_W, height, near, board(session))


def changes(
    previous: layout.Layout,
    session: Session,
    notes: Mapping[str, tuple[Note | None, Note | None]],
    anchors_changed: bool,
) -> tuple[layout.Layout, dict]:
    """The layout after an operation, and what the pages need to know of it.

    A change to anchors or to the curves can move every zone: the pages get the whole layout
    again. Otherwise only the cards that moved (or went, as None).
    """
    if anchors_changed:
        new = board(session)
        return new, new.wire()
    new, moved = layout.update(previous, session, notes)
    cards = {k: card_wire(new.notes[k]) if k in new.notes else None for k in sorted(moved)}
    return new, {"notes": cards}
