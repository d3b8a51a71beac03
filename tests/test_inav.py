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
def model(adjustment="liquidity", stale_on="price") -> INavModel:
    """The whole-price model by default: most tests below check its rate-move staleness."""
    return INavModel(fund(), market(), adjustment, stale_on=stale_on)


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
    res = inav_path(fund(), market(), jump_path(15), adjustment=lam, stale_on="price")
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


@pytest.mark.parametrize("stale_on", ["price", "spread"])
def test_per_bond_spread_moves_are_priced_bond_by_bond(stale_on):
    m, etf = market(), fund()
    curves = random_walk_curves(3, seed=3)
    rng = np.random.default_rng(4)
    shifts = pd.DataFrame(rng.normal(0, 10, (3, len(etf.holdings))), columns=etf.holdings.index)
    res = model(stale_on=stale_on).path(curves, shifts)
    direct = [
        etf.nav(m.with_curve(curves[t]).with_spread_shift(shifts.iloc[t]), "bid") for t in range(3)
    ]
    np.testing.assert_allclose(res.true_nav.to_numpy(), direct, rtol=NAV_TOL)
    # the same move for every bond, given bond by bond, is the ladder-level result
    common = np.array([0.0, 4.0, 9.0])
    by_bond = pd.DataFrame(
        np.repeat(common[:, None], len(etf.holdings), axis=1), columns=etf.holdings.index
    )
    a = model(stale_on=stale_on).path(curves, common)
    b = model(stale_on=stale_on).path(curves, by_bond)
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


@pytest.mark.parametrize("stale_on", ["price", "spread"])
def test_update_one_interval_at_a_time_equals_the_path(stale_on):
    mdl = model(stale_on=stale_on)
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


@pytest.mark.parametrize("stale_on", ["price", "spread"])
def test_curves_off_the_tenor_grid_and_per_bond_updates(stale_on):
    m, etf = market(), fund()
    mdl = model(stale_on=stale_on)
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
    res = INavModel(etf, m, 0.3, stale_on="price").path(curves)
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
    stressed = INavModel(etf, m.with_regime("stress"), stale_on="price")
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


# --------------------------------------------------------------------------- stale spreads
PER_SHARE = 1e-10  # USD per share: identities of the spread-stale model
REFERENCE_TOL = 1e-8  # USD per share: against per-bond price_bonds


def exact_buckets_model(stale_on: str = "spread") -> INavModel:
    """Three distinct adjustments, so the buckets are exact and each bond's lambda is known."""
    etf = fund()
    values = pd.Series(np.resize([0.15, 0.4, 0.85], len(etf.holdings)), index=etf.holdings.index)
    return INavModel(etf, market(), values, stale_on=stale_on)


def reference_stale_nav(mdl: INavModel, curves, spread_bp: np.ndarray, side: str) -> np.ndarray:
    """Per bond with ``price_bonds``: the live curve and the partially adjusted z-spread.

    ``spread_bp`` is ``(T, n)`` in holdings order; each bond's stale spread move follows
    ``x_t = x_{t-1} + lambda_i (ds_t - x_{t-1})`` from 0; the side's price is
    ``(1 -/+ h) clean + accrued`` (``h`` the market's half-spread), as in ``ETF.nav``.
    """
    from etfcore import price_bonds

    m, etf = market(), fund()
    bonds = etf.bonds(m)
    ids = bonds.ids
    lam = mdl.adjustment.reindex(ids).to_numpy()
    z0 = m.z_spread.reindex(ids).to_numpy()
    h = m.half_spread_bp(bonds).reindex(ids).to_numpy() * 1e-4
    factor = {"bid": 1 - h, "mid": np.ones_like(h), "ask": 1 + h}[side]
    par = etf.holdings.reindex(ids).to_numpy()
    stale = np.zeros(len(ids))
    out = []
    for t, curve in enumerate(curves):
        stale = stale + lam * (spread_bp[t] - stale)
        p = price_bonds(bonds, curve, m.settlement, z0 + stale * 1e-4)
        value = (
            par / 100 * (factor * p["clean_price"].to_numpy() + p["accrued_interest"].to_numpy())
        )
        out.append((value.sum() + etf._other_assets()) / etf.shares_outstanding)
    return np.array(out)


def test_rates_only_moves_leave_no_staleness_when_spreads_are_stale():
    curves = random_walk_curves(12, seed=21, vol_bp=5.0)
    res = INavModel(fund(), market()).path(curves)  # the default: stale_on="spread"
    assert res.stale_on == "spread"
    np.testing.assert_allclose(res.stale_nav, res.true_nav, rtol=0, atol=PER_SHARE)
    np.testing.assert_allclose(res.fair_value_nav, res.true_nav, rtol=0, atol=PER_SHARE)
    # the same under update, and under a per-bond path of zero moves
    mdl = model(stale_on="spread")
    state = mdl.initial_state()
    for c in curves:
        state = mdl.update(state, c)
    assert abs(state.nav("stale") - state.nav("true")) < PER_SHARE
    zero = pd.DataFrame(0.0, index=range(12), columns=fund().holdings.index)
    by_bond = mdl.path(curves, zero)
    np.testing.assert_allclose(by_bond.stale_nav, by_bond.true_nav, rtol=0, atol=PER_SHARE)
    # the whole-price model lags on the same path
    assert model().path(curves).staleness_bp.abs().max() > 1.0


def test_spreads_only_moves_both_modes_agree_to_first_order():
    """Filtering the price is linear, filtering the spread is not: they differ by convexity."""
    flat = market().curve.parallel_shocks(np.zeros(10))
    gaps = []
    for jump in (10.0, 20.0):
        move = np.r_[0.0, np.full(9, jump)]
        a = model(stale_on="spread").path(flat, move)
        b = model(stale_on="price").path(flat, move)
        np.testing.assert_allclose(a.true_nav, b.true_nav, rtol=EXACT)
        diff = (a.stale_nav - b.stale_nav).abs().to_numpy()
        staleness = (b.true_nav - b.stale_nav).abs().to_numpy()
        assert (diff[1:] < 1e-2 * staleness[1:]).all()
        gaps.append(diff[1:].max())
        # after one interval both have moved by lambda of the way: identical to first order
        assert (a.staleness_bp.iloc[1:] > 0).all() == (b.staleness_bp.iloc[1:] > 0).all()
    assert 3.5 < gaps[1] / gaps[0] < 4.5  # second order in the move


@pytest.mark.parametrize("side", ["bid", "mid", "ask"])
def test_spread_stale_nav_matches_per_bond_price_bonds(side):
    m, etf = market(), fund()
    mdl = exact_buckets_model()
    curves = list(random_walk_curves(5, seed=22, vol_bp=6.0))
    common = np.array([0.0, 6.0, 14.0, 9.0, 20.0])
    res = mdl.path(curves, common, quote_side=side)
    n = len(etf.holdings)
    ref = reference_stale_nav(mdl, curves, np.repeat(common[:, None], n, axis=1), side)
    np.testing.assert_allclose(res.stale_nav.to_numpy(), ref, rtol=0, atol=REFERENCE_TOL)
    ids = etf.bonds(m).ids
    rng = np.random.default_rng(23)
    moves = pd.DataFrame(rng.normal(0, 12, (5, n)), columns=ids)
    res = mdl.path(curves, moves, quote_side=side)
    ref = reference_stale_nav(mdl, curves, moves.to_numpy(), side)
    np.testing.assert_allclose(res.stale_nav.to_numpy(), ref, rtol=0, atol=REFERENCE_TOL)


def test_spread_stale_updates_switch_from_common_to_per_bond_moves():
    """Common moves, then moves by bond, then common again: update equals the path."""
    etf, mdl = fund(), model(stale_on="spread")
    curves = random_walk_curves(6, seed=24)
    rng = np.random.default_rng(25)
    ids = etf.holdings.index
    rows = [np.full(len(ids), v) for v in (0.0, 5.0)]
    rows += [rng.normal(5, 4, len(ids)) for _ in range(2)] + [np.full(len(ids), 8.0)] * 2
    moves = pd.DataFrame(np.vstack(rows), columns=ids)
    estimate = moves * 0.7
    res = mdl.path(curves, moves, estimated_spread_shift_bp_path=estimate)
    state = mdl.initial_state()
    for t, c in enumerate(curves):
        row, est = moves.iloc[t], estimate.iloc[t]
        common = bool(np.all(row.to_numpy() == row.iloc[0]))
        state = mdl.update(
            state, c, float(row.iloc[0]) if common else row, float(est.iloc[0]) if common else est
        )
        for kind, series in (("true", res.true_nav), ("stale", res.stale_nav)):
            assert state.nav(kind) == pytest.approx(series.iloc[t], rel=1e-12)
        assert state.nav("fair_value") == pytest.approx(res.fair_value_nav.iloc[t], rel=1e-12)


def test_bucket_shift_kernel_matches_a_loop():
    rng = np.random.default_rng(26)
    n_days, n_b = 400, 3
    gaps = rng.choice([1, 2, 7, 30, 70, 200], n_days)  # gaps beyond the table re-anchor
    offset = np.append(np.cumsum(gaps), 0).astype(np.int64)
    ladders = rng.uniform(0, 5, (n_days, 3 * n_b))
    df = rng.uniform(0.2, 1.0, (2, n_days + 1))
    shift = rng.normal(0, 0.02, (2, n_b))
    got = K.ladder_values_by_bucket_shift_nb(df, ladders, offset, shift, 3, np.empty((2, 3 * n_b)))
    for t in range(2):
        for c in range(3 * n_b):
            v = sum(
                df[t, u] * math.exp(-shift[t, c // 3] * offset[u] / 365.0) * ladders[u, c]
                for u in range(n_days)
            )
            assert got[t, c] == pytest.approx(v / df[t, -1], rel=1e-13)


# --------------------------------------------------------------------------- the estimate
@pytest.mark.parametrize("stale_on", ["price", "spread"])
def test_fair_value_from_an_estimate_of_the_spread_moves(stale_on):
    mdl = model(stale_on=stale_on)
    curves = random_walk_curves(8, seed=27)
    true_moves = np.linspace(0.0, 14.0, 8)
    default = mdl.path(curves, true_moves)
    fed_truth = mdl.path(curves, true_moves, estimated_spread_shift_bp_path=true_moves)
    pd.testing.assert_frame_equal(fed_truth.to_frame(), default.to_frame())
    assert default.estimated_from_true_moves and not fed_truth.estimated_from_true_moves
    assert "small by construction" in " ".join(str(default.summary()).split())
    assert "small by construction" not in " ".join(str(fed_truth.summary()).split())
    guess = mdl.path(curves, true_moves, estimated_spread_shift_bp_path=0.5 * true_moves)
    # the truth and the measured iNAV do not depend on the estimate
    np.testing.assert_allclose(guess.true_nav, default.true_nav, rtol=EXACT)
    np.testing.assert_allclose(guess.stale_nav, default.stale_nav, rtol=EXACT)
    err_guess = (guess.fair_value_nav - guess.true_nav).abs().iloc[1:]
    err_true = (default.fair_value_nav - default.true_nav).abs().iloc[1:]
    assert (err_guess > 50 * err_true).all()
    # an estimate of half the move recovers about half the spread lag
    lag = (default.true_nav - default.stale_nav).iloc[-1]
    recovered = (guess.fair_value_nav - guess.stale_nav).iloc[-1]
    if stale_on == "spread":
        assert recovered / lag == pytest.approx(0.5, abs=0.01)
    # decompose_premium splits the premium on such a path, and the parts add up
    prices = guess.true_nav * (1 - 25e-4)
    out = guess.decompose_premium(prices)
    np.testing.assert_allclose(
        out["premium_to_stale_bp"],
        out["estimated_staleness_bp"] + out["premium_to_fair_value_bp"],
        atol=1e-9,
    )
    # inav_path passes the estimate and the model options through
    short = inav_path(
        fund(),
        market(),
        curves,
        true_moves,
        stale_on=stale_on,
        estimated_spread_shift_bp_path=0.5 * true_moves,
    )
    np.testing.assert_allclose(short.fair_value_nav, guess.fair_value_nav, rtol=EXACT)
    assert f"stale on {stale_on}" in repr(mdl)
    # update takes the estimate too
    state = mdl.initial_state()
    for c, s, e in zip(curves, true_moves, 0.5 * true_moves, strict=True):
        state = mdl.update(state, c, s, e)
    assert state.nav("fair_value") == pytest.approx(guess.fair_value_nav.iloc[-1], rel=1e-12)


def test_spread_stale_fair_value_fed_the_true_moves_is_exact_to_second_order():
    errors = []
    for jump in (5.0, 10.0, 20.0):
        res = model(stale_on="spread").path(jump_path(4, jump), [0.0, jump, jump, jump])
        errors.append(abs(res.fair_value_nav.iloc[1] - res.true_nav.iloc[1]))
        assert errors[-1] < 1e-3 * abs(res.stale_nav.iloc[1] - res.true_nav.iloc[1])
    ratios = np.array(errors[1:]) / np.array(errors[:-1])
    assert np.all((ratios > 6.0) & (ratios < 10.0))


def test_bad_stale_on_and_estimates():
    mdl = model(stale_on="spread")
    curves = jump_path(4)
    with pytest.raises(InputError, match=r"stale_on: 'rates' is not one of \['spread', 'price'\]"):
        INavModel(fund(), market(), stale_on="rates")
    with pytest.raises(
        InputError, match=r"estimated_spread_shift_bp_path: 3 values for 4 intervals"
    ):
        mdl.path(curves, 1.0, estimated_spread_shift_bp_path=[1.0, 2.0, 3.0])
    with pytest.raises(InputError, match=r"estimated_spread_shift_bp_path: position 1 has nan"):
        mdl.path(curves, 1.0, estimated_spread_shift_bp_path=[0.0, np.nan, 1.0, 1.0])
    with pytest.raises(InputError, match=r"estimated_spread_shift_bp: nan must be a finite"):
        mdl.update(mdl.initial_state(), market().curve, 1.0, np.nan)
    with pytest.raises(
        InputError, match=r"estimated_spread_shift_bp: 1 id\(s\) are not bonds of the market"
    ):
        mdl.update(mdl.initial_state(), market().curve, 1.0, pd.Series({"XX": 1.0}))
    with pytest.raises(InputError, match=r"spread_shift_bp: 1 id\(s\) are not bonds of the market"):
        mdl.update(mdl.initial_state(), market().curve, pd.Series({"XX": 1.0}))


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
