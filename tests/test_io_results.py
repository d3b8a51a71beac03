"""What the readers return: short reprs, Summary objects, copies, named results."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.iolib.summary2 import Summary
from test_io import LQD_FILE, PREAMBLE, _bond, _cash, _cusip, _ishares_csv

import etfcore.io as eio
from etfcore.errors import DataWarning
from etfcore.market import etf_from_ishares
from etfcore.market.ishares import IsharesFund


@pytest.fixture
def fund_file(tmp_path):
    preamble = [*PREAMBLE[:3], ["Shares Outstanding", "207,500.00"], *PREAMBLE[4:]]
    return _ishares_csv(
        tmp_path, [_bond("98765XYZ"), _bond("12345ABC"), _cash()], preamble=preamble
    )


def test_holdings_repr_is_one_line(fund_file):
    result = eio.read_ishares_holdings(fund_file, settlement_date="2025-12-18")
    text = repr(result)
    assert text == (
        "IsharesHoldings(iShares Example Corporate Bond ETF: as of 2025-12-17; 3 rows, "
        "2 bonds, 1 other; market value $21,000,000)"
    )
    assert "\n" not in text


def test_holdings_summary_and_to_frame(fund_file):
    result = eio.read_ishares_holdings(fund_file, settlement_date="2025-12-18")
    summary = result.summary()
    assert isinstance(summary, Summary)
    text = str(summary)
    assert "iShares Example Corporate Bond ETF" in text
    assert "20,500,000" in text  # bond market value, whole dollars with commas
    assert "e+" not in text
    frame = result.to_frame()
    frame.iloc[0, frame.columns.get_loc("price")] = -1.0
    assert result.holdings["price"].iloc[0] == 101.0  # a copy: the result is unchanged
    assert frame.attrs["as_of_date"] == pd.Timestamp("2025-12-17")


def test_holdings_still_unpacks(fund_file):
    bonds, holdings = eio.read_ishares_holdings(fund_file, settlement_date="2025-12-18")
    assert len(bonds) == 2 and len(holdings) == 3


def test_as_of_inference_summary_and_to_frame(fund_file):
    holdings = eio.read_ishares_holdings_frame(fund_file)
    result = eio.infer_as_of_date(holdings)
    assert isinstance(result.summary(), Summary)
    assert f"{result.settlement_date:%Y-%m-%d}" in str(result.summary())
    frame = result.to_frame()
    frame.iloc[0, 0] = -1
    assert result.candidates.iloc[0] != -1


def test_etf_from_ishares_returns_a_named_pair(fund_file):
    fund = etf_from_ishares(fund_file, "LQD", curve="synthetic")
    assert isinstance(fund, IsharesFund) and isinstance(fund, tuple)
    market, etf = fund  # the old call sites unpack it
    assert market is fund.market and etf is fund.etf
    assert fund._fields == ("market", "etf")
    assert repr(fund) == "IsharesFund(LQD: 2 bonds; market=..., etf=...)"
    assert etf.shares_outstanding == 207_500.0
    assert list(etf.holdings.index) == [_cusip("98765XYZ"), _cusip("12345ABC")]


def test_old_module_path_still_works():
    from etfcore.io import _ishares, ishares

    assert _ishares.read_ishares_holdings is ishares.read_ishares_holdings
    assert _ishares.infer_schedule_conventions is eio.infer_schedule_conventions
    assert int(_ishares.days360_us(np.datetime64("2024-02-29"), np.datetime64("2024-08-31"))) == 180


@pytest.mark.real_data
def test_lqd_repr_and_summary(real_data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # repaired CUSIPs, inferred conventions
        lqd = eio.read_ishares_holdings(real_data / LQD_FILE)
    text = repr(lqd)
    assert text.startswith(
        "IsharesHoldings(lqd_holdings_2026-01_approx.csv: 3,004 rows, 3,002 bonds, 2 other; "
        "market value $31,1"
    )
    assert len(text) < 150
    summary = str(lqd.summary())
    assert "2025-12-18" in summary  # the settlement date the conventions were inferred at
    assert "file accrued: long first coupon" in summary
