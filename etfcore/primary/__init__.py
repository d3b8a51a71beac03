"""The primary market: creation baskets, fees, the arbitrage band and AP agents.

* :mod:`.baskets` -- :class:`Basket`, :func:`pro_rata_basket`, :func:`cash_basket`,
  :func:`basket_from_par`, :func:`bond_quotes`.
* :mod:`.custom` -- :func:`custom_basket` (at most K bonds matching the fund's key-rate
  durations, spread duration and sectors, preferring liquid bonds) and
  :func:`basket_distance`.
* :mod:`.fees` -- :func:`order_fee`: fixed fee plus variable charges by order type.
* :mod:`.participant` -- :class:`AuthorizedParticipant` and :data:`DEFAULT_AP`.
* :mod:`.band` -- :func:`arbitrage_band` and its decomposed :class:`ArbitrageBand`
  (with :meth:`ArbitrageBand.threshold_bp`, the band at any order size).
* :mod:`.agents` -- :func:`process_creation`, :func:`process_redemption`,
  :func:`simulate_ap_day`, :func:`simulate_ap_days`, :func:`premium_path`.
* ``_kernels`` -- the AP decision for many paths at once (numba).

Imports run one way: ``baskets <- custom``, ``baskets <- fees <- participant <- band
<- agents``. The layer imports bonds, liquidity and fund, never the layers below it.
Vocabulary: ``order`` is create/redeem, ``quote_side`` bid/mid/ask (DESIGN.md).
"""

from .agents import (
    APSimulation,
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
    Basket,
    basket_from_par,
    bond_quotes,
    cash_basket,
    check_basket,
    check_units,
    eligible_ids,
    pro_rata_basket,
)
from .custom import DEFAULT_TOLERANCES, basket_distance, custom_basket
from .fees import order_fee
from .participant import DEFAULT_AP, AuthorizedParticipant

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
