"""The checker of each field kind (see :mod:`canvas.domain.fields`): a file's value in, the
model's value out, or :class:`Invalid` with a message a person can act on."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from canvas.domain.model import (
    ANCHOR_KINDS,
    COLOUR_PATTERN,
    HORIZONS,
    ID_PATTERN,
    PERSONA_GROUPS,
    PERSONA_TYPES,
    POLARITIES,
    STEPS,
    has_unsaveable,
)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z")


class Invalid(Exception):
    """A value that does not fit its field."""


def show(value: Any) -> str:
    """A short, safe rendering of a bad value for an error message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def text(v: Any) -> str:
    if type(v) is not str:
        raise Invalid(f"expected text, got {show(v)}")
    if has_unsaveable(v):
        raise Invalid("text holds control characters or lone surrogates")
    return v


def ident(v: Any) -> str:
    if type(v) is not str or not ID_PATTERN.fullmatch(v):
        raise Invalid(f"expected an id (letters, digits, '-', '_', '.'), got {show(v)}")
    return v


def one_of(options: tuple[str, ...]) -> Callable[[Any], str]:
    allowed = frozenset(options)
    listed = ", ".join(options)

    def check(v: Any) -> str:
        if type(v) is not str or v not in allowed:
            raise Invalid(f"expected one of {listed}, got {show(v)}")
        return v

    return check


def unit(v: Any) -> float:
    if type(v) is float and 0.0 <= v <= 1.0:
        return v
    if type(v) is int and 0 <= v <= 1:
        return float(v)
    if type(v) is float and not math.isfinite(v):
        raise Invalid(f"expected a finite number from 0 to 1, got {show(v)}")
    raise Invalid(f"expected a number from 0 to 1, got {show(v)}")


def count(v: Any) -> int:
    if type(v) is not int or v < 0:
        raise Invalid(f"expected a whole number >= 0, got {show(v)}")
    return v


def positive(v: Any) -> int:
    if type(v) is not int or v < 1:
        raise Invalid(f"expected a whole number >= 1, got {show(v)}")
    return v


def flag(v: Any) -> bool:
    if type(v) is not bool:
        raise Invalid(f"expected true or false, got {show(v)}")
    return v


def date(v: Any) -> str:
    if type(v) is not str or (v and not _DATE.fullmatch(v)):
        raise Invalid(f"expected a date like 2022-03-01, got {show(v)}")
    return v


def time(v: Any) -> str:
    if type(v) is not str or (v and not _TIME.fullmatch(v)):
        raise Invalid(f"expected a UTC time like 2022-03-01T10:00:00Z, got {show(v)}")
    return v


def ids(v: Any) -> tuple[str, ...]:
    if type(v) is not list:
        raise Invalid(f"expected a list of ids, got {show(v)}")
    return tuple(ident(x) for x in v)


def tags(v: Any) -> tuple[str, ...]:
    if type(v) is not list:
        raise Invalid(f"expected a list of tags, got {show(v)}")
    for x in v:
        if type(x) is not str or not x or has_unsaveable(x):
            raise Invalid(f"expected a list of tags (short text), got {show(x)}")
    return tuple(v)


def polarity(v: Any) -> str | None:
    if v is None:
        return None
    if v not in POLARITIES:
        raise Invalid(f"expected + or -, got {show(v)}")
    return v


def colour_hex(v: Any) -> str:
    if type(v) is not str or not COLOUR_PATTERN.fullmatch(v):
        raise Invalid(f"expected a colour like #ffeeaa, got {show(v)}")
    return v


def palette(v: Any) -> dict[str, str]:
    if type(v) is not dict or not v:
        raise Invalid(f"expected a mapping of colour names to #rrggbb, got {show(v)}")
    return {ident(k): colour_hex(c) for k, c in v.items()}


def prompts(v: Any) -> dict[str, str]:
    if type(v) is not dict:
        raise Invalid(f"expected a mapping of H1, H2, H3 to text, got {show(v)}")
    horizon = one_of(HORIZONS)
    return {horizon(k): text(t) for k, t in v.items()}


def meta(v: Any) -> dict:
    if type(v) is not dict:
        raise Invalid(f"expected a mapping, got {show(v)}")
    _plain(v)
    return v


def _plain(v: Any) -> None:
    if isinstance(v, dict):
        for k, x in v.items():
            if type(k) is not str:
                raise Invalid(f"keys must be text, got {show(k)}")
            _plain(x)
    elif isinstance(v, list):
        for x in v:
            _plain(x)
    elif isinstance(v, str):
        text(v)
    elif isinstance(v, float) and not math.isfinite(v):
        raise Invalid(f"expected a finite number, got {show(v)}")


CHECKS: dict[str, Callable[[Any], Any]] = {
    "id": ident,
    "text": text,
    "unit": unit,
    "count": count,
    "positive": positive,
    "flag": flag,
    "date": date,
    "time": time,
    "ids": ids,
    "tags": tags,
    "horizon": one_of(HORIZONS),
    "polarity": polarity,
    "colour": ident,
    "palette": palette,
    "prompts": prompts,
    "meta": meta,
    "anchor_kind": one_of(ANCHOR_KINDS),
    "persona_group": one_of(PERSONA_GROUPS),
    "persona_type": one_of(PERSONA_TYPES),
    "step": one_of(STEPS),
}
