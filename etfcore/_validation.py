"""Boundary checks shared by every layer.

Each check returns the coerced value or raises :class:`~etfcore.InputError` naming the
parameter, the value received and the constraint.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import InputError


def as_number(value: Any, name: str) -> float:
    """``value`` as a float, or InputError ``"{name}: {value!r} is not a number"``."""
    if isinstance(value, (bool, np.bool_)):
        raise InputError(f"{name}: {value!r} is not a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: {value!r} is not a number") from None


def finite(value: Any, name: str) -> float:
    """A finite float."""
    v = as_number(value, name)
    if not np.isfinite(v):
        raise InputError(f"{name}: {v!r} must be a finite number")
    return v


def non_negative(value: Any, name: str, *, allow_inf: bool = False) -> float:
    """A float >= 0 (finite unless ``allow_inf``: ``inf`` then means "no limit")."""
    v = as_number(value, name)
    if np.isnan(v) or v < 0 or (np.isinf(v) and not allow_inf):
        what = "a number >= 0 (inf for no limit)" if allow_inf else "a finite number >= 0"
        raise InputError(f"{name}: {v!r} must be {what}")
    return v


def positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    """A finite float > 0 (>= 0 with ``allow_zero``)."""
    if allow_zero:
        return non_negative(value, name)
    v = as_number(value, name)
    if not np.isfinite(v) or v <= 0:
        raise InputError(f"{name}: {v!r} must be a finite number > 0")
    return v


__all__ = ["as_number", "finite", "non_negative", "positive"]
