"""Templates: sessions that new workshops start from.

A template is any session file; the bundled ones live in ``canvas/format/templates/``. Starting a
workshop from a template copies its anchors, personas, prompts and settings, never its notes'
history: a new workshop begins at iteration 1.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from canvas.domain.model import Session
from canvas.format import store
from canvas.format.paths import TEMPLATES


def bundled() -> dict[str, Path]:
    """The bundled templates by name."""
    return {p.stem: p for p in sorted(TEMPLATES.glob("*.yaml"))}


def load_template(name_or_path: str) -> Session:
    """A bundled template by name, or any session file by path."""
    found = bundled().get(name_or_path)
    if found is not None:
        return store.load(found)
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return store.load(path)
    names = ", ".join(bundled())
    raise ValueError(f"no template {name_or_path!r}: use one of {names}, or a session file")


def start_workshop(template: Session, workshop: str, title: str | None = None) -> Session:
    """The first iteration of a new workshop, made from a template."""
    return replace(
        template,
        id=f"{workshop}-01",
        title=title or template.title,
        workshop=workshop,
        iteration=1,
        date=date.today().isoformat(),
    )


def next_iteration(
    session: Session,
    title: str | None = None,
    keep_votes: bool = False,
    number: int | None = None,
) -> Session:
    """The next iteration of a workshop: the same board and note ids, votes reset by default."""
    number = number or session.iteration + 1
    notes = session.notes
    if not keep_votes:
        notes = {k: (replace(n, votes=0) if n.votes else n) for k, n in notes.items()}
    workshop = session.workshop or session.id
    return replace(
        session,
        id=f"{workshop}-{number:02d}",
        title=title or session.title,
        workshop=workshop,
        iteration=number,
        date=date.today().isoformat(),
        notes=notes,
    )
