"""How the format layer reports bad input: every problem, each with file, line, column and field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file, located as precisely as the input allows."""

    source: str
    message: str
    field: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {what}"


class FormatError(ValueError):
    """A session file that cannot be read; ``problems`` lists everything found wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def field_name(path: tuple) -> str:
    """A dotted field name for a path into the file, e.g. ``notes.n-1.horizon``."""
    return ".".join(str(p) for p in path)
