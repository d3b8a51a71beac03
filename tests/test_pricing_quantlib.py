"""etfcore's bond pricing against QuantLib 1.44, the oracle, on generated and hand-built bonds.

Reference values: QuantLib, computed in the test run by ``tests/quantlib_reference.py`` (the
conventions are written out at the top of that module). Generated bonds: ``bond_generator``
(3 settlement dates x 1,000 bonds x the "unadjusted" and "following" payment conventions),
hand-written regression cases at the bottom, each with its arithmetic in a comment.
"""

from __future__ import annotations

import datetime as dt

import naive
import numpy as np
import pandas as pd
import pytest
import QuantLib as ql
import quantlib_reference as qr
from bond_generator import SETTLEMENT_DATES, generate_bonds, generate_curve

import etfcore

# --- tolerances (absolute; prices and amounts per 100 face) ---------------------------------
CLEAN_PRICE_TOL = 1e-8
ACCRUED_TOL = 1e-10
YIELD_TOL = 1e-10  # 1e-6 bp
DURATION_TOL = 1e-8  # years
CONVEXITY_TOL = 1e-6  # years squared
CASHFLOW_TOL = 1e-12  # per 100 face
Z_SPREAD_TOL = 1e-10  # decimal (1e-6 bp)
DV01_TOL = 1e-10  # per 100 face per bp

# default run: 3 settlement dates x 400 bonds (1,200 bonds) x 2 payment conventions;
# the slow run: 4 settlement dates x 1,000 bonds x 3 payment conventions
N_BONDS = 400
N_BONDS_SLOW = 1000
CONVENTIONS = ("unadjusted", "following")
FAST_CASES = [(s, c, N_BONDS) for s in SETTLEMENT_DATES[:3] for c in CONVENTIONS]
SLOW_CASES = [
    (s, c, N_BONDS_SLOW)
    for s in SETTLEMENT_DATES
    for c in ("unadjusted", "following", "modified_following")
]
CONVENTION_COLUMNS = [
    "coupon_rate",
    "maturity_date",
    "issue_date",
    "first_coupon_date",
    "frequency",
    "day_count",
    "end_of_month",
    "kind",
]


class Case:
    """One settlement date and payment convention: the bonds, a curve, QuantLib's answers."""

    def __init__(self, settlement: dt.date, convention: str, n_bonds: int):
        # the same bonds and curve for every convention on a settlement date
        rng = np.random.default_rng([20260301, SETTLEMENT_DATES.index(settlement), n_bonds])
        self.settlement = settlement
        self.convention = convention
        self.frame = generate_bonds(n_bonds, settlement, rng, with_kind=True)
        self.curve_spec = generate_curve(settlement, rng)
        self.spreads = pd.Series(
            np.round(rng.uniform(-0.005, 0.03, n_bonds), 6), index=self.frame["id"].to_numpy()
        )
        self.bonds = etfcore.BondSet.from_frame(self.frame.drop(columns="kind"))
        self.curve = self.curve_spec.to_etfcore()
        self.ql_bonds = qr.ql_bonds(self.frame, settlement, convention)
        self.ref, self.failures = qr.reference_analytics(
            self.frame, self.curve_spec, settlement, convention, 0.0, self.ql_bonds
        )
        self.ref_spread, self.failures_spread = qr.reference_analytics(
            self.frame, self.curve_spec, settlement, convention, self.spreads, self.ql_bonds
        )
        self.ok = self.ref["yield_to_maturity"].notna()
        self._ql_flows: pd.DataFrame | None = None

    @property
    def ql_flows(self) -> pd.DataFrame:
        """QuantLib's future cash flows of every bond (built once per case)."""
        if self._ql_flows is None:
            self._ql_flows = qr.ql_cashflows(
                self.frame, self.settlement, self.convention, self.ql_bonds
            )
        return self._ql_flows

    @property
    def label(self) -> str:
        return f"settlement {self.settlement}, payment convention {self.convention!r}"

    def describe(self, ids) -> pd.DataFrame:
        return self.frame.set_index("id").loc[list(ids), CONVENTION_COLUMNS]


_CASES: dict[tuple, Case] = {}


@pytest.fixture(
    scope="module",
    params=[pytest.param(p, id=f"{p[0]}-{p[1]}-{p[2]}") for p in FAST_CASES]
    + [pytest.param(p, id=f"{p[0]}-{p[1]}-{p[2]}", marks=pytest.mark.slow) for p in SLOW_CASES],
)
def case(request) -> Case:
    if request.param not in _CASES:
        _CASES.clear()  # one case in memory at a time
        _CASES[request.param] = Case(*request.param)
    return _CASES[request.param]


def assert_matches(case: Case, actual, expected, atol: float, what: str, mask=None) -> None:
    """``assert_allclose(atol, rtol=0)`` by id; on failure list the worst 10 bonds."""
    expected = pd.Series(expected, dtype=float)
    actual = pd.Series(actual, dtype=float).reindex(expected.index)
    if mask is not None:
        keep = pd.Series(mask).reindex(expected.index).fillna(False).astype(bool)
        expected, actual = expected[keep], actual[keep]
    err = (actual - expected).abs()
    err = err.where(actual.notna() | expected.isna(), np.inf)
    bad = err > atol
    msg = ""
    if bad.any():
        worst = err.sort_values(ascending=False).index[:10]
        table = case.describe(worst)
        table.insert(0, "etfcore", actual[worst])
        table.insert(1, "quantlib", expected[worst])
        table.insert(2, "abs_diff", err[worst])
        with pd.option_context("display.width", 250, "display.max_columns", 20):
            msg = (
                f"{what}: {int(bad.sum())} of {len(expected)} bonds differ from QuantLib by more "
                f"than {atol:g} ({case.label}); worst 10:\n{table.to_string()}"
            )
    np.testing.assert_allclose(
        actual.to_numpy(), expected.to_numpy(), atol=atol, rtol=0, err_msg=msg
    )


# --- the generator reaches the corners it promises -------------------------------------------


def test_generated_bonds_cover_the_conventions(case):
    f = case.frame
    assert set(f["day_count"]) == set(naive.DAY_COUNTS)
    assert set(f["frequency"]) == {0, 1, 2, 4, 12}
    assert set(f["kind"]) >= {
        "month_end",
        "day_29_31",
        "coupon_date",
        "odd_first",
        "off_roll_issue",
        "forward_issue",
    }
    mat = f["maturity_date"]
    assert ((mat.dt.month == 2) & (mat.dt.day == 29)).any()
    assert ((mat.dt.month == 2) & (mat.dt.day == 28)).any()
    assert (f["issue_date"] > pd.Timestamp(case.settlement)).sum() >= 3
    assert f["issue_date"].isna().any() and f["first_coupon_date"].notna().any()
    assert f["coupon_rate"].between(0.0, 0.12).all()
    days = (mat - pd.Timestamp(case.settlement)).dt.days
    assert days.min() <= 62 and days.max() >= 39 * 365


# --- cash flows ----------------------------------------------------------------------------


def test_cashflows_match_quantlib(case):
    ours = case.bonds.cashflows(case.settlement, case.convention).to_frame()
    theirs = case.ql_flows
    n_ours = ours.groupby("id").size()
    n_theirs = theirs.groupby("id").size().reindex(n_ours.index, fill_value=0)
    wrong_count = n_ours.index[n_ours != n_theirs]
    assert len(wrong_count) == 0, (
        f"number of future cash flows differs for {len(wrong_count)} bonds ({case.label}):\n"
        + pd.concat(
            [n_ours[wrong_count].rename("etfcore"), n_theirs[wrong_count].rename("quantlib")],
            axis=1,
        )
        .join(case.describe(wrong_count[:10]))
        .head(10)
        .to_string()
    )
    ours = ours.reset_index(drop=True)
    # a zero-coupon redemption is not a coupon in QuantLib: it has no accrual or reference
    # period to compare (etfcore may carry the ones its yield times use)
    coupon = theirs["accrual_start"].notna()
    for col in ("accrual_start", "accrual_end", "ref_start", "ref_end", "payment_date"):
        a = pd.to_datetime(ours[col])
        b = pd.to_datetime(theirs[col])
        diff = (a != b) & (coupon | (col == "payment_date"))
        if diff.any():
            rows = ours.loc[diff, ["id", col]].assign(quantlib=b[diff]).head(10)
            rows = rows.merge(case.describe(rows["id"]), left_on="id", right_index=True)
            pytest.fail(
                f"{col} differs from QuantLib in {int(diff.sum())} flows ({case.label}); "
                f"first 10:\n{rows.to_string()}"
            )
    err = (ours["amount"] - theirs["amount"]).abs()
    if (err > CASHFLOW_TOL).any():
        worst = err.sort_values(ascending=False).index[:10]
        rows = ours.loc[worst, ["id", "accrual_start", "accrual_end", "amount"]]
        rows = rows.assign(quantlib=theirs.loc[worst, "amount"], abs_diff=err[worst])
        rows = rows.merge(case.describe(rows["id"]), left_on="id", right_index=True)
        pytest.fail(f"cash-flow amounts differ ({case.label}); worst 10:\n{rows.to_string()}")


# --- accrued, prices, yields, risk -------------------------------------------------------------


def test_accrued_interest_matches_quantlib(case):
    ours = etfcore.accrued_interest(case.bonds, case.settlement, case.convention)
    assert_matches(case, ours, case.ref["accrued_interest"], ACCRUED_TOL, "accrued_interest")


def test_prices_from_curve_match_quantlib(case):
    ours = etfcore.price_bonds(
        case.bonds, case.curve, case.settlement, 0.0, case.convention, yield_convention="compounded"
    )
    for col, tol in (
        ("clean_price", CLEAN_PRICE_TOL),
        ("dirty_price", CLEAN_PRICE_TOL),
        ("accrued_interest", ACCRUED_TOL),
    ):
        assert_matches(case, ours[col], case.ref[col], tol, f"price_bonds {col}, spread 0")


def test_prices_with_per_bond_spreads_match_quantlib(case):
    ours = etfcore.price_bonds(
        case.bonds,
        case.curve,
        case.settlement,
        case.spreads,
        case.convention,
        yield_convention="compounded",
    )
    for col in ("clean_price", "dirty_price"):
        assert_matches(
            case, ours[col], case.ref_spread[col], CLEAN_PRICE_TOL, f"price_bonds {col}, z-spread"
        )
    # the yield measures in price_bonds are those of its own price: QuantLib's at QL's price
    ok = case.ref_spread["yield_to_maturity"].notna()
    assert_matches(
        case,
        ours["yield_to_maturity"],
        case.ref_spread["yield_to_maturity"],
        YIELD_TOL,
        "price_bonds yield_to_maturity, z-spread",
        ok,
    )
    assert_matches(
        case,
        ours["modified_duration"],
        case.ref_spread["modified_duration"],
        DURATION_TOL,
        "price_bonds modified_duration, z-spread",
        ok,
    )


def test_yield_from_quantlib_clean_price(case):
    clean = case.ref["clean_price"][case.ok]
    ours = etfcore.yield_from_price(
        case.bonds.select(clean.index),
        clean,
        case.settlement,
        case.convention,
        yield_convention="compounded",
    )
    assert_matches(case, ours, case.ref["yield_to_maturity"][case.ok], YIELD_TOL, "yield")


def test_risk_at_quantlib_yield(case):
    clean = case.ref["clean_price"][case.ok]
    ours = etfcore.analytics_from_price(
        case.bonds.select(clean.index),
        clean,
        case.settlement,
        case.convention,
        yield_convention="compounded",
    )
    ref = case.ref[case.ok]
    assert_matches(case, ours["accrued_interest"], ref["accrued_interest"], ACCRUED_TOL, "accrued")
    assert_matches(case, ours["yield_to_maturity"], ref["yield_to_maturity"], YIELD_TOL, "yield")
    for col in ("modified_duration", "macaulay_duration"):
        assert_matches(case, ours[col], ref[col], DURATION_TOL, col)
    assert_matches(case, ours["convexity"], ref["convexity"], CONVEXITY_TOL, "convexity")
    assert_matches(case, ours["dv01"], ref["dv01"], DV01_TOL, "dv01")


def test_price_from_quantlib_yield(case):
    y = case.ref["yield_to_maturity"][case.ok]
    ours = etfcore.price_from_yield(
        case.bonds.select(y.index),
        y,
        case.settlement,
        case.convention,
        yield_convention="compounded",
    )
    ref = case.ref[case.ok]
    assert_matches(case, ours["clean_price"], ref["clean_price"], CLEAN_PRICE_TOL, "clean at QL y")
    assert_matches(case, ours["dirty_price"], ref["dirty_price"], CLEAN_PRICE_TOL, "dirty at QL y")


def test_spread_duration_matches_quantlib_flows(case):
    """``spread_duration = sum(c t DF_s(t)) / dirty`` with QuantLib's flows and discounts.

    Source: QuantLib cash flows and ``ZeroCurve.discount``; ``t`` = ACT/365F from settlement,
    the z-spread factor ``exp(-s t)``.
    """
    curve = case.curve_spec.to_quantlib()
    flows = case.ql_flows
    days = (pd.to_datetime(flows["payment_date"]) - pd.Timestamp(case.settlement)).dt.days
    days = days.to_numpy()
    t = days / 365.0
    s = case.spreads.reindex(flows["id"]).to_numpy()
    unique_days, where = np.unique(days, return_inverse=True)
    ref_date = qr.ql_date(case.settlement)
    disc = np.array([curve.discount(ref_date + int(d)) for d in unique_days])[where]
    pv = flows["amount"].to_numpy() * disc * np.exp(-s * t)
    frame = pd.DataFrame({"id": flows["id"], "pv": pv, "tpv": t * pv}).groupby("id").sum()
    expected = frame["tpv"] / frame["pv"]
    ours = etfcore.price_bonds(
        case.bonds,
        case.curve,
        case.settlement,
        case.spreads,
        case.convention,
        yield_convention="compounded",
    )
    assert_matches(case, ours["spread_duration"], expected, DURATION_TOL, "spread_duration")
    cs01 = expected * case.ref_spread["dirty_price"] / 10_000.0
    assert_matches(case, ours["cs01"], cs01, DV01_TOL, "cs01")


def test_z_spread_recovers_the_spread(case):
    clean = case.ref_spread["clean_price"]
    ours = etfcore.z_spread_from_price(
        case.bonds, case.curve, clean, case.settlement, case.convention
    )
    assert_matches(case, ours, case.spreads, Z_SPREAD_TOL, "z_spread_from_price")


def test_quantlib_failures_are_only_the_understood_kind(case):
    """QuantLib raises for exactly the ACT/ACT ICMA long first coupons paid after accrual end.

    Its ISMA year fraction (``Old_ISMA_Impl``) cannot measure a period that starts before a
    long coupon's reference period and ends after it; ``CashFlows::yield`` asks for exactly
    that when the first coupon is long and its payment date is rolled past the accrual end.
    Those bonds have no QuantLib yield or risk: they are excluded from those comparisons
    (and compared with the naive twin in ``test_naive_twins.py``), never dropped silently.
    """
    expected = set()
    for row in case.frame.to_dict("records"):
        if row["day_count"] != "ACT/ACT ICMA" or row["frequency"] == 0:
            continue
        flows = naive.schedule(row, case.settlement, case.convention)
        first = flows[0]
        if (
            first.accrual_start < first.ref_start
            and first.payment_date > first.accrual_end
            and first.accrual_start == naive.effective_date(row, case.settlement)
        ):
            expected.add(row["id"])
    for failures in (case.failures, case.failures_spread):
        assert set(failures["stage"]) <= {"yield"}, failures.to_string()
        assert (failures["message"] == qr.ISMA_LONG_FIRST_COUPON_MESSAGE).all(), (
            failures.to_string()
        )
        assert set(failures["id"]) == expected
    if case.convention == "unadjusted":
        assert not expected
    assert case.ok.sum() == len(case.frame) - len(expected)


# --- zero-coupon bonds on their own ------------------------------------------------------------


def test_zero_coupon_bonds(case):
    zero = case.frame["frequency"] == 0
    ids = case.frame.loc[zero, "id"]
    assert len(ids) > 20
    sub = case.bonds.select(ids)
    ref = case.ref.loc[ids]
    assert (ref["accrued_interest"] == 0).all()
    flows = sub.cashflows(case.settlement, case.convention).to_frame()
    assert (flows.groupby("id").size() == 1).all()
    np.testing.assert_allclose(flows["amount"], 100.0, atol=CASHFLOW_TOL, rtol=0)
    ours = etfcore.price_bonds(
        sub, case.curve, case.settlement, 0.0, case.convention, yield_convention="compounded"
    )
    assert_matches(case, ours["clean_price"], ref["clean_price"], CLEAN_PRICE_TOL, "zero clean")
    assert_matches(case, ours["accrued_interest"], ref["accrued_interest"], ACCRUED_TOL, "zero AI")
    assert_matches(case, ours["yield_to_maturity"], ref["yield_to_maturity"], YIELD_TOL, "zero y")
    for col in ("modified_duration", "macaulay_duration"):
        assert_matches(case, ours[col], ref[col], DURATION_TOL, f"zero {col}")
    assert_matches(case, ours["convexity"], ref["convexity"], CONVEXITY_TOL, "zero convexity")
    # a zero's Macaulay duration is its yield time (semiannual compounding, own day count)
    np.testing.assert_allclose(
        ours["macaulay_duration"],
        ours["modified_duration"] * (1 + ours["yield_to_maturity"] / 2),
        atol=DURATION_TOL,
        rtol=0,
    )


# --- hand-written regression cases -----------------------------------------------------------


def _one(row: dict, settlement, convention="unadjusted"):
    frame = pd.DataFrame([row])
    for col in ("maturity_date", "issue_date", "first_coupon_date"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col])
    bonds = etfcore.BondSet.from_frame(frame)
    ql_flows = qr.ql_cashflows(frame, settlement, convention)
    ours = bonds.cashflows(settlement, convention).to_frame()
    return frame.iloc[0].to_dict(), bonds, ql_flows, ours


def _dates(series) -> list[dt.date]:
    return [pd.Timestamp(d).date() for d in series]


def test_30_360_us_feb28_eom_coupon_is_178_days():
    """30/360 US, EOM, maturity 2030-02-28: the Aug 31 -> Feb 28 coupon is 178/360 of the rate.

    Thirty360(USA): Aug 31 -> day 30; Feb 28 is the last day of February but the start is
    not, so the end stays 28: 360*(2030-2029) + 30*(2-8) + (28-30) = 178 days.
    The Feb 28 -> Aug 31 coupon: start is last of Feb -> 30, end 31 with start 30 -> 30:
    180 days, a full half coupon.
    """
    rate = 0.05
    row, bonds, ql_flows, ours = _one(
        {
            "id": "B000001",
            "coupon_rate": rate,
            "maturity_date": "2030-02-28",
            "day_count": "30/360 US",
            "end_of_month": True,
        },
        "2029-03-15",
    )
    assert _dates(ql_flows["payment_date"]) == [dt.date(2029, 8, 31), dt.date(2030, 2, 28)]
    ql_last_coupon = ql_flows["amount"].iloc[-1] - 100.0
    np.testing.assert_allclose(ql_last_coupon, 100 * rate * 178 / 360, atol=CASHFLOW_TOL, rtol=0)
    np.testing.assert_allclose(
        100 * rate / 2 - ql_last_coupon, 100 * rate * 2 / 360, atol=CASHFLOW_TOL, rtol=0
    )
    np.testing.assert_allclose(
        ql_flows["amount"].iloc[0], 100 * rate * 180 / 360, atol=CASHFLOW_TOL, rtol=0
    )
    assert _dates(ours["payment_date"]) == _dates(ql_flows["payment_date"])
    np.testing.assert_allclose(ours["amount"], ql_flows["amount"], atol=CASHFLOW_TOL, rtol=0)
    # accrued on 2029-10-15 from Aug 31: (Aug 31 -> 30) 360*0 + 30*2 + (15-30) = 45 days
    ai = etfcore.accrued_interest(bonds, "2029-10-15")
    np.testing.assert_allclose(ai.iloc[0], 100 * rate * 45 / 360, atol=ACCRUED_TOL, rtol=0)
    bond = qr.ql_bond(row, "unadjusted", dt.date(2029, 10, 15))
    ql_ai = ql.BondFunctions.accruedAmount(bond, ql.Date(15, 10, 2029))
    np.testing.assert_allclose(ql_ai, 100 * rate * 45 / 360, atol=ACCRUED_TOL, rtol=0)


@pytest.mark.parametrize("eom", [True, False])
def test_feb29_leap_maturity(eom):
    """Maturity 2028-02-29 (leap), semiannual, 30/360 US, settlement 2026-02-27.

    EOM: coupons roll on month ends: 2026-02-28, 08-31, 2027-02-28, 08-31, 2028-02-29.
    No EOM: ``Date - n Months`` clamps: 2026-02-28, 08-29, 2027-02-28, 08-29, 2028-02-29.
    Last coupon with EOM: Aug 31 -> 30; Feb 29 stays 29 (start not last of Feb): 179 days.
    Without EOM: Aug 29 -> Feb 29: 360 - 180 + 0 = 180 days.
    """
    rate = 0.04
    row, bonds, ql_flows, ours = _one(
        {
            "id": "B000002",
            "coupon_rate": rate,
            "maturity_date": "2028-02-29",
            "day_count": "30/360 US",
            "end_of_month": eom,
        },
        "2026-02-27",
    )
    aug = 31 if eom else 29
    expected = [
        dt.date(2026, 2, 28),
        dt.date(2026, 8, aug),
        dt.date(2027, 2, 28),
        dt.date(2027, 8, aug),
        dt.date(2028, 2, 29),
    ]
    assert _dates(ql_flows["payment_date"]) == expected
    assert _dates(ours["payment_date"]) == expected
    last_days = 179 if eom else 180
    np.testing.assert_allclose(
        ql_flows["amount"].iloc[-1], 100 + 100 * rate * last_days / 360, atol=CASHFLOW_TOL, rtol=0
    )
    np.testing.assert_allclose(ours["amount"], ql_flows["amount"], atol=CASHFLOW_TOL, rtol=0)


def test_long_first_coupon_act_act_icma():
    """ACT/ACT ICMA, issue 2026-01-15, first coupon 2026-12-15, maturity 2031-06-15, 6%.

    The long first period is split at the notional coupon date 2026-06-15 (QuantLib's
    ``Old_ISMA_Impl`` with reference period [2026-06-15, 2026-12-15]):
    Jan 15 -> Jun 15 2026 is 151 days of the notional period Dec 15 2025 -> Jun 15 2026
    (182 days), plus one full half year:
    coupon = 100 * 6% * (0.5 * 151 / 182 + 0.5).
    Accrued on 2026-02-27 (Friday): 43 days of 182 in the first notional period:
    100 * 6% * 0.5 * 43 / 182.
    """
    rate = 0.06
    settlement = dt.date(2026, 2, 27)
    row, bonds, ql_flows, ours = _one(
        {
            "id": "B000003",
            "coupon_rate": rate,
            "maturity_date": "2031-06-15",
            "issue_date": "2026-01-15",
            "first_coupon_date": "2026-12-15",
            "day_count": "ACT/ACT ICMA",
            "frequency": 2,
        },
        settlement,
    )
    first = 100 * rate * (0.5 * 151 / 182 + 0.5)
    np.testing.assert_allclose(ql_flows["amount"].iloc[0], first, atol=CASHFLOW_TOL, rtol=0)
    np.testing.assert_allclose(ours["amount"].iloc[0], first, atol=CASHFLOW_TOL, rtol=0)
    assert pd.Timestamp(ours["ref_start"].iloc[0]).date() == dt.date(2026, 6, 15)
    accrued = 100 * rate * 0.5 * 43 / 182
    bond = qr.ql_bond(row, "unadjusted", settlement)
    np.testing.assert_allclose(
        ql.BondFunctions.accruedAmount(bond, qr.ql_date(settlement)),
        accrued,
        atol=ACCRUED_TOL,
        rtol=0,
    )
    ai = etfcore.accrued_interest(bonds, settlement)
    np.testing.assert_allclose(ai.iloc[0], accrued, atol=ACCRUED_TOL, rtol=0)
    # yield and risk at a price: QuantLib is the reference
    clean = 101.25
    y_ql = qr.ql_yield(bond, row, clean, settlement)
    risk_ql = qr.ql_risk(bond, row, y_ql, settlement)
    ours_a = etfcore.analytics_from_price(
        bonds, clean, settlement, yield_convention="compounded"
    ).iloc[0]
    np.testing.assert_allclose(ours_a["yield_to_maturity"], y_ql, atol=YIELD_TOL, rtol=0)
    for col in ("modified_duration", "macaulay_duration"):
        np.testing.assert_allclose(ours_a[col], risk_ql[col], atol=DURATION_TOL, rtol=0)
    np.testing.assert_allclose(
        ours_a["convexity"], risk_ql["convexity"], atol=CONVEXITY_TOL, rtol=0
    )


def test_settlement_on_a_coupon_date():
    """Settlement on a coupon date: accrued is 0 and that coupon is not in the future flows.

    30/360 US, 5%, semiannual, maturity 2036-08-27; coupon dates Feb 27 / Aug 27.
    On 2026-02-27 the next flow is 2026-08-27 and the accrued is 0 (clean = dirty).
    On 2026-02-26 the 2026-02-27 coupon is still to come, accrued 2025-08-27 -> 2026-02-26:
    360*1 + 30*(2-8) + (26-27) = 179 days, 100 * 5% * 179/360.
    """
    rate = 0.05
    row = {"id": "B000004", "coupon_rate": rate, "maturity_date": "2036-08-27"}
    _, bonds, ql_flows, ours = _one(row, "2026-02-27")
    assert _dates(ql_flows["payment_date"])[0] == dt.date(2026, 8, 27)
    assert _dates(ours["payment_date"])[0] == dt.date(2026, 8, 27)
    assert len(ours) == len(ql_flows) == 21
    ai = etfcore.accrued_interest(bonds, "2026-02-27")
    assert ai.iloc[0] == 0.0
    curve = generate_curve(dt.date(2026, 2, 27), np.random.default_rng(5)).to_etfcore()
    priced = etfcore.price_bonds(bonds, curve, "2026-02-27", yield_convention="compounded").iloc[0]
    assert priced["clean_price"] == priced["dirty_price"]
    before = bonds.cashflows("2026-02-26").to_frame()
    assert pd.Timestamp(before["payment_date"].iloc[0]).date() == dt.date(2026, 2, 27)
    ai = etfcore.accrued_interest(bonds, "2026-02-26")
    np.testing.assert_allclose(ai.iloc[0], 100 * rate * 179 / 360, atol=ACCRUED_TOL, rtol=0)
    bond = qr.ql_bond(
        row | {"maturity_date": dt.date(2036, 8, 27)}, "unadjusted", dt.date(2026, 2, 26)
    )
    np.testing.assert_allclose(
        ql.BondFunctions.accruedAmount(bond, ql.Date(26, 2, 2026)),
        100 * rate * 179 / 360,
        atol=ACCRUED_TOL,
        rtol=0,
    )


def test_notional_period_of_odd_first_coupon_follows_the_end_of_month_flag():
    """ACT/ACT ICMA, quarterly, EOM flag on, maturity 2055-01-30 (not a month end), issue
    2023-11-22, first coupon 2024-04-30 (a month end, on the roll), settlement 2024-02-29.

    QuantLib's ``FixedRateLeg`` takes the irregular first coupon's notional period as
    ``NullCalendar().advance(2024-04-30, -3 Months, Unadjusted, endOfMonth=True)`` =
    [2024-01-31, 2024-04-30]: the end-of-month rule follows the flag and the coupon date,
    not the maturity (``Date - 3 Months`` would give Jan 30). The long period splits at
    Jan 31; the part before is measured against [2023-10-31, 2024-01-31] (92 days):
    coupon  = 100 * 5% * (0.25 * 70/92 + 0.25)         (Nov 22 -> Jan 31: 70 days)
    accrued = 100 * 5% * (0.25 * 70/92 + 0.25 * 29/90)  (Jan 31 -> Feb 29: 29 of 90 days)
    Found by the generated-bond test (an etfcore kernel used Jan 30; fixed since).
    """
    rate = 0.05
    settlement = dt.date(2024, 2, 29)
    row, bonds, ql_flows, ours = _one(
        {
            "id": "B000005",
            "coupon_rate": rate,
            "maturity_date": "2055-01-30",
            "issue_date": "2023-11-22",
            "first_coupon_date": "2024-04-30",
            "frequency": 4,
            "day_count": "ACT/ACT ICMA",
            "end_of_month": True,
        },
        settlement,
    )
    assert ql_flows["ref_start"].iloc[0] == dt.date(2024, 1, 31)
    assert pd.Timestamp(ours["ref_start"].iloc[0]).date() == dt.date(2024, 1, 31)
    coupon = 100 * rate * (0.25 * 70 / 92 + 0.25)
    np.testing.assert_allclose(ql_flows["amount"].iloc[0], coupon, atol=CASHFLOW_TOL, rtol=0)
    np.testing.assert_allclose(ours["amount"].iloc[0], coupon, atol=CASHFLOW_TOL, rtol=0)
    accrued = 100 * rate * (0.25 * 70 / 92 + 0.25 * 29 / 90)
    bond = qr.ql_bond(row, "unadjusted", settlement)
    np.testing.assert_allclose(
        ql.BondFunctions.accruedAmount(bond, qr.ql_date(settlement)),
        accrued,
        atol=ACCRUED_TOL,
        rtol=0,
    )
    np.testing.assert_allclose(
        etfcore.accrued_interest(bonds, settlement).iloc[0], accrued, atol=ACCRUED_TOL, rtol=0
    )
