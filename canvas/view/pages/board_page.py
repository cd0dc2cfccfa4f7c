"""The board page: one session's live board as the visitor's role allows.

The role comes from the server's own checks (a code in the link, or the facilitator's
sign-in); the session name from the URL is resolved inside ``sessions/`` before any file is
touched.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import panel as pn
import segno

from canvas.domain.model import Session
from canvas.format import store, workshops
from canvas.format.problems import FormatError
from canvas.live.access import Access
from canvas.live.actor import Actor
from canvas.live.hub import HUB, RoomFull
from canvas.live.wire import compare_view
from canvas.view.board import Board
from canvas.view.pages.message import message_page
from canvas.view.pages.site import BOARD_ROUTE, Site, arg, lang, signed_in, t


def join_info(name: str, access: Access) -> dict:
    """What the facilitator shows the room: the join link and code (with a QR code), the
    observers' link and the reviewers' link."""
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


def board_page(site: Site) -> pn.viewable.Viewable:
    """The board of the session named in ``?session=``, or of the server's default."""
    raw = arg("session") or site.default
    try:
        path = workshops.resolve(raw)
        name = workshops.session_name(path)
    except ValueError as exc:
        return message_page(str(exc))
    role = site.access.role(
        name, join=arg("join"), view=arg("view"), review=arg("review"), signed_in=signed_in(site)
    )
    if role is None:
        return message_page(t("need_access"), signin=True)
    try:
        room = HUB.room(path)
        board = Board(
            room,
            lang=lang(),
            role=role,
            join=join_info(name, site.access) if role == "facilitator" else {},
            iterations=earlier_iterations(path),
            compare=compare_payload(path, room.session, arg("compare"), role),
            session_name=name,
        )
    except (ValueError, FormatError, RoomFull) as exc:
        return message_page(str(exc))
    if pn.state.curdoc:
        pn.state.on_session_destroyed(lambda _ctx: board.close())
    return board


def compare_payload(path: Path, session: Session, against: str, role: str) -> dict:
    """The compare-mode payload when ``?compare=WORKSHOP/NN-slug`` names another session."""
    if not against:
        return {}
    other = workshops.resolve(against)
    if other == path:
        return {}
    before = store.load(other)
    label = {
        "name": workshops.session_name(other),
        "iteration": before.iteration,
        "title": before.title,
    }
    return compare_view(before, session, Actor(role=role), label)


def earlier_iterations(path: Path) -> list[dict]:
    """The earlier iterations of a session's workshop, for "changed since iteration N"."""
    return [
        {"number": number, "name": workshops.session_name(other)}
        for number, other in workshops.earlier(path)
    ]
