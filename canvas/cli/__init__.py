"""The ``horizons`` command line, the top of the house: it may import every layer below."""

from canvas.cli.main import main

__all__ = ["main"]
