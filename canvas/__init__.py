"""Three Horizons Canvas: live Three Horizons workshops, saved as YAML iterations."""

__version__ = "0.1.0"
