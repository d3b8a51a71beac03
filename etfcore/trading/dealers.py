"""Dealers: who quotes a basket, and how one dealer prices it.

A :class:`Dealer` holds what makes its quote its own: inventory and axes (bonds it wants
to buy or sell), risk appetite, hedging horizon, its :class:`~etfcore.hedging.HedgeCostCurve`
(built by :func:`~etfcore.hedging.hedge_cost_curve` or read from a curve file), optional
:class:`~etfcore.hedging.LiquidityBackstop` objects, margin and the most ETF legs it uses.
:meth:`Dealer.quote` prices a whole basket for one dealer as one all-in price;
:func:`dealer_panel` builds seeded panels from the synthetic market, and
:func:`etfcore.trading.run_rfq` sends a basket to a panel.

The hedge cost comes from the dealer's curve only (a pricing tool that has nothing but
the curve files prices the same way); the market supplies the bonds' prices, risk and
liquidity.
"""

from __future__ import annotations

import math
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from .._validation import as_number, choice, integer, non_negative, positive, show
from ..errors import InputError
from ..hedging.backstop import LiquidityBackstop, liquidity_backstop
from ..hedging.curve import HedgeCostCurve, hedge_cost_curve
from ..hedging.selection import HedgeSelection, select_hedge
from ..liquidity import BondLiquidityModel
from ..state import MarketState

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

_curves: dict[tuple, tuple[tuple, HedgeCostCurve]] = {}
_backstops: dict[tuple, tuple[tuple, LiquidityBackstop]] = {}


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
        At most this many ETF legs in its hedge (>= 1; capped at the candidates).
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
            if margin > MAX_MARGIN_BP:
                raise InputError(
                    f"margin_bp: {show(margin)} is more than {MAX_MARGIN_BP:g} bp; give the "
                    "margin in basis points (2 bp is 2, not 0.02 or 200)"
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
            the curve or without the curve's regime, a hedge leg beyond the curve's
            largest size, and basket problems (as ``basket_lines``).

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
          all of it, so one selection per ``max_instruments`` and regime serves a
          whole panel), at most ``max_instruments`` of
          the ETFs on its curve; each leg costs ``curve.cost(instrument, |notional|,
          horizon_days, market.regime, trade_side) x |notional| / 1e4``.
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
          ``sigma`` the hedged basket's daily tracking volatility (USD) from the same
          selection; ``sqrt(T / 3)`` is the standard deviation of a position worked
          down evenly over ``T`` days (Almgren and Chriss 2001), as the legging model
          uses.
        * ``margin_usd``: ``margin_bp x market_value / 1e4``.

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
        The chosen ETF hedge (``hedge.notional_usd`` is empty when the limits allow
        none).
    residual_vol_usd : float
        Daily tracking volatility of the hedged position, USD.
    axed_usd, creation_usd : float
        Market value the dealer's axes and inventory offset, and that leaves through
        creation baskets.

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
    hedge: HedgeSelection = field(repr=False)
    _legs: pd.DataFrame = field(repr=False)
    _lines: pd.DataFrame = field(repr=False)

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
                "curve that values the lines' cash flows at the price."
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


def _hedge_legs(
    dealer: Dealer, hedge: HedgeSelection, regime: str, ctx: _Basket
) -> tuple[pd.DataFrame, float]:
    """The hedge's legs priced from the dealer's curve (once per hedge, curve and horizon)."""
    key = (id(hedge), id(dealer.curve), dealer.horizon_days, regime)
    hit = ctx.legs.get(key)
    if hit is not None and hit[0] is hedge and hit[1] is dealer.curve:
        return hit[2], hit[3]
    notional = hedge.notional_usd
    q = notional.to_numpy(dtype=float)
    sides = np.where(q < 0, "sell", "buy")
    bp = np.empty(q.size)
    for j, inst in enumerate(notional.index.tolist()):
        try:
            bp[j] = dealer.curve.cost(inst, abs(q[j]), dealer.horizon_days, regime, sides[j])
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
    market = ctx.market
    regime = market.regime
    offset = _offsets(dealer, ctx)
    live_par = ctx.par - offset
    share = np.divide(live_par, ctx.par, out=np.zeros_like(live_par), where=ctx.par > 0)
    live_mv = ctx.mv * share

    # the hedge, from the dealer's curve
    hedge = ctx.hedge(dealer.max_instruments, ctx.candidates(dealer))
    legs, hedge_usd = _hedge_legs(dealer, hedge, regime, ctx)
    q_legs = legs["notional_usd"].to_numpy(dtype=float)
    p_legs = np.array([ctx.premium_bp.get(str(i), 0.0) for i in legs.index], dtype=float)
    reversion = 1.0 - 0.5 ** (dealer.horizon_days / PREMIUM_HALF_LIFE_DAYS)
    premium_usd = float(q_legs @ p_legs) * 1e-4 * reversion if q_legs.size else 0.0
    vol = float(hedge.tracking_vol_usd / math.sqrt(hedge.horizon_days))
    risk_usd = dealer.risk_aversion * vol * math.sqrt(dealer.horizon_days / 3.0)

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
        hedge=hedge,
        _legs=legs,
        _lines=per_line,
    )


# ---------------------------------------------------------------------- panels
def _market_key(market: MarketState) -> tuple[tuple, tuple]:
    """A cache key for what a curve or backstop depends on (not the regime), and its objects."""
    etfs = getattr(market, "etfs", None) or {}
    objs = (market.bonds, market.curve, market.liquidity, *etfs.values())
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
    hit = _curves.get(key)
    if hit is None or any(a is not b for a, b in zip(hit[0], objs, strict=True)):
        if len(_curves) >= 8:
            _curves.pop(next(iter(_curves)))
        hit = (objs, hedge_cost_curve(market))
        _curves[key] = hit
    return hit[1]


def _backstop(market: MarketState, name: str) -> LiquidityBackstop:
    key, objs = _market_key(market)
    hit = _backstops.get((*key, name))
    if hit is None or any(a is not b for a, b in zip(hit[0], objs, strict=True)):
        if len(_backstops) >= 16:
            _backstops.pop(next(iter(_backstops)))
        etf = market.etfs[name]  # type: ignore[attr-defined]
        hit = (objs, liquidity_backstop(etf, market, regime=market.regime))
        _backstops[(*key, name)] = hit
    return hit[1]


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
    "Dealer",
    "DealerQuote",
    "check_direction",
    "dealer_panel",
    "default_curve",
]
