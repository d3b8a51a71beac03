"""Zero curves: tenors and continuously compounded zero rates with an interpolation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..._results import make_summary
from ...errors import InputError
from ..dates import to_day, to_timestamps
from ._base import _Discounting
from ._checks import (
    _BP,
    _DAYS_PER_YEAR,
    INTERPOLATIONS,
    _bp_list,
    _day_label,
    _format_bp,
    _num,
    _short,
    _tenor_label,
    _validate_rates,
    _validate_tenors,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from statsmodels.iolib.summary2 import Summary

    from .scenarios import CurveScenarios


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

    if TYPE_CHECKING:  # set in _set; not a dataclass field
        _zt: np.ndarray

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
        """A copy with every zero rate moved by ``bp`` basis points (a parallel shift).

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> round(float(curve.shift(10).zero_rate(5.0) - curve.zero_rate(5.0)), 6)
        0.001
        """
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

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> sc = curve.scenarios([[0, 0, 0, 0], [10, 20, 30, 40]], names=["base", "steeper"])
        >>> sc.names, sc.shifts_bp[1].round(6).tolist()
        (('base', 'steeper'), [10.0, 20.0, 30.0, 40.0])
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
        from .scenarios import CurveScenarios

        return CurveScenarios(self, self.zero_rates[None, :] + shifts * _BP, names)

    def parallel_shocks(self, bps: Any) -> CurveScenarios:
        """Parallel shifts: every knot moves by ``bp``, one scenario per value in ``bps``.

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> curve.parallel_shocks([-25, 0, 25]).shifts_bp[:, 0].tolist()
        [-25.00000000000002, 0.0, 25.00000000000002]
        """
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

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> curve.twist_shocks([10], pivot=10.0).shifts_bp.round(2).tolist()
        [[-3.22, -2.71, 0.0, 6.78]]
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

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> curve.butterfly_shocks([10]).shifts_bp.round(2).tolist()
        [[-10.0, -10.0, 10.0, -10.0]]
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

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> krs = curve.key_rate_shocks(1.0)
        >>> len(krs), krs.shifts_bp[0].tolist()
        (8, [1.0000000000000286, 0.0, 0.0, 0.0])
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
        """The knots: tenor (years, index), date, zero rate and discount factor.

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> curve.to_frame()[["label", "zero_rate"]].values.tolist()
        [['6m', 0.043], ['2y', 0.039], ['10y', 0.044], ['30y', 0.049]]
        """
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

    def summary(self) -> Summary:
        """The curve as a statsmodels ``Summary``: knots in percent and discount factors.

        One row per knot: zero rate, the forward from the previous knot, the semiannual
        par yield to that tenor (percent) and the discount factor. Before issue 6 this
        returned the table as a DataFrame; it is :meth:`summary_frame` now.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> "zero_pct" in str(curve.summary())
        True
        """
        return make_summary(
            f"Zero curve {_day_label(self.reference_date)} ({self.interpolation})",
            [self.summary_frame()],
            [
                "Zero rates continuously compounded, ACT/365F from the reference date; "
                "forwards from the previous knot; par yields semiannual."
            ],
        )

    def summary_frame(self) -> pd.DataFrame:
        """The knot table of :meth:`summary` as a DataFrame (percent and discount factor).

        Returns
        -------
        pandas.DataFrame
            Columns ``zero_pct``, ``forward_pct``, ``par_semiannual_pct``, ``discount``,
            indexed by tenor label.

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> curve.summary_frame()["zero_pct"].round(2).tolist()
        [4.3, 3.9, 4.4, 4.9]
        """
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
                "zero_pct": self.zero_rates * 100,
                "forward_pct": fwd * 100,
                "par_semiannual_pct": par * 100,
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

        Examples
        --------
        >>> import matplotlib; matplotlib.use("Agg")
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> curve.plot().get_ylabel()
        'zero rate, continuous (%)'
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

    Examples
    --------
    >>> import numpy as np
    >>> a, b, c, d = exponent_coefficients(np.array([1.0, 5.0]), np.array([3.0]), "linear_zero")
    >>> [x.round(3).tolist() for x in (a, b, c, d)]
    [[0], [1], [-1.5], [-1.5]]
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
