"""The fund layer: ETF holdings, cash, liabilities and shares; NAV on three sides; iNAV; risk."""

from ..state import QUOTE_SIDES, REGIMES, MarketState, check_quote_side, check_regime
from .etf import ETF, SIDES, CreationFees, NavBreakdown, check_side
from .inav import INavModel, INavResult, INavState, inav_path
from .income import collect_income, coupon_income, declare_distribution, pay_distribution
from .risk import FundRisk, fund_risk

__all__ = [
    "ETF",
    "QUOTE_SIDES",
    "REGIMES",
    "SIDES",
    "CreationFees",
    "FundRisk",
    "INavModel",
    "INavResult",
    "INavState",
    "MarketState",
    "NavBreakdown",
    "check_quote_side",
    "check_regime",
    "check_side",
    "collect_income",
    "coupon_income",
    "declare_distribution",
    "fund_risk",
    "inav_path",
    "pay_distribution",
]
