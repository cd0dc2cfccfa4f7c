"""Take the phone view's screenshots, and the board with a draft it kept, as a participant.

Usage: python scripts/screenshot_phone.py [--out assets]

For English and Welsh, on a 390x844 touch screen: the join page with the workshop's code
typed (``phone-join-*``), writing a note during the H3 step with its anchor chosen
(``phone-write-*``), "My notes" with a draft the locked board kept (``phone-mine-*``) and a
dot vote from the list (``phone-vote-*``); then a participant's board at 1366x768 and
1920x1080 with a note typed before the lock kept in the drafts tray (``board-draft-*``).
Each language runs on its own copy of the sample sessions, served on 127.0.0.1 and stopped
when the pictures are taken (screenshot.served). Needs Debian's chromium.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from screenshot import ROOT, SAMPLE, arguments, served

from canvas.live.access import Access, load_secret

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LOCK = "Lock the board (only the facilitator edits)"


def _write(page, text: str, anchor: str) -> None:
    page.get_by_role("tab").first.tap()
    page.locator("textarea[data-action='note-text']").fill(text)
    page.locator(f"[data-action='anchor'][data-id='{anchor}']").check()


def _phone(browser, lead, base: str, code: str, lang: str, out: Path) -> list[Path]:
    taken: list[Path] = []
    context = browser.new_context(**PHONE)
    page = context.new_page()

    def shot(name: str) -> None:
        page.wait_for_timeout(400)
        taken.append(out / f"phone-{name}-390x844-{lang}.png")
        page.screenshot(path=str(taken[-1]))

    page.goto(f"{base}/join?lang={lang}")
    page.locator("input[name='code']").fill(code)
    shot("join")
    page.locator("input[name='code']").press("Enter")
    page.locator(".thc-phone").wait_for()
    page.locator(".thc-ph-name input").fill("Alys")
    page.locator(".thc-ph-name input").press("Tab")
    _write(page, "Carers know what works but nobody asks them", "v-3")
    page.locator("[data-action='send-note']").tap()
    _write(page, "Time to try things in paid hours, written on a phone", "v-8")
    page.locator("textarea[data-action='note-text']").blur()
    page.locator(".thc-phone").evaluate("el => { el.scrollTop = 0 }")
    shot("write")
    page.locator("[data-action='send-note']").tap()
    lead.get_by_label(LOCK, exact=True).check()
    page.locator("#thc-ph-why:not(:empty)").wait_for()
    _write(page, "Peer exchanges between homes", "v-3")
    page.locator("[data-action='send-note']").tap()
    page.locator("[data-tab='mine']").tap()
    shot("mine")
    lead.get_by_label(LOCK, exact=True).uncheck()
    lead.get_by_role("button", name="Start a vote").click()
    page.locator("[data-tab='vote']").tap()
    page.locator("[data-action='vote-up']").first.tap()
    # The vote as it stays, once the lock's word about the draft has gone.
    page.locator(".thc-alert:not(.visible)").wait_for(state="attached", timeout=10_000)
    shot("vote")
    context.close()
    return taken


def _board_draft(browser, lead, base: str, code: str, lang: str, out: Path) -> list[Path]:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{base}/board?session={SAMPLE}&join={code}&lang={lang}&screen=board")
    page.locator(".thc-anchor").first.wait_for()
    page.locator(".thc-toolbar input[autocomplete='nickname']").fill("Bryn")
    page.locator(".thc-toolbar input[autocomplete='nickname']").press("Enter")
    page.locator(".thc-toolbar [data-action='add']").click()
    page.keyboard.type("Make the small grants simple to apply for")
    lead.get_by_label(LOCK, exact=True).check()
    page.locator(".thc-toolbar [data-action='add']:disabled").wait_for()
    page.locator("textarea.thc-editor").press("Enter")
    page.locator(".thc-tray .thc-draft").wait_for()
    taken = []
    for w, h in ((1366, 768), (1920, 1080)):
        page.set_viewport_size({"width": w, "height": h})
        page.wait_for_timeout(800)
        taken.append(out / f"board-draft-{w}x{h}-{lang}.png")
        page.screenshot(path=str(taken[-1]))
    page.close()
    return taken


def shoot(lang: str, out: Path) -> list[Path]:
    home = Path(tempfile.mkdtemp(prefix="canvas-phone-shots-"))
    shutil.copytree(ROOT / "sessions", home / "sessions")
    with served(home) as (base, browser):
        base = base.rstrip("/")
        code = Access(secret=load_secret(home)).workshop_code(SAMPLE.split("/")[0])
        lead = browser.new_page(viewport={"width": 1366, "height": 768})
        lead.goto(f"{base}/board?session={SAMPLE}")
        lead.locator(".thc-anchor").first.wait_for()
        steps = lead.get_by_role("group", name="Workshop steps")
        steps.get_by_role("button", name="H3", exact=True).click()
        taken = _phone(browser, lead, base, code, lang, out)
        taken += _board_draft(browser, lead, base, code, lang, out)
        lead.close()
    return taken


def main(argv: list[str] | None = None) -> int:
    _, out = arguments(__doc__, argv)
    for lang in ("en", "cy"):
        for path in shoot(lang, out):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
