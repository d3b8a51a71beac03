"""read_basket / PortfolioBasket: a client's basket file, its problems, flags and pricing."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from etfcore.bonds.bondset import BondSet
from etfcore.bonds.pricing import price_bonds
from etfcore.bonds.spreads import SpreadCurve
from etfcore.data import seed_path
from etfcore.errors import DataWarning, InputError
from etfcore.hedging import basket_risk
from etfcore.io import PortfolioBasket, read_basket
from etfcore.io._basket import DEFAULT_RATING, LINE_COLUMNS, WEIGHT_TOLERANCE
from etfcore.market import synthetic_market
from etfcore.market.synthetic import synthetic_spread_curve

#: The seed basket's as-of date for a lenient read: before every maturity (issue 9).
SEED_AS_OF = "2024-12-02"
#: Prices and spreads from the same model on two code paths.
PRICE_TOL = 1e-8
HEADER = "cusip,issuer,coupon_pct,maturity,market_value_mm"
APPLE = "037833100"  # Apple Inc common stock CUSIP, a valid check digit
MSFT = "594918104"
TREASURY = "912828U57"  # Treasury issuer number 912828, valid check digit


def write(tmp_path: Path, text: str, name: str = "basket.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def read_quiet(path, **kwargs) -> PortfolioBasket:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return read_basket(path, **kwargs)


@pytest.fixture(scope="module")
def seed_basket_path() -> Path:
    return seed_path("seed_basket.csv")


@pytest.fixture(scope="module")
def seed_lenient(seed_basket_path) -> PortfolioBasket:
    return read_quiet(seed_basket_path, as_of=SEED_AS_OF, strict=False)


@pytest.fixture(scope="module")
def seed_market():
    return synthetic_market(0, as_of=SEED_AS_OF)


# ---------------------------------------------------------------------- the seed
def test_seed_strict_lists_every_problem_in_one_error(seed_basket_path):
    with pytest.raises(InputError, match=r"seed_basket.csv: 10 problem\(s\) in the basket") as info:
        read_basket(seed_basket_path, as_of="2026-12-03")
    text = str(info.value)
    bad_digits = {
        "125581FE4": ("3", "4"),
        "037833DP6": ("2", "6"),
        "46625HGY8": ("0", "8"),
        "254687CZ9": ("7", "9"),
        "20030NBD4": ("2", "4"),
        "912828U58": ("7", "8"),
    }
    for cusip, (expected, got) in bad_digits.items():
        assert f"({cusip}), column 'cusip'" in text
        assert f"check digit should be {expected}, got {got}" in text
    for line, cusip, date in (
        (4, "06051GHD4", "2026-10-22"),
        (5, "125581FE4", "2025-07-01"),
        (8, "46625HGY8", "2026-04-23"),
        (10, "20030NBD4", "2025-03-01"),
    ):
        assert f"line {line} ({cusip}), column 'maturity': {date} is on or before as_of" in text
    # the Treasury flag is said in the same message, as a flag and not an error
    assert "also flagged (not errors)" in text
    assert "912828U58 has the issuer number 912828 of the US Treasury" in text
    assert len(info.value.problems) == 10


def test_seed_default_as_of_is_today(seed_basket_path):
    # today is after every one of the four maturities, whatever day the test runs
    with pytest.raises(InputError, match="is on or before as_of") as info:
        read_basket(seed_basket_path)
    assert str(info.value).count("the bond has matured") >= 4


def test_seed_lenient_keeps_every_line_and_says_so(seed_basket_path):
    with pytest.warns(DataWarning, match=r"6 problem\(s\) kept and 1 flag\(s\)") as rec:
        basket = read_basket(seed_basket_path, as_of=SEED_AS_OF, strict=False)
    message = str(rec[0].message)
    assert "kept (strict=False): line 5 (125581FE4)" in message
    assert "flag: line 11 (912828U58)" in message
    assert len(basket.lines) == 10
    assert basket.coupon_unit == "percent"
    assert len(basket.kept) == 6
    assert_allclose(basket.total_market_value_usd, 50e6)
    kinds = basket.flags["kind"].value_counts().to_dict()
    assert kinds == {"check_digit": 6, "treasury_prefix": 1}
    # the seed's weights are the market-value shares: no weight flag
    assert "weight_mismatch" not in kinds


def test_seed_lenient_today_keeps_matured_lines(seed_basket_path):
    basket = read_quiet(seed_basket_path, as_of="2026-12-03", strict=False)
    matured = basket.flags.index[basket.flags["kind"] == "matured"]
    assert sorted(matured) == sorted(["06051GHD4", "125581FE4", "46625HGY8", "20030NBD4"])
    assert len(basket.lines) == 10


def test_seed_lines(seed_lenient):
    lines = seed_lenient.lines
    assert tuple(lines.columns) == LINE_COLUMNS
    assert lines.index.name == "id"
    row = lines.loc["00287YAE9"]
    assert row["issuer"] == "AbbVie Inc"
    assert_allclose(row["coupon"], 0.032)
    assert row["maturity"] == pd.Timestamp("2029-11-21")
    assert_allclose(row["market_value_usd"], 6.5e6)
    assert np.isnan(row["par_usd"]) and np.isnan(row["price"])
    assert row["trade_side"] == "sell"
    assert_allclose(row["weight"], 0.13)
    assert pd.isna(row["rating"]) and pd.isna(row["sector"])
    assert_allclose(lines["weight"].sum(), 1.0)


def test_treasury_prefix_flag_on_912828U58(seed_lenient):
    flag = seed_lenient.flags
    flag = flag[flag["kind"] == "treasury_prefix"]
    assert list(flag.index) == ["912828U58"]
    assert int(flag["line"].iloc[0]) == 11
    assert "UnitedHealth Group Inc" in flag["message"].iloc[0]


def test_treasury_prefix_not_flagged_for_a_treasury(tmp_path):
    path = write(tmp_path, f"{HEADER}\n{TREASURY},United States Treasury,2.75,2030-05-15,1\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        basket = read_basket(path, as_of="2026-01-15")
    assert len(basket.flags) == 0
    path = write(tmp_path, f"{HEADER}\n{TREASURY},Acme Corp,2.75,2030-05-15,1\n")
    with pytest.warns(DataWarning, match="issuer number 912828 of the US Treasury"):
        basket = read_basket(path, as_of="2026-01-15")
    assert basket.flags["kind"].tolist() == ["treasury_prefix"]
    path = write(
        tmp_path, "isin,issuer,coupon,maturity,par\nUS912828U576,Acme Corp,2.75,2030-05-15,1\n"
    )
    with pytest.warns(DataWarning, match="US912828U576 has the issuer number 912828 of the US"):
        read_basket(path, as_of="2026-01-15")


def test_result_is_frozen_and_hands_out_copies(seed_lenient):
    lines = seed_lenient.lines
    lines.loc[:, "market_value_usd"] = 0.0
    assert seed_lenient.lines["market_value_usd"].sum() == 50e6
    with pytest.raises(AttributeError):
        seed_lenient.coupon_unit = "decimal"  # type: ignore[misc]
    frame = seed_lenient.to_frame()
    assert frame.loc["912828U58", "flags"] == "check_digit, treasury_prefix"
    assert frame.loc["00287YAE9", "flags"] == ""
    assert frame["line"].tolist() == list(range(2, 12))


def test_summary_and_repr(seed_lenient):
    text = str(seed_lenient.summary())
    for piece in ("seed_basket.csv", "50,000,000", "coupon_unit", "percent", "treasury_prefix"):
        assert piece in text
    assert "6 problem(s) kept" in text
    assert repr(seed_lenient) == (
        "PortfolioBasket(seed_basket.csv: 10 lines, market value $50,000,000, coupons in "
        "percent, 7 flags)"
    )
    assert seed_lenient.as_of_timestamp == pd.Timestamp(SEED_AS_OF)


def test_bonds_conventions(seed_lenient):
    bonds = seed_lenient.bonds
    assert isinstance(bonds, BondSet) and len(bonds) == 10
    assert set(bonds.frequency.tolist()) == {2}
    frame = bonds.to_frame()
    assert set(frame["day_count"]) == {"30/360 US"}
    assert frame.loc["037833DP6", "issuer"] == "Apple Inc"
    assert any("semiannual, 30/360 US" in n for n in seed_lenient.notes)


# ---------------------------------------------------------------------- units and columns
@pytest.mark.parametrize(
    ("column", "values", "unit"),
    [
        ("coupon_pct", ("4.25", "2.4"), "percent"),
        ("coupon", ("4.25", "2.4"), "percent"),
        ("coupon", ("0.0425", "0.024"), "decimal"),
        ("coupon_rate", ("0.0425", "0.024"), "decimal"),
    ],
)
def test_coupon_unit_detection(tmp_path, column, values, unit):
    text = (
        f"id,issuer,{column},maturity,par\n"
        f"{APPLE},Apple,{values[0]},2030-05-03,1000000\n"
        f"{MSFT},Microsoft,{values[1]},2031-05-03,1000000\n"
    )
    basket = read_basket(write(tmp_path, text), as_of="2026-01-15")
    assert basket.coupon_unit == unit
    assert_allclose(basket.lines["coupon"], [0.0425, 0.024])
    assert any(f"column {column!r}" in n and unit in n for n in basket.notes)
    assert unit in str(basket.summary())


def test_isin_identifiers_and_sides(tmp_path):
    text = (
        "isin,issuer,coupon,maturity,market_value_usd,side,price,rating,sector\n"
        "US0378331005,Apple,2.4,2030-05-03,1000000,SELL,95.5,AA,Technology\n"
        "US5949181045,Microsoft,3.3,05/03/2031,2000000,buy,,,\n"
        'US0378331013,Apple,2.4,"May 03, 2032",1000000,,99,A,Banking\n'
    )
    basket = read_basket(write(tmp_path, text), as_of="2026-01-15")
    lines = basket.lines
    assert list(lines["trade_side"]) == ["sell", "buy", "sell"]
    assert list(lines["maturity"]) == [
        pd.Timestamp(d) for d in ("2030-05-03", "2031-05-03", "2032-05-03")
    ]
    assert_allclose(lines["price"], [95.5, np.nan, 99.0])
    assert lines["rating"].iloc[[0, 2]].tolist() == ["AA", "A"]
    assert pd.isna(lines["rating"].iloc[1]) and pd.isna(lines["sector"].iloc[1])
    assert any("1 blank cell(s) in 'side'" in n for n in basket.notes)


def test_par_only_basket(tmp_path):
    text = f"id,issuer,coupon,maturity,par\n{APPLE},Apple,2.4,2030-05-03,1e6\n"
    basket = read_basket(write(tmp_path, text), as_of="2026-01-15")
    assert_allclose(basket.lines["par_usd"], [1e6])
    assert np.isnan(basket.lines["market_value_usd"]).all()
    assert np.isnan(basket.total_market_value_usd)


def test_ignored_columns_are_said(tmp_path):
    text = f"{HEADER},desk\n{APPLE},Apple,2.4,2030-05-03,1,NY\n"
    basket = read_basket(write(tmp_path, text), as_of="2026-01-15")
    assert any("ignored column(s): ['desk']" in n for n in basket.notes)


# ---------------------------------------------------------------------- weights
def test_weights_that_do_not_match_market_values(tmp_path):
    text = (
        f"{HEADER},weight_pct\n"
        f"{APPLE},Apple,2.4,2030-05-03,6.0,50\n"
        f"{MSFT},Microsoft,3.3,2031-05-03,4.0,45\n"
    )
    with pytest.warns(DataWarning, match="weight") as rec:
        basket = read_basket(write(tmp_path, text), as_of="2026-01-15")
    message = str(rec[0].message)
    assert "weight 50.00% but 60.00% of the basket's market value (off by -1000.0 bp" in message
    assert "the weights add up to 95.00%, not 100% (off by -5.00 percentage points)" in message
    flags = basket.flags
    assert flags["kind"].tolist() == ["weight_mismatch", "weight_mismatch", "weights_total"]
    assert flags.index[-1] == "(basket)" and pd.isna(flags["line"].iloc[-1])


def test_weights_in_decimal_and_within_tolerance(tmp_path):
    share = 0.6 + WEIGHT_TOLERANCE / 2
    text = (
        f"{HEADER},weight\n"
        f"{APPLE},Apple,2.4,2030-05-03,6.0,{share}\n"
        f"{MSFT},Microsoft,3.3,2031-05-03,4.0,{1 - share}\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        basket = read_basket(write(tmp_path, text), as_of="2026-01-15")
    assert_allclose(basket.lines["weight"], [share, 1 - share])
    assert any("weights: column 'weight' read as decimal" in n for n in basket.notes)
    assert any("within 0.05 percentage points" in n for n in basket.notes)


# ---------------------------------------------------------------------- errors
GOOD = f"{APPLE},Apple,2.4,2030-05-03,1.0"


@pytest.mark.parametrize(
    ("line", "match"),
    [
        (
            "037833101,Apple,2.4,2030-05-03,1.0",
            r"line 2 \(037833101\), column 'cusip': CUSIP '037833101': check digit should be 0, "
            r"got 1",
        ),
        (
            f"{APPLE},Apple,2.4,2025-05-03,1.0",
            r"line 2 \(037833100\), column 'maturity': 2025-05-03 is on or before as_of "
            r"2026-01-15: the bond has matured",
        ),
        (f"{APPLE},Apple,2.4x,2030-05-03,1.0", r"column 'coupon_pct': cannot read '2.4x'"),
        (f"{APPLE},Apple,2.4,2030-05-03,lots", r"column 'market_value_mm': cannot read 'lots'"),
        (f"{APPLE},Apple,2.4,2030-05-03,0", r"'0' is zero; a line's amount must be > 0"),
        (f"{APPLE},Apple,2.4,2030-05-03,-2", r"'-2' is negative; a line's amount must be > 0"),
        (f"{APPLE},Apple,2.4,2030-05-03,", r"column 'market_value_mm': blank"),
        (f"{APPLE},Apple,2.4,31/12/2030,1.0", r"column 'maturity': '31/12/2030' is not a"),
        (f"{APPLE},Apple,2.4,,1.0", r"column 'maturity': blank; give the maturity date"),
        (f"{APPLE},Apple,,2030-05-03,1.0", r"column 'coupon_pct': blank; give the coupon"),
        (f"{APPLE},Apple,45,2030-05-03,1.0", r"'45' is above 30 as a coupon in percent"),
        (",Apple,2.4,2030-05-03,1.0", r"line 2, column 'cusip': blank"),
        ("APPLE INC,Apple,2.4,2030-05-03,1.0", r"'APPLE INC' is neither a CUSIP"),
        (f"{APPLE},,2.4,2030-05-03,1.0", r"column 'issuer': blank"),
    ],
)
def test_line_errors(tmp_path, line, match):
    path = write(tmp_path, f"{HEADER}\n{line}\n")
    with pytest.raises(InputError, match=match):
        read_basket(path, as_of="2026-01-15")


def test_bad_convention_names_the_line(tmp_path):
    path = write(
        tmp_path, f"{HEADER},day_count\n{GOOD},30/360\n{MSFT},Msft,3,2031-01-01,1,ACT/999\n"
    )
    with pytest.raises(InputError, match=r"line 3 \(594918104\), column 'day_count'"):
        read_basket(path, as_of="2026-01-15")


def test_duplicate_id(tmp_path):
    path = write(tmp_path, f"{HEADER}\n{GOOD}\n{MSFT},Msft,3,2031-01-01,1\n{GOOD}\n")
    with pytest.raises(
        InputError, match=r"line 4 \(037833100\), column 'cusip': '037833100' is also on line"
    ):
        read_basket(path, as_of="2026-01-15", strict=False)


def test_unknown_side(tmp_path):
    path = write(tmp_path, f"{HEADER},side\n{GOOD},short\n")
    with pytest.raises(InputError, match=r"column 'side': 'short' is not a side; use one of"):
        read_basket(path, as_of="2026-01-15")


def test_several_problems_in_one_message(tmp_path):
    text = (
        f"{HEADER},trade_side\n"
        "037833101,Apple,2.4,2030-05-03,1.0,sell\n"  # check digit
        f"{MSFT},Microsoft,3.3,2020-01-01,-1,sell\n"  # matured, negative
        f"{TREASURY},Acme,abc,2030-01-01,1,hold\n"  # coupon, side; flagged
    )
    with pytest.raises(InputError, match=r"5 problem\(s\)") as info:
        read_basket(write(tmp_path, text), as_of="2026-01-15")
    text = str(info.value)
    for piece in (
        "line 2 (037833101), column 'cusip'",
        "line 3 (594918104), column 'maturity'",
        "line 3 (594918104), column 'market_value_mm': '-1' is negative",
        "line 4 (912828U57), column 'coupon_pct': cannot read 'abc'",
        "line 4 (912828U57), column 'trade_side': 'hold' is not a side",
        "also flagged (not errors):\n  - line 4 (912828U57)",
    ):
        assert piece in text


def test_lenient_still_raises_what_cannot_be_kept(tmp_path):
    text = f"{HEADER}\n037833101,Apple,2.4,2030-05-03,1.0\n{MSFT},Microsoft,3.3,2031-01-01,0\n"
    with pytest.raises(InputError, match=r"(?s)1 problem\(s\).*'0' is zero") as info:
        read_basket(write(tmp_path, text), as_of="2026-01-15", strict=False)
    assert "037833101" not in str(info.value)


def test_blank_lines_keep_file_line_numbers(tmp_path):
    text = f"{HEADER}\n\n{GOOD}\n\n{MSFT},Msft,3,2031-01-01,x\n"
    with pytest.raises(InputError, match=r"line 5 \(594918104\), column 'market_value_mm'"):
        read_basket(write(tmp_path, text), as_of="2026-01-15")


@pytest.mark.parametrize(
    ("header", "match"),
    [
        ("issuer,coupon_pct,maturity,market_value_mm", r"missing column\(s\): an identifier"),
        ("cusip,coupon_pct,maturity,market_value_mm", r"missing column\(s\): 'issuer'"),
        ("cusip,issuer,maturity,market_value_mm", r"missing column\(s\): a coupon"),
        ("cusip,issuer,coupon_pct,market_value_mm", r"missing column\(s\): 'maturity'"),
        ("cusip,issuer,coupon_pct,maturity", r"missing column\(s\): an amount"),
        (
            "cusip,issuer,coupon_pct,maturity,market_value_mm,market_value",
            r"several market-value columns \['market_value_mm', 'market_value'\]",
        ),
        ("cusip,issuer,coupon_pct,maturity,Issuer,par", r"column\(s\) \['Issuer'\] appear twice"),
    ],
)
def test_missing_and_ambiguous_columns(tmp_path, header, match):
    row = ",".join(["1"] * len(header.split(",")))
    path = write(tmp_path, f"{header}\n{row}\n")
    with pytest.raises(InputError, match=match):
        read_basket(path, as_of="2026-01-15")


def test_file_errors(tmp_path):
    with pytest.raises(InputError, match=r"read_basket: .*nope.csv does not exist"):
        read_basket(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a directory"):
        read_basket(tmp_path)
    with pytest.raises(InputError, match="empty.csv is empty"):
        read_basket(write(tmp_path, "", "empty.csv"))
    with pytest.raises(InputError, match="header.csv has a header but no lines"):
        read_basket(write(tmp_path, f"{HEADER}\n", "header.csv"))
    with pytest.raises(InputError, match=r"line 2: 7 fields, but the header has 5"):
        read_basket(write(tmp_path, f"{HEADER}\n{GOOD},1,2\n", "wide.csv"))
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(InputError, match="binary.csv is not a readable CSV text file"):
        read_basket(binary)
    with pytest.raises(InputError, match="path must be a file path"):
        read_basket(42)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="as_of"):
        read_basket(write(tmp_path, f"{HEADER}\n{GOOD}\n"), as_of="not a date")


# ---------------------------------------------------------------------- in a market
def test_in_market_prices_every_seed_line(seed_lenient, seed_market):
    extended = seed_lenient.in_market(seed_market)
    assert len(extended.bonds) == len(seed_market.bonds) + 10
    assert type(extended) is type(seed_market)
    assert set(seed_lenient.lines.index) <= set(extended.bonds.ids)
    # spreads from the synthetic spread curve at the default rating and no sector add-on
    years = (seed_lenient.bonds.maturity - extended.settlement) / 365.25
    expected = synthetic_spread_curve().spread(DEFAULT_RATING, None, years)
    assert_allclose(extended.z_spread.loc[seed_lenient.lines.index], expected, atol=1e-15)
    assert "10 bond(s) added" in extended.source
    assert "see spread_assumptions" in extended.source
    # the ETFs still resolve their holdings, at unchanged NAVs
    for name, etf in seed_market.etfs.items():
        assert_allclose(etf.nav(extended), etf.nav(seed_market), rtol=1e-14, err_msg=name)
    # risk works on the returned market
    positions = pd.DataFrame({"id": seed_lenient.lines.index, "market_value_usd": 5e6})
    risk = basket_risk(positions, extended)
    assert risk.n_lines == 10 and risk.dv01_usd > 0 and risk.cs01_usd > 0
    # cached for the same market and arguments
    assert seed_lenient.in_market(seed_market) is extended
    assert seed_lenient.in_market(seed_market, rating="A") is not extended


def test_in_market_uses_price_rating_and_sector(tmp_path, seed_market):
    text = (
        "id,issuer,coupon,maturity,market_value,price,rating,sector\n"
        f"{APPLE},Apple,2.4,2030-05-03,1000000,95.5,,\n"
        f"{MSFT},Microsoft,3.3,2031-05-03,1000000,,A,Banking\n"
        f"{TREASURY},Acme,2.75,2029-05-15,1000000,,,\n"
    )
    basket = read_quiet(write(tmp_path, text), as_of=SEED_AS_OF)
    extended = basket.in_market(seed_market, sector="Technology")
    # the price line reprices to the file's price on the market's curve (bonds layer pricer)
    apple = extended.bonds.select([APPLE])
    priced = price_bonds(
        apple, extended.curve, extended.settlement, spread=extended.z_spread.loc[[APPLE]]
    )
    assert_allclose(priced["clean_price"].iloc[0], 95.5, atol=PRICE_TOL)
    sc = synthetic_spread_curve()
    years = (extended.bonds.select([MSFT, TREASURY]).maturity - extended.settlement) / 365.25
    assert_allclose(extended.z_spread.loc[MSFT], sc.spread("A", "Banking", years[0]))
    assert_allclose(extended.z_spread.loc[TREASURY], sc.spread("BBB", "Technology", years[1]))
    table = basket.spread_assumptions(seed_market, sector="Technology")
    assert table["source"].tolist() == ["price", "spread_curve", "spread_curve"]
    assert table.loc[TREASURY, "defaulted"] == "rating BBB (DEFAULT_RATING); sector Technology"
    attrs = extended.bonds.attributes.loc[MSFT]
    assert (attrs["rating"], attrs["sector"], attrs["grade"]) == ("A", "Banking", "IG")


def test_in_market_with_own_spread_curve_and_errors(tmp_path, seed_market):
    text = f"id,issuer,coupon,maturity,par,rating\n{APPLE},Apple,2.4,2030-05-03,1e6,BBB\n"
    basket = read_basket(write(tmp_path, text), as_of=SEED_AS_OF)
    flat = SpreadCurve([1.0, 10.0], ["BBB"], [[100.0, 100.0]])
    extended = basket.in_market(seed_market, spread_curve=flat)
    assert_allclose(extended.z_spread.loc[APPLE], 0.01)
    with pytest.raises(InputError, match="'ZZZ' is not a rating of this spread curve"):
        read_basket(
            write(tmp_path, text.replace(",BBB", ",ZZZ"), "z.csv"), as_of=SEED_AS_OF
        ).in_market(seed_market)
    with pytest.raises(InputError, match="spread_curve: expected an etfcore.SpreadCurve"):
        basket.in_market(seed_market, spread_curve="flat")
    late = synthetic_market(0, as_of="2030-06-01")
    with pytest.raises(InputError, match=r"1 bond\(s\) mature on or before the market's"):
        basket.in_market(late)
    with pytest.raises(InputError, match="market: expected a MarketState"):
        basket.in_market(None)  # type: ignore[arg-type]
    # a market without a spread curve of its own (a plain MarketState) needs one
    from etfcore.state import MarketState

    plain = MarketState(
        seed_market.bonds,
        seed_market.curve,
        seed_market.z_spread,
        seed_market.settlement,
        seed_market.liquidity,
    )
    with pytest.raises(InputError, match="has no spread curve to price lines without a price"):
        basket.in_market(plain)
    assert_allclose(basket.in_market(plain, spread_curve=flat).z_spread.loc[APPLE], 0.01)
    priced = read_basket(
        write(tmp_path, text.replace("par,rating", "par,price").replace(",BBB", ",97"), "p.csv"),
        as_of=SEED_AS_OF,
    )
    assert APPLE in priced.in_market(plain).bonds.ids


def test_in_market_returns_the_market_when_it_knows_every_bond(tmp_path, seed_market):
    known = seed_market.etfs["IG_SHORT"].holdings.index[:2]
    uni = seed_market.universe.loc[known]
    rows = "\n".join(
        f"{i},{u.issuer},{u.coupon_rate},{u.maturity_date:%Y-%m-%d},1e6"
        for i, u in zip(known, uni.itertuples(), strict=True)
    )
    basket = read_quiet(
        write(tmp_path, f"id,issuer,coupon,maturity,par\n{rows}\n"), as_of=SEED_AS_OF
    )
    assert basket.in_market(seed_market) is seed_market


def test_in_market_extends_liquidity_scores(seed_lenient, seed_market):
    scores = pd.Series(np.linspace(0.1, 0.9, len(seed_market.bonds)), index=seed_market.bonds.ids)
    scored = seed_market.with_liquidity(liquidity_scores=scores)
    extended = seed_lenient.in_market(scored)
    new = extended.liquidity_scores.loc[seed_lenient.lines.index]
    assert_allclose(new, np.median(scores))
    assert "liquidity score 0.500 (the median of the market's)" in extended.source
    assert bool((extended.half_spread_bp().loc[new.index] > 0).all())


# ---------------------------------------------------------------------- small additions
def test_bondset_concat():
    a = BondSet.from_frame(
        pd.DataFrame(
            {
                "id": ["A1", "A2"],
                "coupon_rate": [0.05, 0.04],
                "maturity_date": ["2035-05-15", "2031-01-01"],
                "call_date": ["2030-05-15", None],
                "call_price": [100.0, None],
                "sector": ["Energy", "Banking"],
            }
        )
    )
    b = BondSet.from_frame(
        pd.DataFrame({"id": ["B1"], "coupon_rate": [0.03], "maturity_date": ["2029-01-01"]})
    )
    both = BondSet.concat([a, b])
    assert both.ids.tolist() == ["A1", "A2", "B1"]
    assert both.is_callable.tolist() == [True, False, False]
    pd.testing.assert_frame_equal(both.calls_frame(), a.calls_frame())
    assert both.take([2]).coupon_rate.tolist() == [0.03]
    with pytest.raises(InputError, match=r"1 id\(s\) in more than one set: \['B1'\]"):
        BondSet.concat([both, b])
    with pytest.raises(InputError, match="item 1 is a str, not a BondSet"):
        BondSet.concat([a, "b"])  # type: ignore[list-item]
    with pytest.raises(InputError, match="no BondSets given"):
        BondSet.concat([])


def test_with_bonds_starts_a_fresh_cache(seed_market):
    h = seed_market.half_spread_bp()
    sub = seed_market.bonds.take(list(range(5)))
    smaller = seed_market.with_bonds(sub, seed_market.z_spread.iloc[:5])
    assert len(smaller.half_spread_bp()) == 5
    assert len(seed_market.half_spread_bp()) == len(h)
    with pytest.raises(InputError, match="z_spread: no spread for"):
        seed_market.with_bonds(seed_market.bonds, seed_market.z_spread.iloc[:5])
