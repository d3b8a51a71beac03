"""BondSet.from_frame: validation at the boundary, one test per user-visible error."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import etfcore
from etfcore import BondSet, IdentifierWarning, InputError
from etfcore.bonds.dates import NO_DATE, to_day


def frame(**overrides):
    base = {
        "id": ["B1", "B2", "B3"],
        "coupon_rate": [0.04, 0.05, 0.0],
        "maturity_date": ["2030-05-15", "2035-11-30", "2028-02-29"],
    }
    base.update(overrides)
    return pd.DataFrame(base)


def test_minimal_frame_defaults():
    b = BondSet.from_frame(frame())
    assert len(b) == 3
    assert list(b.ids) == ["B1", "B2", "B3"]
    np.testing.assert_array_equal(b.frequency, [2, 2, 2])
    np.testing.assert_array_equal(b.day_count, [0, 0, 0])  # 30/360 US
    np.testing.assert_array_equal(b.face, [100.0, 100.0, 100.0])
    assert (b.issue == NO_DATE).all()
    assert b.maturity[0] == to_day("2030-05-15")
    assert "3 bonds" in repr(b)


def test_roundtrip_to_frame_and_attributes():
    f = frame(sector=["Banking", "Energy", "Technology"], day_count=["ACT/ACT", "30E/360", "A/360"])
    b = BondSet.from_frame(f)
    out = b.to_frame()
    assert list(out["day_count"]) == ["ACT/ACT ICMA", "30E/360", "ACT/360"]
    assert list(out["sector"]) == ["Banking", "Energy", "Technology"]
    again = BondSet.from_frame(out.reset_index())
    np.testing.assert_array_equal(again.maturity, b.maturity)


def test_take_and_select():
    b = BondSet.from_frame(frame())
    s = b.select(["B3", "B1"])
    assert list(s.ids) == ["B3", "B1"]
    with pytest.raises(InputError, match="not in this BondSet: \\['NOPE'\\]"):
        b.select(["NOPE"])


def test_missing_columns():
    with pytest.raises(InputError, match=r"missing column\(s\) \['maturity_date'\]"):
        BondSet.from_frame(pd.DataFrame({"id": ["A"], "coupon_rate": [0.01]}))


def test_not_a_frame():
    with pytest.raises(InputError, match="expected a pandas DataFrame"):
        BondSet.from_frame({"id": ["A"]})


def test_nan_values_named_by_row_and_column():
    f = frame(coupon_rate=[0.04, np.nan, 0.0], maturity_date=["2030-05-15", "2031-01-01", None])
    with pytest.raises(InputError) as e:
        BondSet.from_frame(f)
    msg = str(e.value)
    assert "row 1 (id B2), column 'coupon_rate'" in msg
    assert "row 2 (id B3), column 'maturity_date': missing" in msg
    assert len(e.value.problems) == 2


def test_duplicate_ids():
    with pytest.raises(InputError, match=r"rows \[0, 2\], column 'id': duplicate id 'B1'"):
        BondSet.from_frame(frame(id=["B1", "B2", "B1"]))


@pytest.mark.parametrize(
    ("coupon", "text"),
    [(-0.01, "is negative"), (3.2, "if the column is in percent, divide it by 100")],
)
def test_negative_or_absurd_coupon(coupon, text):
    with pytest.raises(InputError, match=text):
        BondSet.from_frame(frame(coupon_rate=[0.04, coupon, 0.0]))


def test_unknown_day_count_and_frequency():
    f = frame(day_count=["30/360", "ACT/366", "30/360"], frequency=[2, 3, 2])
    with pytest.raises(InputError) as e:
        BondSet.from_frame(f)
    msg = str(e.value)
    assert "unknown day count 'ACT/366'" in msg
    assert "unknown frequency 3" in msg


def test_issue_after_maturity():
    f = frame(issue_date=["2031-01-01", None, None])
    with pytest.raises(InputError, match="issue_date'\\: 2031-01-01 is on or after maturity"):
        BondSet.from_frame(f)


def test_matured_with_settlement():
    with pytest.raises(InputError, match="2028-02-29 is on or before settlement 2029-01-02"):
        BondSet.from_frame(frame(), settlement_date="2029-01-02")


def test_first_coupon_off_roll_and_without_issue():
    f = frame(
        issue_date=["2025-01-10", None, None], first_coupon_date=["2025-10-01", "2026-05-30", None]
    )
    with pytest.raises(InputError) as e:
        BondSet.from_frame(f)
    msg = str(e.value)
    assert "not on the coupon roll" in msg
    assert "needs issue_date" in msg


def test_zero_coupon_with_coupon_rate():
    with pytest.raises(InputError, match="a zero-coupon bond has coupon_rate 0"):
        BondSet.from_frame(frame(frequency=[2, 0, 0]))


def test_bad_face_and_unparsable_date():
    f = frame(face=[100, -5, 1000], maturity_date=["2030-05-15", "next year", "2028-02-29"])
    with pytest.raises(InputError) as e:
        BondSet.from_frame(f)
    assert "'next year' is not a date" in str(e.value)
    assert "column 'face': -5.0 must be positive" in str(e.value)


def test_cusip_check_digit_strict_and_lenient():
    # 037833100 is Apple's common stock CUSIP (valid); 037833101 has a wrong check digit
    f = frame(id=["037833100", "037833101", "B3"])
    with pytest.raises(InputError, match="check digit should be 0, got 1"):
        BondSet.from_frame(f)
    with pytest.warns(IdentifierWarning, match="kept 1 row"):
        b = BondSet.from_frame(f, strict=False)
    assert "037833101" in b.ids


def test_isin_column_checked():
    f = frame(isin=["US0378331005", "US0378331006", ""])
    with pytest.raises(InputError, match="column 'isin': ISIN 'US0378331006'"):
        BondSet.from_frame(f)


def test_calls_validation():
    calls = pd.DataFrame(
        {"id": ["B1", "ZZ"], "call_date": ["2031-01-01", "2029-01-01"], "call_price": [100, 100]}
    )
    with pytest.raises(InputError) as e:
        BondSet.from_frame(frame(), calls=calls)
    msg = str(e.value)
    assert "is not before maturity 2030-05-15" in msg
    assert "calls row 1 (id ZZ), column 'id': not a bond of this set" in msg


def test_calls_stored_as_csr():
    calls = pd.DataFrame(
        {
            "id": ["B2", "B1", "B2"],
            "call_date": ["2033-11-30", "2029-05-15", "2031-11-30"],
            "call_price": [100.5, 100.0, 101.0],
        }
    )
    b = BondSet.from_frame(frame(), calls=calls)
    np.testing.assert_array_equal(b.call_offsets, [0, 1, 3, 3])
    assert list(b.calls_frame()["call_price"]) == [100.0, 101.0, 100.5]
    np.testing.assert_array_equal(b.is_callable, [True, True, False])


def test_seed_basket_reports_every_problem_at_once(seed_data):
    """The brief's basket: six bad check digits and four matured bonds, in one message.

    Reference: DESIGN.md ("Six of its ten CUSIPs fail the check digit ... four bonds
    have matured before today"); the six are checked independently in test_identifiers.
    """
    raw = pd.read_csv(seed_data / "seed_basket.csv", dtype={"cusip": str})
    f = pd.DataFrame(
        {
            "id": raw["cusip"],
            "coupon_rate": raw["coupon_pct"] / 100.0,
            "maturity_date": raw["maturity"],
            "issuer": raw["issuer"],
        }
    )
    settle = etfcore.settlement_date("2026-11-21")  # "today" in the brief's timeline
    with pytest.raises(InputError) as e:
        BondSet.from_frame(f, settlement_date=settle)
    problems = e.value.problems
    digits = [p for p in problems if "check digit" in p]
    matured = [p for p in problems if "has matured" in p]
    assert len(digits) == 6, problems
    assert len(matured) == 4, problems
    for cusip in ("06051GHD4", "125581FE4", "46625HGY8", "20030NBD4"):
        assert any(cusip in p for p in matured)
    assert "10 problems found" in str(e.value)


def test_lenient_seed_basket_keeps_rows_but_still_rejects_matured(seed_data):
    raw = pd.read_csv(seed_data / "seed_basket.csv", dtype={"cusip": str})
    f = pd.DataFrame(
        {
            "id": raw["cusip"],
            "coupon_rate": raw["coupon_pct"] / 100.0,
            "maturity_date": raw["maturity"],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IdentifierWarning)
        b = BondSet.from_frame(f, strict=False)
    assert len(b) == 10
