"""Dealer hedging: basket risk, ETF hedge selection, hedge costs and the liquidity backstop.

* :mod:`.risk` -- :func:`basket_risk` (DV01, key-rate DV01s, CS01 by sector and rating) and
  the same per share for ETFs.
* :mod:`.selection` -- :func:`select_hedge`: at most K ETFs minimising the residual variance
  under a factor covariance (or by regression), with short and size limits.
* :mod:`.cost` -- the cost of a hedge leg by size, horizon, side and regime, with its
  components and the cheaper channel (secondary market, primary market or a split).
* :mod:`.curve` -- :func:`hedge_cost_curve` and :class:`HedgeCostCurve`, the product pricing
  tools read (CSV, Parquet, JSON with a schema version).
* :mod:`.backstop` -- :class:`LiquidityBackstop`: the band, AP capacity and days to absorb.
* :mod:`.instruments` -- :func:`treasury_etf`: a long-duration Treasury fund (TLT-like) built
  from a market's long Treasuries, a candidate for long-end rates hedges.

The layer imports bonds, liquidity, fund, primary and dynamics, never trading. Importing it
compiles nothing.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {}
for _module, _names in (
    ("etfcore.hedging.risk", ("basket_risk", "BasketRisk", "etf_risk_per_share")),
    ("etfcore.hedging.selection", ("select_hedge", "HedgeSelection", "factor_covariance")),
    (
        "etfcore.hedging.cost",
        (
            "hedge_leg_cost",
            "HedgeCostParameters",
            "default_ap_panel",
            "dealer_flow_impact",
            "DealerFlowImpact",
            "dealer_flow_schedule",
        ),
    ),
    ("etfcore.hedging.curve", ("hedge_cost_curve", "HedgeCostCurve")),
    ("etfcore.hedging.backstop", ("liquidity_backstop", "LiquidityBackstop")),
    ("etfcore.hedging.instruments", ("treasury_etf",)),
):
    for _name in _names:
        _LAZY[_name] = _module

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'etfcore.hedging' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
