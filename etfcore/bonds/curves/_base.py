"""The discounting interface of ZeroCurve and NSSCurve (private)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...errors import InputError
from ..dates import to_days, to_timestamps
from ._checks import _DAYS_PER_YEAR, _TABLE_DAYS, _as_day_numbers, _num, _Wrap
from .treasury import _coupon_schedule, _TreasuryPlan

if TYPE_CHECKING:  # pragma: no cover
    pass


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
