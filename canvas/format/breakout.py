"""Breakout files on disk: what to call each group, and which iteration they all started from.

Kept apart from :mod:`canvas.domain.merge` so that the merge stays a pure function of sessions, and
the guesses made from file names and folders are in one place, stated once.

How groups come about: the facilitator makes one copy of the next iteration per group
(``horizons iterate`` or a breakout copy), so every group file has the same workshop and
the same iteration N, one above the iteration they started from. The base is therefore the
session file of iteration N - 1: looked for in the workshop's folder
(``sessions/<workshop>/``), then in the folder of each group file, by the ``NN-`` number of
its name, never one of the group files itself. Files that are plain copies of the base
(iteration N, not N + 1) need ``--base``.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from canvas.domain.merge import MergeResult, merge
from canvas.domain.model import Session
from canvas.format import paths, store


def find_base(files: list[Path], sessions: list[Session]) -> Path:
    """The file of the iteration the group ``sessions`` (read from ``files``) started from."""
    workshops = sorted({s.workshop for s in sessions})
    if len(workshops) != 1 or not workshops[0]:
        shown = ", ".join(repr(w) for w in workshops)
        raise ValueError(f"the groups are not all from one workshop ({shown}); give --base")
    numbers = sorted({s.iteration for s in sessions})
    if len(numbers) != 1:
        shown = ", ".join(str(n) for n in numbers)
        raise ValueError(f"the groups are at different iterations ({shown}); give --base")
    workshop, wanted = workshops[0], numbers[0] - 1
    if wanted < 1:
        raise ValueError("the groups are at iteration 1: there is none before; give --base")
    own = {paths.real(f) for f in files}
    folders: list[Path] = []
    with contextlib.suppress(ValueError):  # a workshop name that is not a folder name
        folders.append(paths.workshop_dir(workshop))
    for f in files:
        if paths.real(f).parent not in folders:
            folders.append(paths.real(f).parent)
    for folder in folders:
        found = [
            p
            for p in paths.iterations(folder)
            if paths.real(p) not in own and paths.iteration_number(p) == wanted
        ]
        if len(found) > 1:
            shown = ", ".join(p.name for p in found)
            raise ValueError(
                f"several files of iteration {wanted} in {folder} ({shown}); give --base"
            )
        if found:
            return found[0]
    where = ", ".join(str(f) for f in folders)
    raise ValueError(
        f"no file of iteration {wanted:02d} of workshop {workshop!r} in {where}; give --base"
    )


def group_names(files: list[Path], sessions: list[Session], base: Session) -> list[str]:
    """A name per group: its title when each group gave its copy a title of its own.

    That is, when the titles are all different, none empty and none the base's; otherwise
    the file name without the folder, ``.yaml`` and any ``NN-`` prefix ("03-group-a.yaml" is
    "group-a"). Refuses names that still clash.
    """
    titles = [s.title.strip() for s in sessions]
    if all(titles) and len(set(titles)) == len(titles) and base.title.strip() not in titles:
        return titles
    names = []
    for f in files:
        found = paths.SESSION_NAME.fullmatch(f.name)
        names.append(found.group(2) if found else f.stem)
    if len(set(names)) != len(names):
        shown = ", ".join(sorted(names))
        raise ValueError(f"two groups would have the same name ({shown}); rename the files")
    return names


def merge_files(
    files: list[Path], base_path: Path | None = None, title: str | None = None
) -> tuple[MergeResult, Path, Session, list[str]]:
    """Read breakout ``files``, find their base (unless given) and merge them.

    Returns the merge, the base's file and session, and the group names: the CLI and the
    workshop page both merge through here.
    """
    sessions = [store.load(f) for f in files]
    base_path = base_path or find_base(files, sessions)
    if paths.real(base_path) in {paths.real(f) for f in files}:
        raise ValueError(f"{base_path} is both the base and a group")
    base = store.load(base_path)
    names = group_names(files, sessions, base)
    result = merge(base, dict(zip(names, sessions, strict=True)), title=title)
    return result, base_path, base, names
