"""LiquidityBackstop: bands by regime, AP capacity, days to absorb, the creation route."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import etfcore
from etfcore.errors import InputError
from etfcore.hedging.backstop import liquidity_backstop
from etfcore.market import synthetic_market
from etfcore.primary.participant import AuthorizedParticipant

#: days = notional / capacity is one division.
RTOL = 1e-12


@pytest.fixture(scope="module")
def market():
    return synthetic_market(0)


def test_bands_match_arbitrage_band(market):
    etf = market.etfs["IG_SHORT"]
    b = liquidity_backstop(etf, market)
    t = b.to_frame()
    for r in ("normal", "stress"):
        ref = etfcore.arbitrage_band(etf, market.with_regime(r))
        assert_allclose(t.loc[r, "create_bp"], ref.create_bp, rtol=RTOL)
        assert_allclose(t.loc[r, "redeem_bp"], ref.redeem_bp, rtol=RTOL)
    assert t.loc["stress", "width_bp"] > t.loc["normal", "width_bp"]
    comp = b.band_components()
    assert_allclose(
        comp.loc[("normal", "threshold"), "create_bp"], t.loc["normal", "create_bp"], rtol=RTOL
    )


def test_days_scale_with_notional_and_capacity(market):
    etf = market.etfs["HY"]
    one = [AuthorizedParticipant("A", capacity_usd_per_day=1e8, stress_capacity_fraction=0.25)]
    two = [
        AuthorizedParticipant("A", capacity_usd_per_day=1e8, stress_capacity_fraction=0.25),
        AuthorizedParticipant("B", capacity_usd_per_day=1e8, stress_capacity_fraction=0.25),
    ]
    b1 = liquidity_backstop(etf, market, aps=one)
    b2 = liquidity_backstop(etf, market, aps=two)
    q = np.array([1e8, 3e8, 1e9])
    assert_allclose(b1.days_to_absorb(q), q / 1e8, rtol=RTOL)
    assert_allclose(b2.days_to_absorb(q), 0.5 * b1.days_to_absorb(q), rtol=RTOL)
    assert_allclose(b1.days_to_absorb(q, "stress"), 4 * b1.days_to_absorb(q), rtol=RTOL)
    stressed = liquidity_backstop(etf, market, regime="stress", aps=one)
    assert stressed.capacity_usd_per_day == 0.25e8


def test_default_panel_capacity(market):
    etf = market.etfs["IG_BROAD"]
    b = liquidity_backstop(etf, market)
    assets = etf.nav(market, "mid") * etf.shares_outstanding
    # three APs at 0.3% of assets a day each, half in stress (documented default panel)
    assert_allclose(b.capacity_by_regime["normal"], 0.009 * assets, rtol=RTOL)
    assert_allclose(b.capacity_by_regime["stress"], 0.0045 * assets, rtol=RTOL)
    assert b.ap_names == ("AP1", "AP2", "AP3")


def test_unlimited_and_zero_capacity(market):
    etf = market.etfs["HY"]
    inf = liquidity_backstop(etf, market, aps=AuthorizedParticipant("A"))
    assert inf.days_to_absorb(1e9) == 0.0
    zero = liquidity_backstop(etf, market, aps=AuthorizedParticipant("A", capacity_usd_per_day=0.0))
    assert zero.days_to_absorb(1e9) == np.inf and zero.days_to_absorb(0.0) == 0.0


def test_basket_overlap(market):
    etf = market.etfs["IG_BROAD"]
    inside = list(etf.holdings.index[:3].astype(str))
    outside = [i for i in market.bonds.ids if i not in set(etf.holdings.index.astype(str))][:2]
    pos = pd.DataFrame({"id": inside + outside, "par": [1e6, 2e6, -1e6, 1e6, 1e6]})
    b = liquidity_backstop(etf, market, positions=pos)
    t = b.basket_table()
    assert t["in_holdings"].tolist() == [True, True, True, False, False]
    # only longs in the holdings can leave through a creation basket
    assert_allclose(t["creation_usd"].sum(), t["market_value_usd"].iloc[:2].sum(), rtol=RTOL)
    s = b.basket_summary()
    assert 0 < s["overlap_share"] < 1
    assert_allclose(s["days"], s["overlap_usd"] / b.capacity_usd_per_day, rtol=RTOL)
    assert 0 < s["creation_cost_bp"] < b.to_frame().loc["normal", "create_bp"]
    # an eligible universe replaces the holdings
    e = liquidity_backstop(etf, market, positions=pos, eligible=outside)
    assert e.basket_table()["eligible"].tolist() == [False, False, False, True, True]
    assert "LiquidityBackstop" in str(b.summary())


def test_creation_cost_rises_in_stress(market):
    b = liquidity_backstop(market.etfs["IG_BROAD"], market)
    assert b.creation_cost_bp(1e8, "stress") > b.creation_cost_bp(1e8, "normal")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"regime": "panic"}, "regime"),
        ({"positions": pd.DataFrame({"id": ["NOPE"], "par": [1e6]})}, "not in the market"),
        ({"positions": pd.DataFrame({"id": ["X"]})}, r"missing column\(s\) \['par'\]"),
        ({"positions": [1, 2]}, "positions: expected a DataFrame"),
        ({"aps": "AP1"}, "aps: give AuthorizedParticipant"),
    ],
)
def test_bad_input(market, kwargs, match):
    with pytest.raises(InputError, match=match):
        liquidity_backstop(market.etfs["HY"], market, **kwargs)


def test_bad_positions_values(market):
    etf = market.etfs["HY"]
    first = str(etf.holdings.index[0])
    with pytest.raises(InputError, match=rf"row 0 \(id {first}\): par nan must be a finite number"):
        liquidity_backstop(etf, market, positions=pd.DataFrame({"id": [first], "par": [np.nan]}))
    with pytest.raises(InputError, match="zero market value"):
        liquidity_backstop(etf, market, positions=pd.DataFrame({"id": [first], "par": [0.0]}))


def test_bad_days_and_no_basket(market):
    b = liquidity_backstop(market.etfs["HY"], market)
    with pytest.raises(InputError, match="notional_usd: must be finite and >= 0"):
        b.days_to_absorb(-1.0)
    with pytest.raises(InputError, match="notional_usd: must be finite and >= 0"):
        b.days_to_absorb(float("nan"))
    with pytest.raises(InputError, match="build the backstop with positions="):
        b.basket_table()
    with pytest.raises(InputError, match="etf: expected an ETF"):
        liquidity_backstop("HY", synthetic_market(0))
