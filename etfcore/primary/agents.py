"""Authorized Participants: creation and redemption orders, capacity, inventory, daily runs.

An AP creates when the ETF trades above its band (its own costs included) and
redeems when it trades below, in whole creation units, up to its daily capacity and
its balance-sheet limit. Processing an order updates the fund's shares, holdings and
cash; the fee goes to the fund's cash.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import non_negative
from ..errors import InputError
from ..fund.etf import ETF
from ..state import MarketState, check_regime
from .baskets import Basket, bond_quotes, check_basket, check_units, pro_rata_basket
from .fees import order_fee


@dataclass(frozen=True, eq=False)
class AuthorizedParticipant:
    """A bank-affiliated dealer that may create and redeem ETF shares.

    Parameters
    ----------
    name : str
    cost_bp : float, default 0.0
        The AP's own extra cost (hedging, operations, desired edge), bp of the order
        value, on each side.
    capacity_usd_per_day : float, default inf
        Most it will create or redeem in a day, USD of order value.
    inventory : pandas.Series, optional
        Par (USD) of bonds it holds, by bond id. Bonds in inventory are delivered
        into creation baskets without buying them (no half-spread, no impact), so
        an AP that holds the basket's bonds creates more cheaply; redeemed bonds go
        into inventory until sold.
    balance_sheet_limit_usd : float, default inf
        Most it will hold at once: inventory (bid value) plus the order in hand.
    funding_spread_bp : float, default 25
        Its funding cost over the Treasury curve's one-month zero rate, bp a year;
        sets the settlement carry.
    balance_sheet_bp_per_day : float, default 0.5
        Cost of the capital the position uses, bp of the position a day (about 8%
        capital at a 15% hurdle, over 252 days).
    stress_multiplier : float, default 4.0
        Funding spread and balance-sheet cost are this many times higher in stress.
    stress_capacity_fraction : float, default 0.5
        Share of its daily capacity it still offers in stress (dealers pulled back
        in March 2020).
    settlement_days : int, default 1
        Days it finances the position between paying for one leg and being paid
        for the other (T+1).

    Notes
    -----
    US bond ETFs have about three active bank-affiliated APs, and the top three do
    over 80% of the flow (DESIGN.md, "The primary market").
    """

    name: str
    cost_bp: float = 0.0
    capacity_usd_per_day: float = float("inf")
    inventory: pd.Series | None = None
    balance_sheet_limit_usd: float = float("inf")
    funding_spread_bp: float = 25.0
    balance_sheet_bp_per_day: float = 0.5
    stress_multiplier: float = 4.0
    stress_capacity_fraction: float = 0.5
    settlement_days: int = 1

    def __post_init__(self) -> None:
        for f in (
            "cost_bp",
            "funding_spread_bp",
            "balance_sheet_bp_per_day",
            "stress_multiplier",
            "stress_capacity_fraction",
        ):
            object.__setattr__(self, f, non_negative(getattr(self, f), f"{self.name}: {f}"))
        for f in ("capacity_usd_per_day", "balance_sheet_limit_usd"):
            object.__setattr__(
                self, f, non_negative(getattr(self, f), f"{self.name}: {f}", allow_inf=True)
            )
        if self.stress_capacity_fraction > 1:
            raise InputError(
                f"{self.name}: stress_capacity_fraction "
                f"{self.stress_capacity_fraction!r} must be in [0, 1]"
            )
        days = non_negative(self.settlement_days, f"{self.name}: settlement_days")
        if not days.is_integer():
            raise InputError(
                f"{self.name}: settlement_days {self.settlement_days!r} must be a "
                "whole number of days"
            )
        object.__setattr__(self, "settlement_days", int(days))
        inv = self.inventory
        if inv is None:
            inv = pd.Series(dtype=float)
        if not isinstance(inv, pd.Series):
            raise InputError(
                f"{self.name}: inventory must be a pandas Series of par (USD) by "
                f"bond id, got {type(inv).__name__}"
            )
        values = pd.to_numeric(inv, errors="coerce").astype(float)
        bad = ~np.isfinite(values.to_numpy()) | (values.to_numpy() < 0)
        if bad.any():
            rows = [f"{inv.index[i]}: {inv.iloc[i]!r}" for i in np.flatnonzero(bad)[:20]]
            raise InputError.from_problems(
                f"{self.name}: inventory par must be finite and >= 0", rows
            )
        if inv.index.has_duplicates:
            raise InputError(f"{self.name}: inventory lists bonds twice; add them up first")
        values.index = pd.Index(inv.index.astype(str), name="id")
        object.__setattr__(self, "inventory", values[values > 0].rename("par_usd"))

    def __repr__(self) -> str:
        inv = self.inventory
        return (
            f"AuthorizedParticipant({self.name!r}, cost {self.cost_bp:g} bp, capacity "
            f"${self.capacity_usd_per_day / 1e6:,.0f} mm/day, balance sheet "
            f"${self.balance_sheet_limit_usd / 1e6:,.0f} mm, inventory {len(inv)} bonds)"
        )

    def replace(self, **changes: Any) -> AuthorizedParticipant:
        """A copy with ``changes`` applied (validated again)."""
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ regime
    def funding_rate(self, market: MarketState, regime: str) -> float:
        """Annual funding rate (decimal): one-month Treasury zero rate plus its spread."""
        mult = self.stress_multiplier if regime == "stress" else 1.0
        short = float(np.asarray(market.curve.zero_rate(1.0 / 12.0)).reshape(-1)[0])
        return short + self.funding_spread_bp * mult * 1e-4

    def balance_sheet_cost_bp(self, regime: str) -> float:
        """Balance-sheet cost, bp of the position a day, in ``regime``."""
        return self.balance_sheet_bp_per_day * (
            self.stress_multiplier if regime == "stress" else 1.0
        )

    def capacity_usd(self, regime: str) -> float:
        """Daily capacity in ``regime``, USD."""
        frac = self.stress_capacity_fraction if regime == "stress" else 1.0
        return self.capacity_usd_per_day * frac

    def inventory_value_usd(self, market: MarketState) -> float:
        """Bid value of the inventory, USD."""
        if len(self.inventory) == 0:
            return 0.0
        q = bond_quotes(market, self.inventory.index)
        return float(np.dot(self.inventory.to_numpy(), q["dirty_bid"].to_numpy()) / 100.0)


#: The AP :func:`etfcore.arbitrage_band` uses when none is given: no extra cost,
#: unlimited capacity, no inventory.
DEFAULT_AP = AuthorizedParticipant("AP")


def _check_ap(ap: Any) -> AuthorizedParticipant:
    if ap is None:
        return DEFAULT_AP
    if not isinstance(ap, AuthorizedParticipant):
        raise InputError(f"ap: expected an AuthorizedParticipant, got {type(ap).__name__}")
    return ap


# ---------------------------------------------------------------------- orders
def process_creation(etf: ETF, basket: Basket, market: MarketState, eligible: Any = None) -> ETF:
    """The fund after an AP delivers ``basket`` (and the fee) for new shares.

    Parameters
    ----------
    etf : ETF
    basket : Basket
        ``side="create"``, for ``basket.units`` whole creation units.
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
    """
    if not isinstance(basket, Basket):
        raise InputError(f"basket: expected a Basket, got {type(basket).__name__}")
    if basket.side != "create":
        raise InputError(
            f"basket: a {basket.side!r} basket cannot be processed as a creation; "
            "use process_redemption or basket.as_side('create')"
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
    """
    if not isinstance(basket, Basket):
        raise InputError(f"basket: expected a Basket, got {type(basket).__name__}")
    if basket.side != "redeem":
        raise InputError(
            f"basket: a {basket.side!r} basket cannot be processed as a "
            "redemption; use process_creation or basket.as_side('redeem')"
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
_SIZE_FREE = ("fixed_fee",)
_SQRT_SIZE = ("basket_impact", "etf_impact")


def _threshold_at(band: Any, side: str, units: Any) -> Any:
    """The one-unit band's threshold scaled to ``units`` (a number or an array).

    Per unit of value the fixed fee falls as ``1 / n`` and square-root impacts grow
    as ``sqrt(n)``; every other component is proportional to the order's value.
    """
    c = band.components[side]
    n = np.asarray(units, dtype=float)
    fixed = float(c[list(_SIZE_FREE)].sum())
    impact = float(c[list(_SQRT_SIZE)].sum())
    return float(c.sum()) - fixed - impact + fixed / n + impact * np.sqrt(n)


def _units_worth_trading(band: Any, side: str, premium_bp: float, n_max: int) -> int:
    """Largest ``n <= n_max`` whose (size-scaled) threshold the premium still beats."""
    if n_max < 1:
        return 0
    n = np.arange(1, n_max + 1)
    th = _threshold_at(band, side, n)
    ok = premium_bp > th if side == "create" else premium_bp < th
    return int(n[ok].max()) if ok.any() else 0


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


def _price(value: Any) -> float:
    try:
        p = float(value)
    except (TypeError, ValueError):
        raise InputError(f"etf_price: {value!r} is not a number") from None
    if not np.isfinite(p) or p <= 0:
        raise InputError(f"etf_price: {value!r} must be a finite price > 0")
    return p


def _check_aps(aps: Any) -> list[AuthorizedParticipant]:
    if isinstance(aps, AuthorizedParticipant):
        aps = [aps]
    aps = list(aps)
    if not aps:
        raise InputError("aps: give at least one AuthorizedParticipant")
    for i, ap in enumerate(aps):
        if not isinstance(ap, AuthorizedParticipant):
            raise InputError(
                f"aps[{i}]: expected an AuthorizedParticipant, got {type(ap).__name__}"
            )
        if not (np.isfinite(ap.capacity_usd_per_day) or np.isfinite(ap.balance_sheet_limit_usd)):
            raise InputError(
                f"aps[{i}] ({ap.name}): unlimited capacity and balance sheet would trade without "
                "limit; give capacity_usd_per_day or balance_sheet_limit_usd"
            )
    names = [ap.name for ap in aps]
    if len(set(names)) != len(names):
        raise InputError(f"aps: names must be unique, got {names}")
    return aps


def simulate_ap_day(
    etf: ETF,
    market: MarketState,
    etf_price: float,
    aps: Sequence[AuthorizedParticipant] | AuthorizedParticipant,
    regime: str = "normal",
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
    aps : sequence of AuthorizedParticipant
        In the order they act (each sees the fund as the previous ones left it).
    regime : {"normal", "stress"}
    horizon_days : float, default 1
        Days each AP holds the position (balance-sheet cost).
    return_aps : bool, default False
        Also return the APs with their updated inventories.

    Returns
    -------
    (ETF, pandas.DataFrame) or (ETF, pandas.DataFrame, list)
        The fund after the day's orders, and one row per AP: ``action`` ("create",
        "redeem" or "none"), ``units``, ``shares``, ``value_usd``, ``fee_usd``, the
        premium and the AP's thresholds (bp of official NAV), ``edge_bp`` (how far
        outside its band the price is), ``profit_usd`` (edge x value),
        ``limited_by`` (what stopped it trading more: "capacity", "balance_sheet",
        "shares" -- a redemption leaves at least one share -- or "impact"; "" when it
        did not want to trade) and the AP's inventory value after the order.

    Notes
    -----
    Each AP's band is :func:`etfcore.arbitrage_band` with its own costs and
    inventory, for one unit of the fund's pro-rata basket. Inside the band it does
    nothing. Outside, it trades the largest whole number of units ``n`` that still
    pays, up to ``floor(min(capacity, balance-sheet room) / value of one unit)``
    (capacity scaled by ``stress_capacity_fraction`` in stress; room = limit -
    inventory value): the band at ``n`` units is the one-unit band with the fixed fee
    spread over ``n`` units and the square-root impacts (bonds and ETF) scaled by
    ``sqrt(n)``. ``limited_by`` says which cap was the tighter one. A creation uses
    inventory bonds first; a redemption's bonds go to inventory.
    """
    from .band import arbitrage_band

    regime = check_regime(regime)
    price = _price(etf_price)
    aps = _check_aps(aps)
    h = non_negative(horizon_days, "horizon_days")
    mkt = market.with_regime(regime)
    rows = []
    out_aps = []
    for ap in aps:
        nav = etf.nav(mkt, "bid")
        premium = (price / nav - 1.0) * 1e4
        one = {s: pro_rata_basket(etf, mkt, 1, s) for s in ("create", "redeem")}
        band = arbitrage_band(etf, mkt, regime, basket=one, ap=ap, horizon_days=h)
        unit_value = nav * etf.creation_unit_size
        inv_value = ap.inventory_value_usd(mkt)
        row = dict(
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
            if premium > band.create_bp
            else "redeem"
            if premium < band.redeem_bp
            else "none"
        )
        if action != "none":
            by_capacity = np.floor(ap.capacity_usd(regime) / unit_value + 1e-12)
            room = ap.balance_sheet_limit_usd - inv_value
            by_balance = np.floor(max(room, 0.0) / unit_value + 1e-12)
            n, limited = by_capacity, "capacity"
            if by_balance < n:
                n, limited = by_balance, "balance_sheet"
            if action == "redeem":
                by_shares = np.ceil(etf.shares_outstanding / etf.creation_unit_size) - 1
                if by_shares < n:
                    n, limited = by_shares, "shares"
            n_cap = int(n)
            n = _units_worth_trading(band, action, premium, n_cap)
            row["limited_by"] = limited if n == n_cap else "impact"
            if n >= 1:
                basket = pro_rata_basket(etf, mkt, n, action)
                fee = float(order_fee(etf.fees, basket, mkt)["total"])
                if action == "create":
                    etf = process_creation(etf, basket, mkt)
                    used = ap.inventory.reindex(basket.par.index).fillna(0.0)
                    used = np.minimum(used, basket.par)
                    inv = ap.inventory.sub(used, fill_value=0.0)
                    edge = premium - _threshold_at(band, "create", n)
                else:
                    etf = process_redemption(etf, basket, mkt)
                    inv = ap.inventory.add(basket.par, fill_value=0.0)
                    edge = _threshold_at(band, "redeem", n) - premium
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
            else:
                row["action"] = "none"
        rows.append(row)
        out_aps.append(ap)
    actions = pd.DataFrame(rows, columns=_ACTION_COLUMNS)
    if return_aps:
        return etf, actions, out_aps
    return etf, actions


# ---------------------------------------------------------------------- many days
@dataclass(frozen=True, repr=False)
class APSimulation:
    """A few days of AP activity against an exogenous premium path.

    Attributes
    ----------
    daily : pandas.DataFrame
        By day: premium (bp of official NAV), NAV, price, the tightest create and
        redeem thresholds among the APs, units created and redeemed, shares
        outstanding after the day, net flow (USD) and the APs' total inventory.
    actions : pandas.DataFrame
        Every AP's row of every day (see :func:`simulate_ap_day`), with ``day``.
    etf : ETF
        The fund after the last day.
    aps : list of AuthorizedParticipant
        The APs after the last day.
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
        """The daily table."""
        return self.daily

    def summary(self) -> pd.Series:
        """Totals: days outside the band, units created and redeemed, net flow, fees."""
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
                "final_shares_outstanding": float(d["shares_outstanding"].iloc[-1]),
                "final_ap_inventory_usd": float(d["ap_inventory_usd"].iloc[-1]),
            },
            name="AP simulation",
        )

    def plot(self, ax: Any = None):
        """Premium path with the band, and bars of units created (+) and redeemed (-)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, (ax, ax2) = plt.subplots(
                2, 1, figsize=(8, 5), sharex=True, gridspec_kw={"height_ratios": [2, 1]}
            )
        else:
            ax2 = ax.twinx()
        d = self.daily
        x = d.index.to_numpy()
        ax.plot(x, d["premium_bp"], "k.-", label="premium vs official NAV")
        ax.step(x, d["create_bp"], where="mid", color="#55A868", label="create threshold")
        ax.step(x, d["redeem_bp"], where="mid", color="#C44E52", label="redeem threshold")
        ax.axhline(0.0, color="grey", lw=0.5)
        ax.set_ylabel("bp")
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

    Bond-ETF premia persist (Fulkerson, Jordan and Riley 2013); this is a simple
    exogenous path for demonstrations, not an estimate.
    """
    n = int(check_units(n_days, "n_days"))
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    phi = non_negative(persistence, "persistence")
    if phi >= 1:
        raise InputError(f"persistence: {persistence!r} must be in [0, 1)")
    sigma = non_negative(volatility_bp, "volatility_bp")
    out = np.empty(n)
    p = float(start_bp)
    for t in range(n):
        p = phi * p + sigma * gen.standard_normal()
        out[t] = p
    return out


def simulate_ap_days(
    etf: ETF,
    market: MarketState,
    aps: Sequence[AuthorizedParticipant] | AuthorizedParticipant,
    premium_bp: Sequence[float] | np.ndarray | None = None,
    n_days: int = 10,
    regime: str | Sequence[str] = "normal",
    rng: np.random.Generator | int | None = None,
    liquidation_fraction: float = 0.5,
    horizon_days: float = 1.0,
) -> APSimulation:
    """Several days of AP activity against an exogenous premium path.

    Parameters
    ----------
    etf, market
    aps : sequence of AuthorizedParticipant
    premium_bp : array-like, optional
        The ETF's premium to its official NAV each day, bp; default an AR(1) path
        from :func:`premium_path` (``rng``).
    n_days : int, default 10
        Days to run when ``premium_bp`` is not given.
    regime : str or sequence of str
        One regime, or one per day (a stress episode in the middle, say).
    rng : numpy.random.Generator or int, optional
    liquidation_fraction : float, default 0.5
        Share of its inventory each AP sells at the end of each day.
    horizon_days : float, default 1

    Returns
    -------
    APSimulation

    Notes
    -----
    The premium path is exogenous: AP orders do not move the price (the
    :mod:`etfcore.dynamics` layer closes that loop). Each day the price is the
    fund's official NAV that day times ``1 + premium``.
    """
    aps = _check_aps(aps)
    if premium_bp is None:
        path = premium_path(n_days, rng)
    else:
        path = np.asarray(premium_bp, dtype=float).reshape(-1)
        if path.size == 0 or not np.isfinite(path).all() or (path <= -1e4).any():
            raise InputError("premium_bp: give finite premiums > -10,000 bp, one per day")
    n = path.size
    regimes = [regime] * n if isinstance(regime, str) else list(regime)
    if len(regimes) != n:
        raise InputError(
            f"regime: got {len(regimes)} regimes for {n} days; give one or one per day"
        )
    regimes = [check_regime(r, f"regime[{i}]") for i, r in enumerate(regimes)]
    frac = non_negative(liquidation_fraction, "liquidation_fraction")
    if frac > 1:
        raise InputError(f"liquidation_fraction: {liquidation_fraction!r} must be in [0, 1]")
    daily, all_actions = [], []
    for day in range(n):
        mkt = market.with_regime(regimes[day])
        nav = etf.nav(mkt, "bid")
        price = nav * (1.0 + path[day] * 1e-4)
        etf, actions, aps = simulate_ap_day(
            etf, mkt, price, aps, regimes[day], horizon_days, return_aps=True
        )
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
