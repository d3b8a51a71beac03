"""Invariants of bond pricing, checked with hypothesis on random bonds, yields and dates.

No reference values here: each test states a property that any correct pricer has
(``yield(price(y)) == y``, price falls as yield rises, accrued resets on coupon dates...).
Examples are kept modest; ``deadline=None`` because the first call compiles numba kernels.
"""

from __future__ import annotations

import datetime as dt

import naive
import numpy as np
import pandas as pd
from bond_generator import SETTLEMENT_DATES, generate_curve
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import etfcore
from etfcore.bonds.pricing import YIELD_CONVENTIONS

ROUNDTRIP_YIELD_TOL = 1e-10
IDENTITY_TOL = 1e-12  # clean = dirty - accrued, per 100 face

PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def bond_rows(draw, settlement: dt.date, bullet_coupon: bool = False) -> dict:
    """One bond settling on ``settlement``: any day count, frequency, coupon, maturity."""
    frequency = draw(st.sampled_from((1, 2, 4, 12, 0)))
    coupon = 0.0 if frequency == 0 else draw(st.floats(0.0, 0.12))
    if bullet_coupon and frequency:
        coupon = draw(st.floats(0.0005, 0.12))
    maturity = settlement + dt.timedelta(days=draw(st.integers(31, 40 * 365)))
    if draw(st.booleans()):
        maturity = naive.end_of_month(maturity)
    row = {
        "coupon_rate": coupon,
        "maturity_date": maturity,
        "frequency": frequency,
        "day_count": draw(st.sampled_from(naive.DAY_COUNTS)),
        "end_of_month": draw(st.booleans()),
        "issue_date": None,
    }
    issue_kind = draw(st.sampled_from(("none", "recent", "forward")))
    if issue_kind == "recent":
        row["issue_date"] = settlement - dt.timedelta(days=draw(st.integers(0, 500)))
    elif issue_kind == "forward":
        row["issue_date"] = settlement + dt.timedelta(days=draw(st.integers(1, 20)))
    return row


def bond_set(rows: list[dict]) -> etfcore.BondSet:
    frame = pd.DataFrame([{"id": f"B{i:06d}"} | r for i, r in enumerate(rows, start=1)])
    for col in ("maturity_date", "issue_date"):
        frame[col] = pd.to_datetime(frame[col])
    return etfcore.BondSet.from_frame(frame)


@st.composite
def bonds_and_settlement(draw, min_size=1, max_size=8, bullet_coupon=False):
    settlement = draw(st.sampled_from(SETTLEMENT_DATES))
    rows = draw(
        st.lists(bond_rows(settlement, bullet_coupon), min_size=min_size, max_size=max_size)
    )
    return rows, settlement


@PROPERTY_SETTINGS
@given(
    data=bonds_and_settlement(),
    yields=st.lists(st.floats(-0.01, 0.30), min_size=8, max_size=8),
    convention=st.sampled_from(("unadjusted", "following")),
    yield_convention=st.sampled_from(YIELD_CONVENTIONS),
)
def test_yield_of_price_of_yield_is_the_yield(data, yields, convention, yield_convention):
    rows, settlement = data
    bonds = bond_set(rows)
    y = np.asarray(yields[: len(rows)])
    yc = {"yield_convention": yield_convention}
    prices = etfcore.price_from_yield(bonds, y, settlement, convention, **yc)
    assert (prices["clean_price"] > 0).all()
    back = etfcore.yield_from_price(bonds, prices["clean_price"], settlement, convention, **yc)
    np.testing.assert_allclose(
        back.to_numpy(),
        y,
        atol=ROUNDTRIP_YIELD_TOL,
        rtol=0,
        err_msg=f"settlement {settlement}, {convention}, {yield_convention}, bonds:\n"
        f"{pd.DataFrame(rows)}",
    )


@PROPERTY_SETTINGS
@given(
    data=bonds_and_settlement(),
    y=st.floats(-0.01, 0.30),
    bump=st.floats(1e-6, 0.05),
    yield_convention=st.sampled_from(YIELD_CONVENTIONS),
)
def test_price_strictly_falls_as_yield_rises(data, y, bump, yield_convention):
    rows, settlement = data
    bonds = bond_set(rows)
    yc = {"yield_convention": yield_convention}
    low = etfcore.price_from_yield(bonds, y, settlement, **yc)["dirty_price"]
    high = etfcore.price_from_yield(bonds, y + bump, settlement, **yc)["dirty_price"]
    assert (high < low).all(), pd.DataFrame({"low": low, "high": high})


@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    data=bonds_and_settlement(max_size=1, bullet_coupon=True),
    period=st.integers(0, 3),
    frequency=st.sampled_from((1, 2, 4, 12)),
)
def test_accrued_resets_on_coupon_dates_and_grows_within_a_period(data, period, frequency):
    """Accrued at a period's start and end is 0; within the period it grows.

    Settlement walks over one coupon period: its first two days, its quartiles and its last
    day (each date a separate etfcore call, so the walk samples rather than visits every day).
    """
    rows, settlement = data
    row = rows[0] | {"issue_date": None}
    if row["frequency"] == 0:
        row |= {"frequency": frequency, "coupon_rate": 0.05}
    bonds = bond_set([row])
    flows = naive.schedule(row, settlement)
    assume(len(flows) >= 2)  # the walk ends on a coupon date before maturity
    k = min(period, len(flows) - 2)
    start, end = flows[k].accrual_start, flows[k].accrual_end
    n = (end - start).days
    offsets = sorted({0, 1, n // 4, n // 2, (3 * n) // 4, n - 1, n})
    days = [start + dt.timedelta(days=i) for i in offsets]
    accrued = np.array([etfcore.accrued_interest(bonds, d).iloc[0] for d in days])
    assert accrued[0] == 0.0, (row, days[0])
    assert accrued[-1] == 0.0, (row, days[-1])
    inside = accrued[:-1]
    assert (np.diff(inside) >= 0).all(), (row, days, accrued)
    assert inside[-1] > 0.0, (row, days, accrued)
    if row["day_count"] in ("ACT/ACT ICMA", "ACT/360", "ACT/365F"):
        assert (np.diff(inside) > 0).all(), (row, days, accrued)


@PROPERTY_SETTINGS
@given(
    data=bonds_and_settlement(bullet_coupon=True),
    seed=st.integers(0, 2**32 - 1),
    spread=st.floats(-0.005, 0.03),
)
def test_clean_is_dirty_minus_accrued_and_risk_is_positive(data, seed, spread):
    rows, settlement = data
    bonds = bond_set(rows)
    curve = generate_curve(settlement, np.random.default_rng(seed)).to_etfcore()
    out = etfcore.price_bonds(bonds, curve, settlement, spread)
    np.testing.assert_allclose(
        out["clean_price"],
        out["dirty_price"] - out["accrued_interest"],
        atol=IDENTITY_TOL,
        rtol=0,
    )
    accrued = etfcore.accrued_interest(bonds, settlement)
    np.testing.assert_allclose(out["accrued_interest"], accrued, atol=IDENTITY_TOL, rtol=0)
    assert (out["dv01"] > 0).all(), out
    assert (out["convexity"] > 0).all(), out
    assert (out["modified_duration"] > 0).all() and (out["spread_duration"] > 0).all(), out
    at_yield = etfcore.price_from_yield(bonds, out["yield_to_maturity"], settlement)
    np.testing.assert_allclose(
        at_yield["clean_price"],
        at_yield["dirty_price"] - at_yield["accrued_interest"],
        atol=IDENTITY_TOL,
        rtol=0,
    )
