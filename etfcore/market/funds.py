"""The synthetic ETFs: which bonds each one holds, how much, and its trading facts.

Each ETF of :func:`etfcore.market.synthetic_market` follows an index-like rule
(:data:`ETF_RULES`), applied to the synthetic universe in the same way:

1. **Eligible bonds**: the rule's grade (IG, HY or UST), years to maturity at
   settlement in ``[min_years, max_years)`` and issue size at least
   ``min_issue_size_usd``.
2. **Weights by market value**: each eligible bond's weight is its issue size times
   its mid dirty price -- the market-value weighting of the bond indices these funds
   track -- with, where the index has one, an issuer cap (3% for the iBoxx liquid
   indices): a capped issuer's bonds are scaled down together and the excess spread
   over the other issuers in proportion.
3. **Par**: the fund's bond value (net assets less its cash weight) times the weight,
   over the dirty price, rounded to $1,000: the fund owns the same share of every
   issue (less for capped issuers).
4. **Shares**: net assets (mid) over the target NAV per share, rounded to a whole
   number of creation units; accrued management fees are half a month of the expense
   ratio.

The trading facts (expense ratio, creation unit, fees, volume, quoted spread,
volatility) are the real fund's, where a source was at hand; each rule's ``sources``
says which numbers come from where and which are assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from .._results import make_summary
from .._validation import decimal, non_negative, positive
from ..errors import InputError
from ..fund.etf import ETF, MAX_EXPENSE_RATIO, CreationFees

__all__ = [
    "ACCRUED_EXPENSE_DAYS",
    "ETF_RULES",
    "STRESS_QUOTED_SPREAD_MULTIPLIER",
    "EtfRule",
    "build_etf",
    "cap_issuer_weights",
    "eligible_bonds",
    "etf_liquidity_model",
]

_DAYS_PER_YEAR = 365.25
#: SPIB's quoted spread in stress over normal (8.8 / 2.8 bp, SSGA; DESIGN.md): applied to
#: every synthetic ETF's quoted spread in the stress regime.
STRESS_QUOTED_SPREAD_MULTIPLIER = 8.8 / 2.8
#: Days of the expense ratio accrued and unpaid on the as-of date (fees are paid monthly).
ACCRUED_EXPENSE_DAYS = 15


@dataclass(frozen=True)
class EtfRule:
    """How one synthetic ETF is drawn from the universe, and its trading facts.

    Parameters
    ----------
    name, like : str
        The ETF's name in the market and the real funds it imitates.
    grade : str
        ``"IG"``, ``"HY"`` or ``"UST"``: the universe it draws from.
    min_years, max_years : float
        Years to maturity at settlement, ``min_years <= T < max_years``.
    min_issue_size_usd : float
        Smallest issue eligible.
    issuer_cap : float or None
        Largest weight of one issuer (fraction of bond value), or None.
    net_assets_usd : float
        Target net assets (AUM), USD.
    nav_per_share : float
        Target NAV per share (mid), USD; shares outstanding follow.
    cash_weight : float
        Cash as a fraction of net assets.
    creation_unit_size : int
    expense_ratio : float
        Decimal per year.
    fees : CreationFees
    adv_shares : float
        Average daily volume, shares.
    quoted_spread_bp : float
        Quoted bid-ask in normal times, bp of price.
    adv_stress_multiplier : float
        Dollar volume in stress over normal.
    daily_volatility_bp_normal, daily_volatility_bp_stress : float
        Daily price volatility, bp.
    description, sources : str

    Raises
    ------
    InputError
        For a ratio (``cash_weight``, ``issuer_cap``, ``expense_ratio``) that looks like
        percent, negative sizes or an empty maturity range.

    Examples
    --------
    >>> rule = ETF_RULES["IG_BROAD"]
    >>> rule.grade, rule.issuer_cap
    ('IG', 0.03)
    """

    name: str
    like: str
    grade: str
    min_years: float
    max_years: float
    min_issue_size_usd: float
    issuer_cap: float | None
    net_assets_usd: float
    nav_per_share: float
    cash_weight: float
    creation_unit_size: int
    expense_ratio: float
    fees: CreationFees
    adv_shares: float
    quoted_spread_bp: float
    adv_stress_multiplier: float
    daily_volatility_bp_normal: float
    daily_volatility_bp_stress: float
    description: str = ""
    sources: str = ""

    def __post_init__(self) -> None:
        for name in ("min_years", "min_issue_size_usd", "adv_shares", "quoted_spread_bp"):
            object.__setattr__(self, name, non_negative(getattr(self, name), name))
        for name in (
            "net_assets_usd",
            "nav_per_share",
            "adv_stress_multiplier",
            "daily_volatility_bp_normal",
            "daily_volatility_bp_stress",
        ):
            object.__setattr__(self, name, positive(getattr(self, name), name))
        if not self.max_years > self.min_years:
            raise InputError(
                f"{self.name}: max_years {self.max_years!r} must exceed min_years "
                f"{self.min_years!r}"
            )
        object.__setattr__(
            self, "cash_weight", decimal(self.cash_weight, "cash_weight", lower=0.0, upper=1.0)
        )
        if self.issuer_cap is not None:
            cap = decimal(self.issuer_cap, "issuer_cap", lower=0.0, upper=1.0)
            if cap <= 0:
                raise InputError(f"issuer_cap: {cap!r} must be > 0 (a fraction; None for no cap)")
            object.__setattr__(self, "issuer_cap", cap)
        object.__setattr__(
            self,
            "expense_ratio",
            decimal(self.expense_ratio, "expense_ratio", limit=MAX_EXPENSE_RATIO, lower=0.0),
        )

    def summary(self) -> Any:
        """The rule's numbers (one row per field), as a statsmodels ``Summary``.

        Examples
        --------
        >>> "issuer_cap" in str(ETF_RULES["IG_BROAD"].summary())
        True
        """
        return make_summary(f"ETF rule {self.name}", [self.to_series()])

    def to_series(self) -> pd.Series:
        """The rule's numbers as a Series (one row per field, units in the names).

        Examples
        --------
        >>> ETF_RULES["HY"].to_series()["grade"]
        'HY'
        """
        out = {
            "like": self.like,
            "grade": self.grade,
            "years_to_maturity": f"[{self.min_years:g}, {self.max_years:g})",
            "min_issue_size_usd": self.min_issue_size_usd,
            "issuer_cap": self.issuer_cap,
            "net_assets_usd": self.net_assets_usd,
            "nav_per_share": self.nav_per_share,
            "cash_weight": self.cash_weight,
            "creation_unit_size": self.creation_unit_size,
            "expense_ratio": self.expense_ratio,
            "fixed_fee_usd": self.fees.fixed_usd,
            "cash_charge_bp": self.fees.cash_bp,
            "custom_charge_bp": self.fees.custom_bp,
            "adv_shares": self.adv_shares,
            "quoted_spread_bp": self.quoted_spread_bp,
        }
        return pd.Series(out, name=self.name, dtype=object)


# Sources used below (the bundled files are in shared/data/real, see its SOURCES.md):
#   [aum]   etf_aum_snapshot_2026.csv, 2026-04-03 (LQD $30.87bn, HYG $16.60bn, IEF $48.98bn)
#   [shr]   etf_shares_outstanding_2025-2026.csv, 2026-03-30 prices (HYG 78.81, IEF 95.27)
#   [nav]   lqd_nav_daily_ishares_*.csv: LQD NAV 110.46 on 2025-12-17
#   [yf25]  etf_futures_daily_yfinance_adjusted_*: median daily volume in 2025 (LQD 28.1mm
#           shares, HYG 35.6mm)
#   [ohlcv] etf_ohlcv_2016-04_2021-04_unadjusted_close: median daily volume in 2019
#           (IEF 3.8mm, VCIT 1.5mm, VCSH 1.4mm shares); daily volatility of the adjusted
#           close in 2019 and from 24 Feb to 24 Mar 2020 (LQD 30.6 / 301 bp, VCSH 10.2 /
#           155, VCIT 22.5 / 202, JNK 28.2 / 248, IEF 33.7 / 126); dollar volume in that
#           window over 2019's (LQD 2.92, VCSH 3.86, VCIT 3.21, JNK 2.46, IEF 2.59)
#   [fact]  issuers' fact sheets / prospectuses (expense ratios: LQD 0.14%, VCSH 0.03%,
#           VCIT 0.03%, HYG 0.49%, IEF 0.15%; index rules: iBoxx $ Liquid IG >= 3 years,
#           3% issuer cap; Bloomberg 1-5 and 5-10 year corporate, >= $300mm; iBoxx $ Liquid
#           HY, 3% issuer cap)
#   quoted spreads: one cent over the share price (the usual quote of these funds)
#   creation units and fees: assumed, within the ranges in DESIGN.md (50,000-100,000
#           shares; a fixed fee of a few hundred dollars; cash charges near the cost of
#           trading the bonds).
_RULES = (
    EtfRule(
        name="IG_BROAD",
        like="LQD",
        grade="IG",
        min_years=3.0,
        max_years=np.inf,
        min_issue_size_usd=300e6,
        issuer_cap=0.03,
        net_assets_usd=30.9e9,
        nav_per_share=110.0,
        cash_weight=0.010,
        creation_unit_size=100_000,
        expense_ratio=0.0014,
        fees=CreationFees(fixed_usd=350.0, in_kind_bp=0.0, cash_bp=15.0, custom_bp=3.0),
        adv_shares=28.1e6,
        quoted_spread_bp=0.91,
        adv_stress_multiplier=2.92,
        daily_volatility_bp_normal=30.6,
        daily_volatility_bp_stress=301.0,
        description="broad investment-grade corporates, 3 years and longer (like LQD)",
        sources=(
            "net assets [aum] LQD; NAV [nav] LQD 2025-12-17; expense ratio [fact]; ADV [yf25]; "
            "volatility and stress volume [ohlcv] LQD; cash 1% as in the LQD holdings file "
            "(1.17% money market and cash); issue size floor $300mm instead of iBoxx's "
            "$750mm so that about 2,500 of the synthetic universe's bonds qualify; creation "
            "unit and fees assumed"
        ),
    ),
    EtfRule(
        name="IG_SHORT",
        like="VCSH/IGSB",
        grade="IG",
        min_years=1.0,
        max_years=5.0,
        min_issue_size_usd=300e6,
        issuer_cap=None,
        net_assets_usd=35e9,
        nav_per_share=79.0,
        cash_weight=0.005,
        creation_unit_size=50_000,
        expense_ratio=0.0003,
        fees=CreationFees(fixed_usd=250.0, in_kind_bp=0.0, cash_bp=8.0, custom_bp=2.0),
        adv_shares=1.4e6,
        quoted_spread_bp=1.27,
        adv_stress_multiplier=3.86,
        daily_volatility_bp_normal=10.2,
        daily_volatility_bp_stress=155.0,
        description="investment-grade corporates with 1-5 years left (like VCSH, IGSB)",
        sources=(
            "expense ratio [fact] VCSH; ADV, volatility and stress volume [ohlcv] VCSH; net "
            "assets (~$35bn) and NAV (~$79) approximate VCSH values for 2025, not in the "
            "bundled data; index rule Bloomberg US 1-5 Year Corporate; creation unit and fees "
            "assumed"
        ),
    ),
    EtfRule(
        name="IG_INTERMEDIATE",
        like="VCIT/SPIB",
        grade="IG",
        min_years=5.0,
        max_years=10.0,
        min_issue_size_usd=300e6,
        issuer_cap=None,
        net_assets_usd=55e9,
        nav_per_share=83.0,
        cash_weight=0.005,
        creation_unit_size=50_000,
        expense_ratio=0.0003,
        fees=CreationFees(fixed_usd=250.0, in_kind_bp=0.0, cash_bp=12.0, custom_bp=3.0),
        adv_shares=1.5e6,
        quoted_spread_bp=1.2,
        adv_stress_multiplier=3.21,
        daily_volatility_bp_normal=22.5,
        daily_volatility_bp_stress=202.0,
        description="investment-grade corporates with 5-10 years left (like VCIT, SPIB)",
        sources=(
            "expense ratio [fact] VCIT; ADV, volatility and stress volume [ohlcv] VCIT; net "
            "assets (~$55bn) and NAV (~$83) approximate VCIT values for 2024-25, not in the "
            "bundled data; index rule Bloomberg US 5-10 Year Corporate; creation unit and "
            "fees assumed"
        ),
    ),
    EtfRule(
        name="HY",
        like="HYG",
        grade="HY",
        min_years=1.0,
        max_years=np.inf,
        min_issue_size_usd=300e6,
        issuer_cap=0.03,
        net_assets_usd=16.6e9,
        nav_per_share=79.0,
        cash_weight=0.010,
        creation_unit_size=100_000,
        expense_ratio=0.0049,
        fees=CreationFees(fixed_usd=350.0, in_kind_bp=0.0, cash_bp=40.0, custom_bp=10.0),
        adv_shares=35.6e6,
        quoted_spread_bp=1.27,
        adv_stress_multiplier=2.46,
        daily_volatility_bp_normal=28.2,
        daily_volatility_bp_stress=248.0,
        description="high-yield corporates, 1 year and longer (like HYG)",
        sources=(
            "net assets [aum] HYG; NAV [shr] HYG; expense ratio [fact]; ADV [yf25] HYG; "
            "volatility and stress volume [ohlcv] JNK (HYG is not in that file); issue size "
            "floor $300mm instead of iBoxx's $400mm so that about 1,200 bonds qualify; "
            "creation unit and fees assumed"
        ),
    ),
    EtfRule(
        name="TREASURY",
        like="IEF",
        grade="UST",
        min_years=7.0,
        max_years=10.0,
        min_issue_size_usd=0.0,
        issuer_cap=None,
        net_assets_usd=49.0e9,
        nav_per_share=95.3,
        cash_weight=0.002,
        creation_unit_size=100_000,
        expense_ratio=0.0015,
        fees=CreationFees(fixed_usd=100.0, in_kind_bp=0.0, cash_bp=2.0, custom_bp=1.0),
        adv_shares=3.8e6,
        quoted_spread_bp=1.05,
        adv_stress_multiplier=2.59,
        daily_volatility_bp_normal=33.7,
        daily_volatility_bp_stress=126.0,
        description="US Treasury notes and bonds with 7-10 years left (like IEF)",
        sources=(
            "net assets [aum] IEF; NAV [shr] IEF; expense ratio [fact]; ADV, volatility and "
            "stress volume [ohlcv] IEF; index rule ICE US Treasury 7-10 Year; creation unit "
            "and fees assumed"
        ),
    ),
)
#: The rules of the synthetic ETFs, by name (read-only).
ETF_RULES = MappingProxyType({r.name: r for r in _RULES})


def eligible_bonds(attributes: pd.DataFrame, years_to_maturity: np.ndarray, rule: EtfRule):
    """Boolean mask of the bonds ``rule`` may hold.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> attrs = pd.DataFrame({"grade": ["IG", "HY"], "issue_size_usd": [1e9, 1e9]})
    >>> eligible_bonds(attrs, np.array([5.0, 5.0]), ETF_RULES["IG_BROAD"]).tolist()
    [True, False]
    """
    grade = attributes["grade"].to_numpy()
    size = attributes["issue_size_usd"].to_numpy(dtype=float)
    t = np.asarray(years_to_maturity, dtype=float)
    return (
        (grade == rule.grade)
        & (t >= rule.min_years)
        & (t < rule.max_years)
        & (size >= rule.min_issue_size_usd)
    )


def cap_issuer_weights(weights: np.ndarray, issuer: np.ndarray, cap: float | None) -> np.ndarray:
    """Weights (summing to 1) with no issuer above ``cap``; excess goes pro rata to the rest.

    Raises
    ------
    InputError
        If the cap cannot be met (fewer than ``1 / cap`` issuers).

    Examples
    --------
    >>> import numpy as np
    >>> w = cap_issuer_weights(np.array([6.0, 2.0, 2.0]), np.array(["a", "b", "c"]), 0.4)
    >>> np.round(w, 6).tolist()
    [0.4, 0.3, 0.3]
    """
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    if cap is None:
        return w
    codes, inverse = np.unique(issuer, return_inverse=True)
    if len(codes) * cap < 1.0:
        raise InputError(
            f"issuer_cap: {cap!r} cannot be met by {len(codes)} issuers; need at least "
            f"{int(np.ceil(1 / cap))}"
        )
    capped = np.zeros(len(codes), dtype=bool)
    for _ in range(len(codes)):
        by_issuer = np.bincount(inverse, weights=w, minlength=len(codes))
        over = (by_issuer > cap * (1 + 1e-12)) & ~capped
        if not over.any():
            break
        capped |= over
        scale = np.ones(len(codes))
        scale[capped] = cap / by_issuer[capped]
        w = w * scale[inverse]
        free = ~capped[inverse]
        w[free] *= (1.0 - cap * capped.sum()) / w[free].sum()
    return w


def build_etf(
    rule: EtfRule,
    attributes: pd.DataFrame,
    ids: pd.Index,
    years_to_maturity: np.ndarray,
    dirty_price: np.ndarray,
) -> ETF:
    """Draw one ETF from the universe by ``rule`` (see the module notes).

    Parameters
    ----------
    rule : EtfRule
    attributes : pandas.DataFrame
        The universe's ``bonds.attributes`` (grade, issuer, issue_size_usd).
    ids : pandas.Index
        Bond ids, in the order of ``attributes``.
    years_to_maturity, dirty_price : numpy.ndarray
        At settlement; mid dirty price per 100 face.

    Raises
    ------
    InputError
        If no bond is eligible, or the fund would own more than the whole of an issue.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> m.etfs["IG_BROAD"].name
    'IG_BROAD'
    """
    mask = eligible_bonds(attributes, years_to_maturity, rule)
    pos = np.flatnonzero(mask)
    if pos.size == 0:
        raise InputError(f"{rule.name}: no bond of the universe meets its rule")
    size = attributes["issue_size_usd"].to_numpy(dtype=float)[pos]
    dirty = np.asarray(dirty_price, dtype=float)[pos]
    issuer = attributes["issuer"].to_numpy()[pos]
    w = cap_issuer_weights(size * dirty, issuer, rule.issuer_cap)
    bond_value = rule.net_assets_usd * (1.0 - rule.cash_weight)
    par = np.round(bond_value * w / (dirty / 100.0), -3)
    share = par / size
    if share.max() > 1.0:
        i = int(np.argmax(share))
        raise InputError(
            f"{rule.name}: would own {share[i]:.0%} of bond {ids[pos[i]]}; lower net_assets_usd"
        )
    keep = par > 0
    holdings = pd.Series(par[keep], index=ids[pos[keep]], name="par_usd")
    bonds_usd = float(np.dot(par, dirty) / 100.0)
    cash = rule.net_assets_usd * rule.cash_weight
    gross = bonds_usd + cash
    accrued_expenses = gross * rule.expense_ratio * ACCRUED_EXPENSE_DAYS / 365.0
    net = gross - accrued_expenses
    units = max(1, int(round(net / rule.nav_per_share / rule.creation_unit_size)))
    return ETF(
        name=rule.name,
        holdings=holdings,
        shares_outstanding=float(units * rule.creation_unit_size),
        creation_unit_size=rule.creation_unit_size,
        cash_usd=cash,
        accrued_expenses_usd=accrued_expenses,
        expense_ratio=rule.expense_ratio,
        fees=rule.fees,
        adv_shares=rule.adv_shares,
        quoted_spread_bp=rule.quoted_spread_bp,
        description=f"synthetic {rule.description}",
    )


def etf_liquidity_model(rule: EtfRule, nav_per_share: float) -> Any:
    """The :class:`~etfcore.liquidity.EtfLiquidityModel` of a synthetic ETF.

    Quoted spread from the rule (times SPIB's 8.8 / 2.8 in stress), dollar volume
    ``adv_shares x NAV`` (times the rule's stress multiplier), volatility from the rule.

    Examples
    --------
    >>> model = etf_liquidity_model(ETF_RULES["IG_BROAD"], 110.0)
    >>> model.half_spread_bp("normal") == ETF_RULES["IG_BROAD"].quoted_spread_bp / 2
    True
    """
    from ..liquidity import EtfLiquidityModel

    adv_usd = rule.adv_shares * nav_per_share
    return EtfLiquidityModel(
        quoted_spread_bp_normal=rule.quoted_spread_bp,
        quoted_spread_bp_stress=rule.quoted_spread_bp * STRESS_QUOTED_SPREAD_MULTIPLIER,
        adv_usd_normal=adv_usd,
        adv_usd_stress=adv_usd * rule.adv_stress_multiplier,
        daily_volatility_bp_normal=rule.daily_volatility_bp_normal,
        daily_volatility_bp_stress=rule.daily_volatility_bp_stress,
        name=f"{rule.name} ({rule.like}-like)",
    )
