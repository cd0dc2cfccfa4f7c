"""The poster as SVG, with every text kept as text (``svg.fonttype: none``): searchable,
selectable, and readable by screen readers and tests."""

from __future__ import annotations

import io

from matplotlib import rc_context

from canvas.format.i18n import t
from canvas.view.export import poster as posters
from canvas.view.export.common import Progress
from canvas.view.export.outline import Outline


def render(
    outline: Outline, *, poster: posters.Poster | None = None, progress: Progress | None = None
) -> bytes:
    """SVG bytes of the poster; ``poster`` reuses one already drawn."""
    progress = progress or Progress()
    if poster is None:
        poster = posters.draw(outline, progress=progress.part(0.0, 0.5))
    fig = poster.fig
    progress(0.5, t("export_progress_saving", outline.lang, name="SVG"))
    out = io.BytesIO()
    settings = {"svg.fonttype": "none", "svg.hashsalt": "three-horizons-canvas"}
    with rc_context(settings), posters.quiet():
        fig.savefig(out, format="svg", metadata={"Date": None, "Title": outline.title})
    progress(1.0, t("export_progress_saving", outline.lang, name="SVG"))
    return out.getvalue()
