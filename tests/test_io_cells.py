"""Bad cells in data files: every reader reports them by file, line and column.

One checking path (``etfcore/io/_cells.py``) serves the iShares, Treasury, FRED and
TRACE readers. Three kinds of problem, each tested on a tiny CSV written to tmp_path:
unreadable cells (always an error), out-of-range or missing required cells (an error;
with ``strict=False`` kept and listed in a DataWarning), and implausible values of the
file's own analytics (a DataWarning, kept).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from test_io import _bond, _cash, _cusip, _ishares_csv, _write

import etfcore.io as eio
from etfcore.errors import DataWarning, InputError
from etfcore.io import _cells
from etfcore.io._trace import read_trace_activity

EXACT = 1e-12
CUSIP = _cusip("98765XYZ")

# ============================================================================ iShares


@pytest.mark.parametrize(
    ("cells", "match"),
    [
        ({"Price": "n/a"}, rf"line 2 \({CUSIP}\), column 'Price': 'n/a' is not a value"),
        ({"Price": "-"}, r"column 'Price': '-' is not a value; every bond needs a clean price"),
        ({"Price": "0"}, r"column 'Price': '0' is zero; expected a clean price per 100 face"),
        ({"Price": "1,010.00"}, r"column 'Price': '1,010.00' is above 1,000"),
        ({"Par Value": "-10,000,000.00"}, r"column 'Par Value': '-10,000,000.00' is negative"),
        ({"Market Value": "0.00"}, r"column 'Market Value': '0.00' is zero"),
        ({"Coupon (%)": "45"}, r"column 'Coupon \(%\)': '45' is above 30; expected a coupon"),
        ({"Coupon (%)": "-1"}, r"column 'Coupon \(%\)': '-1' is negative"),
        ({"Weight (%)": "250"}, r"column 'Weight \(%\)': '250' is above 100"),
        ({"FX Rate": "0"}, r"column 'FX Rate': '0' is zero; expected an FX rate, > 0"),
        ({"Maturity": "-"}, r"column 'Maturity': '-' is not a date; give a"),
    ],
)
def test_ishares_out_of_range_cells_are_errors(tmp_path, cells, match):
    path = _ishares_csv(tmp_path, [_bond("98765XYZ", **cells), _cash()])
    with pytest.raises(InputError, match=rf"holdings.csv: values that .*(?s:.*){match}"):
        eio.read_ishares_holdings_frame(path)


def test_ishares_lenient_mode_keeps_and_says_what(tmp_path):
    rows = [_bond("98765XYZ", **{"Price": "n/a", "Par Value": "-10,000,000.00"}), _cash()]
    path = _ishares_csv(tmp_path, rows)
    with pytest.warns(
        DataWarning,
        match=r"(?s)kept 2 value\(s\) outside their plausible range or missing, as read "
        r"\(strict=False.*column 'Par Value': '-10,000,000.00' is negative"
        r".*column 'Price': 'n/a' is not a value",
    ):
        holdings = eio.read_ishares_holdings_frame(path, strict=False)
    assert np.isnan(holdings.loc[CUSIP, "price"])
    assert holdings.loc[CUSIP, "par_value_usd"] == -10_000_000.0
    assert np.isnan(holdings.loc[CUSIP, "accrued_interest"])  # no positive par: no accrued


@pytest.mark.parametrize("value", ["inf", "-Infinity", "nan", "1e400"])
def test_ishares_non_finite_cells_are_errors_even_when_lenient(tmp_path, value):
    path = _ishares_csv(tmp_path, [_bond("98765XYZ", Price=value)])
    match = rf"column 'Price': '{value}' is not a finite number"
    with pytest.raises(InputError, match=match):
        eio.read_ishares_holdings_frame(path)
    with pytest.raises(InputError, match=match):
        eio.read_ishares_holdings_frame(path, strict=False)


def test_ishares_every_bad_cell_is_listed_at_once(tmp_path):
    rows = [
        _bond("98765XYZ", Price="n/a"),
        _bond("12345ABC", **{"Par Value": "-5", "Market Value": "abc"}),
    ]
    with pytest.raises(InputError, match=r"3 problems found") as info:
        eio.read_ishares_holdings_frame(_ishares_csv(tmp_path, rows))
    assert [p.split(":")[0] for p in info.value.problems] == [
        f"line 3 ({_cusip('12345ABC')}), column 'Market Value'",  # unreadable first
        f"line 3 ({_cusip('12345ABC')}), column 'Par Value'",
        f"line 2 ({CUSIP}), column 'Price'",
    ]


def test_ishares_implausible_analytics_warn_and_are_kept(tmp_path):
    path = _ishares_csv(tmp_path, [_bond("98765XYZ", **{"YTM (%)": "250", "Duration": "140"})])
    with pytest.warns(
        DataWarning,
        match=r"(?s)2 value\(s\) look implausible; kept as read.*'Duration': '140' is above 100"
        r".*'YTM \(%\)': '250' is above 200; expected a yield in percent",
    ):
        holdings = eio.read_ishares_holdings_frame(path)
    assert_allclose(holdings.loc[CUSIP, "ytm"], 2.5, rtol=EXACT)


def test_ishares_cash_rows_are_not_held_to_bond_rules(tmp_path):
    cash = _cash(**{"Market Value": "-2,000.00", "Par Value": "-2,000.00", "Price": "-"})
    holdings = eio.read_ishares_holdings_frame(_ishares_csv(tmp_path, [_bond("98765XYZ"), cash]))
    assert holdings.loc["USD_CASH", "market_value_usd"] == -2000.0
    assert np.isnan(holdings.loc["USD_CASH", "price"])


def test_ishares_dates_in_other_layouts(tmp_path):
    rows = [
        _bond("98765XYZ", Maturity="2030-06-15"),
        _bond("12345ABC", Maturity="06/15/2030"),
    ]
    holdings = eio.read_ishares_holdings_frame(_ishares_csv(tmp_path, rows))
    assert (holdings["maturity_date"] == pd.Timestamp("2030-06-15")).all()
    bad = _ishares_csv(tmp_path, [_bond("98765XYZ", Maturity="15.06.2030")], name="b.csv")
    with pytest.raises(InputError, match=r"'15.06.2030' is not a 'Jan 05, 2029' or YYYY-MM-DD"):
        eio.read_ishares_holdings_frame(bad)


# ============================================================================ Treasury, FRED

TREASURY = "Date,1 Mo,10 Yr\n2020-01-02,1.53,{}\n2020-01-03,1.52,1.80\n"


@pytest.mark.parametrize(
    ("cell", "match"),
    [
        ("inf", r"line 2, column '10 Yr': 'inf' is not a finite number"),
        ("nan", r"line 2, column '10 Yr': 'nan' is not a finite number"),
        ("437", r"line 2, column '10 Yr': '437' is above 25; expected a yield in percent"),
        ("-0.5", r"line 2, column '10 Yr': '-0.5' is negative"),
        ("1.8x", r"line 2, column '10 Yr': cannot read '1.8x' as a number"),
    ],
)
def test_treasury_bad_yields(tmp_path, cell, match):
    path = _write(tmp_path, "par.csv", TREASURY.format(cell))
    with pytest.raises(InputError, match=rf"par.csv: values that cannot be read(?s:.*){match}"):
        eio.read_treasury_par_yields(path)


def test_treasury_unquoted_comma_is_an_error_not_a_shifted_row(tmp_path):
    path = _write(tmp_path, "par.csv", TREASURY.format("1,88"))
    with pytest.raises(InputError, match=r"(?s)par.csv: rows with more fields.*line 2: 4 fields"):
        eio.read_treasury_par_yields(path)
    trace = _write(tmp_path, "trace.csv", TRACE_HEADER + TRACE_ROW.format("1,000"))
    with pytest.raises(InputError, match=r"(?s)trace.csv: rows with more fields.*line 2: 6 fields"):
        read_trace_activity(trace)


def test_treasury_lenient_keeps_out_of_range_yields(tmp_path):
    path = _write(tmp_path, "par.csv", TREASURY.format("437"))
    with pytest.warns(
        DataWarning, match=r"(?s)par.csv: kept 1 value.*line 2, column '10 Yr': '437'"
    ):
        curve = eio.read_treasury_par_yields(path, strict=False)
    assert_allclose(curve.loc["2020-01-02", 10.0], 4.37, rtol=EXACT)
    with pytest.raises(InputError, match="'inf' is not a finite number"):  # nothing to keep
        eio.read_treasury_par_yields(
            _write(tmp_path, "i.csv", TREASURY.format("inf")), strict=False
        )


def test_treasury_month_first_dates(tmp_path):
    text = "Date,1 Mo\n01/03/2020,1.5\n01/02/20,1.5\n"
    with pytest.raises(InputError, match=r"line 3, column 'Date': '01/02/20' is not a date in "):
        eio.read_treasury_par_yields(_write(tmp_path, "a.csv", text))
    two_digit = eio.read_treasury_par_yields(
        _write(tmp_path, "b.csv", "Date,1 Mo\n01/03/20,1.5\n12/31/99,1.5\n")
    )
    assert list(two_digit.index) == [pd.Timestamp("1999-12-31"), pd.Timestamp("2020-01-03")]


@pytest.mark.parametrize(
    ("cell", "match"),
    [
        ("inf", r"line 3, column 'DGS10': 'inf' is not a finite number"),
        ("437", r"line 3, column 'DGS10': '437' is above 25"),
        ("-1", r"line 3, column 'DGS10': '-1' is negative"),
    ],
)
def test_fred_bad_values(tmp_path, cell, match):
    path = _write(tmp_path, "DGS10.csv", f"DATE,DGS10\n2020-01-02,1.9\n2020-01-03,{cell}\n")
    with pytest.raises(InputError, match=rf"DGS10.csv: (?s:.*){match}"):
        eio.read_fred_series(path)


def test_fred_lenient_keeps_out_of_range_values(tmp_path):
    path = _write(tmp_path, "DGS10.csv", "DATE,DGS10\n2020-01-02,437\n2020-01-03,.\n")
    with pytest.warns(DataWarning, match=r"(?s)kept 1 value.*'437' is above 25"):
        series = eio.read_fred_series(path, strict=False)
    assert_allclose(series.iloc[0], 4.37, rtol=EXACT)
    assert np.isnan(series.iloc[1])


# ============================================================================ TRACE

TRACE_HEADER = "cusip,window_start,window_end,n_trades,total_volume_floor\n"
TRACE_ROW = "037833DP2,2025-09-04,2025-12-04,{},5000000\n"


@pytest.mark.parametrize(
    ("cell", "match"),
    [
        ("inf", r"line 2, column 'n_trades': 'inf' is not a finite number"),
        ("-3", r"line 2, column 'n_trades': '-3' is negative"),
        ("2.5", r"line 2, column 'n_trades': '2.5' is not a whole number"),
    ],
)
def test_trace_bad_counts(tmp_path, cell, match):
    path = _write(tmp_path, "trace.csv", TRACE_HEADER + TRACE_ROW.format(cell))
    with pytest.raises(InputError, match=match):
        read_trace_activity(path)


def test_trace_lenient_keeps_a_negative_count(tmp_path):
    path = _write(tmp_path, "trace.csv", TRACE_HEADER + TRACE_ROW.format("-3"))
    with pytest.warns(DataWarning, match=r"(?s)kept 1 value.*'n_trades': '-3' is negative"):
        trace = read_trace_activity(path, strict=False)
    assert trace["n_trades"].iloc[0] == -3


# ============================================================================ the one path


def test_every_reader_parses_dates_with_to_days(tmp_path, monkeypatch):
    """Readers call etfcore.bonds.dates.to_days (the package's one date parser)."""
    calls: list[list[str]] = []
    real = _cells.to_days

    def spy(values, where="date", allow_missing=False):
        calls.append(list(values))
        return real(values, where, allow_missing)

    monkeypatch.setattr(_cells, "to_days", spy)
    eio.read_treasury_par_yields(_write(tmp_path, "p.csv", "Date,1 Mo\n01/03/2020,1.5\n"))
    assert calls[-1] == ["2020-01-03"]  # month-first rewritten to ISO by the file's layout
    eio.read_fred_series(_write(tmp_path, "f.csv", "DATE,DGS5\n2020-01-02,1.6\n"))
    assert calls[-1] == ["2020-01-02"]
    read_trace_activity(_write(tmp_path, "t.csv", TRACE_HEADER + TRACE_ROW.format("5")))
    assert ["2025-09-04"] in calls and ["2025-12-04"] in calls
    eio.read_ishares_holdings_frame(_ishares_csv(tmp_path, [_bond("98765XYZ")]))
    assert ["Jun 15, 2030"] in calls  # the iShares layout goes to to_days as written


def test_bounds_describe_and_cell_log():
    assert _cells.Bounds(0.0, hint="a count", integer=True).describe() == (
        "a count, >= 0 (whole number)"
    )
    log = _cells.CellLog("x.csv", ["line 2", "line 3"], strict=False)
    text = pd.Series(["1", "-2"])
    values = log.numbers(text, "n")
    log.check(values, text, "n", _cells.Bounds(0.0, hint="a count"))
    with pytest.warns(DataWarning, match=r"(?s)x.csv: kept 1 value.*line 3, column 'n': '-2'"):
        log.finish("bad")


# ============================================================================ NAV history, preamble


def test_read_nav_history(tmp_path):
    path = _write(tmp_path, "nav.csv", "Date,NAV\n2020-03-19,110.5\n2020-03-18,\n2020-03-20,111\n")
    nav = eio.read_nav_history(path)
    assert list(nav.index) == list(pd.to_datetime(["2020-03-18", "2020-03-19", "2020-03-20"]))
    assert np.isnan(nav.iloc[0]) and nav.name == "nav" and nav.index.name == "date"


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("Date,NAV\n2020-03-19,n/a\n", r"line 2, column 'NAV': cannot read 'n/a' as a number"),
        ("Date,NAV\n2020-03-19,inf\n", r"line 2, column 'NAV': 'inf' is not a finite number"),
        ("Date,NAV\n2020-03-19,-110\n", r"line 2, column 'NAV': '-110' is negative"),
        ("Date,NAV\n2020-03-19,0\n", r"line 2, column 'NAV': '0' is zero"),
        ("Date,NAV\n2020-03-19,1\n03/20/2020,1\n", r"line 3, column 'Date': '03/20/2020' is not"),
        ("Date,NAV\n2020-03-19,1\n2020-03-19,2\n", r"line 3, column 'Date': '2020-03-19' appears"),
        ("When,NAV\n2020-03-19,1\n", r"needs columns Date and NAV"),
    ],
)
def test_read_nav_history_bad_cells(tmp_path, body, match):
    with pytest.raises(InputError, match=match):
        eio.read_nav_history(_write(tmp_path, "nav.csv", body))


@pytest.mark.real_data
def test_read_nav_history_lqd(real_data):
    nav = eio.read_nav_history(real_data / "lqd_nav_daily_ishares_2002-07-22_to_2026-09-16.csv")
    assert len(nav) == 6080 and nav.index.is_monotonic_increasing
    assert_allclose(nav.loc["2025-12-17"], 110.458527, rtol=EXACT)  # the file's line


def test_ishares_preamble_shares_outstanding(tmp_path):
    from test_io import PREAMBLE

    path = _ishares_csv(tmp_path, [_bond("98765XYZ")], preamble=PREAMBLE)
    assert eio.read_ishares_holdings_frame(path).attrs["shares_outstanding"] == 283_500_000.0
    bad = [*PREAMBLE[:3], ["Shares Outstanding", "lots"], *PREAMBLE[4:]]
    path = _ishares_csv(tmp_path, [_bond("98765XYZ")], preamble=bad, name="b.csv")
    with pytest.raises(InputError, match=r"(?s)b.csv: .*line 4, column 'Shares Outstanding'"):
        eio.read_ishares_holdings_frame(path)
