"""Dealers: who quotes a basket, and how one dealer prices it.

A :class:`Dealer` holds what makes its quote its own: inventory and axes (bonds it wants
to buy or sell), risk appetite, hedging horizon, its :class:`~etfcore.hedging.HedgeCostCurve`
(built by :func:`~etfcore.hedging.hedge_cost_curve` or read from a curve file), optional
:class:`~etfcore.hedging.LiquidityBackstop` objects, margin and the most ETF legs it uses.
:meth:`Dealer.quote` prices a whole basket for one dealer as one all-in price;
:func:`dealer_panel` builds seeded panels from the synthetic market, and
:func:`etfcore.trading.run_rfq` sends a basket to a panel.

The hedge cost comes from the dealer's curve only (a pricing tool that has nothing but
the curve files prices the same way): its execution, borrow and premium components
(:data:`QUOTE_CURVE_COMPONENTS`), not its basis-risk charge, since the dealer charges the
hedge's residual risk once from its own covariance. Each dealer chooses how many ETFs to
hedge with, none included, by the least total cost. The market supplies the bonds'
prices, risk and liquidity.
"""

from __future__ import annotations

import dataclasses
import math
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from .._validation import as_number, choice, integer, non_negative, positive, show
from ..errors import InputError
from ..hedging.backstop import LiquidityBackstop, liquidity_backstop
from ..hedging.cost import COMPONENTS as CURVE_COMPONENTS
from ..hedging.curve import HedgeCostCurve, hedge_cost_curve
from ..hedging.risk import etf_lines
from ..hedging.selection import (
    BASIS_VOL_BP,
    STRESS_MULTIPLIERS,
    HedgeSelection,
    _fund_kind,
    select_hedge,
)
from ..liquidity import BondLiquidityModel
from ..liquidity._common import MIN_PLAUSIBLE_BP
from ..state import IdentityCache, MarketState

#: RFQ directions (whose side it is: the client's) and the client's trade side of each.
DIRECTIONS = ("client_sells", "client_buys")
_CLIENT_SIDE = {"client_sells": "sell", "client_buys": "buy"}
#: Quote components, USD, positive = a cost to the client; they add up to ``cost_usd``.
COMPONENTS = (
    "hedge_cost_usd",
    "etf_premium_usd",
    "working_cost_usd",
    "risk_charge_usd",
    "margin_usd",
)
#: Half-life (days) over which a hedge ETF's premium or discount to NAV is expected to
#: revert: LQD's premium has an AR(1) half-life of about a day (DESIGN.md; notebook 03).
PREMIUM_HALF_LIFE_DAYS = 1.0
#: Largest premium or discount accepted, bp (LQD and BND were 500-600 bp below NAV at
#: worst in March 2020); more is taken for a units mistake.
MAX_PREMIUM_BP = 2_000.0
#: Columns :func:`etfcore.trading._lines.basket_lines` gives each line (the ones used here).
LINE_COLUMNS = ("par_usd", "trade_side", "clean_price", "dirty_price", "market_value_usd")
#: Largest plausible margin, bp (more is taken for a units mistake: 0.02 is 2 bp).
MAX_MARGIN_BP = 500.0
#: Longest working-out horizon, days (the liquidity model's legging limit).
MAX_HORIZON_DAYS = 260.0
#: Panel ranges (uniform draws unless noted) of :func:`dealer_panel`.
PANEL_RISK_AVERSION = (0.3, 1.0)
PANEL_HORIZONS_DAYS = (2.0, 3.0, 5.0, 7.0, 10.0)
PANEL_MARGIN_BP = (0.5, 2.0)
PANEL_MAX_INSTRUMENTS = (1, 2, 3)
#: Axes of a panel dealer: this many bonds of one sector, par uniform in the range (USD),
#: three in four on the buy side.
PANEL_AXES = 80
PANEL_AXIS_PAR_USD = (1e6, 10e6)
#: Inventory of a panel dealer: this many bonds, long, par uniform in the range (USD).
PANEL_INVENTORY = 60
PANEL_INVENTORY_PAR_USD = (1e6, 5e6)
#: Every third panel dealer (the first, the fourth, ...) is an AP-affiliated dealer that
#: can exit long bonds through creation baskets of these ETFs.
PANEL_BACKSTOP_ETFS = ("IG_BROAD",)

#: The hedge-cost curve's components a quote prices each hedge leg with: execution
#: (``half_spread_bp``, ``impact_bp``, ``primary_bp``, ``waiting_risk_bp``), financing
#: (``borrow_bp``) and the ETF's own premium/discount risk and the premium the hedge's
#: flow pushes (``premium_risk_bp``). The curve's ``basis_risk_bp`` is left out: the
#: dealer charges the hedge's residual risk once, from its own covariance
#: (:meth:`Dealer.quote` Notes).
QUOTE_CURVE_COMPONENTS = (
    "half_spread_bp",
    "impact_bp",
    "primary_bp",
    "waiting_risk_bp",
    "borrow_bp",
    "premium_risk_bp",
)
#: The curve's components a quote leaves out (charged by the dealer's risk charge).
EXCLUDED_CURVE_COMPONENTS = tuple(c for c in CURVE_COMPONENTS if c not in QUOTE_CURVE_COMPONENTS)

_curves = IdentityCache(maxsize=8)
_quote_curves = IdentityCache(maxsize=8)
_largest_sizes = IdentityCache(maxsize=8)
#: select_hedge's fund kind of each ETF (government / investment_grade / high_yield).
_fund_kinds = IdentityCache(maxsize=32)
_backstops = IdentityCache(maxsize=16)


def check_direction(direction: Any) -> str:
    """``direction`` if it is ``"client_sells"`` or ``"client_buys"``, else an InputError.

    Examples
    --------
    >>> check_direction("client_buys")
    'client_buys'
    """
    return choice(direction, "direction", DIRECTIONS)


def _par_series(value: Any, name: str) -> pd.Series:
    """A Series of finite par (USD) by unique bond id (``None``: empty)."""
    if value is None:
        return pd.Series(dtype=float, name=name)
    if isinstance(value, Mapping) and not isinstance(value, pd.Series):
        value = pd.Series(dict(value), dtype=object)
    if not isinstance(value, pd.Series):
        raise InputError(
            f"{name}: expected a pandas Series (or dict) of par in USD by bond id, got "
            f"{type(value).__name__}"
        )
    out = pd.to_numeric(value, errors="coerce").astype(float)
    out.index = out.index.astype(str)
    bad = ~np.isfinite(out.to_numpy())
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{name}: bond {out.index[i]} has par {show(value.iloc[i])}; give a finite number "
            "of USD (negative for the other side)"
        )
    if out.index.has_duplicates:
        dup = out.index[out.index.duplicated()][0]
        raise InputError(f"{name}: bond {dup} appears twice; give each bond once")
    return out.rename(name)


@dataclass(frozen=True, repr=False, eq=False)
class Dealer:
    """One dealer of an RFQ panel: what it holds and wants, and how it prices risk.

    Parameters
    ----------
    name : str
        Unique within a panel.
    curve : HedgeCostCurve
        The dealer's hedge-cost curve (:func:`etfcore.hedging.hedge_cost_curve`, or
        :meth:`HedgeCostCurve.read` of a curve file): every hedge leg is priced from it.
    risk_aversion : float, default 0.5
        The dealer's risk appetite: charge per standard deviation of the residual
        (hedged) risk over the horizon, >= 0 (0.5 is a 69% one-sided charge).
    horizon_days : float, default 5
        Days the dealer takes to work the bonds out (and unwind the hedge), in (0, 260]
        and at most the curve's longest horizon.
    margin_bp : float, default 1
        Margin on the basket's market value, bp, in [0, 500].
    max_instruments : int, default 2
        At most this many ETF legs in its hedge (>= 1; capped at the candidates). The
        quote compares no hedge and the best hedge of at most 1..``max_instruments``
        ETFs and keeps the cheapest (:meth:`quote` Notes).
    axes : pandas.Series or dict, optional
        Bonds the dealer wants to trade: par in USD by bond id, ``+`` = it wants to buy,
        ``-`` = to sell.
    inventory : pandas.Series or dict, optional
        Bonds it holds: par in USD by bond id (``+`` long, ``-`` short).
    backstops : LiquidityBackstop or sequence of them, optional
        ETFs whose creation baskets it can use to exit long bonds (an AP-affiliated
        dealer).

    Raises
    ------
    InputError
        For a missing name, a curve that is not a :class:`HedgeCostCurve`, a negative
        or bp-looking margin, a negative risk aversion, a horizon outside (0, 260] or
        beyond the curve, ``max_instruments < 1``, axes or inventory that are not par by
        unique bond id, or backstops that are not :class:`LiquidityBackstop` objects.

    Notes
    -----
    Axes and inventory offset lines of a basket: the offset part meets the dealer's own
    interest, so it is not worked out through the street (no half-spread, no impact),
    while the hedge covers everything the dealer takes on. On a line the client sells
    (the dealer buys) ``offset = min(par, max(axis, 0) + max(-inventory, 0))`` (a buy
    axis, or covering a short); on a line the client buys ``offset = min(par,
    max(-axis, 0) + max(inventory, 0))`` (a sell axis, or delivering from inventory).
    See :meth:`quote` for the price.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.trading.dealers import Dealer, default_curve
    >>> m = synthetic_market(0)
    >>> d = Dealer("Dealer X", default_curve(m), margin_bp=1.5, horizon_days=3)
    >>> d  # doctest: +NORMALIZE_WHITESPACE
    Dealer('Dealer X': risk aversion 0.5, horizon 3 days, margin 1.50 bp, at most 2 ETFs,
           0 axes, 0 inventory lines, 0 backstops)
    >>> Dealer("Y", default_curve(m), margin_bp=-1)
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: Dealer 'Y': margin_bp: -1.0 must be a finite number >= 0
    """

    name: str
    curve: HedgeCostCurve
    risk_aversion: float = 0.5
    horizon_days: float = 5.0
    margin_bp: float = 1.0
    max_instruments: int = 2
    axes: Any = None
    inventory: Any = None
    backstops: tuple[LiquidityBackstop, ...] = ()

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError(f"Dealer: name {show(self.name)} must be a non-empty string")
        where = f"Dealer {self.name!r}"
        try:
            if not isinstance(self.curve, HedgeCostCurve):
                raise InputError(
                    "curve: expected a HedgeCostCurve (etfcore.hedging.hedge_cost_curve or "
                    f"HedgeCostCurve.read), got {type(self.curve).__name__}"
                )
            set_(self, "risk_aversion", non_negative(self.risk_aversion, "risk_aversion"))
            margin = non_negative(self.margin_bp, "margin_bp")
            if margin > MAX_MARGIN_BP or 0 < margin < MIN_PLAUSIBLE_BP:
                what = (
                    f"is more than {MAX_MARGIN_BP:g} bp"
                    if margin > MAX_MARGIN_BP
                    else f"looks like a decimal (margins start at {MIN_PLAUSIBLE_BP:g} bp)"
                )
                raise InputError(
                    f"margin_bp: {show(margin)} {what}; give the margin in basis points "
                    "(2 bp is 2, not 0.0002 or 200)"
                )
            set_(self, "margin_bp", margin)
            h = positive(self.horizon_days, "horizon_days")
            longest = float(self.curve.table["horizon_days"].max())
            if h > min(MAX_HORIZON_DAYS, longest):
                raise InputError(
                    f"horizon_days: {show(h)} is beyond the curve's longest horizon "
                    f"({longest:g} days, at most {MAX_HORIZON_DAYS:g}); give a shorter "
                    "horizon or a curve with longer horizons_days"
                )
            set_(self, "horizon_days", h)
            k = integer(self.max_instruments, "max_instruments", minimum=1)
            set_(self, "max_instruments", k)
            set_(self, "axes", _par_series(self.axes, "axes"))
            set_(self, "inventory", _par_series(self.inventory, "inventory"))
            b = self.backstops
            if b is None:
                b = ()
            elif isinstance(b, LiquidityBackstop):
                b = (b,)
            b = tuple(b) if isinstance(b, Sequence) else b
            if not isinstance(b, tuple) or not all(isinstance(x, LiquidityBackstop) for x in b):
                raise InputError(
                    "backstops: expected LiquidityBackstop objects "
                    "(etfcore.hedging.liquidity_backstop)"
                )
            set_(self, "backstops", b)
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None

    def __repr__(self) -> str:
        return (
            f"Dealer({self.name!r}: risk aversion {self.risk_aversion:g}, horizon "
            f"{self.horizon_days:g} days, margin {self.margin_bp:.2f} bp, at most "
            f"{self.max_instruments} ETFs, {len(self.axes)} axes, {len(self.inventory)} "
            f"inventory lines, {len(self.backstops)} backstops)"
        )

    def quote(
        self,
        basket: Any,
        market: MarketState,
        direction: str = "client_sells",
        *,
        etf_premium_bp: Any = None,
    ) -> DealerQuote:
        """Price a whole basket for this dealer: one all-in price, with its components.

        Parameters
        ----------
        basket : PortfolioBasket, pandas.DataFrame
            Anything :func:`etfcore.trading._lines.basket_lines` takes (``id`` and
            ``par`` or ``market_value_usd``, optional ``trade_side``), or the ``lines``
            frame it returns (indexed by ``id``).
        market : MarketState
            Prices, risk and liquidity of the bonds, and the regime (the curve is read
            in ``market.regime``). Its ETFs (``market.etfs``) that are on the dealer's
            curve are the hedge candidates.
        direction : {"client_sells", "client_buys"}, default "client_sells"
            The client's side for the whole basket. A basket that says otherwise on
            some line is an error.
        etf_premium_bp : float or dict of float, optional
            The hedge ETFs' current premium (+) or discount (-) to NAV, bp, by ETF name
            (a number: every ETF), e.g. a state drawn from
            :func:`etfcore.dynamics.simulate_premium`. Default: at NAV (0).

        Returns
        -------
        DealerQuote

        Raises
        ------
        InputError
            For an unknown direction, lines on the other side, a market without ETFs on
            the curve or without the curve's regime, and basket problems (as
            ``basket_lines``). A hedge whose leg is beyond the curve's largest size is
            not an error: that option is not priced, and the quote says so
            (``hedge_choice``, ``hedge_options["note"]``).

        Notes
        -----
        Costs are USD, positive = a cost to the client; the client selling receives
        ``market_value - cost``, the client buying pays ``market_value + cost``
        (``all_in_price_usd``, rounded to the cent), where ``market_value`` is the
        lines' mid value and, per line, ``live = par - offset`` is what the dealer must
        work out through the street (class Notes):

        * ``hedge_cost_usd``: :func:`etfcore.hedging.select_hedge` on the dealer's
          position (``+par`` on client-sell lines, ``-par`` on client-buy lines: the
          dealer ends long what the client sells; the hedge is sized at the trade, on
          all of it, so one selection per K and regime serves a whole panel), at most
          K of the ETFs on its curve; each leg costs ``c(instrument, |notional|,
          horizon_days, market.regime, trade_side) x |notional| / 1e4``, where ``c``
          is the curve's cost over :data:`QUOTE_CURVE_COMPONENTS` only
          (:func:`quote_curve`): execution (half-spread, impact, primary and waiting),
          borrow, and the ETF's premium/discount risk with the premium its own flow
          pushes (``premium_risk_bp``, at the curve's risk aversion). The curve's
          ``basis_risk_bp`` is not used: the residual risk of the hedge is charged once,
          by ``risk_charge_usd``, from the dealer's covariance.
        * ``etf_premium_usd``: what the hedge expects to pay or earn as each ETF's
          premium ``p`` reverts (half-life :data:`PREMIUM_HALF_LIFE_DAYS`):
          ``sum(q x p / 1e4) x (1 - 2^(-horizon / half_life))`` over the legs (``q``
          signed, negative = sell): selling an ETF at a premium earns (a negative cost),
          selling at a discount pays. 0 with no premium given.
        * ``working_cost_usd``: the expected cost of working the live part out over the
          horizon, from the liquidity model's ``legging_breakdown``: half-spread plus
          the impact of ``1 / horizon`` of it a day (its waiting-risk term is left out:
          the hedge takes that risk, and the risk charge prices what remains; for a
          :class:`~etfcore.liquidity.BondLiquidityModel` the one-way costs at the lines'
          full value are computed once per basket and scaled by its square-root law,
          the same numbers for every dealer of a panel). With a
          backstop, long lines the ETF holds leave through creation instead when that is
          cheaper (``LiquidityBackstop.creation_cost_bp``), as much as the APs absorb
          over the horizon (capacity x horizon), best savings first.
        * ``risk_charge_usd``: ``risk_aversion x sigma x sqrt(horizon / 3)``, with
          ``sigma`` the daily residual volatility (USD) of the same selection's factor
          covariance (rates, spreads by rating and sector, each bond's idiosyncratic
          risk), without each leg's own basis noise: ``sigma^2 = tracking_vol^2 -
          sum_j (b_j x 1e-4 x q_j)^2``, ``b_j`` the basis volatility ``select_hedge``
          gives ETF j (:data:`etfcore.hedging.selection.BASIS_VOL_BP`, x5 in stress),
          which it keeps to size the hedge; the ETF's price against its holdings is the
          premium risk the curve's ``premium_risk_bp`` prices, so it is charged once.
          Unhedged, ``sigma`` is the basket's own daily volatility. ``sqrt(T / 3)`` is
          the standard deviation of a position worked down evenly over ``T`` days
          (Almgren and Chriss 2001), as the legging model uses.
        * ``margin_usd``: ``margin_bp x market_value / 1e4``.

        **How big a hedge.** The dealer compares K = 0 (no hedge: the risk charge is
        on the whole basket's volatility) and the best hedge of at most K = 1..
        ``max_instruments`` ETFs (capped at the candidates) and keeps the one of least
        ``hedge_cost_usd + etf_premium_usd + risk_charge_usd`` (working cost and margin
        do not depend on it; ties go to fewer ETFs). A hedge stops paying when its cost
        on the curve exceeds the risk charge it saves: in stress the curve's premium
        risk can make legging the bonds without an ETF hedge cheaper. The quote records
        the choice (``n_instruments``, ``hedge_choice``, :attr:`DealerQuote.hedge_options`);
        an option with a leg beyond the curve's largest size is not priced (noted).

        ``spread_bp`` states the all-in price as a spread to the Treasury curve: the one
        z-spread (continuously compounded, over ``market.curve``) at which the lines'
        cash flows are worth the all-in price; ``mid_spread_bp`` is the same at the mid
        value, and ``spread_change_bp`` the difference (> 0 when the client sells:
        the dealer buys at a wider spread).

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading.dealers import Dealer, default_curve
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_INTERMEDIATE"].holdings.index[:20]
        >>> basket = pd.DataFrame({"id": ids, "par": 2e6})
        >>> q = Dealer("X", default_curve(m)).quote(basket, m, "client_sells")
        >>> bool(q.all_in_price_usd < q.market_value_usd), bool(q.spread_change_bp > 0)
        (True, True)
        >>> sum(q.components.values()) == q.cost_usd
        True
        """
        ctx = _Basket.build(basket, market, direction, etf_premium_bp)
        return _price(self, ctx)


@dataclass(frozen=True, repr=False, eq=False)
class DealerQuote:
    """One dealer's quote for a basket: the all-in price and what it is made of.

    Returned by :meth:`Dealer.quote` (and one per dealer by
    :func:`etfcore.trading.run_rfq`). Money in USD, positive costs are costs to the
    client.

    Attributes
    ----------
    dealer, direction : str
    market_value_usd : float
        The lines' mid value.
    all_in_price_usd : float
        What the client receives (sells) or pays (buys) for the whole basket, to the
        cent.
    cost_usd, cost_bp : float
        ``|all_in - market_value|``; in bp of the market value.
    components : mapping
        :data:`COMPONENTS` (USD), adding up to ``cost_usd`` before rounding (read-only).
    spread_bp, mid_spread_bp, spread_change_bp : float
        The all-in price and the mid value as one z-spread over the Treasury curve,
        bp, and their difference (:meth:`Dealer.quote` Notes).
    horizon_days : float
    hedge : HedgeSelection
        The chosen ETF hedge (``hedge.notional_usd`` is empty when the dealer does not
        hedge: then the selection of the basket alone, variance reduction 0).
    residual_vol_usd : float
        Daily residual volatility the risk charge is on, USD (:meth:`Dealer.quote`
        Notes: the hedged position's, without the legs' own basis noise).
    axed_usd, creation_usd : float
        Market value the dealer's axes and inventory offset, and that leaves through
        creation baskets.
    n_instruments : int
        ETF legs of the chosen hedge (0: no hedge).
    hedge_choice : str
        Which hedge size was chosen and why (against the next best).

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.trading.dealers import Dealer, default_curve
    >>> m = synthetic_market(0)
    >>> ids = m.etfs["IG_SHORT"].holdings.index[:10]
    >>> q = Dealer("X", default_curve(m)).quote(pd.DataFrame({"id": ids, "par": 1e6}), m)
    >>> list(q.to_frame().columns[:3])
    ['par_usd', 'trade_side', 'market_value_usd']
    """

    dealer: str
    direction: str
    market_value_usd: float
    all_in_price_usd: float
    cost_usd: float
    cost_bp: float
    components: Mapping[str, float]
    spread_bp: float
    mid_spread_bp: float
    spread_change_bp: float
    horizon_days: float
    residual_vol_usd: float
    axed_usd: float
    creation_usd: float
    n_instruments: int
    hedge_choice: str
    hedge: HedgeSelection = field(repr=False)
    _legs: pd.DataFrame = field(repr=False)
    _lines: pd.DataFrame = field(repr=False)
    _options: pd.DataFrame = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"DealerQuote({self.dealer!r}, {self.direction}: ${self.all_in_price_usd:,.2f} for "
            f"${self.market_value_usd:,.2f} mid, cost {self.cost_bp:.2f} bp, spread "
            f"{self.spread_bp:.1f} bp ({self.spread_change_bp:+.2f}))"
        )

    @property
    def hedge_legs(self) -> pd.DataFrame:
        """The hedge legs priced from the curve: notional, side, cost (a copy).

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading.dealers import Dealer, default_curve
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:10]
        >>> q = Dealer("X", default_curve(m)).quote(pd.DataFrame({"id": ids, "par": 1e6}), m)
        >>> list(q.hedge_legs.columns)
        ['notional_usd', 'trade_side', 'cost_bp', 'cost_usd']
        """
        return frame_copy(self._legs)

    @property
    def hedge_options(self) -> pd.DataFrame:
        """The hedge sizes the dealer compared and what each costs (a copy).

        Index ``max_instruments`` (K = 0: no hedge, then the best hedge of at most K
        ETFs, K = 1..``Dealer.max_instruments``); columns ``n_legs``,
        ``hedge_notional_usd``, ``hedge_cost_usd``, ``etf_premium_usd``,
        ``risk_charge_usd``, ``total_usd`` (their sum: what the choice minimises),
        ``residual_vol_usd`` (daily, what the risk charge is on), ``chosen`` and ``note``
        (why an option was not priced). Working cost and margin do not depend on the
        hedge, so they are left out.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading.dealers import Dealer, default_curve
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:10]
        >>> q = Dealer("X", default_curve(m)).quote(pd.DataFrame({"id": ids, "par": 1e6}), m)
        >>> q.hedge_options.index.tolist(), int(q.hedge_options["chosen"].sum())
        ([0, 1, 2], 1)
        """
        return frame_copy(self._options)

    def as_row(self) -> dict[str, Any]:
        """The quote as one row of :attr:`etfcore.trading.RfqResult.quotes`.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading.dealers import Dealer, default_curve
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:10]
        >>> q = Dealer("X", default_curve(m)).quote(pd.DataFrame({"id": ids, "par": 1e6}), m)
        >>> list(q.as_row())[:3]
        ['all_in_price_usd', 'spread_bp', 'cost_usd']
        """
        legs = self._legs
        hedge = ", ".join(
            f"{t} {i} ${abs(n) / 1e6:,.0f}mm"
            for i, n, t in zip(legs.index, legs["notional_usd"], legs["trade_side"], strict=True)
        )
        return {
            "all_in_price_usd": self.all_in_price_usd,
            "spread_bp": self.spread_bp,
            "cost_usd": self.cost_usd,
            "cost_bp": self.cost_bp,
            **self.components,
            "spread_change_bp": self.spread_change_bp,
            "mid_spread_bp": self.mid_spread_bp,
            "market_value_usd": self.market_value_usd,
            "horizon_days": self.horizon_days,
            "residual_vol_usd": self.residual_vol_usd,
            "variance_reduction": float(self.hedge.variance_reduction),
            "axed_usd": self.axed_usd,
            "creation_usd": self.creation_usd,
            "hedge": hedge or "none",
            "n_instruments": self.n_instruments,
            "hedge_choice": self.hedge_choice,
        }

    def to_frame(self) -> pd.DataFrame:
        """Per line (index: bond id): par, value, offset, channel and each cost (a copy).

        Columns: ``par_usd``, ``trade_side``, ``market_value_usd``, ``offset_par_usd``
        (axes and inventory), ``live_usd`` (market value worked out), ``channel``
        (``"secondary"``, ``"creation:<ETF>"`` or ``"axed"``), ``working_cost_bp`` (on
        the live value), the line's share of each component (:data:`COMPONENTS`), and
        ``cost_usd`` (their sum). Hedge cost and risk charge are shared by each line's
        absolute DV01, the margin by market value; the rounding to
        cents is :func:`etfcore.trading.run_rfq`'s allocation.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading.dealers import Dealer, default_curve
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:10]
        >>> q = Dealer("X", default_curve(m)).quote(pd.DataFrame({"id": ids, "par": 1e6}), m)
        >>> bool(abs(q.to_frame()["cost_usd"].sum() - q.cost_usd) < 0.01)
        True
        """
        return frame_copy(self._lines)

    def summary(self) -> Any:
        """Price, components, hedge legs (statsmodels ``Summary``).

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading.dealers import Dealer, default_curve
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:10]
        >>> q = Dealer("X", default_curve(m)).quote(pd.DataFrame({"id": ids, "par": 1e6}), m)
        >>> "DealerQuote" in str(q.summary())
        True
        """
        head = {
            "market_value_usd": self.market_value_usd,
            "all_in_price_usd": self.all_in_price_usd,
            "cost_usd": self.cost_usd,
            "cost_bp": self.cost_bp,
            **self.components,
            "spread_bp": self.spread_bp,
            "spread_change_bp": self.spread_change_bp,
        }
        tables: list[Any] = [head]
        if len(self._legs):
            tables.append(self._legs.reset_index())
        return make_summary(
            f"DealerQuote: {self.dealer}, {self.direction} ({self.horizon_days:g}-day horizon)",
            tables,
            [
                "Costs in USD, positive = a cost to the client; all-in = mid value -/+ cost "
                "(client sells / buys), to the cent. Spread: one z-spread over the Treasury "
                "curve that values the lines' cash flows at the price.",
                f"Hedge: {self.hedge_choice}.",
            ],
        )


# ---------------------------------------------------------------------- the basket context
def _lines_of(basket: Any, market: MarketState) -> tuple[MarketState, pd.DataFrame]:
    """``basket_lines(basket, market)``, or a lines frame passed through (checked)."""
    if isinstance(basket, pd.DataFrame) and basket.index.name == "id":
        missing = [c for c in LINE_COLUMNS if c not in basket.columns]
        if not missing and "id" not in basket.columns:
            return market, basket
    from ._lines import basket_lines

    return basket_lines(basket, market)


def _premiums(value: Any, market: MarketState) -> dict[str, float]:
    """``etf_premium_bp`` as {ETF name: premium bp}, checked."""
    if value is None:
        return {}
    etfs = sorted(getattr(market, "etfs", None) or {})
    if isinstance(value, pd.Series):
        value = value.to_dict()
    if not isinstance(value, Mapping):
        v = as_number(value, "etf_premium_bp")
        value = dict.fromkeys(etfs, v)
    out: dict[str, float] = {}
    for name, v in value.items():
        if name not in etfs:
            raise InputError(f"etf_premium_bp: {show(name)} is not an ETF of the market ({etfs})")
        p = as_number(v, f"etf_premium_bp[{name}]")
        if not np.isfinite(p) or abs(p) > MAX_PREMIUM_BP:
            raise InputError(
                f"etf_premium_bp[{name}]: {show(v)} must be a finite premium in bp within "
                f"+/-{MAX_PREMIUM_BP:,.0f} (a 0.5% discount is -50)"
            )
        out[str(name)] = p
    return out


#: How :class:`etfcore.io.PortfolioBasket` notes a file without a side column.
_NO_SIDE_NOTE = "side: no side column"


def _with_side(basket: Any, side: str) -> tuple[Any, bool]:
    """A DataFrame basket without a side column gets the RFQ's side on every line.

    Also says whether a basket file had no side column (its lines then take the side).
    """
    if (
        isinstance(basket, pd.DataFrame)
        and "trade_side" not in basket.columns
        and "side" not in basket.columns
    ):
        return basket.assign(trade_side=side), False
    notes = getattr(basket, "notes", None)
    sideless = isinstance(notes, tuple) and any(
        isinstance(n, str) and n.startswith(_NO_SIDE_NOTE) for n in notes
    )
    return basket, sideless


@dataclass
class _Basket:
    """What every dealer of one RFQ shares: the lines, their risk, liquidity and flows."""

    market: MarketState
    lines: pd.DataFrame
    direction: str
    side: str
    ids: pd.Index
    par: np.ndarray
    mv: np.ndarray
    market_value_usd: float
    premium_bp: dict = field(default_factory=dict)
    hedges: dict = field(default_factory=dict)
    _features: Any = None
    _risk_weights: Any = None
    _held: dict = field(default_factory=dict)
    _candidates: dict = field(default_factory=dict)
    legs: dict = field(default_factory=dict)
    creation: dict = field(default_factory=dict)
    _id_list: Any = None
    _where: Any = None
    _one_way: Any = None
    _flows: Any = None
    _mid_spread: Any = None
    _no_hedge: Any = None

    @classmethod
    def build(
        cls, basket: Any, market: MarketState, direction: str, etf_premium_bp: Any = None
    ) -> _Basket:
        direction = check_direction(direction)
        if not isinstance(market, MarketState):
            raise InputError(f"market: expected a MarketState, got {type(market).__name__}")
        premium = _premiums(etf_premium_bp, market)
        side = _CLIENT_SIDE[direction]
        basket, sideless = _with_side(basket, side)
        market, lines = _lines_of(basket, market)
        if sideless:  # a basket file without a side column: every line is the RFQ's side
            lines = lines.assign(trade_side=side)
        other = lines.index[lines["trade_side"].astype(str).to_numpy() != side]
        if len(other):
            shown = ", ".join(map(str, other[:5])) + (" ..." if len(other) > 5 else "")
            raise InputError(
                f"basket: {len(other)} line(s) ({shown}) are on the other side of a "
                f"{direction} RFQ; quote a one-way basket (split it) or change direction"
            )
        par = lines["par_usd"].to_numpy(dtype=float)
        mv = lines["market_value_usd"].to_numpy(dtype=float)
        return cls(
            market=market,
            lines=lines,
            direction=direction,
            side=side,
            ids=pd.Index(lines.index.astype(str), name="id"),
            par=par,
            mv=mv,
            market_value_usd=float(mv.sum()),
            premium_bp=premium,
        )

    @property
    def sign(self) -> float:
        """+1 when the client sells (the dealer bids below mid), -1 when it buys."""
        return 1.0 if self.side == "sell" else -1.0

    def features(self) -> pd.DataFrame:
        """The liquidity model's features of the lines (once per basket)."""
        if self._features is None:
            model = self.market.liquidity
            if not callable(getattr(model, "legging_breakdown", None)):
                raise InputError(
                    "market.liquidity: the bond liquidity model has no legging_breakdown "
                    "(use etfcore.liquidity.BondLiquidityModel); dealers need it for the "
                    "cost of working the bonds out"
                )
            bonds = self.market.bonds.select(self.ids)
            self._features = model.features(bonds, settlement_date=self.market.settlement)  # type: ignore[attr-defined]
        return self._features

    def scores(self) -> Any:
        s = self.market.liquidity_scores
        return None if s is None else s.reindex(self.ids)

    def hedge(self, k: int, candidates: tuple[str, ...]) -> HedgeSelection:
        """select_hedge on the dealer's position, once per K and candidate set."""
        key = (k, candidates)
        hit = self.hedges.get(key)
        if hit is None:
            etfs = getattr(self.market, "etfs", {})
            pos = pd.DataFrame({"id": self.ids, "par": self.sign * self.par})
            hit = select_hedge(
                pos,
                self.market,
                candidates={n: etfs[n] for n in candidates},
                max_instruments=min(k, len(candidates)),
                horizon_days=1.0,
            )
            self.hedges[key] = hit
        return hit

    def no_hedge(self, like: HedgeSelection) -> HedgeSelection:
        """The basket unhedged, as a :class:`HedgeSelection` without legs (once per basket)."""
        hit = self._no_hedge
        if hit is None or hit[0] is not like.basket:
            b = like.basket
            f = b.to_frame()
            krd = b._key_rate_dv01
            hit = (
                b,
                dataclasses.replace(
                    like,
                    residual_dv01_usd=float(f["dv01_usd"].sum()),
                    residual_cs01_usd=float(f["credit_cs01_usd"].sum()),
                    variance_reduction=0.0,
                    tracking_vol_usd=like.basket_vol_usd,
                    tracking_vol_bp=like.basket_vol_usd / abs(b.market_value_usd) * 1e4,
                    subsets_evaluated=0,
                    _legs=like._legs.iloc[:0].copy(),
                    _residual_key_rate_dv01=pd.Series(
                        krd.to_numpy(dtype=float), index=krd.index.copy(), name="key_rate_dv01_usd"
                    ),
                    regression=None,
                ),
            )
            self._no_hedge = hit
        return hit[1]

    def basis_vol_bp(self, name: str) -> float:
        """Daily basis volatility (bp) ``select_hedge`` gives ETF ``name`` in this regime."""
        etf = self.market.etfs[name]  # type: ignore[attr-defined]
        deps = (etf, self.market.bonds, self.market.curve)
        kind = _fund_kinds.get(name, deps)
        if kind is None:
            kind = _fund_kind(etf_lines(etf, self.market))
            _fund_kinds.put(name, deps, kind)
        mult = STRESS_MULTIPLIERS["basis"] if self.market.regime == "stress" else 1.0
        return float(BASIS_VOL_BP[kind] * mult)

    def charged_vol(self, hedge: HedgeSelection) -> float:
        """Daily residual volatility (USD) the risk charge is on: tracking less the legs' basis.

        ``sqrt(tracking_var - sum_j (basis_j x 1e-4 x q_j)^2)``: the hedge's daily
        tracking variance without each leg's own basis noise (the ETF's price against
        its holdings, which the curve's ``premium_risk_bp`` prices).
        """
        q = hedge.notional_usd
        var = (hedge.tracking_vol_usd / math.sqrt(hedge.horizon_days)) ** 2
        for name, n in q.items():
            var -= (self.basis_vol_bp(str(name)) * 1e-4 * float(n)) ** 2
        return math.sqrt(max(var, 0.0))

    def risk_weights(self, hedge: HedgeSelection) -> np.ndarray:
        """Each line's share of the basket's absolute DV01 (how hedge and risk are shared)."""
        if self._risk_weights is None:
            dv01 = hedge.basket.to_frame()["dv01_usd"].reindex(self.ids).to_numpy(dtype=float)
            w = np.abs(dv01)
            self._risk_weights = w / w.sum() if w.sum() > 0 else self.mv / self.mv.sum()
        return self._risk_weights

    def held(self, etf: Any) -> np.ndarray:
        """Which lines ``etf`` holds (once per ETF)."""
        hit = self._held.get(etf.name)
        if hit is None or hit[0] is not etf:
            held = set(np.asarray(etf.holdings.index, dtype=object).astype(str).tolist())
            hit = (etf, np.fromiter((i in held for i in self.id_list), bool, len(self.id_list)))
            self._held[etf.name] = hit
        return hit[1]

    @property
    def id_list(self) -> list[str]:
        if self._id_list is None:
            self._id_list = [str(i) for i in self.ids]
        return self._id_list

    def lookup(self, values: pd.Series) -> np.ndarray:
        """``values`` (by bond id) at each line, 0 where it has none."""
        out = np.zeros(len(self.id_list))
        if len(values):
            if self._where is None:
                self._where = dict(zip(self.id_list, range(len(self.id_list)), strict=True))
            where = self._where
            for k, v in zip(values.index.tolist(), values.to_numpy(dtype=float), strict=True):
                i = where.get(k)
                if i is not None:
                    out[i] = v
        return out

    def candidates(self, dealer: Dealer) -> tuple[str, ...]:
        """The ETFs of the market on the dealer's curve (once per curve)."""
        hit = self._candidates.get(id(dealer.curve))
        if hit is None or hit[0] is not dealer.curve:
            hit = (dealer.curve, _candidates(dealer, self.market))
            self._candidates[id(dealer.curve)] = hit
        return hit[1]

    def working_bp(self, dealer: Dealer, live_mv: np.ndarray) -> np.ndarray:
        """Half-spread plus impact of working ``live_mv`` out over the dealer's horizon, bp.

        ``legging_breakdown`` of the liquidity model; for
        :class:`~etfcore.liquidity.BondLiquidityModel` its one-way costs at the lines' full
        value are computed once per basket and scaled: the impact of ``share x value``
        traded in ``days`` pieces is ``impact(value) x sqrt(share / days)`` (its
        square-root law, the same numbers).
        """
        model = self.market.liquidity
        regime = self.market.regime
        if isinstance(model, BondLiquidityModel):
            if self._one_way is None:
                out = model.cost_breakdown(
                    self.features(), self.mv, regime, self.side, self.scores()
                )
                self._one_way = (
                    out["half_spread_bp"].to_numpy(dtype=float),
                    out["impact_bp"].to_numpy(dtype=float),
                )
            half, impact = self._one_way
            share = np.divide(live_mv, self.mv, out=np.zeros_like(live_mv), where=self.mv > 0)
            return half + impact * np.sqrt(share / dealer.horizon_days)
        features = self.features()  # checks the model has legging_breakdown
        leg = model.legging_breakdown(  # type: ignore[attr-defined]
            features, live_mv, dealer.horizon_days, regime, self.side, self.scores()
        )
        return leg["half_spread_bp"].to_numpy() + leg["impact_bp"].to_numpy()

    # ------------------------------------------------------------ basket z-spread
    def _flow_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Per cash flow of the lines: value today at zero spread (USD) and its time."""
        if self._flows is None:
            market = self.market
            cf = market.bonds.cashflows(market.settlement)
            pos = market.bonds.position(self.ids)
            lo, hi = cf.offsets[pos], cf.offsets[pos + 1]
            counts = hi - lo
            k = np.repeat(lo - np.cumsum(np.r_[0, counts[:-1]]), counts) + np.arange(counts.sum())
            days = np.append(cf.unique_days, np.int64(cf.settlement))
            df = np.asarray(market.curve.discount_days(days), dtype=float)
            owner = np.repeat(np.arange(len(pos)), counts)
            value = self.par[owner] / 100.0 * cf.amount[k] * df[cf.day_index[k]] / df[-1]
            self._flows = (value, np.asarray(cf.dtau, dtype=float)[k])
        return self._flows

    def basket_spread_bp(self, values_usd: np.ndarray) -> np.ndarray:
        """The one z-spread (bp) at which the lines' cash flows are worth each value."""
        a, t = self._flow_arrays()
        target = np.asarray(values_usd, dtype=float)
        s = np.zeros_like(target)
        for _ in range(50):
            w = a[None, :] * np.exp(-s[:, None] * t[None, :])
            g = w.sum(axis=1) - target
            dg = -(w * t[None, :]).sum(axis=1)
            step = g / dg
            s = s - step
            if np.all(np.abs(step) < 1e-13):
                break
        return s * 1e4

    def mid_spread_bp(self) -> float:
        if self._mid_spread is None:
            self._mid_spread = float(self.basket_spread_bp(np.array([self.market_value_usd]))[0])
        return self._mid_spread


# ---------------------------------------------------------------------- one dealer's price
def _offsets(dealer: Dealer, ctx: _Basket) -> np.ndarray:
    axes = ctx.lookup(dealer.axes)
    inv = ctx.lookup(dealer.inventory)
    if ctx.side == "sell":  # the dealer buys: a buy axis, or covering a short
        room = np.maximum(axes, 0.0) + np.maximum(-inv, 0.0)
    else:  # the dealer sells: a sell axis, or delivering from inventory
        room = np.maximum(-axes, 0.0) + np.maximum(inv, 0.0)
    return np.minimum(ctx.par, room)


def _candidates(dealer: Dealer, market: MarketState) -> tuple[str, ...]:
    etfs = getattr(market, "etfs", None) or {}
    names = tuple(n for n in dealer.curve.instruments if n in etfs)
    if not names:
        raise InputError(
            f"Dealer {dealer.name!r}: none of its curve's instruments {dealer.curve.instruments} "
            f"is an ETF of the market ({sorted(etfs)}); the hedge needs their holdings"
        )
    return names


def quote_curve(curve: HedgeCostCurve) -> HedgeCostCurve:
    """``curve`` with only the components a quote uses (:data:`QUOTE_CURVE_COMPONENTS`).

    The same table with :data:`EXCLUDED_CURVE_COMPONENTS` (the curve's ``basis_risk_bp``)
    set to 0 and ``cost_bp`` (and ``cost_usd``) the sum of the rest; its
    :meth:`~etfcore.hedging.HedgeCostCurve.cost` interpolates that sum the curve's way.
    Built once per curve object; a curve read from a file gives the same numbers as the
    curve it was written from.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.hedging import hedge_cost_curve
    >>> m = synthetic_market(0)
    >>> c = hedge_cost_curve(m, ["IG_BROAD"], [1e6, 1e8], [1, 5], ("normal",))
    >>> t, q = c.to_frame(), quote_curve(c).to_frame()
    >>> bool(((t["cost_bp"] - t["basis_risk_bp"] - q["cost_bp"]).abs() < 1e-9).all())
    True
    >>> float(q["basis_risk_bp"].abs().max())
    0.0
    """
    hit = _quote_curves.get("quote", (curve,))
    if hit is not None:
        return hit
    table = curve.to_frame()
    for c in EXCLUDED_CURVE_COMPONENTS:
        table[c] = 0.0
    table["cost_bp"] = table[list(QUOTE_CURVE_COMPONENTS)].sum(axis=1)
    table["cost_usd"] = table["cost_bp"] * table["notional_usd"] * 1e-4
    out = HedgeCostCurve(
        table=table,
        as_of=curve.as_of,
        parameters=dict(curve.parameters),
        schema_version=curve.schema_version,
    )
    _quote_curves.put("quote", (curve,), out)
    return out


_LEG_COLUMNS = ("notional_usd", "trade_side", "cost_bp", "cost_usd")


class _BeyondCurve(InputError):
    """A hedge leg larger than the curve's largest size: that hedge option is not priced."""


def _largest(curve: HedgeCostCurve) -> dict[str, float]:
    """The largest notional of each instrument on ``curve`` (once per curve object)."""
    sizes = _largest_sizes.get("largest", (curve,))
    if sizes is None:
        top = curve.table.groupby("instrument")["notional_usd"].max()
        sizes = {str(k): float(v) for k, v in top.items()}
        _largest_sizes.put("largest", (curve,), sizes)
    return sizes


def _hedge_legs(
    dealer: Dealer, hedge: HedgeSelection, regime: str, ctx: _Basket
) -> tuple[pd.DataFrame, float]:
    """The hedge's legs priced from the dealer's curve (once per hedge, curve and horizon).

    Raises ``_BeyondCurve`` for a leg beyond the curve's sizes (the option is then not
    priced), InputError for what the curve lacks (a regime, a side).
    """
    key = (id(hedge), id(dealer.curve), dealer.horizon_days, regime)
    hit = ctx.legs.get(key)
    if hit is not None and hit[0] is hedge and hit[1] is dealer.curve:
        return hit[2], hit[3]
    curve = quote_curve(dealer.curve)
    largest = _largest(dealer.curve)
    notional = hedge.notional_usd
    q = notional.to_numpy(dtype=float)
    sides = np.where(q < 0, "sell", "buy")
    bp = np.empty(q.size)
    for j, inst in enumerate(notional.index.tolist()):
        top = largest.get(inst, np.inf)
        if abs(q[j]) > top:
            raise _BeyondCurve(
                f"hedge leg {inst} ${abs(q[j]) / 1e6:,.1f}mm is beyond the curve's largest "
                f"size ${top / 1e6:,.1f}mm"
            )
        try:
            bp[j] = curve.cost(inst, abs(q[j]), dealer.horizon_days, regime, sides[j])
        except InputError as exc:
            raise InputError(f"Dealer {dealer.name!r}: hedge leg {inst}: {exc}") from None
    usd = bp * np.abs(q) * 1e-4
    legs = pd.DataFrame(
        {"notional_usd": q, "trade_side": sides.astype(object), "cost_bp": bp, "cost_usd": usd},
        index=pd.Index(notional.index, name="instrument"),
    )
    total = float(usd.sum())
    ctx.legs[key] = (hedge, dealer.curve, legs, total)
    return legs, total


class _Option(NamedTuple):
    """One hedge size a dealer considers: its hedge, legs and what it costs."""

    k: int
    hedge: HedgeSelection
    legs: pd.DataFrame
    hedge_usd: float
    premium_usd: float
    vol_usd: float
    risk_usd: float
    note: str

    @property
    def total_usd(self) -> float:
        return self.hedge_usd + self.premium_usd + self.risk_usd


def _options(dealer: Dealer, ctx: _Basket) -> list[_Option]:
    """No hedge and the best hedge of at most 1..K ETFs, each priced for this dealer."""
    regime = ctx.market.regime
    candidates = ctx.candidates(dealer)
    k_max = min(dealer.max_instruments, len(candidates))
    reversion = 1.0 - 0.5 ** (dealer.horizon_days / PREMIUM_HALF_LIFE_DAYS)
    scale = dealer.risk_aversion * math.sqrt(dealer.horizon_days / 3.0)
    first = ctx.hedge(1, candidates)
    none = ctx.no_hedge(first)
    empty = pd.DataFrame(
        {c: pd.Series(dtype=object if c == "trade_side" else float) for c in _LEG_COLUMNS},
        index=pd.Index([], name="instrument", dtype=object),
    )
    vol0 = float(none.basket_vol_usd / math.sqrt(none.horizon_days))
    out = [_Option(0, none, empty, 0.0, 0.0, vol0, scale * vol0, "")]
    for k in range(1, k_max + 1):
        hedge = first if k == 1 else ctx.hedge(k, candidates)
        try:
            legs, hedge_usd = _hedge_legs(dealer, hedge, regime, ctx)
        except _BeyondCurve as exc:
            out.append(_Option(k, hedge, empty, np.inf, 0.0, np.nan, np.inf, str(exc)))
            continue
        q_legs = legs["notional_usd"].to_numpy(dtype=float)
        p_legs = np.array([ctx.premium_bp.get(str(i), 0.0) for i in legs.index], dtype=float)
        premium_usd = float(q_legs @ p_legs) * 1e-4 * reversion if q_legs.size else 0.0
        vol = ctx.charged_vol(hedge)
        out.append(_Option(k, hedge, legs, hedge_usd, premium_usd, vol, scale * vol, ""))
    return out


def _choose(options: list[_Option]) -> tuple[_Option, str, pd.DataFrame]:
    """The option of least total (ties to fewer ETFs), why, and the table of options."""
    best = options[0]
    for o in options[1:]:
        if o.total_usd < best.total_usd:
            best = o
    table = pd.DataFrame(
        {
            "n_legs": [len(o.legs) for o in options],
            "hedge_notional_usd": [float(o.legs["notional_usd"].abs().sum()) for o in options],
            "hedge_cost_usd": [o.hedge_usd for o in options],
            "etf_premium_usd": [o.premium_usd for o in options],
            "risk_charge_usd": [o.risk_usd for o in options],
            "total_usd": [o.total_usd for o in options],
            "residual_vol_usd": [o.vol_usd for o in options],
            "chosen": [o is best for o in options],
            "note": [o.note for o in options],
        },
        index=pd.Index([o.k for o in options], name="max_instruments"),
    )
    others = [o for o in options if o is not best and np.isfinite(o.total_usd)]
    what = "no ETF hedge" if best.k == 0 else f"at most {best.k} ETF(s) ({len(best.legs)} leg(s))"
    why = (
        f"{what}: the least hedge cost + ETF premium + risk charge of "
        f"K = 0..{options[-1].k} (${best.total_usd:,.0f}"
    )
    if others:
        nxt = min(others, key=lambda o: o.total_usd)
        why += f"; next K = {nxt.k} at ${nxt.total_usd:,.0f}"
    why += ")"
    skipped = [o.k for o in options if not np.isfinite(o.total_usd)]
    if skipped:
        why += f"; K = {skipped} not priced (a leg beyond the curve's sizes)"
    return best, why, table


def _route_backstops(
    dealer: Dealer, ctx: _Basket, live_mv: np.ndarray, working_bp: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Lines that leave through creation: (channel label per line, working cost bp)."""
    channel = np.where(live_mv > 0, "secondary", "axed").astype(object)
    if ctx.side != "sell" or not dealer.backstops:
        return channel, working_bp
    working_bp = working_bp.copy()
    etfs = getattr(ctx.market, "etfs", None) or {}
    regime = ctx.market.regime
    for b in dealer.backstops:
        if b.etf_name in etfs:
            held = ctx.held(etfs[b.etf_name])
        elif b.basket is not None:
            held = ctx.ids.isin(b.basket.index[b.basket["eligible"].to_numpy()])
        else:
            raise InputError(
                f"Dealer {dealer.name!r}: backstop {b.etf_name} is not an ETF of the market "
                "and was built without positions; build it with positions= or add the ETF"
            )
        free = held & (channel == "secondary")
        if not free.any():
            continue
        room = b.capacity_by_regime[regime] * dealer.horizon_days
        total = min(float(live_mv[free].sum()), float(room))
        if not total > 0:
            continue
        key = (id(b), total, regime)
        hit = ctx.creation.get(key)
        if hit is None or hit[0] is not b:
            hit = (b, b.creation_cost_bp(total, regime))
            ctx.creation[key] = hit
        cbp = hit[1]
        saving = np.where(free, working_bp - cbp, -np.inf)
        order = np.argsort(-saving, kind="stable")
        used = 0.0
        for i in order:
            if not saving[i] > 0 or used + live_mv[i] > room:
                break
            used += live_mv[i]
            channel[i] = f"creation:{b.etf_name}"
            working_bp[i] = cbp
    return channel, working_bp


def _price(dealer: Dealer, ctx: _Basket) -> DealerQuote:
    offset = _offsets(dealer, ctx)
    live_par = ctx.par - offset
    share = np.divide(live_par, ctx.par, out=np.zeros_like(live_par), where=ctx.par > 0)
    live_mv = ctx.mv * share

    # the hedge size of least hedge cost + ETF premium + risk charge, from the dealer's curve
    best, why, options = _choose(_options(dealer, ctx))
    hedge, legs = best.hedge, best.legs
    hedge_usd, premium_usd, risk_usd, vol = (
        best.hedge_usd,
        best.premium_usd,
        best.risk_usd,
        best.vol_usd,
    )

    # working the live part out over the horizon
    working_bp = ctx.working_bp(dealer, live_mv)
    channel, working_bp = _route_backstops(dealer, ctx, live_mv, working_bp)
    working = working_bp * live_mv * 1e-4
    margin_usd = dealer.margin_bp * ctx.market_value_usd * 1e-4

    # each line's share of the dealer's cost
    risk_w = ctx.risk_weights(hedge)
    mv_w = ctx.mv / ctx.market_value_usd
    components = {
        "hedge_cost_usd": hedge_usd,
        "etf_premium_usd": premium_usd,
        "working_cost_usd": float(working.sum()),
        "risk_charge_usd": risk_usd,
        "margin_usd": margin_usd,
    }
    cost = float(sum(components.values()))
    per_line = pd.DataFrame(
        {
            "par_usd": ctx.par,
            "trade_side": ctx.side,
            "market_value_usd": ctx.mv,
            "offset_par_usd": offset,
            "live_usd": live_mv,
            "channel": channel,
            "working_cost_bp": working_bp,
            "hedge_cost_usd": hedge_usd * risk_w,
            "etf_premium_usd": premium_usd * risk_w,
            "working_cost_usd": working,
            "risk_charge_usd": risk_usd * risk_w,
            "margin_usd": margin_usd * mv_w,
        },
        index=ctx.ids,
    )
    per_line["cost_usd"] = per_line[list(COMPONENTS)].sum(axis=1)
    all_in = round(ctx.market_value_usd - ctx.sign * cost, 2)
    spread = float(ctx.basket_spread_bp(np.array([all_in]))[0])
    mid_spread = ctx.mid_spread_bp()
    creation = channel.astype(str) != "secondary"
    creation &= channel.astype(str) != "axed"
    return DealerQuote(
        dealer=dealer.name,
        direction=ctx.direction,
        market_value_usd=ctx.market_value_usd,
        all_in_price_usd=all_in,
        cost_usd=cost,
        cost_bp=cost / ctx.market_value_usd * 1e4,
        components=types.MappingProxyType(components),
        spread_bp=spread,
        mid_spread_bp=mid_spread,
        spread_change_bp=spread - mid_spread,
        horizon_days=dealer.horizon_days,
        residual_vol_usd=vol,
        axed_usd=float((ctx.mv - live_mv).sum()),
        creation_usd=float(live_mv[creation].sum()),
        n_instruments=len(legs),
        hedge_choice=why,
        hedge=hedge,
        _legs=legs,
        _lines=per_line,
        _options=options,
    )


# ---------------------------------------------------------------------- panels
def _market_key(market: MarketState) -> tuple[tuple, tuple]:
    """A cache key for what a curve or backstop depends on (not the regime), and its objects.

    The objects: bonds, curve, bond and ETF liquidity models, liquidity scores and the
    ETFs (an IdentityCache entry holds them and matches only them); the z-spreads and the
    settlement by value.
    """
    etfs = getattr(market, "etfs", None) or {}
    etf_liquidity = tuple(market.etf_liquidity.get(name) for name in etfs)
    objs = (
        market.bonds,
        market.curve,
        market.liquidity,
        market.liquidity_scores,
        *etf_liquidity,
        *etfs.values(),
    )
    z = market.z_spread.to_numpy()
    key = (*(id(o) for o in objs), int(market.settlement), hash(z.tobytes()))
    return key, objs


def default_curve(market: MarketState) -> HedgeCostCurve:
    """The hedge-cost curve of every ETF of ``market`` on the default grid (cached).

    :func:`etfcore.hedging.hedge_cost_curve` with its defaults (sizes $1mm-$10bn,
    horizons 1-20 days, normal and stress), built once per market (bonds, curve,
    spreads, liquidity and ETFs; not the regime: the curve holds both).

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> default_curve(m) is default_curve(m.with_regime("stress"))
    True
    """
    key, objs = _market_key(market)
    curve = _curves.get(key, objs)
    if curve is None:
        curve = hedge_cost_curve(market)
        _curves.put(key, objs, curve)
    return curve


def _backstop(market: MarketState, name: str) -> LiquidityBackstop:
    key, objs = _market_key(market)
    backstop = _backstops.get((*key, name), objs)
    if backstop is None:
        etf = market.etfs[name]  # type: ignore[attr-defined]
        backstop = liquidity_backstop(etf, market, regime=market.regime)
        _backstops.put((*key, name), objs, backstop)
    return backstop


def dealer_panel(
    market: MarketState, n: int = 3, seed: int = 0, curve: HedgeCostCurve | None = None
) -> list[Dealer]:
    """A seeded panel of ``n`` dealers for ``market``, each with its own axes and appetite.

    Parameters
    ----------
    market : MarketState
        With ETFs (``market.etfs``), e.g. :func:`etfcore.market.synthetic_market`.
    n : int, default 3
        Number of dealers, >= 1.
    seed : int, default 0
        Seed of the draws (the same seed gives the same panel).
    curve : HedgeCostCurve, optional
        Every dealer's curve; default :func:`default_curve` (built once per market).

    Returns
    -------
    list of Dealer
        ``"Dealer A"``, ``"Dealer B"``, ... (``"Dealer 27"`` on past 26).

    Raises
    ------
    InputError
        For ``n < 1``, a negative seed, or a market without ETFs.

    Notes
    -----
    Each dealer draws its risk aversion uniformly in :data:`PANEL_RISK_AVERSION`, its
    horizon from :data:`PANEL_HORIZONS_DAYS`, its margin in :data:`PANEL_MARGIN_BP` and
    its number of ETF legs from :data:`PANEL_MAX_INSTRUMENTS`; axes on
    :data:`PANEL_AXES` live bonds of one sector (par uniform in
    :data:`PANEL_AXIS_PAR_USD`, three in four to buy) and a long inventory of
    :data:`PANEL_INVENTORY` live bonds. Every third dealer, starting with the first,
    has the liquidity backstop of :data:`PANEL_BACKSTOP_ETFS` (those in the market).

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> panel = dealer_panel(m, n=3, seed=0)
    >>> [d.name for d in panel]
    ['Dealer A', 'Dealer B', 'Dealer C']
    >>> [d.horizon_days for d in panel] == [d.horizon_days for d in dealer_panel(m, 3, 0)]
    True
    """
    if not isinstance(market, MarketState):
        raise InputError(f"market: expected a MarketState, got {type(market).__name__}")
    n = integer(n, "n", minimum=1)
    seed = integer(seed, "seed", minimum=0)
    etfs = getattr(market, "etfs", None) or {}
    if not etfs:
        raise InputError("market: has no ETFs (market.etfs); dealers hedge with ETFs")
    if curve is None:
        curve = default_curve(market)
    rng = np.random.default_rng(seed)
    bonds = market.bonds
    live = bonds.ids[np.asarray(bonds.maturity) > market.settlement]
    attrs = bonds.attributes
    sector = (
        attrs["sector"].reindex(live).astype(str)
        if "sector" in attrs
        else pd.Series("all", index=live)
    )
    sectors = sorted(sector.unique())
    panel = []
    for i in range(n):
        name = f"Dealer {chr(ord('A') + i)}" if i < 26 else f"Dealer {i + 1}"
        s = sectors[int(rng.integers(len(sectors)))]
        pool = np.asarray(live[(sector == s).to_numpy()])
        ax_ids = rng.choice(pool, min(PANEL_AXES, pool.size), replace=False)
        ax_par = rng.uniform(*PANEL_AXIS_PAR_USD, ax_ids.size)
        ax_par *= np.where(rng.random(ax_ids.size) < 0.75, 1.0, -1.0)
        inv_ids = rng.choice(np.asarray(live), min(PANEL_INVENTORY, live.size), replace=False)
        inv_par = rng.uniform(*PANEL_INVENTORY_PAR_USD, inv_ids.size)
        backstops: tuple[LiquidityBackstop, ...] = ()
        if i % 3 == 0:
            backstops = tuple(_backstop(market, e) for e in PANEL_BACKSTOP_ETFS if e in etfs)
        panel.append(
            Dealer(
                name=name,
                curve=curve,
                risk_aversion=float(rng.uniform(*PANEL_RISK_AVERSION)),
                horizon_days=float(rng.choice(PANEL_HORIZONS_DAYS)),
                margin_bp=float(rng.uniform(*PANEL_MARGIN_BP)),
                max_instruments=int(rng.choice(PANEL_MAX_INSTRUMENTS)),
                axes=pd.Series(ax_par, index=pd.Index(ax_ids, name="id")).groupby(level=0).sum(),
                inventory=pd.Series(inv_par, index=pd.Index(inv_ids, name="id")),
                backstops=backstops,
            )
        )
    return panel


__all__ = [
    "COMPONENTS",
    "DIRECTIONS",
    "EXCLUDED_CURVE_COMPONENTS",
    "QUOTE_CURVE_COMPONENTS",
    "Dealer",
    "DealerQuote",
    "check_direction",
    "dealer_panel",
    "default_curve",
    "quote_curve",
]
