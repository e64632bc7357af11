"""resdiff: structure-aware redlines and version history for UN resolutions."""

__version__ = "0.1.0"
"""The version reports and ``resdiff --version`` print; keep it equal to pyproject.toml's.
A constant, not ``importlib.metadata``: reading the installed metadata costs every run ~20 ms."""
