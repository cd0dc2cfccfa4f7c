"""The poster, then the report on A4 pages: horizons, anchors, notes and votes; the top-voted
notes; the changes since the previous iteration; the personas referenced.

Fonts are embedded as TrueType (``pdf.fonttype: 42``), so the text can be searched and copied.
"""

from __future__ import annotations

import io

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from canvas.domain.model import Note
from canvas.format.i18n import t
from canvas.view.export import poster as posters
from canvas.view.export.common import HORIZON_COLOURS, INK, MUTED, Progress, count
from canvas.view.export.outline import AnchorBlock, Outline

A4 = (8.27, 11.69)
MARGIN = 54.0  # points
BODY = 10.0


class Report:
    """Lays out paragraphs top to bottom over as many A4 pages as they need."""

    def __init__(self, pdf: PdfPages, outline: Outline) -> None:
        self.pdf = pdf
        self.outline = outline
        self.width = A4[0] * 72
        self.height = A4[1] * 72
        self.room = self.width - 2 * MARGIN
        self.fig: Figure | None = None
        self.y = 0.0
        self.pages = 0

    def _new_page(self) -> None:
        self.finish()
        self.fig = Figure(figsize=A4, facecolor="white")
        self.pages += 1
        self.y = MARGIN
        footer = f"{self.outline.title} · {t('export_page', self.outline.lang, n=self.pages)}"
        footer = (posters.clip(posters.wrap(footer, 8, self.room), 1, 8, self.room) or [""])[0]
        self._put(MARGIN, self.height - MARGIN / 2, footer, 8, color=MUTED)

    def finish(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None

    def _put(self, x: float, y: float, text: str, size: float, **kw) -> None:
        kw.setdefault("color", INK)
        self.fig.text(
            x / self.width,
            1 - y / self.height,
            text,
            fontsize=size,
            va="baseline",
            fontfamily=posters.family(),
            parse_math=False,
            **kw,
        )

    def space(self, points: float) -> None:
        if self.fig is not None:
            self.y += points

    def paragraph(
        self,
        text: str,
        size: float = BODY,
        *,
        bold: bool = False,
        italic: bool = False,
        color: str = INK,
        indent: float = 0.0,
        bullet: str = "",
        keep: int = 0,
    ) -> None:
        """Wrapped text; ``bullet`` hangs in the left margin of the first line.

        The paragraph starts a new page unless its first two lines and ``keep`` lines after
        it fit on this one (a heading stays with what follows it).
        """
        leading = size * 1.3
        if self.fig is None:
            self._new_page()
        lines = posters.wrap(text, size, self.room - indent, bold) or [""]
        kw = {"color": color}
        if bold:
            kw["fontweight"] = "bold"
        if italic:
            kw["fontstyle"] = "italic"
        need = leading * (min(len(lines), 2) + keep)  # its first lines and what follows
        if self.y + need > self.height - MARGIN:
            self._new_page()
        for i, line in enumerate(lines):
            if self.y + leading > self.height - MARGIN:
                self._new_page()
            self.y += leading
            if i == 0 and bullet:
                self._put(
                    MARGIN + indent - posters.width(bullet + " ", size, bold),
                    self.y,
                    bullet,
                    size,
                    **kw,
                )
            self._put(MARGIN + indent, self.y, line, size, **kw)


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


def _block(report: Report, block: AnchorBlock, outline: Outline) -> None:
    lang = outline.lang
    name = f"{t(f'kind_{block.kind}', lang)}: " if block.kind else ""
    totals = f"{count(len(block.notes), 'notes', lang)}, {count(block.votes, 'votes', lang)}"
    report.space(6)
    report.paragraph(f"{name}{block.title} ({totals})", 11, bold=True, keep=2)
    if block.summary:
        report.paragraph(block.summary, 9, italic=True, color=MUTED)
    if not block.notes:
        report.paragraph(t("no_notes", lang), 9, color=MUTED, indent=14)
    for note in block.notes:
        report.paragraph(_note_text(note, outline), indent=14, bullet="•")


def _front(report: Report, outline: Outline) -> None:
    lang = outline.lang
    report.paragraph(outline.title, 18, bold=True)
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
    report.paragraph(heading, 15, bold=True, keep=3)
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
        report.paragraph(
            horizon.heading, 15, bold=True, color=HORIZON_COLOURS[horizon.horizon], keep=3
        )
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
    personas = [
        f"{ref.name}{f' ({ref.role})' if ref.role else ''}: {count(ref.notes, 'notes', lang)}"
        for ref in outline.personas
    ]
    _section(report, t("export_personas", lang), t("export_no_personas", lang), personas)
    report.finish()


def render(
    outline: Outline, *, poster: posters.Poster | None = None, progress: Progress | None = None
) -> bytes:
    """PDF bytes: the poster page (A3 landscape), then the report pages (A4)."""
    progress = progress or Progress()
    if poster is None:
        poster = posters.draw(outline, progress=progress.part(0.0, 0.4))
    fig = poster.fig
    out = io.BytesIO()
    metadata = {
        "Title": outline.title,
        "Creator": t("app_name", outline.lang),
        "CreationDate": None,
        "ModDate": None,
    }
    with rc_context({"pdf.fonttype": 42}), posters.quiet(), PdfPages(out, metadata=metadata) as pdf:
        progress(0.4, t("export_progress_saving", outline.lang, name="PDF"))
        pdf.savefig(fig)
        write_report(Report(pdf, outline), outline, progress.part(0.5, 1.0))
    progress(1.0, t("export_progress_saving", outline.lang, name="PDF"))
    return out.getvalue()
