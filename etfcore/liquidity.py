"""The cost of trading a bond or an ETF: bid-ask spread and market impact, normal and stress.

Two models, both frozen dataclasses whose every number is a named, documented
parameter (``model.summary()`` lists them with their units and sources):

* :class:`BondLiquidityModel` -- each bond's full bid-ask spread in bp of price from
  its rating, maturity (through duration), age, issue size, an optional liquidity
  score (e.g. from TRACE trade counts, :func:`liquidity_scores_from_trace`) and the
  regime; its expected daily volume and price volatility; square-root market impact;
  the one-way cost of a trade and the cost of "legging" (trading each bond alone over
  several days).
* :class:`EtfLiquidityModel` -- an ETF's quoted spread, volume, volatility and
  square-root impact by regime.

:data:`DEFAULT_BOND_MODEL` and :data:`DEFAULT_ETF_MODEL` are calibrated to the SPIB
numbers in DESIGN.md (ETF 2.8 bp vs its basket 14.6 bp in normal times, 8.8 vs 68.5 bp
from 24 Feb to 24 Mar 2020); :func:`calibrate` recalibrates to any basket and targets.

Conventions
-----------
* All costs are **positive numbers in bp of price** (per 100 face) on the traded
  market value, for both sides: a buyer pays ``mid * (1 + cost_bp / 1e4)``, a seller
  receives ``mid * (1 - cost_bp / 1e4)``. Costs are symmetric in ``side``.
* ``bid_ask_bp`` is the **full** spread (ask minus bid over mid); a one-way trade pays
  half of it (``half_spread_bp``) plus impact.
* Notionals and volumes are USD; notionals are market value traded, TRACE volumes are
  par (the difference, price / 100, is ignored).
* ``regime`` is ``"normal"`` or ``"stress"`` (:data:`REGIMES`) everywhere.
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from .bonds.bondset import BondSet
from .bonds.dates import NO_DATE, to_day
from .bonds.identifiers import is_us_treasury_cusip
from .errors import DataWarning, InputError, describe_rows

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike

__all__ = [
    "DEFAULT_BOND_MODEL",
    "DEFAULT_ETF_MODEL",
    "RATING_TIERS",
    "REGIMES",
    "SIDES",
    "SPIB_BASKET_SPREAD_BP",
    "SPIB_ETF_SPREAD_BP",
    "BondLiquidityModel",
    "CalibratedModels",
    "EtfLiquidityModel",
    "calibrate",
    "liquidity_scores_from_trace",
    "par_duration",
    "rating_tiers",
]

#: Market regimes: every cost takes ``regime=`` one of these.
REGIMES: tuple[str, ...] = ("normal", "stress")
#: Trade sides; costs are positive and symmetric for both.
SIDES: tuple[str, ...] = ("buy", "sell")
#: Rating tiers of the bond model. ``"IG"`` and ``"HY"`` stand for a bond known only by
#: its grade; ``"UST"`` is a US Treasury.
RATING_TIERS: tuple[str, ...] = ("UST", "AAA", "AA", "A", "BBB", "BB", "B", "CCC", "IG", "HY")

#: SPIB (SPDR Portfolio Intermediate Term Corporate Bond ETF) quoted spread, bp, by regime:
#: SSGA, normal times vs 24 Feb - 24 Mar 2020 (DESIGN.md, Liquidity).
SPIB_ETF_SPREAD_BP: Mapping[str, float] = MappingProxyType({"normal": 2.8, "stress": 8.8})
#: Bid-ask of SPIB's underlying basket, bp, same source and windows.
SPIB_BASKET_SPREAD_BP: Mapping[str, float] = MappingProxyType({"normal": 14.6, "stress": 68.5})

_FEATURE_COLUMNS = ("tier", "years_to_maturity", "duration_years", "age_years", "issue_size_usd")
_DAYS_PER_YEAR = 365.25


# ---------------------------------------------------------------------------- checks
def _check_regime(regime: object, where: str) -> str:
    if not isinstance(regime, str) or regime not in REGIMES:
        raise InputError(f"{where}: regime={regime!r} is not a regime; use one of {list(REGIMES)}")
    return regime


def _check_side(side: object, where: str) -> str:
    if not isinstance(side, str) or side not in SIDES:
        raise InputError(f"{where}: side={side!r} is not a side; use one of {list(SIDES)}")
    return side


def _py(value: object) -> object:
    """A numpy scalar as the Python number it holds (prints as ``-1.0``, not ``np.float64``)."""
    return value.item() if isinstance(value, np.generic) else value


def _finite_positive(value: object, name: str, where: str, allow_zero: bool = False) -> float:
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{where}: {name}={value!r} is not a number") from None
    if not math.isfinite(x) or x < 0 or (x == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise InputError(f"{where}: {name}={value!r} must be a finite number {bound}")
    return x


# ---------------------------------------------------------------------------- ratings
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

    Examples
    --------
    >>> rating_tiers(["A+", "Baa2", "BB-", "UST", None]).tolist()
    ['A', 'BBB', 'BB', 'UST', None]
    """
    values = (
        list(ratings) if not isinstance(ratings, (np.ndarray, pd.Series, pd.Index)) else ratings
    )
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)  # None and NaN -> -1
    mapped = np.array([_one_tier(u) for u in uniques] + [None], dtype=object)
    out = mapped[codes]
    values = list(arr)
    bad = np.flatnonzero(out == "?").tolist()
    if bad:
        shown = ", ".join(f"position {i}: {values[i]!r}" for i in bad[:20])
        more = f" and {len(bad) - 20} more" if len(bad) > 20 else ""
        raise InputError(
            f"{where}: unrecognised rating(s) ({shown}{more}); use S&P/Fitch (AAA..CCC, "
            f"notches allowed), Moody's (Aaa..Caa), 'IG', 'HY' or 'UST'"
        )
    return out


def par_duration(years_to_maturity: ArrayLike, yield_: float = 0.05) -> np.ndarray:
    """Modified duration (years) of a semiannual par bond: ``(1 - (1 + y/2)^(-2T)) / y``.

    The duration proxy of :class:`BondLiquidityModel` when no duration is given. It
    tends to ``T`` for short bonds; at a 5% yield it is 0.96 at 1 year, 4.38 at 5,
    7.79 at 10 and 15.45 at 30.

    Examples
    --------
    >>> float(np.round(par_duration(10.0), 2))
    7.79
    """
    t = np.asarray(years_to_maturity, dtype=float)
    if yield_ == 0:
        return t.copy()
    return (1.0 - (1.0 + yield_ / 2.0) ** (-2.0 * t)) / yield_


# ---------------------------------------------------------------------------- helpers
def _ids_of(bonds: object, where: str) -> pd.Index:
    if isinstance(bonds, BondSet):
        return bonds.ids
    if isinstance(bonds, pd.DataFrame):
        return bonds.index
    if isinstance(bonds, pd.Series):
        return pd.Index(bonds.to_numpy())
    if isinstance(bonds, (pd.Index, list, tuple, np.ndarray)):
        return pd.Index(list(bonds))
    raise InputError(
        f"{where}: expected a BondSet, a DataFrame indexed by bond id or a list of ids, "
        f"got {type(bonds).__name__}"
    )


def _per_bond(
    values: object, ids: pd.Index, name: str, where: str, lower: float = 0.0, upper: float = np.inf
) -> np.ndarray:
    """A scalar, a Series by id or an array of one value per bond, checked finite in range."""
    if isinstance(values, pd.Series):
        if values.index.has_duplicates:
            dups = values.index[values.index.duplicated()].unique().tolist()
            raise InputError(f"{where}: {name} lists bond(s) {dups[:20]} more than once")
        missing = ids.difference(values.index)
        extra = values.index.difference(ids)
        if len(missing) or len(extra):
            parts = []
            if len(missing):
                parts.append(f"no value for {describe_rows('bond(s)', list(missing))}")
            if len(extra):
                parts.append(f"values for unknown {describe_rows('bond(s)', list(extra))}")
            raise InputError(
                f"{where}: {name} does not match the bonds: "
                + "; ".join(parts)
                + f"; give one value per bond, indexed by bond id ({len(ids)} bonds)"
            )
        labels = list(ids)
        arr = pd.to_numeric(values.reindex(ids), errors="coerce").to_numpy(dtype=float)
    elif np.ndim(values) == 0:
        try:
            x = float(values)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InputError(f"{where}: {name}={values!r} is not a number") from None
        labels = ["(all bonds)"]
        arr = np.array([x])
    else:
        try:
            arr = np.asarray(values, dtype=float).ravel()
        except (TypeError, ValueError):
            raise InputError(f"{where}: {name} must be numbers") from None
        if arr.size != len(ids):
            raise InputError(
                f"{where}: {name} has {arr.size} values for {len(ids)} bonds; give one per bond "
                "(or a Series indexed by bond id)"
            )
        labels = list(ids)
    bad = ~np.isfinite(arr) | (arr < lower) | (arr > upper)
    if bad.any():
        shown = ", ".join(f"{labels[i]}: {float(arr[i])!r}" for i in np.flatnonzero(bad)[:20])
        rng = f"in [{lower:g}, {upper:g}]" if np.isfinite(upper) else f">= {lower:g}"
        raise InputError(f"{where}: {name} must be finite and {rng}; got {shown}")
    return np.broadcast_to(arr, (len(ids),)) if arr.size == 1 else arr


def _like(values: np.ndarray, template: object, name: str = ""):
    """Scalar in, float out; Series in, Series out (same index); otherwise an array."""
    if isinstance(template, pd.Series):
        return pd.Series(values, index=template.index, name=name)
    if np.ndim(template) == 0:
        return float(values.reshape(-1)[0])
    return values


def _is_complete_features(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` is already a valid features frame (the fast path: no copy, no warning)."""
    if tuple(frame.columns) != _FEATURE_COLUMNS or len(frame) == 0 or frame.index.has_duplicates:
        return False
    numbers = frame[list(_FEATURE_COLUMNS[1:])]
    if not all(dtype.kind == "f" for dtype in numbers.dtypes):
        return False
    v = numbers.to_numpy()
    return bool(
        np.isfinite(v).all()
        and (v[:, [0, 3]] > 0).all()
        and (v[:, [1, 2]] >= 0).all()
        and frame["tier"].isin(RATING_TIERS).all()
    )


def _per_tier(tier: np.ndarray, values: Mapping[str, float]) -> np.ndarray:
    codes, uniques = pd.factorize(tier)
    return np.array([values[t] for t in uniques], dtype=float)[codes]


def _frozen_mapping(value: Mapping[str, float], name: str) -> Mapping[str, float]:
    if not isinstance(value, Mapping):
        raise InputError(f"BondLiquidityModel: {name} must be a mapping from tier to a number")
    missing = [t for t in RATING_TIERS if t not in value]
    extra = [t for t in value if t not in RATING_TIERS]
    if missing or extra:
        raise InputError(
            f"BondLiquidityModel: {name} must give every tier {list(RATING_TIERS)}; "
            f"missing {missing}, unknown {extra}"
        )
    out = {}
    for tier in RATING_TIERS:
        out[tier] = _finite_positive(value[tier], f"{name}[{tier!r}]", "BondLiquidityModel")
    return MappingProxyType(out)


# ---------------------------------------------------------------------------- bond model
_DEFAULT_RATING_MULTIPLIER = {
    "UST": 0.15,
    "AAA": 0.75,
    "AA": 0.85,
    "A": 1.00,
    "BBB": 1.25,
    "BB": 2.00,
    "B": 2.80,
    "CCC": 4.50,
    "IG": 1.10,
    "HY": 2.60,
}
_DEFAULT_VOLATILITY_MULTIPLIER = {
    "UST": 1.00,
    "AAA": 1.00,
    "AA": 1.00,
    "A": 1.00,
    "BBB": 1.05,
    "BB": 1.30,
    "B": 1.70,
    "CCC": 2.50,
    "IG": 1.00,
    "HY": 1.50,
}

#: Parameter -> (unit, where the number comes from), for ``summary()``.
_BOND_PARAMETER_NOTES: dict[str, tuple[str, str]] = {
    "base_spread_bp": (
        "bp of yield",
        "calibrated: value-weighted bid-ask of synthetic_universe(seed=0) IG 1-10y = 14.6 bp "
        "(SPIB basket, SSGA)",
    ),
    "rating_multiplier": ("x base", "stylised tier ordering (Edwards-Harris-Piwowar 2007)"),
    "duration_offset_years": ("years", "fixed part of the price spread of a short bond"),
    "duration_yield": ("decimal", "yield of the par-bond duration proxy"),
    "age_premium": ("fraction", "off-the-run widening (Bao-Pan-Wang 2011)"),
    "age_scale_years": ("years", "how fast a bond goes off-the-run"),
    "reference_issue_size_usd": ("USD", "benchmark issue size: size factor 1"),
    "size_elasticity": ("-", "bid-ask ~ size^-elasticity (Edwards-Harris-Piwowar 2007)"),
    "min_issue_size_usd": ("USD", "issue size clip (bounds the size factor)"),
    "max_issue_size_usd": ("USD", "issue size clip (bounds the size factor)"),
    "score_spread_ratio": ("x", "bid-ask at score 0 over score 1"),
    "stress_spread_multiplier": (
        "x",
        "SPIB basket 68.5 / 14.6 bp (SSGA); ~5x per Kargar et al. 2021",
    ),
    "daily_turnover": ("1/day", "~120%/yr; brackets the median TRACE ADV of LQD bonds, $5.3mm"),
    "treasury_daily_turnover": ("1/day", "SIFMA 2024: ~$0.9tn a day on ~$28tn of Treasuries"),
    "volume_half_life_years": ("years", "trading volume decays with age (Bao-Pan-Wang 2011)"),
    "volume_age_floor": ("fraction", "lowest age factor of volume"),
    "volume_score_ratio": ("x", "ADV at score 1 over score 0; TRACE LQD ADV IQR ratio 3.2"),
    "stress_volume_multiplier": ("x", "bond ADV in stress over normal"),
    "yield_volatility_bp": ("bp of yield/day", "FRED DGS10 daily changes 2023-25: 6.1 bp"),
    "volatility_multiplier": ("x", "HY price volatility above IG"),
    "stress_volatility_multiplier": (
        "x",
        "LQD NAV daily s.d. 176 bp (24 Feb-24 Mar 2020) vs 31.9 bp (2019): 5.5x",
    ),
    "impact_coefficient_normal": ("-", "square-root law k (Toth et al. 2011; Almgren et al. 2005)"),
    "impact_coefficient_stress": (
        "-",
        "same k; stress enters through volatility (x5, Kargar 2021)",
    ),
    "legging_risk_aversion": ("std devs", "charge for the price risk of waiting"),
    "default_rating": ("tier", "tier of a bond with no rating and no grade"),
    "default_age_years": ("years", "age of a bond with no age and no issue date"),
}


@dataclass(frozen=True)
class BondLiquidityModel:
    r"""Bid-ask spread, volume, volatility and market impact of corporate and Treasury bonds.

    Every method takes ``bonds`` as a :class:`~etfcore.BondSet` (with
    ``settlement_date=``) or as a features DataFrame indexed by bond id (see
    :meth:`features`), and returns pandas indexed by bond id. Costs are in bp of price,
    positive for buys and sells.

    Parameters
    ----------
    base_spread_bp : float
        Full bid-ask, in bp of **yield**, of an A-rated, newly issued bond of the
        reference size with a neutral score, in normal times. Calibrated (see Notes).
    rating_multiplier : mapping of tier to float
        Multiplier of ``base_spread_bp`` per tier (:data:`RATING_TIERS`): Treasuries
        0.15, AAA 0.75, AA 0.85, A 1, BBB 1.25, BB 2, B 2.8, CCC 4.5; a bond known only
        as IG 1.1 and as HY 2.6 (the synthetic universe's rating mix).
    duration_offset_years : float
        Years added to the duration: the price spread is ``base x (D + offset)``, so a
        short bond still costs something. 2 years.
    duration_yield : float
        Yield of the par-bond duration proxy :func:`par_duration` (0.05), used when no
        ``duration_years`` is given.
    age_premium, age_scale_years : float
        Age factor ``1 + age_premium (1 - exp(-age / age_scale_years))``: a new issue
        1, off-the-run up to 1.5 (0.5, 3 years).
    reference_issue_size_usd, size_elasticity : float
        Size factor ``(size / reference)^(-elasticity)``: $1bn and 0.25, so a $4bn
        issue is 0.71x and a $250mm one 1.41x.
    min_issue_size_usd, max_issue_size_usd : float
        Issue sizes are clipped to this range ($100mm-$10bn) in the spread's size
        factor; volume uses the size clipped below only, so a $100bn Treasury note
        trades like one.
    score_spread_ratio : float
        Score factor ``ratio^(0.5 - score)`` for a liquidity score in [0, 1] (1 = most
        liquid): with 2.5, from 1.58x at score 0 through 1 at 0.5 to 0.63x at 1. No
        score means factor 1.
    stress_spread_multiplier : float
        Stress bid-ask over normal: 68.5 / 14.6 = 4.69 (SPIB basket).
    daily_turnover : float
        Expected daily volume of a new corporate issue as a fraction of its size: 0.005
        (about 120% a year before the age factor).
    treasury_daily_turnover : float
        The same for a Treasury (tier ``"UST"``): 0.03.
    volume_half_life_years, volume_age_floor : float
        Volume age factor ``max(0.5^(age / half_life), floor)`` (5 years, 0.25).
    volume_score_ratio : float
        Volume score factor ``ratio^(score - 0.5)`` (8: a score-1 bond trades 8x a
        score-0 one).
    stress_volume_multiplier : float
        Volume in stress over normal (1).
    yield_volatility_bp : float
        Daily yield volatility, bp, of an IG or Treasury bond in normal times (6);
        the price volatility is ``yield_volatility_bp x multiplier x D``.
    volatility_multiplier : mapping of tier to float
        Volatility multiplier per tier (1 for IG and Treasuries; BB 1.3, B 1.7,
        CCC 2.5, HY 1.5).
    stress_volatility_multiplier : float
        Daily volatility in stress over normal (5).
    impact_coefficient_normal, impact_coefficient_stress : float
        ``k`` of the square-root law, by regime (0.3 in both: the stress enters
        through the volatility).
    legging_risk_aversion : float
        Standard deviations of waiting risk charged in :meth:`legging_cost_bp` (0.5).
    default_rating : str
        Tier of a bond with no rating, no grade and no Treasury CUSIP ("IG"); a
        :class:`~etfcore.DataWarning` says when it is used.
    default_age_years : float
        Age of a bond with neither ``age_years`` nor an issue date (3); warned.

    Notes
    -----
    For bond :math:`i` with tier :math:`r`, duration :math:`D`, age :math:`a`, issue
    size :math:`S`, liquidity score :math:`s` and regime multiplier :math:`R` (1
    normal, ``stress_spread_multiplier`` in stress), the full bid-ask in bp of price is

    .. math::

        \mathrm{BA} = b\,m_r\,(D + d_0)\,\bigl(1 + p(1 - e^{-a/\tau})\bigr)\,
        (S/S_0)^{-\epsilon}\,\rho^{1/2 - s}\,R .

    A spread-quoted bond's price spread is its yield spread times duration, hence the
    :math:`D` term (:math:`d_0` keeps short bonds from costing nothing). The expected
    daily volume is :math:`V = \theta S\,\max(2^{-a/h}, f)\,\nu^{s - 1/2}` (turnover
    :math:`\theta` of a corporate or a Treasury), the daily
    price volatility :math:`\sigma = \sigma_y\,v_r\,D` (times the stress multiplier),
    and the impact of a trade of notional :math:`Q` is the square-root law

    .. math::

        I = k\,\sigma\,\sqrt{Q / V}.

    A one-way trade costs :math:`\mathrm{BA}/2 + I`. Legging a notional :math:`Q` over
    :math:`n` days in equal daily pieces costs
    :math:`\mathrm{BA}/2 + k\sigma\sqrt{Q/(nV)} + \lambda\sigma\sqrt{n/3}`: the last
    term is :math:`\lambda` standard deviations of the price risk of the position
    still held, whose variance under an even schedule is :math:`\sigma^2 Q^2 n / 3`
    (Almgren and Chriss 2001).

    Where the numbers come from:

    * **Level**: ``base_spread_bp`` is set so that the issue-size-weighted bid-ask of
      the IG bonds with 1-10 years left in ``synthetic_universe(seed=0)`` is 14.6 bp,
      the bid-ask of SPIB's basket in normal times (SSGA, "SPDR Portfolio Intermediate
      Term Corporate Bond ETF", cited in DESIGN.md). That gives 2 bp of yield for a new
      A bond, 2-4 bp of spread for seasoned IG -- the usual IG quoting width -- and
      round-lot price spreads of a few bp (short, new, large issues) to ~15 bp for
      intermediate IG, 25-45 bp for 20-30 year IG and 25-90 bp for HY. A long-duration
      fund such as LQD (duration ~8 against SPIB's ~4) gets a median near 25 bp.
    * **Stress**: the same basket's bid-ask was 68.5 bp from 24 Feb to 24 Mar 2020, a
      ratio of 4.69; Kargar, Lester, Lindsay, Liu, Weill and Zuniga (2021), "Corporate
      Bond Liquidity during the COVID-19 Crisis", Review of Financial Studies 34(11),
      find costs of immediacy about five times normal. Impact rises by the
      volatility multiple, 5.
    * **Ratings, maturity, size, age**: costs are lower for highly rated, recently
      issued and close-to-maturity bonds, and fall with issue size and trading
      activity (Edwards, Harris and Piwowar 2007, "Corporate Bond Market Transaction
      Costs and Transparency", Journal of Finance 62(3)); older bonds are less liquid
      and trade less (Bao, Pan and Wang 2011, "The Illiquidity of Corporate Bonds",
      Journal of Finance 66(3)). The tier multipliers and the age, size and score
      factors are stylised within those orderings, not estimated.
    * **Treasuries**: ``0.15 x base`` gives, for a seasoned $10bn+ issue, about 1 bp
      of price at 2-5 years, 2 bp at 10 and 3-4 bp at 30: notes quote a fraction of a
      32nd (1/32 = 3.1 bp; Fleming 2003, "Measuring Treasury Market Liquidity", FRBNY
      Economic Policy Review 9(3)). They turn over ``treasury_daily_turnover`` = 3% a
      day (SIFMA: about $0.9tn a day on ~$28tn of marketable Treasuries in 2024).
    * **Volume**: the TRACE file of LQD bonds (``shared/data/real``, 2025-09-04 to
      2025-12-04) has a median ADV of $5.3mm. With 0.5% a day of the issue and the age
      factor, a 3-4 year old $1bn issue trades ~$3mm a day and a $2bn one ~$6mm,
      bracketing it (LQD's bonds are larger than average; the file has no issue
      sizes). Its ADV interquartile ratio is 3.2, which ``volume_score_ratio = 8``
      reproduces between scores 0.25 and 0.75 (``8^0.5 = 2.8``).
    * **Volatility**: the daily change of the 10-year Treasury yield (FRED DGS10 in
      ``shared/data/real``) had a standard deviation of 6.1 bp in 2023-25; LQD's NAV
      (duration ~8) moved 48.8 bp a day, i.e. 6 bp of yield. From 24 Feb to 24 Mar
      2020 LQD's NAV moved 176 bp a day against 31.9 bp in 2019 (5.5x), hence 5x.
    * **Impact**: the square-root law :math:`k\sigma\sqrt{Q/V}` with :math:`k` of order
      one and roughly universal across markets and regimes (Almgren, Thum, Hauptmann
      and Li 2005, "Direct Estimation of Equity Market Impact", Risk 18(7); Toth et al.
      2011, "Anomalous Price Impact and the Critical Nature of Liquidity in Financial
      Markets", Physical Review X 1). ``k = 0.3`` sits at the low end because the
      round-lot bid-ask already covers a typical institutional block; in stress
      impact rises with volatility, 5x, the Kargar et al. multiple.

    Callable bonds are treated by their maturity (duration to maturity overstates a
    bond trading to its call). Volumes are regime-independent by default.

    Examples
    --------
    >>> from etfcore.market.synthetic import synthetic_universe
    >>> u = synthetic_universe(seed=0)
    >>> model = BondLiquidityModel()
    >>> ba = model.bid_ask_bp(u.bonds, "normal", settlement_date=u.settlement)
    >>> bool(ba.between(0.5, 200).all())
    True
    """

    base_spread_bp: float = 2.0
    rating_multiplier: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(dict(_DEFAULT_RATING_MULTIPLIER))
    )
    duration_offset_years: float = 2.0
    duration_yield: float = 0.05
    age_premium: float = 0.5
    age_scale_years: float = 3.0
    reference_issue_size_usd: float = 1e9
    size_elasticity: float = 0.25
    min_issue_size_usd: float = 1e8
    max_issue_size_usd: float = 1e10
    score_spread_ratio: float = 2.5
    stress_spread_multiplier: float = 68.5 / 14.6
    daily_turnover: float = 0.005
    treasury_daily_turnover: float = 0.03
    volume_half_life_years: float = 5.0
    volume_age_floor: float = 0.25
    volume_score_ratio: float = 8.0
    stress_volume_multiplier: float = 1.0
    yield_volatility_bp: float = 6.0
    volatility_multiplier: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(dict(_DEFAULT_VOLATILITY_MULTIPLIER))
    )
    stress_volatility_multiplier: float = 5.0
    impact_coefficient_normal: float = 0.3
    impact_coefficient_stress: float = 0.3
    legging_risk_aversion: float = 0.5
    default_rating: str = "IG"
    default_age_years: float = 3.0

    def __post_init__(self) -> None:
        where = "BondLiquidityModel"
        zero_ok = {
            "age_premium",
            "size_elasticity",
            "duration_offset_years",
            "duration_yield",
            "legging_risk_aversion",
            "default_age_years",
            "volume_age_floor",
        }
        for f in fields(self):
            name = f.name
            value = getattr(self, name)
            if name in ("rating_multiplier", "volatility_multiplier"):
                object.__setattr__(self, name, _frozen_mapping(value, name))
            elif name == "default_rating":
                if value not in RATING_TIERS:
                    raise InputError(
                        f"{where}: default_rating={value!r} is not a tier; use one of "
                        f"{list(RATING_TIERS)}"
                    )
            else:
                object.__setattr__(
                    self, name, _finite_positive(value, name, where, allow_zero=name in zero_ok)
                )
        if self.min_issue_size_usd > self.max_issue_size_usd:
            raise InputError(
                f"{where}: min_issue_size_usd={self.min_issue_size_usd!r} is above "
                f"max_issue_size_usd={self.max_issue_size_usd!r}"
            )
        if self.volume_age_floor > 1:
            raise InputError(f"{where}: volume_age_floor={self.volume_age_floor!r} must be <= 1")

    def __hash__(self) -> int:
        return hash(
            tuple(
                tuple(sorted(v.items())) if isinstance(v, Mapping) else v
                for v in (getattr(self, f.name) for f in fields(self))
            )
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # mappingproxy cannot be pickled: rebuild from plain dicts (multiprocessing, deepcopy)
        kwargs = {
            f.name: dict(v) if isinstance(v, Mapping) else v
            for f, v in ((f, getattr(self, f.name)) for f in fields(self))
        }
        return (functools.partial(BondLiquidityModel, **kwargs), ())

    def __repr__(self) -> str:
        return (
            f"BondLiquidityModel(base_spread_bp={self.base_spread_bp:.4g}, "
            f"stress x{self.stress_spread_multiplier:.3g}, "
            f"k={self.impact_coefficient_normal:g}/{self.impact_coefficient_stress:g}, "
            f"turnover={self.daily_turnover:g}/day)"
        )

    # ------------------------------------------------------------------ parameters
    def summary(self) -> pd.DataFrame:
        """Every parameter with its value, unit and source (one row per number).

        Returns
        -------
        pandas.DataFrame
            Index ``parameter`` (``rating_multiplier[BBB]`` for mapping entries),
            columns ``value``, ``unit``, ``source``.
        """
        rows = []
        for f in fields(self):
            unit, source = _BOND_PARAMETER_NOTES[f.name]
            value = getattr(self, f.name)
            if isinstance(value, Mapping):
                for tier, v in value.items():
                    rows.append((f"{f.name}[{tier}]", v, unit, source))
            else:
                rows.append((f.name, value, unit, source))
        return pd.DataFrame(rows, columns=["parameter", "value", "unit", "source"]).set_index(
            "parameter"
        )

    # ------------------------------------------------------------------ features
    def features(self, bonds: BondSet | pd.DataFrame, settlement_date: Any = None) -> pd.DataFrame:
        """The inputs the model reads for each bond, with defaults filled in.

        Parameters
        ----------
        bonds : BondSet or pandas.DataFrame
            A BondSet (its ``attributes`` may hold ``rating``, ``grade``,
            ``issue_size_usd`` and ``age_years``; maturities and issue dates are
            read from the set), or a DataFrame indexed by bond id with
            ``years_to_maturity`` and optionally ``tier`` or ``rating``, ``grade``,
            ``duration_years``, ``age_years`` and ``issue_size_usd`` (a frame
            returned by this method passes through unchanged).
        settlement_date : date-like, optional
            Required for a BondSet: years to maturity and (without ``age_years``)
            age are counted from it.

        Returns
        -------
        pandas.DataFrame
            Indexed by bond id: ``tier`` (:data:`RATING_TIERS`), ``years_to_maturity``,
            ``duration_years`` (given, or :func:`par_duration` at ``duration_yield``),
            ``age_years`` (>= 0; a bond not yet issued is age 0) and ``issue_size_usd``.

        Raises
        ------
        InputError
            For a BondSet without ``settlement_date``, a bond matured on or before it,
            duplicate ids, an unrecognised rating, or a negative or NaN maturity,
            duration, age or issue size -- naming the bonds.

        Warns
        -----
        DataWarning
            When a bond's tier (no rating, grade or Treasury CUSIP), age or issue size
            is missing and a default is used: how many bonds, which default, and the
            first ids. Pass a complete frame (e.g. this method's output with the
            columns filled) to avoid it.

        Notes
        -----
        A bond's tier is its ``tier`` or ``rating`` (see :func:`rating_tiers`); else
        its ``grade`` (``"UST"``, ``"IG"``, ``"HY"``), and grade ``"UST"`` wins over a
        rating (a Treasury trades as one whatever its AAA / AA+); else ``"UST"`` when its
        id is a Treasury CUSIP (``9128...``, ``91279...``); else ``default_rating``.
        """
        where = "BondLiquidityModel.features"
        if isinstance(bonds, BondSet):
            return self._features_from_bondset(bonds, settlement_date, where)
        if isinstance(bonds, pd.DataFrame):
            return self._features_from_frame(bonds, where)
        raise InputError(
            f"{where}: expected a BondSet or a DataFrame indexed by bond id, got "
            f"{type(bonds).__name__}"
        )

    def _features_from_bondset(self, bonds: BondSet, settlement_date: Any, where: str):
        if settlement_date is None:
            raise InputError(
                f"{where}: a BondSet needs settlement_date= to count years to maturity and age "
                "(for a synthetic universe, settlement_date=universe.settlement)"
            )
        settle = to_day(settlement_date, "settlement_date")
        attrs = bonds.attributes
        ids = bonds.ids
        years = (bonds.maturity - settle) / _DAYS_PER_YEAR
        matured = years <= 0
        if matured.any():
            raise InputError(
                f"{where}: {describe_rows('bond(s)', list(ids[matured]))} mature(s) on or before "
                "the settlement date; remove matured bonds or check settlement_date"
            )
        if "age_years" in attrs.columns:
            age = pd.to_numeric(attrs["age_years"], errors="coerce").to_numpy(
                dtype=float, copy=True
            )
        else:
            age = np.full(len(ids), np.nan)
        from_issue = np.isnan(age) & (bonds.issue != NO_DATE)
        age[from_issue] = np.maximum((settle - bonds.issue[from_issue]) / _DAYS_PER_YEAR, 0.0)
        frame = pd.DataFrame(
            {
                "years_to_maturity": years,
                "age_years": age,
                "issue_size_usd": (
                    attrs["issue_size_usd"].to_numpy()
                    if "issue_size_usd" in attrs.columns
                    else np.nan
                ),
            },
            index=ids,
        )
        for column in ("rating", "grade"):
            if column in attrs.columns:
                frame[column] = attrs[column].to_numpy()
        return self._features_from_frame(frame, where)

    def _features_from_frame(self, frame: pd.DataFrame, where: str) -> pd.DataFrame:
        if _is_complete_features(frame):
            return frame
        ids = frame.index
        if len(ids) == 0:
            raise InputError(f"{where}: no bonds")
        if ids.has_duplicates:
            dups = ids[ids.duplicated()].unique().tolist()
            raise InputError(f"{where}: bond id(s) {dups[:20]} appear more than once")
        if "years_to_maturity" not in frame.columns:
            raise InputError(
                f"{where}: the frame has no 'years_to_maturity' column (it has "
                f"{list(frame.columns)}); pass a BondSet with settlement_date= or add the column"
            )
        n = len(ids)
        problems: list[str] = []
        defaulted: list[str] = []

        def numeric(column: str) -> np.ndarray:
            if column not in frame.columns:
                return np.full(n, np.nan)
            return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)

        def check(values: np.ndarray, column: str, positive: bool) -> None:
            bad = np.isnan(values) | np.isinf(values) | (values <= 0 if positive else values < 0)
            if bad.any():
                shown = ", ".join(
                    f"{ids[i]}: {_py(frame[column].iloc[i])!r}" for i in np.flatnonzero(bad)[:20]
                )
                bound = "> 0" if positive else ">= 0"
                problems.append(f"column {column!r} must be a finite number {bound}; got {shown}")

        years = numeric("years_to_maturity")
        check(years, "years_to_maturity", positive=True)
        if "duration_years" in frame.columns:
            duration = numeric("duration_years")
            check(duration, "duration_years", positive=False)
        else:
            duration = par_duration(years, self.duration_yield)

        age = numeric("age_years")
        if "age_years" in frame.columns:
            given = frame["age_years"].notna().to_numpy()
            bad_age = given & ~(np.isfinite(age) & (age >= 0))
            if bad_age.any():
                shown = ", ".join(
                    f"{ids[i]}: {_py(frame['age_years'].iloc[i])!r}"
                    for i in np.flatnonzero(bad_age)
                )
                problems.append(f"column 'age_years' must be a number >= 0; got {shown}")
        missing_age = np.isnan(age)
        if missing_age.any():
            age = np.where(missing_age, self.default_age_years, age)
            defaulted.append(
                f"{int(missing_age.sum())} without age_years or an issue date: age "
                f"{self.default_age_years:g} years (default_age_years)"
            )

        size = numeric("issue_size_usd")
        if "issue_size_usd" in frame.columns:
            given = frame["issue_size_usd"].notna().to_numpy()
            bad_size = given & ~(np.isfinite(size) & (size > 0))
            if bad_size.any():
                shown = ", ".join(
                    f"{ids[i]}: {_py(frame['issue_size_usd'].iloc[i])!r}"
                    for i in np.flatnonzero(bad_size)[:20]
                )
                problems.append(f"column 'issue_size_usd' must be a number > 0; got {shown}")
        missing_size = np.isnan(size)
        if missing_size.any():
            size = np.where(missing_size, self.reference_issue_size_usd, size)
            defaulted.append(
                f"{int(missing_size.sum())} without issue_size_usd: "
                f"${self.reference_issue_size_usd:,.0f} (reference_issue_size_usd)"
            )

        tier = np.full(n, None, dtype=object)
        for column in ("tier", "rating", "grade"):
            if column in frame.columns:
                try:
                    found = rating_tiers(frame[column].to_numpy(), where=f"{where}: {column!r}")
                except InputError as exc:
                    # name bonds, not positions
                    bad = [
                        f"{ids[i]}: {v!r}"
                        for i, v in enumerate(frame[column].to_numpy())
                        if _one_tier(v) == "?"
                    ]
                    problems.append(
                        f"column {column!r}: unrecognised rating(s) {', '.join(bad[:20])}"
                        + str(exc)[str(exc).rfind(";") :]
                    )
                    continue
                fill = pd.isna(tier) & ~pd.isna(found)
                tier[fill] = found[fill]
        if "grade" in frame.columns and "tier" not in frame.columns:
            # a Treasury trades as a Treasury whatever its agency rating (AAA / AA+) says
            gov = frame["grade"].astype("string").str.upper().eq("UST").fillna(False).to_numpy()
            tier[gov] = "UST"
        if problems:
            raise InputError.from_problems(where, problems)
        no_tier = np.flatnonzero(pd.isna(tier))
        if no_tier.size:
            ust = np.array([is_us_treasury_cusip(ids[i]) for i in no_tier], dtype=bool)
            tier[no_tier[ust]] = "UST"
            rest = no_tier[~ust]
            if rest.size:
                tier[rest] = self.default_rating
                defaulted.insert(
                    0,
                    f"{rest.size} without rating or grade: tier {self.default_rating!r} "
                    "(default_rating)",
                )
        if defaulted:
            warnings.warn(
                f"{where}: of {n} bonds, " + "; ".join(defaulted) + ". Add the columns to the "
                "BondSet's attributes or pass a features frame to use real values.",
                DataWarning,
                stacklevel=4,
            )
        out = pd.DataFrame(
            {
                "tier": tier.astype(str),
                "years_to_maturity": years,
                "duration_years": duration,
                "age_years": age,
                "issue_size_usd": size,
            },
            index=ids,
        )
        out.index.name = ids.name or "id"
        return out

    # ------------------------------------------------------------------ components
    def _scores(self, scores: object, ids: pd.Index, where: str) -> np.ndarray | None:
        if scores is None:
            return None
        return _per_bond(scores, ids, "scores", where, lower=0.0, upper=1.0)

    def _bid_ask(self, feat: pd.DataFrame, regime: str, s: np.ndarray | None) -> np.ndarray:
        tier = feat["tier"].to_numpy()
        mult = _per_tier(tier, self.rating_multiplier)
        age = feat["age_years"].to_numpy()
        size = np.clip(
            feat["issue_size_usd"].to_numpy(), self.min_issue_size_usd, self.max_issue_size_usd
        )
        ba = (
            self.base_spread_bp
            * mult
            * (feat["duration_years"].to_numpy() + self.duration_offset_years)
            * (1.0 + self.age_premium * (1.0 - np.exp(-age / self.age_scale_years)))
            * (size / self.reference_issue_size_usd) ** (-self.size_elasticity)
        )
        if s is not None:
            ba = ba * self.score_spread_ratio ** (0.5 - s)
        if regime == "stress":
            ba = ba * self.stress_spread_multiplier
        return ba

    def _volume(self, feat: pd.DataFrame, regime: str, s: np.ndarray | None) -> np.ndarray:
        size = np.maximum(feat["issue_size_usd"].to_numpy(), self.min_issue_size_usd)
        age = feat["age_years"].to_numpy()
        turnover = np.where(
            feat["tier"].to_numpy() == "UST", self.treasury_daily_turnover, self.daily_turnover
        )
        adv = (
            turnover
            * size
            * np.maximum(0.5 ** (age / self.volume_half_life_years), self.volume_age_floor)
        )
        if s is not None:
            adv = adv * self.volume_score_ratio ** (s - 0.5)
        if regime == "stress":
            adv = adv * self.stress_volume_multiplier
        return adv

    def _volatility(self, feat: pd.DataFrame, regime: str) -> np.ndarray:
        mult = _per_tier(feat["tier"].to_numpy(), self.volatility_multiplier)
        sigma = self.yield_volatility_bp * mult * feat["duration_years"].to_numpy()
        if regime == "stress":
            sigma = sigma * self.stress_volatility_multiplier
        return sigma

    def _k(self, regime: str) -> float:
        return (
            self.impact_coefficient_stress if regime == "stress" else self.impact_coefficient_normal
        )

    def _prepare(self, bonds, regime, scores, settlement_date, where):
        regime = _check_regime(regime, where)
        feat = self.features(bonds, settlement_date)
        return feat, regime, self._scores(scores, feat.index, where)

    # ------------------------------------------------------------------ public costs
    def bid_ask_bp(
        self,
        bonds: BondSet | pd.DataFrame,
        regime: str = "normal",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.Series:
        """Full bid-ask spread of each bond, bp of price (ask minus bid over mid).

        Parameters
        ----------
        bonds : BondSet or pandas.DataFrame
            See :meth:`features`.
        regime : {"normal", "stress"}
        scores : pandas.Series or array-like, optional
            Liquidity score in [0, 1] per bond (1 = most liquid), e.g. from
            :func:`liquidity_scores_from_trace`: a Series indexed by bond id (every
            bond, no others) or one value per bond in order. Without scores the score
            factor is 1.
        settlement_date : date-like, optional
            Required for a BondSet.

        Returns
        -------
        pandas.Series
            ``bid_ask_bp`` by bond id.

        Raises
        ------
        InputError
            For an unknown regime, scores that are NaN, outside [0, 1] or do not match
            the bonds, and any problem :meth:`features` finds.
        """
        feat, regime, s = self._prepare(bonds, regime, scores, settlement_date, "bid_ask_bp")
        return pd.Series(self._bid_ask(feat, regime, s), index=feat.index, name="bid_ask_bp")

    def half_spread_bp(
        self,
        bonds: BondSet | pd.DataFrame,
        regime: str = "normal",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.Series:
        """Half the bid-ask (the cost of a small one-way trade against mid), bp of price.

        Parameters and errors as :meth:`bid_ask_bp`.
        """
        out = self.bid_ask_bp(bonds, regime, scores, settlement_date=settlement_date) / 2.0
        return out.rename("half_spread_bp")

    def daily_volume_usd(
        self,
        bonds: BondSet | pd.DataFrame,
        regime: str = "normal",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.Series:
        """Expected average daily volume of each bond, USD.

        ``daily_turnover`` (``treasury_daily_turnover`` for Treasuries) ``x issue size x
        age factor x score factor`` (x
        ``stress_volume_multiplier`` in stress); see the class Notes. Parameters and
        errors as :meth:`bid_ask_bp`.
        """
        feat, regime, s = self._prepare(bonds, regime, scores, settlement_date, "daily_volume_usd")
        return pd.Series(self._volume(feat, regime, s), index=feat.index, name="daily_volume_usd")

    def daily_volatility_bp(
        self,
        bonds: BondSet | pd.DataFrame,
        regime: str = "normal",
        *,
        settlement_date: Any = None,
    ) -> pd.Series:
        """Daily price volatility of each bond, bp of price: ``yield vol x tier x duration``.

        Parameters and errors as :meth:`bid_ask_bp` (no scores).
        """
        feat, regime, _ = self._prepare(bonds, regime, None, settlement_date, "daily_volatility_bp")
        return pd.Series(
            self._volatility(feat, regime), index=feat.index, name="daily_volatility_bp"
        )

    def cost_breakdown(
        self,
        bonds: BondSet | pd.DataFrame,
        notional_usd: float | pd.Series | ArrayLike,
        regime: str = "normal",
        side: str = "buy",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.DataFrame:
        """One-way trade cost of each bond with its components.

        Parameters
        ----------
        bonds : BondSet or pandas.DataFrame
            See :meth:`features`.
        notional_usd : float, pandas.Series or array-like
            Market value traded per bond, USD, >= 0: one number for every bond, a
            Series indexed by bond id (every bond, no others), or one value per bond.
        regime : {"normal", "stress"}
        side : {"buy", "sell"}
            Checked; the cost is the same positive number for both sides.
        scores : pandas.Series or array-like, optional
            Liquidity scores, as in :meth:`bid_ask_bp`.
        settlement_date : date-like, optional
            Required for a BondSet.

        Returns
        -------
        pandas.DataFrame
            By bond id: ``notional_usd``, ``half_spread_bp``, ``daily_volume_usd``,
            ``daily_volatility_bp``, ``impact_bp`` (``k sigma sqrt(notional / ADV)``),
            ``cost_bp`` (half-spread + impact) and ``cost_usd``.

        Raises
        ------
        InputError
            For an unknown regime or side, a negative, NaN or infinite notional, a
            notional Series that does not match the bonds, and as :meth:`bid_ask_bp`.
        """
        where = "cost_bp"
        _check_side(side, where)
        feat, regime, s = self._prepare(bonds, regime, scores, settlement_date, where)
        q = _per_bond(notional_usd, feat.index, "notional_usd", where)
        half = self._bid_ask(feat, regime, s) / 2.0
        adv = self._volume(feat, regime, s)
        sigma = self._volatility(feat, regime)
        impact = self._k(regime) * sigma * np.sqrt(q / adv)
        cost = half + impact
        return pd.DataFrame(
            {
                "notional_usd": q,
                "half_spread_bp": half,
                "daily_volume_usd": adv,
                "daily_volatility_bp": sigma,
                "impact_bp": impact,
                "cost_bp": cost,
                "cost_usd": cost * q / 1e4,
            },
            index=feat.index,
        )

    def impact_bp(
        self,
        bonds: BondSet | pd.DataFrame,
        notional_usd: float | pd.Series | ArrayLike,
        regime: str = "normal",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.Series:
        """Square-root market impact of trading ``notional_usd`` of each bond, bp of price.

        ``k(regime) x daily_volatility_bp x sqrt(notional_usd / daily_volume_usd)``.
        Parameters and errors as :meth:`cost_breakdown`.
        """
        out = self.cost_breakdown(
            bonds, notional_usd, regime, "buy", scores, settlement_date=settlement_date
        )
        return out["impact_bp"].rename("impact_bp")

    def cost_bp(
        self,
        bonds: BondSet | pd.DataFrame,
        notional_usd: float | pd.Series | ArrayLike,
        regime: str = "normal",
        side: str = "buy",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.Series:
        """One-way cost against mid of trading ``notional_usd`` of each bond, bp of price.

        Half-spread plus square-root impact; positive for buys and sells. Parameters
        and errors as :meth:`cost_breakdown`.
        """
        out = self.cost_breakdown(
            bonds, notional_usd, regime, side, scores, settlement_date=settlement_date
        )
        return out["cost_bp"].rename("cost_bp")

    def cost_usd(
        self,
        bonds: BondSet | pd.DataFrame,
        notional_usd: float | pd.Series | ArrayLike,
        regime: str = "normal",
        side: str = "buy",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.Series:
        """One-way cost in USD: ``cost_bp x notional_usd / 1e4``.

        Parameters and errors as :meth:`cost_breakdown`.
        """
        out = self.cost_breakdown(
            bonds, notional_usd, regime, side, scores, settlement_date=settlement_date
        )
        return out["cost_usd"].rename("cost_usd")

    def legging_breakdown(
        self,
        bonds: BondSet | pd.DataFrame,
        notional_usd: float | pd.Series | ArrayLike,
        days: float,
        regime: str = "normal",
        side: str = "buy",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.DataFrame:
        """Cost of trading each bond alone, in equal pieces over ``days`` days, with components.

        Parameters
        ----------
        days : float
            Trading horizon in days, > 0 (fractions allowed: 0.5 is half a day).
        bonds, notional_usd, regime, side, scores, settlement_date
            As in :meth:`cost_breakdown`.

        Returns
        -------
        pandas.DataFrame
            By bond id: ``notional_usd``, ``half_spread_bp``, ``impact_bp`` (square-root
            impact of one day's piece, ``notional / days``), ``risk_bp``
            (``legging_risk_aversion x sigma x sqrt(days / 3)``), ``legging_cost_bp``
            (their sum) and ``legging_cost_usd``.

        Raises
        ------
        InputError
            For ``days`` not > 0, and as :meth:`cost_breakdown`.

        Notes
        -----
        Each daily piece pays the half-spread and the impact of a trade of
        ``notional / days``; the position still held while waiting carries price risk
        whose variance under an even schedule is ``sigma^2 notional^2 days / 3``
        (Almgren and Chriss 2001, "Optimal Execution of Portfolio Transactions",
        Journal of Risk 3(2)); ``legging_risk_aversion`` standard deviations of it are
        charged. Longer horizons cut impact and add risk.
        """
        where = "legging_cost_bp"
        n_days = _finite_positive(days, "days", where)
        out = self.cost_breakdown(
            bonds, notional_usd, regime, side, scores, settlement_date=settlement_date
        )
        impact = out["impact_bp"].to_numpy() / math.sqrt(n_days)
        risk = self.legging_risk_aversion * out["daily_volatility_bp"].to_numpy()
        risk = risk * math.sqrt(n_days / 3.0)
        total = out["half_spread_bp"].to_numpy() + impact + risk
        return pd.DataFrame(
            {
                "notional_usd": out["notional_usd"].to_numpy(),
                "half_spread_bp": out["half_spread_bp"].to_numpy(),
                "impact_bp": impact,
                "risk_bp": risk,
                "legging_cost_bp": total,
                "legging_cost_usd": total * out["notional_usd"].to_numpy() / 1e4,
            },
            index=out.index,
        )

    def legging_cost_bp(
        self,
        bonds: BondSet | pd.DataFrame,
        notional_usd: float | pd.Series | ArrayLike,
        days: float,
        regime: str = "normal",
        side: str = "buy",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.Series:
        """Cost of trading each bond alone over ``days`` days, bp of price.

        Half-spread + impact of ``notional / days`` a day + ``legging_risk_aversion x
        sigma x sqrt(days / 3)``. See :meth:`legging_breakdown`.
        """
        out = self.legging_breakdown(
            bonds, notional_usd, days, regime, side, scores, settlement_date=settlement_date
        )
        return out["legging_cost_bp"].rename("legging_cost_bp")

    def basket_bid_ask_bp(
        self,
        bonds: BondSet | pd.DataFrame,
        weights: pd.Series | ArrayLike,
        regime: str = "normal",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> float:
        """Weighted average bid-ask of a basket, bp of price.

        Parameters
        ----------
        weights : pandas.Series or array-like
            Market-value weights per bond, >= 0, not all zero (normalised here): a
            Series indexed by bond id (every bond, no others) or one per bond in order.
        bonds, regime, scores, settlement_date
            As in :meth:`bid_ask_bp`.

        Raises
        ------
        InputError
            For weights that are negative, NaN, all zero or do not match the bonds, and
            as :meth:`bid_ask_bp`.
        """
        ba = self.bid_ask_bp(bonds, regime, scores, settlement_date=settlement_date)
        w = _weights(weights, ba.index, "basket_bid_ask_bp")
        return float(np.dot(w, ba.to_numpy()))


def _weights(weights: object, ids: pd.Index, where: str) -> np.ndarray:
    if weights is None:
        raise InputError(f"{where}: weights is None; give one market-value weight per bond")
    w = _per_bond(weights, ids, "weights", where)
    if np.ndim(weights) == 0:
        raise InputError(
            f"{where}: weights={weights!r} is a single number; give one weight per bond"
        )
    total = w.sum()
    if total <= 0:
        raise InputError(f"{where}: weights add up to {float(total)!r}; give positive weights")
    return w / total


# ---------------------------------------------------------------------------- ETF model
_ETF_PARAMETER_NOTES: dict[str, tuple[str, str]] = {
    "quoted_spread_bp_normal": ("bp of price", "SPIB quoted spread, normal times (SSGA)"),
    "quoted_spread_bp_stress": ("bp of price", "SPIB quoted spread, 24 Feb-24 Mar 2020 (SSGA)"),
    "adv_usd_normal": ("USD/day", "VCIT dollar volume 2019 (Yahoo, shared/data/real)"),
    "adv_usd_stress": ("USD/day", "VCIT dollar volume 24 Feb-24 Mar 2020"),
    "daily_volatility_bp_normal": ("bp of price/day", "VCIT daily return s.d. 2019"),
    "daily_volatility_bp_stress": ("bp of price/day", "VCIT daily return s.d. 24 Feb-24 Mar 2020"),
    "impact_coefficient_normal": ("-", "square-root law k, as for bonds"),
    "impact_coefficient_stress": ("-", "square-root law k, as for bonds"),
    "name": ("", "label"),
}


@dataclass(frozen=True)
class EtfLiquidityModel:
    r"""Quoted spread, volume, volatility and square-root impact of one ETF, by regime.

    Parameters
    ----------
    quoted_spread_bp_normal, quoted_spread_bp_stress : float
        Full quoted bid-ask, bp of price: 2.8 and 8.8 (SPIB, SSGA; normal times and
        24 Feb - 24 Mar 2020).
    adv_usd_normal, adv_usd_stress : float
        Average daily dollar volume: $170mm and $546mm (VCIT, an intermediate IG ETF
        like SPIB: 2019 and 24 Feb - 24 Mar 2020; ETF volume roughly tripled in the
        stress).
    daily_volatility_bp_normal, daily_volatility_bp_stress : float
        Daily price volatility, bp: 22.5 and 202 (VCIT, same windows; the stress figure
        includes the ETF's swings against NAV, which a hedger bears).
    impact_coefficient_normal, impact_coefficient_stress : float
        ``k`` of the square-root law, the bond model's 0.3 in both regimes.
    name : str
        A label.

    Notes
    -----
    A one-way trade of notional :math:`Q` costs half the quoted spread plus
    :math:`k\,\sigma\sqrt{Q / V}`, positive for buys and sells. The VCIT numbers are
    computed from ``shared/data/real/etf_ohlcv_2016-04_2021-04_unadjusted_close/VCIT.csv``
    (close x volume; standard deviation of daily log returns of the adjusted close).
    Past the arbitrage band APs create or redeem, which caps the cost of a very large
    ETF trade; that cap belongs to the primary-market layer, not to this model.

    Examples
    --------
    >>> etf = EtfLiquidityModel()
    >>> etf.half_spread_bp("stress")
    4.4
    >>> round(etf.cost_bp(50e6, "normal", "sell"), 2)
    5.06
    """

    quoted_spread_bp_normal: float = 2.8
    quoted_spread_bp_stress: float = 8.8
    adv_usd_normal: float = 170e6
    adv_usd_stress: float = 546e6
    daily_volatility_bp_normal: float = 22.5
    daily_volatility_bp_stress: float = 202.0
    impact_coefficient_normal: float = 0.3
    impact_coefficient_stress: float = 0.3
    name: str = "intermediate IG corporate ETF (SPIB/VCIT-like)"

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name != "name":
                value = _finite_positive(getattr(self, f.name), f.name, "EtfLiquidityModel")
                object.__setattr__(self, f.name, value)

    def summary(self) -> pd.DataFrame:
        """Every parameter with its value, unit and source (one row per number)."""
        rows = [
            (f.name, getattr(self, f.name), *_ETF_PARAMETER_NOTES[f.name]) for f in fields(self)
        ]
        return pd.DataFrame(rows, columns=["parameter", "value", "unit", "source"]).set_index(
            "parameter"
        )

    def _pick(self, regime: object, where: str, normal: float, stress: float) -> float:
        return stress if _check_regime(regime, where) == "stress" else normal

    def bid_ask_bp(self, regime: str = "normal") -> float:
        """Full quoted spread, bp of price. Raises InputError for an unknown regime."""
        return self._pick(
            regime, "bid_ask_bp", self.quoted_spread_bp_normal, self.quoted_spread_bp_stress
        )

    def half_spread_bp(self, regime: str = "normal") -> float:
        """Half the quoted spread, bp of price."""
        return self.bid_ask_bp(regime) / 2.0

    def daily_volume_usd(self, regime: str = "normal") -> float:
        """Average daily dollar volume."""
        return self._pick(regime, "daily_volume_usd", self.adv_usd_normal, self.adv_usd_stress)

    def daily_volatility_bp(self, regime: str = "normal") -> float:
        """Daily price volatility, bp."""
        return self._pick(
            regime,
            "daily_volatility_bp",
            self.daily_volatility_bp_normal,
            self.daily_volatility_bp_stress,
        )

    def _notional(self, notional_usd: object, where: str) -> np.ndarray:
        try:
            q = np.asarray(
                notional_usd.to_numpy() if isinstance(notional_usd, pd.Series) else notional_usd,
                dtype=float,
            )
        except (TypeError, ValueError):
            raise InputError(f"{where}: notional_usd={notional_usd!r} is not a number") from None
        bad = ~np.isfinite(q) | (q < 0)
        if bad.any():
            shown = q.reshape(-1)[bad.reshape(-1)][:10].tolist()
            raise InputError(
                f"{where}: notional_usd must be finite and >= 0 (USD of ETF shares traded); "
                f"got {shown}"
            )
        return q

    def impact_bp(self, notional_usd: float | ArrayLike | pd.Series, regime: str = "normal"):
        """Square-root impact ``k sigma sqrt(notional / ADV)``, bp of price.

        ``notional_usd`` is a number (float out), an array (array out) or a Series
        (Series out, same index); it must be finite and >= 0.
        """
        regime = _check_regime(regime, "impact_bp")
        q = self._notional(notional_usd, "impact_bp")
        k = self.impact_coefficient_stress if regime == "stress" else self.impact_coefficient_normal
        out = k * self.daily_volatility_bp(regime) * np.sqrt(q / self.daily_volume_usd(regime))
        return _like(np.asarray(out, dtype=float), notional_usd, name="impact_bp")

    def cost_bp(
        self,
        notional_usd: float | ArrayLike | pd.Series,
        regime: str = "normal",
        side: str = "buy",
    ):
        """One-way cost against mid, bp of price: half-spread + impact (both sides positive).

        Raises
        ------
        InputError
            For an unknown regime or side, or a negative or NaN notional.
        """
        _check_side(side, "cost_bp")
        regime = _check_regime(regime, "cost_bp")
        impact = np.asarray(self.impact_bp(self._notional(notional_usd, "cost_bp"), regime))
        return _like(self.half_spread_bp(regime) + impact, notional_usd, name="cost_bp")

    def cost_usd(
        self,
        notional_usd: float | ArrayLike | pd.Series,
        regime: str = "normal",
        side: str = "buy",
    ):
        """One-way cost in USD: ``cost_bp x notional_usd / 1e4``."""
        q = self._notional(notional_usd, "cost_usd")
        cost = np.asarray(self.cost_bp(q, regime, side)) * q / 1e4
        return _like(cost, notional_usd, name="cost_usd")


# ---------------------------------------------------------------------------- calibration
class CalibratedModels(NamedTuple):
    """The pair :func:`calibrate` returns (unpacks as ``bond_model, etf_model``)."""

    bond: BondLiquidityModel
    etf: EtfLiquidityModel


def calibrate(
    bonds: BondSet | pd.DataFrame,
    weights: pd.Series | ArrayLike,
    etf_spread_bp_normal: float = 2.8,
    basket_spread_bp_normal: float = 14.6,
    etf_spread_bp_stress: float = 8.8,
    basket_spread_bp_stress: float = 68.5,
    *,
    settlement_date: Any = None,
    scores: pd.Series | ArrayLike | None = None,
    bond_model: BondLiquidityModel | None = None,
    etf_model: EtfLiquidityModel | None = None,
) -> CalibratedModels:
    """Scale the liquidity models to an ETF's quoted spread and its basket's bid-ask.

    Parameters
    ----------
    bonds : BondSet or pandas.DataFrame
        The ETF's basket (see :meth:`BondLiquidityModel.features`).
    weights : pandas.Series or array-like
        Market-value weights of the basket (normalised here).
    etf_spread_bp_normal, etf_spread_bp_stress : float
        The ETF's quoted spread, bp (defaults: SPIB, 2.8 and 8.8).
    basket_spread_bp_normal, basket_spread_bp_stress : float
        The basket's value-weighted bid-ask, bp (defaults: SPIB, 14.6 and 68.5).
    settlement_date : date-like, optional
        Required when ``bonds`` is a BondSet.
    scores : pandas.Series or array-like, optional
        Liquidity scores used in the calibration (and later with the model).
    bond_model, etf_model : optional
        Models whose shape is kept (defaults :data:`DEFAULT_BOND_MODEL`,
        :data:`DEFAULT_ETF_MODEL`).

    Returns
    -------
    CalibratedModels
        ``(bond, etf)``: the bond model with ``base_spread_bp`` scaled so that the
        basket's normal bid-ask is ``basket_spread_bp_normal`` and
        ``stress_spread_multiplier = basket_spread_bp_stress / basket_spread_bp_normal``
        (both hit exactly); the ETF model with the two quoted spreads.

    Raises
    ------
    InputError
        For a spread that is not a positive number, a stress spread below the normal
        one, weights that do not match the bonds, and as
        :meth:`BondLiquidityModel.bid_ask_bp`.

    Notes
    -----
    Only the level and the stress multiple are fitted; the shape across ratings,
    maturities, ages and sizes stays the base model's. The default targets are SSGA's
    figures for SPIB (SPDR Portfolio Intermediate Term Corporate Bond ETF): ETF 2.8 bp
    against 14.6 bp for its basket in normal times, 8.8 against 68.5 bp from 24 Feb to
    24 Mar 2020 (DESIGN.md).

    Examples
    --------
    >>> from etfcore.market.synthetic import synthetic_universe
    >>> u = synthetic_universe(seed=0)
    >>> feat = DEFAULT_BOND_MODEL.features(u.bonds, u.settlement)
    >>> basket = feat[(feat.tier != "HY") & feat.years_to_maturity.between(1, 10)]
    >>> bond, etf = calibrate(basket, basket["issue_size_usd"])
    >>> round(bond.basket_bid_ask_bp(basket, basket["issue_size_usd"], "stress"), 6)
    68.5
    """
    where = "calibrate"
    targets = {
        "etf_spread_bp_normal": etf_spread_bp_normal,
        "basket_spread_bp_normal": basket_spread_bp_normal,
        "etf_spread_bp_stress": etf_spread_bp_stress,
        "basket_spread_bp_stress": basket_spread_bp_stress,
    }
    t = {name: _finite_positive(v, name, where) for name, v in targets.items()}
    for what in ("etf", "basket"):
        if t[f"{what}_spread_bp_stress"] < t[f"{what}_spread_bp_normal"]:
            raise InputError(
                f"{where}: {what}_spread_bp_stress={t[f'{what}_spread_bp_stress']!r} is below "
                f"{what}_spread_bp_normal={t[f'{what}_spread_bp_normal']!r}; stress spreads are "
                "the wider ones"
            )
    base = DEFAULT_BOND_MODEL if bond_model is None else bond_model
    etf = DEFAULT_ETF_MODEL if etf_model is None else etf_model
    feat = base.features(bonds, settlement_date)
    got = base.basket_bid_ask_bp(feat, weights, "normal", scores)
    bond = replace(
        base,
        base_spread_bp=base.base_spread_bp * t["basket_spread_bp_normal"] / got,
        stress_spread_multiplier=t["basket_spread_bp_stress"] / t["basket_spread_bp_normal"],
    )
    etf = replace(
        etf,
        quoted_spread_bp_normal=t["etf_spread_bp_normal"],
        quoted_spread_bp_stress=t["etf_spread_bp_stress"],
    )
    return CalibratedModels(bond, etf)


# ---------------------------------------------------------------------------- TRACE scores
def liquidity_scores_from_trace(
    trace: pd.DataFrame,
    ids: BondSet | pd.Index | Iterable[object],
    *,
    missing_score: float = 0.0,
    trade_count_weight: float = 0.5,
) -> pd.Series:
    """Liquidity score in [0, 1] per bond from TRACE trade counts and volumes.

    Parameters
    ----------
    trace : pandas.DataFrame
        Indexed by CUSIP with ``n_trades`` and ``total_volume_floor``, as
        :func:`etfcore.io.read_trace_activity` returns.
    ids : BondSet, pandas.Index or iterable
        The bonds to score (CUSIPs; compared upper-cased and stripped).
    missing_score : float
        Score of a bond absent from ``trace`` (0: the least liquid).
    trade_count_weight : float
        Weight of the trade-count rank; the volume rank gets the rest (0.5).

    Returns
    -------
    pandas.Series
        ``liquidity_score`` by id, in the order of ``ids``.
        ``attrs["missing_from_trace"]`` lists the ids not in ``trace``.

    Raises
    ------
    InputError
        If ``trace`` lacks the columns, has duplicate CUSIPs or NaN/negative counts
        or volumes, ``ids`` has duplicates or is empty, or ``missing_score`` /
        ``trade_count_weight`` is outside [0, 1].

    Warns
    -----
    DataWarning
        Listing the bonds absent from ``trace`` and the score they got (for a BondSet,
        also how many were issued after the TRACE window ended).

    Notes
    -----
    Each bond's score is ``w x pct(n_trades) + (1 - w) x pct(total_volume_floor)``,
    where ``pct`` is the mid-rank percentile ``(rank - 0.5) / N`` among **all** the
    bonds in ``trace`` (so a bond's score does not depend on which other bonds are
    asked for). Scores feed :meth:`BondLiquidityModel.bid_ask_bp`: a score-1 bond's
    spread is ``score_spread_ratio^-0.5`` (0.63x) of a neutral one, a score-0 bond's
    ``score_spread_ratio^0.5`` (1.58x).
    """
    where = "liquidity_scores_from_trace"
    missing_score = _finite_positive(missing_score, "missing_score", where, allow_zero=True)
    w = _finite_positive(trade_count_weight, "trade_count_weight", where, allow_zero=True)
    for name, v in (("missing_score", missing_score), ("trade_count_weight", w)):
        if v > 1:
            raise InputError(f"{where}: {name}={v!r} must be in [0, 1]")
    if not isinstance(trace, pd.DataFrame):
        raise InputError(f"{where}: trace must be a DataFrame (read_trace_activity's result)")
    need = [c for c in ("n_trades", "total_volume_floor") if c not in trace.columns]
    if need:
        raise InputError(
            f"{where}: trace lacks column(s) {need}; read it with etfcore.io.read_trace_activity"
        )
    if len(trace) == 0:
        raise InputError(f"{where}: trace has no rows")
    cusips = pd.Index(trace.index.astype(str).str.strip().str.upper())
    if cusips.has_duplicates:
        dups = cusips[cusips.duplicated()].unique().tolist()
        raise InputError(f"{where}: trace lists CUSIP(s) {dups[:20]} more than once")
    stats = {}
    for column in ("n_trades", "total_volume_floor"):
        v = pd.to_numeric(trace[column], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(v) | (v < 0)
        if bad.any():
            shown = ", ".join(
                f"{cusips[i]}: {_py(trace[column].iloc[i])!r}" for i in np.flatnonzero(bad)[:20]
            )
            raise InputError(
                f"{where}: trace column {column!r} must be finite and >= 0; got {shown}"
            )
        stats[column] = pd.Series(v, index=cusips).rank(method="average").to_numpy()
    n = len(cusips)
    pct = w * (stats["n_trades"] - 0.5) / n + (1 - w) * (stats["total_volume_floor"] - 0.5) / n
    universe = pd.Series(pct, index=cusips)

    bondset = ids if isinstance(ids, BondSet) else None
    index = _ids_of(ids, where)
    if len(index) == 0:
        raise InputError(f"{where}: no ids to score")
    if index.has_duplicates:
        dups = index[index.duplicated()].unique().tolist()
        raise InputError(f"{where}: ids {dups[:20]} appear more than once")
    keys = pd.Index([str(i).strip().upper() for i in index])
    scores = universe.reindex(keys).to_numpy()
    missing = np.isnan(scores)
    scores = np.where(missing, missing_score, scores)
    out = pd.Series(scores, index=index, name="liquidity_score")
    absent = list(index[missing])
    out.attrs["missing_from_trace"] = absent
    if absent:
        extra = ""
        if bondset is not None and "window_end" in trace.columns:
            end = pd.to_datetime(trace["window_end"]).max()
            if pd.notna(end):
                issue = bondset.issue[missing]
                late = int(np.sum((issue != NO_DATE) & (issue > to_day(end, "window_end"))))
                extra = f" ({late} of them issued after the TRACE window ended {end:%Y-%m-%d})"
        shown = ", ".join(str(a) for a in absent[:50])
        more = f" and {len(absent) - 50} more" if len(absent) > 50 else ""
        warnings.warn(
            f"{where}: {len(absent)} of {len(index)} bonds are not in the TRACE data{extra} and "
            f"get the low score {missing_score:g} (missing_score): {shown}{more}. The full list "
            "is in the result's attrs['missing_from_trace'].",
            DataWarning,
            stacklevel=2,
        )
    return out


#: The bond model with calibrated defaults: the issue-size-weighted bid-ask of the IG bonds
#: with 1-10 years left in ``synthetic_universe(seed=0)`` is SPIB's 14.6 bp normal, 68.5 bp
#: in stress (tested).
DEFAULT_BOND_MODEL = BondLiquidityModel()
#: The ETF model with SPIB's quoted spreads (2.8 / 8.8 bp) and VCIT's volume and volatility.
DEFAULT_ETF_MODEL = EtfLiquidityModel()
