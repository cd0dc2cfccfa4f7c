"""Browser fixtures: a board server on a free local port, Debian's Chromium, a watched page.

The server runs as a subprocess (``python -m canvas serve``) in its own process group, with
``HORIZONS_HOME`` set to a temporary copy of ``sessions/``; one server serves a whole test
module, and each test that changes a board works on a workshop folder of its own
(:func:`fresh_session`), so tests never see each other's changes.

Chromium is Debian's (``shutil.which("chromium")``); no browser is ever downloaded. The
fixture names avoid pytest-playwright's (``page``, ``browser``, ``context``).

``HORIZONS_TEST_ROOM_DELAY=300`` runs the browser tests as if the server were slow (a full
room): every page hears its room channel 300 ms late. A test that passes only on a fast
server is racing the server (this found one, and a board that ignored Enter on a note on its
way); the suite passes with it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from canvas.domain.model import Session
from canvas.format import store

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = ROOT / "sessions"
SAMPLE_WORKSHOP = "wales-2022"
SAMPLE_SESSION = "02-steering-review"
START_TIMEOUT = 30.0
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
VIEWPORT = {"width": 1400, "height": 900}


# ------------------------------------------------------------------------------------------
# The server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(proc: subprocess.Popen) -> None:
    """End the server and anything it started: its whole process group."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    # The leader is gone; make sure no child of the group outlives it either.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


@dataclass
class Server:
    url: str
    home: Path
    proc: subprocess.Popen
    log: Path


def start_server(home: Path, target: str = SAMPLE_WORKSHOP, attempts: int = 3) -> Server:
    """Start ``python -m canvas serve`` on a free port; returns once it answers HTTP."""
    env = dict(os.environ, HORIZONS_HOME=str(home), PYTHONUNBUFFERED="1")
    last = ""
    for attempt in range(attempts):
        port = _free_port()
        log = home / f"server-{port}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "canvas", "serve", target, "--port", str(port)]
                + ["--address", "127.0.0.1"],
                cwd=home,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                if _answers(url + "/"):
                    return Server(url, home, proc, log)
                time.sleep(0.1)
        except BaseException:
            _stop(proc)
            raise
        _stop(proc)
        last = log.read_text(encoding="utf-8", errors="replace")
        # A port taken between choosing and binding it is worth another try; else give up.
        if "address already in use" not in last.lower() or attempt == attempts - 1:
            break
    pytest.fail(f"the board server did not start within {START_TIMEOUT:.0f} s:\n{last}")


@pytest.fixture(scope="module")
def board_home(tmp_path_factory) -> Path:
    """A project home holding a copy of the repository's ``sessions/``."""
    home = tmp_path_factory.mktemp("home")
    shutil.copytree(SESSIONS, home / "sessions")
    return home


@pytest.fixture(scope="module")
def board_server(board_home) -> Iterator[tuple[str, Path]]:
    """``(base URL, home)`` of a board server for this module; always stopped afterwards."""
    server = start_server(board_home)
    try:
        yield server.url, server.home
    finally:
        _stop(server.proc)


@dataclass(frozen=True)
class BoardSession:
    """One session of a workshop folder that belongs to a single test."""

    url: str
    path: Path
    name: str


@pytest.fixture
def fresh_session(board_server) -> BoardSession:
    """A copy of the sample workshop under a new name, so that this test owns its board."""
    url, home = board_server
    workshop = f"t-{uuid.uuid4().hex[:10]}"
    shutil.copytree(home / "sessions" / SAMPLE_WORKSHOP, home / "sessions" / workshop)
    name = f"{workshop}/{SAMPLE_SESSION}"
    return BoardSession(
        url=f"{url}/board?session={name}",
        path=home / "sessions" / workshop / f"{SAMPLE_SESSION}.yaml",
        name=name,
    )


# ------------------------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium through Playwright; fails (never skips) when it is not installed."""
    executable = shutil.which("chromium")
    if not executable:
        pytest.fail(
            "the browser tests need Debian's Chromium: no 'chromium' on PATH "
            "(install it with: apt-get install chromium)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        delay = os.environ.get("HORIZONS_TEST_ROOM_DELAY", "")
        if delay.isdigit() and int(delay) > 0:
            _slow_rooms(browser, int(delay))
        try:
            yield browser
        finally:
            browser.close()


# Every room channel of a page delivers what the server says ``ms`` late, in order.
SLOW_ROOM_JS = """
(() => {
    const Real = window.WebSocket
    window.WebSocket = class extends Real {
        constructor(url, protocols) {
            super(url, protocols)
            this.lateBy = String(url).includes("/room") ? MS : 0
        }
        set onmessage(fn) {
            if (!this.lateBy || !fn) { super.onmessage = fn; return }
            super.onmessage = (event) => {
                const data = event.data
                setTimeout(() => fn.call(this, {data}), this.lateBy)
            }
        }
        get onmessage() { return super.onmessage }
    }
})()
"""


def _slow_rooms(browser, ms: int) -> None:
    """Every browser context made from now on hears its room channels ``ms`` late."""
    make = browser.new_context

    def new_context(*args, **kwargs):
        context = make(*args, **kwargs)
        context.add_init_script(SLOW_ROOM_JS.replace("MS", str(ms)))
        return context

    browser.new_context = new_context


# Lists the elements that could run script: in the component (the shadow root holding
# ``.thc-root``, nested shadow roots included) anything that is an <img>, <script>, <iframe>,
# <object>, <embed>, a javascript: link or has an on* attribute (an <svg onload> among them);
# in the whole page (where Bokeh's own <script> tags live) any script holding the marker,
# any <img src=x>, on* attribute or javascript: URL.
SCAN_JS = """
(marker) => {
    const inside = (root, out = []) => {
        for (const el of root.querySelectorAll("*")) {
            out.push(el)
            if (el.shadowRoot) inside(el.shadowRoot, out)
        }
        return out
    }
    const everything = inside(document)
    const rootEl = everything.find((el) => el.classList?.contains("thc-root"))
    const describe = (el) => el.outerHTML.slice(0, 200)
    const jsUrl = (el) => el.getAttributeNames().some((name) =>
        /(^|:)(href|src|action|formaction)$/i.test(name)
        && /^\\s*javascript:/i.test(el.getAttribute(name) || ""))
    const handler = (el) => el.getAttributeNames().some((name) => /^on/i.test(name))
    const risky = (el) =>
        ["img", "script", "iframe", "object", "embed"].includes(el.localName)
        || jsUrl(el) || handler(el)
    const marked = (el) =>
        (el.localName === "script" && (el.textContent || "").includes(marker))
        || (el.localName === "img" && el.getAttribute("src") === "x")
        || jsUrl(el) || handler(el)
    return {
        component: rootEl ? inside(rootEl.getRootNode()).filter(risky).map(describe) : null,
        page: everything.filter(marked).map(describe),
    }
}
"""

# Waits until the board is drawn and fitted to its viewport (on the first animation frame).
FITTED_JS = """
() => {
    const find = (root) => {
        const hit = root.querySelector(".thc-world")
        if (hit) return hit
        for (const el of root.querySelectorAll("*")) {
            if (el.shadowRoot) { const f = find(el.shadowRoot); if (f) return f }
        }
        return null
    }
    const world = find(document)
    return !!world && world.style.transform.includes("scale(")
}
"""


@dataclass
class BoardPage:
    """A page plus what went wrong on it: console errors, uncaught errors, dialogs."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    checked: bool = False

    def open(self, url: str) -> Any:
        """Load a board; returns the Playwright page once the board is drawn and fitted."""
        self.page.goto(url)
        return self.wait_ready()

    def wait_ready(self) -> Any:
        """Wait until the board this page has navigated to is drawn, fitted and connected."""
        page = self.page
        page.locator(".thc-root").wait_for()
        page.locator(".thc-anchor").first.wait_for()
        page.wait_for_function(FITTED_JS)
        page.locator(".thc-status[data-state='saved']").wait_for(state="attached")
        return page

    def problems(self) -> list[str]:
        return [f"dialog opened: {d}" for d in self.dialogs] + self.errors

    def assert_clean(self) -> None:
        """No dialog opened, nothing was logged as an error, no script threw."""
        self.checked = True
        problems = self.problems()
        assert not problems, "the page reported problems:\n" + "\n".join(problems)

    def dangerous_elements(self, marker: str) -> dict[str, list[str]]:
        """What :data:`SCAN_JS` finds: ``{"component": [...], "page": [...]}``.

        ``component`` is None on a page without the board.
        """
        return self.page.evaluate(SCAN_JS, marker)


def _watched_page(browser) -> tuple[Any, BoardPage]:
    """A new browser context (its own cookies and localStorage) with one watched page."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(10_000)
    watched = BoardPage(page)

    def on_console(message) -> None:
        if message.type == "error":
            watched.errors.append(f"console error: {message.text}")

    def on_dialog(dialog) -> None:
        watched.dialogs.append(f"{dialog.type}: {dialog.message}")
        with contextlib.suppress(Exception):
            dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: watched.errors.append(f"page error: {exc}"))
    page.on("dialog", on_dialog)
    return context, watched


def _close_all(opened: list[tuple[Any, BoardPage]]) -> None:
    """Close every context; then fail if a page nobody checked reported problems."""
    unchecked = []
    for index, (context, watched) in enumerate(opened):
        problems = watched.problems()
        with contextlib.suppress(Exception):
            context.close()
        if problems and not watched.checked:
            unchecked.append(f"page {index + 1}:\n" + "\n".join(problems))
    if unchecked:
        pytest.fail("the page reported problems:\n" + "\n".join(unchecked), pytrace=False)


@pytest.fixture
def board_page(chromium_browser) -> Iterator[BoardPage]:
    """A fresh 1400x900 page that records errors and fails the test if a dialog opens."""
    opened = [_watched_page(chromium_browser)]
    try:
        yield opened[0][1]
    finally:
        _close_all(opened)


@pytest.fixture
def new_board_page(chromium_browser) -> Iterator[Callable[[], BoardPage]]:
    """A factory of watched pages, each in a browser context of its own.

    Separate contexts keep cookies and localStorage apart, as on different people's
    machines (a participant's browser keeps its name and the id its notes are owned by).
    Every page is closed after the test, and any page whose problems were not checked
    with :meth:`BoardPage.assert_clean` fails the test.
    """
    opened: list[tuple[Any, BoardPage]] = []

    def make() -> BoardPage:
        opened.append(_watched_page(chromium_browser))
        return opened[-1][1]

    try:
        yield make
    finally:
        _close_all(opened)


def _wait_for_file(
    path: Path,
    predicate: Callable[[Session], bool],
    timeout: float = 3.0,
    what: str = "the expected change",
) -> Session:
    """Poll the session file until ``predicate`` holds; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        session = store.load(path)
        if predicate(session):
            return session
        if time.monotonic() >= deadline:
            pytest.fail(f"{path.name} did not record {what} within {timeout:g} s", pytrace=False)
        time.sleep(0.05)


@pytest.fixture
def wait_for_file() -> Callable[..., Session]:
    """``wait_for_file(path, predicate, timeout=3.0, what=...)``: poll a session file."""
    return _wait_for_file
