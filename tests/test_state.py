"""MarketState: the pricing environment (validation, variants, ETF liquidity, display)."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pandas as pd
import pytest
from statsmodels.iolib.summary2 import Summary

from etfcore import InputError, ZeroCurve
from etfcore.fund import ETF, MarketState
from etfcore.liquidity import DEFAULT_BOND_MODEL, EtfLiquidityModel
from etfcore.market import Market, synthetic_market
from etfcore.state import (
    MAX_Z_SPREAD,
    BondLiquidityLike,
    EtfLiquidityLike,
    LiquidityLike,
    check_quote_side,
)


@functools.cache
def sm():
    return synthetic_market(seed=0)


@functools.cache
def state() -> MarketState:
    m = sm()
    return MarketState(m.bonds, m.curve, m.z_spread, m.settlement, m.liquidity)


# --------------------------------------------------------------------------- bad input
def test_settlement_before_the_curve_reference_date_is_an_error():
    m = state()
    early = ZeroCurve(m.settlement + 10, m.curve.tenors, m.curve.zero_rates)
    with pytest.raises(InputError, match=r"curve: settlement 2026-01-16 is before the curve's"):
        MarketState(m.bonds, early, m.z_spread, m.settlement, m.liquidity)
    with pytest.raises(InputError, match=r"reference date 2026-01-26; a curve cannot discount"):
        m.with_curve(early)
    # the reference date itself is fine
    same_day = ZeroCurve(m.settlement, m.curve.tenors, m.curve.zero_rates)
    assert m.with_curve(same_day).curve is same_day


@pytest.mark.parametrize(
    ("scale", "what"),
    [(1e4, "bp"), (100.0, "percent")],
)
def test_z_spreads_in_bp_or_percent_are_rejected(scale, what):
    m = state()
    bad = m.z_spread * scale
    worst = bad.abs().idxmax()
    with pytest.raises(InputError, match=r"z_spread: bond .* looks like a percentage or basis"):
        MarketState(m.bonds, m.curve, bad, m.settlement, m.liquidity)
    one = m.z_spread.copy()
    one[worst] = 80.0  # one bond's spread in bp
    with pytest.raises(InputError, match=rf"z_spread: bond {worst} has 80.0, which looks like"):
        m.with_spreads(one)


def test_the_z_spread_limit_allows_distressed_bonds():
    m = state()
    z = m.z_spread.copy()
    z.iloc[0] = MAX_Z_SPREAD  # 5,000 bp: plausible for a distressed bond
    assert m.with_spreads(z).z_spread.iloc[0] == MAX_Z_SPREAD


def test_other_bad_market_inputs():
    m = state()
    with pytest.raises(InputError, match=r"liquidity: expected a bond liquidity model"):
        MarketState(m.bonds, m.curve, m.z_spread, m.settlement, None)
    with pytest.raises(InputError, match=r"liquidity_scores: expected a pandas Series"):
        MarketState(m.bonds, m.curve, m.z_spread, m.settlement, m.liquidity, liquidity_scores=[1])
    with pytest.raises(InputError, match=r"etf_liquidity: expected a dict"):
        MarketState(m.bonds, m.curve, m.z_spread, m.settlement, m.liquidity, etf_liquidity=[1])
    with pytest.raises(InputError, match=r"etf_liquidity\['X'\]: a str is not an ETF liquidity"):
        MarketState(
            m.bonds, m.curve, m.z_spread, m.settlement, m.liquidity, etf_liquidity={"X": "tight"}
        )
    with pytest.raises(InputError, match=r"shift_bp: nan must be a finite number"):
        m.with_spread_shift(np.nan)
    with pytest.raises(InputError, match=r"shift_bp: 1 id\(s\) are not bonds of the market"):
        m.with_spread_shift(pd.Series({"NOPE": 5.0}))
    with pytest.raises(InputError, match=r"name: expected an ETF name"):
        m.etf_liquidity_model(3)
    with pytest.raises(InputError, match=r"bonds: expected a BondSet, got str"):
        m.half_spread_bp("all")


class NanLiquidity:
    def half_spread_bp(self, bonds, regime="normal", scores=None, *, settlement_date=None):
        out = pd.Series(3.0, index=bonds.ids)
        out.iloc[1] = np.nan
        return out


def test_a_model_that_returns_nan_half_spreads_is_named():
    m = state()
    bad = m.with_liquidity(NanLiquidity())
    with pytest.raises(InputError, match=rf"bond {m.bonds.ids[1]} a half-spread of nan bp"):
        bad.half_spread_bp()


# --------------------------------------------------------------------------- ETF liquidity
def test_etf_liquidity_is_a_field_of_every_market_state():
    m = state()
    assert dict(m.etf_liquidity) == {}
    assert m.etf_liquidity_model("IG_BROAD") is None
    model = EtfLiquidityModel()
    with_model = m.with_etf_liquidity({"IG_BROAD": model})
    assert with_model.etf_liquidity_model("IG_BROAD") is model
    # every variant carries it
    for variant in (
        with_model.with_curve(m.curve.shift(1.0)),
        with_model.with_spreads(m.z_spread + 1e-4),
        with_model.with_spread_shift(2.0),
        with_model.with_regime("stress"),
        with_model.with_liquidity(DEFAULT_BOND_MODEL),
    ):
        assert variant.etf_liquidity_model("IG_BROAD") is model
    assert isinstance(model, EtfLiquidityLike)
    assert isinstance(DEFAULT_BOND_MODEL, BondLiquidityLike)
    assert LiquidityLike is BondLiquidityLike


def test_the_synthetic_market_keeps_its_etf_liquidity():
    m = sm()
    assert isinstance(m, Market) and isinstance(m, MarketState)
    assert set(m.etf_liquidity) == set(m.etfs)
    for name in m.etfs:
        assert m.etf_liquidity_model(name) is m.etf_liquidity[name]
        assert m.with_regime("stress").etf_liquidity_model(name) is m.etf_liquidity[name]
    with pytest.raises(InputError, match=r"etf_liquidity: no ETF named \['NOPE'\]"):
        m.with_etf_liquidity({"NOPE": EtfLiquidityModel()})


def test_variants_share_what_did_not_change():
    m = sm()
    moved = m.with_curve(m.curve.shift(3.0))
    assert moved.z_spread is m.z_spread and moved.bonds is m.bonds
    assert type(moved) is type(m) and moved.etfs == m.etfs
    stressed = m.with_regime("stress")
    assert stressed.z_spread is m.z_spread and stressed.regime == "stress"
    assert m.with_liquidity() is m


# --------------------------------------------------------------------------- display
def test_summary_and_repr():
    m = state()
    s = m.summary()
    assert isinstance(s, Summary)
    text = str(s)
    assert "5,847" in text and "2026-01-16" in text and "np.float64" not in text
    assert repr(m) == "MarketState(5847 bonds, settlement 2026-01-16, regime 'normal')"


def test_market_universe_is_a_copy():
    m = sm()
    u = m.universe
    u.iloc[0, 0] = -1.0
    assert m.universe.iloc[0, 0] != -1.0


def test_check_quote_side_is_the_one_check():
    assert check_quote_side("mid") == "mid"
    with pytest.raises(InputError, match=r"quote_side: unknown quote side 'offer'"):
        check_quote_side("offer")


def test_dataclasses_replace_of_a_market_validates_again():
    m = state()
    with pytest.raises(InputError, match=r"z_spread: bond .* looks like"):
        dataclasses.replace(m, z_spread=m.z_spread * 1e4)
    etf = sm().etfs["IG_SHORT"]
    assert isinstance(etf, ETF)


def test_old_import_path_still_works():
    from etfcore.fund.state import REGIMES, check_regime
    from etfcore.fund.state import MarketState as OldMarketState

    assert OldMarketState is MarketState and REGIMES == ("normal", "stress")
    assert check_regime("normal") == "normal"


def test_markets_and_funds_pickle_with_their_caches():
    import pickle

    m = sm()
    etf = m.etfs["IG_SHORT"]
    etf.navs(m)
    m2, etf2 = pickle.loads(pickle.dumps((m, etf)))
    np.testing.assert_allclose(etf2.navs(m2).to_numpy(), etf.navs(m).to_numpy(), rtol=1e-12)
