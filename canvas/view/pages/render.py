"""HTML from Jinja2 templates (``canvas/view/jinja``), always autoescaped.

Every page that is not the board (sign-in, join, messages, the table of iterations) is built
here, so user text (titles, names, errors) can only reach the browser escaped.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent.parent / "jinja"


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: object) -> str:
    """One template filled in; every value is escaped unless it is already markup."""
    return environment().get_template(template).render(**context)
