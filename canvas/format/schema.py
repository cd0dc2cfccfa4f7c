"""The mapping between a parsed YAML tree and a :class:`~canvas.domain.model.Session`,
driven by each record's field table (:mod:`canvas.domain.fields`).

Validation collects every problem, each with the dotted path of its field, instead of stopping
at the first: a facilitator fixing a hand-edited file should see all that is wrong at once. A
field newer than the file's declared ``schema_version`` is refused (a version-1 file cannot
hold comments). Writing builds the tree in the tables' order and leaves out every default, so
files stay short and their git diffs show only what people changed.
"""

from __future__ import annotations

from typing import Any

from canvas.domain.fields import FieldSpec, table
from canvas.domain.model import HORIZONS, Session
from canvas.domain.references import dangling
from canvas.format.checks import CHECKS, Invalid, ident, show

FORMAT = "three-horizons-session"
SCHEMA_VERSION = 4

# The longest note a session may allow: a board, its exports and its pages are made for
# sticky notes, and one note of megabytes takes minutes to draw.
MAX_TEXT_CEILING = 10_000

Path = tuple
Issue = tuple  # (path, message)
_HEADER = ("format", "schema_version")
_TARGETS = {"anchor": "anchor", "challenge_areas": "anchor", "personas": "persona"}
_TARGETS |= {"links": "persona", "notes": "note"}

__all__ = ["FORMAT", "SCHEMA_VERSION", "check_header", "from_tree", "show", "to_tree"]


# ---------------------------------------------------------------------------------------------
# Reading


class _Reader:
    """Reads records from a tree, collecting issues; ``declared`` is the file's own version."""

    def __init__(self, declared: int):
        self.declared = declared
        self.issues: list[Issue] = []

    def fail(self, path: Path, message: str) -> None:
        self.issues.append((path, message))

    def record(self, cls: type, data: Any, path: Path, skip: tuple = ()) -> dict | None:
        """The checked values of one mapping, by field name (None when it is not a mapping)."""
        if type(data) is not dict:
            self.fail(path, f"expected a mapping, got {show(data)}")
            return None
        fields = {f.name: f for f in table(cls)}
        out: dict[str, Any] = {}
        for key, value in data.items():
            f = fields.get(key)
            if key in skip:
                continue
            if f is None or (f.name == "id" and path):
                self.fail(path + (key,), "unknown field")
            elif f.since > self.declared:
                self.fail(
                    path + (key,),
                    f"this field is from schema_version {f.since}, but the file says"
                    f" schema_version {self.declared}",
                )
            else:
                out[key] = self.value(f, value, path + (key,))
        for f in fields.values():
            if f.required and f.name not in data and not (f.name == "id" and path):
                self.fail(path + (f.name,), "required field is missing")
        return out

    def value(self, f: FieldSpec, value: Any, path: Path) -> Any:
        kind = f.kind
        if kind.endswith("?"):
            if value == f.default:
                return value
            kind = kind[:-1]
        of: Any = f.of
        try:
            if kind == "record":
                values = self.record(of, value, path)
                return of(**values) if values is not None else f.default
            if kind == "items":
                return self.items(of, value, path)
            if kind == "ballots":
                return self.items(of, value, path, keyed="voter")
            if kind == "dots":
                return self.dots(value, path)
            return CHECKS[kind](value)
        except Invalid as exc:
            self.fail(path, str(exc))
            return f.default

    def items(self, cls: type, data: Any, path: Path, keyed: str = "id") -> dict:
        """An id-keyed mapping of records; an item with any problem is left out."""
        if type(data) is not dict:
            self.fail(path, f"expected a mapping of {keyed} to item, got {show(data)}")
            return {}
        with_id = any(f.name == "id" for f in table(cls))
        out = {}
        for key, item in data.items():
            try:
                ident(key)
            except Invalid as exc:
                self.fail(path + (key,), str(exc))
                continue
            before = len(self.issues)
            values = self.record(cls, item, path + (key,))
            if values is not None and len(self.issues) == before:
                out[key] = cls(id=key, **values) if with_id else cls(**values)
        return out

    def dots(self, data: Any, path: Path) -> dict[str, int]:
        if type(data) is not dict:
            raise Invalid(f"expected a mapping of note id to dots, got {show(data)}")
        out = {}
        for note_id, dots in data.items():
            if type(dots) is not int or dots < 1:
                self.fail(path + (note_id,), f"expected a whole number >= 1, got {show(dots)}")
            else:
                out[note_id] = dots
        return out


def check_header(tree: Any) -> list[Issue]:
    """Problems with the part of a file that says what it is and which version it has."""
    if type(tree) is not dict:
        return [((), f"expected a mapping at the top level, got {show(tree)}")]
    issues = []
    if tree.get("format") != FORMAT:
        got = show(tree["format"]) if "format" in tree else "nothing"
        issues.append((("format",), f"missing header: expected 'format: {FORMAT}', got {got}"))
    version = tree.get("schema_version")
    if type(version) is not int or version < 1:
        issues.append((("schema_version",), f"expected a whole number >= 1, got {show(version)}"))
    return issues


def from_tree(tree: dict, declared: int | None = None) -> tuple[Session | None, list[Issue]]:
    """Validate a current-version tree; returns the session, or None and every problem.

    ``declared`` is the version the file said it was before migration (by default the
    tree's own): fields introduced after it are refused.
    """
    issues = check_header(tree)
    if issues:
        return None, issues
    reader = _Reader(declared or tree["schema_version"])
    values = reader.record(Session, tree, (), skip=_HEADER) or {}
    issues = reader.issues
    try:
        session: Session | None = Session(**values)
    except TypeError:  # the id or the title is missing: reported already
        session = None
    if session is not None:
        issues += _cross_checks(session, tree)
    if issues:
        return None, issues
    return session, []


def _cross_checks(session: Session, tree: dict) -> list[Issue]:
    """References (by the one rule of :mod:`canvas.domain.references`, against every id in
    the file, valid or not), palette names and H2-only polarity."""
    known = {
        kind: set(tree[kind]) if type(tree.get(kind)) is dict else set()
        for kind in ("anchors", "notes", "personas")
    }
    issues = [
        (d.path, f"no {_TARGETS[d.field]} with id {show(d.target)}")
        for d in dangling(session, known)
    ]
    issues += _lengths(session)
    palette = session.settings.palette
    names = ", ".join(sorted(palette))
    for k, n in session.notes.items():
        if n.colour not in palette:
            issues.append(
                (("notes", k, "colour"), f"expected one of {names}, got {show(n.colour)}")
            )
        if n.polarity is not None and n.horizon != "H2":
            issues.append((("notes", k, "polarity"), "only H2 notes have a polarity (+ or -)"))
    return sorted(issues, key=_file_order(tree))


def _lengths(session: Session) -> list[Issue]:
    """Every note within the session's ``max_text``, as the live board keeps it, and that
    limit within :data:`MAX_TEXT_CEILING`."""
    limit = session.settings.max_text
    if limit > MAX_TEXT_CEILING:
        path = ("settings", "max_text")
        return [(path, f"expected a whole number from 1 to {MAX_TEXT_CEILING}, got {limit}")]
    return [
        (("notes", k, "text"), f"{len(n.text)} characters, over this session's max_text of {limit}")
        for k, n in session.notes.items()
        if len(n.text) > limit
    ]


def _file_order(tree: dict):
    """Sort issues as their items appear in the file (notes before personas...)."""
    sections = {name: i for i, name in enumerate(tree)}
    return lambda issue: (sections.get(issue[0][0], len(sections)), issue[0][1:2])


# ---------------------------------------------------------------------------------------------
# Writing


def _tree_value(f: FieldSpec, value: Any) -> Any:
    kind = f.kind
    if kind == "record":
        return record_tree(value)
    if kind in ("items", "ballots"):
        return {k: record_tree(value[k]) for k in sorted(value)}
    if kind in ("dots", "palette"):
        return dict(sorted(value.items()))
    if kind == "prompts":
        return {h: value[h] for h in HORIZONS if h in value}
    return value


def record_tree(item: Any) -> dict:
    """One record as a mapping: its fields in table order, defaults left out (an item's id
    is its key, not a field)."""
    out: dict[str, Any] = {}
    for f in table(type(item)):
        if f.name == "id" and not isinstance(item, Session):
            continue
        value = getattr(item, f.name)
        if f.required or value != f.default:
            out[f.name] = _tree_value(f, value)
    return out


def to_tree(s: Session) -> dict:
    """The canonical tree of a session: fixed key order, sorted ids, defaults left out."""
    return {"format": FORMAT, "schema_version": SCHEMA_VERSION, **record_tree(s)}
