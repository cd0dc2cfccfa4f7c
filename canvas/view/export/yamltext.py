"""The canonical session text, exactly as :func:`canvas.format.store.dumps` writes it."""

from __future__ import annotations

from canvas.domain.model import Session
from canvas.format import store


def render(session: Session) -> str:
    return store.dumps(session)
