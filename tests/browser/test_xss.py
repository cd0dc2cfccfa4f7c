"""Hostile text in a session file is shown as text, never run, wherever the board shows it.

The session is written before the server starts: its title, focal question, note texts and
authors, and two anchors' titles, summaries and prompt carry markup that would set
``window.__pwned`` if it ever reached the page as HTML.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from canvas.domain.model import Note
from canvas.format import store

pytestmark = pytest.mark.browser

P_IMG = '<img src=x onerror="window.__pwned=1">'
P_SCRIPT = "<script>window.__pwned=2</script>"
P_SVG = '<svg onload="window.__pwned=3">'
P_LINK = '<a href="javascript:window.__pwned=4">link</a>'
MARKER = "__pwned"

WORKSHOP = "xss"
SESSION = "01-hostile"
TITLE = f"Hostile {P_IMG} {P_SCRIPT}"
FOCAL = f"Why {P_SVG} {P_LINK}?"
ANCHOR = "ca-risk"  # a challenge area on H2
ANCHOR_TITLE = f"{P_IMG} {P_LINK}"
ANCHOR_SUMMARY = f"{P_SCRIPT} {P_SVG} {P_IMG}"
ANCHOR_PROMPT = P_LINK
OTHER_ANCHOR = "ca-value"
OTHER_TITLE = P_SVG
# note id -> (text, author, x, y, anchor); free notes sit in an empty corner of the board.
NOTES = {
    "x-img": (P_IMG, P_SCRIPT, 0.74, 0.30, None),
    "x-script": (P_SCRIPT, P_IMG, 0.84, 0.30, None),
    "x-svg": (P_SVG, P_LINK, 0.74, 0.20, None),
    "x-link": (P_LINK, P_SVG, 0.84, 0.20, ANCHOR),
}


@pytest.fixture(scope="module")
def board_home(board_home):
    """The module's home, with the hostile session written before the server starts."""
    sample = store.load(board_home / "sessions" / "wales-2022" / "01-user-research.yaml")
    anchors = dict(sample.anchors)
    anchors[ANCHOR] = replace(
        anchors[ANCHOR], title=ANCHOR_TITLE, summary=ANCHOR_SUMMARY, prompt=ANCHOR_PROMPT
    )
    anchors[OTHER_ANCHOR] = replace(anchors[OTHER_ANCHOR], title=OTHER_TITLE, summary=P_LINK)
    notes = {
        note_id: Note(
            id=note_id,
            text=text,
            x=x,
            y=y,
            horizon=anchors[anchor].horizon if anchor else "H1",
            anchor=anchor,
            author=author,
            created="2024-01-01T00:00:00Z",
            updated="2024-01-01T00:00:00Z",
            rev=1,
            horizon_fixed=anchor is None,
        )
        for note_id, (text, author, x, y, anchor) in NOTES.items()
    }
    session = replace(
        sample,
        id="xss-01",
        title=TITLE,
        workshop=WORKSHOP,
        iteration=1,
        focal_question=FOCAL,
        anchors=anchors,
        notes=notes,
    )
    path = board_home / "sessions" / WORKSHOP / f"{SESSION}.yaml"
    store.save(session, path)
    assert store.load(path).notes["x-img"].text == P_IMG  # the file holds the payloads
    return board_home


def test_hostile_text_is_shown_as_text_and_never_runs(board_page, board_server):
    url, _home = board_server
    page = board_page.open(f"{url}/board?session={quote(f'{WORKSHOP}/{SESSION}')}")
    findings: list[tuple[str, dict]] = []

    def scan(step: str) -> None:
        findings.append((step, board_page.dangerous_elements(MARKER)))

    scan("board opened")
    expect(page.locator(".thc-title")).to_have_text(TITLE)
    expect(page.locator(".thc-focal")).to_have_text(FOCAL)

    # The note cards, and each note in the details panel.
    details = page.locator(".thc-details")
    for note_id, (text, author, *_rest) in NOTES.items():
        card = page.locator(f".thc-note[data-id='{note_id}']")
        expect(card).to_be_visible()
        expect(card.locator(".thc-note-text")).to_have_text(text)
        expect(card.locator(".thc-author")).to_have_text(author)
        card.click()
        expect(details.locator("textarea[data-field='text']")).to_have_value(text)
        expect(details.locator(".thc-meta")).to_contain_text(f"by {author}")
        scan(f"note {note_id} selected")

    # Several notes selected at once.
    for note_id in NOTES:
        if note_id != "x-link":
            page.locator(f".thc-note[data-id='{note_id}']").click(modifiers=["Shift"])
    expect(details).to_contain_text(f"{len(NOTES)} notes selected")
    scan("all notes selected")

    # The list of all notes, grouped under the anchors' titles.
    listing = page.locator("#thc-list")
    for note_id, (text, *_rest) in NOTES.items():
        item = listing.locator(f".thc-list-note[data-id='{note_id}']")
        item.scroll_into_view_if_needed()
        expect(item).to_be_visible()
        expect(item).to_have_text(text)
    expect(listing.locator("h4", has_text=ANCHOR_TITLE)).to_have_text(
        f"Challenge area: {ANCHOR_TITLE}"
    )
    listing.locator(".thc-list-note[data-id='x-img']").click()
    expect(details.locator("textarea[data-field='text']")).to_have_value(P_IMG)
    scan("list item chosen")

    # The anchor: its title on the board, its summary on hover and on focus.
    anchor = page.locator(f".thc-anchor[data-id='{ANCHOR}']")
    summary = anchor.locator(".thc-anchor-summary")
    expect(anchor.locator(".thc-anchor-title")).to_have_text(ANCHOR_TITLE)
    anchor.hover()
    expect(summary).to_be_visible()
    expect(summary).to_have_text(ANCHOR_SUMMARY)
    scan("anchor hovered")
    page.mouse.move(5, 5)
    anchor.focus()
    expect(summary).to_be_visible()
    scan("anchor focused")
    other = page.locator(f".thc-anchor[data-id='{OTHER_ANCHOR}'] .thc-anchor-title")
    expect(other).to_have_text(OTHER_TITLE)

    # The anchor in the details panel (Enter selects the focused anchor).
    page.keyboard.press("Enter")
    expect(details.locator("input[data-field='atitle']")).to_have_value(ANCHOR_TITLE)
    expect(details.locator("textarea[data-field='asummary']")).to_have_value(ANCHOR_SUMMARY)
    expect(details.locator(".thc-prompt")).to_have_text(ANCHOR_PROMPT)
    expect(page.locator(f".thc-filters option[value='{ANCHOR}']")).to_have_text(
        f"Challenge area: {ANCHOR_TITLE}"
    )
    scan("anchor selected")

    # The edit box of a note (Enter on the focused note opens it).
    card = page.locator(".thc-note[data-id='x-svg']")
    card.focus()
    page.keyboard.press("Enter")
    editor = card.locator("textarea.thc-editor")
    expect(editor).to_be_focused()
    expect(editor).to_have_value(P_SVG)
    scan("edit box open")
    page.keyboard.press("Escape")
    expect(editor).to_have_count(0)
    expect(card.locator(".thc-note-text")).to_have_text(P_SVG)
    scan("edit box closed")

    # Give any injected handler (an image error, an svg load) the chance to have run.
    page.wait_for_timeout(300)
    assert page.evaluate(f"typeof window.{MARKER}") == "undefined"
    for step, found in findings:
        assert found["component"] == [], f"{step}: risky elements in the board: {found}"
        assert found["page"] == [], f"{step}: risky elements in the page: {found}"
    # Nothing was saved: showing hostile text is not an edit.
    assert store.load(board_server[1] / "sessions" / WORKSHOP / f"{SESSION}.yaml").title == TITLE
    board_page.assert_clean()


def test_hostile_title_is_text_on_the_workshop_list(board_page, board_server):
    url, _home = board_server
    page = board_page.page
    page.goto(f"{url}/workshops")
    cell = page.locator("td").filter(has_text=TITLE)
    expect(cell).to_have_count(1)
    expect(cell).to_be_visible()
    expect(cell).to_have_text(TITLE)
    link = page.locator(f'a[href="./board?session={quote(f"{WORKSHOP}/{SESSION}")}"]')
    expect(link).to_have_count(1)
    page.wait_for_timeout(300)
    assert page.evaluate(f"typeof window.{MARKER}") == "undefined"
    assert board_page.dangerous_elements(MARKER)["page"] == []
    board_page.assert_clean()
