"""The one date parser (etfcore.bonds.dates.to_days / to_day): each accepted form, each error.

Reference day numbers are numpy's own ``datetime64[D]`` integers (days since 1970-01-01).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etfcore import BondSet, InputError
from etfcore.bonds.dates import (
    MAX_DAY_NUMBER,
    MIN_DAY_NUMBER,
    NO_DATE,
    parse_days,
    to_day,
    to_days,
)

D = int(np.datetime64("2027-05-03", "D").astype(np.int64))  # 20941, numpy's own count


# ------------------------------------------------------------------ each accepted form
@pytest.mark.parametrize(
    "value",
    [
        "2027-05-03",
        " 2027-05-03 ",
        "2027-5-3",
        "2027/05/03",
        "2027.05.03",
        "2027-05-03T16:30:00",
        "2027-05-03 16:30:00+00:00",
        "20270503",
        20270503,
        np.int64(20270503),
        20270503.0,
        D,
        np.int32(D),
        dt.date(2027, 5, 3),
        dt.datetime(2027, 5, 3, 23, 59),
        pd.Timestamp("2027-05-03 10:00"),
        pd.Timestamp("2027-05-03 23:00", tz="US/Eastern"),  # local date
        np.datetime64("2027-05-03"),
        np.datetime64("2027-05-03T12:00:00.000000000"),
        "May 03, 2027",
        "May 3 2027",
        "may 3, 2027",
        "3 May 2027",
        "03-May-2027",
        "03MAY2027",
        "3rd May 2027",
        "2027-May-03",
    ],
)
def test_each_form_reads_as_the_same_day(value):
    assert to_day(value) == D
    assert int(to_days(value)) == D
    assert to_days([value, value]).tolist() == [D, D]


def test_month_names_full_abbreviated_and_sept():
    assert to_day("Feb 01, 2046") == to_day("2046-02-01")  # the iShares form
    assert to_day("September 3, 2027") == to_day("Sept 3, 2027") == to_day("2027-09-03")
    assert to_day("February 1 2046") == to_day("2046-02-01")


def test_arrays_keep_their_shape_and_kind():
    grid = np.array([[20270503, D], [D, 20270504]])
    assert to_days(grid).tolist() == [[D, D], [D, D + 1]]
    assert to_days(np.array(["2027-05-03", "2027-05-04"], dtype="datetime64[D]")).tolist() == [
        D,
        D + 1,
    ]
    assert to_days(pd.Series(["2027-05-03", "20270504"])).tolist() == [D, D + 1]
    assert to_days(pd.Index(["2027-05-03"])).tolist() == [D]
    mixed = [dt.date(2027, 5, 3), "2027-05-03", 20270503, D, pd.Timestamp("2027-05-03")]
    assert to_days(mixed).tolist() == [D] * 5


def test_integer_rule_day_numbers_and_yyyymmdd():
    assert to_day(0) == 0  # 1970-01-01
    assert to_day(MIN_DAY_NUMBER) == to_day("1900-01-01")
    assert to_day(MAX_DAY_NUMBER) == to_day("2999-12-31")
    assert to_day(19000101) == to_day("1900-01-01")
    assert to_day(29991231) == to_day("2999-12-31")
    # a column of yyyymmdd ints with a missing cell (pandas makes it float)
    col = pd.Series([20270503, None], dtype="float64")
    assert to_days(col, allow_missing=True).tolist() == [D, int(NO_DATE)]


def test_unambiguous_day_month_reads_the_only_valid_reading():
    assert to_day("13/05/2027") == to_day("2027-05-13")  # day first: 13 May
    assert to_day("05/13/2027") == to_day("2027-05-13")  # month first: 13 May
    assert to_day("05.05.2027") == to_day("2027-05-05")  # the same either way
    assert to_day("31-12-2027") == to_day("2027-12-31")


def test_missing_values():
    got = to_days(["2027-05-03", None, "", "-", "n/a", np.nan, pd.NaT], allow_missing=True)
    assert got.tolist() == [D] + [int(NO_DATE)] * 6
    assert to_days(np.array([D, NO_DATE]), allow_missing=True).tolist() == [D, int(NO_DATE)]
    with pytest.raises(InputError, match=r"maturity_date: row 1 missing; give a date"):
        to_days(["2027-05-03", None], where="maturity_date")


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("text, day_first, month_first", [
    ("03/05/2027", "2027-05-03", "2027-03-05"),
    ("03.05.2027", "2027-05-03", "2027-03-05"),
    ("03-05-2027", "2027-05-03", "2027-03-05"),
    ("1/2/2030", "2030-02-01", "2030-01-02"),
])  # fmt: skip
def test_ambiguous_day_month_is_an_error_that_says_how_to_write_it(text, day_first, month_first):
    with pytest.raises(InputError, match=rf"is ambiguous.*'{day_first}' or '{month_first}'"):
        to_day(text)
    with pytest.raises(InputError, match=rf"date: row 1 '{text}' is ambiguous"):
        to_days(["2027-05-03", text])


@pytest.mark.parametrize(
    "value, match",
    [
        ("2027-02-30", r"'2027-02-30' is not a real calendar date"),
        (20270230, r"20270230 is not a real calendar date"),
        (1234567, r"1234567 is neither a day number \(-25567\.\.376199.*nor a yyyymmdd"),
        (-30000, r"-30000 is neither a day number"),
        (30000101, r"30000101 is neither a day number"),
        (10**30, r"is neither a day number"),
        ("2027", r"'2027' is not a date; write it as an ISO date"),
        ("03/05/27", r"'03/05/27' is not a date"),
        ("tomorrow", r"'tomorrow' is not a date"),
        ("Foo 3, 2027", r"'Foo 3, 2027' is not a date"),
        (True, r"True is not a date"),
        (20270503.5, r"is not a date"),
        (None, r"missing; give a date"),
    ],
)
def test_bad_dates_raise_naming_the_value(value, match):
    with pytest.raises(InputError, match=match):
        to_day(value)


def test_errors_name_row_label_and_count_more():
    s = pd.Series(["2027-05-03", "x", "y"], index=["A", "B", "C"])
    with pytest.raises(InputError, match=r"mat: row 1 \(B\) 'x' is not a date.*\(and 1 more\)"):
        to_days(s, where="mat")
    with pytest.raises(InputError, match=r"expected one date"):
        to_day(["2027-05-03"])


def test_parse_days_never_raises_and_reports_status():
    days, status = parse_days(["2027-05-03", "03/05/2027", None, "x"])
    assert days[0] == D
    assert status.tolist()[0] == 0 and status.tolist()[2] == 1
    assert status[1] != 0 and status[3] != 0


# ------------------------------------------------------------------ BondSet uses it
def _bonds(maturity, issue=None):
    data = {"id": ["B1", "B2"], "coupon_rate": [0.04, 0.05], "maturity_date": maturity}
    if issue is not None:
        data["issue_date"] = issue
    return BondSet.from_frame(pd.DataFrame(data))


def test_bondset_reads_int_dates_as_what_they_are():
    # issue 6: ints used to become 1970-01-01 silently
    want = [to_day("2030-05-15"), to_day("2035-11-30")]
    assert _bonds([20300515, 20351130]).maturity.tolist() == want
    assert _bonds(want).maturity.tolist() == want  # day numbers
    assert _bonds(["May 15, 2030", "Nov 30, 2035"]).maturity.tolist() == want
    assert _bonds(["20300515", "2035-11-30"]).maturity.tolist() == want
    b = _bonds(want, issue=[20200515, None])
    assert b.issue.tolist() == [to_day("2020-05-15"), int(NO_DATE)]


def test_bondset_date_errors_name_row_id_column_value():
    with pytest.raises(InputError, match=r"row 1 \(id B2\), column 'maturity_date': '03/05/2030'"):
        _bonds(["2030-05-15", "03/05/2030"])
    with pytest.raises(InputError, match=r"row 0 \(id B1\), column 'maturity_date': 1234567 is"):
        _bonds([1234567, "2035-11-30"])
    with pytest.raises(InputError, match=r"column 'issue_date': 'soon' is not a date"):
        _bonds(["2030-05-15", "2035-11-30"], issue=["soon", None])


def test_bondset_call_dates_use_the_parser():
    f = pd.DataFrame(
        {
            "id": ["B1"],
            "coupon_rate": [0.05],
            "maturity_date": ["2035-05-15"],
            "call_date": [20300515],
            "call_price": [100.0],
        }
    )
    assert BondSet.from_frame(f).call_dates.tolist() == [to_day("2030-05-15")]
    f["call_date"] = ["04/05/2030"]
    with pytest.raises(InputError, match=r"column 'call_date': '04/05/2030' is ambiguous"):
        BondSet.from_frame(f)


# ------------------------------------------------------------------ property
_FORMS = (
    lambda d: d.isoformat(),
    lambda d: d.strftime("%Y%m%d"),
    lambda d: int(d.strftime("%Y%m%d")),
    lambda d: d.toordinal() - dt.date(1970, 1, 1).toordinal(),
    lambda d: d,
    lambda d: dt.datetime(d.year, d.month, d.day, 13, 5),
    lambda d: pd.Timestamp(d),
    lambda d: np.datetime64(d.isoformat()),
    lambda d: d.strftime("%b %d, %Y"),
    lambda d: d.strftime("%B %d %Y"),
    lambda d: d.strftime("%d-%b-%Y"),
    lambda d: d.strftime("%d%b%Y").upper(),
    lambda d: d.strftime("%Y/%m/%d"),
)


@settings(max_examples=150, deadline=None)
@given(
    day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
    form=st.integers(0, len(_FORMS) - 1),
)
def test_a_date_written_in_each_form_reads_back_to_the_same_day(day, form):
    want = day.toordinal() - dt.date(1970, 1, 1).toordinal()
    value = _FORMS[form](day)
    assert to_day(value) == want
    assert to_days([value]).tolist() == [want]  # the vectorised path agrees


@settings(max_examples=100, deadline=None)
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_day_month_strings_raise_exactly_when_ambiguous(day):
    text = day.strftime("%d/%m/%Y")
    want = day.toordinal() - dt.date(1970, 1, 1).toordinal()
    if day.day <= 12 and day.day != day.month:
        with pytest.raises(InputError, match="is ambiguous"):
            to_day(text)
    else:
        assert to_day(text) == want
