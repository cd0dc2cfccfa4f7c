"""The sizes of everything on the board, in its world pixels, and the room a text needs.

One definition for every picture of the board: the browser gets them (``metrics``) and
draws its cards from them, the exports draw with them, the layout packs with them. They are
chosen for reading at a distance: at fit on a 1366 x 768 laptop with the side panel open a
world pixel is about 0.45 screen pixels, so 25 px type reads at 11 px; in present mode (0.56)
anchor titles read at 14 px.

Units are world pixels (``WORLD_W`` x ``WORLD_H``, y down, origin top-left). A stored
position (x, y in 0..1, y up) is the top-left corner of its card, as the board has always
had it.
"""

from __future__ import annotations

from dataclasses import dataclass

from canvas.domain import typeset
from canvas.domain.model import Anchor, Note
from canvas.domain.space import Box

WORLD_W = 2400
WORLD_H = 1280
AXIS = 48  # strips along the left and bottom edges for the axis labels

TITLE_SIZE, TITLE_LEADING = 26, 29
NOTE_SIZE, NOTE_LEADING = 25, 30
LABEL_SIZE, LABEL_LEADING = 32, 38
AXIS_SIZE = 26

ANCHOR_W = 320
ANCHOR_PAD_X, ANCHOR_PAD_Y = 10, 6
ANCHOR_BORDER_LEFT, ANCHOR_BORDER = 8, 3  # the widest borders any kind of anchor has
COUNT_W = 56  # the note count, floated beside the title's first line

NOTE_W = 300
NOTE_PAD_X, NOTE_PAD_Y = 10, 8
NOTE_BORDER = 2
META_H = NOTE_LEADING  # the line under a note's text: horizon, author, votes

ZONE_GAP = 4  # between an anchor and its zone
GAP = 12  # kept free around anchors and zones
SLOT_GAP = 10  # between notes in a zone (scaled with them)
ZONE_SCALE = 0.5  # notes in a zone are at most half size: at fit they show as a stack's face
FACE_H = 2 * NOTE_PAD_Y + 2 * NOTE_BORDER + NOTE_LEADING  # a stack's face: one line
ZONE_MIN_H = FACE_H
ZONE_MIN_W = 120
ZONE_MAX_H = 260
ZONE_MAX_W = 340
LABEL_PAD = 8
WORLD_BOX = Box(0.0, 0.0, WORLD_W, WORLD_H)
LABEL_MAX_W = ANCHOR_W - 2 * GAP  # a label wraps to fit in a column of cards, clear of both sides


@dataclass(frozen=True, slots=True)
class Card:
    """A note's place: its top-left corner, its scale, and its height at full size.

    Its width at full size is ``NOTE_W``; on the board it measures ``NOTE_W * scale`` by
    ``height * scale``.
    """

    x: float
    y: float
    scale: float
    height: float

    @property
    def box(self) -> Box:
        return Box(self.x, self.y, NOTE_W * self.scale, self.height * self.scale)


def card_wire(card: Card) -> list[float]:
    return [round(card.x, 1), round(card.y, 1), round(card.scale, 4), round(card.height, 1)]


def metrics() -> dict:
    """The sizes the browser's cards and curves are drawn with (one definition, shared)."""
    return {
        "world_w": WORLD_W,
        "world_h": WORLD_H,
        "axis": AXIS,
        "anchor_w": ANCHOR_W,
        "note_w": NOTE_W,
        "title_size": TITLE_SIZE,
        "title_leading": TITLE_LEADING,
        "note_size": NOTE_SIZE,
        "note_leading": NOTE_LEADING,
        "label_size": LABEL_SIZE,
        "label_leading": LABEL_LEADING,
        "label_pad": LABEL_PAD,
        "axis_size": AXIS_SIZE,
        "anchor_pad_x": ANCHOR_PAD_X,
        "anchor_pad_y": ANCHOR_PAD_Y,
        "anchor_border": ANCHOR_BORDER,
        "anchor_border_left": ANCHOR_BORDER_LEFT,
        "note_border": NOTE_BORDER,
        "count_w": COUNT_W,
        "note_pad_x": NOTE_PAD_X,
        "note_pad_y": NOTE_PAD_Y,
        "face_h": FACE_H,
        "slot_gap": SLOT_GAP,
    }


def title_lines(text: str) -> int:
    room = ANCHOR_W - ANCHOR_BORDER_LEFT - ANCHOR_BORDER - 2 * ANCHOR_PAD_X
    return typeset.count_lines(text, room, TITLE_SIZE, True, COUNT_W)


def anchor_height(anchor: Anchor) -> float:
    """Tall enough for the title in every language it has (the count beside its first line)."""
    lines = max(title_lines(anchor.title), title_lines(anchor.title_cy or anchor.title))
    return 2 * ANCHOR_PAD_Y + 2 * ANCHOR_BORDER + lines * TITLE_LEADING


def note_height(text: str) -> float:
    """A full-size note's height: its whole text (or the empty-note hint), then one meta line."""
    room = NOTE_W - 2 * NOTE_BORDER - 2 * NOTE_PAD_X
    lines = typeset.count_lines(text or "-", room, NOTE_SIZE)
    return 2 * NOTE_PAD_Y + 2 * NOTE_BORDER + lines * NOTE_LEADING + META_H


def to_world(x: float, y: float, w: float, h: float) -> tuple[float, float]:
    """A stored position (0..1, y up) as the top-left corner of a ``w`` x ``h`` card."""
    left = min(max(x * WORLD_W, 0.0), WORLD_W - w)
    top = min(max((1.0 - y) * WORLD_H, 0.0), WORLD_H - h)
    return left, top


def to_unit(left: float, top: float) -> tuple[float, float]:
    """A card's top-left corner in world pixels as a stored position (0..1, y up)."""
    return min(max(left / WORLD_W, 0.0), 1.0), min(max(1.0 - top / WORLD_H, 0.0), 1.0)


def anchor_box(anchor: Anchor) -> Box:
    h = anchor_height(anchor)
    return Box(*to_world(anchor.x, anchor.y, ANCHOR_W, h), ANCHOR_W, h)


def free_card(note: Note) -> Card:
    h = note_height(note.text)
    return Card(*to_world(note.x, note.y, NOTE_W, h), 1.0, h)
