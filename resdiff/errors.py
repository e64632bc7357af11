"""The one error hierarchy of resdiff.

Every failure a user can cause or fix is a ``ResdiffError`` carrying a message
(what happened) and a hint (what to do). ``cli`` turns these into exit code 2;
anything else that escapes is a bug and becomes exit code 3.
"""

from __future__ import annotations


class ResdiffError(Exception):
    """A problem with the user's input or environment, with a hint to fix it."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class InputError(ResdiffError):
    """A file or text that cannot be read or has nothing resdiff can compare."""


class SymbolError(ResdiffError):
    """A resolution symbol that is malformed, ambiguous or not available."""


class OutputError(ResdiffError):
    """A report that cannot be written where the user asked."""


class StoreError(ResdiffError):
    """A version store that is missing, locked, foreign or damaged."""


class FetchError(ResdiffError):
    """A download that failed or returned something that is not the document."""
