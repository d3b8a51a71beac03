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
    assert "clean_prices: 2 value(s) are not a positive number" in msg
    assert "row 1 (id B): -3.0" in msg
    assert "row 2 (id C): nan" in msg


def test_series_prices_aligned_by_id_and_missing_ids(bonds):
    prices = pd.Series({"C": 99.0, "A": 100.0, "B": 101.0})
    y = etfcore.yield_from_price(bonds, prices, SETTLE)
    assert list(y.index) == ["A", "B", "C"]
    with pytest.raises(InputError, match=r"no value for 1 bond id\(s\), e.g. \['B'\]"):
        etfcore.yield_from_price(bonds, prices.drop("B"), SETTLE)


def test_wrong_length(bonds):
    with pytest.raises(InputError, match=r"expected 3 values \(one per bond\), got shape \(2,\)"):
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


def test_yield_below_minus_frequency(bonds):
    with pytest.raises(InputError, match="at or below -2"):
        etfcore.price_from_yield(bonds, [0.05, -2.5, 0.05], SETTLE)


def test_spread_nan(bonds):
    curve = etfcore.ZeroCurve("2026-02-27", [1.0, 10.0], [0.04, 0.045])
    with pytest.raises(InputError, match="spread: 1 value"):
        etfcore.price_bonds(bonds, curve, SETTLE, spread=[0.01, np.nan, 0.0])
