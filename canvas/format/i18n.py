"""Interface strings, one JSON catalogue per language under ``canvas/format/locales``.

Every string the interface shows comes from a catalogue, so a language is added by adding a
file, and a test can prove that no key is missing in any language.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parent / "locales"
DEFAULT = "en"


def languages() -> list[str]:
    return sorted(p.stem for p in LOCALES.glob("*.json"))


@cache
def catalogue(lang: str = DEFAULT) -> dict[str, str]:
    """The strings of one language, falling back to English for an unknown language."""
    if lang not in languages():
        lang = DEFAULT
    return json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))


def t(key: str, lang: str = DEFAULT, **params: object) -> str:
    """One string, with ``{name}`` placeholders filled in."""
    text = catalogue(lang).get(key, key)
    for name, value in params.items():
        text = text.replace("{" + name + "}", str(value))
    return text
