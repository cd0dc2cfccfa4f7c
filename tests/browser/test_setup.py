"""Setting up a workshop on /workshops: the Wales 2022 template by default, a title, date,
facilitator and focal question (in Welsh too), the board opened; the next iteration's title and
date asked for; each iteration's dates, counts and links; the language chosen on the board."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from canvas.format import store
from canvas.format.i18n import t

pytestmark = pytest.mark.browser


def test_a_facilitator_sets_up_a_workshop_opens_it_and_starts_its_next_iteration(
    board_page, board_server
):
    base, home = board_server
    page = board_page.page
    page.goto(f"{base}/workshops")
    template = page.get_by_label("Template")
    expect(template.locator("option:checked")).to_contain_text("(wales-2022)")
    page.get_by_label("Title", exact=True).fill("Spring review with the steering group")
    page.get_by_label("Title in Welsh (optional)").fill("Adolygiad y gwanwyn gyda'r grŵp llywio")
    page.get_by_label("Workshop name (a-z, 0-9, -)").fill("spring-review")
    page.get_by_label("Facilitator").fill("Ffion")
    page.get_by_label("Focal question", exact=True).fill("What helps people try new things?")
    page.get_by_role("button", name="Create and open").click()
    board_page.wait_ready()
    assert "session=spring-review/01-" in page.url
    expect(page.locator(".thc-title")).to_have_text("Spring review with the steering group")
    [first] = sorted((home / "sessions" / "spring-review").glob("01-*.yaml"))
    made = store.load(first)
    assert made.facilitator == "Ffion" and made.date
    assert made.focal_question == "What helps people try new things?"
    assert made.title_cy == "Adolygiad y gwanwyn gyda'r grŵp llywio"
    assert made.focal_question_cy == ""  # not the template's Welsh question
    assert len(made.anchors) > 40  # the Wales 2022 template

    page.goto(f"{base}/workshops")
    # Each workshop has its own "start next iteration"; the workshops are listed by name.
    names = sorted(p.name for p in (home / "sessions").iterdir() if p.is_dir())
    starts = page.get_by_role("button", name="Start next iteration")
    start = starts.nth(names.index("spring-review"))
    expect(start).to_be_visible()
    page.get_by_label("Title of the next iteration of spring-review").fill("After the pilot")
    start.click()
    expect(page.get_by_role("cell", name="After the pilot")).to_be_visible()
    [second] = sorted((home / "sessions" / "spring-review").glob("02-*.yaml"))
    after = store.load(second)
    assert after.title == "After the pilot" and after.title_cy == "" and after.date
    row = page.get_by_role("row").filter(has_text="After the pilot")
    expect(row.get_by_role("link", name="Open", exact=True)).to_have_attribute(
        "href", f"./board?session=spring-review/{second.stem}"
    )
    expect(row.get_by_role("link", name="Compare with the previous iteration")).to_be_visible()
    expect(row.get_by_role("link", name="PDF report")).to_have_attribute(
        "href", f"./export?session=spring-review/{second.stem}&format=pdf&lang=en"
    )
    expect(row.get_by_role("link", name="All formats (zip)")).to_be_visible()
    board_page.assert_clean()


def test_the_workshops_page_speaks_the_language_chosen_on_the_board(board_page, board_server):
    base, home = board_server
    page = board_page.page
    page.context.add_cookies([{"name": "thc-lang", "value": "cy", "url": base}])
    try:
        page.goto(f"{base}/workshops")
        expect(page.get_by_role("heading", name=t("workshops", "cy"), level=1)).to_be_visible()
        welsh = store.load(home / "sessions" / "wales-2022" / "02-steering-review.yaml").title_cy
        expect(page.get_by_role("cell", name=welsh)).to_be_visible()
        expect(page.get_by_role("button", name=t("create_and_open", "cy"))).to_be_visible()
    finally:
        page.context.clear_cookies()
    board_page.assert_clean()
