"""Deprecated location of :class:`~etfcore.MarketState`: it lives in :mod:`etfcore.state`."""

from ..state import REGIMES, MarketState, check_regime

__all__ = ["REGIMES", "MarketState", "check_regime"]
