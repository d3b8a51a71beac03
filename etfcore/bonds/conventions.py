"""Day counts, frequencies and payment conventions: names and integer codes.

Kernels see conventions as small integers; users see names. This module is the
one place where the two meet.

Notes
-----
Day counts (QuantLib names in brackets):

``30/360 US`` [``Thirty360(USA)``]
    If the start is the last day of February: start day = 30, and if the end
    is also the last day of February: end day = 30. Then if the end day is 31
    and the start day is 30 or 31, end day = 30; if the start day is 31,
    start day = 30.
``30/360 BB`` [``Thirty360(BondBasis)``]
    Start day 31 -> 30; end day 31 -> 30 when the start day is 30 or 31.
``30E/360`` [``Thirty360(European)``]
    Start and end day 31 -> 30.
``ACT/ACT ICMA`` [``ActualActual(ISMA)``]
    Actual days over actual days in the reference (coupon) period, times the
    period's length in years; odd periods use notional reference periods.
``ACT/360``, ``ACT/365F`` [``Actual360()``, ``Actual365Fixed()``]
    Actual days over 360 or 365.
"""

from __future__ import annotations

from ..errors import InputError

# --- day counts ------------------------------------------------------------------
THIRTY_360_US = 0
THIRTY_360_BB = 1
THIRTY_E_360 = 2
ACT_ACT_ICMA = 3
ACT_360 = 4
ACT_365F = 5

DAY_COUNT_NAMES: dict[int, str] = {
    THIRTY_360_US: "30/360 US",
    THIRTY_360_BB: "30/360 BB",
    THIRTY_E_360: "30E/360",
    ACT_ACT_ICMA: "ACT/ACT ICMA",
    ACT_360: "ACT/360",
    ACT_365F: "ACT/365F",
}

_DAY_COUNT_ALIASES: dict[str, int] = {
    "30/360": THIRTY_360_US,
    "30/360us": THIRTY_360_US,
    "30u/360": THIRTY_360_US,
    "30/360usa": THIRTY_360_US,
    "thirty360usa": THIRTY_360_US,
    "30/360sifma": THIRTY_360_US,
    "30/360bb": THIRTY_360_BB,
    "30/360bondbasis": THIRTY_360_BB,
    "bondbasis": THIRTY_360_BB,
    "30/360isma": THIRTY_360_BB,
    "thirty360bondbasis": THIRTY_360_BB,
    "30e/360": THIRTY_E_360,
    "30/360e": THIRTY_E_360,
    "30/360european": THIRTY_E_360,
    "30e/360icma": THIRTY_E_360,
    "eurobondbasis": THIRTY_E_360,
    "thirty360european": THIRTY_E_360,
    "act/acticma": ACT_ACT_ICMA,
    "act/actisma": ACT_ACT_ICMA,
    "actual/actualicma": ACT_ACT_ICMA,
    "actual/actualisma": ACT_ACT_ICMA,
    "act/act": ACT_ACT_ICMA,
    "actual/actual": ACT_ACT_ICMA,
    "actact": ACT_ACT_ICMA,
    "act/360": ACT_360,
    "actual/360": ACT_360,
    "a/360": ACT_360,
    "act/365f": ACT_365F,
    "act/365fixed": ACT_365F,
    "actual/365fixed": ACT_365F,
    "actual/365(fixed)": ACT_365F,
    "a/365f": ACT_365F,
    "act/365": ACT_365F,
}

# --- frequencies -------------------------------------------------------------------
ZERO_COUPON = 0
VALID_FREQUENCIES = (0, 1, 2, 4, 12)
_FREQUENCY_ALIASES: dict[str, int] = {
    "zero": 0,
    "zerocoupon": 0,
    "once": 0,
    "annual": 1,
    "annually": 1,
    "a": 1,
    "semiannual": 2,
    "semi-annual": 2,
    "semiannually": 2,
    "s": 2,
    "sa": 2,
    "quarterly": 4,
    "q": 4,
    "monthly": 12,
    "m": 12,
}

# --- payment (business-day) conventions ---------------------------------------------
UNADJUSTED = 0
FOLLOWING = 1
MODIFIED_FOLLOWING = 2
PRECEDING = 3
PAYMENT_CONVENTION_NAMES: dict[int, str] = {
    UNADJUSTED: "unadjusted",
    FOLLOWING: "following",
    MODIFIED_FOLLOWING: "modified_following",
    PRECEDING: "preceding",
}


def _key(text: object) -> str:
    return "".join(str(text).lower().split()).replace("_", "").replace("-", "")


_DAY_COUNT_KEYS = {_key(k): v for k, v in _DAY_COUNT_ALIASES.items()}
_DAY_COUNT_KEYS.update({_key(v): k for k, v in DAY_COUNT_NAMES.items()})
_FREQUENCY_KEYS = {_key(k): v for k, v in _FREQUENCY_ALIASES.items()}


def day_count_code(name: object, where: str = "day_count") -> int:
    """Return the integer code of a day-count name (``"30/360 US"``, ``"ACT/ACT ICMA"``...).

    Raises
    ------
    InputError
        If the name is not a known day count.

    Examples
    --------
    >>> day_count_code("30/360 US") == THIRTY_360_US
    True
    >>> DAY_COUNT_NAMES[day_count_code("act/act icma")]
    'ACT/ACT ICMA'
    """
    if isinstance(name, int) and name in DAY_COUNT_NAMES:
        return name
    code = _DAY_COUNT_KEYS.get(_key(name))
    if code is None:
        raise InputError(
            f"{where}: unknown day count {name!r}; use one of "
            + ", ".join(repr(n) for n in DAY_COUNT_NAMES.values())
        )
    return code


def frequency_code(value: object, where: str = "frequency") -> int:
    """Return coupons per year (0 for zero-coupon) from a number or a name.

    Raises
    ------
    InputError
        If the frequency is not one of 0, 1, 2, 4, 12 (or their names).

    Examples
    --------
    >>> frequency_code("semiannual"), frequency_code(2), frequency_code("zero")
    (2, 2, 0)
    """
    if isinstance(value, str):
        key = _key(value)
        if key in _FREQUENCY_KEYS:
            return _FREQUENCY_KEYS[key]
        try:
            value = float(value)
        except ValueError:
            value = None
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        f = float("nan")
    if f == f and f == int(f) and int(f) in VALID_FREQUENCIES:
        return int(f)
    raise InputError(
        f"{where}: unknown frequency {value!r}; use coupons per year, one of 1, 2, 4, 12, "
        "or 0 for a zero-coupon bond"
    )


def payment_convention_code(name: object, where: str = "payment_convention") -> int:
    """Return the integer code of a payment convention name.

    Raises
    ------
    InputError
        If the name is not ``"unadjusted"``, ``"following"``, ``"modified_following"`` or
        ``"preceding"``.

    Examples
    --------
    >>> PAYMENT_CONVENTION_NAMES[payment_convention_code("Modified Following")]
    'modified_following'
    """
    key = _key(name)
    for code, known in PAYMENT_CONVENTION_NAMES.items():
        if key == _key(known):
            return code
    raise InputError(
        f"{where}: unknown payment convention {name!r}; use one of "
        + ", ".join(repr(n) for n in PAYMENT_CONVENTION_NAMES.values())
    )
