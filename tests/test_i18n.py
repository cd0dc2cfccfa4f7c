"""Every interface string comes from a catalogue, and every catalogue has every key."""

from __future__ import annotations

import json
import re
from pathlib import Path

from canvas.domain.model import ANCHOR_KINDS, DEFAULT_PALETTE, HORIZONS
from canvas.format.i18n import catalogue, languages, t

ROOT = Path(__file__).resolve().parent.parent
JS = (ROOT / "canvas/view/static/board.js").read_text(encoding="utf-8")


def used_keys() -> set[str]:
    keys = set(re.findall(r'\bt\("([a-z0-9_]+)"\)', JS))
    keys |= set(re.findall(r'\bt\("([a-z0-9_]+)", \{', JS))
    keys |= {f"kind_{k}" for k in ANCHOR_KINDS}
    keys |= {f"colour_{c}" for c in DEFAULT_PALETTE}
    keys |= {f"{h.lower()}_name" for h in HORIZONS}
    return keys


def test_board_uses_only_catalogued_strings():
    missing = used_keys() - set(catalogue("en"))
    assert not missing


def test_every_language_has_every_key():
    english = set(catalogue("en"))
    for lang in languages():
        data = json.loads((ROOT / f"canvas/format/locales/{lang}.json").read_text(encoding="utf-8"))
        assert set(data) == english, lang


def test_placeholders_are_filled():
    assert t("saved_at", time="12:03:41") == "Saved 12:03:41"
    assert t("no-such-key") == "no-such-key"


def test_board_builds_no_markup_from_strings():
    # User text and catalogue text go through textContent/setAttribute only.
    code = "\n".join(line for line in JS.splitlines() if not line.lstrip().startswith("//"))
    assert "innerHTML" not in code
    assert "insertAdjacentHTML" not in code
    assert "outerHTML" not in code
