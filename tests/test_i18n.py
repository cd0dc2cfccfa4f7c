"""Every interface string comes from a catalogue, and every catalogue has every key."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from canvas.domain.model import ANCHOR_KINDS, DEFAULT_PALETTE, HORIZONS
from canvas.format.i18n import catalogue, languages, plural_category, t

ROOT = Path(__file__).resolve().parent.parent
JS = "\n".join(
    p.read_text(encoding="utf-8") for p in sorted((ROOT / "canvas/view/static/board").rglob("*.js"))
)


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


# ------------------------------------------------------------------------------------------
# Counted strings: CLDR plural forms

COUNTS = (0, 1, 2, 3, 6, 11)
CATEGORY = {
    "en": {0: "other", 1: "one", 2: "other", 3: "other", 6: "other", 11: "other"},
    "cy": {0: "zero", 1: "one", 2: "two", 3: "few", 6: "many", 11: "other"},
}
FORMS = {"en": {"one", "other"}, "cy": {"zero", "one", "two", "few", "many", "other"}}
OTHER_PARAMS = {"iteration": 4}
# A number followed by a counted noun is a counted string written as one form (the names of
# text parameters, such as {name}, are left out: they are not numbers).
TEXT_PARAMS = "name|title|text|reason|format|step|code|horizon|time|each|voted"
UNCOUNTED = re.compile(
    rf"\{{(?!(?:{TEXT_PARAMS})\}})\w+\}} (notes?|votes?|anchors?|people|person|iterations?|nodyn"
    r"|nodiadau|pleidlais|pleidleisiau|angor|angorau|pobl|cylch|cylchoedd)\b"
)


def counted(lang: str) -> dict[str, dict[str, str]]:
    return {k: v for k, v in catalogue(lang).items() if isinstance(v, dict)}


def test_every_counted_string_has_every_plural_form_of_its_language():
    assert set(counted("en")) == set(counted("cy"))
    assert {"votes_count", "notes_on", "selected_count", "export_notes"} <= set(counted("en"))
    for lang, forms in FORMS.items():
        for key, entry in counted(lang).items():
            assert set(entry) == forms, (lang, key)
            assert all("{n}" in text or text[0].isalpha() for text in entry.values()), key


def test_no_plain_string_counts_something():
    for lang in ("en", "cy"):
        for key, text in catalogue(lang).items():
            if isinstance(text, str):
                assert not UNCOUNTED.search(text), (lang, key, text)


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("n", COUNTS)
def test_every_counted_string_renders_the_form_of_its_count(lang, n):
    assert plural_category(lang, n) == CATEGORY[lang][n]
    for key, entry in counted(lang).items():
        expected = entry[CATEGORY[lang][n]].replace("{n}", str(n))
        expected = expected.replace("{iteration}", "4")
        assert t(key, lang, n=n, **OTHER_PARAMS) == expected, key


@pytest.mark.parametrize(
    ("key", "lang", "expected"),
    [
        ("votes_count", "en", ["0 votes", "1 vote", "2 votes", "3 votes", "6 votes", "11 votes"]),
        (
            "notes_on",
            "en",
            [f"{n} note{'' if n == 1 else 's'} placed here" for n in COUNTS],
        ),
        ("export_notes", "en", ["0 notes", "1 note", "2 notes", "3 notes", "6 notes", "11 notes"]),
        (
            "votes_count",
            "cy",
            [
                "0 pleidlais",
                "1 bleidlais",
                "2 bleidlais",
                "3 pleidlais",
                "6 phleidlais",
                "11 pleidlais",
            ],
        ),
        ("export_notes", "cy", [f"{n} nodyn" for n in COUNTS]),
        (
            "notes_on",
            "cy",
            [
                "Dim nodyn wedi'i osod yma",
                "1 nodyn wedi'i osod yma",
                "2 nodyn wedi'u gosod yma",
                "3 nodyn wedi'u gosod yma",
                "6 nodyn wedi'u gosod yma",
                "11 nodyn wedi'u gosod yma",
            ],
        ),
        (
            "people_voted",
            "cy",
            [
                "does neb wedi pleidleisio eto",
                "mae 1 person wedi pleidleisio",
                "mae 2 berson wedi pleidleisio",
                "mae 3 pherson wedi pleidleisio",
                "mae 6 pherson wedi pleidleisio",
                "mae 11 o bobl wedi pleidleisio",
            ],
        ),
    ],
)
def test_counted_strings_read_as_people_write_them(key, lang, expected):
    assert [t(key, lang, n=n) for n in COUNTS] == expected


def test_a_counted_string_without_a_count_takes_its_other_form():
    assert t("votes_count", "cy") == "{n} pleidlais"
    assert t("votes_count", "xx", n=1) == "1 vote"  # an unknown language falls back to English


def test_the_board_picks_plural_forms_with_cldr_rules_not_by_hand():
    # The board's t() lives in its i18n module (test_board_modules.py runs it in Node).
    i18n = (ROOT / "canvas/view/static/board/i18n.js").read_text(encoding="utf-8")
    body = i18n[i18n.index("export function translator") :]
    assert "new Intl.PluralRules(" in body
    assert ".select(Math.abs(params.n))" in body


def test_template_personas_are_named_in_welsh_unless_renamed():
    from dataclasses import replace

    from canvas.format.i18n import persona_name
    from canvas.format.templates import load_template

    personas = load_template("wales-2022").personas
    profiles = {p.id: p for p in personas.values() if p.type == "profile"}
    assert len(profiles) == 6
    welsh = {persona_name(p, "cy") for p in profiles.values()}
    assert welsh == {
        "Croesbeilliwr",
        "Arbrofwr",
        "Rhwydweithiwr",
        "Grym Pobl",
        "Datryswr Problemau",
        "Gweledydd",
    }
    assert {persona_name(p, "en") for p in profiles.values()} == {p.name for p in profiles.values()}
    renamed = replace(profiles["pe-visionary"], name="Big-picture thinker")
    assert persona_name(renamed, "cy") == "Big-picture thinker"
    voice = next(p for p in personas.values() if p.type != "profile")
    assert persona_name(voice, "cy") == voice.name
