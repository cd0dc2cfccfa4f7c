"""The README and docs are checked against the code, so they cannot drift from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from canvas.cli.main import build_parser
from canvas.domain import model
from canvas.domain.fields import table
from canvas.format.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
ARCHITECTURE = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
# The rooms, one bullet a module; the walk of a note after them may name modules again.
ROOMS = ARCHITECTURE.split("## How a note travels")[0]
FORMAT = (ROOT / "docs" / "FORMAT.md").read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    following = text.find("\n## ", start + len(heading))
    return text[start : following if following != -1 else len(text)]


def _subcommands() -> set[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return set(action.choices)


def test_every_subcommand_is_in_the_readme_and_no_line_twice():
    block = _section(README, "## The command line")
    lines = [line.strip() for line in block.splitlines() if line.startswith("    horizons ")]
    assert len(lines) == len(set(lines)), "a command line is listed twice"
    assert {line.split()[1] for line in lines} == _subcommands()


def test_every_benchmark_script_is_listed_once():
    scripts = sorted(p.name for p in (ROOT / "tests" / "benchmarks").glob("bench_*.py"))
    block = _section(README, "## Benchmarks")
    for name in scripts:
        assert block.count(f"tests/benchmarks/{name}") == 1, name


def _modules() -> list[str]:
    found = []
    for path in sorted((ROOT / "canvas").rglob("*.py")):
        if path.name in ("__init__.py", "__main__.py"):
            continue
        found.append(path.relative_to(ROOT).as_posix())
    return found


def _named(path: str) -> int:
    """How often ARCHITECTURE.md names a module: by its path, or by its file name in the
    bullet of its folder (``- `canvas/view/export/`: `outline.py`, ...``)."""
    folder, name = path.rsplit("/", 1)
    count = ROOMS.count(f"`{path}`")
    for bullet in ROOMS.split("\n- "):
        if bullet.startswith(f"`{folder}/`"):
            count += bullet.count(f"`{name}`")
    return count


def test_architecture_names_every_module_once():
    missing = [m for m in _modules() if _named(m) == 0]
    twice = [m for m in _modules() if _named(m) > 1]
    assert not missing, f"not in docs/ARCHITECTURE.md: {missing}"
    assert not twice, f"named more than once in docs/ARCHITECTURE.md: {twice}"


def test_every_path_the_docs_name_exists():
    for text in (ARCHITECTURE, README):
        for path in re.findall(r"`((?:canvas|tests|docs|sessions|scripts)/[^`*<\s]*)`", text):
            assert (ROOT / path).exists(), path


_RECORDS = {
    "settings": model.Settings,
    "anchor": model.Anchor,
    "note": model.Note,
    "persona": model.Persona,
    "comment": model.Comment,
    "facilitation": model.Facilitation,
    "voting": model.Voting,
}


@pytest.mark.parametrize("heading", sorted(_RECORDS))
def test_format_md_names_every_field_of_each_record(heading):
    block = _section(FORMAT, f"## {heading}")
    named = set(re.findall(r"`([a-z0-9_]+)`", block))
    fields = {f.name for f in table(_RECORDS[heading]) if f.name != "id"}
    assert fields <= named, f"{heading}: missing {sorted(fields - named)}"
    assert not {n for n in named if n.endswith("_cy")} - fields


def test_format_md_lists_the_top_level_keys_in_order():
    block = _section(FORMAT, "## Top level, in order")
    rows = [line.split("|")[1] for line in block.splitlines() if line.startswith("| `")]
    shown = [key for cell in rows for key in re.findall(r"`([a-z_]+)`", cell)]
    assert shown == ["format", "schema_version"] + [f.name for f in table(model.Session)]


def test_format_md_is_about_the_current_version():
    assert f"(schema version {SCHEMA_VERSION})" in FORMAT.splitlines()[0]
    assert f"`schema_version: {SCHEMA_VERSION}`" in FORMAT


def test_every_schema_version_the_docs_name_is_the_current_one():
    for name, text in (("README.md", README), ("docs/FORMAT.md", FORMAT.splitlines()[0])):
        named = {int(n) for n in re.findall(r"schema version (\d+)", text)}
        assert named == {SCHEMA_VERSION}, f"{name} names schema version {sorted(named)}"


def test_module_docstrings_name_the_current_schema_version():
    schema = (ROOT / "canvas" / "format" / "schema.py").read_text(encoding="utf-8")
    assert "Schema version 1" not in schema
    assert f"SCHEMA_VERSION = {SCHEMA_VERSION}" in schema
