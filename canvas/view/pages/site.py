"""What every page of one server shares: its access rules and default session, and the
helpers that read a Panel request (its language, its arguments, the sign-in cookie).

A :class:`Site` is made once by :func:`canvas.view.server.serve` and handed to each page, so
no page reads a module-level global.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import panel as pn

from canvas.format.i18n import languages
from canvas.format.i18n import t as translate
from canvas.live.access import Access
from canvas.live.brakes import Attempts, Joins
from canvas.live.identity import FACILITATOR_COOKIE, Identities, Visitor, visitor

BOARD_ROUTE = "board"
START_ROUTE = "workshops"
TRENDS_ROUTE = "trends"
LANG_COOKIE = "thc-lang"  # set by the board's language chooser


@dataclass(frozen=True)
class Site:
    """One server's settings and shared state, as the pages see them: the access rules, the
    identities it issues, the brakes on guessing, and the host names it answers to."""

    access: Access = field(default_factory=lambda: Access(secret=b"local", loopback=True))
    default: str = "wales-2022"
    default_path: Path | None = None
    hosts: frozenset[str] = frozenset()
    prefix: str = ""  # the path every route is served under ("" or "/canvas")
    pinned: frozenset[str] | None = None  # the workshops this process owns (None: any)
    identities: Identities = field(init=False, repr=False)
    attempts: Attempts = field(default_factory=Attempts, repr=False)
    joins: Joins = field(default_factory=Joins, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "identities", Identities(self.access.secret))

    def owns(self, workshop: str) -> bool:
        """Whether this process serves ``workshop``'s room (``--workshop`` pins)."""
        return self.pinned is None or workshop in self.pinned

    def visitor(self, session: str, cookies, **codes) -> Visitor | None:
        """Who a visitor is on ``session`` (:func:`canvas.live.identity.visitor`)."""
        return visitor(self.access, self.identities, session, cookies=cookies, **codes)


def arg(name: str, default: str = "") -> str:
    """A query argument of the page being built."""
    values = pn.state.session_args.get(name) if pn.state.curdoc else None
    return values[0].decode("utf-8", "replace") if values else default


def lang() -> str:
    """The page's language: ``?lang=``, else the language chosen last on the board (the
    ``thc-lang`` cookie), else English (or English for a language without a catalogue)."""
    chosen = arg("lang") or str(cookies().get(LANG_COOKIE, "")) or "en"
    return chosen if chosen in languages() else "en"


def t(key: str, **params: object) -> str:
    """An interface string in the page's language."""
    return translate(key, lang(), **params)


def cookies() -> dict:
    """The cookies of the request that built this page (empty outside a served page)."""
    return dict(pn.state.cookies or {}) if pn.state.curdoc else {}


def signed_in(site: Site) -> bool:
    """Whether the visitor building this page holds a valid facilitator sign-in."""
    return site.identities.facilitator(cookies().get(FACILITATOR_COOKIE))


def may_lead(site: Site) -> bool:
    """Facilitator pages: open on a password-less local server, else after sign-in."""
    return site.access.open or signed_in(site)
