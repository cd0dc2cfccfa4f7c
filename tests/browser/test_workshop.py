"""A live workshop in Chromium: a facilitator, participants and observers on one board.

Every person has a browser context of their own (``new_board_page``), so their cookies and
localStorage (a participant's name and the id their notes are owned by) stay apart, as on
different machines. Participants come in with the session's join code, observers with its
view link; the facilitator is whoever opens the board of this open loopback server.

Roles are the server's business: besides what each page offers, the tests send hand-made
operations straight down the page's websocket (:data:`SEND_RAW_JS`), the way a participant
with the browser's developer tools could, and check that the server refuses them and that
the session file does not change.
"""

from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from canvas.format import store
from canvas.live.access import Access, load_secret
from canvas.live.identity import PERSON_COOKIE
from tests.browser.people import open_participant, set_name

pytestmark = pytest.mark.browser

LIVE_DEADLINE = 1.0  # a participant's accepted note is on the facilitator's screen within 1 s
QUIET = 1.0  # well over the room's save debounce (0.3 s): a change would be on disk by then

# Sends one operation on the page's room channel exactly as the board's transport does, but
# bypassing every check in board.js (the board's element holds ``thcSend`` for this). The
# alert is emptied first, so that two refusals in the same words can be told apart.
SEND_RAW_JS = """
(op) => {
    const find = (root, test) => {
        for (const el of root.querySelectorAll("*")) {
            if (test(el)) return el
            if (el.shadowRoot) { const f = find(el.shadowRoot, test); if (f) return f }
        }
        return null
    }
    const alert = find(document, (el) => el.classList.contains("thc-alert"))
    alert.textContent = ""
    alert.classList.remove("visible")
    const board = find(document, (el) => typeof el.thcSend === "function")
    board.thcSend(op)
    const models = Bokeh.documents.flatMap((doc) => [...doc.all_models])
    return models.find((m) => m.data && typeof m.data.role === "string").data.role
}
"""

# Where a text occurs in a page: in the text of the document or of any shadow root, in any
# attribute (aria-label, title, ...), in any form field's value, or in the component's
# parameters. An empty list means the page holds no trace of it.
TRACES_JS = """
(needle) => {
    const found = []
    const walk = (root, where) => {
        if ((root.textContent || "").includes(needle)) found.push(`text of ${where}`)
        for (const el of root.querySelectorAll("*")) {
            for (const name of el.getAttributeNames()) {
                if ((el.getAttribute(name) || "").includes(needle)) {
                    found.push(`${el.localName}[${name}]`)
                }
            }
            if (typeof el.value === "string" && el.value.includes(needle)) {
                found.push(`${el.localName}.value`)
            }
            if (el.shadowRoot) walk(el.shadowRoot, `shadow root of ${el.localName}`)
        }
    }
    walk(document, "document")
    const models = Bokeh.documents.flatMap((doc) => [...doc.all_models])
    for (const m of models) {
        if (m.data && typeof m.data.role === "string") {
            for (const name of ["strings", "iterations", "compare", "join", "session_name"]) {
                if (JSON.stringify(m.data[name]).includes(needle)) found.push(`model ${name}`)
            }
        }
    }
    return found
}
"""


# ------------------------------------------------------------------------------------------
# Helpers


def _codes(home, session_name: str) -> tuple[str, str]:
    """The session's join and view codes, from the server's own secret."""
    access = Access(secret=load_secret(home))
    return access.join_code(session_name), access.view_code(session_name)


def _card(page, text: str):
    """The card (on the board) of the one note whose text is ``text``."""
    return page.locator(".thc-note").filter(
        has=page.locator(".thc-note-text", has_text=re.compile(f"^{re.escape(text)}$"))
    )


def _note(page, note_id: str):
    return page.locator(f".thc-note[data-id='{note_id}']")


def _alert(page):
    return page.locator(".thc-alert")


def _pid(page) -> str:
    """The id this participant's notes are owned by: the server's, in the HttpOnly identity
    cookie it set when they joined (the page's script cannot read it; the test can)."""
    [value] = [c["value"] for c in page.context.cookies() if c["name"] == PERSON_COOKIE]
    payload = value.strip('"').split(".")[0]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))[0]


def _add_note(page, text: str) -> tuple[str, float]:
    """Add a note with the toolbar's "Add note"; returns its id once the server accepted it,
    and the moment (``time.monotonic()``) that this page saw it accepted."""
    page.locator(".thc-toolbar [data-action='add']").click()
    editor = page.locator(".thc-note.editing textarea.thc-editor")
    expect(editor).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    # A draft keeps its "draft" class until the server's patch for it comes back.
    accepted = _card(page, text).and_(page.locator(".thc-note:not(.draft)"))
    accepted.wait_for()
    seen = time.monotonic()
    return accepted.get_attribute("data-id"), seen


def _send_raw(page, op: dict) -> str:
    """Send a hand-made operation from the page; returns the page's role."""
    return page.evaluate(SEND_RAW_JS, op)


def _assert_refused(page, op: dict, reason: str) -> None:
    _send_raw(page, op)
    expect(_alert(page), f"the refusal of {op}").to_have_text(f"Not done: {reason}")


def _unchanged_for(path, before: bytes, seconds: float = QUIET) -> None:
    """The session file keeps exactly the bytes it had, for ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert path.read_bytes() == before, f"{path.name} changed"
        time.sleep(0.05)


@dataclass(frozen=True)
class Workshop:
    """The test's own session (a fresh copy of the sample workshop) on the module's server."""

    url: str  # the facilitator's board URL
    path: Path
    name: str
    base: str  # the server's base URL
    home: Path


@pytest.fixture
def session(fresh_session, board_server) -> Workshop:
    base, home = board_server
    return Workshop(fresh_session.url, fresh_session.path, fresh_session.name, base, home)


# ------------------------------------------------------------------------------------------
# 1. Live: a participant's note reaches the facilitator within a second


def test_participant_note_reaches_facilitator_within_1_s(new_board_page, session, wait_for_file):
    # The code on the facilitator's screen is the workshop's: it opens its current iteration.
    workshop = session.name.split("/")[0]
    join = Access(secret=load_secret(session.home)).workshop_code(workshop)
    host_page = new_board_page()
    host = host_page.open(session.url)
    expect(host.locator(".thc-role")).to_have_text("Facilitator")
    expect(host.locator(".thc-run .thc-code")).to_have_text(f"Join code: {join}")

    # The participant types the code from the facilitator's screen at /join.
    guest_page = new_board_page()
    guest = guest_page.page
    guest.goto(f"{session.base}/join")
    guest.get_by_label("Join code").fill(join.upper())  # read aloud: case does not matter
    guest.get_by_role("button", name="Join").click()
    guest_page.wait_ready()
    assert f"join={join}" in guest.url
    assert f"session={quote(workshop)}&" in guest.url  # the workshop: its current iteration
    set_name(guest, "Dewi")
    expect(host.locator(".thc-room")).to_contain_text("Dewi (Participant)")

    text = "Neighbourhood teams trusted to try things"
    note_id, accepted = _add_note(guest, text)
    card = _note(host, note_id)
    try:
        card.wait_for(state="attached", timeout=LIVE_DEADLINE * 1000)
    except Exception:
        pytest.fail(f"the note was not on the facilitator's page within {LIVE_DEADLINE:g} s")
    elapsed = time.monotonic() - accepted
    assert elapsed <= LIVE_DEADLINE, f"the note took {elapsed:.3f} s to reach the facilitator"
    expect(card.locator(".thc-note-text")).to_have_text(text)
    expect(card.locator(".thc-author")).to_have_text("Dewi")

    saved = wait_for_file(session.path, lambda s: note_id in s.notes, what="the new note")
    note = saved.notes[note_id]
    assert (note.text, note.author, note.owner) == (text, "Dewi", _pid(guest))
    assert not note.private
    host_page.assert_clean()
    guest_page.assert_clean()


# ------------------------------------------------------------------------------------------
# 2. Private writing


def test_private_writing_hides_notes_from_other_participants_until_revealed(
    new_board_page, session, wait_for_file
):
    host_page = new_board_page()
    host = host_page.open(session.url)
    a_page, a = open_participant(new_board_page, session, "Ana")
    b_page, b = open_participant(new_board_page, session, "Bryn")

    host.get_by_label("Private writing", exact=True).check()
    for page in (a, b):
        expect(page.locator(".thc-step")).to_contain_text("Private writing")
    wait_for_file(session.path, lambda s: s.facilitation.private, what="private writing on")

    secret_a = "Ana's idea nobody else should see yet"
    note_a, _ = _add_note(a, secret_a)
    expect(_note(a, note_a).locator(".thc-flag")).to_have_text("Private")
    expect(_note(host, note_a)).to_have_class(re.compile(r"\bprivate\b"))
    expect(_note(host, note_a).locator(".thc-note-text")).to_have_text(secret_a)
    # B writes after A: B's own patch comes after A's on the same connection, so once B's
    # note is accepted, B's page has had every chance to show A's.
    secret_b = "Bryn's idea, also private"
    note_b, _ = _add_note(b, secret_b)
    expect(_note(host, note_b).locator(".thc-note-text")).to_have_text(secret_b)

    assert b.evaluate(TRACES_JS, secret_a) == [], "B's page holds A's private note"
    assert a.evaluate(TRACES_JS, secret_b) == [], "A's page holds B's private note"
    expect(_note(b, note_a)).to_have_count(0)
    expect(_note(a, note_b)).to_have_count(0)
    saved = wait_for_file(
        session.path, lambda s: {note_a, note_b} <= set(s.notes), what="both private notes"
    )
    assert saved.notes[note_a].private and saved.notes[note_a].owner == _pid(a)
    assert saved.notes[note_b].private and saved.notes[note_b].owner == _pid(b)

    host.get_by_role("button", name="Reveal private notes").click()

    expect(_note(b, note_a).locator(".thc-note-text")).to_have_text(secret_a)
    expect(_note(a, note_b).locator(".thc-note-text")).to_have_text(secret_b)
    expect(b.locator(f"#thc-list .thc-list-note[data-id='{note_a}']")).to_have_text(secret_a)
    expect(_note(host, note_a)).not_to_have_class(re.compile(r"\bprivate\b"))
    assert b.evaluate(TRACES_JS, secret_a), "the trace finder does not see a note that is there"
    saved = wait_for_file(
        session.path,
        lambda s: not s.notes[note_a].private and not s.notes[note_b].private,
        what="the notes revealed",
    )
    assert saved.notes[note_a].text == secret_a
    for watched in (host_page, a_page, b_page):
        watched.assert_clean()


# ------------------------------------------------------------------------------------------
# 3. Dot voting


def test_dot_vote_with_a_budget_of_5(new_board_page, session, wait_for_file):
    first, second = "n-0002", "n-0005"
    original = store.load(session.path)
    texts = {i: original.notes[i].text for i in (first, second)}
    host_page = new_board_page()
    host = host_page.open(session.url)
    voter_page, voter = open_participant(new_board_page, session, "Cai")
    pid = _pid(voter)

    host.get_by_label("Votes per person").fill("5")
    host.get_by_role("button", name="Start a vote").click()
    left = voter.locator(".thc-votes-left")
    expect(left).to_have_text("Votes left: 5 of 5")
    expect(host.locator(".thc-run")).to_contain_text("Vote open: 5 votes each")

    # Five dots with "Vote" in the details panel: three on one note, two on another. (The
    # "+" on the cards has a test of its own below.)
    vote = voter.locator(".thc-details [data-field='vote']")
    _note(voter, first).locator(".thc-note-text").click()
    for n in (4, 3, 2):
        vote.click()
        expect(left).to_have_text(f"Votes left: {n} of 5")
    _note(voter, second).locator(".thc-note-text").click()
    for n in (1, 0):
        vote.click()
        expect(left).to_have_text(f"Votes left: {n} of 5")
    expect(_note(voter, first).locator(".thc-my-votes")).to_have_text("●●●")
    expect(_note(voter, second).locator(".thc-my-votes")).to_have_text("●●")

    # A sixth dot cannot succeed: "Vote" is off, and says why beside it.
    _note(voter, first).locator(".thc-note-text").click()
    expect(vote).to_be_disabled()
    expect(voter.locator(".thc-details .thc-why")).to_contain_text("used all 5")
    expect(left).to_have_text("Votes left: 0 of 5")

    dots = {first: 3, second: 2}
    saved = wait_for_file(
        session.path,
        lambda s: s.voting.ballots.get(pid) is not None and s.voting.ballots[pid].notes == dots,
        what="the ballot",
    )
    assert saved.voting.open and saved.voting.budget == 5
    assert list(saved.voting.ballots) == [pid]
    assert saved.voting.ballots[pid].name == "Cai"
    expect(host.locator(".thc-run")).to_contain_text("1 person has voted")

    host.get_by_role("button", name="Close the vote").click()

    for page in (host, voter):
        ranked = page.locator(".thc-ranked")
        expect(ranked.get_by_role("heading", name="Vote results")).to_be_visible()
        expect(ranked.locator("li")).to_have_text(
            [f"{texts[first]} (3 votes)", f"{texts[second]} (2 votes)"]
        )
    expect(left).to_have_text("")
    saved = wait_for_file(session.path, lambda s: not s.voting.open, what="the vote closed")
    assert saved.voting.ballots[pid].notes == dots  # the ballots stay, for the record
    votes = {i: n.votes for i, n in saved.notes.items()}
    assert votes == {i: dots.get(i, 0) for i in saved.notes}, "votes are not the dots"
    expect(_note(host, first).locator(".thc-votes")).to_have_text("● 3")
    host_page.assert_clean()
    voter_page.assert_clean()


def test_cards_offer_plus_and_minus_as_soon_as_a_vote_opens(new_board_page, session):
    note_id = "n-0002"
    host_page = new_board_page()
    host = host_page.open(session.url)
    voter_page, voter = open_participant(new_board_page, session, "Cai")

    host.get_by_role("button", name="Start a vote").click()
    left = voter.locator(".thc-votes-left")
    expect(left).to_have_text("Votes left: 5 of 5")

    # Every note is in this vote's scope: every card on screen takes dots, on both pages,
    # without reloading.
    for page in (voter, host):
        cards = page.locator(".thc-note")
        expect(cards.first).to_be_attached()
        expect(
            page.locator(".thc-note .thc-vote"), "cards with + and − once the vote opened"
        ).to_have_count(cards.count())
    card = _note(voter, note_id)
    plus = card.get_by_role("button", name=re.compile(r"^Vote for: "))
    minus = card.get_by_role("button", name=re.compile(r"^Take a vote back from: "))
    expect(minus).to_be_disabled()
    plus.click()
    plus.click()
    expect(left).to_have_text("Votes left: 3 of 5")
    expect(card.locator(".thc-my-votes")).to_have_text("●●")
    minus.click()
    expect(left).to_have_text("Votes left: 4 of 5")
    expect(card.locator(".thc-my-votes")).to_have_text("●")
    host_page.assert_clean()
    voter_page.assert_clean()


# ------------------------------------------------------------------------------------------
# 4. What participants may not do, even with hand-made operations

ONLY_FACILITATOR = "only the facilitator can run the workshop's steps, votes and moderation"
NOT_YOURS = "you can only change your own notes"


def test_participant_cannot_change_others_notes_steps_or_votes(
    new_board_page, session, wait_for_file
):
    a_page, a = open_participant(new_board_page, session, "Ana")
    b_page, b = open_participant(new_board_page, session, "Bryn")
    theirs, _ = _add_note(a, "Ana's note that Bryn must not delete")

    # The channel works: a raw operation that B may send is accepted and saved.
    own = "n-raw-own"
    assert _send_raw(b, {"op": "add", "id": own, "x": 0.9, "y": 0.9, "text": "Bryn's"}) == (
        "participant"
    )
    expect(_note(b, own)).to_be_attached()
    saved = wait_for_file(
        session.path, lambda s: {own, theirs} <= set(s.notes), what="both participants' notes"
    )
    assert saved.notes[own].owner == _pid(b)
    assert saved.notes[theirs].owner == _pid(a) != _pid(b)

    # What the page offers B: no way to delete another's note or run the workshop.
    expect(b.locator(".thc-run")).to_be_hidden()
    expect(b.get_by_role("button", name="Start a vote")).to_have_count(0)
    _note(b, "n-0002").locator(".thc-note-text").click()
    expect(b.locator(".thc-details")).to_contain_text(saved.notes["n-0002"].text)
    expect(b.locator(".thc-details [data-field='delete']")).to_have_count(0)
    b.keyboard.press("Delete")
    _note(b, theirs).locator(".thc-note-text").click()
    expect(b.locator(".thc-details [data-field='delete']")).to_have_count(0)
    b.keyboard.press("Delete")

    before = session.path.read_bytes()
    refused = [
        ({"op": "delete", "ids": [theirs]}, NOT_YOURS),
        ({"op": "delete", "ids": ["n-0002"]}, NOT_YOURS),
        ({"op": "delete", "ids": [own, theirs]}, NOT_YOURS),  # all or nothing
        ({"op": "edit", "id": theirs, "text": "defaced"}, NOT_YOURS),
        ({"op": "step", "step": "H3"}, ONLY_FACILITATOR),
        ({"op": "vote_start", "budget": 50}, ONLY_FACILITATOR),
        ({"op": "vote_start"}, ONLY_FACILITATOR),
        ({"op": "facilitate", "locked": True}, ONLY_FACILITATOR),
        ({"op": "hide", "id": theirs, "hidden": True}, ONLY_FACILITATOR),
    ]
    for op, reason in refused:
        _assert_refused(b, op, reason)
    _unchanged_for(session.path, before)

    # Nothing changed in the room either: the next accepted change saves the room's board.
    _send_raw(b, {"op": "edit", "id": own, "text": "Bryn's, edited"})
    saved = wait_for_file(
        session.path,
        lambda s: own in s.notes and s.notes[own].text == "Bryn's, edited",
        what="B's own edit",
    )
    assert {own, theirs, "n-0002"} <= set(saved.notes)
    assert saved.notes[theirs].text == "Ana's note that Bryn must not delete"
    assert not saved.notes[theirs].hidden
    assert saved.facilitation.step == ""
    assert not saved.facilitation.locked
    assert not saved.voting.open
    assert saved.voting.ballots == {}
    expect(_note(a, theirs)).to_be_attached()
    expect(a.locator(".thc-votes-left")).to_have_text("")
    a_page.assert_clean()
    b_page.assert_clean()


# ------------------------------------------------------------------------------------------
# 5. Observers

OBSERVER = "observers can follow the board but not change it"


def _open_observer(new_board_page, session, host):
    """The observer's page, opened with the view link shown on the facilitator's page."""
    _, view = _codes(session.home, session.name)
    link = host.get_by_label("View-only link for observers").input_value()
    assert link.endswith(f"&view={view}"), link
    watched = new_board_page()
    page = watched.open(link)
    expect(page.locator(".thc-role")).to_have_text("Observer")
    return watched, page


def test_observer_follows_the_facilitators_changes(new_board_page, session, wait_for_file):
    host_page = new_board_page()
    host = host_page.open(session.url)
    watcher_page, watcher = _open_observer(new_board_page, session, host)

    text = "A change everyone can watch"
    note_id, _ = _add_note(host, text)
    expect(_note(watcher, note_id).locator(".thc-note-text")).to_have_text(text)
    expect(watcher.locator(f"#thc-list .thc-list-note[data-id='{note_id}']")).to_have_text(text)
    host.get_by_role("group", name="Workshop steps").get_by_role("button", name="H1").click()
    expect(watcher.locator(".thc-step")).to_contain_text("Step: H1")
    wait_for_file(session.path, lambda s: s.facilitation.step == "H1", what="the step H1")
    host_page.assert_clean()
    watcher_page.assert_clean()


def test_observer_cannot_change_the_board(new_board_page, session, wait_for_file):
    host_page = new_board_page()
    host = host_page.open(session.url)
    watcher_page, watcher = _open_observer(new_board_page, session, host)
    original = store.load(session.path)
    before = session.path.read_bytes()

    # The N key adds nothing, and nothing is sent.
    watcher.locator(".thc-viewport").focus()
    watcher.keyboard.press("n")
    watcher.keyboard.press("N")
    expect(watcher.locator(".thc-note.draft")).to_have_count(0)
    expect(watcher.locator("textarea.thc-editor")).to_have_count(0)
    expect(watcher.get_by_label("Your name")).to_have_count(0)

    # Hand-made operations are refused.
    refused = [
        {"op": "add", "id": "n-raw-observer", "x": 0.5, "y": 0.5, "text": "sneaked in"},
        {"op": "delete", "ids": ["n-0002"]},
        {"op": "edit", "id": "n-0002", "text": "defaced"},
        {"op": "step", "step": "H2"},
        {"op": "vote_start", "budget": 5},
        {"op": "vote", "id": "n-0002", "delta": 1},
        {"op": "undo"},
    ]
    assert _send_raw(watcher, {"op": "hello", "name": "", "pid": ""}) == "observer"
    for op in refused:
        _assert_refused(watcher, op, OBSERVER)
    _unchanged_for(session.path, before)

    # Nothing changed in the room: the facilitator's next change saves the room's board.
    host.get_by_role("group", name="Workshop steps").get_by_role("button", name="H3").click()
    saved = wait_for_file(session.path, lambda s: s.facilitation.step == "H3", what="step H3")
    assert "n-raw-observer" not in saved.notes
    assert saved.notes["n-0002"].text == original.notes["n-0002"].text
    assert not saved.voting.open
    expect(watcher.locator(".thc-step")).to_contain_text("Step: H3")

    # Last, as it is a plain page check: nothing on the observer's page offers to add a note.
    expect(watcher.get_by_role("button", name="Add note")).to_have_count(0)
    host_page.assert_clean()
    watcher_page.assert_clean()
