"""Where sessions and assets live; the one module that knows the folder layout.

``HORIZONS_HOME`` moves the whole tree (tests use a temporary one); otherwise the working
directory is the home, as for ``git``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
SESSION_NAME = re.compile(r"(\d{2,})-([a-z0-9][a-z0-9-]{0,62})\.yaml")
TEMPLATES = Path(__file__).resolve().parent / "templates"


def home() -> Path:
    return Path(os.environ.get("HORIZONS_HOME") or os.getcwd())


def sessions_dir() -> Path:
    return home() / "sessions"


def assets_dir() -> Path:
    return home() / "assets"


def slugify(text: str) -> str:
    """A plain slug for a title: lowercase ASCII letters, digits and hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40].strip("-") or "session"


def real(path: str | os.PathLike) -> Path:
    """``path`` with every link resolved; unlike ``Path.resolve`` it never raises on a
    link loop (the file is then refused when it is read)."""
    return Path(os.path.realpath(path))


def is_slug(name: str) -> bool:
    return bool(SLUG.fullmatch(name))


def workshop_dir(workshop: str, root: Path | None = None) -> Path:
    """The folder of one workshop; refuses names that are not slugs or leave ``sessions/``.

    A workshop is a real folder inside ``sessions/``: a link there (to elsewhere on the
    server, or a loop) is refused, not followed.
    """
    if not is_slug(workshop):
        raise ValueError(f"not a workshop name (a-z, 0-9, '-'): {workshop!r}")
    base = (root or sessions_dir()).resolve()
    folder = base / workshop
    if folder.is_symlink():
        raise ValueError(f"workshop {workshop!r} is a link, not a folder of sessions/")
    return folder


def iteration_number(path: Path) -> int | None:
    """The iteration number in a session file's name (``07-review.yaml`` is 7), if any."""
    found = SESSION_NAME.fullmatch(path.name)
    return int(found.group(1)) if found else None


def workshop_folders(root: Path | None = None) -> list[Path]:
    """The workshop folders in ``sessions/``, by name: real folders with slug names only
    (a link there, to elsewhere on the server or a loop, is not a workshop)."""
    base = root or sessions_dir()
    try:
        entries = list(os.scandir(base))
    except OSError:
        return []
    found = [Path(e.path) for e in entries if is_slug(e.name) and e.is_dir(follow_symlinks=False)]
    return sorted(found, key=lambda p: p.name)


def iterations(folder: Path) -> list[Path]:
    """The session files of a workshop folder in iteration order (by number: 100 after 99).

    Lists by name only, without opening or following anything (a FIFO or a link loop named
    like a session is listed, and :func:`canvas.format.store.load` refuses it clearly).
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found = [
        Path(e.path)
        for e in entries
        if SESSION_NAME.fullmatch(e.name) and not e.is_dir(follow_symlinks=False)
    ]
    return sorted(found, key=lambda p: (iteration_number(p), p.name))


def iteration_path(folder: Path, number: int, title: str) -> Path:
    return folder / f"{number:02d}-{slugify(title)}.yaml"
