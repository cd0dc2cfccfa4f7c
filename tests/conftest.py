"""Shared fixtures: a temporary project home so no test touches the real ``sessions/``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sessions" / "wales-2022"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty project home with a copy of the sample workshop."""
    (tmp_path / "sessions").mkdir()
    shutil.copytree(SAMPLE, tmp_path / "sessions" / "wales-2022")
    monkeypatch.setenv("HORIZONS_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def first_iteration(home) -> Path:
    """Iteration 1 of the sample, alone in a workshop of its own (``sessions/first/``): the
    workshop's current iteration, on which participants write. (In the sample's own folder
    iteration 2 follows it, which leaves iteration 1 read-only for participants.)"""
    folder = home / "sessions" / "first"
    folder.mkdir()
    shutil.copy(SAMPLE / "01-user-research.yaml", folder)
    return folder / "01-user-research.yaml"


def pytest_collection_modifyitems(config, items):
    """The fast profile (``pytest -m "not slow"``) leaves out what takes seconds a test:
    browser tests (a server and Chromium), property tests (Hypothesis runs each a hundred
    times) and tests marked slow by hand (crash and convergence runs). CI runs everything."""
    for item in items:
        in_browser = "browser" in item.path.parts
        is_property = getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
        if in_browser:
            item.add_marker(pytest.mark.browser)
        if in_browser or is_property:
            item.add_marker(pytest.mark.slow)
