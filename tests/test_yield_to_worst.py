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
