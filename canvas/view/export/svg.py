"""The poster as SVG, painted from its scene (:mod:`canvas.view.export.scene`): every text
kept as text (searchable, selectable, read by screen readers and tests), each note and anchor
a group named by its id, sizes in points.

User text reaches the file only through the XML escaper.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from canvas.format.i18n import t
from canvas.view.export import poster as posters
from canvas.view.export.common import Progress
from canvas.view.export.outline import Outline
from canvas.view.export.postertext import family
from canvas.view.export.scene import Group, Line, Rect, Scene, Text

_K = 0.5523  # a quarter circle as a cubic Bézier: control points at this share of the radius
_ANCHOR = {"left": "start", "right": "end", "center": "middle"}


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def rounded(r: Rect) -> str:
    """A rounded rectangle as a path of lines and curves (no arcs: every number is a point)."""
    x, y, w, h = r.x, r.y, r.w, r.h
    k = min(r.radius, w / 2, h / 2)
    if k <= 0:
        return f"M{_n(x)} {_n(y)}H{_n(x + w)}V{_n(y + h)}H{_n(x)}Z"
    c = k * (1 - _K)
    pts = [
        ("M", x + k, y),
        ("L", x + w - k, y),
        ("C", x + w - c, y, x + w, y + c, x + w, y + k),
        ("L", x + w, y + h - k),
        ("C", x + w, y + h - c, x + w - c, y + h, x + w - k, y + h),
        ("L", x + k, y + h),
        ("C", x + c, y + h, x, y + h - c, x, y + h - k),
        ("L", x, y + k),
        ("C", x, y + c, x + c, y, x + k, y),
    ]
    return "".join(op + " ".join(_n(v) for v in values) for op, *values in pts) + "Z"


def _rect(r: Rect) -> str:
    attrs = [f'd="{rounded(r)}"', f'fill="{r.fill or "none"}"']
    if r.opacity < 1:
        attrs.append(f'fill-opacity="{_n(r.opacity)}"')
    if r.stroke and r.width:
        attrs += [f'stroke="{r.stroke}"', f'stroke-width="{_n(r.width)}"']
        if r.stroke_opacity < 1:
            attrs.append(f'stroke-opacity="{_n(r.stroke_opacity)}"')
        if r.dash:
            attrs.append(f'stroke-dasharray="{_n(r.dash[0])} {_n(r.dash[1])}"')
    return f"<path {' '.join(attrs)}/>"


def _line(line: Line) -> str:
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in line.points)
    dash = f' stroke-dasharray="{_n(line.dash[0])} {_n(line.dash[1])}"' if line.dash else ""
    return (
        f'<polyline points="{points}" fill="none" stroke="{line.stroke}" '
        f'stroke-width="{_n(line.width)}" stroke-linecap="round" stroke-linejoin="round"{dash}/>'
    )


def _text(text: Text) -> str:
    style = [f'font-size="{_n(text.size)}"', f'fill="{text.colour}"']
    if text.bold:
        style.append('font-weight="bold"')
    if text.italic:
        style.append('font-style="italic"')
    if text.align != "left":
        style.append(f'text-anchor="{_ANCHOR[text.align]}"')
    out = []
    for i, line in enumerate(text.lines):
        x, y = text.x, text.y + i * text.step
        turn = f' transform="rotate(-90 {_n(x)} {_n(y)})"' if text.rotate else ""
        where = f'x="{_n(x)}" y="{_n(y)}"'
        out.append(
            f'<text {where} {" ".join(style)}{turn} xml:space="preserve">{escape(line)}</text>'
        )
    return "".join(out)


def _item(item) -> str:
    if isinstance(item, Rect):
        return _rect(item)
    if isinstance(item, Line):
        return _line(item)
    return _text(item)


def paint(scene: Scene) -> str:
    """The scene as an SVG document."""
    font = quoteattr(f"{family()}, Arial, 'Liberation Sans', Helvetica, sans-serif")
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(scene.width)}pt" '
        f'height="{_n(scene.height)}pt" viewBox="0 0 {_n(scene.width)} {_n(scene.height)}" '
        f'role="img" font-family={font}>',
        f"<title>{escape(scene.title)}</title>",
        f"<desc>{escape(scene.description)}</desc>",
    ]
    for item in scene.items:
        if isinstance(item, Group):
            inner = "".join(_item(i) for i in item.items)
            parts.append(f"<g id={quoteattr(item.gid)}>{inner}</g>")
        else:
            parts.append(_item(item))
    parts.append("</svg>\n")
    return "\n".join(parts)


def render(
    outline: Outline, *, poster: posters.Poster | None = None, progress: Progress | None = None
) -> bytes:
    """SVG bytes of the poster; ``poster`` reuses one already laid out."""
    progress = progress or Progress()
    if poster is None:
        poster = posters.draw(outline, progress=progress.part(0.0, 0.5))
    progress(0.5, t("export_progress_saving", outline.lang, name="SVG"))
    data = paint(poster.scene).encode("utf-8")
    progress(1.0, t("export_progress_saving", outline.lang, name="SVG"))
    return data
