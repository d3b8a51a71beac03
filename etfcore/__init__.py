"""etfcore: the fixed-income ETF machine, from bond cash flows to basket prices.

Importing etfcore compiles nothing and loads only what is asked for: the public
names below are resolved lazily on first use (PEP 562), and numba compiles each
kernel at its first call, caching the binary for later processes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    ConvergenceError,
    DataWarning,
    EtfcoreDeprecationWarning,
    EtfcoreWarning,
    IdentifierWarning,
    InputError,
)

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY: dict[str, str] = {
    "BondSet": "etfcore.bonds.bondset",
    "ZeroCurve": "etfcore.bonds.curves",
    "CurveScenarios": "etfcore.bonds.curves",
    "fit_nss": "etfcore.bonds.curves",
    "bootstrap_par_yields": "etfcore.bonds.curves",
    "fit_nss_history": "etfcore.bonds.curves",
    "random_shocks": "etfcore.bonds.curves",
    "NSSCurve": "etfcore.bonds.curves",
    "NSSFit": "etfcore.bonds.curves",
    "NSSHistory": "etfcore.bonds.curves",
    "ScenarioPrices": "etfcore.bonds.pricing",
    "year_fraction": "etfcore.bonds.pricing",
    "price_bonds": "etfcore.bonds.pricing",
    "price_from_yield": "etfcore.bonds.pricing",
    "yield_from_price": "etfcore.bonds.pricing",
    "analytics_from_price": "etfcore.bonds.pricing",
    "accrued_interest": "etfcore.bonds.pricing",
    "z_spread_from_price": "etfcore.bonds.pricing",
    "key_rate_durations": "etfcore.bonds.pricing",
    "yield_to_worst": "etfcore.bonds.pricing",
    "reprice_scenarios": "etfcore.bonds.pricing",
    "settlement_date": "etfcore.bonds.calendar",
    "ETF": "etfcore.fund.etf",
    "CreationFees": "etfcore.fund.etf",
    "MarketState": "etfcore.state",
    "REGIMES": "etfcore.state",
    "QUOTE_SIDES": "etfcore.state",
    "TRADE_SIDES": "etfcore.state",
    "ORDERS": "etfcore.state",
    "SpreadCurve": "etfcore.bonds.spreads",
    "YIELD_CONVENTIONS": "etfcore.bonds.pricing",
    "fund_risk": "etfcore.fund.risk",
    "FundRisk": "etfcore.fund.risk",
    "NavBreakdown": "etfcore.fund.etf",
    "INavModel": "etfcore.fund.inav",
    "ArbitrageBand": "etfcore.primary.band",
    "AuthorizedParticipant": "etfcore.primary.participant",
    "synthetic_market": "etfcore.market.market",
    "arbitrage_band": "etfcore.primary.band",
    "US_GOVERNMENT_BOND": "etfcore.bonds.calendar",
    "tca": "etfcore.trading.posttrade",
    "TcaResult": "etfcore.trading.posttrade",
}
_SUBMODULES = {
    "bonds",
    "fund",
    "primary",
    "dynamics",
    "hedging",
    "liquidity",
    "io",
    "market",
    "cli",
    "state",
    "trading",
    "report",
    "sweep",
    "data",
}

__all__ = [
    "ConvergenceError",
    "DataWarning",
    "EtfcoreDeprecationWarning",
    "EtfcoreWarning",
    "IdentifierWarning",
    "InputError",
    "__version__",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"etfcore.{name}")
    raise AttributeError(f"module 'etfcore' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .bonds.bondset import BondSet
    from .bonds.calendar import US_GOVERNMENT_BOND, settlement_date
    from .bonds.curves import (
        CurveScenarios,
        NSSCurve,
        NSSFit,
        NSSHistory,
        ZeroCurve,
        bootstrap_par_yields,
        fit_nss,
        fit_nss_history,
        random_shocks,
    )
    from .bonds.pricing import (
        YIELD_CONVENTIONS,
        ScenarioPrices,
        accrued_interest,
        analytics_from_price,
        key_rate_durations,
        price_bonds,
        price_from_yield,
        reprice_scenarios,
        year_fraction,
        yield_from_price,
        yield_to_worst,
        z_spread_from_price,
    )
    from .bonds.spreads import SpreadCurve
    from .fund.etf import ETF, CreationFees, NavBreakdown
    from .fund.inav import INavModel
    from .fund.risk import FundRisk, fund_risk
    from .market.market import synthetic_market
    from .primary.band import ArbitrageBand, arbitrage_band
    from .primary.participant import AuthorizedParticipant
    from .state import ORDERS, QUOTE_SIDES, REGIMES, TRADE_SIDES, MarketState
    from .trading.posttrade import TcaResult, tca
