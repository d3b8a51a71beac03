"""Basket pricing: pre-trade analysis, a multi-dealer RFQ for one all-in price, and TCA.

* :func:`basket_lines` -- the layer's shared input: a basket (a
  :class:`~etfcore.io.PortfolioBasket` or a DataFrame of market bonds) validated and priced
  line by line; :func:`dealer_positions` turns it into the dealer's signed positions.
* :mod:`.pretrade` -- :func:`pre_trade`: per line and for the basket, liquidity, legging
  cost, risk and ETF overlap, and the expected portfolio-trade cost against legging.
* :mod:`.dealers` -- :class:`Dealer` (inventory and axes, risk appetite, hedging horizon,
  hedge-cost curves, margin) and :func:`dealer_panel` (seeded panels).
* :mod:`.rfq` -- :func:`run_rfq`: every dealer quotes one all-in price; the best wins, the
  cover is recorded, and the price is allocated back to the lines to the cent.
* :mod:`.posttrade` -- :func:`tca`: cost against the pre-trade mid, legging cost and saving per
  line and value-weighted for the basket.

Dealers price from :class:`~etfcore.hedging.HedgeCostCurve` and
:class:`~etfcore.hedging.LiquidityBackstop` objects, so a tool holding only the curve files
can use the same code. The layer imports every layer below it and nothing imports it.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {}
for _module, _names in (
    ("etfcore.trading._lines", ("basket_lines", "dealer_positions")),
    ("etfcore.trading.posttrade", ("tca", "TcaResult", "rfq_lines")),
    ("etfcore.trading.pretrade", ("pre_trade", "PreTradeReport")),
    (
        "etfcore.trading.dealers",
        ("Dealer", "DealerQuote", "dealer_panel", "default_curve", "quote_curve"),
    ),
    ("etfcore.trading.rfq", ("run_rfq", "RfqResult", "allocate_cents")),
):
    for _name in _names:
        _LAZY[_name] = _module

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'etfcore.trading' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
