"""One slow page does not hold up the room: the others keep hearing every change at once, and
the slow page, when it reads again, catches up with the board's latest state.

The slow page is a real socket that stops reading (a phone on a bad network, a tab the
browser froze): what the server sends it piles up, first in the kernel's buffers, then in
the server's. The room never waits for it; past :data:`canvas.live.fanout.HIGH_WATER` unsent
bytes it sends that page nothing new until it has read, then the latest state in one
message; past :data:`canvas.live.fanout.DROP_LIMIT` it drops it, and the page starts again
from a snapshot.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import socket
import time
from pathlib import Path

import pytest
from tornado.httpclient import AsyncHTTPClient

from canvas.domain.visibility import Role
from canvas.format import store
from canvas.live import fanout, wire
from canvas.live.access import Access, load_secret
from canvas.live.actor import Actor
from canvas.live.hub import Room
from canvas.live.inbox import Reader

import wsclient

ROOT = Path(__file__).resolve().parent.parent
SESSION = "wales-2022/02-steering-review"
NOTES = 40
LONG = "a long note that fills a slow page's buffers " * 6


class SlowPage:
    """A room channel over a bare socket with a tiny receive buffer, read only when asked."""

    def __init__(self, port: int, query: str):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET /room?{query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: http://127.0.0.1:{port}\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(1)
        assert self.buffer.startswith(b"HTTP/1.1 101"), self.buffer
        self.buffer = b""
        self.reader = Reader()
        self.messages: list[dict] = []

    def _exact(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def read_frame(self) -> bytes:
        head = self._exact(2)
        size = head[1] & 0x7F
        if size == 126:
            size = int.from_bytes(self._exact(2), "big")
        elif size == 127:
            size = int.from_bytes(self._exact(8), "big")
        return self._exact(size)

    def read_until(self, done, timeout: float = 60.0) -> None:
        self.sock.settimeout(timeout)
        deadline = time.monotonic() + timeout
        while not done() and time.monotonic() < deadline:
            self.messages += self.reader.read(self.read_frame())

    def close(self) -> None:
        self.sock.close()


server = pytest.fixture(scope="module", name="server")(wsclient.sample_server)


def test_a_page_that_stops_reading_delays_nobody_and_catches_up(server):
    home, port = server
    view = Access(secret=load_secret(home)).view_code(SESSION)
    slow = SlowPage(port, f"session={SESSION}&view={view}")
    base = f"http://127.0.0.1:{port}/board?session={SESSION}"

    async def run():
        http = AsyncHTTPClient(force_instance=True)
        lead = wsclient.Client("lead", base, port)
        eye = wsclient.Client("eye", f"{base}&view={view}", port)
        for page in (lead, eye):
            await page.join(http, 60)
        answers = []
        for i in range(NOTES):
            op = {"op": "add", "id": f"slow-{i:03d}", "x": 0.5, "y": 0.5, "text": f"{i} {LONG}"}
            answers.append(await lead.change(op))
            if len(answers) % 10 == 0:
                await asyncio.sleep(2.1)  # the rate limit: 5 changes a second after a burst
        # The fast observer has every note, while the slow page has read nothing at all.
        got = await wsclient.until(lambda: len(eye.received) == NOTES, 30)
        await lead.close()
        await eye.close()
        return answers, got

    answers, everything_arrived = wsclient.run(run())
    assert [a["type"] for a in answers] == ["ack"] * NOTES
    assert everything_arrived, "a page that stopped reading held up another page"
    assert slow.messages == []

    session = store.load(home / "sessions" / f"{SESSION}.yaml")
    want = {n["id"] for n in wire.snapshot(session, Actor(role=Role.OBSERVER))["notes"]}
    board: set[str] = set()

    def caught_up() -> bool:
        for message in slow.messages:
            if message["type"] == "snapshot":
                board.clear()
                board.update(n["id"] for n in message["notes"])
            elif message["type"] == "patch":
                board.update(k for k, v in message["notes"].items() if v is not None)
        slow.messages.clear()
        return board == want

    slow.read_until(caught_up)
    slow.close()
    assert board == want, f"the slow page lacks {sorted(want - board)[:5]}"


class Backlog:
    """A page's socket whose unsent bytes a test sets."""

    def __init__(self) -> None:
        self.unsent = 0
        self.frames: list[bytes] = []
        self.dropped = False

    def write(self, frame: bytes) -> None:
        self.frames.append(frame)

    def backlog(self) -> int:
        return self.unsent

    def drop(self) -> None:
        self.dropped = True


@pytest.fixture
def room(tmp_path):
    path = tmp_path / "s.yaml"
    shutil.copy(ROOT / "sessions" / f"{SESSION}.yaml", path)
    room = Room(path, store.load(path), save_delay=0.01)
    yield room
    room.close()


def _move(room: Room, x: float) -> None:
    op = {"op": "move", "id": "n-0001", "x": x, "y": 0.5}
    assert room.submit("lead", op, Actor(role=Role.FACILITATOR, pid="facilitator")).ok


def test_a_page_behind_hears_only_where_a_dragged_note_ended(room):
    lead, behind = Backlog(), Backlog()
    room.connect("lead", lead, Actor(role=Role.FACILITATOR, pid="facilitator"))
    room.connect("eye", behind, Actor(role=Role.OBSERVER))
    reader = Reader()
    kinds = [m["type"] for f in behind.frames for m in reader.read(f)]
    assert kinds[0] == "snapshot"
    lead.frames.clear()
    behind.frames.clear()
    behind.unsent = fanout.HIGH_WATER + 1
    for k in range(40):
        _move(room, 0.1 + k / 100)
    assert len(lead.frames) == 40 and behind.frames == []
    behind.unsent = 0
    room.pump()
    patches = [m for f in behind.frames for m in reader.read(f) if m["type"] == "patch"]
    assert len(patches) == 1, "one patch with the latest state, not forty"
    assert patches[0]["notes"]["n-0001"]["x"] == pytest.approx(0.1 + 39 / 100)
    assert not behind.dropped


def test_a_page_past_the_drop_limit_is_dropped_and_starts_again_from_a_snapshot(room):
    lead, far = Backlog(), Backlog()
    room.connect("lead", lead, Actor(role=Role.FACILITATOR, pid="facilitator"))
    room.connect("eye", far, Actor(role=Role.OBSERVER))
    far.unsent = fanout.DROP_LIMIT + 1
    _move(room, 0.3)
    assert far.dropped and "eye" in room.clients  # its place is kept for its return
    again = Backlog()
    room.connect("eye", again, Actor(role=Role.OBSERVER))
    kinds = [m["type"] for frame in again.frames for m in Reader().read(frame)]
    assert kinds[0] == "snapshot"
