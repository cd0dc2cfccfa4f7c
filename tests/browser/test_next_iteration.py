"""One join link per workshop, in Chromium: the facilitator starts the next iteration from
the workshops page while participants' pages are open on the current one. Their pages move
on (or, while someone types, say so with one button); their next notes land in the new
iteration, never silently in the old one; and comparing the two lists no note as removed
that was written after the split."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from canvas.domain.diff import diff, for_people
from canvas.format import store, workshops
from canvas.live.access import Access, load_secret

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _start_next_iteration(page, base: str, folder: Path) -> None:
    """Start the next iteration of the workshop in ``folder`` from the workshops page, as a
    facilitator (with the title it asks for); wait for the new iteration's file and row.
    (The page lists every workshop of the server, earlier tests' too: look in this one's.)"""
    before = _newest(folder)
    page.goto(f"{base}/workshops")
    page.get_by_label(f"Title of the next iteration of {folder.name}", exact=True).fill(
        "The next round"
    )
    heading = page.get_by_role("heading", name=folder.name, exact=True)
    block = page.locator(".bk-panel-models-layout-Column").filter(has=heading).last
    block.get_by_role("button", name="Start next iteration").click()
    expect(block.get_by_role("cell", name="The next round")).to_be_visible()
    deadline = time.monotonic() + 10
    while _newest(folder) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _newest(folder) != before, "the next iteration's file was not written"


def _at(path: Path):
    """A URL test: the board of the session in ``path`` (its name percent-encoded or not)."""
    name = workshops.session_name(path, path.parent.parent)
    return lambda url: f"session={name}" in unquote(url)


def _address(path: Path) -> re.Pattern:
    """The board's address of the session in ``path``, its name percent-encoded or not."""
    name = workshops.session_name(path, path.parent.parent)
    return re.compile("session=" + re.escape(name).replace("/", "(/|%2F)") + "(&|$)")


def _newest(folder: Path) -> Path:
    return workshops.latest(folder)


def _texts(path: Path) -> set[str]:
    return {n.text for n in store.load(path).notes.values()}


def _wait_for_text(path: Path, text: str, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in _texts(path):
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} is not in {path.name}", pytrace=False)
        time.sleep(0.05)


def _add_on_board(page, text: str) -> None:
    page.locator(".thc-toolbar [data-action='add']").click()
    expect(page.locator(".thc-note.editing textarea.thc-editor")).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_pages_on_the_old_iteration_move_on_and_write_to_the_new_one(new_board_page, fresh_session):
    base = fresh_session.url.split("/board")[0]
    workshop = fresh_session.name.split("/")[0]
    folder = fresh_session.path.parent
    code = Access(secret=load_secret(folder.parents[1])).workshop_code(workshop)

    guest_watch = new_board_page()
    # The workshop's link: its current iteration, the fresh session.
    guest = guest_watch.open(f"{base}/board?session={workshop}&join={code}")
    field = guest.get_by_label("Your name", exact=True)
    field.fill("Nia")
    field.press("Enter")
    _add_on_board(guest, "Before the split")
    _wait_for_text(fresh_session.path, "Before the split")

    lead_watch = new_board_page()
    _start_next_iteration(lead_watch.page, base, folder)
    following = _newest(folder)
    assert following != fresh_session.path and "Before the split" in _texts(following)

    # The participant's page says where the workshop went, and goes there by itself.
    expect(guest.locator(".thc-banner")).to_contain_text("the workshop is on iteration 3 now")
    guest.wait_for_url(_at(following))
    guest_watch.wait_ready()
    assert f"join={code}" in guest.url
    expect(guest.get_by_label("Your name", exact=True)).to_have_value("Nia")
    _add_on_board(guest, "After the split")
    _wait_for_text(following, "After the split")
    assert "After the split" not in _texts(fresh_session.path)
    removed = for_people(diff(store.load(fresh_session.path), store.load(following))).notes.removed
    assert removed == {}
    guest_watch.assert_clean()
    lead_watch.assert_clean()


def test_a_note_typed_during_the_split_is_kept_and_goes_on_to_the_new_iteration(
    chromium_browser, new_board_page, fresh_session
):
    base = fresh_session.url.split("/board")[0]
    workshop = fresh_session.name.split("/")[0]
    folder = fresh_session.path.parent
    code = Access(secret=load_secret(folder.parents[1])).workshop_code(workshop)
    context = chromium_browser.new_context(**PHONE)
    try:
        phone = context.new_page()
        errors: list[str] = []
        phone.on("pageerror", lambda exc: errors.append(str(exc)))
        phone.goto(f"{base}/board?session={workshop}&join={code}")
        phone.locator(".thc-phone").wait_for()
        phone.get_by_role("button", name="Take a pseudonym").tap()
        box = phone.get_by_label("Your note", exact=True)
        box.tap()
        phone.keyboard.type("Typed while the facilitator moved on")

        lead_watch = new_board_page()
        _start_next_iteration(lead_watch.page, base, folder)
        following = _newest(folder)
        # Someone is typing: the page says so and offers the way, but does not leave.
        go = phone.get_by_role("button", name="Go to iteration 3")
        expect(go).to_be_visible()
        expect(phone.locator("#thc-ph-why")).to_contain_text("This iteration has ended")
        time.sleep(3)
        assert "03-" not in phone.url
        phone.get_by_role("button", name="Keep as a draft", exact=True).tap()
        assert "Typed while the facilitator moved on" not in _texts(fresh_session.path)

        go.tap()
        # The way in goes through the join bounce (a redirect): wait until the page's address
        # is the new iteration's, then for the phone view.
        expect(phone).to_have_url(_address(following), timeout=30_000)
        phone.locator(".thc-phone").wait_for()
        # On the iteration the workshop is on now, the kept note goes on by itself.
        _wait_for_text(following, "Typed while the facilitator moved on", timeout=5.0)
        assert "Typed while the facilitator moved on" not in _texts(fresh_session.path)
        expect(phone.locator(".thc-draft")).to_have_count(0)
        removed = for_people(diff(store.load(fresh_session.path), store.load(following)))
        assert removed.notes.removed == {}
        assert errors == []
        lead_watch.assert_clean()
    finally:
        context.close()
