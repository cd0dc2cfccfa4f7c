"""Every page converges on the room's board, whatever the order messages arrive in (no browser).

Eight simulated pages (the facilitator and seven participants) share one room on a real session
file. Each page keeps its own board, built from the snapshot it got when it subscribed and
updated only by the patches it receives: the room sends them in pumps, as on a served board
(:mod:`canvas.live.fanout`), each the latest state of what changed since the page's revision,
and the harness runs a pump at random moments, so operations coalesce. A seeded random.Random
chooses operations (on the page's own, possibly stale, board: its own notes, other people's,
deleted ones), delays every page's incoming messages and delivers them in random interleavings
(each page's own messages stay in order; the room itself is synchronous), and disconnects and
reconnects pages. Some seeds also submit operations from two threads at once.

At the end, once every message is delivered and every page is back, each page's board must be
the room's board as its person may see it, the file on disk must be the room's session, and
the number of notes must be what the accepted operations say it is.

A failing seed prints the operations that led to it. To keep a seed that once failed (found
here or by a wider sweep, ``CANVAS_CONVERGENCE_SEEDS=1000 pytest tests/test_convergence.py``),
add it to REGRESSION with a comment saying what went wrong.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import threading
import time
from collections import deque
from pathlib import Path

import pytest

from canvas.format import store
from canvas.format.problems import FormatError
from canvas.live import wire
from canvas.live.hub import UNDO_DEPTH, Room
from canvas.live.ops import Actor

SAMPLE = Path(__file__).resolve().parent.parent / "sessions/wales-2022/01-user-research.yaml"
SEEDS = range(int(os.environ.get("CANVAS_CONVERGENCE_SEEDS", "50")))
# Seeds that once failed, run as well whatever SEEDS is (as regression-N), so that they stay
# covered when SEEDS or the generator changes. Add one as `17,  # what diverged, and where`,
# and, once its cause is known, its smallest case as a test at the end of this file.
REGRESSION: list[int] = [
    1,  # facilitator deleted a note with a participant's dot: the saved file no longer loads
    19,  # the vote's ranking kept a note hidden after the vote closed (pages never told)
]
OPERATIONS = 150
THREADED = 5  # every THREADED-th seed also submits from two threads at once
THREAD_OPERATIONS = 40

FACILITATOR = Actor(name="Fran", role="facilitator", pid="facilitator")
PARTICIPANTS = [Actor(name=f"P{i}", role="participant", pid=f"p-{i:010d}") for i in range(1, 8)]
# Operations that change one note and are open to participants for their own notes only.
OWN = {"edit", "move", "attach", "style", "delete"}
# Operations the room keeps on the sending page's undo stack when they change something.
UNDOABLE = OWN | {"add", "hide", "reveal"}
COLOURS = ["blue", "green", "orange", "pink", "purple", "yellow", "chartreuse"]


class Page:
    """One simulated browser page: its person, its inbox, and the board it has drawn."""

    def __init__(self, actor: Actor):
        self.actor = actor
        self.generation = 0
        self.client: str | None = None
        self.inbox: deque[dict] = deque()
        self.stray: list[tuple[int, dict]] = []  # messages that reached a page that had left
        self.seq = 0
        self.notes: dict[str, dict] = {}
        self.anchors: dict[str, dict] = {}
        self.voting: dict = {}
        self.facilitation: dict = {}
        self.written = 0  # how many note ids this person has made up
        # What undo and redo would do to the number of notes, per step, as the room keeps
        # them for this page (it forgets them when the page leaves).
        self.undo: list[int] = []
        self.redo: list[int] = []

    @property
    def online(self) -> bool:
        return self.client is not None

    def connect(self, room: Room) -> None:
        """Subscribe with a new client id, dropping everything this page knew."""
        self.generation += 1
        generation = self.generation
        client = f"{self.actor.pid}~{generation}"

        def receive(message: dict) -> None:
            if self.client != client:
                self.stray.append((generation, message))
            elif message.get("type") != "status":  # sent by the saver thread, whenever
                self.inbox.append(message)

        self.client = client
        self.inbox = deque()
        self.load(room.subscribe(client, receive, self.actor))

    def disconnect(self, room: Room) -> None:
        """Leave: messages on their way are lost and none may come any more."""
        room.unsubscribe(self.client)  # first: the saver thread may be sending a status
        self.client = None
        self.inbox.clear()
        self.undo, self.redo = [], []

    def load(self, snapshot: dict) -> None:
        assert snapshot["type"] == "snapshot"
        self.seq = snapshot["seq"]
        self.notes = {n["id"]: n for n in snapshot["notes"]}
        self.anchors = {a["id"]: a for a in snapshot["anchors"]}
        self.voting = snapshot["voting"]
        self.facilitation = snapshot["facilitation"]

    def deliver(self, count: int | None = None) -> None:
        """Take ``count`` messages (all by default) from the inbox, oldest first."""
        count = len(self.inbox) if count is None else min(count, len(self.inbox))
        for _ in range(count):
            self.receive(self.inbox.popleft())

    def receive(self, message: dict) -> None:
        kind = message["type"]
        if kind == "snapshot":
            self.load(message)
        elif kind == "patch":
            seq, since = message["seq"], message["since"]
            assert since == self.seq, f"{self.client}: patch from {since} at {self.seq}"
            assert seq > since, f"{self.client}: patch {seq} from {since}"
            self.seq = seq
            for note_id, view in message["notes"].items():
                if view is None:
                    self.notes.pop(note_id, None)
                else:
                    assert view["id"] == note_id
                    self.notes[note_id] = view
            for anchor_id, view in message["anchors"].items():
                if view is None:
                    self.anchors.pop(anchor_id, None)
                else:
                    self.anchors[anchor_id] = view
            if "voting" in message:
                self.voting = message["voting"]
            if "facilitation" in message:
                self.facilitation = message["facilitation"]
        else:
            assert kind in ("presence", "editing", "timer", "view"), message


class Simulation:
    def __init__(self, seed: int, path: Path):
        self.seed = seed
        self.rng = random.Random(seed)
        self.path = path
        self.room = Room(path, store.load(path), save_delay=0.01)
        # As on a served board, the room's messages go out in pumps, each carrying what
        # changed since the last one (several operations' latest state in one patch).
        self.woken = threading.Event()
        self.room.wake = lambda _delay: self.woken.set()
        self.initial_ids = sorted(self.room.session.notes)
        self.anchor_ids = sorted(self.room.session.anchors)
        self.pages = [Page(FACILITATOR), *(Page(a) for a in PARTICIPANTS)]
        self.deleted: list[str] = []
        self.added = 0
        self.removed = 0
        self.undone = 0  # net change in the number of notes by accepted undo and redo
        self.log: list[str] = []
        for page in self.pages:
            page.connect(self.room)

    # -- choosing operations ---------------------------------------------------------------

    def pick_note(self, page: Page) -> str:
        """A note id as a person might send it: mostly ones on their board, stale or not."""
        rng = self.rng
        r = rng.random()
        mine = sorted(i for i, v in page.notes.items() if v["mine"])
        if r < 0.5 and mine:
            return rng.choice(mine)
        if r < 0.8 and page.notes:
            return rng.choice(sorted(page.notes))
        if r < 0.9 and self.deleted:
            return rng.choice(self.deleted)
        return rng.choice([*self.initial_ids, "no-such-note"])

    def point(self) -> tuple[float, float]:
        return self.rng.random(), self.rng.random()

    def make_op(self, page: Page, *, undo: bool = True, reuse: bool = True) -> dict:
        rng = self.rng
        kinds = {
            "add": 20,
            "move": 15,
            "edit": 12,
            "attach": 7,
            "style": 5,
            "vote": 20,
            "delete": 8,
            "editing": 4,
            "undo": 4 if undo else 0,
            "redo": 2 if undo else 0,
        }
        if page.actor.facilitator:
            kinds.update(hide=4, private=2, reveal=2, lock=1, vote_close=1, vote_start=1)
        kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
        if kind == "add":
            page.written += 1
            if rng.random() < 0.05 and reuse:  # an id already used: refused (or, one's own
                # note sent again, no change)
                note_id = self.pick_note(page)
            else:
                note_id = f"{page.actor.pid}-{page.written}"
            x, y = self.point()
            op = {"op": "add", "id": note_id, "x": x, "y": y}
            if rng.random() < 0.7:
                op["text"] = f"{page.actor.name} says {rng.randrange(1000)}"
            if rng.random() < 0.3:
                op["anchor"] = rng.choice(self.anchor_ids)
            if rng.random() < 0.2:
                op["colour"] = rng.choice(COLOURS)
            return op
        if kind == "move":
            x, y = self.point()
            op = {"op": "move", "id": self.pick_note(page), "x": x, "y": y}
            if rng.random() < 0.3:
                op["anchor"] = rng.choice([*self.anchor_ids, None])
            return op
        if kind == "edit":
            return {"op": "edit", "id": self.pick_note(page), "text": f"edit {rng.randrange(1000)}"}
        if kind == "attach":
            anchor = rng.choice([*self.anchor_ids, "no-such-anchor"])
            return {"op": "attach", "id": self.pick_note(page), "anchor": anchor}
        if kind == "style":
            op = {"op": "style", "id": self.pick_note(page)}
            field = rng.choice(["colour", "polarity", "horizon"])
            op[field] = {
                "colour": lambda: rng.choice(COLOURS),
                "polarity": lambda: rng.choice(["+", "-", None]),
                "horizon": lambda: rng.choice(["H1", "H2", "H3"]),
            }[field]()
            return op
        if kind == "vote":
            return {"op": "vote", "id": self.pick_note(page), "delta": rng.choice([1, 1, -1])}
        if kind == "delete":
            ids = [self.pick_note(page) for _ in range(rng.choice([1, 1, 1, 2]))]
            return {"op": "delete", "ids": ids}
        if kind == "editing":
            return {"op": "editing", "id": self.pick_note(page) if rng.random() < 0.7 else None}
        if kind in ("undo", "redo"):
            return {"op": kind}
        if kind == "hide":
            return {"op": "hide", "id": self.pick_note(page), "hidden": rng.random() < 0.6}
        if kind == "private":
            return {"op": "facilitate", "private": rng.random() < 0.5}
        if kind == "lock":
            return {"op": "facilitate", "locked": rng.random() < 0.3}
        if kind == "reveal":
            return {"op": "reveal"}
        if kind == "vote_start":
            return {"op": "vote_start", "budget": 50}
        return {"op": kind}

    # -- submitting ----------------------------------------------------------------------------

    def must_refuse(self, page: Page, op: dict) -> str | None:
        """Why the room must refuse ``op`` from ``page``, judged on its board right now."""
        session = self.room.session
        actor = page.actor
        name = op["op"]
        taken = session.notes.get(op["id"]) if name == "add" else None
        if taken is not None and not (taken.owner and taken.owner == actor.pid):
            return "the id is taken (by another's note: one's own is no change)"
        if name in ("undo", "redo") and not (page.undo if name == "undo" else page.redo):
            return f"there is nothing to {name}"
        ids = op["ids"] if name == "delete" else [op["id"]] if name in OWN | {"vote"} else []
        for note_id in ids:
            note = session.notes.get(note_id)
            if note is None:
                return f"{note_id} does not exist"
            if actor.facilitator:
                continue
            if name in OWN and note.owner != actor.pid:
                return f"{note_id} belongs to {note.owner or 'nobody'}"
            if name == "vote" and (note.hidden or (note.private and note.owner != actor.pid)):
                return f"{note_id} is not visible to {actor.pid}"
        return None

    def count(self, page: Page, op: dict, ok: bool, changed: bool | None) -> None:
        """Count an outcome, and keep the page's undo and redo as the room should."""
        name = op["op"]
        if not ok:
            return
        # One's own note sent again is no new note. (Threads know not what changed, but
        # they add no note with an id used before.)
        if name == "add" and changed is not False:
            self.added += 1
        if name == "delete":
            self.removed += len(set(op["ids"]))
            self.deleted.extend(i for i in op["ids"] if i not in self.deleted)
        if name in ("undo", "redo"):
            source, target = (page.undo, page.redo) if name == "undo" else (page.redo, page.undo)
            effect = -source.pop()
            self.undone += effect
            target.append(effect)
        elif name in UNDOABLE and changed:
            page.undo.append(
                1 if name == "add" else -len(set(op["ids"])) if name == "delete" else 0
            )
            del page.undo[:-UNDO_DEPTH]
            page.redo.clear()

    def submit(self, page: Page, op: dict) -> None:
        room = self.room
        before, seq = room.session, room.seq
        refuse = self.must_refuse(page, op)
        outcome = room.submit(page.client, op, page.actor)
        self.log.append(f"{page.client} {op} -> {outcome.ok} {outcome.message}")
        where = f"seed {self.seed}, op {len(self.log)}: {page.actor.pid} sent {op}"
        if refuse:
            assert not outcome.ok, f"{where}: accepted although {refuse}"
        if not outcome.ok:
            assert room.session is before and room.seq == seq, f"{where}: refused but changed"
        self.count(page, op, outcome.ok, room.seq > seq)

    # -- the run -------------------------------------------------------------------------------

    def pump(self) -> None:
        if self.woken.is_set():
            self.woken.clear()
            self.room.pump()

    def deliver_some(self) -> None:
        rng = self.rng
        if rng.random() < 0.5:
            self.pump()
        for _ in range(rng.randint(0, 4)):
            waiting = [p for p in self.pages if p.inbox]
            if not waiting:
                return
            page = rng.choice(waiting)
            page.deliver(rng.randint(1, len(page.inbox)))

    def step(self, i: int, vote_at: int) -> None:
        rng = self.rng
        online = [p for p in self.pages if p.online]
        offline = [p for p in self.pages if not p.online]
        if offline and rng.random() < 0.15:
            page = rng.choice(offline)
            self.log.append(f"{page.actor.pid} reconnects")
            page.connect(self.room)
        if len(online) > 2 and rng.random() < 0.04:
            page = rng.choice(online)
            self.log.append(f"{page.client} disconnects with {len(page.inbox)} messages queued")
            page.disconnect(self.room)
        if i == vote_at:
            facilitator = self.pages[0]
            if not facilitator.online:
                facilitator.connect(self.room)
            self.submit(facilitator, {"op": "vote_start", "budget": 50})
        else:
            page = rng.choice([p for p in self.pages if p.online])
            self.submit(page, self.make_op(page))
        self.deliver_some()

    def threaded(self) -> None:
        """Two pages submit at once from two threads; the room's lock keeps one order."""
        online = [p for p in self.pages if p.online]
        pair = self.rng.sample(online, 2)
        plans = [
            [(page, self.make_op(page, undo=False, reuse=False)) for _ in range(THREAD_OPERATIONS)]
            for page in pair
        ]
        results: list[list[tuple[dict, bool]]] = [[], []]
        barrier = threading.Barrier(2)

        def run(k: int) -> None:
            barrier.wait()
            for page, op in plans[k]:
                results[k].append((op, self.room.submit(page.client, op, page.actor).ok))
                time.sleep(0)  # give the other thread its turn at the room's lock

        threads = [threading.Thread(target=run, args=(k,)) for k in range(2)]
        interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-5)  # switch threads often, so that submissions interleave
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            sys.setswitchinterval(interval)
        for page, result in zip(pair, results, strict=True):
            assert len(result) == THREAD_OPERATIONS
            for op, ok in result:
                self.log.append(f"(thread) {page.client} {op} -> {ok}")
                self.count(page, op, ok, changed=None)
            # Whether each operation changed anything, and so went on the undo stack, is not
            # known here: the pages leave and come back, which empties their stacks.
            page.disconnect(self.room)
            page.connect(self.room)

    def run(self) -> None:
        vote_at = self.rng.randint(3, 15)
        for i in range(OPERATIONS):
            self.step(i, vote_at)
            if self.seed % THREADED == 0 and i == OPERATIONS // 2:
                self.threaded()
        for page in self.pages:
            if not page.online:
                page.connect(self.room)
        self.pump()
        for page in self.pages:
            page.deliver()

    def check(self) -> None:
        room = self.room
        session = room.session
        expected = {page.client: wire.snapshot(session, page.actor) for page in self.pages}
        for page in self.pages:
            who = f"seed {self.seed}: {page.client} ({page.actor.role})"
            assert not page.stray, f"{who} got messages after it left: {page.stray[:3]}"
            assert page.seq == room.seq, f"{who} is at seq {page.seq}, the room at {room.seq}"
            want = {n["id"]: n for n in expected[page.client]["notes"]}
            for note_id in sorted(want.keys() | page.notes.keys()):
                assert page.notes.get(note_id) == want.get(note_id), f"{who}: note {note_id}"
            assert page.anchors == {a["id"]: a for a in expected[page.client]["anchors"]}, who
            assert page.facilitation == expected[page.client]["facilitation"], who
        expected_count = len(self.initial_ids) + self.added - self.removed + self.undone
        assert len(session.notes) == expected_count, (
            f"seed {self.seed}: {len(session.notes)} notes, expected {len(self.initial_ids)} "
            f"+ {self.added} added - {self.removed} deleted + {self.undone} by undo/redo"
        )
        for page in self.pages:
            who = f"seed {self.seed}: {page.client} ({page.actor.role})"
            assert page.voting == expected[page.client]["voting"], f"{who}: the vote"
        assert room.flush(), "the room did not save in time"
        try:
            saved = store.load(self.path)
        except FormatError as exc:
            pytest.fail(f"seed {self.seed}: the file the room saved does not load: {exc}")
        assert saved == session


def _seeds() -> list:
    params = [pytest.param(seed, id=f"seed-{seed}") for seed in SEEDS]
    return params + [pytest.param(seed, id=f"regression-{seed}") for seed in REGRESSION]


@pytest.mark.parametrize("seed", _seeds())
def test_pages_converge_on_the_room(tmp_path, seed):
    path = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, path)
    sim = Simulation(seed, path)
    try:
        try:
            sim.run()
            sim.check()
        except (AssertionError, pytest.fail.Exception):
            print(f"--- seed {seed}: the last operations")
            print("\n".join(sim.log[-40:]))
            raise
        assert sim.added > 0, "the run never added a note: the generator is broken"
    finally:
        sim.room.close()


# -- the smallest cases of what the seeds above once found --------------------------------------


@pytest.fixture
def room(tmp_path):
    path = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, path)
    room = Room(path, store.load(path), save_delay=0.01)
    yield room
    room.close()


def test_deleting_a_note_with_dots_leaves_a_file_that_loads(room):
    me = PARTICIPANTS[0]
    room.subscribe("f", lambda m: None, FACILITATOR)
    room.subscribe("p", lambda m: None, me)
    assert room.submit("f", {"op": "vote_start", "budget": 50}).ok
    assert room.submit("p", {"op": "add", "id": "x1", "x": 0.5, "y": 0.5}, me).ok
    assert room.submit("p", {"op": "vote", "id": "x1", "delta": 1}, me).ok
    assert room.submit("p", {"op": "delete", "ids": ["x1"]}, me).ok
    assert room.flush()
    assert store.load(room.path) == room.session


def test_the_ranking_follows_notes_changed_after_the_vote(room):
    page = Page(PARTICIPANTS[0])
    page.connect(room)
    room.subscribe("f", lambda m: None, FACILITATOR)
    for op in (
        {"op": "vote_start", "budget": 50},
        {"op": "vote", "id": "n-0001", "delta": 1},
        {"op": "vote", "id": "n-0002", "delta": 1},
        {"op": "vote_close"},
        {"op": "edit", "id": "n-0001", "text": "edited after the vote"},
        {"op": "hide", "id": "n-0002", "hidden": True},
    ):
        assert room.submit("f", op).ok, op
    page.deliver()
    assert page.voting == wire.snapshot(room.session, page.actor)["voting"]
