"""What the primary market asks of the liquidity layer, in one place.

The primary market needs four numbers per bond or per ETF: a bond's half bid-ask
spread (from the market state), a bond's market impact for a given notional, its
daily volume, and the ETF's own trading cost. :mod:`etfcore.liquidity` provides
them (``BondLiquidityModel.impact_bp`` / ``daily_volume_usd`` and
``EtfLiquidityModel``). When the market carries a bond liquidity model that only
knows half-spreads (a stand-in in a notebook, say), the documented square-root
fallbacks below are used, so that every function of :mod:`etfcore.primary` stays
usable.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..bonds.bondset import BondSet
from ..fund.etf import ETF
from ..state import MarketState

#: Fallback: square-root impact ``coefficient x sqrt(notional / daily volume)`` in bp
#: of price, multiplied by ``STRESS_IMPACT_MULTIPLIER`` in stress (costs of immediacy
#: rose about five times in March 2020, Kargar et al. 2021).
FALLBACK_IMPACT_COEFFICIENT_BP = 10.0
STRESS_IMPACT_MULTIPLIER = 5.0
#: Fallback daily volume of a corporate bond: 0.25% of its issue size a day (TRACE
#: turnover of a few percent of issue size a month).
FALLBACK_DAILY_TURNOVER = 0.0025
FALLBACK_ISSUE_SIZE_USD = 750e6


def bond_half_spread_bp(market: MarketState, bonds: BondSet, regime: str) -> pd.Series:
    """Half the bid-ask spread of each bond, bp of price, by id."""
    return market.half_spread_bp(bonds, regime).reindex(bonds.ids).astype(float)


def _bond_inputs(market: MarketState, bonds: BondSet, fn: Any) -> tuple[Any, dict[str, Any]]:
    """What to pass a bond liquidity-model method ``fn``: (bonds or features, kwargs).

    A model with ``features`` (:class:`etfcore.liquidity.BondLiquidityModel`) gets the
    features at the market's settlement date (grade ``"UST"`` bonds in the Treasury
    tier), and the market's liquidity scores.
    """
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins
        params = {}
    kwargs: dict[str, Any] = {}
    if "scores" in params and market.liquidity_scores is not None:
        kwargs["scores"] = market.liquidity_scores.reindex(bonds.ids)
    model = market.liquidity
    if hasattr(model, "features"):
        return model.features(bonds, settlement_date=market.settlement), kwargs
    if "settlement_date" in params:
        kwargs["settlement_date"] = market.settlement
    return bonds, kwargs


def bond_daily_volume_usd(market: MarketState, bonds: BondSet, regime: str = "normal") -> pd.Series:
    """Average daily traded notional of each bond, USD, by id."""
    model = market.liquidity
    fn = getattr(model, "daily_volume_usd", None)
    if fn is not None:
        what, kwargs = _bond_inputs(market, bonds, fn)
        out = fn(what, regime=regime, **kwargs)
        return pd.Series(np.asarray(out, dtype=float).reshape(-1), index=bonds.ids)
    attrs = bonds.attributes
    if "issue_size_usd" in attrs:
        size = pd.to_numeric(attrs["issue_size_usd"], errors="coerce").to_numpy(dtype=float)
        size = np.where(np.isfinite(size) & (size > 0), size, FALLBACK_ISSUE_SIZE_USD)
    else:
        size = np.full(len(bonds), FALLBACK_ISSUE_SIZE_USD)
    return pd.Series(size * FALLBACK_DAILY_TURNOVER, index=bonds.ids)


def bond_impact_bp(
    market: MarketState, bonds: BondSet, notional_usd: np.ndarray, regime: str
) -> np.ndarray:
    """Market impact of trading ``notional_usd`` of each bond, bp of price."""
    notional = np.ascontiguousarray(notional_usd, dtype=float)
    if len(bonds) == 0:
        return np.zeros(0)
    model = market.liquidity
    fn = getattr(model, "impact_bp", None)
    if fn is not None:
        what, kwargs = _bond_inputs(market, bonds, fn)
        out = fn(what, notional, regime=regime, **kwargs)
        return np.asarray(out, dtype=float).reshape(-1)
    adv = bond_daily_volume_usd(market, bonds, regime).to_numpy()
    mult = STRESS_IMPACT_MULTIPLIER if regime == "stress" else 1.0
    return mult * FALLBACK_IMPACT_COEFFICIENT_BP * np.sqrt(np.maximum(notional, 0.0) / adv)


def etf_model(etf: ETF, market: MarketState) -> Any:
    """The ETF's liquidity model (an ``EtfLiquidityModel``).

    The one the market carries for it (``market.etf_liquidity[etf.name]``) or the
    ETF itself (``etf.liquidity``); else :data:`etfcore.liquidity.DEFAULT_ETF_MODEL`
    rescaled to the ETF's own quoted spread and volume, keeping the default model's
    stress-to-normal ratios (SPIB: 8.8 / 2.8 bp).
    """
    table = getattr(market, "etf_liquidity", None)
    if isinstance(table, Mapping) and etf.name in table:
        return table[etf.name]
    own = getattr(etf, "liquidity", None)
    if own is not None:
        return own
    from ..liquidity import DEFAULT_ETF_MODEL as base

    changes: dict[str, float] = {}
    if etf.quoted_spread_bp > 0:
        ratio = base.quoted_spread_bp_stress / base.quoted_spread_bp_normal
        changes["quoted_spread_bp_normal"] = etf.quoted_spread_bp
        changes["quoted_spread_bp_stress"] = etf.quoted_spread_bp * ratio
    if etf.adv_shares > 0:
        adv = etf.adv_shares * etf.nav(market, "mid")
        changes["adv_usd_normal"] = adv
        changes["adv_usd_stress"] = adv * base.adv_usd_stress / base.adv_usd_normal
    return dataclasses.replace(base, **changes) if changes else base


def etf_cost_bp(
    etf: ETF, market: MarketState, notional_usd: float, regime: str
) -> tuple[float, float]:
    """(half-spread, impact) of trading ``notional_usd`` of the ETF's shares, bp of price."""
    model = etf_model(etf, market)
    half = float(model.half_spread_bp(regime))
    impact = float(model.impact_bp(float(notional_usd), regime))
    return half, impact
