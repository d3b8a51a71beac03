"""Creation and redemption baskets: pro-rata, custom (optimised) and cash.

A basket is what an Authorized Participant delivers to the fund for ``units``
creation units (or receives for them): bonds in kind (par by bond id), the fund's
cash share (the *cash component*), and cash in lieu of the bonds it does not
deliver. Its value on the official (bid) side equals NAV x shares of the units.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import lsq_linear, nnls

from .._validation import finite, positive
from ..bonds.bondset import BondSet
from ..bonds.pricing import key_rate_durations, price_bonds
from ..errors import InputError
from ..fund.etf import ETF, check_side
from ..state import MarketState, check_regime
from . import _liquidity as liq

#: Which way a basket goes: the AP delivers it ("create") or receives it ("redeem").
BASKET_SIDES = ("create", "redeem")
#: How a basket is made up.
BASKET_KINDS = ("pro_rata", "custom", "cash")
#: Remaining-maturity buckets (years) used to spread the custom optimiser's pool.
MATURITY_BUCKETS = (0.0, 3.0, 5.0, 7.0, 10.0, 20.0, np.inf)
#: How far apart the basket and the fund may be for one unit of the custom
#: optimiser's objective: key-rate duration per tenor and spread duration (years),
#: sector weight (fraction of value).
DEFAULT_TOLERANCES = {"krd": 0.05, "spread_duration": 0.05, "sector": 0.01}


# ---------------------------------------------------------------------- checks
def check_units(units: Any, where: str = "units") -> int:
    """Return ``units`` as an int if it is a whole number of creation units >= 1.

    Raises
    ------
    InputError
        For a fraction, zero, a negative number or anything that is not a number.
    """
    try:
        u = float(units)
    except (TypeError, ValueError):
        raise InputError(
            f"{where}: {units!r} is not a number; creation and redemption orders are "
            "a whole number of creation units >= 1"
        ) from None
    if not np.isfinite(u) or not u.is_integer() or u < 1:
        raise InputError(
            f"{where}: got {units!r}; creation and redemption orders must be a whole "
            "number of creation units >= 1 (round to whole units, or trade the rest "
            "of the shares on the exchange)"
        )
    return int(u)


def check_basket_side(side: Any) -> str:
    """Return ``side`` if it is "create" or "redeem"."""
    if side not in BASKET_SIDES:
        raise InputError(f"side: unknown basket side {side!r}; use one of {list(BASKET_SIDES)}")
    return str(side)


def eligible_ids(etf: ETF, eligible: Any = None) -> pd.Index:
    """The bonds ``etf`` can take in kind: ``eligible`` if given, else its holdings.

    A fund's eligible universe is its index; without one, etfcore takes only bonds
    the fund already holds (pass ``eligible=`` a list of ids to widen it).
    """
    if eligible is None:
        eligible = getattr(etf, "eligible_ids", None)
    if eligible is None:
        return etf.holdings.index[etf.holdings.to_numpy() > 0]
    return pd.Index(pd.Index(eligible).astype(str), name="id")


def check_basket(basket: Basket, etf: ETF, market: MarketState, eligible: Any = None) -> None:
    """Check that ``etf`` can process ``basket`` in ``market``.

    Raises
    ------
    InputError
        If the basket was built for another fund or creation unit size, holds a
        bond the market does not know, holds a bond outside the fund's eligible
        universe (creation), or asks for more of a bond than the fund holds
        (redemption).
    """
    if not isinstance(basket, Basket):
        raise InputError(f"basket: expected a Basket, got {type(basket).__name__}")
    if basket.creation_unit_size != etf.creation_unit_size:
        raise InputError(
            f"basket: built for creation units of {basket.creation_unit_size:,} shares, but "
            f"{etf.name} has {etf.creation_unit_size:,}; build the basket from this fund"
        )
    ids = basket.par.index
    unknown = ids[market.bonds.ids.get_indexer(ids) < 0]
    if len(unknown):
        raise InputError(
            f"basket: {len(unknown)} bond(s) are not in the market: {list(unknown[:20])}; "
            f"{etf.name} cannot take a bond it cannot price"
        )
    if basket.side == "create":
        ok = eligible_ids(etf, eligible)
        outside = ids[~ids.isin(ok)]
        if len(outside):
            raise InputError(
                f"basket: {len(outside)} bond(s) are outside {etf.name}'s eligible universe: "
                f"{list(outside[:20])}; the fund cannot take them in kind (pass eligible= "
                "with the fund's index to widen it)"
            )
    else:
        held = etf.holdings.reindex(ids).fillna(0.0)
        short = held.index[basket.par.to_numpy() > held.to_numpy() * (1 + 1e-12) + 1e-6]
        if len(short):
            rows = [f"{i}: basket {basket.par[i]:,.0f} > held {held[i]:,.0f}" for i in short[:20]]
            raise InputError.from_problems(
                f"basket: {etf.name} cannot deliver more par than it holds", rows
            )


# ---------------------------------------------------------------------- prices
_QUOTE_COLUMNS = [
    "clean_price",
    "accrued_interest",
    "half_spread_bp",
    "dirty_bid",
    "dirty_mid",
    "dirty_ask",
]
#: Recently used quote tables (small LRU): every bond of a market priced once per
#: (bonds, curve, spreads, settlement, liquidity, regime).
_QUOTE_CACHE: OrderedDict = OrderedDict()
_QUOTE_CACHE_SIZE = 8


def _quote_table(market: MarketState, bonds: BondSet, regime: str) -> pd.DataFrame:
    res = price_bonds(bonds, market.curve, market.settlement, spread=market.z_spread)
    h_bp = liq.bond_half_spread_bp(market, bonds, regime)
    h = h_bp.to_numpy() * 1e-4
    clean = res["clean_price"].to_numpy()
    acc = res["accrued_interest"].to_numpy()
    return pd.DataFrame(
        {
            "clean_price": clean,
            "accrued_interest": acc,
            "half_spread_bp": h_bp.to_numpy(),
            "dirty_bid": clean * (1 - h) + acc,
            "dirty_mid": clean + acc,
            "dirty_ask": clean * (1 + h) + acc,
        },
        index=bonds.ids,
    )


def _market_quotes(market: MarketState, regime: str) -> pd.DataFrame | None:
    """Quotes of every bond of ``market`` (cached), or None if some bond cannot be priced."""
    key = (
        id(market.bonds),
        id(market.curve),
        market.settlement,
        id(market.liquidity),
        id(market.liquidity_scores),
        regime,
    )
    z = market.z_spread.to_numpy()
    hit = _QUOTE_CACHE.get(key)
    if (
        hit is not None
        and hit[0] is market.bonds
        and hit[1] is market.curve
        and hit[2] is market.liquidity
        and np.array_equal(hit[3], z)
    ):
        _QUOTE_CACHE.move_to_end(key)
        return hit[4]
    try:
        table = _quote_table(market, market.bonds, regime)
    except (InputError, ArithmeticError):
        table = None
    _QUOTE_CACHE[key] = (market.bonds, market.curve, market.liquidity, z.copy(), table)
    while len(_QUOTE_CACHE) > _QUOTE_CACHE_SIZE:
        _QUOTE_CACHE.popitem(last=False)
    return table


def bond_quotes(market: MarketState, ids: Any, regime: str | None = None) -> pd.DataFrame:
    """Bid, mid and ask dirty prices (per 100 face) of the bonds ``ids``.

    Returns
    -------
    pandas.DataFrame
        By id: ``clean_price`` (mid), ``accrued_interest``, ``half_spread_bp``,
        ``dirty_bid``, ``dirty_mid``, ``dirty_ask``.

    Raises
    ------
    InputError
        Naming the ids that are not bonds of the market.

    Notes
    -----
    As in the fund's NAV, bid and ask clean prices are ``mid x (1 -/+ h)``, with
    ``h`` half the bond's bid-ask spread in ``regime``; accrued is the same on
    every side. The whole market is priced once per curve, spreads and regime and
    kept in a small cache.
    """
    regime = check_regime(regime or market.regime)
    ids = pd.Index(ids)
    if len(ids) == 0:
        return pd.DataFrame(columns=_QUOTE_COLUMNS, index=ids, dtype=float)
    pos = market.bonds.ids.get_indexer(ids)
    if (pos < 0).any():
        unknown = list(ids[pos < 0][:20])
        raise InputError(f"{(pos < 0).sum()} bond(s) are not in the market: {unknown}")
    table = _market_quotes(market, regime)
    if table is not None:
        return table.iloc[pos]
    return _quote_table(market, market.bonds.take(pos), regime)


def _other_assets(etf: ETF, market: MarketState) -> float:
    """Cash + receivables - liabilities - accrued expenses, USD (the fund's own figure)."""
    return etf.net_assets_usd(market, "mid") - etf.bond_value_usd(market, "mid")


# ---------------------------------------------------------------------- Basket
@dataclass(frozen=True, eq=False, repr=False)
class Basket:
    """A creation or redemption basket for a whole number of creation units.

    Parameters
    ----------
    etf_name : str
    units : int
        Creation units the basket is for (whole, >= 1).
    creation_unit_size : int
        Shares per creation unit.
    side : {"create", "redeem"}
        "create": the AP delivers the basket and receives shares; "redeem": the
        reverse.
    kind : {"pro_rata", "custom", "cash"}
    par : pandas.Series
        Par (USD) of each bond delivered in kind, by bond id (>= 0).
    cash_component_usd : float
        The fund's own cash share (cash + receivables - liabilities - accrued
        expenses, pro rata to the shares).
    cash_in_lieu_usd : float
        Cash paid instead of the bonds the basket does not carry (rounding to lots,
        pieces too small to trade, bonds a custom basket leaves out, the whole bond
        value of a cash order), at the fund's official (bid) valuation.
    nav_per_share : float
        Official (bid-side) NAV per share the basket was struck at.
    details : pandas.DataFrame, optional
        Per bond at construction: par, prices, values, sector, rating, half-spread.

    Notes
    -----
    ``value_usd(market, "bid") = sum(par x bid dirty / 100) + cash component + cash
    in lieu``; a basket built by :func:`pro_rata_basket` or :func:`custom_basket`
    is worth NAV (bid) x shares in the market it was built in.
    """

    etf_name: str
    units: int
    creation_unit_size: int
    side: str
    kind: str
    par: pd.Series
    cash_component_usd: float = 0.0
    cash_in_lieu_usd: float = 0.0
    nav_per_share: float = float("nan")
    details: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "units", check_units(self.units))
        cu = self.creation_unit_size
        if not float(cu).is_integer() or cu <= 0:
            raise InputError(f"creation_unit_size: {cu!r} must be a positive whole number")
        object.__setattr__(self, "creation_unit_size", int(cu))
        check_basket_side(self.side)
        if self.kind not in BASKET_KINDS:
            raise InputError(
                f"kind: unknown basket kind {self.kind!r}; use one of {list(BASKET_KINDS)}"
            )
        par = self.par
        if not isinstance(par, pd.Series):
            raise InputError(
                f"par: expected a pandas Series of par (USD) by bond id, got {type(par).__name__}"
            )
        values = pd.to_numeric(par, errors="coerce").astype(float)
        arr = values.to_numpy()
        bad = ~np.isfinite(arr) | (arr < 0)
        if bad.any():
            rows = [f"{par.index[i]}: par {par.iloc[i]!r}" for i in np.flatnonzero(bad)[:20]]
            raise InputError.from_problems(
                "basket par must be finite amounts >= 0 (USD); a negative par is not a "
                "delivery (use the other side of the order)",
                rows,
            )
        if par.index.has_duplicates:
            dup = list(par.index[par.index.duplicated()].unique()[:10])
            raise InputError(f"par: bonds listed twice: {dup}; add them up first")
        values.index = pd.Index(par.index.astype(str), name="id")
        object.__setattr__(self, "par", values[values > 0].rename("par_usd"))
        for name in ("cash_component_usd", "cash_in_lieu_usd"):
            object.__setattr__(self, name, finite(getattr(self, name), name))

    # ------------------------------------------------------------------ basics
    @property
    def shares(self) -> int:
        """Shares the basket is exchanged for: units x creation unit size."""
        return self.units * self.creation_unit_size

    @property
    def n_bonds(self) -> int:
        """Number of bonds delivered in kind."""
        return int(len(self.par))

    def __repr__(self) -> str:
        return (
            f"Basket({self.etf_name} {self.side} {self.units} unit(s) = {self.shares:,} shares, "
            f"{self.kind}: {self.n_bonds} bonds, par ${self.par.sum() / 1e6:,.2f} mm, cash "
            f"component ${self.cash_component_usd:,.0f}, cash in lieu "
            f"${self.cash_in_lieu_usd:,.0f})"
        )

    def replace(self, **changes: Any) -> Basket:
        """A copy with ``changes`` applied (validated again)."""
        return dataclasses.replace(self, **changes)

    def as_side(self, side: str) -> Basket:
        """The same basket going the other way ("create" or "redeem")."""
        return self.replace(side=check_basket_side(side))

    # ------------------------------------------------------------------ values
    def in_kind_value_usd(
        self, market: MarketState, side: str = "bid", regime: str | None = None
    ) -> float:
        """Value of the bonds delivered in kind on ``side`` (dirty), USD."""
        s = ("bid", "mid", "ask")[check_side(side)]
        if self.n_bonds == 0:
            return 0.0
        q = bond_quotes(market, self.par.index, regime)
        return float(np.dot(self.par.to_numpy(), q[f"dirty_{s}"].to_numpy()) / 100.0)

    def cash_usd(self) -> float:
        """All the cash in the basket: cash component plus cash in lieu, USD."""
        return self.cash_component_usd + self.cash_in_lieu_usd

    def value_usd(self, market: MarketState, side: str = "bid", regime: str | None = None) -> float:
        """Value of the whole basket on ``side``: bonds in kind plus all cash, USD."""
        return self.in_kind_value_usd(market, side, regime) + self.cash_usd()

    def value_breakdown(self, market: MarketState, regime: str | None = None) -> pd.DataFrame:
        """In-kind value, cash component, cash in lieu and total, on the three sides."""
        rows = {}
        for s in ("bid", "mid", "ask"):
            ik = self.in_kind_value_usd(market, s, regime)
            rows[s] = {
                "in_kind_usd": ik,
                "cash_component_usd": self.cash_component_usd,
                "cash_in_lieu_usd": self.cash_in_lieu_usd,
                "total_usd": ik + self.cash_usd(),
            }
        return pd.DataFrame(rows)

    # ------------------------------------------------------------------ output
    def to_frame(self) -> pd.DataFrame:
        """One row per bond delivered in kind (par and, when known, prices and values)."""
        if self.details is not None:
            return self.details.loc[self.par.index]
        return self.par.to_frame()

    def summary(self, market: MarketState | None = None) -> pd.Series:
        """Headline numbers: units, shares, bonds, values and cash shares.

        The in-kind value is the bid value at construction, or in ``market`` if given.
        """
        ik = np.nan
        if market is not None:
            ik = self.in_kind_value_usd(market, "bid")
        elif self.details is not None and "value_usd" in self.details:
            ik = float(self.details.loc[self.par.index, "value_usd"].sum())
        elif self.n_bonds == 0:
            ik = 0.0
        total = ik + self.cash_usd()
        return pd.Series(
            {
                "etf": self.etf_name,
                "side": self.side,
                "kind": self.kind,
                "units": self.units,
                "shares": self.shares,
                "n_bonds": self.n_bonds,
                "par_usd": float(self.par.sum()),
                "in_kind_value_usd": ik,
                "cash_component_usd": self.cash_component_usd,
                "cash_in_lieu_usd": self.cash_in_lieu_usd,
                "total_value_usd": total,
                "cash_in_lieu_share": self.cash_in_lieu_usd / total if total else np.nan,
                "nav_per_share": self.nav_per_share,
            },
            name=f"{self.etf_name} {self.kind} {self.side} basket",
        )

    def plot(self, ax: Any = None, by: str = "sector"):
        """Horizontal bars of the basket's value by ``by`` (a details column), plus cash."""
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots(figsize=(6, 4))[1]
        d = self.to_frame()
        if by in d and "value_usd" in d:
            values = d.groupby(by)["value_usd"].sum().sort_values()
        else:
            values = self.par.sort_values().tail(20)
        values = pd.concat(
            [
                values,
                pd.Series(
                    {
                        "cash component": self.cash_component_usd,
                        "cash in lieu": self.cash_in_lieu_usd,
                    }
                ),
            ]
        )
        ax.barh(
            [str(i) for i in values.index],
            values.to_numpy() / 1e6,
            color=["#4C72B0"] * (len(values) - 2) + ["#8C8C8C", "#DD8452"],
        )
        ax.set_xlabel("value, $ mm")
        ax.set_title(
            f"{self.etf_name}: {self.kind} {self.side} basket, {self.units} unit(s), "
            f"{self.n_bonds} bonds"
        )
        return ax


# ---------------------------------------------------------------------- builders
def _shares_for(etf: ETF, units: int, side: str) -> tuple[int, float]:
    shares = units * etf.creation_unit_size
    if side == "redeem" and shares >= etf.shares_outstanding:
        raise InputError(
            f"units: redeeming {units} unit(s) = {shares:,} shares would leave {etf.name} with "
            f"{etf.shares_outstanding - shares:,.0f} shares; redeem fewer units than the fund has"
        )
    return shares, shares / etf.shares_outstanding


def _round_to_lots(target_par: np.ndarray, lot_usd: float, min_piece_usd: float) -> np.ndarray:
    par = np.floor(target_par / lot_usd + 1e-9) * lot_usd
    par[par < min_piece_usd] = 0.0
    return par


def _details(frame: pd.DataFrame, par: np.ndarray, quotes: pd.DataFrame) -> pd.DataFrame:
    d = pd.DataFrame({"par_usd": par}, index=frame.index)
    for c in ("dirty_bid", "dirty_mid", "dirty_ask", "half_spread_bp"):
        d[c] = quotes[c].to_numpy()
    d["value_usd"] = par * d["dirty_bid"].to_numpy() / 100.0
    for c in ("issuer", "sector", "rating", "grade"):
        if c in frame:
            d[c] = frame[c].to_numpy()
    return d


def pro_rata_basket(
    etf: ETF,
    market: MarketState,
    units: int = 1,
    side: str = "create",
    lot_usd: float = 1_000.0,
    min_piece_usd: float = 2_000.0,
) -> Basket:
    """The fund's holdings, pro rata to ``units`` creation units, in tradable lots.

    Parameters
    ----------
    etf : ETF
    market : MarketState
    units : int, default 1
        Whole number of creation units.
    side : {"create", "redeem"}
    lot_usd : float, default 1,000
        Par increment a bond trades in; each position is rounded down to it.
    min_piece_usd : float, default 2,000
        Smallest par worth delivering; smaller pieces go to cash in lieu.

    Returns
    -------
    Basket
        ``kind="pro_rata"``.

    Notes
    -----
    With ``f = units x creation unit size / shares outstanding``, bond ``i``'s par
    is ``floor(f x holding_i / lot) x lot`` (zero if below ``min_piece_usd``); the
    rest, ``(f x holding_i - par_i)`` at the bond's bid dirty price, is paid as cash
    in lieu. The cash component is ``f x (cash + receivables - liabilities - accrued
    expenses)``. So the basket's bid-side value is ``f x net assets (bid) = NAV x
    shares``: the test suite checks it against the fund's own NAV.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> b = pro_rata_basket(etf, m, units=2)
    >>> abs(b.value_usd(m, "bid") / (etf.nav(m, "bid") * b.shares) - 1) < 1e-9
    True
    """
    units = check_units(units)
    side = check_basket_side(side)
    lot = positive(lot_usd, "lot_usd")
    min_piece = positive(min_piece_usd, "min_piece_usd", allow_zero=True)
    shares, f = _shares_for(etf, units, side)
    held = etf.holdings[etf.holdings > 0]
    quotes = bond_quotes(market, held.index, market.regime)
    target = held.to_numpy() * f
    par = _round_to_lots(target, lot, min_piece)
    if side == "redeem":
        par = np.minimum(par, held.to_numpy())
    cil = float(np.dot(target - par, quotes["dirty_bid"].to_numpy()) / 100.0)
    frame = market.bonds.attributes.reindex(held.index)
    details = _details(frame, par, quotes)
    details["target_par_usd"] = target
    details["cash_in_lieu_usd"] = (target - par) * quotes["dirty_bid"].to_numpy() / 100.0
    return Basket(
        etf_name=etf.name,
        units=units,
        creation_unit_size=etf.creation_unit_size,
        side=side,
        kind="pro_rata",
        par=pd.Series(par, index=held.index),
        cash_component_usd=f * _other_assets(etf, market),
        cash_in_lieu_usd=cil,
        nav_per_share=etf.nav(market, "bid"),
        details=details,
    )


def cash_basket(etf: ETF, market: MarketState, units: int = 1, side: str = "create") -> Basket:
    """A cash order: no bonds in kind, the whole value (NAV x shares) in cash."""
    units = check_units(units)
    side = check_basket_side(side)
    shares, f = _shares_for(etf, units, side)
    nav = etf.nav(market, "bid")
    cash_component = f * _other_assets(etf, market)
    return Basket(
        etf_name=etf.name,
        units=units,
        creation_unit_size=etf.creation_unit_size,
        side=side,
        kind="cash",
        par=pd.Series(dtype=float),
        cash_component_usd=cash_component,
        cash_in_lieu_usd=nav * shares - cash_component,
        nav_per_share=nav,
    )


def basket_from_par(
    etf: ETF,
    market: MarketState,
    par: pd.Series,
    units: int = 1,
    side: str = "create",
    kind: str = "custom",
    eligible: Any = None,
) -> Basket:
    """A basket of the given bonds; cash in lieu makes it worth NAV x shares.

    Parameters
    ----------
    par : pandas.Series
        Par (USD) by bond id, each >= 0.
    eligible : list of ids, optional
        The fund's eligible universe (default: its holdings); see :func:`check_basket`.

    Raises
    ------
    InputError
        For negative par, a fractional number of units, or a bond the fund cannot
        take (see :func:`check_basket`).
    """
    units = check_units(units)
    side = check_basket_side(side)
    shares, f = _shares_for(etf, units, side)
    nav = etf.nav(market, "bid")
    cash_component = f * _other_assets(etf, market)
    draft = Basket(
        etf.name, units, etf.creation_unit_size, side, kind, par, cash_component, 0.0, nav
    )
    check_basket(draft, etf, market, eligible)
    quotes = bond_quotes(market, draft.par.index, market.regime)
    frame = market.bonds.attributes.reindex(draft.par.index)
    details = _details(frame, draft.par.to_numpy(), quotes)
    in_kind = float(details["value_usd"].sum())
    return draft.replace(cash_in_lieu_usd=nav * shares - cash_component - in_kind, details=details)


# ---------------------------------------------------------------------- custom
_RISK_CACHE: OrderedDict = OrderedDict()


def _risk_table(etf: ETF, market: MarketState) -> pd.DataFrame:
    """Per holding: weight, spread duration, KRDs, sector, years (cached per fund and curve)."""
    key = (id(etf), id(market.bonds), id(market.curve), market.settlement)
    z = market.z_spread.to_numpy()
    hit = _RISK_CACHE.get(key)
    if (
        hit is not None
        and hit[0] is etf
        and hit[1] is market.bonds
        and hit[2] is market.curve
        and np.array_equal(hit[3], z)
    ):
        _RISK_CACHE.move_to_end(key)
        return hit[4]
    table = _compute_risk_table(etf, market)
    _RISK_CACHE[key] = (etf, market.bonds, market.curve, z.copy(), table)
    while len(_RISK_CACHE) > _QUOTE_CACHE_SIZE:
        _RISK_CACHE.popitem(last=False)
    return table


def _compute_risk_table(etf: ETF, market: MarketState) -> pd.DataFrame:
    mask = (etf.holdings > 0).to_numpy()
    held = etf.holdings[mask]
    # the fund's own BondSet: its cash flows are cached there already
    bonds = etf.bonds(market)
    if not mask.all():
        bonds = bonds.take(np.flatnonzero(mask))
    res = price_bonds(bonds, market.curve, market.settlement, spread=market.z_spread)
    krd = key_rate_durations(bonds, market.curve, market.settlement, spread=market.z_spread)
    mv = held.to_numpy() * res["dirty_price"].to_numpy() / 100.0
    out = pd.DataFrame(
        {
            "par_usd": held.to_numpy(),
            "weight": mv / mv.sum(),
            "spread_duration": res["spread_duration"].to_numpy(),
            "years": (bonds.maturity - market.settlement) / 365.25,
        },
        index=bonds.ids,
    )
    krd.columns = [f"krd_{t:g}y" for t in krd.columns]
    out = pd.concat([out, krd], axis=1)
    attrs = bonds.attributes
    out["sector"] = attrs["sector"].astype(str).to_numpy() if "sector" in attrs else "all"
    for c in ("issuer", "rating", "grade"):
        if c in attrs:
            out[c] = attrs[c].to_numpy()
    return out


def _features(table: pd.DataFrame, sectors: pd.Index, tol: Mapping[str, float]) -> np.ndarray:
    krd_cols = [c for c in table.columns if c.startswith("krd_")]
    krd = table[krd_cols].to_numpy() / tol["krd"]
    sd = table[["spread_duration"]].to_numpy() / tol["spread_duration"]
    onehot = (table["sector"].to_numpy()[:, None] == sectors.to_numpy()[None, :]).astype(float)
    return np.hstack([krd, sd, onehot / tol["sector"]])


def _solve_weights(
    x: np.ndarray,
    target: np.ndarray,
    cost: np.ndarray,
    upper: np.ndarray | None,
    liquidity_weight: float,
    ridge: float,
) -> np.ndarray:
    """``min ||X'w - t||^2 + ridge ||w||^2 + lambda c.w`` s.t. ``0 <= w <= u``, ``sum w = 1``.

    The linear cost term is folded into the ridge rows exactly:
    ``||sqrt(r) w + lambda c / (2 sqrt(r))||^2 = r ||w||^2 + lambda c.w + const``.
    The budget ``sum w = 1`` is a heavily weighted row. Without upper bounds the
    problem is a non-negative least-squares one (Lawson-Hanson, :func:`scipy.optimize.nnls`,
    fast on the large candidate pool); with them, bounded least squares
    (:func:`scipy.optimize.lsq_linear`, BVLS) on the small final sets.
    """
    n = x.shape[0]
    sr = np.sqrt(ridge)
    big = 1e4
    a = np.vstack([x.T, np.full((1, n), big), sr * np.eye(n)])
    b = np.concatenate([target, [big], -liquidity_weight * cost / (2.0 * sr)])
    if upper is None:
        w, _ = nnls(a, b, maxiter=50 * n)
    else:
        w = lsq_linear(
            a, b, bounds=(np.zeros(n), np.maximum(upper, 1e-12)), method="bvls", tol=1e-12
        ).x
    return np.clip(w, 0.0, None)


def custom_basket(
    etf: ETF,
    market: MarketState,
    units: int = 1,
    max_bonds: int = 50,
    side: str = "create",
    *,
    prefer: pd.Series | str | None = None,
    regime: str | None = None,
    liquidity_weight: float = 1.0,
    max_weight: float | None = None,
    pool_size: int = 400,
    tolerances: Mapping[str, float] | None = None,
    lot_usd: float = 1_000.0,
    min_piece_usd: float = 2_000.0,
) -> Basket:
    """An optimised basket of at most ``max_bonds`` bonds that tracks the fund cheaply.

    Parameters
    ----------
    etf, market
    units : int, default 1
        Whole number of creation units.
    max_bonds : int, default 50
        At most this many bonds in kind (K >= 1).
    side : {"create", "redeem"}
    prefer : pandas.Series or "illiquid first", optional
        Bonds the fund would rather deliver (redemption) or receive (creation): a
        Series of bonus scores by id, in bp of trading cost the fund will accept to
        move that bond; or "illiquid first", which reverses the liquidity preference
        (a redemption basket that sheds the hardest-to-trade bonds).
    regime : {"normal", "stress"}, optional
        Liquidity regime of the costs (default: the market's).
    liquidity_weight : float, default 1.0
        Objective units per bp of the basket's average trading cost: 0 tracks the
        fund as closely as possible, larger values trade tracking for liquidity.
    max_weight : float, optional
        Largest share of the in-kind value in one bond (default ``min(1, 4/K)``).
    pool_size : int, default 400
        Candidate bonds the optimiser looks at (the cheapest ones in each sector x
        maturity cell, in proportion to the fund's weight in the cell).
    tolerances : dict, optional
        Scale of a mismatch worth one objective unit: ``krd`` and ``spread_duration``
        (years), ``sector`` (fraction); see ``DEFAULT_TOLERANCES``.
    lot_usd, min_piece_usd : float
        Par rounding, as in :func:`pro_rata_basket`.

    Returns
    -------
    Basket
        ``kind="custom"``; cash in lieu makes it worth NAV (bid) x shares.

    Notes
    -----
    Bond ``i`` has features ``x_i``: its key-rate durations at the curve's tenors
    and its spread duration (each divided by its tolerance) and a one-hot sector
    vector (divided by the sector tolerance); the fund's target is ``t = sum_i
    v_i x_i`` with ``v`` its market-value weights. Its cost ``c_i`` is its half
    bid-ask spread plus its impact at an equal share of the basket (so high daily
    volume counts), in bp. The in-kind value weights ``w`` solve

    ``min ||X'w - t||^2 + r ||w||^2 + lambda c.w``, ``0 <= w_i <= u_i``, ``sum w = 1``

    a bounded least-squares problem: the linear cost is exact, folded into the ridge
    rows. ``u_i`` is ``max_weight`` and, for a redemption, the fund's holding of the
    bond. The cardinality limit is met by support shrinking: solve without the caps
    on the candidate pool (non-negative least squares, :func:`scipy.optimize.nnls`:
    about 30 ms for 400 candidates, where BVLS takes 0.5-2 s), keep its picks and the
    cheapest other bonds up to ``2K``, solve with the caps
    (:func:`scipy.optimize.lsq_linear`, BVLS), keep the ``K`` largest weights and
    solve a last time. The
    weights become par in lots at the bid dirty price; cash in lieu covers the
    rounding. Custom baskets trade tracking error for liquidity (Koont, Ma, Pastor,
    Zeng 2022).
    """
    units = check_units(units)
    side = check_basket_side(side)
    k = _check_max_bonds(max_bonds)
    regime = check_regime(regime or market.regime)
    lam = positive(liquidity_weight, "liquidity_weight", allow_zero=True)
    if max_weight is None:
        max_weight = min(1.0, 4.0 / k)
    w_max = positive(max_weight, "max_weight")
    if w_max * k < 1.0 - 1e-12:
        raise InputError(
            f"max_weight: {w_max!r} x max_bonds {k} < 1; at most K bonds of at most "
            "max_weight each cannot add up to the basket; raise one of them"
        )
    pool_n = int(positive(pool_size, "pool_size"))
    tol = dict(DEFAULT_TOLERANCES)
    if tolerances is not None:
        unknown = set(tolerances) - set(tol)
        if unknown:
            raise InputError(f"tolerances: unknown key(s) {sorted(unknown)}; use {sorted(tol)}")
        tol.update({key: positive(v, f"tolerances[{key!r}]") for key, v in tolerances.items()})
    lot = positive(lot_usd, "lot_usd")
    min_piece = positive(min_piece_usd, "min_piece_usd", allow_zero=True)
    shares, f = _shares_for(etf, units, side)

    table = _risk_table(etf, market)
    ids = table.index
    bonds = market.bonds.select(ids)
    quotes = bond_quotes(market, ids, market.regime)
    nav = etf.nav(market, "bid")
    cash_component = f * _other_assets(etf, market)
    in_kind_target = nav * shares - cash_component

    h = liq.bond_half_spread_bp(market, bonds, regime).to_numpy()
    piece = np.full(len(ids), in_kind_target / k)
    cost = h + liq.bond_impact_bp(market, bonds, piece, regime)
    eff = _preference(prefer, cost, ids)

    sectors = pd.Index(sorted(table["sector"].unique()))
    x = _features(table, sectors, tol)
    v = table["weight"].to_numpy()
    target = v @ x
    if side == "redeem":
        upper = np.minimum(
            w_max,
            table["par_usd"].to_numpy() * quotes["dirty_bid"].to_numpy() / 100.0 / in_kind_target,
        )
    else:
        upper = np.full(len(ids), w_max)

    pool = _candidate_pool(table, eff, v, pool_n, k)
    ridge = 1.0
    # 1. uncapped NNLS over the pool picks the directions; keep 2K bonds: its picks,
    #    then the cheapest of the rest (room for the caps).
    w = _solve_weights(x[pool], target, eff[pool], None, lam, ridge)
    order = np.lexsort((eff[pool], -w))
    support = pool[order[: 2 * k]]
    # 2. capped solve on the 2K, keep the K largest; 3. capped solve on those K.
    w = _solve_weights(x[support], target, eff[support], upper[support], lam, ridge)
    order = np.argsort(-w, kind="stable")
    support = support[order[: max(1, min(k, int(np.count_nonzero(w > 0))))]]
    w = _solve_weights(x[support], target, eff[support], upper[support], lam, ridge)
    w = w / w.sum() if w.sum() > 0 else w

    price = quotes["dirty_bid"].to_numpy()[support]
    par_sel = _round_to_lots(w * in_kind_target / (price / 100.0), lot, min_piece)
    if side == "redeem":
        par_sel = np.minimum(par_sel, table["par_usd"].to_numpy()[support])
    par = np.zeros(len(ids))
    par[support] = par_sel
    keep_ids = par > 0
    details = _details(table, par, quotes).loc[keep_ids]
    details["cost_bp"] = cost[keep_ids]
    in_kind = float(details["value_usd"].sum())
    return Basket(
        etf_name=etf.name,
        units=units,
        creation_unit_size=etf.creation_unit_size,
        side=side,
        kind="custom",
        par=pd.Series(par[keep_ids], index=ids[keep_ids]),
        cash_component_usd=cash_component,
        cash_in_lieu_usd=nav * shares - cash_component - in_kind,
        nav_per_share=nav,
        details=details,
    )


def _check_max_bonds(max_bonds: Any) -> int:
    try:
        k = float(max_bonds)
    except (TypeError, ValueError):
        raise InputError(f"max_bonds: {max_bonds!r} is not a number") from None
    if not np.isfinite(k) or not k.is_integer() or k < 1:
        raise InputError(f"max_bonds: K must be a whole number of bonds >= 1, got {max_bonds!r}")
    return int(k)


def _preference(prefer: Any, cost: np.ndarray, ids: pd.Index) -> np.ndarray:
    """Effective per-bond cost (bp) the optimiser sees after the fund's preference."""
    if prefer is None:
        return cost
    if isinstance(prefer, str):
        if prefer != "illiquid first":
            raise InputError(
                f"prefer: unknown preference {prefer!r}; use 'illiquid first' or a "
                "Series of scores by bond id"
            )
        return cost.max() - cost
    if not isinstance(prefer, pd.Series):
        raise InputError(
            f"prefer: expected a Series of scores by bond id or 'illiquid first', "
            f"got {type(prefer).__name__}"
        )
    score = pd.to_numeric(prefer, errors="coerce")
    score.index = score.index.astype(str)
    if not np.isfinite(score.to_numpy(dtype=float)).all():
        bad = list(score.index[~np.isfinite(score.to_numpy(dtype=float))][:10])
        raise InputError(f"prefer: scores must be finite numbers; bad for {bad}")
    outside = score.index.difference(ids)
    if len(outside):
        raise InputError(
            f"prefer: {len(outside)} bond(s) the fund does not hold: {list(outside[:10])}"
        )
    bonus = score.reindex(ids).fillna(0.0).to_numpy()
    eff = cost - bonus
    return eff - min(0.0, eff.min())


def _candidate_pool(
    table: pd.DataFrame, cost: np.ndarray, weight: np.ndarray, pool_size: int, k: int
) -> np.ndarray:
    """Positions of the cheapest bonds of each sector x maturity cell, by cell weight."""
    n = len(table)
    if n <= max(pool_size, 2 * k):
        return np.arange(n)
    bucket = np.searchsorted(
        np.asarray(MATURITY_BUCKETS[1:-1]), table["years"].to_numpy(), side="right"
    )
    cell = pd.factorize(
        pd.Series(table["sector"].to_numpy()).astype(str) + "|" + pd.Series(bucket).astype(str)
    )[0]
    n_cells = cell.max() + 1
    cell_weight = np.bincount(cell, weights=weight, minlength=n_cells)
    quota = np.maximum(2, np.ceil(pool_size * cell_weight)).astype(int)
    order = np.lexsort((cost, cell))
    first = np.searchsorted(cell[order], np.arange(n_cells))
    rank = np.arange(n) - first[cell[order]]
    chosen = order[rank < quota[cell[order]]]
    return np.sort(chosen)


# ---------------------------------------------------------------------- distance
def _basket_features(basket: Basket, market: MarketState, regime: str | None) -> dict[str, Any]:
    ids = basket.par.index
    out: dict[str, Any] = {"n_bonds": basket.n_bonds}
    if len(ids) == 0:
        return out
    bonds = market.bonds.select(ids)
    res = price_bonds(bonds, market.curve, market.settlement, spread=market.z_spread)
    krd = key_rate_durations(bonds, market.curve, market.settlement, spread=market.z_spread)
    mv = basket.par.to_numpy() * res["dirty_price"].to_numpy() / 100.0
    w = mv / mv.sum()
    for t, col in zip(krd.columns, krd.to_numpy().T, strict=True):
        out[f"krd_{t:g}y"] = float(w @ col)
    out["spread_duration"] = float(w @ res["spread_duration"].to_numpy())
    attrs = bonds.attributes
    sector = attrs["sector"].astype(str) if "sector" in attrs else pd.Series("all", index=ids)
    for s, val in pd.Series(w, index=ids).groupby(sector.to_numpy()).sum().items():
        out[f"sector: {s}"] = float(val)
    h = liq.bond_half_spread_bp(market, bonds, check_regime(regime or market.regime))
    out["avg_half_spread_bp"] = float(w @ h.to_numpy())
    return out


def _fund_as_basket(etf: ETF, market: MarketState) -> Basket:
    held = etf.holdings[etf.holdings > 0]
    return Basket(etf.name, 1, etf.creation_unit_size, "create", "pro_rata", held)


def basket_distance(
    basket: Basket | Mapping[str, Basket],
    etf: ETF,
    market: MarketState,
    regime: str | None = None,
) -> pd.DataFrame:
    """How far a basket (or several) is from the fund: risk, sectors, liquidity.

    Parameters
    ----------
    basket : Basket or mapping of name to Basket
    etf, market
    regime : {"normal", "stress"}, optional
        Regime of the half-spreads shown (default: the market's).

    Returns
    -------
    pandas.DataFrame
        Rows: key-rate durations by tenor (``krd_5y`` ...), spread duration, sector
        weights (``sector: Banking`` ...), value-weighted average half-spread (bp),
        number of bonds, and three distances: ``krd_distance`` (root sum of squared
        KRD differences, years), ``spread_duration_gap`` (absolute, years) and
        ``sector_distance`` (half the sum of absolute sector weight differences:
        the share of value in the wrong sector). Columns: ``fund``, then
        ``basket`` and ``difference`` for one basket, or one column per named
        basket.
    """
    single = isinstance(basket, Basket)
    baskets = {"basket": basket} if single else dict(basket)
    for name, b in baskets.items():
        if not isinstance(b, Basket):
            raise InputError(f"basket {name!r}: expected a Basket, got {type(b).__name__}")
    fund = _basket_features(_fund_as_basket(etf, market), market, regime)
    cols = {"fund": fund}
    for name, b in baskets.items():
        cols[name] = _basket_features(b, market, regime)
    frame = pd.DataFrame(cols)
    krd_rows = [r for r in frame.index if r.startswith("krd_")]
    sector_rows = sorted(r for r in frame.index if r.startswith("sector: "))
    frame.loc[sector_rows] = frame.loc[sector_rows].fillna(0.0)
    order = krd_rows + ["spread_duration"] + sector_rows + ["avg_half_spread_bp", "n_bonds"]
    frame = frame.loc[order]
    for name in baskets:
        diff = frame[name] - frame["fund"]
        frame.loc["krd_distance", name] = float(np.sqrt((diff[krd_rows] ** 2).sum()))
        frame.loc["spread_duration_gap", name] = float(abs(diff["spread_duration"]))
        frame.loc["sector_distance", name] = float(0.5 * diff[sector_rows].abs().sum())
    frame.loc[["krd_distance", "spread_duration_gap", "sector_distance"], "fund"] = 0.0
    if single:
        frame["difference"] = frame["basket"] - frame["fund"]
        dist = ["krd_distance", "spread_duration_gap", "sector_distance"]
        frame.loc[dist, "difference"] = frame.loc[dist, "basket"]
    frame.index.name = "metric"
    return frame


__all__ = [
    "BASKET_KINDS",
    "BASKET_SIDES",
    "DEFAULT_TOLERANCES",
    "Basket",
    "basket_distance",
    "basket_from_par",
    "bond_quotes",
    "cash_basket",
    "check_basket",
    "check_units",
    "custom_basket",
    "eligible_ids",
    "pro_rata_basket",
]
