"""etfcore's bond kernels against their naive twins in ``tests/naive.py``.

Two kinds of check:

* the twins against QuantLib (year fractions on random date pairs, schedules on generated
  bonds): the twins are an independent reading of QuantLib's algorithms, so agreeing with it
  shows that the reading is right;
* etfcore against the twins on seeded random bonds and hand-picked edge cases, in every
  payment convention including ``modified_following`` (the QuantLib tests cover
  ``unadjusted`` and ``following``). A mistake shared by the QuantLib harness and the
  kernels would have to be made a third time, in plain Python, to go unnoticed.

Where QuantLib raises (ACT/ACT ICMA across a long first coupon's reference period, see
``naive._act_act_icma``) the twin runs with ``strict=False``, the split etfcore uses.
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
from etfcore.bonds.pricing import year_fraction as etf_year_fraction

YEAR_FRACTION_TOL = 1e-14
CASHFLOW_TOL = 1e-12  # per 100 face
ACCRUED_TOL = 1e-10
PRICE_TOL = 1e-8  # per 100 face
YIELD_TOL = 1e-10
DURATION_TOL = 1e-8
CONVEXITY_TOL = 1e-6

N_RANDOM_BONDS = 100
N_DATE_PAIRS = 10_000
TWIN_SETTLEMENTS = (SETTLEMENT_DATES[3], SETTLEMENT_DATES[1])  # 2026-06-30, 2024-02-29
CONVENTIONS = ("unadjusted", "following", "modified_following")
EDGE_SETTLEMENT = dt.date(2026, 2, 27)

# Hand-picked edge bonds for settlement 2026-02-27 (a Friday; Feb 28 2026 is a Saturday).
EDGE_BONDS = [
    # 30/360 US end-of-month maturity on Feb 28: the Aug 31 -> Feb 28 coupon is 178 days
    dict(coupon_rate=0.05, maturity_date="2030-02-28", day_count="30/360 US"),
    dict(coupon_rate=0.05, maturity_date="2030-02-28", day_count="30/360 US", end_of_month=False),
    # leap-day maturity, with and without the end-of-month rule, two day counts
    dict(coupon_rate=0.04, maturity_date="2028-02-29", day_count="30/360 US"),
    dict(coupon_rate=0.04, maturity_date="2028-02-29", day_count="30/360 US", end_of_month=False),
    dict(coupon_rate=0.04, maturity_date="2028-02-29", day_count="ACT/ACT ICMA"),
    dict(coupon_rate=0.04, maturity_date="2028-02-29", day_count="30/360 BB", end_of_month=False),
    # monthly end-of-month, a coupon on Saturday Feb 28 2026 (moved to Monday Mar 2)
    dict(coupon_rate=0.03, maturity_date="2026-08-31", frequency=12, day_count="ACT/ACT ICMA"),
    dict(coupon_rate=0.03, maturity_date="2026-08-31", frequency=12, day_count="30E/360"),
    # settlement on a coupon date, one day before, one day after
    dict(coupon_rate=0.05, maturity_date="2036-08-27", day_count="ACT/ACT ICMA"),
    dict(coupon_rate=0.05, maturity_date="2036-08-28", day_count="ACT/ACT ICMA"),
    dict(coupon_rate=0.05, maturity_date="2036-08-26", day_count="ACT/360"),
    dict(coupon_rate=0.05, maturity_date="2036-02-27", frequency=1, day_count="30/360 BB"),
    # zero-coupon bonds, short and 40 years, two day counts
    dict(coupon_rate=0.0, maturity_date="2026-03-31", frequency=0, day_count="ACT/ACT ICMA"),
    dict(coupon_rate=0.0, maturity_date="2066-02-27", frequency=0, day_count="30/360 US"),
    dict(coupon_rate=0.0, maturity_date="2046-11-15", frequency=0, day_count="ACT/365F"),
    # long first coupon, ACT/ACT ICMA, paid on its accrual end (a Tuesday)
    dict(
        coupon_rate=0.06,
        maturity_date="2031-06-15",
        issue_date="2026-01-15",
        first_coupon_date="2026-12-15",
        day_count="ACT/ACT ICMA",
    ),
    # long first coupon, ACT/ACT ICMA, accrual end Saturday 2026-11-14: QuantLib raises for
    # the yield under "following"
    dict(
        coupon_rate=0.06,
        maturity_date="2031-05-14",
        issue_date="2025-12-01",
        first_coupon_date="2026-11-14",
        day_count="ACT/ACT ICMA",
    ),
    # long first coupon ending on a month end, end-of-month flag on, maturity not a month end:
    # QuantLib's notional period starts on 2026-01-31 (not Jan 30)
    dict(
        coupon_rate=0.05,
        maturity_date="2056-01-30",
        issue_date="2025-12-10",
        first_coupon_date="2026-04-30",
        frequency=4,
        day_count="ACT/ACT ICMA",
    ),
    # forward-settled new issue with a first coupon date, and one without
    dict(
        coupon_rate=0.045,
        maturity_date="2036-03-31",
        issue_date="2026-03-15",
        first_coupon_date="2026-09-30",
        day_count="30E/360",
    ),
    dict(
        coupon_rate=0.045,
        maturity_date="2033-05-15",
        issue_date="2026-03-10",
        day_count="ACT/ACT ICMA",
    ),
    # short first coupon, monthly, month end
    dict(
        coupon_rate=0.07,
        maturity_date="2030-12-31",
        issue_date="2026-02-20",
        first_coupon_date="2026-03-31",
        frequency=12,
        day_count="ACT/ACT ICMA",
    ),
    # issued on the settlement date
    dict(
        coupon_rate=0.02, maturity_date="2031-02-27", issue_date="2026-02-27", day_count="ACT/360"
    ),
    # zero coupon rate on a coupon schedule, a 1,000 face bond
    dict(coupon_rate=0.0, maturity_date="2035-05-31", frequency=4, day_count="ACT/365F"),
    dict(coupon_rate=0.11, maturity_date="2049-10-31", face=1000.0, day_count="30/360 BB"),
]


def edge_frame() -> pd.DataFrame:
    rows = [{"id": f"E{i:06d}"} | b for i, b in enumerate(EDGE_BONDS, start=1)]
    frame = pd.DataFrame(rows)
    for col in ("maturity_date", "issue_date", "first_coupon_date"):
        frame[col] = pd.to_datetime(frame[col])
    frame["frequency"] = frame["frequency"].fillna(2).astype(np.int64)
    frame["end_of_month"] = frame["end_of_month"].fillna(True).astype(bool)
    frame["face"] = frame["face"].fillna(100.0)
    return frame


class TwinCase:
    def __init__(self, frame: pd.DataFrame, settlement: dt.date, convention: str, seed: int):
        rng = np.random.default_rng([20260302, seed])
        self.frame = frame
        self.rows = frame.to_dict("records")
        self.settlement = settlement
        self.convention = convention
        self.bonds = etfcore.BondSet.from_frame(frame)
        self.curve_spec = generate_curve(settlement, rng)
        self.yields = rng.uniform(-0.01, 0.30, len(frame))
        self.spreads = rng.uniform(-0.005, 0.03, len(frame))
        self.label = f"settlement {settlement}, {convention}"


def _cases():
    out = []
    for i, s in enumerate(TWIN_SETTLEMENTS):
        for c in CONVENTIONS:
            out.append(("random", s, c, i))
    for c in CONVENTIONS:
        out.append(("edge", EDGE_SETTLEMENT, c, 9))
    return out


_TWIN_CASES: dict[tuple, TwinCase] = {}


@pytest.fixture(scope="module", params=_cases(), ids=lambda p: f"{p[0]}-{p[1]}-{p[2]}")
def twin(request) -> TwinCase:
    kind, settlement, convention, seed = request.param
    if request.param not in _TWIN_CASES:
        if kind == "edge":
            frame = edge_frame()
        else:
            rng = np.random.default_rng([20260303, seed])
            frame = generate_bonds(N_RANDOM_BONDS, settlement, rng)
        _TWIN_CASES[request.param] = TwinCase(frame, settlement, convention, seed)
    return _TWIN_CASES[request.param]


def check(twin: TwinCase, actual, expected, atol: float, what: str) -> None:
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    err = np.abs(actual - expected)
    err[np.isnan(err)] = np.inf
    msg = ""
    if (err > atol).any():
        worst = np.argsort(-err)[:10]
        table = twin.frame.iloc[worst].drop(columns=["face"], errors="ignore").copy()
        table.insert(1, "etfcore", actual[worst])
        table.insert(2, "naive", expected[worst])
        table.insert(3, "abs_diff", err[worst])
        with pd.option_context("display.width", 250, "display.max_columns", 20):
            msg = (
                f"{what}: {int((err > atol).sum())} of {len(err)} bonds differ from the naive "
                f"twin by more than {atol:g} ({twin.label}); worst 10:\n{table.to_string()}"
            )
    np.testing.assert_allclose(actual, expected, atol=atol, rtol=0, err_msg=msg)


# --- the twins against QuantLib ------------------------------------------------------------


def _random_date_pairs(rng, n):
    base = dt.date(1995, 1, 1)
    out = []
    for _ in range(n):
        d1 = base + dt.timedelta(days=int(rng.integers(0, 25_000)))
        d2 = d1 + dt.timedelta(days=int(rng.integers(-400, 4_000)))
        if rng.random() < 0.3:
            d1 = naive.end_of_month(d1)
        if rng.random() < 0.3:
            d2 = naive.end_of_month(d2)
        months = int(rng.choice([1, 3, 6, 12]))
        # mostly a reference period around or after d1, as a coupon's is; some end before d1
        ref_start = d1 + dt.timedelta(days=int(rng.integers(-35 * months, 45 * months)))
        if rng.random() < 0.3:
            ref_start = naive.end_of_month(ref_start)
        ref_end = naive.advance_months(ref_start, months, True)
        out.append((d1, d2, ref_start, ref_end))
    return out


@pytest.fixture(scope="module")
def date_pairs():
    return _random_date_pairs(np.random.default_rng(20260304), N_DATE_PAIRS)


@pytest.mark.parametrize("day_count", naive.DAY_COUNTS)
def test_naive_year_fraction_matches_quantlib(date_pairs, day_count):
    """Source: QuantLib ``DayCounter.yearFraction`` on random dates and reference periods."""
    qdc = qr.ql_day_counter(day_count)
    bad = []
    raised = 0
    for d1, d2, rs, re in date_pairs:
        try:
            expected = qdc.yearFraction(
                qr.ql_date(d1), qr.ql_date(d2), qr.ql_date(rs), qr.ql_date(re)
            )
        except RuntimeError:
            raised += 1
            with pytest.raises(ValueError):
                naive.year_fraction(d1, d2, rs, re, day_count)
            continue
        got = naive.year_fraction(d1, d2, rs, re, day_count)
        if abs(got - expected) > YEAR_FRACTION_TOL:
            bad.append((d1, d2, rs, re, got, expected))
    assert not bad, f"{len(bad)} of {len(date_pairs)} differ ({day_count}); first: {bad[:5]}"
    if day_count == "ACT/ACT ICMA":
        assert raised > 0  # the random pairs reach QuantLib's refusal
    else:
        assert raised == 0


@pytest.mark.parametrize("day_count", naive.DAY_COUNTS)
def test_etfcore_year_fraction_matches_naive(date_pairs, day_count):
    """Pairs whose reference period ends before both dates (no bond asks for those; QuantLib
    and the twin refuse them) are left out."""
    pairs, expected = [], []
    for p in date_pairs:
        try:
            expected.append(naive.year_fraction(*p, day_count=day_count, strict=False))
        except ValueError:
            assert day_count == "ACT/ACT ICMA"
            continue
        pairs.append(p)
    assert len(pairs) > 0.8 * len(date_pairs)
    date_pairs = pairs
    d1, d2, rs, re = (list(x) for x in zip(*date_pairs, strict=True))
    ours = etf_year_fraction(d1, d2, day_count, rs, re)
    err = np.abs(ours - np.asarray(expected))
    worst = int(np.argmax(err))
    assert err.max() <= YEAR_FRACTION_TOL, (
        f"{day_count}: {(err > YEAR_FRACTION_TOL).sum()} of {len(err)} year fractions differ; "
        f"worst {date_pairs[worst]}: etfcore {ours[worst]!r}, naive {expected[worst]!r}"
    )


def test_naive_schedule_matches_quantlib(twin):
    """Source: QuantLib ``FixedRateBond`` / ``ZeroCouponBond`` cash flows."""
    theirs = qr.ql_cashflows(twin.frame, twin.settlement, twin.convention)
    mine = [
        (
            row["id"],
            f.accrual_start,
            f.accrual_end,
            f.ref_start,
            f.ref_end,
            f.payment_date,
            f.amount,
        )
        for row in twin.rows
        for f in naive.schedule(row, twin.settlement, twin.convention)
    ]
    assert len(mine) == len(theirs)
    for a, b in zip(mine, theirs.itertuples(index=False), strict=True):
        assert a[:6] == tuple(b)[:6], (a, tuple(b))
        assert abs(a[6] - b[6]) <= CASHFLOW_TOL, (a, tuple(b))


# --- etfcore against the twins ---------------------------------------------------------------


def test_cashflows_match_naive(twin):
    ours = twin.bonds.cashflows(twin.settlement, twin.convention).to_frame()
    mine = [
        (row["id"], f)
        for row in twin.rows
        for f in naive.schedule(row, twin.settlement, twin.convention)
    ]
    assert len(ours) == len(mine), (
        f"{len(ours)} flows in etfcore, {len(mine)} in the naive twin ({twin.label})"
    )
    assert list(ours["id"]) == [bond_id for bond_id, _ in mine]
    for name in ("accrual_start", "accrual_end", "ref_start", "ref_end", "payment_date"):
        got = ours[name].dt.date.tolist()
        for i, (bond_id, f) in enumerate(mine):
            expected = getattr(f, name)
            if expected is None:  # a zero-coupon redemption: no coupon period
                continue
            assert got[i] == expected, f"{bond_id} {name}: etfcore {got[i]}, naive {expected}"
    check_flows = np.array([f.amount for _, f in mine])
    err = np.abs(ours["amount"].to_numpy() - check_flows)
    worst = int(np.argmax(err))
    assert err.max() <= CASHFLOW_TOL, (
        f"amount of {mine[worst][0]}: etfcore {ours['amount'].iloc[worst]!r}, "
        f"naive {check_flows[worst]!r} ({twin.label})"
    )


def test_accrued_matches_naive(twin):
    ours = etfcore.accrued_interest(twin.bonds, twin.settlement, twin.convention)
    mine = [naive.accrued_interest(r, twin.settlement, twin.convention) for r in twin.rows]
    check(twin, ours, mine, ACCRUED_TOL, "accrued_interest")


def test_price_from_yield_matches_naive(twin):
    ours = etfcore.price_from_yield(
        twin.bonds, twin.yields, twin.settlement, twin.convention, yield_convention="compounded"
    )
    mine = [
        naive.price_from_yield(r, y, twin.settlement, twin.convention, strict=False)
        for r, y in zip(twin.rows, twin.yields, strict=True)
    ]
    check(twin, ours["dirty_price"], [m["dirty_price"] for m in mine], PRICE_TOL, "dirty price")
    check(twin, ours["clean_price"], [m["clean_price"] for m in mine], PRICE_TOL, "clean price")


@pytest.mark.parametrize("yield_convention", ["street", "treasury_auction"])
def test_price_and_yield_under_each_convention_match_naive(twin, yield_convention):
    """The naive twin discounts each flow directly, ``(1 + y/f)^(-f (t - rho)) / (1 + y rho)``."""
    ours = etfcore.price_from_yield(
        twin.bonds, twin.yields, twin.settlement, twin.convention, yield_convention=yield_convention
    )
    mine = [
        naive.price_from_yield(
            r, y, twin.settlement, twin.convention, strict=False, yield_convention=yield_convention
        )
        for r, y in zip(twin.rows, twin.yields, strict=True)
    ]
    check(twin, ours["dirty_price"], [m["dirty_price"] for m in mine], PRICE_TOL, "dirty price")
    back = etfcore.yield_from_price(
        twin.bonds,
        [m["clean_price"] for m in mine],
        twin.settlement,
        twin.convention,
        yield_convention=yield_convention,
    )
    check(twin, back, twin.yields, YIELD_TOL, f"yield ({yield_convention})")


def test_yield_and_risk_match_naive(twin):
    """etfcore's yield of the naive price is the naive bisection's yield (and the drawn one)."""
    clean = np.array(
        [
            naive.price_from_yield(r, y, twin.settlement, twin.convention, strict=False)[
                "clean_price"
            ]
            for r, y in zip(twin.rows, twin.yields, strict=True)
        ]
    )
    ours = etfcore.analytics_from_price(
        twin.bonds, clean, twin.settlement, twin.convention, yield_convention="compounded"
    )
    mine = [
        naive.yield_from_price(r, c, twin.settlement, twin.convention, strict=False)
        for r, c in zip(twin.rows, clean, strict=True)
    ]
    check(twin, ours["yield_to_maturity"], mine, YIELD_TOL, "yield (naive bisection)")
    check(twin, ours["yield_to_maturity"], twin.yields, YIELD_TOL, "yield (drawn)")
    risk = [
        naive.duration_convexity(r, y, twin.settlement, twin.convention, strict=False)
        for r, y in zip(twin.rows, ours["yield_to_maturity"], strict=True)
    ]
    for col, tol in (
        ("modified_duration", DURATION_TOL),
        ("macaulay_duration", DURATION_TOL),
        ("convexity", CONVEXITY_TOL),
    ):
        check(twin, ours[col], [m[col] for m in risk], tol, col)


def test_curve_price_matches_naive(twin):
    spec = twin.curve_spec
    ours = etfcore.price_bonds(
        twin.bonds,
        spec.to_etfcore(),
        twin.settlement,
        twin.spreads,
        twin.convention,
        yield_convention="compounded",
    )
    mine = [
        naive.dirty_price_from_curve(
            r, spec.node_days, spec.zero_rates, twin.settlement, twin.convention, s
        )
        for r, s in zip(twin.rows, twin.spreads, strict=True)
    ]
    check(twin, ours["dirty_price"], mine, PRICE_TOL, "dirty price from the curve")


def test_edge_bonds_agree_with_quantlib_where_it_answers():
    """The edge set against QuantLib directly; the one refusal is the understood one."""
    frame = edge_frame()
    spec = generate_curve(EDGE_SETTLEMENT, np.random.default_rng(7))
    for convention in CONVENTIONS:
        ref, failures = qr.reference_analytics(frame, spec, EDGE_SETTLEMENT, convention)
        bonds = etfcore.BondSet.from_frame(frame)
        ours = etfcore.price_bonds(
            bonds,
            spec.to_etfcore(),
            EDGE_SETTLEMENT,
            0.0,
            convention,
            yield_convention="compounded",
        )
        if convention == "unadjusted":
            assert failures.empty
        else:
            assert list(failures["id"]) == ["E000017"], failures.to_string()
            assert (failures["message"] == qr.ISMA_LONG_FIRST_COUPON_MESSAGE).all()
        ok = ref["yield_to_maturity"].notna()
        for col, tol in (
            ("clean_price", PRICE_TOL),
            ("accrued_interest", ACCRUED_TOL),
            ("yield_to_maturity", YIELD_TOL),
            ("modified_duration", DURATION_TOL),
            ("convexity", CONVEXITY_TOL),
        ):
            np.testing.assert_allclose(
                ours.loc[ok, col],
                ref.loc[ok, col],
                atol=tol,
                rtol=0,
                err_msg=f"{col}, {convention}",
            )


def test_edge_quirk_notional_period_starts_on_month_end():
    """E000018: first coupon 2026-04-30 (a month end), EOM flag on, maturity 2056-01-30.

    QuantLib's ``FixedRateLeg`` takes the notional period of an irregular first coupon as
    ``NullCalendar().advance(2026-04-30, -3 months, Unadjusted, endOfMonth=True)`` =
    2026-01-31 (the end-of-month rule follows the flag and the coupon date, not the
    maturity); a plain ``Date - 3 Months`` would give 2026-01-30.
    """
    frame = edge_frame()
    row = frame.loc[frame["id"] == "E000018"].iloc[0].to_dict()
    first = naive.schedule(row, EDGE_SETTLEMENT)[0]
    assert first.ref_start == dt.date(2026, 1, 31)
    bond = qr.ql_bond(row, "unadjusted", EDGE_SETTLEMENT)
    assert qr.py_date(ql.as_coupon(bond.cashflows()[0]).referencePeriodStart()) == dt.date(
        2026, 1, 31
    )
    ours = etfcore.BondSet.from_frame(frame).cashflows(EDGE_SETTLEMENT).to_frame()
    got = ours.loc[ours["id"] == "E000018", "ref_start"].iloc[0]
    assert pd.Timestamp(got).date() == dt.date(2026, 1, 31)
