"""Steering-group review: reviewers comment but cannot change the board; the persona lens."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from canvas.format import store
from canvas.live.access import Access, load_secret

from .test_workshop import SEND_RAW_JS

pytestmark = pytest.mark.browser


def _review_url(session) -> str:
    access = Access(secret=load_secret(session.path.parents[2]))
    return f"{session.url}&review={access.review_code(session.name)}"


def test_reviewer_comments_land_in_the_file_and_board_operations_are_refused(
    board_page, fresh_session
):
    page = board_page.open(_review_url(fresh_session))
    expect(page.locator(".thc-role")).to_have_text("Reviewer")
    expect(page.get_by_role("button", name="Add note")).to_have_count(0)
    before = fresh_session.path.read_bytes()
    page.evaluate(SEND_RAW_JS, {"op": "edit", "id": "n-0001", "text": "changed by a reviewer"})
    expect(page.locator(".thc-alert")).to_contain_text("reviewers can comment")
    page.evaluate(SEND_RAW_JS, {"op": "delete", "ids": ["n-0001"]})
    expect(page.locator(".thc-alert")).to_contain_text("reviewers can comment")
    time.sleep(0.6)
    assert fresh_session.path.read_bytes() == before

    page.locator('.thc-note[data-id="n-0001"]').focus()
    box = page.get_by_label("Add a comment", exact=True)
    box.fill("Steering group: is this true across every region?")
    page.get_by_label("Your name (shown with your comments)").fill("Rhian")
    page.locator('[data-field="comment-send"]').click()
    thread = page.locator(".thc-details .thc-thread")
    expect(thread).to_contain_text("is this true across every region?")
    expect(thread).to_contain_text("Rhian")
    for _ in range(30):
        comments = store.load(fresh_session.path).comments
        if comments:
            break
        time.sleep(0.1)
    [comment] = comments.values()
    assert comment.target == "n-0001"
    assert comment.text == "Steering group: is this true across every region?"
    assert comment.created
    assert comment.author == "Rhian"
    assert store.load(fresh_session.path).notes["n-0001"].text != "changed by a reviewer"
    board_page.assert_clean()


def test_persona_lens_highlights_rhys_challenge_areas(board_page, fresh_session):
    page = board_page.open(fresh_session.url)
    page.get_by_label("See the board through a persona", exact=True).select_option(
        label="Rhys · Advocate and Care Management Officer"
    )
    lit = page.locator(".thc-anchor.lens-on")
    expect(lit).to_have_count(2)
    ids = sorted(lit.evaluate_all("(els) => els.map((e) => e.dataset.id)"))
    assert ids == ["ca-metrics", "ca-requirements"]
    expect(page.locator('.thc-anchor[data-id="ca-value"]')).to_have_class("thc-anchor lens-off")
    # Notes on those anchors (or linked to Rhys) stand out too; the rest are dimmed.
    session = store.load(fresh_session.path)
    for note in session.notes.values():
        card = page.locator(f'.thc-note[data-id="{note.id}"]')
        concerned = note.anchor in ("ca-metrics", "ca-requirements") or "pv-rhys" in note.personas
        if card.count():
            expect(card).to_have_class(re.compile("lens-on" if concerned else "lens-off"))
    board_page.assert_clean()
