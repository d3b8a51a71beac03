"""The premium/discount Monte Carlo: kernel vs numpy twin, determinism, scenarios, errors."""

from __future__ import annotations

import dataclasses

import numba
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import etfcore
from etfcore.dynamics import SCENARIOS, PremiumSimulation, simulate_premium
from etfcore.dynamics import _kernels as K
from etfcore.dynamics.simulate import CalendarSegment, PremiumScenario, draw_shocks
from etfcore.dynamics.simulate._twin import decide_ap_orders_numpy, simulate_paths_numpy
from etfcore.dynamics.simulate.simulation import _ap_terms, _inputs
from etfcore.errors import InputError
from etfcore.market import synthetic_market
from etfcore.primary import AuthorizedParticipant, arbitrage_band
from etfcore.primary import _kernels as PK

#: Kernel and twin run the same float operations; numba's and numpy's exp/sqrt may
#: differ in the last ulp, so continuous outputs agree to this relative tolerance.
TWIN_RTOL = 1e-9
#: Band terms rebuilt from the default AP's band vs a full band for the AP, bp.
BAND_ATOL_BP = 1e-9


@pytest.fixture(scope="module")
def market():
    return synthetic_market(seed=0)


@pytest.fixture(scope="module")
def etf(market):
    return market.etfs["IG_BROAD"]


def some_aps():
    return [
        AuthorizedParticipant("A", capacity_usd_per_day=2e8, balance_sheet_limit_usd=4e8),
        AuthorizedParticipant(
            "B", cost_bp=2.0, capacity_usd_per_day=1e8, balance_sheet_limit_usd=2.5e8
        ),
        AuthorizedParticipant(
            "C", funding_spread_bp=60.0, capacity_usd_per_day=5e7, stress_capacity_fraction=0.2
        ),
    ]


# --------------------------------------------------------------------------- shapes
def test_shapes_and_outputs(market, etf):
    sim = simulate_premium(etf, market, n_paths=6, n_days=9, aps=some_aps(), seed=1)
    assert isinstance(sim, PremiumSimulation)
    for name in ("premium_bp", "true_nav", "official_nav", "stale_nav", "price"):
        a = getattr(sim, name)
        assert a.shape == (6, 9) and a.dtype == np.float64 and np.isfinite(a).all()
    assert sim.units.shape == sim.inventory_usd.shape == (6, 9, 3)
    assert sim.creations.min() >= 0 and sim.redemptions.min() >= 0
    assert sim.ap_names == ("A", "B", "C")
    f = sim.to_frame()
    assert f.shape[0] == 54 and set(f["regime"]) <= {"normal", "stress"}


def test_properties_are_copies(market, etf):
    sim = simulate_premium(etf, market, n_paths=2, n_days=3)
    sim.premium_bp[:] = 0.0
    assert (sim.premium_bp != 0).any()


def test_shares_follow_the_units(market, etf):
    """Invariant: shares outstanding = start + creation unit size x cumulative net units."""
    sim = simulate_premium(etf, market, "march_2020", n_paths=20, n_days=40, seed=3)
    net = sim.units.sum(axis=2).cumsum(axis=1) * etf.creation_unit_size
    assert_array_equal(sim.shares_outstanding, etf.shares_outstanding + net)
    assert sim.redemptions.sum() > 0


def test_inventory_within_balance_sheet(market, etf):
    aps = some_aps()
    sim = simulate_premium(etf, market, "march_2020", n_paths=20, n_days=30, aps=aps, seed=2)
    inv = sim.inventory_usd
    assert inv.min() >= 0
    limits = np.array([ap.balance_sheet_limit_usd for ap in aps])
    assert (inv <= limits + 1e-6).all()


def test_price_is_true_value_times_pressure(market, etf):
    """The official NAV is stale: a fast spread widening puts it above the true bid value."""
    sim = simulate_premium(etf, market, "march_2020", n_paths=40, n_days=25, seed=0)
    half = _inputs(etf, market, SCENARIOS["march_2020"], None, 25).args[6][K.STRESS, 4]
    # day 19: the end of the calendar's widening; evaluated spreads lag the market's
    stale_bp = 1e4 * (sim.official_nav[:, 19] / (sim.true_nav[:, 19] * (1.0 - half)) - 1.0)
    assert (stale_bp > 0).mean() > 0.9
    assert np.median(stale_bp) > 50.0
    # the price is the fresh value times the pressure of the unabsorbed (selling) demand
    assert (sim.price[:, 19] < sim.true_nav[:, 19]).all()


# --------------------------------------------------------------------------- determinism
def test_same_seed_same_result_other_seed_differs(market, etf):
    a = simulate_premium(etf, market, "march_2020", n_paths=30, n_days=20, seed=7)
    b = simulate_premium(etf, market, "march_2020", n_paths=30, n_days=20, seed=7)
    c = simulate_premium(etf, market, "march_2020", n_paths=30, n_days=20, seed=8)
    assert_array_equal(a.premium_bp, b.premium_bp)
    assert_array_equal(a.units, b.units)
    assert not np.array_equal(a.premium_bp, c.premium_bp)


def test_generator_seed(market, etf):
    a = simulate_premium(etf, market, n_paths=3, n_days=4, seed=np.random.default_rng(5))
    b = simulate_premium(etf, market, n_paths=3, n_days=4, seed=5)
    assert_array_equal(a.premium_bp, b.premium_bp)


def test_same_result_with_one_and_two_threads(market, etf):
    before = numba.get_num_threads()
    try:
        out = []
        for n in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
            numba.set_num_threads(n)
            sim = simulate_premium(
                etf, market, "fed_backstop_2020", n_paths=64, n_days=40, aps=some_aps(), seed=11
            )
            out.append(sim)
    finally:
        numba.set_num_threads(before)
    for name in ("premium_bp", "units", "inventory_usd", "shares_outstanding", "regime"):
        assert_array_equal(getattr(out[0], name), getattr(out[1], name))


# --------------------------------------------------------------------------- twins
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_kernel_matches_numpy_twin(market, etf, scenario):
    sc = SCENARIOS[scenario]
    n_paths, n_days = 40, 35
    inputs = _inputs(etf, market, sc, some_aps(), n_days)
    shocks = draw_shocks(np.random.default_rng(4), n_paths, n_days)
    got = K.simulate_paths_nb(*shocks, *inputs.args)
    want = simulate_paths_numpy(*shocks, *inputs.args)
    for g, w in zip(got[:4], want[:4], strict=True):
        assert_allclose(g, w, rtol=TWIN_RTOL)
    for g, w in zip(got[4:], want[4:], strict=True):
        assert_allclose(g, w, rtol=TWIN_RTOL, atol=1e-6)
    assert np.abs(got[6]).sum() > 0  # the APs traded


def test_markov_chain_regimes_match_twin(market, etf):
    sc = dataclasses.replace(SCENARIOS["calm"], transition=((0.8, 0.2), (0.3, 0.7)))
    inputs = _inputs(etf, market, sc, None, 30)
    shocks = draw_shocks(np.random.default_rng(9), 25, 30)
    got = K.simulate_paths_nb(*shocks, *inputs.args)
    want = simulate_paths_numpy(*shocks, *inputs.args)
    assert_array_equal(got[5], want[5])
    assert 0.2 < got[5].mean() < 0.6  # stationary share of stress: 0.2 / 0.5 = 0.4
    assert_allclose(got[0], want[0], rtol=TWIN_RTOL)


def random_ap_inputs(rng, n):
    premium = rng.normal(0.0, 60.0, n)
    terms = np.empty((n, 2, 3))
    terms[:, 0, 0] = rng.uniform(0.0, 80.0, n)
    terms[:, 1, 0] = -rng.uniform(0.0, 40.0, n)
    f = rng.uniform(0.0, 2.0, n)
    c = rng.uniform(0.0, 8.0, n)
    terms[:, 0, 1], terms[:, 1, 1] = f, -f
    terms[:, 0, 2], terms[:, 1, 2] = c, -c
    capacity = rng.choice([0.0, 5e7, 3e8, 2e9], n)
    room = rng.choice([-1e7, 0.0, 1e8, np.inf], n)
    uv = rng.uniform(5e6, 1.2e7, n)
    shares = rng.choice([5e4, 2e5, 3e8], n)
    return premium, terms, capacity, room, uv, shares


def test_ap_decision_matches_primary_kernel():
    """decide_ap_order_nb (one AP) == etfcore.primary._kernels.decide_ap_orders_nb."""
    rng = np.random.default_rng(0)
    n = 3000
    premium, terms, capacity, room, uv, shares = random_ap_inputs(rng, n)
    cu = 1e5
    got = np.empty(n)
    codes = np.empty(n, dtype=np.int64)
    for i in range(n):
        t = terms[i]
        got[i], codes[i], st = K.decide_ap_order_nb(
            premium[i], *t[0], *t[1], capacity[i], room[i], uv[i], shares[i], cu
        )
        assert st == K.STATUS_OK
    units, limited, status = PK.decide_ap_orders_nb(
        premium[:, None],
        np.ascontiguousarray(terms[:, None]),
        capacity[:, None],
        room[:, None],
        uv[:, None],
        shares,
        cu,
    )
    assert (status == PK.STATUS_OK).all()
    assert_array_equal(got, units[:, 0])
    assert_array_equal(codes, limited[:, 0])
    assert (got != 0).sum() > n // 10  # enough orders of each kind to mean something
    assert (got > 0).any() and (got < 0).any()
    # the numpy twin of the decision agrees too
    n_np, code_np = decide_ap_orders_numpy(premium, terms, capacity, room, uv, shares, cu)
    assert_array_equal(n_np, got)
    assert_array_equal(code_np, codes)


def test_ap_terms_shortcut_equals_full_band(market, etf):
    """Per-AP terms shifted from the default AP's band == each AP's own band."""
    aps = some_aps()
    terms = _ap_terms(etf, market, aps)
    for r, regime in enumerate(("normal", "stress")):
        mkt = market.with_regime(regime)
        for j, ap in enumerate(aps):
            full = arbitrage_band(etf, mkt, ap=ap).threshold_terms_bp().to_numpy()
            assert_allclose(terms[r, j], full, atol=BAND_ATOL_BP)


@pytest.mark.parametrize("scenario", ["calm", "march_2020"])
def test_precomputed_bands_give_the_identical_simulation(market, etf, scenario):
    """bands= (the hedging layer's cold-start shortcut) changes nothing, bit for bit."""
    bands = {r: arbitrage_band(etf, market.with_regime(r)) for r in ("normal", "stress")}
    for aps in (None, some_aps()):
        a = simulate_premium(etf, market, scenario, n_paths=7, n_days=12, aps=aps, seed=3)
        b = simulate_premium(
            etf, market, scenario, n_paths=7, n_days=12, aps=aps, seed=3, bands=bands
        )
        for name in ("premium_bp", "official_nav", "price", "units", "inventory_usd", "regime"):
            assert_array_equal(getattr(a, name), getattr(b, name))
        pd.testing.assert_frame_equal(a.band_bp, b.band_bp, check_exact=True)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda b, e: [b["normal"], b["stress"]], "expected a dict"),
        (lambda b, e: {"normal": b["normal"]}, r"missing \['stress'\]"),
        (lambda b, e: {**b, "crisis": b["stress"]}, r"unknown \['crisis'\]"),
        (lambda b, e: {**b, "stress": 1.0}, r"bands\['stress'\]: expected an ArbitrageBand"),
        (lambda b, e: {"normal": b["stress"], "stress": b["stress"]}, "regime 'stress'"),
        (lambda b, e: {**b, "normal": e["other"]}, "etf 'HY'"),
        (lambda b, e: {**b, "normal": e["two"]}, "2 units"),
        (lambda b, e: {**b, "normal": e["ap"]}, "not the default"),
    ],
)
def test_bad_bands(market, etf, make, match):
    b = {r: arbitrage_band(etf, market.with_regime(r)) for r in ("normal", "stress")}
    extra = {
        "other": arbitrage_band(market.etfs["HY"], market),
        "two": arbitrage_band(etf, market, units=2),
        "ap": arbitrage_band(etf, market, ap=some_aps()[1]),
    }
    with pytest.raises(InputError, match=match):
        simulate_premium(etf, market, n_paths=2, n_days=3, bands=make(b, extra))


def test_pressure_inverse():
    for x in (-300.0, -1.0, 0.0, 2.5, 80.0):
        u = K.demand_for_pressure_nb(x, 90.0, 9e9)
        assert_allclose(K.pressure_bp_nb(u, 90.0, 9e9), x, atol=1e-9)


# --------------------------------------------------------------------------- scenarios
def test_scenarios_are_frozen_and_named():
    assert {"calm", "taper_2013", "march_2020", "fed_backstop_2020"} <= set(SCENARIOS)
    for name, sc in SCENARIOS.items():
        assert sc.name == name and sc.description
        with pytest.raises(dataclasses.FrozenInstanceError):
            sc.n_aps = 5  # type: ignore[misc]
    assert dataclasses.replace(SCENARIOS["calm"], n_aps=5).n_aps == 5


def test_calm_premium_matches_lqd_and_stays_in_band(market, etf):
    """Calm targets (DESIGN.md, LQD before 2020): median ~+14 bp, sd ~14 bp, half-life
    ~1 day; LQD's real premium sat inside the modelled band on 79% of days."""
    sim = simulate_premium(etf, market, "calm", n_paths=200, n_days=120, seed=0)
    p = sim.premium_bp
    assert 8.0 < np.median(p) < 20.0
    assert 8.0 < p.std() < 20.0
    x = p - p.mean(axis=1, keepdims=True)
    phi = (x[:, 1:] * x[:, :-1]).sum() / (x[:, :-1] ** 2).sum()
    assert 0.5 < np.log(2) / -np.log(phi) < 2.0
    outside = sim.outside_band.mean()
    assert outside < 0.35  # inside the band on most days
    assert (sim.regime == 0).all()


def test_march_2020_discount_near_minus_five_percent(market, etf):
    """LQD closed -502 bp (2020-03-12) and -508 bp (03-19) below NAV."""
    sim = simulate_premium(etf, market, "march_2020", n_paths=200, n_days=30, seed=0)
    worst = np.median(sim.premium_bp.min(axis=1))
    assert -650.0 < worst < -400.0
    assert sim.capacity_bound[:, 5:20].mean() > 0.8
    assert sim.redemptions.sum() > 0


#: LQD's estimated stale-NAV share of its 12 and 19 March 2020 discounts is ~29%
#: (etfcore.dynamics.fit_premium(...).staleness on iShares NAV and the unadjusted close,
#: notebook 03); the simulated share of each path's worst discount must be near it.
LQD_STALE_SHARE_RANGE = (0.20, 0.45)


def stale_share_of_worst(sim):
    """Per path, the share of the worst premium that is official NAV above fresh value.

    premium = P / M - 1; the part the ETF is really cheap is P / V - 1 (V: fresh mid
    value), the rest is the stale, bid-side official NAV.
    """
    p = sim.premium_bp
    rows = np.arange(p.shape[0])
    day = p.argmin(axis=1)
    to_true = 1e4 * (sim.price[rows, day] / sim.true_nav[rows, day] - 1.0)
    return 1.0 - to_true / p[rows, day]


@pytest.mark.parametrize("scenario", ["march_2020", "fed_backstop_2020"])
def test_march_2020_stale_share_near_lqd(market, etf, scenario):
    """Stale NAV is a minority of the worst discount, as in LQD's estimated split (~29%);
    the rest is the ETF really cheap: selling the APs could not absorb."""
    sim = simulate_premium(etf, market, scenario, n_paths=300, n_days=20, seed=0)
    share = np.median(stale_share_of_worst(sim))
    lo, hi = LQD_STALE_SHARE_RANGE
    assert lo < share < hi
    # the ETF itself is far below its fresh value (LQD: ~365 and ~351 bp cheap)
    p = sim.premium_bp
    assert np.median(p.min(axis=1) * (1.0 - stale_share_of_worst(sim))) < -250.0


#: Doubling the APs' stressed capacity must shrink the median worst discount by at least
#: this (bp): AP capacity, not NAV staleness alone, sets the depth (issue 7's story).
CAPACITY_DOUBLING_MIN_BP = 50.0


def test_march_2020_ap_capacity_binds_and_matters(market, etf):
    """More stressed AP capacity, a shallower discount: doubling it (0.5 -> 1.0 of normal)
    shrinks the median worst discount materially; cutting it deepens the discount."""
    base = SCENARIOS["march_2020"]
    worst = {}
    for fraction in (0.25, base.ap_stress_capacity_fraction, 2 * base.ap_stress_capacity_fraction):
        sc = dataclasses.replace(base, ap_stress_capacity_fraction=fraction)
        sim = simulate_premium(etf, market, sc, n_paths=300, n_days=20, seed=0)
        worst[fraction] = np.median(sim.premium_bp.min(axis=1))
        if fraction == base.ap_stress_capacity_fraction:
            assert sim.capacity_bound[:, 5:20].mean() > 0.8  # capacity binds
    f0 = base.ap_stress_capacity_fraction
    assert worst[2 * f0] - worst[f0] > CAPACITY_DOUBLING_MIN_BP
    assert worst[0.25] < worst[f0]
    # the balance sheet is not what binds: doubling it changes little
    sc = dataclasses.replace(base, ap_balance_sheet_share=2 * base.ap_balance_sheet_share)
    roomy = np.median(
        simulate_premium(etf, market, sc, n_paths=300, n_days=20, seed=0).premium_bp.min(axis=1)
    )
    assert abs(roomy - worst[f0]) < 0.5 * CAPACITY_DOUBLING_MIN_BP


def test_march_2020_and_backstop_share_parameters():
    """fed_backstop_2020 is march_2020 plus the rebound segment (and its transition)."""
    march, back = SCENARIOS["march_2020"], SCENARIOS["fed_backstop_2020"]
    assert back.calendar[: len(march.calendar)] == march.calendar
    skip = {"name", "description", "calendar", "transition"}
    for f in dataclasses.fields(march):
        if f.name not in skip:
            assert getattr(back, f.name) == getattr(march, f.name), f.name


def test_calm_scenario_is_the_default_parameters():
    """Recalibrating the stress scenarios leaves calm at PremiumScenario's defaults."""
    calm = SCENARIOS["calm"]
    default = PremiumScenario()
    for f in dataclasses.fields(calm):
        if f.name not in {"name", "description"}:
            assert getattr(calm, f.name) == getattr(default, f.name), f.name


def test_credit_spread_factor_skips_treasuries(market, etf):
    """A Treasury fund has no credit-spread exposure: March 2020's spread widening and its
    stale evaluated spreads hit IG_BROAD, not TREASURY (which keeps only the flow pressure)."""
    from etfcore.dynamics.simulate.simulation import _credit_spread_duration

    ust = market.etfs["TREASURY"]
    assert _credit_spread_duration(etfcore.fund_risk(ust, market).by_bond) == 0.0
    ig_risk = etfcore.fund_risk(etf, market)
    assert_allclose(
        _credit_spread_duration(ig_risk.by_bond), ig_risk.totals["spread_duration"], rtol=1e-12
    )
    stale = {}
    for name, fund in (("IG_BROAD", etf), ("TREASURY", ust)):
        sim = simulate_premium(fund, market, "march_2020", n_paths=100, n_days=20, seed=0)
        half = _inputs(fund, market, SCENARIOS["march_2020"], None, 20).args[6][K.STRESS, 4]
        # the official NAV above the true bid value at the end of the widening, bp
        gap = 1e4 * (sim.official_nav[:, 19] / (sim.true_nav[:, 19] * (1.0 - half)) - 1.0)
        stale[name] = np.median(gap)
    assert abs(stale["TREASURY"]) < 1e-6  # no credit-spread factor: nothing goes stale
    assert stale["IG_BROAD"] > 50.0


def test_fed_backstop_overshoots_to_a_premium(market, etf):
    """After 23 March 2020 LQD went from about -5% to about +5% (2020-03-25)."""
    sim = simulate_premium(etf, market, "fed_backstop_2020", n_paths=200, n_days=35, seed=0)
    p = sim.premium_bp
    assert np.median(p[:, :20].min(axis=1)) < -400.0
    assert 400.0 < np.median(p[:, 20:].max(axis=1)) < 650.0


def test_taper_is_milder_than_march(market, etf):
    kw = dict(n_paths=100, n_days=30, seed=0)
    taper = simulate_premium(etf, market, "taper_2013", **kw).premium_bp.min(axis=1)
    march = simulate_premium(etf, market, "march_2020", **kw).premium_bp.min(axis=1)
    assert np.median(march) < np.median(taper) < 0.0


def test_premium_change_quantiles(market, etf):
    sim = simulate_premium(etf, market, "march_2020", n_paths=50, n_days=40, seed=0)
    t = sim.premium_change_quantiles(5)
    assert list(t.index) == ["normal", "stress", "all"]
    q = t[[c for c in t.columns if c.startswith("q")]].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all()
    assert t.loc["all", "n_obs"] == 50 * 35
    calm = simulate_premium(etf, market, n_paths=50, n_days=40).premium_change_quantiles(5)
    assert t.loc["stress", "sd_bp"] > 5 * calm.loc["normal", "sd_bp"]
    assert calm.loc["stress", "n_obs"] == 0 and np.isnan(calm.loc["stress", "q0.5"])


def test_summary_and_plot(market, etf):
    import matplotlib

    matplotlib.use("Agg")
    sim = simulate_premium(etf, market, "march_2020", n_paths=20, n_days=25)
    text = str(sim.summary())
    for word in ("worst_discount_bp", "days_outside_band_share", "capacity_bound_share"):
        assert word in text
    assert "e+" not in text
    ax = sim.plot()
    assert ax.get_ylabel() == "premium to official NAV, bp"
    assert "march_2020" in repr(sim)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("bad", [0, -3, 2.5, "10", True, None])
@pytest.mark.parametrize("arg", ["n_paths", "n_days"])
def test_counts_must_be_positive_integers(market, etf, arg, bad):
    with pytest.raises(InputError, match=f"{arg}: .* must be a positive integer"):
        simulate_premium(etf, market, **{arg: bad})


def test_unknown_scenario(market, etf):
    with pytest.raises(InputError, match="scenario: 'covid' is not one of"):
        simulate_premium(etf, market, "covid")
    with pytest.raises(InputError, match="scenario: give a name"):
        simulate_premium(etf, market, 3)


def test_bad_etf_market_seed(market, etf):
    with pytest.raises(InputError, match="etf: expected an ETF"):
        simulate_premium("LQD", market)
    with pytest.raises(InputError, match="market: expected a MarketState"):
        simulate_premium(etf, None)
    with pytest.raises(InputError, match="seed: expected a numpy.random.Generator"):
        simulate_premium(etf, market, seed="x")


def test_aps_need_finite_capacity(market, etf):
    with pytest.raises(InputError, match=r"aps\[0\] \(AP\): give a finite capacity_usd_per_day"):
        simulate_premium(etf, market, aps=AuthorizedParticipant("AP"))


def test_negative_capacity_is_an_error():
    with pytest.raises(InputError, match="ap_capacity_share: -0.1 must be a number >= 0"):
        dataclasses.replace(SCENARIOS["calm"], ap_capacity_share=-0.1)
    with pytest.raises(InputError, match="capacity_usd_per_day: -1.0 must be"):
        AuthorizedParticipant("AP", capacity_usd_per_day=-1.0)


@pytest.mark.parametrize(
    ("transition", "match"),
    [
        (((0.9, 0.2), (0.5, 0.5)), r"row 0 \(normal\) sums to 1.1, not 1"),
        (((1.0, 0.0), (0.3, 0.6)), r"row 1 \(stress\) sums to 0.9, not 1"),
        (((1.2, -0.2), (0.5, 0.5)), "probabilities must be in"),
        (((1.0, 0.0, 0.0), (0.5, 0.5, 0.0)), "expected a 2x2 matrix"),
        ("abc", "expected a 2x2 matrix"),
    ],
)
def test_transition_matrix_rows_must_sum_to_one(transition, match):
    with pytest.raises(InputError, match=match):
        PremiumScenario(transition=transition)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"staleness": (0.0, 0.3)}, r"staleness\[normal\]: 0.0 must be in"),
        ({"liquidation": (0.5, 1.5)}, r"liquidation\[stress\]: 1.5 must be in"),
        ({"demand_persistence": 1.0}, r"demand_persistence: 1.0 must be in \[0, 1\)"),
        ({"rate_vol_bp": (5.0, -1.0)}, r"rate_vol_bp\[stress\]: -1.0 must be"),
        ({"rate_vol_bp": 5.0}, "give a .normal, stress. pair"),
        ({"start_regime": "panic"}, "start_regime"),
        ({"calendar": ("x",)}, r"calendar\[0\]: expected a CalendarSegment"),
        ({"ap_stress_capacity_fraction": 50}, "looks like a percentage"),
        ({"n_aps": 0}, "n_aps: 0 must be >= 1"),
    ],
)
def test_bad_scenario_parameters(change, match):
    with pytest.raises(InputError, match=match):
        dataclasses.replace(SCENARIOS["calm"], **change)


def test_bad_calendar_segment():
    with pytest.raises(InputError, match="CalendarSegment.days: 0 must be >= 1"):
        CalendarSegment(0, "stress")
    with pytest.raises(InputError, match="CalendarSegment.flow_share: 5.0 looks like"):
        CalendarSegment(3, "stress", flow_share=5.0)


def test_bad_quantile_arguments(market, etf):
    sim = simulate_premium(etf, market, n_paths=3, n_days=5)
    with pytest.raises(InputError, match="horizon_days: 5 must be less than the 5"):
        sim.premium_change_quantiles(5)
    with pytest.raises(InputError, match="horizon_days: 0 must be >= 1"):
        sim.premium_change_quantiles(0)
    with pytest.raises(InputError, match=r"quantiles: expected decimals in \[0, 1\]"):
        sim.premium_change_quantiles(1, quantiles=(5, 95))


# --------------------------------------------------------------------------- CLI
def test_cli_demo_prints_calm_vs_march_2020(capsys):
    from etfcore.cli import main

    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    lines = {
        ln.split()[0]: ln for ln in out.splitlines() if ln.strip().startswith(("calm", "march"))
    }
    assert set(lines) == {"calm", "march_2020"}
    assert "premium to official NAV, simulated (2,000 paths x 60 days" in out
    worst = float(lines["march_2020"].split("worst (median path)")[1].split()[0])
    assert -700.0 < worst < -300.0


def test_ap_with_inventory_starts_with_it(market, etf):
    """An AP holding bonds gets its own band (cheaper creation) and starts with that inventory."""
    ids = etf.holdings.index[:20]
    held = AuthorizedParticipant(
        "H",
        capacity_usd_per_day=1e8,
        balance_sheet_limit_usd=1e9,
        inventory=pd.Series(5e6, index=ids),
    )
    terms = _ap_terms(etf, market, [held, some_aps()[0]])
    full = arbitrage_band(etf, market, ap=held).threshold_terms_bp().to_numpy()
    assert_allclose(terms[0, 0], full, atol=BAND_ATOL_BP)
    assert terms[0, 0, 0].sum() < terms[0, 1, 0].sum()  # inventory: creation is cheaper
    inputs = _inputs(etf, market, SCENARIOS["calm"], [held], 5)
    shocks = draw_shocks(np.random.default_rng(0), 3, 5)
    got = K.simulate_paths_nb(*shocks, *inputs.args)
    want = simulate_paths_numpy(*shocks, *inputs.args)
    assert_allclose(got[7], want[7], rtol=TWIN_RTOL)
    value = held.inventory_value_usd(market)
    assert value > 0
    # no redemptions on day 0 of these paths: inventory is the start, sold down by half
    if (got[6][:, 0, 0] >= 0).all():
        assert (got[7][:, 0, 0] <= value).all() and (got[7][:, 0, 0] > 0).all()
