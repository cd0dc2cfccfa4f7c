"""Benchmark of the trends page: the server's response and the first chart in Chromium.

Run it as a script, not under pytest (the ``bench_`` prefix keeps pytest from collecting it)::

    python tests/benchmarks/bench_trends.py [--iterations 10] [--notes 1000] [--repeat 5]

It prints a Markdown table and never fails on a missed target: it is a measurement, not a
test. Two workshops are served by ``python -m canvas serve`` in a subprocess bound to
127.0.0.1, from a temporary ``HORIZONS_HOME``:

* ``wales-2022``, the sample workshop (two iterations, a few dozen notes);
* ``bench-trends``, ``--iterations`` iterations of ``--notes`` notes each: the first is the
  board benchmark's seeded session of the ``wales-2022`` template; each next one keeps the
  note ids, moves about 5% of the notes to another anchor (or off one), removes about 3%,
  adds about 3% and deals the votes again (seeded), as a workshop series would.

Server response: wall time of one HTTP GET of ``/trends?workshop=...`` until the whole body
is read (Panel builds the page's document while it answers, so this is the page's build
time). The first request after the server started is reported apart ("cold": nothing
cached); the median (min) of the ``--repeat`` next ones follows ("warm": the files have not
changed, so their figures may come from a cache). Target: under 1 s.

First chart: a fresh browser context (nothing cached) opens the page; wall time from just
before ``page.goto`` until the first chart's canvas is in the page with a size (searched
once per animation frame through the shadow roots Bokeh renders into); "in page" is the same
moment in ms since navigation start. The page draws the flow chart and the top anchors after
it is on screen; "every chart" is when the last of them is drawn (the canvases a settled
page has, counted in one untimed load first). Each page is left only when every chart is
drawn, so a load never overlaps the server's work for the one before. Median (min) of
``--repeat`` loads. Target: first chart under 2 s.

The machine these figures come from may be shared with other work: the 1-minute load
average is printed before and after, and the figures are only comparable with others taken
on the same quiet machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_board as bb

ROOT = Path(__file__).resolve().parents[2]
SEED = 20220301
RESPONSE_TARGET = 1.0
CHART_TARGET = 2.0
WORKSHOP = "bench-trends"
CANVASES_JS = """() => {
  let n = 0
  const seen = [document]
  while (seen.length) {
    const root = seen.pop()
    for (const el of root.querySelectorAll("*")) {
      if (el.tagName === "CANVAS" && el.width > 0 && el.height > 0) n++
      if (el.shadowRoot) seen.push(el.shadowRoot)
    }
  }
  return n
}"""
# Resolves with [ms to the first chart's canvas, ms to the last] since navigation start.
TIMES_JS = (
    """(expected) => new Promise((resolve) => {
  const count = """
    + CANVASES_JS
    + """
  let first = 0
  function tick() {
    const n = count()
    if (n > 0 && !first) first = performance.now()
    if (n >= expected) resolve([first, performance.now()])
    else requestAnimationFrame(tick)
  }
  tick()
})"""
)


# ---------------------------------------------------------------------------------------------
# Data


def next_iteration(session, number: int, rng: random.Random):
    """The next iteration of a workshop series: moves, removals, additions and new votes."""
    anchors = sorted(session.anchors)
    notes = {}
    for note_id, note in session.notes.items():
        roll = rng.random()
        if roll < 0.03:
            continue  # removed
        if roll < 0.08:
            anchor = rng.choice([None, *anchors])
            horizon = session.anchors[anchor].horizon if anchor else note.horizon
            polarity = note.polarity if horizon == "H2" else None
            note = replace(
                note, anchor=anchor, horizon=horizon, polarity=polarity, rev=note.rev + 1
            )
        notes[note_id] = replace(note, votes=rng.choice((0, 0, 0, 1, 2, 3, 5)))
    fresh = bb.make_session(session, max(len(session.notes) // 30, 1), SEED + number)
    for note_id, note in fresh.notes.items():
        notes[f"i{number:02d}-{note_id}"] = replace(note, id=f"i{number:02d}-{note_id}")
    return replace(
        session,
        id=f"{WORKSHOP}-{number:02d}",
        title=f"Iteration {number}",
        iteration=number,
        notes=notes,
    )


def write_workshop(home: Path, iterations: int, notes: int) -> None:
    """The sample workshop and the generated series, saved under ``home/sessions``."""
    from canvas.format import store
    from canvas.format.templates import load_template

    shutil.copytree(ROOT / "sessions" / "wales-2022", home / "sessions" / "wales-2022")
    folder = home / "sessions" / WORKSHOP
    folder.mkdir(parents=True)
    rng = random.Random(SEED)
    session = replace(
        bb.make_session(load_template("wales-2022"), notes),
        id=f"{WORKSHOP}-01",
        title="Iteration 1",
        workshop=WORKSHOP,
    )
    for number in range(1, iterations + 1):
        if number > 1:
            session = next_iteration(session, number, rng)
        store.save_checked(session, folder / f"{number:02d}-iteration-{number}.yaml")


# ---------------------------------------------------------------------------------------------
# The server


def start_server(home: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, HORIZONS_HOME=str(home), BOKEH_PY_LOG_LEVEL="warning")
    cmd = [sys.executable, "-m", "canvas", "serve", "wales-2022", "--port", str(port)]
    cmd += ["--address", "127.0.0.1"]
    log = open(home / "server.log", "w", encoding="utf-8")  # noqa: SIM115
    proc = subprocess.Popen(cmd, env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return proc
        time.sleep(0.1)
    stop_server(proc)
    raise RuntimeError("the server did not start:\n" + (home / "server.log").read_text()[-2000:])


def stop_server(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


# ---------------------------------------------------------------------------------------------
# Measurements


def response_time(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as reply:
        reply.read()
    return time.perf_counter() - start


def canvases_when_settled(browser, url: str, timeout_s: float) -> int:
    """How many chart canvases the page has once nothing new appeared for 3 s."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto(url)
        last, since, deadline = -1, time.monotonic(), time.monotonic() + timeout_s
        while time.monotonic() < deadline and time.monotonic() - since < 3:
            n = page.evaluate(CANVASES_JS)
            if n != last:
                last, since = n, time.monotonic()
            time.sleep(0.1)
        return last
    finally:
        context.close()


def chart_times(browser, url: str, expected: int, timeout_ms: float) -> tuple[float, float, float]:
    """Seconds from before ``goto`` to the first chart's canvas (wall clock), and the page's own
    figures (since navigation start) for the first chart and for every chart drawn."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(CANVASES_JS, polling="raf", timeout=timeout_ms)
        wall = time.perf_counter() - start
        first, last = page.evaluate(TIMES_JS, expected)
        return wall, first / 1000, last / 1000
    finally:
        context.close()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def spread(values: list[float]) -> str:
    return f"{ms(statistics.median(values))} ({ms(min(values))})"


def run(args, home: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    port = bb.free_port()
    proc = start_server(home, port)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), args=bb.CHROMIUM_ARGS
            )
            workshops = [
                ("sample (wales-2022)", "wales-2022"),
                (f"{args.iterations} iterations x {args.notes:,} notes", WORKSHOP),
            ]
            for label, name in workshops:
                url = f"http://127.0.0.1:{port}/trends?workshop={name}"
                cold = response_time(url)
                warm = [response_time(url) for _ in range(args.repeat)]
                expected = canvases_when_settled(browser, url, args.timeout)  # untimed
                loads = [
                    chart_times(browser, url, expected, args.timeout * 1000)
                    for _ in range(args.repeat)
                ]
                walls = [w for w, _, _ in loads]
                rows.append(
                    f"| {label} | {ms(cold)} | {spread(warm)} | {spread(walls)}"
                    f" | {spread([f for _, f, _ in loads])} | {spread([a for _, _, a in loads])} |"
                    f" {'yes' if max(cold, statistics.median(warm)) < RESPONSE_TARGET else 'no'}"
                    f" / {'yes' if statistics.median(walls) < CHART_TARGET else 'no'} |"
                )
            browser.close()
    finally:
        stop_server(proc)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=60, help="seconds for one page load")
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="canvas-bench-trends-"))
    import bokeh
    import holoviews
    import panel

    try:
        before = os.getloadavg()[0]
        write_workshop(home, args.iterations, args.notes)
        rows = run(args, home)
        after = os.getloadavg()[0]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(
        "| workshop | response, cold | response, warm | first chart | in page | every chart,"
        " in page | <1 s / <2 s |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    print(
        f"\nPython {platform.python_version()}, Panel {panel.__version__}, HoloViews "
        f"{holoviews.__version__}, Bokeh {bokeh.__version__}; {os.cpu_count()} CPUs; 1-minute "
        f"load average {before:.2f} before, {after:.2f} after (a shared machine: compare only "
        f"with figures from the same quiet machine). Median (min) of {args.repeat}."
    )
    print("command: python tests/benchmarks/bench_trends.py " + " ".join(argv or sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
