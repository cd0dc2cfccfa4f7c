"""Everyone can take part: axe-core finds nothing serious, the keyboard reaches everything,
a phone can join, write, place and vote, and the Welsh interface is Welsh throughout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from canvas.format import store
from canvas.live.access import Access, load_secret

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
EN = json.loads((ROOT / "canvas/format/locales/en.json").read_text(encoding="utf-8"))
CY = json.loads((ROOT / "canvas/format/locales/cy.json").read_text(encoding="utf-8"))

AXE_JS = """
async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]})
    return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.impact} ${v.id}: ${v.help} `
            + `(${v.nodes.map((n) => n.target.join(" ")).slice(0, 3)})`)
}
"""

# Every visible text and label of the page, the component's shadow root included.
TEXTS_JS = """
() => {
    const found = new Set()
    const walk = (root) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
        while (walker.nextNode()) {
            const text = walker.currentNode.textContent.trim()
            if (text) found.add(text)
        }
        for (const el of root.querySelectorAll("*")) {
            for (const name of ["aria-label", "placeholder", "title"]) {
                const value = el.getAttribute(name)
                if (value) found.add(value.trim())
            }
            if (el.shadowRoot) walk(el.shadowRoot)
        }
    }
    walk(document)
    return [...found]
}
"""


def _codes(session) -> Access:
    home = session.path.parents[2]
    return Access(secret=load_secret(home))


def _axe(page) -> list[str]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm install` in {ROOT} (axe-core from npm)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_JS)


def _set_name(page, name: str, label: str = "Your name") -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(name)
    field.press("Enter")


@pytest.mark.parametrize(("lang", "scheme"), [("en", "light"), ("cy", "light"), ("en", "dark")])
def test_axe_finds_nothing_serious_in_any_view(new_board_page, fresh_session, lang, scheme):
    access = _codes(fresh_session)
    workshop = fresh_session.name.split("/")[0]
    views = {
        "board": f"{fresh_session.url}&lang={lang}",
        "review": f"{fresh_session.url}&lang={lang}"
        f"&review={access.review_code(fresh_session.name)}",
        "compare": f"{fresh_session.url}&lang={lang}&compare={workshop}/01-user-research",
        "participant": f"{fresh_session.url}&lang={lang}"
        f"&join={access.join_code(fresh_session.name)}",
    }
    problems = {}
    for name, url in views.items():
        watched = new_board_page()
        watched.page.emulate_media(color_scheme=scheme)
        page = watched.open(url)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        # The details of a selected note and the list of notes are part of what is checked.
        page.locator(".thc-note").first.focus()
        page.locator("#thc-list").scroll_into_view_if_needed()
        found = _axe(page)
        if found:
            problems[name] = found
        watched.assert_clean()
    assert problems == {}


def test_keyboard_only_join_add_edit_attach_vote(new_board_page, fresh_session):
    access = _codes(fresh_session)
    lead_watch = new_board_page()
    lead = lead_watch.open(fresh_session.url)
    lead.get_by_role("button", name="Start a vote").click()

    guest_watch = new_board_page()
    guest = guest_watch.page
    guest.add_init_script(
        "window.__mouse = 0; for (const kind of ['mousedown', 'mouseup', 'pointerdown',"
        " 'dblclick']) addEventListener(kind, (e) => { if (e.isTrusted) window.__mouse++ },"
        " true)"
    )
    # Join with the code, by keyboard.
    base = fresh_session.url.split("/board")[0]
    guest.goto(f"{base}/join")
    # The code field has autofocus: wait for it, or the first key presses go nowhere.
    expect(guest.get_by_label("Join code", exact=True)).to_be_focused()
    guest.keyboard.type(access.join_code(fresh_session.name))
    guest.keyboard.press("Enter")
    guest_watch.wait_ready()
    name = guest.get_by_label("Your name", exact=True)
    name.focus()
    guest.keyboard.type("Kai")
    guest.keyboard.press("Tab")  # leaving the field stores the name
    # Add a note: N, type, Enter.
    guest.locator(".thc-viewport").focus()
    guest.keyboard.press("n")
    guest.keyboard.type("Keyboard only note")
    guest.keyboard.press("Enter")
    card = guest.locator(".thc-note").filter(has_text="Keyboard only note")
    expect(card).to_have_count(1)
    expect(card).to_be_focused()
    expect(card).not_to_contain_class("draft")  # the board has it
    # Edit it: Enter, type, Enter.
    guest.keyboard.press("Enter")
    guest.keyboard.press("End")
    guest.keyboard.type(", edited")
    guest.keyboard.press("Enter")
    expect(guest.locator(".thc-note").filter(has_text="Keyboard only note, edited")).to_have_count(
        1
    )
    # Attach it to the Metrics challenge area from the details, by keyboard.
    anchor = guest.locator(".thc-details select").first
    anchor.focus()
    anchor.select_option(label="Challenge area: Metrics")
    note_id = card.get_attribute("data-id")
    # Vote on it: focus the card and press +.
    guest.locator(f".thc-note[data-id='{note_id}']").focus()
    guest.keyboard.press("+")
    expect(guest.locator(".thc-votes-left")).to_contain_text("4 of 5")
    assert guest.evaluate("window.__mouse") == 0

    deadline_note = None
    for _ in range(30):
        saved = store.load(fresh_session.path)
        deadline_note = saved.notes.get(note_id)
        if deadline_note and deadline_note.anchor == "ca-metrics" and saved.voting.ballots:
            break
        guest.wait_for_timeout(100)
    assert deadline_note is not None
    assert deadline_note.text == "Keyboard only note, edited"
    assert deadline_note.anchor == "ca-metrics" and deadline_note.horizon == "H2"
    assert any(b.notes.get(note_id) == 1 for b in saved.voting.ballots.values())
    guest_watch.assert_clean()
    lead_watch.assert_clean()


def test_the_board_on_a_phone_can_join_add_place_and_vote(
    chromium_browser, new_board_page, fresh_session
):
    access = _codes(fresh_session)
    lead_watch = new_board_page()
    lead_watch.open(fresh_session.url).get_by_role("button", name="Start a vote").click()

    context = chromium_browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        phone = context.new_page()
        errors = []
        phone.on("pageerror", lambda e: errors.append(str(e)))
        # The board itself, asked for on a phone (a participant there gets the phone view
        # unless they switch; tests/browser/test_phone*.py cover that view).
        code = access.join_code(fresh_session.name)
        phone.goto(f"{fresh_session.url}&join={code}&screen=board")
        phone.locator(".thc-anchor").first.wait_for()
        # Nothing is wider than the screen.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.get_by_role("button", name="Take a pseudonym").tap()
        phone.get_by_role("button", name="Add note").first.tap()
        phone.keyboard.type("Written on a phone")
        phone.keyboard.press("Enter")
        card = phone.locator(".thc-note").filter(has_text="Written on a phone")
        expect(card).to_have_count(1)
        # Place it by choosing an anchor from a list: no dragging.
        phone.locator(".thc-details select").first.select_option(label="Vision: Everyone is heard")
        note_id = card.get_attribute("data-id")
        phone.get_by_role("button", name="Vote", exact=True).tap()
        expect(phone.locator(".thc-votes-left")).to_contain_text("4 of 5")
        for _ in range(30):
            saved = store.load(fresh_session.path)
            note = saved.notes.get(note_id)
            if note and note.anchor and saved.voting.ballots:
                break
            phone.wait_for_timeout(100)
        assert note is not None and note.text == "Written on a phone"
        assert saved.anchors[note.anchor].kind == "vision"
        assert any(b.notes.get(note_id) == 1 for b in saved.voting.ballots.values())
        assert errors == []
    finally:
        context.close()


def test_welsh_views_show_no_english_interface_string(new_board_page, fresh_session):
    access = _codes(fresh_session)
    workshop = fresh_session.name.split("/")[0]
    english_only = {
        text
        for key, text in EN.items()
        if not key.startswith("_") and "{" not in text and CY.get(key) != text and len(text) > 2
    }
    for extra in (
        "",
        f"&compare={workshop}/01-user-research",
        f"&review={access.review_code(fresh_session.name)}",
    ):
        watched = new_board_page()
        page = watched.open(f"{fresh_session.url}&lang=cy{extra}")
        page.locator(".thc-note").first.focus()
        texts = set(page.evaluate(TEXTS_JS))
        assert texts & english_only == set(), extra
        watched.assert_clean()
