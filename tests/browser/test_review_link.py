"""The review link opens on the story: compare mode against the previous iteration, for reading
only (a hand-made change from such a page is refused by the server); the facilitator has an
explicit switch to edit; the board links to every earlier iteration, trends and workshops."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from .test_workshop import SEND_RAW_JS

pytestmark = pytest.mark.browser

EDIT = {"op": "edit", "id": "n-0001", "text": "changed while just reviewing"}


def test_the_review_link_opens_read_only_compare_mode_and_edits_from_it_are_refused(
    new_board_page, fresh_session
):
    lead = new_board_page().open(fresh_session.url)
    link = lead.get_by_label("Review link for the steering group", exact=True).input_value()
    workshop = fresh_session.name.split("/")[0]
    assert f"&compare={workshop}/01-user-research" in link

    reviewer = new_board_page()
    page = reviewer.open(link)
    expect(page.locator(".thc-compare h2")).to_contain_text("Changes since iteration 1")
    expect(page.locator(".thc-mode")).to_contain_text("Compare mode: for reading")
    expect(page.get_by_role("button", name="Add note")).to_have_count(0)
    expect(page.locator('[data-action="edit-switch"]')).to_have_count(0)
    before = fresh_session.path.read_bytes()
    page.evaluate(SEND_RAW_JS, EDIT)
    expect(page.locator(".thc-alert")).to_contain_text("compares iterations")
    page.evaluate(SEND_RAW_JS, {"op": "delete", "ids": ["n-0001"]})
    expect(page.locator(".thc-alert")).to_contain_text("compares iterations")
    time.sleep(0.6)
    assert fresh_session.path.read_bytes() == before
    reviewer.assert_clean()


def test_the_facilitator_compares_read_only_until_they_switch_editing_on(
    board_page, fresh_session, wait_for_file
):
    workshop = fresh_session.name.split("/")[0]
    page = board_page.open(fresh_session.url)
    nav = page.get_by_role("navigation", name="Iterations and pages")
    expect(nav.get_by_role("link", name="Trends across all iterations")).to_have_attribute(
        "href", f"./trends?workshop={workshop}&lang=en"
    )
    expect(nav.get_by_role("link", name="Workshops", exact=True)).to_be_visible()
    nav.get_by_role("link", name="Compare with iteration 1").click()
    board_page.wait_ready()
    assert f"compare={workshop}%2F01-user-research" in page.url or "01-user-research" in page.url
    expect(page.locator(".thc-mode")).to_contain_text("Compare mode: for reading")
    expect(page.get_by_role("button", name="Add note")).to_have_count(0)
    before = fresh_session.path.read_bytes()
    page.evaluate(SEND_RAW_JS, EDIT)
    expect(page.locator(".thc-alert")).to_contain_text("compares iterations")
    time.sleep(0.6)
    assert fresh_session.path.read_bytes() == before

    page.get_by_role("button", name="Edit the board").click()
    board_page.wait_ready()
    assert "edit=1" in page.url
    expect(page.locator(".thc-mode")).to_contain_text("Compare mode, editing")
    expect(page.locator('[data-action="add"]')).to_be_visible()
    page.evaluate(SEND_RAW_JS, EDIT)
    wait_for_file(fresh_session.path, lambda s: s.notes["n-0001"].text == EDIT["text"])
    page.get_by_role("button", name="Stop editing").click()
    board_page.wait_ready()
    assert "edit=1" not in page.url
    page.get_by_role("link", name="Leave compare mode").click()
    board_page.wait_ready()
    assert "compare=" not in page.url
    expect(page.locator(".thc-mode")).to_have_count(0)
    board_page.assert_clean()
