"""Hedge-leg costs (etfcore.hedging.cost): components, sides, regimes, channels, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from etfcore.errors import InputError
from etfcore.hedging.cost import (
    COMPONENTS,
    DEFAULT_BORROW_RATE,
    HedgeCostParameters,
    default_ap_panel,
    hedge_leg_cost,
    leg_inputs,
)
from etfcore.market import synthetic_market

#: Components are added in floating point: they sum to the total to rounding.
SUM_RTOL = 1e-12
SIZES = np.geomspace(1e6, 1e10, 25)


@pytest.fixture(scope="module")
def market():
    return synthetic_market(0)


def test_components_add_up_to_total(market):
    t = hedge_leg_cost("IG_INTERMEDIATE", market, SIZES, horizon_days=5)
    assert_allclose(t[list(COMPONENTS)].sum(axis=1), t["cost_bp"], rtol=SUM_RTOL)
    assert_allclose(t["cost_usd"], t["cost_bp"] * 1e-4 * SIZES, rtol=SUM_RTOL)


def test_shorts_pay_borrow_buys_do_not(market):
    sell = hedge_leg_cost("HY", market, 1e7, horizon_days=10, trade_side="sell")
    buy = hedge_leg_cost("HY", market, 1e7, horizon_days=10, trade_side="buy")
    # ACT/360 on the documented default rate
    assert_allclose(sell["borrow_bp"].iloc[0], DEFAULT_BORROW_RATE["normal"] * 10 / 360 * 1e4)
    assert buy["borrow_bp"].iloc[0] == 0.0


def test_stress_costs_more_than_normal(market):
    for name in market.etfs:
        for side in ("buy", "sell"):
            n = hedge_leg_cost(name, market, SIZES, 5, regime="normal", trade_side=side)
            s = hedge_leg_cost(name, market, SIZES, 5, regime="stress", trade_side=side)
            assert (s["cost_bp"].to_numpy() > n["cost_bp"].to_numpy()).all(), (name, side)


def test_large_sizes_use_the_primary_market_and_flatten(market):
    t = hedge_leg_cost("IG_INTERMEDIATE", market, SIZES, 1, regime="normal")
    assert t["channel"].iloc[0] == "secondary"
    assert (t["channel"].iloc[-1:] != "secondary").all()
    # past the cross-over the cost grows more slowly than the secondary market alone
    secondary_only = t["half_spread_bp"] + t["impact_bp"]
    x = leg_inputs(market.etfs["IG_INTERMEDIATE"], market, "normal")
    pure = x.half_spread_bp + x.model.impact_bp(SIZES, "normal")
    big = t["channel"].to_numpy() != "secondary"
    exec_cost = secondary_only + t["primary_bp"] + t["waiting_risk_bp"]
    assert (exec_cost.to_numpy()[big] < pure[big]).all()
    assert (exec_cost.to_numpy() <= pure + 1e-9).all()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.0, 2e10, allow_nan=False), min_size=2, max_size=20),
    st.sampled_from(["IG_SHORT", "TREASURY", "HY"]),
    st.sampled_from(["buy", "sell"]),
    st.sampled_from(["normal", "stress"]),
)
def test_cost_never_falls_with_size(sizes, name, side, regime):
    market = _cached_market()
    q = np.sort(np.asarray(sizes))
    c = hedge_leg_cost(name, market, q, 3, regime=regime, trade_side=side)["cost_bp"].to_numpy()
    assert (np.diff(c) >= -1e-9).all()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(1e5, 5e10, allow_nan=False), min_size=2, max_size=30),
    st.sampled_from(["IG_BROAD", "IG_SHORT", "IG_INTERMEDIATE", "TREASURY"]),
    st.sampled_from(["buy", "sell"]),
    st.sampled_from(["normal", "stress"]),
)
def test_channel_crosses_over_once(sizes, name, side, regime):
    """Once the primary market takes part, it keeps taking part at larger sizes."""
    q = np.sort(np.asarray(sizes))
    ch = hedge_leg_cost(name, _cached_market(), q, 1, regime=regime, trade_side=side)["channel"]
    used = (ch != "secondary").to_numpy()
    if used.any():
        assert used[int(np.argmax(used)) :].all()


_MARKET: list = []


def _cached_market():
    if not _MARKET:
        _MARKET.append(synthetic_market(0))
    return _MARKET[0]


def test_default_ap_panel_capacity(market):
    etf = market.etfs["IG_BROAD"]
    aps = default_ap_panel(etf, market)
    assets = etf.nav(market, "mid") * etf.shares_outstanding
    assert_allclose(sum(a.capacity_usd("normal") for a in aps), 0.009 * assets)


def test_parameters_change_the_charges(market):
    lo = hedge_leg_cost(
        "HY", market, 1e7, 5, parameters={"risk_aversion": 0.0, "dealer_flow": False}
    )
    assert lo["basis_risk_bp"].iloc[0] == 0.0 and lo["premium_risk_bp"].iloc[0] == 0.0
    hi = hedge_leg_cost("HY", market, 1e7, 5, parameters=HedgeCostParameters(risk_aversion=1.0))
    assert hi["basis_risk_bp"].iloc[0] > 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"notional_usd": -1.0}, "notional_usd: must be finite and >= 0"),
        ({"notional_usd": float("nan")}, "notional_usd: must be finite and >= 0"),
        ({"horizon_days": -2.0}, "horizon_days: must be finite and >= 0"),
        ({"horizon_days": float("nan")}, "horizon_days: must be finite and >= 0"),
        ({"instrument": "XYZ"}, "instrument: 'XYZ' is not an ETF of the market"),
        ({"regime": "panic"}, "regime"),
        ({"trade_side": "short"}, "trade_side"),
        ({"parameters": {"risk": 1}}, "parameters: unknown names"),
        ({"parameters": {"borrow_rate_normal": 35.0}}, "borrow_rate_normal"),
        ({"parameters": {"dealer_flow": "yes"}}, "dealer_flow: give True or False"),
        ({"parameters": {"flow_n_paths": 0}}, "flow_n_paths"),
        ({"parameters": {"flow_extra_days": -1}}, "flow_extra_days"),
    ],
)
def test_bad_input(market, kwargs, match):
    args = {"instrument": "HY", "notional_usd": 1e6, "horizon_days": 1.0} | kwargs
    inst = args.pop("instrument")
    with pytest.raises(InputError, match=match):
        hedge_leg_cost(inst, market, **args)


def test_bad_premium_scenario():
    with pytest.raises(InputError, match="premium_scenario_stress: 'crash' is not one of"):
        HedgeCostParameters(premium_scenario_stress="crash")


def test_premium_sd_is_the_dynamics_layers_statistic(market):
    """premium_change_sd reproduces PremiumSimulation.premium_change_quantiles' sd_bp."""
    from etfcore.dynamics import simulate_premium
    from etfcore.hedging.cost import premium_change_sd

    sim = simulate_premium(market.etfs["HY"], market, "march_2020", n_paths=30, n_days=25)
    for regime in ("normal", "stress"):
        sd = premium_change_sd(sim.premium_bp, sim.regime, regime, 5)
        for h in (1, 3, 5):
            ref = sim.premium_change_quantiles(h, quantiles=(0.5,)).loc[regime, "sd_bp"]
            assert_allclose(sd[h], ref, rtol=1e-12)


def test_leg_inputs_premium_risk_equals_a_plain_simulation(market):
    """leg_inputs passes its bands to simulate_premium: same numbers as rebuilding them."""
    from etfcore.dynamics import simulate_premium
    from etfcore.hedging.cost import premium_change_sd
    from etfcore.primary import arbitrage_band

    etf = market.etfs["IG_INTERMEDIATE"]
    params = HedgeCostParameters(premium_n_paths=20)
    for regime in ("normal", "stress"):
        x = leg_inputs(etf, market, regime, params, max_horizon_days=3)
        sim = simulate_premium(
            etf, market, params.premium_scenario(regime), n_paths=20, n_days=23, seed=0
        )
        np.testing.assert_array_equal(
            x.premium_sd_bp, premium_change_sd(sim.premium_bp, sim.regime, regime, 3)
        )
        band = arbitrage_band(etf, market.with_regime(regime))
        terms = band.threshold_terms_bp()
        assert x.band_terms["buy"] == tuple(terms.loc["create"].to_numpy(dtype=float).tolist())
        assert x.unit_value_usd == band.value_usd


def test_a_renamed_copy_shares_its_twins_inputs(market):
    """Same holdings, terms and liquidity model under another name: the same numbers."""
    from etfcore.primary import arbitrage_band

    etf = market.etfs["HY"]
    # the market keeps a liquidity model for "HY": a renamed copy falls back to one built
    # from its own fields, so it is priced on its own (its band differs in the ETF impact)
    copy = etf.replace(name="HY_COPY")
    a = leg_inputs(etf, market, "stress", max_horizon_days=5)
    b = leg_inputs(copy, market, "stress", max_horizon_days=5)
    assert market.etf_liquidity_model("HY_COPY") is None
    terms = arbitrage_band(copy, market.with_regime("stress")).threshold_terms_bp()
    assert b.band_terms["buy"] == tuple(terms.loc["create"].to_numpy(dtype=float).tolist())
    assert b.band_terms != a.band_terms
    # a copy of the copy has the same content and the same (fallback) model: shared
    twin = copy.replace(name="HY_COPY_2")
    c = leg_inputs(twin, market, "stress", max_horizon_days=5)
    assert (c.etf_name, b.etf_name) == ("HY_COPY_2", "HY_COPY")
    assert c.band_terms == b.band_terms and c.capacity_usd_per_day == b.capacity_usd_per_day
    np.testing.assert_array_equal(c.premium_sd_bp, b.premium_sd_bp)
    assert c.model is b.model
    # another fund (half the holdings) is priced on its own
    half = copy.replace(name="HY_HALF", holdings=etf.holdings.iloc[::2])
    d = leg_inputs(half, market, "stress", max_horizon_days=5)
    assert d.unit_value_usd != b.unit_value_usd
    # and a copy with other terms too
    dear = leg_inputs(copy.replace(name="HY_DEAR", quoted_spread_bp=9.0), market, "stress", None)
    assert dear.half_spread_bp != b.half_spread_bp
