"""A dealer's hedge as a flow through the premium dynamics (issue 8).

simulate_premium(dealer_flow_usd=...): kernel vs numpy twin, zeros change nothing;
etfcore.hedging.cost.dealer_flow_impact: a large sale is absorbed by redemptions and
pushes a discount, a tiny one changes little, a purchase is the mirror image.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from etfcore.dynamics import SCENARIOS, simulate_premium
from etfcore.dynamics import _kernels as K
from etfcore.dynamics.simulate import draw_shocks
from etfcore.dynamics.simulate._twin import simulate_paths_numpy
from etfcore.dynamics.simulate.simulation import _inputs
from etfcore.errors import InputError
from etfcore.hedging.cost import (
    DealerFlowImpact,
    dealer_flow_impact,
    dealer_flow_schedule,
    hedge_leg_cost,
)
from etfcore.market import synthetic_market

#: As tests/test_simulate.py: numba's and numpy's exp/sqrt may differ in the last ulp.
TWIN_RTOL = 1e-9
#: A one-dollar flow against billions of demand: its push is below this, bp.
TINY_PUSH_BP = 1e-3


@pytest.fixture(scope="module")
def market():
    return synthetic_market(seed=0)


@pytest.fixture(scope="module")
def etf(market):
    return market.etfs["IG_BROAD"]


@pytest.mark.parametrize("scenario", ["calm", "march_2020"])
def test_zero_flow_is_bit_identical_to_none(market, etf, scenario):
    a = simulate_premium(etf, market, scenario, n_paths=6, n_days=15, seed=2)
    b = simulate_premium(
        etf, market, scenario, n_paths=6, n_days=15, seed=2, dealer_flow_usd=np.zeros(15)
    )
    for name in ("premium_bp", "official_nav", "price", "units", "inventory_usd", "regime"):
        assert_array_equal(getattr(a, name), getattr(b, name))


@pytest.mark.parametrize("scenario", ["calm", "march_2020"])
def test_kernel_matches_twin_with_a_flow(market, etf, scenario):
    n_paths, n_days = 30, 20
    flow = dealer_flow_schedule(3e9, "sell", 5, n_days)
    inputs = _inputs(etf, market, SCENARIOS[scenario], None, n_days, None, flow)
    shocks = draw_shocks(np.random.default_rng(5), n_paths, n_days)
    got = K.simulate_paths_nb(*shocks, *inputs.args)
    want = simulate_paths_numpy(*shocks, *inputs.args)
    for g, w in zip(got[:4], want[:4], strict=True):
        assert_allclose(g, w, rtol=TWIN_RTOL)
    for g, w in zip(got[4:], want[4:], strict=True):
        assert_allclose(g, w, rtol=TWIN_RTOL, atol=1e-6)
    # and the flow changed something
    plain = K.simulate_paths_nb(
        *shocks, *_inputs(etf, market, SCENARIOS[scenario], None, n_days).args
    )
    assert not np.array_equal(got[6], plain[6])


def test_schedule():
    assert_array_equal(dealer_flow_schedule(4.0, "buy", 2, 4), [4.0, -2.0, -2.0, 0.0])
    assert_array_equal(dealer_flow_schedule(4.0, "sell", 0, 2), [-4.0, 0.0])


def test_large_sale_triggers_redemptions_and_a_discount(market):
    r = dealer_flow_impact("IG_BROAD", market, 3e9, "sell", horizon_days=5, n_paths=30)
    assert isinstance(r, DealerFlowImpact)
    f = r.to_frame()
    assert f.loc[0, "premium_pushed_bp"] < -5.0  # a discount vs the no-flow run
    assert r.worst_premium_pushed_bp == f["premium_pushed_bp"].min()
    assert f.loc[0, "extra_redeemed_units"] > 0 and f.loc[0, "extra_created_units"] == 0
    assert f.loc[0, "extra_ap_inventory_usd"] > 0  # redeemed bonds on the APs' books
    assert r.days_of_ap_capacity > 1.0  # more than a day of the APs' capacity
    assert r.days_of_ap_capacity_gross >= r.days_of_ap_capacity
    assert_allclose(f["gross_ap_capacity_used_days"].sum(), r.days_of_ap_capacity_gross)
    assert_allclose(f["ap_capacity_used_days"].sum(), r.days_of_ap_capacity, rtol=1e-12)
    assert_allclose(f.loc[0, "dealer_shares"] * market.etfs["IG_BROAD"].nav(market, "mid"), -3e9)


def test_large_purchase_is_the_mirror_image(market):
    f = dealer_flow_impact("IG_BROAD", market, 3e9, "buy", horizon_days=5, n_paths=30).to_frame()
    assert f.loc[0, "premium_pushed_bp"] > 5.0
    assert f.loc[0, "extra_created_units"] > 0 and f.loc[0, "extra_redeemed_units"] == 0


def test_tiny_flow_changes_little(market):
    r = dealer_flow_impact("IG_BROAD", market, 1.0, "sell", horizon_days=5, n_paths=30)
    f = r.to_frame()
    assert np.abs(f["premium_pushed_bp"]).max() < TINY_PUSH_BP
    assert f["extra_redeemed_units"].sum() == 0 and f["extra_created_units"].sum() == 0
    assert r.days_of_ap_capacity == 0.0


def test_stress_pushes_harder_than_normal(market):
    """Stress: higher impact, half the AP capacity, a wider band: a deeper discount."""
    kw = {"horizon_days": 5, "n_paths": 20}
    normal = dealer_flow_impact("IG_BROAD", market, 1e9, regime="normal", **kw)
    stress = dealer_flow_impact("IG_BROAD", market, 1e9, regime="stress", **kw)
    assert stress.worst_premium_pushed_bp < normal.worst_premium_pushed_bp < 0
    assert (stress.to_frame().index.size, stress.regime) == (16, "stress")


def test_bigger_sale_pushes_harder(market):
    small = dealer_flow_impact("HY", market, 2e8, horizon_days=3, n_paths=20)
    big = dealer_flow_impact("HY", market, 2e9, horizon_days=3, n_paths=20)
    assert big.worst_premium_pushed_bp < small.worst_premium_pushed_bp < 0


def test_result_is_frozen_and_hands_out_copies(market):
    r = dealer_flow_impact("IG_BROAD", market, 1e8, horizon_days=2, n_paths=4)
    f = r.to_frame()
    f.loc[0, "premium_pushed_bp"] = 1e9
    assert r.to_frame().loc[0, "premium_pushed_bp"] != 1e9
    assert "DealerFlowImpact(IG_BROAD" in repr(r)
    assert "worst_premium_pushed_bp" in str(r.summary())


@pytest.mark.parametrize(
    ("flow", "match"),
    [
        (np.zeros(4), r"one number per day \(5\)"),
        ([0.0, 1.0, np.nan, 0.0, 0.0], "day 2 is nan"),
        ("lots", "expected 5 numbers of USD"),
    ],
)
def test_bad_flow(market, etf, flow, match):
    with pytest.raises(InputError, match=match):
        simulate_premium(etf, market, n_paths=2, n_days=5, dealer_flow_usd=flow)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"notional_usd": -1.0}, "notional_usd: must be finite and >= 0"),
        ({"notional_usd": np.nan}, "notional_usd: must be finite and >= 0"),
        ({"horizon_days": 2.5}, "horizon_days"),
        ({"horizon_days": -1}, "horizon_days"),
        ({"trade_side": "short"}, "short"),
        ({"regime": "panic"}, "panic"),
        ({"instrument": "NOPE"}, "NOPE"),
        ({"n_paths": 0}, "n_paths"),
    ],
)
def test_bad_dealer_flow_input(market, kwargs, match):
    args = {"instrument": "IG_BROAD", "notional_usd": 1e8} | kwargs
    with pytest.raises(InputError, match=match):
        dealer_flow_impact(market=market, **args)


# ---------------------------------------------------------------- the flow in the hedge cost
def test_simulate_flows_is_simulate_premium_with_each_flow(market, etf):
    """The private many-flows runner gives simulate_premium's arrays, bit for bit."""
    from etfcore.dynamics.simulate.simulation import _simulate_flows

    flows = [dealer_flow_schedule(q, "sell", 3, 12) for q in (1e8, 2e9)]
    base, runs = _simulate_flows(etf, market, "march_2020", flows, 8, 12, seed=4)
    plain = simulate_premium(etf, market, "march_2020", n_paths=8, n_days=12, seed=4)
    assert_array_equal(base[0], plain.premium_bp)
    for flow, run in zip(flows, runs, strict=True):
        sim = simulate_premium(
            etf, market, "march_2020", n_paths=8, n_days=12, seed=4, dealer_flow_usd=flow
        )
        assert_array_equal(run[0], sim.premium_bp)
        assert_array_equal(run[6], sim.units)


def _pushed(market, name, regime, side, q, h, **params):
    from etfcore.hedging.cost import HedgeCostParameters, leg_inputs, premium_pushed_bp

    p = HedgeCostParameters(**params)
    x = leg_inputs(market.etfs[name], market, regime, p, max_horizon_days=20)
    return premium_pushed_bp(x, side, np.atleast_1d(q), np.atleast_1d(h))


def test_premium_component_is_the_simulated_unwind_push(market):
    """At grid points the pushed part is dealer_flow_impact's unwind cost (same shocks),
    clipped at 0 and made non-decreasing in size; the rest is the premium-risk charge."""
    from etfcore.hedging.cost import DEFAULT_PARAMETERS as P

    sizes = [1e6, 1e7, 1e8, 1e9]
    h = 5
    got = _pushed(market, "IG_BROAD", "normal", "sell", sizes, h)[0]
    unwind = [
        dealer_flow_impact(
            "IG_BROAD",
            market,
            q,
            "sell",
            h,
            "normal",
            n_paths=P.flow_n_paths,
            extra_days=20 - h + P.flow_extra_days,
        ).unwind_premium_cost_bp
        for q in sizes
    ]
    assert_allclose(got, np.maximum.accumulate(np.maximum(unwind, 0.0)), rtol=1e-12)
    # hedge_leg_cost adds it to the premium-risk charge, nothing else moves
    on = hedge_leg_cost("IG_BROAD", market, sizes, h, "normal")
    off = hedge_leg_cost("IG_BROAD", market, sizes, h, "normal", parameters={"dealer_flow": False})
    assert_allclose(on["premium_risk_bp"] - off["premium_risk_bp"], got, atol=1e-12)
    others = [c for c in off.columns if c not in ("premium_risk_bp", "cost_bp", "cost_usd")]
    pd.testing.assert_frame_equal(on[others], off[others])


@pytest.mark.parametrize("side", ["sell", "buy"])
@pytest.mark.parametrize("regime", ["normal", "stress"])
def test_bigger_flows_push_more(market, regime, side):
    sizes = np.geomspace(1e5, 2e11, 60)
    for h in (1.0, 2.5, 5.0, 20.0):
        p = _pushed(market, "HY", regime, side, sizes, h)[0]
        assert (np.diff(p) >= 0).all() and p[0] >= 0
    p1 = _pushed(market, "HY", regime, side, [1e7, 1e8, 1e9], 1)[0]
    assert p1[0] < p1[1] < p1[2]


def test_stress_pushes_more_than_normal(market):
    """A next-day unwind in stress (thinner market, half the AP capacity) costs more."""
    sizes = [1e7, 1e8, 1e9, 1e10]
    for name in ("IG_BROAD", "HY"):
        for side in ("sell", "buy"):
            n = _pushed(market, name, "normal", side, sizes, 1)[0]
            s = _pushed(market, name, "stress", side, sizes, 1)[0]
            assert (s > n).all(), (name, side, n, s)


def test_zero_flow_pushes_nothing(market):
    p = _pushed(market, "IG_BROAD", "stress", "sell", [0.0, 1e9], [0.0, 3.0])
    assert p[:, 0].tolist() == [0.0, 0.0] and p[0, 1] == 0.0 and p[1, 1] > 0
    r = dealer_flow_impact("IG_BROAD", market, 0.0, horizon_days=3, n_paths=4)
    assert r.unwind_premium_cost_bp == 0.0 and r.worst_premium_pushed_bp == 0.0
    off = _pushed(market, "IG_BROAD", "stress", "sell", 1e9, 3.0, dealer_flow=False)
    assert off.tolist() == [[0.0]]


def test_pushed_beyond_the_simulated_horizon_is_refused(market):
    from etfcore.hedging.cost import leg_inputs, premium_pushed_bp

    x = leg_inputs(market.etfs["HY"], market, "normal", max_horizon_days=20)
    with pytest.raises(InputError, match="beyond the 20 days the dealer flow was simulated"):
        premium_pushed_bp(x, "sell", np.array([1e6]), np.array([30.0]))


def test_small_runs_on_one_thread_give_the_same_paths(market, etf, monkeypatch):
    """simulate_premium runs small simulations on one thread: paths do not change."""
    from etfcore.dynamics.simulate import simulation

    kw = {"n_paths": 40, "n_days": 30, "seed": 3}
    monkeypatch.setattr(simulation, "SERIAL_PATH_DAYS", 0)  # always parallel
    par = simulate_premium(etf, market, "march_2020", **kw)
    monkeypatch.setattr(simulation, "SERIAL_PATH_DAYS", 10**9)  # always one thread
    one = simulate_premium(etf, market, "march_2020", **kw)
    for name in ("premium_bp", "units", "inventory_usd"):
        assert_array_equal(getattr(one, name), getattr(par, name))


@pytest.mark.parametrize("scenario", ["calm", "march_2020"])
def test_a_run_over_its_first_days_is_the_full_runs_first_days(market, etf, scenario):
    """A day depends only on the days before it: days= runs give the same leading days."""
    from etfcore.dynamics.simulate.simulation import _simulate_flows

    flows = [dealer_flow_schedule(q, "buy", 4, 20) for q in (5e8, 3e9)]
    _, full = _simulate_flows(etf, market, scenario, flows, 12, 20, seed=7)
    base, short = _simulate_flows(etf, market, scenario, flows, 12, 20, seed=7, days=[5, 9])
    assert base[0].shape == (12, 20)
    for f, s_, d in zip(full, short, (5, 9), strict=True):
        assert s_[0].shape == (12, d)
        for a, b in zip(f, s_, strict=True):
            assert_array_equal(a[:, :d], b)
    with pytest.raises(InputError, match="one number of days <= 20 per flow"):
        _simulate_flows(etf, market, scenario, flows, 2, 20, days=[5, 21])


def test_rate_duration_is_cached_per_fund_risk(market, etf):
    """The fund's durations are computed once per fund_risk result and follow the market."""
    from etfcore.dynamics.simulate.simulation import _rate_duration, _rate_duration_of
    from etfcore.fund.risk import fund_risk

    a = _rate_duration(etf, market, 0.2)
    assert a == _rate_duration_of(fund_risk(etf, market), 0.2)
    assert _rate_duration(etf, market, 0.2) is a
    assert _rate_duration(etf, market, 0.0) != a
    moved = market.with_curve(market.curve.shift(50.0))
    assert _rate_duration(etf, moved, 0.2) == _rate_duration_of(fund_risk(etf, moved), 0.2) != a
