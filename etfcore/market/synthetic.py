"""A seeded, realistic synthetic bond market that needs no data files.

Same seed, same market, on any machine: every random draw comes from one
``numpy.random.Generator`` seeded by the caller.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_random_state
from ..bonds.bondset import BondSet
from ..bonds.curves import ZeroCurve
from ..bonds.dates import to_day, to_timestamps
from ..bonds.identifiers import cusip_check_digit
from ..bonds.spreads import SpreadCurve
from ..errors import InputError

#: Default as-of (trade) date of the synthetic market.
DEFAULT_AS_OF = "2026-01-15"

SECTORS = (
    "Banking",
    "Consumer Non-Cyclical",
    "Technology",
    "Communications",
    "Energy",
    "Consumer Cyclical",
    "Capital Goods",
    "Electric",
    "Insurance",
    "Basic Industry",
    "Transportation",
    "REITs",
)
_SECTOR_WEIGHTS = np.array([22, 16, 10, 9, 8, 8, 7, 7, 5, 4, 2, 2], dtype=float)
#: Sector spread adjustment, bp, added to the rating's base spread.
SECTOR_SPREAD_BP = dict(zip(SECTORS, (8, -4, -6, 6, 10, 4, -2, -3, 5, 6, 2, 9), strict=True))

IG_RATINGS = ("AAA", "AA", "A", "BBB")
HY_RATINGS = ("BB", "B", "CCC")
_IG_RATING_WEIGHTS = np.array([2, 8, 40, 50], dtype=float)
_HY_RATING_WEIGHTS = np.array([50, 38, 12], dtype=float)
#: Tenors at issue of IG bonds (years) and their shares of new issues: long enough that
#: about 62% of the IG bonds have more than 3 years left, as in the IG index, so that a
#: 4,000-bond universe yields a 2,500-bond LQD-like fund.
#: Issuer weights are Pareto(1.6) + 1, truncated here: without the cap one issuer of some
#: seeds held 58% of the IG bonds (seed 30) or 85% of the HY bonds (seed 29), and an issuer
#: with more than 816 bonds ran out of CUSIP issue numbers (duplicate ids). 90 keeps every
#: seed whose draws stay below it (seed 0 among them) bit-identical; the largest issuer then
#: holds at most about 6% of the IG bonds (LQD's largest holds about 3%).
MAX_ISSUER_WEIGHT = 90.0

IG_TENORS = (2, 3, 5, 7, 10, 20, 30)
IG_TENOR_WEIGHTS = (3, 8, 20, 16, 28, 6, 19)
#: Base z-spread at 10 years by rating, bp (typical 2025-26 option-adjusted levels).
RATING_SPREAD_BP = {
    "AAA": 40.0,
    "AA": 52.0,
    "A": 72.0,
    "BBB": 105.0,
    "BB": 190.0,
    "B": 310.0,
    "CCC": 640.0,
}
#: Sector of the Treasury universe (its spread curve is zero).
TREASURY_SECTOR = "Treasury"
#: Tenors (years) of the :func:`spread_curves` table.
SPREAD_CURVE_TENORS = (1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 20.0, 30.0)


#: Tenors (years) of :func:`synthetic_spread_curve`: :func:`spread_shape` is linear
#: between them, so the curve's linear interpolation reproduces it.
SYNTHETIC_SPREAD_TENORS = (0.0, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 20.0, 30.0)


def spread_shape(years: Any) -> np.ndarray:
    """Term structure of credit spreads, as a multiple of the 10-year spread.

    ``0.55 + 0.45 min(T, 10) / 10`` up to 10 years, then rising 8% more to 30 years
    (flat beyond): short bonds trade at about half the 10-year spread, as in the
    IG and HY index curves.

    Parameters
    ----------
    years : float or array-like
        Years to maturity.

    Returns
    -------
    numpy.ndarray
        The multiple of the 10-year spread.

    Examples
    --------
    >>> spread_shape([0.0, 10.0, 30.0]).tolist()
    [0.55, 1.0, 1.08]
    """
    t = np.asarray(years, dtype=float)
    return np.where(
        t <= 10,
        0.55 + 0.45 * np.minimum(t, 10) / 10,
        1.0 + 0.08 * (np.minimum(t, 30) - 10) / 20,
    )


@functools.lru_cache(maxsize=1)
def synthetic_spread_curve() -> SpreadCurve:
    """The synthetic market's spread curve, a :class:`~etfcore.bonds.spreads.SpreadCurve`.

    ``RATING_SPREAD_BP[rating] x spread_shape(T) + SECTOR_SPREAD_BP[sector]`` (bp) at
    :data:`SYNTHETIC_SPREAD_TENORS`, linear in between (which is :func:`spread_shape`
    exactly), flat beyond 30 years; ``"Treasury"`` at 0. The synthetic universe draws
    every corporate bond's z-spread around it.

    Returns
    -------
    SpreadCurve
        Frozen, so the one cached instance is safe to share.

    Examples
    --------
    >>> sc = synthetic_spread_curve()
    >>> round(float(sc.spread_bp("BBB", "Banking", 10.0)), 6)
    113.0
    >>> sc.ratings
    ('AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'CCC')
    """
    t = np.asarray(SYNTHETIC_SPREAD_TENORS)
    table = np.array([RATING_SPREAD_BP[r] * spread_shape(t) for r in RATING_SPREAD_BP])
    return SpreadCurve(
        t,
        tuple(RATING_SPREAD_BP),
        table,
        dict(SECTOR_SPREAD_BP),
        (TREASURY_SECTOR,),
        name="synthetic",
    )


def spread_curve_bp(rating: str, sector: str, years: Any) -> Any:
    """Median z-spread (bp) of a bond by rating, sector and years to maturity.

    A thin wrapper of :func:`synthetic_spread_curve` (``.spread_bp``), kept for
    existing callers: ``RATING_SPREAD_BP[rating] x spread_shape(years) +
    SECTOR_SPREAD_BP[sector]``, the level the synthetic universe draws each issuer's
    and bond's spread around (lognormal noise with median 1). Treasuries (sector
    ``"Treasury"``) are at 0.

    Parameters
    ----------
    rating, sector : str
    years : float or array-like

    Returns
    -------
    float or numpy.ndarray
        Basis points.

    Raises
    ------
    InputError
        For a rating or sector the synthetic market does not have.

    Examples
    --------
    >>> float(spread_curve_bp("BBB", "Banking", 10.0))
    113.0
    """
    if sector == TREASURY_SECTOR:
        return np.zeros_like(np.asarray(years, dtype=float))[()]
    if rating not in RATING_SPREAD_BP:
        raise InputError(f"rating: unknown rating {rating!r}; use one of {list(RATING_SPREAD_BP)}")
    if sector not in SECTOR_SPREAD_BP:
        raise InputError(
            f"sector: unknown sector {sector!r}; use one of {[*SECTOR_SPREAD_BP, TREASURY_SECTOR]}"
        )
    t = np.asarray(years, dtype=float)
    if not np.isfinite(t).all() or (t < 0).any():
        raise InputError(f"years: {years!r}; give years to maturity >= 0")
    return synthetic_spread_curve().spread_bp(rating, sector, t)


def spread_curves() -> pd.DataFrame:
    """Median z-spread (bp) by rating (rows) and years to maturity (columns), no sector.

    The table of :func:`synthetic_spread_curve` at :data:`SPREAD_CURVE_TENORS`. Add
    ``SECTOR_SPREAD_BP[sector]`` for a sector; see :func:`spread_curve_bp`.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> round(float(spread_curves().loc["A", 10.0]), 6)
    72.0
    """
    t = np.asarray(SPREAD_CURVE_TENORS)
    sc = synthetic_spread_curve()
    ratings = np.repeat(np.asarray(sc.ratings, dtype=object), t.size)
    values = sc.spread_bp(ratings, None, np.tile(t, len(sc.ratings)))
    return pd.DataFrame(
        values.reshape(len(sc.ratings), t.size),
        index=pd.Index(list(sc.ratings), name="rating"),
        columns=pd.Index(t, name="years"),
    )


#: Stylised 10-year Treasury yield by calendar year, decimal (annual averages, rounded):
#: sets coupons near the yield at issue, so older bonds trade away from par.
TREASURY_10Y_BY_YEAR = {
    2005: 0.043,
    2006: 0.048,
    2007: 0.046,
    2008: 0.037,
    2009: 0.033,
    2010: 0.032,
    2011: 0.028,
    2012: 0.018,
    2013: 0.024,
    2014: 0.025,
    2015: 0.021,
    2016: 0.018,
    2017: 0.023,
    2018: 0.029,
    2019: 0.021,
    2020: 0.009,
    2021: 0.014,
    2022: 0.030,
    2023: 0.040,
    2024: 0.042,
    2025: 0.043,
    2026: 0.041,
}
#: Stylised 2-year Treasury yield by calendar year, decimal (annual averages, rounded):
#: with the 10-year table, the curve at each Treasury auction (inverted in 2006-07 and
#: 2022-24).
TREASURY_2Y_BY_YEAR = {
    2005: 0.0385,
    2006: 0.048,
    2007: 0.044,
    2008: 0.020,
    2009: 0.010,
    2010: 0.007,
    2011: 0.0045,
    2012: 0.003,
    2013: 0.003,
    2014: 0.0045,
    2015: 0.007,
    2016: 0.008,
    2017: 0.014,
    2018: 0.025,
    2019: 0.020,
    2020: 0.004,
    2021: 0.003,
    2022: 0.030,
    2023: 0.046,
    2024: 0.044,
    2025: 0.038,
    2026: 0.036,
}

#: US Treasury nominal coupon auctions, simplified: tenor (years) -> (months when a new
#: issue is dated, day of the month it is dated (0 = the month's last day), first new
#: issue). 2-, 5- and 7-year notes are dated at month end, 3-year notes on the 15th;
#: 10-, 20- and 30-year new issues on 15 Feb/May/Aug/Nov (their reopenings are folded
#: into the issue size). The 20-year bond returned in May 2020, the 30-year in Feb 2006.
TREASURY_AUCTIONS = {
    2: (tuple(range(1, 13)), 0, "2000-01-31"),
    3: (tuple(range(1, 13)), 15, "2000-01-15"),
    5: (tuple(range(1, 13)), 0, "2000-01-31"),
    7: (tuple(range(1, 13)), 0, "2009-02-28"),
    10: ((2, 5, 8, 11), 15, "2000-02-15"),
    20: ((2, 5, 8, 11), 15, "2020-05-15"),
    30: ((2, 5, 8, 11), 15, "2006-02-15"),
}
#: Amount outstanding of one issue in 2025, reopenings included, USD (Treasury auction
#: sizes, rounded); earlier issues are smaller by 6% a year (the growth of marketable
#: debt).
TREASURY_ISSUE_SIZE_USD = {
    2: 69e9,
    3: 58e9,
    5: 70e9,
    7: 44e9,
    10: 125e9,
    20: 45e9,
    30: 70e9,
}
TREASURY_ISSUER = "UNITED STATES TREASURY"

# Nelson-Siegel-Svensson parameters of the synthetic Treasury zero curve (continuous).
_NSS = (0.0465, -0.0075, -0.0120, 0.0150, 1.6, 9.0)
CURVE_TENORS = (1 / 12, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 20.0, 30.0)


def _nss_zero(t: np.ndarray, b0, b1, b2, b3, tau1, tau2) -> np.ndarray:
    x1 = t / tau1
    x2 = t / tau2
    f1 = (1 - np.exp(-x1)) / x1
    f2 = (1 - np.exp(-x2)) / x2
    return b0 + b1 * f1 + b2 * (f1 - np.exp(-x1)) + b3 * (f2 - np.exp(-x2))


def synthetic_treasury_curve(as_of: Any = DEFAULT_AS_OF) -> ZeroCurve:
    """A smooth, upward-sloping Treasury zero curve (NSS shape, early-2026 levels).

    Examples
    --------
    >>> curve = synthetic_treasury_curve()
    >>> curve.reference_timestamp, round(float(curve.zero_rate(10.0)), 4)
    (Timestamp('2026-01-15 00:00:00'), 0.0475)
    """
    t = np.asarray(CURVE_TENORS)
    return ZeroCurve(as_of, t, _nss_zero(t, *_NSS))


@dataclass(frozen=True, repr=False)
class SyntheticUniverse:
    """Bonds, their market spreads and the curve they are priced on.

    Attributes
    ----------
    bonds : BondSet
        Reference data; ``bonds.attributes`` has issuer, sector, rating, grade,
        issue_size_usd and age_years.
    curve : ZeroCurve
        The Treasury zero curve at ``as_of``.
    z_spread : pandas.Series
        Each bond's market z-spread (decimal), by id.
    as_of, settlement : int
        Trade date and T+1 settlement date (day numbers).

    Examples
    --------
    >>> u = synthetic_universe(0, n_ig=40, n_hy=20)
    >>> u
    SyntheticUniverse(60 bonds: 40 IG, 20 HY; as of 2026-01-15)
    >>> len(u.z_spread) == len(u.bonds)
    True
    """

    bonds: BondSet
    curve: ZeroCurve
    z_spread: pd.Series
    as_of: int
    settlement: int

    def __repr__(self) -> str:
        g = self.bonds.attributes["grade"].value_counts()
        ust = f", {g['UST']} UST" if "UST" in g else ""
        return (
            f"SyntheticUniverse({len(self.bonds)} bonds: {g.get('IG', 0)} IG, {g.get('HY', 0)} HY"
            f"{ust}; as of {to_timestamps(np.int64(self.as_of)):%Y-%m-%d})"
        )


def synthetic_universe(
    seed: int | np.random.Generator = 0,
    n_ig: int = 4000,
    n_hy: int = 1500,
    as_of: Any = DEFAULT_AS_OF,
    treasuries: bool = False,
    ig_tenor_weights: Any = None,
) -> SyntheticUniverse:
    """Draw a corporate bond universe: IG and HY issuers, bonds, coupons and spreads.

    Parameters
    ----------
    seed : int or numpy.random.Generator
        Same seed, same universe.
    n_ig, n_hy : int
        Number of investment-grade and high-yield bonds (about 6.7 and 4 bonds
        per issuer, as in the broad US indices).
    as_of : date-like
        Trade date; settlement is T+1 on the US government-bond calendar.
    treasuries : bool, default False
        Add the Treasury universe (:func:`synthetic_treasuries`: about 340 notes and
        bonds, grade ``"UST"``), drawn after the corporates so that they do not change.
    ig_tenor_weights : sequence of 7 numbers, optional
        Relative shares of the IG tenors at issue :data:`IG_TENORS` (2, 3, 5, 7, 10, 20
        and 30 years); default :data:`IG_TENOR_WEIGHTS`.

    Returns
    -------
    SyntheticUniverse

    Notes
    -----
    * Issuers get a sector (index-like weights, banks the largest) and a rating;
      each issuer's bonds share them. IG bonds are issued with tenors of 2-30
      years (mostly 5, 7, 10 and 30; :data:`IG_TENOR_WEIGHTS`), HY bonds 5-10 years.
    * A bond's coupon is the 10-year Treasury yield of its issue year plus its
      spread at issue, rounded to 1/8 %, so bonds issued in 2020-21 carry low
      coupons and trade below par today.
    * Today's z-spread is the rating's base spread, scaled by maturity
      (``0.55 + 0.45 min(T, 10) / 10`` up to 10 years, then +8% to 30 years), plus a
      sector adjustment, with lognormal idiosyncratic noise of about 15%.
    * HY bonds carry a call schedule: callable at par plus half the coupon from
      the first call date (half-way through the life), stepping down to par.
    * Corporates pay 30/360 US semiannual coupons; CUSIPs have valid check digits.

    Examples
    --------
    >>> u = synthetic_universe(0, n_ig=40, n_hy=20)
    >>> len(u.bonds), sorted(set(u.bonds.attributes["grade"]))
    (60, ['HY', 'IG'])
    >>> bool((u.z_spread > 0).all())
    True
    """
    rng = check_random_state(seed, "seed")
    if n_ig < 0 or n_hy < 0 or n_ig + n_hy == 0:
        raise InputError(f"n_ig={n_ig!r}, n_hy={n_hy!r}: give a positive number of bonds")
    tenor_weights = _check_tenor_weights(ig_tenor_weights)
    from ..bonds.calendar import settlement_date

    as_of_day = to_day(as_of, "as_of")
    settle = int(settlement_date(as_of_day))
    curve = synthetic_treasury_curve(as_of_day)
    frames = []
    if n_ig:
        frames.append(_draw_grade(rng, n_ig, "IG", as_of_day, curve, tenor_weights))
    if n_hy:
        frames.append(_draw_grade(rng, n_hy, "HY", as_of_day, curve))
    frame = pd.concat(frames, ignore_index=True)
    frame["id"] = _cusips(rng, frame["issuer_code"].to_numpy(), len(frame))
    calls = _hy_calls(frame, settle)
    spread = frame.pop("z_spread").to_numpy()
    frame = frame.drop(columns=["issuer_code"])
    if treasuries:
        ust = _draw_treasuries(rng, as_of_day, settle, curve)
        spread = np.concatenate([spread, ust.pop("z_spread").to_numpy()])
        frame = pd.concat([frame, ust], ignore_index=True)
    bonds = BondSet.from_frame(frame, calls=calls, settlement_date=settle)
    return SyntheticUniverse(
        bonds=bonds,
        curve=curve,
        z_spread=pd.Series(spread, index=bonds.ids, name="z_spread"),
        as_of=as_of_day,
        settlement=settle,
    )


def _check_tenor_weights(weights: Any) -> tuple[float, ...]:
    if weights is None:
        return IG_TENOR_WEIGHTS
    try:
        w = np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"ig_tenor_weights: {weights!r} is not a list of numbers") from None
    if w.shape != (len(IG_TENORS),) or not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
        raise InputError(
            f"ig_tenor_weights: {weights!r}; give {len(IG_TENORS)} numbers >= 0, not all zero, "
            f"one per tenor {IG_TENORS}"
        )
    return tuple(float(x) for x in w)


def _draw_grade(rng, n, grade, as_of_day, curve, tenor_weights=IG_TENOR_WEIGHTS) -> pd.DataFrame:
    per_issuer = 6.7 if grade == "IG" else 4.0
    n_issuers = max(1, int(round(n / per_issuer)))
    sectors = rng.choice(len(SECTORS), size=n_issuers, p=_SECTOR_WEIGHTS / _SECTOR_WEIGHTS.sum())
    ratings_all = IG_RATINGS if grade == "IG" else HY_RATINGS
    w = _IG_RATING_WEIGHTS if grade == "IG" else _HY_RATING_WEIGHTS
    ratings = rng.choice(len(ratings_all), size=n_issuers, p=w / w.sum())
    # bonds per issuer: heavy-tailed (a few issuers have dozens of bonds), truncated
    sizes = np.minimum(rng.pareto(1.6, size=n_issuers) + 1.0, MAX_ISSUER_WEIGHT)
    issuer_of = rng.choice(n_issuers, size=n, p=sizes / sizes.sum())
    if grade == "IG":
        w_tenor = np.asarray(tenor_weights, dtype=float)
        tenors = rng.choice(IG_TENORS, size=n, p=w_tenor / w_tenor.sum())
    else:
        tenors = rng.choice([5, 6, 7, 8, 10], size=n, p=[0.25, 0.15, 0.25, 0.2, 0.15])
    age_years = rng.uniform(0.0, 1.0, size=n) * np.minimum(tenors, 12) * 0.95
    issue = as_of_day - np.round(age_years * 365.25).astype(np.int64) - 1
    issue_ts = to_timestamps(issue)
    day = np.where(rng.random(n) < 0.25, 1, rng.integers(1, 29, size=n))
    issue_ts = pd.DatetimeIndex(
        pd.to_datetime({"year": issue_ts.year, "month": issue_ts.month, "day": np.minimum(day, 28)})
    )
    maturity_ts = pd.DatetimeIndex(
        pd.to_datetime(
            {"year": issue_ts.year + tenors, "month": issue_ts.month, "day": issue_ts.day}
        )
    )
    # keep only bonds that have not matured (redraw-free: push short ones out a year)
    as_of_ts = to_timestamps(np.int64(as_of_day))
    short = maturity_ts <= as_of_ts + pd.Timedelta(days=45)
    maturity_ts = maturity_ts.where(~short, maturity_ts + pd.DateOffset(years=2))
    rating = np.asarray(ratings_all)[ratings[issuer_of]]
    sector = np.asarray(SECTORS)[sectors[issuer_of]]
    t_left = (maturity_ts - as_of_ts).days.to_numpy() / 365.25
    base = np.array([RATING_SPREAD_BP[r] for r in rating])
    median_bp = synthetic_spread_curve().spread_bp(rating, sector, t_left)
    issuer_noise = rng.normal(0.0, 0.12, size=n_issuers)[issuer_of]
    spread_bp = median_bp * np.exp(issuer_noise + rng.normal(0, 0.08, size=n))
    spread_bp = np.maximum(spread_bp, 10.0)
    # coupon near the yield at issue
    years = np.clip(issue_ts.year.to_numpy(), 2005, 2026)
    level = np.array([TREASURY_10Y_BY_YEAR[int(y)] for y in years])
    tenor_adj = 0.004 * (np.minimum(tenors, 30) - 10) / 20
    issue_spread = base / 1e4 * (0.8 + 0.4 * rng.random(n))
    coupon = np.round((level + tenor_adj + issue_spread) * 800.0) / 800.0
    coupon = np.clip(coupon, 0.005, 0.14)
    issue_size = np.exp(rng.normal(np.log(900e6 if grade == "IG" else 600e6), 0.6, size=n))
    issue_size = np.round(np.clip(issue_size, 250e6, 6e9), -7)
    issuer_names = np.array([f"{grade} ISSUER {k:04d}" for k in range(n_issuers)])
    issuer_code = np.array([_issuer_code(grade, k) for k in range(n_issuers)])
    return pd.DataFrame(
        {
            "coupon_rate": coupon,
            "maturity_date": maturity_ts,
            "issue_date": pd.DatetimeIndex(issue_ts),
            "frequency": 2,
            "day_count": "30/360 US",
            "issuer": issuer_names[issuer_of],
            "issuer_code": issuer_code[issuer_of],
            "sector": sector,
            "rating": rating,
            "grade": grade,
            "issue_size_usd": issue_size,
            "age_years": age_years,
            "z_spread": spread_bp / 1e4,
        }
    )


def synthetic_treasuries(
    seed: int | np.random.Generator = 0, as_of: Any = DEFAULT_AS_OF
) -> SyntheticUniverse:
    """Draw the Treasury universe alone: every nominal note and bond outstanding.

    Parameters
    ----------
    seed : int or numpy.random.Generator
    as_of : date-like

    Returns
    -------
    SyntheticUniverse
        About 340 notes and bonds (2-, 3-, 5-, 7- and 10-year notes, 20- and 30-year
        bonds) on the synthetic Treasury curve.

    Notes
    -----
    * The auction calendar is :data:`TREASURY_AUCTIONS`; every issue dated on or
      before ``as_of`` that matures after settlement is outstanding.
    * ACT/ACT ICMA, semiannual, end-of-month rule (month-end notes pay on month
      ends); no odd first coupons (reopenings are folded into the first issue).
    * Coupon: the yield at auction rounded down to 1/8 % (at least 1/8 %), the
      yield from :data:`TREASURY_2Y_BY_YEAR` and :data:`TREASURY_10Y_BY_YEAR`
      interpolated in time and in log tenor, plus normal noise of 15 bp (the
      year's range); for issues of the last 12 months it moves linearly to
      today's par yield on the synthetic curve, so new issues trade near par.
    * CUSIPs: ``912828`` (notes dated before August 2020), ``91282C`` (notes since),
      ``912810`` (bonds), then two characters in issue order and a valid check
      digit.
    * z-spread over the Treasury curve: normal noise of 0.5 bp, 1 bp rich for the
      on-the-run issue of each tenor.

    Examples
    --------
    >>> u = synthetic_treasuries(0)
    >>> set(u.bonds.attributes["grade"])
    {'UST'}
    >>> bool(abs(u.z_spread).max() < 0.001)
    True
    """
    rng = check_random_state(seed, "seed")
    from ..bonds.calendar import settlement_date

    as_of_day = to_day(as_of, "as_of")
    settle = int(settlement_date(as_of_day))
    curve = synthetic_treasury_curve(as_of_day)
    frame = _draw_treasuries(rng, as_of_day, settle, curve)
    spread = frame.pop("z_spread").to_numpy()
    bonds = BondSet.from_frame(frame, settlement_date=settle)
    return SyntheticUniverse(
        bonds=bonds,
        curve=curve,
        z_spread=pd.Series(spread, index=bonds.ids, name="z_spread"),
        as_of=as_of_day,
        settlement=settle,
    )


def _year_fraction_of(ts: pd.DatetimeIndex) -> np.ndarray:
    return ts.year.to_numpy() + (ts.day_of_year.to_numpy() - 0.5) / 365.25


def _historical_treasury_yield(tenor: np.ndarray, when: np.ndarray) -> np.ndarray:
    """Stylised Treasury par yield of ``tenor`` years at fractional year ``when``."""
    years = np.array(sorted(TREASURY_10Y_BY_YEAR), dtype=float)
    y10 = np.interp(when, years + 0.5, [TREASURY_10Y_BY_YEAR[int(y)] for y in years])
    y2 = np.interp(when, years + 0.5, [TREASURY_2Y_BY_YEAR[int(y)] for y in years])
    g = np.log(tenor / 2.0) / np.log(5.0)
    term = 0.002 * np.maximum(np.log(tenor / 10.0), 0.0) / np.log(3.0)
    return y2 + (y10 - y2) * g + term


def _draw_treasuries(rng, as_of_day: int, settle: int, curve: ZeroCurve) -> pd.DataFrame:
    as_of_ts = to_timestamps(np.int64(as_of_day))
    rows_issue, rows_maturity, rows_tenor = [], [], []
    for years, (months, day, first) in TREASURY_AUCTIONS.items():
        start = max(pd.Timestamp(first), as_of_ts - pd.DateOffset(years=years, months=1))
        periods = pd.period_range(start.to_period("M"), as_of_ts.to_period("M"), freq="M")
        periods = periods[np.isin(periods.month, months)]
        if day == 0:
            issue = periods.to_timestamp(how="start") + pd.offsets.MonthEnd(0)
            maturity = (periods + 12 * years).to_timestamp(how="start") + pd.offsets.MonthEnd(0)
        else:
            issue = periods.to_timestamp(how="start") + pd.Timedelta(days=day - 1)
            maturity = (periods + 12 * years).to_timestamp(how="start") + pd.Timedelta(days=day - 1)
        keep = (issue <= as_of_ts) & (issue >= pd.Timestamp(first))
        keep &= maturity.to_numpy().astype("datetime64[D]").astype(np.int64) > settle
        rows_issue.append(issue[keep])
        rows_maturity.append(maturity[keep])
        rows_tenor.append(np.full(int(keep.sum()), years))
    issue_all = pd.DatetimeIndex(np.concatenate([x.to_numpy() for x in rows_issue]))
    maturity_all = pd.DatetimeIndex(np.concatenate([x.to_numpy() for x in rows_maturity]))
    tenors = np.concatenate(rows_tenor).astype(float)
    order = np.lexsort((tenors, issue_all.to_numpy()))
    issue, maturity, tenor = issue_all[order], maturity_all[order], tenors[order]
    n = len(issue)
    age_years = (as_of_ts - issue).days.to_numpy() / 365.25

    when = _year_fraction_of(issue)
    y_then = _historical_treasury_yield(tenor, when) + rng.normal(0.0, 0.0015, size=n)
    y_now = np.asarray(curve.treasury_par_yields(tenor), dtype=float)
    w_now = np.clip(1.0 - age_years, 0.0, 1.0)
    y_issue = (1 - w_now) * y_then + w_now * y_now
    coupon = np.maximum(np.floor(y_issue * 800.0 + 1e-9) / 800.0, 0.00125)

    growth = np.exp(0.06 * np.minimum(when - 2025.5, 0.0))
    base = np.array([TREASURY_ISSUE_SIZE_USD[int(t)] for t in tenor])
    issue_size = np.round(base * growth * np.exp(rng.normal(0.0, 0.05, size=n)), -8)

    spread_bp = rng.normal(0.0, 0.5, size=n)
    for t in np.unique(tenor):
        on_the_run = np.flatnonzero(tenor == t)[-1]
        spread_bp[on_the_run] -= 1.0

    ids = _treasury_cusips(issue, tenor)
    return pd.DataFrame(
        {
            "id": ids,
            "coupon_rate": coupon,
            "maturity_date": maturity,
            "issue_date": issue,
            "frequency": 2,
            "day_count": "ACT/ACT ICMA",
            "issuer": TREASURY_ISSUER,
            "sector": TREASURY_SECTOR,
            "rating": "AAA",
            "grade": "UST",
            "issue_size_usd": issue_size,
            "age_years": age_years,
            "z_spread": spread_bp / 1e4,
        }
    )


#: First issue codes (two characters after the prefix) of the synthetic Treasury CUSIPs.
_UST_CODE_START = {"912828": 20 * 34, "91282C": 10 * 34 + 10, "912810": 26 * 34 + 10}


def _treasury_cusips(issue: pd.DatetimeIndex, tenor: np.ndarray) -> np.ndarray:
    new_notes = issue >= pd.Timestamp("2020-08-01")
    prefix = np.where(tenor >= 20, "912810", np.where(new_notes, "91282C", "912828"))
    out = np.empty(len(issue), dtype=object)
    counter = dict(_UST_CODE_START)
    for j, p in enumerate(prefix):
        k = counter[p]
        counter[p] = k + 1
        base = p + _ALNUM[(k // 34) % 34] + _ALNUM[k % 34]
        out[j] = base + cusip_check_digit(base)
    return out


_ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _issuer_code(grade: str, k: int) -> str:
    # six-character issuer number, deterministic per issuer (avoids the 9128 Treasury range)
    base = (k * 7919 + (1 if grade == "IG" else 50_000)) % (34**5)
    digits = []
    for _ in range(5):
        base, r = divmod(base, 34)
        digits.append(_ALNUM[r])
    return ("1" if grade == "IG" else "4") + "".join(reversed(digits))


def _cusips(rng, issuer_code: np.ndarray, n: int) -> np.ndarray:
    out = np.empty(n, dtype=object)
    counter: dict[str, int] = {}
    for j in range(n):
        code = issuer_code[j]
        k = counter.get(code, 0)
        counter[code] = k + 1
        if k >= 24 * 34:  # pragma: no cover - MAX_ISSUER_WEIGHT keeps issuers far below
            raise InputError(f"issuer {code}: more than {24 * 34} bonds; no issue numbers left")
        issue = _ALNUM[10 + (k // 34) % 24] + _ALNUM[k % 34]
        base = code + issue
        out[j] = base + cusip_check_digit(base)
    return out


def _hy_calls(frame: pd.DataFrame, settle: int) -> pd.DataFrame:
    """Annual call dates from half-way through the life, price stepping down to par."""
    hy = frame[frame["grade"] == "HY"]
    if hy.empty:
        return pd.DataFrame({"id": [], "call_date": [], "call_price": []})
    issue = pd.DatetimeIndex(hy["issue_date"])
    mat = pd.DatetimeIndex(hy["maturity_date"])
    life = (mat - issue).days.to_numpy() / 365.25
    first_year = np.maximum(2, life // 2).astype(int)
    rows_id, rows_date, rows_price = [], [], []
    for k in range(0, 12):
        years = issue.year.to_numpy() + first_year + k
        d = pd.DatetimeIndex(
            pd.to_datetime({"year": years, "month": issue.month, "day": issue.day})
        )
        price = 100.0 + hy["coupon_rate"].to_numpy() * 50.0 * max(0.0, 1 - k / 2)
        keep = (d < mat - pd.Timedelta(days=1)) & (
            d.to_numpy().astype("datetime64[D]").astype(np.int64) > settle
        )
        rows_id.append(hy["id"].to_numpy()[keep])
        rows_date.append(d[keep])
        rows_price.append(np.round(price[keep], 4))
    return pd.DataFrame(
        {
            "id": np.concatenate(rows_id),
            "call_date": pd.DatetimeIndex(np.concatenate([x.to_numpy() for x in rows_date])),
            "call_price": np.concatenate(rows_price),
        }
    )


__all__ = [
    "DEFAULT_AS_OF",
    "RATING_SPREAD_BP",
    "SECTORS",
    "SECTOR_SPREAD_BP",
    "SyntheticUniverse",
    "spread_curve_bp",
    "spread_curves",
    "spread_shape",
    "synthetic_spread_curve",
    "SYNTHETIC_SPREAD_TENORS",
    "synthetic_treasuries",
    "synthetic_treasury_curve",
    "synthetic_universe",
]
