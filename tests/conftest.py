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
