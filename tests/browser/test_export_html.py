"""The HTML export in Chromium, offline: hostile text is shown as text and never runs.

The page is opened from a file with every network request refused (anything that is not
``file:``, ``data:`` or ``blob:``), so the test also proves that the page needs nothing from
anywhere. Every note is hovered, so the board's tooltips show the hostile texts too.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from canvas.domain.model import Note
from canvas.format import store
from canvas.view.export import export
from canvas.view.export.outline import exported_notes

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sessions" / "wales-2022"

P_IMG = '<img src=x onerror="window.__pwned=1">'
P_SCRIPT = "<script>window.__pwned=2</script>"
P_SVG = '<svg onload="window.__pwned=3">'
P_LINK = '<a href="javascript:window.__pwned=4">link</a>'
P_CLOSE = '</script><script>window.__pwned=5</script>"><img src=x onerror=alert(1)>'
P_MATH = "$$\\sqrt{2}$$ and \\(x\\)"  # would make Bokeh fetch MathJax if read as TeX
HOSTILE = (P_IMG, P_SCRIPT, P_SVG, P_LINK, P_CLOSE, P_MATH)
VIEWPORT = {"width": 1600, "height": 1000}

# A board point (world pixels) to a point on the screen, through Bokeh's own scales.
TO_SCREEN = """
([x, y]) => {
    const view = Object.values(Bokeh.index).find((v) => v.frame)
    const box = view.canvas_view.el.getBoundingClientRect()
    return [box.left + view.frame.x_scale.compute(x), box.top + view.frame.y_scale.compute(y)]
}
"""

# Anything in the page (shadow roots included) that could run script or load something.
SCAN = """
() => {
    const all = []
    const walk = (root) => {
        for (const el of root.querySelectorAll("*")) {
            all.push(el)
            if (el.shadowRoot) walk(el.shadowRoot)
        }
    }
    walk(document)
    const url = (el) => el.getAttributeNames().some((name) =>
        /(^|:)(href|src|action|formaction|data|srcset)$/i.test(name)
        && /^\\s*(javascript:|https?:|\\/\\/)/i.test(el.getAttribute(name) || ""))
    const handler = (el) => el.getAttributeNames().some((name) => /^on/i.test(name))
    const risky = (el) =>
        ["img", "iframe", "object", "embed", "link"].includes(el.localName)
        || (el.localName === "script" && el.src)
        || url(el) || handler(el)
    return {
        risky: all.filter(risky).map((el) => el.outerHTML.slice(0, 200)),
        scripts: all.filter((el) => el.localName === "script").length,
        tooltips: all.filter((el) => /Tooltip/.test(el.className?.toString?.() || ""))
            .map((el) => el.shadowRoot ? el.shadowRoot.textContent : el.textContent),
    }
}
"""


def hostile_session():
    s = store.load(SAMPLE / "02-steering-review.yaml")
    anchors = dict(s.anchors)
    first = sorted(anchors)[0]
    anchors[first] = replace(anchors[first], title=P_IMG, summary=P_SCRIPT)
    notes = {}
    for i, (note_id, note) in enumerate(sorted(s.notes.items())):
        notes[note_id] = replace(
            note,
            text=f"{HOSTILE[i % len(HOSTILE)]} #{i}",
            author=HOSTILE[(i + 2) % len(HOSTILE)],
            # Keep every card on screen at this viewport; the board is 1400 px wide.
            x=min(note.x, 0.85),
        )
    notes["x-alone"] = Note(id="x-alone", text=P_CLOSE, x=0.45, y=0.12, horizon="H1", votes=2)
    return replace(
        s,
        title=f"Hostile {P_IMG}",
        focal_question=f"Why {P_SVG} {P_LINK}?",
        anchors=anchors,
        notes=notes,
        settings=replace(s.settings, axis_from=P_MATH, axis_to=P_SCRIPT),
    )


def test_hostile_export_shows_every_note_and_runs_nothing(board_page, tmp_path):
    session = hostile_session()
    previous = store.load(SAMPLE / "01-user-research.yaml")
    path = export(session, "html", tmp_path / "export.html", previous=previous)

    page = board_page.page
    page.set_viewport_size(VIEWPORT)
    requested: list[str] = []
    blocked: list[str] = []

    def only_local(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.context.route("**/*", only_local)
    page.on("request", lambda request: requested.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_function("() => window.Bokeh && Object.values(Bokeh.index).some((v) => v.frame)")
    page.locator("canvas").first.wait_for()

    # Every note's text is on the page, as text.
    shown = " ".join(page.inner_text("body").split())
    notes = exported_notes(session)
    for note in notes:
        assert " ".join(note.text.split()) in shown, note.id
    assert f"Hostile {P_IMG}" in shown

    # Point at every note on the board: its tooltip shows the hostile text, as text.
    page.locator(".board").scroll_into_view_if_needed()
    seen: set[str] = set()
    for note in notes:
        left = min(max(note.x * 2000, 0.0), 2000 - 140)
        top = min(max((1 - note.y) * 1200, 0.0), 1200 - 64)
        x, y = page.evaluate(TO_SCREEN, [left + 70, top + 32])
        page.mouse.move(x - 2, y - 2)
        page.mouse.move(x, y)
        page.wait_for_timeout(30)
        seen.update(page.evaluate(SCAN)["tooltips"])
    tips = " ".join(" ".join(seen).split())
    assert P_CLOSE in tips and P_IMG in tips, tips[:500]

    found = page.evaluate(SCAN)
    assert found["risky"] == []
    assert page.evaluate("() => window.__pwned") is None
    assert blocked == []
    assert all(url.startswith(("file:", "data:", "blob:")) for url in requested), requested
    board_page.assert_clean()  # no dialog, no console error (CSP included), no page error
