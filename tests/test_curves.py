"""Tests for etfcore.bonds.curves: zero curves, scenarios, NSS fits, bootstrap.

Reference values and where they come from:

* QuantLib 1.44 (installed test dependency), computed in the tests: ``ql.ZeroCurve`` with
  ``Linear`` interpolation and ``Continuous`` compounding, ``ql.DiscountCurve`` (log-linear
  in the discount factor), ``ql.FittedBondDiscountCurve`` with ``ql.SvenssonFitting``
  parameters.
* The Federal Reserve's GSW Treasury curve (Gurkaynak, Sack and Wright 2006, file
  ``feds200628``), row dated 2026-03-06, as shown in the data glimpse of the public
  repository ``pfingold/p14_gurkaynak_sack_wright_2007``, file
  ``docs/_sources/dataframes/P1/fed_yield_curve_all.md``: parameters BETA0..BETA3 (percent),
  TAU1, TAU2, and the published zero yields SVENY01..30, instantaneous forwards
  SVENF01..30 and par yields SVENPY01..30 (percent, 4 decimals).
* Closed forms written out in the tests (flat curves, bill yields).
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from numpy.testing import assert_allclose  # noqa: E402

from etfcore.bonds.curves import (  # noqa: E402
    TREASURY_TENORS,
    CurveScenarios,
    NSSCurve,
    NSSFit,
    NSSHistory,
    ZeroCurve,
    bootstrap_par_yields,
    fit_nss,
    fit_nss_history,
    random_shocks,
)
from etfcore.bonds.dates import to_day  # noqa: E402
from etfcore.errors import ConvergenceError, DataWarning, InputError  # noqa: E402

ql = pytest.importorskip("QuantLib")

# tolerances, named
TOL_QL_DF = 1e-14  # relative, discount factors against QuantLib
TOL_QL_NSS = 2e-14  # QuantLib's Svensson adds QL_EPSILON to its denominators
TOL_ROUNDING = 1e-15  # same formula, different rounding
TOL_REPRICE = 1e-12  # par bonds from a bootstrapped curve, per unit face
GSW_HALF_UNIT = 0.5e-4 + 1e-9  # GSW publish percent with 4 decimals

REF = "2025-07-11"
REF_DAY = 20280  # days since 1970-01-01
QL_REF = ql.Date(11, 7, 2025)

NODE_DAYS = np.array([30, 91, 182, 365, 730, 1826, 3652, 7305, 10957])
NODE_RATES = np.array([0.0437, 0.0441, 0.0431, 0.0409, 0.0390, 0.0399, 0.0443, 0.0496, 0.0486])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def ql_zero_curve() -> ql.ZeroCurve:
    """Linear-in-zero QuantLib curve; the node at t=0 repeats the first rate (flat short end)."""
    dates = [QL_REF] + [QL_REF + int(d) for d in NODE_DAYS]
    rates = [float(NODE_RATES[0])] + [float(r) for r in NODE_RATES]
    return ql.ZeroCurve(
        dates, rates, ql.Actual365Fixed(), ql.NullCalendar(), ql.Linear(), ql.Continuous
    )


def ql_discount_curve() -> ql.DiscountCurve:
    """Log-linear-in-DF QuantLib curve; DF = 1 at t = 0 gives the same flat short end."""
    dates = [QL_REF] + [QL_REF + int(d) for d in NODE_DAYS]
    dfs = [1.0] + [float(v) for v in np.exp(-NODE_RATES * NODE_DAYS / 365.0)]
    return ql.DiscountCurve(dates, dfs, ql.Actual365Fixed(), ql.NullCalendar())


def make_curve(interpolation: str = "linear_zero") -> ZeroCurve:
    return ZeroCurve(REF, NODE_DAYS / 365.0, NODE_RATES, interpolation)


def ql_discounts(curve, days) -> np.ndarray:
    return np.array([curve.discount(QL_REF + int(d)) for d in days])


# =====================================================================================
# ZeroCurve against QuantLib
# =====================================================================================


def test_reference_date_is_a_day_number():
    curve = make_curve()
    assert curve.reference_date == REF_DAY
    assert curve.reference_timestamp == pd.Timestamp(REF)
    assert ZeroCurve(REF_DAY, [1.0], [0.04]).reference_date == REF_DAY


def test_linear_zero_matches_quantlib_zero_curve():
    curve = make_curve()
    days = np.arange(0, NODE_DAYS[-1] + 1)
    expected = ql_discounts(ql_zero_curve(), days)
    assert_allclose(curve.discount_days(REF_DAY + days), expected, rtol=TOL_QL_DF, atol=0)
    assert_allclose(curve.discount(days / 365.0), expected, rtol=TOL_QL_DF, atol=0)


def test_linear_zero_rates_match_quantlib_inside_nodes():
    # QuantLib's zeroRate(date) goes through log(DF)/t, so compare from one year on,
    # where that round trip costs less than 1e-15.
    curve = make_curve()
    qlc = ql_zero_curve()
    days = np.arange(365, NODE_DAYS[-1] + 1, 7)
    expected = np.array(
        [qlc.zeroRate(QL_REF + int(d), ql.Actual365Fixed(), ql.Continuous).rate() for d in days]
    )
    assert_allclose(curve.zero_rate(days / 365.0), expected, rtol=0, atol=1e-14)


def test_log_linear_matches_quantlib_discount_curve():
    curve = make_curve("log_linear_discount")
    days = np.arange(0, NODE_DAYS[-1] + 1)
    expected = ql_discounts(ql_discount_curve(), days)
    assert_allclose(curve.discount_days(REF_DAY + days), expected, rtol=TOL_QL_DF, atol=0)


@pytest.mark.parametrize("interpolation", ["linear_zero", "log_linear_discount"])
def test_flat_zero_extrapolation_both_sides(interpolation):
    curve = make_curve(interpolation)
    t_first, t_last = curve.tenors[0], curve.tenors[-1]
    assert_allclose(curve.zero_rate([0.0, t_first / 2, t_first]), NODE_RATES[0], rtol=0, atol=1e-17)
    assert_allclose(curve.zero_rate([t_last, 40.0, 100.0]), NODE_RATES[-1], rtol=0, atol=1e-17)
    assert_allclose(curve.discount(50.0), math.exp(-NODE_RATES[-1] * 50.0), rtol=TOL_ROUNDING)


def test_quantlib_extrapolates_flat_forward_where_we_stay_flat_zero():
    # The documented difference: past the last node QuantLib holds the forward rate, so its
    # zero rate keeps moving; ours stays at the last zero rate.
    qlc = ql_zero_curve()
    qlc.enableExtrapolation()
    day = int(NODE_DAYS[-1]) + 3650
    ql_zero = qlc.zeroRate(QL_REF + day, ql.Actual365Fixed(), ql.Continuous).rate()
    ours = make_curve().zero_rate(day / 365.0)
    assert ours == pytest.approx(NODE_RATES[-1], abs=1e-17)
    assert abs(ql_zero - ours) > 1e-4


def test_discount_days_fast_and_slow_paths_agree_with_discount_of_time():
    curve = make_curve()
    rng = np.random.default_rng(7)
    inside = REF_DAY + rng.integers(0, 40 * 365, 2000)
    outside = REF_DAY + np.array([-400, -1, 40 * 365 + 11, 60 * 365])
    for days in (inside, np.concatenate((inside, outside))):
        expected = curve.discount((days - REF_DAY) / 365.0)
        assert_allclose(curve.discount_days(days), expected, rtol=TOL_ROUNDING, atol=0)
    assert curve.discount_days(np.array([], dtype=np.int64)).shape == (0,)
    as_dates = np.array(["2026-07-11", "2030-01-02"], dtype="datetime64[D]")
    assert_allclose(curve.discount_days(as_dates), curve.discount(curve.time(as_dates)))


def test_time_and_pandas_in_pandas_out():
    curve = make_curve()
    assert curve.time("2026-07-11") == pytest.approx(1.0)
    dates = pd.Series(pd.to_datetime(["2026-07-11", "2035-07-09"]), index=["a", "b"])
    t = curve.time(dates)
    assert isinstance(t, pd.Series) and list(t.index) == ["a", "b"]
    assert_allclose(t.to_numpy(), [1.0, 3650 / 365.0])
    idx = curve.time(pd.DatetimeIndex(["2026-07-11"]))
    assert isinstance(idx, pd.Index) and idx[0] == pytest.approx(1.0)
    z = curve.zero_rate(pd.Series([1.0, 2.0], index=["x", "y"]))
    assert isinstance(z, pd.Series) and list(z.index) == ["x", "y"]
    assert isinstance(curve.discount(2.0), float)
    grid = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert curve.zero_rate(grid).shape == (2, 2)
    series_days = pd.Series(REF_DAY + np.array([10, 20]), index=["p", "q"])
    assert list(curve.discount_days(series_days).index) == ["p", "q"]


def test_forward_rate_formula():
    curve = make_curve()
    t1, t2 = np.array([0.5, 2.0, 7.0]), np.array([1.0, 5.0, 30.0])
    expected = (curve.zero_rate(t2) * t2 - curve.zero_rate(t1) * t1) / (t2 - t1)
    assert_allclose(curve.forward_rate(t1, t2), expected, rtol=TOL_ROUNDING)
    # log-linear: the forward is flat between knots and equals the knot-to-knot forward
    ll = make_curve("log_linear_discount")
    a, b = NODE_DAYS[5] / 365.0, NODE_DAYS[6] / 365.0
    knot_forward = (NODE_RATES[6] * b - NODE_RATES[5] * a) / (b - a)
    assert ll.forward_rate(a + 0.1, b - 0.3) == pytest.approx(knot_forward, abs=1e-14)


def test_par_yield_on_a_flat_curve_is_the_semiannual_rate():
    z = 0.05
    curve = ZeroCurve(REF, [1.0, 30.0], [z, z])
    expected = 2.0 * (math.exp(z / 2.0) - 1.0)  # continuous -> semiannual compounding
    assert_allclose(curve.par_yield([1.0, 2.0, 10.0, 30.0]), expected, rtol=1e-14)
    assert curve.par_yield(5.0, frequency=1) == pytest.approx(math.exp(z) - 1.0, rel=1e-14)


def test_par_yield_prices_to_par_including_a_stub():
    curve = make_curve()
    for maturity in (2.0, 7.3, 0.2):
        c = curve.par_yield(maturity)
        n = math.ceil(maturity * 2 - 1e-9)
        times = maturity - 0.5 * np.arange(n)
        accrued = 0.5 - times.min()
        clean = c / 2 * curve.discount(times).sum() + curve.discount(maturity) - c * accrued
        assert clean == pytest.approx(1.0, abs=1e-14)


def test_treasury_par_yields_bill_formulas():
    z = 0.045
    curve = ZeroCurve(REF, [0.1, 30.0], [z, z])
    t_short, t_long = 0.25, 0.75
    y_short = (math.exp(z * t_short) - 1.0) / t_short  # DF = 1/(1 + y t)
    y = curve.treasury_par_yields([t_short, t_long, 2.0])
    assert y[0] == pytest.approx(y_short, rel=1e-14)
    # 0.5 < t <= 1: DF = 1 / ((1 + y/2)(1 + (t - 1/2) y))
    assert 1.0 / ((1 + y[1] / 2) * (1 + (t_long - 0.5) * y[1])) == pytest.approx(
        math.exp(-z * t_long), rel=1e-14
    )
    assert y[2] == pytest.approx(curve.par_yield(2.0), rel=1e-15)
    unsorted = curve.treasury_par_yields([2.0, 0.25, 2.0])
    assert_allclose(unsorted, [y[2], y[0], y[2]])


def test_shift_moves_every_knot():
    curve = make_curve()
    up = curve.shift(25)
    assert_allclose(up.zero_rates, NODE_RATES + 0.0025, rtol=0, atol=1e-17)
    assert up.interpolation == curve.interpolation and up.reference_date == curve.reference_date


def test_curve_is_frozen_and_arrays_read_only():
    curve = make_curve()
    with pytest.raises(AttributeError):
        curve.zero_rates = NODE_RATES  # type: ignore[misc]
    with pytest.raises(ValueError):
        curve.zero_rates[0] = 1.0


def test_frames_summary_repr_and_plot():
    curve = make_curve()
    frame = curve.to_frame()
    assert list(frame.columns) == ["label", "date", "zero_rate", "discount"]
    assert frame["label"].iloc[0] == "1m" or frame.index[0] == pytest.approx(30 / 365)
    table = curve.summary_frame()
    assert table.shape == (NODE_DAYS.size, 4)
    text = str(curve.summary())  # the package's Summary convention
    assert "zero_pct" in text and "2025-07-11" in text
    assert "2025-07-11" in repr(curve) and "linear_zero" in repr(curve)
    assert curve.plot() is not None


# =====================================================================================
# Scenarios
# =====================================================================================


def test_parallel_twist_butterfly_shapes():
    curve = ZeroCurve(REF, TREASURY_TENORS, np.linspace(0.04, 0.05, 13))
    par = curve.parallel_shocks([-50, 25])
    assert isinstance(par, CurveScenarios) and len(par) == 2
    assert par.names == ("parallel -50bp", "parallel +25bp")
    assert_allclose(par.shifts_bp, [[-50.0] * 13, [25.0] * 13], atol=1e-9)

    twist = curve.twist_shocks(10, pivot=5.0)
    shifts = twist.shifts_bp[0]
    assert shifts[list(TREASURY_TENORS).index(5.0)] == pytest.approx(0.0, abs=1e-9)
    assert shifts[-1] - shifts[0] == pytest.approx(10.0)
    assert shifts[0] < 0 < shifts[-1]
    assert np.all(np.diff(shifts) > 0)

    fly = curve.butterfly_shocks(8, short_wing=2.0, belly=10.0, long_wing=30.0)
    s = dict(zip(TREASURY_TENORS, fly.shifts_bp[0], strict=True))
    assert s[10.0] == pytest.approx(8.0) and s[2.0] == pytest.approx(-8.0)
    assert s[30.0] == pytest.approx(-8.0) and s[1 / 12] == pytest.approx(-8.0)
    assert s[5.0] == pytest.approx(8.0 * (-1 + 2 * 3 / 8))


def test_key_rate_shocks_names_triangles_and_sum_to_parallel():
    curve = ZeroCurve(REF, TREASURY_TENORS, np.linspace(0.04, 0.05, 13))
    kr = curve.key_rate_shocks(1.0)
    k = TREASURY_TENORS.size
    assert len(kr) == 2 * k
    assert kr.names[8] == "KR 5y +1bp" and kr.names[k + 8] == "KR 5y -1bp"
    assert kr.names[0] == "KR 1m +1bp"
    assert_allclose(kr.shifts_bp, np.vstack((np.eye(k), -np.eye(k))), atol=1e-9)
    # a knot bump is a triangle: half way to the neighbours it is half a bp
    bumped = kr[8]
    mid = 0.5 * (5.0 + 7.0)
    assert (bumped.zero_rate(mid) - curve.zero_rate(mid)) * 1e4 == pytest.approx(0.5)
    assert bumped.zero_rate(10.0) == pytest.approx(curve.zero_rate(10.0), abs=1e-16)
    # the up shocks add up to the parallel shock (linear-zero interpolation)
    t = np.random.default_rng(3).uniform(0, 40, 500)
    total = sum(kr[j].zero_rate(t) - curve.zero_rate(t) for j in range(k))
    assert_allclose(total, 1e-4, rtol=0, atol=1e-15)


def test_general_scenarios_and_indexing():
    curve = make_curve()
    shifts = np.arange(2 * NODE_DAYS.size, dtype=float).reshape(2, -1)
    sc = curve.scenarios(shifts, names=["a", "b"])
    assert_allclose(sc.zero_rates, NODE_RATES + shifts * 1e-4)
    assert sc["b"].zero_rates[1] == pytest.approx(NODE_RATES[1] + 1e-4 * shifts[1, 1])
    assert sc[-1].zero_rates[0] == sc[1].zero_rates[0]
    assert [c.zero_rates[0] for c in sc] == [sc[0].zero_rates[0], sc[1].zero_rates[0]]
    frame = sc.to_frame()
    assert frame.shape == (2, NODE_DAYS.size) and list(frame.index) == ["a", "b"]
    assert sc.reference_date == REF_DAY and sc.tenors is curve.tenors
    one = curve.scenarios(np.zeros(NODE_DAYS.size))
    assert len(one) == 1 and one.names == ("scenario 0",)
    with pytest.raises(KeyError, match="no scenario named"):
        sc["zzz"]
    with pytest.raises(IndexError, match="out of range"):
        sc[5]
    assert "2 scenarios" in repr(sc)
    assert sc.plot() is not None


@pytest.mark.parametrize("interpolation", ["linear_zero", "log_linear_discount"])
def test_scenario_discount_days_equals_loop_over_curves(interpolation):
    curve = make_curve(interpolation)
    sc = random_shocks(curve, 40, rng=np.random.default_rng(11))
    rng = np.random.default_rng(12)
    days = REF_DAY + np.concatenate(
        (rng.integers(-100, 45 * 365, 3000), [0, 30, 10957, 10958, 60 * 365])
    )
    got = sc.discount_days(days)
    loop = np.vstack([sc[s].discount_days(days) for s in range(len(sc))])
    assert got.shape == (40, days.size)
    assert_allclose(got, loop, rtol=4e-15, atol=0)
    out = np.empty_like(got)
    assert sc.discount_days(days, out=out) is out
    assert_allclose(out, got, rtol=0, atol=0)
    # zero rates of all scenarios at once
    t = np.linspace(0, 35, 50)
    assert_allclose(sc.zero_rate(t), np.vstack([c.zero_rate(t) for c in sc]), atol=1e-16)


@settings(max_examples=40, deadline=None)
@given(
    gaps=st.lists(st.floats(0.05, 8.0), min_size=1, max_size=12),
    rates=st.lists(st.floats(-0.01, 0.15), min_size=12, max_size=12),
    interpolation=st.sampled_from(["linear_zero", "log_linear_discount"]),
    bump=st.floats(-200.0, 200.0),
)
def test_property_curves_scenarios_and_key_rates(gaps, rates, interpolation, bump):
    tenors = np.cumsum(gaps)
    z = np.array(rates[: tenors.size])
    curve = ZeroCurve(REF, tenors, z, interpolation)
    # knots are reproduced, and DF = exp(-z t) everywhere
    assert_allclose(curve.zero_rate(tenors), z, rtol=0, atol=1e-15)
    t = np.linspace(0.0, tenors[-1] + 5.0, 97)
    assert_allclose(curve.discount(t), np.exp(-curve.zero_rate(t) * t), rtol=1e-15)
    # scenarios equal a loop over single curves
    sc = curve.parallel_shocks([0.0, bump]).base.key_rate_shocks(abs(bump) + 1.0)
    days = REF_DAY + np.arange(-10, int(365 * (tenors[-1] + 3)), 37)
    loop = np.vstack([c.discount_days(days) for c in sc])
    assert_allclose(sc.discount_days(days), loop, rtol=4e-15, atol=0)
    # a parallel shift moves every zero rate by the same amount
    shifted = curve.shift(bump)
    assert_allclose(shifted.zero_rate(t) - curve.zero_rate(t), bump * 1e-4, rtol=0, atol=1e-15)


def test_scenario_discount_single_knot_curve():
    curve = ZeroCurve(REF, [5.0], [0.04])
    sc = curve.parallel_shocks([0, 100])
    days = REF_DAY + np.array([0, 100, 5000])
    expected = np.exp(-np.array([[0.04], [0.05]]) * (days - REF_DAY) / 365.0)
    assert_allclose(sc.discount_days(days), expected, rtol=4e-16)


def test_random_shocks_are_reproducible_and_sized():
    curve = ZeroCurve(REF, TREASURY_TENORS, np.linspace(0.04, 0.05, 13))
    a = random_shocks(curve, 5, rng=42)
    b = random_shocks(curve, 5, rng=np.random.default_rng(42))
    assert_allclose(a.zero_rates, b.zero_rates, rtol=0, atol=0)
    assert not np.allclose(a.zero_rates, random_shocks(curve, 5, rng=43).zero_rates)
    assert a.names[0] == "random 0"
    big = random_shocks(curve, 20000, vol_bp=(7.0, 0.0, 0.0), rng=1)
    assert np.std(big.shifts_bp[:, 0]) == pytest.approx(7.0, rel=0.03)
    # level only: every knot moves by the same amount
    assert_allclose(np.ptp(big.shifts_bp, axis=1), 0.0, atol=1e-9)
    scalar = random_shocks(curve, 3, vol_bp=14.0, rng=1)
    assert scalar.zero_rates.shape == (3, 13)


def test_exp_kernel_against_numpy():
    from etfcore.bonds._curve_kernels import exp_inplace_nb

    rng = np.random.default_rng(5)
    x = np.concatenate(
        (rng.uniform(-60.0, 5.0, 100_000), [0.0, -0.3465735902799726, 0.3465735902799726, -708.0])
    )
    y = x.copy()
    exp_inplace_nb(y, np.empty(y.size, dtype=np.int64))
    assert_allclose(y, np.exp(x), rtol=4 * np.finfo(float).eps, atol=0)
    special = np.array([np.nan, -1000.0, 1000.0])
    exp_inplace_nb(special, np.empty(3, dtype=np.int64))
    assert np.isnan(special[0])
    assert special[1] == pytest.approx(math.exp(-708.0)) and special[2] == pytest.approx(
        math.exp(709.0)
    )


# =====================================================================================
# Nelson-Siegel-Svensson
# =====================================================================================

# GSW (feds200628) row dated 2026-03-06; see the module docstring for the source.
GSW_ROW = {
    "BETA0": 0.000118558051341,
    "BETA1": 3.65507972187386,
    "BETA2": -3.657398577533,
    "BETA3": 16.4827863321283,
    "TAU1": 5.33457685733225,
    "TAU2": 14.4318194852304,
}
# fmt: off
SVENY = [3.5756, 3.554, 3.5758, 3.6294, 3.7053, 3.7961, 3.8958, 4.0, 4.1049, 4.2079,
         4.3069, 4.4005, 4.4874, 4.5672, 4.6392, 4.7034, 4.7596, 4.8079, 4.8486, 4.882,
         4.9082, 4.9278, 4.941, 4.9482, 4.9499, 4.9464, 4.9382, 4.9256, 4.9089, 4.8885]
SVENF = [3.5277, 3.5586, 3.6942, 3.8939, 4.1275, 4.3729, 4.6143, 4.8405, 5.0442, 5.2209,
         5.3682, 5.4852, 5.5722, 5.6302, 5.6609, 5.6661, 5.648, 5.6089, 5.5511, 5.4766,
         5.3878, 5.2865, 5.1747, 5.0541, 4.9262, 4.7926, 4.6546, 4.5133, 4.3698, 4.225]
SVENPY = [3.608, 3.5862, 3.6074, 3.659, 3.7312, 3.8162, 3.9081, 4.0022, 4.0953, 4.1849,
          4.2693, 4.3475, 4.4188, 4.483, 4.54, 4.5901, 4.6334, 4.6705, 4.7017, 4.7275,
          4.7484, 4.7647, 4.777, 4.7856, 4.7909, 4.7933, 4.793, 4.7905, 4.7859, 4.7795]
# fmt: on


def gsw_curve() -> NSSCurve:
    return NSSCurve.from_gsw(GSW_ROW, "2026-03-06")


def test_nss_reproduces_gsw_published_zero_forward_and_par_yields():
    curve = gsw_curve()
    n = np.arange(1, 31, dtype=float)
    assert_allclose(curve.zero_rate(n) * 100, SVENY, rtol=0, atol=GSW_HALF_UNIT)
    assert_allclose(curve.instantaneous_forward(n) * 100, SVENF, rtol=0, atol=GSW_HALF_UNIT)
    assert_allclose(curve.par_yield(n, frequency=2) * 100, SVENPY, rtol=0, atol=GSW_HALF_UNIT)


def test_nss_zero_rate_hand_formula():
    # GSW (2006) eq. 22 written out independently
    b0, b1, b2, b3, t1, t2 = 0.03, -0.01, 0.02, -0.015, 1.7, 9.0
    curve = NSSCurve(REF, b0, b1, b2, b3, t1, t2)
    n = np.array([0.01, 0.5, 1.0, 3.0, 10.0, 30.0])
    a1 = -np.expm1(-n / t1) / (n / t1)
    a2 = -np.expm1(-n / t2) / (n / t2)
    expected = b0 + b1 * a1 + b2 * (a1 - np.exp(-n / t1)) + b3 * (a2 - np.exp(-n / t2))
    assert_allclose(curve.zero_rate(n), expected, rtol=1e-14)
    assert curve.zero_rate(0.0) == pytest.approx(b0 + b1, abs=1e-16)
    assert curve.params["tau2"] == t2


def test_nss_discount_matches_quantlib_svensson():
    # QuantLib's SvenssonFitting takes (beta0..beta3, 1/tau1, 1/tau2).
    curve = gsw_curve()
    p = curve.params
    ref = ql.Date(6, 3, 2026)
    qlc = ql.FittedBondDiscountCurve(
        ref,
        ql.SvenssonFitting(),
        ql.Array([p.beta0, p.beta1, p.beta2, p.beta3, 1 / p.tau1, 1 / p.tau2]),
        ref + ql.Period(41, ql.Years),
        ql.Actual365Fixed(),
    )
    days = np.arange(1, 40 * 365, 11)
    expected = np.array([qlc.discount(ref + int(d)) for d in days])
    got = curve.discount_days(curve.reference_date + days)
    assert_allclose(got, expected, rtol=TOL_QL_NSS, atol=0)


def test_from_gsw_nelson_siegel_rows_and_from_params():
    ns = NSSCurve.from_gsw({"BETA0": 7.0, "BETA1": -1.0, "BETA2": 0.5, "TAU1": 2.0}, REF)
    assert ns.beta3 == 0.0 and ns.tau2 == ns.tau1 == 2.0 and ns.beta0 == pytest.approx(0.07)
    again = NSSCurve.from_params(ns.params, REF)
    assert_allclose(again.params.to_numpy(), ns.params.to_numpy())
    assert NSSCurve.from_params(list(ns.params), REF).beta1 == pytest.approx(-0.01)
    assert "NSSCurve(2025-07-11" in repr(ns)


def synthetic_par_yields(tenors=TREASURY_TENORS) -> tuple[NSSCurve, np.ndarray]:
    true = NSSCurve(REF, 0.045, -0.005, -0.02, 0.03, 1.2, 8.0)
    return true, true.treasury_par_yields(tenors)


def test_fit_nss_recovers_a_curve_it_generated():
    true, par = synthetic_par_yields()
    fit = fit_nss(TREASURY_TENORS, par, REF)
    assert isinstance(fit, NSSFit)
    assert fit.rmse_bp < 1e-4 and fit.max_abs_error_bp < 1e-4
    grid = np.linspace(0.05, 30, 200)
    assert_allclose(fit.zero_rate(grid), true.zero_rate(grid), rtol=0, atol=1e-7)
    assert fit.converged and fit.dropped_tenors == ()
    assert list(fit.params.index) == ["beta0", "beta1", "beta2", "beta3", "tau1", "tau2"]
    assert fit.reference_date == REF_DAY


def test_fit_nss_is_deterministic_and_takes_initial():
    _, par = synthetic_par_yields()
    noisy = par + np.random.default_rng(0).normal(0, 2e-4, par.size)
    a = fit_nss(TREASURY_TENORS, noisy, REF)
    b = fit_nss(TREASURY_TENORS, noisy, REF)
    assert_allclose(a.params.to_numpy(), b.params.to_numpy(), rtol=0, atol=0)
    c = fit_nss(TREASURY_TENORS, noisy, REF, initial=a.params)
    assert c.n_starts == a.n_starts + 1
    assert c.rmse_bp <= a.rmse_bp + 1e-9


def test_fit_nss_drops_nan_tenors_and_records_them():
    _, par = synthetic_par_yields()
    par = par.copy()
    par[[1, 3]] = np.nan
    fit = fit_nss(TREASURY_TENORS, par, REF)
    assert fit.dropped_tenors == (TREASURY_TENORS[1], TREASURY_TENORS[3])
    assert fit.fitted.size == 11 and fit.observed.size == 13
    assert np.isnan(fit.to_frame()["fitted"].iloc[1])
    assert "dropped (NaN)" in str(fit.summary())


def test_fit_nss_errors_and_fitted_are_consistent():
    _, par = synthetic_par_yields()
    noisy = par + np.random.default_rng(1).normal(0, 3e-4, par.size)
    fit = fit_nss(TREASURY_TENORS, noisy, REF)
    assert_allclose(fit.errors_bp, (fit.fitted - fit.observed) * 1e4, atol=1e-9)
    assert_allclose(fit.fitted, fit.treasury_par_yields(TREASURY_TENORS), rtol=1e-13)
    assert fit.rmse_bp == pytest.approx(float(np.sqrt(np.mean(fit.errors_bp**2))))
    assert fit.max_abs_error_bp == pytest.approx(float(np.max(np.abs(fit.errors_bp))))
    days = REF_DAY + np.arange(0, 10000, 17)
    assert_allclose(fit.discount_days(days), fit.curve.discount_days(days))
    zc = fit.to_zero_curve()
    assert_allclose(zc.tenors, TREASURY_TENORS) and zc.interpolation == "linear_zero"
    assert_allclose(zc.zero_rates, fit.zero_rate(TREASURY_TENORS), rtol=1e-15)
    assert fit.to_zero_curve(np.arange(0.25, 30.01, 0.25)).tenors.size == 120
    assert fit.forward_rate(1.0, 2.0) == pytest.approx(fit.curve.forward_rate(1.0, 2.0))
    assert fit.par_yield(10.0) == pytest.approx(fit.curve.par_yield(10.0))
    assert fit.discount(5.0) == pytest.approx(math.exp(-5.0 * fit.zero_rate(5.0)))
    text = str(fit.summary())
    assert "rmse (bp)" in text and "beta3" in text
    assert "NSSFit(2025-07-11, 13 tenors" in repr(fit)
    assert fit.plot() is not None and fit.curve.plot() is not None


def test_nss_kernel_matches_numpy_and_finite_differences():
    from etfcore.bonds.curves import _NSSProblem, _TreasuryPlan

    tenors = np.array([1 / 12, 0.25, 0.75, 1.0, 2.0, 3.3, 10.0, 30.0])  # 3.3y has a stub
    params = np.array([0.045, -0.01, 0.02, -0.03, 1.4, 7.0])
    observed = np.full(tenors.size, 0.04)
    plan = _TreasuryPlan(tenors)
    problem = _NSSProblem(tenors, observed, plan)
    curve = NSSCurve(REF, *params)
    naive = plan.yields(curve.discount(plan.times))
    assert_allclose(problem.residuals(params), (naive - observed) * 1e4, rtol=1e-12)
    assert_allclose(naive, curve.treasury_par_yields(tenors), rtol=1e-14)
    jac = problem.jacobian(params)
    h = 1e-6
    for k in range(6):
        step = np.zeros(6)
        step[k] = h * max(1.0, abs(params[k]))
        fd = (problem.residuals(params + step) - problem.residuals(params - step)) / (2 * step[k])
        assert_allclose(jac[:, k], fd, rtol=1e-6, atol=1e-6)


# =====================================================================================
# Bootstrap
# =====================================================================================

UST_TENORS = TREASURY_TENORS
UST_PAR = (
    np.array([4.37, 4.47, 4.41, 4.42, 4.31, 4.09, 3.90, 3.86, 3.99, 4.19, 4.43, 4.96, 4.96]) / 100
)  # Treasury par curve of 2025-07-11 (the 1.5-month tenor left out)


@pytest.mark.parametrize("interpolation", ["linear_zero", "log_linear_discount"])
def test_bootstrap_reprices_every_par_bond(interpolation):
    curve = bootstrap_par_yields(UST_TENORS, UST_PAR, REF, interpolation)
    assert curve.interpolation == interpolation
    for tenor, c in zip(UST_TENORS, UST_PAR, strict=True):
        if tenor <= 1.0:
            expected = (
                1 / (1 + c * tenor) if tenor <= 0.5 else 1 / ((1 + c / 2) * (1 + (tenor - 0.5) * c))
            )
            assert curve.discount(tenor) == pytest.approx(expected, rel=TOL_REPRICE)
        else:
            times = tenor - 0.5 * np.arange(int(round(tenor * 2)))
            price = c / 2 * curve.discount(times).sum() + curve.discount(tenor)
            assert price == pytest.approx(1.0, abs=TOL_REPRICE)
    assert_allclose(curve.treasury_par_yields(UST_TENORS), UST_PAR, rtol=0, atol=TOL_REPRICE)


def test_bootstrap_knots_are_bills_and_the_half_year_grid():
    curve = bootstrap_par_yields(UST_TENORS, UST_PAR, REF)
    expected = np.union1d(UST_TENORS[UST_TENORS <= 1], 0.5 * np.arange(1, 61))
    assert_allclose(curve.tenors, expected, rtol=0, atol=1e-12)
    # interpolated par yields between 10y and 20y: the 15y par bond prices at the 15y
    # interpolated coupon
    c15 = np.interp(15.0, UST_TENORS, UST_PAR)
    assert curve.par_yield(15.0) == pytest.approx(c15, abs=1e-14)


def test_bootstrap_without_bills_and_bills_only():
    curve = bootstrap_par_yields([2.0, 5.0, 10.0], [0.04, 0.042, 0.045], REF)
    assert curve.par_yield(2.0) == pytest.approx(0.04, abs=1e-14)
    assert curve.par_yield(0.5) == pytest.approx(0.04, abs=1e-14)  # flat par before 2y
    bills = bootstrap_par_yields([0.25, 0.5], [0.05, 0.051], REF)
    assert_allclose(bills.tenors, [0.25, 0.5])


# =====================================================================================
# History
# =====================================================================================


def synthetic_history(n_days: int = 6) -> pd.DataFrame:
    rng = np.random.default_rng(9)
    dates = pd.bdate_range("2024-01-02", periods=n_days)
    rows = []
    for i in range(n_days):
        curve = NSSCurve(dates[i], 0.045 + 0.0005 * i, -0.005, -0.02, 0.03, 1.2, 8.0)
        rows.append(curve.treasury_par_yields(TREASURY_TENORS) + rng.normal(0, 1e-4, 13))
    return pd.DataFrame(rows, index=dates, columns=TREASURY_TENORS)


def test_fit_nss_history_fits_every_day_in_date_order():
    frame = synthetic_history()
    frame.iloc[2, 3] = np.nan
    hist = fit_nss_history(frame.iloc[::-1])  # descending input, like the Treasury file
    assert isinstance(hist, NSSHistory) and len(hist) == 6
    assert hist.params.index.is_monotonic_increasing
    assert list(hist.params.columns) == ["beta0", "beta1", "beta2", "beta3", "tau1", "tau2"]
    assert hist.rmse_bp.max() < 3.0
    assert hist.dropped_tenors.iloc[2] == (TREASURY_TENORS[3],)
    assert hist.n_tenors.iloc[2] == 12 and np.isnan(hist.errors_bp.iloc[2, 3])
    assert bool(hist.multistart.iloc[0])
    day = hist.params.index[3]
    single = fit_nss(TREASURY_TENORS, frame.loc[day].to_numpy(), day)
    assert hist.rmse_bp.loc[day] <= single.rmse_bp + 0.05
    curve = hist.curve(day)
    assert curve.reference_timestamp == day
    assert set(hist.to_frame().columns) >= {"rmse_bp", "max_abs_error_bp", "tau2"}
    assert "days fitted" in str(hist.summary())
    assert hist.plot() is not None and "NSSHistory(6 days" in repr(hist)
    calls = []
    fit_nss_history(frame, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (6, 6)


def test_fit_nss_history_bad_day_raise_or_skip():
    frame = synthetic_history()
    frame.iloc[1, :11] = np.nan  # two yields left
    with pytest.raises(InputError, match=r"row 1 \(2024-01-03\): only 2 par yields"):
        fit_nss_history(frame)
    with pytest.warns(DataWarning, match="skipped 1 day"):
        hist = fit_nss_history(frame, on_bad_day="skip")
    assert len(hist) == 5 and list(hist.skipped.index) == [pd.Timestamp("2024-01-03")]
    with pytest.raises(KeyError, match="no fit on 2024-01-03"):
        hist.curve("2024-01-03")


def test_fit_nss_history_input_errors():
    frame = synthetic_history(3)
    with pytest.raises(InputError, match="looks like a percentage"):
        fit_nss_history(frame * 100)
    with pytest.raises(InputError, match="columns must be tenors in years"):
        fit_nss_history(frame.rename(columns={1.0: "1 Yr"}))
    with pytest.raises(InputError, match="appears more than once"):
        fit_nss_history(pd.concat([frame, frame.iloc[[0]]]))
    with pytest.raises(InputError, match="on_bad_day"):
        fit_nss_history(frame, on_bad_day="ignore")
    with pytest.raises(InputError, match="expected a DataFrame"):
        fit_nss_history(frame.to_numpy())
    with pytest.raises(InputError, match="restart_every"):
        fit_nss_history(frame, restart_every=0)
    inf = frame.copy()
    inf.iloc[0, 0] = np.inf
    with pytest.raises(InputError, match="is infinite"):
        fit_nss_history(inf)


# =====================================================================================
# Bad input: every InputError a user can trigger
# =====================================================================================


@pytest.mark.parametrize(
    ("tenors", "rates", "match"),
    [
        ([1.0, 3.0, 2.0], [0.01, 0.02, 0.03], r"position 2 value 2 is below position 1 value 3"),
        ([1.0, 2.0, 2.0], [0.01, 0.02, 0.03], r"position 2 value 2 duplicates position 1"),
        ([-1.0, 2.0], [0.01, 0.02], r"position 0 value -1 must be >= 0"),
        ([1.0, np.nan], [0.01, 0.02], r"tenors: position 1 value nan is not a number"),
        ([1.0, 2.0], [0.01, np.nan], r"zero_rates: position 1 is NaN"),
        ([1.0, 2.0], [0.01], r"zero_rates: got 1 values for 2 tenors"),
        ([1.0, 2.0], [0.01, 4.5], r"position 1 value 4\.5 looks like a percentage"),
        ([], [], r"non-empty"),
        ([[1.0, 2.0]], [0.01, 0.02], r"1-D"),
        ("abc", [0.01], r"expected numbers"),
        ([1.0], ["x"], r"expected decimal rates"),
        ([1.0, 2.0], [0.01, np.inf], r"position 1 value inf is not finite"),
    ],
)
def test_zero_curve_rejects_bad_knots(tenors, rates, match):
    with pytest.raises(InputError, match=match):
        ZeroCurve(REF, tenors, rates)


def test_zero_curve_lists_every_problem_at_once():
    with pytest.raises(InputError, match="3 problems found") as info:
        ZeroCurve(REF, [2.0, 1.0, -3.0], [0.01, 0.02, 0.03])
    assert len(info.value.problems) == 3


def test_zero_curve_other_input_errors():
    with pytest.raises(InputError, match=r"interpolation: unknown value 'cubic'"):
        ZeroCurve(REF, [1.0], [0.01], "cubic")
    with pytest.raises(InputError, match="reference_date"):
        ZeroCurve("not a date", [1.0], [0.01])
    curve = make_curve()
    with pytest.raises(InputError, match=r"days: row 0 1\.5 is not a date"):
        curve.discount_days(np.array([1.5, 2.5]))
    # anything but an int64 array goes through the one date parser
    want = curve.discount_days(np.array([to_day("2026-07-11")]))
    assert curve.discount_days(["2026-07-11"]).tolist() == want.tolist()
    assert curve.discount_days(np.array([20260711], dtype=np.int32)).tolist() == want.tolist()
    with pytest.raises(InputError, match=r"t2: position 1 value 1 is not after t1 = 2;"):
        curve.forward_rate([1.0, 2.0], [2.0, 1.0])
    with pytest.raises(InputError, match="frequency: got 3"):
        curve.par_yield(5.0, frequency=3)
    with pytest.raises(InputError, match=r"maturities_years: position 0 value 0 must be"):
        curve.par_yield([0.0, 1.0])
    with pytest.raises(InputError, match=r"tenors: position 0 value -1 must be a positive"):
        curve.treasury_par_yields([-1.0])
    with pytest.raises(InputError, match="t: expected numbers"):
        curve.zero_rate("soon")
    with pytest.raises(InputError, match="bp: got nan"):
        curve.shift(float("nan"))


def test_scenario_input_errors():
    curve = make_curve()
    k = NODE_DAYS.size
    with pytest.raises(InputError, match=rf"expected shape \(n_scenarios, {k}\)"):
        curve.scenarios(np.zeros((2, k + 1)))
    with pytest.raises(InputError, match=r"scenario 1, knot 2 \(0\.49863y\) value nan"):
        bad = np.zeros((2, k))
        bad[1, 2] = np.nan
        curve.scenarios(bad)
    with pytest.raises(InputError, match="names: got 1 names for 2 scenarios"):
        curve.scenarios(np.zeros((2, k)), names=["only one"])
    with pytest.raises(InputError, match="a twist needs at least two"):
        ZeroCurve(REF, [1.0], [0.02]).twist_shocks(10)
    with pytest.raises(InputError, match="short_wing < belly < long_wing"):
        curve.butterfly_shocks(10, short_wing=10, belly=5)
    with pytest.raises(InputError, match=r"bps: position 1 value nan"):
        curve.parallel_shocks([1.0, np.nan])
    with pytest.raises(InputError, match="bp: expected one number"):
        curve.key_rate_shocks([1.0, 2.0])
    with pytest.raises(InputError, match="base: expected a ZeroCurve"):
        CurveScenarios("curve", np.zeros((1, k)))
    with pytest.raises(InputError, match=r"zero_rates: scenario 0, knot 0 value inf"):
        CurveScenarios(curve, np.full((1, k), np.inf))
    sc = curve.parallel_shocks([1.0, 2.0])
    with pytest.raises(InputError, match=r"out: expected a C-contiguous float64 array of shape"):
        sc.discount_days(REF_DAY + np.arange(5), out=np.empty((2, 4)))


def test_random_shocks_input_errors():
    curve = make_curve()
    with pytest.raises(InputError, match="n: got 0"):
        random_shocks(curve, 0, rng=1)
    with pytest.raises(InputError, match="vol_bp"):
        random_shocks(curve, 5, vol_bp=(1.0, 2.0), rng=1)
    # the package's one RNG check (etfcore._validation.check_random_state)
    with pytest.raises(InputError, match=r"rng: expected a numpy\.random\.Generator"):
        random_shocks(curve, 5, rng=np.random.RandomState(1))
    with pytest.raises(InputError, match=r"rng: expected a numpy\.random\.Generator"):
        random_shocks(curve, 5, rng="seed")
    with pytest.raises(InputError, match=r"rng: seed -1 must be >= 0"):
        random_shocks(curve, 5, rng=-1)
    with pytest.raises(InputError, match="factor_corr: expected a symmetric"):
        random_shocks(curve, 5, rng=1, factor_corr=np.ones((2, 2)))
    with pytest.raises(InputError, match="not positive definite"):
        random_shocks(curve, 5, rng=1, factor_corr=[[1, 2, 0], [2, 1, 0], [0, 0, 1]])
    with pytest.raises(InputError, match="curve: expected a ZeroCurve"):
        random_shocks(gsw_curve(), 5, rng=1)
    with pytest.raises(InputError, match="decay"):
        random_shocks(curve, 5, rng=1, decay=-1.0)


def test_nss_input_errors():
    _, par = synthetic_par_yields()
    with pytest.raises(InputError, match="only 3 usable values"):
        fit_nss([1.0, 2.0, 5.0, 10.0], [0.04, 0.041, np.nan, 0.043], REF)
    with pytest.raises(
        InputError, match=r"par_yields: position 0 value 4\.37 looks like a percentage"
    ):
        fit_nss(UST_TENORS, UST_PAR * 100, REF)
    with pytest.raises(InputError, match="par_yields: got 12 values for 13 tenors"):
        fit_nss(TREASURY_TENORS, par[:12], REF)
    with pytest.raises(InputError, match=r"position 0 value 0 must be > 0"):
        fit_nss(np.r_[0.0, TREASURY_TENORS[1:]], par, REF)
    with pytest.raises(InputError, match="tau_bounds"):
        fit_nss(TREASURY_TENORS, par, REF, tau_bounds=(5.0, 1.0))
    with pytest.raises(InputError, match="params: expected 6 numbers"):
        fit_nss(TREASURY_TENORS, par, REF, initial=[1.0, 2.0])
    with pytest.raises(InputError, match="tau1: got 0; a decay time must be > 0"):
        NSSCurve(REF, 0.04, 0.0, 0.0, 0.0, 0.0, 1.0)
    with pytest.raises(InputError, match="beta0: got nan"):
        NSSCurve(REF, float("nan"), 0.0, 0.0, 0.0, 1.0, 1.0)
    with pytest.raises(InputError, match=r"params: missing \['tau2'\]"):
        NSSCurve.from_params({"beta0": 0, "beta1": 0, "beta2": 0, "beta3": 0, "tau1": 1}, REF)


def test_bootstrap_input_errors():
    with pytest.raises(InputError, match=r"position 1 is NaN"):
        bootstrap_par_yields([1.0, 2.0], [0.04, np.nan], REF)
    with pytest.raises(InputError, match=r"position 1 value 2\.25 is a coupon tenor"):
        bootstrap_par_yields([1.0, 2.25], [0.04, 0.041], REF)
    with pytest.raises(InputError, match="interpolation: unknown value"):
        bootstrap_par_yields([1.0, 2.0], [0.04, 0.041], REF, "spline")
    with pytest.raises(InputError, match="non-positive discount factor"):
        bootstrap_par_yields([1.0, 2.0, 3.0], [0.04, 0.9, -0.9], REF)


def test_convergence_error_is_raised_when_nothing_fits(monkeypatch):
    import etfcore.bonds.curves.fit as curves_fit

    monkeypatch.setattr(curves_fit, "_solve_nss", lambda problem, starts, bounds: (None, 3))
    _, par = synthetic_par_yields()
    with pytest.raises(ConvergenceError, match="no starting point gave a finite fit"):
        fit_nss(TREASURY_TENORS, par, REF)
    with pytest.raises(ConvergenceError, match="2024-01-02: no starting point"):
        fit_nss_history(synthetic_history(2))


# =====================================================================================
# Real data
# =====================================================================================

TREASURY_LABELS = {
    "1 Mo": 1 / 12,
    "1.5 Mo": 1.5 / 12,
    "2 Mo": 2 / 12,
    "3 Mo": 3 / 12,
    "4 Mo": 4 / 12,
    "6 Mo": 6 / 12,
    "1 Yr": 1.0,
    "2 Yr": 2.0,
    "3 Yr": 3.0,
    "5 Yr": 5.0,
    "7 Yr": 7.0,
    "10 Yr": 10.0,
    "20 Yr": 20.0,
    "30 Yr": 30.0,
}


@pytest.fixture(scope="module")
def ust_par_2021_2025(real_data) -> pd.DataFrame:
    raw = pd.read_csv(real_data / "ust_par_yield_curve_2021-2025-07.csv")
    dates = pd.to_datetime(raw.pop("Date"), format="%Y-%m-%d")
    assert dates.is_monotonic_decreasing  # the file runs backwards in time
    frame = raw.rename(columns=TREASURY_LABELS).set_index(dates) / 100.0  # percent -> decimal
    return frame.sort_index()


@pytest.mark.real_data
@pytest.mark.parametrize(
    "day", ["2021-01-04", "2021-06-01", "2024-01-02", "2025-02-18", "2025-07-11"]
)
def test_nss_fits_real_treasury_par_curves(ust_par_2021_2025, day):
    row = ust_par_2021_2025.loc[day]
    fit = fit_nss(row.index.to_numpy(dtype=float), row.to_numpy(), day)
    assert fit.rmse_bp < 5.0
    assert fit.max_abs_error_bp < 10.0
    assert set(fit.dropped_tenors) == set(row.index[row.isna()].astype(float))


@pytest.mark.real_data
def test_bootstrap_and_history_on_real_data(ust_par_2021_2025):
    row = ust_par_2021_2025.loc["2025-07-11"].dropna()
    curve = bootstrap_par_yields(row.index.to_numpy(dtype=float), row.to_numpy(), "2025-07-11")
    got = curve.treasury_par_yields(row.index.to_numpy(dtype=float))
    assert_allclose(got, row.to_numpy(), rtol=0, atol=TOL_REPRICE)
    hist = fit_nss_history(ust_par_2021_2025.iloc[-40:])
    assert len(hist) == 40 and hist.rmse_bp.median() < 5.0


@pytest.mark.real_data
@pytest.mark.slow
def test_nss_fit_error_over_every_day_of_the_2021_2025_file(real_data):
    """The NSS shape fits the Treasury's published par curves to a few bp, every day.

    Reference: US Treasury daily par yield curve rates, 2021-01-04 .. 2025-07-11
    (``ust_par_yield_curve_2021-2025-07.csv``). Measured when this test was written:
    median daily rmse 3.55 bp, mean 4.1 bp, 90th percentile 7.5 bp; the worst days are
    April-May 2023 (debt ceiling: 1- and 2-month bills apart by up to 51 bp).
    """
    import etfcore
    from etfcore.io import read_treasury_par_yields

    par = read_treasury_par_yields(real_data / "ust_par_yield_curve_2021-2025-07.csv")
    history = etfcore.fit_nss_history(par)
    rmse = history.rmse_bp.dropna()
    assert len(rmse) == len(par)
    MEDIAN_RMSE_BP = 4.0
    P90_RMSE_BP = 8.5
    assert rmse.median() < MEDIAN_RMSE_BP
    assert rmse.quantile(0.9) < P90_RMSE_BP
    worst = rmse.idxmax()
    assert pd.Timestamp("2023-03-01") <= worst <= pd.Timestamp("2023-06-30"), worst


def test_frozen_results_hand_out_copies():
    """Issue 6: a frozen result's tables cannot be changed through what it hands out."""
    _, par = synthetic_par_yields()
    fit = fit_nss(TREASURY_TENORS, par, REF)
    observed = fit.observed
    observed.iloc[0] = 99.0
    assert fit.observed.iloc[0] != 99.0
    frame = fit.to_frame()
    frame.iloc[0, 0] = 99.0
    assert fit.to_frame().iloc[0, 0] != 99.0
    with pytest.raises(AttributeError):
        fit.observed = observed  # type: ignore[misc]
    hist = fit_nss_history(synthetic_history(2))
    params = hist.params
    params.iloc[0, 0] = 99.0
    assert hist.params.iloc[0, 0] != 99.0
    scen = make_curve().parallel_shocks([0.0, 10.0])
    with pytest.raises(ValueError):
        scen.zero_rates[0, 0] = 1.0
