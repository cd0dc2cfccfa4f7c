"""The phone view for everyone: axe-core finds nothing serious or critical on any of its
tabs, in English and in Welsh; and a person with a keyboard alone can join with the code,
write, put the note on an anchor and vote, with no mouse or touch event on the page."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from canvas.format import store
from tests.browser.people import workshop_code as _code
from tests.browser.test_accessibility import _axe

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LOCK = "Lock the board (only the facilitator edits)"
# Counts every trusted pointer, mouse and touch event: a keyboard-only run leaves it at 0.
POINTER_COUNT = (
    "window.__pointer = 0; for (const kind of ['mousedown', 'mouseup', 'pointerdown',"
    " 'touchstart', 'click']) addEventListener(kind, (e) => {"
    " if (e.isTrusted && (e.detail > 0 || kind !== 'click')) window.__pointer++ }, true)"
)


def _focused(locator) -> bool:
    return locator.evaluate("el => el.getRootNode().activeElement === el")


def _tab_to(page, locator, back: bool = False, limit: int = 40) -> None:
    """Press Tab (or Shift+Tab) until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if _focused(locator):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    expect(locator).to_be_focused()


def _in_file(path, text: str, timeout: float = 3.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        session = store.load(path)
        for note in session.notes.values():
            if note.text == text:
                return session, note
        time.sleep(0.05)
    pytest.fail(f"{text!r} is not in {path.name}", pytrace=False)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_axe_finds_nothing_serious_on_any_tab_of_the_phone_view(
    chromium_browser, new_board_page, fresh_session, lang
):
    lead_watch = new_board_page()
    lead = lead_watch.open(fresh_session.url)
    lead.get_by_role("button", name="Start a vote").click()
    context = chromium_browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(f"{fresh_session.url}&join={_code(fresh_session)}&lang={lang}")
        page.locator(".thc-phone").wait_for()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        page.locator("[data-action='anchor']").nth(1).check()
        page.locator("textarea[data-action='note-text']").fill("A note for the checker")
        page.locator(".thc-ph-name input").fill("Alys")
        page.locator(".thc-ph-name input").press("Tab")
        page.locator("[data-action='send-note']").tap()
        _in_file(fresh_session.path, "A note for the checker")
        # A draft waits too: the board is locked while the next note is written.
        lead.get_by_label(LOCK, exact=True).check()
        expect(page.locator("#thc-ph-why")).not_to_have_text("")
        page.locator("textarea[data-action='note-text']").fill("A draft for the checker")
        page.locator("[data-action='send-note']").tap()
        problems = {}
        for tab in page.get_by_role("tab").all():
            tab.tap()
            expect(tab).to_have_attribute("aria-selected", "true")
            found = _axe(page)
            if found:
                problems[tab.text_content()] = found
        assert problems == {}
        expect(page.locator(".thc-draft")).to_have_count(1)
        lead_watch.assert_clean()
    finally:
        context.close()


def test_keyboard_alone_joins_writes_places_and_votes_on_the_phone_view(
    chromium_browser, new_board_page, fresh_session
):
    lead_watch = new_board_page()
    lead_watch.open(fresh_session.url).get_by_role("button", name="Start a vote").click()
    # A narrow window with a keyboard: the phone view, with no touch screen.
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.add_init_script(POINTER_COUNT)
        base = fresh_session.url.split("/board")[0]
        page.goto(f"{base}/join")
        expect(page.get_by_label("Join code", exact=True)).to_be_focused()
        page.keyboard.type(_code(fresh_session))
        page.keyboard.press("Enter")
        page.locator(".thc-phone").wait_for()
        page.locator(".thc-status[data-state='saved']").wait_for(state="attached")

        _tab_to(page, page.locator(".thc-ph-name input"))
        page.keyboard.type("Kai")
        _tab_to(page, page.get_by_label("Your note", exact=True))
        page.keyboard.type("Written with the keyboard alone")
        _tab_to(page, page.get_by_label("Find an anchor", exact=True))
        page.keyboard.type("heard")
        page.keyboard.press("Tab")  # into the anchors: "No anchor" is the one chosen
        expect(page.locator("[data-action='anchor'][data-id='none']")).to_be_focused()
        page.keyboard.press("ArrowDown")
        expect(page.locator("#thc-ph-goes")).to_have_text("It goes on: Everyone is heard")
        _tab_to(page, page.get_by_role("button", name="Send", exact=True))
        page.keyboard.press("Enter")
        saved, note = _in_file(fresh_session.path, "Written with the keyboard alone")
        assert saved.anchors[note.anchor].title == "Everyone is heard"
        assert note.author == "Kai"

        # To the Vote tab: back to the tabs, then the arrow keys.
        _tab_to(page, page.get_by_role("tab", name="Write"), back=True)
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        expect(page.get_by_role("tab", name=re.compile(r"^Vote"))).to_be_focused()
        plus = page.get_by_role("button", name="Vote for: Written with the keyboard alone")
        _tab_to(page, plus)
        page.keyboard.press("Enter")
        expect(page.locator(".thc-ph-vote .thc-votes-left")).to_have_text("Votes left: 4 of 5")
        for _ in range(40):
            ballots = store.load(fresh_session.path).voting.ballots
            if any(b.notes.get(note.id) == 1 for b in ballots.values()):
                break
            time.sleep(0.05)
        assert any(b.notes.get(note.id) == 1 for b in ballots.values())
        assert page.evaluate("window.__pointer") == 0
        assert errors == []
        lead_watch.assert_clean()
    finally:
        context.close()
