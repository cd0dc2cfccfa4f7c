"""The served pages: the board of one session, and the start page of all workshops.

The page functions run anew for every browser session, so they stay thin: the rooms live in
:mod:`canvas.live.hub`, imported once per process. Session names from the browser are checked
here against the folder layout before any file is touched.
"""

from __future__ import annotations

import gc
import html
import os
import signal
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import panel as pn
import segno
import tornado.ioloop
import tornado.web

from canvas.format import paths, store, templates
from canvas.format.i18n import languages
from canvas.format.i18n import t as translate
from canvas.format.problems import FormatError
from canvas.live.access import Access
from canvas.live.hub import HUB, RoomFull
from canvas.view.board import Board

COOKIE = "thc_facilitator"
ACCESS: Access | None = None  # set by serve(); the pages read it

BOARD_ROUTE = "board"
START_ROUTE = "workshops"
TRENDS_ROUTE = "trends"


def _lang() -> str:
    """The page's language from ``?lang=`` (English unless a catalogue exists for it)."""
    values = pn.state.session_args.get("lang") if pn.state.curdoc else None
    lang = values[0].decode("ascii", "replace") if values else "en"
    return lang if lang in languages() else "en"


def t(key: str, **params: object) -> str:
    return translate(key, _lang(), **params)


def session_name(path: Path, root: Path | None = None) -> str:
    """The name a URL uses for a session file: ``workshop/NN-slug``."""
    root = (root or paths.sessions_dir()).resolve()
    rel = path.resolve().relative_to(root)
    return f"{rel.parent.as_posix()}/{rel.stem}"


def resolve_session(name: str, root: Path | None = None) -> Path:
    """The file of a session name from a browser or the command line.

    Accepts ``WORKSHOP`` (its latest iteration) or ``WORKSHOP/NN-slug``; refuses anything
    that is not plain slugs or that would leave ``sessions/``.
    """
    root = (root or paths.sessions_dir()).resolve()
    workshop, _, stem = name.strip().strip("/").partition("/")
    folder = paths.workshop_dir(workshop, root)
    if not stem:
        found = paths.iterations(folder)
        if not found:
            raise ValueError(f"workshop {workshop!r} has no sessions")
        return found[-1]
    if not paths.SESSION_NAME.fullmatch(stem + ".yaml"):
        raise ValueError(f"not a session name: {stem!r}")
    path = (folder / f"{stem}.yaml").resolve()
    if path.parent != folder or not path.is_file():
        raise ValueError(f"no session {name!r}")
    return path


def _message_page(text: str, *, signin: bool = False) -> pn.viewable.Viewable:
    links = f'<a href="./{START_ROUTE}">{html.escape(t("all_workshops"))}</a>'
    if signin:
        links = (
            f'<a href="./signin">{html.escape(t("sign_in"))}</a> · '
            f'<a href="./join">{html.escape(t("join_with_code"))}</a>'
        )
    return pn.pane.HTML(
        f'<main style="font:1rem system-ui;padding:2rem"><p>{html.escape(text)}</p>'
        f"<p>{links}</p></main>"
    )


def _arg(name: str, default: str = "") -> str:
    values = pn.state.session_args.get(name) if pn.state.curdoc else None
    return values[0].decode("utf-8", "replace") if values else default


def _signed_in() -> bool:
    raw = pn.state.cookies.get(COOKIE) if pn.state.curdoc else None
    if not raw or ACCESS is None:
        return False
    value = tornado.web.decode_signed_value(ACCESS.secret.hex(), COOKIE, raw, max_age_days=1)
    return value == b"1"


def join_info(name: str, access: Access) -> dict:
    """What the facilitator shows the room: the join link and code (with a QR code) and the
    observers' link."""
    host = (pn.state.headers.get("Host") if pn.state.curdoc else None) or "127.0.0.1:5006"
    base = f"http://{host}/{BOARD_ROUTE}?session={quote(name)}"
    join = access.join_code(name)
    link = f"{base}&join={join}"
    qr = segno.make(link, error="m")
    return {
        "code": join,
        "link": link,
        "observe": f"{base}&view={access.view_code(name)}",
        "review": f"{base}&review={access.review_code(name)}",
        "qr": ["".join("1" if cell else "0" for cell in row) for row in qr.matrix],
    }


def board_page(default: str | None = None) -> pn.viewable.Viewable:
    """The board of the session named in ``?session=``, or of the default session."""
    raw = _arg("session") or default or ""
    lang = _lang()
    access = ACCESS or Access(secret=b"local", loopback=True)
    try:
        path = resolve_session(raw)
        name = session_name(path)
    except ValueError as exc:
        return _message_page(str(exc))
    role = access.role(
        name,
        join=_arg("join"),
        view=_arg("view"),
        review=_arg("review"),
        signed_in=_signed_in(),
    )
    if role is None:
        return _message_page(t("need_access"), signin=True)
    try:
        room = HUB.room(path)
        info = join_info(name, access) if role == "facilitator" else {}
        compare = _compare(path, room.session, _arg("compare"), role)
        board = Board(
            room,
            lang=lang,
            role=role,
            join=info,
            iterations=_iterations(path),
            compare=compare,
            session_name=name,
        )
    except (ValueError, FormatError, RoomFull) as exc:
        return _message_page(str(exc))
    if pn.state.curdoc:
        pn.state.on_session_destroyed(lambda _ctx: board.close())
    return board


def _compare(path: Path, session, against: str, role: str) -> dict:
    """The compare-mode payload when ``?compare=WORKSHOP/NN-slug`` names another session."""
    if not against:
        return {}
    other = resolve_session(against)
    if other == path:
        return {}
    before = store.load(other)
    from canvas.live.ops import Actor
    from canvas.live.wire import compare_view

    label = {"name": session_name(other), "iteration": before.iteration, "title": before.title}
    return compare_view(before, session, Actor(role=role), label)


def _iterations(path: Path) -> list[dict]:
    """The earlier iterations of a session's workshop, for "changed since iteration N"."""
    found = []
    for other in paths.iterations(path.parent):
        if other == path:
            break
        number = int(paths.SESSION_NAME.fullmatch(other.name).group(1))
        found.append({"number": number, "name": session_name(other)})
    return found


def _workshop_table(folder: Path) -> str:
    """One workshop's iterations: number, title, date, facilitator, notes and votes, links."""
    head = "".join(
        f"<th scope='col'>{html.escape(t(k))}</th>"
        for k in ("iteration_col", "title_col", "date_col", "facilitator_col", "notes", "votes_col")
    )
    rows = []
    found = paths.iterations(folder)
    for i, path in enumerate(found):
        name = session_name(path)
        try:
            s = store.load(path)
        except FormatError:
            rows.append(f"<tr><td colspan='7'>{html.escape(path.name)} (invalid)</td></tr>")
            continue
        href = f"./{BOARD_ROUTE}?session={quote(name)}"
        links = [f'<a href="{html.escape(href)}">{html.escape(t("open_board"))}</a>']
        if i:
            earlier = session_name(found[i - 1])
            cmp = f"{href}&compare={quote(earlier)}"
            links.append(f'<a href="{html.escape(cmp)}">{html.escape(t("compare_previous"))}</a>')
        cells = [
            str(s.iteration),
            html.escape(s.title),
            html.escape(s.date),
            html.escape(s.facilitator),
            str(len(s.notes)),
            str(sum(n.votes for n in s.notes.values())),
            " · ".join(links),
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    trends = f"./{TRENDS_ROUTE}?workshop={quote(folder.name)}"
    return (
        f"<h2>{html.escape(folder.name)}</h2>"
        f"<table class='thc-iterations'><thead><tr>{head}<th></th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f'<p><a href="{html.escape(trends)}">{html.escape(t("trends"))}</a></p>'
    )


def _workshop_block(folder: Path) -> pn.viewable.Viewable:
    table = pn.pane.HTML(_workshop_table(folder), sizing_mode="stretch_width")
    keep = pn.widgets.Checkbox(name=t("keep_votes"), value=False)
    start = pn.widgets.Button(name=t("start_next"))
    result = pn.pane.HTML("")

    def _next(_event) -> None:
        found = paths.iterations(folder)
        try:
            latest = store.load(found[-1])
            number = int(paths.SESSION_NAME.fullmatch(found[-1].name).group(1)) + 1
            following = templates.next_iteration(latest, None, keep.value, number)
            target = paths.iteration_path(folder, number, following.title)
            store.save(following, target)
        except (IndexError, ValueError, FormatError, OSError) as exc:
            result.object = f'<p role="alert">{html.escape(str(exc))}</p>'
            return
        table.object = _workshop_table(folder)
        href = f"./{BOARD_ROUTE}?session={quote(session_name(target))}"
        result.object = f'<p><a href="{html.escape(href)}">{html.escape(t("open_board"))}</a></p>'

    start.on_click(_next)
    groups = pn.widgets.MultiChoice(
        name=t("merge_groups"), options=[p.name for p in paths.iterations(folder)]
    )
    merge_button = pn.widgets.Button(name=t("merge_button"))

    def _merge(_event) -> None:
        try:
            target = merge_breakouts(folder, list(groups.value))
        except (ValueError, FormatError, OSError) as exc:
            result.object = f'<p role="alert">{html.escape(str(exc))}</p>'
            return
        table.object = _workshop_table(folder)
        groups.options = [p.name for p in paths.iterations(folder)]
        href = f"./{BOARD_ROUTE}?session={quote(session_name(target))}"
        result.object = f'<p><a href="{html.escape(href)}">{html.escape(t("open_board"))}</a></p>'

    merge_button.on_click(_merge)
    return pn.Column(
        table,
        pn.Row(keep, start),
        pn.Row(groups, merge_button),
        result,
        sizing_mode="stretch_width",
    )


def merge_breakouts(folder: Path, names: list[str]) -> Path:
    """Merge the chosen breakout sessions of a workshop into its next iteration."""
    from canvas.format import breakout

    if len(names) < 2:
        raise ValueError(t("merge_need_two"))
    files = [folder / name for name in names]
    if any(f.parent != folder or not paths.SESSION_NAME.fullmatch(f.name) for f in files):
        raise ValueError("not a session of this workshop")
    result = breakout.merge_files(files)[0]
    number = max(
        int(paths.SESSION_NAME.fullmatch(p.name).group(1)) for p in paths.iterations(folder)
    )
    target = paths.iteration_path(folder, number + 1, result.session.title)
    store.save_checked(result.session, target)
    return target


def _workshop_blocks() -> list[pn.viewable.Viewable]:
    root = paths.sessions_dir()
    folders = sorted(p for p in root.iterdir() if p.is_dir() and paths.is_slug(p.name))
    return [_workshop_block(folder) for folder in folders if paths.iterations(folder)]


def start_page() -> pn.viewable.Viewable:
    """All workshops with their iterations, and a form to start a new workshop."""
    access = ACCESS or Access(secret=b"local", loopback=True)
    if not (access.open or _signed_in()):
        return _message_page(t("need_access"), signin=True)
    listing = pn.Column(*_workshop_blocks(), sizing_mode="stretch_width")
    name = pn.widgets.TextInput(name=t("workshop_name"), max_length=40)
    template = pn.widgets.Select(name=t("template"), options=list(templates.bundled()))
    create = pn.widgets.Button(name=t("create"), button_type="primary")
    result = pn.pane.HTML("")

    def _create(_event) -> None:
        try:
            folder = paths.workshop_dir(name.value.strip())
            if paths.iterations(folder):
                raise ValueError(f"workshop {name.value.strip()!r} exists already")
            session = templates.start_workshop(templates.load_template(template.value), folder.name)
            target = paths.iteration_path(folder, 1, session.title)
            store.save(session, target)
        except (ValueError, FormatError, OSError) as exc:
            result.object = f'<p role="alert">{html.escape(str(exc))}</p>'
            return
        href = f"./{BOARD_ROUTE}?session={quote(session_name(target))}"
        result.object = f'<p><a href="{html.escape(href)}">{html.escape(t("open_board"))}</a></p>'
        listing.objects = _workshop_blocks()

    create.on_click(_create)
    return pn.Column(
        pn.pane.HTML(f"<h1>{html.escape(t('workshops'))}</h1>"),
        listing,
        pn.pane.HTML(f"<h2>{html.escape(t('new_workshop'))}</h2>"),
        pn.Row(name, template),
        create,
        result,
        sizing_mode="stretch_width",
        styles={"max-width": "70rem", "padding": "1rem"},
    )


_FORM = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font:1rem system-ui;max-width:30rem;margin:3rem auto;padding:0 1rem}}
label,input,button{{display:block;font:inherit;margin:.4rem 0}}input{{min-height:2rem;width:100%}}
button{{min-height:2.2rem;padding:0 1rem}}.error{{color:#8c1d18;font-weight:600}}</style></head>
<body><main><h1>{title}</h1>{error}<form method="post"><label for="f">{label}</label>
<input id="f" name="{field}" type="{kind}" required autocomplete="{complete}" autofocus>
<button type="submit">{button}</button></form></main></body></html>"""


def _form(
    title: str, label: str, field: str, kind: str, button: str, error: str = "", lang: str = "en"
) -> str:
    return _FORM.format(
        lang=lang,
        title=html.escape(title),
        label=html.escape(label),
        field=field,
        kind=kind,
        complete="current-password" if kind == "password" else "off",
        button=html.escape(button),
        error=f'<p class="error" role="alert">{html.escape(error)}</p>' if error else "",
    )


class _Handler(tornado.web.RequestHandler):
    @property
    def lang(self) -> str:
        lang = self.get_argument("lang", "en")
        return lang if lang in languages() else "en"

    def t(self, key: str) -> str:
        return translate(key, self.lang)


class SignInHandler(_Handler):
    """The facilitator's sign-in: a password checked against the stored hash."""

    def initialize(self, access: Access) -> None:
        self.access = access

    def _page(self, error: str = "") -> str:
        t = self.t
        return _form(
            t("sign_in"), t("password"), "password", "password", t("sign_in"), error, self.lang
        )

    def get(self) -> None:
        if not self.access.password_hash:
            self.redirect("./")
            return
        self.write(self._page())

    def post(self) -> None:
        if not self.access.check(self.get_body_argument("password", "")):
            self.set_status(403)
            self.write(self._page(self.t("wrong_password")))
            return
        self.set_signed_cookie(COOKIE, "1", expires_days=1, httponly=True, samesite="Strict")
        self.redirect("./")


class JoinHandler(_Handler):
    """Participants type the code shown on the facilitator's screen."""

    def _page(self, error: str = "") -> str:
        t = self.t
        return _form(
            t("join_with_code"), t("join_code"), "code", "text", t("join"), error, self.lang
        )

    def get(self) -> None:
        self.write(self._page())

    def post(self) -> None:
        code = self.get_body_argument("code", "").strip().lower()
        root = paths.sessions_dir()
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and paths.is_slug(p.name)):
            for path in paths.iterations(folder):
                name = session_name(path, root)
                if ACCESS is not None and code and code == ACCESS.join_code(name):
                    self.redirect(f"./{BOARD_ROUTE}?session={quote(name)}&join={code}")
                    return
        self.set_status(404)
        self.write(self._page(self.t("unknown_code")))


def trends(default_workshop: str) -> pn.viewable.Viewable:
    """Trends across all iterations of ``?workshop=``, for facilitators."""
    access = ACCESS or Access(secret=b"local", loopback=True)
    if not (access.open or _signed_in()):
        return _message_page(t("need_access"), signin=True)
    try:
        folder = paths.workshop_dir(_arg("workshop") or default_workshop)
    except ValueError as exc:
        return _message_page(str(exc))
    from canvas.view.trends import trends_page

    return trends_page(folder, _lang())


class ExportHandler(_Handler):
    """A snapshot export of a session for anyone who may see its board.

    The file is made on a worker thread (never on the event loop); the page shows that it
    is being prepared until the download starts. Exports show the board as observers see
    it: hidden and unrevealed private notes are left out.
    """

    async def get(self) -> None:
        from canvas.live.ops import Actor
        from canvas.view import export

        fmt = self.get_argument("format", "")
        name = self.get_argument("session", "")
        try:
            path = resolve_session(name)
            name = session_name(path)
        except ValueError as exc:
            raise tornado.web.HTTPError(404, str(exc)) from None
        if fmt not in (*export.FORMATS, export.BUNDLE):
            raise tornado.web.HTTPError(400, "unknown format")
        signed = self.get_signed_cookie(COOKIE, max_age_days=1) == b"1"
        role = (
            ACCESS.role(
                name,
                join=self.get_argument("join", ""),
                view=self.get_argument("view", ""),
                review=self.get_argument("review", ""),
                signed_in=signed,
            )
            if ACCESS
            else "facilitator"
        )
        if role is None:
            raise tornado.web.HTTPError(403)
        session = HUB.room(path).session
        earlier = [p for p in paths.iterations(path.parent) if p.name < path.name]
        loop = tornado.ioloop.IOLoop.current()

        def make() -> bytes:
            from canvas.live.wire import visible

            previous = store.load(earlier[-1]) if earlier else None
            viewer = Actor(role="observer", pid="")
            shown = replace(
                session,
                notes={k: n for k, n in session.notes.items() if visible(n, viewer)},
            )
            return export.render(
                shown if fmt != "yaml" else session, fmt, lang=self.lang, previous=previous
            )

        data = await loop.run_in_executor(None, make)
        filename = export.default_name(session, fmt)
        types = {
            "html": "text/html; charset=utf-8",
            "png": "image/png",
            "svg": "image/svg+xml",
            "pdf": "application/pdf",
            "md": "text/markdown; charset=utf-8",
            "csv": "text/csv; charset=utf-8",
            "yaml": "application/yaml; charset=utf-8",
            "bundle": "application/zip",
        }
        self.set_header("Content-Type", types[fmt])
        self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        self.set_header("X-Content-Type-Options", "nosniff")
        self.write(data)


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
    **kwargs,
):
    """Serve the board of ``session`` at ``/`` and ``/board``, and the start page."""
    global ACCESS
    ACCESS = access
    default = session_name(session)
    HUB.room(session)  # open (and sweep) before the first page, off any event loop
    gc.freeze()  # what is loaded now lives as long as the server: keep it out of collections
    _no_delay()
    origins = [f"{address}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"]

    def board() -> pn.viewable.Viewable:
        return board_page(default)

    os.environ.setdefault("BOKEH_PY_LOG_LEVEL", "warning")
    # SIGTERM (a service manager, a test fixture) ends the server like Ctrl+C, so the
    # pending save below still happens.
    signal.signal(signal.SIGTERM, _stop)
    try:
        return pn.serve(
            {
                "/": board,
                BOARD_ROUTE: board,
                START_ROUTE: start_page,
                TRENDS_ROUTE: lambda: trends(session.parent.name),
            },
            port=port,
            address=address,
            show=show,
            title="Three Horizons Canvas",
            websocket_origin=origins,
            cookie_secret=access.secret.hex(),
            extra_patterns=[
                (r"/signin", SignInHandler, {"access": access}),
                (r"/join", JoinHandler),
                (r"/export", ExportHandler),
            ],
            **kwargs,
        )
    except KeyboardInterrupt:
        return None
    finally:
        HUB.close()


def _stop(_signum, _frame) -> None:
    raise KeyboardInterrupt
