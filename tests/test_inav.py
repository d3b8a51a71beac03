"""iNAV: the stale-evaluation model, its fair-value adjustment, and the kernels behind them.

The true iNAV is checked against ``ETF.nav`` on the moved market (itself checked against
per-bond ``price_bonds`` in ``test_fund.py``); the kernels against plain-Python twins.
"""

from __future__ import annotations

import functools
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from test_fund import make_fund, market  # noqa: E402

from etfcore import InputError, ZeroCurve, random_shocks  # noqa: E402
from etfcore.fund import ETF, INavModel, INavState, inav_path  # noqa: E402
from etfcore.fund import _kernels as K  # noqa: E402

NAV_TOL = 1e-9  # relative: the iNAV against ETF.nav on the same moved market
EXACT = 1e-12  # relative: identities that hold up to rounding


@functools.cache
def fund() -> ETF:
    return make_fund(400, seed=11, name="INAV")


@functools.cache
def model(adjustment="liquidity") -> INavModel:
    return INavModel(fund(), market(), adjustment)


def random_walk_curves(n: int, seed: int = 0, vol_bp: float = 3.0):
    """A path of intraday curves: cumulative random level/slope/curvature moves."""
    m = market()
    steps = random_shocks(m.curve, n, vol_bp=vol_bp, rng=np.random.default_rng(seed))
    return m.curve.scenarios(np.cumsum(steps.shifts_bp, axis=0))


def jump_path(n: int = 12, jump_bp: float = 15.0):
    """The curve jumps once, at interval 1, and then stays."""
    return market().curve.parallel_shocks([0.0] + [jump_bp] * (n - 1))


# --------------------------------------------------------------------------- the model
def test_full_adjustment_means_no_staleness():
    curves = random_walk_curves(20, seed=1)
    spreads = np.linspace(0.0, 12.0, 20)
    res = inav_path(fund(), market(), curves, spreads, adjustment=1.0)
    np.testing.assert_allclose(res.stale_nav, res.true_nav, rtol=EXACT)
    np.testing.assert_allclose(res.fair_value_nav, res.true_nav, rtol=EXACT)
    assert res.staleness_bp.abs().max() < 1e-8


@pytest.mark.parametrize("lam", [0.1, 0.35, 0.8])
def test_stale_nav_converges_geometrically_after_a_jump(lam):
    res = inav_path(fund(), market(), jump_path(15), adjustment=lam)
    gap = (res.true_nav - res.stale_nav).to_numpy()
    assert gap[0] == pytest.approx(0.0, abs=1e-10)
    # after the jump at interval 1 the gap shrinks by (1 - lambda) each interval
    jump = res.true_nav.iloc[1] - res.true_nav.iloc[0]
    expected = jump * (1.0 - lam) ** np.arange(1, 15)
    np.testing.assert_allclose(gap[1:], expected, rtol=1e-9, atol=1e-11)
    assert res.true_nav.iloc[1] < res.true_nav.iloc[0]  # rates up, value down
    assert (res.staleness_bp.iloc[1:] < 0).all()  # the stale NAV is too high


def test_true_inav_equals_etf_nav_on_the_moved_market():
    m, etf = market(), fund()
    curves = random_walk_curves(6, seed=2)
    spreads = np.array([0.0, 5.0, -3.0, 8.0, 8.0, 20.0])
    for side in ("bid", "mid", "ask"):
        res = model().path(curves, spreads, quote_side=side)
        direct = [
            etf.nav(m.with_curve(c).with_spread_shift(s), side)
            for c, s in zip(curves, spreads, strict=True)
        ]
        np.testing.assert_allclose(res.true_nav.to_numpy(), direct, rtol=NAV_TOL)


def test_per_bond_spread_moves_are_priced_bond_by_bond():
    m, etf = market(), fund()
    curves = random_walk_curves(3, seed=3)
    rng = np.random.default_rng(4)
    shifts = pd.DataFrame(rng.normal(0, 10, (3, len(etf.holdings))), columns=etf.holdings.index)
    res = model().path(curves, shifts)
    direct = [
        etf.nav(m.with_curve(curves[t]).with_spread_shift(shifts.iloc[t]), "bid") for t in range(3)
    ]
    np.testing.assert_allclose(res.true_nav.to_numpy(), direct, rtol=NAV_TOL)
    # the same move for every bond, given bond by bond, is the ladder-level result
    common = np.array([0.0, 4.0, 9.0])
    by_bond = pd.DataFrame(
        np.repeat(common[:, None], len(etf.holdings), axis=1), columns=etf.holdings.index
    )
    a = model().path(curves, common)
    b = model().path(curves, by_bond)
    np.testing.assert_allclose(b.true_nav, a.true_nav, rtol=EXACT)
    np.testing.assert_allclose(b.stale_nav, a.stale_nav, rtol=EXACT)
    np.testing.assert_allclose(b.fair_value_nav, a.fair_value_nav, rtol=EXACT)


def test_fair_value_nav_is_closer_to_true_than_stale():
    curves = random_walk_curves(60, seed=5, vol_bp=4.0)
    rng = np.random.default_rng(6)
    spreads = np.cumsum(rng.normal(0.0, 2.0, 60))
    res = model().path(curves, spreads)
    stale_err = (res.stale_nav - res.true_nav).abs()
    fair_err = (res.fair_value_nav - res.true_nav).abs()
    assert fair_err.mean() < 0.01 * stale_err.mean()
    assert fair_err.max() < stale_err.max()
    assert res.summary_frame()["staleness_explained"] > 0.9
    assert "staleness_explained" in str(res.summary())


def test_fair_value_error_is_third_order_in_the_move():
    """The lag estimate is exact to second order: doubling a jump multiplies its error by 8."""
    errors = []
    for jump in (5.0, 10.0, 20.0):
        res = model().path(jump_path(4, jump), [0.0, jump, jump, jump])
        errors.append(abs(res.fair_value_nav.iloc[1] - res.true_nav.iloc[1]))
        assert errors[-1] < 1e-3 * abs(res.stale_nav.iloc[1] - res.true_nav.iloc[1])
    ratios = np.array(errors[1:]) / np.array(errors[:-1])
    assert np.all((ratios > 6.0) & (ratios < 10.0))


def test_fair_value_sees_each_key_rate():
    m = market()
    shocks = m.curve.key_rate_shocks(10.0)
    for i in range(len(shocks)):
        res = model().path([m.curve, shocks[i], shocks[i]])
        stale_gap = abs(res.stale_nav.iloc[1] - res.true_nav.iloc[1])
        fair_gap = abs(res.fair_value_nav.iloc[1] - res.true_nav.iloc[1])
        assert fair_gap <= 1e-3 * stale_gap + 1e-12


def test_update_one_interval_at_a_time_equals_the_path():
    mdl = model()
    curves = random_walk_curves(8, seed=7)
    spreads = np.linspace(0, 7, 8)
    res = mdl.path(curves, spreads)
    state = mdl.initial_state()
    for c, s in zip(curves, spreads, strict=True):
        state = mdl.update(state, c, s)
    assert state.n_updates == 8
    np.testing.assert_allclose(state.nav("true"), res.true_nav.iloc[-1], rtol=EXACT)
    np.testing.assert_allclose(state.nav("stale"), res.stale_nav.iloc[-1], rtol=EXACT)
    np.testing.assert_allclose(state.nav("fair_value"), res.fair_value_nav.iloc[-1], rtol=EXACT)
    assert state.to_frame().shape == (3, 3)
    assert "after 8 update(s)" in repr(state)


def test_curves_off_the_tenor_grid_and_per_bond_updates():
    m, etf = market(), fund()
    mdl = model()
    # a coarser grid: not the market curve's knots, so discount factors come from the curve
    t = np.array([0.5, 2.0, 5.0, 10.0, 30.0])
    z0 = m.curve.zero_rate(t)
    curves = [ZeroCurve(m.curve.reference_date, t, z0 + dz * 1e-4) for dz in (0.0, 6.0, 9.0)]
    res = mdl.path(curves)
    direct = [etf.nav(m.with_curve(c), "bid") for c in curves]
    np.testing.assert_allclose(res.true_nav.to_numpy(), direct, rtol=NAV_TOL)
    shift = pd.Series(5.0, index=etf.holdings.index[:100])
    state = mdl.initial_state()
    for c in curves:
        state = mdl.update(state, c, shift)
    moved = m.with_curve(curves[-1]).with_spread_shift(shift)
    np.testing.assert_allclose(state.nav("true", "mid"), etf.nav(moved, "mid"), rtol=NAV_TOL)
    again = mdl.path(curves, shift)  # a Series by bond id: the same move every interval
    np.testing.assert_allclose(again.stale_nav.iloc[-1], state.nav("stale"), rtol=EXACT)


def test_a_market_on_an_nss_curve():
    """A non-ZeroCurve market curve: the rate-risk basis is a ZeroCurve at the default tenors."""
    from etfcore import NSSCurve
    from etfcore.fund import MarketState

    m0, etf = market(), fund()
    params = (0.0465, -0.0075, -0.0120, 0.0150, 1.6, 9.0)
    nss = NSSCurve(m0.curve.reference_date, *params)
    m = MarketState(m0.bonds, nss, m0.z_spread, m0.settlement, m0.liquidity)
    curves = [NSSCurve(nss.reference_date, params[0] + b * 1e-4, *params[1:]) for b in (0, 8, 8)]
    res = INavModel(etf, m, 0.3).path(curves)
    direct = [etf.nav(m.with_curve(c), "bid") for c in curves]
    np.testing.assert_allclose(res.true_nav.to_numpy(), direct, rtol=NAV_TOL)
    fair_gap = (res.fair_value_nav - res.true_nav).abs().iloc[1:]
    stale_gap = (res.stale_nav - res.true_nav).abs().iloc[1:]
    assert (fair_gap < 1e-2 * stale_gap).all()


def test_bucket_ladders_add_up_to_the_fund_ladder():
    mdl = model()
    _, ladder, const, _ = fund()._ladder(market())
    n_b = len(mdl.buckets)
    by_bucket = mdl._ladders.reshape(-1, n_b, 3).sum(axis=1).T
    np.testing.assert_allclose(by_bucket, ladder, rtol=1e-12, atol=1e-9 * np.abs(ladder).max())
    np.testing.assert_allclose(mdl._const.reshape(n_b, 3).sum(axis=0), const, rtol=1e-12)
    assert mdl.buckets["n_bonds"].sum() == len(fund().holdings)
    np.testing.assert_allclose(mdl.buckets["weight"].sum(), 1.0)


def test_liquid_bonds_adjust_faster_and_stress_makes_prices_staler():
    m, etf = market(), fund()
    mdl = model()
    hs = m.half_spread_bp(etf.bonds(m))
    lam = mdl.adjustment.reindex(hs.index)
    order = np.argsort(hs.to_numpy())
    assert np.all(np.diff(lam.to_numpy()[order]) <= 1e-15)
    stressed = INavModel(etf, m.with_regime("stress"))
    assert stressed.adjustment.mean() < mdl.adjustment.mean()
    path = jump_path(10)
    normal_gap = mdl.path(path).staleness_bp.abs()
    stress_gap = stressed.path(path).staleness_bp.abs()
    assert (stress_gap.iloc[1:] > normal_gap.iloc[1:]).all()


def test_few_distinct_adjustments_are_bucketed_exactly():
    etf = fund()
    values = np.resize([0.2, 0.5, 0.9], len(etf.holdings))
    mdl = INavModel(etf, market(), pd.Series(values, index=etf.holdings.index))
    np.testing.assert_allclose(mdl.buckets["adjustment"], [0.2, 0.5, 0.9])
    np.testing.assert_allclose(
        mdl.buckets["half_life_intervals"], np.log(0.5) / np.log1p(-np.array([0.2, 0.5, 0.9]))
    )
    many = INavModel(etf, market(), n_buckets=4)
    assert len(many.buckets) <= 4


def test_premium_decomposition_adds_up():
    res = model().path(jump_path(10, jump_bp=-20.0), times=pd.RangeIndex(10, name="minute"))
    prices = res.true_nav * (1 - 30e-4)  # the ETF trades 30 bp under its true value
    out = res.decompose_premium(prices)
    np.testing.assert_allclose(
        out["premium_to_stale_bp"], out["staleness_bp"] + out["premium_to_true_bp"], atol=1e-9
    )
    np.testing.assert_allclose(
        out["premium_to_stale_bp"],
        out["estimated_staleness_bp"] + out["premium_to_fair_value_bp"],
        atol=1e-9,
    )
    np.testing.assert_allclose(
        out["premium_to_true_bp"] * out["stale_nav"] / out["true_nav"], -30.0, rtol=1e-9
    )
    assert (out["staleness_bp"].iloc[1:] > 0).all()  # rates fell: the stale NAV is too low
    plain = res.decompose_premium(prices.to_numpy())
    pd.testing.assert_frame_equal(plain, out)


def test_result_outputs():
    res = model().path(jump_path(6))
    frame = res.to_frame()
    assert list(frame.columns) == [
        "true_nav",
        "stale_nav",
        "fair_value_nav",
        "staleness_bp",
        "estimated_staleness_bp",
        "fair_value_error_bp",
    ]
    assert len(frame) == 6
    assert "INAV" in repr(res) and "staleness" in repr(res)
    assert res.bucket_staleness.shape == (6, len(res.buckets))
    np.testing.assert_allclose(
        res.bucket_staleness.sum(axis=1), res.true_nav - res.stale_nav, rtol=1e-9, atol=1e-12
    )
    ax = res.plot()
    assert ax.get_title().startswith("INAV")
    plt.close("all")
    assert "staleness buckets" in repr(model())


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("adjustment", "match"),
    [
        (0.0, r"adjustment: got 0.0; the fraction of the gap closed each interval must be in"),
        (1.5, r"adjustment: got 1.5"),
        ("fast", r"adjustment: unknown value 'fast'"),
        ([0.5], r"adjustment: expected 'liquidity', a number or a Series, got list"),
    ],
)
def test_bad_adjustment(adjustment, match):
    with pytest.raises(InputError, match=match):
        INavModel(fund(), market(), adjustment)


def test_bad_adjustment_series_and_options():
    etf, m = fund(), market()
    partial = pd.Series(0.5, index=etf.holdings.index[:-2])
    with pytest.raises(InputError, match=r"adjustment: no value for 2 holding\(s\)"):
        INavModel(etf, m, partial)
    full = pd.Series(0.5, index=etf.holdings.index)
    full.iloc[3] = 2.0
    with pytest.raises(InputError, match=rf"bond {etf.holdings.index[3]} has 2.0"):
        INavModel(etf, m, full)
    with pytest.raises(InputError, match=r"n_buckets: 0 must be >= 1"):
        INavModel(etf, m, n_buckets=0)
    with pytest.raises(InputError, match=r"half_life_intervals: -1.0 must be a finite number > 0"):
        INavModel(etf, m, half_life_intervals=-1)
    with pytest.raises(InputError, match=r"min_adjustment: 2.0 must be a number in \(0, 1\]"):
        INavModel(etf, m, min_adjustment=2.0)
    with pytest.raises(InputError, match=r"etf: expected an ETF"):
        INavModel("LQD", m)
    with pytest.raises(InputError, match=r"market: expected a MarketState"):
        INavModel(etf, m.curve)


def test_bad_paths():
    mdl = model()
    m = market()
    curves = jump_path(4)
    with pytest.raises(InputError, match=r"curve_path: the list is empty"):
        mdl.path([])
    with pytest.raises(InputError, match=r"curve_path: expected a CurveScenarios"):
        mdl.path(m.curve)
    with pytest.raises(InputError, match=r"curve_path: item 1 is a float, not a curve"):
        mdl.path([m.curve, 0.04])
    with pytest.raises(InputError, match=r"spread_shift_bp_path: 3 values for 4 intervals"):
        mdl.path(curves, [1.0, 2.0, 3.0])
    with pytest.raises(InputError, match=r"spread_shift_bp_path: 2 rows for 4 intervals"):
        mdl.path(curves, pd.DataFrame({fund().holdings.index[0]: [1.0, 2.0]}))
    with pytest.raises(InputError, match=r"1 column\(s\) are not bonds of the market: \['XX'\]"):
        mdl.path(curves, pd.DataFrame({"XX": [1.0] * 4}))
    with pytest.raises(
        InputError, match=r"spread_shift_bp_path: position 2 has nan, which must be"
    ):
        mdl.path(curves, [0.0, 1.0, np.nan, 2.0])
    with pytest.raises(InputError, match=r"spread_shift_bp_path: shape \(4, 3\)"):
        mdl.path(curves, np.zeros((4, 3)))
    with pytest.raises(InputError, match=r"quote_side: unknown quote side 'last'"):
        mdl.path(curves, quote_side="last")
    with pytest.raises(InputError, match=r"times: 2 labels for 4 intervals"):
        mdl.path(curves, times=["09:30", "09:31"])
    with pytest.raises(InputError, match=r"state: expected an INavState"):
        mdl.update(None, m.curve)
    with pytest.raises(InputError, match=r"spread_shift_bp: inf must be a finite number"):
        mdl.update(mdl.initial_state(), m.curve, np.inf)
    with pytest.raises(InputError, match=r"curve: a str is not a curve"):
        mdl.update(mdl.initial_state(), "curve")
    with pytest.raises(InputError, match=r"kind: unknown value 'fresh'"):
        mdl.initial_state().nav("fresh")
    assert isinstance(mdl.initial_state(), INavState)


def test_bad_premium_inputs():
    res = model().path(jump_path(4))
    with pytest.raises(InputError, match=r"etf_prices: 3 prices for 4 intervals"):
        res.decompose_premium([100.0, 100.0, 100.0])
    with pytest.raises(InputError, match=r"etf_prices: interval 2 has price -1.0"):
        res.decompose_premium([100.0, 100.0, -1.0, 100.0])
    with pytest.raises(InputError, match=r"the Series index does not match the intervals"):
        res.decompose_premium(pd.Series([100.0] * 4, index=list("abcd")))


# --------------------------------------------------------------------------- kernels
def test_partial_adjustment_kernel_matches_a_loop():
    rng = np.random.default_rng(8)
    true = rng.normal(100, 1, (30, 5))
    lam = rng.uniform(0.05, 1.0, 5)
    init = rng.normal(100, 1, 5)
    got = K.partial_adjustment_nb(true, lam, init)
    for r in range(5):
        m = init[r]
        for t in range(30):
            m = m + lam[r] * (true[t, r] - m)
            assert got[t, r] == pytest.approx(m, rel=1e-15)


def test_bond_values_and_ladder_kernels_match_loops():
    rng = np.random.default_rng(9)
    counts = np.array([3, 1, 0, 5, 2])
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    n_flows, n_days = int(offsets[-1]), 6
    amount = rng.uniform(1, 100, n_flows)
    day_index = rng.integers(0, n_days, n_flows).astype(np.int64)
    dtau = rng.uniform(0.1, 30.0, n_flows)
    df = rng.uniform(0.3, 1.0, (2, n_days + 1))
    shift = rng.normal(0, 0.01, (2, 5))
    shift[0, 1] = 0.0
    got = K.bond_values_nb(offsets, amount, day_index, dtau, df, shift, np.empty((2, 5)))
    sens = K.bond_spread_sensitivity_nb(offsets, amount, day_index, dtau, df[0])
    weights = rng.uniform(0, 1, (5, 3))
    bucket = np.array([1, 0, 1, 2, 0], dtype=np.int64)
    ladder = K.bucket_ladder_nb(offsets, amount, day_index, n_days, weights, bucket, 3)
    expect_ladder = np.zeros((n_days, 9))
    for i in range(5):
        for k in range(offsets[i], offsets[i + 1]):
            for s in range(3):
                expect_ladder[day_index[k], bucket[i] * 3 + s] += weights[i, s] * amount[k]
        for t in range(2):
            v = sum(
                amount[k] * df[t, day_index[k]] * math.exp(-shift[t, i] * dtau[k])
                for k in range(offsets[i], offsets[i + 1])
            )
            assert got[t, i] == pytest.approx(v / df[t, -1], rel=1e-14, abs=1e-300)
        d = -sum(
            amount[k] * df[0, day_index[k]] * dtau[k] for k in range(offsets[i], offsets[i + 1])
        )
        assert sens[i] == pytest.approx(d / df[0, -1], rel=1e-14, abs=1e-300)
    np.testing.assert_allclose(ladder, expect_ladder, rtol=1e-14)
    flat = K.ladder_nb(offsets, amount, day_index, n_days, weights)
    np.testing.assert_allclose(ladder.reshape(n_days, 3, 3).sum(axis=1), flat.T, rtol=1e-14)


def test_discount_kernel_matches_the_curve():
    mdl = model()
    m = market()
    curve = m.curve.shift(7.0)
    i0, i1, c0, c1 = mdl._coef
    df = K.discount_from_knots_nb(
        curve.zero_rates, i0, i1, c0, c1, mdl._dtau_days, 0.0, np.empty(mdl._days.size)
    )
    np.testing.assert_allclose(df, curve.discount_days(mdl._days), rtol=1e-13)
    shifted = K.discount_from_knots_nb(
        curve.zero_rates, i0, i1, c0, c1, mdl._dtau_days, 0.001, np.empty(mdl._days.size)
    )
    np.testing.assert_allclose(shifted, df * np.exp(-0.001 * mdl._dtau_days), rtol=1e-13)
