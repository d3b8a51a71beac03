"""Exceptions and warnings raised by etfcore.

Every error a user can trigger names what was wrong (the row, the column, the
value received) and what to do about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class EtfcoreError(Exception):
    """Base class of every etfcore exception."""


class InputError(EtfcoreError, ValueError):
    """Bad input at a public boundary.

    The message names the row, the column, the value and the fix. When several
    rows are wrong the message lists all of them (see :attr:`problems`), so a
    user fixes a file once rather than once per row.
    """

    def __init__(self, message: str, problems: Sequence[str] | None = None):
        self.problems: list[str] = list(problems) if problems else [message]
        super().__init__(message)

    @classmethod
    def from_problems(cls, what: str, problems: Iterable[str]) -> InputError:
        """Build one error listing every problem found in ``what``."""
        problems = list(problems)
        n = len(problems)
        head = f"{what}: {n} problem{'s' if n != 1 else ''} found"
        return cls(head + ":\n  - " + "\n  - ".join(problems), problems)


class ConvergenceError(EtfcoreError, ArithmeticError):
    """A solver did not converge (a yield, a z-spread, a curve fit).

    The message names each item that failed and the input that made it fail;
    :attr:`failed` holds their identifiers.
    """

    def __init__(self, message: str, failed: Sequence[object] = ()):
        self.failed = list(failed)
        super().__init__(message)


class EtfcoreWarning(UserWarning):
    """Base class of etfcore warnings."""


class IdentifierWarning(EtfcoreWarning):
    """A CUSIP or ISIN failed its check digit and the row was kept (``strict=False``)."""


class DataWarning(EtfcoreWarning):
    """Something in a data file was unusual and was handled as the message says."""


class EtfcoreDeprecationWarning(EtfcoreWarning, FutureWarning):
    """A name or keyword still works but has a new spelling; the message says which.

    A :class:`FutureWarning` so that it shows in notebooks and scripts, not only in tests.
    """


def describe_rows(label: str, rows: Sequence[object], limit: int = 20) -> str:
    """Return ``"rows 1, 5, 9"``-style text, shortened after ``limit`` items."""
    rows = list(rows)
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"{label} {shown}{more}"
