"""Take the README's screenshot of the sample board: serves it, opens Chromium, saves a PNG.

Usage: python scripts/screenshot.py [OUTPUT] (default assets/board.png). Needs Debian's
chromium; the server runs on a free port on 127.0.0.1 and stops when the picture is taken.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
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


def main(output: str = "assets/board.png") -> int:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "canvas", "serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "HORIZONS_HOME": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(url)
        with sync_playwright() as p:
            chromium = shutil.which("chromium")
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 900})
            page.goto(url)
            page.locator(".thc-note").first.wait_for()
            page.wait_for_timeout(800)
            target = ROOT / output
            target.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(target))
            browser.close()
        print(f"wrote {output}")
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
