"""The served pages: the board of one session, and the start page of all workshops.

The page functions run anew for every browser session, so they stay thin: the rooms live in
:mod:`canvas.hub`, imported once per process. Session names from the browser are checked
here against the folder layout before any file is touched.
"""

from __future__ import annotations

import html
import os
import signal
from pathlib import Path
from urllib.parse import quote

import panel as pn

from canvas import paths, store, templates
from canvas.board import Board
from canvas.hub import HUB
from canvas.i18n import t
from canvas.problems import FormatError

BOARD_ROUTE = "board"
START_ROUTE = "workshops"


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


def _message_page(text: str) -> pn.viewable.Viewable:
    return pn.pane.HTML(
        f'<main style="font:1rem system-ui;padding:2rem"><p>{html.escape(text)}</p>'
        f'<p><a href="./{START_ROUTE}">{html.escape(t("all_workshops"))}</a></p></main>'
    )


def board_page(default: str | None = None) -> pn.viewable.Viewable:
    """The board of the session named in ``?session=``, or of the default session."""
    args = pn.state.session_args if pn.state.curdoc else {}
    raw = args.get("session", [b""])[0].decode("utf-8", "replace") or default or ""
    lang = args.get("lang", [b"en"])[0].decode("ascii", "replace")
    try:
        path = resolve_session(raw)
        room = HUB.room(path)
    except (ValueError, FormatError) as exc:
        return _message_page(str(exc))
    board = Board(room, lang=lang)
    if pn.state.curdoc:
        pn.state.on_session_destroyed(lambda _ctx: board.close())
    return board


def _workshop_list() -> str:
    parts = [f"<h1>{html.escape(t('workshops'))}</h1>"]
    root = paths.sessions_dir()
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and paths.is_slug(p.name)):
        items = []
        for path in paths.iterations(folder):
            try:
                session = store.load(path)
                label = f"{session.iteration:02d} · {session.title}"
                if session.date:
                    label += f" ({session.date})"
            except FormatError:
                label = f"{path.name} (invalid)"
            href = f"./{BOARD_ROUTE}?session={quote(session_name(path))}"
            items.append(f'<li><a href="{html.escape(href)}">{html.escape(label)}</a></li>')
        parts.append(f"<h2>{html.escape(folder.name)}</h2><ul>{''.join(items)}</ul>")
    return "".join(parts)


def start_page() -> pn.viewable.Viewable:
    """All workshops with their iterations, and a form to start a new workshop."""
    listing = pn.pane.HTML(_workshop_list(), sizing_mode="stretch_width")
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
        listing.object = _workshop_list()

    create.on_click(_create)
    return pn.Column(
        listing,
        pn.pane.HTML(f"<h2>{html.escape(t('new_workshop'))}</h2>"),
        pn.Row(name, template),
        create,
        result,
        sizing_mode="stretch_width",
        styles={"max-width": "60rem", "padding": "1rem"},
    )


def serve(
    session: Path,
    *,
    port: int = 5006,
    address: str = "127.0.0.1",
    show: bool = False,
    **kwargs,
):
    """Serve the board of ``session`` at ``/`` and ``/board``, and the start page."""
    default = session_name(session)
    HUB.room(session)  # open (and sweep) before the first page, off any event loop
    origins = [f"{address}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"]

    def board() -> pn.viewable.Viewable:
        return board_page(default)

    os.environ.setdefault("BOKEH_PY_LOG_LEVEL", "warning")
    # SIGTERM (a service manager, a test fixture) ends the server like Ctrl+C, so the
    # pending save below still happens.
    signal.signal(signal.SIGTERM, _stop)
    try:
        return pn.serve(
            {"/": board, BOARD_ROUTE: board, START_ROUTE: start_page},
            port=port,
            address=address,
            show=show,
            title="Three Horizons Canvas",
            websocket_origin=origins,
            **kwargs,
        )
    except KeyboardInterrupt:
        return None
    finally:
        HUB.close()


def _stop(_signum, _frame) -> None:
    raise KeyboardInterrupt
