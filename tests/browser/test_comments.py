"""A steering group's comments: named once, threaded, counted on the card, listed, resolved by
the facilitator, and carried into the Markdown and PDF reports."""

from __future__ import annotations

import shutil
import subprocess
import urllib.request

import pytest
from playwright.sync_api import expect

from canvas.live.access import Access, load_secret

pytestmark = pytest.mark.browser

NOTE = "n-0001"


def _review_url(session) -> str:
    access = Access(secret=load_secret(session.path.parents[2]))
    return f"{session.url}&review={access.review_code(session.name)}"


def _comment_on_note(page, text: str, name: str | None = None, reply_to: str = "") -> None:
    page.locator(f'.thc-note[data-id="{NOTE}"]').focus()
    field = f"reply-{reply_to}" if reply_to else "comment"
    box = page.locator(".thc-details .thc-comment-write").filter(
        has=page.locator(f'[data-field="{field}"]')
    )
    box.locator(f'[data-field="{field}"]').fill(text)
    if name is not None:
        box.get_by_label("Your name (shown with your comments)").fill(name)
    box.locator(f'[data-field="{field}-send"]').click()


def _download(base: str, name: str, fmt: str) -> bytes:
    with urllib.request.urlopen(f"{base}/export?session={name}&format={fmt}", timeout=60) as r:
        return r.read()


def test_reviewers_comment_and_reply_by_name_and_the_facilitator_resolves_the_thread(
    board_server, new_board_page, fresh_session, wait_for_file
):
    mair = new_board_page()
    page = mair.open(_review_url(fresh_session))
    _comment_on_note(page, "Is this true in every region?", name="Mair")
    thread = page.locator(".thc-details .thc-thread")
    expect(thread).to_contain_text("Mair")
    expect(thread).to_contain_text("Is this true in every region?")
    session = wait_for_file(fresh_session.path, lambda s: len(s.comments) == 1, what="the comment")
    [first] = session.comments.values()
    assert (first.author, first.target, first.reply_to) == ("Mair", NOTE, "")
    assert first.created

    # The name is given once: the page remembers it, and asks no more.
    page.reload()
    mair.wait_ready()
    page.locator(f'.thc-note[data-id="{NOTE}"]').focus()
    expect(page.get_by_label("Your name (shown with your comments)")).to_have_count(0)
    expect(page.locator(f'.thc-note[data-id="{NOTE}"] .thc-said')).to_have_text("1")

    gareth = new_board_page().open(_review_url(fresh_session))
    _comment_on_note(gareth, "Not in Powys: we tried it.", name="Gareth", reply_to=first.id)
    session = wait_for_file(fresh_session.path, lambda s: len(s.comments) == 2, what="the reply")
    reply = next(c for c in session.comments.values() if c.id != first.id)
    assert (reply.author, reply.reply_to, reply.target) == ("Gareth", first.id, NOTE)

    # Both names on the card's thread, the reply under the comment it answers.
    replies = page.locator(f'.thc-details .thc-thread[data-thread="{first.id}"] .thc-replies')
    expect(replies).to_contain_text("Gareth")
    expect(replies).to_contain_text("Not in Powys: we tried it.")
    expect(page.locator(f'.thc-note[data-id="{NOTE}"] .thc-said')).to_have_text("2")
    # Reviewers cannot resolve.
    expect(page.locator(f'[data-field="resolve-{first.id}"]')).to_have_count(0)

    # The facilitator finds the thread in the Comments list, jumps to the card, resolves it.
    lead = new_board_page().open(fresh_session.url)
    listed = lead.locator(f'.thc-comments-box [data-thread="{first.id}"]')
    expect(listed).to_contain_text("Mair")
    expect(listed).to_contain_text("1 reply")
    listed.click()
    expect(lead.locator(".thc-details .thc-thread")).to_contain_text("Gareth")
    lead.locator(f'[data-field="resolve-{first.id}"]').click()
    resolved = lambda s: s.comments[first.id].resolved  # noqa: E731
    wait_for_file(fresh_session.path, resolved, what="the resolution")
    expect(lead.locator(".thc-comments-box .thc-hint")).to_have_text("No comments here yet.")
    lead.get_by_label("Show", exact=True).select_option("resolved")
    expect(lead.locator(f'.thc-comments-box [data-thread="{first.id}"]')).to_be_visible()
    expect(page.locator(".thc-details .thc-resolved")).to_have_text("Resolved by the facilitator")

    # The reports carry the thread, with both names.
    base, name = board_server[0], fresh_session.name
    markdown = _download(base, name, "md").decode("utf-8")
    assert "Mair" in markdown and "Is this true in every region?" in markdown
    assert "Gareth" in markdown and "Not in Powys: we tried it." in markdown
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = _download(base, name, "pdf")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "Mair" in text and "Is this true in every region?" in text
    assert "Gareth" in text and "Not in Powys: we tried it." in text
    mair.assert_clean()
