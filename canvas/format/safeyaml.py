"""Reading untrusted YAML safely and fast, and writing canonical YAML of our own.

Reading walks libyaml's event stream once and builds plain Python values from it, refusing
what can hurt us before anything is composed: nesting deeper than a limit (libyaml's composer
recurses in C and kills the process on deep input), anchors and aliases (alias bombs),
tags other than the standard scalar and collection ones (code execution in unsafe loaders),
duplicate keys (PyYAML keeps the last one silently), and more than one document. Skipping
node composition also makes this faster than ``yaml.load(..., Loader=CSafeLoader)``.

Writing is ours too: the format is ours, so a small emitter writes canonical text directly,
several times faster than PyYAML's dumper, and the reader above reads back exactly what it wrote.
"""

from __future__ import annotations

import gc
import math
import re
from decimal import Decimal
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from canvas.format.problems import FormatError, Problem, field_name

MAX_DEPTH = 64
MAX_BYTES = 10 * 1024 * 1024

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_SCALAR_TAGS = {_TAG + name for name in ("int", "float", "bool", "null")}
_COLLECTION_TAGS = {_TAG + "map", _TAG + "seq"}

try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]  # not in __all__
except ImportError:  # PyYAML built without libyaml: slower, equally safe
    from yaml.loader import SafeLoader as _Parser  # type: ignore[assignment]

_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_DECIMAL_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+")
_NOT_FOUND = object()


def _resolve_plain(value: str) -> Any:
    """The value of an untagged plain scalar, as YAML 1.1 (and so PyYAML) reads it.

    Timestamps stay strings: the format stores times as ISO 8601 text.
    """
    if not value:
        return None
    if _DECIMAL_INT.fullmatch(value):
        return int(value)
    if _DECIMAL_FLOAT.fullmatch(value):
        return float(value)
    for tag, regexp in _RESOLVERS.get(value[0], ()):
        if regexp.match(value):
            name = tag[len(_TAG) :]
            if name == "null":
                return None
            if name in ("bool", "int", "float"):
                node = yaml.ScalarNode(tag, value)
                return getattr(_CONSTRUCTOR, "construct_yaml_" + name)(node)
            return value
    return value


def _resolve_scalar(event: ScalarEvent) -> Any:
    tag = event.tag
    if tag is None:
        if not event.style and event.implicit[0]:  # plain: None (Python parser) or "" (libyaml)
            return _resolve_plain(event.value)
        return event.value
    if tag == _STR:
        return event.value
    if tag in _SCALAR_TAGS:
        value = _resolve_plain(event.value)
        expected = tag[len(_TAG) :]
        actual = {type(None): "null", bool: "bool", int: "int", float: "float"}.get(type(value))
        if actual != expected and not (expected == "float" and actual == "int"):
            raise ValueError(f"{event.value!r} is not a valid !!{expected}")
        return float(value) if expected == "float" else value
    raise ValueError(f"the tag {tag!r} is not allowed")


def _position(mark) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def decode(data: bytes, source: str) -> str:
    """UTF-8 text of a file, or a problem that names the first bad byte's position."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FormatError(
            [Problem(source, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", "", line, column)]
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def read(
    text: str,
    source: str,
    *,
    max_depth: int = MAX_DEPTH,
    positions: dict | None = None,
) -> Any:
    """Parse one YAML document into dicts, lists and scalars, refusing hostile constructs.

    When ``positions`` is a dict, it is filled with ``path -> (line, column)`` for every
    value, which the caller uses to place validation errors; the fast path skips that work.
    """
    was_enabled = gc.isenabled()
    gc.disable()  # the tree is acyclic; collecting during the build only costs time
    try:
        try:
            return _read(text, source, max_depth, positions)
        except FormatError:
            if positions is not None:
                raise
            # The fast path does not track where it is, so a message that names a field (a
            # duplicate key) would name only its last part; read again, tracking, to say where.
            _read(text, source, max_depth, {})
            raise
    finally:
        if was_enabled:
            gc.enable()


def _read(text: str, source: str, max_depth: int, positions: dict | None) -> Any:  # noqa: C901
    # One loop over libyaml's events, branching on the event's class: splitting it into
    # functions would add a call per event to the hottest loop of every load.
    parser: Any = None
    event: Any = None

    def fail(message: str, ev=None) -> FormatError:
        line, column = _position(getattr(ev or event, "start_mark", None))
        return FormatError([Problem(source, message, "", line, column)])

    # Each frame: [container, is_mapping, pending_key, path]
    stack: list[list] = []
    root: Any = _NOT_FOUND
    documents = 0
    try:
        parser = _Parser(text)
        get = parser.get_event
        while True:
            event = get()
            cls = event.__class__
            if cls is ScalarEvent:
                if event.anchor is not None:
                    raise fail("YAML anchors and aliases are not allowed")
                try:
                    value = _resolve_scalar(event)
                except ValueError as exc:
                    raise fail(str(exc)) from None
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if event.anchor is not None:
                    raise fail("YAML anchors and aliases are not allowed")
                if event.tag is not None and event.tag not in _COLLECTION_TAGS:
                    raise fail(f"the tag {event.tag!r} is not allowed")
                if len(stack) >= max_depth:
                    raise fail(f"nesting deeper than {max_depth} levels is not allowed")
                is_map = cls is MappingStartEvent
                path = ()
                if positions is not None:
                    path = _child_path(stack)
                    positions[path] = _position(event.start_mark)
                stack.append([{} if is_map else [], is_map, _NOT_FOUND, path])
                continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                value = stack.pop()[0]
            elif cls is AliasEvent:
                raise fail("YAML anchors and aliases are not allowed")
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise fail("a session file holds one YAML document, not several")
                continue
            elif cls is DocumentEndEvent:
                continue
            elif cls is StreamEndEvent:
                break
            else:
                continue
            if not stack:
                root = value
                continue
            if positions is not None and cls is ScalarEvent:
                frame = stack[-1]
                if not frame[1] or frame[2] is not _NOT_FOUND:
                    positions[_child_path(stack)] = _position(event.start_mark)
            _add(stack, value, event, fail)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = _position(mark)
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if "nesting depth" in message:  # libyaml's own limit, far above ours
            raise FormatError(
                [
                    Problem(
                        source,
                        f"nesting deeper than {max_depth} levels is not allowed",
                        "",
                        line,
                        column,
                    )
                ]
            ) from None
        raise FormatError(
            [Problem(source, f"not valid YAML: {message}", "", line, column)]
        ) from None
    except yaml.YAMLError as exc:
        raise FormatError([Problem(source, f"not valid YAML: {exc}")]) from None
    finally:
        if parser is not None and hasattr(parser, "dispose"):
            parser.dispose()
    if root is _NOT_FOUND:
        raise FormatError([Problem(source, "the file is empty")])
    return root


def _child_path(stack: list[list]) -> tuple:
    if not stack:
        return ()
    frame = stack[-1]
    if frame[1]:
        key = frame[2]
        return frame[3] + (key,) if key is not _NOT_FOUND else frame[3]
    return frame[3] + (len(frame[0]),)


def _add(stack: list[list], value: Any, event, fail) -> None:
    if not stack:
        return
    frame = stack[-1]
    container = frame[0]
    if not frame[1]:
        container.append(value)
        return
    key = frame[2]
    if key is _NOT_FOUND:
        if isinstance(value, (dict, list)):
            raise fail("a mapping key must be a plain value", event)
        if value in container:
            path = field_name(frame[3] + (value,))
            raise fail(f"duplicate key {path!r}", event)
        frame[2] = value
    else:
        container[key] = value
        frame[2] = _NOT_FOUND


# ---------------------------------------------------------------------------------------------
# Writing

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _.,;!?()'/&+=%@*-]*(?<! )")
_NOT_PLAIN_WORDS = frozenset(
    ["yes", "no", "true", "false", "on", "off", "null"]  # read as bool or null by YAML 1.1
)
_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\x85": "\\N"}
_ESCAPES.update({"\u2028": "\\L", "\u2029": "\\P"})


def _escape(match: re.Match) -> str:
    ch = match.group()
    known = _ESCAPES.get(ch)
    if known:
        return known
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def quote_str(value: str) -> str:
    """A string as a YAML scalar: plain when that reads back as the same string."""
    if _PLAIN.fullmatch(value) and (len(value) > 5 or value.lower() not in _NOT_PLAIN_WORDS):
        return value
    return '"' + _ESCAPE.sub(_escape, value) + '"'


def format_float(value: float) -> str:
    """A float that YAML 1.1 reads back as the same float (it needs a dot, no bare exponent)."""
    text = repr(value)
    if "e" in text or "n" in text:
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = format(Decimal(text), "f")
    if "." not in text:
        text += ".0"
    return text


def scalar(value: Any) -> str:
    """One value as YAML scalar text."""
    if isinstance(value, str):
        return quote_str(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value)
    raise TypeError(f"cannot write a {type(value).__name__} to YAML")


def emit(tree: dict) -> str:
    """Canonical block-style YAML for a tree of dicts (in their order), lists and scalars."""
    out: list[str] = []
    _emit_map(out, tree, "")
    return "".join(out)


_KEYS: dict[str, str] = {}  # "key:" text of field names, which repeat on every item
_KEYS_MAX = 1024  # ids are keys too, and unique: stop caching past a bound


def _key(key: Any) -> str:
    text = _KEYS.get(key)
    if text is None:
        text = scalar(key) + ":"
        if type(key) is str and len(_KEYS) < _KEYS_MAX:
            _KEYS[key] = text
    return text


def _emit_map(out: list[str], mapping: dict, indent: str) -> None:
    append = out.append
    for key, value in mapping.items():
        head = indent + _key(key)
        if type(value) is str:  # most values: skip the isinstance chain
            append(head + " " + quote_str(value) + "\n")
        elif isinstance(value, dict):
            if value:
                append(head + "\n")
                _emit_map(out, value, indent + "  ")
            else:
                append(head + " {}\n")
        elif isinstance(value, (list, tuple)):
            if value:
                append(head + "\n")
                _emit_seq(out, value, indent + "  ")
            else:
                append(head + " []\n")
        else:
            append(head + " " + scalar(value) + "\n")


def _emit_seq(out: list[str], items, indent: str) -> None:
    inner = indent + "  "
    for value in items:
        if isinstance(value, (dict, list, tuple)) and value:
            part: list[str] = []
            if isinstance(value, dict):
                _emit_map(part, value, inner)
            else:
                _emit_seq(part, value, inner)
            part[0] = indent + "- " + part[0][len(inner) :]
            out.extend(part)
        elif isinstance(value, dict):
            out.append(indent + "- {}\n")
        elif isinstance(value, (list, tuple)):
            out.append(indent + "- []\n")
        else:
            out.append(indent + "- " + scalar(value) + "\n")
