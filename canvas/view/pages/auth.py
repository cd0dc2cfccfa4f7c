"""Sign-in for facilitators and join-with-a-code for participants: plain Tornado forms."""

from __future__ import annotations

from urllib.parse import quote

import tornado.web

from canvas.format import workshops
from canvas.format.i18n import languages
from canvas.format.i18n import t as translate
from canvas.view.pages.render import render
from canvas.view.pages.site import BOARD_ROUTE, COOKIE, Site


class SiteHandler(tornado.web.RequestHandler):
    """A Tornado handler that knows its site and the visitor's language."""

    def initialize(self, site: Site) -> None:
        self.site = site

    @property
    def lang(self) -> str:
        """``?lang=``, else the language the board remembered (cookie ``thc-lang``), else en."""
        chosen = self.get_argument("lang", None) or self.get_cookie("thc-lang", "en")
        return chosen if chosen in languages() else "en"

    def t(self, key: str) -> str:
        return translate(key, self.lang)

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
    """The facilitator's sign-in: a password checked against the stored hash."""

    def _page(self, error: str = "") -> None:
        t = self.t
        self.form(t("sign_in"), t("password"), "password", "password", t("sign_in"), error)

    def get(self) -> None:
        if not self.site.access.password_hash:
            self.redirect("./")
            return
        self._page()

    def post(self) -> None:
        if not self.site.access.check(self.get_body_argument("password", "")):
            self.set_status(403)
            self._page(self.t("wrong_password"))
            return
        self.set_signed_cookie(COOKIE, "1", expires_days=1, httponly=True, samesite="Strict")
        self.redirect("./")


class JoinHandler(SiteHandler):
    """Participants type the code shown on the facilitator's screen."""

    def _page(self, error: str = "") -> None:
        t = self.t
        self.form(t("join_with_code"), t("join_code"), "code", "text", t("join"), error)

    def get(self) -> None:
        self._page()

    def post(self) -> None:
        code = self.get_body_argument("code", "").strip().lower()
        for folder in workshops.workshops():
            for path in workshops.iterations(folder):
                name = workshops.session_name(path)
                if code and code == self.site.access.join_code(name):
                    self.redirect(
                        f"./{BOARD_ROUTE}?session={quote(name)}&join={code}&lang={self.lang}"
                    )
                    return
        self.set_status(404)
        self._page(self.t("unknown_code"))
