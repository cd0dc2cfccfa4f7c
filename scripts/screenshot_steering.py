"""Screenshots of the steering group's loop: the comments list, the review link's compare view,
the workshop set-up page and the trends page, at 1366x768, 1920x1080 and on a 390x844 phone,
in English and in Welsh (``assets/steering-*.png``).

Usage: python scripts/screenshot_steering.py [--out assets]

The sample workshop gets a few comment threads first (a reviewer's comment with a reply, a
resolved one, one on an anchor). Needs Debian's chromium; the server runs on a free port on
127.0.0.1 with a copy of the sessions and stops when the pictures are taken.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from screenshot import SAMPLE, arguments, make_home, open_board, served

from canvas.domain.model import Comment
from canvas.format import store
from canvas.live.access import Access, load_secret

SCREENS = [(1366, 768, False), (1920, 1080, False), (390, 844, True)]
NOTE = "n-0001"
THREADS = [
    Comment("c-01", NOTE, "Is this true in every region, or mostly in the south?", "Mair",
            "2022-04-22T09:12:00Z"),
    Comment("c-02", NOTE, "Not in Powys: we ran a pilot and it held.", "Gareth",
            "2022-04-22T09:40:00Z", reply_to="c-01"),
    Comment("c-03", "ca-value", "Value for whom? The people who draw on care first.", "Mair",
            "2022-04-22T10:05:00Z"),
    Comment("c-04", "n-0002", "Covered by the new guidance.", "Gareth",
            "2022-04-22T10:20:00Z", resolved=True),
]  # fmt: skip


def with_threads(home: Path) -> None:
    path = home / "sessions" / f"{SAMPLE}.yaml"
    session = store.load(path)
    store.save(replace(session, comments={c.id: c for c in THREADS}), path)


def shoot(browser, base: str, review: str, out: Path) -> list[Path]:
    taken = []
    for lang in ("en", "cy"):
        for w, h, phone in SCREENS:
            size = f"{w}x{h}-{lang}"
            page = open_board(browser, f"{base}board?session={SAMPLE}&{review}&lang={lang}",
                              (w, h), phone)  # fmt: skip
            page.locator(".thc-name input").fill("Mair")
            page.locator(".thc-name input").dispatch_event("change")
            page.locator('.thc-comments-box [data-thread="c-01"]').click()
            page.wait_for_timeout(800)
            to_top = "(el) => el.scrollIntoView({block: 'start'})"
            page.locator(".thc-comments-box").evaluate(to_top)
            taken.append(out / f"steering-comments-{size}.png")
            page.screenshot(path=str(taken[-1]))
            page.close()
            compare = f"{base}board?session={SAMPLE}&{review}&compare=wales-2022/01-user-research"
            page = open_board(browser, f"{compare}&lang={lang}", (w, h), phone)
            taken.append(out / f"steering-review-{size}.png")
            page.screenshot(path=str(taken[-1]))
            page.close()
            page = browser.new_page(viewport={"width": w, "height": h}, is_mobile=phone)
            page.goto(f"{base}workshops?lang={lang}")
            page.get_by_role("button").first.wait_for()
            page.wait_for_timeout(1000)
            taken.append(out / f"steering-setup-{size}.png")
            page.screenshot(path=str(taken[-1]))
            page.close()
            page = browser.new_page(viewport={"width": w, "height": h}, is_mobile=phone)
            page.goto(f"{base}trends?workshop={SAMPLE.split('/')[0]}&lang={lang}")
            page.get_by_role("heading", level=2).first.wait_for()
            page.wait_for_timeout(4000)  # the charts draw after their headings
            taken.append(out / f"steering-trends-{size}.png")
            page.screenshot(path=str(taken[-1]))
            page.close()
    return taken


def main(argv: list[str] | None = None) -> int:
    _, out = arguments(__doc__, argv)
    home = make_home()
    with_threads(home)
    code = Access(secret=load_secret(home)).review_code(SAMPLE)
    with served(home) as (base, browser):
        taken = shoot(browser, base, f"review={code}", out)
    for path in taken:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
