"""Take the README's screenshots of the board: serves it, opens Chromium, saves PNGs.

Usage: python scripts/screenshot.py [--all] [--out assets]

Without ``--all``: ``assets/board.png``, the sample board at fit on a 1600x900 screen. With
``--all``, also the board as a room sees it, each at 1366x768 and 1920x1080, in English and
in Welsh: the sample at fit (``board-fit-*``), in present mode with a step and its timer
running (``board-present-*``), and a dense board, the sample with 200 more notes on random
anchors (``board-dense-*``); and the sample on a 390x844 phone (``board-phone-*``). Needs
Debian's chromium; the server runs on a free port on 127.0.0.1 with a copy of the sessions
and stops when the pictures are taken.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from playwright.sync_api import sync_playwright

from canvas.domain.model import Note
from canvas.format import store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SAMPLE = "wales-2022/02-steering-review"
DENSE = "dense-board/02-steering-review"
SCREENS = [(1366, 768), (1920, 1080)]
PHRASES = [
    "Time to try things in paid hours",
    "Carers know what works but nobody asks them",
    "A shared budget across health and care for prevention",
    "Peer exchanges between homes",
    "Commission for outcomes, not for minutes",
    "Make the small grants simple to apply for, and let people keep what they learn",
    "Trust frontline staff to change the rota",
    "A Welsh-language network of innovators: rhwydwaith arloeswyr",
    "Publish what failed as well as what worked",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server at {url} did not answer")


def make_home() -> Path:
    """A copy of the sessions, with the dense board beside the sample."""
    home = Path(tempfile.mkdtemp(prefix="canvas-shots-"))
    shutil.copytree(ROOT / "sessions", home / "sessions")
    folder = home / "sessions" / "dense-board"
    shutil.copytree(home / "sessions" / "wales-2022", folder)
    path = folder / "02-steering-review.yaml"
    session = store.load(path)
    rng = random.Random(20221101)
    anchors = sorted(session.anchors)
    notes = dict(session.notes)
    for i in range(200):
        anchor = session.anchors[rng.choice(anchors)]
        notes[f"d-{i:03d}"] = Note(
            id=f"d-{i:03d}",
            text=rng.choice(PHRASES),
            x=anchor.x,
            y=anchor.y,
            horizon=anchor.horizon,
            anchor=anchor.id,
            author=rng.choice(["Alys", "Bryn", "Carys", ""]),
            votes=rng.choice([0, 0, 0, 1, 2, 5]),
            created=f"2022-04-21T15:{i // 60:02d}:{i % 60:02d}Z",
        )
    store.save(replace(session, notes=notes), path)
    return home


def open_board(browser, url: str, size: tuple[int, int], mobile: bool = False):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, is_mobile=mobile)
    page.goto(url)
    page.locator(".thc-anchor").first.wait_for()
    page.wait_for_timeout(1200)
    return page


def run_step(page) -> None:
    """The facilitator starts the H1 step and a five-minute timer, as in a workshop."""
    step = page.get_by_role("button", name="H1", exact=True)
    if step.get_attribute("aria-pressed") != "true":
        step.click()
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_timeout(600)


def shoot_all(browser, base: str, out: Path) -> list[Path]:
    taken = []
    for lang in ("en", "cy"):
        for w, h in SCREENS:
            size = f"{w}x{h}-{lang}"
            for name, session in (("fit", SAMPLE), ("dense", DENSE)):
                page = open_board(browser, f"{base}board?session={session}&lang={lang}", (w, h))
                taken.append(out / f"board-{name}-{size}.png")
                page.screenshot(path=str(taken[-1]))
                page.close()
            page = open_board(browser, f"{base}board?session={SAMPLE}&lang=en", (w, h))
            run_step(page)
            page.goto(f"{base}board?session={SAMPLE}&lang={lang}&present=1")
            page.locator(".thc-present").wait_for()
            page.wait_for_timeout(1200)
            taken.append(out / f"board-present-{size}.png")
            page.screenshot(path=str(taken[-1]))
            page.close()
        page = open_board(browser, f"{base}board?session={SAMPLE}&lang={lang}", (390, 844), True)
        taken.append(out / f"board-phone-390x844-{lang}.png")
        page.screenshot(path=str(taken[-1]))
        page.close()
    return taken


@contextmanager
def served(home: Path) -> Iterator[tuple[str, object]]:
    """``(base URL, browser)``: a server on a free port for ``home`` and Chromium, both
    stopped (and ``home`` removed) afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "canvas", "serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "HORIZONS_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        wait_for(base)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            yield base, browser
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:  # a server too busy to stop politely
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        shutil.rmtree(home, ignore_errors=True)


def arguments(doc: str, argv: list[str] | None, **flags: str) -> tuple[argparse.Namespace, Path]:
    """The command line every screenshot script takes (``--out``, plus ``flags``: name to
    help of a switch) and the pictures' folder, made if missing."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    for name, text in flags.items():
        parser.add_argument(f"--{name}", action="store_true", help=text)
    parser.add_argument("--out", default="assets", help="folder of the pictures")
    args = parser.parse_args(argv)
    out = ROOT / args.out
    out.mkdir(parents=True, exist_ok=True)
    return args, out


def main(argv: list[str] | None = None) -> int:
    args, out = arguments(__doc__, argv, all="every screen, mode and language")
    with served(make_home()) as (base, browser):
        page = open_board(browser, f"{base}board?session={SAMPLE}", (1600, 900))
        page.screenshot(path=str(out / "board.png"))
        taken = [out / "board.png"]
        if args.all:
            taken += shoot_all(browser, base, out)
    for path in taken:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
