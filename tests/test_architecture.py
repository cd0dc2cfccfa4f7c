"""Imports run one way, downwards: the domain and the format never load a UI library."""

from __future__ import annotations

import subprocess
import sys

LOWER = [
    "canvas.model",
    "canvas.horizons",
    "canvas.diff",
    "canvas.schema",
    "canvas.migrations",
    "canvas.store",
    "canvas.safeyaml",
    "canvas.templates",
    "canvas.paths",
    "canvas.diffreport",
    "canvas.compare",
    "canvas.matching",
    "canvas.merge",
    "canvas.breakout",
    "canvas.trend_data",
    "canvas.cli",
]


def test_domain_and_format_load_no_ui_library():
    code = (
        "import sys\n"
        f"for name in {LOWER!r}:\n"
        "    __import__(name)\n"
        "ui = ('panel', 'holoviews', 'bokeh')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ui)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_domain_imports_only_the_standard_library():
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import canvas.model, canvas.horizons, canvas.diff\n"
        "import canvas.compare, canvas.matching, canvas.merge\n"
        "third = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "third -= set(sys.stdlib_module_names) | {'canvas'}\n"
        "print(','.join(sorted(third)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
