"""Flows (the change in shares outstanding) on the lagged premium, with HAC errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from ..._validation import show
from ...errors import InputError
from ._base import EstimateResults, converge_error, need
from ._series import align
from .persistence import hac_maxlags

#: The fewest flow observations the regression takes (plus its lags).
MIN_FLOW_OBS = 20

_MODEL = "Flows on the lagged premium"


@dataclass(frozen=True, repr=False, eq=False)
class FlowResults(EstimateResults):
    """``flow_bp_t = const + sum_k b_k premium_bp_(t-k) + e_t`` with HAC errors.

    ``params``: ``const``, ``premium_bp[L1]`` ... ``premium_bp[LK]``; ``flow_bp`` is
    ``10,000 x (shares_t / shares_(t-1) - 1)``, so a slope of 0.2 means a 10 bp premium
    brings creations of 2 bp of shares outstanding the next day.

    Notes
    -----
    HAC (Newey-West) standard errors; see :func:`fit_flows`.

    Examples
    --------
    >>> from etfcore.dynamics.estimate import fit_flows, premium_discount
    >>> from etfcore.dynamics.estimate._examples import example_fund
    >>> price, nav, shares = example_fund()
    >>> res = fit_flows(shares, premium_discount(price, nav))
    >>> round(res.slope, 1), list(res.params.index)
    (0.3, ['const', 'premium_bp[L1]'])
    """

    lags: int
    maxlags: int

    @property
    def slope(self) -> float:
        """Sum of the premium coefficients (bp of shares per bp of premium)."""
        return float(self._params.iloc[1:].sum())

    def _notes(self) -> list[str]:
        return [
            "flow_bp_t = 10,000 (shares_t / shares_(t-1) - 1) on a constant and the premium "
            f"(bp) at lags 1..{self.lags}; statsmodels OLS, HAC (Newey-West, "
            f"{self.maxlags} lags). Positive slope: premia bring creations, discounts "
            "redemptions.",
        ]


def fit_flows(
    shares_outstanding: Any,
    premium_bp: Any,
    *,
    lags: int = 1,
    maxlags: int | None = None,
    dropna: bool = False,
) -> FlowResults:
    r"""Regress flows (change in shares outstanding) on the lagged premium, HAC errors.

    Parameters
    ----------
    shares_outstanding : pandas.Series
        Shares outstanding by date (> 0).
    premium_bp : pandas.Series
        Premium in bp by date (aligned with the shares as in :func:`premium_discount`).
    lags : int
        Lags of the premium (>= 1).
    maxlags : int, optional
        HAC lag length (default ``floor(4 (n/100)^(2/9))``).
    dropna : bool
        Drop dates with a gap (with a warning) instead of raising.

    Returns
    -------
    FlowResults

    Raises
    ------
    InputError
        Fewer than ``MIN_FLOW_OBS + lags`` (20 + K) flows, non-positive shares, gaps.

    Notes
    -----
    ``flow_bp_t = 10,000 (S_t / S_(t-1) - 1) = c + sum_(k=1)^K b_k p_(t-k) + e_t``, by
    statsmodels OLS with ``cov_type="HAC"`` (Newey-West): flows are autocorrelated (APs
    split large orders over days), so plain OLS errors are too small.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(4)
    >>> days = pd.bdate_range("2020-01-01", periods=300)
    >>> prem = pd.Series(rng.normal(10, 20, 300), days)
    >>> flow = 0.5 * prem.shift(1).fillna(0) + rng.normal(0, 5, 300)
    >>> shares = pd.Series(1e8 * np.cumprod(1 + flow / 1e4), days)
    >>> round(fit_flows(shares, prem).slope, 1)
    0.5
    """
    if not isinstance(lags, (int, np.integer)) or isinstance(lags, bool) or lags < 1:
        raise InputError(f"lags: {show(lags)} must be a whole number >= 1")
    frame = align(
        {"shares_outstanding": shares_outstanding, "premium_bp": premium_bp},
        dropna=dropna,
        positive=("shares_outstanding",),
    )
    return _fit_flows_frame(frame, int(lags), maxlags)


def _fit_flows_frame(frame: pd.DataFrame, lags: int, maxlags: int | None) -> FlowResults:
    sh = frame["shares_outstanding"].to_numpy()
    pr = frame["premium_bp"].to_numpy()
    flow = 1e4 * (sh[1:] / sh[:-1] - 1.0)
    idx = frame.index
    need(len(flow) - lags + 1, MIN_FLOW_OBS, "shares_outstanding (flows)", _MODEL, idx)
    # flow_t (t = 1..n-1) on premium_(t-k), k = 1..lags
    y = flow[lags - 1 :]
    X = np.column_stack([pr[lags - k : len(pr) - k] for k in range(1, lags + 1)])
    n = len(y)
    ml = hac_maxlags(n) if maxlags is None else int(maxlags)
    if np.ptp(X, axis=0).min() == 0.0:
        raise converge_error(_MODEL, idx, "the premium is constant; nothing to regress on")
    res = sm.OLS(y, sm.add_constant(X, has_constant="add")).fit(
        cov_type="HAC", cov_kwds={"maxlags": ml}
    )
    names = ["const", *[f"premium_bp[L{k}]" for k in range(1, lags + 1)]]
    params = pd.Series(np.asarray(res.params, dtype=float), index=names)
    bse = pd.Series(np.asarray(res.bse, dtype=float), index=names)
    if not (np.isfinite(params).all() and np.isfinite(bse).all()):
        raise converge_error(_MODEL, idx, "the regression gave non-finite estimates")
    ridx = idx[lags:]
    return FlowResults(params, bse, n, ridx[0], ridx[-1], lags, ml, model_name=_MODEL)


__all__ = ["MIN_FLOW_OBS", "FlowResults", "fit_flows"]
