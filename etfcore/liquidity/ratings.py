"""Rating parsing: S&P, Fitch and Moody's ratings, grades and Treasury labels to model tiers."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .._validation import show
from ..errors import InputError

#: Rating tiers of the bond model. ``"IG"`` and ``"HY"`` stand for a bond known only by
#: its grade; ``"UST"`` is a US Treasury.
RATING_TIERS: tuple[str, ...] = ("UST", "AAA", "AA", "A", "BBB", "BB", "B", "CCC", "IG", "HY")

_TREASURY_WORDS = {"UST", "TSY", "TREASURY", "US TREASURY", "U.S. TREASURY", "GOVT", "GOVERNMENT"}
_MISSING_WORDS = {"", "NR", "N/R", "N/A", "NA", "NAN", "NONE", "WR", "-", "<NA>"}
_RATING_BASE = {
    "AAA": "AAA",
    "AA": "AA",
    "A": "A",
    "BBB": "BBB",
    "BAA": "BBB",
    "BB": "BB",
    "BA": "BB",
    "B": "B",
    "CCC": "CCC",
    "CC": "CCC",
    "C": "CCC",
    "D": "CCC",
    "CAA": "CCC",
    "CA": "CCC",
    "IG": "IG",
    "INVESTMENT GRADE": "IG",
    "HY": "HY",
    "HIGH YIELD": "HY",
}
_NOTCH = re.compile(r"(?:[+-]|[123])$")


def _one_tier(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip().upper()
    if text in _MISSING_WORDS:
        return None
    if text in _TREASURY_WORDS:
        return "UST"
    if text in _RATING_BASE:
        return _RATING_BASE[text]
    return _RATING_BASE.get(_NOTCH.sub("", text), "?")


def rating_tiers(ratings: Iterable[object], where: str = "rating") -> np.ndarray:
    """Map ratings to the model's tiers (:data:`RATING_TIERS`); missing ones to None.

    Parameters
    ----------
    ratings
        S&P/Fitch (``"A+"``, ``"BBB-"``), Moody's (``"Baa2"``, ``"Aa1"``), grades
        (``"IG"``, ``"HY"``) or Treasury labels (``"UST"``, ``"Treasury"``, ``"Govt"``).
        Case and surrounding spaces are ignored; notches are dropped; CC, C, D, Caa,
        Ca map to CCC. ``None``, NaN, ``""``, ``"NR"``, ``"WR"`` and ``"N/A"`` are missing.
    where
        What the values are, for error messages.

    Returns
    -------
    numpy.ndarray
        Object array of tier names or None.

    Raises
    ------
    InputError
        Naming every position whose rating is not recognised.

    Notes
    -----
    The tiers are the credit buckets of :class:`~etfcore.liquidity.BondLiquidityModel`:
    S&P/Fitch and Moody's scales map letter for letter (``Baa`` is ``BBB``, ``Ba`` is
    ``BB``); a bond known only by its grade keeps ``"IG"`` or ``"HY"`` (the model
    prices it at the synthetic universe's average of that grade). Unique values are
    parsed once, so a column of thousands of ratings costs a handful of lookups.

    Examples
    --------
    >>> rating_tiers(["A+", "Baa2", "BB-", "UST", None]).tolist()
    ['A', 'BBB', 'BB', 'UST', None]
    """
    given = list(ratings)
    arr = np.empty(len(given), dtype=object)
    arr[:] = given
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)  # None and NaN -> -1
    mapped = np.array([_one_tier(u) for u in uniques] + [None], dtype=object)
    out = mapped[codes]
    values = list(arr)
    bad = np.flatnonzero(out == "?").tolist()
    if bad:
        shown = ", ".join(f"position {i}: {show(values[i])}" for i in bad[:20])
        more = f" and {len(bad) - 20} more" if len(bad) > 20 else ""
        raise InputError(
            f"{where}: unrecognised rating(s) ({shown}{more}); use S&P/Fitch (AAA..CCC, "
            f"notches allowed), Moody's (Aaa..Caa), 'IG', 'HY' or 'UST'"
        )
    return out


__all__ = ["RATING_TIERS", "rating_tiers"]
