"""Fund-level risk, one owner: weights, durations, key rates, spread risk, exposures.

:func:`fund_risk` is the one place the fund layer turns a fund's holdings into risk:
:meth:`ETF.holdings_frame`, the command line, the custom-basket optimiser and the
hedging layer all read it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from ..bonds.dates import to_timestamps
from ..errors import InputError
from ..state import IdentityCache, MarketState
from .etf import ETF, check_market

#: Key tenors (years) of the key-rate durations when the market curve has no knots
#: of its own (a fitted Nelson-Siegel-Svensson curve, say).
DEFAULT_KEY_TENORS = (0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 20.0, 30.0)
_DAYS_PER_YEAR = 365.25
#: Columns of the per-bond table before the key-rate columns and the attributes.
BOND_COLUMNS = (
    "par_usd",
    "clean_price",
    "accrued_interest",
    "dirty_price",
    "market_value_usd",
    "weight",
    "half_spread_bp",
    "yield_to_maturity",
    "z_spread",
    "modified_duration",
    "spread_duration",
    "convexity",
    "dv01_usd",
    "cs01_usd",
    "years_to_maturity",
)
#: Columns of the sector and rating exposure tables.
EXPOSURE_COLUMNS = (
    "n_bonds",
    "market_value_usd",
    "weight",
    "duration_contribution",
    "spread_duration_contribution",
    "dv01_usd",
    "cs01_usd",
)


def _tenor_label(t: float) -> str:
    return f"krd_{t:g}y"


def _key_rate_durations(bonds: Any, market: MarketState) -> pd.DataFrame:
    from ..bonds.curves import ZeroCurve
    from ..bonds.pricing import key_rate_durations

    curve = market.curve
    if not hasattr(curve, "key_rate_shocks"):
        if not hasattr(curve, "zero_rate"):
            return pd.DataFrame(index=bonds.ids)
        t = np.asarray(DEFAULT_KEY_TENORS)
        curve = ZeroCurve(curve.reference_date, t, np.asarray(curve.zero_rate(t), dtype=float))
    krd = key_rate_durations(bonds, curve, market.settlement, spread=market.z_spread)
    krd = krd.reindex(bonds.ids)
    krd.columns = [_tenor_label(float(t)) for t in krd.columns]
    return krd


#: Per-bond pricing and key-rate durations of every bond of a market, computed once per
#: (bond set, curve, settlement), the z-spreads compared by value, and shared by every
#: fund, regime and basket of that market (sliced by position: each bond is priced on
#: its own, so a slice is the fund's own numbers). Each entry holds the objects it was
#: computed from and is served only for them. A market some bond of which cannot be
#: priced (an error or a warning) is marked None: callers then price their own bonds.
_MARKET_CACHE = IdentityCache(maxsize=8)
_PRICE_COLUMNS = (
    "clean_price",
    "accrued_interest",
    "dirty_price",
    "yield_to_maturity",
    "z_spread",
    "modified_duration",
    "spread_duration",
    "convexity",
    "dv01",
    "cs01",
)


def _market_wide(market: MarketState, kind: str) -> Any:
    """``"price"``: price_bonds of every market bond; ``"krd"``: their key-rate durations.

    Cached (see ``_MARKET_CACHE``); None when some bond of the market cannot be priced.
    """
    from ..bonds.pricing import price_bonds

    bonds, curve = market.bonds, market.curve
    key = (kind, id(bonds), id(curve), int(market.settlement))
    z = market.z_spread.to_numpy()
    hit = _MARKET_CACHE.get(key, (bonds, curve))
    if hit is not None and (hit[0] is z or np.array_equal(hit[0], z)):
        return hit[1]
    out: Any
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if kind == "price":
                out = price_bonds(bonds, curve, market.settlement, spread=market.z_spread)
            else:
                out = _key_rate_durations(bonds, market)
        if caught:
            out = None
    except (InputError, ArithmeticError, ValueError):
        out = None
    _MARKET_CACHE.put(key, (bonds, curve), (z.copy(), out))
    return out


def market_prices(market: MarketState) -> pd.DataFrame | None:
    """:func:`etfcore.price_bonds` of every bond of ``market`` (mid, its z-spreads), cached.

    Shared, do not modify. None when some bond of the market cannot be priced.
    """
    return _market_wide(market, "price")


def _exposure(table: pd.DataFrame, by: str) -> pd.DataFrame:
    if by not in table:
        return pd.DataFrame(columns=list(EXPOSURE_COLUMNS))
    key = table[by].astype(str)
    w = table["weight"]
    parts = pd.DataFrame(
        {
            "n_bonds": 1,
            "market_value_usd": table["market_value_usd"],
            "weight": w,
            "duration_contribution": w * table["modified_duration"],
            "spread_duration_contribution": w * table["spread_duration"],
            "dv01_usd": table["dv01_usd"],
            "cs01_usd": table["cs01_usd"],
        }
    )
    out = parts.groupby(key.to_numpy()).sum()
    out.index.name = by
    return out.sort_values("market_value_usd", ascending=False)


#: Grades (``grade`` attribute) and sectors that carry no credit-spread risk; the one rule for
#: "is this a government bond" that the dynamics and hedging layers use.
GOVERNMENT_GRADES = ("UST", "GOVT", "GOV")
GOVERNMENT_SECTORS = ("Treasury", "Government", "Sovereign")


def is_government(table: pd.DataFrame) -> np.ndarray:
    """Boolean mask of the rows of a per-bond table that are government bonds.

    A row is government when its ``grade`` is one of :data:`GOVERNMENT_GRADES` (any case)
    or its ``sector`` one of :data:`GOVERNMENT_SECTORS`; a table with neither column has
    none.

    Examples
    --------
    >>> import pandas as pd
    >>> is_government(pd.DataFrame({"grade": ["IG", "ust"], "sector": ["Banking", "x"]})).tolist()
    [False, True]
    """
    gov = np.zeros(len(table), dtype=bool)
    if "grade" in table:
        gov |= table["grade"].astype(str).str.upper().isin(GOVERNMENT_GRADES).to_numpy()
    if "sector" in table:
        gov |= table["sector"].astype(str).isin(GOVERNMENT_SECTORS).to_numpy()
    return gov


@dataclass(frozen=True, repr=False)
class FundRisk:
    """A fund's risk in one market: the per-bond table and the fund totals.

    Built by :func:`fund_risk`. Every property hands out a copy.

    Attributes
    ----------
    name : str
        The fund.
    settlement : int
        Settlement day number of the market.
    regime : str
        The market's regime (it sets ``half_spread_bp``).

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> r = fund_risk(m.etfs["IG_BROAD"], m)
    >>> r
    FundRisk(IG_BROAD: 2,466 bonds, modified duration 7.48, spread duration 7.66)
    """

    name: str
    settlement: int
    regime: str
    _bonds: pd.DataFrame = field(repr=False)
    _totals: pd.Series = field(repr=False)
    _key_rates: pd.Series = field(repr=False)
    _sectors: pd.DataFrame | None = field(default=None, repr=False)
    _ratings: pd.DataFrame | None = field(default=None, repr=False)

    def _exposure_table(self, by: str) -> pd.DataFrame:
        """The sector or rating table, built from the per-bond table when first asked for."""
        name = "_sectors" if by == "sector" else "_ratings"
        table = getattr(self, name)
        if table is None:
            table = _exposure(self._bonds, by)
            object.__setattr__(self, name, table)
        return table

    def __repr__(self) -> str:
        t = self._totals
        return (
            f"FundRisk({self.name}: {len(self._bonds):,} bonds, modified duration "
            f"{t['modified_duration']:.2f}, spread duration {t['spread_duration']:.2f})"
        )

    @property
    def by_bond(self) -> pd.DataFrame:
        """Per holding (index: bond id): the risk table, a copy.

        Columns: :data:`BOND_COLUMNS`, the key-rate durations ``krd_<tenor>y`` and the
        bonds' attributes.
        """
        return frame_copy(self._bonds)

    @property
    def totals(self) -> pd.Series:
        """Fund totals, a copy.

        ``n_bonds``, ``par_usd``, ``market_value_usd``, ``weight`` (1), the
        market-value-weighted ``yield_to_maturity``, ``z_spread``, ``modified_duration``,
        ``spread_duration``, ``convexity``, ``half_spread_bp``, ``years_to_maturity`` and
        the summed ``dv01_usd`` and ``cs01_usd``. A copy.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> t = fund_risk(m.etfs["IG_BROAD"], m).totals
        >>> bool(t["dv01_usd"] > 0 and t["cs01_usd"] > 0)
        True
        """
        return frame_copy(self._totals)

    @property
    def key_rate_durations(self) -> pd.Series:
        """Fund key-rate durations by tenor (years), market-value weighted. A copy.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> krd = fund_risk(m.etfs["IG_BROAD"], m).key_rate_durations
        >>> krd.index.name
        'tenor'
        """
        return frame_copy(self._key_rates)

    @property
    def sector_exposure(self) -> pd.DataFrame:
        """By sector: :data:`EXPOSURE_COLUMNS` (contributions are weight x duration). A copy.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> sec = fund_risk(m.etfs["IG_BROAD"], m).sector_exposure
        >>> round(float(sec["weight"].sum()), 12)
        1.0
        """
        return frame_copy(self._exposure_table("sector"))

    @property
    def rating_exposure(self) -> pd.DataFrame:
        """By rating: :data:`EXPOSURE_COLUMNS`. A copy.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> "BBB" in fund_risk(m.etfs["IG_BROAD"], m).rating_exposure.index
        True
        """
        return frame_copy(self._exposure_table("rating"))

    def to_frame(self) -> pd.DataFrame:
        """The per-bond table (:attr:`by_bond`), a copy.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> list(fund_risk(m.etfs["IG_BROAD"], m).to_frame().columns[:3])
        ['par_usd', 'clean_price', 'accrued_interest']
        """
        return frame_copy(self._bonds)

    def summary(self) -> Any:
        """Fund totals, key-rate durations, sector and rating exposures.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> "spread_duration" in str(fund_risk(m.etfs["IG_BROAD"], m).summary())
        True
        """
        krd = self._key_rates
        krd_table = pd.DataFrame(
            {"key_rate_duration": krd.to_numpy()},
            index=[_tenor_label(float(t)) for t in krd.index],
        )
        return make_summary(
            f"Fund risk: {self.name} ({self.regime} regime, settlement "
            f"{to_timestamps(np.int64(self.settlement)):%Y-%m-%d})",
            [
                self._totals,
                krd_table,
                self._exposure_table("sector"),
                self._exposure_table("rating"),
            ],
            [
                "Weights are by mid market value (dirty) of the bonds; durations, yield and "
                "z-spread are market-value weighted; DV01 and CS01 are USD per bp for the "
                "whole fund.",
            ],
        )


def fund_risk(etf: ETF, market: MarketState) -> FundRisk:
    """Fund-level risk of ``etf`` in ``market``: per-bond table and fund totals.

    Parameters
    ----------
    etf : ETF
    market : MarketState

    Returns
    -------
    FundRisk
        ``by_bond`` / ``to_frame()``: per holding (holdings order, index ``id``) the
        columns of :data:`BOND_COLUMNS`, ``krd_<tenor>y`` and the bonds' attributes;
        ``totals``, ``key_rate_durations``, ``sector_exposure``, ``rating_exposure``;
        ``summary()``.

    Raises
    ------
    InputError
        If ``etf`` is not an ETF, ``market`` not a MarketState, or a holding is unknown
        to the market or has matured.

    Notes
    -----
    Prices and analytics are mid, from the market's curve and each bond's z-spread
    (:func:`etfcore.price_bonds`). ``market_value_usd = par x dirty / 100``;
    ``weight`` is market value over the bonds' total (cash is not in the weights).
    ``dv01_usd`` and ``cs01_usd`` are the USD value change for 1 bp of yield and of
    z-spread, per holding. Key-rate durations are at the curve's knots
    (:func:`etfcore.key_rate_durations`; at :data:`DEFAULT_KEY_TENORS` of the curve's
    zero rates for a curve without knots); fund figures are market-value weighted sums.
    Holdings with zero par are kept, with weight 0. Results are cached per fund and
    market (with the ladders, at most 16 per fund), on the very objects they depend on.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> r = fund_risk(m.etfs["IG_BROAD"], m)
    >>> round(float(r.totals["modified_duration"]), 2)
    7.48
    >>> round(float(r.key_rate_durations.sum()), 1)
    7.7
    """
    if not isinstance(etf, ETF):
        raise InputError(f"etf: expected an ETF, got {type(etf).__name__}")
    market = check_market(market)
    deps = (market.bonds, market.curve, market.liquidity, market.liquidity_scores)
    key = ("fund_risk", market.settlement, market.regime, *map(id, deps))
    z = market.z_spread.to_numpy()
    hit = etf._cache.get(key, deps)
    if hit is not None and (hit[0] is z or np.array_equal(hit[0], z)):
        return hit[1]
    result = _compute(etf, market)
    etf._cache.put(key, deps, (z.copy(), result))
    return result


def _compute(etf: ETF, market: MarketState) -> FundRisk:
    from ..bonds.pricing import price_bonds

    etf._ladder(market)  # validates unknown and matured holdings with the fund's messages
    bonds = etf.bonds(market)
    full = market_prices(market)
    full_krd = _market_wide(market, "krd") if full is not None else None
    if full is not None and full_krd is not None:
        # every bond priced once per market: the fund's rows, by position
        pos = etf._bond_positions(market)
        res = {c: full[c].to_numpy()[pos] for c in _PRICE_COLUMNS}
        krd = pd.DataFrame(full_krd.to_numpy()[pos], columns=full_krd.columns, index=bonds.ids)
    else:
        spread = market.z_spread.reindex(bonds.ids)
        frame = price_bonds(bonds, market.curve, market.settlement, spread=spread)
        res = {c: frame[c].to_numpy() for c in _PRICE_COLUMNS}
        krd = _key_rate_durations(bonds, market)
    par = etf.holdings.reindex(bonds.ids).to_numpy(dtype=float)
    dirty = res["dirty_price"]
    mv = par * dirty / 100.0
    total_mv = float(mv.sum())
    weight = mv / total_mv if total_mv > 0 else np.zeros_like(mv)
    table = pd.DataFrame(
        {
            "par_usd": par,
            "clean_price": res["clean_price"],
            "accrued_interest": res["accrued_interest"],
            "dirty_price": dirty,
            "market_value_usd": mv,
            "weight": weight,
            "half_spread_bp": market._half_spread_at(bonds, etf._bond_positions(market)),
            "yield_to_maturity": res["yield_to_maturity"],
            "z_spread": res["z_spread"],
            "modified_duration": res["modified_duration"],
            "spread_duration": res["spread_duration"],
            "convexity": res["convexity"],
            "dv01_usd": par * res["dv01"] / 100.0,
            "cs01_usd": par * res["cs01"] / 100.0,
            "years_to_maturity": (bonds.maturity - market.settlement) / _DAYS_PER_YEAR,
        },
        index=pd.Index(bonds.ids, name="id"),
    )
    attrs = bonds.attributes.reindex(bonds.ids)
    attrs.index.name = "id"
    table = pd.concat([table, krd.set_axis(table.index), attrs.set_axis(table.index)], axis=1)

    def wavg(col: str) -> float:
        return float(weight @ table[col].to_numpy())

    totals = pd.Series(
        {
            "n_bonds": len(table),
            "par_usd": float(par.sum()),
            "market_value_usd": total_mv,
            "weight": float(weight.sum()),
            "yield_to_maturity": wavg("yield_to_maturity"),
            "z_spread": wavg("z_spread"),
            "modified_duration": wavg("modified_duration"),
            "spread_duration": wavg("spread_duration"),
            "convexity": wavg("convexity"),
            "half_spread_bp": wavg("half_spread_bp"),
            "years_to_maturity": wavg("years_to_maturity"),
            "dv01_usd": float(table["dv01_usd"].sum()),
            "cs01_usd": float(table["cs01_usd"].sum()),
        },
        dtype=float,
        name=etf.name,
    )
    tenors = [float(c[4:-1]) for c in krd.columns]
    key_rates = pd.Series(
        weight @ krd.to_numpy() if len(tenors) else np.zeros(0),
        index=pd.Index(tenors, name="tenor", dtype=float),
        name="key_rate_duration",
    )
    return FundRisk(
        etf.name,
        market.settlement,
        market.regime,
        table,
        totals,
        key_rates,
    )  # sector and rating tables: built when first asked for


__all__ = [
    "BOND_COLUMNS",
    "DEFAULT_KEY_TENORS",
    "EXPOSURE_COLUMNS",
    "GOVERNMENT_GRADES",
    "GOVERNMENT_SECTORS",
    "FundRisk",
    "fund_risk",
    "is_government",
]
