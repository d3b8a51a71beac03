"""Pre-trade analysis of a basket: liquidity, legging cost, risk, ETF overlap, PT vs legging.

:func:`pre_trade` prices every line of a basket in one market and regime:

* **liquidity** from the market's bond liquidity model (:attr:`MarketState.liquidity`, a
  :class:`~etfcore.liquidity.BondLiquidityModel`): bid-ask, daily volume and volatility,
  the impact of trading the whole line at once, and the market's TRACE-like liquidity
  score where it has one;
* the **legging cost**, trading each bond alone over a few days
  (:meth:`BondLiquidityModel.legging_breakdown`: half-spread, impact and the price risk of
  taking days to finish), the days per line chosen as the cheapest of a small grid;
* **risk**: DV01 and CS01 per line (:func:`etfcore.hedging.basket_risk`);
* **overlap**: which ETFs of the market hold each bond and how much of the basket could
  leave through each fund's creation basket (:func:`etfcore.hedging.liquidity_backstop`);
* the basket's **expected cost as a portfolio trade**, quoted by a representative dealer
  with the dealer pricing of :mod:`etfcore.trading.dealers` (the ETF hedge's cost on a
  hedge-cost curve, the bonds worked out over the dealer's horizon, a charge for the risk
  the hedge leaves), allocated to the lines and compared with legging per line and per
  liquidity bucket.

The dealer formula has one owner, :meth:`etfcore.trading.Dealer.quote`; this module only
chooses the representative dealer and compares its price with legging.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from .._validation import choice, integer, per_bond, show
from ..errors import InputError
from ..fund.etf import ETF, check_market
from ..state import MarketState, check_regime
from ._lines import LINE_COLUMNS as BASKET_LINE_COLUMNS
from ._lines import basket_lines, dealer_positions

#: Legging horizons (days) tried for each line when ``legging_days`` is not given; each
#: line legs over the cheapest of them. Fractions of a day are allowed by the model.
LEGGING_DAYS_GRID = (0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0)
#: Longest legging or working-out horizon, days (the liquidity model's bound).
MAX_DAYS = 260.0
#: Name of the dealer :func:`pre_trade` prices the portfolio trade with by default.
REPRESENTATIVE_DEALER = "representative dealer"
#: The representative dealer's horizon for working the bonds out, days.
DEFAULT_HORIZON_DAYS = 5.0
#: Most ETFs in the representative dealer's hedge.
DEFAULT_MAX_INSTRUMENTS = 3
#: How lines are put in liquidity buckets: by bid-ask (bp, low = liquid) or by the
#: market's liquidity score (high = liquid).
BUCKET_BY = ("bid_ask", "score")
#: Score given to the liquidity model for a bond without one: 0.5 is the neutral score
#: (score factors of 1, the same as no score).
NEUTRAL_SCORE = 0.5
#: Per-line columns of :attr:`PreTradeReport.lines`, in order (index: ``id``).
LINE_COLUMNS = (
    *BASKET_LINE_COLUMNS,  # the basket's own columns (etfcore.trading.basket_lines)
    "liquidity_score",
    "bid_ask_bp",
    "half_spread_bp",
    "daily_volume_usd",
    "days_of_volume",
    "daily_volatility_bp",
    "impact_bp",
    "cost_bp",
    "legging_days",
    "legging_impact_bp",
    "legging_risk_bp",
    "legging_cost_bp",
    "legging_cost_usd",
    "dv01_usd",
    "cs01_usd",
    "modified_duration",
    "spread_duration",
    "held_by",
    "n_etfs",
    "pt_channel",
    "pt_workout_bp",
    "pt_hedge_bp",
    "pt_risk_bp",
    "pt_margin_bp",
    "pt_cost_bp",
    "pt_cost_usd",
    "saving_bp",
    "saving_usd",
    "liquidity_bucket",
)


# ---------------------------------------------------------------------- arguments
def _days(value: Any, name: str) -> float:
    """A horizon in days in (0, MAX_DAYS]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise InputError(f"{name}: {show(value)} is not a number of days; give one in (0, 260]")
    v = float(value)
    if not (math.isfinite(v) and 0.0 < v <= MAX_DAYS):
        raise InputError(f"{name}: {show(value)} must be a number of days in (0, {MAX_DAYS:g}]")
    return v


def _legging_days(value: Any, ids: pd.Index) -> np.ndarray | None:
    """None (cheapest of the grid), or days per line from a number or a Series by id."""
    if value is None:
        return None
    if isinstance(value, pd.Series):
        days = per_bond(value, ids, "legging_days")
        bad = ~((days > 0.0) & (days <= MAX_DAYS))
        if bad.any():
            shown = ", ".join(f"{ids[i]}: {show(days[i])}" for i in np.flatnonzero(bad)[:20])
            raise InputError(
                f"legging_days: every line's days must be in (0, {MAX_DAYS:g}]; got {shown}"
            )
        return days
    return np.full(len(ids), _days(value, "legging_days"))


def _bond_model(market: MarketState) -> Any:
    model = market.liquidity
    need = ("features", "cost_breakdown", "legging_breakdown", "bid_ask_bp")
    missing = [m for m in need if not callable(getattr(model, m, None))]
    if missing:
        raise InputError(
            f"market.liquidity: the bond liquidity model ({type(model).__name__}) has no "
            f"{missing}; pre_trade needs volumes, impact and legging costs (use "
            "etfcore.liquidity.BondLiquidityModel)"
        )
    return model


def _market_etfs(market: MarketState) -> dict[str, ETF]:
    """The market's ETFs by name (none for a plain MarketState)."""
    return dict(getattr(market, "etfs", None) or {})


def _etf_names(etfs: Any, market: MarketState) -> list[str]:
    have = _market_etfs(market)
    if etfs is None:
        return list(have)
    names = [etfs] if isinstance(etfs, str) else list(etfs)
    unknown = [n for n in names if n not in have]
    if unknown:
        raise InputError(f"etfs: no ETF named {unknown} in the market; the ETFs are {list(have)}")
    return names


def _scores(market: MarketState, ids: pd.Index) -> tuple[pd.Series, np.ndarray | None]:
    """The market's scores of the lines (NaN where unknown) and what the model gets."""
    if market.liquidity_scores is None:
        return pd.Series(np.nan, index=ids, name="liquidity_score"), None
    known = pd.to_numeric(market.liquidity_scores.reindex(ids), errors="coerce").astype(float)
    known = known.rename("liquidity_score")
    if known.isna().all():
        return known, None
    return known, known.fillna(NEUTRAL_SCORE).to_numpy(dtype=float)


# ---------------------------------------------------------------------- portfolio trade
class _PortfolioTrade(NamedTuple):
    """The portfolio-trade estimate from the dealer pricing (USD unless named)."""

    per_line: pd.DataFrame  # by id: working_cost_bp and each component's USD share
    hedge: pd.DataFrame  # one row per leg and direction
    components: pd.Series  # the dealer's COMPONENTS (USD)
    residual_vol_usd: float
    basket_vol_usd: float
    variance_reduction: float
    dealer: str
    horizon_days: float
    risk_aversion: float


#: Columns of :attr:`PreTradeReport.hedge`.
HEDGE_COLUMNS = ("direction", "notional_usd", "trade_side", "cost_bp", "cost_usd")


def _representative_dealer(
    market: MarketState,
    model: Any,
    horizon_days: float,
    max_instruments: int,
    curve: Any,
    backstops: tuple[Any, ...],
) -> Any:
    """The representative dealer: hedges with up to ``max_instruments`` ETFs.

    No axes, no inventory, no margin; an AP of every ETF (``backstops``; none with the
    creation route off); the liquidity model's risk aversion. How many ETFs it hedges
    with (none included) is :meth:`Dealer.quote`'s choice.
    """
    from .dealers import Dealer, default_curve

    curve = default_curve(market) if curve is None else curve
    lam = float(getattr(model, "legging_risk_aversion", 0.5))
    return Dealer(
        REPRESENTATIVE_DEALER,
        curve,
        risk_aversion=lam,
        horizon_days=horizon_days,
        margin_bp=0.0,
        max_instruments=max_instruments,
        backstops=backstops,
    )


def _portfolio_trade(
    lines: pd.DataFrame, market: MarketState, dealer: Any, etf_premium_bp: Any = None
) -> _PortfolioTrade:
    """Price ``lines`` as a portfolio trade with the dealer pricing of :mod:`.dealers`.

    Each one-way part of the basket (the lines the client sells, those it buys) is quoted
    by ``dealer`` (whose quote chooses its hedge size).
    """
    from .dealers import COMPONENTS

    parts = []
    for side, direction in (("sell", "client_sells"), ("buy", "client_buys")):
        part = lines[lines["trade_side"].to_numpy() == side]
        if len(part):
            parts.append(dealer.quote(part, market, direction, etf_premium_bp=etf_premium_bp))
    per_line = pd.concat([q.to_frame() for q in parts]).reindex(lines.index)
    legs = []
    for q in parts:
        leg = q.hedge_legs
        leg.insert(0, "direction", q.direction)
        if len(leg):
            legs.append(leg)
    hedge = pd.concat(legs) if legs else pd.DataFrame(columns=list(HEDGE_COLUMNS))
    hedge = hedge[list(HEDGE_COLUMNS)]
    hedge.index.name = "instrument"
    components = pd.Series(
        {c: float(sum(q.components[c] for q in parts)) for c in COMPONENTS}, dtype=float
    )
    basket_vol = sum(q.hedge.basket_vol_usd / math.sqrt(q.hedge.horizon_days) for q in parts)
    removed = [q.hedge.variance_reduction * q.hedge.basket_vol_usd**2 for q in parts]
    total = sum(q.hedge.basket_vol_usd**2 for q in parts)
    return _PortfolioTrade(
        per_line=per_line,
        hedge=hedge,
        components=components,
        residual_vol_usd=float(sum(q.residual_vol_usd for q in parts)),
        basket_vol_usd=float(basket_vol),
        variance_reduction=float(sum(removed) / total) if total > 0 else 0.0,
        dealer=parts[0].dealer,
        horizon_days=float(parts[0].horizon_days),
        risk_aversion=float(dealer.risk_aversion),
    )


# ---------------------------------------------------------------------- results
@dataclass(frozen=True, repr=False)
class PreTradeReport:
    """Pre-trade analysis of a basket: per line, per liquidity bucket and for the basket.

    Built by :func:`pre_trade`. Properties hand out copies.

    Attributes
    ----------
    regime : str
        ``"normal"`` or ``"stress"``: every cost is in this regime.
    horizon_days : float
        The representative dealer's horizon for working the bonds out.
    legging_rule : str
        How each line's legging days were chosen.
    bucket_by : str
        What the liquidity buckets rank (:data:`BUCKET_BY`).
    dealer : str
        The dealer whose quote is the portfolio-trade cost.
    market : MarketState
        The market the lines are priced in (in :attr:`regime`).

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.trading import pre_trade
    >>> m = synthetic_market(0)
    >>> ids = m.etfs["IG_INTERMEDIATE"].holdings.index[:6]
    >>> r = pre_trade(pd.DataFrame({"id": ids, "par": 5e6}), m)
    >>> r  # doctest: +ELLIPSIS
    PreTradeReport(6 lines, $... mm, normal: legging ... bp, portfolio trade ... bp, saving ... bp)
    """

    regime: str
    horizon_days: float
    legging_rule: str
    bucket_by: str
    dealer: str
    market: MarketState = field(repr=False)
    _lines: pd.DataFrame = field(repr=False)
    _totals: pd.Series = field(repr=False)
    _buckets: pd.DataFrame = field(repr=False)
    _etf_overlap: pd.DataFrame = field(repr=False)
    _hedge: pd.DataFrame = field(repr=False)
    _portfolio_trade: pd.Series = field(repr=False)

    def __repr__(self) -> str:
        t = self._totals
        return (
            f"PreTradeReport({int(t['n_lines']):,} lines, ${t['market_value_usd'] / 1e6:,.1f} mm, "
            f"{self.regime}: legging {t['legging_cost_bp']:.2f} bp, portfolio trade "
            f"{t['pt_cost_bp']:.2f} bp, saving {t['saving_bp']:.2f} bp)"
        )

    @property
    def lines(self) -> pd.DataFrame:
        """Per line (index: bond id), :data:`LINE_COLUMNS`. A copy.

        * the basket line (:func:`~etfcore.trading._lines.basket_lines`): ``par_usd`` to
          ``years_to_maturity``;
        * liquidity: ``liquidity_score`` (the market's, NaN without), ``bid_ask_bp``,
          ``half_spread_bp``, ``daily_volume_usd``, ``days_of_volume`` (market value over
          daily volume), ``daily_volatility_bp``, ``impact_bp`` and ``cost_bp`` (the whole
          line at once);
        * legging: ``legging_days``, ``legging_impact_bp``, ``legging_risk_bp``,
          ``legging_cost_bp`` (half-spread + impact + risk) and ``legging_cost_usd``;
        * risk (the dealer's position): ``dv01_usd``, ``cs01_usd``,
          ``modified_duration``, ``spread_duration``;
        * overlap: ``held_by`` (ETF names, comma-separated) and ``n_etfs``;
        * portfolio trade: ``pt_channel`` (``"secondary"``, ``"creation:<ETF>"`` or
          ``"axed"``), the line's share of the quote in bp of its market value --
          ``pt_workout_bp`` (working cost), ``pt_hedge_bp`` (the hedge: the rest of the
          quote), ``pt_risk_bp``, ``pt_margin_bp`` -- adding up to ``pt_cost_bp``;
          ``pt_cost_usd``;
        * ``saving_bp`` and ``saving_usd`` (legging minus portfolio trade) and
          ``liquidity_bucket`` (1 = most liquid).

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import pre_trade
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:3]
        >>> lines = pre_trade(pd.DataFrame({"id": ids, "par": 2e6}), m, etfs=[]).lines
        >>> bool((lines["legging_cost_bp"] >= lines["half_spread_bp"]).all())
        True
        """
        return frame_copy(self._lines)

    @property
    def totals(self) -> pd.Series:
        """The basket: amounts summed, costs in bp weighted by market value. A copy.

        ``n_lines``, ``market_value_usd``, ``par_usd``, ``bid_ask_bp``, ``half_spread_bp``,
        ``impact_bp``, ``cost_bp`` (all at once), ``legging_days``, ``legging_cost_bp``,
        ``legging_cost_usd``, ``pt_cost_bp``, ``pt_cost_usd``, ``saving_bp``,
        ``saving_usd``, ``saving_share`` (saving over legging cost), ``dv01_usd``,
        ``cs01_usd``, ``hedge_notional_usd`` (gross), ``variance_reduction``.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import pre_trade
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:3]
        >>> t = pre_trade(pd.DataFrame({"id": ids, "par": 2e6}), m, etfs=[]).totals
        >>> bool(abs(t["saving_bp"] - (t["legging_cost_bp"] - t["pt_cost_bp"])) < 1e-9)
        True
        """
        return frame_copy(self._totals)

    @property
    def buckets(self) -> pd.DataFrame:
        """Per liquidity bucket (1 = most liquid): value, costs and the PT saving. A copy.

        Columns: ``n_lines``, ``market_value_usd``, ``low`` and ``high`` (the range of the
        ranked measure, bid-ask in bp or score), ``bid_ask_bp``, ``legging_cost_bp``,
        ``pt_cost_bp``, ``saving_bp`` (value-weighted), ``legging_cost_usd``,
        ``pt_cost_usd``, ``saving_usd`` and ``saving_share``.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import pre_trade
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_BROAD"].holdings.index[:9]
        >>> b = pre_trade(pd.DataFrame({"id": ids, "par": 3e6}), m, etfs=[]).buckets
        >>> b.index.tolist(), b["n_lines"].tolist()
        ([1, 2, 3], [3, 3, 3])
        """
        return frame_copy(self._buckets)

    @property
    def etf_overlap(self) -> pd.DataFrame:
        """Per ETF: the basket's lines it holds and what could leave by creation. A copy.

        Columns: ``n_lines`` (lines the fund holds), ``held_usd`` and ``held_share``
        (their market value, and its share of the basket's), then from the fund's
        :class:`~etfcore.hedging.LiquidityBackstop`: ``creation_usd`` (the dealer's long
        lines the fund holds or accepts), ``creation_cost_bp`` and ``creation_days`` (of
        AP capacity).

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import pre_trade
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["HY"].holdings.index[:4]
        >>> o = pre_trade(pd.DataFrame({"id": ids, "par": 1e6}), m, etfs=["HY"]).etf_overlap
        >>> float(o.loc["HY", "held_share"])
        1.0
        """
        return frame_copy(self._etf_overlap)

    @property
    def hedge(self) -> pd.DataFrame:
        """The pricing dealer's ETF hedge, one row per leg (:data:`HEDGE_COLUMNS`). A copy.

        ``direction`` is the one-way part of the basket the leg hedges
        (``"client_sells"`` or ``"client_buys"``), ``notional_usd`` is negative when the
        dealer sells the ETF; ``cost_bp`` is the curve's cost of the leg over the
        dealer's horizon, ``cost_usd`` in dollars.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import pre_trade
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_BROAD"].holdings.index[:40]
        >>> h = pre_trade(pd.DataFrame({"id": ids, "par": 5e6}), m, etfs=[]).hedge
        >>> h.index.name, bool((h["notional_usd"] < 0).all())
        ('instrument', True)
        """
        return frame_copy(self._hedge)

    @property
    def portfolio_trade(self) -> pd.Series:
        """The portfolio-trade quote's components, USD and bp of the basket. A copy.

        The dealer's components (:data:`etfcore.trading.dealers.COMPONENTS`:
        ``hedge_cost_usd``, ``etf_premium_usd``, ``working_cost_usd``,
        ``risk_charge_usd``, ``margin_usd``),
        ``total_usd``, each of them in bp of the basket's market value (``*_bp``), the
        daily P&L volatility of the unhedged basket (``basket_vol_usd``) and of the
        hedged residual (``residual_vol_usd``), ``risk_aversion`` and ``horizon_days``.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import pre_trade
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:3]
        >>> p = pre_trade(pd.DataFrame({"id": ids, "par": 2e6}), m, etfs=[]).portfolio_trade
        >>> parts = p[["hedge_cost_usd", "etf_premium_usd", "working_cost_usd",
        ...            "risk_charge_usd", "margin_usd"]]
        >>> bool(abs(parts.sum() - p["total_usd"]) < 1e-6)
        True
        """
        return frame_copy(self._portfolio_trade)

    def to_frame(self) -> pd.DataFrame:
        """The per-line table (:attr:`lines`), a copy.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import pre_trade
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:3]
        >>> f = pre_trade(pd.DataFrame({"id": ids, "par": 2e6}), m, etfs=[]).to_frame()
        >>> f.index.name, len(f)
        ('id', 3)
        """
        return frame_copy(self._lines)

    def summary(self) -> Any:
        """Totals, the PT estimate, buckets, hedge legs and ETF overlap, with conventions.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import pre_trade
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:3]
        >>> text = str(pre_trade(pd.DataFrame({"id": ids, "par": 2e6}), m, etfs=[]).summary())
        >>> "Pre-trade" in text and "saving_bp" in text
        True
        """
        tables: list[Any] = [self._totals.to_dict(), self._portfolio_trade.to_dict()]
        tables.append(self._buckets.reset_index())
        if not self._hedge.empty:
            tables.append(self._hedge.reset_index())
        if not self._etf_overlap.empty:
            tables.append(self._etf_overlap.reset_index())
        return make_summary(
            f"Pre-trade report: {int(self._totals['n_lines']):,} lines, {self.regime} regime",
            tables,
            [
                "Costs are bp of market value (positive), totals and buckets weighted by "
                "market value; USD figures are summed. Legging: each bond alone over its "
                f"days ({self.legging_rule}); half-spread + impact of a day's piece + "
                "risk aversion x daily volatility x sqrt(days / 3).",
                f"Portfolio trade: the quote of {self.dealer} (etfcore.trading.Dealer.quote): "
                "the ETF hedge's cost on its hedge-cost curve + working the bonds out over "
                f"{self.horizon_days:g} days (half-spread + impact) + risk aversion x the "
                "hedged residual's daily vol x sqrt(horizon / 3) + margin; hedge and risk "
                "charge shared by lines' absolute DV01.",
                f"Liquidity buckets rank lines by {self.bucket_by} (1 = most liquid). DV01 and "
                "CS01 are the dealer's: positive on lines the client sells.",
            ],
        )

    def plot(self, ax: Any = None, by: str = "bucket") -> Any:
        """Legging cost against portfolio-trade cost, by liquidity bucket or by line.

        Parameters
        ----------
        ax : matplotlib Axes, optional
        by : {"bucket", "line"}, default "bucket"
            ``"bucket"``: value-weighted bars per bucket with the saving annotated;
            ``"line"``: one point per line (legging against PT cost, bp) and the diagonal.

        Returns
        -------
        matplotlib Axes

        Raises
        ------
        InputError
            For an unknown ``by``.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import pre_trade
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:3]
        >>> ax = pre_trade(pd.DataFrame({"id": ids, "par": 2e6}), m, etfs=[]).plot()
        >>> ax.get_ylabel()
        'cost, bp of market value'
        """
        import matplotlib.pyplot as plt

        by = choice(by, "by", ("bucket", "line"))
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
        if by == "bucket":
            b = self._buckets
            x = np.arange(len(b))
            width = 0.38
            ax.bar(x - width / 2, b["legging_cost_bp"], width, label="legging")
            ax.bar(x + width / 2, b["pt_cost_bp"], width, label="portfolio trade")
            for i, (top, saving, share) in enumerate(
                zip(b["legging_cost_bp"], b["saving_bp"], b["saving_share"], strict=True)
            ):
                ax.annotate(
                    f"{saving:+.1f} bp ({share:.0%})",
                    (i, top),
                    xytext=(0, 4),
                    textcoords="offset points",
                    ha="center",
                    fontsize=8,
                )
            ax.set_xticks(x)
            labels = [f"{i}" for i in b.index]
            labels[0] += "\nmost liquid"
            if len(labels) > 1:
                labels[-1] += "\nleast liquid"
            ax.set_xticklabels(labels)
            ax.set_xlabel(f"liquidity bucket (by {self.bucket_by})")
            ax.set_ylabel("cost, bp of market value")
            ax.legend()
        else:
            t = self._lines
            ax.scatter(t["legging_cost_bp"], t["pt_cost_bp"], s=12, alpha=0.7)
            top = float(max(t["legging_cost_bp"].max(), t["pt_cost_bp"].max()))
            ax.plot([0, top], [0, top], color="grey", lw=0.8, label="PT = legging")
            ax.set_xlabel("legging cost, bp of market value")
            ax.set_ylabel("portfolio-trade cost, bp of market value")
            ax.legend()
        ax.set_title(
            f"Portfolio trade vs legging ({self.regime}): saving "
            f"{self._totals['saving_bp']:.1f} bp of {self._totals['legging_cost_bp']:.1f} bp"
        )
        return ax


# ---------------------------------------------------------------------- tables
def _buckets(lines: pd.DataFrame, measure: np.ndarray, ascending: bool, n: int) -> np.ndarray:
    """Bucket 1..n per line: equal counts by rank of ``measure`` (1 = most liquid)."""
    order = pd.Series(measure if ascending else -measure).rank(method="first").to_numpy()
    return np.ceil(order / len(lines) * n).astype(int).clip(1, n)


def _weighted(frame: pd.DataFrame, usd: str) -> float:
    return float(frame[usd].sum() / frame["market_value_usd"].sum() * 1e4)


def _bucket_table(lines: pd.DataFrame, measure: np.ndarray) -> pd.DataFrame:
    rows = {}
    for b, g in lines.groupby("liquidity_bucket", sort=True):
        m = measure[lines.index.get_indexer(g.index)]
        leg = float(g["legging_cost_usd"].sum())
        rows[b] = {
            "n_lines": len(g),
            "market_value_usd": float(g["market_value_usd"].sum()),
            "low": float(m.min()),
            "high": float(m.max()),
            "bid_ask_bp": float(np.average(g["bid_ask_bp"], weights=g["market_value_usd"])),
            "legging_cost_bp": _weighted(g, "legging_cost_usd"),
            "pt_cost_bp": _weighted(g, "pt_cost_usd"),
            "saving_bp": _weighted(g, "saving_usd"),
            "legging_cost_usd": leg,
            "pt_cost_usd": float(g["pt_cost_usd"].sum()),
            "saving_usd": float(g["saving_usd"].sum()),
            "saving_share": float(g["saving_usd"].sum()) / leg if leg > 0 else np.nan,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["n_lines"] = out["n_lines"].astype(int)
    out.index.name = "liquidity_bucket"
    return out


def _backstops(market: MarketState, regime: str, lines: pd.DataFrame) -> dict[str, Any]:
    """Each ETF's liquidity backstop, with the dealer's positions in the lines."""
    from ..hedging import liquidity_backstop

    positions = dealer_positions(lines)
    return {
        name: liquidity_backstop(etf, market, regime, positions=positions)
        for name, etf in _market_etfs(market).items()
    }


def _overlap(
    names: list[str], backstops: dict[str, Any], lines: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per line and ETF whether the fund holds the bond; per ETF, held value and creation."""
    mv = lines["market_value_usd"]
    held = pd.DataFrame(index=lines.index)
    rows = {}
    for name in names:
        table = backstops[name].basket_table().reindex(lines.index)
        held[name] = table["in_holdings"].to_numpy(dtype=bool)
        summary = backstops[name].basket_summary()
        rows[name] = {
            "n_lines": int(held[name].sum()),
            "held_usd": float(mv[held[name]].sum()),
            "held_share": float(mv[held[name]].sum() / mv.sum()),
            "creation_usd": float(summary["overlap_usd"]),
            "creation_cost_bp": float(summary["creation_cost_bp"]),
            "creation_days": float(summary["days"]),
        }
    columns = ["n_lines", "held_usd", "held_share", "creation_usd", "creation_cost_bp"]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=[*columns, "creation_days"])
    out.index.name = "etf"
    return held, out


# ---------------------------------------------------------------------- entry point
def pre_trade(
    basket: Any,
    market: MarketState,
    *,
    regime: str | None = None,
    legging_days: float | pd.Series | None = None,
    horizon_days: float | None = None,
    max_instruments: int | None = None,
    hedge_curve: Any = None,
    dealer: Any = None,
    etf_premium_bp: Any = None,
    etfs: Any = None,
    bucket_by: str = "bid_ask",
    n_buckets: int = 3,
    creation: bool | None = None,
) -> PreTradeReport:
    r"""Pre-trade report of a basket: liquidity, legging cost, risk, ETF overlap, PT cost.

    Parameters
    ----------
    basket : PortfolioBasket or pandas.DataFrame
        As :func:`etfcore.trading._lines.basket_lines` takes it: a basket read by
        :func:`etfcore.io.read_basket`, or a DataFrame with ``id`` and ``par`` (or
        ``market_value_usd``) of bonds of the market, optional ``trade_side`` (the
        client's, default ``"sell"``).
    market : MarketState
        With its bond liquidity model (a :class:`~etfcore.liquidity.BondLiquidityModel`)
        and its ETFs (``market.etfs``: the hedge and the overlap).
    regime : {"normal", "stress"}, optional
        Default the market's.
    legging_days : float or pandas.Series, optional
        Days each bond is legged over, in (0, 260]: one number for every line or a
        Series by line id. Default: per line, the cheapest of :data:`LEGGING_DAYS_GRID`.
    horizon_days : float, optional
        The representative dealer's horizon for working the bonds out, in (0, 260] and
        at most the hedge curve's longest horizon; default :data:`DEFAULT_HORIZON_DAYS`.
    max_instruments : int, optional
        Most ETFs in the representative dealer's hedge, >= 1; default
        :data:`DEFAULT_MAX_INSTRUMENTS`.
    hedge_curve : HedgeCostCurve, optional
        The representative dealer's hedge-cost curve (e.g. read from a file with
        :meth:`HedgeCostCurve.read`; the hedge then uses only its instruments). Default
        :func:`etfcore.trading.dealers.default_curve` of the market.
    dealer : Dealer, optional
        Price the portfolio trade with this dealer instead (its curve, horizon, hedge
        size, axes, inventory, backstops and margin), e.g. one of
        :func:`etfcore.trading.dealer_panel`; then give none of ``horizon_days``,
        ``max_instruments`` and ``hedge_curve``.
    etf_premium_bp : float or dict of float, optional
        The hedge ETFs' premium (+) or discount (-) to NAV, bp, by ETF name (a number:
        every ETF), passed to the dealer's quote (its ``etf_premium_usd`` component);
        default at NAV.
    etfs : list of str, optional
        ETFs whose holdings the basket is compared with; default every ETF of the
        market, ``[]`` for none.
    bucket_by : {"bid_ask", "score"}, default "bid_ask"
        Rank lines into liquidity buckets by bid-ask (bp; low is liquid) or by the
        market's liquidity score (high is liquid; the market needs scores).
    n_buckets : int, default 3
        Equal-count buckets (terciles by default), 1 to the number of lines.
    creation : bool, optional
        Whether the representative dealer, an AP of every ETF, may send long lines out
        through the funds' creation baskets (default True); False: the secondary
        market only.

    Returns
    -------
    PreTradeReport

    Raises
    ------
    InputError
        As :func:`~etfcore.trading._lines.basket_lines` for the basket (zero or negative
        amounts, duplicate or unknown ids, unknown sides, an empty basket); for an
        unknown regime, ``legging_days`` or ``horizon_days`` outside (0, 260] (or a
        Series missing lines), ``max_instruments`` < 1 or ``n_buckets`` out of range, an
        unknown ETF or ``bucket_by``, ``bucket_by="score"`` without scores, a ``dealer``
        given with the representative dealer's settings, a market whose liquidity model
        has no legging costs, a ``creation`` that is not True or False (or given with a
        ``dealer``), and what the dealer pricing rejects (a market without ETFs on the
        curve, a horizon beyond the curve's; a hedge beyond the curve's sizes is not an
        error: the dealer prices without it).

    Notes
    -----
    Per line :math:`i` with market value :math:`Q_i`, in the regime (the liquidity
    model's Notes give the formulas): full bid-ask :math:`\mathrm{BA}_i`, daily volume
    :math:`V_i` and volatility :math:`\sigma_i` (bp), and

    * all at once: ``cost_bp`` :math:`= \mathrm{BA}_i/2 + k\sigma_i\sqrt{Q_i/V_i}`
      (:meth:`~etfcore.liquidity.BondLiquidityModel.cost_breakdown`);
    * legging over :math:`n_i` days: :math:`L_i = \mathrm{BA}_i/2 +
      k\sigma_i\sqrt{Q_i/(n_i V_i)} + \lambda\sigma_i\sqrt{n_i/3}`
      (:meth:`~etfcore.liquidity.BondLiquidityModel.legging_breakdown`; risk aversion
      :math:`\lambda` = the model's ``legging_risk_aversion``). Without
      ``legging_days``, :math:`n_i` is the grid value with the lowest :math:`L_i` (ties
      to the shorter). The continuous optimum is :math:`n^* = \sqrt3\,(k/\lambda)
      \sqrt{Q_i/V_i}`, independent of the volatility: small lines leg within the day,
      lines of several days' volume over a few days.
    * The portfolio trade is priced by the dealer pricing of
      :meth:`etfcore.trading.Dealer.quote` (one owner of that formula): the ETF hedge's
      cost on the dealer's hedge-cost curve + working the bonds out over the horizon
      (half-spread and impact, without their own price risk) + the dealer's risk
      aversion x the hedged residual's daily volatility x sqrt(horizon / 3) + margin.
      The representative dealer is a bank dealer that is an AP of every ETF of the
      market (US bond-ETF APs are the large dealer banks): long lines a fund holds may
      leave through its creation basket when that is cheaper than selling them
      (``pt_channel``, the funds' :class:`~etfcore.hedging.LiquidityBackstop`). It has
      no axes, no inventory and no margin, the liquidity model's :math:`\lambda` (so
      both routes charge risk alike), and hedges with at most ``max_instruments``
      ETFs: its quote chooses how many, none included, by the least hedge cost + risk
      charge (:meth:`~etfcore.trading.Dealer.quote` Notes). ``creation=False`` turns
      its creation route off.
      The quote's allocation to lines (hedge and risk charge by absolute DV01) gives
      ``pt_*_bp``. A two-way basket is quoted as two one-way baskets (the lines the
      client sells, those it buys), whose risks are then not netted.
    * The saving is legging minus PT, per line and summed; bp totals and buckets are
      dollars over market value (value-weighted), ``saving_share`` the saving over the
      legging cost.
    * Risk per line is the dealer's position (:func:`~etfcore.hedging.basket_risk` of
      ``par = +par_usd`` where the client sells, ``-par_usd`` where it buys).
    * Overlap: ``held_by`` lists the ETFs (of ``etfs``) holding the bond; per ETF the
      creation route is the fund's :class:`~etfcore.hedging.LiquidityBackstop`.
    * Liquidity scores are the market's (``market.liquidity_scores``), NaN where it has
      none; a bond without a score is the neutral 0.5 for the model (factor 1).

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.trading import pre_trade
    >>> m = synthetic_market(0)
    >>> ids = m.etfs["IG_INTERMEDIATE"].holdings.index[:6]
    >>> r = pre_trade(pd.DataFrame({"id": ids, "par": 5e6}), m, etfs=["IG_INTERMEDIATE"])
    >>> r.lines["held_by"].unique().tolist()
    ['IG_INTERMEDIATE']
    >>> sorted(r.lines["legging_days"].unique().tolist())
    [1.0, 2.0]
    >>> pre_trade(pd.DataFrame({"id": ids, "par": 5e6}), m, legging_days=0)
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: legging_days: 0 must be a number of days in (0, 260]
    """
    market = check_market(market)
    regime = market.regime if regime is None else check_regime(regime)
    if dealer is not None:
        given = [
            n
            for n, v in (
                ("horizon_days", horizon_days),
                ("max_instruments", max_instruments),
                ("hedge_curve", hedge_curve),
                ("creation", creation),
            )
            if v is not None
        ]
        if given:
            raise InputError(
                f"dealer: a Dealer prices with its own settings; drop {given} or the dealer"
            )
        if not callable(getattr(dealer, "quote", None)):
            raise InputError(
                f"dealer: expected an etfcore.trading.Dealer, got {type(dealer).__name__}"
            )
    horizon = _days(DEFAULT_HORIZON_DAYS if horizon_days is None else horizon_days, "horizon_days")
    k_max = integer(
        DEFAULT_MAX_INSTRUMENTS if max_instruments is None else max_instruments,
        "max_instruments",
        minimum=1,
    )
    bucket_by = choice(bucket_by, "bucket_by", BUCKET_BY)
    buckets_n = integer(n_buckets, "n_buckets", minimum=1)
    if creation is None:
        creation = True
    elif not isinstance(creation, (bool, np.bool_)):
        raise InputError(f"creation: {show(creation)} must be True or False")
    from ..hedging import HedgeCostCurve

    if hedge_curve is not None and not isinstance(hedge_curve, HedgeCostCurve):
        raise InputError(
            f"hedge_curve: expected a HedgeCostCurve, got {type(hedge_curve).__name__}"
        )
    if legging_days is not None and not isinstance(legging_days, pd.Series):
        _days(legging_days, "legging_days")
    priced_in, lines = basket_lines(basket, market, where="basket")
    names = _etf_names(etfs, priced_in)
    ids = lines.index
    if buckets_n > len(ids):
        raise InputError(
            f"n_buckets: {buckets_n} is more than the basket's {len(ids)} line(s); give at most "
            f"{len(ids)}"
        )
    days_given = _legging_days(legging_days, ids)
    mr = priced_in if priced_in.regime == regime else priced_in.with_regime(regime)
    model = _bond_model(mr)
    if dealer is None and not _market_etfs(mr):
        raise InputError(
            f"market: has no ETFs ({type(mr).__name__} without etfs); the portfolio-trade "
            "estimate hedges with ETFs (use etfcore.market.Market or synthetic_market)"
        )
    known_scores, scores = _scores(mr, ids)
    if bucket_by == "score" and known_scores.isna().any():
        missing = list(ids[known_scores.isna().to_numpy()][:20])
        raise InputError(
            f"bucket_by: 'score' needs a liquidity score for every line; the market has none "
            f"for {missing} (set market.with_liquidity(liquidity_scores=...) or use 'bid_ask')"
        )
    mv = lines["market_value_usd"].to_numpy(dtype=float)
    feat = model.features(mr.bonds.select(ids), settlement_date=mr.settlement)

    # liquidity, all at once
    now = model.cost_breakdown(feat, mv, regime, "sell", scores)
    bid_ask = model.bid_ask_bp(feat, regime, scores).to_numpy(dtype=float)

    # legging: each bond alone over its days
    if days_given is None:
        grid = {
            d: model.legging_breakdown(feat, mv, d, regime, "sell", scores)
            for d in LEGGING_DAYS_GRID
        }
        cost = np.column_stack([g["legging_cost_bp"].to_numpy() for g in grid.values()])
        days = np.asarray(LEGGING_DAYS_GRID)[np.argmin(cost, axis=1)]
        rule = f"the cheapest of {list(LEGGING_DAYS_GRID)} days per line"
    else:
        days = days_given
        grid = {
            float(d): model.legging_breakdown(feat, mv, float(d), regime, "sell", scores)
            for d in np.unique(days)
        }
        rule = "as given"
    legging = np.zeros((len(ids), 3))
    for d, g in grid.items():
        rows = days == d
        legging[rows] = g[["impact_bp", "risk_bp", "legging_cost_bp"]].to_numpy()[rows]

    # risk and overlap
    from ..hedging import basket_risk

    risk = basket_risk(dealer_positions(lines), mr).to_frame().reindex(ids)
    backstops = _backstops(mr, regime, lines)
    held, overlap = _overlap(names, backstops, lines)
    held_by = [", ".join(n for n in names if held.at[i, n]) for i in ids]

    # the portfolio trade
    if dealer is None:
        dealer = _representative_dealer(
            mr, model, horizon, k_max, hedge_curve, tuple(backstops.values()) if creation else ()
        )
    pt = _portfolio_trade(lines, mr, dealer, etf_premium_bp)
    per_line = pt.per_line
    workout_bp = per_line["working_cost_usd"].to_numpy(dtype=float) / mv * 1e4
    risk_bp = per_line["risk_charge_usd"].to_numpy(dtype=float) / mv * 1e4
    margin_bp = per_line["margin_usd"].to_numpy(dtype=float) / mv * 1e4
    pt_usd_line = per_line["cost_usd"].to_numpy(dtype=float)
    # the hedge's share is the rest (its cost on the curve, and any ETF-premium component)
    hedge_bp = pt_usd_line / mv * 1e4 - workout_bp - risk_bp - margin_bp
    legging_bp = legging[:, 2]

    out = lines.copy()
    out["liquidity_score"] = known_scores.to_numpy()
    out["bid_ask_bp"] = bid_ask
    out["half_spread_bp"] = now["half_spread_bp"].to_numpy()
    out["daily_volume_usd"] = now["daily_volume_usd"].to_numpy()
    out["days_of_volume"] = mv / now["daily_volume_usd"].to_numpy()
    out["daily_volatility_bp"] = now["daily_volatility_bp"].to_numpy()
    out["impact_bp"] = now["impact_bp"].to_numpy()
    out["cost_bp"] = now["cost_bp"].to_numpy()
    out["legging_days"] = days
    out["legging_impact_bp"] = legging[:, 0]
    out["legging_risk_bp"] = legging[:, 1]
    out["legging_cost_bp"] = legging_bp
    out["legging_cost_usd"] = legging_bp * mv / 1e4
    for c in ("dv01_usd", "cs01_usd", "modified_duration", "spread_duration"):
        out[c] = risk[c].to_numpy(dtype=float)
    out["held_by"] = held_by
    out["n_etfs"] = held.sum(axis=1).to_numpy(dtype=int) if names else 0
    out["pt_channel"] = per_line["channel"].to_numpy()
    out["pt_workout_bp"] = workout_bp
    out["pt_hedge_bp"] = hedge_bp
    out["pt_risk_bp"] = risk_bp
    out["pt_margin_bp"] = margin_bp
    out["pt_cost_bp"] = pt_usd_line / mv * 1e4
    out["pt_cost_usd"] = pt_usd_line
    out["saving_bp"] = legging_bp - out["pt_cost_bp"].to_numpy()
    out["saving_usd"] = out["legging_cost_usd"] - out["pt_cost_usd"]
    if bucket_by == "score":
        measure, ascending = known_scores.to_numpy(dtype=float), False
    else:
        measure, ascending = bid_ask, True
    out["liquidity_bucket"] = _buckets(out, measure, ascending, buckets_n)
    out = out[list(LINE_COLUMNS)]

    total_mv = float(mv.sum())
    legging_usd = float(out["legging_cost_usd"].sum())
    pt_usd = float(out["pt_cost_usd"].sum())
    totals = pd.Series(
        {
            "n_lines": len(out),
            "market_value_usd": total_mv,
            "par_usd": float(out["par_usd"].sum()),
            "bid_ask_bp": float(np.dot(bid_ask, mv) / total_mv),
            "half_spread_bp": float(np.dot(out["half_spread_bp"], mv) / total_mv),
            "impact_bp": float(np.dot(out["impact_bp"], mv) / total_mv),
            "cost_bp": float(np.dot(out["cost_bp"], mv) / total_mv),
            "legging_days": float(np.dot(days, mv) / total_mv),
            "legging_cost_bp": legging_usd / total_mv * 1e4,
            "legging_cost_usd": legging_usd,
            "pt_cost_bp": pt_usd / total_mv * 1e4,
            "pt_cost_usd": pt_usd,
            "saving_bp": (legging_usd - pt_usd) / total_mv * 1e4,
            "saving_usd": legging_usd - pt_usd,
            "saving_share": (legging_usd - pt_usd) / legging_usd if legging_usd > 0 else np.nan,
            "dv01_usd": float(out["dv01_usd"].sum()),
            "cs01_usd": float(out["cs01_usd"].sum()),
            "hedge_notional_usd": float(pt.hedge["notional_usd"].abs().sum()),
            "variance_reduction": pt.variance_reduction,
        },
        name="basket",
        dtype=float,
    )
    comp = pt.components
    trade = {f"{c}": float(comp[c]) for c in comp.index}
    trade["total_usd"] = float(comp.sum())
    for c in list(trade):
        trade[c[: -len("_usd")] + "_bp"] = trade[c] / total_mv * 1e4
    trade.update(
        {
            "basket_vol_usd": pt.basket_vol_usd,
            "residual_vol_usd": pt.residual_vol_usd,
            "risk_aversion": pt.risk_aversion,
            "horizon_days": pt.horizon_days,
        }
    )
    return PreTradeReport(
        regime=regime,
        horizon_days=pt.horizon_days,
        legging_rule=rule,
        bucket_by=bucket_by,
        dealer=pt.dealer,
        market=mr,
        _lines=out,
        _totals=totals,
        _buckets=_bucket_table(out, measure),
        _etf_overlap=overlap,
        _hedge=pt.hedge,
        _portfolio_trade=pd.Series(trade, name="portfolio_trade", dtype=float),
    )


__all__ = [
    "BUCKET_BY",
    "DEFAULT_HORIZON_DAYS",
    "DEFAULT_MAX_INSTRUMENTS",
    "HEDGE_COLUMNS",
    "LEGGING_DAYS_GRID",
    "LINE_COLUMNS",
    "MAX_DAYS",
    "NEUTRAL_SCORE",
    "REPRESENTATIVE_DEALER",
    "PreTradeReport",
    "pre_trade",
]
