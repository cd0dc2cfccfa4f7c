"""The workshop service: a workshop is a folder of iterations, and this is the one place that
says how they are named, found, numbered, started, continued and merged.

The command line and the pages both go through here, so "the previous iteration" means the
same everywhere (the highest number below this one: iteration 100 comes after 99), and every
new file is written the same way (orphaned temporary files swept, canonical atomic save).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from canvas.domain.model import Session
from canvas.format import breakout, paths, store, templates
from canvas.format.paths import iteration_number, iterations
from canvas.format.problems import FormatError

__all__ = [
    "earlier",
    "iteration_number",
    "iterations",
    "latest",
    "load_previous",
    "merge_breakouts",
    "new_workshop",
    "next_iteration",
    "previous",
    "resolve",
    "session_name",
    "workshops",
]


def session_name(path: Path, root: Path | None = None) -> str:
    """The name a URL uses for a session file: ``workshop/NN-slug``."""
    root = (root or paths.sessions_dir()).resolve()
    rel = paths.real(path).relative_to(root)
    return f"{rel.parent.as_posix()}/{rel.stem}"


def resolve(name: str, root: Path | None = None) -> Path:
    """The file of a session name from a browser or the command line.

    Accepts ``WORKSHOP`` (its latest iteration) or ``WORKSHOP/NN-slug``; refuses anything
    that is not plain slugs or that would leave ``sessions/``.
    """
    root = (root or paths.sessions_dir()).resolve()
    workshop, _, stem = name.strip().strip("/").partition("/")
    folder = paths.workshop_dir(workshop, root)
    if not stem:
        found = latest(folder)
        if found is None:
            raise ValueError(f"workshop {workshop!r} has no sessions")
        return found
    if not paths.SESSION_NAME.fullmatch(stem + ".yaml"):
        raise ValueError(f"not a session name: {stem!r}")
    # Not resolved: a link loop or a FIFO named like a session is found here and refused,
    # clearly, when it is read (canvas.format.safefile).
    path = folder / f"{stem}.yaml"
    if not os.path.lexists(path) or path.is_dir():
        raise ValueError(f"no session {name!r}")
    return path


def workshops(root: Path | None = None) -> list[Path]:
    """Every workshop folder that holds at least one iteration, by name."""
    return [folder for folder in paths.workshop_folders(root) if iterations(folder)]


def latest(folder: Path) -> Path | None:
    found = iterations(folder)
    return found[-1] if found else None


def previous(path: Path, session: Session | None = None) -> Path | None:
    """The iteration before ``path`` in its folder: the highest number below its own (or
    below the session's iteration when the file is not named ``NN-slug.yaml``)."""
    number = iteration_number(path)
    if number is None:
        number = session.iteration if session is not None else None
    if number is None:
        return None
    here = paths.real(path)
    earlier = [
        p
        for p in iterations(path.parent)
        if (iteration_number(p) or 0) < number and paths.real(p) != here
    ]
    return earlier[-1] if earlier else None


def earlier(path: Path) -> list[tuple[int, Path]]:
    """``(number, file)`` of every iteration listed before ``path`` in its folder."""
    here = paths.real(path)
    found: list[tuple[int, Path]] = []
    for other in iterations(path.parent):
        if paths.real(other) == here:
            break
        found.append((iteration_number(other) or 0, other))
    return found


def load_previous(path: Path, session: Session) -> tuple[Session | None, str]:
    """The previous iteration of the same workshop, and a warning when it cannot be read
    (a report is still worth having without its "changes since" part)."""
    found = previous(path, session)
    if found is None:
        return None, ""
    try:
        before = store.load(found)
    except FormatError as exc:
        return None, f"leaving out the changes since {found.name}: {exc}"
    if before.workshop != session.workshop:
        return None, ""
    return before, ""


def new_workshop(
    workshop: str, template: str, title: str | None = None, **details: Any
) -> tuple[Path, Session]:
    """Start ``sessions/WORKSHOP/01-<title>.yaml`` from a template (a bundled name or a file).

    ``details`` sets the first iteration's date, facilitator, focal question and their Welsh
    forms (any field of the session that is text).
    """
    folder = paths.workshop_dir(workshop)
    if iterations(folder):
        raise ValueError(f"workshop {workshop!r} exists already; start its next iteration instead")
    store.sweep(folder)
    base = templates.load_template(template)
    session = templates.start_workshop(base, workshop, title)
    session = with_details(session, base, title=title or "", **details)
    target = paths.iteration_path(folder, 1, session.title)
    store.save(session, target)
    return target, session


def next_iteration(
    source: Path, title: str | None = None, keep_votes: bool = False, **details: Any
) -> tuple[Path, Session]:
    """Write the next iteration of ``source``'s workshop (same note ids; votes reset unless
    kept), numbered after every file already in the folder."""
    session = store.load(source)
    folder = source.parent
    store.sweep(folder)
    numbers = [iteration_number(p) for p in iterations(folder)]
    number = max([n for n in numbers if n is not None] + [session.iteration]) + 1
    following = templates.next_iteration(session, title, keep_votes, number)
    following = with_details(following, session, title=title or "", **details)
    target = paths.iteration_path(folder, number, following.title)
    store.save(following, target)
    return target, following


def with_details(session: Session, source: Session, **details: Any) -> Session:
    """``session`` with the texts given (empty ones leave a field as it is).

    A text given in English that differs from ``source``'s (the template or the iteration it
    follows), without its Welsh form, clears the Welsh one it replaces: a new title must not
    go on showing the old Welsh title to Welsh readers.
    """
    given = {k: v for k, v in details.items() if v}
    for key in list(given):
        welsh = f"{key}_cy"
        changed = given[key] != getattr(source, key)
        if hasattr(session, welsh) and not given.get(welsh) and changed:
            given[welsh] = ""
    return replace(session, **given) if given else session


def merge_breakouts(folder: Path, names: list[str], title: str | None = None) -> Path:
    """Merge chosen breakout sessions of a workshop (file names) into its next iteration."""
    if len(names) < 2:
        raise ValueError("choose at least two sessions to merge")
    files = [folder / name for name in names]
    if any(f.parent != folder or iteration_number(f) is None for f in files):
        raise ValueError("not a session of this workshop")
    result = breakout.merge_files(files, title=title)[0]
    numbers = [iteration_number(p) or 0 for p in iterations(folder)]
    target = paths.iteration_path(folder, max(numbers) + 1, result.session.title)
    store.save_checked(result.session, target)
    return target
