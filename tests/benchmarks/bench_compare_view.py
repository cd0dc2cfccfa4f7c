"""Benchmark: the compare view of two 1,000-note iterations, on screen in headless Chromium.

    python tests/benchmarks/bench_compare_view.py [--notes 1000] [--repeat 3]

Iteration 1 is a seeded board (the generator of ``bench_board.py``); iteration 2 keeps its
note ids with about 5% moved, 5% edited, 5% re-voted, 2% added and 2% removed. Both are
served in-process (``bench_board.start_server``); the time runs from ``page.goto`` of
``/board?session=.../02-...&compare=.../01-...`` until every note has a card and the change
list holds every change, beside the same board opened without comparison. Target: within
2 s. It prints a table and never fails on a missed target.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_board as bb

READY = """
([notes, changes]) => {
    const root = window.__thcRoot()
    if (!root) return false
    const cards = root.querySelectorAll('.thc-note').length
    const listed = root.querySelectorAll('.thc-change-list button').length
    return cards >= notes && listed >= changes ? performance.now() : false
}
"""


def second_iteration(first, seed: int = 7):
    """Iteration 2: the same ids, with moves, edits, vote changes, additions and removals."""
    from canvas.domain.model import Note, touch
    from canvas.format.templates import next_iteration

    rng = random.Random(seed)
    s = next_iteration(first, "Second round", keep_votes=True)
    notes = dict(s.notes)
    ids = sorted(notes)
    for nid in rng.sample(ids, len(ids) // 20):
        notes[nid] = touch(
            notes[nid], "2022-04-01T10:00:00Z", x=rng.random(), y=rng.random(), anchor=None
        )
    for nid in rng.sample(ids, len(ids) // 20):
        notes[nid] = touch(notes[nid], "2022-04-01T10:00:00Z", text=notes[nid].text + " (revised)")
    for nid in rng.sample(ids, len(ids) // 20):
        notes[nid] = touch(notes[nid], "2022-04-01T10:00:00Z", votes=notes[nid].votes + 2)
    for nid in rng.sample(ids, len(ids) // 50):
        del notes[nid]
    for i in range(len(ids) // 50):
        nid = f"new-{i:04d}"
        notes[nid] = Note(
            id=nid, text=f"Added in round two {i}", x=rng.random(), y=rng.random(), horizon="H2"
        )
    return replace(s, notes=notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="thc-bench-compare-"))
    os.environ["HORIZONS_HOME"] = str(home)
    server = browser = None
    try:
        from playwright.sync_api import sync_playwright

        from canvas.domain.diff import diff
        from canvas.format import store
        from canvas.format.templates import load_template

        first = bb.make_session(load_template("wales-2022"), args.notes)
        second = second_iteration(first)
        folder = home / "sessions" / "bench"
        folder.mkdir(parents=True)
        store.save(first, folder / "01-first.yaml")
        store.save(second, folder / "02-second.yaml")
        d = diff(first, second)
        changes = len(d.notes.added) + len(d.notes.updated) + len(d.notes.removed)
        port = bb.free_port()
        server = bb.start_server(port)
        base = f"http://127.0.0.1:{port}/board?session=bench/02-second"
        urls = {"board alone": base, "compare view": f"{base}&compare=bench/01-first"}
        times: dict[str, list[float]] = {k: [] for k in urls}
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), args=bb.CHROMIUM_ARGS
            )
            for _ in range(args.repeat + 1):  # the first round warms up and is not counted
                for label, url in urls.items():
                    context = browser.new_context(viewport=bb.VIEWPORT)
                    context.add_init_script(bb.FIND_ROOT)
                    page = context.new_page()
                    start = time.perf_counter()
                    page.goto(url, wait_until="commit")
                    wanted = changes if label == "compare view" else 0
                    page.wait_for_function(
                        READY, arg=[len(second.notes), wanted], polling="raf", timeout=60000
                    )
                    times[label].append(time.perf_counter() - start)
                    context.close()
            browser.close()
            browser = None
        command = "python tests/benchmarks/bench_compare_view.py"
        print(f"`{command} --notes {args.notes} --repeat {args.repeat}`")
        print(f"{args.notes:,} notes in iteration 1, {len(second.notes):,} in iteration 2,", end="")
        print(f" {changes} changes\n")
        print("| view | median (s) | min (s) | target | met |")
        print("|---|---|---|---|---|")
        for label, values in times.items():
            counted = values[1:]
            med = statistics.median(counted)
            target = "<= 2 s" if label == "compare view" else "reference"
            met = ("yes" if med <= 2 else "NO") if label == "compare view" else "—"
            print(f"| {label} | {med:.2f} | {min(counted):.2f} | {target} | {met} |")
    finally:
        if browser is not None:
            browser.close()
        bb.stop_server(server)
        from canvas.live.hub import HUB

        HUB.close()
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
