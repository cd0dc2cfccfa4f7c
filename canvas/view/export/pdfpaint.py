"""A tagged PDF with fpdf2: the document, its structure (headings, paragraphs, a figure with
its alternative text, page furniture as artifacts), and the poster's scene painted on a page.

Why fpdf2: it writes a thousand notes' poster and report in well under a second (matplotlib's
PDF backend took about 12 s, laying text out glyph by glyph), it is pure Python from PyPI, it
embeds subsets of TrueType fonts (the text can be searched and copied), and it keeps a
structure tree with marked content, ``/MarkInfo`` and ``/Lang``: what a screen reader needs.
fpdf2 itself tags only figures; :meth:`Document.tag` marks any standard structure type with the
same machinery, in reading order.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from fpdf import FPDF

from canvas.view.export.postertext import font_path
from canvas.view.export.scene import Line, Rect, Scene, Text, flatten

FONT = "thc"
_STYLES = {"": (False, False), "B": (True, False), "I": (False, True), "BI": (True, True)}


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


class Document:
    """One PDF in points, its fonts embedded, its content tagged as it is written."""

    def __init__(self, title: str, lang: str, creator: str, date: str = "") -> None:
        # fpdf2 logs each glyph a font lacks (an emoji in a note): the box it draws says so.
        logging.getLogger("fpdf").setLevel(logging.ERROR)
        pdf = FPDF(unit="pt", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_margin(0)
        for style, (bold, italic) in _STYLES.items():
            pdf.add_font(FONT, style, font_path(bold, italic))
        pdf.set_title(title)
        pdf.set_lang(lang)
        pdf.set_creator(creator)
        if date:  # the workshop's date: the same session gives the same bytes
            pdf.set_creation_date(datetime.fromisoformat(date).replace(tzinfo=UTC))
        pdf.set_producer(creator)
        self.pdf = pdf
        self._font: tuple = ()
        self._colour = ""

    def page(self, width: float, height: float) -> None:
        self.pdf.add_page(format=(width, height))
        self._font, self._colour = (), ""

    @contextmanager
    def tag(self, kind: str, alt: str | None = None) -> Iterator[None]:
        """Content that is one structure element (``H1``, ``P``, ``Figure``...) of the page,
        in the order written: the reading order."""
        pdf = self.pdf
        mcid = pdf.struct_builder.next_mcid_for_page(pdf.page)
        pdf._add_marked_content(struct_type=f"/{kind}", mcid=mcid, alt_text=alt)
        pdf._out(f"/{kind} <</MCID {mcid}>> BDC")
        try:
            yield
        finally:
            pdf._out("EMC")

    @contextmanager
    def artifact(self) -> Iterator[None]:
        """Page furniture (page numbers, running titles) that a screen reader skips."""
        self.pdf._out("/Artifact BMC")
        try:
            yield
        finally:
            self.pdf._out("EMC")

    def font(self, size: float, bold: bool = False, italic: bool = False) -> None:
        key = (size, bold, italic)
        if key != self._font:
            self.pdf.set_font(FONT, ("B" if bold else "") + ("I" if italic else ""), size)
            self._font = key

    def colour(self, colour: str) -> None:
        if colour != self._colour:
            self.pdf.set_text_color(*_rgb(colour))
            self._colour = colour

    def width(self, text: str) -> float:
        return self.pdf.get_string_width(text)

    def text(self, x: float, y: float, line: str, align: str = "left") -> None:
        if align != "left":
            w = self.width(line)
            x -= w if align == "right" else w / 2
        self.pdf.text(x, y, line)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _rect(pdf: FPDF, r: Rect) -> None:
    style = ("F" if r.fill else "") + ("D" if r.stroke and r.width else "")
    if not style:
        return
    opacity = {}
    if r.opacity < 1:
        opacity["fill_opacity"] = r.opacity
    if r.stroke_opacity < 1:
        opacity["stroke_opacity"] = r.stroke_opacity
    with pdf.local_context(**opacity):
        if r.fill:
            pdf.set_fill_color(*_rgb(r.fill))
        if "D" in style:
            pdf.set_draw_color(*_rgb(r.stroke or "#000000"))
            pdf.set_line_width(r.width)
            if r.dash:
                pdf.set_dash_pattern(r.dash[0], r.dash[1])
        radius = min(r.radius, r.w / 2, r.h / 2)
        pdf.rect(r.x, r.y, r.w, r.h, style, round_corners=radius > 0, corner_radius=radius)


def _line(pdf: FPDF, line: Line) -> None:
    with pdf.local_context(stroke_cap_style="round", stroke_join_style="round"):
        pdf.set_draw_color(*_rgb(line.stroke))
        pdf.set_line_width(line.width)
        if line.dash:
            pdf.set_dash_pattern(line.dash[0], line.dash[1])
        pdf.polyline(list(line.points), style="D")


def _text(doc: Document, text: Text) -> None:
    doc.font(text.size, text.bold, text.italic)
    doc.colour(text.colour)
    for i, line in enumerate(text.lines):
        x, y = text.x, text.y + i * text.step
        if text.rotate:
            with doc.pdf.rotation(text.rotate, x, y):
                doc.text(x, y, line, text.align)
        else:
            doc.text(x, y, line, text.align)


def paint(doc: Document, scene: Scene) -> None:
    """The scene on a page of its own size, as one figure described by its alternative text."""
    doc.page(scene.width, scene.height)
    pdf = doc.pdf
    with doc.tag("Figure", alt=scene.description):
        for item in flatten(scene.items):
            if isinstance(item, Rect):
                _rect(pdf, item)
            elif isinstance(item, Line):
                _line(pdf, item)
            else:
                _text(doc, item)
