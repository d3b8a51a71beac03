"""Seeded random bonds and curves that reach the corners of the bond conventions.

``generate_bonds(n, settlement_date, rng)`` draws an etfcore bond frame (the columns of
``BondSet.from_frame``) mixing the following kinds of bond, each with a random day count
(all six), frequency (1, 2, 4, 12 or zero-coupon), coupon (0-12%), end-of-month flag and face:

``plain``
    maturity 1 month to 40 years out; no issue date, an issue date on the roll or off it.
``month_end``
    maturity on the last day of a month, February (28th and leap 29th) over-weighted.
``day_29_31``
    maturity on the 29th, 30th or 31st of a month.
``coupon_date``
    maturity = settlement + k coupon periods, plus -1, 0 or +1 day: settlement one day after,
    on, or one day before a coupon date.
``odd_first``
    issue date and first coupon date on the maturity's roll; first coupon short or long.
``off_roll_issue``
    recent issue date off the roll, no first coupon date: a short first coupon.
``forward_issue``
    issued after settlement (a forward-settled new issue), with or without a first coupon date.

Ids are ``"B000001"``-style (7 characters, never CUSIP-shaped). Everything is drawn from the
``numpy.random.Generator`` passed in, so a seed gives the same frame every time.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from naive import DAY_COUNTS, advance_months, end_of_month, month_length
from quantlib_reference import CurveSpec

KINDS = (
    "plain",
    "month_end",
    "day_29_31",
    "coupon_date",
    "odd_first",
    "off_roll_issue",
    "forward_issue",
)
_KIND_WEIGHTS = (0.26, 0.15, 0.10, 0.17, 0.17, 0.09, 0.06)
FREQUENCIES = (1, 2, 4, 12, 0)
_FREQUENCY_WEIGHTS = (0.2, 0.35, 0.15, 0.15, 0.15)
MAX_MATURITY_DAYS = 40 * 365 + 10

#: Settlement dates used by the tests: US government-bond business days chosen for their
#: neighbourhood (end of a non-leap February, a leap day, the Friday before Labor Day, a
#: month end that is a half-year end).
SETTLEMENT_DATES = (
    dt.date(2026, 2, 27),
    dt.date(2024, 2, 29),
    dt.date(2025, 8, 29),
    dt.date(2026, 6, 30),
)


def _choice(rng: np.random.Generator, options, p=None):
    return options[int(rng.choice(len(options), p=p))]


def _roll_date(maturity: dt.date, k: int, months: int, eom: bool) -> dt.date:
    """The k-th coupon date before maturity on the maturity's roll (as QuantLib builds it)."""
    return advance_months(maturity, -k * months, eom)


def _first_roll_after(maturity: dt.date, day: dt.date, months: int, eom: bool) -> int:
    """Largest k such that the k-th roll date before maturity is after ``day``."""
    k = 0
    while _roll_date(maturity, k + 1, months, eom) > day:
        k += 1
    return k


def _random_maturity(rng, settlement: dt.date, min_days: int = 31) -> dt.date:
    """Maturity ``min_days`` to 40 years out, one in five within about a year."""
    high = MAX_MATURITY_DAYS if rng.random() > 0.2 else max(min_days + 1, 400)
    return settlement + dt.timedelta(days=int(rng.integers(min_days, high)))


def _month_end_maturity(rng, settlement: dt.date) -> dt.date:
    years = int(rng.integers(0, 41))
    if rng.random() < 0.5:
        month = 2
    else:
        month = int(rng.integers(1, 13))
    year = settlement.year + years
    d = end_of_month(dt.date(year, month, 1))
    while d <= settlement + dt.timedelta(days=31):
        year += 1
        d = end_of_month(dt.date(year, month, 1))
    return d


def _day_29_31_maturity(rng, settlement: dt.date) -> dt.date:
    while True:
        d = _random_maturity(rng, settlement, 40)
        day = int(rng.integers(29, 32))
        if day <= month_length(d.year, d.month):
            return d.replace(day=day)


def _one_bond(rng: np.random.Generator, i: int, settlement: dt.date) -> dict:
    kind = _choice(rng, KINDS, _KIND_WEIGHTS)
    frequency = _choice(rng, FREQUENCIES, _FREQUENCY_WEIGHTS)
    if kind in ("odd_first", "off_roll_issue") and frequency == 0:
        frequency = _choice(rng, (1, 2, 4, 12))
    day_count = _choice(rng, DAY_COUNTS)
    eom = bool(rng.random() < 0.7)
    if frequency == 0:
        coupon = 0.0
    elif rng.random() < 0.05:
        coupon = 0.0
    else:
        coupon = round(float(rng.uniform(0.0, 0.12)), 5)
    face = _choice(rng, (100.0, 1000.0, 25.0), (0.85, 0.1, 0.05))
    months = 12 // frequency if frequency else 6
    period_days = 365 // (frequency or 2)
    issue = first = None

    if kind == "plain":
        maturity = _random_maturity(rng, settlement)
    elif kind == "month_end":
        maturity = _month_end_maturity(rng, settlement)
    elif kind == "day_29_31":
        maturity = _day_29_31_maturity(rng, settlement)
    elif kind == "coupon_date":
        k_max = max(1, (MAX_MATURITY_DAYS // 30) // months)
        k = int(rng.integers(1, k_max + 1))
        offset = int(rng.integers(-1, 2))
        maturity = advance_months(settlement, k * months, eom) + dt.timedelta(days=offset)
        if maturity <= settlement + dt.timedelta(days=27):
            maturity = advance_months(settlement, (k + 1) * months, eom)
    elif kind == "odd_first":
        maturity = _random_maturity(rng, settlement, 2 * period_days + 45)
        k = _first_roll_after(maturity, settlement, months, eom)
        k = max(1, k - int(rng.integers(0, 3)))  # first coupon: next roll date or one after
        first = _roll_date(maturity, k, months, eom)
        if rng.random() < 0.5:  # long first coupon
            frac = float(rng.uniform(1.1, 1.9))
        else:
            frac = float(rng.uniform(0.15, 0.9))
        issue = first - dt.timedelta(days=max(1, round(frac * period_days)))
    elif kind == "off_roll_issue":
        maturity = _random_maturity(rng, settlement, period_days + 45)
        issue = settlement - dt.timedelta(days=int(rng.integers(0, int(1.5 * period_days))))
    else:  # forward_issue
        maturity = _random_maturity(rng, settlement, 2 * period_days + 90)
        issue = settlement + dt.timedelta(days=int(rng.integers(1, 46)))
        if frequency and rng.random() < 0.5:
            k = _first_roll_after(maturity, issue, months, eom)
            first = _roll_date(maturity, k, months, eom)
            if rng.random() < 0.5 and (first - issue).days < period_days // 2 and k > 1:
                first = _roll_date(maturity, k - 1, months, eom)  # long first coupon

    if kind in ("plain", "month_end", "day_29_31", "coupon_date") and issue is None:
        u = rng.random()
        if u < 0.25 and frequency:  # original issue on the roll, years ago
            k = _first_roll_after(maturity, settlement, months, eom)
            issue = _roll_date(maturity, k + int(rng.integers(1, 20)), months, eom)
        elif u < 0.5:  # issued off the roll, long enough ago that the stub is in the past
            issue = settlement - dt.timedelta(days=int(rng.integers(400, 4000)))
    if issue is not None and issue >= maturity:
        issue = None
        first = None
    return {
        "id": f"B{i:06d}",
        "coupon_rate": coupon,
        "maturity_date": maturity,
        "issue_date": issue,
        "first_coupon_date": first,
        "frequency": frequency,
        "day_count": day_count,
        "face": face,
        "end_of_month": eom,
        "kind": kind,
    }


def generate_bonds(
    n: int, settlement_date, rng: np.random.Generator, with_kind: bool = False
) -> pd.DataFrame:
    """Draw ``n`` bonds settling on ``settlement_date`` (a frame for ``BondSet.from_frame``).

    ``with_kind`` keeps the ``kind`` column (which corner the bond was drawn for), handy in
    failure messages; etfcore does not know that column.
    """
    settlement = pd.Timestamp(settlement_date).date()
    rows = [_one_bond(rng, i + 1, settlement) for i in range(n)]
    frame = pd.DataFrame(rows)
    for col in ("maturity_date", "issue_date", "first_coupon_date"):
        frame[col] = pd.to_datetime(frame[col])
    frame["frequency"] = frame["frequency"].astype(np.int64)
    frame["end_of_month"] = frame["end_of_month"].astype(bool)
    if not with_kind:
        frame = frame.drop(columns="kind")
    return frame


#: Curve nodes in days from the reference date: 0 (flat short end), 1m ... 60y.
NODE_DAYS = (
    0,
    30,
    91,
    182,
    273,
    365,
    547,
    730,
    1095,
    1461,
    1826,
    2556,
    3652,
    5478,
    7305,
    9131,
    10957,
    14610,
    18262,
    21915,
)


def generate_curve(reference_date, rng: np.random.Generator) -> CurveSpec:
    """A random Nelson-Siegel-shaped zero curve (continuous rates, -1% to 10%).

    Returns a :class:`quantlib_reference.CurveSpec`; ``spec.to_etfcore()`` and
    ``spec.to_quantlib()`` build the matching etfcore and QuantLib curves.
    """
    b0 = rng.uniform(0.01, 0.07)
    b1 = rng.uniform(-0.03, 0.03)
    b2 = rng.uniform(-0.03, 0.03)
    tau = rng.uniform(0.5, 5.0)
    rates = []
    for d in NODE_DAYS:
        t = d / 365.0
        x = t / tau
        load = 1.0 if x == 0 else (1.0 - np.exp(-x)) / x
        r = b0 + b1 * load + b2 * (load - np.exp(-x)) + rng.normal(0.0, 0.0005)
        rates.append(float(np.clip(r, -0.01, 0.10)))
    rates[0] = rates[1]  # flat short end: the reference-date node equals the first rate
    return CurveSpec(pd.Timestamp(reference_date).date(), NODE_DAYS, tuple(rates))
