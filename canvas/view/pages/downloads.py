"""Snapshot exports over HTTP, for anyone who may see the session's board.

The file is made on a worker thread (never on the event loop); the page shows that it is
being prepared until the download starts. Exports show the board as observers see it:
hidden and unrevealed private notes are left out.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import tornado.ioloop
import tornado.web

from canvas.domain.visibility import in_snapshot
from canvas.format import workshops
from canvas.live.hub import HUB
from canvas.view.pages.auth import SiteHandler
from canvas.view.pages.site import COOKIE

log = logging.getLogger(__name__)
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
    "bundle": "application/zip",
}


class ExportHandler(SiteHandler):
    """``/export?session=NAME&format=FMT`` with the visitor's code or sign-in."""

    async def get(self) -> None:
        from canvas.view import export

        fmt = self.get_argument("format", "")
        try:
            path = workshops.resolve(self.get_argument("session", ""))
            name = workshops.session_name(path)
        except ValueError as exc:
            raise tornado.web.HTTPError(404, str(exc)) from None
        if fmt not in (*export.FORMATS, export.BUNDLE):
            raise tornado.web.HTTPError(400, "unknown format")
        signed = self.site.signed_in(self.get_cookie(COOKIE))
        role = self.site.access.role(
            name,
            join=self.get_argument("join", ""),
            view=self.get_argument("view", ""),
            review=self.get_argument("review", ""),
            signed_in=signed,
        )
        if role is None:
            raise tornado.web.HTTPError(403)
        session = HUB.room(path).session
        lang = self.lang
        loop = tornado.ioloop.IOLoop.current()
        previous, warning = await loop.run_in_executor(None, workshops.load_previous, path, session)
        if warning:
            # The page says which file was left out; where it is stays on the server.
            log.warning("export of %s: %s", name, warning)
            self.set_header("X-Horizons-Left-Out", workshops.previous(path, session).name)

        def make() -> bytes:
            shown = replace(
                session, notes={k: n for k, n in session.notes.items() if in_snapshot(n)}
            )
            return export.render(
                shown if fmt != "yaml" else session, fmt, lang=lang, previous=previous
            )

        data = await loop.run_in_executor(None, make)
        self.set_header("Content-Type", CONTENT_TYPES[fmt])
        filename = export.default_name(session, fmt)
        self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        self.set_header("X-Content-Type-Options", "nosniff")
        self.write(data)
