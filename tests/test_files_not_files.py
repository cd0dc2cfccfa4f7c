"""Only regular files are read as sessions: whatever else sits in a workshop folder (a FIFO, a
link to /dev/zero, a link loop, a link out of the folder) is refused at once, clearly, with
bounded memory, by the store, the folder listing, trends and the command line alike."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from canvas.format import paths, store, workshops
from canvas.format.problems import FormatError

SAMPLE = "sessions/wales-2022"


def _run(*args, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "canvas", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "HORIZONS_HOME": str(cwd)},
    )


def _hostile(kind: str, folder: Path, elsewhere: Path) -> Path:
    """A file named like iteration 03 that is not a session file of this folder."""
    path = folder / "03-hostile.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "loop":
        (folder / "03-other.yaml.lnk").symlink_to(path)
        path.symlink_to(folder / "03-other.yaml.lnk")
    elif kind == "outside":
        secret = elsewhere / "secret.yaml"
        secret.write_bytes((folder / "01-user-research.yaml").read_bytes())
        path.symlink_to(secret)
    return path


KINDS = {
    "fifo": "named pipe",
    "dev-zero": "outside",
    "loop": "symbolic link",
    "outside": "outside",
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_store_refuses_what_is_not_a_regular_file_of_the_folder_at_once(
    kind, home, tmp_path_factory
):
    folder = home / SAMPLE
    path = _hostile(kind, folder, tmp_path_factory.mktemp("elsewhere"))
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(FormatError) as caught:
            store.load(path)
        took = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert took < 1.0
    assert peak < 1024 * 1024, f"{peak} bytes held while refusing {kind}"
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert KINDS[kind] in message


def test_a_dev_zero_file_given_by_its_own_name_is_refused_as_a_device():
    with pytest.raises(FormatError, match="a device, not a session file"):
        store.load("/dev/zero")


def test_a_link_inside_the_folder_is_read_like_the_file_it_names(home):
    folder = home / SAMPLE
    (folder / "03-same.yaml").symlink_to("01-user-research.yaml")
    assert store.load(folder / "03-same.yaml") == store.load(folder / "01-user-research.yaml")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_folder_listing_never_opens_what_it_lists(kind, home, tmp_path_factory):
    folder = home / SAMPLE
    path = _hostile(kind, folder, tmp_path_factory.mktemp("elsewhere"))
    started = time.monotonic()
    found = paths.iterations(folder)
    assert time.monotonic() - started < 1.0
    assert found[-1] == path


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_trends_report_the_file_and_draw_the_rest(kind, home, tmp_path_factory):
    from canvas.view.trends import load_sessions

    folder = home / SAMPLE
    _hostile(kind, folder, tmp_path_factory.mktemp("elsewhere"))
    started = time.monotonic()
    sessions, unreadable = load_sessions(folder)
    assert time.monotonic() - started < 5.0
    assert unreadable == ["03-hostile.yaml"]
    assert [s.iteration for s in sessions] == [1, 2]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_validate_says_what_the_file_is_without_a_traceback(kind, home, tmp_path_factory):
    _hostile(kind, home / SAMPLE, tmp_path_factory.mktemp("elsewhere"))
    result = _run("validate", f"{SAMPLE}/03-hostile.yaml", cwd=home, timeout=30)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{SAMPLE}/03-hostile.yaml: "), result.stderr
    assert KINDS[kind] in result.stderr


def test_export_skips_an_unreadable_previous_iteration_with_a_warning(home, tmp_path):
    folder = home / SAMPLE
    os.replace(folder / "01-user-research.yaml", folder / "00-kept.yaml")
    os.mkfifo(folder / "01-user-research.yaml")
    out = tmp_path / "out.md"
    result = _run(
        "export", f"{SAMPLE}/02-steering-review.yaml", "-f", "md", "-o", str(out), cwd=home
    )
    assert result.returncode == 0, result.stderr
    assert "leaving out the changes since 01-user-research.yaml" in result.stderr
    assert "named pipe" in result.stderr
    assert out.stat().st_size > 0


def test_workshop_folders_that_are_links_are_neither_listed_nor_opened(home, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "01-x.yaml").write_bytes((home / SAMPLE / "01-user-research.yaml").read_bytes())
    (home / "sessions" / "linked").symlink_to(elsewhere, target_is_directory=True)
    (home / "sessions" / "looped").symlink_to(home / "sessions" / "looped")
    assert [p.name for p in workshops.workshops()] == ["wales-2022"]
    for name in ("linked", "looped"):
        with pytest.raises(ValueError, match="is a link"):
            paths.workshop_dir(name)


def test_session_names_from_a_browser_never_raise_on_a_link_loop(home):
    folder = home / SAMPLE
    _hostile("loop", folder, folder)
    path = workshops.resolve("wales-2022/03-hostile")
    with pytest.raises(FormatError, match="symbolic link"):
        store.load(path)


# ---------------------------------------------------------------------------------------------
# What a file holds: text within max_text, fields of the version it declares


def _sample_text(home: Path) -> str:
    return (home / SAMPLE / "01-user-research.yaml").read_text(encoding="utf-8")


def _fixture(version: int) -> str:
    path = Path(__file__).parent / "fixtures" / f"v{version}" / "01-user-research.yaml"
    return path.read_text(encoding="utf-8")


def test_a_note_over_the_sessions_max_text_is_refused_at_its_line(home, tmp_path):
    text = _sample_text(home)
    first_note = re.search(r"^notes:\n  ([^:]+):\n    text: .*$", text, re.M)
    long = "x" * 501
    text = text[: first_note.end()] + "\n" + text[first_note.end() :]
    text = re.sub(r"^(notes:\n  [^:]+:\n    text: ).*$", rf"\g<1>{long}", text, count=1, flags=re.M)
    path = tmp_path / "01-long.yaml"
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(long)].count("\n") + 1
    with pytest.raises(FormatError) as caught:
        store.load(path)
    [problem] = caught.value.problems
    assert problem.line == line
    assert problem.field == f"notes.{first_note.group(1)}.text"
    assert "501 characters, over this session's max_text of 500" in problem.message
    result = _run("validate", str(path), cwd=home)
    assert re.search(rf"01-long.yaml:{line}:\d+: notes\.", result.stderr), result.stderr


def test_a_session_cannot_allow_notes_of_megabytes(home, tmp_path):
    text = _sample_text(home).replace(
        "\nanchors:\n", "\nsettings:\n  max_text: 9999999\nanchors:\n"
    )
    with pytest.raises(FormatError, match=r"settings\.max_text: expected a whole number from 1"):
        store.loads(text, "big.yaml")


@pytest.mark.parametrize(
    ("declared", "field", "insert", "since"),
    [
        (1, "facilitation", "facilitation:\n  locked: true\n", 2),
        (1, "comments", "comments:\n  c-1:\n    target: n-0001\n    text: hi\n", 3),
        (2, "title_cy", 'title_cy: "Teitl"\n', 3),
    ],
)
def test_a_file_using_fields_newer_than_its_version_is_refused(declared, field, insert, since):
    text = _fixture(declared) + insert
    # A mapping's position is its first entry's, on the line after its key.
    mapping = insert.count("\n") > 1
    line = text.count("\n", 0, text.index(insert)) + 1 + mapping
    with pytest.raises(FormatError) as caught:
        store.loads(text, "old.yaml")
    [problem] = caught.value.problems
    assert (problem.field, problem.line) == (field, line)
    assert f"from schema_version {since}" in problem.message
    assert f"the file says schema_version {declared}" in problem.message


def test_ballots_and_owners_in_a_version_1_file_are_named_one_by_one():
    text = _fixture(1)
    text = re.sub(
        r"^(notes:\n  ([^:]+):\n)", r"\1    owner: p-12345678\n", text, count=1, flags=re.M
    )
    text += "voting:\n  ballots:\n    p-12345678:\n      name: Ann\n"
    with pytest.raises(FormatError) as caught:
        store.loads(text, "old.yaml")
    fields = sorted(p.field for p in caught.value.problems)
    assert fields[1] == "voting" and fields[0].endswith(".owner")
    assert all(p.line for p in caught.value.problems)


def test_old_fixtures_still_load():
    root = Path(__file__).parent / "fixtures"
    for path in sorted(root.glob("v*/*.yaml")):
        store.load(path)


# ---------------------------------------------------------------------------------------------
# Saving keeps the file's permissions; the export never replaces a session


def test_a_saved_file_keeps_its_mode(home):
    path = home / SAMPLE / "02-steering-review.yaml"
    session = store.load(path)
    os.chmod(path, 0o640)
    store.save(session, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    fresh = home / SAMPLE / "03-new.yaml"
    store.save(session, fresh)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_read_only_file_is_refused_with_a_reason_and_left_alone(home):
    path = home / SAMPLE / "02-steering-review.yaml"
    before = path.read_bytes()
    session = store.load(path)
    os.chmod(path, 0o444)
    with pytest.raises(PermissionError) as caught:
        store.save(session, path)
    assert "read-only (mode 0444)" in caught.value.strerror
    assert str(path) not in caught.value.strerror
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert path.read_bytes() == before
    assert [p for p in path.parent.iterdir() if ".tmp-" in p.name] == []


@pytest.mark.parametrize("where", ["in-sessions", "elsewhere"])
def test_export_refuses_to_write_over_a_session_file(home, tmp_path, where):
    if where == "in-sessions":
        target = home / SAMPLE / "01-user-research.yaml"
    else:
        target = tmp_path / "copy.yaml"
        target.write_bytes((home / SAMPLE / "01-user-research.yaml").read_bytes())
    before = target.read_bytes()
    source = f"{SAMPLE}/02-steering-review.yaml"
    result = _run("export", source, "-f", "csv", "-o", str(target), cwd=home)
    assert result.returncode == 1
    assert "is a session file; an export never replaces one" in result.stderr
    assert target.read_bytes() == before


def test_export_may_replace_its_own_earlier_export(home, tmp_path):
    target = tmp_path / "notes.csv"
    source = f"{SAMPLE}/02-steering-review.yaml"
    for _ in range(2):
        result = _run("export", source, "-f", "csv", "-o", str(target), cwd=home)
        assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------------------------
# Passwords


@pytest.mark.parametrize("password", ["x", "pw123456", "aaaaaaaaaaaaaaaa", "abababababab"])
def test_weak_facilitator_passwords_are_refused_everywhere(home, password):
    result = subprocess.run(
        [sys.executable, "-m", "canvas", "password"],
        input=password + "\n",
        capture_output=True,
        text=True,
        cwd=home,
    )
    assert result.returncode == 1
    assert "facilitator password of at least" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "canvas", "serve", "--address", "0.0.0.0", "--port", "1"],
        capture_output=True,
        text=True,
        cwd=home,
        env={**os.environ, "HORIZONS_HOME": str(home), "HORIZONS_FACILITATOR_PASSWORD": password},
        timeout=60,
    )
    assert result.returncode == 1
    assert "HORIZONS_FACILITATOR_PASSWORD: use a facilitator password" in result.stderr


def test_a_long_varied_password_is_hashed(home):
    result = subprocess.run(
        [sys.executable, "-m", "canvas", "password"],
        input="correct horse battery\n",
        capture_output=True,
        text=True,
        cwd=home,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("scrypt$")
