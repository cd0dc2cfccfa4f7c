"""Welsh and English on the board: plural forms, the 24-hour clock, persona names, /join."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from canvas.format import store
from canvas.format.i18n import plural_category

pytestmark = pytest.mark.browser


def _anchor_with(session, count: int) -> str:
    """The id of an anchor that ``count`` notes are placed on."""
    on = {a: 0 for a in session.anchors}
    for note in session.notes.values():
        if note.anchor in on:
            on[note.anchor] += 1
    return next(a for a, n in sorted(on.items()) if n == count)


def test_the_board_picks_the_same_plural_forms_as_the_server(board_page, fresh_session):
    session = store.load(fresh_session.path)
    page = board_page.open(fresh_session.url + "&lang=cy")
    # The browser's CLDR rules (Intl.PluralRules) agree with Babel's for every count to 200.
    for lang in ("en", "cy"):
        browser = page.evaluate(
            "(lang) => [...Array(201).keys()].map((n) => new Intl.PluralRules(lang).select(n))",
            lang,
        )
        assert browser == [plural_category(lang, n) for n in range(201)], lang
    for count, text in [(0, "Dim nodyn wedi'i osod yma"), (1, "1 nodyn wedi'i osod yma")]:
        anchor = page.locator(f'.thc-anchor[data-id="{_anchor_with(session, count)}"] .thc-count')
        expect(anchor).to_have_attribute("title", text)
    board_page.assert_clean()

    page = board_page.open(fresh_session.url + "&lang=en")
    for count, text in [(0, "0 notes placed here"), (1, "1 note placed here")]:
        anchor = page.locator(f'.thc-anchor[data-id="{_anchor_with(session, count)}"] .thc-count')
        expect(anchor).to_have_attribute("title", text)
    board_page.assert_clean()


def test_saved_time_is_on_a_24_hour_clock_in_welsh(board_page, fresh_session):
    page = board_page.open(fresh_session.url + "&lang=cy")
    page.locator(".thc-toolbar [data-action='add']").click()
    page.keyboard.type("Amser")
    page.keyboard.press("Enter")
    status = page.locator(".thc-status")
    expect(status).to_have_attribute("data-state", "saving")
    expect(status).to_have_text(re.compile(r"^Wedi cadw \d{2}:\d{2}:\d{2}$"))
    board_page.assert_clean()


def test_innovation_profile_personas_have_welsh_names(board_page, fresh_session):
    page = board_page.open(fresh_session.url + "&lang=cy")
    persona = page.locator(".thc-filters select").filter(
        has=page.locator("option", has_text="Croesbeilliwr")
    )
    options = persona.locator("option").all_text_contents()
    for name in ("Croesbeilliwr", "Arbrofwr", "Rhwydweithiwr", "Grym Pobl", "Gweledydd"):
        assert name in options
    assert "Datryswr Problemau" in options and "Cross Pollinator" not in options
    board_page.assert_clean()


def test_join_opens_in_the_language_chosen_on_the_board(board_page, fresh_session):
    from canvas.live.access import Access, load_secret

    base = fresh_session.url.split("/board")[0]
    home = fresh_session.path.parents[2]
    join = Access(secret=load_secret(home)).join_code(fresh_session.name)
    page = board_page.open(fresh_session.url)
    page.locator(".thc-lang").select_option("cy")
    board_page.wait_ready()
    expect(page.locator(".thc-lang")).to_have_value("cy")

    page.goto(f"{base}/join")  # no ?lang=: the remembered choice decides
    expect(page.locator("h1")).to_have_text("Ymuno drwy god")
    assert page.locator("html").get_attribute("lang") == "cy"
    page.get_by_label("Cod ymuno").fill(join)
    page.get_by_role("button", name="Ymuno").click()
    board_page.wait_ready()
    assert "lang=cy" in page.url
    expect(page.locator(".thc-lang")).to_have_value("cy")
    board_page.assert_clean()
