"""Creation and redemption baskets: pro-rata, cash, and from given par.

A basket is what an Authorized Participant delivers to the fund for ``units``
creation units (or receives for them): bonds in kind (par by bond id), the fund's
cash share (the *cash component*), and cash in lieu of the bonds it does not
deliver. Its value on the official (bid) side equals NAV x shares of the units.

The custom (optimised) basket and :func:`basket_distance` live in :mod:`.custom`;
they stay importable from here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import renamed_keywords, warn_renamed
from .._results import frame_copy, make_summary
from .._validation import finite, integer, positive, show
from ..bonds.bondset import BondSet
from ..bonds.pricing import price_bonds
from ..errors import InputError
from ..fund.etf import ETF
from ..state import (
    ORDERS,
    QUOTE_SIDES,
    IdentityCache,
    MarketState,
    check_order,
    check_quote_side,
    check_regime,
)
from . import _liquidity as liq

#: Former name of :data:`etfcore.state.ORDERS`: which way a basket goes, the AP
#: delivers it ("create") or receives it ("redeem").
BASKET_SIDES = ORDERS
#: How a basket is made up.
BASKET_KINDS = ("pro_rata", "custom", "cash")


# ---------------------------------------------------------------------- checks
def check_units(units: Any, where: str = "units") -> int:
    """Return ``units`` as an int if it is a whole number of creation units >= 1.

    Raises
    ------
    InputError
        For a fraction, zero, a negative number or anything that is not a number.

    Examples
    --------
    >>> check_units(3.0)
    3
    """
    if isinstance(units, (bool, np.bool_)):
        raise InputError(f"{where}: {show(units)} is not a number of creation units")
    try:
        u = float(units)
    except (TypeError, ValueError):
        raise InputError(
            f"{where}: {show(units)} is not a number; creation and redemption orders are "
            "a whole number of creation units >= 1"
        ) from None
    if not np.isfinite(u) or not u.is_integer() or u < 1:
        raise InputError(
            f"{where}: got {show(units)}; creation and redemption orders must be a whole "
            "number of creation units >= 1 (round to whole units, or trade the rest "
            "of the shares on the exchange)"
        )
    return int(u)


def check_basket_side(side: Any) -> str:
    """Former name of :func:`etfcore.state.check_order` ("create" or "redeem")."""
    return check_order(side)


def eligible_ids(etf: ETF, eligible: Any = None) -> pd.Index:
    """The bonds ``etf`` can take in kind: ``eligible`` if given, else its holdings.

    A fund's eligible universe is its index; without one, etfcore takes only bonds
    the fund already holds (pass ``eligible=`` a list of ids to widen it).

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> len(eligible_ids(m.etfs["IG_BROAD"]))
    2466
    """
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

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> check_basket(pro_rata_basket(etf, m), etf, m)  # no error: the fund can take it
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
    if basket.order == "create":
        ok = eligible_ids(etf, eligible)
        # a hash lookup in the eligible ids (Index.isin of pyarrow strings builds a Python
        # scalar per eligible id); isin only when they repeat
        inside = ok.get_indexer(ids) >= 0 if ok.is_unique else ids.isin(ok)
        outside = ids[~inside]
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
#: Recently used quote tables: every bond of a market priced once per (bonds, curve,
#: z-spreads, settlement, liquidity model, scores, regime). Each entry holds the very
#: objects it was computed from and is served only for them (``is``), with the
#: z-spreads compared by value, so a garbage-collected model's reused ``id`` can never
#: bring back its quotes. At most ``_QUOTE_CACHE_SIZE`` entries.
_QUOTE_CACHE_SIZE = 8
_QUOTE_CACHE = IdentityCache(maxsize=_QUOTE_CACHE_SIZE)


def _quote_table(market: MarketState, bonds: BondSet, regime: str) -> pd.DataFrame:
    res = None
    if bonds is market.bonds:
        from ..fund.risk import market_prices

        res = market_prices(market)  # priced once per market, shared by both regimes
    if res is None:
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
    deps = (market.bonds, market.curve, market.liquidity, market.liquidity_scores)
    # ids in the key are safe: the entry holds these objects, so their ids stay theirs
    key = ("quotes", *(id(d) for d in deps), market.settlement, regime)
    z = market.z_spread.to_numpy()
    hit = _QUOTE_CACHE.get(key, deps)
    if hit is not None and np.array_equal(hit[0], z):
        return hit[1]
    try:
        table = _quote_table(market, market.bonds, regime)
    except (InputError, ArithmeticError):
        table = None
    _QUOTE_CACHE.put(key, deps, (z.copy(), table))
    return table


def bond_quotes(market: MarketState, ids: Any, regime: str | None = None) -> pd.DataFrame:
    """Bid, mid and ask dirty prices (per 100 face) of the bonds ``ids``.

    Parameters
    ----------
    market : MarketState
    ids : list-like of str
        Bond ids of the market.
    regime : {"normal", "stress"}, optional
        Regime of the half-spreads (default: the market's).

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
    every side. The whole market is priced once per curve, spreads, liquidity model
    and regime and kept in a small cache (8 entries) that holds the objects it was
    computed from.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> q = bond_quotes(m, m.bonds.ids[:3])
    >>> bool((q["dirty_bid"] < q["dirty_mid"]).all() and (q["dirty_mid"] < q["dirty_ask"]).all())
    True
    """
    regime = market.regime if regime is None else check_regime(regime)
    ids = pd.Index(ids)
    if len(ids) == 0:
        return pd.DataFrame(columns=_QUOTE_COLUMNS, index=ids, dtype=float)
    pos = market.bonds.ids.get_indexer(ids)
    if (pos < 0).any():
        unknown = list(ids[pos < 0][:20])
        raise InputError(f"{(pos < 0).sum()} bond(s) are not in the market: {unknown}")
    return _quotes_at(market, pos, regime)


def _quotes_at(market: MarketState, pos: np.ndarray, regime: str) -> pd.DataFrame:
    """:func:`bond_quotes` of the market's bonds at positions ``pos`` (no id lookup)."""
    table = _market_quotes(market, regime)
    if table is not None:
        return table.iloc[pos].copy()
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
    order : {"create", "redeem"}
        "create": the AP delivers the basket and receives shares; "redeem": the
        reverse. (Formerly ``side``, which still works with a deprecation warning.)
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

    Raises
    ------
    InputError
        For fractional units, an unknown order or kind, negative, NaN or duplicate par.

    Notes
    -----
    ``value_usd(market, "bid") = sum(par x bid dirty / 100) + cash component + cash
    in lieu``; a basket built by :func:`pro_rata_basket` or :func:`custom_basket`
    is worth NAV (bid) x shares in the market it was built in.

    Examples
    --------
    >>> import pandas as pd
    >>> b = Basket("X", 2, 50_000, "create", "custom", pd.Series({"A": 1e6, "B": 0.0}))
    >>> b.shares, b.n_bonds, b.order
    (100000, 1, 'create')
    """

    etf_name: str
    units: int
    creation_unit_size: int
    order: str
    kind: str
    par: pd.Series
    cash_component_usd: float = 0.0
    cash_in_lieu_usd: float = 0.0
    nav_per_share: float = float("nan")
    details: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "units", check_units(self.units))
        object.__setattr__(
            self,
            "creation_unit_size",
            integer(self.creation_unit_size, "creation_unit_size", minimum=1),
        )
        object.__setattr__(self, "order", check_order(self.order))
        if self.kind not in BASKET_KINDS:
            raise InputError(
                f"kind: unknown basket kind {show(self.kind)}; use one of {list(BASKET_KINDS)}"
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
            rows = [f"{par.index[i]}: par {show(par.iloc[i])}" for i in np.flatnonzero(bad)[:20]]
            raise InputError.from_problems(
                "basket par must be finite amounts >= 0 (USD); a negative par is not a "
                "delivery (use the other order)",
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
    def side(self) -> str:
        """Deprecated: use :attr:`order` ("create" or "redeem"); warns.

        Examples
        --------
        >>> import warnings
        >>> import pandas as pd
        >>> b = Basket("X", 1, 50_000, "redeem", "custom", pd.Series({"A": 1e6}))
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     b.side
        'redeem'
        """
        warn_renamed("Basket.side", "Basket.order", "Basket", stacklevel=3)
        return self.order

    @property
    def shares(self) -> int:
        """Shares the basket is exchanged for: units x creation unit size.

        Examples
        --------
        >>> import pandas as pd
        >>> Basket("X", 3, 50_000, "create", "custom", pd.Series({"A": 1e6})).shares
        150000
        """
        return self.units * self.creation_unit_size

    @property
    def n_bonds(self) -> int:
        """Number of bonds delivered in kind.

        Examples
        --------
        >>> import pandas as pd
        >>> Basket("X", 1, 50_000, "create", "custom", pd.Series({"A": 1e6, "B": 0})).n_bonds
        1
        """
        return int(len(self.par))

    def __repr__(self) -> str:
        return (
            f"Basket({self.etf_name} {self.order} {self.units} unit(s) = {self.shares:,} "
            f"shares, {self.kind}: {self.n_bonds} bonds, par ${self.par.sum() / 1e6:,.2f} mm, "
            f"cash component ${self.cash_component_usd:,.0f}, cash in lieu "
            f"${self.cash_in_lieu_usd:,.0f})"
        )

    def replace(self, **changes: Any) -> Basket:
        """A copy with ``changes`` applied (validated again).

        Examples
        --------
        >>> import pandas as pd
        >>> b = Basket("X", 1, 50_000, "create", "custom", pd.Series({"A": 1e6}))
        >>> b.replace(units=3).shares
        150000
        """
        if "side" in changes:
            if "order" in changes:
                raise InputError("Basket.replace: got both 'side' (deprecated) and 'order'")
            warn_renamed("side=", "order=", "Basket.replace")
            changes["order"] = changes.pop("side")
        return dataclasses.replace(self, **changes)

    def as_order(self, order: str) -> Basket:
        """The same basket going the other way ("create" or "redeem").

        Examples
        --------
        >>> import pandas as pd
        >>> b = Basket("X", 1, 50_000, "create", "custom", pd.Series({"A": 1e6}))
        >>> b.as_order("redeem").order
        'redeem'
        """
        return self.replace(order=check_order(order))

    def as_side(self, side: str) -> Basket:
        """Deprecated: use :meth:`as_order`; warns.

        Examples
        --------
        >>> import warnings
        >>> import pandas as pd
        >>> b = Basket("X", 1, 50_000, "create", "custom", pd.Series({"A": 1e6}))
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     b.as_side("redeem").order
        'redeem'
        """
        warn_renamed("Basket.as_side", "Basket.as_order", "Basket")
        return self.as_order(side)

    # ------------------------------------------------------------------ values
    @renamed_keywords(side="quote_side")
    def in_kind_value_usd(
        self, market: MarketState, quote_side: str = "bid", regime: str | None = None
    ) -> float:
        """Value of the bonds delivered in kind on ``quote_side`` (dirty), USD.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> b = pro_rata_basket(m.etfs["IG_BROAD"], m)
        >>> b.in_kind_value_usd(m, "bid") < b.in_kind_value_usd(m, "ask")
        True
        """
        s = check_quote_side(quote_side)
        if self.n_bonds == 0:
            return 0.0
        q = bond_quotes(market, self.par.index, regime)
        return float(np.dot(self.par.to_numpy(), q[f"dirty_{s}"].to_numpy()) / 100.0)

    def cash_usd(self) -> float:
        """All the cash in the basket: cash component plus cash in lieu, USD.

        Examples
        --------
        >>> import pandas as pd
        >>> Basket("X", 1, 50_000, "create", "cash", pd.Series(dtype=float), 10.0, 90.0).cash_usd()
        100.0
        """
        return self.cash_component_usd + self.cash_in_lieu_usd

    @renamed_keywords(side="quote_side")
    def value_usd(
        self, market: MarketState, quote_side: str = "bid", regime: str | None = None
    ) -> float:
        """Value of the whole basket on ``quote_side``: bonds in kind plus all cash, USD.

        ``regime`` defaults to the market's.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> b = pro_rata_basket(etf, m)
        >>> round(b.value_usd(m, "bid") / (etf.nav(m, "bid") * b.shares), 9)
        1.0
        """
        return self.in_kind_value_usd(market, quote_side, regime) + self.cash_usd()

    def value_breakdown(self, market: MarketState, regime: str | None = None) -> pd.DataFrame:
        """In-kind value, cash component, cash in lieu and total, on the three quote sides.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> v = pro_rata_basket(m.etfs["IG_BROAD"], m).value_breakdown(m)
        >>> list(v.columns), list(v.index)[-1]
        (['bid', 'mid', 'ask'], 'total_usd')
        """
        rows = {}
        for s in QUOTE_SIDES:
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
        """One row per bond delivered in kind (par and, when known, prices and values); a copy.

        Examples
        --------
        >>> import pandas as pd
        >>> f = Basket("X", 1, 50_000, "create", "custom", pd.Series({"A": 1e6})).to_frame()
        >>> f["par_usd"].to_dict()
        {'A': 1000000.0}
        """
        if self.details is not None:
            return frame_copy(self.details.loc[self.par.index])
        return self.par.to_frame()

    def totals(self, market: MarketState | None = None) -> pd.Series:
        """Headline numbers as numbers: units, shares, bonds, values and cash shares.

        The in-kind value is the bid value at construction, or in ``market`` if given.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> t = pro_rata_basket(m.etfs["IG_BROAD"], m).totals()
        >>> int(t["shares"]), t["order"]
        (100000, 'create')
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
                "order": self.order,
                "kind": self.kind,
                "units": self.units,
                "shares": self.shares,
                "n_bonds": self.n_bonds,
                "par_usd": float(self.par.sum()),
                "in_kind_value_usd": ik,
                "cash_component_usd": self.cash_component_usd,
                "cash_in_lieu_usd": self.cash_in_lieu_usd,
                "total_value_usd": total,
                "cash_in_lieu_pct": 100.0 * self.cash_in_lieu_usd / total if total else np.nan,
                "nav_per_share": self.nav_per_share,
            },
            name=f"{self.etf_name} {self.kind} {self.order} basket",
            dtype=object,
        )

    def summary(self, market: MarketState | None = None) -> Any:
        """The basket at a glance (:meth:`totals`, formatted), a statsmodels ``Summary``.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> lines = str(pro_rata_basket(m.etfs["IG_BROAD"], m).summary()).splitlines()
        >>> lines[0].strip()
        'IG_BROAD pro_rata create basket'
        >>> [line.split() for line in lines if line.startswith(("shares", "cash_in_lieu_pct"))]
        [['shares', '100,000'], ['cash_in_lieu_pct', '11.85']]
        """
        t = self.totals(market)
        return make_summary(
            str(t.name),
            [t],
            [
                "Values are dirty, on the fund's official (bid) side, USD; cash in lieu "
                "is the rounding and the bonds left out, at the bid."
            ],
        )

    def plot(self, ax: Any = None, by: str = "sector") -> Any:
        """Horizontal bars of the basket's value by ``by`` (a details column), plus cash.

        Returns the matplotlib Axes; a new figure uses constrained layout, so saved
        figures keep their labels.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> ax = pro_rata_basket(m.etfs["IG_BROAD"], m).plot()
        >>> ax.get_xlabel()
        'value, $ mm'
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
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
            f"{self.etf_name}: {self.kind} {self.order} basket, {self.units} unit(s), "
            f"{self.n_bonds} bonds"
        )
        return ax


Basket.__init__ = renamed_keywords(side="order")(Basket.__init__)  # type: ignore[method-assign]


# ---------------------------------------------------------------------- builders
def _shares_for(etf: ETF, units: int, order: str) -> tuple[int, float]:
    shares = units * etf.creation_unit_size
    if order == "redeem" and shares >= etf.shares_outstanding:
        raise InputError(
            f"units: redeeming {units} unit(s) = {shares:,} shares would leave {etf.name} with "
            f"{etf.shares_outstanding - shares:,.0f} shares; redeem fewer units than the fund has"
        )
    return shares, shares / etf.shares_outstanding


def _round_to_lots(target_par: np.ndarray, lot_usd: float, min_piece_usd: float) -> np.ndarray:
    par = np.floor(target_par / lot_usd + 1e-9) * lot_usd
    par[par < min_piece_usd] = 0.0
    return par


_STR_DTYPE = pd.Series(["x"]).dtype  # pandas' default dtype for strings


def _details(
    frame: pd.DataFrame,
    par: np.ndarray,
    quotes: pd.DataFrame,
    index: pd.Index | None = None,
    **extra: np.ndarray,
) -> pd.DataFrame:
    columns: dict[str, Any] = {"par_usd": par}
    for c in ("dirty_bid", "dirty_mid", "dirty_ask", "half_spread_bp"):
        columns[c] = quotes[c].to_numpy()
    columns["value_usd"] = par * columns["dirty_bid"] / 100.0
    for c in ("issuer", "sector", "rating", "grade"):
        if c in frame:
            col = frame[c]
            # a str column as it is (what the round trip through numpy objects gives back)
            columns[c] = col.array if col.dtype == _STR_DTYPE else col.to_numpy()
    columns.update(extra)
    return pd.DataFrame(columns, index=frame.index if index is None else index)


def _pro_rata(
    etf: ETF,
    market: MarketState,
    units: int,
    order: str,
    lot_usd: float,
    min_piece_usd: float,
) -> Basket:
    """:func:`pro_rata_basket` without the argument checks (callers checked them)."""
    shares, f = _shares_for(etf, units, order)
    is_held = etf.holdings.to_numpy() > 0
    held = etf.holdings[is_held]
    try:
        pos = etf._bond_positions(market)[is_held]  # where the holdings sit in the market
    except InputError:  # a holding the market does not know: bond_quotes names it
        pos = None
    if pos is None:
        quotes = bond_quotes(market, held.index, market.regime)
        pos = market.bonds.ids.get_indexer(held.index)
    else:
        quotes = _quotes_at(market, pos, market.regime)
    target = held.to_numpy() * f
    par = _round_to_lots(target, lot_usd, min_piece_usd)
    if order == "redeem":
        par = np.minimum(par, held.to_numpy())
    cil = float(np.dot(target - par, quotes["dirty_bid"].to_numpy()) / 100.0)
    frame = market.bonds.attributes.iloc[pos]
    details = _details(
        frame,
        par,
        quotes,
        held.index,
        target_par_usd=target,
        cash_in_lieu_usd=(target - par) * quotes["dirty_bid"].to_numpy() / 100.0,
    )
    return Basket(
        etf_name=etf.name,
        units=units,
        creation_unit_size=etf.creation_unit_size,
        order=order,
        kind="pro_rata",
        par=pd.Series(par, index=held.index),
        cash_component_usd=f * _other_assets(etf, market),
        cash_in_lieu_usd=cil,
        nav_per_share=etf.nav(market, "bid"),
        details=details,
    )


@renamed_keywords(side="order")
def pro_rata_basket(
    etf: ETF,
    market: MarketState,
    units: int = 1,
    order: str = "create",
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
    order : {"create", "redeem"}
        (Formerly ``side``.)
    lot_usd : float, default 1,000
        Par increment a bond trades in; each position is rounded down to it.
    min_piece_usd : float, default 2,000
        Smallest par worth delivering; smaller pieces go to cash in lieu.

    Returns
    -------
    Basket
        ``kind="pro_rata"``.

    Raises
    ------
    InputError
        For fractional units, an unknown order, or a redemption that would cancel
        every share of the fund.

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
    order = check_order(order)
    lot = positive(lot_usd, "lot_usd")
    min_piece = positive(min_piece_usd, "min_piece_usd", allow_zero=True)
    return _pro_rata(etf, market, units, order, lot, min_piece)


@renamed_keywords(side="order")
def cash_basket(etf: ETF, market: MarketState, units: int = 1, order: str = "create") -> Basket:
    """A cash order: no bonds in kind, the whole value (NAV x shares) in cash.

    Parameters
    ----------
    etf, market
    units : int, default 1
    order : {"create", "redeem"}
        (Formerly ``side``.)

    Returns
    -------
    Basket
        ``kind="cash"``: the cash component plus cash in lieu of every bond.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> b = cash_basket(m.etfs["IG_BROAD"], m)
    >>> b.n_bonds, b.kind
    (0, 'cash')
    """
    units = check_units(units)
    order = check_order(order)
    shares, f = _shares_for(etf, units, order)
    nav = etf.nav(market, "bid")
    cash_component = f * _other_assets(etf, market)
    return Basket(
        etf_name=etf.name,
        units=units,
        creation_unit_size=etf.creation_unit_size,
        order=order,
        kind="cash",
        par=pd.Series(dtype=float),
        cash_component_usd=cash_component,
        cash_in_lieu_usd=nav * shares - cash_component,
        nav_per_share=nav,
    )


#: A basket's bonds may be worth this much more than the unit's in-kind share (NAV x
#: shares less the cash component) before :func:`basket_from_par` refuses it: rounding.
OVERFULL_TOLERANCE = 1e-9


@renamed_keywords(side="order")
def basket_from_par(
    etf: ETF,
    market: MarketState,
    par: pd.Series,
    units: int = 1,
    order: str = "create",
    kind: str = "custom",
    eligible: Any = None,
) -> Basket:
    """A basket of the given bonds; cash in lieu makes it worth NAV x shares.

    Parameters
    ----------
    etf, market
    par : pandas.Series
        Par (USD) by bond id, each >= 0.
    units : int, default 1
    order : {"create", "redeem"}
        (Formerly ``side``.)
    kind : {"custom", "pro_rata", "cash"}, default "custom"
    eligible : list of ids, optional
        The fund's eligible universe (default: its holdings); see :func:`check_basket`.

    Returns
    -------
    Basket
        Cash in lieu ``= NAV x shares - cash component - in-kind value (bid)``, >= 0.

    Raises
    ------
    InputError
        For negative par, a fractional number of units, a bond the fund cannot take
        (see :func:`check_basket`), or bonds worth more than the units (the cash in
        lieu would be negative: the fund would pay the AP for an oversized delivery).

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> b = basket_from_par(etf, m, pd.Series(1e6, index=etf.holdings.index[:3]))
    >>> b.n_bonds, b.cash_in_lieu_usd > 0
    (3, True)
    """
    units = check_units(units)
    order = check_order(order)
    shares, f = _shares_for(etf, units, order)
    nav = etf.nav(market, "bid")
    cash_component = f * _other_assets(etf, market)
    draft = Basket(
        etf.name, units, etf.creation_unit_size, order, kind, par, cash_component, 0.0, nav
    )
    check_basket(draft, etf, market, eligible)
    quotes = bond_quotes(market, draft.par.index, market.regime)
    frame = market.bonds.attributes.reindex(draft.par.index)
    details = _details(frame, draft.par.to_numpy(), quotes)
    in_kind = float(details["value_usd"].sum())
    room = nav * shares - cash_component
    if in_kind > room * (1 + OVERFULL_TOLERANCE) + 1e-6:
        raise InputError(
            f"par: the bonds are worth ${in_kind:,.0f} at the bid, more than {units} unit(s) "
            f"of {etf.name} hold in bonds (${room:,.0f} = NAV {nav:.4f} x {shares:,} shares "
            f"less the cash component); scale the par down (by {room / in_kind:.4g}) or "
            "order more units"
        )
    return draft.replace(cash_in_lieu_usd=room - in_kind, details=details)


# ---------------------------------------------------------------------- moved
#: Names that moved to :mod:`.custom` and stay importable from here.
_MOVED_TO_CUSTOM = ("DEFAULT_TOLERANCES", "MATURITY_BUCKETS", "basket_distance", "custom_basket")


def __getattr__(name: str) -> Any:
    if name in _MOVED_TO_CUSTOM:
        from . import custom

        return getattr(custom, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BASKET_KINDS",
    "BASKET_SIDES",
    "DEFAULT_TOLERANCES",  # noqa: F822 (moved to .custom; served by __getattr__)
    "OVERFULL_TOLERANCE",
    "Basket",
    "basket_distance",  # noqa: F822 (moved to .custom; served by __getattr__)
    "basket_from_par",
    "bond_quotes",
    "cash_basket",
    "check_basket",
    "check_units",
    "custom_basket",  # noqa: F822 (moved to .custom; served by __getattr__)
    "eligible_ids",
    "pro_rata_basket",
]
