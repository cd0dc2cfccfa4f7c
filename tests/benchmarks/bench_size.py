"""How a live room knows its file's size: item by item, or by writing the whole board.

Run it as a script, not under pytest::

    python tests/benchmarks/bench_size.py [--sizes 1000 5000 10000] [--ops 500]

For boards of the ``wales-2022`` template with seeded notes (as ``bench_board.py`` makes them),
it times, per operation (a participant's 200-character note added): applying it, measuring
its growth with :func:`canvas.format.sizes.growth` (what the room does, under its lock, on the
event loop), and the alternative of writing the whole board in memory
(:func:`canvas.format.sizes.file_bytes`), and it prints how far the estimate is from the
exact growth. It prints a Markdown table; it never fails on a figure.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_board as bb

from canvas.format import sizes, templates
from canvas.live.actor import Actor
from canvas.live.ops import apply

SEED = 20220301
ANN = Actor(name="Ann", role="participant", pid="p-aaaaaaaaaaaaaaaa")


def measure(count: int, ops: int) -> dict:
    session = bb.make_session(templates.load_template("wales-2022"), count, SEED)
    applying, growing, errors = [], [], []
    for i in range(ops):
        op = {"op": "add", "id": f"bench-{i}", "x": 0.5, "y": 0.5, "text": "x" * 200}
        started = time.perf_counter()
        applied = apply(session, op, ANN)
        applying.append(time.perf_counter() - started)
        started = time.perf_counter()
        growth = sizes.growth(applied.diff)
        growing.append(time.perf_counter() - started)
        if i < 20:
            exact = sizes.file_bytes(applied.session) - sizes.file_bytes(session)
            errors.append(growth - exact)
    started = time.perf_counter()
    whole = sizes.file_bytes(session)
    dump = time.perf_counter() - started
    return {
        "count": count,
        "bytes": whole,
        "apply": statistics.median(applying),
        "growth": statistics.median(growing),
        "dump": dump,
        "error": (min(errors), max(errors)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--ops", type=int, default=500)
    args = parser.parse_args(argv)
    head = ("notes", "file", "apply (median)", "growth, item by item", "whole board written")
    print("| " + " | ".join((*head, "over-estimate")) + " |")
    print("|---|---|---|---|---|---|")
    for count in args.sizes:
        r = measure(count, args.ops)
        low, high = r["error"]
        print(
            f"| {count:,} | {r['bytes'] / 1e6:.1f} MB | {r['apply'] * 1e3:.3f} ms"
            f" | {r['growth'] * 1e3:.3f} ms | {r['dump'] * 1e3:.1f} ms | {low} to {high} bytes |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
