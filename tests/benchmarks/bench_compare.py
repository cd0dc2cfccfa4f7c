"""Benchmark of comparing iterations: diff plus per-anchor summary, and matching by text.

Run it as a script, not under pytest (the ``bench_`` prefix keeps pytest from collecting it)::

    python tests/benchmarks/bench_compare.py [--notes 10000] [--unmatched 1000] [--repeat 5]

It prints a Markdown table and never fails on a missed target: it is a measurement, not a
test. Timings are the minimum of ``--repeat`` runs (``time.perf_counter``).

* diff + summary: ``canvas.domain.diff.diff`` then ``canvas.compare.anchor_summaries`` on two
  iterations of ``--notes`` notes (the sessions of ``bench_format.py``: ~50 anchors, 5% of
  notes changed, 1% added, 1% removed, a third of the changes moving notes between anchors),
  loaded from text so that no note objects are shared. Target: within 100 ms.
* matching: ``canvas.compare.match_by_text`` with ``--unmatched`` notes on each side that
  share no id: nine in ten are the same notes re-typed (case, spacing and a word or two
  changed), one in ten are really new. No target; the naive rule (every ratio) is shown on
  a tenth of the size for scale, since it grows with the square of the notes.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import platform
import random
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_format import _text, evolve, make_session

from canvas.domain.compare import anchor_summaries, match_by_text, normalise
from canvas.domain.diff import diff
from canvas.domain.model import Note, Session
from canvas.format import store

COMMAND = "python tests/benchmarks/bench_compare.py"


def best(func: Callable[[], object], repeat: int) -> float:
    func()  # warm-up
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def moved(session: Session, seed: int) -> Session:
    """``session`` with a further 2% of its notes moved to another anchor."""
    rng = random.Random(seed)
    anchors = sorted(session.anchors)
    notes = dict(session.notes)
    for nid in rng.sample(sorted(notes), len(notes) // 50):
        note = notes[nid]
        notes[nid] = replace(note, anchor=rng.choice(anchors), rev=note.rev + 1)
    return replace(session, notes=notes)


def retyped(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(1 + len(words) // 15):
        i = rng.randrange(len(words))
        words[i] = words[i][::-1] if rng.random() < 0.5 else words[i] + "s"
    out = "  ".join(words)
    return out.upper() if rng.random() < 0.2 else out


def boards(count: int, seed: int = 7) -> tuple[Session, Session, dict[str, str]]:
    """Two boards of ``count`` notes with no shared ids, and which old note each re-types."""
    rng = random.Random(seed)
    old = {f"old-{i:05d}": _text(rng) for i in range(count)}
    same = count * 9 // 10
    texts = [(k, retyped(t, rng)) for k, t in list(old.items())[:same]]
    texts += [("", _text(rng)) for _ in range(count - same)]
    rng.shuffle(texts)
    new = {f"typed-{i:05d}": t for i, (_, t) in enumerate(texts)}
    truth = {k: f"typed-{i:05d}" for i, (k, _) in enumerate(texts) if k}
    base = make_session(0)

    def session(sid: str, items: dict[str, str]) -> Session:
        notes = {k: Note(id=k, text=t, x=0.5, y=0.5, horizon="H1") for k, t in items.items()}
        return replace(base, id=sid, notes=notes)

    return session("old", old), session("new", new), truth


def naive(before: Session, after: Session, threshold: float = 0.8) -> int:
    """The rule with no shortcuts: every ratio, sorted, taken greedily; returns the pairs."""
    a = {k: normalise(n.text) for k, n in before.notes.items()}
    b = {k: normalise(n.text) for k, n in after.notes.items()}
    pairs = []
    for i, x in a.items():
        for j, y in b.items():
            r = difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()
            if r >= threshold:
                pairs.append((-r, i, j))
    used_a, used_b, count = set(), set(), 0
    for _, i, j in sorted(pairs):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10000)
    parser.add_argument("--unmatched", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    first = make_session(args.notes)
    second = moved(evolve(first), seed=3)
    a = store.loads(store.dumps(first))
    b = store.loads(store.dumps(second))
    d = diff(a, b)
    summaries = anchor_summaries(a, b, d)
    t_diff = best(lambda: diff(a, b), args.repeat)
    t_both = best(lambda: anchor_summaries(a, b, diff(a, b)), args.repeat)

    old, new, truth = boards(args.unmatched)
    matches = match_by_text(old, new)
    right = sum(1 for m in matches if truth.get(m.before) == m.after)
    t_match = best(lambda: match_by_text(old, new), max(1, args.repeat // 2))
    small_old, small_new, _ = boards(max(2, args.unmatched // 10), seed=8)
    t_small = best(lambda: match_by_text(small_old, small_new), args.repeat)
    t_naive = best(lambda: naive(small_old, small_new), 1)
    if naive(small_old, small_new) != len(match_by_text(small_old, small_new)):
        print("  warning: the fast matching and the naive rule disagree", file=sys.stderr)

    n = len(d.notes.updated), len(d.notes.added), len(d.notes.removed)
    rows = [
        (
            f"diff, {args.notes:,} notes ({n[0]} upd, {n[1]} add, {n[2]} rm)",
            t_diff,
            "—",
            "—",
        ),
        (
            f"diff + anchor_summaries ({len(summaries)} anchors changed)",
            t_both,
            "<= 100 ms",
            "yes" if t_both <= 0.100 else "**NO**",
        ),
        (
            f"match_by_text, {args.unmatched:,} x {args.unmatched:,} unmatched"
            f" ({len(matches)} pairs, {right} of {len(truth)} re-typed notes paired right)",
            t_match,
            "—",
            "—",
        ),
        (f"match_by_text, {len(small_old.notes)} x {len(small_new.notes)}", t_small, "—", "—"),
        (f"naive rule, {len(small_old.notes)} x {len(small_new.notes)}", t_naive, "—", "—"),
    ]
    command = f"{COMMAND} --notes {args.notes} --unmatched {args.unmatched} --repeat {args.repeat}"
    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}, {sys.platform})"
    )
    print()
    print(f"| operation: `{command}` | ms | target | met |")
    print("|---|---|---|---|")
    for name, seconds, target, met in rows:
        print(f"| {name} | {seconds * 1000:.1f} | {target} | {met} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
