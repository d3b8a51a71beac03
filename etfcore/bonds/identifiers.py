"""CUSIP and ISIN identifiers: shapes, check digits, conversions, Treasury issuers.

Pure Python and numpy; nothing here is compiled. The scalar functions are the
plain, obviously-correct versions; :func:`check_identifiers` is the vectorised
one used on whole baskets and holdings files, and the tests compare the two.

Notes
-----
**CUSIP** (9 characters): a 6-character issuer number, a 2-character issue
number and a check digit. Each of the first 8 characters has a value: digits
their own value, letters ``A``..``Z`` = 10..35, ``*`` = 36, ``@`` = 37,
``#`` = 38. Values in even positions (2nd, 4th, 6th, 8th) are doubled; the
decimal digits of every value are added ("double-add-double"); the check
digit is ``(10 - sum mod 10) mod 10``.

**ISIN** (12 characters): a 2-letter country code, a 9-character national
number (for the US and Canada, the CUSIP) and a check digit. Letters are
expanded to two digits (``A`` = 10 .. ``Z`` = 35) and the Luhn algorithm runs
over the resulting digit string: starting from the rightmost digit, every
second digit is doubled, the decimal digits of all terms are added, and the
check digit is ``(10 - sum mod 10) mod 10``.

Examples
--------
>>> cusip_check_digit("03783310")
'0'
>>> isin_from_cusip("037833100")
'US0378331005'
>>> check_identifier("125581FE4").expected_check_digit
'3'
>>> is_us_treasury_cusip("912828U58")
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = [
    "IdentifierCheck",
    "check_identifier",
    "check_identifiers",
    "cusip_check_digit",
    "cusip_from_isin",
    "is_cusip_shaped",
    "is_isin_shaped",
    "is_us_treasury_cusip",
    "isin_check_digit",
    "isin_from_cusip",
]

_CUSIP_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*@#"
_CUSIP_VALUE = {ch: i for i, ch in enumerate(_CUSIP_ALPHABET)}
_CUSIP_RE = re.compile(r"[0-9A-Z*@#]{9}")
_ISIN_RE = re.compile(r"[A-Z]{2}[0-9A-Z]{9}[0-9]")
_MONTH_RE = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")

# Character value lookup for the vectorised path: code point -> value, -1 if not allowed.
_LUT = np.full(128, -1, dtype=np.int64)
for _ch, _v in _CUSIP_VALUE.items():
    _LUT[ord(_ch)] = _v

#: Countries whose ISIN national number is the CUSIP.
CUSIP_COUNTRIES = ("US", "CA")

#: CUSIP issuer numbers of the US Treasury (Bureau of the Fiscal Service).
#: ``9127xx``: bills (912794 older issues, 912795, 912796, 912797 current);
#: ``9128xx``: the notes-and-bonds family - 912810 bonds, 912827 and 912828
#: notes (both include TIPS and FRNs), 91282C notes issued since 2020, 912803
#: principal STRIPS, 912820/912821/912833/912834 coupon STRIPS. Every issuer
#: number that starts with ``9128`` is treated as Treasury.
TREASURY_BILL_ISSUERS = ("912794", "912795", "912796", "912797")
TREASURY_PREFIX = "9128"


def _as_text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where}: expected a string, got {value!r} ({type(value).__name__})")
    return value


def _cusip_base_values(base8: str, where: str) -> list[int]:
    text = _as_text(base8, where)
    if len(text) != 8:
        raise InputError(
            f"{where}: a CUSIP base has 8 characters, got {text!r} ({len(text)}); "
            "pass the first 8 characters of the CUSIP"
        )
    values = []
    for pos, ch in enumerate(text, start=1):
        if ch not in _CUSIP_VALUE:
            hint = " (CUSIPs are upper case)" if ch.upper() in _CUSIP_VALUE else ""
            raise InputError(
                f"{where}: character {pos} of {text!r} is {ch!r}, not one of 0-9, A-Z, *, @, #"
                + hint
            )
        values.append(_CUSIP_VALUE[ch])
    return values


def cusip_check_digit(base8: str) -> str:
    """Return the CUSIP check digit of an 8-character base.

    Parameters
    ----------
    base8
        Issuer number and issue number, e.g. ``"03783310"``.

    Returns
    -------
    str
        One digit, ``"0"``..``"9"``.

    Raises
    ------
    InputError
        If ``base8`` is not 8 characters of ``0-9``, ``A-Z``, ``*``, ``@``, ``#``.

    Notes
    -----
    Double-add-double: values (letters ``A`` = 10 .. ``Z`` = 35, ``*`` = 36,
    ``@`` = 37, ``#`` = 38) in the 2nd, 4th, 6th and 8th positions are doubled,
    the decimal digits of all eight values are summed, and the check digit is
    ``(10 - sum mod 10) mod 10``.

    Examples
    --------
    >>> cusip_check_digit("03783310")  # Apple Inc. common stock, 037833100
    '0'
    """
    total = 0
    for i, value in enumerate(_cusip_base_values(base8, "cusip_check_digit")):
        if i % 2 == 1:
            value *= 2
        total += value // 10 + value % 10
    return str((10 - total % 10) % 10)


def isin_check_digit(base11: str) -> str:
    """Return the ISIN check digit of an 11-character base.

    Parameters
    ----------
    base11
        Country code and national number, e.g. ``"US037833100"``.

    Raises
    ------
    InputError
        If ``base11`` is not 2 upper-case letters followed by 9 of ``0-9``, ``A-Z``.

    Notes
    -----
    Letters become two digits (``A`` = 10 .. ``Z`` = 35); Luhn runs over the digit
    string: from the rightmost digit leftwards every second digit is doubled
    (the rightmost one included, because the check digit will follow it), the
    decimal digits of all terms are summed, and the check digit is
    ``(10 - sum mod 10) mod 10``.

    Examples
    --------
    >>> isin_check_digit("US037833100")
    '5'
    """
    text = _as_text(base11, "isin_check_digit")
    if re.fullmatch(r"[A-Z]{2}[0-9A-Z]{9}", text) is None:
        raise InputError(
            f"isin_check_digit: an ISIN base is 2 upper-case letters and 9 characters 0-9/A-Z, "
            f"got {text!r}; pass the first 11 characters of the ISIN"
        )
    digits = "".join(str(_CUSIP_VALUE[ch]) for ch in text)
    total = 0
    for k, ch in enumerate(reversed(digits)):
        d = int(ch)
        if k % 2 == 0:
            d *= 2
        total += d // 10 + d % 10
    return str((10 - total % 10) % 10)


def is_cusip_shaped(s: object) -> bool:
    """Return whether ``s`` has the shape of a CUSIP: 9 characters of ``0-9 A-Z * @ #``.

    The check digit is not verified (see :func:`check_identifier`).

    Examples
    --------
    >>> is_cusip_shaped("037833100"), is_cusip_shaped("AAPL")
    (True, False)
    """
    return isinstance(s, str) and _CUSIP_RE.fullmatch(s) is not None


def is_isin_shaped(s: object) -> bool:
    """Return whether ``s`` has the shape of an ISIN: 2 letters, 9 of ``0-9 A-Z``, 1 digit.

    The check digit is not verified (see :func:`check_identifier`).

    Examples
    --------
    >>> is_isin_shaped("US0378331005"), is_isin_shaped("037833100")
    (True, False)
    """
    return isinstance(s, str) and _ISIN_RE.fullmatch(s) is not None


@dataclass(frozen=True)
class IdentifierCheck:
    """The result of checking one identifier.

    Attributes
    ----------
    value
        The identifier as given.
    kind
        ``"cusip"``, ``"isin"`` or ``"other"`` (by shape).
    valid
        True when the shape is a CUSIP or an ISIN and the check digit is right.
    expected_check_digit
        The check digit computed from the first 8 (CUSIP) or 11 (ISIN)
        characters; None for ``"other"``.
    message
        Why the identifier is not valid, or None when it is.

    Examples
    --------
    >>> c = check_identifier("125581FE4")
    >>> c.kind, c.valid, c.expected_check_digit
    ('cusip', False, '3')
    """

    value: object
    kind: str
    valid: bool
    expected_check_digit: str | None
    message: str | None

    @property
    def got_check_digit(self) -> str | None:
        """The last character of a CUSIP or ISIN, None for ``"other"``.

        Examples
        --------
        >>> check_identifier("125581FE4").got_check_digit
        '4'
        """
        return self.value[-1] if self.kind != "other" else None  # type: ignore[index]


def check_identifier(s: object) -> IdentifierCheck:
    """Classify an identifier as CUSIP, ISIN or other and verify its check digit.

    Parameters
    ----------
    s
        The identifier. It is not stripped or upper-cased: ``" 037833100"`` and
        ``"037833dp2"`` are ``"other"``, with a message that says so.

    Returns
    -------
    IdentifierCheck

    Examples
    --------
    >>> check_identifier("125581FE4").message
    'CUSIP 125581FE4: check digit should be 3, got 4'
    >>> check_identifier("US0378331005").valid
    True
    """
    if is_cusip_shaped(s):
        text = str(s)
        expected = cusip_check_digit(text[:8])
        ok = text[8] == expected
        msg = None if ok else f"CUSIP {text}: check digit should be {expected}, got {text[8]}"
        return IdentifierCheck(text, "cusip", ok, expected, msg)
    if is_isin_shaped(s):
        text = str(s)
        expected = isin_check_digit(text[:11])
        ok = text[11] == expected
        msg = None if ok else f"ISIN {text}: check digit should be {expected}, got {text[11]}"
        return IdentifierCheck(text, "isin", ok, expected, msg)
    return IdentifierCheck(s, "other", False, None, _other_message(s))


def _other_message(s: object) -> str:
    if s is None or (isinstance(s, float) and s != s):
        return "identifier is missing"
    if not isinstance(s, str):
        return f"{s!r} is of type {type(s).__name__}, not a string; identifiers are text"
    up = s.upper()
    hint = ""
    if s != s.strip():
        hint = "; remove the surrounding spaces"
    elif re.fullmatch(r"\d(\.\d+)?E\+\d+", s, flags=re.IGNORECASE):
        hint = "; it looks like a CUSIP that a spreadsheet turned into a number"
    elif s != up and _MONTH_RE.search(s) and is_cusip_shaped(up.zfill(9)):
        hint = f"; it looks like a CUSIP that a spreadsheet read as a date, probably {up.zfill(9)}"
    elif s != up and (is_cusip_shaped(up) or is_isin_shaped(up)):
        hint = "; identifiers are upper case"
    elif len(s) < 9 and is_cusip_shaped(up.zfill(9)):
        hint = "; it may be a CUSIP whose leading zeros were lost"
    return (
        f"{s!r} is neither a CUSIP (9 characters of 0-9, A-Z, *, @, #) nor an ISIN "
        f"(2 letters, 9 characters of 0-9, A-Z, 1 digit){hint}"
    )


def _codes(values: np.ndarray, width: int) -> np.ndarray:
    """Return the character values of equal-length strings as an (n, width) int array."""
    arr = np.asarray(values, dtype=f"U{width}")
    points = np.frombuffer(arr.tobytes(), dtype=np.uint32).reshape(-1, width)
    return _LUT[np.minimum(points, 127)]


def _cusip_check_digits_vec(bases: np.ndarray) -> np.ndarray:
    """Vectorised :func:`cusip_check_digit` over an array of valid 8-character bases."""
    vals = _codes(bases, 8)
    vals[:, 1::2] *= 2
    total = (vals // 10 + vals % 10).sum(axis=1)
    return (10 - total % 10) % 10


def _isin_check_digits_vec(bases: np.ndarray) -> np.ndarray:
    """Vectorised :func:`isin_check_digit` over an array of valid 11-character bases."""
    vals = _codes(bases, 11)
    two = vals >= 10
    ndigits = np.where(two, 2, 1)
    # position (from the right, 0-based) of each character's last digit
    after = np.cumsum(ndigits[:, ::-1], axis=1)[:, ::-1] - ndigits
    low, high = vals % 10, vals // 10

    def luhn(d: np.ndarray, pos: np.ndarray) -> np.ndarray:
        dd = np.where(pos % 2 == 0, 2 * d, d)
        return dd // 10 + dd % 10

    total = luhn(low, after) + np.where(two, luhn(high, after + 1), 0)
    return (10 - total.sum(axis=1) % 10) % 10


def check_identifiers(values: Iterable[object] | pd.Series | pd.Index) -> pd.DataFrame:
    """Check many identifiers at once (vectorised :func:`check_identifier`).

    Parameters
    ----------
    values
        Identifiers: a Series (its index is kept), an Index, an array or a list.

    Returns
    -------
    pandas.DataFrame
        One row per value, columns ``value``, ``kind`` (``"cusip"``, ``"isin"``,
        ``"other"``), ``valid`` (bool), ``expected_check_digit`` and
        ``got_check_digit`` (None for ``"other"``) and ``message`` (None when valid).

    Examples
    --------
    >>> check_identifiers(["037833100", "125581FE4", "US0378331005", "n/a"])[["kind", "valid"]]
        kind  valid
    0  cusip   True
    1  cusip  False
    2   isin   True
    3  other  False
    """
    index = values.index if isinstance(values, pd.Series) else None
    items = list(values)
    objs = np.empty(len(items), dtype=object)
    objs[:] = items
    n = len(objs)
    kind = np.full(n, "other", dtype=object)
    expected = np.full(n, None, dtype=object)
    got = np.full(n, None, dtype=object)
    is_cusip = np.array([is_cusip_shaped(v) for v in objs], dtype=bool)
    is_isin = np.array([is_isin_shaped(v) for v in objs], dtype=bool)
    if is_cusip.any():
        text = objs[is_cusip].astype("U9")
        digits = _cusip_check_digits_vec(np.array([t[:8] for t in text], dtype="U8"))
        kind[is_cusip] = "cusip"
        expected[is_cusip] = digits.astype(str).astype(object)
        got[is_cusip] = [t[8] for t in text]
    if is_isin.any():
        text = objs[is_isin].astype("U12")
        digits = _isin_check_digits_vec(np.array([t[:11] for t in text], dtype="U11"))
        kind[is_isin] = "isin"
        expected[is_isin] = digits.astype(str).astype(object)
        got[is_isin] = [t[11] for t in text]
    valid = (is_cusip | is_isin) & (expected == got)
    message = np.full(n, None, dtype=object)
    for i in np.flatnonzero(~valid):
        if kind[i] == "other":
            message[i] = _other_message(objs[i])
        else:
            message[i] = (
                f"{str(kind[i]).upper()} {objs[i]}: check digit should be {expected[i]}, "
                f"got {got[i]}"
            )
    return pd.DataFrame(
        {
            "value": objs,
            "kind": kind,
            "valid": valid.astype(bool),
            "expected_check_digit": expected,
            "got_check_digit": got,
            "message": message,
        },
        index=index,
    )


def isin_from_cusip(cusip: str, country: str = "US") -> str:
    """Build the ISIN of a CUSIP: country code + CUSIP + ISIN check digit.

    Parameters
    ----------
    cusip
        A CUSIP with a valid check digit.
    country
        ISO 3166 two-letter code; ``"US"`` or ``"CA"`` for CUSIP-numbered securities.

    Raises
    ------
    InputError
        If the CUSIP is malformed or its check digit is wrong, or the country
        is not two upper-case letters.

    Examples
    --------
    >>> isin_from_cusip("037833100")
    'US0378331005'
    """
    check = check_identifier(cusip)
    if check.kind != "cusip":
        raise InputError(
            f"isin_from_cusip: {cusip!r} is not a CUSIP (9 characters of 0-9, A-Z, *, @, #)"
            + (f": {check.message}" if check.message else "")
        )
    if not check.valid:
        raise InputError(f"isin_from_cusip: {check.message}; fix the CUSIP first")
    if any(ch in "*@#" for ch in cusip):
        raise InputError(
            f"isin_from_cusip: CUSIP {cusip} contains *, @ or # (a private placement number); "
            "such CUSIPs have no ISIN"
        )
    if not isinstance(country, str) or re.fullmatch(r"[A-Z]{2}", country) is None:
        raise InputError(
            f"isin_from_cusip: country must be a two-letter upper-case ISO code such as 'US', "
            f"got {country!r}"
        )
    base = country + cusip
    return base + isin_check_digit(base)


def cusip_from_isin(isin: str) -> str:
    """Return the CUSIP inside a US or Canadian ISIN (characters 3 to 11).

    Raises
    ------
    InputError
        If the ISIN is malformed or its check digit is wrong, if its country is
        not ``US`` or ``CA``, or if the embedded CUSIP's check digit is wrong.

    Examples
    --------
    >>> cusip_from_isin("US0378331005")
    '037833100'
    """
    check = check_identifier(isin)
    if check.kind != "isin":
        raise InputError(
            f"cusip_from_isin: {isin!r} is not an ISIN (2 letters, 9 characters of 0-9, A-Z, "
            "1 digit)" + (f": {check.message}" if check.message else "")
        )
    if not check.valid:
        raise InputError(f"cusip_from_isin: {check.message}; fix the ISIN first")
    if isin[:2] not in CUSIP_COUNTRIES:
        raise InputError(
            f"cusip_from_isin: ISIN {isin} has country {isin[:2]}; only "
            f"{' and '.join(CUSIP_COUNTRIES)} ISINs embed a CUSIP"
        )
    cusip = isin[2:11]
    inner = check_identifier(cusip)
    if not inner.valid:
        raise InputError(f"cusip_from_isin: ISIN {isin} embeds an invalid {inner.message}")
    return cusip


def is_us_treasury_cusip(cusip: object) -> bool:
    """Return whether a CUSIP (or a US ISIN) belongs to a US Treasury issuer number.

    The check digit is not verified: a Treasury issuer number with a wrong
    check digit is still a Treasury CUSIP, which is the point when a basket
    labels it as a corporate bond.

    Notes
    -----
    Treasury issuer numbers: ``912794``-``912797`` (bills) and every issuer
    number starting with ``9128`` (912810 bonds, 912827/912828/91282C notes,
    912803 and 912820/912821/912833/912834 STRIPS).

    Examples
    --------
    >>> is_us_treasury_cusip("912828U58")
    True
    >>> is_us_treasury_cusip("912909AN8")  # United States Steel Corp, issuer 912909
    False
    """
    if is_isin_shaped(cusip) and str(cusip).startswith("US"):
        cusip = str(cusip)[2:11]
    if not is_cusip_shaped(cusip):
        return False
    text = str(cusip)
    return text.startswith(TREASURY_PREFIX) or text[:6] in TREASURY_BILL_ISSUERS
