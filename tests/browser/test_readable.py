"""A board the whole room can read (issue 11): at fit, on a laptop and on a large screen, with
the side panel open, for the sample workshop and for a dense board (the sample plus 200 notes
on random anchors): no anchor covered by notes, no anchors on one another, the horizon
labels clear, anchor titles at 11 px or more, and no note text cut off."""

from __future__ import annotations

import itertools
import random
import shutil
from dataclasses import replace

import pytest
from playwright.sync_api import expect

from canvas.domain.model import Note
from canvas.format import store

from .conftest import SAMPLE_SESSION, SAMPLE_WORKSHOP

pytestmark = pytest.mark.browser

SCREENS = [(1366, 768), (1920, 1080)]
DENSE = "dense-board"
SEED = 20221101
PHRASES = [
    "Time to try things in paid hours",
    "Carers know what works but nobody asks them",
    "A shared budget across health and care for prevention",
    "Peer exchanges between homes",
    "Commission for outcomes, not for minutes",
    "Make the small grants simple to apply for, and let people keep what they learn",
    "Value",
    "Trust frontline staff to change the rota",
    "A Welsh-language network of innovators: rhwydwaith arloeswyr",
    "Publish what failed as well as what worked",
]

# Everything the checks need, measured in the page (the board lives in a shadow root).
MEASURE_JS = """
(root) => {
  const rect = (el) => el.getBoundingClientRect()
  const shown = (el) => {
    const r = rect(el)
    return r.width > 0 && r.height > 0 && getComputedStyle(el).display !== "none"
  }
  const box = (r) => ({x: r.left, y: r.top, w: r.width, h: r.height})
  // The size text is drawn at: its font size times every scale between it and the screen.
  const drawn = (el) => parseFloat(getComputedStyle(el).fontSize) * rect(el).width / el.offsetWidth
  const all = (selector) => [...root.querySelectorAll(selector)]
  const anchors = all(".thc-anchor").map((el) => ({
    id: el.dataset.id, box: box(rect(el)), title: drawn(el.querySelector(".thc-anchor-title"))}))
  const notes = all(".thc-note").filter(shown).map((el) => ({
    id: el.dataset.id, box: box(rect(el))}))
  const texts = all(".thc-note .thc-note-text").filter(shown).map((el) => ({
    id: el.closest(".thc-note").dataset.id, scroll: el.scrollHeight, client: el.clientHeight,
    px: drawn(el)}))
  const labels = all(".thc-hlabel").map((el) => ({
    horizon: el.dataset.horizon, box: box(rect(el)), px: drawn(el)}))
  const viewport = box(rect(root.querySelector(".thc-viewport")))
  const side = box(rect(root.querySelector(".thc-side")))
  const world = box(rect(root.querySelector(".thc-world")))
  return {anchors, notes, texts, labels, viewport, side, world}
}
"""


def overlap(a: dict, b: dict) -> float:
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return w * h if w > 0 and h > 0 else 0.0


def covered(anchor: dict, notes: list[dict]) -> float:
    """The share of an anchor's area under notes (overlaps of notes counted once, on a grid)."""
    box = anchor["box"]
    cells = 0
    hit = 0
    steps = 20
    for i in range(steps):
        for j in range(steps):
            x = box["x"] + (i + 0.5) * box["w"] / steps
            y = box["y"] + (j + 0.5) * box["h"] / steps
            cells += 1
            point = {"x": x, "y": y, "w": 0.001, "h": 0.001}
            hit += any(overlap(point, n["box"]) for n in notes)
    return hit / cells


@pytest.fixture(scope="module")
def dense_board(board_server) -> str:
    """The sample with 200 more notes on random anchors, as a workshop of its own."""
    url, home = board_server
    folder = home / "sessions" / DENSE
    shutil.copytree(home / "sessions" / SAMPLE_WORKSHOP, folder)
    path = folder / f"{SAMPLE_SESSION}.yaml"
    session = store.load(path)
    rng = random.Random(SEED)
    anchors = sorted(session.anchors)
    notes = dict(session.notes)
    for i in range(200):
        anchor = session.anchors[rng.choice(anchors)]
        notes[f"d-{i:03d}"] = Note(
            id=f"d-{i:03d}",
            text=rng.choice(PHRASES),
            x=anchor.x,
            y=anchor.y,
            horizon=anchor.horizon,
            anchor=anchor.id,
            author=rng.choice(["Alys", "Bryn", "Carys", ""]),
            votes=rng.choice([0, 0, 0, 1, 2, 5]),
            created=f"2022-04-21T15:{i // 60:02d}:{i % 60:02d}Z",
        )
    store.save(replace(session, notes=notes), path)
    return f"{url}/board?session={DENSE}/{SAMPLE_SESSION}"


def _open(board_page, url: str, size: tuple[int, int]):
    page = board_page.page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page = board_page.open(url)
    page.wait_for_timeout(300)  # the culling pass after the fit
    return page


def _measure(page) -> dict:
    return page.locator(".thc-root").evaluate(MEASURE_JS)


def _check_readable(m: dict, what: str) -> None:
    anchors = m["anchors"]
    assert len(anchors) == 50, what
    for a in anchors:
        share = covered(a, m["notes"])
        assert share <= 0.10, f"{what}: anchor {a['id']} is {share:.0%} covered by notes"
        assert a["title"] >= 11, f"{what}: {a['id']}'s title is drawn at {a['title']:.1f} px"
    for i, a in enumerate(anchors):
        for b in anchors[i + 1 :]:
            assert not overlap(a["box"], b["box"]), f"{what}: {a['id']} and {b['id']} overlap"
    assert sorted(label["horizon"] for label in m["labels"]) == ["H1", "H2", "H3"]
    for label in m["labels"]:
        under = [x["id"] for x in anchors + m["notes"] if overlap(label["box"], x["box"])]
        assert not under, f"{what}: the {label['horizon']} label lies on {under}"
        assert label["px"] >= 11, what
    assert m["texts"], f"{what}: no note text is shown at all"
    for text in m["texts"]:
        assert text["scroll"] <= text["client"], f"{what}: the text of {text['id']} is cut off"
        assert text["px"] >= 11 - 0.01, f"{what}: {text['id']} is drawn at {text['px']:.1f} px"
    assert m["side"]["w"] > 200, f"{what}: the side panel is not open"


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_sample_reads_at_fit(board_page, fresh_session, size):
    page = _open(board_page, fresh_session.url, size)
    _check_readable(_measure(page), f"sample at {size}")
    board_page.assert_clean()


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_dense_board_reads_at_fit(board_page, dense_board, size):
    page = _open(board_page, dense_board, size)
    m = _measure(page)
    _check_readable(m, f"dense board at {size}")
    # Crowded zones show one face each, with the number of the others.
    assert page.locator(".thc-note.face .thc-more:not([hidden])").count() >= 20
    board_page.assert_clean()


def test_opening_a_crowded_anchor_spreads_its_notes_out_to_read(board_page, dense_board):
    page = _open(board_page, dense_board, (1366, 768))
    face = page.locator(".thc-note.face").filter(has=page.locator(".thc-more:not([hidden])")).first
    more = face.locator(".thc-more")
    count = int(more.inner_text().lstrip("+")) + 1
    more.click()
    spread = page.locator(".thc-note.spread")
    expect(spread).to_have_count(count)
    m = _measure(page)
    shown = [
        t
        for t in m["texts"]
        if t["id"] in set(spread.evaluate_all("(els) => els.map((e) => e.dataset.id)"))
    ]
    assert len(shown) == count
    for text in shown:
        assert text["scroll"] <= text["client"], text
        assert text["px"] >= 13.9, text
    page.keyboard.press("Escape")
    expect(spread).to_have_count(0)
    board_page.assert_clean()


def test_zooming_in_shows_a_zones_notes_once_they_read(board_page, fresh_session):
    page = _open(board_page, fresh_session.url, (1366, 768))
    card = page.locator(".thc-note[data-id='n-0002']")
    expect(card).to_have_attribute("data-mode", "face")
    box = card.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    for _ in range(12):
        page.keyboard.down("Control")
        page.mouse.wheel(0, -120)
        page.keyboard.up("Control")
        page.wait_for_timeout(60)
        if card.get_attribute("data-mode") == "open":
            break
    expect(card).to_have_attribute("data-mode", "open")
    text = next(t for t in _measure(page)["texts"] if t["id"] == "n-0002")
    assert text["px"] >= 11 - 0.01
    assert text["scroll"] <= text["client"]
    board_page.assert_clean()


def test_no_zoom_shows_text_smaller_than_at_fit(board_page, fresh_session):
    page = _open(board_page, fresh_session.url, (1366, 768))
    before = _measure(page)["anchors"][0]["title"]
    page.get_by_role("button", name="Zoom out", exact=True).click()
    page.mouse.move(400, 400)
    page.keyboard.down("Control")
    page.mouse.wheel(0, 600)
    page.keyboard.up("Control")
    page.wait_for_timeout(300)
    after = _measure(page)["anchors"][0]["title"]
    assert after == pytest.approx(before, rel=0.01)
    expect(page.locator(".thc-hlabel")).to_have_count(3)


def test_the_board_refits_when_the_header_grows(board_page, fresh_session):
    page = _open(board_page, fresh_session.url, (1366, 768))
    # The facilitator starts a step with a long prompt: the banner takes more lines.
    page.get_by_role("button", name="H1", exact=True).click()
    prompt = page.locator(".thc-run textarea[data-field='prompt']")
    prompt.fill(" ".join(["What are our present strengths and challenges?"] * 18))
    prompt.blur()
    expect(page.locator(".thc-step")).to_contain_text("present strengths")
    page.wait_for_timeout(400)
    m = _measure(page)
    # The header grew so much that the whole board now fits by its height, not its width.
    assert m["world"]["w"] < m["viewport"]["w"] - 20
    bottom = max(a["box"]["y"] + a["box"]["h"] for a in m["anchors"])
    assert bottom <= m["viewport"]["y"] + m["viewport"]["h"] + 0.5, "the bottom row left the screen"
    assert m["world"]["y"] + m["world"]["h"] <= m["viewport"]["y"] + m["viewport"]["h"] + 0.5
    board_page.assert_clean()


def test_tab_goes_through_the_anchors_in_their_places_on_the_board(board_page, fresh_session):
    page = _open(board_page, fresh_session.url, (1366, 768))
    order = page.locator(".thc-anchor").evaluate_all(
        "(els) => els.map((e) => [e.getBoundingClientRect().left, e.getBoundingClientRect().top])"
    )
    row_top = order[0][1]
    for (x0, _y0), (x1, y1) in itertools.pairwise(order):
        if x1 <= x0:  # a new row starts lower than the last one did
            assert y1 > row_top
            row_top = y1
    first = page.locator(".thc-anchor").first
    first.focus()
    page.keyboard.press("Tab")
    expect(page.locator(".thc-anchor").nth(1)).to_be_focused()


@pytest.fixture(scope="module")
def crowded_board(board_server) -> str:
    """The sample with 400 more loose notes (on no anchor) all over the board."""
    url, home = board_server
    folder = home / "sessions" / "crowded-board"
    shutil.copytree(home / "sessions" / SAMPLE_WORKSHOP, folder)
    path = folder / f"{SAMPLE_SESSION}.yaml"
    session = store.load(path)
    rng = random.Random(SEED + 1)
    notes = dict(session.notes)
    for i in range(400):
        notes[f"l-{i:03d}"] = Note(
            id=f"l-{i:03d}",
            text=rng.choice(PHRASES),
            x=round(rng.random(), 4),
            y=round(rng.random(), 4),
            horizon="H2",
        )
    store.save(replace(session, notes=notes), path)
    return f"{url}/board?session=crowded-board/{SAMPLE_SESSION}"


def test_a_crowd_of_loose_notes_shows_as_piles_until_zoomed_in(board_page, crowded_board):
    page = _open(board_page, crowded_board, (1366, 768))
    piles = page.locator(".thc-pile")
    expect(piles.first).to_be_visible()
    counts = [int(x) for x in piles.all_inner_texts()]
    assert sum(counts) >= 300  # (those in view; a pile's square may reach past the board)
    loose = page.locator(".thc-note:not([data-mode='face'])")
    assert loose.count() <= 1  # no loose card at fit (one may be selected)
    _check_readable(_measure(page), "crowded board at fit")
    biggest = max(range(len(counts)), key=counts.__getitem__)
    piles.nth(biggest).click()
    page.wait_for_timeout(400)
    expect(page.locator(".thc-note[data-mode='free']").first).to_be_visible()
    for text in _measure(page)["texts"]:
        assert text["scroll"] <= text["client"], text
        assert text["px"] >= 11 - 0.01, text
    board_page.assert_clean()
