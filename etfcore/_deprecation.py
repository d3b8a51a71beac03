"""Renamed keywords and names: the old spelling works, with a warning that says what to use."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import EtfcoreDeprecationWarning, InputError

F = TypeVar("F", bound=Callable[..., Any])


def warn_renamed(old: str, new: str, where: str, *, stacklevel: int = 3) -> None:
    """Warn that ``where``'s ``old`` is now spelled ``new``."""
    warnings.warn(
        f"{where}: {old!r} is deprecated; use {new!r} (same meaning)",
        EtfcoreDeprecationWarning,
        stacklevel=stacklevel,
    )


def renamed_keywords(**renames: str) -> Callable[[F], F]:
    """Accept old keyword names, with a deprecation warning, mapping each to its new name.

    ``@renamed_keywords(side="quote_side")`` lets ``f(side="bid")`` call
    ``f(quote_side="bid")`` and warn. Passing both spellings is an error.
    """

    def decorate(func: F) -> F:
        where = func.__qualname__

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise InputError(
                            f"{where}: got both {old!r} (deprecated) and {new!r}; pass only {new!r}"
                        )
                    warn_renamed(f"{old}=", f"{new}=", where)
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


__all__ = ["renamed_keywords", "warn_renamed"]
