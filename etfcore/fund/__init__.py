"""The fund layer: ETF holdings, cash, liabilities and shares; NAV on three sides; iNAV."""

from ..state import REGIMES, MarketState, check_regime
from .etf import ETF, SIDES, CreationFees, NavBreakdown, check_side
from .inav import INavModel, INavResult, INavState, inav_path
from .income import collect_income, coupon_income, declare_distribution, pay_distribution

__all__ = [
    "ETF",
    "REGIMES",
    "SIDES",
    "CreationFees",
    "INavModel",
    "INavResult",
    "INavState",
    "MarketState",
    "NavBreakdown",
    "check_regime",
    "check_side",
    "collect_income",
    "coupon_income",
    "declare_distribution",
    "inav_path",
    "pay_distribution",
]
