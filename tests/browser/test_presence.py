""" "In the room", in Chromium: everyone on a page counts, people who typed no name as
"Guest 1", "Guest 2"; a facilitator with two tabs open and a person on a board and a phone
at once count once each."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.people import access

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_in_the_room_counts_unnamed_people_as_guests_and_each_person_once(
    chromium_browser, new_board_page, fresh_session
):
    code = access(fresh_session).join_code(fresh_session.name)
    lead_watch = new_board_page()
    lead = lead_watch.open(fresh_session.url)
    second_tab = lead_watch.page.context.new_page()  # the same facilitator, another tab
    second_tab.goto(fresh_session.url)
    second_tab.locator(".thc-anchor").first.wait_for()

    first_watch = new_board_page()
    first_watch.open(f"{fresh_session.url}&join={code}")  # no name typed
    second_watch = new_board_page()
    second_watch.open(f"{fresh_session.url}&join={code}")
    # The second person also opens the phone view on the same browser (the same person).
    phone = second_watch.page.context.new_page()
    phone.goto(f"{fresh_session.url}&join={code}&screen=phone")
    phone.locator(".thc-phone").wait_for()
    context = chromium_browser.new_context(**PHONE)
    try:
        third = context.new_page()
        third.goto(f"{fresh_session.url}&join={code}")
        third.locator(".thc-phone").wait_for()

        room = lead.locator(".thc-room")
        expect(room.get_by_role("heading")).to_have_text("In the room (4)")
        expect(room.locator("li")).to_have_text(
            [
                "Facilitator",
                "Guest 1 (Participant)",
                "Guest 2 (Participant)",
                "Guest 3 (Participant)",
            ]
        )
        third.locator(".thc-ph-name input").fill("Nia")
        third.locator(".thc-ph-name input").press("Tab")
        expect(room.locator("li").filter(has_text="Nia (Participant)")).to_have_count(1)
        expect(room.get_by_role("heading")).to_have_text("In the room (4)")
    finally:
        context.close()
    first_watch.assert_clean()
    lead_watch.assert_clean()
