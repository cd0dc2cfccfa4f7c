"""The trends page in a real browser: its charts, its headings, and the way back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from canvas.format.i18n import t

pytestmark = pytest.mark.browser

CANVASES_JS = """() => {
  let n = 0
  const seen = [document]
  while (seen.length) {
    const root = seen.pop()
    for (const el of root.querySelectorAll("*")) {
      if (el.tagName === "CANVAS" && el.width > 0) n++
      if (el.shadowRoot) seen.push(el.shadowRoot)
    }
  }
  return n
}"""


def test_trends_draw_three_titled_charts_and_lead_back_to_the_board(board_page, fresh_session):
    base = fresh_session.url.split("/board")[0]
    workshop = fresh_session.path.parent.name
    page = board_page.page
    page.goto(f"{base}/trends?workshop={workshop}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(workshop)
    for title in (
        t("trend_heatmap_notes"),
        t("trend_flows", i=1, j=2),
        t("trend_top_notes", n=5),
    ):
        expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()
    page.wait_for_function(f"() => ({CANVASES_JS})() >= 6")  # three charts drawn

    page.get_by_role("button", name=t("votes_col")).click()
    expect(page.get_by_role("heading", name=t("trend_heatmap_votes"), level=2)).to_be_visible()

    nav = page.get_by_role("navigation", name=t("navigation"))
    expect(nav.get_by_role("link", name=t("all_workshops"))).to_have_attribute(
        "href", "./workshops?lang=en"
    )
    nav.get_by_role("link", name=t("back_to_board")).click()
    board_page.wait_ready()
    assert f"session={workshop}/02-steering-review" in page.url
    board_page.assert_clean()


def test_trends_in_welsh(board_page, fresh_session):
    base = fresh_session.url.split("/board")[0]
    page = board_page.page
    page.goto(f"{base}/trends?workshop={fresh_session.path.parent.name}&lang=cy")
    expect(page.get_by_role("heading", name=t("trend_heatmap_notes", "cy"))).to_be_visible()
    expect(page.get_by_role("link", name=t("back_to_board", "cy"))).to_be_visible()
    expect(page.get_by_role("heading", name=t("trend_top_notes", "cy", n=5))).to_be_visible()
    board_page.assert_clean()
