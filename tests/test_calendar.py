"""US government-bond calendar against QuantLib.

Reference: QuantLib 1.44, ``ql.UnitedStates(ql.UnitedStates.GovernmentBond)``, computed in
the tests. All comparisons are exact (day numbers and counts are integers).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from etfcore.bonds.calendar import (
    US_GOVERNMENT_BOND,
    BusinessCalendar,
    settlement_date,
    us_government_bond_holidays,
    weekday,
)
from etfcore.bonds.dates import to_day
from etfcore.errors import InputError

ql = pytest.importorskip("QuantLib")

QL_CALENDAR = ql.UnitedStates(ql.UnitedStates.GovernmentBond)
QL_SERIAL_OF_EPOCH = 25569  # QuantLib serial number of 1970-01-01
FIRST_DAY = to_day("1901-01-01")
LAST_DAY = to_day("2199-12-31")
N_RANDOM = 5000
QL_CONVENTIONS = {
    "unadjusted": ql.Unadjusted,
    "following": ql.Following,
    "modified_following": ql.ModifiedFollowing,
    "preceding": ql.Preceding,
}


def ql_date(day: int) -> ql.Date:
    return ql.Date(int(day) + QL_SERIAL_OF_EPOCH)


def from_ql(date: ql.Date) -> int:
    return date.serialNumber() - QL_SERIAL_OF_EPOCH


def random_days(seed: int, n: int = N_RANDOM, margin: int = 30) -> np.ndarray:
    """Random day numbers, ``margin`` days clear of the ends of the supported range."""
    rng = np.random.default_rng(seed)
    return rng.integers(FIRST_DAY + margin, LAST_DAY - margin, size=n, dtype=np.int64)


# --- holidays and business days ---------------------------------------------------------


def test_is_business_day_matches_quantlib_every_day():
    days = np.arange(FIRST_DAY, LAST_DAY + 1, dtype=np.int64)
    expected = np.array([QL_CALENDAR.isBusinessDay(ql_date(d)) for d in days])
    got = US_GOVERNMENT_BOND.is_business_day(days)
    assert got.dtype == np.bool_
    mismatched = days[got != expected].astype("datetime64[D]")
    assert mismatched.size == 0, f"disagree with QuantLib on {mismatched[:10]}"


def test_holidays_match_quantlib_holiday_list():
    # QuantLib's holidayList cannot reach its own maxDate, so stop a day short.
    expected = np.array(
        [
            from_ql(d)
            for d in QL_CALENDAR.holidayList(ql_date(FIRST_DAY), ql_date(LAST_DAY - 1), False)
        ]
    )
    got = us_government_bond_holidays(1901, 2199)
    assert got.dtype == np.int64
    assert np.all(np.diff(got) > 0)
    np.testing.assert_array_equal(got[got < LAST_DAY], expected)
    np.testing.assert_array_equal(US_GOVERNMENT_BOND.holidays, got)


def test_holidays_for_a_few_years_are_a_slice_of_the_full_list():
    full = us_government_bond_holidays(1901, 2199)
    part = us_government_bond_holidays(1969, 1984)
    lo, hi = to_day("1969-01-01"), to_day("1984-12-31")
    np.testing.assert_array_equal(part, full[(full >= lo) & (full <= hi)])


@pytest.mark.parametrize(
    ("date", "is_open", "rule"),
    [
        ("1982-01-18", True, "no MLK Day before 1983"),
        ("1983-01-17", False, "MLK Day from 1983"),
        ("1970-02-23", False, "Washington's birthday Feb 22 (Sunday) -> Monday before 1971"),
        ("1970-10-12", True, "no Columbus Day before 1971"),
        ("1975-10-27", False, "Veterans Day on the fourth Monday of October, 1971-77"),
        ("2017-11-10", True, "Veterans Day on a Saturday is not moved to Friday"),
        ("2021-12-31", True, "New Year's Day on a Saturday is not moved to Friday"),
        ("2021-06-18", True, "no Juneteenth before 2022"),
        ("2022-06-20", False, "Juneteenth, Sunday -> Monday"),
        ("2024-03-29", False, "Good Friday"),
        ("2023-04-07", True, "Good Friday on the first Friday of April (payrolls) is open"),
        ("2026-04-03", True, "Good Friday on the first Friday of April (payrolls) is open"),
        ("1994-04-01", False, "first-Friday Good Fridays close before 1996"),
        ("2004-06-11", False, "Reagan funeral"),
        ("2012-10-29", True, "Hurricane Sandy: bond market open on the 29th"),
        ("2012-10-30", False, "Hurricane Sandy"),
        ("2018-12-05", False, "G. H. W. Bush funeral"),
        ("2025-01-09", True, "Carter funeral was an early close, not a holiday, in QL 1.44"),
    ],
)
def test_named_rules(date, is_open, rule):
    assert bool(US_GOVERNMENT_BOND.is_business_day(date)) is is_open, rule
    assert QL_CALENDAR.isBusinessDay(ql_date(to_day(date))) is is_open, rule


def test_weekday_counts_from_a_thursday():
    days = np.arange(-800, 800)
    expected = days.astype("datetime64[D]").astype(object)
    np.testing.assert_array_equal(weekday(days), [d.weekday() for d in expected])
    assert weekday("1970-01-01") == 3


# --- adjust, advance, count -----------------------------------------------------------------


@pytest.mark.parametrize("convention", list(QL_CONVENTIONS))
def test_adjust_matches_quantlib(convention):
    days = random_days(seed=11)
    # add every day of a few awkward months: month ends on weekends and holidays
    awkward = np.arange(to_day("2026-05-01"), to_day("2026-06-05"))
    days = np.concatenate([days, awkward, np.arange(to_day("2021-12-20"), to_day("2022-01-05"))])
    expected = [from_ql(QL_CALENDAR.adjust(ql_date(d), QL_CONVENTIONS[convention])) for d in days]
    got = US_GOVERNMENT_BOND.adjust(days, convention)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("n", [-3, -1, 0, 1, 2, 5])
def test_advance_matches_quantlib(n):
    days = random_days(seed=23 + n)
    expected = [from_ql(QL_CALENDAR.advance(ql_date(d), n, ql.Days)) for d in days]
    np.testing.assert_array_equal(US_GOVERNMENT_BOND.advance(days, n), expected)


def test_advance_broadcasts_an_array_of_counts():
    rng = np.random.default_rng(5)
    days = random_days(seed=5, n=1000)
    n = rng.integers(-10, 11, size=days.size)
    expected = [
        from_ql(QL_CALENDAR.advance(ql_date(d), int(k), ql.Days))
        for d, k in zip(days, n, strict=True)
    ]
    np.testing.assert_array_equal(US_GOVERNMENT_BOND.advance(days, n), expected)


@pytest.mark.parametrize(
    ("include_first", "include_last"), [(True, False), (True, True), (False, False), (False, True)]
)
def test_business_days_between_matches_quantlib(include_first, include_last):
    rng = np.random.default_rng(31)
    start = random_days(seed=31, margin=60)
    end = start + rng.integers(-40, 41, size=start.size)  # includes end == start
    expected = [
        QL_CALENDAR.businessDaysBetween(ql_date(a), ql_date(b), include_first, include_last)
        for a, b in zip(start, end, strict=True)
    ]
    got = US_GOVERNMENT_BOND.business_days_between(start, end, include_first, include_last)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, expected)


def test_business_days_between_defaults_and_long_spans():
    start = random_days(seed=47, n=100)
    end = random_days(seed=48, n=100)
    expected = [
        QL_CALENDAR.businessDaysBetween(ql_date(a), ql_date(b))
        for a, b in zip(start, end, strict=True)
    ]
    np.testing.assert_array_equal(US_GOVERNMENT_BOND.business_days_between(start, end), expected)


# --- shapes and types -------------------------------------------------------------------------


def test_scalar_in_scalar_out_and_series_in_series_out():
    assert isinstance(US_GOVERNMENT_BOND.is_business_day("2026-01-19"), np.bool_)
    assert isinstance(US_GOVERNMENT_BOND.adjust("2026-01-19"), np.int64)
    s = pd.Series(pd.to_datetime(["2026-01-16", "2026-01-17"]), index=["a", "b"], name="trade")
    out = US_GOVERNMENT_BOND.advance(s, 1)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["a", "b"]
    assert out.tolist() == [to_day("2026-01-20"), to_day("2026-01-20")]
    grid = np.array([[to_day("2026-01-19"), to_day("2026-01-20")]] * 3)
    assert US_GOVERNMENT_BOND.is_business_day(grid).shape == (3, 2)
    dates64 = np.array(["2026-01-19", "2026-01-20"], dtype="datetime64[D]")
    assert US_GOVERNMENT_BOND.is_business_day(dates64).tolist() == [False, True]


def test_holidays_between():
    got = US_GOVERNMENT_BOND.holidays_between("2026-01-01", "2026-12-31")
    assert isinstance(got, pd.DatetimeIndex)
    expected = [
        d.ISO() for d in QL_CALENDAR.holidayList(ql.Date(1, 1, 2026), ql.Date(31, 12, 2026), False)
    ]
    assert got.strftime("%Y-%m-%d").tolist() == expected


def test_from_holidays_builds_a_custom_calendar():
    cal = BusinessCalendar.from_holidays("toy", ["2026-01-19", "2026-01-17", "2026-01-19"])
    np.testing.assert_array_equal(cal.holidays, [to_day("2026-01-19")])  # weekend dropped
    assert cal.advance("2026-01-16", 1) == to_day("2026-01-20")
    assert cal.holidays.flags.writeable is False


def test_import_does_not_build_the_holiday_table():
    code = (
        "from etfcore.bonds.calendar import US_GOVERNMENT_BOND as c; "
        "assert 'holidays' not in vars(c); c.is_business_day(0); "
        "assert 'holidays' in vars(c)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- settlement --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trade", "lag", "settle"),
    [
        ("2026-01-14", 1, "2026-01-15"),  # Wednesday -> Thursday
        ("2026-01-23", 1, "2026-01-26"),  # Friday -> Monday
        ("2026-01-16", 1, "2026-01-20"),  # Friday before MLK Day -> Tuesday
        ("2025-12-24", 1, "2025-12-26"),  # day before Christmas
        ("2026-01-17", 1, "2026-01-21"),  # Saturday before MLK Day: as if traded Tuesday
        ("2026-01-24", 1, "2026-01-27"),  # Saturday: as if traded Monday, settles Tuesday
        ("2026-01-24", 0, "2026-01-26"),  # T+0 on a Saturday: the adjusted trade date
        ("2026-01-23", 2, "2026-01-27"),  # T+2
    ],
)
def test_settlement_date_examples(trade, lag, settle):
    got = settlement_date(trade, lag)
    assert isinstance(got, int)
    assert got == to_day(settle)
    ql_settle = QL_CALENDAR.advance(
        QL_CALENDAR.adjust(ql_date(to_day(trade)), ql.Following), lag, ql.Days
    )
    assert got == from_ql(ql_settle)


def test_settlement_date_of_an_array():
    trades = random_days(seed=59, n=1000)
    expected = [
        from_ql(QL_CALENDAR.advance(QL_CALENDAR.adjust(ql_date(d)), 1, ql.Days)) for d in trades
    ]
    got = settlement_date(trades)
    assert isinstance(got, np.ndarray)
    np.testing.assert_array_equal(got, expected)


# --- errors ------------------------------------------------------------------------------------


def test_out_of_range_dates_raise():
    with pytest.raises(InputError, match=r"1900-12-31.*outside the supported range 1901-01-01"):
        US_GOVERNMENT_BOND.is_business_day("1900-12-31")
    with pytest.raises(InputError, match=r"row 1 day .*2200-01-01.* to 2199-12-31"):
        US_GOVERNMENT_BOND.adjust(["2026-01-01", "2200-01-01"])
    with pytest.raises(InputError, match=r"start: .*outside the supported range"):
        US_GOVERNMENT_BOND.business_days_between("1850-01-01", "2026-01-01")
    with pytest.raises(InputError, match=r"outside the supported range"):
        settlement_date("2250-06-01")


def test_results_past_the_end_of_the_range_raise():
    with pytest.raises(InputError, match=r"advance: the result for .*2199-12-30.* falls outside"):
        US_GOVERNMENT_BOND.advance("2199-12-30", 5)
    with pytest.raises(InputError, match=r"adjust: the result for .*1901-01-01.* falls outside"):
        US_GOVERNMENT_BOND.adjust("1901-01-01", "preceding")
    # modified following never needs the preceding day here, so it must not fail
    assert US_GOVERNMENT_BOND.adjust("1901-01-01", "modified_following") == to_day("1901-01-02")


def test_bad_arguments_raise():
    with pytest.raises(InputError, match=r"year 1900 is outside .*1901-2199"):
        us_government_bond_holidays(1900, 2000)
    with pytest.raises(InputError, match=r"first_year 2001 is after last_year 2000"):
        us_government_bond_holidays(2001, 2000)
    with pytest.raises(InputError, match=r"unknown payment convention 'nearest'"):
        US_GOVERNMENT_BOND.adjust("2026-01-19", "nearest")
    with pytest.raises(InputError, match=r"business_days: expected whole numbers.*1\.5"):
        US_GOVERNMENT_BOND.advance("2026-01-19", 1.5)
    with pytest.raises(InputError, match=r"lag: expected a whole number .* got -1"):
        settlement_date("2026-01-19", -1)
    with pytest.raises(InputError, match=r"start .*2026-02-01.* is after end"):
        US_GOVERNMENT_BOND.holidays_between("2026-02-01", "2026-01-01")
    with pytest.raises(InputError, match=r"not a date"):
        US_GOVERNMENT_BOND.is_business_day("not a date")
