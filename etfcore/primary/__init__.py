"""The primary market: creation baskets, fees, the arbitrage band and AP agents.

* :mod:`.baskets` -- :class:`Basket`, :func:`pro_rata_basket`, :func:`custom_basket`
  (at most K bonds matching the fund's key-rate durations, spread duration and
  sectors, preferring liquid bonds), :func:`cash_basket`, :func:`basket_distance`.
* :mod:`.fees` -- :func:`order_fee`: fixed fee plus variable charges by order type.
* :mod:`.band` -- :func:`arbitrage_band` and its decomposed :class:`ArbitrageBand`.
* :mod:`.agents` -- :class:`AuthorizedParticipant`, :func:`process_creation`,
  :func:`process_redemption`, :func:`simulate_ap_day`, :func:`simulate_ap_days`.

The layer imports bonds, liquidity and fund, never the layers below it.
"""

from .agents import (
    DEFAULT_AP,
    APSimulation,
    AuthorizedParticipant,
    premium_path,
    process_creation,
    process_redemption,
    simulate_ap_day,
    simulate_ap_days,
)
from .band import COMPONENTS, ArbitrageBand, arbitrage_band
from .baskets import (
    BASKET_KINDS,
    BASKET_SIDES,
    DEFAULT_TOLERANCES,
    Basket,
    basket_distance,
    basket_from_par,
    bond_quotes,
    cash_basket,
    check_basket,
    check_units,
    custom_basket,
    eligible_ids,
    pro_rata_basket,
)
from .fees import order_fee

__all__ = [
    "BASKET_KINDS",
    "BASKET_SIDES",
    "COMPONENTS",
    "DEFAULT_AP",
    "DEFAULT_TOLERANCES",
    "APSimulation",
    "ArbitrageBand",
    "AuthorizedParticipant",
    "Basket",
    "arbitrage_band",
    "basket_distance",
    "basket_from_par",
    "bond_quotes",
    "cash_basket",
    "check_basket",
    "check_units",
    "custom_basket",
    "eligible_ids",
    "order_fee",
    "premium_path",
    "process_creation",
    "process_redemption",
    "pro_rata_basket",
    "simulate_ap_day",
    "simulate_ap_days",
]
