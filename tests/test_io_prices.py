"""Readers of ETF daily prices and shares outstanding (``etfcore/io/_prices.py``).

Each bad-input kind is tested on a tiny CSV written to tmp_path; the real files
(``shared/data/real``, see SOURCES.md) are read when present and skipped otherwise.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import etfcore.io as eio
from etfcore.errors import DataWarning, InputError

EXACT = 1e-12  # values read from text, compared with the same decimal written by hand
OHLCV_HEADER = "Date,Open,High,Low,Close,Adj Close,Volume\n"
YF_HEADER = "Date,Close,High,Low,Open,Volume\n"
ROW1 = "2020-03-18 00:00:00,112.0,112.3,107.0,107.37,100.2,50000000\n"
ROW2 = "2020-03-19 00:00:00,108.0,108.5,103.1,105.05,98.1,60000000\n"
UNADJUSTED_DIR = "etf_ohlcv_2016-04_2021-04_unadjusted_close"
ADJUSTED_DIR = "etf_futures_daily_yfinance_adjusted_2002-2026"
SHARES_FILE = "etf_shares_outstanding_2025-2026.csv"
NAV_FILE = "lqd_nav_daily_ishares_2002-07-22_to_2026-09-16.csv"


def _write(tmp_path, text, name="LQD.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


# ============================================================================ prices: good input


def test_prices_unadjusted_layout(tmp_path):
    prices = eio.read_etf_prices(_write(tmp_path, OHLCV_HEADER + ROW2 + ROW1))
    assert list(prices.columns) == ["open", "high", "low", "close", "adj_close", "volume"]
    assert prices.index.name == "date"
    assert prices.index.is_monotonic_increasing
    assert list(prices.index) == [pd.Timestamp("2020-03-18"), pd.Timestamp("2020-03-19")]
    assert_allclose(prices["close"], [107.37, 105.05], rtol=EXACT)
    assert_allclose(prices["adj_close"], [100.2, 98.1], rtol=EXACT)
    assert prices.attrs == {"source": "LQD.csv", "close_adjusted": False}


def test_prices_adjusted_layout_names_the_columns_adjusted(tmp_path):
    text = YF_HEADER + "2020-03-19,98.1,99,97,98,1\n"
    prices = eio.read_etf_prices(_write(tmp_path, text))
    assert list(prices.columns) == ["adj_open", "adj_high", "adj_low", "adj_close", "volume"]
    assert prices.attrs["close_adjusted"] is True
    assert "close" not in prices  # no unadjusted close: premia cannot be computed by mistake


def test_prices_close_adjusted_false_for_futures(tmp_path):
    text = YF_HEADER + "2020-03-19,131.5,132,130,131,0\n"
    prices = eio.read_etf_prices(_write(tmp_path, text, "ZN_F.csv"), close_adjusted=False)
    assert list(prices.columns) == ["open", "high", "low", "close", "volume"]
    assert prices.attrs["close_adjusted"] is False


def test_prices_close_adjusted_true_contradicts_adj_close_column(tmp_path):
    path = _write(tmp_path, OHLCV_HEADER + ROW1)
    with pytest.raises(InputError, match=r"has both Close and Adj Close.*close_adjusted=True"):
        eio.read_etf_prices(path, close_adjusted=True)


@pytest.mark.parametrize(
    "date", ["2020-03-19", "2020-03-19 00:00:00", "2020-03-19T00:00:00-04:00", "03/19/2020"]
)
def test_prices_date_forms(tmp_path, date):
    prices = eio.read_etf_prices(_write(tmp_path, f"Date,Close\n{date},105.05\n"))
    assert list(prices.index) == [pd.Timestamp("2020-03-19")]


def test_prices_close_only_and_extra_columns(tmp_path):
    text = "date,CLOSE,Dividends\n2020-03-19,105.05,0.2\n"
    # no Adj Close column: taken as yfinance's adjusted layout unless told otherwise
    assert list(eio.read_etf_prices(_write(tmp_path, text)).columns) == ["adj_close"]
    prices = eio.read_etf_prices(_write(tmp_path, text), close_adjusted=False)
    assert list(prices.columns) == ["close"]


def test_prices_null_rows_are_dropped_with_a_warning(tmp_path):
    text = OHLCV_HEADER + ROW1 + "2020-03-20,null,null,null,null,null,null\n" + ROW2
    with pytest.warns(
        DataWarning, match=r"dropped 1 row\(s\) with a date but no price.*2020-03-20"
    ):
        prices = eio.read_etf_prices(_write(tmp_path, text))
    assert len(prices) == 2


def test_prices_close_outside_the_range_is_kept(tmp_path):
    # Yahoo's continuous futures settle outside the traded range on some days
    text = YF_HEADER + "2020-03-19,131.9,131.5,130,131,0\n"
    prices = eio.read_etf_prices(_write(tmp_path, text), close_adjusted=False)
    assert_allclose(prices["close"], [131.9], rtol=EXACT)


# ============================================================================ prices: bad input


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Open,Close\n1,2\n", r"LQD.csv needs a Date and a Close column"),
        ("Date,Open\n2020-03-19,2\n", r"LQD.csv needs a Date and a Close column"),
        ("Date,Close\n2020-03-19,n/a\n", r"line 2, column 'Close': cannot read 'n/a' as a number"),
        ("Date,Close\n2020-03-19,inf\n", r"line 2, column 'Close': 'inf' is not a finite number"),
        ("Date,Close\n2020-03-19,0\n", r"line 2, column 'Close': '0' is zero; expected a price"),
        ("Date,Close\n2020-03-19,-5\n", r"line 2, column 'Close': '-5' is negative"),
        ("Date,Close\n2020-03-19,2000000\n", r"column 'Close': '2000000' is above 1,000,000"),
        ("Date,Close,Volume\n2020-03-19,1,-3\n", r"column 'Volume': '-3' is negative"),
        ("Date,Close,Volume\n2020-03-19,1,2.5\n", r"column 'Volume': '2.5' is not a whole"),
        ("Date,Close,Open\n2020-03-19,,1\n", r"line 2, column 'Close': blank; give a price"),
        ("Date,High,Low,Close\n2020-03-19,1,2,1.5\n", r"column 'High': '1' is below the low '2'"),
        ("Date,Close\n19.03.2020,1\n", r"line 2, column 'Date': '19.03.2020' is not a YYYY-MM-DD"),
        ("Date,Close\n2020-03-19 15:30:00,1\n", r"time, if any, must be 00:00:00"),
        ("Date,Close\n2020-02-30,1\n", r"line 2, column 'Date': '2020-02-30' is not a date"),
        ("Date,Close\n2020-03-19,1\n03/20/2020,1\n", r"line 3.*not a date in this file's layout"),
        ("Date,Close\n,1\n", r"line 2, column 'Date': blank; give a"),
        ("Date,Close\n2020-03-19,1\n2020-03-19,2\n", r"'2020-03-19' appears more than once"),
        ("Date,Close\n2020-03-19,1,7\n", r"line 2: 3 fields, but the header has 2"),
        ("", r"LQD.csv is empty"),
    ],
)
def test_prices_bad_input(tmp_path, text, match):
    with pytest.raises(InputError, match=match):
        eio.read_etf_prices(_write(tmp_path, text))


def test_prices_every_bad_cell_is_listed_at_once(tmp_path):
    text = "Date,Close,Volume\n2020-03-18,abc,1\n2020-03-19,-1,x\n"
    with pytest.raises(InputError) as info:
        eio.read_etf_prices(_write(tmp_path, text))
    message = str(info.value)
    for part in ("line 2, column 'Close'", "line 3, column 'Close'", "line 3, column 'Volume'"):
        assert part in message


def test_prices_lenient_mode_keeps_and_says_what(tmp_path):
    text = "Date,Close,Open\n2020-03-18,0,1\n2020-03-19,,1\n2020-03-20,2,3\n"
    path = _write(tmp_path, text)
    with pytest.raises(InputError, match=r"strict=False keeps"):
        eio.read_etf_prices(path)
    with pytest.warns(
        DataWarning,
        match=r"(?s)kept 2 value\(s\) .*strict=False.*line 2, column 'Close': '0' is zero"
        r".*line 3, column 'Close': blank",
    ):
        prices = eio.read_etf_prices(path, close_adjusted=False, strict=False)
    assert prices["close"].iloc[0] == 0.0
    assert np.isnan(prices["close"].iloc[1])


@pytest.mark.parametrize("value", ["inf", "nan", "abc"])
def test_prices_unreadable_cells_are_errors_even_when_lenient(tmp_path, value):
    path = _write(tmp_path, f"Date,Close\n2020-03-19,{value}\n")
    with pytest.raises(InputError, match=r"line 2, column 'Close'"):
        eio.read_etf_prices(path, strict=False)


def test_prices_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"read_etf_prices: no file at"):
        eio.read_etf_prices(tmp_path / "nope.csv")


# ============================================================================ shares outstanding

SHARES_HEADER = "date,ticker,shares,price\n"


def test_shares_good_input(tmp_path):
    text = SHARES_HEADER + "2026-03-31,LQD,271400000,108.94\n2026-03-30, lqd ,271400000,\n"
    text += '2026-03-31,HYG,"180,000,000",80.1\n'
    shares = eio.read_shares_outstanding(_write(tmp_path, text, "shares.csv"))
    assert shares.index.names == ["ticker", "date"]
    assert list(shares.columns) == ["shares", "price"]
    lqd = shares.loc["LQD"]
    assert list(lqd.index) == [pd.Timestamp("2026-03-30"), pd.Timestamp("2026-03-31")]
    assert_allclose(lqd["shares"], [271.4e6, 271.4e6], rtol=EXACT)
    assert np.isnan(lqd["price"].iloc[0])
    assert_allclose(shares.loc[("HYG", pd.Timestamp("2026-03-31")), "shares"], 180e6, rtol=EXACT)
    assert shares.attrs["source"] == "shares.csv"


def test_shares_without_price_column(tmp_path):
    text = "Date,Ticker,Shares_Outstanding\n2026-03-31,LQD,271400000\n"
    shares = eio.read_shares_outstanding(_write(tmp_path, text, "shares.csv"))
    assert np.isnan(shares["price"]).all()


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("date,ticker\n2026-03-31,LQD\n", r"lacks column\(s\) \['shares'\]"),
        ("date,ticker,shares\n", r"has a header but no rows"),
        (SHARES_HEADER + "2026-03-31,,100,\n", r"line 2, column 'ticker': blank"),
        (SHARES_HEADER + "2026-31-03,LQD,100,\n", r"line 2, column 'date': '2026-31-03' is not"),
        (SHARES_HEADER + "2026-03-31,LQD,,\n", r"line 2, column 'shares': blank"),
        (SHARES_HEADER + "2026-03-31,LQD,0,\n", r"column 'shares': '0' is zero"),
        (SHARES_HEADER + "2026-03-31,LQD,-5,\n", r"column 'shares': '-5' is negative"),
        (SHARES_HEADER + "2026-03-31,LQD,10.5,\n", r"column 'shares': '10.5' is not a whole"),
        (SHARES_HEADER + "2026-03-31,LQD,many,\n", r"column 'shares': cannot read 'many'"),
        (SHARES_HEADER + "2026-03-31,LQD,100,-1\n", r"column 'price': '-1' is negative"),
        (SHARES_HEADER + "2026-03-31,LQD,100,inf\n", r"column 'price': 'inf' is not a finite"),
        (
            SHARES_HEADER + "2026-03-31,LQD,100,\n2026-03-31,lqd,200,\n",
            r"line 3, column 'date': LQD on '2026-03-31' appears more than once",
        ),
    ],
)
def test_shares_bad_input(tmp_path, text, match):
    with pytest.raises(InputError, match=match):
        eio.read_shares_outstanding(_write(tmp_path, text, "shares.csv"))


def test_shares_same_date_for_two_tickers_is_fine(tmp_path):
    text = SHARES_HEADER + "2026-03-31,LQD,100,\n2026-03-31,HYG,200,\n"
    assert len(eio.read_shares_outstanding(_write(tmp_path, text, "shares.csv"))) == 2


def test_shares_lenient_mode_keeps_and_says_what(tmp_path):
    path = _write(tmp_path, SHARES_HEADER + "2026-03-31,LQD,,\n2026-04-01,LQD,0,\n", "s.csv")
    with pytest.warns(
        DataWarning,
        match=r"(?s)kept 2 value\(s\)(?=.*line 2, column 'shares': blank)(?=.*'0' is zero)",
    ):
        shares = eio.read_shares_outstanding(path, strict=False)
    assert np.isnan(shares["shares"].iloc[0])
    assert shares["shares"].iloc[1] == 0.0


def test_shares_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"read_shares_outstanding: no file at"):
        eio.read_shares_outstanding(tmp_path / "nope.csv")


# ============================================================================ real files


def test_real_unadjusted_lqd(real_data):
    prices = eio.read_etf_prices(real_data / UNADJUSTED_DIR / "LQD.csv")
    assert len(prices) == 1258  # SOURCES.md: 1,258 rows, 2016-04-28 .. 2021-04-27
    assert prices.index[0] == pd.Timestamp("2016-04-28")
    assert prices.index[-1] == pd.Timestamp("2021-04-27")
    # SOURCES.md: LQD closed at 105.05 on 2020-03-19 (unadjusted)
    assert_allclose(prices.loc["2020-03-19", "close"], 105.05, rtol=1e-7)
    nav = eio.read_nav_history(real_data / NAV_FILE)
    premium = prices["close"] / nav.reindex(prices.index) - 1.0
    # SOURCES.md: close/NAV - 1 is -5.08 % on 2020-03-19 and +5.04 % on 2020-03-25
    assert_allclose(premium.loc["2020-03-19"], -0.0508, atol=5e-5)
    assert_allclose(premium.loc["2020-03-25"], 0.0504, atol=5e-5)


def test_real_adjusted_close_is_not_the_market_close(real_data):
    adjusted = eio.read_etf_prices(real_data / ADJUSTED_DIR / "LQD.csv")
    unadjusted = eio.read_etf_prices(real_data / UNADJUSTED_DIR / "LQD.csv")
    assert adjusted.attrs["close_adjusted"] and "close" not in adjusted
    both = pd.concat([adjusted["adj_close"], unadjusted["close"]], axis=1, join="inner")
    # dividends after 2020 push the adjusted close several percent below the market close
    assert (both.iloc[:, 0] / both.iloc[:, 1]).loc["2020-03-19"] < 0.95


def test_real_every_price_file_reads(real_data):
    for directory in (UNADJUSTED_DIR, ADJUSTED_DIR):
        for path in sorted((real_data / directory).glob("*.csv")):
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                prices = eio.read_etf_prices(path)
            assert prices.index.is_unique and len(prices) > 1000, path.name


def test_real_shares_outstanding(real_data):
    shares = eio.read_shares_outstanding(real_data / SHARES_FILE)
    assert len(shares) == 369  # SOURCES.md: 369 rows, 52 tickers
    assert shares.index.get_level_values("ticker").nunique() == 52
    # SOURCES.md: LQD 271.4 -> 265.3 -> 272.6 -> 282.9 million over 2026-03-31 .. 04-03
    lqd = shares.loc["LQD", "shares"]
    assert_allclose(lqd.loc["2026-03-31":"2026-04-03"] / 1e6, [271.4, 265.3, 272.6, 282.9])
