"""``horizons serve``: one Panel/Tornado server with the board, the pages and the handlers.

The page functions run anew for every browser session, so they stay thin: the rooms live in
:mod:`canvas.live.hub`, imported once per process, and the server's settings travel in one
:class:`~canvas.view.pages.site.Site` handed to every page.
"""

from __future__ import annotations

import gc
import os
import re
import signal
from pathlib import Path

import panel as pn

from canvas.format import workshops
from canvas.live.access import Access
from canvas.live.hub import HUB
from canvas.view.board import module_route
from canvas.view.channel import channel_route
from canvas.view.gate import Gate, allowed_hosts
from canvas.view.pages.auth import JoinHandler, SignInHandler
from canvas.view.pages.board_page import board_page
from canvas.view.pages.downloads import ExportHandler, HealthHandler
from canvas.view.pages.site import BOARD_ROUTE, START_ROUTE, TRENDS_ROUTE, Site
from canvas.view.pages.workshops_page import start_page, trends_route


def _no_delay() -> None:
    """Send websocket frames at once: Bokeh writes each message in three small frames, and
    Nagle's algorithm would hold the later ones for the client's delayed ACK (~40 ms)."""
    from bokeh.server.views.ws import WSHandler

    if getattr(WSHandler, "_thc_nodelay", False):
        return
    opened = WSHandler.open

    def open_without_delay(self, *args, **kwargs):
        self.set_nodelay(True)
        return opened(self, *args, **kwargs)

    WSHandler.open = open_without_delay
    WSHandler._thc_nodelay = True


def serve(
    session: Path,
    *,
    access: Access,
    port: int = 5006,
    address: str = "127.0.0.1",
    show: bool = False,
    allow_hosts: tuple[str, ...] = (),
    trust_proxy: bool = False,
    prefix: str = "",
    pinned: tuple[str, ...] = (),
    **kwargs,
):
    """Serve the board of ``session`` at ``/`` and ``/board``, and the other pages, behind
    the :class:`~canvas.view.gate.Gate` (host names, origins, joining, brakes)."""
    site = Site(
        access=access,
        default=workshops.session_name(session),
        default_path=session,
        hosts=allowed_hosts(address, port, allow_hosts),
        prefix=prefix,
        pinned=frozenset(pinned) if pinned else None,
    )
    gate = Gate.for_server(site, address, port)
    HUB.entry = access.entry  # a page moving on to the next iteration gets its way in
    # Behind a proxy, the proxy decides who owns a workshop: rooms open on their first channel.
    if not trust_proxy and site.owns(session.parent.name):
        HUB.room(session)  # open (and sweep) before the first page, off any event loop
    gc.freeze()  # what is loaded now lives as long as the server: keep it out of collections
    _no_delay()

    os.environ.setdefault("BOKEH_PY_LOG_LEVEL", "warning")
    # SIGTERM (a service manager, a test) ends the server like Ctrl+C: pending saves happen.
    signal.signal(signal.SIGTERM, _stop)
    try:
        server = pn.serve(
            _pages(site),
            port=port,
            address=address,
            show=show,
            start=False,
            # No Panel Location model: the pages read their arguments themselves, and
            # Panel's cannot parse an IPv6 host ("[::1]:5006").
            location=False,
            title="Three Horizons Canvas",
            # The gate checks every origin (Bokeh's list cannot hold an IPv6 address).
            websocket_origin=[f"localhost:{port}"],
            cookie_secret=access.secret.hex(),
            use_xheaders=trust_proxy,
            prefix=prefix,
            extra_patterns=_routes(site, gate),
            **kwargs,
        )
        gate.install(server._tornado)
        server.start()
        server.io_loop.start()
    except KeyboardInterrupt:
        return None
    finally:
        HUB.close()


def _pages(site: Site) -> dict:
    """Panel's pages; Panel calls each function with no arguments for every browser session."""

    def board() -> pn.viewable.Viewable:
        return board_page(site)

    def start() -> pn.viewable.Viewable:
        return start_page(site)

    def trends() -> pn.viewable.Viewable:
        return trends_route(site)

    return {"/": board, BOARD_ROUTE: board, START_ROUTE: start, TRENDS_ROUTE: trends}


def _routes(site: Site, gate: Gate) -> list:
    """The Tornado routes beside Panel's (under the same prefix)."""
    handlers = {"site": site}
    return [
        (r"/signin", SignInHandler, handlers),
        (r"/join", JoinHandler, handlers),
        (r"/export", ExportHandler, handlers),
        (r"/health", HealthHandler, handlers),
        module_route(),
        channel_route(site, gate),
    ]


def clean_prefix(text: str) -> str:
    """``--prefix``: "" or a path such as ``/canvas`` (one leading slash, none trailing)."""
    prefix = "/" + text.strip().strip("/") if text.strip().strip("/") else ""
    if not all(re.fullmatch(r"[A-Za-z0-9_-]+", part) for part in prefix.split("/")[1:]):
        raise ValueError(f"--prefix {text!r}: use letters, digits, '-' and '_' between slashes")
    return prefix


def _stop(_signum, _frame) -> None:
    raise KeyboardInterrupt
