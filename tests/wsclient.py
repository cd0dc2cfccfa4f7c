"""A page of the board without a browser: a real WebSocket client of ``horizons serve``.

Built on the load benchmark's client (:class:`bench_load.Page`), which does what a browser's
page does: GET the page, open Bokeh's ``/board/ws`` with the page's token and pull its
document (the board's shell), then open the room channel (``/room/WORKSHOP``) as
``transport.js`` does, say ``hello`` and send operations on it. This one also keeps what
a person's page would show: the acknowledgements of its changes (the sequence number each
got), the last save status, refusals, snapshots and everything else the server sent, and it
can write a property of the page's own model, as a hostile page's JavaScript could.

The server is a subprocess (:func:`start` / :func:`stop`), killed with SIGKILL when a test
wants a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "benchmarks"))

import bench_load

START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(
    home: Path,
    target: str,
    port: int,
    *extra: str,
    env: dict | None = None,
    address: str = "127.0.0.1",
):
    """``python -m canvas serve TARGET`` on ``address:port``; returns once it listens."""
    environ = dict(os.environ, HORIZONS_HOME=str(home), PYTHONUNBUFFERED="1", **(env or {}))
    log = open(home / f"server-{port}.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "canvas", "serve", target, "--port", str(port)]
        + ["--address", address, *extra],
        cwd=home,
        env=environ,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        with contextlib.suppress(OSError), socket.create_connection((address, port), 0.2):
            return proc
        time.sleep(0.05)
    stop(proc)
    tail = (home / f"server-{port}.log").read_text(encoding="utf-8", errors="replace")[-3000:]
    raise RuntimeError(f"the server did not start on port {port}:\n{tail}")


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """End the server's process group (SIGKILL for a crash); waits until it is gone."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def sample_server(tmp_path_factory):
    """A module fixture's body: ``horizons serve`` on a copy of the bundled sessions (the
    Wales 2022 sample), yielding ``(home, port)``; always stopped."""
    home = tmp_path_factory.mktemp("home")
    shutil.copytree(Path(__file__).resolve().parent.parent / "sessions", home / "sessions")
    port = free_port()
    proc = start(home, "wales-2022", port)
    try:
        yield home, port
    finally:
        stop(proc)


class Client(bench_load.Page):
    """One page of the board, as a person's browser would hold it."""

    def __init__(self, name: str, url: str, port: int, cookies: dict | None = None) -> None:
        super().__init__(name, url, port, bench_load.Activity())
        self.cookies.update(cookies or {})
        self.acks: dict[int, int] = {}  # ref -> the sequence number the change got
        self.refusals: dict[int | None, str] = {}
        self.status: dict = {}
        self.saved_seq = 0
        self.identity: dict = {}
        self.messages: list[dict] = []
        self._refs = itertools.count(1)
        self._answers: dict[int, asyncio.Future] = {}
        self.page_html = b""

    async def fetch_page(self, http, url: str, timeout: float):
        response = await super().fetch_page(http, url, timeout)
        self.page_html = response.body
        return response

    def _on_data(self, data, now: float) -> None:
        super()._on_data(data, now)
        if not isinstance(data, dict):
            return
        self.messages.append(data)
        kind = data.get("type")
        ref = data.get("ref")
        if kind == "ack":
            self.acks[ref] = data.get("seq")
        elif kind == "refused":
            self.refusals[ref] = str(data.get("message"))
        elif kind == "status":
            self._status(data)
        elif kind == "snapshot" and isinstance(data.get("status"), dict):
            self._status(data["status"])
        elif kind == "identity":
            self.identity = data
        future = self._answers.pop(ref, None) if kind in ("ack", "refused") else None
        if future is not None and not future.done():
            future.set_result(data)

    def _status(self, status: dict) -> None:
        self.status = status
        if status.get("state") == "saved":
            self.saved_seq = max(self.saved_seq, int(status.get("seq") or 0))

    async def change(self, op: dict, timeout: float = 10.0) -> dict:
        """Send a change with a reference, as board.js does; returns the ack or refusal."""
        ref = next(self._refs)
        future = asyncio.get_running_loop().create_future()
        self._answers[ref] = future
        await self.send_op({**op, "ref": ref})
        return await asyncio.wait_for(future, timeout)

    def shown_saved(self) -> list[int]:
        """The refs of changes this page shows as saved: acknowledged, and covered by a
        save status."""
        return [ref for ref, seq in self.acks.items() if seq is not None and seq <= self.saved_seq]

    async def set_property(self, name: str, value) -> None:
        """Write a property of the page's own Board model, as its JavaScript could."""
        data_id = self._data_model()
        event = {
            "kind": "ModelChanged",
            "model": {"id": data_id},
            "attr": name,
            "new": bench_load.encode(value),
        }
        await self._send("PATCH-DOC", {"events": [event]})

    def _data_model(self) -> str:
        doc = self._doc.result()["doc"]
        found = []

        def walk(node) -> None:
            if isinstance(node, dict):
                if node.get("id") == self.board and isinstance(node.get("attributes"), dict):
                    found.append(node["attributes"].get("data"))
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(doc.get("roots"))
        ref = found[0] if found else None
        if not isinstance(ref, dict) or "id" not in ref:
            raise RuntimeError("the Board model has no data model")
        return ref["id"]


def http_get(url: str, cookies: dict | None = None, headers: dict | None = None):
    """``(status, headers, body)`` of a plain GET, with cookies; redirects not followed."""
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=dict(headers or {}))
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        with opener.open(request, timeout=120) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def sign_in(port: int, password: str) -> dict:
    """The facilitator's cookies after signing in with ``password`` (empty when refused)."""
    import urllib.parse
    import urllib.request

    data = urllib.parse.urlencode({"password": password}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/signin", data=data)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        response = urllib.request.build_opener(NoRedirect).open(request, timeout=60)
    except urllib.error.HTTPError as exc:
        response = exc
    cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return cookies


def run(coroutine):
    """``asyncio.run(coroutine)`` on a thread of its own: Playwright's sync API (the browser
    tests, in the same pytest session) keeps an event loop running on the main thread."""
    import threading

    result: dict = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # handed to the caller
            result["error"] = exc

    thread = threading.Thread(target=target, name="wsclient")
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


async def until(condition, timeout: float = 10.0) -> bool:
    """Wait (polling) until ``condition()`` holds; False after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True
