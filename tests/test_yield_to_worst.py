"""Yield to worst over call schedules.

Reference: QuantLib 1.44. A call on a coupon date is the same bond with its schedule
ending on the call date and redemption at the call price; its yield is QuantLib's
``BondFunctions.bondYield`` of that ``FixedRateBond``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import etfcore
from etfcore import BondSet

ql = pytest.importorskip("QuantLib")

YIELD_TOL = 1e-10  # 1e-6 bp
SETTLE = "2026-04-07"


def _ql_yield(maturity, redemption, coupon, clean, settle, issue="2021-10-15"):
    def d(s):
        t = pd.Timestamp(s)
        return ql.Date(t.day, t.month, t.year)

    ql.Settings.instance().evaluationDate = d(settle)
    sched = ql.Schedule(
        d(issue),
        d(maturity),
        ql.Period(6, ql.Months),
        ql.NullCalendar(),
        ql.Unadjusted,
        ql.Unadjusted,
        ql.DateGeneration.Backward,
        True,
    )
    dc = ql.Thirty360(ql.Thirty360.USA)
    bond = ql.FixedRateBond(0, 100.0, sched, [coupon], dc, ql.Unadjusted, redemption)
    return ql.BondFunctions.bondYield(
        bond,
        ql.BondPrice(clean, ql.BondPrice.Clean),
        dc,
        ql.Compounded,
        ql.Semiannual,
        d(settle),
        1e-15,
        500,
        0.05,
    )


@pytest.fixture(scope="module")
def callable_bonds():
    frame = pd.DataFrame(
        {
            "id": ["HY1", "HY2", "IG1"],
            "coupon_rate": [0.0725, 0.05, 0.045],
            "maturity_date": ["2031-10-15", "2031-10-15", "2031-10-15"],
            "issue_date": ["2021-10-15"] * 3,
        }
    )
    calls = pd.DataFrame(
        {
            "id": ["HY1", "HY1", "HY1", "HY2"],
            "call_date": ["2027-10-15", "2028-10-15", "2029-10-15", "2028-10-15"],
            "call_price": [103.625, 101.8125, 100.0, 100.0],
        }
    )
    return BondSet.from_frame(frame, calls=calls)


def test_yield_to_call_matches_quantlib_short_bond(callable_bonds):
    prices = pd.Series({"HY1": 104.5, "HY2": 97.0, "IG1": 99.0})
    res = etfcore.yield_to_worst(callable_bonds, prices, SETTLE, yield_convention="compounded")
    # HY1 trades above its call prices: the worst is a call, computed by QuantLib as a bond
    # maturing on that call date and redeemed at the call price
    cands = {
        "2027-10-15": _ql_yield("2027-10-15", 103.625, 0.0725, 104.5, SETTLE),
        "2028-10-15": _ql_yield("2028-10-15", 101.8125, 0.0725, 104.5, SETTLE),
        "2029-10-15": _ql_yield("2029-10-15", 100.0, 0.0725, 104.5, SETTLE),
        "2031-10-15": _ql_yield("2031-10-15", 100.0, 0.0725, 104.5, SETTLE),
    }
    worst_date = min(cands, key=cands.get)
    np.testing.assert_allclose(
        res.loc["HY1", "yield_to_worst"], cands[worst_date], atol=YIELD_TOL, rtol=0
    )
    assert res.loc["HY1", "workout_date"] == pd.Timestamp(worst_date)
    np.testing.assert_allclose(
        res.loc["HY1", "yield_to_maturity"], cands["2031-10-15"], atol=YIELD_TOL, rtol=0
    )
    # HY2 trades below par: calling it only helps the holder, so YTW = YTM at maturity
    assert res.loc["HY2", "yield_to_worst"] == res.loc["HY2", "yield_to_maturity"]
    assert res.loc["HY2", "workout_date"] == pd.Timestamp("2031-10-15")
    # IG1 has no calls
    assert res.loc["IG1", "yield_to_worst"] == res.loc["IG1", "yield_to_maturity"]


def test_call_between_coupon_dates_pays_accrued():
    """A call off the coupon roll: the call price plus accrued coupon on the call date.

    Reference: the hand-written cash flows below (30/360 US), discounted at the solved
    yield, give back the dirty price.
    """
    frame = pd.DataFrame(
        {
            "id": ["X"],
            "coupon_rate": [0.06],
            "maturity_date": ["2030-06-15"],
            "issue_date": ["2020-06-15"],
        }
    )
    calls = pd.DataFrame({"id": ["X"], "call_date": ["2027-09-15"], "call_price": [100.0]})
    b = BondSet.from_frame(frame, calls=calls)
    settle = "2026-06-15"
    res = etfcore.yield_to_worst(b, [106.0], settle, yield_convention="compounded")
    assert res.loc["X", "workout_date"] == pd.Timestamp("2027-09-15")
    y = res.loc["X", "yield_to_worst"]
    # flows: 3.0 on 2026-12-15, 3.0 on 2027-06-15, then 100 + 6% x 90/360 x 100 on 2027-09-15
    times = np.array([0.5, 1.0, 1.25])
    flows = np.array([3.0, 3.0, 100.0 + 6.0 * 90 / 360])
    dirty = float(np.sum(flows * (1 + y / 2) ** (-2 * times)))
    np.testing.assert_allclose(dirty, 106.0, atol=1e-10, rtol=0)


# ------------------------------------------------ workouts: notice period and unsolvable calls
NEAR_SETTLE = "2026-06-15"  # a coupon date of the bonds below: no accrued interest


def _near_call_bonds(call_dates: list[str]) -> BondSet:
    """Three bonds; N (row 1, 6% to 2034) has calls at 100 on ``call_dates``."""
    frame = pd.DataFrame(
        {
            "id": ["P", "N", "Q"],
            "coupon_rate": [0.05, 0.06, 0.04],
            "maturity_date": ["2031-06-15", "2034-06-15", "2030-06-15"],
            "issue_date": ["2021-06-15"] * 3,
        }
    )
    calls = pd.DataFrame(
        {"id": ["N"] * len(call_dates), "call_date": call_dates, "call_price": 100.0}
    )
    return BondSet.from_frame(frame, calls=calls)


def test_call_three_days_after_settlement_is_inside_the_notice_period():
    # the case that raised "no yield between -50% and 1,000%": 104 for a call at 100 in 3 days
    bonds = _near_call_bonds(["2026-06-18"])
    res = etfcore.yield_to_worst(bonds, [101.0, 104.0, 99.0], NEAR_SETTLE)
    ytm = etfcore.yield_from_price(bonds, [101.0, 104.0, 99.0], NEAR_SETTLE)
    pd.testing.assert_series_equal(res["yield_to_worst"], ytm, check_names=False)
    assert res.loc["N", "workout_date"] == pd.Timestamp("2034-06-15")
    assert (res["unsolved_workouts"] == 0).all()


def test_unsolvable_call_is_skipped_and_reported_not_fatal():
    # with no notice period the 3-day call is a workout, and no yield solves its price
    bonds = _near_call_bonds(["2026-06-18", "2029-06-15"])
    prices = [101.0, 104.0, 99.0]
    with pytest.warns(
        etfcore.bonds.pricing.ConvergenceWarning,
        match=r"1 call workout\(s\) of 1 bond\(s\).*\n  - row 1 \(id N\), call 2026-06-18 at "
        r"100, dirty price 104.000000: no yield between -50% and 1,000%",
    ):
        res = etfcore.yield_to_worst(bonds, prices, NEAR_SETTLE, call_notice_days=0)
    assert res["unsolved_workouts"].tolist() == [0, 1, 0]
    # the worst over the other workouts: the 2029 call, the same as with the notice period
    expected = etfcore.yield_to_worst(bonds, prices, NEAR_SETTLE)
    pd.testing.assert_frame_equal(
        res.drop(columns="unsolved_workouts"), expected.drop(columns="unsolved_workouts")
    )
    assert res.loc["N", "workout_date"] == pd.Timestamp("2029-06-15")
    # and on_error="raise" does not make it fatal: the maturity workout always exists
    with pytest.warns(etfcore.bonds.pricing.ConvergenceWarning):
        etfcore.yield_to_worst(bonds, prices, NEAR_SETTLE, on_error="raise", call_notice_days=0)


def test_call_inside_the_notice_period_is_not_a_workout():
    # 100.05 for a call at 100 in 20 days: solvable (about 4%), and the worst when it counts
    bonds = _near_call_bonds(["2026-07-05"])
    prices = [101.0, 100.05, 99.0]
    default = etfcore.yield_to_worst(bonds, prices, NEAR_SETTLE)
    assert default.loc["N", "workout_date"] == pd.Timestamp("2034-06-15")
    assert default.loc["N", "yield_to_worst"] == default.loc["N", "yield_to_maturity"]
    for notice in (0, 20):  # the bound is inclusive: a call on settlement + notice counts
        res = etfcore.yield_to_worst(bonds, prices, NEAR_SETTLE, call_notice_days=notice)
        assert res.loc["N", "workout_date"] == pd.Timestamp("2026-07-05")
        # Reference: street convention, one flow left, the SIFMA money-market yield
        # y = (a_1 / dirty - 1) / t_1 with a_1 = 100 + 6 x 20/360 (call price plus accrued
        # coupon, 30/360 US) and t_1 = 20/360
        a1, t1 = 100.0 + 6.0 * 20 / 360, 20 / 360
        np.testing.assert_allclose(
            res.loc["N", "yield_to_worst"], (a1 / 100.05 - 1) / t1, atol=YIELD_TOL, rtol=0
        )
    assert etfcore.yield_to_worst(bonds, prices, NEAR_SETTLE, call_notice_days=21).loc[
        "N", "workout_date"
    ] == pd.Timestamp("2034-06-15")


def test_notice_period_leaves_the_quantlib_cases_unchanged(callable_bonds):
    prices = pd.Series({"HY1": 104.5, "HY2": 97.0, "IG1": 99.0})
    kw = {"yield_convention": "compounded"}
    default = etfcore.yield_to_worst(callable_bonds, prices, SETTLE, **kw)
    for notice in (0, 180):  # every call is more than 180 days after settlement
        pd.testing.assert_frame_equal(
            etfcore.yield_to_worst(callable_bonds, prices, SETTLE, call_notice_days=notice, **kw),
            default,
        )
    assert (default["unsolved_workouts"] == 0).all()


def test_yield_to_maturity_failure_still_follows_on_error():
    bonds = _near_call_bonds(["2029-06-15"])
    prices = [101.0, 1e6, 99.0]  # no yield gives 1e6 to maturity (nor to the call)
    with pytest.raises(etfcore.InputError, match=r"row 1 \(id N\), dirty price"):
        etfcore.yield_to_worst(bonds, prices, NEAR_SETTLE)
    with pytest.warns(etfcore.bonds.pricing.ConvergenceWarning):
        res = etfcore.yield_to_worst(bonds, prices, NEAR_SETTLE, on_error="warn")
    assert np.isnan(res.loc["N", "yield_to_worst"]) and np.isnan(res.loc["N", "yield_to_maturity"])
    assert np.isfinite(res.loc[["P", "Q"], "yield_to_worst"]).all()


@pytest.mark.parametrize(
    ("notice", "match"),
    [
        (-1, r"call_notice_days: -1 must be >= 0"),
        (2.5, r"call_notice_days: 2.5 is not a whole number"),
        ("thirty", r"call_notice_days: 'thirty' is not a number"),
    ],
)
def test_bad_call_notice_days(callable_bonds, notice, match):
    with pytest.raises(etfcore.InputError, match=match):
        etfcore.yield_to_worst(callable_bonds, 100.0, SETTLE, call_notice_days=notice)


def test_worst_is_the_minimum_over_workouts_brute_force():
    """Twin of the vectorised minimum: every workout priced as its own bullet bond.

    Calls on coupon dates: a call is the bond maturing on that date at the call price
    (``yield_from_price`` of that bullet); the yield to worst is the lowest of those and
    the yield to maturity (maturity, then the earliest call, on a tie).
    """
    rng = np.random.default_rng(7)
    n = 40
    years = rng.integers(3, 12, n)
    maturity = [pd.Timestamp(f"{2026 + y}-06-15") for y in years]
    frame = pd.DataFrame(
        {
            "id": [f"B{i}" for i in range(n)],
            "coupon_rate": rng.uniform(0.03, 0.08, n).round(4),
            "maturity_date": maturity,
            "issue_date": "2021-06-15",
        }
    )
    rows = []
    for i in range(n):
        for k in sorted(
            rng.choice(np.arange(1, years[i]), size=min(3, years[i] - 1), replace=False)
        ):
            rows.append((f"B{i}", pd.Timestamp(f"{2026 + k}-06-15"), 100.0 + rng.integers(0, 4)))
    calls = pd.DataFrame(rows, columns=["id", "call_date", "call_price"])
    bonds = BondSet.from_frame(frame, calls=calls)
    prices = rng.uniform(96.0, 108.0, n)
    res = etfcore.yield_to_worst(bonds, prices, NEAR_SETTLE, call_notice_days=0)
    for i, bond_id in enumerate(bonds.ids):
        mine = calls[calls["id"] == bond_id]
        bullets = frame.iloc[[i] * (len(mine) + 1)].copy()
        bullets["id"] = [f"{bond_id}@{j}" for j in range(len(bullets))]
        bullets["maturity_date"] = [maturity[i], *mine["call_date"]]
        bullets["redemption"] = [100.0, *mine["call_price"]]
        y = etfcore.yield_from_price(BondSet.from_frame(bullets), prices[i], NEAR_SETTLE)
        j = int(np.argmin(y.to_numpy()))
        np.testing.assert_allclose(res.loc[bond_id, "yield_to_worst"], y.iloc[j], atol=YIELD_TOL)
        assert res.loc[bond_id, "workout_date"] == bullets["maturity_date"].iloc[j]
        assert res.loc[bond_id, "workout_price"] == bullets["redemption"].iloc[j]
