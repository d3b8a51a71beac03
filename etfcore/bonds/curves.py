"""Yield curves: zero curves, many-scenario curves, and Treasury curve fitting.

* :class:`ZeroCurve` -- tenors and continuously compounded zero rates with an
  interpolation; discount factors by time or by day number.
* :class:`CurveScenarios` -- many zero curves on one tenor grid (parallel, twist,
  butterfly, key-rate and random shocks), discounted all at once.
* :func:`fit_nss` / :class:`NSSFit` / :class:`NSSCurve` -- a Nelson-Siegel-Svensson
  curve fitted to US Treasury par yields, as the Federal Reserve's GSW curve is.
* :func:`fit_nss_history` / :class:`NSSHistory` -- one NSS fit a day over a history.
* :func:`bootstrap_par_yields` -- an exact bootstrap of the same par yields.

Conventions used throughout
---------------------------
* Dates are ``int64`` day numbers (days since 1970-01-01, see
  :mod:`etfcore.bonds.dates`); anything date-like is accepted at the boundary.
* Time is ACT/365F from the curve's reference date: ``t = (day - reference_day) / 365``.
* Zero rates are decimals, continuously compounded: ``DF(t) = exp(-z(t) t)``.
* Shocks are in basis points (``_bp``) and are added to the zero rates at the knots.
* Treasury par yields are decimals, bond-equivalent: bills (tenor <= 1 year) are
  the bond-equivalent yield of a zero, longer tenors the coupon of a semiannual
  bond priced at par (see :meth:`ZeroCurve.treasury_par_yields`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import ConvergenceError, DataWarning, InputError
from .dates import to_day, to_days, to_timestamps

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "CurveScenarios",
    "exponent_coefficients",
    "NSSCurve",
    "NSSFit",
    "NSSHistory",
    "ZeroCurve",
    "bootstrap_par_yields",
    "fit_nss",
    "fit_nss_history",
    "random_shocks",
]

#: Interpolations understood by :class:`ZeroCurve`.
INTERPOLATIONS = ("linear_zero", "log_linear_discount")
_DAYS_PER_YEAR = 365.0
# Discount factors are tabulated by day for the first 40 years after the reference date.
_TABLE_DAYS = 40 * 365 + 11
_BP = 1e-4
_TENOR_TOL = 1e-9
# A decimal rate above this is almost surely a percentage.
_PERCENT_GUARD = 1.0
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
    d = np.asarray(days)
    if d.dtype == np.int64:
        return d
    if d.dtype.kind == "M":
        return d.astype("datetime64[D]").astype(np.int64)
    if d.dtype.kind in "iu":
        return d.astype(np.int64)
    raise InputError(
        f"{where}: expected int64 day numbers (days since 1970-01-01), got dtype {d.dtype}; "
        "convert dates with etfcore.bonds.dates.to_days"
    )


def _bp_list(bps: Any, where: str) -> np.ndarray:
    arr = np.atleast_1d(np.asarray(bps, dtype=np.float64))
    if arr.ndim != 1 or arr.size == 0:
        raise InputError(f"{where}: expected one or more shocks in bp, got {_short(bps)}")
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        i = int(bad[0])
        raise InputError(f"{where}: position {i} value {_num(arr[i])} is not a finite number of bp")
    return arr


# =====================================================================================
# Treasury conventions: bills as bond-equivalent yields, coupons as par yields
# =====================================================================================


def _bill_yield(discount: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Bond-equivalent yield of a zero (a bill) of ``t`` years with discount factor ``discount``.

    ``t <= 0.5``: ``DF = 1 / (1 + y t)``; ``0.5 < t <= 1``:
    ``DF = 1 / ((1 + y/2)(1 + (t - 1/2) y))`` (the Treasury's formula for bills of
    more than half a year, solved for ``y``).
    """
    g = 1.0 / discount - 1.0
    a = t - 0.5
    short = t <= 0.5
    y_short = g / np.where(short, t, 1.0)
    y_long = 2.0 * g / (t + np.sqrt(np.maximum(t * t + 2.0 * a * g, 0.0)))
    return np.where(short, y_short, y_long)


def _bill_discount(bey: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Inverse of :func:`_bill_yield`."""
    a = np.maximum(t - 0.5, 0.0)
    return np.where(t <= 0.5, 1.0 / (1.0 + bey * t), 1.0 / ((1.0 + 0.5 * bey) * (1.0 + a * bey)))


def _coupon_schedule(
    maturities: np.ndarray, frequency: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coupon times of bonds paying ``frequency`` times a year, rolled back from maturity.

    Returns the concatenated times, the start offset of each bond in them, and the
    accrued fraction (years since the previous, notional, coupon date) of each bond.
    """
    period = 1.0 / frequency
    counts = np.maximum(np.ceil(maturities * frequency - _TENOR_TOL).astype(np.int64), 1)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    owner = np.repeat(np.arange(maturities.size), counts)
    k = np.arange(counts.sum()) - starts[owner]
    times = maturities[owner] - k * period
    first = maturities - (counts - 1) * period
    accrued = period - first
    accrued = np.where(np.abs(accrued) < _TENOR_TOL, 0.0, np.maximum(accrued, 0.0))
    return times, starts, accrued


class _TreasuryPlan:
    """Model-implied Treasury quotes from discount factors at a fixed set of times.

    ``tenors`` must be strictly increasing, so the bills (tenor <= 1y) come first.
    Bills quote the bond-equivalent yield of a zero; coupon tenors the par yield
    of a semiannual bond with coupons at ``T, T - 1/2, ...`` (clean price at par,
    so a tenor off the half-year grid pays a short first coupon with accrued).
    ``times`` are the times at which discount factors are needed; the other
    arrays are the flat description that the kernels in ``_curve_kernels`` take.
    """

    def __init__(self, tenors: np.ndarray):
        self.tenors = tenors
        self.is_bill = tenors <= 1.0 + _TENOR_TOL
        bill_t = np.ascontiguousarray(tenors[self.is_bill])
        coupon_t = tenors[~self.is_bill]
        ctimes, starts, accrued = _coupon_schedule(coupon_t, 2)
        self.times = np.unique(np.round(np.concatenate((bill_t, ctimes)), 12))
        self.bill_t = bill_t
        self.bill_pos = np.searchsorted(self.times, np.round(bill_t, 12)).astype(np.int64)
        self.cpn_pos = np.searchsorted(self.times, np.round(ctimes, 12)).astype(np.int64)
        self.cpn_start = np.append(starts, ctimes.size).astype(np.int64)
        self.final_pos = np.ascontiguousarray(self.cpn_pos[starts]).astype(np.int64)
        self.accrued = np.ascontiguousarray(accrued, dtype=np.float64)
        self.kernel_args = (
            self.times,
            self.bill_pos,
            self.bill_t,
            self.cpn_start,
            self.cpn_pos,
            self.final_pos,
            self.accrued,
        )

    def yields(self, discount: np.ndarray) -> np.ndarray:
        """Quotes (decimals) from discount factors at :attr:`times` (plain numpy)."""
        out = np.empty(self.tenors.size)
        out[self.is_bill] = _bill_yield(discount[self.bill_pos], self.bill_t)
        if self.final_pos.size:
            annuity = np.add.reduceat(0.5 * discount[self.cpn_pos], self.cpn_start[:-1])
            q = annuity - self.accrued
            out[~self.is_bill] = (1.0 - discount[self.final_pos]) / q
        return out


# =====================================================================================
# the discounting interface shared by ZeroCurve and NSSCurve
# =====================================================================================


class _Discounting:
    """Methods shared by every curve; subclasses provide ``reference_date`` and ``_zero``."""

    reference_date: int

    # -- to be provided -------------------------------------------------------------
    def _zero(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _discount(self, t: np.ndarray) -> np.ndarray:
        return np.exp(-self._zero(t) * t)

    # -- dates ------------------------------------------------------------------------
    @property
    def reference_timestamp(self) -> pd.Timestamp:
        """The reference date as a :class:`pandas.Timestamp`."""
        return to_timestamps(self.reference_date)

    def time(self, dates: Any) -> Any:
        """Year fraction ACT/365F from the reference date to ``dates``.

        Parameters
        ----------
        dates
            A date or dates: anything :func:`etfcore.bonds.dates.to_days` reads
            (integers are day numbers).

        Returns
        -------
        float, numpy.ndarray, pandas.Series or pandas.Index
            ``(day - reference_day) / 365``, the same kind as the input.
        """
        if isinstance(dates, pd.Series):
            days = to_days(dates, where="dates")
            return pd.Series(
                (days - self.reference_date) / _DAYS_PER_YEAR, index=dates.index, name="time"
            )
        if isinstance(dates, pd.Index):
            days = to_days(dates, where="dates")
            return pd.Index((days - self.reference_date) / _DAYS_PER_YEAR, name="time")
        days = to_days(dates, where="dates")
        out = (np.asarray(days, dtype=np.int64) - self.reference_date) / _DAYS_PER_YEAR
        return float(out) if np.ndim(out) == 0 else out

    # -- rates and discount factors ---------------------------------------------------
    def zero_rate(self, t: Any) -> Any:
        """Continuously compounded zero rate (decimal) at time ``t`` (years).

        Parameters
        ----------
        t
            Years from the reference date: a number, an array, a Series or an Index.

        Returns
        -------
        float, numpy.ndarray, pandas.Series or pandas.Index
            The same kind and shape as ``t``.
        """
        w = _Wrap(t, "t")
        return w(self._zero(w.values), "zero_rate")

    def discount(self, t: Any) -> Any:
        """Discount factor ``exp(-z(t) t)`` at time ``t`` (years).

        Parameters
        ----------
        t
            Years from the reference date: a number, an array, a Series or an Index.

        Returns
        -------
        float, numpy.ndarray, pandas.Series or pandas.Index
            The same kind and shape as ``t``.
        """
        w = _Wrap(t, "t")
        return w(self._discount(w.values), "discount")

    def forward_rate(self, t1: Any, t2: Any) -> Any:
        """Continuously compounded forward rate between ``t1`` and ``t2`` (years).

        ``f = (z(t2) t2 - z(t1) t1) / (t2 - t1)``; ``t1`` and ``t2`` broadcast.

        Raises
        ------
        InputError
            Where ``t2 <= t1``.
        """
        w1, w2 = _Wrap(t1, "t1"), _Wrap(t2, "t2")
        a, b = np.broadcast_arrays(w1.values.reshape(w1.shape), w2.values.reshape(w2.shape))
        a, b = a.reshape(-1), b.reshape(-1)
        bad = np.flatnonzero(~(b > a))
        if bad.size:
            i = int(bad[0])
            raise InputError(
                f"t2: position {i} value {_num(b[i])} is not after t1 = {_num(a[i])}; "
                "a forward rate needs t2 > t1"
            )
        out = (self._zero(b) * b - self._zero(a) * a) / (b - a)
        if w1.kind == "scalar" and w2.kind == "scalar":
            return float(out[0])
        for w in (w1, w2):
            if w.kind in ("series", "index") and w.values.size == out.size:
                return w(out, "forward_rate")
        return out.reshape(np.broadcast_shapes(w1.shape, w2.shape))

    def discount_days(self, days: Any) -> Any:
        """Discount factors for ``int64`` day numbers -- the pricing layer's entry point.

        The first 40 years of daily discount factors are computed once per curve
        (at the first call) and then looked up, so that 10,000 days cost a gather
        (tens of microseconds); days outside that range are computed directly.

        Parameters
        ----------
        days
            ``int64`` day numbers (days since 1970-01-01); ``datetime64`` arrays are
            accepted too. A Series gives a Series with the same index.

        Returns
        -------
        numpy.ndarray
            ``float64`` discount factors, the shape of ``days``.
        """
        if isinstance(days, pd.Series):
            return pd.Series(self.discount_days(days.to_numpy()), index=days.index, name="discount")
        d = _as_day_numbers(days)
        offsets = d - self.reference_date
        if offsets.size == 0:
            return np.empty(offsets.shape)
        table = self.__dict__.get("_day_table")
        if table is None:
            table = self._discount(np.arange(_TABLE_DAYS) / _DAYS_PER_YEAR)
            table.setflags(write=False)
            object.__setattr__(self, "_day_table", table)
        if offsets.min() >= 0 and offsets.max() < _TABLE_DAYS:
            return table[offsets]
        out = np.empty(offsets.shape)
        inside = (offsets >= 0) & (offsets < _TABLE_DAYS)
        out[inside] = table[offsets[inside]]
        out[~inside] = self._discount(offsets[~inside] / _DAYS_PER_YEAR)
        return out

    # -- par yields -------------------------------------------------------------------
    def par_yield(self, maturities_years: Any, frequency: int = 2) -> Any:
        """Par coupon of a bond paying ``frequency`` coupons a year.

        Parameters
        ----------
        maturities_years
            Maturities in years from the reference date (> 0).
        frequency
            Coupons a year: 1, 2, 4 or 12.

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            Decimal coupon rates (bond-equivalent for ``frequency=2``).

        Notes
        -----
        Coupons fall at ``T, T - 1/f, T - 2/f, ...`` (all after the reference date).
        The par coupon ``c`` makes the clean price equal to par:
        ``c/f * sum DF(t_k) + DF(T) - c * a = 1``, with ``a`` the accrued time
        since the previous (notional) coupon date, zero when ``T f`` is whole:
        ``c = (1 - DF(T)) / (sum DF(t_k) / f - a)``.
        """
        if frequency not in (1, 2, 4, 12):
            raise InputError(f"frequency: got {frequency!r}; use 1, 2, 4 or 12 coupons a year")
        w = _Wrap(maturities_years, "maturities_years")
        m = w.values
        bad = np.flatnonzero(~(m > 0) | ~np.isfinite(m))
        if bad.size:
            i = int(bad[0])
            raise InputError(
                f"maturities_years: position {i} value {_num(m[i])} must be a positive "
                "number of years"
            )
        times, starts, accrued = _coupon_schedule(m, frequency)
        df = self._discount(times)
        annuity = np.add.reduceat(df, starts) / frequency
        out = (1.0 - df[starts]) / (annuity - accrued)
        return w(out, "par_yield")

    def treasury_par_yields(self, tenors: Any) -> Any:
        """Model-implied Treasury par-curve quotes at ``tenors`` (years).

        Bills (tenor <= 1 year) are bond-equivalent yields of a zero: for
        ``t <= 1/2``, ``DF = 1 / (1 + y t)``; for ``1/2 < t <= 1``,
        ``DF = 1 / ((1 + y/2)(1 + (t - 1/2) y))`` (the Treasury's formula for
        longer bills). Longer tenors are par yields of a semiannual bond
        (:meth:`par_yield` with ``frequency=2``). This is the quantity that
        :func:`fit_nss` fits and :func:`bootstrap_par_yields` reproduces.

        Parameters
        ----------
        tenors
            Tenors in years (> 0).

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            Decimal yields.
        """
        w = _Wrap(tenors, "tenors")
        t = w.values
        bad = np.flatnonzero(~(t > 0) | ~np.isfinite(t))
        if bad.size:
            i = int(bad[0])
            raise InputError(f"tenors: position {i} value {_num(t[i])} must be a positive number")
        order = np.argsort(t, kind="stable")
        uniq, inverse = np.unique(t[order], return_inverse=True)
        plan = _TreasuryPlan(uniq)
        y = plan.yields(self._discount(plan.times))
        out = np.empty(t.size)
        out[order] = y[inverse]
        return w(out, "par_yield")


# =====================================================================================
# ZeroCurve
# =====================================================================================


@dataclass(frozen=True, init=False, eq=False, repr=False)
class ZeroCurve(_Discounting):
    """A zero curve: tenors (years) and continuously compounded zero rates.

    Parameters
    ----------
    reference_date
        The curve's date (anything date-like; an integer is a day number). Time
        is ACT/365F from it.
    tenors
        Knot times in years, strictly increasing, ``>= 0`` (a 0 is allowed as the
        first knot only, since tenors increase).
    zero_rates
        Decimal zero rates at the knots, continuously compounded.
    interpolation
        ``"linear_zero"`` (linear in the zero rate) or ``"log_linear_discount"``
        (linear in ``log DF = -z t``, i.e. piecewise-flat forward rates).

    Attributes
    ----------
    reference_date : int
        Day number of the reference date (:attr:`reference_timestamp` gives a Timestamp).
    tenors, zero_rates : numpy.ndarray
        Read-only float64 arrays.
    interpolation : str
        As given.

    Raises
    ------
    InputError
        On unsorted, duplicate, negative or NaN tenors, NaN rates, rates that
        look like percentages, a length mismatch or an unknown interpolation; the
        message names the position and the value.

    Notes
    -----
    **Interpolation.** Between knots ``t_i < t < t_{i+1}``: ``"linear_zero"`` gives
    ``z(t) = z_i + (z_{i+1} - z_i)(t - t_i)/(t_{i+1} - t_i)``;
    ``"log_linear_discount"`` interpolates ``z t`` the same way, so
    ``DF(t) = DF_i^{1-w} DF_{i+1}^w`` and the forward rate is flat between knots.

    **Extrapolation** is flat in the zero rate on both sides, for both
    interpolations: ``z(t) = z(t_first)`` for ``t <= t_first`` and
    ``z(t) = z(t_last)`` for ``t >= t_last`` (so ``DF(t) = exp(-z t)`` keeps
    decaying). QuantLib differs: its interpolated curves start at the reference
    date (a node at ``t = 0``, which reproduces our flat short end when given
    the first rate -- or ``DF = 1`` for a discount curve) and, with extrapolation
    enabled, extend *flat-forward* past the last node (the instantaneous forward
    at the last node is held, so the zero rate keeps moving). Inside the node
    range the two agree to rounding (``tests/test_curves.py``).

    Examples
    --------
    >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
    >>> round(curve.zero_rate(5.0), 6)
    0.040875
    >>> curve.discount_days(curve.reference_date + np.array([0, 365])).round(6)
    array([1.      , 0.959189])
    """

    reference_date: int
    tenors: np.ndarray
    zero_rates: np.ndarray
    interpolation: str

    def __init__(
        self,
        reference_date: Any,
        tenors: Any,
        zero_rates: Any,
        interpolation: str = "linear_zero",
    ):
        day = to_day(reference_date, where="reference_date")
        if interpolation not in INTERPOLATIONS:
            raise InputError(
                f"interpolation: unknown value {interpolation!r}; use one of {INTERPOLATIONS}"
            )
        t = _validate_tenors(tenors, "tenors")
        z = _validate_rates(zero_rates, t.size, "zero_rates")
        self._set(day, t, z, interpolation)

    def _set(self, day: int, t: np.ndarray, z: np.ndarray, interpolation: str) -> None:
        t = np.array(t, dtype=np.float64)
        z = np.array(z, dtype=np.float64)
        t.setflags(write=False)
        z.setflags(write=False)
        object.__setattr__(self, "reference_date", int(day))
        object.__setattr__(self, "tenors", t)
        object.__setattr__(self, "zero_rates", z)
        object.__setattr__(self, "interpolation", interpolation)
        object.__setattr__(self, "_zt", t * z)

    @classmethod
    def _trusted(
        cls, day: int, tenors: np.ndarray, zero_rates: np.ndarray, interpolation: str
    ) -> ZeroCurve:
        """Build without validation (inputs already checked by the caller)."""
        obj = cls.__new__(cls)
        obj._set(day, tenors, zero_rates, interpolation)
        return obj

    # -- core -------------------------------------------------------------------------
    def _zero(self, t: np.ndarray) -> np.ndarray:
        tk, zk = self.tenors, self.zero_rates
        if self.interpolation == "linear_zero":
            return np.interp(t, tk, zk)
        y = np.interp(t, tk, self._zt)
        inside = (t > tk[0]) & (t < tk[-1])
        z = y / np.where(inside, t, 1.0)
        return np.where(inside, z, np.where(t <= tk[0], zk[0], zk[-1]))

    # -- modifications ----------------------------------------------------------------
    def shift(self, bp: float) -> ZeroCurve:
        """A copy with every zero rate moved by ``bp`` basis points (a parallel shift)."""
        if not np.isfinite(bp):
            raise InputError(f"bp: got {_num(bp)}; give a finite shift in basis points")
        return ZeroCurve._trusted(
            self.reference_date, self.tenors, self.zero_rates + bp * _BP, self.interpolation
        )

    # -- scenarios --------------------------------------------------------------------
    def scenarios(self, shifts_bp: Any, names: Sequence[str] | None = None) -> CurveScenarios:
        """Scenarios from a matrix of knot shifts.

        Parameters
        ----------
        shifts_bp
            ``(S, K)`` array of shifts in basis points, one row per scenario and one
            column per knot (a length-``K`` vector is one scenario).
        names
            ``S`` scenario names (default ``"scenario 0"``, ``"scenario 1"``, ...).

        Returns
        -------
        CurveScenarios
        """
        try:
            shifts = np.asarray(shifts_bp, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise InputError(f"shifts_bp: expected numbers in bp, got {_short(shifts_bp)}") from exc
        if shifts.ndim == 1:
            shifts = shifts[None, :]
        k = self.tenors.size
        if shifts.ndim != 2 or shifts.shape[1] != k:
            raise InputError(
                f"shifts_bp: expected shape (n_scenarios, {k}) -- one column per knot -- "
                f"got {shifts.shape}"
            )
        bad = np.argwhere(~np.isfinite(shifts))
        if bad.size:
            s, j = (int(v) for v in bad[0])
            raise InputError(
                f"shifts_bp: scenario {s}, knot {j} ({_tenor_label(self.tenors[j])}) value "
                f"{_num(shifts[s, j])} is not finite"
            )
        return CurveScenarios(self, self.zero_rates[None, :] + shifts * _BP, names)

    def parallel_shocks(self, bps: Any) -> CurveScenarios:
        """Parallel shifts: every knot moves by ``bp``, one scenario per value in ``bps``."""
        b = _bp_list(bps, "bps")
        shifts = b[:, None] * np.ones(self.tenors.size)
        return self.scenarios(shifts, [f"parallel {_format_bp(v)}" for v in b])

    def twist_shocks(self, bps: Any, pivot: float = 5.0) -> CurveScenarios:
        """Twists (steepeners for positive ``bp``), linear in tenor around ``pivot``.

        Notes
        -----
        The shift at knot ``t_k`` is ``bp * (t_k - pivot) / (t_last - t_first)``:
        zero at the pivot, the short end down and the long end up for ``bp > 0``,
        and the spread between the last and the first knot widens by exactly
        ``bp``. Needs at least two knots.
        """
        b = _bp_list(bps, "bps")
        t = self.tenors
        if t.size < 2:
            raise InputError("twist_shocks: the curve has one knot; a twist needs at least two")
        if not np.isfinite(pivot):
            raise InputError(f"pivot: got {_num(pivot)}; give a tenor in years")
        shape = (t - pivot) / (t[-1] - t[0])
        names = [f"twist {_format_bp(v)} (pivot {_tenor_label(pivot)})" for v in b]
        return self.scenarios(b[:, None] * shape[None, :], names)

    def butterfly_shocks(
        self, bps: Any, short_wing: float = 2.0, belly: float = 10.0, long_wing: float = 30.0
    ) -> CurveScenarios:
        """Butterflies: the belly up by ``bp`` and the wings down by ``bp`` (for ``bp > 0``).

        Notes
        -----
        The shape is piecewise linear in tenor: -1 at and before ``short_wing``,
        +1 at ``belly``, -1 at and after ``long_wing``; the shift at knot ``t_k``
        is ``bp`` times the shape.
        """
        b = _bp_list(bps, "bps")
        if not short_wing < belly < long_wing:
            raise InputError(
                f"butterfly_shocks: need short_wing < belly < long_wing, got {_num(short_wing)}, "
                f"{_num(belly)}, {_num(long_wing)}"
            )
        shape = np.interp(self.tenors, [short_wing, belly, long_wing], [-1.0, 1.0, -1.0])
        wings = "/".join(_tenor_label(v) for v in (short_wing, belly, long_wing))
        names = [f"butterfly {_format_bp(v)} ({wings})" for v in b]
        return self.scenarios(b[:, None] * shape[None, :], names)

    def key_rate_shocks(self, bp: float = 1.0) -> CurveScenarios:
        """Key-rate shocks: ``+bp`` at each knot alone, then ``-bp`` at each knot alone.

        Returns ``2K`` scenarios: rows ``0..K-1`` move knot ``j`` up (``"KR 5y +1bp"``),
        rows ``K..2K-1`` move it down. With ``"linear_zero"`` interpolation a knot bump
        is a triangle in the zero curve (zero at the neighbouring knots, flat beyond
        the end knots), and the up shocks add up to the parallel shock.
        """
        b = _bp_list(bp, "bp")
        if b.size != 1:
            raise InputError(f"bp: expected one number of basis points, got {_short(bp)}")
        v = float(b[0])
        k = self.tenors.size
        eye = np.eye(k)
        labels = [_tenor_label(t) for t in self.tenors]
        names = [f"KR {lab} {_format_bp(v)}" for lab in labels]
        names += [f"KR {lab} {_format_bp(-v)}" for lab in labels]
        return self.scenarios(np.vstack((v * eye, -v * eye)), names)

    # -- output -----------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """The knots: tenor (years, index), date, zero rate and discount factor."""
        t = self.tenors
        days = self.reference_date + np.round(t * _DAYS_PER_YEAR).astype(np.int64)
        return pd.DataFrame(
            {
                "label": [_tenor_label(v) for v in t],
                "date": to_timestamps(days),
                "zero_rate": self.zero_rates,
                "discount": self._discount(t),
            },
            index=pd.Index(t, name="tenor"),
        )

    def summary(self) -> pd.DataFrame:
        """Knot table in percent: zero rate, forward from the previous knot, par yield, DF."""
        t = self.tenors
        zt = self._zero(t) * t
        prev_t = np.concatenate(([0.0], t[:-1]))
        prev_zt = np.concatenate(([0.0], zt[:-1]))
        with np.errstate(divide="ignore", invalid="ignore"):
            fwd = np.where(t > prev_t, (zt - prev_zt) / (t - prev_t), self.zero_rates)
        pos = t > 0
        par = np.full(t.size, np.nan)
        if pos.any():
            par[pos] = self.par_yield(t[pos], frequency=2)
        return pd.DataFrame(
            {
                "zero %": self.zero_rates * 100,
                "forward %": fwd * 100,
                "par (semiannual) %": par * 100,
                "discount": self._discount(t),
            },
            index=pd.Index([_tenor_label(v) for v in t], name="tenor"),
        )

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Plot the zero curve (percent) against tenor, with the knots marked.

        Parameters
        ----------
        ax
            Axes to draw on (a new figure if None).
        **kwargs
            Passed to ``ax.plot`` for the curve line.

        Returns
        -------
        matplotlib.axes.Axes
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        grid = np.linspace(0.0, self.tenors[-1] * 1.02, 400)
        kwargs.setdefault("label", f"zero ({self.interpolation})")
        (line,) = ax.plot(grid, self._zero(grid) * 100, **kwargs)
        ax.plot(self.tenors, self.zero_rates * 100, "o", color=line.get_color(), ms=4)
        ax.set_xlabel("tenor (years)")
        ax.set_ylabel("zero rate, continuous (%)")
        ax.set_title(f"Zero curve {_day_label(self.reference_date)}")
        ax.legend()
        return ax

    def __repr__(self) -> str:
        t, z = self.tenors, self.zero_rates
        return (
            f"ZeroCurve({_day_label(self.reference_date)}, {t.size} knots "
            f"{_tenor_label(t[0])}..{_tenor_label(t[-1])}, {self.interpolation}, "
            f"zero {z.min():.3%}..{z.max():.3%})"
        )


def _interp_weights(
    tenors: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Linear weights ``w0, w1`` on knots ``i0, i1`` for times ``t`` (flat outside the knots)."""
    k = tenors.size
    left = t <= tenors[0]
    right = t >= tenors[-1]
    inside = ~(left | right)
    i = np.clip(np.searchsorted(tenors, t, side="right") - 1, 0, max(k - 2, 0))
    i0 = np.where(left, 0, np.where(right, k - 1, i)).astype(np.int64)
    i1 = np.where(inside, i + 1, i0).astype(np.int64)
    lo, hi = tenors[i0], tenors[i1]
    span = np.where(inside, hi - lo, 1.0)
    w1 = np.where(inside, (t - lo) / span, 0.0)
    return i0, i1, 1.0 - w1, w1, inside


def exponent_coefficients(
    tenors: np.ndarray, t: np.ndarray, interpolation: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``log DF(t) = c0 * z[i0] + c1 * z[i1]`` for any zero rates ``z`` on ``tenors``.

    The interpolation weights depend on the times only, so kernels that value many curves
    on one tenor grid (scenario pricing, scenario NAVs, iNAV) compute them once and then
    need two knots and one exponential per curve and time.
    """
    i0, i1, w0, w1, inside = _interp_weights(tenors, t)
    if interpolation == "linear_zero":
        c0, c1 = -w0 * t, -w1 * t
    else:
        c0 = np.where(inside, -w0 * tenors[i0], -t)
        c1 = np.where(inside, -w1 * tenors[i1], 0.0)
    return (
        np.ascontiguousarray(i0),
        np.ascontiguousarray(i1),
        np.ascontiguousarray(c0, dtype=np.float64),
        np.ascontiguousarray(c1, dtype=np.float64),
    )


# =====================================================================================
# CurveScenarios
# =====================================================================================


@dataclass(frozen=True, init=False, eq=False, repr=False)
class CurveScenarios:
    """Many zero curves on one tenor grid: the base curve plus shocked copies.

    Parameters
    ----------
    base
        The unshocked curve; it gives the reference date, tenors and interpolation.
    zero_rates
        ``(S, K)`` decimal zero rates, one row per scenario.
    names
        ``S`` scenario names (default ``"scenario 0"``, ...).

    Notes
    -----
    The interpolation weights depend on the dates only, so
    :meth:`discount_days` computes them once for all scenarios and then runs one
    compiled pass (two knots and one exponential per scenario and day).
    """

    base: ZeroCurve
    zero_rates: np.ndarray
    names: tuple[str, ...]

    def __init__(self, base: ZeroCurve, zero_rates: Any, names: Sequence[str] | None = None):
        if not isinstance(base, ZeroCurve):
            raise InputError(f"base: expected a ZeroCurve, got {type(base).__name__}")
        try:
            z = np.array(zero_rates, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise InputError(
                f"zero_rates: expected decimal rates, got {_short(zero_rates)}"
            ) from exc
        k = base.tenors.size
        if z.ndim == 1:
            z = z[None, :]
        if z.ndim != 2 or z.shape[1] != k:
            raise InputError(
                f"zero_rates: expected shape (n_scenarios, {k}) for {k} tenors, got {z.shape}"
            )
        bad = np.argwhere(~np.isfinite(z))
        if bad.size:
            s, j = (int(v) for v in bad[0])
            raise InputError(
                f"zero_rates: scenario {s}, knot {j} value {_num(z[s, j])} is not finite"
            )
        if names is None:
            names_t = tuple(f"scenario {i}" for i in range(z.shape[0]))
        else:
            names_t = tuple(str(n) for n in names)
            if len(names_t) != z.shape[0]:
                raise InputError(
                    f"names: got {len(names_t)} names for {z.shape[0]} scenarios; "
                    "give one name per scenario"
                )
        z = np.ascontiguousarray(z)
        z.setflags(write=False)
        object.__setattr__(self, "base", base)
        object.__setattr__(self, "zero_rates", z)
        object.__setattr__(self, "names", names_t)

    # -- views ------------------------------------------------------------------------
    @property
    def reference_date(self) -> int:
        """Day number of the reference date (the base curve's)."""
        return self.base.reference_date

    @property
    def reference_timestamp(self) -> pd.Timestamp:
        """The reference date as a Timestamp."""
        return self.base.reference_timestamp

    @property
    def tenors(self) -> np.ndarray:
        """Knot tenors in years (the base curve's)."""
        return self.base.tenors

    @property
    def interpolation(self) -> str:
        """The base curve's interpolation."""
        return self.base.interpolation

    @property
    def shifts_bp(self) -> np.ndarray:
        """``(S, K)`` shifts from the base curve, in basis points."""
        return (self.zero_rates - self.base.zero_rates[None, :]) / _BP

    def __len__(self) -> int:
        return self.zero_rates.shape[0]

    def __getitem__(self, key: int | str) -> ZeroCurve:
        if isinstance(key, str):
            try:
                key = self.names.index(key)
            except ValueError:
                raise KeyError(f"no scenario named {key!r}") from None
        n = len(self)
        i = int(key)
        if not -n <= i < n:
            raise IndexError(f"scenario {key} out of range for {n} scenarios")
        return ZeroCurve._trusted(
            self.reference_date, self.tenors, self.zero_rates[i], self.interpolation
        )

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    # -- discounting ------------------------------------------------------------------
    def discount_days(self, days: Any, out: np.ndarray | None = None) -> np.ndarray:
        """Discount factors of every scenario at ``int64`` day numbers.

        Parameters
        ----------
        days
            ``(U,)`` day numbers (days since 1970-01-01).
        out
            Optional ``(S, U)`` float64 C-contiguous buffer to fill (saves the
            allocation when called repeatedly).

        Returns
        -------
        numpy.ndarray
            ``(S, U)`` discount factors; row ``s`` equals
            ``self[s].discount_days(days)`` to rounding.
        """
        from ._curve_kernels import scenario_discount_nb

        d = _as_day_numbers(days).reshape(-1)
        t = (d - self.reference_date) / _DAYS_PER_YEAR
        i0, i1, c0, c1 = exponent_coefficients(self.tenors, t, self.interpolation)
        shape = (len(self), d.size)
        if out is None:
            out = np.empty(shape)
        elif (
            not isinstance(out, np.ndarray)
            or out.shape != shape
            or out.dtype != np.float64
            or not out.flags.c_contiguous
        ):
            raise InputError(
                f"out: expected a C-contiguous float64 array of shape {shape}, got "
                f"{getattr(out, 'dtype', type(out).__name__)} {getattr(out, 'shape', '')}"
            )
        if d.size:
            scenario_discount_nb(self.zero_rates, i0, i1, c0, c1, out)
        return out

    def zero_rate(self, t: Any) -> np.ndarray:
        """``(S, n)`` zero rates of every scenario at times ``t`` (years, a 1-D array)."""
        w = _Wrap(t, "t")
        tt = w.values
        z = self.zero_rates
        i0, i1, w0, w1, inside = _interp_weights(self.tenors, tt)
        if self.interpolation == "linear_zero":
            return z[:, i0] * w0 + z[:, i1] * w1
        tk = self.tenors
        zt = z[:, i0] * (w0 * tk[i0]) + z[:, i1] * (w1 * tk[i1])
        return np.where(inside, zt / np.where(inside, tt, 1.0), z[:, i0])

    # -- output -----------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """Zero rates, one row per scenario (index: name), one column per tenor (years)."""
        return pd.DataFrame(
            self.zero_rates,
            index=pd.Index(self.names, name="scenario"),
            columns=pd.Index(self.tenors, name="tenor"),
        )

    def plot(self, ax: Axes | None = None, max_lines: int = 60) -> Axes:
        """Plot the scenario zero curves around the base curve.

        Up to ``max_lines`` scenarios are drawn as thin lines; with more, the 5-95%
        band and the median across scenarios are drawn instead.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        grid = np.linspace(0.0, self.tenors[-1] * 1.02, 200)
        z = self.zero_rate(grid) * 100
        if len(self) <= max_lines:
            for s in range(len(self)):
                ax.plot(
                    grid, z[s], lw=0.8, alpha=0.6, label=self.names[s] if len(self) <= 8 else None
                )
        else:
            lo, med, hi = np.percentile(z, [5, 50, 95], axis=0)
            ax.fill_between(grid, lo, hi, alpha=0.3, label=f"5-95% of {len(self)} scenarios")
            ax.plot(grid, med, lw=1, label="median")
        ax.plot(grid, self.base._zero(grid) * 100, color="black", lw=2, label="base")
        ax.set_xlabel("tenor (years)")
        ax.set_ylabel("zero rate, continuous (%)")
        ax.set_title(f"{len(self)} curve scenarios {_day_label(self.reference_date)}")
        ax.legend(fontsize=8)
        return ax

    def __repr__(self) -> str:
        shifts = self.shifts_bp
        span = f"{shifts.min():+.1f}..{shifts.max():+.1f} bp" if shifts.size else "empty"
        return (
            f"CurveScenarios({len(self)} scenarios x {self.tenors.size} knots, "
            f"{_day_label(self.reference_date)}, shifts {span})"
        )


def _nss_loadings(t: np.ndarray, tau: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(1 - e^-x)/x``, ``(1 - e^-x)/x - e^-x`` and ``e^-x`` at ``x = t / tau``."""
    x = t / tau
    e = np.exp(-x)
    small = np.abs(x) < 1e-8
    g1 = np.where(small, 1.0 - 0.5 * x, -np.expm1(-x) / np.where(small, 1.0, x))
    return g1, g1 - e, e


def random_shocks(
    curve: ZeroCurve,
    n: int,
    vol_bp: float | Sequence[float] = (7.0, 4.0, 2.0),
    rng: np.random.Generator | int | None = None,
    *,
    factor_corr: Any = None,
    decay: float = 3.0,
) -> CurveScenarios:
    """Random level / slope / curvature shocks to a zero curve.

    Parameters
    ----------
    curve
        The base curve.
    n
        Number of scenarios.
    vol_bp
        Standard deviations in bp of the level, slope and curvature factors
        (default 7 / 4 / 2 bp, a rough one-day size for Treasuries). A single
        number is the level vol; slope and curvature then get 4/7 and 2/7 of it.
    rng
        A :class:`numpy.random.Generator` or an integer seed. ``None`` draws fresh
        entropy (not reproducible); numpy's global state is never used.
    factor_corr
        Optional 3 x 3 correlation of the factors (default: independent).
    decay
        The Nelson-Siegel decay (years) of the slope and curvature loadings.

    Returns
    -------
    CurveScenarios
        ``n`` scenarios named ``"random 0"``, ``"random 1"``, ...

    Notes
    -----
    The shift at knot ``t`` is ``L f_L + S s(t) + C c(t)`` with factor draws
    ``(L, S, C)`` and loadings: level 1; slope ``s(t) = 1 - 2 (1 - e^{-x})/x``
    with ``x = t / decay`` (-1 at the short end, rising towards +1; positive
    ``S`` steepens); curvature ``c(t)`` the Nelson-Siegel hump
    ``(1 - e^{-x})/x - e^{-x}`` scaled to a peak of 1. Shocks at different tenors
    are therefore correlated through the three factors.
    """
    if not isinstance(curve, ZeroCurve):
        raise InputError(f"curve: expected a ZeroCurve, got {type(curve).__name__}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError(f"n: got {n!r}; give a positive whole number of scenarios")
    vols = np.atleast_1d(np.asarray(vol_bp, dtype=np.float64))
    if vols.size == 1:
        vols = vols[0] * np.array([1.0, 4.0 / 7.0, 2.0 / 7.0])
    if vols.size != 3 or not np.all(np.isfinite(vols)) or np.any(vols < 0):
        raise InputError(
            f"vol_bp: got {_short(vol_bp)}; give one level vol or three non-negative "
            "(level, slope, curvature) vols in bp"
        )
    if not (np.isfinite(decay) and decay > 0):
        raise InputError(f"decay: got {_num(decay)}; give a positive number of years")
    if isinstance(rng, np.random.RandomState) or rng is np.random:
        raise InputError(
            "rng: numpy's legacy/global random state is not accepted; pass "
            "np.random.default_rng(seed) or an integer seed"
        )
    try:
        gen = np.random.default_rng(rng)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"rng: expected a numpy Generator or an integer seed, got {rng!r}"
        ) from exc
    corr = np.eye(3) if factor_corr is None else np.asarray(factor_corr, dtype=np.float64)
    if corr.shape != (3, 3) or not np.allclose(corr, corr.T) or not np.allclose(np.diag(corr), 1):
        raise InputError(
            "factor_corr: expected a symmetric 3 x 3 correlation matrix with unit diagonal"
        )
    try:
        chol = np.linalg.cholesky(corr)
    except np.linalg.LinAlgError as exc:
        raise InputError("factor_corr: the matrix is not positive definite") from exc
    t = curve.tenors
    g1, g2, _ = _nss_loadings(t, decay)
    grid_g2 = _nss_loadings(np.linspace(0.0, 20.0 * decay, 4001), decay)[1]
    loadings = np.vstack((np.ones_like(t), 1.0 - 2.0 * g1, g2 / grid_g2.max()))
    factors = gen.standard_normal((int(n), 3)) @ chol.T * vols
    return curve.scenarios(factors @ loadings, [f"random {i}" for i in range(int(n))])


# =====================================================================================
# Nelson-Siegel-Svensson
# =====================================================================================


def _nss_zero(params: np.ndarray, t: np.ndarray) -> np.ndarray:
    b0, b1, b2, b3, tau1, tau2 = params
    g1, h1, _ = _nss_loadings(t, tau1)
    _, h2, _ = _nss_loadings(t, tau2)
    return b0 + b1 * g1 + b2 * h1 + b3 * h2


@dataclass(frozen=True, init=False, eq=False, repr=False)
class NSSCurve(_Discounting):
    r"""A Nelson-Siegel-Svensson zero curve (the GSW form).

    Parameters
    ----------
    reference_date
        The curve's date (anything date-like).
    beta0, beta1, beta2, beta3
        Decimal level, slope and two curvature coefficients.
    tau1, tau2
        Decay times in years (> 0).

    Notes
    -----
    Continuously compounded zero rate at ``t`` years (Gurkaynak, Sack and Wright
    2006, eq. 22, with their ``tau`` as time constants):

    .. math::

        z(t) = \beta_0 + \beta_1 \frac{1 - e^{-t/\tau_1}}{t/\tau_1}
        + \beta_2 \left[\frac{1 - e^{-t/\tau_1}}{t/\tau_1} - e^{-t/\tau_1}\right]
        + \beta_3 \left[\frac{1 - e^{-t/\tau_2}}{t/\tau_2} - e^{-t/\tau_2}\right]

    and ``z(0) = beta0 + beta1``. Instantaneous forward:
    ``f(t) = beta0 + beta1 e^{-t/tau1} + beta2 (t/tau1) e^{-t/tau1} + beta3 (t/tau2) e^{-t/tau2}``.
    GSW publish their parameters in percent; :meth:`from_gsw` converts.
    """

    reference_date: int
    beta0: float
    beta1: float
    beta2: float
    beta3: float
    tau1: float
    tau2: float

    def __init__(
        self,
        reference_date: Any,
        beta0: float,
        beta1: float,
        beta2: float,
        beta3: float,
        tau1: float,
        tau2: float,
    ):
        day = to_day(reference_date, where="reference_date")
        values = {}
        for name, v in zip(_NSS_NAMES, (beta0, beta1, beta2, beta3, tau1, tau2), strict=True):
            try:
                f = float(v)
            except (TypeError, ValueError) as exc:
                raise InputError(f"{name}: expected a number, got {v!r}") from exc
            if not np.isfinite(f):
                raise InputError(f"{name}: got {_num(f)}; give a finite number")
            if name.startswith("tau") and not f > 0:
                raise InputError(f"{name}: got {_num(f)}; a decay time must be > 0 years")
            values[name] = f
        object.__setattr__(self, "reference_date", day)
        for name, f in values.items():
            object.__setattr__(self, name, f)
        object.__setattr__(self, "_p", np.array([values[n] for n in _NSS_NAMES]))

    @classmethod
    def from_params(cls, params: Any, reference_date: Any) -> NSSCurve:
        """Build from ``params``: a mapping or Series with keys beta0..tau2, or 6 numbers."""
        if isinstance(params, (Mapping, pd.Series)):
            missing = [n for n in _NSS_NAMES if n not in params]
            if missing:
                raise InputError(f"params: missing {missing}; give {list(_NSS_NAMES)}")
            return cls(reference_date, *(params[n] for n in _NSS_NAMES))
        vals = list(params)
        if len(vals) != 6:
            raise InputError(f"params: expected 6 numbers {list(_NSS_NAMES)}, got {len(vals)}")
        return cls(reference_date, *vals)

    @classmethod
    def from_gsw(cls, row: Mapping[str, Any] | pd.Series, reference_date: Any) -> NSSCurve:
        """Build from a row of the Fed's GSW file (``BETA0..BETA3`` in percent, ``TAU1``, ``TAU2``).

        In the file's Nelson-Siegel years (before 1980) ``BETA3`` and ``TAU2`` are
        missing; they become ``beta3 = 0`` and ``tau2 = tau1``.
        """

        def get(key: str) -> float:
            v = row.get(key, np.nan) if hasattr(row, "get") else np.nan
            try:
                return float(v)
            except (TypeError, ValueError):
                return float("nan")

        b = [get(k) for k in ("BETA0", "BETA1", "BETA2", "BETA3")]
        tau1, tau2 = get("TAU1"), get("TAU2")
        if np.isnan(b[3]) and np.isnan(tau2):
            b[3], tau2 = 0.0, tau1
        return cls(reference_date, *(v / 100.0 for v in b), tau1, tau2)

    @property
    def params(self) -> pd.Series:
        """``beta0..beta3`` (decimals) and ``tau1``, ``tau2`` (years)."""
        return pd.Series(self._p.copy(), index=list(_NSS_NAMES), name="nss")

    def _zero(self, t: np.ndarray) -> np.ndarray:
        return _nss_zero(self._p, t)

    def instantaneous_forward(self, t: Any) -> Any:
        """Instantaneous forward rate (decimal, continuous) at ``t`` years."""
        w = _Wrap(t, "t")
        b0, b1, b2, b3, tau1, tau2 = self._p
        x1, x2 = w.values / tau1, w.values / tau2
        out = b0 + b1 * np.exp(-x1) + b2 * x1 * np.exp(-x1) + b3 * x2 * np.exp(-x2)
        return w(out, "forward_rate")

    def to_zero_curve(self, tenors: Any = None, interpolation: str = "linear_zero") -> ZeroCurve:
        """Sample the curve at ``tenors`` (years) into a :class:`ZeroCurve`.

        ``tenors`` defaults to the 13 Treasury par-curve tenors 1m..30y. Between
        knots the ZeroCurve interpolates, so it departs from the NSS curve by up
        to a few bp between widely spaced knots (10y-20y-30y); pass a fine grid
        (``np.arange(0.25, 30.01, 0.25)``) for a close copy.
        """
        t = _validate_tenors(TREASURY_TENORS if tenors is None else tenors, "tenors")
        return ZeroCurve(self.reference_date, t, self._zero(t), interpolation)

    def plot(self, ax: Axes | None = None, max_tenor: float = 30.0) -> Axes:
        """Plot the zero curve, the instantaneous forward and the Treasury par curve (%)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        grid = np.linspace(1.0 / 12.0, max_tenor, 300)
        ax.plot(grid, self._zero(grid) * 100, label="zero (continuous)")
        ax.plot(grid, self.treasury_par_yields(grid) * 100, label="par (bond-equivalent)")
        ax.plot(grid, self.instantaneous_forward(grid) * 100, ls=":", label="forward")
        ax.set_xlabel("tenor (years)")
        ax.set_ylabel("%")
        ax.set_title(f"NSS curve {_day_label(self.reference_date)}")
        ax.legend()
        return ax

    def __repr__(self) -> str:
        p = self._p
        return (
            f"NSSCurve({_day_label(self.reference_date)}, beta=({p[0]:.4f}, {p[1]:.4f}, "
            f"{p[2]:.4f}, {p[3]:.4f}), tau=({p[4]:.3f}, {p[5]:.3f}))"
        )


#: The 13 tenors (years) of the US Treasury daily par yield curve, 1 month to 30 years
#: (the 1.5-month and 6-week tenors added in 2025 are not included).
TREASURY_TENORS = np.array(
    [1 / 12, 2 / 12, 3 / 12, 4 / 12, 6 / 12, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 20.0, 30.0]
)


class _NSSProblem:
    """Least squares of model-implied Treasury quotes against observed ones (in bp)."""

    def __init__(self, tenors: np.ndarray, observed: np.ndarray, plan: _TreasuryPlan | None = None):
        self.tenors = tenors
        self.observed = np.ascontiguousarray(observed, dtype=np.float64)
        self.plan = plan if plan is not None else _TreasuryPlan(tenors)
        self._no_jac = np.empty((0, 6))

    def residuals(self, p: np.ndarray) -> np.ndarray:
        from ._curve_kernels import nss_quote_residuals_nb

        out = np.empty(self.observed.size)
        nss_quote_residuals_nb(
            np.asarray(p, dtype=np.float64),
            *self.plan.kernel_args,
            self.observed,
            out,
            self._no_jac,
            False,
        )
        return out

    def jacobian(self, p: np.ndarray) -> np.ndarray:
        from ._curve_kernels import nss_quote_residuals_nb

        resid = np.empty(self.observed.size)
        jac = np.empty((self.observed.size, 6))
        nss_quote_residuals_nb(
            np.asarray(p, dtype=np.float64),
            *self.plan.kernel_args,
            self.observed,
            resid,
            jac,
            True,
        )
        return jac

    def objective(self, p: np.ndarray) -> np.ndarray:
        """Quote residuals (bp) followed by the soft-bound penalties on the betas."""
        excess = np.maximum(np.abs(p[:4]) - _BETA_SOFT, 0.0)
        return np.concatenate((self.residuals(p), _PENALTY_BP * excess))

    def objective_jacobian(self, p: np.ndarray) -> np.ndarray:
        """Jacobian of :meth:`objective`."""
        pen = np.zeros((4, 6))
        over = np.abs(p[:4]) > _BETA_SOFT
        pen[np.arange(4), np.arange(4)] = np.where(over, _PENALTY_BP * np.sign(p[:4]), 0.0)
        return np.vstack((self.jacobian(p), pen))

    def initial_betas(self, tau1: np.ndarray, tau2: np.ndarray) -> np.ndarray:
        """Betas from a linear fit of approximate zero rates, one row per (tau1, tau2)."""
        t, y = self.tenors, self.observed
        bill = self.plan.is_bill
        z = np.where(bill, -np.log(_bill_discount(y, t)) / t, 2.0 * np.log1p(y / 2.0))
        g1, h1, _ = _nss_loadings(t[None, :], tau1[:, None])
        _, h2, _ = _nss_loadings(t[None, :], tau2[:, None])
        x = np.stack((np.ones_like(g1), g1, h1, h2), axis=2)  # cells x tenors x 4
        xtx = np.einsum("cni,cnj->cij", x, x)
        xtx += (1e-10 * np.trace(xtx, axis1=1, axis2=2) + 1e-300)[:, None, None] * np.eye(4)
        xtz = np.einsum("cni,n->ci", x, z)
        beta = np.linalg.solve(xtx, xtz[..., None])[..., 0]
        return np.clip(beta, -_BETA_SOFT, _BETA_SOFT)

    def profile(self, tau_bounds: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
        """Every (tau1, tau2) cell of the grid with its best betas: (starts, costs), best first."""
        from ._curve_kernels import nss_tau_grid_nb

        lo, hi = tau_bounds
        t1 = np.array([a for a in _TAU1_GRID for b in _TAU2_GRID if a < b], dtype=np.float64)
        t2 = np.array([b for a in _TAU1_GRID for b in _TAU2_GRID if a < b], dtype=np.float64)
        t1, t2 = np.clip(t1, lo, hi), np.clip(t2, lo, hi)
        init = np.ascontiguousarray(self.initial_betas(t1, t2))
        cost = np.empty(t1.size)
        beta = np.empty((t1.size, 4))
        nss_tau_grid_nb(
            t1,
            t2,
            init,
            _BETA_SOFT,
            4,
            *self.plan.kernel_args,
            self.observed,
            cost,
            beta,
        )
        order = np.argsort(cost, kind="stable")
        starts = np.column_stack((beta, t1, t2))[order]
        return starts, cost[order]


class _BoundedParams:
    """Map unbounded solver variables ``u`` to NSS parameters inside their bounds.

    ``beta = B tanh(u)`` keeps ``|beta| < B``; ``tau = lo + (hi - lo) / (1 + e^-u)``
    keeps ``lo < tau < hi`` (written with tanh, which cannot overflow). This lets
    the bound-free Levenberg-Marquardt of MINPACK (``least_squares(method="lm")``)
    respect the bounds; on this problem it needs far fewer evaluations than the
    trust-region-reflective method with explicit bounds.
    """

    def __init__(self, tau_bounds: tuple[float, float]):
        self.lo, self.hi = tau_bounds

    def to_params(self, u: np.ndarray) -> np.ndarray:
        x = np.empty(6)
        x[:4] = _BETA_BOUND * np.tanh(u[:4])
        x[4:] = self.lo + (self.hi - self.lo) * 0.5 * (1.0 + np.tanh(0.5 * u[4:]))
        return x

    def to_free(self, x: np.ndarray) -> np.ndarray:
        u = np.empty(6)
        edge = 1e-9
        u[:4] = np.arctanh(np.clip(x[:4] / _BETA_BOUND, -1.0 + edge, 1.0 - edge))
        s = (np.asarray(x[4:]) - self.lo) / (self.hi - self.lo)
        s = np.clip(s, edge, 1.0 - edge)
        u[4:] = np.log(s / (1.0 - s))
        return u

    def derivative(self, u: np.ndarray) -> np.ndarray:
        d = np.empty(6)
        d[:4] = _BETA_BOUND * (1.0 - np.tanh(u[:4]) ** 2)
        tau = self.to_params(u)[4:]
        d[4:] = (tau - self.lo) * (self.hi - tau) / (self.hi - self.lo)
        return d


def _solve_nss(
    problem: _NSSProblem,
    starts: Iterable[np.ndarray],
    tau_bounds: tuple[float, float],
) -> tuple[Any, int]:
    """Least squares from every start; the best result (``x`` in parameter space) and the count."""
    from scipy.optimize import least_squares

    from ._curve_kernels import nss_objective_nb

    bounded = _BoundedParams(tau_bounds)
    lo, hi = bounded.lo, bounded.hi
    args = problem.plan.kernel_args
    n_rows = problem.observed.size + 4
    # MINPACK asks for the Jacobian at the point it has just evaluated: compute both in
    # one kernel call and hand the Jacobian over when the point matches.
    cache: dict[str, np.ndarray] = {}

    def fun(u: np.ndarray) -> np.ndarray:
        f = np.empty(n_rows)
        jac = np.empty((n_rows, 6))
        nss_objective_nb(
            u, lo, hi, _BETA_BOUND, _BETA_SOFT, _PENALTY_BP, *args, problem.observed, f, jac
        )
        cache["u"], cache["jac"] = u.copy(), jac
        return f

    def jac(u: np.ndarray) -> np.ndarray:
        if "u" not in cache or not np.array_equal(cache["u"], u):
            fun(u)
        return cache["jac"]

    best = None
    n = 0
    for x0 in starts:
        n += 1
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            res = least_squares(
                fun,
                bounded.to_free(np.asarray(x0, dtype=np.float64)),
                jac=jac,
                method="lm",
                x_scale="jac",
                ftol=_FTOL,
                xtol=_XTOL,
                gtol=_GTOL,
                max_nfev=_MAX_NFEV,
            )
        if not np.isfinite(res.cost):
            continue
        if best is None or res.cost < best.cost - 1e-12:
            best = res
    if best is not None:
        best.x = bounded.to_params(best.x)
    return best, n


def _check_fit_inputs(
    tenors: Any, par_yields: Any, where: str = "par_yields"
) -> tuple[np.ndarray, np.ndarray]:
    t = _validate_tenors(tenors, "tenors", allow_zero=False)
    y = _validate_rates(par_yields, t.size, where, allow_nan=True)
    return t, y


@dataclass(frozen=True, repr=False, eq=False)
class NSSFit:
    """A Nelson-Siegel-Svensson curve fitted to Treasury par yields (from :func:`fit_nss`).

    Attributes
    ----------
    curve : NSSCurve
        The fitted curve; :attr:`zero_rate`, :attr:`discount`, :attr:`discount_days`
        and friends delegate to it, so an NSSFit prices bonds directly.
    observed : pandas.Series
        The input par yields by tenor (decimals), NaN where not published.
    fitted : pandas.Series
        Model-implied Treasury yields at the tenors used (bills as bond-equivalent
        yields, coupon tenors as semiannual par yields).
    errors_bp : pandas.Series
        ``fitted - observed`` in basis points, by tenor used.
    rmse_bp, max_abs_error_bp : float
        Root mean square and largest absolute error over the tenors used.
    dropped_tenors : tuple of float
        Tenors whose par yield was NaN and that were left out of the fit.
    n_starts : int
        Full least-squares runs (the best cells of the tau grid, plus ``initial``
        if given).
    nfev : int
        Residual evaluations of the winning start.
    converged : bool
        Whether the winning least-squares run met its tolerance.
    """

    curve: NSSCurve
    observed: pd.Series
    fitted: pd.Series
    errors_bp: pd.Series
    rmse_bp: float
    max_abs_error_bp: float
    dropped_tenors: tuple[float, ...]
    n_starts: int
    nfev: int
    converged: bool

    @property
    def reference_date(self) -> int:
        """Day number of the curve date."""
        return self.curve.reference_date

    @property
    def reference_timestamp(self) -> pd.Timestamp:
        """The curve date as a Timestamp."""
        return self.curve.reference_timestamp

    @property
    def params(self) -> pd.Series:
        """``beta0..beta3`` (decimals) and ``tau1``, ``tau2`` (years)."""
        return self.curve.params

    def zero_rate(self, t: Any) -> Any:
        """Zero rate of the fitted curve (see :meth:`ZeroCurve.zero_rate`)."""
        return self.curve.zero_rate(t)

    def discount(self, t: Any) -> Any:
        """Discount factor of the fitted curve (see :meth:`ZeroCurve.discount`)."""
        return self.curve.discount(t)

    def discount_days(self, days: Any) -> Any:
        """Discount factors at day numbers (see :meth:`ZeroCurve.discount_days`)."""
        return self.curve.discount_days(days)

    def forward_rate(self, t1: Any, t2: Any) -> Any:
        """Forward rate between two times (see :meth:`ZeroCurve.forward_rate`)."""
        return self.curve.forward_rate(t1, t2)

    def par_yield(self, maturities_years: Any, frequency: int = 2) -> Any:
        """Par coupon (see :meth:`ZeroCurve.par_yield`)."""
        return self.curve.par_yield(maturities_years, frequency)

    def treasury_par_yields(self, tenors: Any) -> Any:
        """Treasury par-curve quotes (see :meth:`ZeroCurve.treasury_par_yields`)."""
        return self.curve.treasury_par_yields(tenors)

    def to_zero_curve(self, tenors: Any = None, interpolation: str = "linear_zero") -> ZeroCurve:
        """Sample into a :class:`ZeroCurve`; ``tenors`` defaults to the tenors used in the fit."""
        t = self.fitted.index.to_numpy(dtype=np.float64) if tenors is None else tenors
        return self.curve.to_zero_curve(t, interpolation)

    def to_frame(self) -> pd.DataFrame:
        """Per tenor: observed, fitted, error (bp) and the model zero rate."""
        t = self.observed.index.to_numpy(dtype=np.float64)
        return pd.DataFrame(
            {
                "observed": self.observed,
                "fitted": self.fitted.reindex(self.observed.index),
                "error_bp": self.errors_bp.reindex(self.observed.index),
                "zero_rate": self.curve.zero_rate(t),
            },
            index=self.observed.index,
        )

    def summary(self) -> Any:
        """A statsmodels ``Summary``: fit statistics, parameters and errors by tenor."""
        from statsmodels.iolib.summary2 import Summary

        s = Summary()
        s.add_title(
            f"Nelson-Siegel-Svensson fit to Treasury par yields, {_day_label(self.reference_date)}"
        )
        dropped = ", ".join(_tenor_label(v) for v in self.dropped_tenors) or "none"
        s.add_dict(
            {
                "tenors used": str(self.fitted.size),
                "dropped (NaN)": dropped,
                "rmse (bp)": f"{self.rmse_bp:.3f}",
                "max |error| (bp)": f"{self.max_abs_error_bp:.3f}",
                "starts": str(self.n_starts),
                "converged": str(self.converged),
            },
            ncols=2,
        )
        p = self.params
        s.add_df(
            pd.DataFrame(
                {
                    "value": [f"{p[n] * 100:.4f} %" for n in _NSS_NAMES[:4]]
                    + [f"{p[n]:.4f} y" for n in _NSS_NAMES[4:]]
                },
                index=list(_NSS_NAMES),
            )
        )
        frame = self.to_frame()
        table = pd.DataFrame(
            {
                "observed %": frame["observed"] * 100,
                "fitted %": frame["fitted"] * 100,
                "error (bp)": frame["error_bp"],
                "zero %": frame["zero_rate"] * 100,
            }
        )
        table.index = [_tenor_label(v) for v in frame.index]
        s.add_df(table, float_format="%.4f")
        s.add_text(
            "Bills (<= 1y): bond-equivalent yield of a zero; longer tenors: semiannual par "
            "yield. Zero rates continuous, ACT/365F."
        )
        return s

    def plot(self, ax: Axes | None = None) -> Axes:
        """Observed par yields (dots), the fitted par curve and the zero curve (lines), in %."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        t = self.observed.index.to_numpy(dtype=np.float64)
        grid = np.linspace(min(t.min(), 1.0 / 12.0), t.max(), 300)
        ax.plot(grid, self.curve.treasury_par_yields(grid) * 100, label="fitted par curve")
        ax.plot(grid, self.curve.zero_rate(grid) * 100, ls="--", label="zero curve (continuous)")
        ax.plot(
            t, self.observed.to_numpy() * 100, "o", color="black", ms=4, label="observed par yields"
        )
        ax.set_xlabel("tenor (years)")
        ax.set_ylabel("%")
        ax.set_title(
            f"NSS fit {_day_label(self.reference_date)}: rmse {self.rmse_bp:.2f} bp, "
            f"max {self.max_abs_error_bp:.2f} bp"
        )
        ax.legend()
        return ax

    def __repr__(self) -> str:
        return (
            f"NSSFit({_day_label(self.reference_date)}, {self.fitted.size} tenors, "
            f"rmse {self.rmse_bp:.2f} bp, max {self.max_abs_error_bp:.2f} bp)"
        )


def _make_fit(
    day: int,
    tenors: np.ndarray,
    observed: np.ndarray,
    used: np.ndarray,
    problem: _NSSProblem,
    res: Any,
    n_starts: int,
) -> NSSFit:
    params = res.x
    curve = NSSCurve(day, *params)
    index_all = pd.Index(tenors, name="tenor")
    index_used = pd.Index(tenors[used], name="tenor")
    err = problem.residuals(params)
    fitted = err * _BP + problem.observed
    return NSSFit(
        curve=curve,
        observed=pd.Series(observed, index=index_all, name="par_yield"),
        fitted=pd.Series(fitted, index=index_used, name="fitted"),
        errors_bp=pd.Series(err, index=index_used, name="error_bp"),
        rmse_bp=float(np.sqrt(np.mean(err * err))),
        max_abs_error_bp=float(np.max(np.abs(err))),
        dropped_tenors=tuple(float(v) for v in tenors[~used]),
        n_starts=n_starts,
        nfev=int(res.nfev),
        converged=bool(res.status > 0),
    )


def fit_nss(
    tenors: Any,
    par_yields: Any,
    reference_date: Any,
    *,
    initial: Any = None,
    tau_bounds: tuple[float, float] = _TAU_BOUNDS,
) -> NSSFit:
    """Fit a Nelson-Siegel-Svensson curve to US Treasury par yields.

    Parameters
    ----------
    tenors
        Tenors in years, strictly increasing (``1/12`` for 1 month, ..., ``30``).
    par_yields
        Decimal par yields (bond-equivalent, semiannual), one per tenor; NaN for a
        tenor not published that day (it is dropped and listed in
        :attr:`NSSFit.dropped_tenors`).
    reference_date
        The curve date.
    initial
        Optional starting parameters (``beta0..tau2``: a Series, mapping or 6
        numbers), tried in addition to the built-in grid.
    tau_bounds
        Bounds on ``tau1`` and ``tau2`` in years.

    Returns
    -------
    NSSFit

    Raises
    ------
    InputError
        Bad tenors or yields (the position and value are named), yields that look
        like percentages, or fewer than 4 usable points.
    ConvergenceError
        If no start gives a finite fit.

    Notes
    -----
    The residual of tenor ``T`` is the model-implied quote minus the observed one,
    in bp, with the Treasury's conventions: a bill (``T <= 1``) quotes the
    bond-equivalent yield of a zero, a coupon tenor the coupon of a semiannual
    bond (coupons at ``T, T - 1/2, ...``) priced at par; see
    :meth:`ZeroCurve.treasury_par_yields`. Tenors are exact year fractions
    (1 month = 1/12 year), time is ACT/365F.

    The multi-start: on a grid of 55 ``(tau1, tau2)`` pairs (``tau1`` in
    0.1..8, ``tau2`` in 1..30 years, ``tau1 < tau2``) the betas alone are fitted
    (a few Gauss-Newton steps from a linear fit of approximate zero rates); the
    3 best pairs (and ``initial``, if given) then start
    ``scipy.optimize.least_squares`` on all six parameters (MINPACK
    Levenberg-Marquardt with an analytic Jacobian, the bounds ``|beta| < 1`` and
    ``tau`` inside ``tau_bounds`` kept by a smooth change of variables). The
    best fit wins; there is no randomness. A soft bound adds a penalty of 1 bp
    of residual per 1% that a beta exceeds 30% (never binding on ordinary
    curves): without it, fits with ``tau1`` close to ``tau2`` drift towards
    ``beta2 = -beta3 -> infinity`` for no gain in fit. The objective has several
    local minima of similar depth (the taus trade off against beta2 and beta3),
    so another optimiser can land on a different parameter set with nearly the
    same errors. GSW fit prices of individual notes and bonds weighted by inverse
    duration, which is close to fitting yields; here the inputs are the
    Treasury's own par curve.

    Examples
    --------
    >>> tenors = [1/12, 3/12, 6/12, 1, 2, 3, 5, 7, 10, 20, 30]
    >>> par = [0.0437, 0.0441, 0.0431, 0.0409, 0.039, 0.0386, 0.0399, 0.0419,
    ...        0.0443, 0.0496, 0.0496]
    >>> fit = fit_nss(tenors, par, "2025-07-11")
    >>> fit.rmse_bp < 5
    True
    """
    day = to_day(reference_date, where="reference_date")
    t, y = _check_fit_inputs(tenors, par_yields)
    used = ~np.isnan(y)
    if used.sum() < 4:
        raise InputError(
            f"par_yields: only {int(used.sum())} usable values (tenors "
            f"{[_tenor_label(v) for v in t[used]]}); a Nelson-Siegel-Svensson fit needs at least 4"
        )
    lo, hi = (float(v) for v in tau_bounds)
    if not 0 < lo < hi:
        raise InputError(f"tau_bounds: got {tau_bounds!r}; give (low, high) with 0 < low < high")
    problem = _NSSProblem(t[used], y[used])
    grid, _ = problem.profile((lo, hi))
    starts = list(grid[:_N_POLISH])
    if initial is not None:
        starts.insert(0, NSSCurve.from_params(initial, day)._p)
    res, n = _solve_nss(problem, starts, (lo, hi))
    if res is None:
        raise ConvergenceError(
            f"fit_nss {_day_label(day)}: no starting point gave a finite fit to par yields "
            f"{dict(zip([_tenor_label(v) for v in t[used]], y[used].round(6), strict=True))}",
            failed=[_day_label(day)],
        )
    return _make_fit(day, t, y, used, problem, res, n)


# =====================================================================================
# bootstrap
# =====================================================================================


def bootstrap_par_yields(
    tenors: Any,
    par_yields: Any,
    reference_date: Any,
    interpolation: str = "linear_zero",
) -> ZeroCurve:
    """Bootstrap a zero curve that reprices the Treasury par curve exactly.

    Parameters
    ----------
    tenors
        Tenors in years, strictly increasing. Tenors above 1 year must lie on the
        half-year grid (2, 3, 5, ... years).
    par_yields
        Decimal par yields (bond-equivalent), one per tenor, no NaN (drop
        unpublished tenors first, e.g. ``series.dropna()``).
    reference_date
        The curve date.
    interpolation
        Interpolation of the returned :class:`ZeroCurve`.

    Returns
    -------
    ZeroCurve
        Knots at the bill tenors and at every half year up to the longest tenor.

    Notes
    -----
    * Bills (tenor <= 1 year) are zeros: their discount factor follows from the
      bond-equivalent yield (:meth:`ZeroCurve.treasury_par_yields`).
    * Coupon tenors: par yields are interpolated linearly in tenor (over all
      input tenors, flat beyond the ends) onto the semiannual grid 0.5, 1, ...,
      ``T_max``; grid points at or below the last bill tenor take their discount
      factor from the bill curve; each later grid point ``g_j`` solves
      ``c_j/2 * sum_{i<=j} DF(g_i) + DF(g_j) = 1`` exactly.
    * The knots are the bill tenors and the whole semiannual grid, so every coupon
      date of every input bond is a knot and every input par bond reprices to par
      (to rounding, ~1e-15) whatever the interpolation.
    """
    day = to_day(reference_date, where="reference_date")
    if interpolation not in INTERPOLATIONS:
        raise InputError(
            f"interpolation: unknown value {interpolation!r}; use one of {INTERPOLATIONS}"
        )
    t, y = _check_fit_inputs(tenors, par_yields)
    _validate_rates(y, t.size, "par_yields")  # no NaN here
    bill = t <= 1.0 + _TENOR_TOL
    off_grid = np.flatnonzero(~bill & (np.abs(t * 2 - np.round(t * 2)) > 1e-9))
    if off_grid.size:
        i = int(off_grid[0])
        raise InputError(
            f"tenors: position {i} value {_num(t[i])} is a coupon tenor (> 1 year) off the "
            "half-year grid; bootstrap_par_yields needs coupon tenors at whole half years"
        )
    bill_t, bill_y = t[bill], y[bill]
    bill_df = _bill_discount(bill_y, bill_t)
    bill_z = -np.log(bill_df) / bill_t
    if bill.all():
        return ZeroCurve._trusted(day, bill_t, bill_z, interpolation)
    n_grid = int(round(2 * t[-1]))
    grid = 0.5 * np.arange(1, n_grid + 1)
    last_bill = bill_t[-1] if bill_t.size else 0.0
    coupons = np.interp(grid, t, y)
    df = np.empty(n_grid)
    from_bills = grid <= last_bill + _TENOR_TOL
    if from_bills.any():
        bill_curve = ZeroCurve._trusted(day, bill_t, bill_z, interpolation)
        df[from_bills] = bill_curve._discount(grid[from_bills])
    annuity = 0.0
    for j in range(n_grid):
        if not from_bills[j]:
            c = coupons[j] / 2.0
            df[j] = (1.0 - c * annuity) / (1.0 + c)
        annuity += df[j]
    bad = np.flatnonzero(~(df > 0))
    if bad.size:
        j = int(bad[0])
        raise InputError(
            f"par_yields: the bootstrap gives a non-positive discount factor at "
            f"{_tenor_label(grid[j])}; the par yields are inconsistent"
        )
    grid_z = -np.log(df) / grid
    keep = ~np.isin(np.round(grid, 9), np.round(bill_t, 9))
    knots = np.concatenate((bill_t, grid[keep]))
    zeros = np.concatenate((bill_z, grid_z[keep]))
    order = np.argsort(knots)
    return ZeroCurve._trusted(day, knots[order], zeros[order], interpolation)


# =====================================================================================
# history of fits
# =====================================================================================


@dataclass(frozen=True, repr=False, eq=False)
class NSSHistory:
    """One Nelson-Siegel-Svensson fit per day (from :func:`fit_nss_history`).

    Attributes
    ----------
    params : pandas.DataFrame
        ``beta0..beta3`` (decimals), ``tau1``, ``tau2`` (years) by date.
    rmse_bp, max_abs_error_bp : pandas.Series
        Fit errors by date (bp).
    errors_bp : pandas.DataFrame
        Fitted minus observed (bp), date x tenor; NaN where a tenor was missing.
    n_tenors : pandas.Series
        Tenors used each day.
    dropped_tenors : pandas.Series
        Tuple of tenors (years) dropped each day because they were NaN.
    multistart : pandas.Series
        True on days that ran the full multi-start (the first day, days whose
        warm-started fit was much worse than the day before, and every
        ``restart_every`` days); False when the previous day's parameters sufficed.
    skipped : pandas.Series
        Reason by date for days that could not be fitted (``on_bad_day="skip"``).
    """

    params: pd.DataFrame
    rmse_bp: pd.Series
    max_abs_error_bp: pd.Series
    errors_bp: pd.DataFrame
    n_tenors: pd.Series
    dropped_tenors: pd.Series
    multistart: pd.Series
    skipped: pd.Series

    def __len__(self) -> int:
        return len(self.params)

    def curve(self, date: Any) -> NSSCurve:
        """The fitted curve on ``date``."""
        ts = to_timestamps(to_day(date, where="date"))
        if ts not in self.params.index:
            raise KeyError(f"no fit on {ts.date()}")
        return NSSCurve.from_params(self.params.loc[ts], ts)

    def to_frame(self) -> pd.DataFrame:
        """Parameters, rmse, max error, tenors used and multistart flag by date."""
        return self.params.assign(
            rmse_bp=self.rmse_bp,
            max_abs_error_bp=self.max_abs_error_bp,
            n_tenors=self.n_tenors,
            multistart=self.multistart,
        )

    def summary(self) -> Any:
        """A statsmodels ``Summary`` of the fit errors over the history."""
        from statsmodels.iolib.summary2 import Summary

        s = Summary()
        if len(self):
            span = f"{self.params.index[0].date()} to {self.params.index[-1].date()}"
        else:
            span = "no days"
        s.add_title(f"Nelson-Siegel-Svensson fits, {span}")
        s.add_dict(
            {
                "days fitted": str(len(self)),
                "days skipped": str(len(self.skipped)),
                "multistart days": str(int(self.multistart.sum())),
                "days with dropped tenors": str(
                    int((self.n_tenors < self.errors_bp.shape[1]).sum())
                ),
            },
            ncols=2,
        )
        q = [0.5, 0.9, 0.99, 1.0]
        stats = pd.DataFrame(
            {
                "rmse (bp)": [self.rmse_bp.mean(), *self.rmse_bp.quantile(q)],
                "max |error| (bp)": [
                    self.max_abs_error_bp.mean(),
                    *self.max_abs_error_bp.quantile(q),
                ],
            },
            index=["mean", "median", "90%", "99%", "max"],
        )
        s.add_df(stats, float_format="%.3f")
        by_tenor = pd.DataFrame(
            {
                "mean error (bp)": self.errors_bp.mean(),
                "rms error (bp)": np.sqrt((self.errors_bp**2).mean()),
                "days": self.errors_bp.notna().sum(),
            }
        )
        by_tenor.index = [_tenor_label(v) for v in by_tenor.index]
        s.add_df(by_tenor, float_format="%.3f")
        worst = self.rmse_bp.nlargest(5)
        s.add_text(
            "Worst days (rmse bp): " + ", ".join(f"{d.date()} {v:.2f}" for d, v in worst.items())
        )
        return s

    def plot(self, ax: Axes | None = None) -> Axes:
        """Plot the daily rmse and max absolute error (bp)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(9, 4))
        ax.plot(
            self.max_abs_error_bp.index,
            self.max_abs_error_bp.to_numpy(),
            lw=0.6,
            alpha=0.7,
            label="max |error|",
        )
        ax.plot(self.rmse_bp.index, self.rmse_bp.to_numpy(), lw=0.8, label="rmse")
        ax.set_ylabel("bp")
        ax.set_title(f"NSS fit errors, {len(self)} days")
        ax.legend()
        return ax

    def __repr__(self) -> str:
        if not len(self):
            return "NSSHistory(0 days)"
        return (
            f"NSSHistory({len(self)} days {self.params.index[0].date()}.."
            f"{self.params.index[-1].date()}, median rmse {self.rmse_bp.median():.2f} bp, "
            f"{len(self.skipped)} skipped)"
        )


def fit_nss_history(
    frame: pd.DataFrame,
    *,
    on_bad_day: str = "raise",
    restart_every: int | None = 250,
    tau_bounds: tuple[float, float] = _TAU_BOUNDS,
    progress: Callable[[int, int], None] | None = None,
) -> NSSHistory:
    """Fit :func:`fit_nss` on every row of a par-yield history.

    Parameters
    ----------
    frame
        Decimal par yields: index dates (any order; fits run in date order), one
        column per tenor in years (``1/12``, ..., ``30``); NaN where a tenor was
        not published (dropped that day and recorded).
    on_bad_day
        ``"raise"`` (default): a day with fewer than 4 yields, or that does not
        fit, raises. ``"skip"``: the day is left out, listed in
        :attr:`NSSHistory.skipped`, and a :class:`~etfcore.errors.DataWarning`
        says how many days were skipped.
    restart_every
        Every this many fitted days the full multi-start runs as well as the warm
        start, so that a warm start cannot stay in a poor local minimum for long
        (None: only when the warm start looks bad).
    tau_bounds
        Bounds on ``tau1``, ``tau2`` (years).
    progress
        Optional ``callback(done, total)``.

    Returns
    -------
    NSSHistory

    Notes
    -----
    Each day's fit starts from the previous day's parameters. On the first day,
    when the warm-started fit's rmse is above ``1.5 x`` the previous day's plus
    0.5 bp, and every ``restart_every`` days, the multi-start of :func:`fit_nss`
    runs as well (with the warm-started fit as one more candidate) and the best
    fit is kept; ``multistart`` is True on those days. The NSS objective has
    several local minima of similar depth, so a history fitted this way can
    differ from day-by-day :func:`fit_nss` fits by a fraction of a bp of rmse.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"frame: expected a DataFrame (dates x tenors), got {type(frame).__name__}"
        )
    if on_bad_day not in ("raise", "skip"):
        raise InputError(f"on_bad_day: got {on_bad_day!r}; use 'raise' or 'skip'")
    if restart_every is not None and (not isinstance(restart_every, int) or restart_every < 1):
        raise InputError(f"restart_every: got {restart_every!r}; give a positive integer or None")
    try:
        tenors = np.array([float(c) for c in frame.columns])
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"frame: columns must be tenors in years (1/12, 0.25, ..., 30), got "
            f"{_short(list(frame.columns))}; rename label columns like '1 Mo' to years first"
        ) from exc
    tenors = _validate_tenors(tenors, "frame columns (tenors)", allow_zero=False)
    days = to_days(frame.index, where="frame index")
    dup = pd.Index(days).duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise InputError(
            f"frame index: row {i} date {_day_label(days[i])} appears more than once; "
            "give one row per date"
        )
    try:
        values = frame.to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError("frame: values must be decimal par yields (numbers or NaN)") from exc
    bad = np.argwhere(np.isfinite(values) & (np.abs(values) > _PERCENT_GUARD))
    if bad.size:
        r, c = (int(v) for v in bad[0])
        v = values[r, c]
        raise InputError(
            f"frame: row {r} ({_day_label(days[r])}), tenor {_tenor_label(tenors[c])} value "
            f"{_num(v)} looks like a percentage; pass decimals (frame / 100)"
        )
    inf = np.argwhere(np.isinf(values))
    if inf.size:
        r, c = (int(v) for v in inf[0])
        raise InputError(
            f"frame: row {r} ({_day_label(days[r])}), tenor {_tenor_label(tenors[c])} is infinite"
        )
    lo, hi = (float(v) for v in tau_bounds)
    if not 0 < lo < hi:
        raise InputError(f"tau_bounds: got {tau_bounds!r}; give (low, high) with 0 < low < high")

    order = np.argsort(days, kind="stable")
    n_days, n_ten = order.size, tenors.size
    params = np.full((n_days, 6), np.nan)
    errors = np.full((n_days, n_ten), np.nan)
    rmse = np.full(n_days, np.nan)
    max_err = np.full(n_days, np.nan)
    multistart = np.zeros(n_days, dtype=bool)
    ok = np.zeros(n_days, dtype=bool)
    skipped: dict[pd.Timestamp, str] = {}
    plans: dict[bytes, _TreasuryPlan] = {}
    prev: np.ndarray | None = None
    prev_rmse = np.nan
    since_restart = 0
    for k, row in enumerate(order):
        day = int(days[row])
        y = values[row]
        used = ~np.isnan(y)
        if used.sum() < 4:
            reason = f"only {int(used.sum())} par yields; NSS needs at least 4"
            if on_bad_day == "raise":
                raise InputError(
                    f"frame: row {int(row)} ({_day_label(day)}): {reason}; drop the row or "
                    "pass on_bad_day='skip'"
                )
            skipped[to_timestamps(day)] = reason
            continue
        key = used.tobytes()
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = _TreasuryPlan(tenors[used])
        problem = _NSSProblem(tenors[used], y[used], plan)
        res, full = None, True
        if prev is not None:
            res, _ = _solve_nss(problem, [prev], (lo, hi))
        if res is not None:
            r = float(np.sqrt(np.mean(problem.residuals(res.x) ** 2)))
            full = r > 1.5 * prev_rmse + 0.5 or (
                restart_every is not None and since_restart >= restart_every
            )
        if full:
            grid, _ = problem.profile((lo, hi))
            starts = list(grid[:_N_POLISH])
            if res is not None:
                starts.insert(0, res.x)
            res, _ = _solve_nss(problem, starts, (lo, hi))
            since_restart = 0
        else:
            since_restart += 1
        if res is None:
            reason = "no starting point gave a finite fit"
            if on_bad_day == "raise":
                raise ConvergenceError(
                    f"fit_nss_history: {_day_label(day)}: {reason}", failed=[_day_label(day)]
                )
            skipped[to_timestamps(day)] = reason
            continue
        err = problem.residuals(res.x)
        params[k] = res.x
        errors[k, used] = err
        rmse[k] = np.sqrt(np.mean(err * err))
        max_err[k] = np.max(np.abs(err))
        multistart[k] = full
        ok[k] = True
        prev, prev_rmse = res.x, rmse[k]
        if progress is not None:
            progress(k + 1, n_days)

    dates = to_timestamps(days[order])
    index = pd.DatetimeIndex(dates[ok], name="date")
    tenor_index = pd.Index(tenors, name="tenor")
    dropped = [tuple(float(v) for v in tenors[np.isnan(values[row])]) for row in order[ok]]
    if skipped and on_bad_day == "skip":
        first = ", ".join(f"{d.date()} ({why})" for d, why in list(skipped.items())[:3])
        warnings.warn(
            f"fit_nss_history skipped {len(skipped)} day(s), listed in .skipped: {first}"
            + (" ..." if len(skipped) > 3 else ""),
            DataWarning,
            stacklevel=2,
        )
    return NSSHistory(
        params=pd.DataFrame(params[ok], index=index, columns=list(_NSS_NAMES)),
        rmse_bp=pd.Series(rmse[ok], index=index, name="rmse_bp"),
        max_abs_error_bp=pd.Series(max_err[ok], index=index, name="max_abs_error_bp"),
        errors_bp=pd.DataFrame(errors[ok], index=index, columns=tenor_index),
        n_tenors=pd.Series(
            (~np.isnan(values[order[ok]])).sum(axis=1), index=index, name="n_tenors"
        ),
        dropped_tenors=pd.Series(dropped, index=index, name="dropped_tenors", dtype=object),
        multistart=pd.Series(multistart[ok], index=index, name="multistart"),
        skipped=pd.Series(skipped, name="reason", dtype=object),
    )
