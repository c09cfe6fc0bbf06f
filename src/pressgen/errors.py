"""Errors a user can act on: each names a file, a 1-based line and what to do.

The CLI prints them as ``path:line: message`` (the form of Babel's compile
errors and Sphinx's warnings) and exits 1 without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class PressgenError(Exception):
    """One problem in the user's files."""

    def __init__(self, path: Path | str | None, line: int | None, message: str):
        # All arguments go to Exception so the error pickles across worker processes.
        super().__init__(path, line, message)
        self.path = Path(path) if path is not None else None
        self.line = line
        self.message = message

    def where(self, root: Path | None = None) -> str:
        if self.path is None:
            return ""
        path = self.path
        if root is not None:
            # The folder resolved, not the file: a link is named where it is, not where it leads.
            try:
                path = path.parent.resolve().relative_to(root.resolve()) / path.name
            except ValueError:
                pass
        return f"{path}:{self.line}" if self.line else str(path)

    def format(self, root: Path | None = None) -> str:
        """One line, always: control characters from a user's file are shown escaped."""
        where = printable(self.where(root))
        message = printable(self.message)
        return f"{where}: {message}" if where else message

    def __str__(self) -> str:
        return self.format()


class PressgenErrors(PressgenError):
    """Several problems found in one pass, reported together (collect, then raise)."""

    def __init__(self, errors: list[PressgenError]):
        super().__init__(None, None, f"{len(errors)} problem(s)")
        self.args = (errors,)
        self.errors = sorted(errors, key=_order)

    def format(self, root: Path | None = None) -> str:
        return "\n".join(error.format(root) for error in self.errors)


def _order(error: PressgenError) -> tuple[str, int]:
    return (str(error.path or ""), error.line or 0)


class Collector:
    """Gathers errors from a checking pass, then raises them all at once."""

    def __init__(self) -> None:
        self.errors: list[PressgenError] = []

    def add(self, path: Path | str | None, line: int | None, message: str) -> None:
        self.errors.append(PressgenError(path, line, message))

    def extend(self, error: PressgenError) -> None:
        self.errors.extend(error.errors if isinstance(error, PressgenErrors) else [error])

    def raise_if_any(self) -> None:
        if self.errors:
            if len(self.errors) == 1:
                raise self.errors[0]
            raise PressgenErrors(self.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)


class UsageError(PressgenError):
    """The command was asked for something that does not exist (exit 2)."""

    def __init__(self, message: str):
        super().__init__(None, None, message)
        self.args = (message,)


def printable(text: str) -> str:
    """Escape what a terminal would not show as itself (found by tests/test_fuzz.py).

    >>> printable("got '\\x1e' and 'İstanbul'")
    "got '\\\\x1e' and 'İstanbul'"
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
