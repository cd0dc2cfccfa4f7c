"""200 kills of a served board under live edits: "Saved" on a page is a promise the file keeps.

Each round starts ``horizons serve`` on the same workshop, lets a facilitator and two
participants (real WebSocket clients speaking Bokeh's protocol, :mod:`wsclient`) add and edit
notes as fast as the server lets them, and kills the server with SIGKILL at a random moment.
Then the file must load (never invalid), and every change that any page was shown as saved
(acknowledged with sequence number ``s``, and a save status covering ``s`` received) must be
in it. The counts are printed.

Starting Python and importing Panel takes about a second, which 200 rounds cannot afford: the
servers are forked from one process that has imported everything (a "zygote"), and each
child runs the command line itself, ``canvas.cli.main.main(["serve", ...])``, exactly as
``horizons serve`` does. The kill is a real SIGKILL of that whole server.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tornado.httpclient import AsyncHTTPClient

from canvas.format import store
from canvas.format.problems import FormatError
from canvas.live.access import Access, load_secret

import wsclient

ROOT = Path(__file__).resolve().parent.parent
KILLS = int(os.environ.get("THC_CRASH_KILLS", "200"))
SEED = 20260301
WORKSHOP = "crash"
SESSION = f"{WORKSHOP}/01-user-research"
PACE = 0.045  # seconds between one page's changes: within the rate limit (5 a second)

ZYGOTE = r"""
import os, signal, sys

import canvas.view.server  # noqa: F401  (Panel, Bokeh and the pages, imported once)
import canvas.view.board  # noqa: F401
from canvas.cli.main import main

signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed servers are reaped at once
print("ready", flush=True)
for line in sys.stdin:
    target, port, log = line.split()
    pid = os.fork()
    if pid == 0:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        code = 1
        try:
            code = main(["serve", target, "--port", port, "--address", "127.0.0.1"])
        finally:
            os._exit(code or 0)
    print(pid, flush=True)
"""


@dataclass
class Tally:
    rounds: int = 0
    acknowledged: int = 0
    shown_saved: int = 0
    missing: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    mid_save: int = 0
    refused: int = 0
    on_disk: set = field(default_factory=set)


class Zygote:
    """One warm Python that forks a server per round."""

    def __init__(self, home: Path):
        env = dict(os.environ, HORIZONS_HOME=str(home), PYTHONUNBUFFERED="1")
        self.home = home
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE],
            cwd=home,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert self.proc.stdout.readline().strip() == "ready"

    def serve(self, port: int) -> int:
        log = self.home / "servers.log"
        self.proc.stdin.write(f"{SESSION} {port} {log}\n")
        self.proc.stdin.flush()
        pid = int(self.proc.stdout.readline())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                return pid
            time.sleep(0.01)
        raise RuntimeError("a forked server did not start:\n" + log.read_text()[-3000:])

    def close(self) -> None:
        wsclient.stop(self.proc)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.005)
    raise RuntimeError(f"server {pid} did not die")


async def _edit(page: wsclient.Client, notes: list[str], base: int, stop, sent: dict) -> None:
    """Add ``notes`` the file does not hold yet, then keep editing them; each change's text
    is ``v<version>`` with versions rising across rounds. ``sent[(page, ref)] = (note, v)``."""
    i = 0
    while not stop.is_set():
        note = notes[i % len(notes)]
        version = base + i
        if note in page.missing:
            page.missing.discard(note)
            op = {"op": "add", "id": note, "x": 0.3, "y": 0.5, "text": f"v{version}"}
        else:
            op = {"op": "edit", "id": note, "text": f"v{version}"}
        ref = i + 1
        sent[(page.name, ref)] = (note, version)
        with contextlib.suppress(Exception):  # the server may be gone mid-send
            await page.send_op({**op, "ref": ref})
        i += 1
        await asyncio.sleep(PACE)


async def _round(port: int, pid: int, number: int, state: dict, rng: random.Random) -> tuple:
    """One round: the facilitator adds notes of this round; the two participants (the same
    people every round, by their identity cookies) edit their own three notes."""
    http = AsyncHTTPClient(force_instance=True)
    base = f"http://127.0.0.1:{port}/board?session={SESSION}"
    pages = [wsclient.Client("lead", base, port)]
    pages += [
        wsclient.Client(who, f"{base}&join={state['join']}", port, state["cookies"][who])
        for who in ("ann", "ben")
    ]
    owned = {p.name: [f"{p.name}-{k}" for k in range(3)] for p in pages}
    owned["lead"] = [f"r{number:03d}-lead-{k}" for k in range(3)]
    sent: dict = {}
    try:
        await asyncio.gather(*(p.join(http, 30) for p in pages))
        for p in pages:
            state["cookies"].setdefault(p.name, {}).update(p.cookies)
            p.missing = {n for n in owned[p.name] if n not in state["on_disk"]}
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(_edit(p, owned[p.name], number * 1000, stop, sent)) for p in pages
        ]
        await asyncio.sleep(rng.uniform(0.1, 0.7))
        _kill(pid)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        await asyncio.gather(*(p.close() for p in pages), return_exceptions=True)
        http.close()
    return pages, sent


def _check(path: Path, pages, sent: dict, tally: Tally) -> None:
    folder = path.parent
    if any(".tmp-" in p.name for p in folder.iterdir()):
        tally.mid_save += 1
    try:
        on_disk = store.load(path)
    except FormatError as exc:
        tally.invalid.append(str(exc))
        return
    tally.on_disk = set(on_disk.notes)
    saved_up_to = max(p.saved_seq for p in pages)
    for page in pages:
        tally.refused += len(page.refusals)
        for ref, seq in page.acks.items():
            tally.acknowledged += 1
            if seq is None or seq > saved_up_to:
                continue
            tally.shown_saved += 1
            note, version = sent[(page.name, ref)]
            kept = on_disk.notes.get(note)
            if kept is None or int(kept.text[1:]) < version:
                tally.missing.append(f"{note} v{version} (seq {seq}, saved {saved_up_to})")


@pytest.mark.slow
def test_every_change_shown_as_saved_survives_a_kill(tmp_path):
    home = tmp_path
    shutil.copytree(ROOT / "sessions" / "wales-2022", home / "sessions" / WORKSHOP)
    for extra in (home / "sessions" / WORKSHOP).glob("02-*.yaml"):
        extra.unlink()
    path = home / "sessions" / f"{SESSION}.yaml"
    state = {
        "join": Access(secret=load_secret(home)).join_code(SESSION),
        "cookies": {"ann": {}, "ben": {}},
        "on_disk": set(),
    }
    rng = random.Random(SEED)
    tally = Tally()
    zygote = Zygote(home)
    started = time.monotonic()
    try:
        for number in range(KILLS):
            port = wsclient.free_port()
            pid = zygote.serve(port)
            pages, sent = wsclient.run(_round(port, pid, number, state, rng))
            tally.rounds += 1
            _check(path, pages, sent, tally)
            state["on_disk"] = tally.on_disk
    finally:
        zygote.close()
    took = time.monotonic() - started
    print(
        f"\n{tally.rounds} kills in {took:.0f} s: {tally.acknowledged} changes acknowledged,"
        f" {tally.shown_saved} shown as saved, {tally.shown_saved - len(tally.missing)} of them"
        f" in the file after the kill, {len(tally.missing)} missing; {len(tally.invalid)}"
        f" invalid files; {tally.mid_save} kills left a save's temporary file;"
        f" {tally.refused} changes refused; {len(store.load(path).notes)} notes at the end"
    )
    assert tally.rounds == KILLS
    assert not tally.invalid, tally.invalid[:3]
    assert not tally.missing, tally.missing[:10]
    assert tally.shown_saved > KILLS  # the test saw saves, not only kills before them
    # The participants were the same people in every round: their own notes, edited since
    # the first round, are theirs after every restart.
    final = store.load(path).notes
    assert all(
        final[f"{who}-{k}"].owner == final[f"{who}-0"].owner
        for who in ("ann", "ben")
        for k in range(3)
    )
    assert final["ann-0"].owner != final["ben-0"].owner
