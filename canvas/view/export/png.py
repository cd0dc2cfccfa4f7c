"""The poster as a PNG image (A3 at 200 dpi by default: 3308 x 2339 pixels), painted from its
scene (:mod:`canvas.view.export.scene`) with Pillow in the font the layout measured.

Shapes are drawn at twice the size and halved at the end, which smooths the curves and the
cards' rounded corners the way a vector picture would be; text is smooth as Pillow draws it.
"""

from __future__ import annotations

import io
import itertools
import math
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from canvas.format.i18n import t
from canvas.view.export import poster as posters
from canvas.view.export.common import Progress
from canvas.view.export.outline import Outline
from canvas.view.export.scene import Line, Rect, Scene, Text, flatten

DPI = 200
SUPER = 2  # drawn at this many times the size, then reduced
_ALIGN = {"left": "ls", "right": "rs", "center": "ms"}


@cache
def _font(size_px: int, bold: bool = False, italic: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(posters.font_path(bold, italic), max(size_px, 1))


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


def _rgba(colour: str, opacity: float = 1.0) -> tuple[int, int, int, int]:
    return (*_rgb(colour), round(255 * opacity))


def _outline(x0: float, y0: float, x1: float, y1: float, r: float) -> list[tuple[float, float]]:
    """A rounded rectangle's edge as a closed polyline (each corner in six steps)."""
    r = min(r, (x1 - x0) / 2, (y1 - y0) / 2)
    corners = (
        (x1 - r, y0 + r, -90),
        (x1 - r, y1 - r, 0),
        (x0 + r, y1 - r, 90),
        (x0 + r, y0 + r, 180),
    )
    points = []
    for cx, cy, start in corners:
        for i in range(7):
            a = math.radians(start + 15 * i)
            points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return [*points, points[0]]


def dashed(points, on: float, off: float):
    """A polyline cut into its dashes (``on`` drawn, ``off`` left out, along its length)."""
    out, current, left, drawing = [], [points[0]], on, True
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        done = 0.0
        while length - done > left:
            done += left
            point = (x0 + (x1 - x0) * done / length, y0 + (y1 - y0) * done / length)
            if drawing:
                out.append([*current, point])
            current, drawing = [point], not drawing
            left = off if not drawing else on
        left -= length - done
        current.append((x1, y1))
    if drawing and len(current) > 1:
        out.append(current)
    return out


class Painter:
    """Paints a scene's shapes and text on one image; ``k`` pixels per point."""

    def __init__(self, image: Image.Image, k: float) -> None:
        self.draw = ImageDraw.Draw(image, "RGBA")
        self.image = image
        self.k = k

    def rect(self, r: Rect) -> None:
        k = self.k
        box = (r.x * k, r.y * k, (r.x + r.w) * k, (r.y + r.h) * k)
        width = max(1, round(r.width * k)) if r.stroke and r.width else 0
        fill = _rgba(r.fill, r.opacity) if r.fill else None
        stroke = _rgba(r.stroke, r.stroke_opacity) if r.stroke and width else None
        if r.dash and stroke:
            self.draw.rounded_rectangle(box, round(r.radius * k), fill=fill)
            for piece in dashed(_outline(*box, r.radius * k), r.dash[0] * k, r.dash[1] * k):
                self.draw.line(piece, fill=stroke, width=width, joint="curve")
            return
        self.draw.rounded_rectangle(
            box, round(r.radius * k), fill=fill, outline=stroke, width=width
        )

    def line(self, line: Line) -> None:
        k = self.k
        points = [(x * k, y * k) for x, y in line.points]
        width = max(1, round(line.width * k))
        pieces = dashed(points, line.dash[0] * k, line.dash[1] * k) if line.dash else [points]
        colour = _rgb(line.stroke)
        for piece in pieces:
            self.draw.line(piece, fill=colour, width=width, joint="curve")
            for end in (piece[0], piece[-1]):  # round caps
                x, y = end
                self.draw.ellipse(
                    (x - width / 2, y - width / 2, x + width / 2, y + width / 2), colour
                )

    def text(self, text: Text) -> None:
        k = self.k
        font = _font(round(text.size * k), text.bold, text.italic)
        colour = _rgb(text.colour)
        for i, line in enumerate(text.lines):
            x, y = text.x * k, (text.y + i * text.step) * k
            if text.rotate:
                self._upwards(line, font, colour, x, y)
            else:
                self.draw.text((x, y), line, font=font, fill=colour, anchor=_ALIGN[text.align])

    def _upwards(self, line: str, font, colour, x: float, y: float) -> None:
        """A line that reads upwards, its baseline's middle at ``(x, y)``."""
        left, top, right, bottom = font.getbbox(line, anchor="ls")
        strip = Image.new("L", (right - left + 2, bottom - top + 2), 0)
        ImageDraw.Draw(strip).text((-left + 1, -top + 1), line, font=font, fill=255, anchor="ls")
        turned = strip.rotate(90, expand=True)
        # After the turn the baseline is a vertical line at x; the text's middle at y.
        at = (round(x - (-top + 1)), round(y - turned.height / 2))
        self.image.paste(Image.new("RGB", turned.size, colour), at, turned)

    def paint(self, scene: Scene) -> None:
        for item in flatten(scene.items):
            if isinstance(item, Rect):
                self.rect(item)
            elif isinstance(item, Line):
                self.line(item)
            else:
                self.text(item)


def render(
    outline: Outline,
    *,
    poster: posters.Poster | None = None,
    dpi: int = DPI,
    progress: Progress | None = None,
) -> bytes:
    """PNG bytes of the poster; ``poster`` reuses one already laid out."""
    progress = progress or Progress()
    if poster is None:
        poster = posters.draw(outline, progress=progress.part(0.0, 0.3))
    progress(0.3, t("export_progress_board", outline.lang))
    scene = poster.scene
    k = dpi / 72 * SUPER
    size = (round(scene.width * dpi / 72), round(scene.height * dpi / 72))
    image = Image.new("RGB", (size[0] * SUPER, size[1] * SUPER), "white")
    Painter(image, k).paint(scene)
    progress(0.7, t("export_progress_board", outline.lang))
    image = image.reduce(SUPER)
    progress(0.8, t("export_progress_saving", outline.lang, name="PNG"))
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi), compress_level=6)
    progress(1.0, t("export_progress_saving", outline.lang, name="PNG"))
    return out.getvalue()
