"""One self-contained HTML file: a read-only Bokeh board, the per-anchor summary, the changes
since the previous iteration, the outline, the top-voted notes and the personas.

Everything is inline (Bokeh's INLINE resources, our own styles); the page loads nothing
from anywhere, and its Content-Security-Policy forbids it to. Every user string is escaped
with :func:`html.escape`; on the board, user text is data that Bokeh draws on a canvas or
shows in a tooltip as text, and labels take it as ``PlainText`` (never TeX).
"""

from __future__ import annotations

from html import escape

from canvas.domain.model import Note
from canvas.format.i18n import catalogue, t
from canvas.view.export.common import Progress, count
from canvas.view.export.htmlboard import board
from canvas.view.export.outline import AnchorBlock, Outline, Thread, said

CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-src 'none'; object-src 'none'"
)

STYLE = """
:root { --ink: #1b1f24; --muted: #4a5360; --line: #c9d1db; --h1: #b3261e; --h2: #8a5a00;
  --h3: #146c2e; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans",
  sans-serif; color: var(--ink); background: #fbfbfc; line-height: 1.45; }
header, main { max-width: 1440px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 20px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 18px 0 6px; }
h4 { font-size: 1rem; margin: 14px 0 4px; }
.sub, .muted, .summary { color: var(--muted); }
.summary { font-style: italic; margin: 2px 0 6px; }
.focal { font-size: 1.1rem; }
.board { background: #fff; border: 1px solid var(--line); overflow-x: auto; }
.hint { color: var(--muted); font-size: 0.9rem; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid #eef1f4;
  vertical-align: top; }
td.n { text-align: right; }
.H1 { color: var(--h1); } .H2 { color: var(--h2); } .H3 { color: var(--h3); }
ul.notes { margin: 4px 0 10px; padding-left: 22px; }
.note-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.meta { color: var(--muted); font-size: 0.9rem; }
.notice { font-weight: 600; }
ul.comments { margin: 2px 0 6px; padding-left: 18px; list-style: none;
  border-left: 3px solid #0b5cd5; }
ul.comments ul { padding-left: 16px; list-style: none; }
.comment-text { white-space: pre-wrap; overflow-wrap: anywhere; }
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _badge(note: Note) -> str:
    return f"H2{note.polarity}" if note.horizon == "H2" and note.polarity else note.horizon


def _threads(threads: tuple[Thread, ...], lang: str) -> str:
    """Comment threads: who wrote each comment and when, replies one level in."""
    if not threads:
        return ""

    def one(c, resolved: bool = False) -> str:
        state = f" <em>({_e(t('export_resolved', lang))})</em>" if resolved else ""
        return (
            f"<strong>{_e(said(c, lang))}</strong>{state}: "
            f'<span class="comment-text">{_e(c.text)}</span>'
        )

    items = []
    for thread in threads:
        replies = "".join(f"<li>{one(r)}</li>" for r in thread.replies)
        inner = f"<ul>{replies}</ul>" if replies else ""
        items.append(f"<li>{one(thread.comment, thread.resolved)}{inner}</li>")
    label = _e(t("export_comments", lang))
    return f'<ul class="comments" aria-label="{label}">{"".join(items)}</ul>'


def _note_item(note: Note, outline: Outline, show_anchor: bool = False) -> str:
    lang = outline.lang
    details = [_e(count(note.votes, "votes", lang))]
    if note.horizon == "H2" and note.polarity:
        details.insert(0, _e(_badge(note)))
    if show_anchor and outline.anchor_title(note):
        details.append(_e(t("on_anchor", lang, title=outline.anchor_title(note))))
    if note.author:
        details.append(_e(t("by_author", lang, name=note.author)))
    text = _e(note.text) if note.text.strip() else f"<em>{_e(t('empty_note', lang))}</em>"
    threads = "" if show_anchor else _threads(outline.threads_on(note.id), lang)
    return (
        f'<li id="note-{_e(note.id)}"><span class="note-text">{text}</span> '
        f'<span class="meta">({"; ".join(details)})</span>{threads}</li>'
    )


def _block(block: AnchorBlock, outline: Outline) -> list[str]:
    lang = outline.lang
    kind = f"{_e(t(f'kind_{block.kind}', lang))}: " if block.kind else ""
    totals = f"{count(len(block.notes), 'notes', lang)}, {count(block.votes, 'votes', lang)}"
    out = [f'<h4>{kind}{_e(block.title)} <span class="meta">({_e(totals)})</span></h4>']
    if block.summary:
        out.append(f'<p class="summary">{_e(block.summary)}</p>')
    if block.anchor is not None and outline.threads_on(block.anchor.id):
        out.append(_threads(outline.threads_on(block.anchor.id), lang))
    if block.notes:
        out.append('<ul class="notes">')
        out += [_note_item(n, outline) for n in block.notes]
        out.append("</ul>")
    else:
        out.append(f'<p class="muted">{_e(t("no_notes", lang))}</p>')
    return out


def _per_anchor(outline: Outline) -> list[str]:
    lang = outline.lang
    out = [
        f"<h2>{_e(t('export_per_anchor', lang))}</h2>",
        "<table><thead><tr>",
        f"<th>{_e(t('horizon', lang))}</th><th>{_e(t('anchor_kind', lang))}</th>"
        f"<th>{_e(t('anchor', lang))}</th><th>{_e(t('notes', lang))}</th>"
        f"<th>{_e(t('export_votes', lang))}</th>",
        "</tr></thead><tbody>",
    ]
    for horizon in outline.horizons:
        for block in horizon.blocks:
            kind = t(f"kind_{block.kind}", lang) if block.kind else ""
            out.append(
                f'<tr><td class="{horizon.horizon}">{horizon.horizon}</td><td>{_e(kind)}</td>'
                f"<td>{_e(block.title)}</td><td class=n>{len(block.notes)}</td>"
                f"<td class=n>{block.votes}</td></tr>"
            )
    out.append("</tbody></table>")
    return out


def body(outline: Outline) -> list[str]:
    """The page's text below the board, as escaped HTML lines."""
    lang = outline.lang
    out = _per_anchor(outline)
    if outline.previous_iteration is not None:
        out.append(f"<h2>{_e(t('export_changes', lang, n=outline.previous_iteration))}</h2>")
        if outline.changes:
            out.append("<ul>")
            out += [f"<li>{_e(line)}</li>" for line in outline.changes]
            out.append("</ul>")
        else:
            out.append(f"<p>{_e(t('export_no_changes', lang, n=outline.previous_iteration))}</p>")

    out.append(f"<h2>{_e(t('export_outline', lang))}</h2>")
    for horizon in outline.horizons:
        out.append(f'<h3 class="{horizon.horizon}">{_e(horizon.heading)}</h3>')
        if horizon.prompt:
            out.append(
                f'<p class="summary">{_e(t("export_prompt", lang))}: {_e(horizon.prompt)}</p>'
            )
        for block in horizon.blocks:
            out += _block(block, outline)

    out.append(f"<h2>{_e(t('export_top_voted', lang))}</h2>")
    if outline.top:
        out.append('<ol class="notes">')
        out += [_note_item(n, outline, True) for n in outline.top]
        out.append("</ol>")
    else:
        out.append(f"<p>{_e(t('export_no_votes', lang))}</p>")

    if outline.stray_threads:
        out.append(f"<h2>{_e(t('export_other_comments', lang))}</h2>")
        out.append(_threads(outline.stray_threads, lang))

    out.append(f"<h2>{_e(t('export_personas', lang))}</h2>")
    if outline.personas:
        out.append("<ul>")
        for ref in outline.personas:
            role = f" ({_e(ref.role)})" if ref.role else ""
            out.append(
                f"<li><strong>{_e(ref.name)}</strong>{role}: "
                f"{_e(count(ref.notes, 'notes', lang))}</li>"
            )
        out.append("</ul>")
    else:
        out.append(f"<p>{_e(t('export_no_personas', lang))}</p>")
    return out


def _inline_resources(fig) -> tuple[list[str], list[str]]:
    """Bokeh's JavaScript and CSS for ``fig``, inline: ``(scripts, styles)``.

    Bokeh adds the ``__javascript__`` / ``__css__`` URLs of every extension model loaded in
    the process (Panel's, when the app exports) to a bundle's files, used or not. The board
    uses Bokeh's own models only, so those files are left out; an extension model on the
    board would need its code, so that is refused rather than silently linked.
    """
    from bokeh.embed.bundle import bundle_for_objs_and_resources
    from bokeh.resources import INLINE

    modules = {type(model).__module__ for model in fig.references()}
    foreign = sorted(name for name in modules if not name.startswith("bokeh."))
    if foreign:
        raise RuntimeError(f"the board uses models from outside Bokeh: {', '.join(foreign)}")
    bundle = bundle_for_objs_and_resources([fig], INLINE)
    for code in bundle.js_raw:
        if "</script" in code.lower():
            raise RuntimeError("Bokeh's code cannot be inlined: it holds '</script'")
    return list(bundle.js_raw), list(bundle.css_raw)


def render(outline: Outline, *, progress: Progress | None = None) -> str:
    """The whole page as text."""
    from bokeh.embed import components

    progress = progress or Progress()
    lang = outline.lang
    progress(0.1, t("export_progress_board", lang))
    fig = board(outline)
    scripts, styles = _inline_resources(fig)
    script, div = components(fig)
    progress(0.6, t("export_progress_outline", lang))
    s = outline.session
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(catalogue(lang).get("_locale", lang))}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{_e(t("app_name", lang))}">',
        f"<title>{_e(outline.title)}</title>",
        f"<style>{STYLE}</style>",
        *(f"<style>{css}</style>" for css in styles),
        *(f"<script>\n{js}\n</script>" for js in scripts),
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(outline.title)}</h1>",
        f'<p class="sub">{_e(outline.subtitle())}</p>',
    ]
    if outline.focal_question:
        head.append(
            f'<p class="focal"><strong>{_e(t("export_focal_question", lang))}:</strong> '
            f"{_e(outline.focal_question)}</p>"
        )
    if s.facilitator:
        head.append(f"<p>{_e(t('export_facilitator', lang))}: {_e(s.facilitator)}</p>")
    totals = ", ".join(
        (
            count(len(outline.notes), "notes", lang),
            count(outline.votes, "votes", lang),
            count(len(s.anchors), "anchors", lang),
        )
    )
    head.append(f'<p class="sub">{_e(totals)}</p>')
    if outline.include_private:
        head.append(f'<p class="notice">{_e(t("export_private_included", lang))}</p>')
    head += [
        "</header>",
        "<main>",
        f"<h2>{_e(t('board', lang))}</h2>",
        f'<p class="hint">{_e(t("export_board_hint", lang))}</p>',
        f'<div class="board">{div}</div>',
    ]
    page = [*head, *body(outline), "</main>", script, "</body>", "</html>"]
    progress(1.0, t("export_progress_outline", lang))
    return "\n".join(page) + "\n"
