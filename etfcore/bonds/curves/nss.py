"""Nelson-Siegel-Svensson curves (the form of the Federal Reserve's GSW curve)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...errors import InputError
from ..dates import to_day
from ._base import _Discounting
from ._checks import _NSS_NAMES, _day_label, _num, _validate_tenors, _Wrap
from .treasury import TREASURY_TENORS
from .zero import ZeroCurve

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes


# =====================================================================================
# Nelson-Siegel-Svensson
# =====================================================================================


def _nss_loadings(
    t: np.ndarray, tau: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(1 - e^-x)/x``, ``(1 - e^-x)/x - e^-x`` and ``e^-x`` at ``x = t / tau``."""
    x = t / tau
    e = np.exp(-x)
    small = np.abs(x) < 1e-8
    g1 = np.where(small, 1.0 - 0.5 * x, -np.expm1(-x) / np.where(small, 1.0, x))
    return g1, g1 - e, e


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

    Examples
    --------
    >>> nss = NSSCurve("2025-07-11", 0.045, -0.005, -0.01, 0.01, 1.5, 10.0)
    >>> round(float(nss.zero_rate(10.0)), 6), round(float(nss.zero_rate(0.0)), 6)
    (0.045408, 0.04)
    """

    reference_date: int
    beta0: float
    beta1: float
    beta2: float
    beta3: float
    tau1: float
    tau2: float
    if TYPE_CHECKING:  # set in __init__; not a dataclass field
        _p: np.ndarray

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
        """Build from ``params``: a mapping or Series with keys beta0..tau2, or 6 numbers.

        Examples
        --------
        >>> c = NSSCurve.from_params([0.045, -0.005, -0.01, 0.01, 1.5, 10.0], "2025-07-11")
        >>> c.tau2
        10.0
        """
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

        Examples
        --------
        >>> row = {"BETA0": 4.5, "BETA1": -0.5, "BETA2": -1.0, "BETA3": 1.0,
        ...        "TAU1": 1.5, "TAU2": 10.0}
        >>> NSSCurve.from_gsw(row, "2025-07-11").beta0
        0.045
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
        return cls(
            reference_date, b[0] / 100.0, b[1] / 100.0, b[2] / 100.0, b[3] / 100.0, tau1, tau2
        )

    @property
    def params(self) -> pd.Series:
        """``beta0..beta3`` (decimals) and ``tau1``, ``tau2`` (years).

        Examples
        --------
        >>> nss = NSSCurve("2025-07-11", 0.045, -0.005, -0.01, 0.01, 1.5, 10.0)
        >>> nss.params.round(4).to_dict()
        {'beta0': 0.045, 'beta1': -0.005, 'beta2': -0.01, 'beta3': 0.01, 'tau1': 1.5, 'tau2': 10.0}
        """
        return pd.Series(self._p.copy(), index=list(_NSS_NAMES), name="nss")

    def _zero(self, t: np.ndarray) -> np.ndarray:
        return _nss_zero(self._p, t)

    def instantaneous_forward(self, t: Any) -> Any:
        """Instantaneous forward rate (decimal, continuous) at ``t`` years.

        Examples
        --------
        >>> nss = NSSCurve("2025-07-11", 0.045, -0.005, -0.01, 0.01, 1.5, 10.0)
        >>> round(float(nss.instantaneous_forward(0.0)), 6)
        0.04
        """
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

        Examples
        --------
        >>> nss = NSSCurve("2025-07-11", 0.045, -0.005, -0.01, 0.01, 1.5, 10.0)
        >>> zc = nss.to_zero_curve([1, 5, 10, 30])
        >>> zc.tenors.tolist(), round(float(zc.zero_rate(10.0) - nss.zero_rate(10.0)), 12)
        ([1.0, 5.0, 10.0, 30.0], 0.0)
        """
        t = _validate_tenors(TREASURY_TENORS if tenors is None else tenors, "tenors")
        return ZeroCurve(self.reference_date, t, self._zero(t), interpolation)

    def plot(self, ax: Axes | None = None, max_tenor: float = 30.0) -> Axes:
        """Plot the zero curve, the instantaneous forward and the Treasury par curve (%).

        Examples
        --------
        >>> import matplotlib; matplotlib.use("Agg")
        >>> nss = NSSCurve("2025-07-11", 0.045, -0.005, -0.01, 0.01, 1.5, 10.0)
        >>> nss.plot().get_xlabel()
        'tenor (years)'
        """
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
