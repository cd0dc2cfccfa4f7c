"""Checking the values inside an operation: nothing a browser sends is trusted.

Each checker takes the raw value (or the operation and a key), returns the clean value, or
raises :class:`OpError` with a message the sender can read.
"""

from __future__ import annotations

import math
from typing import Any

from canvas.domain.model import ID_PATTERN, Anchor, Note, Session, clean_text

MAX_TITLE = 120
MAX_SUMMARY = 1000
MAX_BATCH = 500
MAX_NAME = 40
MAX_BUDGET = 50
MAX_COMMENT = 2000
MAX_COMMENTS = 500  # per board: each page holds them all, and every reviewer reads them
GONE = "no such note (it may have been deleted)"


class OpError(ValueError):
    """An operation refused; the message is shown to the person who sent it.

    ``code`` names the few reasons a page explains in its own language and keeps a note as a
    draft for (``locked``, ``ended``, ``moving``, ``step``, ``budget``, ``max_notes``); "" for
    the rest.
    """

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


def number(op: dict, key: str) -> float:
    """A finite number on the board: 0 to 1."""
    value = op.get(key)
    if type(value) not in (int, float) or not math.isfinite(value) or not 0 <= value <= 1:
        raise OpError(f"{key} must be a number from 0 to 1")
    return float(value)


def text(op: dict, key: str, limit: int, *, allow_empty: bool = True) -> str:
    """Text cleaned of what cannot be saved, within ``limit`` characters."""
    value = op.get(key)
    if type(value) is not str:
        raise OpError(f"{key} must be text")
    value = clean_text(value)
    if len(value) > limit:
        raise OpError(f"{key} is {len(value)} characters long; the limit is {limit}")
    if not allow_empty and not value.strip():
        raise OpError(f"{key} must not be empty")
    return value


def new_id(op: dict, key: str, taken: dict) -> str:
    """A well-formed id that is not in use yet."""
    value = op.get(key)
    if type(value) is not str or not ID_PATTERN.fullmatch(value):
        raise OpError(f"{key} is not a valid id")
    if value in taken:
        raise OpError(f"the id {value!r} is taken")
    return value


def note(session: Session, value: Any) -> Note:
    found = session.notes.get(value) if type(value) is str else None
    if found is None:
        raise OpError(GONE)
    return found


def anchor(session: Session, value: Any) -> Anchor:
    found = session.anchors.get(value) if type(value) is str else None
    if found is None:
        raise OpError("no such anchor")
    return found


def choice(op: dict, key: str, options: tuple[str, ...]) -> str:
    value = op.get(key)
    if value not in options:
        raise OpError(f"{key} must be one of {', '.join(options)}")
    return value


def colour(session: Session, value: Any) -> str:
    if type(value) is not str or value not in session.settings.palette:
        raise OpError("colour must be one of the session palette")
    return value


def flag(op: dict, key: str) -> bool:
    value = op.get(key)
    if type(value) is not bool:
        raise OpError(f"{key} must be true or false")
    return value


def note_ids(session: Session, value: Any) -> list[str]:
    """Ids of existing notes, each once, at most :data:`MAX_BATCH`."""
    if type(value) is not list or not value or len(value) > MAX_BATCH:
        raise OpError(f"ids must be a list of 1 to {MAX_BATCH} note ids")
    return [note(session, v).id for v in dict.fromkeys(value)]


def lang_suffix(op: dict) -> str:
    """Which language's text an edit changes: English, or Welsh (``lang: cy``)."""
    lang = op.get("lang", "en")
    if lang not in ("en", "cy"):
        raise OpError("lang must be en or cy")
    return "_cy" if lang == "cy" else ""
