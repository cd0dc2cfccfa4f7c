"""Every way out of a served board, for every role, against every secret it holds.

A server with a facilitator password runs a workshop in which participant A writes a private
note, the facilitator hides a note, participant B votes under a name kept only in the ballot,
and the iteration before this one cannot be read (so refusals have a server path to leak).
Then the facilitator, A, B, an observer, a reviewer and a stranger each take every route out:
the board page and everything its WebSocket brought (snapshot, patches, statuses, presence),
the review filter, compare mode, and every export format. Only the facilitator sees the
secrets (the board shows them the private and hidden notes, the session file everything),
A sees A's private note live on the board, and nobody ever sees a server path.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from tornado.httpclient import AsyncHTTPClient

from canvas.domain.model import Ballot, Voting
from canvas.domain.visibility import project
from canvas.format import store
from canvas.live.access import Access, load_secret
from canvas.live.identity import PERSON_COOKIE
from canvas.view.export import render

import wsclient

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long facilitator password"
SESSION = "wales-2022/02-steering-review"
PRIVATE = "PRIVATE-NOTE-OF-ANN"
HIDDEN = "NOTE-HIDDEN-BY-LEAD"
VOTER = "Vera-Ballot-Name"
ROLES = ("facilitator", "participant A", "participant B", "observer", "reviewer", "stranger")
FORMATS = ("html", "svg", "md", "csv", "yaml", "bundle", "pdf", "png")


def _pid(cookies: dict) -> str:
    payload = cookies[PERSON_COOKIE].strip('"').split(".")[0]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))[0]


async def _scenario(port: int, codes: dict, lead: dict) -> dict:
    """Run the workshop; returns what each role's live page received, and A's cookies."""
    http = AsyncHTTPClient(force_instance=True)
    base = f"http://127.0.0.1:{port}/board?session={SESSION}"
    pages = {
        "facilitator": wsclient.Client("facilitator", base, port, lead),
        "participant A": wsclient.Client("A", f"{base}&join={codes['join']}", port),
        "participant B": wsclient.Client("B", f"{base}&join={codes['join']}", port),
        "observer": wsclient.Client("O", f"{base}&view={codes['view']}", port),
        "reviewer": wsclient.Client("R", f"{base}&review={codes['review']}", port),
    }
    html: dict[str, bytes] = {}
    try:
        for page in pages.values():
            await page.join(http, 60)
        lead_page, a, b = pages["facilitator"], pages["participant A"], pages["participant B"]
        steps = [
            (lead_page, {"op": "facilitate", "private": True}),
            (a, {"op": "add", "id": "a-private", "x": 0.3, "y": 0.4, "text": PRIVATE}),
            (lead_page, {"op": "facilitate", "private": False}),
            (lead_page, {"op": "add", "id": "h-1", "x": 0.6, "y": 0.4, "text": "soon hidden"}),
            (lead_page, {"op": "hide", "id": "h-1", "hidden": True}),
            (lead_page, {"op": "edit", "id": "h-1", "text": HIDDEN}),
        ]
        for page, op in steps:
            assert (await page.change(op))["type"] == "ack", op
        await b.send_op({"op": "name", "name": "Ben"})
        assert (await b.change({"op": "vote", "id": "n-0001", "delta": 1}))["type"] == "ack"
        for page in pages.values():
            await page.send_op({"op": "changed_since", "iteration": 1})
        # Until every page has its answer to the review filter and the board is saved.
        await wsclient.until(
            lambda: (
                all(
                    any(
                        m.get("iteration") == 1 or "iteration 1" in str(m.get("message"))
                        for m in p.messages
                    )
                    for p in pages.values()
                )
                and lead_page.saved_seq >= max(lead_page.acks.values())
            )
        )
        for role, page in pages.items():
            html[role] = page.page_html + json.dumps(page._doc.result()).encode()
        received = {
            role: html[role] + json.dumps(page.messages).encode() for role, page in pages.items()
        }
        return {"live": received, "A": dict(a.cookies), "B": dict(b.cookies)}
    finally:
        for page in pages.values():
            await page.close()
        http.close()


async def _compare(port: int, credentials: dict) -> dict[str, bytes]:
    """What each role's page in compare mode (with the iteration before) holds."""
    http = AsyncHTTPClient(force_instance=True)
    seen = {}
    try:
        for role, (query, cookies) in credentials.items():
            args = "".join(f"&{k}={v}" for k, v in query.items())
            url = f"http://127.0.0.1:{port}/board?session={SESSION}{args}"
            page = wsclient.Client(role, f"{url}&compare=wales-2022/00-kept", port, cookies)
            try:
                await page.join(http, 60)
                await asyncio.sleep(0.3)
                seen[role] = (
                    page.page_html + json.dumps([page._doc.result(), page.messages]).encode()
                )
            except RuntimeError:  # no way in: the page has no board to pull
                seen[role] = page.page_html
            finally:
                await page.close()
    finally:
        http.close()
    return seen


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    shutil.copytree(ROOT / "sessions", home / "sessions")
    folder = home / "sessions" / "wales-2022"
    shutil.copy(folder / "01-user-research.yaml", folder / "00-kept.yaml")
    (folder / "01-user-research.yaml").write_text("format: nonsense\n", encoding="utf-8")
    # A dot vote is open, and someone who has left the room already gave their dots.
    path = folder / "02-steering-review.yaml"
    session = store.load(path)
    ballot = Ballot(name=VOTER, notes={"n-0002": 2})
    voting = Voting(open=True, budget=5, ballots={"p-0123456789abcdef": ballot})
    store.save(replace(session, voting=voting), path)
    secret = load_secret(home)
    access = Access(secret=secret)
    codes = {k: getattr(access, f"{k}_code")(SESSION) for k in ("join", "view", "review")}
    port = wsclient.free_port()
    env = {"HORIZONS_FACILITATOR_PASSWORD": PASSWORD}
    proc = wsclient.start(home, "wales-2022", port, env=env)
    try:
        lead = wsclient.sign_in(port, PASSWORD)
        assert lead, "the facilitator could not sign in"
        seen = wsclient.run(_scenario(port, codes, lead))
        credentials = {
            "facilitator": ({}, lead),
            "participant A": ({"join": codes["join"]}, seen["A"]),
            "participant B": ({"join": codes["join"]}, seen["B"]),
            "observer": ({"view": codes["view"]}, {}),
            "reviewer": ({"review": codes["review"]}, {}),
            "stranger": ({}, {}),
        }
        routes = {role: {} for role in ROLES}
        for role, (query, cookies) in credentials.items():
            routes[role]["live"] = seen["live"].get(role, b"")
            args = "".join(f"&{k}={v}" for k, v in query.items())
            board = f"http://127.0.0.1:{port}/board?session={SESSION}{args}"
            routes[role]["board (no script)"] = wsclient.http_get(board, cookies)[2]
            for fmt in FORMATS:
                url = f"http://127.0.0.1:{port}/export?session={SESSION}&format={fmt}{args}"
                status, headers, body = wsclient.http_get(url, cookies)
                routes[role][f"export {fmt}"] = (status, dict(headers), body)
        for role, held in wsclient.run(_compare(port, credentials)).items():
            routes[role]["compare"] = held
        yield {"home": home, "routes": routes, "pid": _pid(seen["A"]), "port": port}
    finally:
        wsclient.stop(proc)


def _text(value) -> bytes:
    """Everything a route delivered, with zip members opened."""
    if isinstance(value, tuple):
        _, headers, body = value
        value = json.dumps(headers).encode() + body
        if body.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                value += b"".join(archive.read(n) for n in archive.namelist())
    return value


def _secrets(workshop) -> dict[str, bytes]:
    return {
        "A's private note": PRIVATE.encode(),
        "a hidden note": HIDDEN.encode(),
        "a voter's name": VOTER.encode(),
        "a participant id": workshop["pid"].encode(),
        "a voter's id": b"p-0123456789abcdef",
        "a server path": str(workshop["home"]).encode(),
    }


def _may_see(role: str, route: str, secret: str) -> bool:
    if secret == "a server path":
        return False
    if role == "facilitator":
        return True
    if route in ("live", "compare"):  # A's own board, live
        return (role, secret) == ("participant A", "A's private note")
    return False


CASES = [
    (role, route, secret)
    for role in ROLES
    for route in ("live", "board (no script)", "compare", *(f"export {f}" for f in FORMATS))
    for secret in (
        "A's private note",
        "a hidden note",
        "a voter's name",
        "a participant id",
        "a voter's id",
        "a server path",
    )
]


@pytest.mark.slow
@pytest.mark.parametrize(("role", "route", "secret"), CASES)
def test_only_the_facilitator_sees_the_secrets(workshop, role, route, secret):
    delivered = _text(workshop["routes"][role][route])
    found = _secrets(workshop)[secret] in delivered
    if not _may_see(role, route, secret):
        assert not found, f"{role} got {secret} through {route}"


def test_the_facilitator_sees_them_where_they_live(workshop):
    routes = workshop["routes"]["facilitator"]
    secrets = _secrets(workshop)
    assert secrets["A's private note"] in routes["live"]
    assert secrets["a hidden note"] in routes["live"]
    status, _, yaml = routes["export yaml"]
    assert status == 200
    names = ("A's private note", "a hidden note", "a voter's name", "a participant id")
    for name in (*names, "a voter's id"):
        assert secrets[name] in yaml, name


def test_a_sees_their_private_note_live_and_b_does_not(workshop):
    routes = workshop["routes"]
    assert PRIVATE.encode() in routes["participant A"]["live"]
    assert PRIVATE.encode() not in routes["participant B"]["live"]


@pytest.mark.parametrize("role", ROLES[1:])
def test_the_session_file_is_the_facilitators(workshop, role):
    status, _, _ = workshop["routes"][role]["export yaml"]
    assert status == 403


@pytest.mark.parametrize("role", ROLES[1:5])
@pytest.mark.parametrize("fmt", ["pdf", "png"])
def test_pictures_are_drawn_from_what_the_role_may_see(workshop, role, fmt):
    status, headers, body = workshop["routes"][role][f"export {fmt}"]
    assert status == 200
    assert headers.get("X-Horizons-Left-Out") == "01-user-research.yaml"
    whole = store.loads(workshop["routes"]["facilitator"]["export yaml"][2])
    kind = "participant" if role.startswith("participant") else role
    assert body == render(project(whole, kind, ""), fmt)


def test_a_stranger_gets_nothing(workshop):
    routes = workshop["routes"]["stranger"]
    for fmt in FORMATS:
        assert routes[f"export {fmt}"][0] == 403
