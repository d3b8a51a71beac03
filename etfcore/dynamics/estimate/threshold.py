"""A three-regime threshold (band) autoregression of the premium, band edges by grid search."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from ..._results import frame_copy, make_summary
from ..._validation import show
from ...errors import InputError
from ._base import EstimateResults, check_alpha, converge_error, need
from ._series import premium_input
from .persistence import hac_maxlags, half_life

#: The fewest (lagged, current) pairs the band TAR takes (each regime needs 10 or more).
MIN_TAR_OBS = 60
#: The fewest pairs in any one regime.
MIN_REGIME_OBS = 10

_MODEL = "Band threshold AR(1) of the premium"
REGIMES = ("below", "inside", "above")


def _prefix(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Prefix sums of 1, x, y, xx, xy, yy (rows), length n + 1."""
    cols = np.vstack([np.ones_like(xs), xs, ys, xs * xs, xs * ys, ys * ys])
    out = np.zeros((6, xs.size + 1))
    np.cumsum(cols, axis=1, out=out[:, 1:])
    return out


def _block_ssr(P: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """SSR of y on (1, x) over sorted blocks [a, b) (broadcast), from prefix sums."""
    s = P[:, b] - P[:, a]
    n = np.maximum(s[0], 1.0)
    sxx = s[3] - s[1] ** 2 / n
    sxy = s[4] - s[1] * s[2] / n
    syy = s[5] - s[2] ** 2 / n
    fit = np.where(sxx > 1e-12 * np.maximum(s[3], 1.0), sxy**2 / np.where(sxx > 0, sxx, 1.0), 0.0)
    return np.maximum(syy - fit, 0.0)


def _hansen_crit(alpha: float) -> float:
    """Hansen (2000)'s asymptotic critical value of the threshold LR: -2 ln(1 - sqrt(1-a))."""
    return -2.0 * math.log(1.0 - math.sqrt(1.0 - alpha))


@dataclass(frozen=True, repr=False, eq=False)
class BandTARResults(EstimateResults):
    """The band threshold autoregression: edges, their intervals, AR(1) in each regime.

    ``params``: ``const[r]`` and ``phi[r]`` for ``r`` in ``below``, ``inside``,
    ``above``; :attr:`band_bp` the edges, :attr:`band_conf_int` their intervals.

    Notes
    -----
    Regimes by the lagged premium; see :func:`fit_band_tar`.

    Examples
    --------
    >>> from etfcore.dynamics.estimate import fit_band_tar, premium_discount
    >>> from etfcore.dynamics.estimate._examples import example_fund
    >>> price, nav, shares = example_fund()
    >>> res = fit_band_tar(premium_discount(price, nav))
    >>> lo, hi = res.band_bp
    >>> bool(lo < hi), list(res.to_frame().index)
    (True, ['below', 'inside', 'above'])
    """

    _band: tuple[float, float]
    _band_ci: tuple[tuple[float, float], tuple[float, float]]
    _regimes: pd.DataFrame
    ssr: float
    ssr_linear: float
    alpha: float

    @property
    def band_bp(self) -> tuple[float, float]:
        """Estimated band ``(lower, upper)`` in bp of NAV."""
        return self._band

    @property
    def band_conf_int(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """``((lower_lo, lower_hi), (upper_lo, upper_hi))``: Hansen (2000) LR intervals."""
        return self._band_ci

    @property
    def lr_linear(self) -> float:
        """``n (SSR_linear - SSR) / SSR``: the sup-LR statistic against one AR(1)."""
        return self.nobs * (self.ssr_linear - self.ssr) / self.ssr

    def to_frame(self) -> pd.DataFrame:
        """One row per regime: pairs, share, phi, half-life and interval, attractor.

        ``attractor_bp = const / (1 - phi)`` (NaN where ``|phi| >= 1``: no attractor).

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_band_tar, premium_discount
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> int(fit_band_tar(premium_discount(price, nav)).to_frame()["nobs"].sum())
        399
        """
        return frame_copy(self._regimes)

    def summary(self) -> Any:
        """Band, its intervals, coefficients, and the per-regime table.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_band_tar, premium_discount
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> "upper edge" in str(fit_band_tar(premium_discount(price, nav)).summary())
        True
        """
        (l_lo, l_hi), (u_lo, u_hi) = self._band_ci
        band = pd.DataFrame(
            {
                "estimate_bp": list(self._band),
                "ci_lower_bp": [l_lo, u_lo],
                "ci_upper_bp": [l_hi, u_hi],
            },
            index=["lower edge", "upper edge"],
        )
        return make_summary(
            self.model_name,
            [self._header(), band, self._coef_table(), self._regimes],
            [
                "p_t = const_j + phi_j p_(t-1) + e_t, regime j by p_(t-1): below the lower "
                "edge, inside [lower, upper], above the upper edge. Edges by grid search "
                "over quantiles of p_(t-1) minimizing the SSR, refined over every data "
                "point (each regime holds at least the minimum share of pairs).",
                "Edge intervals: Hansen (2000) LR inversion (each edge with the other at "
                f"its estimate; homoskedastic asymptotics); sup-LR against one AR(1) = "
                f"{self.lr_linear:.1f} (non-standard, no p-value). Coefficients: OLS, HAC.",
            ],
        )


def fit_band_tar(
    premium_bp: Any,
    *,
    n_grid: int = 60,
    min_regime_share: float = 0.05,
    alpha: float = 0.05,
    dropna: bool = False,
) -> BandTARResults:
    r"""Estimate the no-arbitrage band as a three-regime threshold AR(1) of the premium.

    Parameters
    ----------
    premium_bp : pandas.Series
        Premium in bp by date.
    n_grid : int
        Number of quantiles of the lagged premium in the first grid (between
        ``min_regime_share`` and ``1 - min_regime_share``).
    min_regime_share : float
        Smallest share of the pairs in each regime (and at least 10 pairs).
    alpha : float
        Intervals are ``1 - alpha``.
    dropna : bool
        Drop NaN dates (with a warning) instead of raising.

    Returns
    -------
    BandTARResults

    Raises
    ------
    InputError
        Fewer than :data:`MIN_TAR_OBS` (60) pairs, a bad ``n_grid`` or share, a NaN.
    ConvergenceError
        No admissible pair of edges (a premium with too few distinct values).

    Notes
    -----
    ``p_t = c_j + phi_j p_(t-1) + e_t`` with regime ``below`` if ``p_(t-1) < lower``,
    ``inside`` if ``lower <= p_(t-1) <= upper``, ``above`` otherwise (Balke and Fomby
    1997; Obstfeld and Taylor 1997). The edges minimize the total SSR over a grid of
    quantiles of ``p_(t-1)``; each edge is then refined over every data point with the
    other held (SSRs from sorted prefix sums, so the search is O(n log n + grid^2)); the
    final coefficients are statsmodels OLS with HAC errors at the chosen edges. Edge
    intervals invert Hansen's (2000) likelihood ratio ``n (SSR(g) - SSR) / SSR <=
    -2 ln(1 - sqrt(1 - alpha))``. A regime with ``phi >= 1`` has an infinite half-life
    (no reversion there), reported as ``inf``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> p = np.zeros(1500)
    >>> for t in range(1, 1500):
    ...     q = p[t - 1]
    ...     edge = -30.0 if q < -30 else (30.0 if q > 30 else q)
    ...     p[t] = edge + 0.3 * (q - edge) + rng.normal(0, 10)
    >>> res = fit_band_tar(pd.Series(p, index=pd.bdate_range("2015-01-01", periods=1500)))
    >>> lo, hi = res.band_bp
    >>> bool(-45 < lo < -15 and 15 < hi < 45)
    True
    """
    alpha = check_alpha(alpha)
    if not isinstance(n_grid, (int, np.integer)) or isinstance(n_grid, bool) or n_grid < 3:
        raise InputError(f"n_grid: {show(n_grid)} must be a whole number >= 3")
    share = float(min_regime_share)
    if not 0.0 < share < 1.0 / 3.0:
        raise InputError(
            f"min_regime_share: {show(min_regime_share)} must be in (0, 1/3), e.g. 0.05"
        )
    s = premium_input(premium_bp, "premium_bp", dropna)
    v = s.to_numpy()
    y, x, idx = v[1:], v[:-1], s.index[1:]
    n = y.size
    need(n, MIN_TAR_OBS, "premium_bp", _MODEL, s.index)
    m = max(MIN_REGIME_OBS, int(math.ceil(share * n)))
    order = np.argsort(x, kind="stable")
    shift_x, shift_y = float(x.mean()), float(y.mean())
    xs, ys = x[order] - shift_x, y[order] - shift_y
    P = _prefix(xs, ys)
    grid = np.unique(np.quantile(xs, np.linspace(share, 1.0 - share, int(n_grid))))
    kl = np.searchsorted(xs, grid, side="left")
    ku = np.searchsorted(xs, grid, side="right")
    a, b = kl[:, None], ku[None, :]
    ok = (a >= m) & (b - a >= m) & (n - b >= m)
    if not ok.any():
        raise converge_error(
            _MODEL,
            idx,
            f"no pair of edges leaves {m} or more pairs in each regime "
            f"({np.unique(x).size} distinct premium values)",
        )
    zero = np.zeros_like(a)
    full = np.full_like(b, n)
    total = _block_ssr(P, zero, a) + _block_ssr(P, a, b) + _block_ssr(P, b, full)
    total = np.where(ok, total, np.inf)
    i, j = np.unravel_index(int(np.argmin(total)), total.shape)
    k_lo, k_hi = int(kl[i]), int(ku[j])
    # candidate boundaries at every distinct value: position of the first x >= value
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    ends = np.r_[starts[1:], n]  # count of x <= value, per distinct value

    def profile_lower(khi: int) -> tuple[np.ndarray, np.ndarray]:
        c = starts[(starts >= m) & (khi - starts >= m)]
        ssr = _block_ssr(P, np.zeros_like(c), c) + _block_ssr(P, c, np.full_like(c, khi))
        return c, ssr + _block_ssr(P, np.array([khi]), np.array([n]))

    def profile_upper(klo: int) -> tuple[np.ndarray, np.ndarray]:
        c = ends[(ends - klo >= m) & (n - ends >= m)]
        ssr = _block_ssr(P, np.full_like(c, klo), c) + _block_ssr(P, c, np.full_like(c, n))
        return c, ssr + _block_ssr(P, np.array([0]), np.array([klo]))

    for _ in range(3):
        cl, sl = profile_lower(k_hi)
        new_lo = int(cl[np.argmin(sl)])
        cu, su = profile_upper(new_lo)
        new_hi = int(cu[np.argmin(su)])
        if new_lo == k_lo and new_hi == k_hi:
            break
        k_lo, k_hi = new_lo, new_hi
    cl, sl = profile_lower(k_hi)
    cu, su = profile_upper(k_lo)
    ssr_min = float(min(sl.min(), su.min()))
    crit = _hansen_crit(alpha)
    lower = float(xs[k_lo] + shift_x)
    upper = float(xs[k_hi - 1] + shift_x)
    in_l = cl[n * (sl - ssr_min) / ssr_min <= crit]
    in_u = cu[n * (su - ssr_min) / ssr_min <= crit]
    ci_lo = (float(xs[in_l.min()] + shift_x), float(xs[in_l.max()] + shift_x))
    ci_hi = (float(xs[in_u.min() - 1] + shift_x), float(xs[in_u.max() - 1] + shift_x))
    ci_lo = (min(ci_lo[0], lower), max(ci_lo[1], lower))
    ci_hi = (min(ci_hi[0], upper), max(ci_hi[1], upper))

    regime = np.where(x < lower, 0, np.where(x > upper, 2, 1))
    X = np.zeros((n, 6))
    for r in range(3):
        X[regime == r, 2 * r] = 1.0
        X[regime == r, 2 * r + 1] = x[regime == r]
    names = [f"{p}[{r}]" for r in REGIMES for p in ("const", "phi")]
    res = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": hac_maxlags(n)})
    params = pd.Series(np.asarray(res.params, dtype=float), index=names)
    bse = pd.Series(np.asarray(res.bse, dtype=float), index=names)
    if not (np.isfinite(params).all() and np.isfinite(bse).all()):
        raise converge_error(_MODEL, idx, "OLS at the chosen edges gave non-finite estimates")
    ssr_lin = float(_block_ssr(P, np.array([0]), np.array([n]))[0])
    rows = []
    for r, name in enumerate(REGIMES):
        c, phi = float(params.iloc[2 * r]), float(params.iloc[2 * r + 1])
        se = float(bse.iloc[2 * r + 1])
        hl, lo, hi = half_life(phi, se, alpha)
        attractor = c / (1.0 - phi) if abs(phi) < 1.0 else math.nan
        rows.append(
            {
                "regime": name,
                "nobs": int((regime == r).sum()),
                "share": float((regime == r).mean()),
                "phi": phi,
                "half_life_days": hl,
                "half_life_lower_days": lo,
                "half_life_upper_days": hi,
                "attractor_bp": attractor,
            }
        )
    return BandTARResults(
        params,
        bse,
        n,
        idx[0],
        idx[-1],
        (lower, upper),
        (ci_lo, ci_hi),
        pd.DataFrame(rows).set_index("regime"),
        float(res.ssr),
        ssr_lin,
        alpha,
        model_name=_MODEL,
    )


__all__ = ["MIN_TAR_OBS", "BandTARResults", "fit_band_tar"]
