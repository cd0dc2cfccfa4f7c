"""Interface strings, one JSON catalogue per language under ``canvas/format/locales``.

Every string the interface shows comes from a catalogue, so a language is added by adding a
file, and a test can prove that no key is missing in any language.

A string that counts something is an object of plural forms keyed by CLDR category
(``{"one": "{n} note", "other": "{n} notes"}``; Welsh uses zero, one, two, few, many and
other), and the count is always the parameter ``n``. The category comes from Babel's CLDR
rules here and from ``Intl.PluralRules`` in the browser: the same data, never a rule by hand.

The names of the template's personas are catalogue strings too (``persona_<id>``), so a
session file need not carry them in every language; see :func:`persona_name`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from babel import Locale

from canvas.domain.model import Persona

LOCALES = Path(__file__).resolve().parent / "locales"
DEFAULT = "en"

Entry = str | dict[str, str]


@cache
def languages() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in LOCALES.glob("*.json")))


def _known(lang: str) -> str:
    return lang if lang in languages() else DEFAULT


@cache
def catalogue(lang: str = DEFAULT) -> dict[str, Entry]:
    """The strings of one language, falling back to English for an unknown language."""
    return json.loads((LOCALES / f"{_known(lang)}.json").read_text(encoding="utf-8"))


@cache
def _plural_rule(lang: str):
    return Locale.parse(lang).plural_form


def plural_category(lang: str, n: object) -> str:
    """The CLDR plural category of ``n`` in ``lang``: zero, one, two, few, many or other."""
    if isinstance(n, bool) or not isinstance(n, int | float):
        return "other"
    return _plural_rule(_known(lang))(abs(n))


def t(key: str, lang: str = DEFAULT, **params: object) -> str:
    """One string, ``{name}`` placeholders filled in; a plural entry picks its form by ``n``."""
    entry = catalogue(lang).get(key, key)
    if isinstance(entry, dict):
        entry = entry.get(plural_category(lang, params.get("n")), entry["other"])
    text = entry
    for name, value in params.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def persona_name(persona: Persona, lang: str) -> str:
    """A persona's name in ``lang``: the catalogue's for a template persona, else as saved.

    The catalogue's name is used only while the saved name is still the template's English
    one, so a persona a facilitator renamed keeps the name they gave it.
    """
    key = "persona_" + persona.id.replace("-", "_")
    if catalogue(DEFAULT).get(key) != persona.name:
        return persona.name
    return t(key, lang)


def horizon_labels() -> dict[str, list[str]]:
    """Each horizon's label on the board ("H1 · where we are now") in every language.

    The layout gives a label the room of its longest translation, so the board is laid out
    the same in every language.
    """
    return {
        h: [f"{h} · {catalogue(lang)[h.lower() + '_name']}" for lang in languages()]
        for h in ("H1", "H2", "H3")
    }
