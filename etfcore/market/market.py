"""Markets that carry their ETFs: the seeded synthetic market, and markets from real files.

:class:`Market` is a :class:`~etfcore.fund.MarketState` (bonds, curve, z-spreads,
settlement, bond liquidity, regime) that also carries the ETFs priced in it, their
trading models and the trade date; every fund and primary-market function takes it
directly. :class:`SyntheticMarket` adds the seed and the spread curves its universe was
drawn from. :func:`synthetic_market` builds one, the same on any machine for the same
seed.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from ..bonds.dates import to_day, to_timestamps
from ..errors import InputError
from ..fund.etf import ETF
from ..state import IdentityCache, MarketState, check_regime
from .funds import ETF_RULES, build_etf, etf_liquidity_model
from .synthetic import (
    DEFAULT_AS_OF,
    SECTOR_SPREAD_BP,
    spread_curve_bp,
    spread_curves,
    synthetic_universe,
)

__all__ = [
    "N_HY",
    "N_IG",
    "Market",
    "SyntheticMarket",
    "synthetic_market",
]

#: Bonds in the synthetic market's IG and HY universes (about 600 and 375 issuers); the
#: Treasury universe adds about 340 notes and bonds.
N_IG = 4000
N_HY = 1500
_DAYS_PER_YEAR = 365.25


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class Market(MarketState):
    """A market state that carries the ETFs priced in it.

    Parameters
    ----------
    bonds, curve, z_spread, settlement, liquidity, regime, liquidity_scores, etf_liquidity
        As :class:`~etfcore.state.MarketState` (the first five may be positional);
        ``etf_liquidity`` names only ETFs of ``etfs``.
    etfs : dict of str to ETF
        The funds of this market, by name; every holding is a bond of ``bonds``.
    as_of : date-like, optional
        Trade date (settlement is T+1).
    source : str
        How the market was built: the data, the curve, the assumptions.

    Notes
    -----
    :meth:`with_curve`, :meth:`with_spreads`, :meth:`with_spread_shift` and
    :meth:`with_regime` return a market of the same class with the same ETFs.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> isinstance(m, Market), m.etf("HY").name
    (True, 'HY')
    """

    etfs: dict[str, ETF] = field(default_factory=dict)
    as_of: Any = None
    source: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.etfs, Mapping):
            raise InputError(
                f"etfs: expected a dict of name -> ETF, got {type(self.etfs).__name__}"
            )
        for key, etf in self.etfs.items():
            if not isinstance(etf, ETF):
                raise InputError(f"etfs[{key!r}]: expected an ETF, got {type(etf).__name__}")
            if etf.name != key:
                raise InputError(f"etfs[{key!r}]: the ETF is named {etf.name!r}; use its name")
        unknown = sorted(set(self.etf_liquidity) - set(self.etfs))
        if unknown:
            raise InputError(
                f"etf_liquidity: no ETF named {unknown}; the ETFs are {list(self.etfs)}"
            )
        if self.as_of is not None:
            object.__setattr__(self, "as_of", to_day(self.as_of, "as_of"))

    @property
    def as_of_timestamp(self) -> pd.Timestamp | None:
        """The trade (as-of) date as a pandas Timestamp (None when not set).

        Examples
        --------
        >>> synthetic_market(seed=0).as_of_timestamp
        Timestamp('2026-01-15 00:00:00')
        """
        if self.as_of is None:
            return None
        return cast(pd.Timestamp, to_timestamps(np.int64(self.as_of)))

    # ------------------------------------------------------------------ display
    def _counts(self) -> str:
        grades = self.bonds.attributes.get("grade")
        if grades is None:
            return f"{len(self.bonds):,} bonds"
        g = grades.value_counts()
        parts = ", ".join(f"{g[k]:,} {k}" for k in ("IG", "HY", "UST") if k in g)
        return f"{len(self.bonds):,} bonds ({parts})" if parts else f"{len(self.bonds):,} bonds"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self._counts()}; ETFs {list(self.etfs)}; settlement "
            f"{to_timestamps(np.int64(self.settlement)):%Y-%m-%d}; regime {self.regime!r})"
        )

    # ------------------------------------------------------------------ lookups
    def etf(self, name: str) -> ETF:
        """The ETF called ``name``; InputError naming the ETFs there are.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> synthetic_market(seed=0).etf("IG_SHORT").name
        'IG_SHORT'
        """
        try:
            return self.etfs[name]
        except (KeyError, TypeError):
            raise InputError(
                f"etf: no ETF named {name!r}; the ETFs are {list(self.etfs)}"
            ) from None

    @property
    def universe(self) -> pd.DataFrame:
        """Every bond with its reference data, years to maturity and z-spread (bp).

        Columns: ``coupon_rate``, ``maturity_date``, ``years_to_maturity``,
        ``z_spread_bp`` and the bonds' attributes (issuer, sector, rating, grade,
        issue_size_usd, age_years for the synthetic market). A copy.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> "z_spread_bp" in synthetic_market(seed=0).universe
        True
        """
        key = ("universe", self.settlement)
        deps = (self.bonds, self.z_spread)
        hit = self._cache.get(key, deps)
        if hit is not None:
            return hit.copy()
        b = self.bonds
        frame = pd.DataFrame(
            {
                "coupon_rate": b.coupon_rate,
                "maturity_date": to_timestamps(b.maturity),
                "years_to_maturity": (b.maturity - self.settlement) / _DAYS_PER_YEAR,
                "z_spread_bp": self.z_spread.to_numpy() * 1e4,
            },
            index=b.ids,
        )
        frame = pd.concat([frame, b.attributes], axis=1)
        self._cache.put(key, deps, frame)
        return frame.copy()

    def etf_summary(self) -> pd.DataFrame:
        """One row per ETF: holdings, net assets, NAV on three sides, risk and trading facts.

        Duration, yield and z-spread are market-value weighted over the bonds (mid);
        yield is to maturity (HY bonds' calls are not exercised). Risk figures come
        from :func:`etfcore.fund.fund_risk`.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> table = synthetic_market(seed=0).etf_summary()
        >>> bool((table["nav_bid"] < table["nav_ask"]).all())
        True
        """
        from ..fund.risk import fund_risk

        rows = {}
        for name, etf in self.etfs.items():
            risk = fund_risk(etf, self)
            hf = risk.by_bond
            t = risk.totals
            navs = etf.navs(self)
            net = float(navs["mid"] * etf.shares_outstanding)
            rows[name] = {
                "bonds": len(hf),
                "issuers": hf["issuer"].nunique() if "issuer" in hf else np.nan,
                "net_assets_usd_bn": net / 1e9,
                "shares_outstanding_mm": etf.shares_outstanding / 1e6,
                "nav_bid": navs["bid"],
                "nav_mid": navs["mid"],
                "nav_ask": navs["ask"],
                "bid_ask_width_bp": (navs["ask"] / navs["bid"] - 1.0) * 1e4,
                "modified_duration": float(t["modified_duration"]),
                "spread_duration": float(t["spread_duration"]),
                "yield_to_maturity": float(t["yield_to_maturity"]),
                "z_spread_bp": float(t["z_spread"]) * 1e4,
                "cash_weight": etf.cash_usd / net,
                "creation_unit_size": etf.creation_unit_size,
                "expense_ratio": etf.expense_ratio,
                "quoted_spread_bp": etf.quoted_spread_bp,
                "adv_shares_mm": etf.adv_shares / 1e6,
            }
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.index.name = "etf"
        return out


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class SyntheticMarket(Market):
    """The seeded synthetic market of :func:`synthetic_market`.

    Attributes
    ----------
    seed : int
    spread_curves : pandas.DataFrame
        Median z-spread (bp) by rating (rows) and years to maturity (columns) that the
        corporate universe's spreads were drawn around; add ``sector_spread_bp``.
    sector_spread_bp : pandas.Series
        Spread adjustment by sector, bp.

    Examples
    --------
    >>> m = synthetic_market(seed=0)
    >>> type(m).__name__, m.seed
    ('SyntheticMarket', 0)
    """

    seed: int = 0
    spread_curves: pd.DataFrame = field(default_factory=spread_curves)
    sector_spread_bp: pd.Series = field(
        default_factory=lambda: pd.Series(SECTOR_SPREAD_BP, name="sector_spread_bp")
    )

    def __repr__(self) -> str:
        return f"{super().__repr__()[:-1]}; seed {self.seed})"

    @property
    def credit_spread_curve(self) -> Any:
        """The :class:`~etfcore.SpreadCurve` the universe's z-spreads were drawn around.

        :func:`etfcore.market.synthetic.synthetic_spread_curve`: spreads by rating, sector
        and tenor, for bonds the market does not know (a client's basket).

        Examples
        --------
        >>> m = synthetic_market(seed=0)
        >>> round(float(m.credit_spread_curve.spread_bp("BBB", "Banking", 10.0)), 6)
        113.0
        """
        from .synthetic import synthetic_spread_curve

        return synthetic_spread_curve()

    def spread_curve(self, rating: str, sector: str, years: Any) -> Any:
        """Median z-spread (bp) by rating, sector and years to maturity.

        See :func:`etfcore.market.synthetic.spread_curve_bp`; ``"Treasury"`` is 0.

        Examples
        --------
        >>> m = synthetic_market(seed=0)
        >>> float(m.spread_curve("BBB", "Banking", 10.0))
        113.0
        """
        return spread_curve_bp(rating, sector, years)


def _check_seed(seed: Any) -> int:
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise InputError(
            f"seed: expected a whole number >= 0 (an int), got {seed!r} "
            f"({type(seed).__name__}); the same seed gives the same market"
        )
    if seed < 0:
        raise InputError(f"seed: {seed!r} is negative; give a whole number >= 0")
    return int(seed)


def synthetic_market(
    seed: int = 0,
    as_of: Any = DEFAULT_AS_OF,
    regime: str = "normal",
    *,
    liquidity: Any = None,
) -> SyntheticMarket:
    """A seeded, realistic bond market with five ETFs drawn from it.

    Parameters
    ----------
    seed : int, default 0
        Same seed, same market on any machine (numpy's PCG64 stream).
    as_of : date-like, default ``DEFAULT_AS_OF`` (2026-01-15)
        Trade date; settlement is T+1 on the US government-bond calendar.
    regime : {"normal", "stress"}
        Liquidity regime for bid and ask values.
    liquidity : BondLiquidityModel, optional
        Bond liquidity model; default :data:`etfcore.liquidity.DEFAULT_BOND_MODEL`.

    Returns
    -------
    SyntheticMarket
        A :class:`~etfcore.fund.MarketState` with ``etfs`` (``"IG_BROAD"``,
        ``"IG_SHORT"``, ``"IG_INTERMEDIATE"``, ``"HY"``, ``"TREASURY"``),
        ``etf_liquidity``, ``universe``, ``spread_curves`` and :meth:`spread_curve`.

    Raises
    ------
    InputError
        For a seed that is not a whole number >= 0, an unknown regime or a date that
        cannot be read.

    Notes
    -----
    * Bonds: :func:`~etfcore.market.synthetic.synthetic_universe` with ``N_IG = 4000``
      IG corporates (about 600 issuers), ``N_HY = 1500`` HY corporates (about 375
      issuers) and the Treasury universe (about 340 notes and bonds): the bonds of
      ``synthetic_universe(seed, 4000, 1500, as_of, treasuries=True)``, whose corporates
      are those of ``synthetic_universe(seed)``.
    * Curve: the synthetic Treasury curve; spreads: drawn around
      :attr:`SyntheticMarket.spread_curves` plus sector adjustments.
    * ETFs: :data:`etfcore.market.funds.ETF_RULES` (see :mod:`etfcore.market.funds` for
      the selection and weighting rules and each number's source).
    * The market is built once per ``(seed, as_of)`` and cached: later calls return a
      shallow copy (same bonds, curve and ETF objects, new ``etfs`` dicts) in well
      under a millisecond. Everything in it is immutable.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> etf.nav(m, "bid") <= etf.nav(m, "mid") <= etf.nav(m, "ask")
    True
    """
    seed = _check_seed(seed)
    regime = check_regime(regime)
    day = to_day(as_of, "as_of")
    base = _build_market(seed, day)
    changes: dict[str, Any] = {
        "etfs": dict(base.etfs),
        "etf_liquidity": dict(base.etf_liquidity),
        "_cache": base._cache,
    }
    if liquidity is not None and liquidity is not base.liquidity:
        changes.update(liquidity=liquidity, _cache=IdentityCache())
    market = dataclasses.replace(base, **changes)
    if regime != market.regime:
        market = market.with_regime(regime)
    return market


@functools.lru_cache(maxsize=8)
def _build_market(seed: int, as_of_day: int) -> SyntheticMarket:
    from ..bonds.pricing import price_bonds
    from ..liquidity import DEFAULT_BOND_MODEL

    uni = synthetic_universe(seed, n_ig=N_IG, n_hy=N_HY, as_of=as_of_day, treasuries=True)
    bonds = uni.bonds
    priced = price_bonds(bonds, uni.curve, uni.settlement, spread=uni.z_spread)
    dirty = priced["dirty_price"].to_numpy()
    years = (bonds.maturity - uni.settlement) / _DAYS_PER_YEAR
    etfs: dict[str, ETF] = {}
    etf_liquidity: dict[str, Any] = {}
    dirty_by_id = pd.Series(dirty, index=bonds.ids)
    for rule in ETF_RULES.values():
        etf = build_etf(rule, bonds.attributes, bonds.ids, years, dirty)
        held = dirty_by_id.reindex(etf.holdings.index).to_numpy()
        bond_value = float(etf.holdings.to_numpy() @ held) / 100.0
        nav_mid = (bond_value + etf.cash_usd - etf.accrued_expenses_usd) / etf.shares_outstanding
        etfs[rule.name] = etf
        etf_liquidity[rule.name] = etf_liquidity_model(rule, nav_mid)
    return SyntheticMarket(
        bonds=bonds,
        curve=uni.curve,
        z_spread=uni.z_spread,
        settlement=uni.settlement,
        liquidity=DEFAULT_BOND_MODEL,
        etfs=etfs,
        etf_liquidity=etf_liquidity,
        as_of=uni.as_of,
        seed=seed,
        source=(
            f"synthetic_market(seed={seed}): {N_IG} IG and {N_HY} HY corporates and the "
            "Treasury universe on the synthetic Treasury curve; ETFs by "
            "etfcore.market.funds.ETF_RULES; bond liquidity DEFAULT_BOND_MODEL"
        ),
    )
