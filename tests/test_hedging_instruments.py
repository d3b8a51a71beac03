"""Hedge instruments beyond the market's ETFs (etfcore.hedging.instruments): a long Treasury ETF."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from etfcore.errors import InputError
from etfcore.hedging import hedge_leg_cost, liquidity_backstop, select_hedge
from etfcore.hedging.instruments import treasury_etf
from etfcore.hedging.risk import _universe_table
from etfcore.market import synthetic_market

#: NAV by construction: equal market values at mid that add up to the net assets.
NAV_RTOL = 1e-12


@pytest.fixture(scope="module")
def market():
    return synthetic_market(0)


@pytest.fixture(scope="module")
def long_basket(market):
    """15 Treasuries with 20 years or more left, $5mm face each (seeded)."""
    t = _universe_table(market)
    ids = t.index[t["government"].to_numpy() & (t["years_to_maturity"].to_numpy() >= 20)]
    ids = np.random.default_rng(3).choice(ids, 15, replace=False)
    return pd.DataFrame({"id": ids, "par": 5e6})


def test_holdings_nav_and_weights(market):
    etf = treasury_etf(market, net_assets_usd=2e10, nav_per_share=80.0)
    t = _universe_table(market).loc[etf.holdings.index]
    assert t["government"].all() and (t["years_to_maturity"] >= 20).all()
    # every government bond of the bucket, equal market values at mid
    all_long = _universe_table(market)
    n = int((all_long["government"] & (all_long["years_to_maturity"] >= 20)).sum())
    assert len(etf.holdings) == n
    value = etf.holdings.to_numpy() * t["dirty_price"].to_numpy() / 100
    assert_allclose(value, 2e10 / n, rtol=NAV_RTOL)
    assert_allclose(etf.nav(market), 80.0, rtol=NAV_RTOL)
    assert etf.shares_outstanding == 2e10 / 80.0
    assert "20+ years" in etf.description


def test_an_intermediate_bucket_holds_the_synthetic_treasury_funds_bonds(market):
    """The 7-10 year bucket is the synthetic TREASURY fund's universe (like IEF)."""
    etf = treasury_etf(market, 7, 10, name="T710")
    assert set(etf.holdings.index) == set(market.etfs["TREASURY"].holdings.index)


def test_a_long_treasury_basket_picks_the_long_fund(market, long_basket):
    """Without it the 7-10y fund cannot match 20-30y key rates; with it, K=1 picks it."""
    tlt = treasury_etf(market)
    plain = select_hedge(long_basket, market, max_instruments=1)
    with_long = select_hedge(long_basket, market, {**market.etfs, tlt.name: tlt}, 1)
    assert list(with_long.notional_usd.index) == ["TREASURY_LONG"]
    assert with_long.notional_usd.iloc[0] < 0  # sell it against the long bonds
    assert with_long.variance_reduction > 0.99 > plain.variance_reduction
    assert abs(with_long.residual_dv01_usd) < 0.05 * abs(with_long.basket.dv01_usd)


def test_it_prices_and_backstops_like_any_etf(market):
    tlt = treasury_etf(market)
    sizes = np.geomspace(1e6, 1e10, 12)
    cost = hedge_leg_cost(tlt, market, sizes, horizon_days=5)
    assert np.isfinite(cost["cost_bp"]).all() and cost["cost_bp"].is_monotonic_increasing
    b = liquidity_backstop(tlt, market).to_frame()
    assert (b["create_bp"] > 0).all() and (b["redeem_bp"] < 0).all()
    assert b.loc["stress", "width_bp"] > b.loc["normal", "width_bp"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"min_years": 10, "max_years": 10}, "max_years: 10 must be above min_years 10"),
        ({"min_years": 45}, "no government bond of the market has 45 to inf years left"),
        ({"min_years": -1}, "min_years"),
        ({"net_assets_usd": 0.0}, "net_assets_usd"),
        ({"nav_per_share": -5.0}, "nav_per_share"),
        ({"daily_turnover": float("nan")}, "daily_turnover"),
    ],
)
def test_bad_input(market, kwargs, match):
    with pytest.raises(InputError, match=match):
        treasury_etf(market, **kwargs)


def test_not_a_market():
    with pytest.raises(InputError, match="market"):
        treasury_etf(None)
