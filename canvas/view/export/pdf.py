"""The PDF: the poster (A3 landscape), then the report on A4 pages: horizons, anchors, notes and
votes, reviewers' comment threads; the top-voted notes; the changes since the previous
iteration; the personas referenced.

The PDF is tagged (:mod:`canvas.view.export.pdfpaint`): the title, the horizons and the anchors
are headings, each note and comment a paragraph in reading order, the poster a figure with
its alternative text, and the running footer an artifact; the document's language is set.
Fonts are embedded as TrueType subsets, so the text can be searched and copied.
"""

from __future__ import annotations

from canvas.domain.model import Note
from canvas.format.i18n import t
from canvas.view.export import poster as posters
from canvas.view.export.common import HORIZON_COLOURS, INK, MUTED, Progress, count
from canvas.view.export.outline import AnchorBlock, Outline, Thread, said
from canvas.view.export.pdfpaint import Document, paint
from canvas.view.export.postertext import width, wrap

A4 = (595.28, 841.89)  # points
MARGIN = 54.0
BODY = 10.0


class Report:
    """Lays out paragraphs top to bottom over as many A4 pages as they need."""

    def __init__(self, doc: Document, outline: Outline) -> None:
        self.doc = doc
        self.outline = outline
        self.width, self.height = A4
        self.room = self.width - 2 * MARGIN
        self.y = 0.0
        self.pages = 0
        self.open = False

    def _new_page(self) -> None:
        self.doc.page(*A4)
        self.pages += 1
        self.open = True
        self.y = MARGIN
        footer = f"{self.outline.title} · {t('export_page', self.outline.lang, n=self.pages)}"
        footer = (wrap(footer, 8, self.room) or [""])[0]
        with self.doc.artifact():
            self.doc.font(8)
            self.doc.colour(MUTED)
            self.doc.text(MARGIN, self.height - MARGIN / 2, footer)

    def space(self, points: float) -> None:
        if self.open:
            self.y += points

    def paragraph(
        self,
        text: str,
        size: float = BODY,
        *,
        tag: str = "P",
        bold: bool = False,
        italic: bool = False,
        color: str = INK,
        indent: float = 0.0,
        bullet: str = "",
        keep: int = 0,
    ) -> None:
        """Wrapped text, one structure element (``tag``); ``bullet`` hangs in the left margin.

        The paragraph starts a new page unless its first two lines and ``keep`` lines after
        it fit on this one (a heading stays with what follows it). A paragraph that goes on
        to the next page continues there as a second element of the same kind.
        """
        leading = size * 1.3
        if not self.open:
            self._new_page()
        lines = wrap(text, size, self.room - indent, bold) or [""]
        need = leading * (min(len(lines), 2) + keep)  # its first lines and what follows
        if self.y + need > self.height - MARGIN:
            self._new_page()
        doc = self.doc
        start = 0
        while start < len(lines):
            fit = max(1, int((self.height - MARGIN - self.y) // leading))
            with doc.tag(tag):
                doc.font(size, bold, italic)
                doc.colour(color)
                for i, line in enumerate(lines[start : start + fit], start):
                    self.y += leading
                    if i == 0 and bullet:
                        doc.text(MARGIN + indent - width(bullet + " ", size, bold), self.y, bullet)
                    doc.text(MARGIN + indent, self.y, line)
            start += fit
            if start < len(lines):
                self._new_page()


def _note_text(note: Note, outline: Outline, show_anchor: bool = False) -> str:
    lang = outline.lang
    details = [count(note.votes, "votes", lang)]
    if note.horizon == "H2" and note.polarity:
        details.insert(0, f"H2{note.polarity}")
    if show_anchor and outline.anchor_title(note):
        details.append(t("on_anchor", lang, title=outline.anchor_title(note)))
    if note.author:
        details.append(t("by_author", lang, name=note.author))
    text = " ".join(note.text.split()) or t("empty_note", lang)
    return f"{text} ({'; '.join(details)})"


def _threads(report: Report, threads: tuple[Thread, ...], indent: float) -> None:
    """Comment threads: each comment with who wrote it and when, replies further in."""
    lang = report.outline.lang
    for thread in threads:
        state = f" ({t('export_resolved', lang)})" if thread.resolved else ""
        for i, c in enumerate(thread.comments):
            text = f"{said(c, lang)}{state if i == 0 else ''}: {' '.join(c.text.split())}"
            report.paragraph(text, 9, indent=indent + (12 if i else 0), bullet="»", color=MUTED)


def _block(report: Report, block: AnchorBlock, outline: Outline) -> None:
    lang = outline.lang
    name = f"{t(f'kind_{block.kind}', lang)}: " if block.kind else ""
    totals = f"{count(len(block.notes), 'notes', lang)}, {count(block.votes, 'votes', lang)}"
    report.space(6)
    report.paragraph(f"{name}{block.title} ({totals})", 11, tag="H3", bold=True, keep=2)
    if block.summary:
        report.paragraph(block.summary, 9, italic=True, color=MUTED)
    if block.anchor is not None:
        _threads(report, outline.threads_on(block.anchor.id), 14)
    if not block.notes:
        report.paragraph(t("no_notes", lang), 9, color=MUTED, indent=14)
    for note in block.notes:
        report.paragraph(_note_text(note, outline), indent=14, bullet="•")
        _threads(report, outline.threads_on(note.id), 28)


def _front(report: Report, outline: Outline) -> None:
    lang = outline.lang
    report.paragraph(outline.title, 18, tag="H1", bold=True)
    report.paragraph(outline.subtitle(), 10, color=MUTED)
    if outline.focal_question:
        report.space(6)
        report.paragraph(f"{t('export_focal_question', lang)}: {outline.focal_question}", 12)
    if outline.session.facilitator:
        report.paragraph(f"{t('export_facilitator', lang)}: {outline.session.facilitator}", 10)
    counts = (
        count(len(outline.notes), "notes", lang),
        count(outline.votes, "votes", lang),
        count(len(outline.session.anchors), "anchors", lang),
    )
    report.paragraph(", ".join(counts), 10, color=MUTED)
    if outline.include_private:
        report.paragraph(t("export_private_included", lang), 10, bold=True)


def _section(report: Report, heading: str, empty: str, lines: list[str], bullets=None) -> None:
    """A heading, then one bulleted paragraph per line (or ``empty`` when there are none)."""
    report.space(14)
    report.paragraph(heading, 15, tag="H2", bold=True, keep=3)
    if not lines:
        report.paragraph(empty)
    for i, line in enumerate(lines, 1):
        report.paragraph(line, indent=14, bullet=bullets(i) if bullets else "•")


def write_report(report: Report, outline: Outline, progress: Progress) -> None:
    lang = outline.lang
    _front(report, outline)
    for i, horizon in enumerate(outline.horizons):
        progress(i / 4, t("export_progress_report", lang))
        report.space(14)
        colour = HORIZON_COLOURS[horizon.horizon]
        report.paragraph(horizon.heading, 15, tag="H2", bold=True, color=colour, keep=3)
        if horizon.prompt:
            report.paragraph(f"{t('export_prompt', lang)}: {horizon.prompt}", 10, italic=True)
        for block in horizon.blocks:
            _block(report, block, outline)
    progress(0.75, t("export_progress_report", lang))
    top = [_note_text(note, outline, True) for note in outline.top]
    _section(report, t("export_top_voted", lang), t("export_no_votes", lang), top, "{}.".format)
    if outline.previous_iteration is not None:
        n = outline.previous_iteration
        empty = t("export_no_changes", lang, n=n)
        _section(report, t("export_changes", lang, n=n), empty, list(outline.changes))
    if outline.stray_threads:
        report.space(14)
        report.paragraph(t("export_other_comments", lang), 15, tag="H2", bold=True, keep=3)
        _threads(report, outline.stray_threads, 14)
    personas = [
        f"{ref.name}{f' ({ref.role})' if ref.role else ''}: {count(ref.notes, 'notes', lang)}"
        for ref in outline.personas
    ]
    _section(report, t("export_personas", lang), t("export_no_personas", lang), personas)


def render(
    outline: Outline, *, poster: posters.Poster | None = None, progress: Progress | None = None
) -> bytes:
    """PDF bytes: the poster page (A3 landscape), then the report pages (A4)."""
    progress = progress or Progress()
    if poster is None:
        poster = posters.draw(outline, progress=progress.part(0.0, 0.4))
    lang = outline.lang
    doc = Document(outline.title, lang, t("app_name", lang), outline.session.date)
    progress(0.4, t("export_progress_saving", lang, name="PDF"))
    paint(doc, poster.scene)
    write_report(Report(doc, outline), outline, progress.part(0.5, 0.9))
    data = doc.output()
    progress(1.0, t("export_progress_saving", lang, name="PDF"))
    return data
