"""The ETF: holdings, cash, liabilities and shares; NAV on the bid, mid and ask side."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import renamed_keywords
from .._results import frame_copy, make_summary
from .._validation import decimal, non_negative, show
from ..bonds import _kernels as BK
from ..bonds.bondset import BondSet
from ..bonds.curves import CurveScenarios
from ..bonds.dates import to_timestamps
from ..bonds.schedule import Cashflows, ladder_values_on_scenarios
from ..errors import InputError
from ..state import QUOTE_SIDES, IdentityCache, MarketState, _check_curve, check_quote_side
from . import _kernels as K

#: Former name of :data:`etfcore.state.QUOTE_SIDES` (``("bid", "mid", "ask")``).
SIDES = QUOTE_SIDES
_SIDE_INDEX = {s: i for i, s in enumerate(QUOTE_SIDES)}

#: Largest par of one holding, USD ($1 trillion: about 70 times the largest corporate
#: bond issue outstanding); anything above is a unit error (par in cents, a price).
MAX_PAR_USD = 1e12
#: Largest cash, receivable, liability or share count one fund can plausibly carry
#: ($10 trillion: the size of the whole US corporate bond market).
MAX_AMOUNT_USD = 1e13
#: Largest plausible annual expense ratio, decimal (5%; bond ETFs charge 0.03-0.5%).
MAX_EXPENSE_RATIO = 0.05


def check_side(side: Any) -> int:
    """Position of ``side`` in (bid, mid, ask); InputError for anything else.

    Kept for old callers: new code uses :func:`etfcore.state.check_quote_side`, which
    returns the name.

    Examples
    --------
    >>> check_side("ask")
    2
    """
    return _SIDE_INDEX[check_quote_side(side, "quote_side")]


def check_market(market: Any, where: str = "market") -> MarketState:
    """``market`` if it is a MarketState, else an InputError that says what to pass.

    Examples
    --------
    >>> check_market(None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: market: expected a MarketState (...), got NoneType
    """
    if not isinstance(market, MarketState):
        raise InputError(
            f"{where}: expected a MarketState (for instance etfcore.market.synthetic_market()), "
            f"got {type(market).__name__}"
        )
    return market


def _amount(value: Any, name: str, limit: float = MAX_AMOUNT_USD) -> float:
    """A finite amount >= 0 and at most ``limit`` (a larger one is a unit error)."""
    v = non_negative(value, name)
    if v > limit:
        raise InputError(
            f"{name}: {show(v)} is larger than {limit:.0e}, more than any fund holds; "
            "check the unit (USD, not cents)"
        )
    return v


@dataclass(frozen=True)
class CreationFees:
    """What an Authorized Participant pays the fund per creation or redemption order.

    Parameters
    ----------
    fixed_usd : float
        Transaction fee per order, whatever its size (US bond ETFs: a few hundred
        dollars).
    in_kind_bp : float
        Variable charge on the value delivered in kind, bp.
    cash_bp : float
        Variable charge on the value delivered in cash (cash orders and cash-in-lieu),
        covering the fund's own trading costs, bp.
    custom_bp : float
        Extra variable charge on custom-basket orders, bp.

    Notes
    -----
    Issuers publish a fixed fee per order plus variable charges of up to a few percent
    for cash or custom orders (DESIGN.md, "The primary market"); a variable charge
    above 1,000 bp (10%) is rejected as a unit error.

    Examples
    --------
    >>> fees = CreationFees(fixed_usd=250.0, cash_bp=5.0)
    >>> fees.cash_bp, fees.custom_bp
    (5.0, 3.0)
    """

    fixed_usd: float = 500.0
    in_kind_bp: float = 0.0
    cash_bp: float = 10.0
    custom_bp: float = 3.0

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = non_negative(getattr(self, f.name), f.name)
            if f.name.endswith("_bp") and value > 1000.0:
                raise InputError(
                    f"{f.name}: {show(value)} bp is more than 10% of the order; give the "
                    "charge in bp (0.1% is 10 bp)"
                )
            if f.name == "fixed_usd" and value > 1e9:
                raise InputError(f"fixed_usd: {show(value)} is not a plausible fee per order")
            object.__setattr__(self, f.name, value)


#: Spread-weighted flow amounts of every bond of a market (``Cashflows.
#: spread_weighted_amounts`` of the market's flows and z-spreads), once per bond set and
#: settlement, the z-spreads compared by value; each entry holds its bond set.
_MARKET_AMOUNTS = IdentityCache(maxsize=8)


def _market_amounts(market: MarketState, every: Cashflows) -> np.ndarray:
    key = ("amounts", id(market.bonds), int(market.settlement))
    z = market.z_spread.to_numpy()
    hit = _MARKET_AMOUNTS.get(key, (market.bonds, every))
    if hit is not None and np.array_equal(hit[0], z):
        return hit[1]
    # a writable copy: a read-only array would be another numba signature (another load)
    spread = np.array(market.z_spread.reindex(market.bonds.ids), dtype=float)
    amounts = every.spread_weighted_amounts(spread)
    amounts.setflags(write=False)
    _MARKET_AMOUNTS.put(key, (market.bonds, every), (z.copy(), amounts))
    return amounts


def _fund_flows(etf: ETF, market: MarketState, bonds: BondSet) -> tuple:
    """``(offsets, spread-weighted amounts, day_index, unique_days, accrued)`` of the fund.

    The numbers of ``bonds.cashflows(settlement)`` (and its ``spread_weighted_amounts``
    at the bonds' z-spreads): each bond's flows are generated, and weighted by its
    spread, on their own, so the fund's are its rows of the market's (built once per
    market, shared with the market's pricing); the distinct days are the fund's, as
    the builder finds them. A market whose flows cannot be built: the fund's own.
    """
    try:
        every = market.bonds.cashflows(market.settlement)
    except (InputError, ValueError):
        every = None
    if every is None:
        cf = bonds.cashflows(market.settlement)
        spread = market.z_spread.reindex(bonds.ids).to_numpy(dtype=float)
        amounts = cf.spread_weighted_amounts(spread)
        return cf.offsets, amounts, cf.day_index, cf.unique_days, cf.accrued
    pos = etf._bond_positions(market)
    counts = every.counts[pos]
    offsets = np.zeros(len(pos) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    flat = np.repeat(every.offsets[:-1][pos] - offsets[:-1], counts)
    flat += np.arange(offsets[-1], dtype=np.int64)
    unique_days, day_index = BK.unique_days_nb(every.payment[flat])
    amounts = _market_amounts(market, every)[flat]
    return offsets, amounts, day_index, unique_days, every.accrued[pos]


@dataclass(frozen=True, eq=False, repr=False)
class ETF:
    """A bond ETF: what it holds, what it owes, and how many shares share it.

    **NAV side:** :meth:`nav` defaults to the **mid** NAV; the **official** NAV that US
    bond ETFs strike uses **bid**-side prices: ``etf.official_nav(market)`` (the same as
    ``etf.nav(market, "bid")``).

    Immutable: operations (creations, redemptions, expense accrual, income) return a
    new ETF.

    Parameters
    ----------
    name : str
    holdings : pandas.Series
        Par (face) amount held of each bond, USD, indexed by bond id; finite, >= 0 and
        at most :data:`MAX_PAR_USD` each.
    shares_outstanding : float
    creation_unit_size : int, default 100,000
        Shares per creation unit.
    cash_usd, receivables_usd, liabilities_usd, accrued_expenses_usd : float
        Cash, amounts receivable (coupons, sales pending settlement), amounts payable
        (purchases pending, declared distributions) and management fees accrued but
        not yet paid.
    expense_ratio : float, default 0.0014
        Annual expense ratio, **decimal**: 14 bp is ``0.0014``. Values above 0.05 (5%)
        are taken for bp or percent and rejected.
    fees : CreationFees
    adv_shares : float
        Average daily secondary-market volume, shares.
    quoted_spread_bp : float
        The ETF's own quoted bid-ask spread on exchange, bp of price.
    description : str
    distributions_payable_usd : float
        The part of ``liabilities_usd`` that is distributions declared (gone ex) but not
        yet paid; see :func:`etfcore.fund.income.declare_distribution`.

    Raises
    ------
    InputError
        For negative, non-finite or absurdly large amounts (naming the holding), an
        expense ratio that looks like bp or percent, and fields of the wrong type.

    Notes
    -----
    ``NAV per share = (sum(par x (clean + accrued) / 100) + cash + receivables -
    liabilities - accrued expenses) / shares``. A bond's bid and ask prices are its mid
    price times ``1 -/+ h`` (``h``: half its bid-ask spread in the market's regime).
    Cash-flow ladders are cached per market (bonds, settlement, liquidity model,
    scores, regime and z-spreads; the very objects, held by the cache, never their
    ``id``), at most 16 entries, so a curve move reprices with one dot product.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> etf.official_nav(m) == etf.nav(m, "bid") < etf.nav(m)  # nav() is mid by default
    True
    >>> round(etf.official_nav(m), 2)
    109.86
    """

    name: str
    holdings: pd.Series
    shares_outstanding: float
    creation_unit_size: int = 100_000
    cash_usd: float = 0.0
    receivables_usd: float = 0.0
    liabilities_usd: float = 0.0
    accrued_expenses_usd: float = 0.0
    expense_ratio: float = 0.0014
    fees: CreationFees = field(default_factory=CreationFees)
    adv_shares: float = 0.0
    quoted_spread_bp: float = 1.0
    description: str = ""
    distributions_payable_usd: float = 0.0
    _cache: IdentityCache = field(
        default_factory=lambda: IdentityCache(maxsize=16), init=False, compare=False
    )

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"name: expected a non-empty str, got {show(self.name)}")
        h = self.holdings
        if not isinstance(h, pd.Series):
            raise InputError(
                f"{self.name}: holdings must be a pandas Series of par (USD) by bond id, "
                f"got {type(h).__name__}"
            )
        values = pd.to_numeric(h, errors="coerce").astype(float)
        arr = values.to_numpy()
        bad = ~np.isfinite(arr) | (arr < 0)
        if bad.any():
            rows = [f"{h.index[i]}: {show(h.iloc[i])}" for i in np.flatnonzero(bad)[:20]]
            raise InputError.from_problems(
                f"{self.name}: holdings must be finite par amounts >= 0 (USD)", rows
            )
        big = arr > MAX_PAR_USD
        if big.any():
            rows = [f"{h.index[i]}: {show(arr[i])}" for i in np.flatnonzero(big)[:20]]
            raise InputError.from_problems(
                f"{self.name}: holdings above {MAX_PAR_USD:.0e} USD of par (more than any "
                "bond issue); check the unit",
                rows,
            )
        if h.index.has_duplicates:
            dup = list(h.index[h.index.duplicated()].unique()[:10])
            raise InputError(f"{self.name}: holdings list bonds twice: {dup}; add them up first")
        values.index = pd.Index(h.index.astype(str), name="id")
        object.__setattr__(self, "holdings", values.rename("par_usd"))
        shares = _amount(self.shares_outstanding, "shares_outstanding")
        if shares <= 0:
            raise InputError(
                f"{self.name}: shares_outstanding is {show(shares)}; a fund needs shares "
                "outstanding > 0 to have a NAV per share"
            )
        object.__setattr__(self, "shares_outstanding", shares)
        cu = self.creation_unit_size
        try:
            whole = float(cu).is_integer() and cu > 0
        except (TypeError, ValueError):
            whole = False
        if not whole or isinstance(cu, bool):
            raise InputError(
                f"{self.name}: creation_unit_size {show(cu)} must be a positive whole number "
                "of shares"
            )
        object.__setattr__(self, "creation_unit_size", int(cu))
        for name in (
            "receivables_usd",
            "liabilities_usd",
            "accrued_expenses_usd",
            "adv_shares",
            "quoted_spread_bp",
            "distributions_payable_usd",
        ):
            object.__setattr__(self, name, _amount(getattr(self, name), name))
        ratio = decimal(self.expense_ratio, "expense_ratio", limit=MAX_EXPENSE_RATIO, lower=0.0)
        object.__setattr__(self, "expense_ratio", ratio)
        if self.distributions_payable_usd > self.liabilities_usd * (1 + 1e-12):
            raise InputError(
                f"{self.name}: distributions_payable_usd {show(self.distributions_payable_usd)} "
                f"exceeds liabilities_usd {show(self.liabilities_usd)}; declared distributions "
                "are part of the liabilities"
            )
        try:
            cash = float(self.cash_usd)
        except (TypeError, ValueError):
            raise InputError(
                f"{self.name}: cash_usd {show(self.cash_usd)} is not a number"
            ) from None
        if not np.isfinite(cash):
            raise InputError(f"{self.name}: cash_usd {show(cash)} is not finite")
        if abs(cash) > MAX_AMOUNT_USD:
            raise InputError(
                f"{self.name}: cash_usd {show(cash)} is larger than {MAX_AMOUNT_USD:.0e} in "
                "magnitude; check the unit"
            )
        object.__setattr__(self, "cash_usd", cash)
        if not isinstance(self.fees, CreationFees):
            raise InputError(f"{self.name}: fees must be a CreationFees")

    def __repr__(self) -> str:
        return (
            f"ETF({self.name!r}: {len(self.holdings):,} bonds, par "
            f"${self.holdings.sum() / 1e9:,.2f} bn, {self.shares_outstanding:,.0f} shares, "
            f"creation unit {self.creation_unit_size:,})"
        )

    def replace(self, **changes: Any) -> ETF:
        """A copy with ``changes`` applied (validated again; caches start empty).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> etf = synthetic_market(seed=0).etfs["IG_BROAD"]
        >>> etf.replace(cash_usd=0.0).cash_usd
        0.0
        """
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ bonds
    def bonds(self, market: MarketState) -> BondSet:
        """The BondSet of the fund's holdings, in holdings order.

        Raises
        ------
        InputError
            If a holding is not a bond of the market (naming every such id).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> len(etf.bonds(m)) == len(etf.holdings)
        True
        """
        universe = check_market(market).bonds
        hit = self._cache.get("bonds", (universe,))
        if hit is not None:
            return hit
        pos = universe.ids.get_indexer(self.holdings.index)
        if (pos < 0).any():
            unknown = list(self.holdings.index[pos < 0])
            raise InputError(
                f"{self.name}: {len(unknown)} holding(s) reference bonds the market does not "
                f"have: {unknown[:20]}{' ...' if len(unknown) > 20 else ''}; add them to the "
                "market's BondSet or remove them from the holdings"
            )
        bonds = universe.take(pos)
        self._cache.put("bonds", (universe,), bonds)
        self._cache.put("positions", (universe,), pos)
        return bonds

    def _bond_positions(self, market: MarketState) -> np.ndarray:
        """Position of each holding in ``market.bonds`` (holdings order; shared, read-only)."""
        universe = check_market(market).bonds
        hit = self._cache.get("positions", (universe,))
        if hit is None:
            bonds = self.bonds(market)
            hit = self._cache.get("positions", (universe,))
            if hit is None:  # evicted meanwhile: recompute
                hit = universe.ids.get_indexer(bonds.ids)
                self._cache.put("positions", (universe,), hit)
        return hit

    # ------------------------------------------------------------------ ladders
    def _ladder(self, market: MarketState, regime: str | None = None):
        """(days, ladder (3 x U), side constants (3,), accrued value) for ``market``.

        Cached on everything it depends on except the curve, so a curve move reprices
        the fund with one dot product per side. The entry holds the bond set, the
        liquidity model and the scores it was built from and is used only for those
        very objects (an ``id`` can be reused after garbage collection; an object held
        by the cache cannot be collected); the z-spreads are compared by value.
        """
        market = check_market(market)
        regime = market.regime if regime is None else regime
        # ids keep several markets' ladders apart; the entry holds those objects (deps),
        # so an id cannot be reused while cached, and a hit is checked with ``is``
        key = (
            "ladder",
            market.settlement,
            regime,
            id(market.bonds),
            id(market.liquidity),
            id(market.liquidity_scores),
        )
        deps = (market.bonds, market.liquidity, market.liquidity_scores)
        z = market.z_spread.to_numpy()
        hit = self._cache.get(key, deps)
        if hit is not None and np.array_equal(hit[0], z):
            return hit[1]
        bonds = self.bonds(market)
        # the cash flows and their spread weights do not depend on the regime: once for both
        flows_key = ("ladder_flows", market.settlement, id(market.bonds))
        flows = self._cache.get(flows_key, (market.bonds,))
        if flows is not None and np.array_equal(flows[0], z):
            offsets, amounts, day_index, unique_days, accrued = flows[1]
        else:
            offsets, amounts, day_index, unique_days, accrued = _fund_flows(self, market, bonds)
            dead = np.flatnonzero(np.diff(offsets) == 0)
            if dead.size:
                ids = list(bonds.ids[dead[:20]])
                raise InputError(
                    f"{self.name}: {dead.size} holding(s) pay nothing after settlement "
                    f"{to_timestamps(np.int64(market.settlement)):%Y-%m-%d}: {ids}; a matured "
                    "bond's redemption belongs in cash or receivables, not holdings"
                )
            flows = (z.copy(), (offsets, amounts, day_index, unique_days, accrued))
            self._cache.put(flows_key, (market.bonds,), flows)
        h = market._half_spread_at(bonds, self._bond_positions(market), regime) * 1e-4
        par = self.holdings.to_numpy() / 100.0
        weights = np.ascontiguousarray(np.column_stack([par * (1 - h), par, par * (1 + h)]))
        ladder = K.ladder_nb(offsets, amounts, day_index, unique_days.size, weights)
        acc = float(np.dot(par, accrued))
        side_const = np.array([1.0, 0.0, -1.0]) * float(np.dot(par * h, accrued))
        days = np.append(unique_days, np.int64(market.settlement))
        value = (days, ladder, side_const, acc)
        self._cache.put(key, deps, (z.copy(), value))
        return value

    def _other_assets(self) -> float:
        return (
            self.cash_usd + self.receivables_usd - self.liabilities_usd - self.accrued_expenses_usd
        )

    def _bond_value(self, market: MarketState, s: int) -> float:
        """Bond value (clean + accrued) on quote side number ``s``, USD (one dot product)."""
        days, ladder, const, _ = self._ladder(market)
        df = np.asarray(market.curve.discount_days(days), dtype=float)
        value = float(ladder[s] @ df[:-1] / df[-1] + const[s])
        if not np.isfinite(value):
            raise InputError(
                f"{self.name}: the bond value is {show(value)}; check the curve's "
                "discount factors and the holdings"
            )
        return value

    def _bond_values(self, market: MarketState) -> np.ndarray:
        """Bond value (clean + accrued) on the three sides, USD."""
        days, ladder, const, _ = self._ladder(market)
        df = np.asarray(market.curve.discount_days(days), dtype=float)
        values = ladder @ df[:-1] / df[-1] + const
        if not np.isfinite(values.sum()):
            raise InputError(
                f"{self.name}: the bond value is {show(float(values[1]))}; check the curve's "
                "discount factors and the holdings"
            )
        return values

    # ------------------------------------------------------------------ NAV
    @renamed_keywords(side="quote_side")
    def bond_value_usd(self, market: MarketState, quote_side: str = "mid") -> float:
        """Value of the bonds (clean + accrued) on ``quote_side``, USD.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> bool(etf.bond_value_usd(m, "bid") < etf.bond_value_usd(m, "ask"))
        True
        """
        s = check_side(quote_side)
        return self._bond_value(market, s)

    @renamed_keywords(side="quote_side")
    def net_assets_usd(self, market: MarketState, quote_side: str = "mid") -> float:
        """Net assets on ``quote_side``, USD: bonds + cash + receivables - liabilities - expenses.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> f"${etf.net_assets_usd(m, 'bid') / 1e9:.1f} bn"
        '$30.9 bn'
        """
        s = check_side(quote_side)
        return self._bond_value(market, s) + self._other_assets()

    @renamed_keywords(side="quote_side")
    def nav(self, market: MarketState, quote_side: str = "mid") -> float:
        """NAV per share on ``quote_side``; **the default is mid, not the official NAV**.

        The official NAV of a US bond ETF is struck on **bid**-side prices: use
        :meth:`official_nav` (or ``nav(market, "bid")``) for it. ``nav(market)`` is the
        mid NAV, the centre of the bid-ask range of the bonds.

        Parameters
        ----------
        market : MarketState
        quote_side : {"mid", "bid", "ask"}, default "mid"
            Which prices of the bonds (``side=`` is the deprecated spelling).

        Raises
        ------
        InputError
            For a market that is not a MarketState, an unknown quote side, holdings the
            market does not have or that have matured.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> official = etf.official_nav(m)  # bid side: what the fund publishes
        >>> official == etf.nav(m, "bid") < etf.nav(m) < etf.nav(m, "ask")
        True
        """
        s = check_side(quote_side)
        value = self._bond_value(market, s) + self._other_assets()
        return value / self.shares_outstanding

    def navs(self, market: MarketState) -> pd.Series:
        """NAV per share on the three quote sides (index ``quote_side``: bid, mid, ask).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> navs = m.etfs["IG_BROAD"].navs(m)
        >>> list(navs.index), navs.index.name
        (['bid', 'mid', 'ask'], 'quote_side')
        """
        values = self._bond_values(market) + self._other_assets()
        return pd.Series(
            values / self.shares_outstanding,
            index=pd.Index(QUOTE_SIDES, name="quote_side"),
            name=f"{self.name} NAV",
        )

    def official_nav(self, market: MarketState) -> float:
        """The official NAV: bid-side evaluated prices, as US bond ETFs strike it.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> etf.official_nav(m) == etf.nav(m, "bid")
        True
        """
        return self.nav(market, "bid")

    @renamed_keywords(side="quote_side")
    def premium_bp(self, price: float, market: MarketState, quote_side: str = "bid") -> float:
        """The ETF price's premium (+) or discount (-) to its NAV on ``quote_side``, bp.

        The default is the official (bid) NAV.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> round(etf.premium_bp(etf.official_nav(m) * 1.001, m), 6)
        10.0
        """
        p = non_negative(price, "price")
        return (p / self.nav(market, quote_side) - 1.0) * 1e4

    @renamed_keywords(side="quote_side")
    def nav_scenarios(
        self, market: MarketState, scenarios: Any, quote_side: str = "mid"
    ) -> pd.Series:
        """NAV per share under each curve of ``scenarios`` (a CurveScenarios).

        Notes
        -----
        The fund's value is linear in discount factors (its cash-flow ladder): each
        scenario costs one exponential per distinct payment day and one dot product,
        computed together in a parallel kernel for a ``CurveScenarios`` (other scenario
        sets go through their ``(S x U)`` discount matrix).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> navs = etf.nav_scenarios(m, m.curve.parallel_shocks([-50.0, 0.0, 50.0]), "bid")
        >>> bool(navs.iloc[0] > navs.iloc[1] > navs.iloc[2])
        True
        """
        s = check_side(quote_side)
        days, ladder, const, _ = self._ladder(market)
        if hasattr(scenarios, "reference_date"):
            _check_curve(scenarios, market.settlement, "scenarios")
        if isinstance(scenarios, CurveScenarios):
            bond_value = ladder_values_on_scenarios(ladder[s : s + 1], days, scenarios)[:, 0]
        else:
            df = np.asarray(getattr(scenarios, "discount_days", lambda d: None)(days), dtype=float)
            if df.ndim != 2:
                raise InputError("scenarios: expected a CurveScenarios (many curves)")
            bond_value = df[:, :-1] @ ladder[s] / df[:, -1]
        values = bond_value + const[s] + self._other_assets()
        names = list(getattr(scenarios, "names", range(values.shape[0])))
        return pd.Series(
            values / self.shares_outstanding,
            index=pd.Index(names, name="scenario"),
            name=f"{self.name} NAV ({quote_side})",
        )

    def nav_breakdown(self, market: MarketState) -> NavBreakdown:
        """NAV and its components on the bid, mid and ask side.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> bd = m.etfs["IG_BROAD"].nav_breakdown(m)
        >>> bool(abs(bd.nav_per_share["bid"] - m.etfs["IG_BROAD"].official_nav(m)) < 1e-9)
        True
        """
        dirty = self._bond_values(market)
        acc = self._ladder(market)[3]
        frame = pd.DataFrame(
            {
                "clean_value_usd": dirty - acc,
                "accrued_interest_usd": np.full(3, acc),
                "cash_usd": np.full(3, self.cash_usd),
                "receivables_usd": np.full(3, self.receivables_usd),
                "liabilities_usd": np.full(3, -self.liabilities_usd),
                "accrued_expenses_usd": np.full(3, -self.accrued_expenses_usd),
            },
            index=pd.Index(QUOTE_SIDES, name="quote_side"),
        ).T
        frame.loc["net_assets_usd"] = frame.sum()
        frame.loc["shares_outstanding"] = self.shares_outstanding
        frame.loc["nav_per_share"] = frame.loc["net_assets_usd"] / self.shares_outstanding
        return NavBreakdown(self.name, market.settlement, market.regime, frame)

    def risk(self, market: MarketState) -> Any:
        """The fund's risk: :func:`etfcore.fund.fund_risk` of this fund in ``market``.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> r = m.etfs["IG_BROAD"].risk(m)
        >>> round(float(r.totals["weight"]), 12)
        1.0
        """
        from .risk import fund_risk

        return fund_risk(self, market)

    def holdings_frame(self, market: MarketState) -> pd.DataFrame:
        """Per holding: par, prices, market value, weight, half-spread, risk, attributes.

        The per-bond table of :func:`etfcore.fund.fund_risk` (one owner for fund-level
        risk): ``par_usd``, ``clean_price``, ``accrued_interest``, ``dirty_price``,
        ``market_value_usd``, ``weight``, ``half_spread_bp``, ``yield_to_maturity``,
        ``z_spread``, ``modified_duration``, ``spread_duration``, ``convexity``,
        ``dv01_usd``, ``cs01_usd``, ``years_to_maturity``, ``krd_<tenor>y`` columns and
        the bonds' attributes (issuer, sector, rating...). A copy.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> hf = m.etfs["IG_BROAD"].holdings_frame(m)
        >>> round(float(hf["weight"].sum()), 12)
        1.0
        """
        return self.risk(market).to_frame()

    def accrue_expenses(self, market: MarketState, days: int = 1) -> ETF:
        """A copy with ``days`` of the expense ratio accrued on mid net assets (ACT/365).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> later = etf.accrue_expenses(m, days=30)
        >>> bool(later.nav(m) < etf.nav(m))
        True
        """
        d = non_negative(days, "days")
        fee = self.net_assets_usd(market, "mid") * self.expense_ratio * d / 365.0
        return self.replace(accrued_expenses_usd=self.accrued_expenses_usd + fee)

    # ------------------------------------------------------------------ display
    def summary(self, market: MarketState | None = None) -> Any:
        """The fund at a glance: size, NAV on three sides, risk, regime (in ``market``).

        Parameters
        ----------
        market : MarketState, optional
            Without one, only what the fund itself knows (holdings, par, shares, cash,
            fees); with one, also net assets, the NAV on each quote side, durations,
            yield and spread.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> text = str(m.etfs["IG_BROAD"].summary(m))
        >>> "nav_bid" in text and "official NAV = bid" in text
        True
        >>> "par_usd" in str(m.etfs["IG_BROAD"].summary())
        True
        """
        if market is None:
            own = {
                "n_holdings": len(self.holdings),
                "par_usd": float(self.holdings.sum()),
                "shares_outstanding": float(self.shares_outstanding),
                "creation_unit_size": self.creation_unit_size,
                "cash_usd": self.cash_usd,
                "receivables_usd": self.receivables_usd,
                "liabilities_usd": self.liabilities_usd,
                "accrued_expenses_usd": self.accrued_expenses_usd,
                "expense_ratio": self.expense_ratio,
                "quoted_spread_bp": self.quoted_spread_bp,
            }
            return make_summary(
                f"ETF {self.name}", [own], ["Pass a market for NAV, net assets and risk."]
            )
        market = check_market(market)
        navs = self.navs(market)
        risk = self.risk(market)
        t = risk.totals
        facts = {
            "n_holdings": len(self.holdings),
            "settlement": f"{to_timestamps(np.int64(market.settlement)):%Y-%m-%d}",
            "regime": market.regime,
            "net_assets_mid_usd": float(navs["mid"] * self.shares_outstanding),
            "bond_market_value_usd": float(t["market_value_usd"]),
            "shares_outstanding": float(self.shares_outstanding),
            "nav_bid": float(navs["bid"]),
            "nav_mid": float(navs["mid"]),
            "nav_ask": float(navs["ask"]),
            "bid_ask_width_bp": float((navs["ask"] / navs["bid"] - 1.0) * 1e4),
            "modified_duration": float(t["modified_duration"]),
            "spread_duration": float(t["spread_duration"]),
            "yield_to_maturity": float(t["yield_to_maturity"]),
            "z_spread_bp": float(t["z_spread"] * 1e4),
            "expense_ratio": self.expense_ratio,
            "creation_unit_size": self.creation_unit_size,
        }
        return make_summary(
            f"ETF {self.name}",
            [facts],
            [
                "official NAV = bid: US bond ETFs strike NAV on bid-side evaluated prices.",
                "Duration, yield and z-spread are market-value weighted (mid).",
            ],
        )


@dataclass(frozen=True, repr=False)
class NavBreakdown:
    """NAV and its components on the three quote sides.

    Attributes
    ----------
    name : str
    settlement : int
    regime : str
    frame : pandas.DataFrame
        Rows: clean value, accrued interest, cash, receivables, liabilities (negative),
        accrued expenses (negative), net assets, shares outstanding, NAV per share;
        columns: bid, mid, ask (``quote_side``). A copy each time.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> bd = m.etfs["IG_BROAD"].nav_breakdown(m)
    >>> list(bd.to_frame().columns)
    ['bid', 'mid', 'ask']
    """

    name: str
    settlement: int
    regime: str
    _table: pd.DataFrame = field(repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_table", frame_copy(self._table))

    @property
    def frame(self) -> pd.DataFrame:
        """The components table (a copy; same as :meth:`to_frame`)."""
        return frame_copy(self._table)

    def __repr__(self) -> str:
        nav = self._table.loc["nav_per_share"]
        return (
            f"NavBreakdown({self.name}: NAV bid {nav['bid']:.4f} / mid {nav['mid']:.4f} / "
            f"ask {nav['ask']:.4f}, regime {self.regime})"
        )

    @property
    def nav_per_share(self) -> pd.Series:
        """NAV per share by quote side (a copy).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> nav = m.etfs["IG_BROAD"].nav_breakdown(m).nav_per_share
        >>> bool(nav["bid"] < nav["mid"] < nav["ask"])
        True
        """
        return frame_copy(self._table.loc["nav_per_share"])

    def to_frame(self) -> pd.DataFrame:
        """The components table (rows) by quote side (columns), a copy.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> "net_assets_usd" in m.etfs["IG_BROAD"].nav_breakdown(m).to_frame().index
        True
        """
        return frame_copy(self._table)

    def summary(self) -> Any:
        """Components in USD by quote side, the NAV per share and its spread around mid.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> "nav_per_share" in str(m.etfs["IG_BROAD"].nav_breakdown(m).summary())
        True
        """
        t = self._table
        usd = t.drop(index=["shares_outstanding", "nav_per_share"]).T
        nav = t.loc["nav_per_share"]
        per_share = pd.DataFrame(
            {
                "nav_per_share": nav,
                "vs_mid_bp": (nav / nav["mid"] - 1.0) * 1e4,
            }
        )
        return make_summary(
            f"NAV breakdown: {self.name} ({self.regime} regime, settlement "
            f"{to_timestamps(np.int64(self.settlement)):%Y-%m-%d})",
            [usd, per_share],
            ["official NAV = bid side; liabilities and accrued expenses are negative."],
        )

    def plot(self, ax: Any = None):
        """Bar chart of NAV per share by side, with the bid-ask width annotated.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> ax = m.etfs["IG_BROAD"].nav_breakdown(m).plot()
        >>> ax.get_ylabel()
        'NAV per share'
        """
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots(figsize=(5, 3.5), layout="constrained")[1]
        nav = self.nav_per_share
        ax.bar(nav.index, nav.to_numpy(), color=["#C44E52", "#4C72B0", "#55A868"])
        lo = nav.min()
        ax.set_ylim(lo * 0.995, nav.max() * 1.003)
        ax.set_ylabel("NAV per share")
        width = (nav["ask"] / nav["bid"] - 1) * 1e4
        ax.set_title(f"{self.name}: bid-ask NAV width {width:.1f} bp ({self.regime})")
        return ax


__all__ = [
    "MAX_AMOUNT_USD",
    "MAX_EXPENSE_RATIO",
    "MAX_PAR_USD",
    "SIDES",
    "CreationFees",
    "ETF",
    "NavBreakdown",
    "check_market",
    "check_side",
]
