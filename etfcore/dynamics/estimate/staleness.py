"""NAV staleness: NAV returns on current and lagged ETF returns, and the split of a premium."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from ..._results import frame_copy
from ..._validation import show
from ...errors import InputError
from ._base import EstimateResults, converge_error, need, z_value
from ._series import _price_frame
from .persistence import hac_maxlags

#: The fewest return observations the staleness regression takes (plus its lags).
MIN_STALENESS_OBS = 30

_MODEL = "NAV staleness (NAV returns on ETF returns)"


@dataclass(frozen=True, repr=False, eq=False)
class StalenessResults(EstimateResults):
    """NAV returns regressed on ETF returns ``t, t-1, ..., t-K``, and the estimated split.

    ``params``: ``const`` and ``etf_return[L0]`` ... ``etf_return[LK]``.
    :meth:`decompose` (and :meth:`to_frame`) splits each day's premium into
    ``estimated_staleness_bp`` ("NAV is stale") and ``premium_to_fair_value_bp`` ("the
    ETF is really cheap or rich").

    Notes
    -----
    See :func:`fit_nav_staleness` for the model and the split.

    Examples
    --------
    >>> from etfcore.dynamics.estimate import fit_nav_staleness
    >>> from etfcore.dynamics.estimate._examples import example_fund
    >>> price, nav, shares = example_fund()
    >>> res = fit_nav_staleness(price, nav)
    >>> round(res.adjustment_speed, 1), bool(res.lagged_response > 0)
    (0.6, True)
    """

    _decomposition: pd.DataFrame
    lags: int
    maxlags: int

    @property
    def adjustment_speed(self) -> float:
        """Same-day response of NAV to the ETF return (``lambda`` of partial adjustment)."""
        return float(self._params["etf_return[L0]"])

    @property
    def lagged_response(self) -> float:
        """Sum of the lagged coefficients: how much of an ETF move NAV takes in later."""
        return float(self._params.iloc[2:].sum())

    def lagged_response_conf_int(self, alpha: float = 0.05) -> tuple[float, float]:
        """Normal interval of :attr:`lagged_response` from the HAC covariance.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_nav_staleness
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> lo, hi = fit_nav_staleness(price, nav).lagged_response_conf_int()
        >>> bool(0 < lo < hi)
        True
        """
        cov = np.asarray(self._cov)[2:, 2:]
        se = float(np.sqrt(cov.sum()))
        z = z_value(alpha)
        return self.lagged_response - z * se, self.lagged_response + z * se

    @property
    def _cov(self) -> np.ndarray:
        return np.asarray(self._decomposition.attrs["cov"])

    def decompose(self) -> pd.DataFrame:
        """The premium split by date (a copy).

        Columns ``etf_price``, ``nav``, ``fair_value_nav``, ``premium_bp``,
        ``estimated_staleness_bp``, ``premium_to_fair_value_bp``; the last two add
        up to ``premium_bp``.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_nav_staleness
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> d = fit_nav_staleness(price, nav).decompose()
        >>> gap = d["premium_bp"] - d["estimated_staleness_bp"] - d["premium_to_fair_value_bp"]
        >>> bool(gap.abs().max() < 1e-9)
        True
        """
        out = frame_copy(self._decomposition)
        out.attrs = {}
        return out

    def to_frame(self) -> pd.DataFrame:
        """The same table as :meth:`decompose`.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_nav_staleness
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> len(fit_nav_staleness(price, nav).to_frame())
        400
        """
        return self.decompose()

    def _extra_tables(self) -> list[Any]:
        lo, hi = self.lagged_response_conf_int()
        d = self._decomposition
        return [
            {
                "lagged response (sum of L1..LK)": self.lagged_response,
                "lagged response, 95% lower": lo,
                "lagged response, 95% upper": hi,
                "mean |staleness|_bp": float(d["estimated_staleness_bp"].abs().mean()),
                "worst premium_bp": float(d["premium_bp"].min()),
                "staleness on that day_bp": float(
                    d["estimated_staleness_bp"].to_numpy()[
                        int(np.argmin(d["premium_bp"].to_numpy()))
                    ]
                ),
            }
        ]

    def _notes(self) -> list[str]:
        return [
            f"r_nav_t = const + sum_k b_k r_etf_(t-k) + e_t, k = 0..{self.lags}, log returns; "
            f"statsmodels OLS with HAC (Newey-West, {self.maxlags} lags) errors.",
            "Estimated staleness on day t = the NAV move still to come from ETF moves already "
            "seen: s_t = sum_j r_etf_(t-j) sum_(k>j) b_k; fair-value NAV = NAV exp(s_t). "
            "premium_bp = estimated_staleness_bp + premium_to_fair_value_bp exactly (bp of "
            "NAV), as in the fund layer's decompose_premium.",
        ]


def fit_nav_staleness(
    price: Any,
    nav: Any,
    *,
    lags: int = 2,
    bid: Any = None,
    ask: Any = None,
    dropna: bool = False,
) -> StalenessResults:
    r"""Estimate how stale NAV is, and split each day's premium into staleness and the rest.

    Parameters
    ----------
    price, nav : pandas.Series
        ETF close and NAV by date (aligned as in :func:`premium_discount`).
    lags : int
        Lagged ETF returns ``K`` (>= 1).
    bid, ask : pandas.Series, optional
        Use the bid/ask midpoint as the price (``price=None``).
    dropna : bool
        Drop dates with a gap (with a warning) instead of raising.

    Returns
    -------
    StalenessResults

    Raises
    ------
    InputError
        Fewer than ``MIN_STALENESS_OBS + lags`` (30 + K) returns, ``lags < 1``, bad series.
    ConvergenceError
        The regression gives non-finite estimates (e.g. a constant price).

    Notes
    -----
    Under partial adjustment of NAV toward an efficient ETF price (the fund layer's
    staleness model, ``M_t = M_(t-1) + lambda (V_t - M_(t-1))``) the coefficients are
    ``b_k = lambda (1 - lambda)^k``: ``b_0`` is ``lambda`` and the lagged ``b_k`` measure
    staleness. The estimated staleness on day t is the part of ETF moves already seen
    that NAV has not yet taken in, ``s_t = sum_(j=0)^(K-1) r_(t-j) sum_(k=j+1)^K b_k``;
    the fair-value NAV is ``NAV exp(s_t)``, and, in bp of NAV, premium = staleness +
    premium to fair value (the estimated counterpart of
    :meth:`etfcore.fund.INavResult.decompose_premium`).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(3)
    >>> v = 4.6 + np.cumsum(rng.normal(0, 0.004, 400))
    >>> m = np.empty(400); m[0] = v[0]
    >>> for t in range(1, 400):
    ...     m[t] = m[t - 1] + 0.6 * (v[t] - m[t - 1])
    >>> days = pd.bdate_range("2019-01-01", periods=400)
    >>> res = fit_nav_staleness(pd.Series(np.exp(v), days), pd.Series(np.exp(m), days))
    >>> round(res.adjustment_speed, 2)
    0.6
    """
    if not isinstance(lags, (int, np.integer)) or isinstance(lags, bool) or lags < 1:
        raise InputError(f"lags: {show(lags)} must be a whole number >= 1")
    frame = _price_frame(price, nav, bid, ask, dropna)
    return _fit_staleness_frame(frame, int(lags))


def _fit_staleness_frame(frame: pd.DataFrame, lags: int) -> StalenessResults:
    lp = np.log(frame["price"].to_numpy())
    ln = np.log(frame["nav"].to_numpy())
    rp, rn = np.diff(lp), np.diff(ln)
    idx = frame.index
    need(len(rp), MIN_STALENESS_OBS + lags, "price, nav (returns)", _MODEL, idx[1:])
    if np.ptp(rp) == 0.0:
        raise converge_error(
            _MODEL,
            idx,
            f"the ETF price does not move (it stays at "
            f"{show(float(frame['price'].iloc[0]))}); no returns to regress NAV returns on",
        )
    X = np.column_stack([rp[lags - k : len(rp) - k] for k in range(lags + 1)])
    yv = rn[lags:]
    Xc = sm.add_constant(X, has_constant="add")
    names = ["const", *[f"etf_return[L{k}]" for k in range(lags + 1)]]
    n = len(yv)
    maxlags = hac_maxlags(n)
    res = sm.OLS(yv, Xc).fit(cov_type="HAC", cov_kwds={"maxlags": maxlags})
    params = pd.Series(np.asarray(res.params, dtype=float), index=names)
    bse = pd.Series(np.asarray(res.bse, dtype=float), index=names)
    if not (np.isfinite(params).all() and np.isfinite(bse).all()):
        raise converge_error(
            _MODEL, idx, "the regression gave non-finite estimates (is the price constant?)"
        )
    b = params.to_numpy()[1:]
    tail = np.array([b[j + 1 :].sum() for j in range(lags)])  # weight on r_(t-j)
    s = np.zeros(len(rp))
    for j in range(lags):
        s[j:] += tail[j] * rp[: len(rp) - j]
    stale = np.r_[0.0, s]
    price_v, nav_v = frame["price"].to_numpy(), frame["nav"].to_numpy()
    fair = nav_v * np.exp(stale)
    premium = 1e4 * (price_v / nav_v - 1.0)
    staleness_bp = 1e4 * (fair / nav_v - 1.0)
    table = pd.DataFrame(
        {
            "etf_price": price_v,
            "nav": nav_v,
            "fair_value_nav": fair,
            "premium_bp": premium,
            "estimated_staleness_bp": staleness_bp,
            "premium_to_fair_value_bp": premium - staleness_bp,
        },
        index=idx,
    )
    table.attrs["cov"] = np.asarray(res.cov_params())
    ridx = idx[1 + lags :]
    return StalenessResults(
        params, bse, n, ridx[0], ridx[-1], table, lags, maxlags, model_name=_MODEL
    )


__all__ = ["MIN_STALENESS_OBS", "StalenessResults", "fit_nav_staleness"]
