"""Each record's field table drives the file, the wire, the CSV and the merge."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from canvas.domain import model
from canvas.domain.fields import table
from canvas.domain.merge_fields import merge_units
from canvas.format import store
from canvas.format.checks import CHECKS
from canvas.format.problems import FormatError
from canvas.live.wire import _NOTE_WIRE
from canvas.view.export.csvtable import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
V1 = ROOT / "tests" / "fixtures" / "v1" / "01-user-research.yaml"
RECORDS = [
    model.Settings,
    model.Anchor,
    model.Note,
    model.Facilitation,
    model.Ballot,
    model.Voting,
    model.Persona,
    model.Comment,
    model.Session,
]
STRUCTURES = {"record", "items", "ballots", "dots"}


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.__name__)
def test_every_field_has_a_kind_the_format_can_check(record):
    for f in table(record):
        assert f.kind.rstrip("?") in CHECKS.keys() | STRUCTURES, f"{record.__name__}.{f.name}"
        assert f.kind not in ("record", "items", "ballots") or f.of is not None


def test_the_csv_columns_are_the_notes_fields():
    assert tuple(f.name for f in table(model.Note)) == COLUMNS


def test_the_wire_never_carries_an_owner_id_and_carries_the_rest():
    sent = dict(_NOTE_WIRE)
    assert "owner" not in sent and "created" not in sent
    assert sent["horizon_fixed"] == "fixed" and sent["text"] == "text"


def test_the_merge_moves_a_notes_placement_together():
    note = model.Note(id="n", text="t", x=0.1, y=0.2, horizon="H1")
    grouped = dict(merge_units(note))
    assert grouped["placement"] == ("x", "y", "horizon", "anchor", "horizon_fixed")
    assert "rev" not in grouped and "id" not in grouped


def _with(text: str, extra: str) -> str:
    return text.rstrip("\n") + "\n" + extra


@pytest.mark.parametrize(
    ("extra", "field", "version"),
    [
        ("comments:\n  c1:\n    target: n-0001\n    text: hello\n", "comments", 3),
        ("title_cy: Teitl\n", "title_cy", 3),
        ("facilitation:\n  locked: true\n", "facilitation", 2),
    ],
)
def test_a_version_1_file_with_newer_fields_is_refused(extra, field, version):
    text = _with(V1.read_text(encoding="utf-8"), extra)
    with pytest.raises(FormatError) as caught:
        store.loads(text, "old.yaml")
    problem = caught.value.problems[0]
    assert problem.field == field
    assert f"schema_version {version}" in problem.message
    assert problem.line is not None and problem.column is not None


def test_a_version_2_file_may_not_hold_a_notes_group():
    text = V1.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 2")
    note = next(line for line in text.splitlines() if line.startswith("  n-"))
    text = text.replace(note + "\n", note + "\n    group: Group A\n", 1)
    with pytest.raises(FormatError) as caught:
        store.loads(text, "old.yaml")
    assert caught.value.problems[0].field.endswith(".group")


@pytest.mark.parametrize("args", [["--help"], ["merge", "--help"], ["export", "--help"]])
def test_the_command_line_works_without_docstrings(args):
    out = subprocess.run(
        [sys.executable, "-OO", "-m", "canvas", *args], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert "usage: horizons" in out.stdout
