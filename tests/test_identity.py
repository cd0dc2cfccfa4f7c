"""Identity is the server's: issued at join in a signed HttpOnly cookie, never taken from what
a page says; limits and budgets follow the person; names cannot pass for a role."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from tornado.httpclient import AsyncHTTPClient

from canvas.domain.model import Ballot, Voting
from canvas.format import store
from canvas.live.access import Access, load_secret
from canvas.live.identity import PERSON_COOKIE, Identities, impersonates

import wsclient

ROOT = Path(__file__).resolve().parent.parent
SESSION = "wales-2022/02-steering-review"


# ---------------------------------------------------------------------------------------------
# The credentials themselves


def test_a_credential_proves_its_person_and_nothing_else():
    clock = [1_000_000.0]
    ids = Identities(b"k" * 32, clock=lambda: clock[0])
    person, value = ids.issue()
    assert ids.person(value) == person
    assert ids.issue()[0].pid != person.pid
    payload, signature = value.split(".")
    forged = base64.urlsafe_b64encode(json.dumps(["p-0000000000000000", 1_000_000]).encode())
    assert ids.person(f"{forged.decode().rstrip('=')}.{signature}") is None
    assert ids.person(value + "x") is None
    assert ids.person(value.replace(payload, payload[::-1])) is None
    assert Identities(b"o" * 32, clock=lambda: clock[0]).person(value) is None
    assert not ids.facilitator(value)  # a participant's credential is not a facilitator's
    assert ids.person(ids.signed_in()) is None
    clock[0] += 25 * 3600
    assert ids.person(value) is None  # a day later it has expired


@pytest.mark.parametrize(
    "name",
    ["Facilitator", "the facilitator", "Hwylusydd", "FACILITATOR ", "Fácilitator", "Observer 2"]
    + ["Sylwedydd", "reviewer", "Admin", "Ann (facilitator)", "facilitator's helper"],
)
def test_names_that_pass_for_a_role_are_refused(name):
    assert impersonates(name)


@pytest.mark.parametrize("name", ["Ann", "Felicity", "Dewi", "Facile", "Obi", "Ffion", ""])
def test_ordinary_names_are_fine(name):
    assert not impersonates(name)


# ---------------------------------------------------------------------------------------------
# A served board


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    shutil.copytree(ROOT / "sessions", home / "sessions")
    path = home / "sessions" / f"{SESSION}.yaml"
    session = store.load(path)
    store.save(replace(session, voting=Voting(open=True, budget=5)), path)
    code = Access(secret=load_secret(home)).join_code(SESSION)
    port = wsclient.free_port()
    proc = wsclient.start(home, "wales-2022", port)
    try:
        yield home, port, code
    finally:
        wsclient.stop(proc)


def _pid(cookies: dict) -> str:
    payload = cookies[PERSON_COOKIE].strip('"').split(".")[0]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))[0]


async def _page(port: int, query: str = "", cookies: dict | None = None) -> wsclient.Client:
    http = AsyncHTTPClient(force_instance=True)
    url = f"http://127.0.0.1:{port}/board?session={SESSION}{query}"
    page = wsclient.Client("page", url, port, cookies)
    await page.join(http, 60)
    return page


def test_a_hello_with_another_participants_id_gets_neither_their_notes_nor_their_rights(server):
    _, port, code = server

    async def run():
        lead = await _page(port)
        ann = await _page(port, f"&join={code}")
        ben = await _page(port, f"&join={code}")
        try:
            assert (await lead.change({"op": "facilitate", "private": True}))["type"] == "ack"
            made = {"op": "add", "id": "ann-secret", "x": 0.3, "y": 0.3, "text": "ann's own"}
            assert (await ann.change(made))["type"] == "ack"
            made = {"op": "add", "id": "ann-open", "x": 0.3, "y": 0.3, "text": "ann's open"}
            assert (await lead.change({"op": "facilitate", "private": False}))["type"] == "ack"
            assert (await ann.change(made))["type"] == "ack"
            assert (await ann.change({"op": "vote", "id": "ann-open", "delta": 1}))["type"] == "ack"
            victim = _pid(ann.cookies)
            await ben.send_op({"op": "hello", "name": "Ben", "pid": victim})
            await ben.send_op({"op": "hello", "name": "Ben", "pid": "facilitator"})
            tries = [
                {"op": "edit", "id": "ann-open", "text": "taken over"},
                {"op": "delete", "ids": ["ann-open"]},
                {"op": "edit", "id": "ann-secret", "text": "taken over"},
                {"op": "vote", "id": "ann-open", "delta": -1},
                {"op": "reveal"},
            ]
            answers = [await ben.change(op) for op in tries]
            # A cookie naming Ann's id without her signature is no one's: the page joins
            # as a new person, as anyone with the code may.
            forged = {PERSON_COOKIE: f'"{victim}.x"'}
            impostor = await _page(port, f"&join={code}", forged)
            await impostor.close()
            path = server[0] / "sessions" / f"{SESSION}.yaml"
            await wsclient.until(
                lambda: (
                    "ann-open"
                    in store.load(path).voting.ballots.get(_pid(ann.cookies), Ballot()).notes
                )
            )
            return ann, ben, answers, impostor
        finally:
            for page in (lead, ann, ben):
                await page.close()

    ann, ben, answers, impostor = wsclient.run(run())
    assert _pid(ann.cookies) != _pid(ben.cookies)
    assert [a["type"] for a in answers] == ["refused"] * len(answers)
    assert "your own notes" in answers[0]["message"]
    assert "no vote on this note" in answers[3]["message"]
    assert b"ann's own" not in json.dumps(ben.messages).encode()
    assert all(m.get("type") != "identity" or "pid" not in m for m in ben.messages)
    saved = store.load(server[0] / "sessions" / f"{SESSION}.yaml")
    assert saved.notes["ann-open"].text == "ann's open"
    assert saved.notes["ann-secret"].private and saved.notes["ann-secret"].text == "ann's own"
    assert saved.voting.ballots[_pid(ann.cookies)].notes == {"ann-open": 1}
    assert _pid(impostor.cookies) not in (_pid(ann.cookies), _pid(ben.cookies))
    assert b"ann's own" not in json.dumps(impostor.messages).encode()


def test_the_51st_note_and_the_sixth_dot_are_refused_whatever_the_page_sends(server):
    _, port, code = server

    async def run():
        first = await _page(port, f"&join={code}")
        pages = [first]
        try:
            for _ in range(3):  # fresh pages of the same person: the same cookie
                pages.append(await _page(port, f"&join={code}", first.cookies))
            replies = []
            for i in range(51):
                page = pages[i // 17]  # each page stays within its own rate limit
                if i % 17 == 0:
                    await page.send_op({"op": "hello", "pid": f"p-{i:016x}", "name": "Cai"})
                op = {"op": "add", "id": f"cai-{i:02d}", "x": 0.2, "y": 0.6, "text": f"{i}"}
                replies.append(await page.change(op))
            dots = []
            for i in range(6):
                page = pages[3] if i < 5 else await _page(port, f"&join={code}", first.cookies)
                pages.append(page)
                await page.send_op({"op": "hello", "pid": "p-ffffffffffffffff", "name": "Cai"})
                dots.append(await page.change({"op": "vote", "id": f"cai-{i:02d}", "delta": 1}))
            return replies, dots, {_pid(p.cookies) for p in pages}
        finally:
            for page in pages:
                await page.close()

    replies, dots, people = wsclient.run(run())
    assert len(people) == 1  # every page was the same person
    assert [r["type"] for r in replies] == ["ack"] * 50 + ["refused"]
    assert "the most one person may add" in replies[-1]["message"]
    assert [d["type"] for d in dots] == ["ack"] * 5 + ["refused"]
    assert "used all 5 of your votes" in dots[-1]["message"]


def test_names_that_pass_for_a_role_never_reach_the_room(server):
    _, port, code = server

    async def run():
        lead = await _page(port)
        guest = await _page(port, f"&join={code}")
        try:
            for name in ("Facilitator", "Hwylusydd", "Dewi"):
                await guest.send_op({"op": "name", "name": name})
            await lead.send_op({"op": "name", "name": "Facilitator"})
            for _ in range(200):  # until the room has told the facilitator both names
                people = [m["people"] for m in lead.messages if m.get("type") == "presence"]
                names = {p["name"] for p in people[-1]} if people else set()
                if {"Dewi", "Facilitator"} <= names:
                    break
                await asyncio.sleep(0.05)
            return lead, guest
        finally:
            await lead.close()
            await guest.close()

    lead, guest = wsclient.run(run())
    refused = [m["message"] for m in guest.messages if m.get("type") == "refused"]
    assert len(refused) == 2 and all("kept for the workshop's roles" in m for m in refused)
    people = [m["people"] for m in lead.messages if m.get("type") == "presence"][-1]
    names = {(p["name"], p["role"]) for p in people}
    assert ("Dewi", "participant") in names
    assert ("Facilitator", "facilitator") in names
    assert not any(p["role"] == "participant" and impersonates(p["name"]) for p in people)
