"""A save killed at any moment leaves the old session or the new one, never a mix.

A child process saves two versions of a 1,000-note session to one path, alternately and
without end; the test kills it with SIGKILL at a random moment, over and over, and after
every kill the file must load as one of the two versions, and sweeping the folder must leave
no temporary file behind.
"""

from __future__ import annotations

import os
import pickle
import random
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from canvas.domain.model import HORIZONS, Note, Session, clean_text
from canvas.format import store

ROOT = Path(__file__).resolve().parent.parent
KILLS = 100

# Words that exercise quoting and escaping: other scripts, emoji, combining marks, YAML
# look-alikes (yes, null, numbers, "- ", "#", ": "), quotes, backslashes, tabs, newlines and
# the Unicode line separators.
WORDS = (
    "time",
    "Zeit",
    "时间",
    "🌱",
    "👩🏽‍⚕️",
    "naïve",
    "cafe\u0301",
    "مرحبا",
    "שלום",
    "Ωμέγα",
    "yes",
    "null",
    "~",
    "100",
    "1e3",
    "0x1f",
    "- dash",
    "#hash",
    "a: b",
    '"quoted"',
    "'single'",
    "back\\slash",
    "tab\there",
    "line\nbreak",
    "\u2028sep",
    "\x85nel",
    " lead",
    "trail ",
    "{brace}",
    "[list]",
    "&anchor",
    "*alias",
    "!tag",
    "%",
    "@",
    "`",
)

CHILD = """
import pickle
import sys

from canvas.domain import model  # noqa: F401  (pickle needs canvas.domain.model)
from canvas.format import store

with open(sys.argv[1], "rb") as handle:
    versions = pickle.load(handle)
path = sys.argv[2]
print("loaded", flush=True)
sys.stdin.readline()  # wait for the parent's go
print("started", flush=True)
i = 0
while True:
    store.save(versions[i % 2], path)
    i += 1
"""


def _session(seed: int) -> Session:
    rng = random.Random(seed)
    notes = {}
    for i in range(1000):
        nid = f"n-{i:04d}"
        text = clean_text(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 14))))
        notes[nid] = Note(
            id=nid,
            text=text,
            x=rng.random(),
            y=rng.random(),
            horizon=rng.choice(HORIZONS),
            votes=rng.randint(0, 7),
            tags=tuple(rng.sample(("ideas", "über", "🌍", "H2 risk"), rng.randint(0, 2))),
            author=rng.choice(("", "Siân", "Dafydd", "Zoë")),
            rev=seed,
        )
    return Session(id="crash-test", title=f"Crash test ✓ {seed}", notes=notes)


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name)


def _spawn(pickled: Path, path: Path) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(pickled), str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        text=True,
    )
    return child


def _reap(child: subprocess.Popen) -> tuple[int, str]:
    if child.poll() is None:
        child.kill()
    _, err = child.communicate()
    return child.returncode, err


@pytest.mark.slow
def test_killed_saves_leave_old_or_new_file_whole(tmp_path):
    old, new = _session(1), _session(2)
    # The versions differ, and each round-trips exactly, or the check below proves nothing.
    assert old != new
    assert store.loads(store.dumps(old)) == old
    assert store.loads(store.dumps(new)) == new

    folder = tmp_path / "workshop"
    path = folder / "01-crash-test.yaml"
    store.save(old, path)
    pickled = tmp_path / "versions.pickle"
    pickled.write_bytes(pickle.dumps((new, old)))

    rng = random.Random(20220301)
    seen = {"old": 0, "new": 0}
    children: list[subprocess.Popen] = []
    try:
        waiting = _spawn(pickled, path)
        children.append(waiting)
        for kill in range(KILLS):
            child = waiting
            assert child.stdout.readline() == "loaded\n", _reap(child)
            # Start the next child now, so its start-up overlaps this one's run.
            waiting = _spawn(pickled, path)
            children.append(waiting)
            child.stdin.write("go\n")
            child.stdin.flush()
            assert child.stdout.readline() == "started\n", _reap(child)
            time.sleep(rng.uniform(0.0, 0.2))
            os.kill(child.pid, signal.SIGKILL)
            code, err = _reap(child)
            assert code == -signal.SIGKILL, f"kill {kill}: the saver died by itself: {err}"

            loaded = store.load(path)
            assert loaded in (old, new), f"kill {kill}: the file is neither version"
            seen["old" if loaded == old else "new"] += 1
            store.sweep(folder)
            assert _temp_files(folder) == [], f"kill {kill}"
    finally:
        for child in children:
            _reap(child)

    assert sum(seen.values()) == KILLS
    # Every kept backup is a whole earlier version too. A kill while the backups move up one
    # place (.4 to .5, then .3 to .4, ...) can leave one name of the row empty: that is no
    # backup lost, and the next save closes the gap (the test below).
    kept = [backup for backup in store.backup_paths(path) if backup.exists()]
    assert len(kept) >= store.BACKUPS - 1
    for backup in kept:
        assert store.load(backup) in (old, new)


def test_a_save_closes_a_gap_a_kill_left_in_the_backups(tmp_path):
    path = tmp_path / "01-a.yaml"
    versions = [_session(i) for i in range(1, 8)]
    for session in versions[:6]:
        store.save(session, path)
    backups = store.backup_paths(path)
    assert [store.load(b) for b in backups] == versions[4::-1]
    # Killed after .4 became .5 and before .3 became .4.
    os.replace(backups[3], backups[4])
    store.save(versions[6], path)
    assert store.load(path) == versions[6]
    assert all(b.exists() for b in backups)
    assert [store.load(b) for b in backups] == [
        versions[5],
        versions[4],
        versions[3],
        versions[2],
        versions[1],
    ]


def test_sweep_removes_orphaned_temp_files_only(tmp_path):
    session = _session(3)
    path = tmp_path / "01-a.yaml"
    store.save(session, path)
    store.save(replace(session, title="Second"), path)
    orphans = [tmp_path / ".01-a.yaml.tmp-4242-deadbeef", tmp_path / ".02-b.yaml.tmp-1-00"]
    for orphan in orphans:
        orphan.write_bytes(b"format: three-horizons-session\nschema_ver")
    kept = sorted(p.name for p in tmp_path.iterdir() if p not in orphans)

    assert sorted(store.sweep(tmp_path)) == sorted(orphans)
    assert sorted(p.name for p in tmp_path.iterdir()) == kept
    assert store.load(path).title == "Second"
    assert store.sweep(tmp_path / "missing") == []


def _small(version: int) -> Session:
    note = Note(id="n-1", text=f"version {version} ✓", x=version / 10, y=0.5, horizon="H2")
    return Session(id="s", title=f"Version {version}", notes={"n-1": note})


def test_saves_keep_the_five_latest_earlier_versions_as_hidden_backups(tmp_path):
    path = tmp_path / "01-s.yaml"
    versions = [_small(v) for v in range(1, 9)]
    for session in versions:
        store.save(session, path)

    hidden = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert hidden == [f".01-s.yaml.{i}" for i in range(1, 6)]
    assert store.load(path) == versions[7]
    # .NAME.1 is the version before the current one, .NAME.5 the oldest kept.
    for i in range(1, 6):
        assert store.load(tmp_path / f".01-s.yaml.{i}") == versions[7 - i]


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_failed_save_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch, failing):
    path = tmp_path / "01-s.yaml"
    for v in (1, 2):
        store.save(_small(v), path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(OSError):
        store.save(_small(3), path)
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert store.load(path) == _small(2)
    assert _temp_files(tmp_path) == []
    store.save(_small(3), path)
    assert store.load(path) == _small(3)
