"""Yield conventions: street (money-market final period), compounded, treasury_auction.

Reference values and their sources:

* 31 CFR Part 356, Appendix B, section II (Formulas for conversion of non-indexed
  security yields to equivalent prices), examples A to G: the regulation's own worked
  examples (https://www.ecfr.gov/current/title-31/subtitle-B/chapter-II/subchapter-A/
  part-356/appendix-Appendix%20B%20to%20Part%20356), as transcribed with their dates in
  rateslib's test suite (``test_fixed_rate_bond_price_ust``, attack68/rateslib,
  python/tests/instruments/test_instruments_bonds_legacy.py). Prices are to 6 decimals.
* The money-market (simple) yield with one coupon period or less to redemption: the
  SIA standard formula (Spence, Graudenz and Lynch, *Standard Securities Calculation
  Methods*, as reprinted in the TI BA II Plus guidebook's bond appendix and the HP 12C
  manual's "Formulas used"):
  ``Y = ((RV + R/M) - (PRI + A/E x R/M)) / (PRI + A/E x R/M) x (M E / DSR)``, evaluated
  here by hand from its inputs; and QuantLib's ``SimpleThenCompounded`` yield of the same
  bond, computed in the test.
* Street convention with more than one coupon left is plain compounding: rateslib's
  ``test_ust_price_street`` (US Treasury 3.875% 15-Aug-2033 at 4.00%).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import QuantLib as ql
import quantlib_reference as qr
from numpy.testing import assert_allclose

import etfcore
from etfcore import BondSet
from etfcore.bonds.pricing import YIELD_CONVENTIONS

PRICE_TOL_CFR = 1e-6  # the regulation prints six decimals
PRICE_TOL = 1e-9  # per 100 face, against QuantLib or a closed form
YIELD_TOL = 1e-10  # decimal (1e-6 bp)
FD_TOL_DURATION = 1e-6  # years, central differences of 1e-5 in yield
FD_TOL_CONVEXITY = 1e-3  # years squared

# ------------------------------------------------------------------- 31 CFR 356 App. B
# (label, issue, maturity, first coupon or None, coupon %, clean, dirty, yield %, settlement)
CFR_EXAMPLES = [
    ("A regular first", "1990-05-15", "2020-05-15", None, 8.75, 99.057893, 99.057893, 8.84,
     "1990-05-15"),
    ("B short first", "1990-04-02", "1992-03-31", None, 8.5, 99.838183, 99.838183, 8.59,
     "1990-04-02"),
    ("C long first", "1990-03-01", "1995-05-15", "1990-11-15", 8.5, 99.805118, 99.805118,
     8.53, "1990-03-01"),
    ("D reopening, regular", "1985-11-15", "1995-11-15", None, 9.5, 99.730918, 100.098321,
     9.54, "1985-11-29"),
    ("E reopening, long first", "1985-07-02", "2005-08-15", "1986-02-15", 10.75, 102.214586,
     105.887384, 10.47, "1985-11-04"),
    ("F reopening, short first", "1983-05-16", "1991-05-15", "1983-11-15", 10.5, 99.777074,
     102.373541, 10.53, "1983-08-15"),
    ("G reopening, long first", "1988-10-15", "1994-12-15", "1989-06-15", 9.75, 99.738045,
     100.563865, 9.79, "1988-11-15"),
]  # fmt: skip


def _treasury(issue, maturity, first, coupon_pct) -> BondSet:
    row = {
        "id": ["T"],
        "coupon_rate": [coupon_pct / 100.0],
        "maturity_date": [maturity],
        "issue_date": [issue],
        "day_count": ["ACT/ACT ICMA"],
        "frequency": [2],
    }
    if first is not None:
        row["first_coupon_date"] = [first]
    return BondSet.from_frame(pd.DataFrame(row), id_type="none")


@pytest.mark.parametrize("case", CFR_EXAMPLES, ids=[c[0] for c in CFR_EXAMPLES])
def test_31_cfr_356_appendix_b_prices(case):
    _, issue, maturity, first, coupon, clean, dirty, y, settle = case
    bonds = _treasury(issue, maturity, first, coupon)
    got = etfcore.price_from_yield(bonds, y / 100.0, settle, yield_convention="treasury_auction")
    assert_allclose(got["clean_price"].iloc[0], clean, atol=PRICE_TOL_CFR, rtol=0)
    assert_allclose(got["dirty_price"].iloc[0], dirty, atol=PRICE_TOL_CFR, rtol=0)
    # and back: the auction yield of the regulation's price
    back = etfcore.yield_from_price(bonds, clean, settle, yield_convention="treasury_auction")
    assert_allclose(back.iloc[0], y / 100.0, atol=1e-8, rtol=0)  # price rounded to 1e-6


@pytest.mark.parametrize("case", CFR_EXAMPLES, ids=[c[0] for c in CFR_EXAMPLES])
def test_treasury_auction_differs_from_street_by_a_few_cents(case):
    # the issue's claim: the auction formula differs from the street price by up to ~0.03
    _, issue, maturity, first, coupon, clean, _, y, settle = case
    bonds = _treasury(issue, maturity, first, coupon)
    street = etfcore.price_from_yield(bonds, y / 100.0, settle)["clean_price"].iloc[0]
    diff = street - clean
    # simple interest over a stub discounts more than compounding (A: no stub, equal)
    assert -PRICE_TOL_CFR <= diff < 0.05


def test_treasury_auction_matches_quantlib_simple_then_compounded():
    # QuantLib's SimpleThenCompounded applies 1 + y t to each step t <= 1/f: the App. B form
    # for a regular or short first period (its long first period is one compounded step)
    frame = pd.DataFrame(
        {
            "id": ["R1", "R2", "S1", "Z1"],
            "coupon_rate": [0.04125, 0.0275, 0.05, 0.0],
            "maturity_date": ["2035-05-15", "2029-11-30", "2031-02-15", "2029-08-15"],
            "issue_date": ["2025-05-15", "2024-11-30", "2025-10-01", "2019-08-15"],
            "day_count": ["ACT/ACT ICMA"] * 4,
            "frequency": [2, 2, 2, 0],
        }
    )
    bonds = BondSet.from_frame(frame, id_type="none")
    settle = "2026-01-09"
    y = np.array([0.0431, 0.0377, 0.0405, 0.0399])
    ours = etfcore.price_from_yield(bonds, y, settle, yield_convention="treasury_auction")
    with qr.evaluation_date(settle):
        for i, row in frame.iterrows():
            if row["frequency"] == 0:
                continue  # a zero's one step is longer than a period: compounded in QuantLib
            qb = qr.ql_bond(row, "unadjusted", settle)
            ref = qr.ql_clean_from_yield(qb, row, y[i], settle, ql.SimpleThenCompounded)
            assert_allclose(ours["clean_price"].iloc[i], ref, atol=PRICE_TOL, rtol=0)


# ------------------------------------------------------------- street: the final period
def _corporate(maturity, coupon=0.05, day_count="30/360 US") -> BondSet:
    return BondSet.from_frame(
        pd.DataFrame(
            {
                "id": ["C"],
                "coupon_rate": [coupon],
                "maturity_date": [maturity],
                "issue_date": ["2021-11-15"],
                "day_count": [day_count],
            }
        ),
        id_type="none",
    )


def _sia_money_market_yield(clean, coupon, a_days, e_days, dsr_days, m=2, rv=100.0):
    """SIA standard formula, one coupon period or less to redemption (see module doc)."""
    r = coupon * 100.0
    dirty = clean + a_days / e_days * r / m
    return ((rv + r / m) - dirty) / dirty * (m * e_days / dsr_days)


@pytest.mark.parametrize(
    ("settle", "clean", "a_days", "dsr_days"),
    [
        ("2026-06-15", 99.75, 30, 150),  # five months to maturity
        ("2026-09-15", 99.95, 120, 60),  # two months
        ("2026-11-12", 99.98, 177, 3),  # three days
        ("2026-11-12", 99.90, 177, 3),
    ],
)
def test_street_final_period_is_the_sia_money_market_yield(settle, clean, a_days, dsr_days):
    bonds = _corporate("2026-11-15")  # last coupon 2026-05-15, 30/360: E = 180 days
    ref = _sia_money_market_yield(clean, 0.05, a_days, 180, dsr_days)
    street = etfcore.yield_from_price(bonds, clean, settle)  # the default
    assert_allclose(street.iloc[0], ref, atol=YIELD_TOL, rtol=0)
    # and QuantLib: one flow left, SimpleThenCompounded is the money-market yield
    row = bonds.to_frame().iloc[0]
    with qr.evaluation_date(settle):
        qb = qr.ql_bond(row, "unadjusted", settle)
        ql_simple = qr.ql_yield(qb, row, clean, settle, ql.SimpleThenCompounded)
        ql_compounded = qr.ql_yield(qb, row, clean, settle)
    assert_allclose(street.iloc[0], ql_simple, atol=YIELD_TOL, rtol=0)
    compounded = etfcore.yield_from_price(bonds, clean, settle, yield_convention="compounded")
    assert_allclose(compounded.iloc[0], ql_compounded, atol=YIELD_TOL, rtol=0)


def test_street_and_compounded_gap_grows_toward_maturity():
    # five months out the two yields differ by about a basis point; three days out, at a
    # price 0.1 under the money-market fair value, by tens of basis points (the compounded
    # yield raises (A/P) to the power 1/(f t), a large exponent when t is a few days)
    bonds = _corporate("2026-11-15")
    gap_5m = (
        etfcore.yield_from_price(bonds, 99.75, "2026-06-15")
        - etfcore.yield_from_price(bonds, 99.75, "2026-06-15", yield_convention="compounded")
    ).iloc[0] * 1e4
    gap_3d = (
        etfcore.yield_from_price(bonds, 99.90, "2026-11-12")
        - etfcore.yield_from_price(bonds, 99.90, "2026-11-12", yield_convention="compounded")
    ).iloc[0] * 1e4
    assert -3.0 < gap_5m < -0.5
    assert gap_3d < -50.0


def test_street_equals_compounded_with_more_than_one_coupon_left():
    # rateslib test_ust_price_street: UST 3.875% 15-Aug-2033 at 4.00% (street convention)
    bonds = BondSet.from_frame(
        pd.DataFrame(
            {
                "id": ["T"],
                "coupon_rate": [0.03875],
                "maturity_date": ["2033-08-15"],
                "issue_date": ["2023-08-15"],
                "day_count": ["ACT/ACT ICMA"],
            }
        ),
        id_type="none",
    )
    for settle, clean, accrued in [
        ("2025-02-14", 99.106414, 1.926970),
        ("2025-02-18", 99.107179, 0.032113),
        ("2025-08-15", 99.151393, 0.0),
    ]:
        for conv in ("street", "compounded"):
            got = etfcore.price_from_yield(bonds, 0.04, settle, yield_convention=conv)
            assert_allclose(got["clean_price"].iloc[0], clean, atol=1e-5, rtol=0)
            assert_allclose(got["accrued_interest"].iloc[0], accrued, atol=1e-6, rtol=0)


def test_street_zero_coupon_inside_six_months_is_simple():
    zero = BondSet.from_frame(
        pd.DataFrame(
            {"id": ["Z"], "coupon_rate": [0.0], "maturity_date": ["2026-09-15"],
             "frequency": [0], "day_count": ["ACT/360"]}
        ),
        id_type="none",
    )  # fmt: skip
    settle = "2026-06-15"
    t = 92 / 360.0  # ACT/360 years to maturity
    dirty = etfcore.price_from_yield(zero, 0.045, settle)["dirty_price"].iloc[0]
    assert_allclose(dirty, 100.0 / (1.0 + 0.045 * t), atol=PRICE_TOL, rtol=0)


# ---------------------------------------------------- risk: derivatives of each convention
def _risk_bonds() -> BondSet:
    return BondSet.from_frame(
        pd.DataFrame(
            {
                "id": ["LONG", "STUB", "FINAL", "ZERO", "ODD"],
                "coupon_rate": [0.055, 0.0425, 0.06, 0.0, 0.07],
                "maturity_date": [
                    "2045-03-01", "2031-08-15", "2026-10-01", "2026-12-01", "2030-06-15",
                ],
                "issue_date": ["2015-03-01", "2021-08-15", "2016-10-01", "2016-12-01",
                               "2026-04-20"],
                "first_coupon_date": [None, None, None, None, "2027-06-15"],
                "frequency": [2, 2, 2, 0, 2],
                "day_count": ["30/360 US", "ACT/ACT ICMA", "30/360 US", "ACT/365F",
                              "30/360 US"],
            }
        ),
        id_type="none",
    )  # fmt: skip


@pytest.mark.parametrize("convention", YIELD_CONVENTIONS)
def test_duration_and_convexity_are_derivatives_of_the_conventions_price(convention):
    bonds = _risk_bonds()
    settle = "2026-05-11"
    y = np.array([0.061, 0.043, 0.051, 0.047, 0.072])
    clean = etfcore.price_from_yield(bonds, y, settle, yield_convention=convention)
    res = etfcore.analytics_from_price(
        bonds, clean["clean_price"], settle, yield_convention=convention
    )
    assert_allclose(res["yield_to_maturity"], y, atol=YIELD_TOL, rtol=0)
    h = 1e-5
    up = etfcore.price_from_yield(bonds, y + h, settle, yield_convention=convention)
    dn = etfcore.price_from_yield(bonds, y - h, settle, yield_convention=convention)
    p0 = clean["dirty_price"].to_numpy()
    pu, pd_ = up["dirty_price"].to_numpy(), dn["dirty_price"].to_numpy()
    assert_allclose(res["modified_duration"], (pd_ - pu) / (2 * h * p0), atol=FD_TOL_DURATION)
    assert_allclose(res["convexity"], (pu - 2 * p0 + pd_) / (h * h * p0), atol=FD_TOL_CONVEXITY)
    assert_allclose(res["dv01"], res["modified_duration"] * p0 * 1e-4, rtol=1e-14)


def test_final_period_risk_closed_form():
    # street, one flow a at t years: P = a / (1 + y t), so D_mod = t / (1 + y t),
    # D_mac = t and convexity = 2 t^2 / (1 + y t)^2; QuantLib's SimpleThenCompounded agrees
    bonds = _corporate("2026-11-15")
    settle = "2026-07-15"
    res = etfcore.analytics_from_price(bonds, 99.9, settle).iloc[0]
    y, t = res["yield_to_maturity"], 120 / 360.0
    assert_allclose(res["modified_duration"], t / (1 + y * t), rtol=1e-12)
    assert_allclose(res["macaulay_duration"], t, rtol=1e-12)
    assert_allclose(res["convexity"], 2 * t * t / (1 + y * t) ** 2, rtol=1e-10)
    row = bonds.to_frame().iloc[0]
    with qr.evaluation_date(settle):
        qb = qr.ql_bond(row, "unadjusted", settle)
        rate = ql.InterestRate(
            float(y), qr.ql_day_counter("30/360 US"), ql.SimpleThenCompounded, ql.Semiannual
        )
        ref = ql.BondFunctions.duration(qb, rate, ql.Duration.Modified, qr.ql_date(settle))
    assert_allclose(res["modified_duration"], ref, rtol=1e-10)


# ------------------------------------------------------ every function reports the choice
@pytest.mark.parametrize("convention", YIELD_CONVENTIONS)
def test_price_bonds_and_yield_to_worst_follow_the_convention(convention):
    bonds = _risk_bonds()
    settle = "2026-05-11"
    curve = etfcore.ZeroCurve(settle, [0.5, 2, 5, 10, 30], [0.041, 0.039, 0.04, 0.043, 0.047])
    priced = etfcore.price_bonds(bonds, curve, settle, 0.01, yield_convention=convention)
    again = etfcore.analytics_from_price(
        bonds, priced["clean_price"], settle, yield_convention=convention
    )
    for col in ("yield_to_maturity", "modified_duration", "macaulay_duration", "convexity"):
        assert_allclose(priced[col], again[col], rtol=1e-12, atol=1e-13)
    ytw = etfcore.yield_to_worst(bonds, priced["clean_price"], settle, yield_convention=convention)
    assert_allclose(ytw["yield_to_maturity"], again["yield_to_maturity"], atol=YIELD_TOL)


def test_price_bonds_default_is_street():
    bonds = _corporate("2026-11-15")
    curve = etfcore.ZeroCurve("2026-06-15", [0.5, 1.0], [0.045, 0.046])
    street = etfcore.price_bonds(bonds, curve, "2026-06-15")
    simple = etfcore.price_bonds(bonds, curve, "2026-06-15", yield_convention="street")
    comp = etfcore.price_bonds(bonds, curve, "2026-06-15", yield_convention="compounded")
    pd.testing.assert_frame_equal(street, simple)
    assert street["clean_price"].iloc[0] == comp["clean_price"].iloc[0]  # prices don't change
    assert street["yield_to_maturity"].iloc[0] != comp["yield_to_maturity"].iloc[0]


def test_yield_to_call_inside_one_period_is_money_market_under_street():
    # a call 4 months away at 101: under street convention its yield is the simple one
    frame = pd.DataFrame(
        {"id": ["X"], "coupon_rate": [0.06], "maturity_date": ["2034-10-15"],
         "issue_date": ["2024-10-15"]}
    )  # fmt: skip
    calls = pd.DataFrame({"id": ["X"], "call_date": ["2026-10-15"], "call_price": [101.0]})
    bonds = BondSet.from_frame(frame, calls=calls, id_type="none")
    settle, clean = "2026-06-15", 104.0
    res = etfcore.yield_to_worst(bonds, clean, settle).iloc[0]
    assert res["workout_date"] == pd.Timestamp("2026-10-15")
    # SIA formula with RV = 101: A = 60 days, E = 180, DSR = 120
    ref = _sia_money_market_yield(clean, 0.06, 60, 180, 120, rv=101.0)
    assert_allclose(res["yield_to_worst"], ref, atol=YIELD_TOL, rtol=0)
