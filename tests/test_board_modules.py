"""The board's script is a set of small ES modules, loaded without a CDN or a build step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from canvas.view import board

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted((ROOT / "canvas" / "view" / "static" / "board").rglob("*.js"))
IMPORT = re.compile(r'^import .* from "([^"]+)"', re.M)


def test_the_board_is_split_into_modules_none_over_400_lines():
    assert len(MODULES) >= 10
    lines = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    assert not {name: n for name, n in lines.items() if n > 400}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(p.parents[1]).as_posix())
def test_a_module_imports_only_its_siblings_and_writes_no_html(path):
    text = path.read_text(encoding="utf-8")
    for target in IMPORT.findall(text):
        assert target.startswith("."), f"{target}: a module loads only the board's own files"
        assert (path.parent / target).resolve().is_file(), target
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", text)


def test_every_module_is_used():
    imported = set()
    for path in MODULES:
        imported |= {(path.parent / t).resolve() for t in IMPORT.findall(path.read_text("utf-8"))}
    entry = (ROOT / "canvas" / "view" / "static" / "board" / "main.js").resolve()
    assert {p.resolve() for p in MODULES} - imported == {entry}


def test_the_import_map_names_this_version_of_the_modules_relative_to_the_page():
    address = board.Board._importmap["imports"]["thc-board/"]
    assert address == f"./{board.MODULE_ROUTE}/{board.VERSION}/"
    assert re.fullmatch(r"[0-9a-f]{12}", board.VERSION)
    pattern, _handler, options = board.module_route()
    assert re.fullmatch(pattern, f"/{board.MODULE_ROUTE}/{board.VERSION}/main.js")
    assert Path(options["path"]) == board.MODULES
