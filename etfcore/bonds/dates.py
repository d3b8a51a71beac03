"""Dates as integer day numbers.

Kernels see dates as ``int64`` days since 1970-01-01 (the numpy ``datetime64[D]``
epoch); users see ``datetime.date``, ``numpy.datetime64``, ``pandas.Timestamp``
or ISO strings. :func:`to_days` and :func:`from_days` convert between the two,
vectorised.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError

#: Sentinel day number for "no date" (an optional date that is absent).
NO_DATE = np.int64(-(2**40))

_EPOCH = np.datetime64("1970-01-01", "D")


def to_days(values: Any, where: str = "date", allow_missing: bool = False) -> np.ndarray:
    """Convert dates to ``int64`` day numbers (days since 1970-01-01).

    Parameters
    ----------
    values
        A scalar or array-like of dates: ``datetime.date``, ``numpy.datetime64``,
        ``pandas.Timestamp``, ISO strings (``"2026-01-15"``) or strings such as
        ``"Jan 15, 2026"``.
    where
        What the values are, for error messages (``"maturity_date"``).
    allow_missing
        If true, missing values become :data:`NO_DATE`; otherwise they are an error.

    Returns
    -------
    numpy.ndarray
        ``int64`` day numbers, the shape of ``values`` (0-d for a scalar).

    Raises
    ------
    InputError
        If a value cannot be read as a date, or is missing and ``allow_missing`` is false.
    """
    scalar = np.ndim(values) == 0 and not isinstance(values, (pd.Series, pd.Index))
    if isinstance(values, (int, np.integer)) and not isinstance(values, bool):
        return np.asarray(values, dtype=np.int64)
    arr = pd.Series([values] if scalar else list(values) if not isinstance(values, (pd.Series, pd.Index, np.ndarray)) else values)
    if arr.dtype.kind in "iu":
        out = arr.to_numpy(dtype=np.int64)
        return out[0] if scalar else out
    try:
        parsed = pd.to_datetime(arr, errors="coerce", format="mixed")
    except (TypeError, ValueError):
        parsed = pd.Series([_parse_one(v) for v in arr])
    missing_in = arr.isna().to_numpy()
    bad = parsed.isna().to_numpy() & ~missing_in
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{where}: row {i} value {arr.iloc[i]!r} is not a date; "
            "use ISO dates such as '2030-05-15'"
        )
    if missing_in.any() and not allow_missing:
        i = int(np.flatnonzero(missing_in)[0])
        raise InputError(f"{where}: row {i} is missing; give a date for every row")
    days = np.full(len(parsed), NO_DATE, dtype=np.int64)
    ok = ~missing_in
    if ok.any():
        dt = parsed[ok].dt.tz_localize(None) if getattr(parsed.dt, "tz", None) else parsed[ok]
        days[ok] = dt.to_numpy().astype("datetime64[D]").astype(np.int64)
    return days[0] if scalar else days


def _parse_one(value: Any) -> Any:
    try:
        return pd.Timestamp(value)
    except (TypeError, ValueError):
        return pd.NaT


def to_day(value: Any, where: str = "date") -> int:
    """Convert one date to an ``int`` day number (see :func:`to_days`)."""
    if np.ndim(value) != 0:
        raise InputError(f"{where}: expected one date, got {value!r}")
    return int(to_days(value, where=where))


def from_days(days: Any) -> Any:
    """Convert day numbers back to ``numpy.datetime64[D]`` (NaT for :data:`NO_DATE`)."""
    arr = np.asarray(days, dtype=np.int64)
    out = (arr.astype("datetime64[D]"))
    out = np.where(arr == NO_DATE, np.datetime64("NaT"), out)
    return out


def to_timestamps(days: Any) -> pd.DatetimeIndex | pd.Timestamp:
    """Convert day numbers to pandas timestamps (a ``DatetimeIndex`` for arrays)."""
    arr = np.asarray(days, dtype=np.int64)
    if arr.ndim == 0:
        return pd.Timestamp(from_days(arr).item()) if arr != NO_DATE else pd.NaT
    return pd.DatetimeIndex(from_days(arr).astype("datetime64[ns]"))


def today() -> int:
    """Today's date as a day number."""
    return to_day(_dt.date.today())
