"""The fund layer: ETF holdings, cash, liabilities and shares; NAV on three sides; iNAV."""

from .etf import SIDES, ETF, CreationFees, NavBreakdown, check_side
from .state import REGIMES, MarketState, check_regime

__all__ = [
    "ETF",
    "REGIMES",
    "SIDES",
    "CreationFees",
    "MarketState",
    "NavBreakdown",
    "check_regime",
    "check_side",
]
