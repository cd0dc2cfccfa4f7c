"""Session names from browsers and the command line are checked before any file is touched."""

from __future__ import annotations

import pytest

from canvas.format.workshops import resolve as resolve_session
from canvas.format.workshops import session_name


def test_workshop_name_gives_its_latest_iteration(home):
    path = resolve_session("wales-2022")
    assert path.name == "02-steering-review.yaml"
    assert session_name(path) == "wales-2022/02-steering-review"
    assert resolve_session("wales-2022/01-user-research").name == "01-user-research.yaml"


@pytest.mark.parametrize(
    "name",
    [
        "../etc",
        "wales-2022/../../secret",
        "wales-2022/01-user-research/../../x",
        "/etc/passwd",
        "Wales",
        "wales-2022/01-user-research.yaml",
        "wales-2022/99-missing",
        "missing-workshop",
        "wales-2022/.01-user-research.yaml.1",
        "",
    ],
)
def test_refuses_names_that_are_not_plain_or_leave_sessions(home, name):
    with pytest.raises(ValueError):
        resolve_session(name)


def test_serve_refuses_files_outside_sessions(home, tmp_path_factory):
    from canvas.cli.main import main

    outside = tmp_path_factory.mktemp("elsewhere") / "01-x.yaml"
    outside.write_text("format: three-horizons-session\n", encoding="utf-8")
    assert main(["serve", str(outside)]) == 1


def test_workshop_page_merges_breakout_maps(home):
    from canvas.domain.model import update_note
    from canvas.format import paths, store, templates
    from canvas.format.workshops import merge_breakouts

    folder = home / "sessions" / "wales-2022"
    base = store.load(folder / "02-steering-review.yaml")
    for group, text in (("group-a", "said by group A"), ("group-b", "said by group B")):
        copy = templates.next_iteration(base, f"Breakout {group}", number=3)
        note_id = "n-0001" if group == "group-a" else "n-0002"
        copy = update_note(copy, note_id, text=text, now="2022-05-01T10:00:00Z")
        store.save(copy, folder / f"03-{group}.yaml", backups=0)
    target = merge_breakouts(folder, ["03-group-a.yaml", "03-group-b.yaml"])
    assert target.name.startswith("04-")
    merged = store.load(target)
    assert merged.notes["n-0001"].text == "said by group A"
    assert merged.notes["n-0002"].text == "said by group B"
    assert merged.notes["n-0001"].group == "Breakout group-a"
    assert merged.notes["n-0002"].group == "Breakout group-b"
    assert target in paths.iterations(folder)
    with pytest.raises(ValueError):
        merge_breakouts(folder, ["03-group-a.yaml"])
