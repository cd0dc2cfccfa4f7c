"""Who sends an operation or looks at a board: a display name, a role and a person's id.

The id (``pid``) is what a participant's notes, dots and limits are tied to; it is the
server's, never a page's choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from canvas.domain.visibility import Role


@dataclass(frozen=True, slots=True)
class Actor:
    """One person as the room knows them."""

    name: str = ""
    role: Role = Role.FACILITATOR
    pid: str = "facilitator"

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))

    @property
    def facilitator(self) -> bool:
        return self.role is Role.FACILITATOR
