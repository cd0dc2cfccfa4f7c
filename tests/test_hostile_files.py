"""Hostile and broken session files are refused with a located message, never a crash.

Each committed fixture in ``fixtures/bad`` is a small valid session with one thing wrong (or
several, for ``several_errors.yaml``); the two huge cases are generated at test time.
``horizons validate`` must exit 1 with ``FILE:LINE:COL: message`` lines, no traceback and no
signal, and must never run code from the file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from canvas.domain.model import Session
from canvas.format import store
from canvas.format.problems import FormatError
from canvas.format.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bad"

COMMITTED = (
    "alias_bomb.yaml",
    "bad_syntax.yaml",
    "control_chars.yaml",
    "custom_tag.yaml",
    "duplicate_key.yaml",
    "empty.yaml",
    "missing_header.yaml",
    "newer_version.yaml",
    "not_utf8.yaml",
    "python_tag.yaml",
    "several_errors.yaml",
    "top_level_list.yaml",
    "unknown_field.yaml",
    "unknown_horizon.yaml",
    "wrong_types.yaml",
)
GENERATED = ("deep_nesting.yaml", "oversized.yaml")
ALL = COMMITTED + GENERATED
# Problems that belong to the whole file rather than to a place in it.
WITHOUT_LINE = {"empty.yaml", "oversized.yaml"}

GOOD = """\
format: three-horizons-session
schema_version: 1
id: demo
title: Demo session
anchors:
  f-1:
    kind: finding
    title: Time to innovate
    horizon: H1
    x: 0.3
    y: 0.8
notes:
  n-1:
    text: More time to try things
    x: 0.2
    y: 0.7
    horizon: H1
    anchor: f-1
  n-2:
    text: A shared platform for ideas
    x: 0.6
    y: 0.5
    horizon: H2
"""

# What the message must say, beyond FILE:LINE:COL.
EXPECTED = {
    "alias_bomb.yaml": ["YAML anchors and aliases are not allowed"],
    "bad_syntax.yaml": ["not valid YAML"],
    "control_chars.yaml": ["notes.n-1.text: text holds control characters"],
    "custom_tag.yaml": ["the tag '!foo' is not allowed"],
    "duplicate_key.yaml": ["duplicate key 'notes.n-1.text'"],
    "empty.yaml": ["the file is empty"],
    "missing_header.yaml": ["missing header: expected 'format: three-horizons-session'"],
    "newer_version.yaml": ["schema_version 99 is newer", "install a newer"],
    "not_utf8.yaml": ["not UTF-8 text (byte 0xff)"],
    "python_tag.yaml": ["python/object/apply:os.system' is not allowed"],
    "several_errors.yaml": ["notes.n-1.x:", "notes.n-2.horizon:", "notes.n-5.colour:"],
    "top_level_list.yaml": ["expected a mapping at the top level, got a list"],
    "unknown_field.yaml": ["notes.n-1.mood: unknown field"],
    "unknown_horizon.yaml": ["notes.n-2.horizon: expected one of H1, H2, H3, got 'H4'"],
    "wrong_types.yaml": ["notes.n-1.x:", "notes.n-1.votes:", "notes.n-1.tags:"],
    "deep_nesting.yaml": ["nesting deeper than 64 levels is not allowed"],
    "oversized.yaml": ["the file is 20.0 MB, over the 10 MB limit"],
}


def _drop_meta(data: bytes) -> bytes:
    return re.sub(rb"meta:\n(?:  .*\n)+", b"", data)


def _replace(*pairs: tuple[bytes, bytes]) -> Callable[[bytes], bytes]:
    def repair(data: bytes) -> bytes:
        for old, new in pairs:
            assert old in data, old
            data = data.replace(old, new)
        return data

    return repair


# The one fault of each fixture and its repair: a repaired fixture is a valid session, so
# the refusal of the original is due to that fault and nothing incidental.
REPAIRS: dict[str, Callable[[bytes], bytes]] = {
    "alias_bomb.yaml": _drop_meta,
    "bad_syntax.yaml": _replace((b'"More time to try things\n', b'"More time to try things"\n')),
    "control_chars.yaml": _replace((b"\\x01", b"")),
    "custom_tag.yaml": _replace((b"!foo ", b"")),
    "duplicate_key.yaml": _replace((b"    text: Someone else's words\n", b"")),
    "missing_header.yaml": _replace(
        (b"id: demo\n", b"format: three-horizons-session\nschema_version: 1\nid: demo\n")
    ),
    "newer_version.yaml": _replace((b"schema_version: 99\n", b"schema_version: 1\n")),
    "not_utf8.yaml": _replace((b" \xff\xfe", b"")),
    "python_tag.yaml": _replace(
        (b'!!python/object/apply:os.system ["echo pwned > PWNED"]', b"More time")
    ),
    "several_errors.yaml": _replace(
        (b"x: 1.5", b"x: 0.5"),
        (b"horizon: H5", b"horizon: H2"),
        (b"votes: -2", b"votes: 2"),
        (b"  n-4:\n", b"  n-4:\n    text: Try it\n"),
        (b"colour: tartan", b"colour: blue"),
    ),
    "unknown_field.yaml": _replace((b"    mood: hopeful\n", b"")),
    "unknown_horizon.yaml": _replace((b"horizon: H4", b"horizon: H3")),
    "wrong_types.yaml": _replace(
        (b'x: "left"', b"x: 0.1"), (b"votes: many", b"votes: 3"), (b"tags: 3", b"tags: [a]")
    ),
}


def _generate(name: str) -> bytes:
    if name == "deep_nesting.yaml":
        return b"[" * 100_000
    if name == "oversized.yaml":
        padding = b"# " + b"x" * 1021 + b"\n"  # 1 KiB comment lines after a valid session
        return GOOD.encode() + padding * (20 * 1024)
    raise KeyError(name)


def _bad_file(name: str, folder: Path) -> Path:
    """The fixture ``name`` as a file in ``folder``."""
    data = (FIXTURES / name).read_bytes() if name in COMMITTED else _generate(name)
    target = folder / name
    target.write_bytes(data)
    return target


def _validate(folder: Path, *names: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "canvas", "validate", *names],
        cwd=folder,
        env=env,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
    )


def _line_of(name: str, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of the value ``needle`` ends with, in a committed fixture."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    (number,) = [i for i, line in enumerate(lines, 1) if line.strip() == needle]
    value = needle.split(": ", 1)[1]
    return number, lines[number - 1].rindex(value) + 1


def test_every_fixture_is_committed():
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(COMMITTED)
    assert (FIXTURES / "empty.yaml").stat().st_size == 0
    with pytest.raises(UnicodeDecodeError):
        (FIXTURES / "not_utf8.yaml").read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", ALL)
def test_validate_refuses_with_a_located_message(name, tmp_path):
    _bad_file(name, tmp_path)
    result = _validate(tmp_path, name)
    output = result.stdout + result.stderr
    assert result.returncode >= 0, f"killed by signal {-result.returncode}: {output}"
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert name in result.stderr
    if name in WITHOUT_LINE:
        assert f"{name}: " in result.stderr
    else:
        assert re.search(rf"^{re.escape(name)}:\d+:\d+: ", result.stderr, re.M), result.stderr
    for part in EXPECTED[name]:
        assert part in result.stderr
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("name", ALL)
def test_loads_raises_format_error(name, tmp_path):
    data = _bad_file(name, tmp_path).read_bytes()
    with pytest.raises(FormatError) as caught:
        store.loads(data, name)
    problems = caught.value.problems
    assert problems
    assert all(p.source == name for p in problems)
    if name not in WITHOUT_LINE:
        assert problems[0].line is not None
    for part in EXPECTED[name]:
        assert part in str(caught.value)


@pytest.mark.parametrize("name", ALL)
def test_load_raises_format_error(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _bad_file(name, tmp_path)
    with pytest.raises(FormatError) as caught:
        store.load(path)
    assert all(p.source == str(path) for p in caught.value.problems)
    assert not (tmp_path / "PWNED").exists()


def test_deep_nesting_is_refused_in_process_without_recursing():
    # Far deeper than the interpreter's recursion limit: any recursive step would crash.
    text = "format: three-horizons-session\nmeta:\n  x: " + "[" * 100_000 + "]" * 100_000
    with pytest.raises(FormatError) as caught:
        store.loads(text, "deep.yaml")
    (problem,) = caught.value.problems
    assert problem.message == "nesting deeper than 64 levels is not allowed"
    assert problem.line == 3


@pytest.mark.parametrize("name", sorted(REPAIRS))
def test_fixture_is_valid_once_its_fault_is_repaired(name):
    data = REPAIRS[name]((FIXTURES / name).read_bytes())
    assert isinstance(store.loads(data, name), Session)


def test_unknown_horizon_names_field_value_and_its_line(tmp_path):
    name = "unknown_horizon.yaml"
    _bad_file(name, tmp_path)
    line, column = _line_of(name, "horizon: H4")
    result = _validate(tmp_path, name)
    assert result.stderr.splitlines() == [
        f"{name}:{line}:{column}: notes.n-2.horizon: expected one of H1, H2, H3, got 'H4'"
    ]


def test_newer_version_asks_for_a_newer_program(tmp_path):
    name = "newer_version.yaml"
    _bad_file(name, tmp_path)
    result = _validate(tmp_path, name)
    assert result.returncode == 1
    (message,) = result.stderr.splitlines()
    assert message.startswith(f"{name}:2:17: schema_version: ")
    assert f"schema_version 99 is newer than this program reads (up to {SCHEMA_VERSION})" in message
    assert "install a newer three-horizons-canvas that reads version 99" in message


def test_several_errors_are_all_reported_each_at_its_line(tmp_path):
    name = "several_errors.yaml"
    _bad_file(name, tmp_path)
    result = _validate(tmp_path, name)
    assert result.returncode == 1
    expected = [
        ("notes.n-1.x", "x: 1.5", "expected a number from 0 to 1, got 1.5"),
        ("notes.n-2.horizon", "horizon: H5", "expected one of H1, H2, H3, got 'H5'"),
        ("notes.n-3.votes", "votes: -2", "expected a whole number >= 0, got -2"),
        ("notes.n-5.colour", "colour: tartan", "got 'tartan'"),
    ]
    lines = result.stderr.splitlines()
    assert len(lines) == len(expected) + 1
    for field, source_line, message in expected:
        line, column = _line_of(name, source_line)
        prefix = f"{name}:{line}:{column}: {field}: "
        (found,) = [x for x in lines if x.startswith(prefix)]
        assert message in found
    # n-4 has no text: the problem is placed at the note itself.
    (missing,) = [x for x in lines if "notes.n-4.text: required field is missing" in x]
    assert re.match(rf"{re.escape(name)}:\d+:\d+: ", missing)


def test_duplicate_key_names_the_key_at_its_second_occurrence(tmp_path):
    name = "duplicate_key.yaml"
    _bad_file(name, tmp_path)
    line, column = _line_of(name, "text: Someone else's words")
    column -= len("text: ")  # the problem points at the repeated key
    result = _validate(tmp_path, name)
    assert result.stderr.splitlines() == [f"{name}:{line}:{column}: duplicate key 'notes.n-1.text'"]


def test_every_file_given_is_checked_and_reported(tmp_path):
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    for name in ("unknown_horizon.yaml", "python_tag.yaml"):
        _bad_file(name, tmp_path)
    result = _validate(tmp_path, "unknown_horizon.yaml", "good.yaml", "python_tag.yaml")
    assert result.returncode == 1
    assert result.stdout == "ok good.yaml: 2 notes, 1 anchors\n"
    assert [x.split(":")[0] for x in result.stderr.splitlines()] == [
        "unknown_horizon.yaml",
        "python_tag.yaml",
    ]


def test_valid_session_validates(tmp_path):
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    result = _validate(tmp_path, "good.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok good.yaml: 2 notes, 1 anchors\n"
    assert result.stderr == ""
    session = store.load(tmp_path / "good.yaml")
    # A version 1 file is written back at the current version, otherwise unchanged.
    current = GOOD.replace("schema_version: 1\n", f"schema_version: {SCHEMA_VERSION}\n")
    assert store.dumps(session) == current
