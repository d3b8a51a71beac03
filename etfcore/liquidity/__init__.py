"""The cost of trading a bond or an ETF: bid-ask spread and market impact, normal and stress.

Two models, both frozen dataclasses whose every number is a named, documented and
range-checked parameter (``model.summary()`` shows them with their units and sources):

* :class:`BondLiquidityModel` (:mod:`etfcore.liquidity.bonds`) -- each bond's full
  bid-ask spread in bp of price from its rating, maturity (through duration), age,
  issue size, an optional liquidity score (e.g. from TRACE trade counts,
  :func:`liquidity_scores_from_trace`, :mod:`etfcore.liquidity.scores`) and the
  regime; its expected daily volume and price volatility; square-root market impact;
  the one-way cost of a trade and the cost of "legging" (trading each bond alone over
  several days).
* :class:`EtfLiquidityModel` (:mod:`etfcore.liquidity.etf`) -- an ETF's quoted spread,
  volume, volatility and square-root impact by regime.

:data:`DEFAULT_BOND_MODEL` and :data:`DEFAULT_ETF_MODEL` are calibrated to the SPIB
numbers in DESIGN.md (ETF 2.8 bp vs its basket 14.6 bp in normal times, 8.8 vs 68.5 bp
from 24 Feb to 24 Mar 2020); :func:`calibrate` (:mod:`etfcore.liquidity.calibration`)
recalibrates to any basket and targets. Ratings are read by :func:`rating_tiers`
(:mod:`etfcore.liquidity.ratings`).

Conventions
-----------
* All costs are **positive numbers in bp of price** (per 100 face) on the traded
  market value, for both trade sides: a buyer pays ``mid * (1 + cost_bp / 1e4)``, a
  seller receives ``mid * (1 - cost_bp / 1e4)``. Costs are symmetric in
  ``trade_side`` (``"buy"``/``"sell"``; the old keyword ``side=`` still works, with a
  deprecation warning).
* ``bid_ask_bp`` is the **full** spread (ask minus bid over mid); a one-way trade pays
  half of it (``half_spread_bp``) plus the square-root impact
  ``k x daily_volatility_bp x sqrt(notional_usd / daily_volume_usd)``.
* Notionals and volumes are USD; notionals are market value traded, TRACE volumes are
  par (the difference, price / 100, is ignored).
* ``regime`` is ``"normal"`` or ``"stress"`` everywhere; :data:`REGIMES` and
  :data:`SIDES` are :data:`etfcore.state.REGIMES` and :data:`etfcore.state.TRADE_SIDES`
  (one owner of each word).

Examples
--------
>>> from etfcore.liquidity import DEFAULT_ETF_MODEL
>>> DEFAULT_ETF_MODEL.bid_ask_bp("normal"), DEFAULT_ETF_MODEL.bid_ask_bp("stress")
(2.8, 8.8)
"""

from __future__ import annotations

from ..state import REGIMES, TRADE_SIDES
from .bonds import DEFAULT_BOND_MODEL, BondLiquidityModel, par_duration
from .calibration import SPIB_BASKET_SPREAD_BP, SPIB_ETF_SPREAD_BP, CalibratedModels, calibrate
from .etf import DEFAULT_ETF_MODEL, EtfLiquidityModel
from .ratings import RATING_TIERS, rating_tiers
from .scores import liquidity_scores_from_trace

#: Trade sides (an alias of :data:`etfcore.state.TRADE_SIDES`); costs are positive and
#: symmetric for both.
SIDES: tuple[str, ...] = TRADE_SIDES

__all__ = [
    "DEFAULT_BOND_MODEL",
    "DEFAULT_ETF_MODEL",
    "RATING_TIERS",
    "REGIMES",
    "SIDES",
    "SPIB_BASKET_SPREAD_BP",
    "SPIB_ETF_SPREAD_BP",
    "BondLiquidityModel",
    "CalibratedModels",
    "EtfLiquidityModel",
    "calibrate",
    "liquidity_scores_from_trace",
    "par_duration",
    "rating_tiers",
]
