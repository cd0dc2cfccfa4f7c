"""Benchmark of the session format: our writer and reader against PyYAML + libyaml, and diff.

Run it as a script, not under pytest (the ``bench_`` prefix keeps pytest from collecting it)::

    python tests/benchmarks/bench_format.py [--sizes 100 1000 10000] [--repeat 5]
                                            [--diff-notes 10000]

It prints a Markdown table and never fails on a missed target: it is a measurement, not a
test. Every timing is the minimum of ``--repeat`` runs (timeit style, ``time.perf_counter``),
with the baseline and our code run interleaved in the same process so that both see the same
machine state.

Baselines (same data, same text):

* save: ``yaml.dump(tree, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)``
  where ``tree`` is ``canvas.format.schema.to_tree(session)`` with tuples turned into lists
  (SafeDumper cannot represent tuples). Ratio = baseline / ours, target >= 3x.
  ``store.save`` also pays for the atomic write (temp file, fsync, rename, folder fsync),
  which the text-only baseline does not; an informational row shows that write on its own.
* load: ``yaml.load(text, Loader=yaml.CSafeLoader)`` on the text ``store.dumps`` wrote.
  Ratio = ours / baseline, target <= 1.2 (``store.loads`` also validates and builds the model).
* diff: ``canvas.domain.diff.diff(a, b)`` on two sessions loaded from text (no shared objects),
  target < 50 ms.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from canvas.domain import diff as canvas_diff
from canvas.domain.model import DEFAULT_PALETTE, HORIZONS, Anchor, Note, Persona, Session, Settings
from canvas.format import store
from canvas.format.schema import to_tree

SEED = 20220301
ANCHOR_COUNT = 50

_WORDS = (
    "community",
    "energy",
    "housing",
    "transport",
    "local",
    "food",
    "skills",
    "care",
    "health",
    "wellbeing",
    "future",
    "generations",
    "climate",
    "resilience",
    "digital",
    "rural",
    "town",
    "network",
    "funding",
    "policy",
    "pilot",
    "learning",
    "young",
    "people",
    "culture",
    "language",
    "nature",
    "water",
    "land",
    "economy",
    "fair",
    "work",
    "public",
    "services",
    "trust",
    "co-operative",
    "repair",
    "share",
    "procurement",
    "valleys",
    "coast",
    "data",
    "open",
    # Welsh, with the circumflexed w and y the format must round-trip
    "Cymru",
    "cymuned",
    "dŵr",
    "tŷ",
    "ŵyr",
    "gŵyl",
    "dyfodol",
    "llesiant",
    "ynni",
    "bwyd",
    "Cymraeg",
    "ysgol",
    "gwaith",
    "iaith",
    "tîm",
    "cenedlaethau",
    "ŷd",
)
_EMOJI = ("🌱", "🌍", "💡", "🚲", "🏠", "⚡", "🤝", "🌊", "✨", "📈")
_PUNCT = (".", ",", ";", ":", "!", "?", " -", " (draft)", " 'quote'", ' "said"', " #tag", " &")
_AUTHORS = (
    "Alys",
    "Bryn",
    "Carys",
    "Dafydd",
    "Eleri",
    "Ffion",
    "Gareth",
    "Heledd",
    "Iwan",
    "Lowri",
    "Macsen",
    "Nia",
    "Owain",
    "Rhian",
    "Siôn",
    "Tomos",
    "Gwenllïan",
    "Llŷr",
    "",
    "",
)
_TAGS = ("energy", "housing", "food", "transport", "skills", "nature", "culture", "health", "data")
_ANCHOR_KINDS = ("finding", "concern", "outcome", "pocket", "change", "challenge_area", "vision")
_COLOURS = tuple(sorted(DEFAULT_PALETTE))


# ---------------------------------------------------------------------------------------------
# Data


def _text(rng: random.Random) -> str:
    """A note's text, 20..200 characters, with some Welsh, emoji, punctuation and newlines."""
    target = rng.randint(20, 200)
    parts: list[str] = []
    length = 0
    while length < target:
        word = rng.choice(_WORDS)
        if not parts:
            word = word[:1].upper() + word[1:]
        roll = rng.random()
        if roll < 0.06:
            word += " " + rng.choice(_EMOJI)
        elif roll < 0.14:
            word += rng.choice(_PUNCT)
        elif roll < 0.16:
            word += "\n"
        parts.append(word)
        length += len(word) + 1
    text = " ".join(parts).replace("\n ", "\n")[:target].strip()
    while len(text) < 20:
        text += " " + rng.choice(_WORDS)
    return text


def _time(rng: random.Random, day: int) -> str:
    return (
        f"2022-03-{day:02d}T{rng.randint(9, 17):02d}:{rng.randint(0, 59):02d}:"
        f"{rng.randint(0, 59):02d}Z"
    )


def _unit(rng: random.Random) -> float:
    return round(rng.random(), 4)


def make_anchors(rng: random.Random, count: int = ANCHOR_COUNT) -> dict[str, Anchor]:
    anchors = {}
    for i in range(count):
        aid = f"a-{i:03d}"
        anchors[aid] = Anchor(
            id=aid,
            kind=rng.choice(_ANCHOR_KINDS),
            title=_text(rng)[:60].strip(),
            horizon=rng.choice(HORIZONS),
            x=_unit(rng),
            y=_unit(rng),
            summary=_text(rng) if rng.random() < 0.5 else "",
            prompt=_text(rng) if rng.random() < 0.2 else "",
        )
    return anchors


def make_personas() -> dict[str, Persona]:
    return {
        "p-innovator": Persona("p-innovator", "Nia", "Innovator", "innovator", "profile"),
        "p-enabler": Persona("p-enabler", "Owain", "Enabler", "enabler", "profile"),
        "p-voice": Persona("p-voice", "Llŷr", "Community voice", "stakeholder", "voice"),
    }


def make_note(rng: random.Random, nid: str, anchor_ids: list[str], persona_ids: list[str]) -> Note:
    horizon = rng.choice(HORIZONS)
    created = _time(rng, rng.randint(1, 14))
    rev = rng.choice((0, 0, 1, 1, 2, 3, 5))
    return Note(
        id=nid,
        text=_text(rng),
        x=_unit(rng),
        y=_unit(rng),
        horizon=horizon,
        anchor=rng.choice(anchor_ids) if rng.random() < 0.6 else None,
        polarity=rng.choice(("+", "-")) if horizon == "H2" and rng.random() < 0.5 else None,
        colour=rng.choice(_COLOURS),
        author=rng.choice(_AUTHORS),
        votes=rng.choice((0, 0, 0, 1, 2, 3, 4, 7, 12)),
        tags=tuple(rng.sample(_TAGS, rng.choice((0, 0, 1, 1, 2, 3)))),
        personas=tuple(rng.sample(persona_ids, 1)) if rng.random() < 0.1 else (),
        created=created,
        updated=_time(rng, rng.randint(15, 28)) if rev else created,
        rev=rev,
        horizon_fixed=rng.random() < 0.05,
    )


def make_session(notes: int, seed: int = SEED) -> Session:
    """A deterministic session with ``notes`` notes, ~50 anchors and a few personas."""
    rng = random.Random(seed * 1_000_003 + notes)
    anchors = make_anchors(rng)
    personas = make_personas()
    anchor_ids = list(anchors)
    persona_ids = list(personas)
    width = len(str(notes * 2))
    note_map = {}
    for i in range(notes):
        nid = f"n-{i:0{width}d}"
        note_map[nid] = make_note(rng, nid, anchor_ids, persona_ids)
    return Session(
        id=f"bench-{notes}",
        title=f"Benchmark board with {notes} notes — Llesiant Cymru 🌱",
        workshop="bench-workshop",
        iteration=2,
        date="2022-03-01",
        focal_question="What does a flourishing Wales look like for future generations?",
        facilitator="Gwenllïan",
        prompts={
            "H1": "What is failing now?",
            "H2": "What is changing?",
            "H3": "What is emerging?",
        },
        settings=Settings(axis_from="Heddiw", axis_to="Yfory"),
        anchors=anchors,
        notes=note_map,
        personas=personas,
        meta={"generator": "bench_format.py", "seed": seed},
    )


def evolve(session: Session, seed: int = SEED + 1) -> Session:
    """A later iteration: ~5% of notes changed (text/position/votes), 1% added, 1% removed."""
    from dataclasses import replace

    rng = random.Random(seed)
    ids = sorted(session.notes)
    n = len(ids)
    notes = dict(session.notes)
    removed = rng.sample(ids, max(1, n // 100))
    for nid in removed:
        del notes[nid]
    remaining = sorted(notes)
    for nid in rng.sample(remaining, max(1, n * 5 // 100)):
        note = notes[nid]
        what = rng.randrange(3)
        if what == 0:
            changes = {"text": _text(rng)}
        elif what == 1:
            changes = {"x": _unit(rng), "y": _unit(rng)}
        else:
            changes = {"votes": note.votes + rng.randint(1, 3)}
        notes[nid] = replace(note, **changes, rev=note.rev + 1, updated="2022-04-01T10:00:00Z")
    anchor_ids = list(session.anchors)
    persona_ids = list(session.personas)
    for i in range(max(1, n // 100)):
        nid = f"new-{i:05d}"
        notes[nid] = make_note(rng, nid, anchor_ids, persona_ids)
    return replace(session, notes=notes, iteration=session.iteration + 1)


def plain(value):
    """``value`` with every tuple turned into a list, for PyYAML's SafeDumper."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------------
# Timing


def _once(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def interleaved(funcs: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Min seconds of each function over ``repeat`` rounds, running them in turn each round.

    The order alternates between rounds so neither side always runs on a warm (or cold) cache.
    The garbage collector stays on, as it is in real use; each call starts from a collected heap.
    """
    names = list(funcs)
    best = dict.fromkeys(names, float("inf"))
    for name in names:  # one untimed warm-up call each
        funcs[name]()
    for r in range(repeat):
        order = names if r % 2 == 0 else names[::-1]
        for name in order:
            gc.collect()
            best[name] = min(best[name], _once(funcs[name]))
    return best


# ---------------------------------------------------------------------------------------------
# Report


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []
        self.missed: list[str] = []

    def add(self, notes, operation, ours, base, ratio, target, met) -> None:
        def ms(seconds):
            return "—" if seconds is None else f"{seconds * 1000:.2f}"

        self.rows.append(
            (
                f"{notes:,}",
                operation,
                ms(ours),
                ms(base),
                "—" if ratio is None else f"{ratio:.2f}x",
                target,
                "—" if met is None else ("yes" if met else "**NO**"),
            )
        )
        if met is False:
            self.missed.append(f"{notes:,} notes: {operation}")

    def render(self) -> str:
        head = (
            "notes",
            "operation",
            "ours (ms)",
            "libyaml baseline (ms)",
            "ratio",
            "target",
            "met",
        )
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def bench_size(n: int, repeat: int, table: Table, folder: Path) -> None:
    session = make_session(n)
    text = store.dumps(session)
    tree = plain(to_tree(session))
    data = text.encode("utf-8")
    path = folder / f"bench-{n}.yaml"

    # Sanity: both readers agree on the text, and ours reads back what it wrote.
    if store.loads(text) != session:
        print(f"  warning: {n} notes: store.loads(store.dumps(s)) != s", file=sys.stderr)
    if yaml.load(text, Loader=yaml.CSafeLoader) != tree:
        print(f"  warning: {n} notes: libyaml reads different data from ours", file=sys.stderr)

    def baseline_dump():
        return yaml.dump(tree, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)

    t = interleaved(
        {
            "baseline": baseline_dump,
            "dumps": lambda: store.dumps(session),
            "save": lambda: store.save(session, path, backups=0),
            "write": lambda: store.write_atomic(path, data, backups=0),
        },
        repeat,
    )
    base = t["baseline"]
    for op, key in (
        ("save: store.dumps (text)", "dumps"),
        ("save: store.save (atomic, fsync)", "save"),
    ):
        ratio = base / t[key]
        table.add(n, op, t[key], base, ratio, ">= 3x", ratio >= 3.0)
    table.add(n, "  (info) store.write_atomic alone", t["write"], None, None, "—", None)

    t = interleaved(
        {
            "baseline": lambda: yaml.load(text, Loader=yaml.CSafeLoader),
            "loads": lambda: store.loads(text),
        },
        repeat,
    )
    ratio = t["loads"] / t["baseline"]
    table.add(
        n,
        "load: store.loads (validated)",
        t["loads"],
        t["baseline"],
        ratio,
        "<= 1.2x",
        ratio <= 1.2,
    )
    print(
        f"  {n:>6,} notes: {len(data) / 1e6:.2f} MB of YAML, {text.count(chr(10)):,} lines",
        file=sys.stderr,
    )


def bench_diff(n: int, repeat: int, table: Table) -> None:
    first = make_session(n)
    second = evolve(first)
    a = store.loads(store.dumps(first))
    b = store.loads(store.dumps(second))
    result = canvas_diff.diff(a, b)
    if canvas_diff.apply(a, result) != b:
        print("  warning: apply(a, diff(a, b)) != b", file=sys.stderr)
    t = interleaved({"diff": lambda: canvas_diff.diff(a, b)}, repeat)
    notes = result.notes
    table.add(
        n,
        f"diff ({len(notes.updated)} upd, {len(notes.added)} add, {len(notes.removed)} rm)",
        t["diff"],
        None,
        None,
        "< 50 ms",
        t["diff"] < 0.050,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--diff-notes", type=int, default=10000)
    args = parser.parse_args(argv)

    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}, {sys.platform})"
    )
    print(f"PyYAML {yaml.__version__}; libyaml present: {yaml.__with_libyaml__}", end="")
    if yaml.__with_libyaml__:
        from yaml import _yaml

        print(f" (libyaml {_yaml.get_version_string()})")
    else:
        print(" — the baseline falls back to pure Python and is not meaningful")
    print(
        f"repeat: {args.repeat} (min of runs), sizes: {args.sizes}, diff notes: {args.diff_notes}"
    )
    print()

    table = Table()
    with tempfile.TemporaryDirectory(prefix="canvas-bench-") as tmp:
        for n in args.sizes:
            bench_size(n, args.repeat, table, Path(tmp))
    if args.diff_notes:
        bench_diff(args.diff_notes, args.repeat, table)

    print(table.render())
    print()
    if table.missed:
        print("Targets missed: " + "; ".join(table.missed))
    else:
        print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
