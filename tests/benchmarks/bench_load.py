"""Benchmark of a live room under load: real WebSocket clients join a served board and add notes.

Run it as a script, not under pytest (the ``bench_`` prefix keeps pytest from collecting it)::

    python tests/benchmarks/bench_load.py [--clients 10 50 70] [--notes 10] [--think 5]
                                          [--rate ADDS_PER_SECOND] [--hog]
                                          [--session-notes 300] [--timeout 60]
                                          [--wait-quiet SECONDS] [--profile DIR]

It prints a Markdown table and never fails on a missed target: it is a measurement, not a
test. For every client count N:

* A session of the ``wales-2022`` template with 300 seeded notes (generated as in
  ``bench_board.py``) is saved with ``canvas.store.save`` as ``sessions/bench/01-load.yaml`` of
  a temporary ``HORIZONS_HOME``, and served by ``python -m canvas serve bench/01-load`` in a
  subprocess bound to 127.0.0.1 (a fresh server and a fresh file for every N).
* The clients are real WebSocket clients of that server, all in this process on one asyncio
  loop, doing what a browser's page does minus the JavaScript: GET ``/board?session=...``
  (the server runs the page function and builds the Board), open the WebSocket at
  ``/board/ws`` with the page's token, wait for ACK, send ``PULL-DOC-REQ`` and receive the
  page document (the board's shell), send what BokehJS sends once the page is idle
  (``document_ready``), then open the room channel as ``transport.js`` does (``/room`` with
  the page's query, cookies and origin), say ``hello`` and wait for the board's snapshot.
  Operations go over the room channel, one JSON text message each; the server sends each
  page one JSON list of messages per tick, read with ``canvas.live.inbox.Reader`` (the
  twin of ``transport.js``). Every client's socket
  has ``TCP_NODELAY`` (checked), so Nagle's algorithm on the client side adds nothing.
  (``bokeh.client.pull_session`` cannot be used: Bokeh's ``Document.from_json`` drops the
  document's model definitions, so the Board's Panel data model, a class made at run time in
  the server, cannot be resolved in the client: ``DeserializationError: can't resolve type
  'Board1'``. Its blocking connection also runs one loop per call, so clients could not join
  concurrently, and every patch would be applied to a full Python ``Document``.)
* First the facilitator's page opens the room (untimed: it warms the server up, as a
  facilitator opens the board before a workshop). Then N participants (with the join code)
  join all at once.
* Join: from the first participant's GET until every participant has received the full page
  document (``PULL-DOC-REPLY``). Target: 70 within 10 s. Also shown: until every ``hello`` is
  answered, and the presence messages each page got meanwhile.
* Memory: the server process's RSS (``psutil`` when installed, else ``/proc/PID/status``
  VmRSS) with only the facilitator's page, and after the N participants joined and the room
  is quiet; the difference divided by N. Target: at most 2 MiB per client.
* Operations: every participant adds ``--notes`` notes (``{"op": "add", ...}``) at random
  times, ``--think`` seconds apart on average (seeded; the room gets N / think operations a
  second; ``--think 0`` sends everything at once; ``--rate R`` sets the think time of each
  count so that the room gets R adds a second in all). For each operation: from just before the
  client writes it until each other page (the other participants and the facilitator)
  has received the patch with that note. The figure with the target is the time until the
  last other page has it (p50, p95 over operations); the spread over single deliveries and
  the sender's own echo are shown for information. Targets: p95 <= 50 ms with 10 clients,
  <= 150 ms with 50.
* Where the time went, per phase: the CPU time of the server (``/proc/PID/stat``) and of this
  process, how long each one's main thread (the server's event loop, the clients' loop) was
  runnable but waiting for a CPU (``/proc/PID/schedstat``), and how much CPU the machine's
  other processes used (``/proc/stat``). A long wait means the figures measure a busy
  machine, not the app; the CPU per joining client, per operation and per message sent to a
  page are the figures that hold on any machine. ``--wait-quiet SECONDS`` waits (bounded) for
  a nearly idle machine before each client count.

``--hog`` starts a second process that keeps one core busy (a Python busy loop) for the whole
run, as another job on a facilitator's laptop or a shared server does; it is stopped at the
end.

``--profile DIR`` runs the server under cProfile (slower: timings are then not comparable)
and prints its busiest functions to stderr. The server sets ``TCP_NODELAY`` on its own
WebSocket connections (``canvas.app``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import json
import os
import platform
import pstats
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, quote, urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_board as bb

SESSION = "bench/01-load"
PASSWORD = "the load benchmark's facilitator"
SEED = 20220301
JOIN_TARGET = 10.0  # seconds, for 70 clients and more (149 and the facilitator: a full room)
JOIN_TARGET_CLIENTS = 70
LATENCY_TARGETS = {10: 0.050, 50: 0.150, 149: 0.150}  # p95 of an op reaching every other page
HOG_LATENCY_TARGET = 1.0  # p95 for a full room while another process keeps a core busy
CPU_TARGET = 0.005  # server CPU seconds per operation, for a full room
FULL_ROOM = 149
MEMORY_TARGET = 2 * 1024 * 1024  # bytes per client
QUIET = 0.5  # seconds without a message: the room has settled
TOKEN = re.compile(r'"token":\s*"([^"]+)"')
BOUNCE = re.compile(r'http-equiv="refresh" content="0;url=([^"]+)"')
_WORDS = bb._WORDS


# ---------------------------------------------------------------------------------------------
# The server process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_session(count: int, seed: int = SEED):
    """The ``wales-2022`` template with ``count`` seeded notes (the board benchmark's)."""
    from dataclasses import replace

    from canvas.format.templates import load_template

    session = bb.make_session(load_template("wales-2022"), count, seed)
    return replace(session, id="bench-load", title=f"Load benchmark, {count:,} notes")


def write_session(count: int) -> Path:
    """The seeded session saved with ``canvas.store.save`` as ``sessions/bench/01-load.yaml``."""
    from canvas.format import paths, store

    path = paths.sessions_dir() / f"{SESSION}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    store.save(make_session(count), path)
    return path


def start_server(home: Path, port: int, profile: Path | None) -> subprocess.Popen:
    """The server as a room meets it: a facilitator password, and ``--trust-proxy`` so that
    each page counts as the device it stands for (its ``X-Forwarded-For``), not as one
    client making 150 identities (which the door's brakes would slow, as they should)."""
    env = dict(os.environ, HORIZONS_HOME=str(home), BOKEH_PY_LOG_LEVEL="warning")
    env["PYTHONUNBUFFERED"] = "1"
    env["HORIZONS_FACILITATOR_PASSWORD"] = PASSWORD
    cmd = [sys.executable]
    if profile is not None:
        cmd += ["-m", "cProfile", "-o", str(profile)]
    cmd += ["-m", "canvas", "serve", SESSION, "--port", str(port), "--address", "127.0.0.1"]
    cmd += ["--trust-proxy"]
    log = open(home / f"server-{port}.log", "w", encoding="utf-8")  # noqa: SIM115
    proc = subprocess.Popen(cmd, env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return proc
        time.sleep(0.1)
    stop_server(proc)
    tail = (home / f"server-{port}.log").read_text(encoding="utf-8")[-2000:]
    raise RuntimeError(f"the server did not start on port {port}:\n{tail}")


def stop_server(proc: subprocess.Popen | None) -> None:
    """SIGTERM (the server saves and exits like on Ctrl+C), then SIGKILL after 30 s."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        print("  warning: the server did not stop within 30 s; killing it", file=sys.stderr)
        proc.kill()
        proc.wait(10)


def rss(pid: int) -> int:
    """Resident set size of a process in bytes."""
    try:
        import psutil
    except ImportError:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError(f"no VmRSS for process {pid}") from None
    return psutil.Process(pid).memory_info().rss


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def waited(pid: int | str) -> float:
    """Seconds the process's main thread (the server's or this event loop) spent runnable but
    waiting for a CPU (``/proc/PID/schedstat``): other load on the machine, not the app."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return float("nan")


def machine_busy() -> float:
    """CPU seconds all processes of the machine have used (``/proc/stat``)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def wait_for_quiet(limit: float, busy: float = 0.5, window: float = 3.0) -> float:
    """Wait (at most ``limit`` seconds) until the machine's processes use under ``busy`` CPUs
    over ``window`` seconds; returns what they used last."""
    deadline = time.monotonic() + limit
    while True:
        before = machine_busy()
        time.sleep(window)
        used = (machine_busy() - before) / window
        if used < busy or time.monotonic() >= deadline:
            return used


class Phase:
    """Wall time, CPU time and CPU waiting of the server and of this process over a phase, and
    the CPU the machine's other processes used meanwhile."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.start = self._now()

    def _now(self) -> tuple[float, ...]:
        return (
            time.perf_counter(),
            cpu_seconds(self.pid),
            waited(self.pid),
            time.process_time(),
            waited("self"),
            machine_busy(),
        )

    def end(self) -> dict:
        now = self._now()
        wall, server, server_wait, bench, bench_wait, busy = (
            b - a for a, b in zip(self.start, now, strict=True)
        )
        return {
            "others": max(0.0, busy - server - bench) / max(wall, 1e-9),
            "wall": wall,
            "server": server,
            "server_wait": server_wait,
            "bench": bench,
            "bench_wait": bench_wait,
        }


# ---------------------------------------------------------------------------------------------
# A page, as the server sees it


def encode(value):
    """A value as BokehJS's serializer writes it: plain objects become ``map`` entries."""
    if isinstance(value, dict):
        if not value:
            return {"type": "map"}
        return {"type": "map", "entries": [[k, encode(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return value


def decode(rep):
    """The plain value of a Bokeh-serialized one (maps, arrays, special numbers)."""
    if isinstance(rep, list):
        return [decode(v) for v in rep]
    if not isinstance(rep, dict):
        return rep
    kind = rep.get("type")
    if kind == "map":
        return {decode(k): decode(v) for k, v in rep.get("entries", [])}
    if kind == "array":
        return [decode(v) for v in rep.get("entries", [])]
    if kind == "number":
        return float(rep["value"])
    return {k: decode(v) for k, v in rep.items()}


def find_board(doc: dict) -> str:
    """The id of the Board's Bokeh model (the ReactiveESM whose data model is a Board)."""
    found = []

    def walk(node) -> None:
        if isinstance(node, dict):
            attrs = node.get("attributes")
            if node.get("type") == "object" and isinstance(attrs, dict) and "esm" in attrs:
                data = attrs.get("data")
                if isinstance(data, dict) and str(data.get("name", "")).startswith("Board"):
                    found.append(node["id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc.get("roots"))
    if len(found) != 1:
        raise RuntimeError(f"expected one Board model in the page document, found {found}")
    return found[0]


class Activity:
    """When any page last received a message (to tell when the room has settled)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    async def quiet(self, quiet: float = QUIET, timeout: float = 60.0) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if time.perf_counter() - self.last >= quiet:
                return time.perf_counter() - start
            await asyncio.sleep(0.05)
        print(f"  warning: the room did not settle within {timeout:g} s", file=sys.stderr)
        return timeout


class Page:
    """One WebSocket client that behaves like the browser's page of the board."""

    def __init__(self, name: str, url: str, port: int, activity: Activity) -> None:
        from bokeh.protocol import Protocol
        from bokeh.protocol.receiver import Receiver

        self.name = name
        self.url = url
        self.port = port
        self.activity = activity
        self.t: dict[str, float] = {}
        self.counts: Counter = Counter()
        self.bytes_in = 0
        self.doc_bytes = 0
        self._message_bytes = 0
        self.received: dict[str, float] = {}  # note id -> when its first patch arrived
        self.refused: list[str] = []
        self.nodelay = False
        self.board = ""
        self.ws = None
        self._receiver = Receiver(Protocol())
        self._msgid = 0
        self._task: asyncio.Task | None = None
        loop = asyncio.get_running_loop()
        self._ack = loop.create_future()
        self._doc = loop.create_future()
        self._identity = loop.create_future()
        self._snapshot = loop.create_future()
        self.room = None  # the room channel
        self._room_task: asyncio.Task | None = None
        self.final_url = url
        self.snapshot_bytes = 0
        self.cookies: dict[str, str] = {}
        self.ws_headers: dict[str, str] = {}  # extra headers of the WebSocket request
        self.headers: dict[str, str] = {}  # extra headers of every request (its address)

    async def join(self, http, timeout: float) -> None:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        self.t["start"] = time.perf_counter()
        response = await self.fetch_page(http, self.url, timeout)
        self.t["page"] = time.perf_counter()
        match = TOKEN.search(response.body.decode("utf-8"))
        if match is None:
            raise RuntimeError(f"{self.name}: no session token in the page")
        page = urlsplit(self.final_url)  # where the page was loaded from (any prefix)
        netloc = page.netloc
        request = HTTPRequest(
            f"ws://{netloc}{page.path.rstrip('/')}/ws",
            headers={"Origin": f"http://{netloc}", **self.headers, **self.ws_headers},
            connect_timeout=timeout,
            request_timeout=timeout,
        )
        self.ws = await websocket_connect(
            request, subprotocols=["bokeh", match.group(1)], max_message_size=64 * 1024 * 1024
        )
        self.ws.protocol.stream.set_nodelay(True)
        sock = self.ws.protocol.stream.socket
        self.nodelay = bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        self._task = asyncio.create_task(self._read())
        await asyncio.wait_for(self._ack, timeout)
        self.t["ack"] = time.perf_counter()
        await self._send("PULL-DOC-REQ", {})
        doc = await asyncio.wait_for(self._doc, timeout)
        self.t["doc"] = time.perf_counter()
        self.board = find_board(doc["doc"])
        # BokehJS reports the idle document; the board opens its room channel, says hello,
        # and draws the snapshot that comes over it.
        await self._send_event(
            {"type": "event", "name": "document_ready", "values": {"type": "map"}}
        )
        await self._open_room(netloc, timeout)
        self.t["room"] = time.perf_counter()
        await self.send_op({"op": "hello", "name": self.name})
        await asyncio.wait_for(self._snapshot, timeout)
        self.t["board"] = time.perf_counter()
        await asyncio.wait_for(self._identity, timeout)
        self.t["identity"] = time.perf_counter()

    async def _open_room(self, netloc: str, timeout: float) -> None:
        """The room channel, as ``transport.js`` opens it: ``room`` beside the page, with the
        page's own query, its cookies and its origin."""
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        page = urlsplit(self.final_url)
        session = parse_qs(page.query).get("session", [""])[0]
        beside = f"room/{quote(session.split('/')[0])}" if session else "room"
        address = urljoin(self.final_url, f"{beside}?{page.query}").replace("http", "ws", 1)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = HTTPRequest(
            address,
            headers={"Origin": f"http://{netloc}", "Cookie": cookie, **self.headers},
            connect_timeout=timeout,
            request_timeout=timeout,
        )
        self.room = await websocket_connect(request, max_message_size=64 * 1024 * 1024)
        self.room.protocol.stream.set_nodelay(True)
        self._room_task = asyncio.create_task(self._read_room())

    async def fetch_page(self, http, url: str, timeout: float):
        """GET the board as a browser does when it joins: a participant's first visit
        bounces once through the site (``meta refresh``), then the server sets the identity
        cookie with a redirect; the page itself comes with that cookie."""
        from tornado.httpclient import HTTPClientError

        for _ in range(4):
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            headers = {**self.headers, "Cookie": cookie}
            try:
                response = await http.fetch(
                    url,
                    headers=headers,
                    follow_redirects=False,
                    request_timeout=timeout,
                    connect_timeout=timeout,
                )
            except HTTPClientError as exc:
                if exc.code not in (301, 302, 303) or exc.response is None:
                    raise
                response = exc.response
            for header in response.headers.get_list("Set-Cookie"):
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.code in (301, 302, 303):
                url = urljoin(url, response.headers["Location"])
                continue
            bounce = BOUNCE.search(response.body.decode("utf-8", "replace"))
            if bounce is None:
                self.final_url = url
                return response
            url = urljoin(url, html.unescape(bounce.group(1)))
        raise RuntimeError(f"{self.name}: the join did not settle")

    async def send_op(self, op: dict) -> float:
        """Send ``op`` on the room channel as ``transport.js`` does; returns when written."""
        sent = time.perf_counter()
        await self.room.write_message(json.dumps(op))
        return sent

    async def _send_event(self, event: dict) -> float:
        patch = {"kind": "MessageSent", "msg_type": "bokeh_event", "msg_data": event}
        return await self._send("PATCH-DOC", {"events": [patch]})

    async def _send(self, msgtype: str, content: dict) -> float:
        self._msgid += 1
        header = json.dumps({"msgid": f"{self.name}-{self._msgid}", "msgtype": msgtype})
        body = json.dumps(content)
        sent = time.perf_counter()
        # One message is three WebSocket frames, as BokehJS's Message.send writes them.
        await self.ws.write_message(header)
        await self.ws.write_message("{}")
        await self.ws.write_message(body)
        return sent

    async def _read(self) -> None:
        try:
            while True:
                fragment = await self.ws.read_message()
                if fragment is None:
                    break
                self.bytes_in += len(fragment)
                self._message_bytes += len(fragment)
                message = await self._receiver.consume(fragment)
                if message is not None:
                    now = time.perf_counter()
                    self.activity.last = now
                    self._handle(message, now, self._message_bytes)
                    self._message_bytes = 0
        except Exception as exc:  # reported through the futures; the page is gone
            self._fail(exc)
            return
        self._fail(ConnectionError(f"{self.name}: the server closed the WebSocket"))

    async def _read_room(self) -> None:
        from canvas.live.inbox import Reader

        reader = Reader()
        try:
            while True:
                frame = await self.room.read_message()
                if frame is None:
                    break
                now = time.perf_counter()
                self.activity.last = now
                self.bytes_in += len(frame)
                for message in reader.read(frame):
                    if message.get("type") == "snapshot" and not self._snapshot.done():
                        self.snapshot_bytes = len(frame)
                        self._snapshot.set_result(now)
                    self._on_data(message, now)
        except Exception as exc:  # reported through the futures; the page is gone
            self._fail(exc)
            return
        self._fail(ConnectionError(f"{self.name}: the server closed the room channel"))

    def _fail(self, exc: BaseException) -> None:
        for future in (self._ack, self._doc, self._snapshot, self._identity):
            if not future.done():
                future.set_exception(exc)
        self.counts["closed"] += 1

    def _handle(self, message, now: float, size: int) -> None:
        kind = message.msgtype
        if kind == "ACK" and not self._ack.done():
            self._ack.set_result(now)
        elif kind == "PULL-DOC-REPLY" and not self._doc.done():
            self.doc_bytes = size
            self._doc.set_result(message.content)
        elif kind == "ERROR":
            self._fail(RuntimeError(f"{self.name}: server error {message.content}"))
        elif kind == "PATCH-DOC":
            for event in message.content.get("events", []):
                data = event.get("msg_data")
                if event.get("kind") != "MessageSent" or not isinstance(data, dict):
                    continue
                if data.get("name") != "esm_event":
                    continue
                values = decode(data.get("values", {}))
                self._on_data(values.get("data"), now)

    def _on_data(self, data, now: float) -> None:
        kind = data.get("type") if isinstance(data, dict) else None
        self.counts[kind] += 1
        if kind == "patch":
            for note_id in data.get("notes") or {}:
                self.received.setdefault(note_id, now)
        elif kind == "identity" and not self._identity.done():
            self._identity.set_result(now)
        elif kind == "refused":
            self.refused.append(str(data.get("message")))

    async def close(self) -> None:
        for socket_ in (self.room, self.ws):
            if socket_ is not None:
                socket_.close()
        for task in (self._room_task, self._task):
            if task is not None:
                with contextlib.suppress(asyncio.TimeoutError, Exception):
                    await asyncio.wait_for(task, 5)


# ---------------------------------------------------------------------------------------------
# One room under load


def schedule(clients: int, notes: int, think: float, seed: int) -> list[tuple[float, int, int]]:
    """(seconds from the start, participant, k): each participant's ``notes`` operations at
    uniformly random times over ``notes * think`` seconds (Poisson-like; all at 0 if think 0)."""
    rng = random.Random(seed * 7919 + clients)
    plan = []
    for i in range(clients):
        for k in range(notes):
            plan.append((rng.uniform(0, notes * think) if think > 0 else 0.0, i, k))
    return sorted(plan)


def note_op(clients: int, i: int, k: int, rng: random.Random) -> dict:
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 8)))
    return {
        "op": "add",
        "id": f"load{clients}-{i:03d}-{k:03d}",
        "x": round(rng.uniform(0.05, 0.95), 4),
        "y": round(rng.uniform(0.05, 0.95), 4),
        "text": f"{words} ({i}.{k})",
    }


def address(i: int) -> str:
    """The address of the ``i``-th device in the room (as the proxy names it)."""
    return f"10.1.{i // 250}.{i % 250 + 1}"


async def sign_in(http, port: int, timeout: float) -> dict[str, str]:
    """The facilitator's sign-in cookie."""
    from tornado.httpclient import HTTPClientError

    try:
        response = await http.fetch(
            f"http://127.0.0.1:{port}/signin",
            method="POST",
            body=f"password={PASSWORD}".replace(" ", "+"),
            headers={"X-Forwarded-For": address(0)},
            follow_redirects=False,
            request_timeout=timeout,
        )
    except HTTPClientError as exc:
        if exc.response is None:
            raise
        response = exc.response
    cookies = {}
    for header in response.headers.get_list("Set-Cookie"):
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    if not cookies:
        raise RuntimeError(f"the facilitator could not sign in (HTTP {response.code})")
    return cookies


async def run_room(n: int, port: int, pid: int, join_code: str, args) -> dict:
    from tornado.httpclient import AsyncHTTPClient

    timeout = args.timeout
    activity = Activity()
    http = AsyncHTTPClient(force_instance=True, max_clients=n + 10)
    base = f"http://127.0.0.1:{port}/board?session={SESSION}"
    out: dict = {"n": n, "hog": args.hog}
    facilitator = Page("Facilitator", base, port, activity)
    facilitator.headers["X-Forwarded-For"] = address(0)
    pages = [facilitator]
    try:
        facilitator.cookies.update(await sign_in(http, port, timeout))
        await facilitator.join(http, timeout)
        await activity.quiet()
        out["rss_before"] = rss(pid)

        participants = [
            Page(f"Guest {i:03d}", f"{base}&join={join_code}", port, activity) for i in range(n)
        ]
        for i, page in enumerate(participants, 1):
            page.headers["X-Forwarded-For"] = address(i)
        pages += participants
        phase = Phase(pid)
        joins = await asyncio.gather(
            *(p.join(http, timeout) for p in participants), return_exceptions=True
        )
        failed = [r for r in joins if isinstance(r, BaseException)]
        if failed:
            raise RuntimeError(f"{len(failed)} of {n} clients failed to join: {failed[0]!r}")
        first = min(p.t["start"] for p in participants)
        out["join_doc"] = max(p.t["board"] for p in participants) - first
        out["join_identity"] = max(p.t["identity"] for p in participants) - first
        out["join_cpu"] = phase.end()
        out["per_client"] = {
            "GET page": [p.t["page"] - p.t["start"] for p in participants],
            "WebSocket open + ACK": [p.t["ack"] - p.t["page"] for p in participants],
            "PULL-DOC-REQ -> page document": [p.t["doc"] - p.t["ack"] for p in participants],
            "page document -> room channel open": [p.t["room"] - p.t["doc"] for p in participants],
            "room channel open -> snapshot": [p.t["board"] - p.t["room"] for p in participants],
            "snapshot -> hello answered": [p.t["identity"] - p.t["board"] for p in participants],
        }
        out["nodelay"] = all(p.nodelay for p in pages)
        out["doc_bytes"] = statistics.median(p.doc_bytes for p in participants)
        out["snapshot_bytes"] = statistics.median(p.snapshot_bytes for p in participants)
        settle = await activity.quiet(timeout=timeout)
        out["settle"] = settle
        out["presence"] = [p.counts["presence"] for p in participants]
        out["rss_after"] = rss(pid)
        for p in pages:
            p.counts.clear()
            p.bytes_in = 0

        # Operations.
        plan = schedule(n, args.notes, think_time(args, n), SEED)
        rng = random.Random(SEED + n)
        sent: dict[str, tuple[int, float]] = {}  # note id -> (sender index in pages, time)
        phase = Phase(pid)
        start = time.perf_counter()
        for offset, i, k in plan:
            delay = start + offset - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            op = note_op(n, i, k, rng)
            sent[op["id"]] = (i + 1, await participants[i].send_op(op))
        last_sent = time.perf_counter()
        # Wait until every page has every note (or the timeout).
        deadline = last_sent + timeout
        while time.perf_counter() < deadline:
            if all(len(p.received) >= len(sent) for p in pages):
                break
            await asyncio.sleep(0.02)
        out["ops_cpu"] = phase.end()
        out["offered"] = len(plan) / max(last_sent - start, 1e-9)
        out["send_span"] = last_sent - start
        reach_all, deliveries, echo, lost = [], [], [], 0
        for note_id, (sender, t0) in sent.items():
            others = []
            for j, page in enumerate(pages):
                got = page.received.get(note_id)
                if j == sender:
                    if got is not None:
                        echo.append(got - t0)
                elif got is None:
                    lost += 1
                else:
                    others.append(got - t0)
            deliveries += others
            if len(others) == len(pages) - 1:
                reach_all.append(max(others))
        out.update(reach_all=reach_all, deliveries=deliveries, echo=echo, lost=lost)
        out["ops"] = len(sent)
        out["refused"] = [m for p in pages for m in p.refused]
        out["patches_in"] = sum(p.counts["patch"] for p in pages)
        out["messages_in"] = sum(p.counts.total() for p in pages)
        out["kinds"] = sum((p.counts for p in pages), Counter())
        out["bytes_in"] = sum(p.bytes_in for p in pages)
        await activity.quiet(timeout=timeout)
        out["rss_ops"] = rss(pid)
    finally:
        await asyncio.gather(*(p.close() for p in pages), return_exceptions=True)
        http.close()
    return out


# ---------------------------------------------------------------------------------------------
# Report


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []
        self.missed: list[str] = []

    def add(self, n: int, what: str, figure: str, target: str = "—", met=None) -> None:
        flag = "—" if met is None else ("yes" if met else "**NO**")
        self.rows.append((str(n), what, figure, target, flag))
        if met is False:
            self.missed.append(f"{n} clients: {what}")

    def render(self) -> str:
        head = ("clients", "measure", "figure", "target", "met")
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


percentile = bb.percentile


ms = bb.ms
spread = bb.spread


def mib(size: float) -> str:
    return f"{size / 1024 / 1024:.2f} MiB"


def cpu(phase: dict, who: str = "server") -> str:
    used, wall, wait = phase[who], phase["wall"], phase[f"{who}_wait"]
    return (
        f"{used:.2f} s CPU in {wall:.2f} s ({100 * used / max(wall, 1e-9):.0f}% of a core); "
        f"main thread waited {wait:.2f} s for a CPU"
    )


def others(phase: dict) -> str:
    return f"{phase['others']:.2f} of {os.cpu_count()} CPUs"


def report(table: Table, r: dict) -> None:
    n = r["n"]
    target, met = "—", None
    if n >= JOIN_TARGET_CLIENTS:
        target, met = f"<= {JOIN_TARGET:g} s", r["join_doc"] <= JOIN_TARGET
    what = "join: first connect -> every client has the page and the board's snapshot"
    table.add(n, what, f"{r['join_doc']:.2f} s", target, met)
    for label, values in r["per_client"].items():
        table.add(n, f"  (info) per client: {label}", spread(values))
    table.add(n, "  (info) page document size", f"{r['doc_bytes'] / 1024:.0f} KiB")
    table.add(n, "  (info) snapshot size (room channel)", f"{r['snapshot_bytes'] / 1024:.0f} KiB")
    table.add(n, "  (info) first connect -> every hello answered", f"{r['join_identity']:.2f} s")
    join = r["join_cpu"]
    table.add(n, "  (info) server while joining", cpu(join))
    table.add(n, "  (info) server CPU per joining client", ms(join["server"] / n))
    table.add(n, "  (info) other processes on the machine while joining", others(join))
    presence = r["presence"]
    table.add(
        n,
        "  (info) presence messages per page while joining; quiet after",
        f"{min(presence)}–{max(presence)} (total {sum(presence):,}); {ms(r['settle'])}",
    )
    per_client = (r["rss_after"] - r["rss_before"]) / n
    table.add(
        n,
        "memory: server RSS growth per client",
        f"{mib(per_client)} ({mib(r['rss_before'])} -> {mib(r['rss_after'])})",
        f"<= {mib(MEMORY_TARGET)}",
        per_client <= MEMORY_TARGET,
    )
    limit = HOG_LATENCY_TARGET if r["hog"] and n >= FULL_ROOM else LATENCY_TARGETS.get(n)
    p95 = percentile(r["reach_all"], 95) if r["reach_all"] else float("inf")
    table.add(
        n,
        "op: submit -> every other page has the patch",
        spread(r["reach_all"]),
        f"p95 <= {ms(limit)}" if limit else "—",
        p95 <= limit if limit else None,
    )
    table.add(n, "  (info) op: submit -> one other page (each delivery)", spread(r["deliveries"]))
    table.add(n, "  (info) op: submit -> the sender's own patch", spread(r["echo"]))
    table.add(
        n,
        "  (info) load offered, traffic to the pages",
        f"{r['ops']:,} adds in {r['send_span']:.1f} s ({r['offered']:.1f}/s); "
        f"{r['patches_in']:,} patches in {r['messages_in']:,} messages, "
        f"{r['bytes_in'] / 1e6:.1f} MB",
    )
    kinds = ", ".join(f"{k} {v:,}" for k, v in r["kinds"].most_common())
    table.add(n, "  (info) messages to the pages by type", kinds)
    ops = r["ops_cpu"]
    table.add(n, "  (info) server during the operations", cpu(ops))
    per_op = ops["server"] / r["ops"]
    full = n >= FULL_ROOM
    table.add(
        n,
        "server CPU per operation; (info) per message to a page",
        f"{ms(per_op)}; {ops['server'] / r['messages_in'] * 1e6:.0f} µs",
        f"<= {ms(CPU_TARGET)}" if full else "—",
        per_op <= CPU_TARGET if full else None,
    )
    table.add(n, "  (info) this process (all clients) during the operations", cpu(ops, "bench"))
    table.add(n, "  (info) other processes on the machine during the operations", others(ops))
    lost = f"{r['lost']}, {len(r['refused'])}"
    table.add(
        n, "deliveries lost, operations refused", lost, "0, 0", not r["lost"] and not r["refused"]
    )
    table.add(n, "  (info) server RSS after the operations", mib(r["rss_ops"]))


def print_profile(path: Path, n: int) -> None:
    if not path.exists():
        print(f"  (no profile written for {n} clients)", file=sys.stderr)
        return
    print(f"\n--- server profile, {n} clients (cProfile, by own time) ---", file=sys.stderr)
    stats = pstats.Stats(str(path), stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(25)
    print("--- by cumulative time ---", file=sys.stderr)
    stats.sort_stats("cumulative").print_stats(40)


def start_hog() -> subprocess.Popen:
    """A process that keeps one core busy until it is stopped (``--hog``)."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def think_time(args, n: int) -> float:
    """Mean seconds between one client's notes: ``--think``, or N / ``--rate``."""
    return n / args.rate if args.rate else args.think


def run(args, table: Table, home: Path, meta: dict) -> None:
    from canvas.format import store
    from canvas.live.access import Access, load_secret

    join_code = Access(secret=load_secret(home)).join_code(SESSION)
    for n in args.clients:
        path = write_session(args.session_notes)
        port = free_port()
        profile = (args.profile / f"server-{n}.prof") if args.profile else None
        if args.wait_quiet > 0:
            used = wait_for_quiet(args.wait_quiet)
            print(f"  machine before {n} clients: {used:.2f} CPUs busy", file=sys.stderr)
        print(f"  {n} clients: starting the server on port {port} ...", file=sys.stderr)
        proc = None
        try:
            proc = start_server(home, port, profile)
            result = asyncio.run(run_room(n, port, proc.pid, join_code, args))
        except Exception as exc:  # reported in the table; the other counts still run
            print(f"  {n} clients: failed: {exc!r}", file=sys.stderr)
            table.add(n, "run", f"failed: {type(exc).__name__}: {exc}"[:300], "—", False)
            continue
        finally:
            stop_server(proc)
        log = (home / f"server-{port}.log").read_text(encoding="utf-8")
        problems = [ln for ln in log.splitlines() if "ERROR" in ln or "Traceback" in ln]
        if problems:
            print(f"  server log: {len(problems)} error lines, e.g. {problems[0]}", file=sys.stderr)
        saved = len(store.load(path).notes)
        meta.setdefault("saved", []).append(f"{n}: {saved}/{args.session_notes + n * args.notes}")
        if result["refused"]:
            print(f"  refused: {Counter(result['refused']).most_common(3)}", file=sys.stderr)
        print(
            f"  {n} clients: joined in {result['join_doc']:.2f} s; op to all others "
            f"{spread(result['reach_all'])}",
            file=sys.stderr,
        )
        meta["nodelay"] = meta.get("nodelay", True) and result["nodelay"]
        meta.setdefault("load", []).append(f"{n}: {os.getloadavg()[0]:.2f}")
        report(table, result)
        if profile is not None:
            print_profile(profile, n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50, 70])
    parser.add_argument("--notes", type=int, default=10, help="notes each client adds")
    parser.add_argument(
        "--think", type=float, default=5.0, help="mean seconds between one client's notes"
    )
    parser.add_argument(
        "--rate", type=float, default=0, help="adds a second in all (sets --think per count)"
    )
    parser.add_argument("--hog", action="store_true", help="keep one core busy meanwhile")
    parser.add_argument("--session-notes", type=int, default=300)
    parser.add_argument("--timeout", type=float, default=60, help="seconds for one phase")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before each client count, wait up to SECONDS for the machine to be nearly idle",
    )
    parser.add_argument("--profile", type=Path, help="run the server under cProfile into DIR")
    args = parser.parse_args(argv)
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)

    home = Path(tempfile.mkdtemp(prefix="canvas-bench-load-"))
    os.environ["HORIZONS_HOME"] = str(home)
    (home / "sessions").mkdir()

    import bokeh
    import panel
    import tornado

    load = os.getloadavg()
    table = Table()
    meta: dict = {}
    hog = start_hog() if args.hog else None
    try:
        run(args, table, home, meta)
    finally:
        if hog is not None:
            hog.kill()
            hog.wait()
        shutil.rmtree(home, ignore_errors=True)

    print(
        f"Python {platform.python_version()}, Panel {panel.__version__}, Bokeh "
        f"{bokeh.__version__}, Tornado {tornado.version}; {os.cpu_count()} CPUs; 1-minute load "
        f"average before {load[0]:.2f}, after each count {', '.join(meta.get('load', []))}"
    )
    pace = f"{args.rate:g} adds a second in all" if args.rate else f"{args.think:g} s apart"
    print(
        f"session of {args.session_notes} notes (wales-2022); the facilitator's page plus N "
        f"participants; each participant adds {args.notes} notes, {pace}; a CPU hog on one "
        f"core: {'yes' if args.hog else 'no'}; client sockets TCP_NODELAY: "
        f"{meta.get('nodelay')}; notes saved by the server (got/expected): "
        f"{', '.join(meta.get('saved', []))}"
    )
    if args.profile:
        print("(server under cProfile: the timings are slower than without it)")
    print()
    print(table.render())
    print()
    if table.missed:
        print("Targets missed: " + "; ".join(table.missed))
    else:
        print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
