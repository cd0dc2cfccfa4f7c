"""The server's door: every request passes here before any page, file or WebSocket is served.

* Host names. A web page on ``evil.example`` whose name the attacker points at 127.0.0.1 (DNS
  rebinding) reaches a local server with ``Host: evil.example``, and a browser lets it read
  the answers, as the page's own origin. So only the host names this server was started for
  are answered: ``127.0.0.1``, ``localhost`` and ``--address`` with the port, any
  ``--allow-host``, and, on a server that listens beyond this machine, the bare addresses
  people type (an address is never rebound). Pages and WebSockets alike.
* WebSockets also need an ``Origin`` that passes the same rule (Bokeh's own list cannot
  hold an IPv6 address, so this check replaces it).
* Joining. A visitor who brings a participant's code and no identity gets one here, once,
  in an HttpOnly, SameSite=Strict cookie (:mod:`canvas.live.identity`); making identities is
  rate-limited per client. A first step bounces through this site, so that a browser arriving
  from another site's link sends the Strict cookie it may already hold. A wrong code counts
  as a failed attempt, and a client that has failed too often is told to wait.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Iterable
from urllib.parse import quote, urlencode, urlsplit

import tornado.web
from tornado.httputil import HTTPServerRequest

from canvas.format import workshops
from canvas.format.i18n import languages
from canvas.format.i18n import t as translate
from canvas.live.access import host_port, is_loopback
from canvas.live.identity import MAX_AGE, PERSON_COOKIE
from canvas.view.pages.render import render
from canvas.view.pages.site import Site

JOINED = "joined"  # the query argument of the bounced step


def allowed_hosts(address: str, port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The ``Host`` values a server on ``address:port`` answers (lower case)."""
    names = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    if address not in ("0.0.0.0", "::", ""):
        names.add(host_port(address, port))
    return frozenset(n.strip().lower() for n in (*names, *extra) if n.strip())


class Gate:
    """Decides, for each request, whether the site answers it, and how."""

    def __init__(self, site: Site, port: int, *, any_address: bool = False):
        self.site = site
        self.port = port
        self.any_address = any_address  # the server listens beyond this machine

    @classmethod
    def for_server(cls, site: Site, address: str, port: int) -> Gate:
        return cls(site, port, any_address=not is_loopback(address))

    # -- hosts and origins --------------------------------------------------------------

    def host_allowed(self, host: str) -> bool:
        host = (host or "").strip().lower()
        if host in self.site.hosts:
            return True
        if not self.any_address:
            return False
        name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
        if port and port != str(self.port):
            return False
        try:
            ipaddress.ip_address((name or host).strip("[]"))
        except ValueError:
            return False
        return True

    def origin_allowed(self, origin: str | None) -> bool:
        if not origin:
            return True  # not a browser: no page of another site is behind it
        return self.host_allowed(urlsplit(origin).netloc)

    # -- routing ------------------------------------------------------------------------

    def install(self, app: tornado.web.Application) -> None:
        """Put the gate in front of every route of ``app``, and of Bokeh's origin check."""
        from bokeh.server.views.ws import WSHandler

        original = app.find_handler
        gate = self

        def find_handler(request: HTTPServerRequest, **kwargs):
            answer = gate.answer(request)
            if answer is not None:
                return app.get_handler_delegate(request, *answer)
            return original(request, **kwargs)

        app.find_handler = find_handler
        WSHandler.check_origin = lambda handler, origin: gate.origin_allowed(origin)

    def answer(self, request: HTTPServerRequest) -> tuple[type, dict] | None:
        """The handler that answers ``request`` instead of the site, if any."""
        if not self.host_allowed(request.host):
            return Refusal, {"status": 421, "text": "This server does not answer to that name."}
        if request.headers.get("Upgrade", "").lower() == "websocket" and not self.origin_allowed(
            request.headers.get("Origin")
        ):
            return Refusal, {"status": 403, "text": "Not from this site."}
        prefix = self.site.prefix
        boards = (prefix or "/", f"{prefix}/", f"{prefix}/board")
        if request.method == "GET" and request.path in boards:
            return self._joining(request)
        return None

    def _joining(self, request: HTTPServerRequest) -> tuple[type, dict] | None:
        args = {k: v[0].decode("utf-8", "replace") for k, v in request.query_arguments.items()}
        codes = {k: args.get(k, "")[:64] for k in ("join", "view", "review")}
        if not any(codes.values()):
            return None
        client = request.remote_ip or "?"
        lang = args.get("lang", "en") if args.get("lang") in languages() else "en"
        wait = self.site.attempts.wait(client)
        if wait:
            return _too_many(wait, lang)
        try:
            name = workshops.session_name(workshops.resolve(args.get("session", "")))
        except ValueError:
            return None  # the page says what is wrong with the name
        cookies = {k: m.value for k, m in request.cookies.items()}
        who = self.site.visitor(name, cookies, person=False, **codes)
        if who is None:
            self.site.attempts.failed(client)  # the next attempt may have to wait
            return None  # the page says that this code opens nothing
        if str(who.actor.role) != "participant":
            return None
        if self.site.identities.person(cookies.get(PERSON_COOKIE)) is not None:
            return None
        rest = {k: v for k, v in args.items() if k != JOINED}
        if JOINED not in args:
            target = f"{request.path}?{urlencode({**rest, JOINED: '1'}, safe='/', quote_via=quote)}"
            return Bounce, {"target": target, "lang": lang}
        wait = self.site.joins.take(client)
        if wait:
            return _too_many(wait, lang)
        _, value = self.site.identities.issue()
        target = f"{request.path}?{urlencode(rest, safe='/', quote_via=quote)}"
        return Issue, {"value": value, "target": target}


def _query(args: dict[str, str]) -> str:
    """A query string as the board's own links write it (``session=workshop/NN-slug``)."""
    return urlencode(args, safe="/", quote_via=quote)


def _too_many(wait: float, lang: str) -> tuple[type, dict]:
    seconds = max(1, math.ceil(wait))
    text = translate("too_many_attempts", lang, seconds=seconds)
    return Refusal, {"status": 429, "text": text, "retry": seconds}


class Refusal(tornado.web.RequestHandler):
    """A short plain answer instead of the site (any method)."""

    def initialize(self, status: int, text: str, retry: int | None = None) -> None:
        self._status, self._text, self._retry = status, text, retry

    def prepare(self) -> None:
        self.set_status(self._status)
        if self._retry:
            self.set_header("Retry-After", str(self._retry))
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(self._text)


class Bounce(tornado.web.RequestHandler):
    """One step through this site before an identity is made (see the module's docstring)."""

    def initialize(self, target: str, lang: str) -> None:
        self._target, self._lang = target, lang

    def prepare(self) -> None:
        self.set_header("Cache-Control", "no-store")
        t = translate
        page = render(
            "bounce.html",
            lang=self._lang,
            target=self._target,
            title=t("joining", self._lang),
            go=t("continue", self._lang),
        )
        self.finish(page)


class Issue(tornado.web.RequestHandler):
    """A new person: the identity cookie, then on to the board."""

    def initialize(self, value: str, target: str) -> None:
        self._value, self._target = value, target

    def prepare(self) -> None:
        self.set_cookie(
            PERSON_COOKIE,
            self._value,
            expires_days=MAX_AGE / 86400,
            httponly=True,
            samesite="Strict",
        )
        self.set_header("Cache-Control", "no-store")
        self.redirect(self._target)
