"""Imports run one way, downwards: cli > view > live > format > domain.

The contract itself is import-linter's (``[tool.importlinter]`` in pyproject.toml, run by CI
as ``lint-imports``); these tests prove that it holds today and that it would catch a
wrong-way import, including one hidden inside a function.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT, "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
    )


def test_the_layers_contract_holds():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("canvas/live/hub.py", "from canvas.view.pages import board_page"),
        ("canvas/format/store.py", "from canvas.live import ops"),
        ("canvas/domain/model.py", "import panel"),
        ("canvas/format/schema.py", "import tornado.web"),
        ("canvas/live/ops/voting.py", "def _later():\n    import bokeh\n"),
    ],
)
def test_a_wrong_way_import_breaks_the_contract(tmp_path, module, line):
    copy = tmp_path / "repo"
    copy.mkdir()
    shutil.copytree(ROOT / "canvas", copy / "canvas", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    result = _lint(copy)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_domain_imports_only_the_standard_library():
    """import-linter cannot say "standard library only"; every import of every domain
    module, at any depth, is read here instead."""
    allowed = set(sys.stdlib_module_names) | {"canvas", "__future__"}
    found = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "canvas" / "domain").rglob("*.py"))
        for name in _imports(path) - allowed
    }
    assert not found
