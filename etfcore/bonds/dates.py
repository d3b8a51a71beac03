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
        ``pandas.Timestamp``, ISO strings (``"2026-01-15"``), strings such as
        ``"Jan 15, 2026"``, or integers (already day numbers).
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
    if np.ndim(values) == 0 and not isinstance(values, (pd.Series, pd.Index)):
        return np.asarray(_scalar_day(values, where, allow_missing), dtype=np.int64)
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        return values.astype(np.int64)
    if isinstance(values, (np.ndarray, pd.Index, pd.Series)) and values.dtype.kind == "M":
        arr = np.asarray(values).astype("datetime64[D]")
        missing = np.isnat(arr)
        out = arr.astype(np.int64)
    else:
        series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
        if series.dtype.kind in "iu":
            return series.to_numpy(dtype=np.int64)
        missing = series.isna().to_numpy()
        parsed = pd.to_datetime(series.where(~missing), errors="coerce", format="mixed")
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        bad = parsed.isna().to_numpy() & ~missing
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{where}: row {i} value {series.iloc[i]!r} is not a date; "
                "use ISO dates such as '2030-05-15'"
            )
        out = parsed.to_numpy().astype("datetime64[D]").astype(np.int64)
    if missing.any():
        if not allow_missing:
            i = int(np.flatnonzero(missing)[0])
            raise InputError(f"{where}: row {i} is missing; give a date for every row")
        out = np.where(missing, NO_DATE, out)
    return out


def _scalar_day(value: Any, where: str, allow_missing: bool) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise InputError(f"{where}: {value!r} is not a date")
    if isinstance(value, (int, np.integer)):
        return int(value)
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        if allow_missing:
            return int(NO_DATE)
        raise InputError(f"{where}: missing; give a date such as '2030-05-15'")
    if isinstance(value, _dt.datetime):  # includes pandas.Timestamp
        return value.date().toordinal() - _ORDINAL_EPOCH
    if isinstance(value, _dt.date):
        return value.toordinal() - _ORDINAL_EPOCH
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return _scalar_day(None, where, allow_missing)
        return int(value.astype("datetime64[D]").astype(np.int64))
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(np.datetime64(text, "D").astype(np.int64))
        except ValueError:
            pass
        try:
            ts = pd.Timestamp(text)
        except (TypeError, ValueError):
            ts = pd.NaT
        if ts is not pd.NaT:
            return ts.date().toordinal() - _ORDINAL_EPOCH
    raise InputError(f"{where}: {value!r} is not a date; use ISO dates such as '2030-05-15'")


_ORDINAL_EPOCH = _dt.date(1970, 1, 1).toordinal()


def to_day(value: Any, where: str = "date") -> int:
    """Convert one date to an ``int`` day number (see :func:`to_days`)."""
    if np.ndim(value) != 0 or isinstance(value, (pd.Series, pd.Index)):
        raise InputError(f"{where}: expected one date, got {value!r}")
    return _scalar_day(value, where, allow_missing=False)


def from_days(days: Any) -> Any:
    """Convert day numbers back to ``numpy.datetime64[D]`` (NaT for :data:`NO_DATE`)."""
    arr = np.asarray(days, dtype=np.int64)
    return np.where(arr == NO_DATE, np.datetime64("NaT"), arr.astype("datetime64[D]"))


def to_timestamps(days: Any) -> pd.DatetimeIndex | pd.Timestamp:
    """Convert day numbers to pandas timestamps (a ``DatetimeIndex`` for arrays)."""
    arr = np.asarray(days, dtype=np.int64)
    if arr.ndim == 0:
        return pd.Timestamp(from_days(arr).item()) if arr != NO_DATE else pd.NaT
    return pd.DatetimeIndex(from_days(arr).astype("datetime64[ns]"))


def today() -> int:
    """Today's date as a day number."""
    return to_day(_dt.date.today())
