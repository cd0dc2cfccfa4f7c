"""Two servers behind Debian's nginx, configured as docs/DEPLOY.md says: a workshop's pages
always meet in one room, in one process, and converge; workshops spread over the processes.

nginx runs as the current user from a temporary folder (its configuration, pid file, logs and
temporary paths), on a free port of 127.0.0.1, and is always stopped. The configuration is the
one in docs/DEPLOY.md, with this test's ports: the documentation cannot drift from what works.
nginx missing is a failure, never a skip (``.ci/run`` installs it).
"""

from __future__ import annotations

import asyncio
import getpass
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

from canvas.live.access import Access, load_secret
from canvas.live.inbox import Reader

import wsclient

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a facilitator password for nginx"
PREFIX = "/canvas"
# The workshop's current iteration: participants write only there (an ended one refuses them).
SESSION = "02-steering-review"
WORKSHOPS = [f"w{i:02d}" for i in range(16)]


def _nginx() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None
    )
    if found is None:
        pytest.fail("nginx is not installed (apt-get install nginx; .ci/run does it)")
    return found


def deploy_config(port: int, backends: list[int]) -> str:
    """docs/DEPLOY.md's nginx configuration, listening on ``port``, with these backends."""
    text = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    config = re.search(r"```nginx\n(.*?)```", text, re.S)
    assert config, "docs/DEPLOY.md has no nginx configuration"
    body = config.group(1)
    body = body.replace("listen 80;", f"listen 127.0.0.1:{port};")
    body = body.replace("server_name canvas.example.org;", "server_name 127.0.0.1;")
    for documented, real in zip((5101, 5102), backends, strict=True):
        body = body.replace(f"server 127.0.0.1:{documented};", f"server 127.0.0.1:{real};")
    return body


def _wrap(folder: Path, body: str) -> str:
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\ndaemon off;\n"
        "events { worker_connections 512; }\n"
        f"http {{\n    access_log off;\n{temp}{body}\n}}\n"
    )


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    """``(nginx port, [server ports], home)``: two servers sharing one home behind nginx."""
    nginx = _nginx()
    home = tmp_path_factory.mktemp("home")
    for name in WORKSHOPS:
        shutil.copytree(ROOT / "sessions" / "wales-2022", home / "sessions" / name)
    port = wsclient.free_port()
    backends = [wsclient.free_port(), wsclient.free_port()]
    folder = tmp_path_factory.mktemp("nginx")
    (folder / "nginx.conf").write_text(_wrap(folder, deploy_config(port, backends)))
    env = {"HORIZONS_FACILITATOR_PASSWORD": PASSWORD}
    extra = ("--prefix", PREFIX, "--allow-host", f"127.0.0.1:{port}", "--trust-proxy")
    servers = []
    proxy = None
    try:
        for backend in backends:
            servers.append(wsclient.start(home, WORKSHOPS[0], backend, *extra, env=env))
        proxy = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", "stderr"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=open(folder / "stderr.log", "wb"),  # noqa: SIM115
            start_new_session=True,
        )
        _listening(port, proxy, folder)
        yield port, backends, home
    finally:
        if proxy is not None and proxy.poll() is None:
            proxy.send_signal(signal.SIGQUIT)
            try:
                proxy.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proxy.pid, signal.SIGKILL)
                proxy.wait(10)
        for server in servers:
            wsclient.stop(server)


def _listening(port: int, proxy: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and proxy.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not start: {(folder / 'stderr.log').read_text()[-2000:]}")


def health(port: int, prefix: str = PREFIX) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{prefix}/health", timeout=30) as r:
        assert r.status == 200
        return json.loads(r.read())


def holders(backends: list[int], session: str) -> list[int]:
    """The servers that hold ``session``'s room open."""
    return [b for b in backends if session in health(b)["rooms"]]


def test_two_pages_of_one_workshop_meet_in_one_room_and_converge(farm):
    port, backends, home = farm
    name = f"{WORKSHOPS[0]}/{SESSION}"
    join = Access(secret=load_secret(home)).join_code(name)
    url = f"http://127.0.0.1:{port}{PREFIX}/board?session={name}&join={join}"

    async def run():
        http = AsyncHTTPClient(force_instance=True)
        ann, ben = wsclient.Client("Ann", url, port), wsclient.Client("Ben", url, port)
        for page in (ann, ben):
            await page.join(http, 60)
        rooms = holders(backends, name)
        pages = sum(health(b)["rooms"].get(name, 0) for b in backends)
        for i, page in enumerate((ann, ben)):
            op = {"op": "add", "id": f"via-nginx-{i}", "x": 0.3 + i / 10, "y": 0.5}
            answer = await page.change(op)
            assert answer["type"] == "ack", answer
        both = {"via-nginx-0", "via-nginx-1"}
        met = await wsclient.until(lambda: both <= ann.received.keys() & ben.received.keys())
        for page in (ann, ben):
            await page.close()
        return rooms, pages, met

    rooms, pages, met = wsclient.run(run())
    assert len(rooms) == 1, f"the workshop's room is open in {len(rooms)} processes"
    assert pages == 2
    assert met, "a page did not get the other's note"


def test_workshops_are_spread_over_the_processes_each_in_one(farm):
    port, backends, home = farm
    access = Access(secret=load_secret(home))

    async def watch(workshop: str):
        name = f"{workshop}/{SESSION}"
        request = HTTPRequest(
            f"ws://127.0.0.1:{port}{PREFIX}/room/{workshop}?session={name}"
            f"&view={access.view_code(name)}",
            headers={"Origin": f"http://127.0.0.1:{port}"},
        )
        socket_ = await websocket_connect(request)
        kinds = [m["type"] for m in Reader().read(await socket_.read_message())]
        return socket_, kinds

    async def run():
        opened = [await watch(w) for w in WORKSHOPS]
        where = {w: holders(backends, f"{w}/{SESSION}") for w in WORKSHOPS}
        for socket_, _ in opened:
            socket_.close()
        return [kinds for _, kinds in opened], where

    kinds, where = wsclient.run(run())
    assert all(k[0] == "snapshot" for k in kinds)
    assert all(len(held) == 1 for held in where.values()), where
    assert {held[0] for held in where.values()} == set(backends), where


def test_a_process_pinned_to_workshops_refuses_the_others(tmp_path):
    shutil.copytree(ROOT / "sessions" / "wales-2022", tmp_path / "sessions" / "mine")
    shutil.copytree(ROOT / "sessions" / "wales-2022", tmp_path / "sessions" / "theirs")
    port = wsclient.free_port()
    server = wsclient.start(tmp_path, "mine", port, "--workshop", "mine")
    try:
        access = Access(secret=load_secret(tmp_path))

        async def hear(workshop: str) -> dict:
            name = f"{workshop}/{SESSION}"
            request = HTTPRequest(
                f"ws://127.0.0.1:{port}/room/{workshop}?session={name}"
                f"&view={access.view_code(name)}",
                headers={"Origin": f"http://127.0.0.1:{port}"},
            )
            socket_ = await websocket_connect(request)
            first = json.loads(await socket_.read_message())[0]
            socket_.close()
            return first

        async def both():
            return await asyncio.gather(hear("mine"), hear("theirs"))

        mine, theirs = wsclient.run(both())
        listed = health(port, "")
    finally:
        wsclient.stop(server)
    assert mine["type"] == "snapshot"
    assert theirs["type"] == "refused" and "another process" in theirs["message"]
    assert listed["workshops"] == ["mine"]
    assert f"mine/{SESSION}" in listed["rooms"]
    assert not [name for name in listed["rooms"] if name.startswith("theirs/")]
