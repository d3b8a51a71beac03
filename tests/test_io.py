"""File readers: real-data paths, Treasury par yields, FRED series, iShares holdings."""

from __future__ import annotations

import calendar
import csv
import io
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import etfcore
import etfcore.io as eio
from etfcore.bonds.identifiers import cusip_check_digit, isin_from_cusip
from etfcore.errors import DataWarning, IdentifierWarning, InputError
from etfcore.io import _paths
from etfcore.io.ishares import (
    SOURCE_LONG,
    SOURCE_NOT_EOM,
    SOURCE_ON_ROLL,
    SOURCE_SEASONED,
    SOURCE_SHORT,
    SOURCE_UNPAID,
    bonds_frame,
    days360_us,
    infer_schedule_conventions,
)

LQD_FILE = "lqd_holdings_2026-01_approx.csv"
UST_OLD = "ust_par_yield_curve_1990-2023.csv"
UST_NEW = "ust_par_yield_curve_2021-2025-07.csv"
EXACT = 1e-12  # values read from text, compared with the same decimal written by hand

# ============================================================================ paths


def test_real_data_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ETFCORE_REAL_DATA", str(tmp_path))
    assert eio.real_data_dir() == tmp_path


def test_real_data_dir_environment_not_a_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("ETFCORE_REAL_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="ETFCORE_REAL_DATA is set to .*not a directory"):
        eio.real_data_dir()


def test_real_data_dir_walks_up_from_cwd(tmp_path, monkeypatch):
    monkeypatch.delenv("ETFCORE_REAL_DATA", raising=False)
    real = tmp_path / "shared" / "data" / "real"
    real.mkdir(parents=True)
    (real / "x.csv").write_text("a\n1\n")
    deep = tmp_path / "repo" / "notebooks"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert eio.real_data_dir() == real.resolve()
    assert eio.real_data_path("x.csv") == real.resolve() / "x.csv"
    with pytest.raises(
        FileNotFoundError, match=r"y.csv is not in the real-data directory .* x.csv"
    ):
        eio.real_data_path("y.csv")


def test_real_data_dir_not_found_says_where_and_how(tmp_path, monkeypatch):
    monkeypatch.delenv("ETFCORE_REAL_DATA", raising=False)
    monkeypatch.setattr(_paths, "_RELATIVE", Path("no") / "such" / "directory")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="(?s)Looked in:.*export ETFCORE_REAL_DATA=") as e:
        eio.real_data_dir()
    assert str(tmp_path.resolve() / "no" / "such" / "directory") in str(e.value)


@pytest.mark.real_data
def test_real_data_dir_agrees_with_conftest(real_data, monkeypatch):
    monkeypatch.setenv("ETFCORE_REAL_DATA", str(real_data))
    assert eio.real_data_path(LQD_FILE).is_file()


# ============================================================================ Treasury


@pytest.fixture(scope="module")
def ust_old(real_data):
    with pytest.warns(
        DataWarning, match=r"dropped 1 row\(s\) with a date but no yield.*2010-10-11"
    ):
        return eio.read_treasury_par_yields(real_data / UST_OLD)


@pytest.fixture(scope="module")
def ust_new(real_data):
    return eio.read_treasury_par_yields(real_data / UST_NEW)  # no warning: no blank row


@pytest.mark.real_data
def test_treasury_1990_2023(ust_old):
    df = ust_old
    assert df.shape == (8507 - 1, 13)
    assert df.index.name == "date"
    assert isinstance(df.index, pd.DatetimeIndex)
    assert df.index.is_monotonic_increasing and df.index.is_unique
    assert (df.index[0], df.index[-1]) == (pd.Timestamp("1990-01-02"), pd.Timestamp("2023-12-29"))
    assert pd.Timestamp("2010-10-11") not in df.index
    assert_allclose(
        df.columns.to_numpy(), [1 / 12, 2 / 12, 3 / 12, 4 / 12, 0.5, 1, 2, 3, 5, 7, 10, 20, 30]
    )
    # first line of the file: 01/02/1990,,,7.83,,7.89,7.81,7.87,7.9,7.87,7.98,7.94,,8.0
    first = df.iloc[0]
    assert_allclose(first[0.25], 0.0783, rtol=EXACT)
    assert_allclose(first[30.0], 0.080, rtol=EXACT)
    assert np.isnan(first[1 / 12]) and np.isnan(first[20.0])
    # last line: 12/29/2023,5.6,5.59,5.4,5.41,5.26,4.79,4.23,4.01,3.84,3.88,3.88,4.2,4.03
    last = np.array([5.6, 5.59, 5.4, 5.41, 5.26, 4.79, 4.23, 4.01, 3.84, 3.88, 3.88, 4.2, 4.03])
    assert_allclose(df.iloc[-1].to_numpy(), last / 100, rtol=EXACT)
    # decimal scale, and the publication gaps stay NaN (SOURCES.md)
    assert 0 <= np.nanmin(df.to_numpy()) and np.nanmax(df.to_numpy()) < 0.1
    assert df.loc[:"2001-07-30", 1 / 12].isna().all()
    assert df.loc["2001-07-31":, 1 / 12].notna().mean() > 0.99
    assert df.loc["2002-02-19":"2006-02-08", 30.0].isna().all()
    assert df.loc[:"2022-10-18", 4 / 12].isna().all()
    # SOURCES.md says four blank 3-month values; the fourth is the blank 2010-10-11 row
    assert df.loc["2008-12", 0.25].isna().sum() == 3


@pytest.mark.real_data
def test_treasury_2021_2025(ust_new):
    df = ust_new
    assert df.shape == (1115, 14)
    assert df.index.is_monotonic_increasing  # the file is in descending order
    assert (df.index[0], df.index[-1]) == (pd.Timestamp("2021-01-04"), pd.Timestamp("2025-07-11"))
    assert_allclose(
        df.columns.to_numpy(),
        [1 / 12, 1.5 / 12, 2 / 12, 3 / 12, 4 / 12, 0.5, 1, 2, 3, 5, 7, 10, 20, 30],
    )
    # first data line of the file: 2025-07-11,4.37,4.39,4.47,4.41,4.42,4.31,4.09,3.9,...,4.96
    assert_allclose(df.loc["2025-07-11", 1.5 / 12], 0.0439, rtol=EXACT)
    assert_allclose(df.loc["2025-07-11", 30.0], 0.0496, rtol=EXACT)
    assert df.loc[:"2025-02-17", 1.5 / 12].isna().all()
    assert df.loc["2025-02-18":, 1.5 / 12].notna().all()


@pytest.mark.real_data
def test_treasury_files_agree_with_each_other_and_fred(ust_old, ust_new, real_data):
    common = ust_new.loc["2021":"2023", ust_old.columns]
    assert len(common) == 750
    pd.testing.assert_frame_equal(common, ust_old.loc["2021":"2023"], check_freq=False)
    # FRED's DGS10 is the Treasury's 10-year par yield (H.15 constant maturity)
    dgs10 = eio.read_fred_series(real_data / "fred_dgs" / "DGS10.csv")
    joined = pd.concat([ust_old[10.0], ust_new[10.0]]).groupby(level=0).first()
    both = pd.concat([joined.rename("ust"), dgs10.rename("fred")], axis=1, join="inner").dropna()
    assert len(both) > 8000
    assert_allclose(both["ust"], both["fred"], rtol=EXACT)


@pytest.mark.real_data
def test_fred_series(real_data):
    s = eio.read_fred_series(real_data / "fred_dgs" / "DGS10.csv")
    assert s.name == "DGS10"
    assert s.attrs["tenor_years"] == 10.0
    assert len(s) == 16774
    assert s.index.name == "date" and s.index.is_monotonic_increasing
    assert_allclose(s.iloc[0], 0.0406, rtol=EXACT)  # 1962-01-02,4.06
    assert s.isna().any()  # holidays are blank and stay NaN
    assert len(eio.read_fred_series(real_data / "fred_dgs" / "DGS10.csv", dropna=True)) == (
        s.notna().sum()
    )
    one_month = eio.read_fred_series(real_data / "fred_dgs" / "DGS1MO.csv")
    assert_allclose(one_month.attrs["tenor_years"], 1 / 12)
    assert one_month.index[0] == pd.Timestamp("2001-07-31")
    # the older DATE layout with "." for missing values
    dgs3 = eio.read_fred_series(real_data / "fred_dgs" / "DGS3_to_2021-01-04.csv")
    assert dgs3.name == "DGS3"
    assert len(dgs3) == 15395
    assert dgs3.isna().sum() == 659
    assert np.nanmax(dgs3.to_numpy()) < 0.2


# --- synthetic Treasury files -----------------------------------------------------------

OLD_LAYOUT = """date,1 mo,3 mo,1 yr,30 yr
01/03/2020,1.53,1.52,1.55,2.25
01/02/2020,1.53,1.54,1.56,2.33
"""
NEW_LAYOUT = """Date,1 Mo,3 Mo,1 Yr,30 Yr
2020-01-03,1.53,1.52,1.55,2.25
2020-01-02,1.53,1.54,1.56,2.33
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_treasury_layouts_give_the_same_frame(tmp_path):
    a = eio.read_treasury_par_yields(_write(tmp_path, "a.csv", OLD_LAYOUT))
    b = eio.read_treasury_par_yields(_write(tmp_path, "b.csv", NEW_LAYOUT))
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns) == [1 / 12, 0.25, 1.0, 30.0]
    assert a.columns.name == "tenor_years"
    assert list(a.index) == [pd.Timestamp("2020-01-02"), pd.Timestamp("2020-01-03")]
    assert_allclose(a.loc["2020-01-02", 30.0], 0.0233, rtol=EXACT)


def test_treasury_blank_rows(tmp_path):
    text = NEW_LAYOUT + "2020-01-06,,,,\n,,,,\n\n2020-01-07,1.5,,1.5,2.3\n"
    with pytest.warns(DataWarning, match=r"dropped 1 row\(s\).*dates 2020-01-06"):
        df = eio.read_treasury_par_yields(_write(tmp_path, "t.csv", text))
    assert len(df) == 3  # the line of commas and the empty line go without a word
    assert np.isnan(df.loc["2020-01-07", 0.25])  # a blank tenor stays NaN


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("when,1 Mo\n2020-01-02,1.5\n", r"no date column; expected one named 'date'"),
        ("Date\n2020-01-02\n", "no yield columns"),
        ("Date,1 Mo,10 Yrz\n2020-01-02,1.5,2\n", r"column '10 Yrz' is not a tenor"),
        ("Date,6 Mo,0.5 Yr\n2020-01-02,1.5,1.5\n", "two columns give the same tenor"),
        (
            "Date,1 Mo,3 Mo\n2020-01-02,1.5,1.6\n2020-01-03,1.5,1.6x\n",
            r"line 3, column '3 Mo': cannot read '1.6x' as a number",
        ),
        (
            "Date,1 Mo\n2020-01-02,1.5\n2020-02-30,1.5\n",
            r"line 3, column 'Date': '2020-02-30' is not a date",
        ),
        ("Date,1 Mo\n2020-01-02,1.5\n01/02/2020,1.5\n", "is not a date"),  # mixed formats
        ("Date,1 Mo\n2020-01-02,1.5\n2020-01-02,1.6\n", r"appear more than once: 2020-01-02"),
        ("Date,1 Mo\n2020-01-02,1.5\n,1.6\n", "line 3 has yields but no date"),
    ],
)
def test_treasury_input_errors(tmp_path, text, match):
    with pytest.raises(InputError, match=match):
        eio.read_treasury_par_yields(_write(tmp_path, "t.csv", text))


def test_treasury_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file at"):
        eio.read_treasury_par_yields(tmp_path / "absent.csv")


def test_fred_synthetic_layouts(tmp_path):
    a = eio.read_fred_series(
        _write(tmp_path, "a.csv", "DATE,DGS5\n2020-01-02,1.67\n2020-01-03,.\n")
    )
    b = eio.read_fred_series(
        _write(tmp_path, "b.csv", "observation_date,DGS5\n2020-01-02,1.67\n2020-01-03,\n")
    )
    pd.testing.assert_series_equal(a, b)
    assert a.attrs["tenor_years"] == 5.0
    assert_allclose(a.iloc[0], 0.0167, rtol=EXACT)
    assert np.isnan(a.iloc[1])


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("DATE,DGS5,DGS7\n2020-01-02,1.6,1.7\n", "expected a date column and one value column"),
        ("when,DGS5\n2020-01-02,1.6\n", "no date column"),
        ("DATE,DGS5\n2020-01-02,n/a\n", r"line 2, column 'DGS5': cannot read 'n/a' as a number"),
        ("DATE,DGS5\n2020-01-02,1.5\n2020-01-02,1.6\n", "appear more than once"),
    ],
)
def test_fred_input_errors(tmp_path, text, match):
    with pytest.raises(InputError, match=match):
        eio.read_fred_series(_write(tmp_path, "f.csv", text))


# ============================================================================ iShares

HEADER = [
    "Name",
    "Sector",
    "Asset Class",
    "Market Value",
    "Weight (%)",
    "Notional Value",
    "Par Value",
    "CUSIP",
    "ISIN",
    "SEDOL",
    "Price",
    "Location",
    "Exchange",
    "Currency",
    "Duration",
    "YTM (%)",
    "FX Rate",
    "Maturity",
    "Coupon (%)",
    "Mod. Duration",
    "Yield to Call (%)",
    "Yield to Worst (%)",
    "Real Duration",
    "Real YTM (%)",
    "Market Currency",
    "Accrual Date",
    "Effective Date",
]
HOLDINGS_COLUMNS = [
    "name",
    "sector",
    "asset_class",
    "market_value_usd",
    "weight_pct",
    "notional_value_usd",
    "par_value_usd",
    "cusip",
    "isin",
    "sedol",
    "price",
    "location",
    "exchange",
    "currency",
    "duration",
    "ytm",
    "fx_rate",
    "maturity_date",
    "coupon_rate",
    "mod_duration",
    "ytc",
    "ytw",
    "real_duration",
    "real_ytm",
    "market_currency",
    "accrual_date",
    "effective_date",
    "accrued_interest",
]
#: read_ishares_holdings adds the schedule conventions it used
READER_COLUMNS = [*HOLDINGS_COLUMNS, "first_coupon_date", "end_of_month", "convention_source"]
PREAMBLE = [
    ["iShares Example Corporate Bond ETF"],
    ["Fund Holdings as of", "Dec 17, 2025"],
    ["Inception Date", "Jul 22, 2002"],
    ["Shares Outstanding", "283,500,000.00"],
    ["Stock", "-"],
    ["Bond", "-"],
    ["Cash", "-"],
    ["Other", "-"],
    ["\xa0"],
]
FOOTER = '"The content contained herein is owned or licensed by BlackRock.\nSecond line."'


def _cusip(base8: str) -> str:
    return base8 + cusip_check_digit(base8)


def _bond(base8: str, **kw: str) -> dict[str, str]:
    cusip = _cusip(base8)
    row = {
        "Name": "EXAMPLE CORP",
        "Sector": "Technology",
        "Asset Class": "Fixed Income",
        "Market Value": "10,250,000.00",
        "Weight (%)": "40.00",
        "Notional Value": "10,250,000.00",
        "Par Value": "10,000,000.00",
        "CUSIP": cusip,
        "ISIN": isin_from_cusip(cusip),
        "SEDOL": "-",
        "Price": "101.00",
        "Location": "United States",
        "Exchange": "-",
        "Currency": "USD",
        "Duration": "4.10",
        "YTM (%)": "4.75",
        "FX Rate": "1",
        "Maturity": "Jun 15, 2030",
        "Coupon (%)": "5.00",
        "Mod. Duration": "4.20",
        "Yield to Call (%)": "-",
        "Yield to Worst (%)": "4.75",
        "Real Duration": "4.20",
        "Real YTM (%)": "4.75",
        "Market Currency": "USD",
        "Accrual Date": "Jun 15, 2020",
        "Effective Date": "Jun 15, 2020",
    }
    row.update(kw)
    return row


def _cash(**kw: str) -> dict[str, str]:
    row = dict.fromkeys(HEADER, "-")
    row.update(
        {
            "Name": "USD CASH",
            "Sector": "Cash and/or Derivatives",
            "Asset Class": "Cash",
            "Market Value": "500,000.00",
            "Weight (%)": "2.00",
            "Notional Value": "500,000.00",
            "Par Value": "500,000.00",
            "Price": "100",
            "Currency": "USD",
            "FX Rate": "1",
            "Coupon (%)": "0",
            "Market Currency": "USD",
            "Effective Date": "Jan 01, 1989",
        }
    )
    row.update(kw)
    return row


def _ishares_csv(
    tmp_path: Path,
    rows: list[dict[str, str] | list[str]],
    *,
    preamble: list[list[str]] | None = None,
    header: list[str] = HEADER,
    footer: bool = True,
    name: str = "holdings.csv",
) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for line in preamble or []:
        writer.writerow(line)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "-") for h in header] if isinstance(row, dict) else row)
    text = buf.getvalue()
    if footer:
        text += "\xa0" + "," * (len(header) - 1) + "\r\n" + FOOTER + "," * 3 + "\r\n"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ishares_synthetic_with_preamble(tmp_path):
    bond_b = _bond("12345ABC", Name="OTHER CO", **{"Coupon (%)": "4.25", "Price": "98.50"})
    path = _ishares_csv(tmp_path, [_bond("98765XYZ"), bond_b, _cash()], preamble=PREAMBLE)
    bonds, holdings = eio.read_ishares_holdings(path)
    assert list(holdings.columns) == READER_COLUMNS
    assert holdings.index.name == "id"
    assert list(holdings.index) == [_cusip("98765XYZ"), _cusip("12345ABC"), "USD_CASH"]
    assert holdings.attrs["as_of_date"] == pd.Timestamp("2025-12-17")
    assert holdings.attrs["preamble"]["fund_name"] == "iShares Example Corporate Bond ETF"
    assert holdings.attrs["preamble"]["Shares Outstanding"] == "283,500,000.00"
    first = holdings.iloc[0]
    assert first["market_value_usd"] == 10_250_000.0
    assert_allclose(first["coupon_rate"], 0.05, rtol=EXACT)
    assert_allclose(first["ytm"], 0.0475, rtol=EXACT)
    assert np.isnan(first["ytc"])
    assert first["maturity_date"] == pd.Timestamp("2030-06-15")
    assert_allclose(first["accrued_interest"], 10_250_000 / 10_000_000 * 100 - 101.0, rtol=1e-12)
    assert pd.isna(first["exchange"])
    cash = holdings.loc["USD_CASH"]
    assert cash["asset_class"] == "Cash"
    assert pd.isna(cash["cusip"]) and np.isnan(cash["accrued_interest"])
    assert pd.isna(cash["maturity_date"])
    # the BondSet holds the two bonds, by CUSIP, with decimal coupons
    assert len(bonds) == 2
    assert list(bonds.ids) == list(holdings.index[:2])
    assert_allclose(bonds.coupon_rate, [0.05, 0.0425], rtol=EXACT)
    assert list(bonds.attributes["name"]) == ["EXAMPLE CORP", "OTHER CO"]
    assert list(bonds.attributes["isin"]) == list(holdings["isin"].iloc[:2])


def test_ishares_no_preamble_no_footer_is_fine(tmp_path):
    path = _ishares_csv(tmp_path, [_bond("98765XYZ")], footer=False)
    holdings = eio.read_ishares_holdings_frame(path)
    assert len(holdings) == 1
    assert "as_of_date" not in holdings.attrs


def test_ishares_header_columns_are_matched_loosely(tmp_path):
    header = [h.upper() if h == "Name" else h.replace(" ", "  ") for h in HEADER]
    row = _bond("98765XYZ")
    path = _ishares_csv(tmp_path, [[row[h] for h in HEADER]], header=header)
    holdings = eio.read_ishares_holdings_frame(path)
    assert list(holdings.columns) == HOLDINGS_COLUMNS


def test_ishares_extra_columns_are_kept(tmp_path):
    header = ["Ticker", *HEADER, "Coupon Type"]
    row = {**_bond("98765XYZ"), "Ticker": "EXM", "Coupon Type": "Fixed"}
    holdings = eio.read_ishares_holdings_frame(_ishares_csv(tmp_path, [row], header=header))
    assert list(holdings.columns) == [*HOLDINGS_COLUMNS[:-1], "ticker", "coupon_type"] + [
        "accrued_interest"
    ]
    assert holdings["coupon_type"].iloc[0] == "Fixed"


def test_ishares_missing_as_of_date_warns(tmp_path):
    preamble = [PREAMBLE[0], ["Fund Holdings as of", "-"]]
    path = _ishares_csv(tmp_path, [_bond("98765XYZ")], preamble=preamble)
    with pytest.warns(DataWarning, match="has no as-of date; pass settlement_date"):
        holdings = eio.read_ishares_holdings_frame(path)
    assert "as_of_date" not in holdings.attrs


def test_ishares_bad_as_of_date(tmp_path):
    preamble = [PREAMBLE[0], ["Fund Holdings as of", "Smarch 5, 2025"]]
    path = _ishares_csv(tmp_path, [_bond("98765XYZ")], preamble=preamble)
    with pytest.raises(InputError, match=r"line 2, 'Fund Holdings as of': 'Smarch 5, 2025'"):
        eio.read_ishares_holdings_frame(path)


def test_ishares_not_a_holdings_file(tmp_path):
    path = _write(tmp_path, "prices.csv", "Date,Close\n2025-01-02,100\n")
    with pytest.raises(InputError, match="prices.csv: not an iShares holdings file: no header row"):
        eio.read_ishares_holdings(path)
    with pytest.raises(InputError, match="not an iShares holdings file"):
        eio.read_ishares_holdings(_write(tmp_path, "empty.csv", ""))
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 10)
    with pytest.raises(InputError, match="not a text file"):
        eio.read_ishares_holdings(binary)
    with pytest.raises(FileNotFoundError, match="no iShares holdings file"):
        eio.read_ishares_holdings(tmp_path / "absent.csv")


def test_ishares_missing_columns(tmp_path):
    header = [h for h in HEADER if h not in ("Coupon (%)", "Par Value")]
    path = _ishares_csv(tmp_path, [_bond("98765XYZ")], header=header)
    with pytest.raises(
        InputError, match=r"line 1: missing column\(s\) \['Par Value', 'Coupon \(%\)'\]"
    ):
        eio.read_ishares_holdings_frame(path)


def test_ishares_duplicate_column(tmp_path):
    header = [*HEADER, "Price"]
    path = _ishares_csv(tmp_path, [[*_bond("98765XYZ").values(), "1"]], header=header)
    with pytest.raises(InputError, match=r"column\(s\) \['Price'\] appear twice"):
        eio.read_ishares_holdings_frame(path)


def test_ishares_unreadable_number(tmp_path):
    bad = _bond("12345ABC", **{"Market Value": "12a", "YTM (%)": "4..5"})
    path = _ishares_csv(tmp_path, [_bond("98765XYZ"), bad])
    cusip = _cusip("12345ABC")
    with pytest.raises(
        InputError,
        match=rf"(?s)2 problems.*line 3 \({cusip}\), column 'Market Value': cannot read '12a' as "
        rf"a number.*line 3 \({cusip}\), column 'YTM \(%\)': cannot read '4..5'",
    ):
        eio.read_ishares_holdings_frame(path)


@pytest.mark.parametrize("value", ["+", "E5", ".", "1,23", "12,345.6.7", "1 000", "$5"])
def test_ishares_number_shapes(tmp_path, value):
    path = _ishares_csv(tmp_path, [_bond("98765XYZ", Price=value)])
    with pytest.raises(InputError, match=rf"column 'Price': cannot read '{re.escape(value)}'"):
        eio.read_ishares_holdings_frame(path)


def test_ishares_number_forms(tmp_path):
    rows = [
        _bond("98765XYZ", **{"Market Value": "+1,234,567.5", "Price": "+99.", "FX Rate": "1e0"}),
        _bond("12345ABC", **{"Market Value": "1234567", "Price": ".5", "FX Rate": "--"}),
        _cash(**{"Market Value": "-1,234.5"}),  # a cash payable: negative is fine off bonds
    ]
    holdings = eio.read_ishares_holdings_frame(_ishares_csv(tmp_path, rows))
    assert list(holdings["market_value_usd"]) == [1_234_567.5, 1_234_567.0, -1_234.5]
    assert list(holdings["price"]) == [99.0, 0.5, 100.0]
    assert holdings["fx_rate"].iloc[0] == 1.0 and np.isnan(holdings["fx_rate"].iloc[1])


def test_ishares_unreadable_date(tmp_path):
    path = _ishares_csv(tmp_path, [_bond("98765XYZ", Maturity="Foo 05, 2029")])
    with pytest.raises(
        InputError, match=r"line 2 \(\w+\), column 'Maturity': 'Foo 05, 2029' is not a date"
    ):
        eio.read_ishares_holdings_frame(path)


def test_ishares_wrong_field_count(tmp_path):
    row = _bond("98765XYZ")
    # "Market Value" written without quotes: its thousands separators split the field in 3
    cells = [v if h == "Market Value" or "," not in v else f'"{v}"' for h, v in row.items()]
    path = _write(tmp_path, "h.csv", ",".join(HEADER) + "\n" + ",".join(cells) + "\n")
    with pytest.raises(InputError, match=r"line 2: 29 fields, but the header has 27"):
        eio.read_ishares_holdings_frame(path)


def test_ishares_header_without_rows(tmp_path):
    with pytest.raises(InputError, match="followed by no holdings"):
        eio.read_ishares_holdings_frame(_ishares_csv(tmp_path, []))


def test_ishares_name_only_row_in_the_middle_is_reported(tmp_path):
    rows = [_bond("98765XYZ"), ["SUBTOTAL CORPORATES"], _bond("12345ABC")]
    with pytest.warns(DataWarning, match=r"dropped 1 row.*line 3 \('SUBTOTAL CORPORATES'\)"):
        holdings = eio.read_ishares_holdings_frame(_ishares_csv(tmp_path, rows))
    assert len(holdings) == 2


def test_ishares_duplicate_bond(tmp_path):
    path = _ishares_csv(tmp_path, [_bond("98765XYZ"), _bond("98765XYZ"), _cash(), _cash()])
    cusip = _cusip("98765XYZ")
    with pytest.raises(InputError, match=rf"line 3: identifier {cusip} already on line 2"):
        eio.read_ishares_holdings_frame(path)
    with pytest.warns(DataWarning, match=rf"kept as {cusip}_2"):
        holdings = eio.read_ishares_holdings_frame(path, strict=False)
    assert list(holdings.index) == [cusip, f"{cusip}_2", "USD_CASH", "USD_CASH_2"]


def test_ishares_spreadsheet_mangled_cusips_are_repaired(tmp_path):
    date_like, number_like = "00774MAY1", "345397E66"  # AerCap and Ford bonds held by LQD
    assert _cusip(date_like[:8]) == date_like and _cusip(number_like[:8]) == number_like
    rows = [_bond("00774MAY", CUSIP="0774May1"), _bond("345397E6", CUSIP="3.45E+71")]
    with pytest.warns(DataWarning, match=r"(?s)repaired 2 CUSIP.*'3.45E\+71' -> 345397E66"):
        holdings = eio.read_ishares_holdings_frame(_ishares_csv(tmp_path, rows))
    assert list(holdings.index) == [date_like, number_like]
    assert holdings.attrs["cusip_repairs"]["345397E66"] == "3.45E+71"


def test_ishares_unusable_cusip(tmp_path):
    rows = [_bond("98765XYZ", CUSIP="N/A-123")]
    path = _ishares_csv(tmp_path, rows)
    with pytest.raises(InputError, match=r"line 2, column 'CUSIP': 'N/A-123' is neither a CUSIP"):
        eio.read_ishares_holdings_frame(path)
    with pytest.warns(DataWarning, match="kept 1 bond"):
        holdings = eio.read_ishares_holdings_frame(path, strict=False)
    assert holdings.index[0] == "N/A-123"


def test_ishares_bad_check_digit(tmp_path):
    good = _cusip("98765XYZ")
    wrong = good[:8] + str((int(good[8]) + 1) % 10)
    path = _ishares_csv(tmp_path, [_bond("98765XYZ", CUSIP=wrong)])
    with pytest.raises(
        InputError, match=f"(?s)holdings.csv, fixed-income rows: .*{wrong}.*check digit should be"
    ):
        eio.read_ishares_holdings(path)
    with pytest.warns(IdentifierWarning, match=wrong):
        bonds, holdings = eio.read_ishares_holdings(path, strict=False)
    assert list(bonds.ids) == [wrong]


def test_ishares_matured_bond(tmp_path):
    path = _ishares_csv(tmp_path, [_bond("98765XYZ", Maturity="Jan 15, 2026")])
    with pytest.raises(InputError, match="2026-01-15 is on or before settlement 2026-02-02"):
        eio.read_ishares_holdings(path, settlement_date="2026-02-02")
    bonds, _ = eio.read_ishares_holdings(path, settlement_date="2026-01-02")
    assert len(bonds) == 1


def test_ishares_no_bonds(tmp_path):
    path = _ishares_csv(tmp_path, [_cash()])
    with pytest.raises(InputError, match="no 'Fixed Income' rows"):
        eio.read_ishares_holdings(path)


def test_bonds_frame_conventions(tmp_path):
    rows = [
        _bond("98765XYZ"),
        _bond("912828U5", Name="TREASURY NOTE", Sector="Treasuries"),
        _bond("12345ABC", **{"Coupon (%)": "0"}),
    ]
    holdings = eio.read_ishares_holdings_frame(_ishares_csv(tmp_path, rows))
    frame = bonds_frame(holdings)
    assert list(frame["frequency"]) == [2, 2, 0]
    assert list(frame["day_count"]) == ["30/360 US", "ACT/ACT ICMA", "30/360 US"]
    assert list(frame.columns[:5]) == [
        "id",
        "coupon_rate",
        "maturity_date",
        "frequency",
        "day_count",
    ]
    # the file's accrual date is the issue date; the defaults without inferred conventions
    assert (frame["issue_date"] == pd.Timestamp("2020-06-15")).all()
    assert frame["first_coupon_date"].isna().all()
    assert frame["end_of_month"].all()


def test_bonds_frame_drops_an_accrual_date_after_maturity(tmp_path):
    rows = [_bond("98765XYZ", **{"Accrual Date": "Jul 15, 2030"})]  # maturity Jun 15, 2030
    frame = bonds_frame(eio.read_ishares_holdings_frame(_ishares_csv(tmp_path, rows)))
    assert frame["issue_date"].isna().all()
    assert frame["accrual_date"].iloc[0] == pd.Timestamp("2030-07-15")  # kept as an attribute


# --- schedule conventions from accrued interest ----------------------------------------------

CONVENTION_SETTLE = "2025-12-18"


def _accrued(coupon_pct: float, start: str, end: str = CONVENTION_SETTLE) -> float:
    """30/360 US accrued interest per 100 face, by hand (days360_us is checked vs QuantLib)."""
    return coupon_pct * int(days360_us(np.datetime64(start), np.datetime64(end))) / 360


# id -> (coupon %, maturity, accrual date, file accrued per 100, expected source).
# Accrued interest is what a 2-decimal price leaves: within +-0.005 of the true value.
CONVENTION_CASES = {
    # ONEOK 682680DC4 in LQD: issued 2025-08-12, first coupon 2026-04-15 (long), so it
    # accrues from the issue date: 126 days; a short first coupon would pay 2025-10-15
    # and accrue 63 days (0.945)
    "LONG": (5.4, "2035-10-15", "2025-08-12", _accrued(5.4, "2025-08-12") + 0.003, SOURCE_LONG),
    # short first coupon 2025-10-15, paid: accrues from it (a long one would from 09-20)
    "SHORT": (5.0, "2035-10-15", "2025-09-20", _accrued(5.0, "2025-10-15") - 0.004, SOURCE_SHORT),
    # first roll date 2026-01-15 is after settlement: short and long accrue alike
    "UNPAID": (5.0, "2036-01-15", "2025-11-10", _accrued(5.0, "2025-11-10"), SOURCE_UNPAID),
    "ON_ROLL": (4.0, "2035-09-15", "2025-09-15", _accrued(4.0, "2025-09-15"), SOURCE_ON_ROLL),
    "SEASONED": (4.0, "2030-06-15", "2020-06-15", _accrued(4.0, "2025-12-15"), SOURCE_SEASONED),
    # AON 03740LAG7 in LQD: matures Feb 28, pays on the 28th (Aug 28 -> Dec 18: 110 days);
    # with month-end rolls it would accrue from Aug 31 (108 days, 0.03 less)
    "FEB28": (5.35, "2033-02-28", "2023-02-28", _accrued(5.35, "2025-08-28"), SOURCE_NOT_EOM),
    "MONTH_END": (5.0, "2033-02-28", "2023-02-28", _accrued(5.0, "2025-08-31"), SOURCE_SEASONED),
    "ZERO": (0.0, "2040-05-15", "2020-05-15", 0.0, "not inferred: zero coupon"),
    "MATURED": (4.0, "2025-12-01", "2020-12-01", 0.2, "not inferred: matures on or before"),
    "NO_ACCRUAL": (4.0, "2030-06-15", None, _accrued(4.0, "2025-12-15"), "default: no accrual"),
    "LATE_ACCRUAL": (4.0, "2030-06-15", "2031-01-01", 0.0333, "default: no accrual"),
    "NO_PRICE": (4.0, "2030-06-15", "2020-06-15", np.nan, "not inferred: no accrued"),
}


def _convention_holdings() -> pd.DataFrame:
    cases = CONVENTION_CASES
    frame = pd.DataFrame(
        {
            "asset_class": "Fixed Income",
            "coupon_rate": [c[0] / 100 for c in cases.values()],
            "maturity_date": pd.to_datetime([c[1] for c in cases.values()]),
            "accrual_date": pd.to_datetime([c[2] for c in cases.values()]),
            "accrued_interest": [c[3] for c in cases.values()],
        },
        index=pd.Index(list(cases), name="id"),
    )
    cash = pd.DataFrame({"asset_class": ["Cash"]}, index=pd.Index(["USD_CASH"], name="id"))
    return pd.concat([frame, cash])


def test_infer_schedule_conventions_cases():
    conv = infer_schedule_conventions(_convention_holdings(), CONVENTION_SETTLE)
    assert list(conv.index) == list(CONVENTION_CASES)  # fixed-income rows only
    assert list(conv.columns) == [
        "issue_date",
        "first_coupon_date",
        "end_of_month",
        "convention_source",
        "accrued_interest",
        "accrued_default",
        "accrued_inferred",
    ]
    for bond, (*_, source) in CONVENTION_CASES.items():
        assert conv.loc[bond, "convention_source"].startswith(source), bond
    # the long first coupon is the second roll date after the issue date
    assert conv.loc["LONG", "first_coupon_date"] == pd.Timestamp("2026-04-15")
    assert conv["first_coupon_date"].drop("LONG").isna().all()
    assert list(conv.index[~conv["end_of_month"]]) == ["FEB28"]
    assert conv.loc["NO_ACCRUAL":"LATE_ACCRUAL", "issue_date"].isna().all()
    assert conv.loc["LONG", "issue_date"] == pd.Timestamp("2025-08-12")
    # etfcore's accrued interest under the default and the chosen schedules
    # (within the +-0.005 of a 2-decimal price of the hand-computed values above)
    fitted = conv.dropna(subset=["accrued_inferred"])
    assert_allclose(fitted["accrued_inferred"], fitted["accrued_interest"], atol=0.005)
    assert_allclose(conv.loc["LONG", "accrued_default"], _accrued(5.4, "2025-10-15"), rtol=1e-12)
    assert_allclose(conv.loc["SHORT", "accrued_default"], _accrued(5.0, "2025-10-15"), rtol=1e-12)
    assert_allclose(conv.loc["FEB28", "accrued_default"], _accrued(5.35, "2025-08-31"), rtol=1e-12)
    not_inferred = conv["convention_source"].str.startswith("not inferred")
    assert conv.loc[not_inferred, "accrued_inferred"].isna().all()


def test_infer_schedule_conventions_threshold():
    holdings = _convention_holdings()
    # a long first coupon must beat the default by more than the threshold
    wide = infer_schedule_conventions(holdings, CONVENTION_SETTLE, threshold=2.0)
    assert not wide["convention_source"].str.startswith("file accrued").any()
    assert wide["first_coupon_date"].isna().all() and wide["end_of_month"].all()
    # an accrued halfway between two readings (AON at 109 days: 108 with month-end rolls,
    # 110 without) keeps the default
    halfway = holdings.assign(accrued_interest=_accrued(5.35, "2025-08-28") - 5.35 / 360)
    conv = infer_schedule_conventions(halfway.loc[["FEB28"]], CONVENTION_SETTLE)
    assert conv.loc["FEB28", "end_of_month"]
    assert conv.loc["FEB28", "convention_source"] == SOURCE_SEASONED


def test_infer_schedule_conventions_errors():
    holdings = _convention_holdings()
    with pytest.raises(InputError, match=r"lacks column\(s\) \['accrual_date'\]"):
        infer_schedule_conventions(holdings.drop(columns="accrual_date"), CONVENTION_SETTLE)
    with pytest.raises(InputError, match="settlement_date: 'soon' is not a date"):
        infer_schedule_conventions(holdings, "soon")


def _oneok_row(**kw: str) -> dict[str, str]:
    """ONEOK 682680DC4 as LQD holds it: long first coupon, accrued 1.893 on 2025-12-18."""
    return _bond(
        "682680DC",
        Name="ONEOK INC",
        **{
            "Coupon (%)": "5.40",
            "Maturity": "Oct 15, 2035",
            "Accrual Date": "Aug 12, 2025",
            "Price": "100.00",
            "Market Value": "10,189,300.00",  # par 10,000,000 x (100.00 + 1.893) / 100
            **kw,
        },
    )


def test_read_ishares_holdings_infers_conventions(tmp_path):
    path = _ishares_csv(tmp_path, [_oneok_row(), _bond("98765XYZ"), _cash()])
    oneok = _cusip("682680DC")
    with pytest.warns(
        DataWarning,
        match=r"at settlement 2025-12-18: 1 bond\(s\) with a long first coupon, 0 month-end "
        r"maturities .* out of 2 bonds.*convention_source",
    ):
        bonds, holdings = eio.read_ishares_holdings(path, settlement_date="2025-12-18")
    assert list(holdings.columns) == READER_COLUMNS
    assert holdings.loc[oneok, "first_coupon_date"] == pd.Timestamp("2026-04-15")
    assert holdings.loc[oneok, "convention_source"] == SOURCE_LONG
    assert holdings["end_of_month"].tolist()[:2] == [True, True]
    assert holdings.loc["USD_CASH", "end_of_month"] is pd.NA
    assert pd.isna(holdings.loc["USD_CASH", "convention_source"])
    assert holdings.attrs["conventions_settlement_date"] == pd.Timestamp("2025-12-18")
    # the BondSet carries the issue and first coupon dates, so its accrued is the file's
    table = bonds.to_frame()
    assert table.loc[oneok, "issue_date"] == pd.Timestamp("2025-08-12")
    assert table.loc[oneok, "first_coupon_date"] == pd.Timestamp("2026-04-15")
    accrued = etfcore.accrued_interest(bonds, "2025-12-18")
    assert_allclose(accrued[oneok], 5.4 * 126 / 360, rtol=1e-12)
    # without the inference: a short first coupon, half the accrued interest
    bonds, holdings = eio.read_ishares_holdings(
        path, settlement_date="2025-12-18", infer_conventions=False
    )
    assert holdings["convention_source"].iloc[:2].eq("not inferred (infer_conventions=False)").all()
    assert holdings["first_coupon_date"].isna().all()
    assert_allclose(etfcore.accrued_interest(bonds, "2025-12-18")[oneok], 5.4 * 63 / 360)


def test_read_ishares_holdings_conventions_from_the_inferred_settlement(tmp_path):
    # no settlement_date: the conventions use infer_as_of_date's; the BondSet has no
    # maturity check, as before
    path = _ishares_csv(tmp_path, [_bond("98765XYZ"), _bond("12345ABC")], preamble=PREAMBLE)
    expected = eio.infer_as_of_date(eio.read_ishares_holdings_frame(path)).settlement_date
    _, holdings = eio.read_ishares_holdings(path)  # defaults only: nothing to warn about
    assert holdings.attrs["conventions_settlement_date"] == expected
    # two bonds issued on their roll dates 2020-06-15: the window starts there, so the
    # first alias, 2020-10-03 (the first bond's accrued 1.5 = 5% x 108/360), is a
    # "new issue" date
    assert expected == pd.Timestamp("2020-10-03")
    assert holdings["convention_source"].iloc[:2].eq(SOURCE_ON_ROLL).all()


def test_read_ishares_holdings_without_dates_to_infer_from(tmp_path):
    header = [h for h in HEADER if h not in ("Accrual Date", "Effective Date")]
    path = _ishares_csv(tmp_path, [_bond("98765XYZ")], header=header)
    with pytest.warns(
        DataWarning, match="schedule conventions not inferred .*pass settlement_date"
    ):
        bonds, holdings = eio.read_ishares_holdings(path)
    assert holdings["convention_source"].iloc[0] == "not inferred (infer_conventions=False)"
    assert len(bonds) == 1
    # with a settlement date there is something to infer from (no accrual date: regular)
    _, holdings = eio.read_ishares_holdings(path, settlement_date="2025-12-18")
    assert holdings["convention_source"].iloc[0].startswith("default: no accrual date")


# --- accrued interest and the as-of date ---------------------------------------------------


def test_days360_us_matches_quantlib():
    ql = pytest.importorskip("QuantLib")
    rng = np.random.default_rng(7)
    start = np.datetime64("2019-01-01") + rng.integers(0, 3000, 5000)
    end = start + rng.integers(0, 800, 5000)
    month_ends = np.array(
        ["2024-02-29", "2023-02-28", "2025-01-31", "2025-03-31", "2024-08-31", "2025-02-28"],
        dtype="datetime64[D]",
    )
    offsets = np.array([0, 1, 30, 31, 181, 184, 365, 366])
    start = np.concatenate([start, np.repeat(month_ends, len(offsets))])
    end = np.concatenate([end, (month_ends[:, None] + offsets).ravel()])
    day_count = ql.Thirty360(ql.Thirty360.USA)

    def qdate(d):
        d = d.astype(object)
        return ql.Date(d.day, d.month, d.year)

    expected = [day_count.dayCount(qdate(a), qdate(b)) for a, b in zip(start, end, strict=True)]
    np.testing.assert_array_equal(days360_us(start, end), expected)


def test_days360_us_by_hand():
    d = np.datetime64
    assert int(days360_us(d("2025-11-15"), d("2026-01-06"))) == 51  # 15 + 30 + 6
    assert int(days360_us(d("2025-08-31"), d("2025-09-30"))) == 30  # 31 -> 30
    assert int(days360_us(d("2024-02-29"), d("2024-08-31"))) == 180  # Feb end -> 30, then 31 -> 30
    assert int(days360_us(d("2025-08-15"), d("2025-08-31"))) == 16  # end day 31 kept


def _last_coupon(maturity: date, settle: date) -> date:
    """The last semiannual coupon date on or before ``settle``, rolled back from maturity."""
    k = 0
    while True:
        months = maturity.year * 12 + maturity.month - 1 - 6 * k
        year, month = divmod(months, 12)
        day = min(maturity.day, calendar.monthrange(year, month + 1)[1])
        coupon = date(year, month + 1, day)
        if coupon <= settle:
            return coupon
        k += 1


def _synthetic_holdings(settle: str, seed: int) -> pd.DataFrame:
    """Bonds with random coupons and maturities whose accrued is exact at ``settle``.

    Maturities avoid month ends (days 1-28), so no end-of-month question arises.
    """
    rng = np.random.default_rng(seed)
    n = 200
    maturity = [
        date(int(y), int(m), int(d))
        for y, m, d in zip(
            rng.integers(2028, 2050, n), rng.integers(1, 13, n), rng.integers(1, 29, n), strict=True
        )
    ]
    coupon = rng.integers(100, 800, n) / 10_000
    s = date.fromisoformat(settle)
    last = np.array([_last_coupon(m, s) for m in maturity], dtype="datetime64[D]")
    accrued = coupon * 100 * days360_us(last, np.datetime64(s)) / 360
    price = rng.uniform(85, 110, n).round(2)
    par = rng.integers(1, 500, n) * 100_000.0
    return pd.DataFrame(
        {
            "asset_class": "Fixed Income",
            "market_value_usd": par * (price + accrued) / 100,
            "par_value_usd": par,
            "price": price,
            "coupon_rate": coupon,
            "maturity_date": pd.to_datetime(maturity),
            "accrual_date": pd.Timestamp("2015-01-01"),
            "effective_date": pd.Timestamp("2015-01-01"),
        },
        index=pd.Index([f"B{i:04d}" for i in range(n)], name="id"),
    )


@pytest.mark.parametrize("settle", ["2024-03-01", "2025-08-29", "2026-01-02"])
def test_infer_as_of_date_recovers_a_known_date(settle):
    holdings = _synthetic_holdings(settle, seed=len(settle) + int(settle[-2:]))
    result = eio.infer_as_of_date(holdings, earliest="2023-12-01", latest="2026-06-30")
    # accrued pins the date down to six-month aliases; the window start picks the first
    aliases = result.candidates.index[result.candidates == result.candidates.iloc[0]]
    assert pd.Timestamp(settle) in aliases
    narrow = eio.infer_as_of_date(
        holdings,
        earliest=pd.Timestamp(settle) - pd.Timedelta(days=60),
        latest=pd.Timestamp(settle) + pd.Timedelta(days=60),
    )
    assert narrow.settlement_date == pd.Timestamp(settle)
    assert narrow.agreement == 1.0
    assert_allclose(narrow.residual_days.to_numpy(), 0.0, atol=1e-9)
    assert narrow.n_bonds == 200
    assert "settlement date" in str(narrow.summary())
    assert settle in repr(narrow)


def test_infer_as_of_date_errors():
    with pytest.raises(InputError, match=r"lacks column\(s\) \['price'\]"):
        eio.infer_as_of_date(_synthetic_holdings("2025-01-02", 1).drop(columns="price"))
    holdings = _synthetic_holdings("2025-01-02", 1).assign(coupon_rate=0.0)
    with pytest.raises(InputError, match="no fixed-income row with a coupon"):
        eio.infer_as_of_date(holdings)
    holdings = _synthetic_holdings("2025-01-02", 1).drop(columns=["accrual_date", "effective_date"])
    with pytest.raises(InputError, match="pass earliest="):
        eio.infer_as_of_date(holdings)


# --- the real LQD file -----------------------------------------------------------------------

LQD_REPAIRED = {
    "88732JAN8": "88732Jan8",
    "83444MAR2": "83444Mar2",
    "00774MAY1": "0774May1",
    "345397E66": "3.45E+71",
    "04316JAN9": "4316Jan9",
    "345397E58": "3.45E+63",
    "345397E25": "3.45E+30",
    "89788MAR3": "89788Mar3",
}


@pytest.fixture(scope="module")
def lqd(real_data):
    with (
        pytest.warns(DataWarning, match="repaired 8 CUSIP"),
        pytest.warns(DataWarning, match="114 bond.* with a long first coupon"),
    ):
        return eio.read_ishares_holdings(real_data / LQD_FILE)


@pytest.mark.real_data
def test_lqd_holdings(lqd):
    bonds, holdings = lqd
    assert list(holdings.columns) == READER_COLUMNS
    assert holdings.index.is_unique
    assert holdings["asset_class"].value_counts().to_dict() == {
        "Fixed Income": 3002,
        "Money Market": 1,
        "Cash": 1,
    }
    # SOURCES.md: total market value about $31.13 bn, weights sum to 100.01 %
    assert_allclose(holdings["market_value_usd"].sum(), 31.13e9, rtol=1e-3)
    assert_allclose(holdings["weight_pct"].sum(), 100.01, atol=1e-6)
    assert "as_of_date" not in holdings.attrs  # the file's preamble was stripped
    assert holdings.attrs["cusip_repairs"] == LQD_REPAIRED
    assert set(LQD_REPAIRED) <= set(holdings.index)
    assert "USD_CASH" in holdings.index
    assert holdings.loc["66922477", "asset_class"] == "Money Market"
    # line 3 of the file: ANHEUSER-BUSCH COMPANIES LLC ... "71,246,274.07",0.23,...,
    # "75,310,000.00",03522AAJ9,US03522AAJ97,BJXS2M9,92.74,...,5.5,1,"Feb 01, 2046",4.9,...
    ab = holdings.loc["03522AAJ9"]
    assert ab["market_value_usd"] == 71_246_274.07
    assert ab["par_value_usd"] == 75_310_000.0
    assert ab["price"] == 92.74
    assert_allclose(ab["coupon_rate"], 0.049, rtol=EXACT)
    assert_allclose(ab["ytm"], 0.055, rtol=EXACT)
    assert ab["maturity_date"] == pd.Timestamp("2046-02-01")
    assert ab["accrual_date"] == pd.Timestamp("2019-02-01")
    assert_allclose(ab["accrued_interest"], 71_246_274.07 / 75_310_000 * 100 - 92.74, rtol=1e-12)
    fi = holdings[holdings["asset_class"] == "Fixed Income"]
    assert fi["maturity_date"].notna().all()
    assert fi["coupon_rate"].between(0.005, 0.15).all()
    # accrued interest lies within a coupon period (up to price rounding)
    half_coupon = fi["coupon_rate"] * 100 / 2
    assert (fi["accrued_interest"] > -0.01).all()
    assert (fi["accrued_interest"] < half_coupon * 1.7).all()  # long first coupons
    # the BondSet: 3,002 bonds by CUSIP, in file order
    assert len(bonds) == 3002
    assert list(bonds.ids) == list(fi.index)
    assert_allclose(bonds.coupon_rate, fi["coupon_rate"].to_numpy(), rtol=0)
    assert {"name", "sector", "isin"} <= set(bonds.attributes.columns)


@pytest.mark.real_data
def test_lqd_as_of_date(lqd):
    result = eio.infer_as_of_date(lqd.holdings)
    assert result.settlement_date == pd.Timestamp("2025-12-18")
    assert result.trade_date == pd.Timestamp("2025-12-17")
    assert result.agreement > 0.99
    assert result.n_bonds == 3002
    assert result.residual_days.abs().median() < 0.5
    # the next candidates are six-month aliases, supported by fewer bonds
    runner_up = result.candidates.drop(result.settlement_date)
    assert runner_up.iloc[0] < result.candidates.iloc[0] - 100
    assert (runner_up.index[:5].day == 18).all()
