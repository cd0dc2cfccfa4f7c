"""The session as a Markdown report: focal question, horizons, anchors, notes and votes.

User text is escaped so that it reads as typed in any CommonMark or GitHub renderer: no
markup, links, raw HTML, headings or list markers can come from a note.
"""

from __future__ import annotations

import re

from canvas.domain.model import Note
from canvas.format.i18n import t
from canvas.view.export.common import Progress, count
from canvas.view.export.outline import AnchorBlock, Outline, Thread, said

# Characters that are markup anywhere in a line (GitHub adds ~ for strikethrough, $ for maths).
_ANYWHERE = re.compile(r"([\\`*_\[\]<>|&~$#])")
# At the start of a line: headings, quotes, list items, thematic breaks, setext underlines.
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")


def escape_line(line: str) -> str:
    """One line of user text as literal Markdown."""
    line = _ANYWHERE.sub(r"\\\1", line.strip())
    return _LINE_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), line
    )


def escape(text: str, indent: str = "") -> str:
    """User text as literal Markdown; its own line breaks stay (as hard breaks).

    ``indent`` keeps the continuation lines inside a list item. Blank lines are dropped,
    since one would end the item.
    """
    lines = [escape_line(line) for line in text.splitlines() if line.strip()]
    return ("\\\n" + indent).join(lines)


def inline(text: str) -> str:
    """User text on one line (a heading, a table cell)."""
    return escape_line(" ".join(text.split()))


def _note_line(note: Note, outline: Outline, bullet: str, show_anchor: bool = False) -> str:
    lang = outline.lang
    details = [count(note.votes, "votes", lang)]
    if note.horizon == "H2" and note.polarity:
        details.insert(0, f"H2{note.polarity}")
    if show_anchor and outline.anchor_title(note):
        details.append(t("on_anchor", lang, title=inline(outline.anchor_title(note))))
    if note.author:
        details.append(t("by_author", lang, name=inline(note.author)))
    text = escape(note.text, " " * len(bullet)) or f"*{t('empty_note', lang)}*"
    return f"{bullet}{text} ({'; '.join(details)})"


def _threads(threads: tuple[Thread, ...], lang: str, indent: str = "") -> list[str]:
    """Comment threads as nested list items: each comment, its replies one level in."""
    rows = []
    for thread in threads:
        state = f" *({t('export_resolved', lang)})*" if thread.resolved else ""
        first = thread.comment
        lead = f"{indent}- 💬 **{inline(said(first, lang))}**{state}: "
        rows.append(lead + escape(first.text, indent + "  "))
        for reply in thread.replies:
            lead = f"{indent}  - **{inline(said(reply, lang))}**: "
            rows.append(lead + escape(reply.text, indent + "    "))
    return rows


def _block(block: AnchorBlock, outline: Outline) -> list[str]:
    lang = outline.lang
    name = f"{t(f'kind_{block.kind}', lang)}: " if block.kind else ""
    totals = f"{count(len(block.notes), 'notes', lang)}, {count(block.votes, 'votes', lang)}"
    rows = [f"### {name}{inline(block.title)} ({totals})", ""]
    if block.summary:
        rows += [f"*{escape(block.summary)}*", ""]
    if block.anchor is not None and outline.threads_on(block.anchor.id):
        rows += [*_threads(outline.threads_on(block.anchor.id), lang), ""]
    if block.notes:
        for n in block.notes:
            rows += [_note_line(n, outline, "- "), *_threads(outline.threads_on(n.id), lang, "  ")]
    else:
        rows.append(t("no_notes", lang))
    return rows + [""]


def _front(outline: Outline) -> list[str]:
    lang = outline.lang
    rows = [f"# {inline(outline.title)}", "", escape(outline.subtitle()), ""]
    if outline.focal_question:
        rows += [f"**{t('export_focal_question', lang)}:** {escape(outline.focal_question)}", ""]
    if outline.session.facilitator:
        rows += [f"**{t('export_facilitator', lang)}:** {inline(outline.session.facilitator)}", ""]
    rows += [
        ", ".join(
            (
                count(len(outline.notes), "notes", lang),
                count(outline.votes, "votes", lang),
                count(len(outline.session.anchors), "anchors", lang),
            )
        ),
        "",
    ]
    if outline.include_private:
        rows += [f"> {t('export_private_included', lang)}", ""]
    return rows


def render(outline: Outline, progress: Progress | None = None) -> str:
    """The report as Markdown text."""
    progress = progress or Progress()
    lang = outline.lang
    rows = _front(outline)
    for i, horizon in enumerate(outline.horizons):
        progress(i / len(outline.horizons), t("export_progress_outline", lang))
        rows += [f"## {inline(horizon.heading)}", ""]
        if horizon.prompt:
            rows += [f"*{t('export_prompt', lang)}:* {escape(horizon.prompt)}", ""]
        for block in horizon.blocks:
            rows += _block(block, outline)

    rows += [f"## {t('export_top_voted', lang)}", ""]
    if outline.top:
        rows += [_note_line(n, outline, f"{i}. ", True) for i, n in enumerate(outline.top, 1)]
    else:
        rows.append(t("export_no_votes", lang))
    rows.append("")

    if outline.previous_iteration is not None:
        rows += [f"## {t('export_changes', lang, n=outline.previous_iteration)}", ""]
        if outline.changes:
            rows += [f"- {escape(line, '  ')}" for line in outline.changes]
        else:
            rows.append(t("export_no_changes", lang, n=outline.previous_iteration))
        rows.append("")

    if outline.stray_threads:
        rows += [f"## {t('export_other_comments', lang)}", ""]
        rows += [*_threads(outline.stray_threads, lang), ""]

    rows += [f"## {t('export_personas', lang)}", ""]
    if outline.personas:
        for ref in outline.personas:
            role = f" ({inline(ref.role)})" if ref.role else ""
            rows.append(f"- **{inline(ref.name)}**{role}: {count(ref.notes, 'notes', lang)}")
    else:
        rows.append(t("export_no_personas", lang))
    progress(1.0, t("export_progress_outline", lang))
    return "\n".join(rows).rstrip("\n") + "\n"
