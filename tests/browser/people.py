"""A participant's way onto a board in the browser tests: in with the server's own code,
under a name the room knows."""

from __future__ import annotations

from playwright.sync_api import expect

from canvas.live.access import Access, load_secret


def access(session) -> Access:
    """The server's codes for a test's session (its file is HOME/sessions/WORKSHOP/NAME)."""
    return Access(secret=load_secret(session.path.parents[2]))


def workshop_code(session) -> str:
    """The join code of a test session's workshop: the one the facilitator shows the room."""
    return access(session).workshop_code(session.name.split("/")[0])


def set_name(page, name: str) -> None:
    """Give a participant's board a name, and wait until the room lists it."""
    expect(page.locator(".thc-role")).to_have_text("Participant")
    field = page.get_by_label("Your name", exact=True)
    field.fill(name)
    field.press("Enter")  # fires "change": the name is stored and sent to the server
    expect(page.locator(".thc-room")).to_contain_text(f"{name} (Participant)")


def open_participant(new_board_page, session, name: str, before=None):
    """``(watched page, page)`` of a participant joined with the session's code and named;
    ``before(page)`` runs before the page loads."""
    watched = new_board_page()
    if before is not None:
        before(watched.page)
    page = watched.open(f"{session.url}&join={access(session).join_code(session.name)}")
    set_name(page, name)
    return watched, page
