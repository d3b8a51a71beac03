"""Bad input to the pricing functions: every path raises a clear InputError."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import etfcore
from etfcore import BondSet, InputError
from etfcore.bonds.pricing import ConvergenceWarning

SETTLE = "2026-03-02"


@pytest.fixture(scope="module")
def bonds():
    return BondSet.from_frame(
        pd.DataFrame(
            {
                "id": ["A", "B", "C"],
                "coupon_rate": [0.04, 0.06, 0.02],
                "maturity_date": ["2030-05-15", "2036-11-30", "2027-02-26"],
            }
        )
    )


def test_non_positive_and_nan_prices_named(bonds):
    with pytest.raises(InputError) as e:
        etfcore.yield_from_price(bonds, [101.0, -3.0, np.nan], SETTLE)
    msg = str(e.value)
    assert "clean_prices: every value must be a finite number > 0" in msg
    assert msg.endswith("got row 1 (id B): -3.0, row 2 (id C): nan")


def test_series_prices_aligned_by_id_and_missing_ids(bonds):
    prices = pd.Series({"C": 99.0, "A": 100.0, "B": 101.0})
    y = etfcore.yield_from_price(bonds, prices, SETTLE)
    assert list(y.index) == ["A", "B", "C"]
    with pytest.raises(InputError, match=r"clean_prices: .*no value for 1 bond\(s\): B\)"):
        etfcore.yield_from_price(bonds, prices.drop("B"), SETTLE)


def test_wrong_length(bonds):
    with pytest.raises(InputError, match=r"clean_prices: 2 values \(shape \(2,\)\) for 3 bonds"):
        etfcore.yield_from_price(bonds, [100.0, 100.0], SETTLE)


def test_yield_that_does_not_solve_is_named_never_silent_nan(bonds):
    # 1e6 per 100 face is above the price at a -99% yield: no yield gives it
    with pytest.raises(InputError) as e:
        etfcore.yield_from_price(bonds, [100.0, 1e6, 100.0], SETTLE)
    msg = str(e.value)
    assert "row 1 (id B), dirty price" in msg
    assert "no yield between" in msg
    assert e.value.failed == ["B"]
    with pytest.warns(ConvergenceWarning, match="id B"):
        y = etfcore.yield_from_price(bonds, [100.0, 1e6, 100.0], SETTLE, on_error="warn")
    assert np.isnan(y["B"]) and np.isfinite(y[["A", "C"]]).all()


def test_bond_matured_at_settlement(bonds):
    with pytest.raises(InputError, match="pay nothing after settlement 2027-03-01"):
        etfcore.accrued_interest(bonds, "2027-03-01")


def test_unknown_payment_convention(bonds):
    with pytest.raises(InputError, match="unknown payment convention 'nearest'"):
        etfcore.accrued_interest(bonds, SETTLE, payment_convention="nearest")


def test_bad_on_error(bonds):
    with pytest.raises(InputError, match="on_error: 'ignore' is not 'raise' or 'warn'"):
        etfcore.yield_from_price(bonds, 100.0, SETTLE, on_error="ignore")


def test_not_a_bondset():
    with pytest.raises(InputError, match="expected an etfcore.BondSet, got DataFrame"):
        etfcore.yield_from_price(pd.DataFrame(), 100.0, SETTLE)


def test_not_a_curve(bonds):
    with pytest.raises(InputError, match="curve: expected a ZeroCurve"):
        etfcore.price_bonds(bonds, [0.04, 0.05], SETTLE)


def test_bad_settlement_date(bonds):
    with pytest.raises(InputError, match="settlement_date"):
        etfcore.accrued_interest(bonds, "not a date")


def test_yield_below_minus_frequency():
    # an annual bond at -100%: 1 + y/f = 0, no price (the percentage check allows |y| <= 1)
    annual = BondSet.from_frame(
        pd.DataFrame(
            {"id": ["Y"], "coupon_rate": [0.04], "maturity_date": ["2030-05-15"], "frequency": [1]}
        )
    )
    with pytest.raises(InputError, match="at or below -1"):
        etfcore.price_from_yield(annual, -1.0, SETTLE)


def test_spread_nan(bonds):
    curve = etfcore.ZeroCurve("2026-02-27", [1.0, 10.0], [0.04, 0.045])
    with pytest.raises(
        InputError, match=r"spread: every value must be a finite number; got row 1 \(id B\): nan"
    ):
        etfcore.price_bonds(bonds, curve, SETTLE, spread=[0.01, np.nan, 0.0])


# ---------------------------------------------------------------- units and ranges (issue 6)
@pytest.mark.parametrize("bad", [4.5, -2.5, [0.05, 4.5, 0.05]])
def test_yield_in_percent_is_an_error(bonds, bad):
    with pytest.raises(InputError, match="yields: .*looks like a percentage"):
        etfcore.price_from_yield(bonds, bad, SETTLE)


def test_yield_error_names_the_bond(bonds):
    with pytest.raises(InputError, match=r"yields: row 1 \(id B\) has 4.5"):
        etfcore.price_from_yield(bonds, pd.Series({"A": 0.05, "B": 4.5, "C": 0.04}), SETTLE)


@pytest.mark.parametrize("func", ["price_bonds", "reprice_scenarios", "key_rate_durations"])
def test_spread_in_bp_is_an_error(bonds, func):
    curve = etfcore.ZeroCurve("2026-02-27", [1.0, 10.0], [0.04, 0.045])
    target = curve.parallel_shocks([0.0, 10.0]) if func == "reprice_scenarios" else curve
    with pytest.raises(InputError, match=r"spread: row 0 \(id A\) has 80.*basis points"):
        getattr(etfcore, func)(bonds, target, SETTLE, 80.0)


@pytest.mark.parametrize("bump", [0, 0.0, -1.0, 101.0, 1e6, np.nan, np.inf])
def test_key_rate_bump_out_of_range(bonds, bump):
    curve = etfcore.ZeroCurve("2026-02-27", [1.0, 10.0], [0.04, 0.045])
    with pytest.raises(InputError, match=r"bump_bp: .* 0 < bump_bp <= 100"):
        etfcore.key_rate_durations(bonds, curve, SETTLE, bump_bp=bump)


def test_key_rate_bump_not_a_number(bonds):
    curve = etfcore.ZeroCurve("2026-02-27", [1.0, 10.0], [0.04, 0.045])
    with pytest.raises(InputError, match="bump_bp: 'one' is not a number"):
        etfcore.key_rate_durations(bonds, curve, SETTLE, bump_bp="one")


def test_key_rate_old_bp_keyword_warns_and_agrees(bonds):
    from etfcore.errors import EtfcoreDeprecationWarning

    curve = etfcore.ZeroCurve("2026-02-27", [1.0, 5.0, 10.0], [0.04, 0.042, 0.045])
    new = etfcore.key_rate_durations(bonds, curve, SETTLE, bump_bp=2.0)
    with pytest.warns(EtfcoreDeprecationWarning, match="use 'bump_bp='"):
        old = etfcore.key_rate_durations(bonds, curve, SETTLE, bp=2.0)
    pd.testing.assert_frame_equal(old, new)
    with pytest.raises(InputError, match="got both 'bp' .* and 'bump_bp'"):
        etfcore.key_rate_durations(bonds, curve, SETTLE, bp=2.0, bump_bp=2.0)


def test_key_rate_curve_without_knots(bonds):
    with pytest.raises(InputError, match="curve: expected a ZeroCurve"):
        etfcore.key_rate_durations(bonds, object(), SETTLE)


@pytest.mark.parametrize("value", ["Street", "simple", None, 1])
def test_unknown_yield_convention(bonds, value):
    with pytest.raises(InputError, match="yield_convention: .* is not one of"):
        etfcore.yield_from_price(bonds, 100.0, SETTLE, yield_convention=value)
    with pytest.raises(InputError, match="yield_convention"):
        etfcore.price_from_yield(bonds, 0.05, SETTLE, yield_convention=value)


# ---------------------------------------------------------------- settlement before the curve
LATE_CURVE_DATE = "2026-03-10"  # after SETTLE


@pytest.mark.parametrize(
    "call",
    [
        lambda b, c: etfcore.price_bonds(b, c, SETTLE),
        lambda b, c: etfcore.z_spread_from_price(b, c, 100.0, SETTLE),
        lambda b, c: etfcore.key_rate_durations(b, c, SETTLE),
        lambda b, c: etfcore.reprice_scenarios(b, c.parallel_shocks([0.0, 1.0]), SETTLE),
    ],
    ids=["price_bonds", "z_spread_from_price", "key_rate_durations", "reprice_scenarios"],
)
def test_settlement_before_curve_date(bonds, call):
    curve = etfcore.ZeroCurve(LATE_CURVE_DATE, [1.0, 10.0], [0.04, 0.045])
    with pytest.raises(
        InputError,
        match=r"settlement_date 2026-03-02 is before the .*reference date 2026-03-10.*"
        r"does not extrapolate backwards",
    ):
        call(bonds, curve)


def test_settlement_on_curve_date_is_fine(bonds):
    curve = etfcore.ZeroCurve(SETTLE, [1.0, 10.0], [0.04, 0.045])
    assert etfcore.price_bonds(bonds, curve, SETTLE)["clean_price"].notna().all()


# ---------------------------------------------------------------- one per-bond coercer (issue 6)
def test_prices_of_other_bonds_in_a_series_are_ignored(bonds):
    # a price Series of a larger universe prices the bonds of this set (aligned by id)
    universe = pd.Series({"Z": 50.0, "C": 99.0, "A": 100.0, "B": 101.0})
    expected = etfcore.yield_from_price(bonds, [100.0, 101.0, 99.0], SETTLE)
    pd.testing.assert_series_equal(etfcore.yield_from_price(bonds, universe, SETTLE), expected)


def test_duplicate_price_ids(bonds):
    prices = pd.Series([100.0, 101.0, 99.0, 98.0], index=["A", "B", "C", "C"])
    with pytest.raises(InputError, match=r"clean_prices: bond id\(s\) \['C'\] are given more"):
        etfcore.yield_from_price(bonds, prices, SETTLE)


@pytest.mark.parametrize(
    ("prices", "match"),
    [
        ([100.0, "n/a", 99.0], r"clean_prices: 'n/a' \(row 1, id B\) is not a number"),
        ("par", r"clean_prices: 'par' is not a number"),
        ([100.0, np.inf, 99.0], r"clean_prices: .*> 0; got row 1 \(id B\): inf$"),
        (0.0, r"clean_prices: 0.0 must be a finite number > 0"),
    ],
)
def test_prices_that_are_not_positive_numbers(bonds, prices, match):
    with pytest.raises(InputError, match=match):
        etfcore.yield_from_price(bonds, prices, SETTLE)


def test_infinite_yield_or_spread_is_an_error(bonds):
    with pytest.raises(InputError, match=r"yields: every value must be a finite number; got row 0"):
        etfcore.price_from_yield(bonds, [np.inf, 0.05, 0.05], SETTLE)
    curve = etfcore.ZeroCurve("2026-02-27", [1.0, 10.0], [0.04, 0.045])
    with pytest.raises(InputError, match=r"spread: -inf must be a finite number"):
        etfcore.price_bonds(bonds, curve, SETTLE, -np.inf)
