"""Small seeded inputs for the doctests (a simulated fund; no files)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd


@lru_cache(maxsize=4)
def _fund(n: int, seed: int) -> tuple[pd.Series, pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    v = 4.6 + np.cumsum(rng.normal(0, 0.003, n))
    m = np.empty(n)
    m[0] = v[0]
    for t in range(1, n):
        m[t] = m[t - 1] + 0.6 * (v[t] - m[t - 1]) + rng.normal(0, 0.0003)
    u = np.empty(n)
    u[0] = 10.0
    for t in range(1, n):
        u[t] = 10.0 + 0.5 * (u[t - 1] - 10.0) + rng.normal(0, 8.0)
    days = pd.bdate_range("2019-01-02", periods=n)
    price = pd.Series(np.exp(v + u / 1e4), days, name="price")
    nav = pd.Series(np.exp(m), days, name="nav")
    prem = 1e4 * (price / nav - 1.0)
    flow = np.r_[0.0, 0.3 * prem.to_numpy()[:-1] + rng.normal(0, 4.0, n - 1)]
    shares = pd.Series(1e8 * np.cumprod(1.0 + flow / 1e4), days, name="shares_outstanding")
    return price, nav, shares


def example_fund(n: int = 400, seed: int = 0) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``(price, nav, shares_outstanding)`` of a simulated fund over ``n`` business days.

    NAV adjusts 60% of the way to the efficient value each day; the price carries an
    AR(1) premium (phi 0.5, mean 10 bp, sd 8 bp); flows are 0.3 bp of shares per bp of
    yesterday's premium. Copies, so callers may change them.
    """
    return tuple(s.copy() for s in _fund(int(n), int(seed)))  # type: ignore[return-value]
