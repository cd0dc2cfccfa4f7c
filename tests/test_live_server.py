"""A served board, driven by real WebSocket clients: changes are acknowledged with the sequence
number they got and "Saved" names what is on disk; a page cannot make the server read what it
chooses or break exports for everyone; an unreadable earlier iteration is reported and skipped."""

from __future__ import annotations

import asyncio
import os
import shutil
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from tornado.httpclient import AsyncHTTPClient

from canvas.format import store

import wsclient

ROOT = Path(__file__).resolve().parent.parent
SESSION = "02-steering-review"


server = pytest.fixture(scope="module", name="server")(wsclient.sample_server)


def _workshop(home: Path) -> str:
    """A copy of the sample workshop that belongs to one test."""
    name = f"t-{uuid.uuid4().hex[:10]}"
    shutil.copytree(home / "sessions" / "wales-2022", home / "sessions" / name)
    return name


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


async def _page(port: int, session: str, query: str = "") -> wsclient.Client:
    http = AsyncHTTPClient(force_instance=True)
    url = f"http://127.0.0.1:{port}/board?session={session}{query}"
    client = wsclient.Client("page", url, port)
    await client.join(http, 60)
    return client


def test_each_change_is_acknowledged_and_saved_names_what_is_on_disk(server):
    home, port = server
    workshop = _workshop(home)
    name = f"{workshop}/{SESSION}"
    path = home / "sessions" / workshop / f"{SESSION}.yaml"

    async def run():
        page = await _page(port, name)
        try:
            replies = [
                await page.change({"op": "add", "id": f"ack-{i}", "x": 0.4, "y": 0.4, "text": "t"})
                for i in range(3)
            ]
            refused = await page.change({"op": "edit", "id": "no-such-note", "text": "x"})
            for _ in range(100):
                if page.saved_seq >= replies[-1]["seq"]:
                    break
                await asyncio.sleep(0.05)
            return page, replies, refused
        finally:
            await page.close()

    page, replies, refused = wsclient.run(run())
    assert [r["type"] for r in replies] == ["ack"] * 3
    seqs = [r["seq"] for r in replies]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    assert refused["type"] == "refused" and refused["ref"] == 4
    assert page.status["state"] == "saved" and page.status["seq"] >= seqs[-1]
    assert len(page.shown_saved()) == 3
    assert {f"ack-{i}" for i in range(3)} <= set(store.load(path).notes)


def test_a_page_rewriting_its_own_iterations_cannot_choose_what_the_server_reads(server):
    home, port = server
    workshop = _workshop(home)
    name = f"{workshop}/{SESSION}"
    log = home / f"server-{port}.log"
    before = log.read_text(encoding="utf-8", errors="replace")
    hostile = [
        [{"number": 1, "name": "x/../../../../etc/passwd"}],
        [{"number": 1}],
        [{"number": 1, "name": 5}],
        ["x"],
        [{"number": 7, "name": f"{workshop}/01-user-research"}],
    ]

    async def run():
        page = await _page(port, name)
        try:
            for value in hostile:
                await page.set_property("iterations", value)
                await page.send_op({"op": "changed_since", "iteration": 7})
                await page.send_op({"op": "changed_since", "iteration": 1})
            await page.send_op({"op": "changed_since", "iteration": "1"})
            answers = ("changed", "refused")
            await wsclient.until(
                lambda: sum(m.get("type") in answers for m in page.messages) >= 2 * len(hostile) + 1
            )
            return page
        finally:
            await page.close()

    page = wsclient.run(run())
    changed = [m for m in page.messages if m.get("type") == "changed"]
    refused = [m["message"] for m in page.messages if m.get("type") == "refused"]
    # Iteration 1 is the server's own list's; iteration 7 exists only in the page's edits.
    assert {m["iteration"] for m in changed} == {1}
    assert len(changed) == len(hostile)
    assert refused.count("no such earlier iteration") == len(hostile) + 1
    assert not [m for m in refused if str(home) in m]
    added = log.read_text(encoding="utf-8", errors="replace")[len(before) :]
    assert "Traceback" not in added
    for fmt in ("html", "bundle", "csv"):
        status, _, body = _get(f"http://127.0.0.1:{port}/export?session={name}&format={fmt}")
        assert status == 200, (fmt, body[:300])


def test_web_export_skips_an_unreadable_earlier_iteration_and_says_so(server):
    home, port = server
    workshop = _workshop(home)
    folder = home / "sessions" / workshop
    (folder / "01-user-research.yaml").unlink()
    os.mkfifo(folder / "01-user-research.yaml")
    for fmt in ("html", "md", "bundle"):
        status, headers, body = _get(
            f"http://127.0.0.1:{port}/export?session={workshop}/{SESSION}&format={fmt}"
        )
        assert status == 200, (fmt, body[:300])
        assert headers.get("X-Horizons-Left-Out") == "01-user-research.yaml"
        assert str(home).encode() not in body


def test_an_unreadable_earlier_iteration_in_the_review_filter_names_only_its_file(server):
    home, port = server
    workshop = _workshop(home)
    folder = home / "sessions" / workshop
    (folder / "01-user-research.yaml").write_text("format: nonsense\n", encoding="utf-8")

    async def run():
        page = await _page(port, f"{workshop}/{SESSION}")
        try:
            await page.send_op({"op": "changed_since", "iteration": 1})
            await wsclient.until(lambda: any(m.get("type") == "refused" for m in page.messages))
            return page
        finally:
            await page.close()

    page = wsclient.run(run())
    refused = [m["message"] for m in page.messages if m.get("type") == "refused"]
    assert refused == ["iteration 1 cannot be read (01-user-research.yaml)"]
