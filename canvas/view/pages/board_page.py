"""The board page: one session's live board as the visitor's role allows.

The role comes from the server's own checks (a code in the link, or the facilitator's
sign-in); the session name from the URL is resolved inside ``sessions/`` before any file is
touched.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import panel as pn
import segno

from canvas.format import paths, store, workshops
from canvas.format.problems import FormatError
from canvas.live.access import Access, workshop_of
from canvas.live.actor import Actor
from canvas.live.hub import HUB, Room
from canvas.live.identity import NeedsJoin
from canvas.live.places import RoomFull
from canvas.live.wire import compare_view
from canvas.view.board import Board
from canvas.view.pages.message import message_page
from canvas.view.pages.site import BOARD_ROUTE, Site, arg, cookies, lang, t


def join_info(name: str, access: Access, path: Path | None = None, prefix: str = "") -> dict:
    """What the facilitator shows the room: the workshop's join link and code (with a QR
    code), which open whichever iteration is current, so the room joins once for the day;
    the observers' link and the reviewers' link (this iteration's).

    The reviewers' link opens on the story: compare mode against the previous iteration,
    when there is one (read-only for reviewers, as every compare page is).
    """
    host = (pn.state.headers.get("Host") if pn.state.curdoc else None) or "127.0.0.1:5006"
    base = f"http://{host}{prefix}/{BOARD_ROUTE}?session={quote(name)}"
    workshop = workshop_of(name)
    join = access.workshop_code(workshop)
    link = f"http://{host}{prefix}/{BOARD_ROUTE}?session={quote(workshop)}&join={join}"
    qr = segno.make(link, error="m")
    return {
        "code": join,
        "link": link,
        "observe": f"{base}&view={access.view_code(name)}",
        "review": f"{base}&review={access.review_code(name)}{_against_previous(path)}",
        "qr": ["".join("1" if cell else "0" for cell in row) for row in qr.matrix],
    }


def _against_previous(path: Path | None) -> str:
    earlier = workshops.previous(path) if path is not None else None
    return f"&compare={quote(workshops.session_name(earlier))}" if earlier is not None else ""


def board_page(site: Site) -> pn.viewable.Viewable:
    """The board of the session named in ``?session=``, or of the server's default."""
    raw = arg("session") or site.default
    try:
        path = workshops.resolve(raw)
        name = workshops.session_name(path)
    except ValueError as exc:
        return message_page(str(exc))
    codes = {key: arg(key)[:64] for key in ("join", "view", "review")}
    try:
        who = site.visitor(name, cookies(), **codes)
    except NeedsJoin:
        return message_page(t("need_cookies"))
    if who is None:
        return message_page(t("need_access"), signin=True)
    actor = who.actor
    try:
        # The page is a shell: the board comes over the room channel, from the process that
        # owns the workshop (perhaps another one). This one reads a room only if it holds it.
        room = HUB.opened(path)
        compare = compare_payload(path, room, arg("compare"), actor)
        board = Board(
            room,
            who,
            lang=lang(),
            join=join_info(name, site.access, path, site.prefix) if actor.facilitator else {},
            iterations=earlier_iterations(path),
            compare=compare,
            read_only=reads_only(path, arg("compare"), arg("edit"), actor),
            session_name=name,
            present=arg("present") == "1",
        )
    except (ValueError, FormatError, RoomFull) as exc:
        return message_page(public_message(exc))
    return board


def reads_only(path: Path, against: str, edit: str, actor: Actor) -> bool:
    """Whether a page compares with another iteration (``?compare=``), for reading: it may
    send comments only, unless the facilitator switches editing on (``&edit=1``). The page
    and its room channel decide it alike, each from the page's own query."""
    if not against:
        return False
    try:
        if workshops.resolve(against) == path:
            return False
    except ValueError:
        return True
    return not (actor.facilitator and edit == "1")


def public_message(exc: Exception) -> str:
    """An error as a page may show it: a file is named by its name, never where it lives."""
    if isinstance(exc, FormatError):
        return "; ".join(str(replace(p, source=Path(p.source).name)) for p in exc.problems[:3])
    return str(exc)


def compare_payload(path: Path, room: Room | None, against: str, actor: Actor) -> dict:
    """The compare-mode payload when ``?compare=WORKSHOP/NN-slug`` names another session.

    Only the facilitator may compare with another workshop's session: a code opens one
    workshop's board, and with it that workshop's earlier iterations, never another's.
    """
    if not against:
        return {}
    other = workshops.resolve(against)
    if other == path:
        return {}
    if not actor.facilitator and paths.real(other.parent) != paths.real(path.parent):
        raise ValueError(f"{against!r} is not an iteration of this workshop")
    before = store.load(other)
    session = room.session if room is not None else store.load(path)
    label = {
        "name": workshops.session_name(other),
        "iteration": before.iteration,
        "title": (before.title_cy if lang() == "cy" else "") or before.title,
    }
    return compare_view(before, session, actor, label, lang())


def earlier_iterations(path: Path) -> list[dict]:
    """The earlier iterations of a session's workshop, for "changed since iteration N"."""
    return [
        {"number": number, "name": workshops.session_name(other)}
        for number, other in workshops.earlier(path)
    ]
