"""CUSIP / ISIN check digits, conversions and Treasury issuers (etfcore.bonds.identifiers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etfcore.bonds.identifiers import (
    IdentifierCheck,
    check_identifier,
    check_identifiers,
    cusip_check_digit,
    cusip_from_isin,
    is_cusip_shaped,
    is_isin_shaped,
    is_us_treasury_cusip,
    isin_check_digit,
    isin_from_cusip,
)
from etfcore.errors import InputError

CUSIP_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*@#"
ISIN_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# Published CUSIP / ISIN pairs (issuer and exchange listings).
KNOWN = [
    ("037833100", "US0378331005", "US"),  # Apple Inc. common stock
    ("594918104", "US5949181045", "US"),  # Microsoft Corp. common stock
    ("38259P508", "US38259P5089", "US"),  # Google Inc. class A (2004-2014)
    ("067901108", "CA0679011084", "CA"),  # Barrick Gold Corp.
]


# --- known identifiers ---------------------------------------------------------------------


@pytest.mark.parametrize(("cusip", "isin", "country"), KNOWN)
def test_known_pairs(cusip, isin, country):
    assert cusip_check_digit(cusip[:8]) == cusip[8]
    assert isin_check_digit(isin[:11]) == isin[11]
    assert isin_from_cusip(cusip, country=country) == isin
    assert cusip_from_isin(isin) == cusip
    assert check_identifier(cusip) == IdentifierCheck(cusip, "cusip", True, cusip[8], None)
    assert check_identifier(isin) == IdentifierCheck(isin, "isin", True, isin[11], None)


def test_apple_by_hand():
    # 0 3 7 8 3 3 1 0 -> values 0, 3*2=6, 7, 8*2=16, 3, 3*2=6, 1, 0*2=0
    # digit sums 0+6+7+(1+6)+3+6+1+0 = 30 -> (10 - 0) mod 10 = 0
    assert cusip_check_digit("03783310") == "0"


def test_special_characters_have_values_36_to_38():
    # '*' = 36 in an odd (undoubled) position adds 3+6 = 9; '@' = 37 adds 10; '#' = 38 adds 11
    assert cusip_check_digit("*0000000") == str((10 - 9) % 10)
    assert cusip_check_digit("@0000000") == str((10 - 10 % 10) % 10)
    assert cusip_check_digit("#0000000") == str((10 - 11 % 10) % 10)
    # doubled: '*' -> 72 -> 7+2 = 9
    assert cusip_check_digit("0*000000") == "1"


def test_shapes():
    assert is_cusip_shaped("037833100")
    assert is_cusip_shaped("12345*@#9")
    assert not is_cusip_shaped("03783310")
    assert not is_cusip_shaped("037833dp2")
    assert not is_cusip_shaped(37833100)
    assert is_isin_shaped("US0378331005")
    assert not is_isin_shaped("US037833100X")
    assert not is_isin_shaped("1S0378331005")
    assert not is_isin_shaped(None)


def test_corrupted_digits_detected():
    bad = check_identifier("037833109")
    assert bad.kind == "cusip"
    assert not bad.valid
    assert bad.expected_check_digit == "0"
    assert bad.got_check_digit == "9"
    assert bad.message == "CUSIP 037833109: check digit should be 0, got 9"
    bad_isin = check_identifier("US0378331006")
    assert (bad_isin.kind, bad_isin.valid, bad_isin.expected_check_digit) == ("isin", False, "5")
    # a transposition inside the ISIN body
    assert not check_identifier("US0738331005").valid


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("88732Jan8", "read as a date, probably 88732JAN8"),
        ("0774May1", "read as a date, probably 00774MAY1"),
        ("3.45E+71", "turned into a number"),
        ("037833dp2", "upper case"),
        (" 037833100", "surrounding spaces"),
        ("37833100", "leading zeros were lost"),
        (None, "missing"),
        (float("nan"), "missing"),
        (37833100, "not a string"),
    ],
)
def test_other_identifiers_explain_themselves(value, hint):
    res = check_identifier(value)
    assert res.kind == "other"
    assert not res.valid
    assert res.expected_check_digit is None
    assert res.got_check_digit is None
    assert hint in res.message


# --- errors ---------------------------------------------------------------------------------


def test_check_digit_input_errors():
    with pytest.raises(InputError, match=r"a CUSIP base has 8 characters, got '0378331' \(7\)"):
        cusip_check_digit("0378331")
    with pytest.raises(InputError, match=r"character 7 of '037833dp' is 'd'.*upper case"):
        cusip_check_digit("037833dp")
    with pytest.raises(InputError, match="expected a string"):
        cusip_check_digit(3783310)
    with pytest.raises(InputError, match="an ISIN base is 2 upper-case letters"):
        isin_check_digit("U5037833100")


def test_conversion_input_errors():
    with pytest.raises(InputError, match="CUSIP 037833109: check digit should be 0, got 9"):
        isin_from_cusip("037833109")
    with pytest.raises(InputError, match="'US0378331005' is not a CUSIP"):
        isin_from_cusip("US0378331005")
    with pytest.raises(InputError, match="'037833100' is not an ISIN"):
        cusip_from_isin("037833100")
    private = "1234567*"
    with pytest.raises(InputError, match="private placement number"):
        isin_from_cusip(private + cusip_check_digit(private))
    with pytest.raises(InputError, match="country must be a two-letter"):
        isin_from_cusip("037833100", country="USA")
    xs = "XS012345678"
    xs_isin = xs + isin_check_digit(xs)
    with pytest.raises(InputError, match="has country XS; only US and CA ISINs embed a CUSIP"):
        cusip_from_isin(xs_isin)
    with pytest.raises(InputError, match="ISIN US0378331006: check digit should be 5, got 6"):
        cusip_from_isin("US0378331006")
    # a valid ISIN whose embedded CUSIP has a wrong check digit
    base = "US037833109"
    with pytest.raises(InputError, match="embeds an invalid CUSIP 037833109"):
        cusip_from_isin(base + isin_check_digit(base))


# --- Treasury issuers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cusip", "expected"),
    [
        ("912828U58", True),  # the seed basket's "UnitedHealth" line (bad check digit too)
        ("912828U57", True),
        ("91282CJL6", True),  # 91282C: notes issued since 2020
        ("912810TM0", True),  # 912810: bonds
        ("912797KX4", True),  # 912797: bills
        ("912803GH0", True),  # 912803: principal STRIPS
        ("US912828U576", True),  # a US ISIN is looked through
        ("912909AN8", False),  # United States Steel Corp (issuer 912909)
        ("91324PEC2", False),  # UnitedHealth Group Inc (issuer 91324P)
        ("037833100", False),
        ("-", False),
        (None, False),
    ],
)
def test_is_us_treasury_cusip(cusip, expected):
    assert is_us_treasury_cusip(cusip) is expected


# --- the seed basket ------------------------------------------------------------------------

# Hand computation (double-add-double, letters A=10 ... Z=35, even positions doubled):
#   125581FE4: 1, 2*2=4, 5, 5*2=10, 8, 1*2=2, F=15, E=14*2=28
#              1+4+5+(1+0)+8+2+(1+5)+(2+8) = 37 -> check 3, file has 4
#   037833DP6: 0, 3*2=6, 7, 8*2=16, 3, 3*2=6, D=13, P=25*2=50
#              0+6+7+(1+6)+3+6+(1+3)+(5+0) = 38 -> check 2, file has 6
#   46625HGY8: 4, 6*2=12, 6, 2*2=4, 5, H=17*2=34, G=16, Y=34*2=68
#              4+(1+2)+6+4+5+(3+4)+(1+6)+(6+8) = 50 -> check 0, file has 8
#   254687CZ9: 2, 5*2=10, 4, 6*2=12, 8, 7*2=14, C=12, Z=35*2=70
#              2+(1+0)+4+(1+2)+8+(1+4)+(1+2)+(7+0) = 33 -> check 7, file has 9
#   20030NBD4: 2, 0, 0, 3*2=6, 0, N=23*2=46, B=11, D=13*2=26
#              2+0+0+6+0+(4+6)+(1+1)+(2+6) = 28 -> check 2, file has 4
#   912828U58: 9, 1*2=2, 2, 8*2=16, 2, 8*2=16, U=30, 5*2=10
#              9+2+2+(1+6)+2+(1+6)+(3+0)+(1+0) = 33 -> check 7, file has 8
SEED_BAD = {
    "125581FE4": "3",
    "037833DP6": "2",
    "46625HGY8": "0",
    "254687CZ9": "7",
    "20030NBD4": "2",
    "912828U58": "7",
}


def test_seed_basket_check_digits(seed_data):
    basket = pd.read_csv(seed_data / "seed_basket.csv", dtype={"cusip": str})
    assert len(basket) == 10
    res = check_identifiers(basket.set_index("issuer")["cusip"])
    assert list(res.index) == list(basket["issuer"])  # the caller's index is kept
    assert (res["kind"] == "cusip").all()
    bad = res[~res["valid"]]
    assert dict(zip(bad["value"], bad["expected_check_digit"], strict=True)) == SEED_BAD
    for cusip, digit in SEED_BAD.items():
        assert cusip_check_digit(cusip[:8]) == digit
        assert check_identifier(cusip).message == (
            f"CUSIP {cusip}: check digit should be {digit}, got {cusip[8]}"
        )
    good = set(basket["cusip"]) - set(SEED_BAD)
    assert good == {"00287YAE9", "92343VBG8", "06051GHD4", "880591ET5"}
    # the line labelled UnitedHealth Group is a Treasury CUSIP; no other line is
    treasury = basket.loc[basket["cusip"].map(is_us_treasury_cusip)]
    assert list(treasury["cusip"]) == ["912828U58"]
    assert treasury["issuer"].iloc[0] == "UnitedHealth Group Inc"


# --- the LQD holdings file ------------------------------------------------------------------

# Cells of the CUSIP column that a spreadsheet mangled before the file was published; the
# ISIN column is intact, and six of the eight CUSIPs inside those ISINs trade in the TRACE
# activity file (lqd_bonds_trace_activity_2025-09-04_to_2025-12-04.csv).
LQD_MANGLED = {
    "88732Jan8": "88732JAN8",  # Time Warner Cable LLC
    "83444Mar2": "83444MAR2",  # Solventum Corp
    "0774May1": "00774MAY1",  # AerCap Ireland Capital DAC
    "3.45E+71": "345397E66",  # Ford Motor Credit Co LLC
    "4316Jan9": "04316JAN9",  # Arthur J Gallagher & Co
    "3.45E+63": "345397E58",  # Ford Motor Credit Co LLC
    "3.45E+30": "345397E25",  # Ford Motor Credit Co LLC
    "89788Mar3": "89788MAR3",  # Truist Financial Corp
}


@pytest.fixture(scope="module")
def lqd_fixed_income(real_data):
    raw = pd.read_csv(
        real_data / "lqd_holdings_2026-01_approx.csv", dtype=str, keep_default_na=False
    )
    return raw[raw["Asset Class"] == "Fixed Income"]


@pytest.mark.real_data
def test_lqd_identifiers(lqd_fixed_income):
    fi = lqd_fixed_income
    assert len(fi) == 3002
    isins = check_identifiers(fi["ISIN"])
    assert isins["valid"].all()
    cusips = check_identifiers(fi["CUSIP"])
    ok = cusips["valid"].to_numpy()
    assert ok.sum() == 3002 - len(LQD_MANGLED)
    assert set(fi.loc[~ok, "CUSIP"]) == set(LQD_MANGLED)
    assert (cusips.loc[~ok, "kind"] == "other").all()
    for cusip, isin in zip(fi.loc[ok, "CUSIP"], fi.loc[ok, "ISIN"], strict=True):
        assert isin_from_cusip(cusip) == isin
        assert cusip_from_isin(isin) == cusip
    for cell, isin in zip(fi.loc[~ok, "CUSIP"], fi.loc[~ok, "ISIN"], strict=True):
        assert cusip_from_isin(isin) == LQD_MANGLED[cell]
    # none of LQD's corporate bonds is a Treasury
    assert not fi["CUSIP"].map(is_us_treasury_cusip).any()


@pytest.mark.real_data
def test_lqd_mangled_cusips_trade_in_trace(real_data):
    trace = pd.read_csv(
        real_data / "lqd_bonds_trace_activity_2025-09-04_to_2025-12-04.csv", dtype={"cusip": str}
    )
    missing = set(LQD_MANGLED.values()) - set(trace["cusip"])
    assert missing == {"89788MAR3", "345397E58"}


# --- vectorised == scalar, and properties --------------------------------------------------


def test_check_identifiers_matches_scalar_on_random_inputs():
    rng = np.random.default_rng(20260115)
    values: list[object] = []
    for _ in range(400):
        base = "".join(rng.choice(list(CUSIP_ALPHABET), 8))
        values.append(base + str(rng.integers(10)))
        body = "".join(rng.choice(list(ISIN_ALPHABET[10:]), 2)) + "".join(
            rng.choice(list(ISIN_ALPHABET), 9)
        )
        values.append(body + str(rng.integers(10)))
    values += ["", "-", None, "USD_CASH", "US0378331005", "037833100"]
    frame = check_identifiers(values)
    assert list(frame.columns) == [
        "value",
        "kind",
        "valid",
        "expected_check_digit",
        "got_check_digit",
        "message",
    ]
    assert frame["valid"].dtype == bool
    assert frame["valid"].sum() > 50  # about one in ten random check digits is right
    for value, row in zip(values, frame.itertuples(index=False), strict=True):
        one = check_identifier(value)
        assert row.kind == one.kind
        assert row.valid == one.valid
        if one.kind == "other":
            assert pd.isna(row.expected_check_digit)
            assert pd.isna(row.got_check_digit)
        else:
            assert row.expected_check_digit == one.expected_check_digit
            assert row.got_check_digit == one.got_check_digit
        assert (pd.isna(row.message) and one.message is None) or row.message == one.message


def test_check_identifiers_empty():
    frame = check_identifiers([])
    assert len(frame) == 0
    assert "valid" in frame.columns


cusip_bases = st.text(alphabet=CUSIP_ALPHABET, min_size=8, max_size=8)
public_cusip_bases = st.text(alphabet=ISIN_ALPHABET, min_size=8, max_size=8)
isin_bases = st.builds(
    lambda a, b: a + b,
    st.text(alphabet=ISIN_ALPHABET[10:], min_size=2, max_size=2),
    st.text(alphabet=ISIN_ALPHABET, min_size=9, max_size=9),
)


@settings(max_examples=300, deadline=None)
@given(base=cusip_bases)
def test_cusip_check_digit_property(base):
    digit = cusip_check_digit(base)
    assert check_identifier(base + digit).valid
    for other in "0123456789":
        if other != digit:
            assert not check_identifier(base + other).valid


@settings(max_examples=200, deadline=None)
@given(base=cusip_bases, pos=st.integers(0, 7), data=st.data())
def test_cusip_detects_any_single_digit_substitution(base, pos, data):
    # double-add-double maps the digits 0-9 to distinct values mod 10 in both kinds of
    # position, so changing one digit of the base into another digit is always caught
    # (letters are not: E=14 doubled adds 2+8=10, the same as 0 mod 10)
    cusip = base + cusip_check_digit(base)
    if not cusip[pos].isdigit():
        return
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != cusip[pos]]))
    assert not check_identifier(cusip[:pos] + new + cusip[pos + 1 :]).valid


@settings(max_examples=300, deadline=None)
@given(base=isin_bases)
def test_isin_check_digit_property(base):
    digit = isin_check_digit(base)
    isin = base + digit
    assert check_identifier(isin).valid
    for other in "0123456789":
        if other != digit:
            assert not check_identifier(base + other).valid
    assert check_identifiers([isin])["valid"].iloc[0]


@settings(max_examples=200, deadline=None)
@given(base=public_cusip_bases, country=st.sampled_from(["US", "CA"]))
def test_isin_cusip_round_trip(base, country):
    cusip = base + cusip_check_digit(base)
    isin = isin_from_cusip(cusip, country=country)
    assert isin[:2] == country
    assert check_identifier(isin).valid
    assert cusip_from_isin(isin) == cusip
