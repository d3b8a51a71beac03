"""Many zero curves on one tenor grid, discounted all at once.

Parallel, twist, butterfly, key-rate and random shocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..._validation import check_random_state
from ...errors import InputError
from ._checks import _BP, _DAYS_PER_YEAR, _as_day_numbers, _day_label, _num, _short, _Wrap
from .nss import _nss_loadings
from .zero import ZeroCurve, _interp_weights, exponent_coefficients

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes


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

    Examples
    --------
    >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
    >>> sc = CurveScenarios(curve, [curve.zero_rates, curve.zero_rates + 0.001], ["base", "up10"])
    >>> sc
    CurveScenarios(2 scenarios x 4 knots, 2025-07-11, shifts +0.0..+10.0 bp)
    >>> sc.shifts_bp.round(6).tolist()
    [[0.0, 0.0, 0.0, 0.0], [10.0, 10.0, 10.0, 10.0]]
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
        """Day number of the reference date (the base curve's).

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> curve.parallel_shocks([0, 10]).reference_date
        20280
        """
        return self.base.reference_date

    @property
    def reference_timestamp(self) -> pd.Timestamp:
        """The reference date as a Timestamp.

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> curve.parallel_shocks([0, 10]).reference_timestamp
        Timestamp('2025-07-11 00:00:00')
        """
        return self.base.reference_timestamp

    @property
    def tenors(self) -> np.ndarray:
        """Knot tenors in years (the base curve's).

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> curve.parallel_shocks([0, 10]).tenors.tolist()
        [0.5, 2.0, 10.0, 30.0]
        """
        return self.base.tenors

    @property
    def interpolation(self) -> str:
        """The base curve's interpolation.

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> curve.parallel_shocks([0, 10]).interpolation
        'linear_zero'
        """
        return self.base.interpolation

    @property
    def shifts_bp(self) -> np.ndarray:
        """``(S, K)`` shifts from the base curve, in basis points.

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> curve.parallel_shocks([0, 10]).shifts_bp.round(6).tolist()
        [[0.0, 0.0, 0.0, 0.0], [10.0, 10.0, 10.0, 10.0]]
        """
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

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> sc = curve.parallel_shocks([0, 100])
        >>> sc.discount_days([curve.reference_date + 365]).round(4).tolist()
        [[0.9592], [0.9496]]
        """
        from .._curve_kernels import scenario_discount_nb

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
        """``(S, n)`` zero rates of every scenario at times ``t`` (years, a 1-D array).

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> curve.parallel_shocks([0, 100]).zero_rate([5.0]).round(6).tolist()
        [[0.040875], [0.050875]]
        """
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
        """Zero rates, one row per scenario (index: name), one column per tenor (years).

        Examples
        --------
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> curve.parallel_shocks([0, 10]).to_frame().shape
        (2, 4)
        """
        return pd.DataFrame(
            self.zero_rates,
            index=pd.Index(self.names, name="scenario"),
            columns=pd.Index(self.tenors, name="tenor"),
        )

    def plot(self, ax: Axes | None = None, max_lines: int = 60) -> Axes:
        """Plot the scenario zero curves around the base curve.

        Up to ``max_lines`` scenarios are drawn as thin lines; with more, the 5-95%
        band and the median across scenarios are drawn instead.

        Examples
        --------
        >>> import matplotlib; matplotlib.use("Agg")
        >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
        >>> ax = curve.parallel_shocks([-50, 0, 50]).plot()
        >>> len(ax.lines) >= 3
        True
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

    Examples
    --------
    >>> curve = ZeroCurve("2025-07-11", [0.5, 2, 10, 30], [0.043, 0.039, 0.044, 0.049])
    >>> sc = random_shocks(curve, 1000, rng=0)
    >>> len(sc), sc.zero_rates.shape
    (1000, (1000, 4))
    >>> bool(abs(sc.shifts_bp.mean()) < 1.0)
    True
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
    gen = check_random_state(rng)
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
