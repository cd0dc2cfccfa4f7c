"""Sign-in for facilitators and join-with-a-code for participants: plain Tornado forms."""

from __future__ import annotations

import hmac
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import tornado.ioloop
import tornado.web

from canvas.format import workshops
from canvas.format.i18n import languages
from canvas.format.i18n import t as translate
from canvas.live.actor import Actor
from canvas.live.identity import FACILITATOR_COOKIE
from canvas.view.pages.render import render
from canvas.view.pages.site import BOARD_ROUTE, Site

MAX_PASSWORD = 1024
# One thread for password hashing: a flood of sign-ins queues here, not in the pool that
# exports and saves use, and never on the event loop.
_SCRYPT = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scrypt")


class SiteHandler(tornado.web.RequestHandler):
    """A Tornado handler that knows its site and the visitor's language."""

    def initialize(self, site: Site) -> None:
        self.site = site

    @property
    def lang(self) -> str:
        """``?lang=``, else the language the board remembered (cookie ``thc-lang``), else en."""
        chosen = self.get_argument("lang", None) or self.get_cookie("thc-lang", "en")
        return chosen if chosen in languages() else "en"

    def t(self, key: str, **params: object) -> str:
        return translate(key, self.lang, **params)

    @property
    def client(self) -> str:
        """Who is trying: the client's address (behind a trusted proxy, the one it names)."""
        return self.request.remote_ip or "?"

    def visitor(self, session: str) -> Actor:
        """The visitor's actor on ``session`` from their codes and cookies, for a request
        that needs no person's id; 403 without a way in, 429 while this client must wait
        after wrong codes (each wrong code counts)."""
        codes = {key: self.get_argument(key, "")[:64] for key in ("join", "view", "review")}
        if any(codes.values()) and self.site.attempts.wait(self.client):
            raise tornado.web.HTTPError(429)
        cookies = {key: morsel.value for key, morsel in self.request.cookies.items()}
        who = self.site.visitor(session, cookies, person=False, **codes)
        if who is None:
            if any(codes.values()):
                self.site.attempts.failed(self.client)
            raise tornado.web.HTTPError(403)
        return who.actor

    def slow_down(self, wait: float, page: Callable[[str], None]) -> None:
        """Refuse an attempt from a client that must wait, saying how long."""
        seconds = max(1, math.ceil(wait))
        self.set_status(429)
        self.set_header("Retry-After", str(seconds))
        page(self.t("too_many_attempts", seconds=seconds))

    def form(self, title: str, label: str, field: str, kind: str, button: str, error: str = ""):
        self.write(
            render(
                "form.html",
                lang=self.lang,
                title=title,
                label=label,
                field=field,
                kind=kind,
                button=button,
                error=error,
            )
        )


class SignInHandler(SiteHandler):
    """The facilitator's sign-in: a password checked against the stored hash.

    The hash is checked on a thread of its own (scrypt takes tens of milliseconds of CPU by
    design), never on the event loop, and a client that keeps getting it wrong waits longer
    and longer before it is checked at all.
    """

    def _page(self, error: str = "") -> None:
        t = self.t
        self.form(t("sign_in"), t("password"), "password", "password", t("sign_in"), error)

    def get(self) -> None:
        if not self.site.access.password_hash:
            self.redirect("./")
            return
        self._page()

    async def post(self) -> None:
        wait = self.site.attempts.wait(self.client)
        if wait:
            self.slow_down(wait, self._page)
            return
        password = self.get_body_argument("password", "")[:MAX_PASSWORD]
        loop = tornado.ioloop.IOLoop.current()
        if not await loop.run_in_executor(_SCRYPT, self.site.access.check, password):
            self.site.attempts.failed(self.client)
            self.set_status(403)
            self._page(self.t("wrong_password"))
            return
        self.set_cookie(
            FACILITATOR_COOKIE,
            self.site.identities.signed_in(),
            expires_days=1,
            httponly=True,
            samesite="Strict",
        )
        self.redirect("./")


class JoinHandler(SiteHandler):
    """Participants type the code shown on the facilitator's screen (a workshop's, or one
    session's from an older link); wrong codes count as failed attempts of this client."""

    def _page(self, error: str = "") -> None:
        t = self.t
        self.form(t("join_with_code"), t("join_code"), "code", "text", t("join"), error)

    def get(self) -> None:
        self._page()

    def post(self) -> None:
        wait = self.site.attempts.wait(self.client)
        if wait:
            self.slow_down(wait, self._page)
            return
        code = self.get_body_argument("code", "").strip().lower()[:64]
        target = self._opens(code) if code else None
        if target is not None:
            self.redirect(f"./{BOARD_ROUTE}?session={quote(target)}&join={code}&lang={self.lang}")
            return
        self.site.attempts.failed(self.client)
        self.set_status(404)
        self._page(self.t("unknown_code"))

    def _opens(self, code: str) -> str | None:
        """What a code opens: a workshop (its current iteration: the code the facilitator
        shows), or one iteration (the code of an older link)."""
        access = self.site.access
        folders = workshops.workshops()
        for folder in folders:  # the code of the day: no iteration listed for it
            if hmac.compare_digest(code, access.workshop_code(folder.name)):
                return folder.name
        for folder in folders:
            for path in workshops.iterations(folder):
                name = workshops.session_name(path)
                if hmac.compare_digest(code, access.join_code(name)):
                    return name
        return None
