"""The bond liquidity model: bid-ask, volume, volatility, impact and legging costs per bond."""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._deprecation import renamed_keywords
from .._results import frame_copy, make_summary
from .._validation import decimal, per_bond, positive, show
from ..bonds.bondset import BondSet
from ..bonds.dates import NO_DATE, to_day
from ..bonds.identifiers import is_us_treasury_cusip
from ..errors import DataWarning, InputError, describe_rows
from ..state import IdentityCache, check_regime, check_trade_side
from ._common import bounded, bp_value, per_tier
from .ratings import RATING_TIERS, _one_tier, rating_tiers

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike

_FEATURE_COLUMNS = ("tier", "years_to_maturity", "duration_years", "age_years", "issue_size_usd")
_DAYS_PER_YEAR = 365.25


def par_duration(years_to_maturity: ArrayLike, yield_: float = 0.05) -> np.ndarray:
    """Modified duration (years) of a semiannual par bond with ``years_to_maturity`` left.

    Parameters
    ----------
    years_to_maturity : float or array-like
        Years to maturity, >= 0.
    yield_ : float
        Yield of the par bond, decimal (0.05 is 5%), in (-0.5, 1].

    Returns
    -------
    numpy.ndarray
        The modified duration of each maturity, years.

    Raises
    ------
    InputError
        For a yield that looks like a percentage (``5`` for 5%) or is not a number.

    Notes
    -----
    A par bond's price is 100 at its own yield, so its modified duration is
    ``(1 - (1 + y/2)^(-2T)) / y`` (``T`` at ``y = 0``). It is the duration proxy of
    :class:`BondLiquidityModel` when no duration is given. It tends to ``T`` for short
    bonds; at a 5% yield it is 0.96 at 1 year, 4.38 at 5, 7.79 at 10 and 15.45 at 30.

    Examples
    --------
    >>> [round(float(d), 2) for d in par_duration([1.0, 5.0, 10.0, 30.0])]
    [0.96, 4.38, 7.79, 15.45]
    """
    y = decimal(yield_, "yield_", lower=-0.5)
    t = np.asarray(years_to_maturity, dtype=float)
    if y == 0:
        return t.copy()
    return (1.0 - (1.0 + y / 2.0) ** (-2.0 * t)) / y


# ---------------------------------------------------------------------------- helpers
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


def _frozen_mapping(value: Any, name: str) -> Mapping[str, float]:
    if not isinstance(value, Mapping):
        raise InputError(
            f"BondLiquidityModel.{name}: expected a mapping from tier to a number, got "
            f"{show(value)}"
        )
    missing = [t for t in RATING_TIERS if t not in value]
    extra = [t for t in value if t not in RATING_TIERS]
    if missing or extra:
        raise InputError(
            f"BondLiquidityModel.{name}: must give every tier {list(RATING_TIERS)}; "
            f"missing {missing}, unknown {extra}"
        )
    out = {}
    for tier in RATING_TIERS:
        out[tier] = bounded(
            value[tier],
            f"BondLiquidityModel.{name}[{tier!r}]",
            lower=0.0,
            upper=100.0,
            lower_open=True,
        )
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


def _bp_rule(upper: float) -> Any:
    return functools.partial(bp_value, upper=upper)


def _range_rule(lower: float, upper: float, *, lower_open: bool = False) -> Any:
    return functools.partial(bounded, lower=lower, upper=upper, lower_open=lower_open)


def _turnover(value: Any, name: str) -> float:
    """A daily turnover: a decimal fraction of the issue a day, > 0 (0.005 is 0.5%)."""
    v = decimal(value, name, limit=1.0)
    return positive(v, name)


#: Range rule of each scalar parameter of :class:`BondLiquidityModel` (value, name) -> float.
_BOND_PARAMETER_RULES: dict[str, Any] = {
    "base_spread_bp": _bp_rule(500.0),
    "duration_offset_years": _range_rule(0.0, 30.0),
    "duration_yield": functools.partial(decimal, lower=-0.5),
    "age_premium": functools.partial(decimal, limit=5.0, lower=0.0),
    "age_scale_years": _range_rule(0.0, 100.0, lower_open=True),
    "reference_issue_size_usd": positive,
    "size_elasticity": _range_rule(0.0, 2.0),
    "min_issue_size_usd": positive,
    "max_issue_size_usd": positive,
    "score_spread_ratio": _range_rule(1.0, 100.0),
    "stress_spread_multiplier": _range_rule(1.0, 100.0),
    "daily_turnover": _turnover,
    "treasury_daily_turnover": _turnover,
    "volume_half_life_years": _range_rule(0.0, 100.0, lower_open=True),
    "volume_age_floor": functools.partial(decimal, limit=1.0, lower=0.0),
    "volume_score_ratio": _range_rule(1.0, 1000.0),
    "stress_volume_multiplier": _range_rule(0.0, 100.0, lower_open=True),
    "yield_volatility_bp": _bp_rule(500.0),
    "stress_volatility_multiplier": _range_rule(1.0, 100.0),
    "impact_coefficient_normal": _range_rule(0.0, 100.0, lower_open=True),
    "impact_coefficient_stress": _range_rule(0.0, 100.0, lower_open=True),
    "legging_risk_aversion": _range_rule(0.0, 10.0),
    "default_age_years": _range_rule(0.0, 100.0),
}


def _show_parameter(value: Any) -> str:
    """A parameter for people: ``1,000,000,000``, ``4.691781``, ``0.005``, ``IG``."""
    if isinstance(value, str):
        return value
    v = float(value)
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    text = f"{v:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


#: Features of recently used bond sets (:meth:`BondLiquidityModel._bondset_features`):
#: each entry holds its model and bond set, so it serves only those very objects.
_FEATURES = IdentityCache(maxsize=64)


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

    Raises
    ------
    InputError
        For a parameter outside its range, naming it and the value. Ranges: bp
        parameters (``base_spread_bp``, ``yield_volatility_bp``) in [0.05, 500] (below
        0.05 bp the value was written as a decimal); decimals with the "looks like a
        percentage" check (``daily_turnover`` and ``treasury_daily_turnover`` in
        (0, 1] a day, ``volume_age_floor`` in [0, 1], ``duration_yield`` up to 1,
        ``age_premium`` in [0, 5]); stress multipliers of spread and volatility and the
        score ratios >= 1 (stress is not tighter, a liquid bond not wider); multipliers
        per tier in (0, 100]; ``size_elasticity`` in [0, 2]; ``k`` in (0, 100];
        ``legging_risk_aversion`` in [0, 10]; sizes > 0 with min <= max; years > 0.

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
    >>> BondLiquidityModel(daily_turnover=0.5 * 100)
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: BondLiquidityModel.daily_turnover: 50.0 looks like a percentage ...
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
        for f in fields(self):
            name = f.name
            value = getattr(self, name)
            if name in ("rating_multiplier", "volatility_multiplier"):
                object.__setattr__(self, name, _frozen_mapping(value, name))
            elif name == "default_rating":
                if not isinstance(value, str) or value not in RATING_TIERS:
                    raise InputError(
                        f"{where}.default_rating: {show(value)} is not a tier; use one of "
                        f"{list(RATING_TIERS)}"
                    )
            else:
                object.__setattr__(
                    self, name, _BOND_PARAMETER_RULES[name](value, f"{where}.{name}")
                )
        if self.min_issue_size_usd > self.max_issue_size_usd:
            raise InputError(
                f"{where}: min_issue_size_usd={show(self.min_issue_size_usd)} is above "
                f"max_issue_size_usd={show(self.max_issue_size_usd)}"
            )

    def __hash__(self) -> int:
        return hash(
            tuple(
                tuple(sorted(v.items())) if isinstance(v, Mapping) else v
                for v in (getattr(self, f.name) for f in fields(self))
            )
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # mappingproxy cannot be pickled: rebuild from plain dicts (multiprocessing, deepcopy)
        kwargs: dict[str, Any] = {
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
    def to_frame(self) -> pd.DataFrame:
        """Every parameter with its value, unit and source (one row per number).

        Returns
        -------
        pandas.DataFrame
            A new frame indexed by ``parameter`` (``rating_multiplier[BBB]`` for the
            entries of a mapping), with columns ``value``, ``unit`` and ``source``.

        Notes
        -----
        The units are those of the parameter names (``_bp``, ``_usd``, ``_years``;
        decimals without a suffix, ``x`` for multiples); the sources are the ones the
        class Notes cite.

        Examples
        --------
        >>> table = BondLiquidityModel().to_frame()
        >>> table.loc["base_spread_bp", ["value", "unit"]].tolist()
        [2.0, 'bp of yield']
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
        table = pd.DataFrame(rows, columns=["parameter", "value", "unit", "source"])
        return frame_copy(table.set_index("parameter"))

    def summary(self) -> Any:
        """The model at a glance: what it gives typical bonds, and every parameter.

        Returns
        -------
        statsmodels.iolib.summary2.Summary
            Prints as text, renders as HTML in Jupyter. The first table prices four
            typical bonds (bp and USD side by side, never in scientific notation); the
            second lists every parameter with its unit and source.

        Notes
        -----
        Typical bonds: a new $1bn A 5-year, a 3-year-old $500mm BBB 10-year, a new $500mm
        B 5-year and a seasoned $40bn Treasury 10-year; ``impact_10mm_bp`` is the
        square-root impact of a $10mm trade in normal times.

        Examples
        --------
        >>> text = str(BondLiquidityModel().summary())
        >>> "base_spread_bp" in text and "stress_bid_ask_bp" in text
        True
        """
        typical = pd.DataFrame(
            {
                "tier": ["A", "BBB", "B", "UST"],
                "years_to_maturity": [5.0, 10.0, 5.0, 10.0],
                "age_years": [0.0, 3.0, 0.0, 2.0],
                "issue_size_usd": [1e9, 5e8, 5e8, 4e10],
            },
            index=["A 5y new $1bn", "BBB 10y 3y-old $500mm", "B 5y new $500mm", "UST 10y $40bn"],
        )
        feat = self.features(typical)
        table = pd.DataFrame(
            {
                "bid_ask_bp": self.bid_ask_bp(feat, "normal").to_numpy(),
                "stress_bid_ask_bp": self.bid_ask_bp(feat, "stress").to_numpy(),
                "daily_volume_usd": self.daily_volume_usd(feat, "normal").to_numpy(),
                "daily_volatility_bp": self.daily_volatility_bp(feat, "normal").to_numpy(),
                "impact_10mm_bp": self.impact_bp(feat, 1e7, "normal").to_numpy(),
            },
            index=typical.index,
        )
        params = self.to_frame()
        params["value"] = [_show_parameter(v) for v in params["value"]]
        return make_summary(
            "BondLiquidityModel",
            [table, params],
            [
                "Full bid-ask, bp of price: base_spread_bp x rating x (duration + offset) x age "
                "x size x score factors (x stress_spread_multiplier in stress).",
                "Impact, bp of price: k x daily volatility x sqrt(notional / daily volume).",
                "Calibrated to SSGA's SPIB basket bid-ask: 14.6 bp normal, 68.5 bp from 24 Feb "
                "to 24 Mar 2020 (4.69x; Kargar et al. 2021: about 5x).",
            ],
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
        A frame that is already complete (this method's own output) is returned as it
        is, not copied.

        Examples
        --------
        >>> import pandas as pd
        >>> bonds = pd.DataFrame({"rating": ["Baa2"], "years_to_maturity": [10.0],
        ...                       "age_years": [2.0], "issue_size_usd": [5e8]}, index=["X1"])
        >>> feat = BondLiquidityModel().features(bonds)
        >>> feat["tier"].tolist(), feat["duration_years"].round(2).tolist()
        (['BBB'], [7.79])
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
                    f"{ids[i]}: {show(frame[column].iloc[i])}" for i in np.flatnonzero(bad)[:20]
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
                    f"{ids[int(i)]}: {show(frame['age_years'].iloc[i])}"
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
                    f"{ids[i]}: {show(frame['issue_size_usd'].iloc[i])}"
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
                        f"{ids[i]}: {show(v)}"
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
            ust = [is_us_treasury_cusip(ids[int(i)]) for i in no_tier]
            tier[no_tier[np.array(ust, dtype=np.bool_)]] = "UST"
            rest = no_tier[~np.array(ust, dtype=np.bool_)]
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
    def _scores(self, scores: Any, ids: pd.Index) -> np.ndarray | None:
        if scores is None:
            return None
        return per_bond(scores, ids, "scores", lower=0.0, upper=1.0)

    def _bid_ask(self, feat: pd.DataFrame, regime: str, s: np.ndarray | None) -> np.ndarray:
        tier = feat["tier"].to_numpy()
        mult = per_tier(tier, self.rating_multiplier)
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
        return np.asarray(ba, dtype=float)

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
        return np.asarray(adv, dtype=float)

    def _volatility(self, feat: pd.DataFrame, regime: str) -> np.ndarray:
        mult = per_tier(feat["tier"].to_numpy(), self.volatility_multiplier)
        sigma = self.yield_volatility_bp * mult * feat["duration_years"].to_numpy()
        if regime == "stress":
            sigma = sigma * self.stress_volatility_multiplier
        return np.asarray(sigma, dtype=float)

    def _k(self, regime: str) -> float:
        return (
            self.impact_coefficient_stress if regime == "stress" else self.impact_coefficient_normal
        )

    def _prepare(
        self, bonds: Any, regime: Any, scores: Any, settlement_date: Any, method: str
    ) -> tuple[pd.DataFrame, str, np.ndarray | None]:
        regime = check_regime(regime, f"BondLiquidityModel.{method}")
        feat = self._bondset_features(bonds, settlement_date)
        return feat, regime, self._scores(scores, feat.index)

    def _bondset_features(self, bonds: Any, settlement_date: Any) -> pd.DataFrame:
        """:meth:`features`, cached for a BondSet (read-only: the cost methods' own use).

        An entry holds the model and the bond set it was built from and is served only
        for those very objects and the same settlement day; features that warned (a
        default filled in) are not cached, so the warning comes every time.
        """
        if not isinstance(bonds, BondSet) or settlement_date is None:
            return self.features(bonds, settlement_date)
        settle = to_day(settlement_date, "settlement_date")
        key = ("features", id(self), id(bonds), int(settle))
        hit = _FEATURES.get(key, (self, bonds))
        if hit is not None:
            return hit
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            feat = self.features(bonds, settlement_date)
        for w in caught:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
        if not caught:
            _FEATURES.put(key, (self, bonds), feat)
        return feat

    # ------------------------------------------------------------------ public costs
    def bid_ask_bp(
        self,
        bonds: BondSet | pd.DataFrame,
        regime: str = "normal",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.Series:
        r"""Full bid-ask spread of each bond, bp of price (ask minus bid over mid).

        Parameters
        ----------
        bonds : BondSet or pandas.DataFrame
            See :meth:`features`.
        regime : {"normal", "stress"}
            The market regime (:data:`etfcore.state.REGIMES`).
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

        Notes
        -----
        :math:`b\,m_r\,(D + d_0)\,(1 + p(1 - e^{-a/\tau}))\,(S/S_0)^{-\epsilon}\,
        \rho^{1/2 - s}\,R` (class Notes): a yield spread times duration, by rating, age,
        size, score and regime.

        Examples
        --------
        >>> import pandas as pd
        >>> bonds = pd.DataFrame({"tier": ["A", "BB"], "years_to_maturity": [5.0, 5.0],
        ...                       "age_years": [1.0, 1.0], "issue_size_usd": [1e9, 5e8]},
        ...                      index=["X1", "X2"])
        >>> BondLiquidityModel().bid_ask_bp(bonds).round(2).tolist()
        [14.56, 34.63]
        >>> BondLiquidityModel().bid_ask_bp(bonds, "stress").round(2).tolist()
        [68.31, 162.47]
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

        Parameters and errors as :meth:`bid_ask_bp`; this is the method a market state
        calls (:class:`etfcore.state.BondLiquidityLike`).

        Returns
        -------
        pandas.Series
            ``half_spread_bp`` by bond id.

        Notes
        -----
        A bond's bid and ask are ``mid x (1 -/+ half_spread_bp / 1e4)``.

        Examples
        --------
        >>> import pandas as pd
        >>> bonds = pd.DataFrame({"tier": ["A"], "years_to_maturity": [5.0],
        ...                       "age_years": [1.0], "issue_size_usd": [1e9]}, index=["X1"])
        >>> round(float(BondLiquidityModel().half_spread_bp(bonds).iloc[0]), 2)
        7.28
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
        r"""Expected average daily volume of each bond, USD.

        Parameters and errors as :meth:`bid_ask_bp`.

        Returns
        -------
        pandas.Series
            ``daily_volume_usd`` by bond id.

        Notes
        -----
        :math:`V = \theta\,S\,\max(2^{-a/h}, f)\,\nu^{s - 1/2}`: ``daily_turnover``
        (``treasury_daily_turnover`` for Treasuries) x issue size (clipped below at
        ``min_issue_size_usd``) x age factor x score factor, times
        ``stress_volume_multiplier`` in stress.

        Examples
        --------
        >>> import pandas as pd
        >>> bonds = pd.DataFrame({"tier": ["A"], "years_to_maturity": [5.0],
        ...                       "age_years": [0.0], "issue_size_usd": [1e9]}, index=["X1"])
        >>> f"{float(BondLiquidityModel().daily_volume_usd(bonds).iloc[0]):,.0f}"
        '5,000,000'
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
        """Daily price volatility of each bond, bp of price.

        Parameters and errors as :meth:`bid_ask_bp` (no scores).

        Returns
        -------
        pandas.Series
            ``daily_volatility_bp`` by bond id.

        Notes
        -----
        ``yield_volatility_bp x volatility_multiplier[tier] x duration``, times
        ``stress_volatility_multiplier`` in stress.

        Examples
        --------
        >>> import pandas as pd
        >>> bonds = pd.DataFrame({"tier": ["A"], "years_to_maturity": [5.0],
        ...                       "duration_years": [4.5], "age_years": [1.0],
        ...                       "issue_size_usd": [1e9]}, index=["X1"])
        >>> float(BondLiquidityModel().daily_volatility_bp(bonds).iloc[0])
        27.0
        """
        feat, regime, _ = self._prepare(bonds, regime, None, settlement_date, "daily_volatility_bp")
        return pd.Series(
            self._volatility(feat, regime), index=feat.index, name="daily_volatility_bp"
        )

    @renamed_keywords(side="trade_side")
    def cost_breakdown(
        self,
        bonds: BondSet | pd.DataFrame,
        notional_usd: float | pd.Series | ArrayLike,
        regime: str = "normal",
        trade_side: str = "buy",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.DataFrame:
        r"""One-way trade cost of each bond with its components.

        Parameters
        ----------
        bonds : BondSet or pandas.DataFrame
            See :meth:`features`.
        notional_usd : float, pandas.Series or array-like
            Market value traded per bond, USD, >= 0: one number for every bond, a
            Series indexed by bond id (every bond, no others), or one value per bond.
        regime : {"normal", "stress"}
            The market regime.
        trade_side : {"buy", "sell"}
            Checked; the cost is the same positive number for both. (Formerly
            ``side=``, still accepted with a deprecation warning.)
        scores : pandas.Series or array-like, optional
            Liquidity scores, as in :meth:`bid_ask_bp`.
        settlement_date : date-like, optional
            Required for a BondSet.

        Returns
        -------
        pandas.DataFrame
            By bond id: ``notional_usd``, ``half_spread_bp``, ``daily_volume_usd``,
            ``daily_volatility_bp``, ``impact_bp``, ``cost_bp`` (half-spread + impact)
            and ``cost_usd``.

        Raises
        ------
        InputError
            For an unknown regime or trade side, a negative, NaN or infinite notional,
            a notional Series that does not match the bonds, and as :meth:`bid_ask_bp`.

        Notes
        -----
        Square-root impact :math:`I = k\,\sigma\sqrt{Q/V}` (``k`` by regime, daily
        volatility :math:`\sigma` in bp, notional :math:`Q` over daily volume
        :math:`V`); the one-way cost is :math:`\mathrm{BA}/2 + I` and
        ``cost_usd = cost_bp x notional_usd / 1e4``. A buyer pays
        ``mid x (1 + cost_bp / 1e4)``, a seller receives ``mid x (1 - cost_bp / 1e4)``.

        Examples
        --------
        >>> import pandas as pd
        >>> bonds = pd.DataFrame({"tier": ["A"], "years_to_maturity": [5.0],
        ...                       "age_years": [0.0], "issue_size_usd": [1e9]}, index=["X1"])
        >>> out = BondLiquidityModel().cost_breakdown(bonds, 5e6, "normal", "sell")
        >>> [round(float(out[c].iloc[0]), 2) for c in ("half_spread_bp", "impact_bp", "cost_bp")]
        [6.38, 7.88, 14.25]
        """
        check_trade_side(trade_side, "BondLiquidityModel.cost_breakdown")
        feat, regime, s = self._prepare(bonds, regime, scores, settlement_date, "cost_breakdown")
        q = per_bond(notional_usd, feat.index, "notional_usd", lower=0.0)
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
        r"""Square-root market impact of trading ``notional_usd`` of each bond, bp of price.

        Parameters and errors as :meth:`cost_breakdown` (no trade side: impact is the
        same for both).

        Returns
        -------
        pandas.Series
            ``impact_bp`` by bond id.

        Notes
        -----
        :math:`k\,\sigma\sqrt{Q/V}`: ``k(regime) x daily_volatility_bp x
        sqrt(notional_usd / daily_volume_usd)``; four times the notional, twice the
        impact.

        Examples
        --------
        >>> import pandas as pd
        >>> bonds = pd.DataFrame({"tier": ["A"], "years_to_maturity": [5.0],
        ...                       "age_years": [0.0], "issue_size_usd": [1e9]}, index=["X1"])
        >>> model = BondLiquidityModel()
        >>> small, big = (float(model.impact_bp(bonds, q).iloc[0]) for q in (1e6, 4e6))
        >>> round(big / small, 6)
        2.0
        """
        out = self.cost_breakdown(
            bonds, notional_usd, regime, "buy", scores, settlement_date=settlement_date
        )
        return out["impact_bp"].rename("impact_bp")

    def _impact_at(
        self, feat: pd.DataFrame, notional_usd: Any, regime: str, scores: Any = None
    ) -> np.ndarray:
        """:meth:`impact_bp`'s numbers from this model's own features frame (no checks of it)."""
        regime = check_regime(regime, "BondLiquidityModel.impact_bp")
        s = self._scores(scores, feat.index)
        q = per_bond(notional_usd, feat.index, "notional_usd", lower=0.0)
        adv = self._volume(feat, regime, s)
        sigma = self._volatility(feat, regime)
        return np.asarray(self._k(regime) * sigma * np.sqrt(q / adv), dtype=float)

    @renamed_keywords(side="trade_side")
    def cost_bp(
        self,
        bonds: BondSet | pd.DataFrame,
        notional_usd: float | pd.Series | ArrayLike,
        regime: str = "normal",
        trade_side: str = "buy",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.Series:
        """One-way cost against mid of trading ``notional_usd`` of each bond, bp of price.

        Parameters and errors as :meth:`cost_breakdown`.

        Returns
        -------
        pandas.Series
            ``cost_bp`` by bond id.

        Notes
        -----
        Half-spread plus square-root impact; positive for buys and sells.

        Examples
        --------
        >>> import pandas as pd
        >>> bonds = pd.DataFrame({"tier": ["A"], "years_to_maturity": [5.0],
        ...                       "age_years": [0.0], "issue_size_usd": [1e9]}, index=["X1"])
        >>> round(float(BondLiquidityModel().cost_bp(bonds, 5e6, trade_side="sell").iloc[0]), 2)
        14.25
        """
        out = self.cost_breakdown(
            bonds, notional_usd, regime, trade_side, scores, settlement_date=settlement_date
        )
        return out["cost_bp"].rename("cost_bp")

    @renamed_keywords(side="trade_side")
    def cost_usd(
        self,
        bonds: BondSet | pd.DataFrame,
        notional_usd: float | pd.Series | ArrayLike,
        regime: str = "normal",
        trade_side: str = "buy",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.Series:
        """One-way cost in USD of trading ``notional_usd`` of each bond.

        Parameters and errors as :meth:`cost_breakdown`.

        Returns
        -------
        pandas.Series
            ``cost_usd`` by bond id.

        Notes
        -----
        ``cost_bp x notional_usd / 1e4``.

        Examples
        --------
        >>> import pandas as pd
        >>> bonds = pd.DataFrame({"tier": ["A"], "years_to_maturity": [5.0],
        ...                       "age_years": [0.0], "issue_size_usd": [1e9]}, index=["X1"])
        >>> f"{float(BondLiquidityModel().cost_usd(bonds, 5e6).iloc[0]):,.0f}"
        '7,126'
        """
        out = self.cost_breakdown(
            bonds, notional_usd, regime, trade_side, scores, settlement_date=settlement_date
        )
        return out["cost_usd"].rename("cost_usd")

    @renamed_keywords(side="trade_side")
    def legging_breakdown(
        self,
        bonds: BondSet | pd.DataFrame,
        notional_usd: float | pd.Series | ArrayLike,
        days: float,
        regime: str = "normal",
        trade_side: str = "buy",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.DataFrame:
        r"""Cost of trading each bond alone, in equal pieces over ``days`` days, with components.

        Parameters
        ----------
        bonds, notional_usd, regime, trade_side, scores, settlement_date
            As in :meth:`cost_breakdown`.
        days : float
            Trading horizon in days, in (0, 260] (fractions allowed: 0.5 is half a day).

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
            For ``days`` outside (0, 260], and as :meth:`cost_breakdown`.

        Notes
        -----
        Each daily piece pays the half-spread and the impact of a trade of
        :math:`Q/n`, i.e. :math:`k\sigma\sqrt{Q/(nV)}`; the position still held while
        waiting carries price risk whose variance under an even schedule is
        :math:`\sigma^2 Q^2 n / 3` (Almgren and Chriss 2001, "Optimal Execution of
        Portfolio Transactions", Journal of Risk 3(2)); ``legging_risk_aversion``
        standard deviations of it are charged. Longer horizons cut impact and add risk.

        Examples
        --------
        >>> import pandas as pd
        >>> bonds = pd.DataFrame({"tier": ["A"], "years_to_maturity": [5.0],
        ...                       "age_years": [0.0], "issue_size_usd": [1e9]}, index=["X1"])
        >>> out = BondLiquidityModel().legging_breakdown(bonds, 2e7, days=3)
        >>> [round(float(out[c].iloc[0]), 2) for c in ("impact_bp", "risk_bp", "legging_cost_bp")]
        [9.1, 13.13, 28.6]
        """
        n_days = bounded(days, "days", lower=0.0, upper=260.0, lower_open=True)
        out = self.cost_breakdown(
            bonds, notional_usd, regime, trade_side, scores, settlement_date=settlement_date
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

    @renamed_keywords(side="trade_side")
    def legging_cost_bp(
        self,
        bonds: BondSet | pd.DataFrame,
        notional_usd: float | pd.Series | ArrayLike,
        days: float,
        regime: str = "normal",
        trade_side: str = "buy",
        scores: pd.Series | ArrayLike | None = None,
        *,
        settlement_date: Any = None,
    ) -> pd.Series:
        """Cost of trading each bond alone over ``days`` days, bp of price.

        Parameters and errors as :meth:`legging_breakdown`.

        Returns
        -------
        pandas.Series
            ``legging_cost_bp`` by bond id.

        Notes
        -----
        Half-spread + impact of ``notional / days`` a day + ``legging_risk_aversion x
        sigma x sqrt(days / 3)``. See :meth:`legging_breakdown`.

        Examples
        --------
        >>> import pandas as pd
        >>> bonds = pd.DataFrame({"tier": ["A"], "years_to_maturity": [5.0],
        ...                       "age_years": [0.0], "issue_size_usd": [1e9]}, index=["X1"])
        >>> model = BondLiquidityModel()
        >>> [round(float(model.legging_cost_bp(bonds, 2e7, d).iloc[0]), 2) for d in (1, 3, 10)]
        [29.71, 28.6, 35.33]
        """
        out = self.legging_breakdown(
            bonds, notional_usd, days, regime, trade_side, scores, settlement_date=settlement_date
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
        bonds, regime, scores, settlement_date
            As in :meth:`bid_ask_bp`.
        weights : pandas.Series or array-like
            Market-value weights per bond, >= 0, not all zero (normalised here): a
            Series indexed by bond id (every bond, no others) or one per bond in order.

        Returns
        -------
        float
            ``sum(w_i x bid_ask_bp_i) / sum(w_i)``.

        Raises
        ------
        InputError
            For weights that are negative, NaN, all zero or do not match the bonds, and
            as :meth:`bid_ask_bp`.

        Notes
        -----
        This is the figure the calibration targets: SSGA quotes SPIB's basket at
        14.6 bp in normal times and 68.5 bp from 24 Feb to 24 Mar 2020.

        Examples
        --------
        >>> import pandas as pd
        >>> bonds = pd.DataFrame({"tier": ["A", "BB"], "years_to_maturity": [5.0, 5.0],
        ...                       "age_years": [1.0, 1.0], "issue_size_usd": [1e9, 5e8]},
        ...                      index=["X1", "X2"])
        >>> round(BondLiquidityModel().basket_bid_ask_bp(bonds, [3.0, 1.0]), 2)
        19.58
        """
        ba = self.bid_ask_bp(bonds, regime, scores, settlement_date=settlement_date)
        w = _weights(weights, ba.index)
        return float(np.dot(w, ba.to_numpy()))


#: Marks a model whose costs of each bond depend on that bond alone (not on the other
#: bonds of the set): the market may cost all its bonds once and slice. A subclass is
#: not marked (it may override that); it opts in by setting it to itself.
BondLiquidityModel._ELEMENTWISE_MODEL = BondLiquidityModel  # type: ignore[attr-defined]


def _weights(weights: Any, ids: pd.Index) -> np.ndarray:
    """Market-value weights, one per bond, >= 0 and normalised to sum to 1."""
    if weights is None:
        raise InputError("weights: None; give one market-value weight per bond")
    if np.ndim(weights) == 0:
        raise InputError(f"weights: {show(weights)} is a single number; give one weight per bond")
    w = per_bond(weights, ids, "weights", lower=0.0)
    total = w.sum()
    if total <= 0:
        raise InputError(f"weights: add up to {show(total)}; give positive weights")
    return w / total


#: The bond model with calibrated defaults: the issue-size-weighted bid-ask of the IG bonds
#: with 1-10 years left in ``synthetic_universe(seed=0)`` is SPIB's 14.6 bp normal, 68.5 bp
#: in stress (tested).
DEFAULT_BOND_MODEL = BondLiquidityModel()

__all__ = ["DEFAULT_BOND_MODEL", "BondLiquidityModel", "par_duration"]
