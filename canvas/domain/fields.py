"""Each record's fields, declared once, with what every reader of them needs to know.

A record (a note, an anchor, a session...) is a frozen dataclass whose fields are made with
:func:`spec`. The metadata says how the value is written and checked in a file (``kind``),
which schema version introduced it (``since``), what a page receives it as (``wire``), and how
the merge treats it (``unit``, ``bookkeeping``). The file reader and writer, the wire view,
the CSV table and the merge all read these tables, so a new field is one line here plus its
migration.

Kinds (checked by :mod:`canvas.format.checks`): ``id``, ``text``, ``unit`` (0..1), ``count``
(>= 0), ``positive`` (>= 1), ``flag``, ``date``, ``time``, ``ids``, ``tags``, ``horizon``,
``polarity``, ``colour`` (a palette name), ``palette``, ``prompts``, ``meta``, the choices
``anchor_kind``, ``persona_group``, ``persona_type``, ``step``; a ``?`` suffix allows the empty
value (``""`` or None); and the structures ``record`` (one nested record), ``items`` (records
keyed by id), ``ballots`` (voter id -> ballot) and ``dots`` (note id -> dots).
"""

from __future__ import annotations

import dataclasses
from dataclasses import MISSING, dataclass
from typing import Any


class _Required:
    """The default of a field that a file must give."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """What one field is, for everyone who reads or writes it."""

    name: str
    kind: str
    since: int = 1
    wire: str | None = ""
    unit: str = ""
    bookkeeping: bool = False
    of: type | None = None
    default: Any = REQUIRED

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def wire_name(self) -> str | None:
        """The field's name in a page's view of the record (None: never sent)."""
        return None if self.wire is None else (self.wire or self.name)


def spec(
    kind: str,
    default: Any = MISSING,
    *,
    factory: Any = MISSING,
    since: int = 1,
    wire: str | None = "",
    unit: str = "",
    bookkeeping: bool = False,
    of: type | None = None,
) -> Any:
    """A dataclass field that carries its :class:`FieldSpec` (name and default filled in by
    :func:`table`)."""
    meta = {"spec": (kind, since, wire, unit, bookkeeping, of)}
    return dataclasses.field(default=default, default_factory=factory, metadata=meta)


_TABLES: dict[type, tuple[FieldSpec, ...]] = {}


def table(record: type) -> tuple[FieldSpec, ...]:
    """The fields of a record class, in order, each with its :class:`FieldSpec`."""
    found = _TABLES.get(record)
    if found is None:
        found = _TABLES[record] = _table(record)
    return found


def _table(record: type) -> tuple[FieldSpec, ...]:
    out = []
    for f in dataclasses.fields(record):
        kind, since, wire, unit, bookkeeping, of = f.metadata["spec"]
        if f.default is not MISSING:
            default = f.default
        elif f.default_factory is not MISSING:
            default = f.default_factory()
        else:
            default = REQUIRED
        out.append(FieldSpec(f.name, kind, since, wire, unit, bookkeeping, of, default))
    return tuple(out)


def newer_than(record: type, version: int) -> tuple[FieldSpec, ...]:
    """The fields a file of schema ``version`` may not hold yet (introduced later)."""
    return tuple(f for f in table(record) if f.since > version)
