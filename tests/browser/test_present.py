"""Present mode (issue 11): the board takes the screen, reads at 14 px from the back of the
room, shows the step's prompt, a large timer that flashes at zero, the vote's results, frames
to jump to; observers' pages follow the facilitator."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from canvas.live.access import Access, load_secret

from .test_readable import _measure
from .test_workshop import SEND_RAW_JS

pytestmark = pytest.mark.browser

# Counts the tones the page plays (the chime), without a speaker.
COUNT_TONES = """
window.__tones = 0
const Real = window.AudioContext
window.AudioContext = class extends Real {
  createOscillator() { window.__tones += 1; return super.createOscillator() }
}
"""


def _view_code(board_server, name: str) -> str:
    return Access(secret=load_secret(board_server[1])).view_code(name)


def _present(page):
    page.get_by_role("button", name="Present", exact=True).click()
    expect(page.locator(".thc-root")).to_have_class("thc-root present")
    page.wait_for_timeout(300)


def test_present_mode_gives_the_board_the_screen_at_1366x768(board_page, fresh_session):
    page = board_page.page
    page.set_viewport_size({"width": 1366, "height": 768})
    # A step (with its prompt) and the timer are running, as in a workshop.
    page = board_page.open(fresh_session.url)
    page.get_by_role("button", name="H1", exact=True).click()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator(".thc-timer")).not_to_be_empty()
    page = board_page.open(fresh_session.url + "&present=1")
    expect(page.locator(".thc-present-prompt")).to_contain_text("present strengths")
    expect(page.locator(".thc-present-timer")).not_to_be_empty()
    expect(page.locator(".thc-present")).to_be_visible()
    expect(page.locator(".thc-header")).to_be_hidden()
    expect(page.locator(".thc-side")).to_be_hidden()
    page.wait_for_timeout(300)
    m = _measure(page)
    share = m["viewport"]["w"] * m["viewport"]["h"] / (1366 * 768)
    assert share >= 0.90, f"the board has {share:.0%} of the screen"
    smallest = min(a["title"] for a in m["anchors"])
    assert smallest >= 14, f"an anchor title is drawn at {smallest:.1f} px"
    # Nothing of the board falls off the screen.
    assert m["world"]["y"] + m["world"]["h"] <= 768 + 0.5
    assert m["world"]["x"] >= -0.5 and m["world"]["x"] + m["world"]["w"] <= 1366 + 0.5
    board_page.assert_clean()


def test_present_mode_shows_the_step_prompt_and_a_large_timer_that_flashes(
    board_page, fresh_session
):
    page = board_page.page
    page.add_init_script(COUNT_TONES)
    page.set_viewport_size({"width": 1366, "height": 768})
    page = board_page.open(fresh_session.url)
    page.get_by_role("button", name="H1", exact=True).click()
    _present(page)
    prompt = page.locator(".thc-present-prompt")
    expect(prompt).to_contain_text("H1 · where we are now")
    expect(prompt).to_contain_text("What are our present strengths and challenges?")
    # The facilitator asks for the chime, then a one-second timer runs out.
    page.locator(".thc-present [data-field='chime']").check()
    timer = page.locator(".thc-present-timer")
    _send(page, {"op": "timer", "action": "start", "seconds": 1})
    expect(timer).to_have_text("Time is up", timeout=4000)
    expect(page.locator(".thc-present")).to_have_class("thc-present flash")
    size = timer.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 24
    assert page.evaluate("window.__tones") == 3
    board_page.assert_clean()


def test_frames_show_a_horizons_region_and_the_whole_board(board_page, fresh_session):
    page = board_page.page
    page.set_viewport_size({"width": 1366, "height": 768})
    page = board_page.open(fresh_session.url + "&present=1")
    whole = _measure(page)["anchors"][0]["title"]
    page.locator(".thc-frames [data-frame='H1']").click()
    page.wait_for_timeout(400)
    m = _measure(page)
    vp = m["viewport"]
    inside = [
        a["id"]
        for a in m["anchors"]
        if a["box"]["x"] >= vp["x"] - 1 and a["box"]["x"] + a["box"]["w"] <= vp["x"] + vp["w"] + 1
    ]
    assert {"f-1", "f-2", "o-1"} <= set(inside)
    assert "v-1" not in inside
    assert m["anchors"][0]["title"] > whole * 1.3  # zoomed in on it
    page.keyboard.press("0")
    page.wait_for_timeout(400)
    assert _measure(page)["anchors"][0]["title"] == pytest.approx(whole, rel=0.01)
    board_page.assert_clean()


def test_an_observer_follows_the_facilitators_present_mode(
    new_board_page, fresh_session, board_server
):
    host_page = new_board_page()
    host = host_page.open(fresh_session.url)
    watcher_page = new_board_page()
    view = _view_code(board_server, fresh_session.name)
    watcher = watcher_page.open(f"{fresh_session.url}&view={view}")
    expect(watcher.locator(".thc-role")).to_have_text("Observer")
    expect(watcher.locator(".thc-root")).to_have_class("thc-root")

    _present(host)
    expect(watcher.locator(".thc-root")).to_have_class("thc-root present")
    host.locator(".thc-frames [data-frame='H3']").click()
    expect(watcher.locator(".thc-frames [data-frame='H3']")).to_have_attribute(
        "aria-pressed", "true"
    )
    host.locator(".thc-present [data-action='exit-present']").click()
    expect(watcher.locator(".thc-root")).to_have_class("thc-root")
    host_page.assert_clean()
    watcher_page.assert_clean()


def test_after_a_vote_present_mode_shows_the_winners_and_a_large_ranked_list(
    board_page, fresh_session
):
    page = board_page.page
    page.set_viewport_size({"width": 1366, "height": 768})
    page = board_page.open(fresh_session.url)
    page.get_by_role("button", name="Start a vote").click()
    for note_id, dots in (("n-0002", 3), ("n-0005", 2)):
        for _ in range(dots):
            _send(page, {"op": "vote", "id": note_id, "delta": 1})
    page.get_by_role("button", name="Close the vote").click()
    expect(page.locator(".thc-ranked li").first).to_contain_text("(3 votes)")
    _present(page)
    page.locator(".thc-present [data-action='results']").click()
    results = page.locator(".thc-results")
    expect(results).to_be_visible()
    first = results.locator("li").first
    expect(first).to_contain_text("3 votes")
    size = first.locator(".thc-results-text").evaluate(
        "(el) => parseFloat(getComputedStyle(el).fontSize)"
    )
    assert size >= 20
    winner = page.locator(".thc-note[data-id='n-0002']")
    expect(winner).to_have_class(re.compile(r"\bwinner\b"))
    expect(winner).to_have_attribute("data-rank", "No. 1 in the vote")
    expect(page.locator(".thc-note.result-dim").first).to_be_attached()
    board_page.assert_clean()


def _send(page, op: dict) -> None:
    """An operation sent as the board sends it (the facilitator's page)."""
    page.evaluate(SEND_RAW_JS, op)
