"""Caches never serve a stale number: every NAV equals a fresh computation.

The bug these tests would have caught: ``ETF`` cached its cash-flow ladders keyed on
``id(market.liquidity)`` without holding the model, so after garbage collection a new
model could reuse the id and get the old model's bid/ask ladder (16 of 30 calls of a
liquidity sweep returned a stale bid NAV, up to about 30 bp off); and
``dataclasses.replace(market, liquidity=...)`` carried the old half-spread cache along.
The reference for every NAV here is the same calculation on a new ETF and a new
MarketState, which share no cache with anything.
"""

from __future__ import annotations

import dataclasses
import functools
import gc

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etfcore.fund import ETF, MarketState, fund_risk
from etfcore.liquidity import BondLiquidityModel
from etfcore.market import synthetic_market
from etfcore.state import IdentityCache

FRESH_TOL = 1e-12  # relative: cached and fresh are the same arithmetic


@functools.cache
def base():
    m = synthetic_market(seed=0)
    return m, m.etfs["IG_SHORT"]


def fresh_navs(etf: ETF, m: MarketState) -> np.ndarray:
    """The three NAVs on a new ETF and a new MarketState (no shared cache)."""
    new_market = MarketState(
        m.bonds,
        m.curve,
        m.z_spread.copy(),
        m.settlement,
        m.liquidity,
        regime=m.regime,
        liquidity_scores=None if m.liquidity_scores is None else m.liquidity_scores.copy(),
    )
    new_etf = ETF(
        etf.name,
        etf.holdings.copy(),
        etf.shares_outstanding,
        cash_usd=etf.cash_usd,
        receivables_usd=etf.receivables_usd,
        liabilities_usd=etf.liabilities_usd,
        accrued_expenses_usd=etf.accrued_expenses_usd,
    )
    return new_etf.navs(new_market).to_numpy()


def test_liquidity_sweep_never_returns_a_stale_nav():
    """The hedge-cost sweep of the issue: many models in a loop, old ones collected."""
    m, etf = base()
    seen_ids = []
    for i in range(30):
        model = BondLiquidityModel(base_spread_bp=1.0 + 0.25 * i)
        seen_ids.append(id(model))
        for market in (
            MarketState(m.bonds, m.curve, m.z_spread, m.settlement, model),  # new state
            dataclasses.replace(m, liquidity=model),  # a variant of the cached market
            m.with_liquidity(model),
        ):
            got = etf.navs(market).to_numpy()
            np.testing.assert_allclose(got, fresh_navs(etf, market), rtol=FRESH_TOL)
            np.testing.assert_allclose(
                market.half_spread_bp(etf.bonds(market)),
                model.half_spread_bp(etf.bonds(market), settlement_date=m.settlement),
                rtol=FRESH_TOL,
            )
        del model, market
        gc.collect()
    # the caches stayed small however many models went through them
    assert len(etf._cache) <= etf._cache.maxsize
    assert len(m._cache) <= m._cache.maxsize


def test_scores_sweep_never_returns_a_stale_nav():
    m, etf = base()
    rng = np.random.default_rng(3)
    for _ in range(10):
        scores = pd.Series(rng.uniform(0, 1, len(m.bonds)), index=m.bonds.ids)
        market = m.with_liquidity(liquidity_scores=scores)
        np.testing.assert_allclose(
            etf.navs(market).to_numpy(), fresh_navs(etf, market), rtol=FRESH_TOL
        )
        del scores, market
        gc.collect()


def test_replaced_etf_does_not_inherit_the_cache():
    m, etf = base()
    etf.navs(m)  # fill the cache
    half = etf.holdings * 0.5
    for other in (dataclasses.replace(etf, holdings=half), etf.replace(holdings=half)):
        np.testing.assert_allclose(other.navs(m).to_numpy(), fresh_navs(other, m), rtol=FRESH_TOL)


def test_fund_risk_follows_the_market():
    m, etf = base()
    moved = m.with_spread_shift(50.0)
    a, b = fund_risk(etf, m), fund_risk(etf, moved)
    np.testing.assert_allclose(b.by_bond["z_spread"] - a.by_bond["z_spread"], 0.005, rtol=1e-9)
    assert b.totals["modified_duration"] != a.totals["modified_duration"]
    assert fund_risk(etf, moved) is b  # cached for the same market


def test_identity_cache_serves_only_the_same_objects_and_is_bounded():
    cache = IdentityCache(maxsize=3)
    objs = [object() for _ in range(5)]
    for i, o in enumerate(objs):
        cache.put(("k", i), (o,), i)
    assert len(cache) == 3
    assert cache.get(("k", 0), (objs[0],)) is None  # evicted
    assert cache.get(("k", 4), (objs[4],)) == 4
    assert cache.get(("k", 4), (objs[3],)) is None  # another object: a miss
    cache.clear()
    assert len(cache) == 0


# one change of the market, drawn by hypothesis
CHANGES = st.one_of(
    st.tuples(st.just("curve"), st.floats(-100, 100)),
    st.tuples(st.just("spreads"), st.floats(-0.002, 0.002)),
    st.tuples(st.just("spread_shift"), st.floats(-50, 50)),
    st.tuples(st.just("regime"), st.sampled_from(["normal", "stress"])),
    st.tuples(st.just("liquidity"), st.floats(0.5, 6.0)),
    st.tuples(st.just("scores"), st.integers(0, 2**16)),
    st.tuples(st.just("no_scores"), st.none()),
)


def apply(m: MarketState, change) -> MarketState:
    kind, x = change
    if kind == "curve":
        return m.with_curve(m.curve.shift(x))
    if kind == "spreads":
        return m.with_spreads(m.z_spread + x)
    if kind == "spread_shift":
        return m.with_spread_shift(x)
    if kind == "regime":
        return m.with_regime(x)
    if kind == "liquidity":
        return m.with_liquidity(BondLiquidityModel(base_spread_bp=x))
    if kind == "scores":
        rng = np.random.default_rng(x)
        scores = pd.Series(rng.uniform(0, 1, len(m.bonds)), index=m.bonds.ids)
        return m.with_liquidity(liquidity_scores=scores)
    return m.with_liquidity(liquidity_scores=None)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(CHANGES, min_size=1, max_size=6))
def test_any_sequence_of_market_changes_gives_the_fresh_nav(changes):
    m, etf = base()
    market = m
    for change in changes:
        market = apply(market, change)
        gc.collect()
        np.testing.assert_allclose(
            etf.navs(market).to_numpy(), fresh_navs(etf, market), rtol=FRESH_TOL
        )
    # and the untouched market still gives its own NAV
    np.testing.assert_allclose(etf.navs(m).to_numpy(), fresh_navs(etf, m), rtol=FRESH_TOL)


# ------------------------------------------------ market-wide caches (shared by every fund)
def clear_module_caches() -> None:
    """Empty every module-level cache, so the next call computes from scratch."""
    from etfcore.fund import etf as etf_module
    from etfcore.fund import risk
    from etfcore.liquidity import bonds as liquidity_bonds
    from etfcore.primary import _liquidity, baskets

    risk._MARKET_CACHE.clear()
    etf_module._MARKET_AMOUNTS.clear()
    liquidity_bonds._FEATURES.clear()
    _liquidity._ALL_FEATURES.clear()
    baskets._QUOTE_CACHE.clear()


def fresh_copy(etf: ETF, m: MarketState) -> tuple[ETF, MarketState]:
    """A new ETF and a new MarketState over the same bonds, with no cache filled."""
    clear_module_caches()
    market = dataclasses.replace(m, _cache=IdentityCache())
    return etf.replace(), market


def outputs(etf: ETF, m: MarketState) -> dict:
    """NAVs, fund risk and the one-unit band: everything the market-wide caches feed."""
    from etfcore.primary.band import arbitrage_band

    risk = fund_risk(etf, m)
    band = arbitrage_band(etf, m)
    return {
        "navs": etf.navs(m),
        "risk": risk.to_frame(),
        "totals": risk.totals,
        "key_rates": risk.key_rate_durations,
        "band": band.cost_table(),
    }


def assert_same(got: dict, want: dict) -> None:
    for k, v in want.items():
        if isinstance(v, pd.DataFrame):
            pd.testing.assert_frame_equal(got[k], v, check_exact=True)
        else:
            pd.testing.assert_series_equal(got[k], v, check_exact=True)


MARKET_CHANGES = [
    ("curve", 25.0),
    ("spreads", 0.001),
    ("spread_shift", -20.0),
    ("regime", "stress"),
    ("liquidity", 3.0),
    ("scores", 7),
    ("no_scores", None),
]


def test_market_wide_pricing_and_features_follow_every_change():
    """Fund risk, NAVs and the band after each change equal a computation from scratch.

    Every bond of a market is priced (and its liquidity features built) once and each
    fund reads its rows: a moved curve, moved spreads, another regime, liquidity model
    or scores must never be served the old market's numbers.
    """
    m, etf = base()
    other = m.etfs["HY"]
    for change in MARKET_CHANGES:
        moved = apply(m, change)
        for fund in (etf, other):
            outputs(fund, m)  # the unmoved market's numbers are in the caches
            got = outputs(fund, moved)
            assert_same(got, outputs(*fresh_copy(fund, moved)))
        gc.collect()


def test_market_wide_caches_survive_garbage_collected_models():
    """A new liquidity model reusing a collected model's id never gets its features."""
    m, etf = base()
    for i in range(6):
        model = BondLiquidityModel(base_spread_bp=2.0 + i)
        market = m.with_liquidity(model)
        got = outputs(etf, market)
        assert_same(got, outputs(*fresh_copy(etf, market)))
        del model, market, got
        gc.collect()


def test_features_cache_keeps_warning_and_ignores_other_settlements():
    """A bond set's features are cached per model and settlement; a default warns each time."""
    from etfcore.errors import DataWarning
    from etfcore.liquidity import bonds as liquidity_bonds

    m, _ = base()
    model = BondLiquidityModel()
    bonds = m.bonds.take([0, 1, 2])
    a = model.half_spread_bp(bonds, settlement_date=m.settlement)
    later = int(m.settlement) + 365
    b = model.half_spread_bp(bonds, settlement_date=later)
    liquidity_bonds._FEATURES.clear()
    np.testing.assert_array_equal(b, model.half_spread_bp(bonds, settlement_date=later))
    assert not np.array_equal(a, b)  # a year older: not the cached features
    # a bond set with a default filled in warns on every call (nothing cached)
    no_size = dataclasses.replace(bonds, attributes=bonds.attributes.drop(columns="issue_size_usd"))
    for _ in range(2):
        with pytest.warns(DataWarning, match="issue_size_usd"):
            model.half_spread_bp(no_size, settlement_date=m.settlement)


def test_default_ap_inventory_is_a_copy():
    """APs without inventory each get their own empty Series (one cannot change another's)."""
    from etfcore.primary.participant import AuthorizedParticipant

    a, b = AuthorizedParticipant("A"), AuthorizedParticipant("B")
    assert a.inventory is not b.inventory
    a.inventory.loc["X"] = 1.0
    assert len(b.inventory) == 0 and len(AuthorizedParticipant("C").inventory) == 0
    assert b.inventory.name == "par_usd" and b.inventory.index.name == "id"


def test_market_wide_fast_paths_give_the_per_bond_set_numbers(monkeypatch):
    """Slicing the market's features and half-spreads equals costing each bond set.

    With the model's opt-in mark removed every fund and basket is costed on its own
    (the slow path); NAVs, fund risk and bands are the same to the last bit, with and
    without liquidity scores, in both regimes.
    """
    m, etf = base()
    rng = np.random.default_rng(11)
    scores = pd.Series(rng.uniform(0, 1, len(m.bonds)), index=m.bonds.ids)
    markets = [m, m.with_regime("stress"), m.with_liquidity(liquidity_scores=scores)]
    fast = [outputs(*fresh_copy(etf, market)) for market in markets]
    monkeypatch.setattr(BondLiquidityModel, "_ELEMENTWISE_MODEL", None)
    for market, want in zip(markets, fast, strict=True):
        assert_same(outputs(*fresh_copy(etf, market)), want)
