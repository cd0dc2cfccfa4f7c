"""Compare mode: iteration 2 of the sample against iteration 1, on the board and in the list."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from canvas.domain.diff import diff
from canvas.format import store

pytestmark = pytest.mark.browser


def test_compare_shows_every_change_and_agrees_with_horizons_diff(board_page, fresh_session):
    folder = fresh_session.path.parent
    workshop = folder.name
    first = folder / "01-user-research.yaml"
    second = folder / "02-steering-review.yaml"
    url = fresh_session.url.replace("02-steering-review", "02-steering-review") + (
        f"&compare={workshop}/01-user-research"
    )
    page = board_page.open(url)

    cli = subprocess.run(
        [sys.executable, "-m", "canvas", "diff", str(first), str(second), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    counts = json.loads(cli.stdout)["counts"]["notes"]
    shown = page.locator(".thc-counts")
    expect(shown).to_have_attribute("data-added", str(counts["added"]))
    expect(shown).to_have_attribute("data-updated", str(counts["updated"]))
    expect(shown).to_have_attribute("data-removed", str(counts["removed"]))
    assert page.locator(".thc-change-list button").count() == (
        counts["added"] + counts["updated"] + counts["removed"]
    )

    d = diff(store.load(first), store.load(second))
    for note_id in d.notes.added:
        expect(page.locator(f'.thc-note[data-id="{note_id}"]')).to_have_attribute(
            "data-change", "added"
        )
    for note_id, note in d.notes.removed.items():
        ghost = page.locator(f'.thc-ghost[data-id="{note_id}"][data-kind="removed"]')
        expect(ghost).to_have_text(note.text)
    for note_id, change in d.notes.updated.items():
        card = page.locator(f'.thc-note[data-id="{note_id}"]')
        if "position" in change.fields:
            expect(card).to_have_attribute("data-change", _contains("moved"))
            expect(
                page.locator(f'.thc-ghost[data-id="{note_id}"][data-kind="moved"]')
            ).to_have_count(1)
        if "text" in change.fields:
            expect(card).to_have_attribute("data-change", _contains("edited"))
    assert page.locator(".thc-arrow").count() == sum(
        1 for c in d.notes.updated.values() if "position" in c.fields
    )

    # The change list steps with the keyboard, and choosing a change shows it on the board.
    page.locator(".thc-change-list button").first.focus()
    page.keyboard.press("ArrowDown")
    second_id = page.locator(".thc-change-list button").nth(1).get_attribute("data-change")
    expect(page.locator(".thc-change-list button").nth(1)).to_be_focused()
    if second_id in store.load(second).notes:
        expect(page.locator(f'.thc-note[data-id="{second_id}"]')).to_have_class(
            _contains("selected")
        )

    # An edited note shows its old and new words in the details.
    edited = next(k for k, c in d.notes.updated.items() if "text" in c.fields)
    page.locator(f'.thc-change-list button[data-change="{edited}"]').click()
    words = page.locator(".thc-words")
    expect(words).to_be_visible()
    assert words.locator("ins, del").count() > 0
    board_page.assert_clean()


def _contains(word: str):
    import re

    return re.compile(rf"(^|\s){re.escape(word)}(\s|$)")


def test_a_new_iteration_shows_no_change_for_reset_votes_in_compare_and_changed_since(
    board_page, fresh_session
):
    from canvas.format import paths, templates

    folder = fresh_session.path.parent
    second = store.load(fresh_session.path)
    third = templates.next_iteration(second, "Third round", number=3)
    store.save(third, paths.iteration_path(folder, 3, third.title))
    total = sum(n.votes for n in second.notes.values())
    assert total > 0
    base = fresh_session.url.split("?")[0]
    page = board_page.open(
        f"{base}?session={folder.name}/03-third-round&compare={folder.name}/02-steering-review"
    )
    shown = page.locator(".thc-counts")
    for kind in ("added", "updated", "removed"):
        expect(shown).to_have_attribute(f"data-{kind}", "0")
    expect(page.locator(".thc-change-list button")).to_have_count(0)
    expect(page.locator(".thc-vote-totals")).to_have_text(
        f"Votes (totals, not changes): {total} in iteration 2, 0 now"
    )
    assert page.locator('.thc-note[data-change*="votes"]').count() == 0

    page.get_by_label("Changed since", exact=True).select_option(label="Iteration 2")
    expect(page.locator(".thc-sr").first).to_have_text("0 notes changed since iteration 2")
    board_page.assert_clean()
