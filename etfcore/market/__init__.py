"""Markets to run on: a seeded synthetic market, and funds built from real holdings files.

* :func:`synthetic_market` -- about 5,800 bonds (IG and HY corporates, Treasuries), the
  synthetic Treasury curve, spread curves, bond liquidity and five ETFs
  (``IG_BROAD``, ``IG_SHORT``, ``IG_INTERMEDIATE``, ``HY``, ``TREASURY``); the same on
  any machine for the same seed.
* :func:`etf_from_ishares` -- an ETF and its market from an iShares holdings file
  (LQD), with z-spreads solved from the file's prices.
* :func:`synthetic_universe`, :func:`synthetic_treasuries`,
  :func:`synthetic_treasury_curve` -- the pieces, on their own.
"""

from .funds import ETF_RULES, EtfRule
from .ishares import etf_from_ishares, treasury_curve_on
from .market import Market, SyntheticMarket, synthetic_market
from .synthetic import (
    DEFAULT_AS_OF,
    SyntheticUniverse,
    spread_curve_bp,
    spread_curves,
    synthetic_treasuries,
    synthetic_treasury_curve,
    synthetic_universe,
)

__all__ = [
    "DEFAULT_AS_OF",
    "ETF_RULES",
    "EtfRule",
    "Market",
    "SyntheticMarket",
    "SyntheticUniverse",
    "etf_from_ishares",
    "spread_curve_bp",
    "spread_curves",
    "synthetic_market",
    "synthetic_treasuries",
    "synthetic_treasury_curve",
    "synthetic_universe",
    "treasury_curve_on",
]
