"""Where the room puts things: the board's layout, with the horizon labels of every language.

The layout itself is pure (:mod:`canvas.domain.layout`); this module gives it the labels'
texts (so every page and every export reserves the same room for them) and keeps it current
as operations arrive, so that each accepted operation sends the pages only the cards that
moved. The room's present mode travels with it: its frames are the layout's.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from canvas.domain import layout
from canvas.domain.diff import SessionDiff
from canvas.domain.dimensions import ANCHOR_W, card_wire, metrics
from canvas.domain.model import Note, Session
from canvas.domain.space import Box
from canvas.format.i18n import horizon_labels
from canvas.live import presenting
from canvas.live.actor import Actor

__all__ = ["Picture", "board", "changes", "metrics", "slot", "spot_for_anchor", "zones"]


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


class Picture:
    """What a room's pages draw besides the session: its layout, kept current as operations
    are accepted (its wire form made once per change however many pages reconnect), and
    the facilitator's present mode, whose frames are the layout's."""

    def __init__(self, session: Session):
        self.layout = board(session)
        self.presenting = presenting.Presenting()
        self._wire: dict | None = None

    def snapshot(self) -> dict:
        """What a page starting from a snapshot needs: layout, card sizes, present mode."""
        if self._wire is None:
            self._wire = self.layout.wire()
        return {"layout": self._wire, "metrics": metrics(), "present": self.presenting.payload()}

    def follow(self, session: Session, diff: SessionDiff) -> dict:
        """Take an accepted change; returns what of the layout the pages must hear."""
        moved = not diff.anchors.is_empty() or "settings" in diff.session
        notes = {k: (before, after) for k, before, after in diff.notes.pairs()}
        self.layout, placed = changes(self.layout, session, notes, moved)
        self._wire = None
        return placed

    def placed(self, cards: frozenset[str], relaid: bool) -> dict:
        """What of the layout a page that missed some changes needs: the whole of it when
        anchors or curves moved meanwhile, else the current place of the cards that moved."""
        if relaid:
            return self.snapshot()["layout"]
        notes = self.layout.notes
        return {"notes": {k: card_wire(notes[k]) if k in notes else None for k in sorted(cards)}}

    def present(self, op: Any, actor: Actor) -> dict:
        """Take a ``present`` operation (OpError if refused); returns what pages must hear."""
        self.presenting = presenting.present(op, actor)
        return self.presenting.payload()
