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


def is_slug(name: str) -> bool:
    return bool(SLUG.fullmatch(name))


def workshop_dir(workshop: str, root: Path | None = None) -> Path:
    """The folder of one workshop; refuses names that are not slugs or leave ``sessions/``."""
    if not is_slug(workshop):
        raise ValueError(f"not a workshop name (a-z, 0-9, '-'): {workshop!r}")
    base = (root or sessions_dir()).resolve()
    folder = (base / workshop).resolve()
    if folder.parent != base:
        raise ValueError(f"workshop {workshop!r} is outside {base}")
    return folder


def iteration_number(path: Path) -> int | None:
    """The iteration number in a session file's name (``07-review.yaml`` is 7), if any."""
    found = SESSION_NAME.fullmatch(path.name)
    return int(found.group(1)) if found else None


def iterations(folder: Path) -> list[Path]:
    """The session files of a workshop folder in iteration order (by number: 100 after 99)."""
    found = [p for p in folder.glob("*.yaml") if SESSION_NAME.fullmatch(p.name)]
    return sorted(found, key=lambda p: (iteration_number(p), p.name))


def iteration_path(folder: Path, number: int, title: str) -> Path:
    return folder / f"{number:02d}-{slugify(title)}.yaml"
