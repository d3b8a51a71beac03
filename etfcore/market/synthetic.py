"""A seeded, realistic synthetic bond market that needs no data files.

Same seed, same market, on any machine: every random draw comes from one
``numpy.random.Generator`` seeded by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..bonds.bondset import BondSet
from ..bonds.curves import ZeroCurve
from ..bonds.dates import to_day, to_timestamps
from ..bonds.identifiers import cusip_check_digit
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
    """A smooth, upward-sloping Treasury zero curve (NSS shape, early-2026 levels)."""
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
    """

    bonds: BondSet
    curve: ZeroCurve
    z_spread: pd.Series
    as_of: int
    settlement: int

    def __repr__(self) -> str:
        g = self.bonds.attributes["grade"].value_counts()
        return (
            f"SyntheticUniverse({len(self.bonds)} bonds: {g.get('IG', 0)} IG, {g.get('HY', 0)} HY;"
            f" as of {to_timestamps(np.int64(self.as_of)):%Y-%m-%d})"
        )


def synthetic_universe(
    seed: int | np.random.Generator = 0,
    n_ig: int = 4000,
    n_hy: int = 1500,
    as_of: Any = DEFAULT_AS_OF,
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

    Returns
    -------
    SyntheticUniverse

    Notes
    -----
    * Issuers get a sector (index-like weights, banks the largest) and a rating;
      each issuer's bonds share them. IG bonds are issued with tenors of 2-30
      years (mostly 3, 5, 7, 10 and 30), HY bonds 5-10 years.
    * A bond's coupon is the 10-year Treasury yield of its issue year plus its
      spread at issue, rounded to 1/8 %, so bonds issued in 2020-21 carry low
      coupons and trade below par today.
    * Today's z-spread is the rating's base spread, scaled by maturity
      (``0.55 + 0.45 min(T, 10) / 10`` up to 10 years, then +8% to 30 years), plus a
      sector adjustment, with lognormal idiosyncratic noise of about 15%.
    * HY bonds carry a call schedule: callable at par plus half the coupon from
      the first call date (half-way through the life), stepping down to par.
    * Settlement uses 30/360 US semiannual coupons; CUSIPs have valid check digits.
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    if n_ig < 0 or n_hy < 0 or n_ig + n_hy == 0:
        raise InputError(f"n_ig={n_ig!r}, n_hy={n_hy!r}: give a positive number of bonds")
    from ..bonds.calendar import settlement_date

    as_of_day = to_day(as_of, "as_of")
    settle = int(settlement_date(as_of_day))
    curve = synthetic_treasury_curve(as_of_day)
    frames = []
    if n_ig:
        frames.append(_draw_grade(rng, n_ig, "IG", as_of_day, curve))
    if n_hy:
        frames.append(_draw_grade(rng, n_hy, "HY", as_of_day, curve))
    frame = pd.concat(frames, ignore_index=True)
    frame["id"] = _cusips(rng, frame["issuer_code"].to_numpy(), len(frame))
    calls = _hy_calls(frame, settle)
    spread = frame.pop("z_spread").to_numpy()
    frame = frame.drop(columns=["issuer_code"])
    bonds = BondSet.from_frame(frame, calls=calls, settlement_date=settle)
    return SyntheticUniverse(
        bonds=bonds,
        curve=curve,
        z_spread=pd.Series(spread, index=bonds.ids, name="z_spread"),
        as_of=as_of_day,
        settlement=settle,
    )


def _draw_grade(rng, n, grade, as_of_day, curve) -> pd.DataFrame:
    per_issuer = 6.7 if grade == "IG" else 4.0
    n_issuers = max(1, int(round(n / per_issuer)))
    sectors = rng.choice(len(SECTORS), size=n_issuers, p=_SECTOR_WEIGHTS / _SECTOR_WEIGHTS.sum())
    ratings_all = IG_RATINGS if grade == "IG" else HY_RATINGS
    w = _IG_RATING_WEIGHTS if grade == "IG" else _HY_RATING_WEIGHTS
    ratings = rng.choice(len(ratings_all), size=n_issuers, p=w / w.sum())
    # bonds per issuer: heavy-tailed (a few issuers have dozens of bonds)
    sizes = rng.pareto(1.6, size=n_issuers) + 1.0
    issuer_of = rng.choice(n_issuers, size=n, p=sizes / sizes.sum())
    if grade == "IG":
        tenors = rng.choice(
            [2, 3, 5, 7, 10, 20, 30], size=n, p=[0.05, 0.14, 0.25, 0.14, 0.22, 0.05, 0.15]
        )
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
    shape = np.where(
        t_left <= 10,
        0.55 + 0.45 * np.minimum(t_left, 10) / 10,
        1.0 + 0.08 * (np.minimum(t_left, 30) - 10) / 20,
    )
    sector_adj = np.array([SECTOR_SPREAD_BP[s] for s in sector])
    issuer_noise = rng.normal(0.0, 0.12, size=n_issuers)[issuer_of]
    spread_bp = (base * shape + sector_adj) * np.exp(issuer_noise + rng.normal(0, 0.08, size=n))
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
    "SyntheticUniverse",
    "synthetic_treasury_curve",
    "synthetic_universe",
]
