"""The live board as a Panel component: an ES module (no build, no CDN), a shell for the room.

The page's Panel document holds only what draws the shell (the interface strings, the role,
the sizes of things): the board itself, its snapshot and every change after it, travels over
the room channel (:mod:`canvas.view.channel`, ``transport.js``), encoded once per audience
instead of once per page through Bokeh's document machinery.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import ClassVar

import param
import tornado.web
from panel.custom import JSComponent

from canvas.domain.dimensions import metrics
from canvas.format.i18n import catalogue, languages
from canvas.live.hub import Room
from canvas.live.identity import Visitor

STATIC = Path(__file__).resolve().parent / "static"
MODULES = STATIC / "board"
# The board's ES modules are served as files (see ``module_route``) under a path holding a hash
# of their contents: browsers keep them for good, and a new version is a new path.
VERSION = hashlib.sha256(
    b"".join(
        p.relative_to(MODULES).as_posix().encode() + p.read_bytes()
        for p in sorted(MODULES.rglob("*.js"))
    )
).hexdigest()[:12]
MODULE_ROUTE = "board-modules"


class Board(JSComponent):
    """The Three Horizons canvas of one session, live, as one person sees it."""

    metrics = param.Dict(default={}, doc="The sizes of cards, gaps and type (dimensions.py).")
    strings = param.Dict(default={}, doc="The interface strings of the page's language.")
    role = param.Selector(
        default="facilitator", objects=["facilitator", "participant", "reviewer", "observer"]
    )
    iterations = param.List(default=[], doc="Earlier iterations of this workshop.")
    compare = param.Dict(default={}, doc="Changes from an earlier iteration (compare mode).")
    session_name = param.String(default="", doc="The session's name in URLs (workshop/NN-slug).")
    join = param.Dict(default={}, doc="Links and code to show the room (facilitator only).")
    lang = param.String(default="en", doc="The page's language (en or cy).")
    present = param.Boolean(default=False, doc="Start in present mode (a projector's page).")
    read_only = param.Boolean(default=False, doc="Compare mode for reading: no changes sent.")
    person = param.String(default="", doc="A key for this person's drafts (not their id).")

    # Panel imports this entry from a blob; it loads the board's modules through the import
    # map, whose relative address resolves against the page's own URL (so it holds behind a
    # path prefix too).
    _esm = (
        'import {mount} from "thc-board/main.js"\nexport function render(props) { mount(props) }\n'
    )
    _importmap: ClassVar[dict] = {"imports": {"thc-board/": f"./{MODULE_ROUTE}/{VERSION}/"}}
    _stylesheets: ClassVar[list[str]] = [
        (STATIC / name).read_text(encoding="utf-8") for name in ("board.css", "phone.css")
    ]

    def __init__(
        self,
        room: Room | None,
        visitor: Visitor,
        *,
        lang: str = "en",
        join: dict | None = None,
        **params,
    ):
        if room is not None:  # a full room says so on the page (RoomFull); its channel too
            room.check_place(visitor.actor)
        super().__init__(
            metrics=metrics(),
            strings=catalogue(lang),
            lang=lang if lang in languages() else "en",
            role=str(visitor.actor.role),
            person=_person_key(visitor.actor.pid),
            join=join or {},
            sizing_mode="stretch_both",
            **params,
        )

    def _handle_msg(self, data) -> None:
        """Room traffic never rides on the page's document: a message here is ignored."""


def _person_key(pid: str) -> str:
    """What a page keys its person's drafts by (in the browser's storage): a digest of their
    id, so that drafts stay one person's on a shared machine, and the id stays the server's."""
    return hashlib.sha256(pid.encode()).hexdigest()[:16] if pid else ""


class ModuleFiles(tornado.web.StaticFileHandler):
    """The board's modules; their path names their version, so they never go stale."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "public, max-age=31536000, immutable")


def module_route() -> tuple[str, type, dict]:
    """The Tornado route that serves the board's modules (any version path: an old page
    that asks after an upgrade gets the files there are)."""
    return (rf"/{MODULE_ROUTE}/[0-9a-f]{{12}}/(.*)", ModuleFiles, {"path": str(MODULES)})
