"""The canonical session text, exactly as :func:`canvas.store.dumps` writes it."""

from __future__ import annotations

from canvas import store
from canvas.model import Session


def render(session: Session) -> str:
    return store.dumps(session)
