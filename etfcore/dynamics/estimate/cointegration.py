"""Cointegration of log price and log NAV: Johansen, a VECM, and which series leads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.tsa.vector_ar.vecm import VECM, coint_johansen

from ..._validation import show
from ...errors import InputError
from ._base import EstimateResults, check_alpha, converge_error, need, z_value
from ._series import _price_frame

#: The fewest dates the VECM takes.
MIN_VECM_OBS = 50

_MODEL = "VECM of log ETF price and log NAV"


def information_shares(alpha: np.ndarray, sigma: np.ndarray) -> dict[str, float]:
    """Hasbrouck bounds and Gonzalo-Granger shares of variable 0 (price) vs 1 (NAV).

    ``alpha`` is the VECM's adjustment vector (2,), ``sigma`` its residual covariance.
    The common-trend weights are ``psi ~ alpha_orth = (alpha_1, -alpha_0)``; Hasbrouck's
    share of price is ``(psi F)_0^2 / psi Sigma psi'`` with ``F`` the lower Cholesky
    factor of ``Sigma`` with price first (upper bound) or NAV first (lower bound).
    Gonzalo-Granger's component share is ``alpha_orth_0 / (alpha_orth_0 + alpha_orth_1)``.

    Notes
    -----
    Hasbrouck (1995); the bounds come from the two Cholesky orderings; the
    Gonzalo-Granger (1995) share can leave [0, 1] when both alphas have the same sign.

    Examples
    --------
    >>> import numpy as np
    >>> out = information_shares(np.array([0.0, 0.4]), np.diag([1.0, 1.0]))
    >>> out["hasbrouck_lower"], out["hasbrouck_upper"], out["gonzalo_granger"]
    (1.0, 1.0, 1.0)
    """
    a = np.asarray(alpha, dtype=float).reshape(-1)
    psi = np.array([a[1], -a[0]])
    total = psi @ sigma @ psi
    f1 = np.linalg.cholesky(sigma)
    is_first = float((psi @ f1)[0] ** 2 / total)
    perm = [1, 0]
    f2 = np.linalg.cholesky(sigma[np.ix_(perm, perm)])
    is_second = float((psi[perm] @ f2)[1] ** 2 / total)
    lo, hi = sorted((is_first, is_second))
    gg = float(psi[0] / (psi[0] + psi[1]))
    return {
        "hasbrouck_lower": lo,
        "hasbrouck_upper": hi,
        "hasbrouck_mid": 0.5 * (lo + hi),
        "gonzalo_granger": gg,
    }


def _sigma_cov(sigma: np.ndarray, nobs: int) -> np.ndarray:
    """Asymptotic covariance of vech(Sigma-hat) = (s11, s21, s22) under normality."""
    a, b, c = sigma[0, 0], sigma[1, 0], sigma[1, 1]
    return (
        np.array(
            [
                [2 * a * a, 2 * a * b, 2 * b * b],
                [2 * a * b, a * c + b * b, 2 * b * c],
                [2 * b * b, 2 * b * c, 2 * c * c],
            ]
        )
        / nobs
    )


def share_std_errors(
    alpha: np.ndarray, alpha_cov: np.ndarray, sigma: np.ndarray, nobs: int
) -> dict[str, float]:
    """Delta-method standard errors of the shares in :func:`information_shares`.

    Numerical gradient in ``(alpha, vech Sigma)``; ``alpha`` and ``Sigma``-hat are
    asymptotically independent (Gaussian ML), with ``cov(vech Sigma) = 2 D+ (Sigma x
    Sigma) D+' / T``.
    """
    a = np.asarray(alpha, dtype=float).reshape(-1)
    theta = np.array([a[0], a[1], sigma[0, 0], sigma[1, 0], sigma[1, 1]])
    cov = np.zeros((5, 5))
    cov[:2, :2] = alpha_cov
    cov[2:, 2:] = _sigma_cov(sigma, nobs)

    def f(t: np.ndarray) -> np.ndarray:
        sig = np.array([[t[2], t[3]], [t[3], t[4]]])
        out = information_shares(t[:2], sig)
        return np.array([out[k] for k in _SHARE_KEYS])

    grad = np.zeros((len(_SHARE_KEYS), 5))
    for i in range(5):
        h = 1e-6 * max(abs(theta[i]), 1e-8 if i < 2 else 1e-12)
        up, dn = theta.copy(), theta.copy()
        up[i] += h
        dn[i] -= h
        grad[:, i] = (f(up) - f(dn)) / (2 * h)
    var = np.einsum("ij,jk,ik->i", grad, cov, grad)
    return {k: float(np.sqrt(max(v, 0.0))) for k, v in zip(_SHARE_KEYS, var, strict=True)}


_SHARE_KEYS = ("hasbrouck_lower", "hasbrouck_upper", "hasbrouck_mid", "gonzalo_granger")


@dataclass(frozen=True, repr=False, eq=False)
class VECMResults(EstimateResults):
    """A rank-one VECM of (log price, log NAV): adjustment, cointegration, who leads.

    ``params``: ``alpha[price]``, ``alpha[nav]`` (speed of adjustment of each to the
    error ``log price - beta log NAV - const``), ``beta[nav]`` and the short-run
    ``gamma[...]`` terms. ``model_result`` is statsmodels' ``VECMResults``.

    Notes
    -----
    Shares of the ETF price in price discovery: see :func:`information_shares`.

    Examples
    --------
    >>> from etfcore.dynamics.estimate import fit_vecm
    >>> from etfcore.dynamics.estimate._examples import example_fund
    >>> price, nav, shares = example_fund()
    >>> res = fit_vecm(price, nav)
    >>> lo, hi = res.information_share_bounds
    >>> bool(0 <= lo <= res.price_information_share <= hi <= 1), res.cointegrated
    (True, True)
    """

    model_result: Any
    shares: dict[str, float]
    share_bse: dict[str, float]
    trace_stat: float
    trace_crit_95: float

    @property
    def price_information_share(self) -> float:
        """Midpoint of Hasbrouck's bounds on the ETF price's share of price discovery."""
        return self.shares["hasbrouck_mid"]

    def price_information_share_conf_int(self, alpha: float = 0.05) -> tuple[float, float]:
        """Delta-method interval of :attr:`price_information_share`, clipped to [0, 1].

        Sampling uncertainty only: the distance between Hasbrouck's bounds (ordering
        uncertainty) is a separate, usually larger, range.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_vecm
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> lo, hi = fit_vecm(price, nav).price_information_share_conf_int()
        >>> bool(0 <= lo < hi <= 1)
        True
        """
        z = z_value(check_alpha(alpha))
        m, se = self.shares["hasbrouck_mid"], self.share_bse["hasbrouck_mid"]
        return max(0.0, m - z * se), min(1.0, m + z * se)

    @property
    def information_share_bounds(self) -> tuple[float, float]:
        """Hasbrouck's ``(lower, upper)`` information share of the ETF price."""
        return self.shares["hasbrouck_lower"], self.shares["hasbrouck_upper"]

    @property
    def component_share(self) -> float:
        """Gonzalo-Granger component share of the ETF price."""
        return self.shares["gonzalo_granger"]

    @property
    def cointegrated(self) -> bool:
        """Johansen's trace test rejects no cointegration at 5%."""
        return self.trace_stat > self.trace_crit_95

    def shares_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """The ETF price's shares with delta-method standard errors and intervals.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_vecm
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> list(fit_vecm(price, nav).shares_frame().index)
        ['hasbrouck_lower', 'hasbrouck_upper', 'hasbrouck_mid', 'gonzalo_granger']
        """
        z = z_value(check_alpha(alpha))
        est = pd.Series(self.shares)
        se = pd.Series(self.share_bse)
        return pd.DataFrame(
            {"estimate": est, "std_err": se, "ci_lower": est - z * se, "ci_upper": est + z * se}
        )

    def _extra_tables(self) -> list[Any]:
        return [
            {
                "Johansen trace (r = 0)": self.trace_stat,
                "5% critical value": self.trace_crit_95,
            },
            self.shares_frame(),
        ]

    def _notes(self) -> list[str]:
        return [
            "d y_t = alpha (log P - beta log NAV - const)_(t-1) + sum Gamma_i d y_(t-i) + u_t, "
            "y = (log price, log NAV); statsmodels VECM, rank 1, constant in the "
            "cointegration relation; alpha and beta standard errors are statsmodels'.",
            "Information shares of the ETF price: Hasbrouck (1995) bounds from alpha's "
            "orthogonal complement and the Cholesky factor of the residual covariance in "
            "both orderings; Gonzalo-Granger (1995) component share. Near 1: the ETF price "
            "leads and NAV follows. Standard errors: delta method in (alpha, Sigma).",
        ]


def fit_vecm(
    price: Any,
    nav: Any,
    *,
    k_ar_diff: int = 1,
    bid: Any = None,
    ask: Any = None,
    dropna: bool = False,
) -> VECMResults:
    r"""Fit a VECM to log ETF price and log NAV and measure which leads.

    Parameters
    ----------
    price, nav : pandas.Series
        ETF close and NAV by date (aligned as in :func:`premium_discount`).
    k_ar_diff : int
        Lagged differences in the VECM (>= 0).
    bid, ask : pandas.Series, optional
        Use the bid/ask midpoint as the price (``price=None``).
    dropna : bool
        Drop dates with a gap (with a warning) instead of raising.

    Returns
    -------
    VECMResults

    Raises
    ------
    InputError
        Fewer than :data:`MIN_VECM_OBS` (50) dates, or bad series (see
        :func:`premium_discount`).
    ConvergenceError
        The Johansen or VECM estimation fails, or the residual covariance is singular
        (e.g. price identical to NAV), naming the data range.

    Notes
    -----
    statsmodels ``VECM(k_ar_diff, coint_rank=1, deterministic="ci")`` on
    ``(log price, log NAV)``, and ``coint_johansen`` (trace test, constant). Who leads:
    Hasbrouck (1995) information shares and Gonzalo and Granger (1995) component shares
    (see :func:`information_shares`). A price that does not adjust (``alpha[price]``
    near 0) while NAV does is a price that leads.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(2)
    >>> v = 4.6 + np.cumsum(rng.normal(0, 0.004, 600))
    >>> nav = np.empty(600); nav[0] = v[0]
    >>> for t in range(1, 600):
    ...     nav[t] = nav[t - 1] + 0.4 * (v[t - 1] - nav[t - 1]) + rng.normal(0, 0.001)
    >>> days = pd.bdate_range("2018-01-01", periods=600)
    >>> res = fit_vecm(pd.Series(np.exp(v), days), pd.Series(np.exp(nav), days))
    >>> bool(res.price_information_share > 0.8)
    True
    """
    if not isinstance(k_ar_diff, (int, np.integer)) or isinstance(k_ar_diff, bool) or k_ar_diff < 0:
        raise InputError(f"k_ar_diff: {show(k_ar_diff)} must be a whole number >= 0")
    frame = _price_frame(price, nav, bid, ask, dropna)
    need(len(frame), max(MIN_VECM_OBS, 10 * (k_ar_diff + 2)), "price, nav", _MODEL, frame.index)
    return _fit_vecm_frame(frame, int(k_ar_diff))


def _fit_vecm_frame(frame: pd.DataFrame, k_ar_diff: int) -> VECMResults:
    y = np.log(frame[["price", "nav"]].to_numpy())
    idx = frame.index
    try:
        res = VECM(y, k_ar_diff=k_ar_diff, coint_rank=1, deterministic="ci").fit()
        joh = coint_johansen(y, 0, k_ar_diff)
        sigma = np.asarray(res.sigma_u, dtype=float)
        alpha_hat = np.asarray(res.alpha)[:, 0]
        shares = information_shares(alpha_hat, sigma)
        share_se = share_std_errors(
            alpha_hat, np.asarray(res.cov_params_default)[:2, :2], sigma, int(res.nobs)
        )
    except (np.linalg.LinAlgError, ValueError, ZeroDivisionError) as exc:
        raise converge_error(
            _MODEL,
            idx,
            f"the estimation failed ({exc}); check that price and NAV both move "
            "and are not identical",
        ) from None
    names = ["alpha[price]", "alpha[nav]", "beta[nav]"]
    vals = [*np.asarray(res.alpha)[:, 0], float(np.asarray(res.beta)[1, 0])]
    ses = [*np.asarray(res.stderr_alpha)[:, 0], float(np.asarray(res.stderr_beta)[1, 0])]
    gamma = np.asarray(res.gamma)
    gse = np.asarray(res.stderr_gamma)
    labels = ("price", "nav")
    for lag in range(k_ar_diff):
        for i, eq in enumerate(labels):
            for j, var in enumerate(labels):
                names.append(f"gamma[{eq},L{lag + 1}.d{var}]")
                vals.append(float(gamma[i, 2 * lag + j]))
                ses.append(float(gse[i, 2 * lag + j]))
    params = pd.Series(vals, index=names, dtype=float)
    bse = pd.Series(ses, index=names, dtype=float)
    if not (np.isfinite(params).all() and np.isfinite(bse).all()) or not all(
        np.isfinite(v) for v in shares.values()
    ):
        raise converge_error(_MODEL, idx, "the VECM gave non-finite estimates")
    return VECMResults(
        params,
        bse,
        len(frame),
        idx[0],
        idx[-1],
        res,
        shares,
        share_se,
        float(joh.lr1[0]),
        float(joh.cvt[0, 1]),
        model_name=_MODEL,
    )


__all__ = ["MIN_VECM_OBS", "VECMResults", "fit_vecm", "information_shares"]
