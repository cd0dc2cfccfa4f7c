"""On the board, as participants use it: "Add note" is off on a locked board and says why; a
note typed before the lock stays a draft with its words and the reason until it is sent
again; an author sees their own hidden note greyed, "Hidden by the facilitator"; "Add note"
during a step puts the note in that horizon's region (on the focused anchor if any); a
pasted list becomes one note per line after a confirmation, on the board and on a phone; a
note on its way (the server slow to answer) can be edited at once, and a connection that
drops while someone writes does not take their words."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from canvas.format import store
from tests.browser import people

pytestmark = pytest.mark.browser

LOCK = "Lock the board (only the facilitator edits)"
PASTE = """
el => {
    const data = new DataTransfer()
    data.setData("text/plain",
        "- Carers know what works\\n- Time to try things\\n\\n- Trust the rota")
    const init = {clipboardData: data, bubbles: true, cancelable: true}
    el.dispatchEvent(new ClipboardEvent("paste", init))
}
"""
PASTED = {"Carers know what works", "Time to try things", "Trust the rota"}


def _join(session) -> str:
    return people.access(session).join_code(session.name)


def _open_editor(page, text: str):
    page.locator(".thc-toolbar [data-action='add']").click()
    editor = page.locator(".thc-note.editing textarea.thc-editor")
    expect(editor).to_be_focused()
    page.keyboard.type(text)
    return editor


class HeldRoom:
    """The page's room channel through Playwright, with what the server says held back on
    demand (a server slow to answer: a full room) or the connection dropped."""

    def __init__(self, page):
        self.hold = False
        self.held: list = []
        self.routes: list = []
        self.heard: list[int] = []  # messages passed to the page, per connection
        page.route_web_socket(re.compile(r"/room(/|\?|$)"), self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()
        index = len(self.routes)
        self.routes.append(ws)
        self.heard.append(0)

        def heard(message) -> None:
            if self.hold:
                self.held.append((ws, message))
            else:
                self.heard[index] += 1
                ws.send(message)

        server.on_message(heard)

    def release(self) -> None:
        while self.held:
            ws, message = self.held.pop(0)
            ws.send(message)
        self.hold = False

    def drop(self, page) -> None:
        """Close the page's connection; return once the new one has heard the server."""
        before = len(self.routes)
        self.routes[-1].close()
        for _ in range(100):
            if len(self.routes) > before and self.heard[-1]:
                return
            page.wait_for_timeout(100)
        raise AssertionError("the page did not connect again")


def _held_participant(new_board_page, session):
    """Nia's board, its room channel carried through a :class:`HeldRoom`."""
    rooms: list[HeldRoom] = []
    watch, page = people.open_participant(
        new_board_page, session, "Nia", lambda p: rooms.append(HeldRoom(p))
    )
    return watch, page, rooms[0]


def _texts(path) -> set[str]:
    return {n.text for n in store.load(path).notes.values()}


def _saved(wait_for_file, session, text: str, what: str) -> None:
    wait_for_file(session.path, lambda s: text in {n.text for n in s.notes.values()}, what=what)


def test_a_note_typed_before_the_lock_stays_a_draft_and_add_note_says_why_it_is_off(
    new_board_page, fresh_session, wait_for_file
):
    lead_watch = new_board_page()
    lead = lead_watch.open(fresh_session.url)
    guest_watch, guest = people.open_participant(new_board_page, fresh_session, "Nia")
    editor = _open_editor(guest, "Typed just before the lock")

    lead.get_by_label(LOCK, exact=True).check()
    wait_for_file(fresh_session.path, lambda s: s.facilitation.locked, what="the lock")
    add = guest.locator(".thc-toolbar [data-action='add']")
    expect(add).to_be_disabled()
    list_add = guest.get_by_role("region", name="All notes").get_by_role("button", name="Add note")
    expect(list_add).to_be_disabled()
    expect(guest.locator("#thc-write-why")).to_have_text(
        "The facilitator has locked the board: you can write, and send when it opens"
    )
    before = fresh_session.path.read_bytes()
    editor.press("Enter")
    draft = guest.locator(".thc-tray .thc-draft").filter(has_text="Typed just before the lock")
    expect(draft).to_have_count(1)
    expect(draft.locator(".thc-draft-why")).to_contain_text("locked the board")
    expect(draft.get_by_role("button", name="Send again")).to_be_disabled()  # still locked
    time.sleep(0.5)
    assert fresh_session.path.read_bytes() == before

    lead.get_by_label(LOCK, exact=True).uncheck()
    expect(add).to_be_enabled()
    expect(guest.locator("#thc-write-why")).to_have_text("")
    draft.get_by_role("button", name="Send again").click()
    wait_for_file(
        fresh_session.path,
        lambda s: "Typed just before the lock" in {n.text for n in s.notes.values()},
        what="the draft, sent again",
    )
    expect(guest.locator(".thc-tray .thc-draft")).to_have_count(0)
    expect(guest.locator(".thc-note").filter(has_text="Typed just before the lock")).to_have_count(
        1
    )
    guest_watch.assert_clean()
    lead_watch.assert_clean()


def test_an_author_sees_their_hidden_note_greyed_and_others_do_not_see_it(
    new_board_page, fresh_session, wait_for_file
):
    lead_watch = new_board_page()
    lead = lead_watch.open(fresh_session.url)
    author_watch, author = people.open_participant(new_board_page, fresh_session, "Nia")
    other_watch, other = people.open_participant(new_board_page, fresh_session, "Bryn")
    _open_editor(author, "A note the facilitator hides").press("Enter")
    expect(
        other.locator(".thc-note").filter(has_text="A note the facilitator hides")
    ).to_have_count(1)

    lead.locator(".thc-note").filter(has_text="A note the facilitator hides").click()
    lead.locator(".thc-details").get_by_role("button", name="Hide note").click()
    wait_for_file(
        fresh_session.path,
        lambda s: any(n.hidden for n in s.notes.values() if n.text.startswith("A note the")),
        what="the hidden note",
    )
    card = author.locator(".thc-note").filter(has_text="A note the facilitator hides")
    expect(card).to_have_count(1)
    expect(card).to_contain_class("hidden-note")
    expect(card.locator(".thc-flag")).to_have_text("Hidden by the facilitator")
    assert float(card.evaluate("el => getComputedStyle(el).opacity")) < 1
    expect(
        other.locator(".thc-note").filter(has_text="A note the facilitator hides")
    ).to_have_count(0)
    for watch in (author_watch, other_watch, lead_watch):
        watch.assert_clean()


def test_add_note_during_a_step_goes_to_that_horizons_region_or_the_focused_anchor(
    new_board_page, fresh_session, wait_for_file
):
    lead_watch = new_board_page()
    lead = lead_watch.open(fresh_session.url)
    lead.get_by_role("group", name="Workshop steps").get_by_role("button", name="H3").click()
    wait_for_file(fresh_session.path, lambda s: s.facilitation.step == "H3", what="step H3")
    guest_watch, guest = people.open_participant(new_board_page, fresh_session, "Nia")
    expect(guest.locator(".thc-step")).to_contain_text("H3")

    _open_editor(guest, "Somewhere in the third horizon").press("Enter")
    saved = wait_for_file(
        fresh_session.path,
        lambda s: "Somewhere in the third horizon" in {n.text for n in s.notes.values()},
        what="the step's note",
    )
    note = next(n for n in saved.notes.values() if n.text == "Somewhere in the third horizon")
    assert (note.horizon, note.anchor) == ("H3", None)

    guest.locator(".thc-anchor[data-id='v-8']").focus()
    guest.keyboard.press("n")
    guest.keyboard.type("On the anchor in focus")
    guest.keyboard.press("Enter")
    saved = wait_for_file(
        fresh_session.path,
        lambda s: "On the anchor in focus" in {n.text for n in s.notes.values()},
        what="the anchored note",
    )
    note = next(n for n in saved.notes.values() if n.text == "On the anchor in focus")
    assert (note.horizon, note.anchor) == ("H3", "v-8")
    guest_watch.assert_clean()
    lead_watch.assert_clean()


def test_a_pasted_list_becomes_one_note_per_line_after_a_confirmation_on_the_board(
    new_board_page, fresh_session, wait_for_file
):
    guest_watch, guest = people.open_participant(new_board_page, fresh_session, "Nia")
    editor = _open_editor(guest, "")
    editor.evaluate(PASTE)
    ask = guest.locator(".thc-ask")
    expect(ask.locator(".thc-ask-title")).to_have_text("Make 3 notes, one per line?")
    assert not PASTED & _texts(fresh_session.path)  # nothing sent before the answer
    ask.get_by_role("button", name="Make 3 notes").click()
    wait_for_file(fresh_session.path, lambda s: {n.text for n in s.notes.values()} >= PASTED)
    expect(guest.locator(".thc-ask")).to_have_count(0)
    guest_watch.assert_clean()


def test_a_pasted_list_on_the_phone_view_is_one_note_per_line_or_one_note_as_asked(
    chromium_browser, fresh_session, wait_for_file
):
    code = people.workshop_code(fresh_session)
    context = chromium_browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        page.goto(f"{fresh_session.url}&join={code}")
        page.locator(".thc-phone").wait_for()
        page.get_by_role("button", name="Take a pseudonym").tap()
        box = page.get_by_label("Your note", exact=True)
        box.evaluate(PASTE)
        page.get_by_role("button", name="Keep it as one note").tap()
        expect(box).to_have_value(
            "- Carers know what works\n- Time to try things\n\n- Trust the rota"
        )
        box.fill("")
        box.evaluate(PASTE)
        page.get_by_role("button", name="Make 3 notes").tap()
        wait_for_file(fresh_session.path, lambda s: {n.text for n in s.notes.values()} >= PASTED)
        assert len([t for t in _texts(fresh_session.path) if "Trust the rota" in t]) == 1
    finally:
        context.close()


def test_a_note_on_its_way_can_be_edited_at_once_and_its_words_follow_it(
    new_board_page, fresh_session, wait_for_file
):
    watch, page, room = _held_participant(new_board_page, fresh_session)
    _open_editor(page, "Said before the board answered")
    room.hold = True  # the server is slow: nothing it says reaches the page yet
    page.keyboard.press("Enter")
    card = page.locator(".thc-note").filter(has_text="Said before the board answered")
    expect(card).to_be_focused()
    expect(card).to_contain_class("draft")  # sent, not answered

    page.keyboard.press("Enter")
    editor = page.locator(".thc-note.editing textarea.thc-editor")
    expect(editor).to_be_focused()
    expect(editor).to_have_value("Said before the board answered")
    page.keyboard.press("End")
    page.keyboard.type(", and after")
    page.keyboard.press("Enter")
    edited = page.locator(".thc-note").filter(has_text="Said before the board answered, and after")
    expect(edited).to_have_count(1)

    room.release()
    _saved(wait_for_file, fresh_session, "Said before the board answered, and after", "the edit")
    expect(edited).not_to_contain_class("draft")
    expect(page.locator(".thc-tray .thc-draft")).to_have_count(0)
    mine = [n for n in store.load(fresh_session.path).notes.values() if n.author == "Nia"]
    assert [n.text for n in mine] == ["Said before the board answered, and after"]
    watch.assert_clean()


def test_a_connection_that_drops_while_someone_writes_keeps_their_words(
    new_board_page, fresh_session, wait_for_file
):
    watch, page, room = _held_participant(new_board_page, fresh_session)
    editor = _open_editor(page, "Half a thought")
    room.drop(page)  # the page connects again and starts from a new snapshot of the board
    expect(editor).to_be_focused()
    expect(editor).to_have_value("Half a thought")
    page.keyboard.type(", finished")
    page.keyboard.press("Enter")
    _saved(wait_for_file, fresh_session, "Half a thought, finished", "the note written across it")
    # An edit of a note already on the board keeps its words across a drop too.
    card = page.locator(".thc-note").filter(has_text="Half a thought, finished")
    expect(card).not_to_contain_class("draft")
    card.focus()
    page.keyboard.press("Enter")
    expect(editor).to_be_focused()
    page.keyboard.press("End")
    room.drop(page)
    page.keyboard.type(" and kept")
    page.keyboard.press("Enter")
    _saved(wait_for_file, fresh_session, "Half a thought, finished and kept", "the edit across it")
    expect(page.locator(".thc-tray .thc-draft")).to_have_count(0)
    watch.assert_clean()
