"""What every page of one server shares: its access rules and default session, and the
helpers that read a Panel request (its language, its arguments, the sign-in cookie).

A :class:`Site` is made once by :func:`canvas.view.server.serve` and handed to each page, so
no page reads a module-level global.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import panel as pn
import tornado.web

from canvas.format.i18n import languages
from canvas.format.i18n import t as translate
from canvas.live.access import Access

COOKIE = "thc_facilitator"
BOARD_ROUTE = "board"
START_ROUTE = "workshops"
TRENDS_ROUTE = "trends"


@dataclass(frozen=True)
class Site:
    """One server's settings, as the pages see them."""

    access: Access = field(default_factory=lambda: Access(secret=b"local", loopback=True))
    default: str = "wales-2022"
    default_path: Path | None = None

    def signed_in(self, raw: str | bytes | None) -> bool:
        """Whether a facilitator cookie value is valid (signed by this server, a day old at
        most)."""
        if not raw:
            return False
        value = tornado.web.decode_signed_value(
            self.access.secret.hex(), COOKIE, raw, max_age_days=1
        )
        return value == b"1"


def arg(name: str, default: str = "") -> str:
    """A query argument of the page being built."""
    values = pn.state.session_args.get(name) if pn.state.curdoc else None
    return values[0].decode("utf-8", "replace") if values else default


def lang() -> str:
    """The page's language from ``?lang=`` (English unless a catalogue exists for it)."""
    chosen = arg("lang", "en")
    return chosen if chosen in languages() else "en"


def t(key: str, **params: object) -> str:
    """An interface string in the page's language."""
    return translate(key, lang(), **params)


def signed_in(site: Site) -> bool:
    """Whether the visitor building this page holds the facilitator's sign-in cookie."""
    raw = pn.state.cookies.get(COOKIE) if pn.state.curdoc else None
    return site.signed_in(raw)


def may_lead(site: Site) -> bool:
    """Facilitator pages: open on a password-less local server, else after sign-in."""
    return site.access.open or signed_in(site)
