"""The ``horizons`` command as a user runs it: exit codes, messages, files written."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from canvas.cli.main import build_parser, main
from canvas.format import store
from canvas.format.schema import SCHEMA_VERSION

SAMPLE_01 = "sessions/wales-2022/01-user-research.yaml"
SAMPLE_02 = "sessions/wales-2022/02-steering-review.yaml"

WALES_COUNTS = {
    "finding": 6,
    "concern": 2,
    "outcome": 1,
    "pocket": 5,
    "change": 4,
    "challenge_area": 6,
    "action_area": 3,
    "principle": 9,
    "vision": 10,
    "driver": 4,
}


def run(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "canvas", *args], cwd=cwd, capture_output=True, text=True
    )


def test_new_from_wales_template_has_every_research_output(home):
    result = run("new", "demo", "--template", "wales-2022", cwd=home)
    assert result.returncode == 0, result.stderr
    [path] = (home / "sessions" / "demo").glob("01-*.yaml")
    assert run("validate", str(path), cwd=home).returncode == 0
    session = store.load(path)
    assert Counter(a.kind for a in session.anchors.values()) == WALES_COUNTS
    personas = list(session.personas.values())
    assert len(personas) == 13
    assert Counter(p.type for p in personas) == {"profile": 6, "voice": 7}
    assert session.workshop == "demo" and session.iteration == 1
    assert set(session.prompts) == {"H1", "H2", "H3"}


def test_wales_personas_link_both_ways_and_to_challenge_areas():
    session = store.load(Path(__file__).parent.parent / "canvas/format/templates/wales-2022.yaml")
    for persona in session.personas.values():
        for other in persona.links:
            assert persona.id in session.personas[other].links
        for area in persona.challenge_areas:
            assert session.anchors[area].kind == "challenge_area"
    rhys = next(p for p in session.personas.values() if p.name == "Rhys")
    assert {session.anchors[a].title.lower() for a in rhys.challenge_areas} == {
        "metrics",
        "requirements",
    }


def test_new_refuses_an_existing_workshop_and_bad_names(home):
    assert run("new", "wales-2022", cwd=home).returncode == 1
    bad = run("new", "../escape", cwd=home)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert not (home.parent / "escape").exists()


def test_new_from_a_session_file_as_template(home):
    result = run("new", "copy", "--template", SAMPLE_01, "--title", "Our copy", cwd=home)
    assert result.returncode == 0, result.stderr
    [path] = (home / "sessions" / "copy").glob("01-our-copy.yaml")
    assert store.load(path).title == "Our copy"


def test_unknown_template_is_an_input_error(home):
    result = run("new", "x", "--template", "nope", cwd=home)
    assert result.returncode == 1
    assert "no template 'nope'" in result.stderr


def test_iterate_keeps_note_ids_and_resets_votes(home):
    result = run("iterate", SAMPLE_02, "--title", "Third round", cwd=home)
    assert result.returncode == 0, result.stderr
    new = home / "sessions" / "wales-2022" / "03-third-round.yaml"
    before = store.load(home / SAMPLE_02)
    after = store.load(new)
    assert after.iteration == 3
    assert set(after.notes) == set(before.notes)
    assert all(n.votes == 0 for n in after.notes.values())
    assert [n.text for n in after.notes.values()] == [n.text for n in before.notes.values()]


def test_validate_reports_ok_and_counts(home):
    result = run("validate", SAMPLE_01, SAMPLE_02, cwd=home)
    assert result.returncode == 0
    assert result.stdout.count("ok ") == 2


def test_show_counts_by_horizon_and_kind(home):
    result = run("show", SAMPLE_02, cwd=home)
    assert result.returncode == 0
    session = store.load(home / SAMPLE_02)
    for h in ("H1", "H2", "H3"):
        count = sum(1 for n in session.notes.values() if n.horizon == h)
        assert f"  {h}: {count}\n" in result.stdout
    assert "challenge_area: 6" in result.stdout


def test_diff_formats_agree(home):
    js = run("diff", SAMPLE_01, SAMPLE_02, "--format", "json", cwd=home)
    assert js.returncode == 0, js.stderr
    data = json.loads(js.stdout)
    notes = data["counts"]["notes"]
    assert notes["added"] >= 4 and notes["removed"] >= 2 and notes["updated"] >= 6
    text = run("diff", SAMPLE_01, SAMPLE_02, cwd=home).stdout
    assert f"{notes['added']} notes added" in text
    assert text.count("\n  added note") == notes["added"]
    md = run("diff", SAMPLE_01, SAMPLE_02, "--format", "markdown", cwd=home).stdout
    assert md.startswith("# Changes from iteration 1 to 2")
    assert f"| notes | {notes['added']} | {notes['updated']} | {notes['removed']} |" in md


def test_migrate_current_file_is_a_no_op(home):
    result = run("migrate", SAMPLE_01, cwd=home)
    assert result.returncode == 0
    assert f"already at schema_version {SCHEMA_VERSION}" in result.stdout


def test_migrate_brings_a_version_1_file_forward(home):
    old = Path(__file__).parent / "fixtures" / "v1" / "02-steering-review.yaml"
    target = home / "old.yaml"
    target.write_bytes(old.read_bytes())
    result = run("migrate", str(target), "--write", cwd=home)
    assert result.returncode == 0, result.stderr
    assert "add_facilitation_and_ballots -> add_comments_groups_and_welsh" in result.stdout
    assert f"schema_version: {SCHEMA_VERSION}\n" in target.read_text(encoding="utf-8")


def test_templates_lists_bundled(home):
    out = run("templates", cwd=home).stdout
    assert "wales-2022:" in out and "blank:" in out


def test_usage_errors_exit_2(home):
    assert run(cwd=home).returncode == 2
    assert run("diff", SAMPLE_01, cwd=home).returncode == 2
    assert run("frobnicate", cwd=home).returncode == 2


def test_missing_file_is_exit_1_without_traceback(home):
    result = run("show", "nope.yaml", cwd=home)
    assert result.returncode == 1
    assert "nope.yaml" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "name", ["new", "iterate", "validate", "migrate", "show", "diff", "templates"]
)
def test_every_command_has_help_from_its_docstring(name, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([name, "--help"])
    assert exit_info.value.code == 0
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sub.choices[name].description.strip() in capsys.readouterr().out.replace("\n", "\n")


def test_a_new_iteration_changes_no_note_when_only_votes_were_reset(home):
    result = run("iterate", SAMPLE_02, "--title", "Third round", cwd=home)
    assert result.returncode == 0, result.stderr
    third = "sessions/wales-2022/03-third-round.yaml"
    before = store.load(home / SAMPLE_02)
    voted = {k for k, n in before.notes.items() if n.votes}
    assert voted, "the sample must have votes for this test to mean anything"

    data = json.loads(run("diff", SAMPLE_02, third, "--format", "json", cwd=home).stdout)
    assert data["counts"]["notes"] == {"added": 0, "updated": 0, "removed": 0}
    assert data["notes"]["updated"] == {}
    assert data["summary"] == []
    total = sum(n.votes for n in before.notes.values())
    assert (data["votes"]["before"], data["votes"]["after"]) == (total, 0)
    assert all(row["after"] == 0 for row in data["votes"]["by_anchor"])

    text = run("diff", SAMPLE_02, third, cwd=home).stdout
    assert "0 changed" in text.splitlines()[0]
    assert "changed note" not in text
    assert f"votes (not changes): {total} in iteration 2, 0 in iteration 3" in text
    assert text.endswith("by anchor:\n  none\n")
    md = run("diff", SAMPLE_02, third, "--format", "markdown", cwd=home).stdout
    assert "| notes | 0 | 0 | 0 |" in md
    assert f"| all notes | {total} | 0 |" in md
    assert "No anchor changed." in md


def test_a_vote_alongside_an_edit_is_not_reported_as_part_of_the_change(home):
    from canvas.domain.model import update_note

    before = store.load(home / SAMPLE_02)
    note_id = next(k for k, n in before.notes.items() if n.votes)
    after = update_note(before, note_id, text="Rewritten", votes=0, now="2022-06-01T00:00:00Z")
    store.save(after, home / "edited.yaml")
    data = json.loads(run("diff", SAMPLE_02, "edited.yaml", "--format", "json", cwd=home).stdout)
    assert list(data["notes"]["updated"]) == [note_id]
    assert data["notes"]["updated"][note_id]["detail"] == ["text edited"]
