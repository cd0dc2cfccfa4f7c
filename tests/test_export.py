"""Snapshot exports: every format on the sample sessions, hostile text, privacy, the CLI.

No browser here (the HTML page in Chromium is tests/browser/test_export_html.py). Each
sample session is rendered once per format per module and the checks share the bytes.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from canvas.cli import export as export_cli
from canvas.domain import dimensions
from canvas.domain.model import Note, Session
from canvas.format import store
from canvas.format.i18n import t
from canvas.view.export import (
    FORMATS,
    build,
    csvtable,
    default_name,
    export,
    markdown,
    poster,
    read_csv,
    render,
)
from canvas.view.export.outline import exported_notes

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sessions" / "wales-2022"
FIRST = SAMPLE / "01-user-research.yaml"
SECOND = SAMPLE / "02-steering-review.yaml"

P_IMG = '<img src=x onerror="window.__pwned=1">'
P_SCRIPT = "<script>window.__pwned=2</script>"
P_SVG = '<svg onload="window.__pwned=3">'
P_LINK = '<a href="javascript:window.__pwned=4">link</a>'
P_MD = "[click](javascript:window.__pwned=5) ![x](http://example.com/x.png)"
P_CLOSE = '</script><script>window.__pwned=6</script>"><img src=x onerror=alert(1)>'
HOSTILE = (P_IMG, P_SCRIPT, P_SVG, P_LINK, P_MD, P_CLOSE)


def squash(text: str) -> str:
    """Text with all whitespace removed: line breaks may fall anywhere in a picture."""
    return re.sub(r"\s+", "", text)


def plain(text: str) -> str:
    """One-line text with runs of whitespace made single spaces."""
    return " ".join(text.split())


def hostile_session() -> Session:
    """The second sample iteration with markup in every kind of user text."""
    s = store.load(SECOND)
    anchors = dict(s.anchors)
    first_id = sorted(anchors)[0]
    anchors[first_id] = replace(anchors[first_id], title=P_IMG, summary=P_SCRIPT + P_MD)
    notes = {}
    for i, (note_id, note) in enumerate(sorted(s.notes.items())):
        payload = HOSTILE[i % len(HOSTILE)]
        notes[note_id] = replace(
            note,
            text=f"{payload} note {i}",
            author=HOSTILE[(i + 1) % len(HOSTILE)],
            votes=i % 5,
        )
    notes["x-math"] = Note(
        id="x-math",
        text="$$x^2$$ and $5 or \\(y\\) # not a heading\n1. not a list\n- nor this",
        x=0.8,
        y=0.2,
        horizon="H3",
        author="$ \\alpha $",
        votes=7,
    )
    notes["x-scripts"] = Note(
        id="x-scripts",
        text="Emoji 😀🎉, עברית, العربية, 中文, Ελληνικά, ŵŷ\u200b, tab\there",
        x=0.7,
        y=0.3,
        horizon="H2",
        polarity="+",
    )
    personas = dict(s.personas)
    persona_id = sorted(personas)[0]
    personas[persona_id] = replace(personas[persona_id], name=P_SVG, role=P_LINK)
    return replace(
        s,
        title=f"Hostile {P_IMG} {P_SCRIPT}",
        focal_question=f"Why {P_SVG} {P_LINK}?",
        facilitator=P_CLOSE,
        anchors=anchors,
        notes=notes,
        personas=personas,
        settings=replace(s.settings, axis_from=P_SCRIPT, axis_to="$$\\int$$"),
    )


# ------------------------------------------------------------------------------------------
# Rendering once per module


SESSIONS = {"first": FIRST, "second": SECOND}


@pytest.fixture(scope="module")
def samples() -> dict[str, Session]:
    return {name: store.load(path) for name, path in SESSIONS.items()}


@pytest.fixture(scope="module")
def rendered(samples) -> dict[tuple[str, str], bytes]:
    """``(session name, format) -> bytes``; the second iteration shows changes since the first."""
    out = {}
    for name, session in samples.items():
        previous = samples["first"] if name == "second" else None
        for fmt in FORMATS:
            out[name, fmt] = render(session, fmt, previous=previous)
    return out


@pytest.fixture(scope="module")
def hostile() -> Session:
    return hostile_session()


@pytest.fixture(scope="module")
def hostile_rendered(hostile) -> dict[str, bytes]:
    previous = store.load(FIRST)
    return {fmt: render(hostile, fmt, previous=previous) for fmt in FORMATS}


def visible(session: Session) -> list[Note]:
    return exported_notes(session)


# ------------------------------------------------------------------------------------------
# Layering


def test_the_package_and_its_command_load_no_plotting_library():
    code = (
        "import sys\n"
        "import canvas.view.export, canvas.cli.export\n"
        "import canvas.view.export.outline, canvas.view.export.markdown\n"
        "heavy = ('matplotlib', 'bokeh', 'holoviews', 'panel', 'PIL')\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_html_export_does_not_load_panel():
    code = (
        "import sys\n"
        "from canvas.format import store\n"
        "from canvas.view.export import render\n"
        f"render(store.load({str(SECOND)!r}), 'html')\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'panel')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_html_export_stays_self_contained_inside_the_app(tmp_path):
    # The app has Panel loaded, whose models carry script URLs that Bokeh adds to every
    # bundle; the page must still load nothing.
    out = tmp_path / "page.html"
    code = (
        "import panel\n"
        "from canvas.format import store\n"
        "from canvas.view.export import export\n"
        f"export(store.load({str(SECOND)!r}), 'html', {str(out)!r})\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert remote_references(out.read_text(encoding="utf-8")) == []


# ------------------------------------------------------------------------------------------
# PNG, SVG, PDF


@pytest.mark.parametrize("name", SESSIONS)
def test_png_is_a_png_with_content(rendered, name):
    data = rendered[name, "png"]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 3000 and height >= 2000  # A3 at 200 dpi: 3308 x 2339
    assert len(data) > 100_000  # a drawn board, not a blank page


@pytest.mark.parametrize("name", SESSIONS)
def test_svg_parses_and_holds_every_note_as_text(rendered, samples, name):
    root = ET.fromstring(rendered[name, "svg"])
    assert root.tag.endswith("svg")
    texts = [el.text or "" for el in root.iter() if el.tag.endswith(("}text", "}tspan"))]
    assert texts, "svg.fonttype none keeps text as <text>, not as glyph paths"
    everything = squash("".join(texts))
    for note in visible(samples[name]):
        assert squash(note.text) in everything, note.id
    for anchor in samples[name].anchors.values():
        assert squash(anchor.title)[:12] in everything, anchor.id


@pytest.mark.parametrize("name", SESSIONS)
def test_pdf_has_the_poster_and_report_pages(rendered, name):
    data = rendered[name, "pdf"]
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    assert pages >= 3  # the poster, then the report
    # The page tree's dictionary, its keys in any order (writers differ).
    dicts = re.findall(rb"<<(?:(?!<<|>>).)*>>", data, re.S)
    tree = next(d for d in dicts if re.search(rb"/Type\s*/Pages\b", d))
    count = re.search(rb"/Count\s+(\d+)", tree)
    assert count and int(count.group(1)) == pages
    assert len(data) > 30_000


def test_pdf_text_is_in_the_file(samples):
    # TrueType fonts embedded (fonttype 42): the report text is searchable.
    data = render(samples["second"], "pdf")
    assert b"/FontFile2" in data


def test_hostile_text_does_not_break_the_pictures(hostile_rendered, hostile):
    assert hostile_rendered["png"].startswith(b"\x89PNG")
    assert hostile_rendered["pdf"].startswith(b"%PDF-")
    root = ET.fromstring(hostile_rendered["svg"])
    everything = squash("".join(el.text or "" for el in root.iter() if el.tag.endswith("}text")))
    for note in visible(hostile):
        assert squash(note.text) in everything, note.id


def test_the_poster_draws_text_literally_never_as_maths(hostile_rendered):
    root = ET.fromstring(hostile_rendered["svg"])
    texts = "".join(el.text or "" for el in root.iter() if el.tag.endswith("}text"))
    assert "$$x^2$$" in texts
    assert squash(P_SCRIPT) in squash(texts)  # text, escaped by the XML writer


def test_wrapping_keeps_every_character():
    texts = [
        "Carers have plenty of ideas — just no time or permission to try them",
        "https://example.org/a/very/long/address/that/cannot/be/wrapped/anywhere/at/all",
        "one\ntwo\n\nthree",
        "Gofal yn Cymraeg: ŵ ŷ â ê î ô û",
        "",
    ]
    for text in texts:
        lines = poster.wrap(text, 12.5, 128)
        assert squash("".join(lines)) == squash(text)
        assert all(poster.width(line, 12.5) <= 128 + 1e-6 for line in lines if len(line) > 1)


def test_text_measures_do_not_change_as_matplotlib_draws(samples):
    poster._advance.cache_clear()
    before = [poster.width(c, 10) for c in "0123456789.W "]
    render(samples["second"], "pdf")  # draws at many sizes with matplotlib's own fonts
    poster._advance.cache_clear()
    assert [poster.width(c, 10) for c in "0123456789.W "] == before


def test_a_long_note_gets_a_taller_card_that_stays_on_the_board():
    note = Note(id="n", text="word " * 100, x=0.5, y=0.02, horizon="H1")
    card = poster.note_card(note, dimensions.free_card(note), "(empty)", {})
    assert card.height > dimensions.note_height("word")
    assert card.top + card.height <= dimensions.WORLD_H
    assert squash("".join(card.lines)) == squash(note.text)
    # Its lines fit in its card above the meta line.
    assert card.text_top + len(card.lines) * card.size * 1.2 <= card.meta_bottom - card.meta_size


# ------------------------------------------------------------------------------------------
# HTML


class _Page(HTMLParser):
    """Collects what a page could load or run: tags, attributes, scripts, styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script"):
            self._in = tag
            (self.styles if tag == "style" else self.scripts).append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.styles[-1] += data
        elif self._in == "script":
            self.scripts[-1] += data


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


REMOTE = re.compile(r"^\s*(https?:)?//", re.I)


def remote_references(page: str) -> list[str]:
    """Every script, style sheet, font or image the page would fetch from a network."""
    parsed = parse(page)
    found = []
    css = list(parsed.styles)
    for tag, attrs in parsed.tags:
        if tag == "script" and attrs.get("src") is not None:
            found.append(f"<script src={attrs['src']}>")  # any src at all: nothing inline
        if tag == "link" and attrs.get("href"):
            found.append(f"<link href={attrs['href']}>")
        for name in ("src", "href", "srcset", "poster", "data"):
            value = attrs.get(name) or ""
            if tag != "a" and REMOTE.match(value):
                found.append(f"<{tag} {name}={value}>")
        if attrs.get("style"):
            css.append(attrs["style"] or "")
    for sheet in css:
        for match in re.finditer(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)", sheet, re.I):
            found.append(f"@import {match.group(1)}")
        for match in re.finditer(r"url\(\s*['\"]?([^'\")]+)", sheet, re.I):
            if not match.group(1).startswith(("data:", "#")):
                found.append(f"url({match.group(1)})")
    return found


@pytest.mark.parametrize("name", SESSIONS)
def test_html_is_one_self_contained_file(rendered, name):
    page = rendered[name, "html"].decode("utf-8")
    assert remote_references(page) == []
    parsed = parse(page)
    assert max(len(s) for s in parsed.scripts) > 500_000  # Bokeh itself, inline
    csp = [a["content"] for tag, a in parsed.tags if tag == "meta" and a.get("http-equiv")]
    assert csp and "default-src 'none'" in csp[0] and "connect-src 'none'" in csp[0]


@pytest.mark.parametrize("name", SESSIONS)
def test_html_holds_every_note_escaped(rendered, samples, name):
    page = rendered[name, "html"].decode("utf-8")
    for note in visible(samples[name]):
        assert html.escape(note.text) in page, note.id
    for anchor in samples[name].anchors.values():
        assert html.escape(anchor.title) in page, anchor.id


def test_html_escapes_every_user_string(hostile_rendered, hostile):
    page = hostile_rendered["html"].decode("utf-8")
    assert remote_references(page) == []
    parsed = parse(page)
    allowed = {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "script",
        "body",
        "header",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "p",
        "strong",
        "em",
        "span",
        "div",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
    assert {tag for tag, _ in parsed.tags} <= allowed
    for tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not any("javascript:" in (v or "").lower() for v in attrs.values()), (tag, attrs)
    # Our scripts: Bokeh, and the one that draws the board (its data holds the notes, escaped).
    for script in parsed.scripts:
        assert "<script" not in script.lower() and "<img" not in script.lower()
    for payload in HOSTILE:
        if "<" in payload:  # the Markdown one is plain text in HTML
            assert payload not in page
    for note in visible(hostile):
        assert html.escape(note.text) in page
        if note.author:
            assert html.escape(note.author) in page
    assert html.escape(hostile.title) in page
    assert html.escape(hostile.focal_question) in page


# ------------------------------------------------------------------------------------------
# Markdown


def unescape_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize("name", SESSIONS)
def test_markdown_names_every_anchor_and_note(rendered, samples, name):
    md = rendered[name, "md"].decode("utf-8")
    readable = unescape_md(md)
    session = samples[name]
    assert readable.startswith(f"# {session.title}\n")
    assert plain(session.focal_question) in readable
    for anchor in session.anchors.values():
        assert plain(anchor.title) in readable, anchor.id
    for note in visible(session):
        assert plain(note.text) in plain(readable.replace("\\\n", " ")), note.id
    for h in ("H1", "H2", "H3"):
        assert f"## {h}: {t(f'{h.lower()}_name')}" in md
    assert f"## {t('export_top_voted')}" in md
    assert f"## {t('export_personas')}" in md


def test_markdown_has_the_changes_since_the_previous_iteration(rendered, samples):
    from canvas.domain.compare import anchor_summaries

    md = rendered["second", "md"].decode("utf-8")
    assert "## Changes since iteration 1" in md
    lines = [s.text() for s in anchor_summaries(samples["first"], samples["second"])]
    assert lines
    for line in lines:
        assert f"- {markdown.escape(line)}" in md
    assert "Changes since" not in rendered["first", "md"].decode("utf-8")


def test_markdown_top_voted_are_in_vote_order(samples):
    outline = build(samples["second"])
    votes = [n.votes for n in outline.top]
    assert votes == sorted(votes, reverse=True) and all(votes)
    for horizon in outline.horizons:
        for block in horizon.blocks:
            got = [n.votes for n in block.notes]
            assert got == sorted(got, reverse=True)


def test_markdown_user_text_renders_as_typed(hostile_rendered, hostile):
    md = hostile_rendered["md"].decode("utf-8")
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    assert "<img" not in rendered and "<script" not in rendered and "<svg" not in rendered
    assert "javascript:" not in re.findall(r'href="([^"]*)"', rendered).__str__()
    assert "<a " not in rendered
    # Nothing a note says becomes a heading or a list of its own.
    headings = re.findall(r"<h(\d)>(.*?)</h\1>", rendered)
    assert not any("not a heading" in text for _, text in headings)
    assert "not a list" in rendered and "<li>not a list" not in rendered
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    for note in visible(hostile):
        for line in note.text.splitlines():
            assert line.strip() in text, (note.id, line)


def test_markdown_escaping_rules():
    assert markdown.escape_line("# heading") == "\\# heading"
    assert markdown.escape_line("1. one") == "1\\. one"
    assert markdown.escape_line("- item") == "\\- item"
    assert markdown.escape_line("a <b> & c") == "a \\<b\\> \\& c"
    assert markdown.escape_line("[x](y)") == "\\[x\\](y)"
    assert markdown.escape_line("*a* _b_ `c` | ~d~ $e$") == (
        "\\*a\\* \\_b\\_ \\`c\\` \\| \\~d\\~ \\$e\\$"
    )
    assert markdown.escape("one\n\ntwo", "  ") == "one\\\n  two"
    assert markdown.escape_line("Co-production isn't 1.5 things") == (
        "Co-production isn't 1.5 things"
    )


# ------------------------------------------------------------------------------------------
# CSV and YAML


@pytest.mark.parametrize("name", SESSIONS)
def test_csv_reads_back_to_the_same_notes(rendered, samples, name, tmp_path):
    data = rendered[name, "csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    path = tmp_path / "notes.csv"
    path.write_bytes(data)
    notes = read_csv(path)
    assert notes == {n.id: _rounded(n) for n in visible(samples[name])}


def _rounded(note: Note) -> Note:
    """A note as the CSV gives it back: coordinates to 4 places."""
    return replace(note, x=round(note.x, 4), y=round(note.y, 4))


def test_csv_coordinates_are_rounded_to_4_places_and_read_back(tmp_path):
    noisy = [
        Note(id="a", text="noise", x=0.22000000000000003, y=1 / 3, horizon="H1"),
        Note(id="b", text="edge", x=0.99999, y=0.00004, horizon="H3"),
    ]
    path = tmp_path / "noisy.csv"
    path.write_bytes(csvtable.render(noisy))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = {row["id"]: (row["x"], row["y"]) for row in csv.DictReader(handle)}
    assert rows == {"a": ("0.22", "0.3333"), "b": ("1.0", "0.0")}
    back = read_csv(path)
    assert (back["a"].x, back["a"].y) == (0.22, 0.3333)
    assert back == {n.id: _rounded(n) for n in noisy}


def test_csv_round_trips_awkward_notes(tmp_path, hostile):
    awkward = [
        Note(id="a", text='=HYPERLINK("http://x")', x=0.1, y=0.2, horizon="H2", polarity="-"),
        Note(
            id="b",
            text="+1, -1; 'quoted' \"double\"\nsecond line",
            x=1 / 3,
            y=0.0,
            horizon="H2",
            polarity="+",
            tags=("a;b", 'c"d', "-e"),
            personas=("p-1",),
            author="@someone",
            owner="'owner",
            group="g",
            votes=3,
            rev=4,
            horizon_fixed=True,
            private=True,
            hidden=True,
            created="2022-03-01T10:00:00Z",
            updated="2022-03-02T10:00:00Z",
            colour="pink",
            anchor="c-1",
        ),
        Note(id="c", text="'leading quote", x=0.999999999999, y=1.0, horizon="H3"),
        Note(id="d", text="Cymraeg: ŵŷ — “quotes” 😀\ttab", x=0.5, y=0.5, horizon="H1"),
        Note(id="e", text="", x=0.0, y=0.0, horizon="H1"),
    ]
    notes = awkward + visible(hostile)
    path = tmp_path / "awkward.csv"
    path.write_bytes(csvtable.render(notes))
    assert read_csv(path) == {n.id: _rounded(n) for n in notes}
    # No cell starts like a spreadsheet formula.
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_csv_refuses_other_files(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(csvtable.CsvError):
        read_csv(path)
    path.write_bytes(
        csvtable.render([Note(id="a", text="x", x=0, y=0, horizon="H1")]).replace(
            b",false,", b",maybe,", 1
        )
    )
    with pytest.raises(csvtable.CsvError, match="true or false"):
        read_csv(path)


@pytest.mark.parametrize("name", SESSIONS)
def test_yaml_is_the_canonical_session_text(rendered, samples, name):
    text = rendered[name, "yaml"].decode("utf-8")
    assert text == store.dumps(samples[name])
    assert store.loads(text) == samples[name]


# ------------------------------------------------------------------------------------------
# Privacy


def with_secrets(session: Session) -> Session:
    notes = dict(session.notes)
    notes["s-hidden"] = Note(
        id="s-hidden",
        text="HIDDEN-SECRET",
        x=0.5,
        y=0.5,
        horizon="H2",
        hidden=True,
        votes=9,
        personas=(sorted(session.personas)[0],),
    )
    notes["s-private"] = Note(
        id="s-private",
        text="PRIVATE-DRAFT",
        x=0.6,
        y=0.5,
        horizon="H2",
        private=True,
        owner="p1",
        votes=1,
    )
    return replace(session, notes=notes)


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "svg", "pdf"])
def test_hidden_notes_are_never_exported_and_private_only_on_request(samples, fmt):
    session = with_secrets(samples["second"])
    plain_export = render(session, fmt, previous=samples["first"])
    assert b"HIDDEN-SECRET" not in plain_export
    assert b"PRIVATE-DRAFT" not in plain_export
    if fmt == "pdf":  # text in a PDF is in compressed streams; the rest show it
        return
    shared = render(session, fmt, include_private=True)
    assert b"HIDDEN-SECRET" not in shared
    assert b"PRIVATE-DRAFT" in shared


def test_hidden_notes_do_not_count_in_changes_or_personas(samples):
    session = with_secrets(samples["second"])
    outline = build(session, previous=samples["first"])
    assert outline.changes == build(samples["second"], previous=samples["first"]).changes
    assert outline.personas == build(samples["second"]).personas


# ------------------------------------------------------------------------------------------
# Language


def test_exports_follow_the_language(samples):
    session = samples["second"]
    md = render(session, "md", lang="cy").decode("utf-8")
    assert t("export_focal_question", "cy") in md
    assert t("export_top_voted", "cy") in md
    welsh_titles = [a.title_cy for a in session.anchors.values() if a.title_cy]
    for title in welsh_titles:
        assert plain(title) in unescape_md(md)
    if session.title_cy:
        assert md.startswith(f"# {markdown.inline(session.title_cy)}\n")
    page = render(session, "html", lang="cy").decode("utf-8")
    assert html.escape(t("export_outline", "cy")) in page
    assert '<html lang="cy' in page


def test_export_keys_are_in_the_english_catalogue():
    from canvas.format.i18n import catalogue

    files = (ROOT / "canvas/view/export").glob("*.py")
    code = "\n".join(p.read_text(encoding="utf-8") for p in files)
    used = set(re.findall(r"""\bt\(\s*f?["'](export_[a-z0-9_]+)["']""", code))
    used |= {f"export_{w}" for w in ("notes", "votes", "anchors")}
    assert used
    assert used <= set(catalogue("en"))


# ------------------------------------------------------------------------------------------
# The dispatcher and the bundle


def test_export_writes_to_a_folder_with_the_default_name(samples, tmp_path):
    session = samples["second"]
    assert default_name(session, "md") == "wales-2022-02-2022-04-21.md"
    seen = []
    path = export(session, "md", tmp_path, progress=lambda f, m: seen.append((f, m)))
    assert path == tmp_path / "wales-2022-02-2022-04-21.md"
    assert path.read_text(encoding="utf-8").startswith("# ")
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(isinstance(m, str) and m for _, m in seen)


def test_an_unknown_format_is_refused(samples, tmp_path):
    with pytest.raises(ValueError, match="unknown export format"):
        export(samples["second"], "docx", tmp_path)


def test_the_bundle_holds_every_format(samples, tmp_path):
    session = samples["second"]
    seen = []
    path = export(
        session, "bundle", tmp_path, previous=samples["first"], progress=lambda f, m: seen.append(f)
    )
    assert path.name == "wales-2022-02-2022-04-21.zip"
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"wales-2022-02-2022-04-21.{ext}" for ext in FORMATS)
        files = {name.rsplit(".", 1)[1]: archive.read(name) for name in names}
    assert all(files.values())
    assert files["png"].startswith(b"\x89PNG") and files["pdf"].startswith(b"%PDF-")
    assert store.loads(files["yaml"]) == session
    ET.fromstring(files["svg"])
    assert "Changes since iteration 1" in files["md"].decode("utf-8")
    assert csvtable.loads(files["csv"].decode("utf-8")) == {n.id: n for n in visible(session)}
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_a_session_without_workshop_or_date_is_still_named(samples):
    session = replace(samples["second"], workshop="", date="", id="Odd.Id_1")
    name = default_name(session, "bundle")
    assert re.fullmatch(r"odd-id-1-02-\d{4}-\d{2}-\d{2}\.zip", name)


# ------------------------------------------------------------------------------------------
# The command line


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="horizons")
    export_cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_exports_and_finds_the_previous_iteration(home, capsys):
    session = home / "sessions" / "wales-2022" / "02-steering-review.yaml"
    assert run_cli(["export", str(session), "--format", "md"]) == 0
    out = capsys.readouterr().out
    written = home / "wales-2022-02-2022-04-21.md"
    assert f"wrote {written}" in out
    assert "## Changes since iteration 1" in written.read_text(encoding="utf-8")

    first = home / "sessions" / "wales-2022" / "01-user-research.yaml"
    assert run_cli(["export", str(first), "-f", "md", "-o", str(home / "one.md")]) == 0
    assert "Changes since" not in (home / "one.md").read_text(encoding="utf-8")


def test_cli_bundle_into_a_folder(home, capsys):
    session = home / "sessions" / "wales-2022" / "02-steering-review.yaml"
    out_dir = home / "out"
    out_dir.mkdir()
    assert run_cli(["export", str(session), "--bundle", "-o", str(out_dir), "--lang", "cy"]) == 0
    zipped = out_dir / "wales-2022-02-2022-04-21.zip"
    with zipfile.ZipFile(zipped) as archive:
        assert len(archive.namelist()) == len(FORMATS)


def test_cli_writes_text_to_standard_output(home, capsysbinary):
    session = home / "sessions" / "wales-2022" / "02-steering-review.yaml"
    assert run_cli(["export", str(session), "-f", "csv", "-o", "-"]) == 0
    out = capsysbinary.readouterr().out
    assert csvtable.loads(out.decode("utf-8")) == {n.id: n for n in visible(store.load(session))}


def test_cli_input_errors_exit_1_without_a_traceback(home, capsys):
    missing = home / "nope.yaml"
    assert run_cli(["export", str(missing), "-f", "md"]) == 1
    err = capsys.readouterr().err
    assert "nope.yaml" in err and "Traceback" not in err

    bad = home / "bad.yaml"
    bad.write_text("format: three-horizons-session\nschema_version: [\n", encoding="utf-8")
    assert run_cli(["export", str(bad), "-f", "md"]) == 1
    assert "Traceback" not in capsys.readouterr().err

    session = home / "sessions" / "wales-2022" / "02-steering-review.yaml"
    assert run_cli(["export", str(session), "-f", "md", "-o", str(home / "no/such/x.md")]) == 1
    assert "no such folder" in capsys.readouterr().err

    before = session.read_bytes()
    assert run_cli(["export", str(session), "-f", "md", "-o", str(session)]) == 1
    assert "overwrite the session" in capsys.readouterr().err
    assert session.read_bytes() == before


def test_cli_usage_errors_exit_2(home, capsys):
    session = home / "sessions" / "wales-2022" / "02-steering-review.yaml"
    for argv in (
        ["export", str(session)],
        ["export", str(session), "-f", "docx"],
        ["export", str(session), "-f", "md", "--bundle"],
        ["export", str(session), "-f", "md", "--lang", "fr"],
    ):
        with pytest.raises(SystemExit) as exc:
            run_cli(argv)
        assert exc.value.code == 2


def test_cli_reports_progress_only_when_slow():
    stream = io.StringIO()
    progress = export_cli.StderrProgress(stream, delay=0.0)
    progress(0.5, "Drawing the board")
    progress(0.51, "Drawing the board")  # same tenth, same message: not repeated
    progress(1.0, "Done")
    assert stream.getvalue().splitlines() == ["export:  50% Drawing the board", "export: 100% Done"]
    quiet = io.StringIO()
    progress = export_cli.StderrProgress(quiet, delay=60.0)
    progress(0.5, "Drawing the board")
    assert quiet.getvalue() == ""


def test_cli_warns_and_goes_on_when_the_previous_iteration_is_unreadable(home, capsys):
    folder = home / "sessions" / "wales-2022"
    (folder / "01-user-research.yaml").write_text("not: [valid\n", encoding="utf-8")
    assert run_cli(["export", str(folder / "02-steering-review.yaml"), "-f", "md"]) == 0
    captured = capsys.readouterr()
    assert "leaving out the changes since 01-user-research.yaml" in captured.err
    assert "Traceback" not in captured.err


def test_welsh_exports_name_the_innovation_profiles_in_welsh(samples):
    session = samples["second"]
    note_id = next(iter(sorted(session.notes)))
    notes = {**session.notes, note_id: replace(session.notes[note_id], personas=("pe-visionary",))}
    linked = replace(session, notes=notes)
    welsh = render(linked, "md", lang="cy").decode("utf-8")
    english = render(linked, "md", lang="en").decode("utf-8")
    assert "**Gweledydd**" in welsh and "Visionary" not in welsh
    assert "**Visionary**" in english


def test_welsh_exports_are_welsh_throughout(samples):
    first, second = samples["first"], samples["second"]
    welsh = render(second, "md", lang="cy", previous=first).decode("utf-8")
    changes = welsh.split("## Newidiadau")[1].split("\n## ")[0]
    lines = [line for line in changes.splitlines() if line.startswith("- ")]
    assert lines, "the sample's second iteration changed some anchors"
    for line in lines:
        assert not re.search(r"\b(notes?|moved|added|removed|edited|anchor)\b", line), line
    assert any("nodyn" in line for line in lines)
    svg = render(second, "svg", lang="cy").decode("utf-8")
    assert "Nawr → Dyfodol" in svg and "Now → Future" not in svg
    assert "Cyffredinrwydd" in svg and "Prevalence" not in svg
    page = render(second, "html", lang="cy").decode("utf-8")
    # The HTML board's labels are Bokeh's JSON in a script, where → is an escaped \u2192.
    assert re.search(r"Nawr \\+u2192 Dyfodol", page) and not re.search(r"Now \\+u2192", page)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_long_title_never_runs_into_the_posters_meta_lines(samples, lang):
    from canvas.view.export.postertext import width

    title = "Adolygiad y grŵp llywio ar ôl y gweithdy profi yng Nghaerdydd a Wrecsam " * 2
    session = replace(samples["second"], title=title, title_cy=title)
    picture = poster.draw(build(session, lang=lang))
    head, meta = picture.scene.items[0], picture.scene.items[1]
    assert meta.align == "right" and head.bold
    title_right = head.x + max(width(line, head.size, bold=True) for line in head.lines)
    meta_left = meta.x - max(width(line, meta.size) for line in meta.lines)
    assert title_right < meta_left
    assert squash("".join(head.lines)).rstrip("…") in squash(title)


def _pdf_string(data: bytes, key: bytes) -> str:
    """The string value of ``key`` (b"/Alt"): a hex string in UTF-16 (``<feff...>``), or a
    literal one in plain ASCII; what a PDF reader hands a screen reader."""
    # A literal string runs to the end of its line (fpdf2 writes one entry a line).
    found = re.search(re.escape(key) + rb" *(?:<([0-9a-fA-F]+)>|\(([ -~]*)\)\r?\n)", data)
    assert found, key
    if found.group(1):
        raw = bytes.fromhex(found.group(1).decode())
        return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode()
    return found.group(2).decode().replace("\\(", "(").replace("\\)", ")")


def _pdfinfo(data: bytes, *flags: str) -> str:
    import shutil

    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    return subprocess.run(
        ["pdfinfo", *flags, "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_pdf_is_tagged_with_headings_in_reading_order_and_the_poster_described(samples, lang):
    data = render(samples["second"], "pdf", lang=lang, previous=samples["first"])
    assert "Tagged:          yes" in _pdfinfo(data)
    tree = [line.strip() for line in _pdfinfo(data, "-struct").splitlines()]
    assert tree[:3] == ["Document", "Figure", "H1 (block)"]  # the poster, then the title
    headings = [line for line in tree if line.startswith(("H2", "H3"))]
    assert len(headings) >= 3 + len(samples["second"].anchors)
    assert tree.count("P (block)") >= len(visible(samples["second"]))
    # The poster's alternative text and the document's language, as a screen reader gets them.
    alt = t("export_poster_alt", lang, title=build(samples["second"], lang=lang).title)
    assert _pdf_string(data, b"/Alt").startswith(alt)
    assert f"/Lang ({lang})".encode() in data
    text = _pdfinfo(data, "-struct-text")
    heading = text.split("H1 (block)")[1].splitlines()[1].strip().strip('"')
    assert heading == build(samples["second"], lang=lang).title
