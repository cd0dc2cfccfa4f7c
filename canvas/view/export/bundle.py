"""Every export of a session in one zip: ``<workshop>-<NN>-<date>.zip`` holding the HTML page,
the PNG, SVG and PDF posters, the Markdown report, the CSV of notes and the session YAML, all
named ``<workshop>-<NN>-<date>.<ext>``. The poster is laid out once for the three pictures."""

from __future__ import annotations

import io
import zipfile

from canvas.format.i18n import t
from canvas.view.export import csvtable, htmlpage, markdown, yamltext
from canvas.view.export.common import Progress
from canvas.view.export.outline import Outline

# Fixed times keep a bundle's bytes the same for the same session.
_STAMP = (1980, 1, 1, 0, 0, 0)
EXTENSIONS = ("html", "png", "svg", "pdf", "md", "csv", "yaml")


def _add(archive: zipfile.ZipFile, name: str, data: bytes | str, compress: bool = True) -> None:
    info = zipfile.ZipInfo(name, _STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def render(outline: Outline, base: str, *, progress: Progress | None = None) -> bytes:
    """Zip bytes of every format; entries are ``<base>.<ext>``."""
    from canvas.view.export import pdf, png, poster, svg

    progress = progress or Progress()
    lang = outline.lang
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        _add(archive, f"{base}.html", htmlpage.render(outline, progress=progress.part(0.0, 0.15)))
        board = poster.draw(outline, progress=progress.part(0.15, 0.3))
        picture = png.render(outline, poster=board, progress=progress.part(0.3, 0.45))
        _add(archive, f"{base}.png", picture, compress=False)
        picture = svg.render(outline, poster=board, progress=progress.part(0.45, 0.6))
        _add(archive, f"{base}.svg", picture)
        picture = pdf.render(outline, poster=board, progress=progress.part(0.6, 0.9))
        _add(archive, f"{base}.pdf", picture)
        progress(0.9, t("export_progress_outline", lang))
        _add(archive, f"{base}.md", markdown.render(outline))
        _add(archive, f"{base}.csv", csvtable.render(outline.notes))
        _add(archive, f"{base}.yaml", yamltext.render(outline.session))
    return out.getvalue()
