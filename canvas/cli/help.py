"""Help text from docstrings (a command's docstring is its ``--help``), robust to
``python -OO``, which strips docstrings: then the command's name stands in."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def summary(doc: str | None, fallback: str) -> str:
    """A docstring's first line, or ``fallback`` when docstrings are gone (``python -OO``)."""
    lines = (doc or "").strip().splitlines()
    return lines[0] if lines else fallback


def add_command(sub, func: Callable, name: str, epilog: str = "") -> argparse.ArgumentParser:
    """A subcommand whose docstring is its help (the name alone under ``python -OO``)."""
    return sub.add_parser(
        name,
        help=summary(func.__doc__, name),
        description=func.__doc__,
        epilog=epilog or None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
