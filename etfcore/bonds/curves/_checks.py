"""Constants and input checks shared by the curve modules (private)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...errors import InputError
from ..dates import to_days

if TYPE_CHECKING:  # pragma: no cover
    pass


#: Interpolations understood by :class:`ZeroCurve`.
INTERPOLATIONS = ("linear_zero", "log_linear_discount")
_DAYS_PER_YEAR = 365.0
# Discount factors are tabulated by day for the first 40 years after the reference date.
_TABLE_DAYS = 40 * 365 + 11
_BP = 1e-4
_TENOR_TOL = 1e-9
# A decimal rate above this is almost surely a percentage.
from ..._validation import PERCENT_GUARD as _PERCENT_GUARD  # noqa: E402  (one owner)

_NSS_NAMES = ("beta0", "beta1", "beta2", "beta3", "tau1", "tau2")
_TAU_BOUNDS = (0.05, 30.0)
_BETA_BOUND = 1.0
# Betas beyond +-_BETA_SOFT cost _PENALTY_BP bp of residual per unit (1 bp per 1%): a soft
# bound that stops the collinear blow-ups of NSS (tau1 ~ tau2, beta2 ~ -beta3 -> +-inf)
# without touching ordinary fits.
_BETA_SOFT = 0.3
_PENALTY_BP = 100.0
# The (tau1, tau2) grid, cells with tau1 < tau2: betas are profiled on every cell and
# the best _N_POLISH cells start a full least-squares fit.
_TAU1_GRID = (0.1, 0.2, 0.35, 0.6, 1.0, 1.7, 3.0, 5.0, 8.0)
_TAU2_GRID = (1.0, 2.0, 3.5, 6.0, 10.0, 15.0, 22.0, 30.0)
_N_POLISH = 3
_FTOL = _XTOL = _GTOL = 1e-10
_MAX_NFEV = 400


# =====================================================================================
# small helpers
# =====================================================================================


def _tenor_label(t: float) -> str:
    """Short tenor text: ``5 -> '5y'``, ``0.25 -> '3m'``, ``1.5/12 -> '1.5m'``."""
    t = float(t)
    if abs(t - round(t)) < 1e-9:
        return f"{round(t)}y"
    months = t * 12.0
    if t < 1.0 and abs(months - round(months, 2)) < 1e-6:
        return f"{round(months, 2):g}m"
    return f"{t:g}y"


def _format_bp(bp: float) -> str:
    return f"{bp:+g}bp"


def _day_label(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


class _Wrap:
    """Remember how an input came in (scalar, numpy, Series, Index) to return the same kind."""

    def __init__(self, values: Any, where: str):
        self.kind = "array"
        self.index: Any = None
        self.shape: tuple[int, ...] = ()
        try:
            if isinstance(values, pd.Series):
                self.kind, self.index = "series", values.index
                arr = values.to_numpy(dtype=np.float64)
            elif isinstance(values, pd.Index):
                self.kind = "index"
                arr = values.to_numpy(dtype=np.float64)
            elif np.ndim(values) == 0:
                self.kind = "scalar"
                arr = np.array([float(values)])
            else:
                arr = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise InputError(
                f"{where}: expected numbers (years), got {_short(values)}; pass floats"
            ) from exc
        self.shape = arr.shape
        self.values = np.ascontiguousarray(arr.reshape(-1))

    def __call__(self, out: np.ndarray, name: str) -> Any:
        if self.kind == "scalar":
            return float(out[0])
        if self.kind == "series":
            return pd.Series(out, index=self.index, name=name)
        if self.kind == "index":
            return pd.Index(out, name=name)
        return out.reshape(self.shape)


def _num(value: Any) -> str:
    """A number as plain text (``2.25``, ``nan``), not numpy's ``np.float64(2.25)``."""
    try:
        return f"{float(value):.10g}"
    except (TypeError, ValueError):
        return repr(value)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _validate_tenors(values: Any, where: str = "tenors", allow_zero: bool = True) -> np.ndarray:
    """Finite, >= 0 (or > 0), strictly increasing year fractions, as float64."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{where}: expected numbers (years), got {_short(values)}") from exc
    if arr.ndim != 1 or arr.size == 0:
        raise InputError(f"{where}: expected a non-empty 1-D list of years, got shape {arr.shape}")
    problems = []
    low = (arr < 0) if allow_zero else (arr <= 0)
    for i in np.flatnonzero(~np.isfinite(arr) | low):
        v = arr[i]
        if not np.isfinite(v):
            problems.append(f"{where}: position {i} value {_num(v)} is not a number; give years")
        else:
            bound = ">= 0" if allow_zero else "> 0"
            problems.append(
                f"{where}: position {i} value {_num(v)} must be {bound} "
                "(years from the reference date)"
            )
    finite = np.isfinite(arr)
    unsorted = ~(arr[1:] > arr[:-1]) & finite[1:] & finite[:-1]
    for i in np.flatnonzero(unsorted) + 1:
        what = "duplicates" if arr[i] == arr[i - 1] else "is below"
        problems.append(
            f"{where}: position {i} value {_num(arr[i])} {what} position {i - 1} value "
            f"{_num(arr[i - 1])}; tenors must be strictly increasing (sort them, drop duplicates)"
        )
    if problems:
        raise (
            InputError(problems[0])
            if len(problems) == 1
            else InputError.from_problems(where, problems)
        )
    return np.ascontiguousarray(arr)


def _validate_rates(
    values: Any, n: int, where: str, allow_nan: bool = False, tenors_where: str = "tenors"
) -> np.ndarray:
    """Decimal rates, one per tenor; NaN only if ``allow_nan``; |rate| <= 100%."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{where}: expected decimal rates, got {_short(values)}") from exc
    if arr.ndim != 1:
        raise InputError(f"{where}: expected a 1-D list of rates, got shape {arr.shape}")
    if arr.size != n:
        raise InputError(
            f"{where}: got {arr.size} values for {n} {tenors_where}; give one rate per tenor"
        )
    problems = []
    percent = []
    bad = np.flatnonzero(~np.isfinite(arr) | (np.abs(arr) > _PERCENT_GUARD))
    for i in bad:
        v = arr[i]
        if np.isnan(v):
            if not allow_nan:
                problems.append(
                    f"{where}: position {i} is NaN; give a rate for every tenor "
                    "(or drop that tenor)"
                )
        elif not np.isfinite(v):
            problems.append(f"{where}: position {i} value {_num(v)} is not finite")
        else:
            percent.append(i)
    if percent:
        i = percent[0]
        more = f" (and {len(percent) - 1} more)" if len(percent) > 1 else ""
        problems.append(
            f"{where}: position {i} value {_num(arr[i])} looks like a percentage{more}; "
            f"pass decimals ({arr[i] / 100:g} for {arr[i]:g}%)"
        )
    if problems:
        raise (
            InputError(problems[0])
            if len(problems) == 1
            else InputError.from_problems(where, problems)
        )
    return np.ascontiguousarray(arr)


def _as_day_numbers(days: Any, where: str = "days") -> np.ndarray:
    """Day numbers for the discounting hot path.

    An ``int64`` array is taken as day numbers as it is (the kernels' form: cash-flow
    dates, 300,000 of them per call, with no per-call parse); anything else goes
    through the package's one date parser, :func:`~etfcore.bonds.dates.to_days`.
    """
    if isinstance(days, np.ndarray) and days.dtype == np.int64:
        return days
    return np.asarray(to_days(days, where=where), dtype=np.int64)


def _bp_list(bps: Any, where: str) -> np.ndarray:
    arr = np.atleast_1d(np.asarray(bps, dtype=np.float64))
    if arr.ndim != 1 or arr.size == 0:
        raise InputError(f"{where}: expected one or more shocks in bp, got {_short(bps)}")
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        i = int(bad[0])
        raise InputError(f"{where}: position {i} value {_num(arr[i])} is not a finite number of bp")
    return arr
