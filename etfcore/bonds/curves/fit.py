"""Nelson-Siegel-Svensson fits to US Treasury par yields.

One day (:func:`fit_nss`) or a history (:func:`fit_nss_history`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..._results import frame_copy
from ...errors import ConvergenceError, DataWarning, InputError
from ..dates import to_day, to_days, to_timestamps
from ._checks import (
    _BETA_BOUND,
    _BETA_SOFT,
    _BP,
    _FTOL,
    _GTOL,
    _MAX_NFEV,
    _N_POLISH,
    _NSS_NAMES,
    _PENALTY_BP,
    _PERCENT_GUARD,
    _TAU1_GRID,
    _TAU2_GRID,
    _TAU_BOUNDS,
    _XTOL,
    _day_label,
    _num,
    _short,
    _tenor_label,
    _validate_rates,
    _validate_tenors,
)
from .nss import NSSCurve, _nss_loadings
from .treasury import _bill_discount, _TreasuryPlan
from .zero import ZeroCurve

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from statsmodels.iolib.summary2 import Summary


class _NSSProblem:
    """Least squares of model-implied Treasury quotes against observed ones (in bp)."""

    def __init__(self, tenors: np.ndarray, observed: np.ndarray, plan: _TreasuryPlan | None = None):
        self.tenors = tenors
        self.observed = np.ascontiguousarray(observed, dtype=np.float64)
        self.plan = plan if plan is not None else _TreasuryPlan(tenors)
        self._no_jac = np.empty((0, 6))

    def residuals(self, p: np.ndarray) -> np.ndarray:
        from .._curve_kernels import nss_quote_residuals_nb

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
        from .._curve_kernels import nss_quote_residuals_nb

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
        from .._curve_kernels import nss_tau_grid_nb

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

    from .._curve_kernels import nss_objective_nb

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


def _copy_on_read(cls: type, names: tuple[str, ...]) -> None:
    """Make the pandas fields of a frozen result hand out copies (``frame_copy``).

    The dataclass ``__init__`` stores each value under ``_name`` through the property's
    setter; reading ``result.name`` returns a deep copy, so the result cannot be changed
    through it, and assigning to it raises as for any frozen dataclass field.
    """
    for name in names:
        key = "_" + name

        def fget(self: Any, key: str = key) -> Any:
            return frame_copy(self.__dict__[key])

        def fset(self: Any, value: Any, key: str = key) -> None:
            self.__dict__[key] = value

        setattr(cls, name, property(fget, fset, doc=f"``{name}`` (a copy)."))


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

    Examples
    --------
    >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
    >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
    ...         0.0418, 0.0443, 0.0496, 0.0497]
    >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
    >>> fit
    NSSFit(2025-07-11, 13 tenors, rmse 2.99 bp, max 6.34 bp)
    >>> bool(fit.rmse_bp < 5)
    True
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
        """Day number of the curve date.

        Examples
        --------
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
        >>> fit.reference_date
        20280
        """
        return self.curve.reference_date

    @property
    def reference_timestamp(self) -> pd.Timestamp:
        """The curve date as a Timestamp.

        Examples
        --------
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
        >>> fit.reference_timestamp
        Timestamp('2025-07-11 00:00:00')
        """
        return self.curve.reference_timestamp

    @property
    def params(self) -> pd.Series:
        """``beta0..beta3`` (decimals) and ``tau1``, ``tau2`` (years).

        Examples
        --------
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
        >>> list(fit.params.index)
        ['beta0', 'beta1', 'beta2', 'beta3', 'tau1', 'tau2']
        """
        return self.curve.params

    def zero_rate(self, t: Any) -> Any:
        """Zero rate of the fitted curve (see :meth:`ZeroCurve.zero_rate`).

        Examples
        --------
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
        >>> bool(0.03 < fit.zero_rate(10.0) < 0.05)
        True
        """
        return self.curve.zero_rate(t)

    def discount(self, t: Any) -> Any:
        """Discount factor of the fitted curve (see :meth:`ZeroCurve.discount`).

        Examples
        --------
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
        >>> bool(0.6 < fit.discount(10.0) < 0.7)
        True
        """
        return self.curve.discount(t)

    def discount_days(self, days: Any) -> Any:
        """Discount factors at day numbers (see :meth:`ZeroCurve.discount_days`).

        Examples
        --------
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
        >>> float(fit.discount_days(fit.reference_date))
        1.0
        """
        return self.curve.discount_days(days)

    def forward_rate(self, t1: Any, t2: Any) -> Any:
        """Forward rate between two times (see :meth:`ZeroCurve.forward_rate`).

        Examples
        --------
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
        >>> bool(0.03 < fit.forward_rate(5.0, 10.0) < 0.06)
        True
        """
        return self.curve.forward_rate(t1, t2)

    def par_yield(self, maturities_years: Any, frequency: int = 2) -> Any:
        """Par coupon (see :meth:`ZeroCurve.par_yield`).

        Examples
        --------
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
        >>> bool(abs(fit.par_yield(10.0) - 0.0443) < 5e-4)
        True
        """
        return self.curve.par_yield(maturities_years, frequency)

    def treasury_par_yields(self, tenors: Any) -> Any:
        """Treasury par-curve quotes (see :meth:`ZeroCurve.treasury_par_yields`).

        Examples
        --------
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
        >>> bool(abs(fit.treasury_par_yields([10.0])[0] - 0.0443) < 5e-4)
        True
        """
        return self.curve.treasury_par_yields(tenors)

    def to_zero_curve(self, tenors: Any = None, interpolation: str = "linear_zero") -> ZeroCurve:
        """Sample into a :class:`ZeroCurve`; ``tenors`` defaults to the tenors used in the fit.

        Examples
        --------
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
        >>> fit.to_zero_curve([1, 10, 30]).tenors.tolist()
        [1.0, 10.0, 30.0]
        """
        t = self.fitted.index.to_numpy(dtype=np.float64) if tenors is None else tenors
        return self.curve.to_zero_curve(t, interpolation)

    def to_frame(self) -> pd.DataFrame:
        """Per tenor: observed, fitted, error (bp) and the model zero rate.

        Examples
        --------
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
        >>> list(fit.to_frame().columns)
        ['observed', 'fitted', 'error_bp', 'zero_rate']
        """
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

    def summary(self) -> Summary:
        """A statsmodels ``Summary``: fit statistics, parameters and errors by tenor.

        Examples
        --------
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
        >>> "rmse (bp)" in str(fit.summary())
        True
        """
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
        """Observed par yields (dots), the fitted par curve and the zero curve (lines), in %.

        Examples
        --------
        >>> import matplotlib; matplotlib.use("Agg")
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> fit = fit_nss(TREASURY_TENORS, par, "2025-07-11")
        >>> ax = fit.plot()
        >>> ax is not None
        True
        """
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


_copy_on_read(NSSFit, ("observed", "fitted", "errors_bp"))


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

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss_history
    >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
    ...         0.0418, 0.0443, 0.0496, 0.0497]
    >>> frame = pd.DataFrame([par, [p + 0.0005 for p in par]], columns=TREASURY_TENORS,
    ...                      index=pd.to_datetime(["2025-07-10", "2025-07-11"]))
    >>> hist = fit_nss_history(frame)
    >>> len(hist), list(hist.params.columns)
    (2, ['beta0', 'beta1', 'beta2', 'beta3', 'tau1', 'tau2'])
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
        """The fitted curve on ``date``.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss_history
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> frame = pd.DataFrame([par, [p + 0.0005 for p in par]], columns=TREASURY_TENORS,
        ...                      index=pd.to_datetime(["2025-07-10", "2025-07-11"]))
        >>> hist = fit_nss_history(frame)
        >>> hist.curve("2025-07-11").reference_timestamp
        Timestamp('2025-07-11 00:00:00')
        """
        ts = to_timestamps(to_day(date, where="date"))
        if ts not in self.params.index:
            raise KeyError(f"no fit on {ts.date()}")
        return NSSCurve.from_params(self.params.loc[ts], ts)

    def to_frame(self) -> pd.DataFrame:
        """Parameters, rmse, max error, tenors used and multistart flag by date.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss_history
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> frame = pd.DataFrame([par, [p + 0.0005 for p in par]], columns=TREASURY_TENORS,
        ...                      index=pd.to_datetime(["2025-07-10", "2025-07-11"]))
        >>> hist = fit_nss_history(frame)
        >>> hist.to_frame().shape[0]
        2
        """
        return self.params.assign(
            rmse_bp=self.rmse_bp,
            max_abs_error_bp=self.max_abs_error_bp,
            n_tenors=self.n_tenors,
            multistart=self.multistart,
        )

    def summary(self) -> Summary:
        """A statsmodels ``Summary`` of the fit errors over the history.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss_history
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> frame = pd.DataFrame([par, [p + 0.0005 for p in par]], columns=TREASURY_TENORS,
        ...                      index=pd.to_datetime(["2025-07-10", "2025-07-11"]))
        >>> hist = fit_nss_history(frame)
        >>> "days fitted" in str(hist.summary())
        True
        """
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
            "Worst days (rmse bp): " + ", ".join(f"{d:%Y-%m-%d} {v:.2f}" for d, v in worst.items())
        )
        return s

    def plot(self, ax: Axes | None = None) -> Axes:
        """Plot the daily rmse and max absolute error (bp).

        Examples
        --------
        >>> import matplotlib; matplotlib.use("Agg")
        >>> import pandas as pd
        >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss_history
        >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
        ...         0.0418, 0.0443, 0.0496, 0.0497]
        >>> frame = pd.DataFrame([par, [p + 0.0005 for p in par]], columns=TREASURY_TENORS,
        ...                      index=pd.to_datetime(["2025-07-10", "2025-07-11"]))
        >>> hist = fit_nss_history(frame)
        >>> hist.plot() is not None
        True
        """
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


_copy_on_read(
    NSSHistory,
    (
        "params",
        "rmse_bp",
        "max_abs_error_bp",
        "errors_bp",
        "n_tenors",
        "dropped_tenors",
        "multistart",
        "skipped",
    ),
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

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.bonds.curves import TREASURY_TENORS, fit_nss_history
    >>> par = [0.0433, 0.0435, 0.0436, 0.0434, 0.0428, 0.0401, 0.0389, 0.0387, 0.0398,
    ...         0.0418, 0.0443, 0.0496, 0.0497]
    >>> frame = pd.DataFrame([par, [p + 0.0005 for p in par]], columns=TREASURY_TENORS,
    ...                      index=pd.to_datetime(["2025-07-10", "2025-07-11"]))
    >>> hist = fit_nss_history(frame)
    >>> bool((hist.rmse_bp < 5).all())
    True
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
    prev_rmse = float("nan")
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
            rmse_now = float(np.sqrt(np.mean(problem.residuals(res.x) ** 2)))
            full = rmse_now > 1.5 * prev_rmse + 0.5 or (
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
