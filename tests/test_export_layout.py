"""The exports draw the board's layout: each note where the board shows it, no note on an
anchor, for the sample and for a dense board (the sample plus 200 notes on random anchors)."""

from __future__ import annotations

import io
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from canvas.domain import dimensions
from canvas.domain.layout import layout
from canvas.domain.model import Note, Session
from canvas.domain.space import Box
from canvas.format import store
from canvas.format.i18n import horizon_labels
from canvas.view.export import build, htmlboard, png, poster, svg
from canvas.view.export.common import ANCHOR_FILL, ANCHOR_FILL_DEFAULT

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sessions" / "wales-2022" / "02-steering-review.yaml"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def dense(session: Session, count: int = 200, seed: int = 11) -> Session:
    rng = random.Random(seed)
    anchors = sorted(session.anchors)
    notes = dict(session.notes)
    for i in range(count):
        anchor = session.anchors[rng.choice(anchors)]
        notes[f"d-{i:03d}"] = Note(
            id=f"d-{i:03d}",
            text=" ".join(
                rng.choice(["care", "trust", "pilot", "Cymru", "time"]) for _ in range(9)
            ),
            x=0.5,
            y=0.5,
            horizon=anchor.horizon,
            anchor=anchor.id,
            votes=rng.choice([0, 1, 3]),
            created=f"2022-05-01T10:{i // 60:02d}:{i % 60:02d}Z",
        )
    return replace(session, notes=notes)


BOARDS = {"sample": lambda: store.load(SAMPLE), "dense": lambda: dense(store.load(SAMPLE))}


@pytest.fixture(scope="module", params=sorted(BOARDS))
def drawn(request):
    session = BOARDS[request.param]()
    outline = build(session)
    picture = poster.draw(outline)
    return session, outline, picture


def _path_box(element) -> Box:
    """The box of every point of the paths under an SVG element (in SVG units)."""
    xs, ys = [], []
    for path in element.iter():
        if path.tag.endswith("}path") and path.get("d"):
            values = [float(v) for v in NUMBER.findall(path.get("d"))]
            xs += values[0::2]
            ys += values[1::2]
    return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _expected(picture, box: Box, dpi: float) -> Box:
    x0, y0 = picture.to_pixels(box.x, box.y, dpi)
    x1, y1 = picture.to_pixels(box.x + box.w, box.y + box.h, dpi)
    return Box(x0, y0, x1 - x0, y1 - y0)


def test_the_svg_poster_draws_each_note_where_the_layout_puts_it_and_none_on_an_anchor(drawn):
    session, outline, picture = drawn
    root = ET.fromstring(svg.render(outline, poster=picture))
    groups = {
        el.get("id"): el for el in root.iter() if el.get("id", "").startswith(("note-", "anchor-"))
    }
    notes = {k[5:]: _path_box(el) for k, el in groups.items() if k.startswith("note-")}
    anchors = {k[7:]: _path_box(el) for k, el in groups.items() if k.startswith("anchor-")}
    assert set(notes) == {n.id for n in outline.notes}
    assert set(anchors) == set(session.anchors)
    board = picture.layout
    for note_id, box in notes.items():
        want = _expected(picture, board.notes[note_id].box, 72)
        assert box.x == pytest.approx(want.x, abs=0.6) and box.y == pytest.approx(want.y, abs=0.6)
        assert box.w == pytest.approx(want.w, abs=0.6) and box.h == pytest.approx(want.h, abs=0.6)
        on = [a for a, abox in anchors.items() if box.inflate(-0.5).overlaps(abox)]
        assert not on, f"note {note_id} lies on {on}"


def test_the_png_poster_shows_each_note_in_its_colour_and_every_anchor_uncovered(drawn):
    session, outline, picture = drawn
    image = Image.open(io.BytesIO(png.render(outline, poster=picture))).convert("RGB")
    dpi = png.DPI

    def colour_at(x: float, y: float) -> tuple[int, ...]:
        return image.getpixel((round(x), round(y)))

    def near(a, b) -> bool:
        return all(abs(p - q) <= 12 for p, q in zip(a, b, strict=True))

    palette = session.settings.palette
    anchors = {k: _expected(picture, b, dpi) for k, b in picture.layout.anchors.items()}
    per_px = picture.scale * dpi / 72  # image pixels per world pixel
    for card in picture.cards:
        box = _expected(picture, Box(card.left, card.top, card.width, card.height), dpi)
        assert not any(box.inflate(-1).overlaps(a) for a in anchors.values()), card.note.id
        # In the card's margin, left of its text, half way down: the note's own colour.
        margin = dimensions.NOTE_PAD_X * card.scale * per_px
        if margin >= 4:
            fill = png._rgb(palette.get(card.note.colour, "#fff3a6"))
            x = box.x + 1 + margin / 2
            assert near(colour_at(x, box.y + box.h / 2), fill), card.note.id
    for anchor_id, box in anchors.items():
        # Inside its lower edge, below its title and right of centre: its own fill, no note.
        inset = (dimensions.ANCHOR_BORDER + dimensions.ANCHOR_PAD_Y / 2) * per_px
        x, y = box.x + box.w * 0.7, box.y + box.h - inset
        fill = png._rgb(ANCHOR_FILL.get(session.anchors[anchor_id].kind, ANCHOR_FILL_DEFAULT))
        assert near(colour_at(x, y), fill), f"{anchor_id} is covered at its corner"


def test_the_html_board_draws_the_same_boxes(drawn):
    session, outline, _ = drawn
    fig = htmlboard.board(outline)
    sources = [r.data_source.data for r in fig.renderers if "text" in r.data_source.data]
    notes = next(d for d in sources if "short" in d)
    board = layout(replace(session, notes={n.id: n for n in outline.notes}), horizon_labels())
    for i, note in enumerate(outline.notes):
        want = board.notes[note.id].box
        got = (notes["left"][i], notes["top"][i], notes["right"][i], notes["bottom"][i])
        assert got == pytest.approx((want.x, want.y, want.right, want.bottom))
        for anchor_id, box in board.anchors.items():
            assert not want.overlaps(box), (note.id, anchor_id)
