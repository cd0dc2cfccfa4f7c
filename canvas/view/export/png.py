"""The poster as a PNG image (A3 at 200 dpi by default: 3308 x 2339 pixels).

matplotlib draws the board (curves, anchors, header); the notes, their cards and their text
are painted on top with Pillow, matplotlib's own image library, in the same font, at the
places and with the line breaks :mod:`canvas.view.export.poster` computed. matplotlib renders text
glyph by glyph (about 50 µs each), which for a thousand notes takes ten seconds or more;
Pillow takes well under one.
"""

from __future__ import annotations

import io
from functools import cache

from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image, ImageDraw, ImageFont

from canvas.format.i18n import t
from canvas.view.export import poster as posters
from canvas.view.export.common import INK, Progress
from canvas.view.export.outline import Outline

DPI = 200
LEADING = 1.2  # the notes' line height, in font sizes (as on the board)


@cache
def _font(size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(posters.font_path(bold), max(size_px, 1))


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _paint_notes(image: Image.Image, poster: posters.Poster, dpi: float) -> None:
    draw = ImageDraw.Draw(image)
    per_px = poster.scale * dpi / 72  # image pixels per world pixel
    border = max(1, round(per_px))
    radius = round(8 * per_px)
    ink = _rgb(INK)
    meta_colour = _rgb(posters.META_COLOUR)
    for card in poster.cards:
        x0, y0 = poster.to_pixels(card.left, card.top, dpi)
        x1, y1 = poster.to_pixels(card.left + card.width, card.top + card.height, dpi)
        fill = _rgb(card.fill)
        edge = tuple(round(c * 0.65) for c in fill)
        r = max(1, round(radius * card.scale))
        draw.rounded_rectangle((x0, y0, x1, y1), r, fill=fill, outline=edge, width=border)
        tx, ty = poster.to_pixels(card.text_x, card.text_top, dpi)
        font = _font(round(card.size * per_px))
        step = card.size * LEADING * per_px
        for i, line in enumerate(card.lines):
            draw.text((tx, ty + i * step), line, font=font, fill=ink, anchor="la")
        mx, my = poster.to_pixels(card.text_x, card.meta_bottom, dpi)
        meta_font = _font(round(card.meta_size * per_px))
        draw.text((mx, my), card.meta, font=meta_font, fill=meta_colour, anchor="ld")


def render(
    outline: Outline,
    *,
    poster: posters.Poster | None = None,
    dpi: int = DPI,
    progress: Progress | None = None,
) -> bytes:
    """PNG bytes of the poster; ``poster`` reuses one already drawn (its notes are hidden
    while matplotlib draws, then painted here)."""
    progress = progress or Progress()
    if poster is None:
        poster = posters.draw(outline, notes=False, progress=progress.part(0.0, 0.3))
    progress(0.3, t("export_progress_board", outline.lang))
    fig = poster.fig
    old_dpi = fig.dpi
    for artist in poster.note_artists:
        artist.set_visible(False)
    try:
        fig.set_dpi(dpi)
        canvas = FigureCanvasAgg(fig)
        with posters.quiet():
            canvas.draw()
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        image = image.convert("RGB")
    finally:
        for artist in poster.note_artists:
            artist.set_visible(True)
        fig.set_dpi(old_dpi)
    progress(0.6, t("export_progress_board", outline.lang))
    _paint_notes(image, poster, dpi)
    progress(0.8, t("export_progress_saving", outline.lang, name="PNG"))
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi), compress_level=6)
    progress(1.0, t("export_progress_saving", outline.lang, name="PNG"))
    return out.getvalue()
