"""The Authorized Participant: who creates and redeems, at what cost, with what room.

This module sits below :mod:`.band` and :mod:`.agents` (both import it; it imports
neither, only :mod:`.baskets` for bond quotes), so the primary layer's imports run one
way: ``baskets <- participant <- band <- agents``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import decimal, integer, non_negative, show
from ..errors import InputError
from ..state import MarketState, check_regime
from .baskets import bond_quotes


def _empty_inventory() -> pd.Series:
    return pd.Series(dtype=float, index=pd.Index([], name="id"), name="par_usd")


_NO_INVENTORY: list[pd.Series] = []


def _no_inventory() -> pd.Series:
    """A copy of the checked empty inventory (what ``__post_init__`` makes of one)."""
    if not _NO_INVENTORY:
        values = _empty_inventory().astype(float)
        values.index = pd.Index(values.index.astype(str), name="id")
        _NO_INVENTORY.append(values[values > 0].rename("par_usd"))
    return _NO_INVENTORY[0].copy()


@dataclass(frozen=True, eq=False)
class AuthorizedParticipant:
    """A bank-affiliated dealer that may create and redeem ETF shares.

    Parameters
    ----------
    name : str
    cost_bp : float, default 0.0
        The AP's own extra cost (hedging, operations, desired edge), bp of the order
        value, on each order.
    capacity_usd_per_day : float, default inf
        Most it will create or redeem in a day, USD of order value. ``inf``: no limit
        of its own (market impact and the fund's shares still stop it).
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
        Funding spread and balance-sheet cost are this many times higher in stress
        (a ratio, >= 0).
    stress_capacity_fraction : float, default 0.5
        Share of its daily capacity it still offers in stress, a decimal in [0, 1]
        (dealers pulled back in March 2020).
    settlement_days : int, default 1
        Days it finances the position between paying for one leg and being paid
        for the other (T+1).

    Raises
    ------
    InputError
        For negative costs or limits, a ``stress_capacity_fraction`` outside [0, 1]
        (``50`` for 50% is refused with a hint), fractional settlement days, or an
        inventory that is not a Series of finite par >= 0 by bond id.

    Notes
    -----
    US bond ETFs have about three active bank-affiliated APs, and the top three do
    over 80% of the flow (DESIGN.md, "The primary market"). In ``regime="stress"``
    its capacity is ``capacity_usd_per_day x stress_capacity_fraction`` and its
    funding spread and balance-sheet cost are multiplied by ``stress_multiplier``.

    Examples
    --------
    >>> ap = AuthorizedParticipant("AP1", cost_bp=1.0, capacity_usd_per_day=200e6)
    >>> ap.capacity_usd("stress") / 1e6
    100.0
    >>> ap.balance_sheet_cost_bp("stress")
    2.0
    """

    name: str
    cost_bp: float = 0.0
    capacity_usd_per_day: float = float("inf")
    inventory: pd.Series = field(default_factory=lambda: _no_inventory())
    balance_sheet_limit_usd: float = float("inf")
    funding_spread_bp: float = 25.0
    balance_sheet_bp_per_day: float = 0.5
    stress_multiplier: float = 4.0
    stress_capacity_fraction: float = 0.5
    settlement_days: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"name: an AP needs a name (a non-empty str), got {show(self.name)}")
        for f in ("cost_bp", "funding_spread_bp", "balance_sheet_bp_per_day", "stress_multiplier"):
            object.__setattr__(self, f, non_negative(getattr(self, f), f"{self.name}: {f}"))
        for f in ("capacity_usd_per_day", "balance_sheet_limit_usd"):
            object.__setattr__(
                self, f, non_negative(getattr(self, f), f"{self.name}: {f}", allow_inf=True)
            )
        object.__setattr__(
            self,
            "stress_capacity_fraction",
            decimal(
                self.stress_capacity_fraction,
                f"{self.name}: stress_capacity_fraction",
                limit=1.0,
                lower=0.0,
            ),
        )
        object.__setattr__(
            self,
            "settlement_days",
            integer(self.settlement_days, f"{self.name}: settlement_days", minimum=0),
        )
        inv = self.inventory
        if inv is None:
            inv = _empty_inventory()
        if isinstance(inv, pd.Series) and len(inv) == 0:
            # no inventory (the default): the checked empty Series, without the pandas work
            object.__setattr__(self, "inventory", _no_inventory())
            return
        if not isinstance(inv, pd.Series):
            raise InputError(
                f"{self.name}: inventory must be a pandas Series of par (USD) by "
                f"bond id, got {type(inv).__name__}"
            )
        values = pd.to_numeric(inv, errors="coerce").astype(float)
        bad = ~np.isfinite(values.to_numpy()) | (values.to_numpy() < 0)
        if bad.any():
            rows = [f"{inv.index[i]}: {show(inv.iloc[i])}" for i in np.flatnonzero(bad)[:20]]
            raise InputError.from_problems(
                f"{self.name}: inventory par must be finite and >= 0", rows
            )
        if inv.index.has_duplicates:
            raise InputError(f"{self.name}: inventory lists bonds twice; add them up first")
        values.index = pd.Index(inv.index.astype(str), name="id")
        object.__setattr__(self, "inventory", values[values > 0].rename("par_usd"))

    def __repr__(self) -> str:
        return (
            f"AuthorizedParticipant({self.name!r}, cost {self.cost_bp:g} bp, capacity "
            f"${self.capacity_usd_per_day / 1e6:,.0f} mm/day, balance sheet "
            f"${self.balance_sheet_limit_usd / 1e6:,.0f} mm, inventory {len(self.inventory)} "
            "bonds)"
        )

    def replace(self, **changes: Any) -> AuthorizedParticipant:
        """A copy with ``changes`` applied (validated again).

        Examples
        --------
        >>> AuthorizedParticipant("AP1").replace(cost_bp=2.0).cost_bp
        2.0
        """
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ regime
    def funding_rate(self, market: MarketState, regime: str | None = None) -> float:
        """Annual funding rate (decimal): one-month Treasury zero rate plus its spread.

        ``regime`` defaults to the market's; in stress the spread is multiplied by
        ``stress_multiplier``.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> ap = AuthorizedParticipant("AP1", funding_spread_bp=25.0)
        >>> round((ap.funding_rate(m, "stress") - ap.funding_rate(m)) * 1e4, 6)
        75.0
        """
        regime = market.regime if regime is None else check_regime(regime)
        mult = self.stress_multiplier if regime == "stress" else 1.0
        short = float(np.asarray(market.curve.zero_rate(1.0 / 12.0)).reshape(-1)[0])
        return short + self.funding_spread_bp * mult * 1e-4

    def balance_sheet_cost_bp(self, regime: str) -> float:
        """Balance-sheet cost, bp of the position a day, in ``regime``.

        Examples
        --------
        >>> AuthorizedParticipant("AP1").balance_sheet_cost_bp("normal")
        0.5
        """
        return self.balance_sheet_bp_per_day * (
            self.stress_multiplier if check_regime(regime) == "stress" else 1.0
        )

    def capacity_usd(self, regime: str) -> float:
        """Daily capacity in ``regime``, USD.

        Examples
        --------
        >>> AuthorizedParticipant("AP1", capacity_usd_per_day=1e8).capacity_usd("normal")
        100000000.0
        """
        frac = self.stress_capacity_fraction if check_regime(regime) == "stress" else 1.0
        return self.capacity_usd_per_day * frac

    def inventory_value_usd(self, market: MarketState) -> float:
        """Bid value (dirty) of the inventory in ``market``, USD.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> AuthorizedParticipant("AP1").inventory_value_usd(m)
        0.0
        """
        if len(self.inventory) == 0:
            return 0.0
        q = bond_quotes(market, self.inventory.index)
        return float(np.dot(self.inventory.to_numpy(), q["dirty_bid"].to_numpy()) / 100.0)


#: The AP :func:`etfcore.arbitrage_band` uses when none is given: no extra cost,
#: no capacity or balance-sheet limit of its own, no inventory. In
#: :func:`~etfcore.primary.simulate_ap_days` such an AP trades until market impact (or
#: the fund's shares) stops it.
DEFAULT_AP = AuthorizedParticipant("AP")


def check_ap(ap: Any) -> AuthorizedParticipant:
    """``ap``, or :data:`DEFAULT_AP` for None; InputError for anything else.

    Examples
    --------
    >>> check_ap(None) is DEFAULT_AP
    True
    """
    if ap is None:
        return DEFAULT_AP
    if not isinstance(ap, AuthorizedParticipant):
        raise InputError(f"ap: expected an AuthorizedParticipant, got {type(ap).__name__}")
    return ap


def check_aps(aps: Any) -> list[AuthorizedParticipant]:
    """One AP or a sequence of them, as a list of uniquely named APs.

    Examples
    --------
    >>> [ap.name for ap in check_aps(DEFAULT_AP)]
    ['AP']
    """
    if isinstance(aps, AuthorizedParticipant):
        aps = [aps]
    if aps is None or isinstance(aps, (str, bytes)):
        raise InputError(f"aps: give AuthorizedParticipant objects, got {show(aps)}")
    try:
        aps = list(aps)
    except TypeError:
        raise InputError(
            f"aps: give an AuthorizedParticipant or a list of them, got {type(aps).__name__}"
        ) from None
    if not aps:
        raise InputError("aps: give at least one AuthorizedParticipant")
    for i, ap in enumerate(aps):
        if not isinstance(ap, AuthorizedParticipant):
            raise InputError(
                f"aps[{i}]: expected an AuthorizedParticipant, got {type(ap).__name__}"
            )
    names = [ap.name for ap in aps]
    if len(set(names)) != len(names):
        raise InputError(f"aps: names must be unique, got {names}")
    return aps


__all__ = ["DEFAULT_AP", "AuthorizedParticipant", "check_ap", "check_aps"]
