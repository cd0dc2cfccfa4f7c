"""Benchmark of the snapshot exports: every format for a session of 1,000 notes.

Run it as a script, not under pytest (the ``bench_`` prefix keeps pytest from collecting it)::

    python tests/benchmarks/bench_export.py [--notes 1000] [--repeat 3] [--no-cold]

It prints a Markdown table and never fails on a missed target: it is a measurement, not a
test. The session is the sample workshop's second iteration (its anchors, personas and
settings) with ``--notes`` generated notes (seeded: the same every run): texts of 4 to 30
words, most placed on anchors, votes 0 to 9, some personas, and 60 comment threads.

* warm: the minimum of ``--repeat`` calls of ``canvas.export.export(session, fmt, path)`` in
  this process, after one untimed call (Bokeh, matplotlib and fonts already loaded), the
  cost the app pays when someone exports from the board.
* cold: one ``horizons export``-like run in a fresh Python process (``python -c``: import,
  load the file, export, write), the cost of a first export from the command line.

Targets (warm): PDF (poster and tagged report) within 3 s, the zip of every format within 5 s,
HTML within 2 s, PNG within 5 s, Markdown and CSV within 0.5 s; SVG and YAML are shown for
information. The machine's load average is printed first: on a shared machine the figures are
higher than on a quiet one.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from canvas.domain.model import Comment, Note, Session
from canvas.format import store
from canvas.view.export import BUNDLE, FORMATS, export

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sessions" / "wales-2022" / "02-steering-review.yaml"
SEED = 20220421
TARGETS = {"pdf": 3.0, BUNDLE: 5.0, "html": 2.0, "png": 5.0, "md": 0.5, "csv": 0.5}
WORDS = (
    "carers",
    "people",
    "time",
    "ideas",
    "money",
    "trust",
    "local",
    "national",
    "services",
    "support",
    "change",
    "test",
    "learn",
    "together",
    "community",
    "voice",
    "power",
    "funding",
    "risk",
    "commissioning",
    "wellbeing",
    "partnership",
    "Cymru",
    "gofal",
    "pobl",
    "syniadau",
    "amser",
    "arian",
    "ymddiriedaeth",
    "lleol",
    "cymuned",
    "llais",
)


def make_session(count: int, seed: int = SEED) -> Session:
    """The sample board with ``count`` generated notes."""
    rng = random.Random(seed)
    base = store.load(SAMPLE)
    anchors = sorted(base.anchors.values(), key=lambda a: a.id)
    personas = sorted(base.personas)
    colours = sorted(base.settings.palette)
    authors = ("Ffion", "Aled", "Sam", "Dev", "Rhiannon", "Gareth", "Siân", "Owain")
    notes = {}
    for i in range(count):
        anchor = rng.choice(anchors) if rng.random() < 0.8 else None
        if anchor:
            x = min(max(anchor.x + rng.uniform(-0.04, 0.08), 0.0), 1.0)
            y = min(max(anchor.y + rng.uniform(-0.08, 0.04), 0.0), 1.0)
        else:
            x, y = rng.random(), rng.random()
        horizon = anchor.horizon if anchor else rng.choice(("H1", "H2", "H3"))
        nid = f"n-{i:05d}"
        notes[nid] = Note(
            id=nid,
            text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30))).capitalize(),
            x=round(x, 4),
            y=round(y, 4),
            horizon=horizon,
            anchor=anchor.id if anchor else None,
            polarity=rng.choice((None, "+", "-")) if horizon == "H2" else None,
            colour=rng.choice(colours),
            author=rng.choice(authors),
            votes=rng.randint(0, 9),
            personas=tuple(rng.sample(personas, rng.choice((0, 0, 0, 1, 2)))),
            created="2022-04-21T10:00:00Z",
            updated="2022-04-21T10:00:00Z",
            rev=1,
        )
    return replace(base, notes=notes, comments=make_comments(rng, sorted(notes)))


def make_comments(rng: random.Random, note_ids: list[str], threads: int = 60) -> dict:
    """A steering group's review: ``threads`` comments on notes, each with 0 to 2 replies."""
    comments = {}
    for i in range(threads):
        first = f"c-{i:03d}"
        target = rng.choice(note_ids)
        said = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 25))).capitalize()
        comments[first] = Comment(first, target, said, "Mair", f"2022-04-22T09:{i % 60:02d}:00Z")
        for j in range(rng.randint(0, 2)):
            reply = f"{first}-r{j}"
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 15)))
            made = f"2022-04-22T10:{i % 60:02d}:0{j}Z"
            comments[reply] = Comment(reply, target, text, "Gareth", made, reply_to=first)
    return comments


def warm(session: Session, fmt: str, folder: Path, previous: Session, repeat: int):
    path = folder / f"warm.{fmt}"
    export(session, fmt, path, previous=previous)  # loads Bokeh / matplotlib / fonts
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        export(session, fmt, path, previous=previous)
        best = min(best, time.perf_counter() - start)
    return best, path.stat().st_size


COLD = """
import sys, time
start = time.perf_counter()
from canvas.format import store
from canvas.view.export import export
session = store.load(sys.argv[1])
previous = store.load(sys.argv[2])
export(session, sys.argv[3], sys.argv[4], previous=previous)
print(time.perf_counter() - start)
"""


def cold(session_file: Path, previous_file: Path, fmt: str, folder: Path) -> float:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            COLD,
            str(session_file),
            str(previous_file),
            fmt,
            str(folder / f"cold.{fmt}"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-cold", action="store_true", help="skip the fresh-process runs")
    args = parser.parse_args(argv)

    import bokeh
    import fpdf
    import PIL

    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}, {sys.platform})"
    )
    print(f"Bokeh {bokeh.__version__}, fpdf2 {fpdf.__version__}, Pillow {PIL.__version__}")
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1 / 5 / 15 min) at the start: {load} on {os.cpu_count()} cores")
    print(
        f"command: python tests/benchmarks/bench_export.py --notes {args.notes} --repeat "
        f"{args.repeat}{' --no-cold' if args.no_cold else ''}"
    )
    session = make_session(args.notes)
    previous = make_session(args.notes, SEED + 1)
    print(
        f"session: {len(session.notes)} notes, {len(session.anchors)} anchors; "
        f"previous iteration: {len(previous.notes)} notes; warm = min of {args.repeat}"
    )
    print()
    rows = [
        "| format | size | warm | cold | target (warm) | met |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    missed = []
    with tempfile.TemporaryDirectory(prefix="canvas-bench-") as tmp:
        folder = Path(tmp)
        session_file = folder / "02-big.yaml"
        previous_file = folder / "01-big.yaml"
        store.save(session, session_file, backups=0)
        store.save(previous, previous_file, backups=0)
        for fmt in (*FORMATS, BUNDLE):
            seconds, size = warm(session, fmt, folder, previous, args.repeat)
            first = (
                "" if args.no_cold else f"{cold(session_file, previous_file, fmt, folder):.2f} s"
            )
            target = TARGETS.get(fmt)
            met = "" if target is None else ("yes" if seconds <= target else "NO")
            if met == "NO":
                missed.append(f"{fmt} {seconds:.2f} s > {target:g} s")
            rows.append(
                f"| {fmt} | {size / 1024:,.0f} KB | {seconds:.2f} s | {first} | "
                f"{'' if target is None else f'{target:g} s'} | {met} |"
            )
            print(rows[-1], file=sys.stderr, flush=True)
    print("\n".join(rows))
    print()
    print("Targets missed: " + "; ".join(missed) if missed else "All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
