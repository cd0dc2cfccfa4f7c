"""Snapshot exports over HTTP, for anyone who may see the session's board.

The file is made on a worker thread (never on the event loop); the page shows that it is
being prepared until the download starts. Exports show the board as observers see it:
hidden and unrevealed private notes are left out.
"""

from __future__ import annotations

import logging
import os

import tornado.ioloop
import tornado.web

from canvas.domain.model import Session
from canvas.domain.visibility import project
from canvas.format import workshops
from canvas.live.actor import Actor
from canvas.live.hub import HUB
from canvas.view.pages.auth import SiteHandler

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


def exported(session: Session, actor: Actor) -> Session:
    """What a download holds: the board as the visitor's role may see it, without anything
    that is only ever live (nobody's unrevealed private notes, no ballots, no person's id).
    The facilitator's file is the whole session; hidden notes stay out of every picture."""
    if actor.facilitator:
        return session
    return project(session, actor.role, "")


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
        if not self.site.owns(path.parent.name):
            raise tornado.web.HTTPError(421, "this workshop is served by another process")
        if fmt not in (*export.FORMATS, export.BUNDLE):
            raise tornado.web.HTTPError(400, "unknown format")
        actor = self.visitor(name)
        if fmt == "yaml" and not actor.facilitator:
            # The session file holds every note, ballot and id: it is the facilitator's.
            raise tornado.web.HTTPError(403, "the session file is the facilitator's")
        session = HUB.room(path).session
        lang = self.lang
        loop = tornado.ioloop.IOLoop.current()
        previous, warning = await loop.run_in_executor(None, workshops.load_previous, path, session)
        if warning:
            # The page says which file was left out; where it is stays on the server.
            log.warning("export of %s: %s", name, warning)
            self.set_header("X-Horizons-Left-Out", workshops.previous(path, session).name)

        def make() -> bytes:
            shown, before = exported(session, actor), previous and exported(previous, actor)
            return export.render(shown, fmt, lang=lang, previous=before)

        data = await loop.run_in_executor(None, make)
        self.set_header("Content-Type", CONTENT_TYPES[fmt])
        filename = export.default_name(session, fmt)
        self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        self.set_header("X-Content-Type-Options", "nosniff")
        self.write(data)


class HealthHandler(SiteHandler):
    """``/health``: this process is up, which workshops it is pinned to, and the rooms it
    holds open with their pages (for a proxy's or a service manager's checks)."""

    def get(self) -> None:
        rooms = {}
        for path, pages in HUB.pages().items():
            try:
                rooms[workshops.session_name(path)] = pages
            except ValueError:  # a file outside sessions/ (served by path): named by its name
                rooms[path.name] = pages
        pinned = sorted(self.site.pinned) if self.site.pinned is not None else None
        self.set_header("Cache-Control", "no-store")
        self.finish(
            {
                "status": "ok",
                "pid": os.getpid(),
                "prefix": self.site.prefix,
                "workshops": pinned,
                "rooms": rooms,
            }
        )
