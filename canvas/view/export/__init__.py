"""Snapshot exports of a session: HTML page, PNG/SVG/PDF poster, Markdown, CSV, YAML, zip.

    export(session, "pdf", "out/", lang="cy", previous=earlier, progress=report)

Every format tells the same :mod:`canvas.view.export.outline`: hidden notes are never exported,
private (unrevealed) notes only with ``include_private``. The YAML is the exception: it is
the canonical session file, whole. Labels come from the chosen language's catalogue.

Importing this package loads no plotting library: each format loads its own (Bokeh for
HTML, fpdf2 and Pillow for the posters) when it is asked for, so the command line stays light.
"""

from __future__ import annotations

import os
from pathlib import Path

from canvas.domain.model import Session
from canvas.format.i18n import t
from canvas.view.export.common import Progress, ProgressFn, base_name, write_bytes
from canvas.view.export.csvtable import CsvError, read_csv
from canvas.view.export.outline import Outline, build

FORMATS = ("html", "png", "svg", "pdf", "md", "csv", "yaml")
BUNDLE = "bundle"
EXTENSION = {**{f: f for f in FORMATS}, BUNDLE: "zip"}

__all__ = [
    "BUNDLE",
    "FORMATS",
    "CsvError",
    "build",
    "default_name",
    "export",
    "read_csv",
    "render",
]


def default_name(session: Session, fmt: str) -> str:
    """``<workshop>-<NN>-<date>.<ext>``, e.g. ``wales-2022-02-2022-04-21.pdf``."""
    return f"{base_name(session)}.{EXTENSION[fmt]}"


def _check(fmt: str) -> None:
    if fmt not in EXTENSION:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(EXTENSION)}")


def render_outline(outline: Outline, fmt: str, progress: Progress | None = None) -> bytes:
    """The bytes of one format for an outline already built."""
    _check(fmt)
    progress = progress or Progress()
    if fmt == "html":
        from canvas.view.export import htmlpage

        return htmlpage.render(outline, progress=progress).encode("utf-8")
    if fmt == "png":
        from canvas.view.export import png

        return png.render(outline, progress=progress)
    if fmt == "svg":
        from canvas.view.export import svg

        return svg.render(outline, progress=progress)
    if fmt == "pdf":
        from canvas.view.export import pdf

        return pdf.render(outline, progress=progress)
    if fmt == "md":
        from canvas.view.export import markdown

        return markdown.render(outline, progress=progress).encode("utf-8")
    if fmt == "csv":
        from canvas.view.export import csvtable

        return csvtable.render(outline.notes)
    if fmt == "yaml":
        from canvas.view.export import yamltext

        return yamltext.render(outline.session).encode("utf-8")
    from canvas.view.export import bundle

    return bundle.render(outline, base_name(outline.session), progress=progress)


def render(
    session: Session,
    fmt: str,
    *,
    lang: str = "en",
    previous: Session | None = None,
    include_private: bool = False,
    progress: ProgressFn | None = None,
) -> bytes:
    """The bytes of ``session`` in ``fmt`` (one of :data:`FORMATS`, or ``"bundle"``)."""
    _check(fmt)
    report = Progress(progress)
    report(0.0, t("export_progress_outline", lang))
    outline = build(session, lang=lang, previous=previous, include_private=include_private)
    data = render_outline(outline, fmt, report.part(0.05, 0.95))
    return data


def export(
    session: Session,
    fmt: str,
    path: str | os.PathLike | None = None,
    *,
    lang: str = "en",
    previous: Session | None = None,
    progress: ProgressFn | None = None,
    include_private: bool = False,
) -> Path:
    """Write ``session`` as ``fmt`` to ``path`` and return the file written.

    ``path`` may be a file, an existing folder (the file gets :func:`default_name` in it),
    or None (the default name in the working directory). ``previous`` is the previous
    iteration, for the changes since it. ``progress(fraction, message)`` is called as the
    work goes on, ending with ``(1.0, ...)``. The file is replaced atomically.
    """
    _check(fmt)
    target = Path(path) if path is not None else Path.cwd()
    if target.is_dir():
        target = target / default_name(session, fmt)
    data = render(
        session,
        fmt,
        lang=lang,
        previous=previous,
        include_private=include_private,
        progress=progress,
    )
    report = Progress(progress)
    report(0.95, t("export_progress_saving", lang, name=target.name))
    write_bytes(target, data)
    report(1.0, t("export_progress_done", lang))
    return target
