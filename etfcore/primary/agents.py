"""Authorized Participants at work: creation and redemption orders, one day, many days.

An AP creates when the ETF trades above its band (its own costs included) and
redeems when it trades below, in whole creation units, up to its daily capacity and
its balance-sheet limit. Processing an order updates the fund's shares, holdings and
cash; the fee goes to the fund's cash.

:class:`AuthorizedParticipant` and :data:`DEFAULT_AP` live in :mod:`.participant` (and
stay importable from here); imports run ``participant <- band <- agents``. The same
per-AP decision for many paths at once is the numba kernel
``etfcore.primary._kernels.decide_ap_orders_nb``, whose tested twin is
:func:`simulate_ap_day`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from .._validation import check_random_state, decimal, non_negative, positive, show
from ..errors import InputError
from ..fund.etf import ETF
from ..state import MarketState, check_regime
from .band import ArbitrageBand, _one_unit_band
from .baskets import Basket, check_basket, pro_rata_basket
from .fees import order_fee
from .participant import DEFAULT_AP, AuthorizedParticipant, check_ap, check_aps

# former private names, kept for callers that reached for them
_check_ap = check_ap
_check_aps = check_aps


# ---------------------------------------------------------------------- orders
def process_creation(etf: ETF, basket: Basket, market: MarketState, eligible: Any = None) -> ETF:
    """The fund after an AP delivers ``basket`` (and the fee) for new shares.

    Parameters
    ----------
    etf : ETF
    basket : Basket
        ``order="create"``, for ``basket.units`` whole creation units.
    market : MarketState
        Values the in-kind part for the fee.
    eligible : list of ids, optional
        The fund's eligible universe (default: its holdings).

    Returns
    -------
    ETF
        Shares up by ``units x creation unit size``; holdings up by the basket's
        par; cash up by the basket's cash (cash component and cash in lieu) and the
        fee.

    Raises
    ------
    InputError
        If the basket is a redemption basket or holds a bond the fund cannot take
        (see :func:`check_basket`).

    Notes
    -----
    A basket worth NAV x shares leaves NAV per share unchanged but for the fee, which
    accrues to the remaining holders: ``NAV' = NAV + fee / shares'``.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> after = process_creation(etf, pro_rata_basket(etf, m), m)
    >>> int(after.shares_outstanding - etf.shares_outstanding)
    100000
    """
    if not isinstance(basket, Basket):
        raise InputError(f"basket: expected a Basket, got {type(basket).__name__}")
    if basket.order != "create":
        raise InputError(
            f"basket: a {basket.order!r} basket cannot be processed as a creation; "
            "use process_redemption or basket.as_order('create')"
        )
    check_basket(basket, etf, market, eligible)
    fee = float(order_fee(etf.fees, basket, market)["total"])
    holdings = etf.holdings.add(basket.par, fill_value=0.0)
    return etf.replace(
        holdings=holdings,
        cash_usd=etf.cash_usd + basket.cash_usd() + fee,
        shares_outstanding=etf.shares_outstanding + basket.shares,
    )


def process_redemption(etf: ETF, basket: Basket, market: MarketState) -> ETF:
    """The fund after it pays ``basket`` to an AP for shares (which it cancels).

    Returns
    -------
    ETF
        Shares down by ``units x creation unit size``; holdings down by the basket's
        par (bonds fully delivered leave the holdings); cash down by the basket's
        cash and up by the fee. Cash may go negative: the fund then owes cash it
        raises by selling bonds.

    Raises
    ------
    InputError
        If the basket is a creation basket, asks for more par than the fund holds,
        or would cancel all the fund's shares.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> after = process_redemption(etf, pro_rata_basket(etf, m, order="redeem"), m)
    >>> int(etf.shares_outstanding - after.shares_outstanding)
    100000
    """
    if not isinstance(basket, Basket):
        raise InputError(f"basket: expected a Basket, got {type(basket).__name__}")
    if basket.order != "redeem":
        raise InputError(
            f"basket: a {basket.order!r} basket cannot be processed as a "
            "redemption; use process_creation or basket.as_order('redeem')"
        )
    check_basket(basket, etf, market)
    if basket.shares >= etf.shares_outstanding:
        raise InputError(
            f"basket: redeeming {basket.shares:,} shares would leave {etf.name} with none "
            f"({etf.shares_outstanding:,.0f} outstanding); redeem fewer units"
        )
    fee = float(order_fee(etf.fees, basket, market)["total"])
    holdings = etf.holdings.sub(basket.par, fill_value=0.0)
    holdings = holdings[
        holdings > 1e-6 * np.maximum(etf.holdings.reindex(holdings.index).fillna(0.0), 1.0)
    ]
    return etf.replace(
        holdings=holdings,
        cash_usd=etf.cash_usd - basket.cash_usd() + fee,
        shares_outstanding=etf.shares_outstanding - basket.shares,
    )


# ---------------------------------------------------------------------- one day
_ACTION_COLUMNS = [
    "ap",
    "action",
    "units",
    "shares",
    "value_usd",
    "fee_usd",
    "premium_bp",
    "create_bp",
    "redeem_bp",
    "edge_bp",
    "profit_usd",
    "limited_by",
    "inventory_value_usd",
]
#: Order sizes searched at once by :func:`_units_worth_trading`.
_SEARCH_BLOCK = 65_536


def _price(value: Any) -> float:
    p = positive(value, "etf_price")
    return p


def _size_bound(band: ArbitrageBand, order: str, premium_bp: float) -> float:
    """An upper bound on the sizes that pay, from the square-root term (as the kernel)."""
    a, f, c = band._terms(order)
    p = premium_bp
    if order == "redeem":  # the kernel's "create form": p < th  <=>  -p > -th
        p, a, f, c = -p, -a, -f, -c
    if c <= 0.0:
        return math.inf
    d = p - a - min(f, 0.0)
    if d <= 0.0:
        return 0.0
    return np.floor((d / c) ** 2) + 2.0


def _units_worth_trading(band: ArbitrageBand, order: str, premium_bp: float, n_max: float) -> int:
    """Largest whole ``n <= n_max`` whose size-scaled threshold the premium still beats.

    Plain search: every size from ``n_max`` down, a block at a time (the first block
    with a size that pays holds the answer).
    """
    top = int(n_max)
    while top >= 1:
        n = np.arange(max(1, top - _SEARCH_BLOCK + 1), top + 1)
        th = band.threshold_bp(order, n)
        ok = premium_bp > th if order == "create" else premium_bp < th
        if ok.any():
            return int(n[ok].max())
        top = int(n[0]) - 1
    return 0


def simulate_ap_day(
    etf: ETF,
    market: MarketState,
    etf_price: float,
    aps: Sequence[AuthorizedParticipant] | AuthorizedParticipant,
    regime: str | None = None,
    horizon_days: float = 1.0,
    return_aps: bool = False,
) -> tuple[ETF, pd.DataFrame] | tuple[ETF, pd.DataFrame, list[AuthorizedParticipant]]:
    """One day of the primary market: each AP creates, redeems or stays out.

    Parameters
    ----------
    etf : ETF
    market : MarketState
    etf_price : float
        The ETF's price for the day (held fixed while the APs act).
    aps : AuthorizedParticipant or sequence of them
        In the order they act (each sees the fund as the previous ones left it).
    regime : {"normal", "stress"}, optional
        Default: the market's (``market.regime``).
    horizon_days : float, default 1
        Days each AP holds the position (balance-sheet cost).
    return_aps : bool, default False
        Also return the APs with their updated inventories.

    Returns
    -------
    (ETF, pandas.DataFrame) or (ETF, pandas.DataFrame, list)
        The fund after the day's orders, and one row per AP: ``action`` ("create",
        "redeem" or "none"), ``units``, ``shares``, ``value_usd``, ``fee_usd``, the
        premium and the AP's one-unit thresholds (bp of official NAV), ``edge_bp``
        (how far outside its band at the order's size the price is), ``profit_usd``
        (edge x value), ``limited_by`` (what stopped it trading more: "capacity",
        "balance_sheet", "shares" -- a redemption leaves at least one share -- or
        "impact"; "" when it did not want to trade) and the AP's inventory value
        after the order.

    Raises
    ------
    InputError
        For a price that is not > 0, an unknown regime, a negative horizon, APs that
        are not AuthorizedParticipants or share a name, or an AP with no capacity or
        balance-sheet limit facing a band that does not grow with size (no impact).

    Notes
    -----
    Each AP's band is the one-unit band of the fund's pro-rata basket with its own
    costs and inventory (:func:`arbitrage_band`). Inside the band it does nothing.
    Outside, it trades the largest whole number of units ``n`` that still pays
    (:meth:`ArbitrageBand.threshold_bp` at ``n``), up to ``floor(min(capacity,
    balance-sheet room) / value of one unit)`` (capacity scaled by
    ``stress_capacity_fraction`` in stress; room = limit - inventory value) and, for a
    redemption, ``ceil(shares / unit) - 1`` units. An AP without capacity or
    balance-sheet limits (:data:`DEFAULT_AP`) trades until impact stops it. A creation
    uses inventory bonds first; a redemption's bonds go to inventory. The same
    decision for many paths at once is the numba kernel
    ``etfcore.primary._kernels.decide_ap_orders_nb``.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> ap = AuthorizedParticipant("AP1", capacity_usd_per_day=50e6)
    >>> after, actions = simulate_ap_day(etf, m, etf.nav(m, "bid") * 1.01, [ap])
    >>> actions.loc[0, ["action", "limited_by"]].tolist()
    ['create', 'capacity']
    """
    etf, actions, out_aps = _ap_day(etf, market, etf_price, aps, regime, horizon_days)
    if return_aps:
        return etf, actions, out_aps
    return etf, actions


def _ap_day(
    etf: ETF,
    market: MarketState,
    etf_price: float,
    aps: Any,
    regime: str | None,
    horizon_days: float,
) -> tuple[ETF, pd.DataFrame, list[AuthorizedParticipant]]:
    """:func:`simulate_ap_day`, always returning the APs."""
    regime = market.regime if regime is None else check_regime(regime)
    price = _price(etf_price)
    aps = check_aps(aps)
    h = non_negative(horizon_days, "horizon_days")
    mkt = market if regime == market.regime else market.with_regime(regime)
    rows = []
    out_aps = []
    for i, ap in enumerate(aps):
        nav = etf.nav(mkt, "bid")
        premium = (price / nav - 1.0) * 1e4
        band = _one_unit_band(etf, mkt, ap, h)
        unit_value = nav * etf.creation_unit_size
        inv_value = ap.inventory_value_usd(mkt)
        row: dict[str, Any] = dict(
            ap=ap.name,
            action="none",
            units=0,
            shares=0,
            value_usd=0.0,
            fee_usd=0.0,
            premium_bp=premium,
            create_bp=band.create_bp,
            redeem_bp=band.redeem_bp,
            edge_bp=0.0,
            profit_usd=0.0,
            limited_by="",
            inventory_value_usd=inv_value,
        )
        action = (
            "create"
            if premium > band.threshold_bp("create", 1)
            else "redeem"
            if premium < band.threshold_bp("redeem", 1)
            else "none"
        )
        if action != "none":
            n_cap = float(np.floor(ap.capacity_usd(regime) / unit_value + 1e-12))
            limited = "capacity"
            room = ap.balance_sheet_limit_usd - inv_value
            by_balance = float(np.floor(max(room, 0.0) / unit_value + 1e-12))
            if by_balance < n_cap:
                n_cap, limited = by_balance, "balance_sheet"
            if action == "redeem":
                by_shares = np.ceil(etf.shares_outstanding / etf.creation_unit_size) - 1.0
                if by_shares < n_cap:
                    n_cap, limited = by_shares, "shares"
            n_top = min(n_cap, _size_bound(band, action, premium))
            if not math.isfinite(n_top):
                raise InputError(
                    f"aps[{i}] ({ap.name}): no capacity or balance-sheet limit, and its band "
                    "does not grow with the order's size (no market impact), so the order "
                    "has no size; give capacity_usd_per_day or balance_sheet_limit_usd"
                )
            n = _units_worth_trading(band, action, premium, n_top)
            row["limited_by"] = limited if n == n_cap else "impact"
            if n >= 1:
                basket = pro_rata_basket(etf, mkt, n, action)
                fee = float(order_fee(etf.fees, basket, mkt)["total"])
                if action == "create":
                    etf = process_creation(etf, basket, mkt)
                    used = ap.inventory.reindex(basket.par.index).fillna(0.0)
                    used = pd.Series(
                        np.minimum(used.to_numpy(), basket.par.to_numpy()), index=basket.par.index
                    )
                    inv = ap.inventory.sub(used, fill_value=0.0)
                    edge = premium - band.threshold_bp("create", n)
                else:
                    etf = process_redemption(etf, basket, mkt)
                    inv = ap.inventory.add(basket.par, fill_value=0.0)
                    edge = band.threshold_bp("redeem", n) - premium
                ap = ap.replace(inventory=inv[inv > 1e-6])
                value = basket.value_usd(mkt, "bid")
                row.update(
                    action=action,
                    units=n,
                    shares=basket.shares,
                    value_usd=value,
                    fee_usd=fee,
                    edge_bp=edge,
                    profit_usd=edge * 1e-4 * value,
                    inventory_value_usd=ap.inventory_value_usd(mkt),
                )
        rows.append(row)
        out_aps.append(ap)
    return etf, pd.DataFrame(rows, columns=_ACTION_COLUMNS), out_aps


# ---------------------------------------------------------------------- many days
@dataclass(frozen=True, repr=False)
class APSimulation:
    """A few days of AP activity against an exogenous premium path.

    Built by :func:`simulate_ap_days`.

    Attributes
    ----------
    daily : pandas.DataFrame
        By day: regime, premium (bp of official NAV), NAV, price, the tightest create
        and redeem thresholds among the APs, units created and redeemed, shares
        outstanding after the day, net flow (USD) and the APs' total inventory.
    actions : pandas.DataFrame
        Every AP's row of every day (see :func:`simulate_ap_day`), with ``day``.
    etf : ETF
        The fund after the last day.
    aps : list of AuthorizedParticipant
        The APs after the last day.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> ap = AuthorizedParticipant("AP1", capacity_usd_per_day=50e6)
    >>> sim = simulate_ap_days(m.etfs["IG_BROAD"], m, [ap], premium_bp=[0.0, 80.0])
    >>> sim.daily["created_units"].tolist()
    [0, 4]
    """

    daily: pd.DataFrame
    actions: pd.DataFrame
    etf: ETF
    aps: list

    def __repr__(self) -> str:
        d = self.daily
        return (
            f"APSimulation({len(d)} days: {int(d['created_units'].sum())} units created, "
            f"{int(d['redeemed_units'].sum())} redeemed)"
        )

    def to_frame(self) -> pd.DataFrame:
        """The daily table, a copy.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> ap = AuthorizedParticipant("AP1", capacity_usd_per_day=50e6)
        >>> sim = simulate_ap_days(m.etfs["IG_BROAD"], m, [ap], premium_bp=[0.0])
        >>> list(sim.to_frame().columns)[:3]
        ['regime', 'premium_bp', 'nav']
        """
        return frame_copy(self.daily)

    def totals(self) -> pd.Series:
        """Totals as numbers: days, days outside the band, units, net flow, fees, profit.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> ap = AuthorizedParticipant("AP1", capacity_usd_per_day=50e6)
        >>> sim = simulate_ap_days(m.etfs["IG_BROAD"], m, [ap], premium_bp=[0.0, 80.0])
        >>> int(sim.totals()["days"]), int(sim.totals()["units_created"])
        (2, 4)
        """
        d, a = self.daily, self.actions
        outside = (d["premium_bp"] > d["create_bp"]) | (d["premium_bp"] < d["redeem_bp"])
        return pd.Series(
            {
                "days": len(d),
                "days_outside_band": int(outside.sum()),
                "units_created": int(d["created_units"].sum()),
                "units_redeemed": int(d["redeemed_units"].sum()),
                "net_flow_usd": float(d["net_flow_usd"].sum()),
                "fees_usd": float(a["fee_usd"].sum()),
                "ap_profit_usd": float(a["profit_usd"].sum()),
                "final_shares": int(d["shares_outstanding"].iloc[-1]),
                "final_ap_inventory_usd": float(d["ap_inventory_usd"].iloc[-1]),
            },
            name="AP simulation",
            dtype=object,
        )

    def summary(self) -> Any:
        """Totals and each AP's activity, a statsmodels ``Summary``.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> ap = AuthorizedParticipant("AP1", capacity_usd_per_day=50e6)
        >>> sim = simulate_ap_days(m.etfs["IG_BROAD"], m, [ap], premium_bp=[0.0, 80.0])
        >>> lines = str(sim.summary()).splitlines()
        >>> lines[0].strip()
        'AP simulation, 2 days'
        >>> [line.split() for line in lines if line.startswith(("days ", "fees_usd"))]
        [['days', '2'], ['fees_usd', '2,000']]
        """
        a = self.actions
        by_ap = pd.DataFrame(
            {
                "created_units": a["units"]
                .where(a["action"] == "create", 0)
                .groupby(a["ap"])
                .sum(),
                "redeemed_units": a["units"]
                .where(a["action"] == "redeem", 0)
                .groupby(a["ap"])
                .sum(),
                "fee_usd": a.groupby("ap")["fee_usd"].sum(),
                "profit_usd": a.groupby("ap")["profit_usd"].sum(),
            }
        ).astype({"created_units": int, "redeemed_units": int})
        return make_summary(
            f"AP simulation, {len(self.daily)} days",
            [self.totals(), by_ap],
            [
                "Exogenous premium path (bp of official NAV); thresholds are each AP's "
                "one-unit band; flows and fees in USD."
            ],
        )

    def plot(self, ax: Any = None) -> Any:
        """Premium path with the band, and bars of units created (+) and redeemed (-).

        Returns the premium Axes; a new figure uses constrained layout.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> ap = AuthorizedParticipant("AP1", capacity_usd_per_day=50e6)
        >>> sim = simulate_ap_days(m.etfs["IG_BROAD"], m, [ap], premium_bp=[0.0, 80.0])
        >>> sim.plot().get_ylabel()
        'premium, bp of official NAV'
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, (ax, ax2) = plt.subplots(
                2,
                1,
                figsize=(8, 5),
                sharex=True,
                gridspec_kw={"height_ratios": [2, 1]},
                layout="constrained",
            )
        else:
            ax2 = ax.twinx()
        d = self.daily
        x = d.index.to_numpy()
        ax.plot(x, d["premium_bp"], "k.-", label="premium vs official NAV")
        ax.step(x, d["create_bp"], where="mid", color="#55A868", label="create threshold")
        ax.step(x, d["redeem_bp"], where="mid", color="#C44E52", label="redeem threshold")
        ax.axhline(0.0, color="grey", lw=0.5)
        ax.set_ylabel("premium, bp of official NAV")
        ax.legend(loc="best", fontsize=8)
        ax2.bar(x, d["created_units"], color="#55A868")
        ax2.bar(x, -d["redeemed_units"], color="#C44E52")
        ax2.set_ylabel("units")
        ax2.set_xlabel("day")
        return ax


def premium_path(
    n_days: int,
    rng: np.random.Generator | int | None = None,
    persistence: float = 0.7,
    volatility_bp: float = 20.0,
    start_bp: float = 0.0,
) -> np.ndarray:
    """An AR(1) premium path, bp: ``p_t = persistence p_(t-1) + volatility_bp e_t``.

    Parameters
    ----------
    n_days : int
        Days, >= 1.
    rng : numpy.random.Generator or int, optional
        A Generator or a seed (None: fresh entropy).
    persistence : float, default 0.7
        AR(1) coefficient, a decimal in [0, 1).
    volatility_bp : float, default 20
        Standard deviation of the daily shock, bp.
    start_bp : float, default 0
        ``p_0`` before the first day.

    Returns
    -------
    numpy.ndarray
        ``n_days`` premiums, bp.

    Notes
    -----
    Bond-ETF premia persist (Fulkerson, Jordan and Riley 2013); this is a simple
    exogenous path for demonstrations, not an estimate. It moves to the dynamics
    layer when that exists.

    Examples
    --------
    >>> premium_path(3, rng=0).shape
    (3,)
    """
    from .._validation import integer

    n = integer(n_days, "n_days", minimum=1)
    gen = check_random_state(rng)
    phi = decimal(persistence, "persistence", limit=1.0, lower=0.0)
    if phi >= 1:
        raise InputError(f"persistence: {show(persistence)} must be in [0, 1)")
    sigma = non_negative(volatility_bp, "volatility_bp")
    p = float(np.float64(start_bp)) if np.isfinite(start_bp) else np.nan
    if not np.isfinite(p):
        raise InputError(f"start_bp: {show(start_bp)} must be a finite number of bp")
    out = np.empty(n)
    for t in range(n):
        p = phi * p + sigma * gen.standard_normal()
        out[t] = p
    return out


def simulate_ap_days(
    etf: ETF,
    market: MarketState,
    aps: Sequence[AuthorizedParticipant] | AuthorizedParticipant | None = None,
    premium_bp: Sequence[float] | np.ndarray | None = None,
    n_days: int = 10,
    regime: str | Sequence[str] | None = None,
    rng: np.random.Generator | int | None = None,
    liquidation_fraction: float = 0.5,
    horizon_days: float = 1.0,
) -> APSimulation:
    """Several days of AP activity against an exogenous premium path.

    Parameters
    ----------
    etf, market
    aps : AuthorizedParticipant or sequence of them, optional
        Default :data:`DEFAULT_AP` (no limits of its own: impact and the fund's shares
        stop it).
    premium_bp : array-like, optional
        The ETF's premium to its official NAV each day, bp; default an AR(1) path
        from :func:`premium_path` (``rng``).
    n_days : int, default 10
        Days to run when ``premium_bp`` is not given.
    regime : str or sequence of str, optional
        One regime, or one per day (a stress episode in the middle, say); default
        the market's every day.
    rng : numpy.random.Generator or int, optional
    liquidation_fraction : float, default 0.5
        Share of its inventory each AP sells at the end of each day, a decimal in
        [0, 1].
    horizon_days : float, default 1

    Returns
    -------
    APSimulation

    Raises
    ------
    InputError
        For non-finite premiums or premiums at or below -10,000 bp, a regime list of
        the wrong length or with an unknown regime, or a ``liquidation_fraction``
        outside [0, 1] (``50`` for 50% is refused with a hint).

    Notes
    -----
    The premium path is exogenous: AP orders do not move the price (the dynamics
    layer closes that loop). Each day the price is the fund's official NAV that day
    times ``1 + premium``. A persistent discount redeems the fund down to less than
    one creation unit; from then on the APs cannot redeem (``limited_by="shares"``).

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> ap = AuthorizedParticipant("AP1", capacity_usd_per_day=50e6)
    >>> sim = simulate_ap_days(m.etfs["IG_BROAD"], m, [ap], premium_bp=[0.0, -80.0])
    >>> sim.daily["redeemed_units"].tolist()
    [0, 4]
    """
    aps = check_aps(DEFAULT_AP if aps is None else aps)
    if premium_bp is None:
        path = premium_path(n_days, rng)
    else:
        path = np.asarray(premium_bp, dtype=float).reshape(-1)
        if path.size == 0 or not np.isfinite(path).all() or (path <= -1e4).any():
            raise InputError("premium_bp: give finite premiums > -10,000 bp, one per day")
    n = path.size
    if regime is None:
        regimes = [market.regime] * n
    elif isinstance(regime, str):
        regimes = [regime] * n
    else:
        regimes = list(regime)
    if len(regimes) != n:
        raise InputError(
            f"regime: got {len(regimes)} regimes for {n} days; give one or one per day"
        )
    regimes = [check_regime(r, f"regime[{i}]") for i, r in enumerate(regimes)]
    frac = decimal(liquidation_fraction, "liquidation_fraction", limit=1.0, lower=0.0)
    daily, all_actions = [], []
    for day in range(n):
        mkt = market if regimes[day] == market.regime else market.with_regime(regimes[day])
        nav = etf.nav(mkt, "bid")
        price = nav * (1.0 + path[day] * 1e-4)
        etf, actions, aps = _ap_day(etf, mkt, price, aps, regimes[day], horizon_days)
        aps = [ap.replace(inventory=ap.inventory * (1.0 - frac)) for ap in aps]
        actions.insert(0, "day", day)
        all_actions.append(actions)
        created = actions.loc[actions["action"] == "create"]
        redeemed = actions.loc[actions["action"] == "redeem"]
        daily.append(
            {
                "day": day,
                "regime": regimes[day],
                "premium_bp": path[day],
                "nav": nav,
                "price": price,
                "create_bp": float(actions["create_bp"].min()),
                "redeem_bp": float(actions["redeem_bp"].max()),
                "created_units": int(created["units"].sum()),
                "redeemed_units": int(redeemed["units"].sum()),
                "net_flow_usd": float(created["value_usd"].sum() - redeemed["value_usd"].sum()),
                "shares_outstanding": etf.shares_outstanding,
                "ap_inventory_usd": float(sum(ap.inventory_value_usd(mkt) for ap in aps)),
            }
        )
    return APSimulation(
        daily=pd.DataFrame(daily).set_index("day"),
        actions=pd.concat(all_actions, ignore_index=True),
        etf=etf,
        aps=aps,
    )


__all__ = [
    "DEFAULT_AP",
    "APSimulation",
    "AuthorizedParticipant",
    "premium_path",
    "process_creation",
    "process_redemption",
    "simulate_ap_day",
    "simulate_ap_days",
]
