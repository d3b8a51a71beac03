"""A multi-dealer RFQ for one all-in basket price, allocated back to the lines to the cent.

:func:`run_rfq` sends a basket to a panel of :class:`~etfcore.trading.Dealer` objects;
each quotes one all-in price (:meth:`Dealer.quote`: hedge cost from its curve, the cost
of working the bonds out, a risk charge on the residual, margin), the best price wins,
the second best is the cover, and the winning price is allocated back to the lines so
that their values add up to it exactly. :class:`RfqResult` holds every quote with its
components.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from ..errors import InputError
from ..state import MarketState
from .dealers import COMPONENTS, Dealer, DealerQuote, _Basket, _price, check_direction

#: Columns of :attr:`RfqResult.allocation`.
ALLOCATION_COLUMNS = (
    "par_usd",
    "trade_side",
    "market_value_usd",
    "pre_trade_mid",
    "execution_price",
    "execution_dirty_price",
    "value_usd",
    "cost_usd",
    "cost_bp",
    "channel",
)


def _panel(dealers: Any, market: MarketState, seed: Any) -> list[Dealer]:
    if dealers is None:
        from .dealers import dealer_panel

        return dealer_panel(market, n=3, seed=seed)
    if isinstance(dealers, Dealer):
        dealers = [dealers]
    elif isinstance(dealers, Mapping):
        dealers = list(dealers.values())
    try:
        panel = list(dealers)
    except TypeError:
        raise InputError(
            f"dealers: expected a list of Dealer objects, got {type(dealers).__name__}"
        ) from None
    if not panel:
        raise InputError(
            "dealers: the panel is empty; give at least one Dealer (or None for a seeded "
            "panel, etfcore.trading.dealer_panel)"
        )
    seen: set[str] = set()
    for i, d in enumerate(panel):
        if not isinstance(d, Dealer):
            raise InputError(f"dealers[{i}]: expected a Dealer, got {type(d).__name__}")
        if d.name in seen:
            raise InputError(f"dealers: two dealers are named {d.name!r}; give each a unique name")
        seen.add(d.name)
    return panel


def allocate_cents(values_usd: np.ndarray, total_usd: float) -> np.ndarray:
    """Round ``values_usd`` to whole cents so that they add up to ``total_usd`` exactly.

    Parameters
    ----------
    values_usd : numpy.ndarray
        Unrounded values, USD.
    total_usd : float
        The total they must add up to, rounded to the cent.

    Returns
    -------
    numpy.ndarray
        ``int64`` cents, one per value, summing to ``round(total_usd * 100)``.

    Notes
    -----
    Largest remainder (Hamilton's method): every value is rounded down to the cent, and
    the cents still missing go one each to the values with the largest remainders (ties
    to the earlier value). The total is at most a cent a line away from the rounded-down
    sum; a larger gap (values that do not add up to the total) is spread evenly first.

    Examples
    --------
    >>> allocate_cents(np.array([1.004, 2.003, 2.993]), 6.00).tolist()
    [101, 200, 299]
    """
    cents = np.asarray(values_usd, dtype=float) * 100.0
    floor = np.floor(cents)
    remainder = cents - floor
    out = floor.astype(np.int64)
    missing = int(round(total_usd * 100.0)) - int(out.sum())
    n = out.size
    if n == 0:
        return out
    whole, extra = divmod(missing, n)
    out += whole
    if extra:
        order = np.argsort(-remainder, kind="stable")
        out[order[:extra]] += 1
    return out


@dataclass(frozen=True, repr=False, eq=False)
class RfqResult:
    """The outcome of an RFQ: every dealer's quote, the winner, the cover, the allocation.

    Built by :func:`run_rfq`.

    Attributes
    ----------
    direction : str
        ``"client_sells"`` or ``"client_buys"``.
    regime : str
    market_value_usd : float
        The lines' mid value.
    winner : str
        Name of the dealer with the best all-in price.
    cover : str or None
        The second best (None with a one-dealer panel).
    dealer_quotes : mapping
        :class:`~etfcore.trading.dealers.DealerQuote` by dealer name (hedge, per-line
        costs), in panel order (read-only).

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.trading import run_rfq
    >>> m = synthetic_market(0)
    >>> ids = m.etfs["IG_INTERMEDIATE"].holdings.index[:30]
    >>> r = run_rfq(pd.DataFrame({"id": ids, "par": 2e6}), m, seed=0)
    >>> r.winner == r.quotes.index[0], len(r.quotes)
    (True, 3)
    >>> bool(round(r.allocation["value_usd"].sum(), 2) == r.all_in_price_usd)
    True
    """

    direction: str
    regime: str
    market_value_usd: float
    winner: str
    cover: str | None
    dealer_quotes: Mapping[str, DealerQuote] = field(repr=False)
    _quotes: pd.DataFrame = field(repr=False)
    _allocation: pd.DataFrame = field(repr=False)
    _cover_allocation: pd.DataFrame | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        cover = "no cover" if self.cover is None else f"cover {self.cover}"
        return (
            f"RfqResult({self.direction}, {len(self._quotes)} dealers, {len(self._allocation)} "
            f"lines: {self.winner} wins at ${self.all_in_price_usd:,.2f} "
            f"({self.winning_quote.cost_bp:.2f} bp), {cover})"
        )

    @property
    def quotes(self) -> pd.DataFrame:
        """One row per dealer, best first: price, spread, cost and its components (a copy).

        Columns: ``rank``, ``all_in_price_usd``, ``spread_bp``, ``cost_usd``,
        ``cost_bp``, the components (``hedge_cost_usd``, ``etf_premium_usd``,
        ``working_cost_usd``, ``risk_charge_usd``, ``margin_usd``), ``spread_change_bp``,
        ``mid_spread_bp``, ``market_value_usd``, ``horizon_days``, ``residual_vol_usd``,
        ``variance_reduction``, ``axed_usd``, ``creation_usd``, ``hedge`` (the legs),
        ``n_instruments`` (ETF legs; 0: no hedge) and ``hedge_choice`` (why that hedge
        size: :attr:`DealerQuote.hedge_options`).

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import run_rfq
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:10]
        >>> q = run_rfq(pd.DataFrame({"id": ids, "par": 1e6}), m).quotes
        >>> q["rank"].tolist()
        [1, 2, 3]
        """
        return frame_copy(self._quotes)

    @property
    def allocation(self) -> pd.DataFrame:
        """The winning price by line (index: bond id): values add up to it to the cent.

        Columns (:data:`ALLOCATION_COLUMNS`): ``par_usd``, ``trade_side`` (the client's),
        ``market_value_usd`` (mid), ``pre_trade_mid`` (clean mid, per 100),
        ``execution_price`` (clean, per 100), ``execution_dirty_price``, ``value_usd``
        (cash for the line, to the cent), ``cost_usd`` and ``cost_bp`` (against the mid
        value, positive = a cost to the client) and ``channel`` (how the winner works
        the line out). A copy.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import run_rfq
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:10]
        >>> a = run_rfq(pd.DataFrame({"id": ids, "par": 1e6}), m).allocation
        >>> bool((a["execution_price"] < a["pre_trade_mid"]).all())
        True
        """
        return frame_copy(self._allocation)

    @property
    def winning_quote(self) -> DealerQuote:
        """The winner's :class:`~etfcore.trading.dealers.DealerQuote`.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import run_rfq
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:5]
        >>> r = run_rfq(pd.DataFrame({"id": ids, "par": 1e6}), m)
        >>> r.winning_quote.dealer == r.winner
        True
        """
        return self.dealer_quotes[self.winner]

    @property
    def all_in_price_usd(self) -> float:
        """The winning all-in price, USD, to the cent.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import run_rfq
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:5]
        >>> r = run_rfq(pd.DataFrame({"id": ids, "par": 1e6}), m)
        >>> bool(r.all_in_price_usd == r.quotes["all_in_price_usd"].iloc[0])
        True
        """
        return float(self.winning_quote.all_in_price_usd)

    @property
    def cover_price_usd(self) -> float:
        """The cover's all-in price (NaN without a cover).

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import run_rfq
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:5]
        >>> r = run_rfq(pd.DataFrame({"id": ids, "par": 1e6}), m)
        >>> bool(r.cover_price_usd <= r.all_in_price_usd)  # the client sells: a lower bid
        True
        """
        if self.cover is None:
            return float("nan")
        return float(self.dealer_quotes[self.cover].all_in_price_usd)

    def to_frame(self) -> pd.DataFrame:
        """The quotes table (:attr:`quotes`).

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import run_rfq
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:10]
        >>> run_rfq(pd.DataFrame({"id": ids, "par": 1e6}), m).to_frame().index.name
        'dealer'
        """
        return self.quotes

    def to_tca(self) -> pd.DataFrame:
        """The allocation in the input shape of :func:`etfcore.tca`.

        Columns ``id``, ``par`` (USD face), ``market_value`` (the dirty mid value),
        ``pre_trade_mid`` and ``execution_price`` (clean, per 100) and ``trade_side``,
        one row per line, and ``cover_price`` (the cover's quote allocated to the lines
        the same way) when there is a cover. With ``par`` the TCA's dollar cost is the
        cash shortfall ``par x (mid - execution) / 100``, so ``tca(rfq.to_tca())`` and
        ``tca(rfq)`` agree to the cent (without it, the clean price shortfall would be
        applied to the dirty value).

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import run_rfq
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:3]
        >>> list(run_rfq(pd.DataFrame({"id": ids, "par": 1e6}), m).to_tca().columns)[:4]
        ['id', 'par', 'market_value', 'pre_trade_mid']
        """
        a = self._allocation
        out = pd.DataFrame(
            {
                "id": a.index.to_numpy(),
                "par": a["par_usd"].to_numpy(dtype=float),
                "market_value": a["market_value_usd"].to_numpy(),
                "pre_trade_mid": a["pre_trade_mid"].to_numpy(),
                "execution_price": a["execution_price"].to_numpy(),
                "trade_side": a["trade_side"].to_numpy(),
            }
        )
        if self._cover_allocation is not None:
            out["cover_price"] = self._cover_allocation["execution_price"].to_numpy()
        return out

    @property
    def cover_allocation(self) -> pd.DataFrame | None:
        """The cover's price allocated to the lines like :attr:`allocation` (None without).

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import run_rfq
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:5]
        >>> r = run_rfq(pd.DataFrame({"id": ids, "par": 1e6}), m)
        >>> c = r.cover_allocation
        >>> bool(round(c["value_usd"].sum(), 2) == r.cover_price_usd)
        True
        """
        return None if self._cover_allocation is None else frame_copy(self._cover_allocation)

    def summary(self) -> Any:
        """Quotes and components, the winner against the cover, the largest lines.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import run_rfq
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:10]
        >>> "RFQ" in str(run_rfq(pd.DataFrame({"id": ids, "par": 1e6}), m).summary())
        True
        """
        cols = ["rank", "all_in_price_usd", "spread_bp", "spread_change_bp", "cost_bp"]
        q = self._quotes
        comp = q[list(COMPONENTS)].div(q["market_value_usd"], axis=0) * 1e4
        comp.columns = [c.replace("_usd", "_bp") for c in COMPONENTS]
        table = pd.concat([q[cols], comp, q[["horizon_days", "hedge"]]], axis=1).reset_index()
        head: dict[str, Any] = {
            "winner": self.winner,
            "all_in_price_usd": self.all_in_price_usd,
            "market_value_usd": self.market_value_usd,
            "cost_bp": self.winning_quote.cost_bp,
            "cover": self.cover if self.cover is not None else "none",
        }
        if self.cover is not None:
            head["cover_price_usd"] = self.cover_price_usd
            head["margin_over_cover_usd"] = abs(self.all_in_price_usd - self.cover_price_usd)
        a = self._allocation
        top = a.loc[a["value_usd"].abs().sort_values(ascending=False).index[:10]]
        top = top[["par_usd", "pre_trade_mid", "execution_price", "value_usd", "cost_bp"]]
        return make_summary(
            f"RFQ ({self.direction}, {self.regime}): {len(q)} dealers, {len(a)} lines",
            [head, table, top.reset_index()],
            [
                "Costs are positive for the client; components in bp of the mid value. "
                "Spread: the one z-spread over the Treasury curve at which the lines' cash "
                "flows are worth the all-in price; spread_change_bp is against the mid value.",
                "Allocation: each line carries its own working cost, a DV01 share of the "
                "hedge cost and risk charge and a market-value share of the margin; values "
                "are rounded to the cent by largest remainder, so they add up to the "
                "all-in price exactly. Largest lines shown.",
            ],
        )

    def plot(self, ax: Any = None, unit: str = "bp") -> Any:
        """Each dealer's quote as stacked components, the winner and cover marked.

        Parameters
        ----------
        ax : matplotlib Axes, optional
        unit : {"bp", "usd"}, default "bp"
            Components in bp of the mid value or in USD mm.

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import run_rfq
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:10]
        >>> ax = run_rfq(pd.DataFrame({"id": ids, "par": 1e6}), m).plot()
        >>> ax.get_ylabel()
        'cost, bp of mid value'
        """
        import matplotlib.pyplot as plt

        from .._validation import choice

        unit = choice(unit, "unit", ("bp", "usd"))
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
        q = self._quotes
        scale = 1e4 / q["market_value_usd"] if unit == "bp" else pd.Series(1e-6, index=q.index)
        x = np.arange(len(q))
        bottom = np.zeros(len(q))
        labels = {
            "hedge_cost_usd": "ETF hedge",
            "etf_premium_usd": "ETF premium/discount",
            "working_cost_usd": "working the bonds out",
            "risk_charge_usd": "residual risk charge",
            "margin_usd": "margin",
        }
        below = np.zeros(len(q))  # negative parts (an ETF premium earned) go below zero
        total = np.zeros(len(q))
        for c in COMPONENTS:
            v = (q[c] * scale).to_numpy(dtype=float)
            if not np.any(v != 0):
                continue
            base = np.where(v >= 0, bottom, below)
            ax.bar(x, v, bottom=base, label=labels[c], width=0.6)
            bottom += np.maximum(v, 0.0)
            below += np.minimum(v, 0.0)
            total += v
        for i, name in enumerate(q.index):
            tag = "winner" if name == self.winner else ("cover" if name == self.cover else "")
            text = f"{total[i]:.2f}" + (f"\n{tag}" if tag else "")
            ax.annotate(text, (x[i], bottom[i]), ha="center", va="bottom", fontsize=8)
        ax.set_xticks(x, [str(n) for n in q.index])
        top = bottom.max() * 1.35 if bottom.max() > 0 else 1.0
        ax.set_ylim(below.min() * 1.2, top)
        if below.min() < 0:
            ax.axhline(0.0, color="black", lw=0.8)
        ax.set_ylabel("cost, bp of mid value" if unit == "bp" else "cost, USD mm")
        side = "bids" if self.direction == "client_sells" else "offers"
        ax.set_title(
            f"RFQ {self.direction} ({self.regime}): dealers' {side} as cost over mid, "
            f"${self.market_value_usd / 1e6:,.0f}mm basket"
        )
        ax.legend(fontsize=8, loc="upper left", ncols=2)
        return ax


def _allocation(quote: DealerQuote, ctx: _Basket) -> pd.DataFrame:
    per_line = quote._lines
    cost = per_line["cost_usd"].to_numpy(dtype=float)
    values = ctx.mv - ctx.sign * cost
    cents = allocate_cents(values, quote.all_in_price_usd)
    value = cents / 100.0
    lines = ctx.lines
    clean = lines["clean_price"].to_numpy(dtype=float)
    accrued = lines["dirty_price"].to_numpy(dtype=float) - clean
    dirty_exec = value / ctx.par * 100.0
    line_cost = ctx.sign * (ctx.mv - value)
    return pd.DataFrame(
        {
            "par_usd": ctx.par,
            "trade_side": ctx.side,
            "market_value_usd": ctx.mv,
            "pre_trade_mid": clean,
            "execution_price": dirty_exec - accrued,
            "execution_dirty_price": dirty_exec,
            "value_usd": value,
            "cost_usd": line_cost,
            "cost_bp": line_cost / ctx.mv * 1e4,
            "channel": per_line["channel"].to_numpy(),
        },
        index=ctx.ids,
    )


def run_rfq(
    basket: Any,
    market: MarketState,
    dealers: Any = None,
    direction: str = "client_sells",
    seed: int = 0,
    *,
    etf_premium_bp: Any = None,
) -> RfqResult:
    """Send a basket to a panel of dealers; the best all-in price wins.

    Parameters
    ----------
    basket : PortfolioBasket or pandas.DataFrame
        What :func:`etfcore.trading._lines.basket_lines` takes: ``id`` and ``par`` (USD)
        or ``market_value_usd`` of bonds of ``market`` (a ``PortfolioBasket`` from
        :func:`etfcore.io.read_basket`), optional ``trade_side`` (the client's; it must
        agree with ``direction``).
    market : MarketState
        With ETFs (``market.etfs``); its regime is the regime of every quote.
    dealers : Dealer or list of Dealer, optional
        The panel (unique names). Default: ``dealer_panel(market, n=3, seed=seed)``.
    direction : {"client_sells", "client_buys"}, default "client_sells"
        The client sells the basket (dealers bid below mid) or buys it (they offer
        above).
    seed : int, default 0
        Seed of the default panel (unused with ``dealers``); the same seed gives the
        same result.
    etf_premium_bp : float or dict of float, optional
        The hedge ETFs' premium (+) or discount (-) to NAV, bp, by ETF name (a number:
        every ETF); every dealer's ``etf_premium_usd`` component reads it
        (:meth:`Dealer.quote`). Default: at NAV.

    Returns
    -------
    RfqResult

    Raises
    ------
    InputError
        For an unknown direction, an empty panel, something that is not a Dealer,
        duplicate dealer names, a negative margin (at :class:`Dealer`), and basket
        problems (zero or negative amounts, duplicate or unknown ids, an unknown side
        or lines on the other side, an empty basket).

    Notes
    -----
    Each dealer's quote is :meth:`Dealer.quote` (its Notes give the components); the
    dealers share the work that does not depend on them: the lines, their liquidity
    features, cash flows and risk, and the hedge selection (one per number of ETF legs
    and regime). The best quote is the highest all-in price when the client sells and
    the lowest when it buys (ties to the dealer listed first); the cover is the next.

    Allocation: each line's cost is its own working cost plus a share of the hedge
    cost and of the risk charge in proportion to its absolute DV01 and a share of the
    margin in proportion to its market value (:meth:`DealerQuote.to_frame`); its value
    is ``market_value -/+ cost`` (client sells / buys), rounded to the cent by largest
    remainder (:func:`allocate_cents`) so that the line values add up to the winning
    all-in price exactly. ``execution_price`` is the clean price per 100 that pays the
    line's value: ``100 x value / par - accrued``.

    ``spread_bp`` is the all-in price as one spread to the benchmark curve: the
    z-spread over the Treasury zero curve (``market.curve``, continuously compounded)
    at which the lines' cash flows are worth the all-in price; ``spread_change_bp`` is
    that minus the same figure at the mid value (the basket-level spread concession,
    positive when the client sells).

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> ids = m.etfs["IG_INTERMEDIATE"].holdings.index[:30]
    >>> basket = pd.DataFrame({"id": ids, "par": 2e6})
    >>> sells = run_rfq(basket, m, direction="client_sells")
    >>> buys = run_rfq(basket, m, direction="client_buys")
    >>> bool(sells.all_in_price_usd < sells.market_value_usd < buys.all_in_price_usd)
    True
    >>> sells.cover in sells.quotes.index
    True
    """
    direction = check_direction(direction)
    if not isinstance(market, MarketState):
        raise InputError(f"market: expected a MarketState, got {type(market).__name__}")
    panel = _panel(dealers, market, seed)
    ctx = _Basket.build(basket, market, direction, etf_premium_bp)
    quotes = [_price(d, ctx) for d in panel]
    prices = np.array([q.all_in_price_usd for q in quotes])
    order = np.argsort(-ctx.sign * prices, kind="stable")
    rows = [quotes[i].as_row() for i in order]
    table = pd.DataFrame(rows, index=pd.Index([quotes[i].dealer for i in order], name="dealer"))
    table.insert(0, "rank", np.arange(1, len(order) + 1))
    winner = quotes[int(order[0])]
    second = quotes[int(order[1])] if len(order) > 1 else None
    return RfqResult(
        direction=direction,
        regime=ctx.market.regime,
        market_value_usd=ctx.market_value_usd,
        winner=winner.dealer,
        cover=None if second is None else second.dealer,
        dealer_quotes=types.MappingProxyType({q.dealer: q for q in quotes}),
        _quotes=table,
        _allocation=_allocation(winner, ctx),
        _cover_allocation=None if second is None else _allocation(second, ctx),
    )


__all__ = ["ALLOCATION_COLUMNS", "RfqResult", "allocate_cents", "run_rfq"]
