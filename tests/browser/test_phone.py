"""A participant on a phone (390x844, touch): joins with the code the facilitator shows,
writes in a text box that reads, puts the note on an anchor, sends; a note the board cannot
take stays a draft with its words and the reason, through a reload and a lost connection,
and is sent once when it can be. Every page is a real Chromium page on a real server."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from canvas.format import store
from tests.browser.people import workshop_code as _code

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SAVED_WITHIN = 2.0  # seconds from "Send" to the note in the session file
QUIET = 1.0

# Keeps every WebSocket the page opens, and while ``__offline`` is set opens new ones to a
# port where nothing listens: the page's connection drops and cannot come back until then.
OFFLINE_SWITCH = """
(() => {
    const Real = window.WebSocket
    window.__sockets = []
    window.__offline = false
    window.WebSocket = class extends Real {
        constructor(url, protocols) {
            super(window.__offline ? "ws://127.0.0.1:9/" : url, protocols)
            window.__sockets.push(this)
        }
    }
})()
"""


class Phone:
    """A phone's page in a browser context of its own, with what went wrong on it."""

    def __init__(self, browser, tolerate: tuple[str, ...] = ()):
        self.context = browser.new_context(**PHONE)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.errors: list[str] = []
        self.tolerate = tolerate
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.on("console", self._console)
        self.failed: list[str] = []  # the addresses of requests that failed
        self.page.on("requestfailed", lambda request: self.failed.append(request.url))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def _console(self, message) -> None:
        if message.type == "error" and not any(t in message.text for t in self.tolerate):
            self.errors.append(f"console error: {message.text}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def phones(chromium_browser):
    opened: list[Phone] = []

    def make(tolerate: tuple[str, ...] = ()) -> Phone:
        opened.append(Phone(chromium_browser, tolerate))
        return opened[-1]

    try:
        yield make
    finally:
        for phone in opened:
            phone.close()


def _phone_on(phones, session, before=None, **options):
    """A phone (``phones(**options)``) on ``session``'s workshop, in through its join link;
    ``before(page)`` runs before the page loads."""
    phone = phones(**options)
    if before is not None:
        before(phone.page)
    phone.page.goto(f"{session.url}&join={_code(session)}")
    phone.page.locator(".thc-phone").wait_for()
    return phone, phone.page


def _join_by_code(page, base: str, code: str) -> None:
    """Type the code at /join, as from the facilitator's screen; wait for the phone view."""
    page.goto(f"{base}/join")
    page.get_by_label("Join code", exact=True).fill(code)
    page.get_by_role("button", name="Join").tap()
    page.locator(".thc-phone").wait_for()
    page.locator(".thc-status[data-state='saved']").wait_for(state="attached")


def _write(page, text: str) -> None:
    box = page.get_by_label("Your note", exact=True)
    box.tap()
    page.keyboard.type(text)


def _notes_with(path, text: str) -> list:
    return [n for n in store.load(path).notes.values() if n.text == text]


def _saved_within(path, text: str, seconds: float, since: float):
    """The note with ``text`` once it is in the file; fails after ``seconds`` from ``since``."""
    while True:
        found = _notes_with(path, text)
        if found:
            return found[0], time.monotonic() - since
        if time.monotonic() - since > seconds:
            pytest.fail(f"{text!r} was not in {path.name} within {seconds:g} s", pytrace=False)
        time.sleep(0.05)


def _unchanged_for(path, before: bytes, seconds: float = QUIET) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert path.read_bytes() == before, f"{path.name} changed"
        time.sleep(0.05)


def test_a_phone_joins_writes_places_and_keeps_a_locked_out_note_as_a_draft(
    phones, new_board_page, fresh_session
):
    base = fresh_session.url.split("/board")[0]
    code = _code(fresh_session)
    lead_watch = new_board_page()
    lead = lead_watch.open(fresh_session.url)
    expect(lead.locator(".thc-run .thc-code")).to_have_text(f"Join code: {code}")

    phone = phones()
    page = phone.page
    _join_by_code(page, base, code.upper())  # read aloud: case does not matter
    # The phone view, not the board: no board card is built on the phone.
    expect(page.locator(".thc-root")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Take a pseudonym").tap()
    _write(page, "Time to try things, written on a phone")
    size = page.get_by_label("Your note", exact=True).evaluate(
        "el => getComputedStyle(el).fontSize"
    )
    assert float(size.removesuffix("px")) >= 16, size
    # Choose the anchor from the list, found by typing part of its summary.
    page.get_by_label("Find an anchor", exact=True).fill("heard")
    page.get_by_role("radio", name=re.compile(r"^Everyone is heard")).tap()
    expect(page.locator("#thc-ph-goes")).to_have_text("It goes on: Everyone is heard")
    started = time.monotonic()
    page.get_by_role("button", name="Send", exact=True).tap()
    note, took = _saved_within(
        fresh_session.path, "Time to try things, written on a phone", SAVED_WITHIN, started
    )
    saved = store.load(fresh_session.path)
    assert saved.anchors[note.anchor].title == "Everyone is heard", note.anchor
    assert took <= SAVED_WITHIN

    # The facilitator locks the board: Send says it keeps a draft, and why.
    lead.get_by_label("Lock the board (only the facilitator edits)", exact=True).check()
    expect(page.locator("#thc-ph-why")).to_contain_text("The facilitator has locked the board")
    keep = page.get_by_role("button", name="Keep as a draft", exact=True)
    while not store.load(fresh_session.path).facilitation.locked:  # the lock itself, saved
        time.sleep(0.05)
    before = fresh_session.path.read_bytes()
    _write(page, "Written while the board was locked")
    keep.tap()
    page.get_by_role("tab", name=re.compile(r"^My notes")).tap()
    draft = page.locator(".thc-draft").filter(has_text="Written while the board was locked")
    expect(draft).to_have_count(1)
    expect(draft.locator(".thc-draft-why")).to_contain_text("locked the board")
    _unchanged_for(fresh_session.path, before)

    # A reload while the draft waits: it is still there, with its words and the reason.
    page.reload()
    page.locator(".thc-phone").wait_for()
    draft = page.locator(".thc-draft").filter(has_text="Written while the board was locked")
    expect(draft).to_have_count(1)
    expect(draft.locator(".thc-draft-why")).to_contain_text("locked the board")

    expect(draft.get_by_role("button", name="Send again")).to_be_disabled()  # still locked
    lead.get_by_label("Lock the board (only the facilitator edits)", exact=True).uncheck()
    expect(page.locator("#thc-ph-why")).to_have_text("")  # the phone has heard
    started = time.monotonic()
    draft.get_by_role("button", name="Send again").tap()
    _saved_within(fresh_session.path, "Written while the board was locked", SAVED_WITHIN, started)
    expect(page.locator(".thc-draft")).to_have_count(0)
    expect(page.locator(".thc-ph-mine .thc-ph-note")).to_have_count(2)
    assert phone.errors == []
    lead_watch.assert_clean()


def test_a_note_the_server_refuses_stays_a_draft_with_the_servers_reason(phones, fresh_session):
    session = store.load(fresh_session.path)
    from dataclasses import replace

    store.save(
        replace(session, settings=replace(session.settings, max_notes=1)), fresh_session.path
    )
    phone, page = _phone_on(phones, fresh_session)
    page.get_by_role("button", name="Take a pseudonym").tap()
    _write(page, "My one note")
    page.get_by_role("button", name="Send", exact=True).tap()
    _saved_within(fresh_session.path, "My one note", SAVED_WITHIN, time.monotonic())
    _write(page, "One more than the limit")
    page.get_by_role("button", name="Send", exact=True).tap()
    page.get_by_role("tab", name=re.compile(r"^My notes")).tap()
    draft = page.locator(".thc-draft").filter(has_text="One more than the limit")
    expect(draft.locator(".thc-draft-why")).to_have_text(
        "Not sent: You have written as many notes as one person may add here"
    )
    # Edited, it is still the person's words that wait; discarded, it is gone.
    draft.get_by_role("button", name="Edit").tap()
    area = page.locator(".thc-draft textarea")
    area.fill("One more than the limit, shorter")
    page.get_by_role("button", name="Save", exact=True).tap()
    expect(page.locator(".thc-draft .thc-draft-text")).to_have_text(
        "One more than the limit, shorter"
    )
    page.get_by_role("button", name="Discard").tap()
    expect(page.locator(".thc-draft")).to_have_count(0)
    assert _notes_with(fresh_session.path, "One more than the limit, shorter") == []
    assert phone.errors == []


# Bokeh tries to reconnect five times, over about 30 s, then gives up: the long case is
# offline for longer than that, and the page must still come back by itself.
@pytest.mark.parametrize(
    "offline_for", [0.0, pytest.param(35.0, marks=pytest.mark.slow)], ids=["brief", "long"]
)
def test_a_note_written_while_the_connection_is_down_is_sent_once_when_it_is_back(
    phones, fresh_session, offline_for
):
    # The browser says so when a socket to the closed port fails: expected here. After a long
    # time away the server has let the page's session go and Bokeh makes it again, with
    # Panel's theme files from its CDN, which this machine cannot reach (checked below).
    tolerate = (
        "ws://127.0.0.1:9",
        "Failed to connect to Bokeh server",
        "Lost websocket",
        "net::ERR_NAME_NOT_RESOLVED",
    )
    phone, page = _phone_on(
        phones, fresh_session, lambda p: p.add_init_script(OFFLINE_SWITCH), tolerate=tolerate
    )
    page.locator(".thc-status[data-state='saved']").wait_for(state="attached")
    page.get_by_role("button", name="Take a pseudonym").tap()

    page.evaluate("() => { window.__offline = true; for (const s of window.__sockets) s.close() }")
    expect(page.locator(".thc-status")).to_have_attribute("data-state", "offline")
    _write(page, "Written on the bus, no signal")
    page.get_by_role("button", name="Send", exact=True).tap()
    page.get_by_role("tab", name=re.compile(r"^My notes")).tap()
    expect(page.locator(".thc-draft .thc-draft-why")).to_have_text(
        "Waiting for the connection: it is sent when it is back"
    )
    assert _notes_with(fresh_session.path, "Written on the bus, no signal") == []
    time.sleep(offline_for)
    assert _notes_with(fresh_session.path, "Written on the bus, no signal") == []

    page.evaluate("() => { window.__offline = false }")
    started = time.monotonic()
    _saved_within(fresh_session.path, "Written on the bus, no signal", 20.0, started)
    page.locator(".thc-phone").wait_for()
    expect(page.locator(".thc-draft")).to_have_count(0)
    time.sleep(QUIET)  # any second sending would have landed by now
    assert len(_notes_with(fresh_session.path, "Written on the bus, no signal")) == 1
    assert phone.errors == []
    unreached = {u for u in phone.failed if not u.startswith("ws://127.0.0.1:9")}
    assert all(u.startswith("https://cdn.holoviz.org/panel/") for u in unreached), unreached


def test_voting_from_a_list_stops_at_the_budget_and_says_why(phones, new_board_page, fresh_session):
    lead_watch = new_board_page()
    lead = lead_watch.open(fresh_session.url)
    lead.get_by_label("Votes per person").fill("2")
    lead.get_by_role("button", name="Start a vote").click()
    phone, page = _phone_on(phones, fresh_session)
    vote_tab = page.get_by_role("tab", name="Vote (2 left)")
    vote_tab.tap()
    plus = page.get_by_role("button", name=re.compile(r"^Vote for: "))
    plus.first.tap()
    expect(page.get_by_role("tab", name="Vote (1 left)")).to_be_visible()
    plus.nth(1).tap()
    expect(page.locator(".thc-ph-vote .thc-votes-left")).to_have_text("Votes left: 0 of 2")
    expect(page.locator("#thc-ph-vote-why")).to_have_text(
        "You have used all 2 of your votes: take one back to give it elsewhere"
    )
    expect(plus.first).to_be_disabled()
    ballots = None
    for _ in range(40):
        ballots = store.load(fresh_session.path).voting.ballots
        if ballots and sum(sum(b.notes.values()) for b in ballots.values()) == 2:
            break
        time.sleep(0.05)
    assert ballots and sum(sum(b.notes.values()) for b in ballots.values()) == 2
    page.get_by_role("button", name=re.compile(r"^Take a vote back from: ")).first.tap()
    expect(plus.first).to_be_enabled()
    assert phone.errors == []
    lead_watch.assert_clean()


def test_the_phone_can_look_at_the_whole_board_and_come_back(phones, fresh_session):
    phone, page = _phone_on(phones, fresh_session)
    page.get_by_role("tab", name="Board").tap()
    page.get_by_role("button", name="Look at the board").tap()
    # The board as the room sees it, to read: its cards, and nothing to change it with.
    look = page.locator(".thc-ph-look")
    expect(look.locator(".thc-root.present")).to_be_visible()
    expect(look.locator(".thc-anchor").first).to_be_attached()
    expect(look.locator("[data-action='add'], [data-action='add-from-list']")).to_have_count(0)
    expect(page.locator(".thc-ph-tabs")).to_be_hidden()
    exit_button = page.get_by_role("button", name="Leave present mode")
    expect(exit_button).to_be_focused()
    exit_button.tap()
    expect(look).to_be_hidden()
    expect(look.locator(".thc-root")).to_have_count(0)
    expect(page.get_by_role("button", name="Look at the board")).to_be_focused()
    assert phone.errors == []
