"""The board's script is a set of small ES modules, loaded without a CDN or a build step."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from canvas.view import board

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted((ROOT / "canvas" / "view" / "static" / "board").rglob("*.js"))
IMPORT = re.compile(r'^import .* from "([^"]+)"', re.M)
LOADS = re.compile(r'\bimport\("([^"]+)"\)')  # a module loaded when it is needed


def _imports(text: str) -> list[str]:
    return IMPORT.findall(text) + LOADS.findall(text)


def test_the_board_is_split_into_modules_none_over_400_lines():
    assert len(MODULES) >= 10
    lines = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    assert not {name: n for name, n in lines.items() if n > 400}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(p.parents[1]).as_posix())
def test_a_module_imports_only_its_siblings_and_writes_no_html(path):
    text = path.read_text(encoding="utf-8")
    for target in _imports(text):
        assert target.startswith("."), f"{target}: a module loads only the board's own files"
        assert (path.parent / target).resolve().is_file(), target
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", text)


def test_every_module_is_used():
    imported = set()
    for path in MODULES:
        imported |= {(path.parent / t).resolve() for t in _imports(path.read_text("utf-8"))}
    entry = (ROOT / "canvas" / "view" / "static" / "board" / "main.js").resolve()
    assert {p.resolve() for p in MODULES} - imported == {entry}


def test_the_import_map_names_this_version_of_the_modules_relative_to_the_page():
    address = board.Board._importmap["imports"]["thc-board/"]
    assert address == f"./{board.MODULE_ROUTE}/{board.VERSION}/"
    assert re.fullmatch(r"[0-9a-f]{12}", board.VERSION)
    pattern, _handler, options = board.module_route()
    assert re.fullmatch(pattern, f"/{board.MODULE_ROUTE}/{board.VERSION}/main.js")
    assert Path(options["path"]) == board.MODULES


NODE = shutil.which("node")
I18N = ROOT / "canvas" / "view" / "static" / "board" / "i18n.js"


def _translate(strings: dict, lang: str, calls: list) -> list[str]:
    """What the board's t() answers, run by Node on the module itself."""
    script = (
        f"import({json.dumps(I18N.as_uri())}).then(({{translator}}) => {{"
        f" const t = translator({json.dumps(strings)}, {json.dumps(lang)});"
        f" console.log(JSON.stringify({json.dumps(calls)}.map(([k, p]) => t(k, p)))) }})"
    )
    assert NODE, "these tests need Node (npm installs the test tools with it)"
    done = subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_t_fills_placeholders_and_chooses_plural_forms_in_english_and_welsh():
    strings = {"notes": {"one": "{n} note", "other": "{n} notes"}, "hello": "Hello {name}"}
    calls = [["notes", {"n": 1}], ["notes", {"n": 3}], ["hello", {"name": "Alys"}], ["x", {}]]
    assert _translate(strings, "en", calls) == ["1 note", "3 notes", "Hello Alys", "x"]
    forms = ("zero", "one", "two", "few", "many", "other")
    welsh = {"notes": {form: f"{{n}} {form}" for form in forms}}
    counts = (0, 1, 2, 3, 6, 7)  # one of each Welsh plural form, in CLDR's order
    calls = [["notes", {"n": n}] for n in counts]
    expected = [f"{n} {form}" for n, form in zip(counts, forms, strict=True)]
    assert _translate(welsh, "cy", calls) == expected
