"""What the primary market asks of the liquidity layer, in one place.

The primary market needs four numbers per bond or per ETF: a bond's half bid-ask
spread (from the market state), a bond's market impact for a given notional, its
daily volume, and the ETF's own trading cost.

* Bonds: the market's bond model (:attr:`MarketState.liquidity`). A model that also
  knows volume and impact (:class:`etfcore.state.BondTradingLike`, such as
  :class:`etfcore.liquidity.BondLiquidityModel`) is asked for them, with the market's
  settlement date and liquidity scores. A model that only knows half-spreads (a
  stand-in in a notebook, say) gets the documented square-root fallbacks below.
* ETFs: the model the market carries for the ETF
  (:meth:`MarketState.etf_liquidity_model`); when it has none, a model built from the
  ETF's own ``quoted_spread_bp`` and ``adv_shares`` (see :func:`etf_model`).
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from ..bonds.bondset import BondSet
from ..errors import InputError
from ..fund.etf import ETF
from ..state import BondTradingLike, EtfLiquidityLike, IdentityCache, MarketState

if TYPE_CHECKING:
    from ..liquidity import EtfLiquidityModel

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


def _scores(market: MarketState, bonds: BondSet) -> pd.Series | None:
    if market.liquidity_scores is None:
        return None
    return market.liquidity_scores.reindex(bonds.ids)


def bond_daily_volume_usd(market: MarketState, bonds: BondSet, regime: str = "normal") -> pd.Series:
    """Average daily traded notional of each bond, USD, by id.

    The market's model when it knows volume; else ``FALLBACK_DAILY_TURNOVER x issue
    size`` (``FALLBACK_ISSUE_SIZE_USD`` where the bond has none).
    """
    model = market.liquidity
    if isinstance(model, BondTradingLike):
        out = model.daily_volume_usd(
            bonds, regime, _scores(market, bonds), settlement_date=market.settlement
        )
        return pd.Series(np.asarray(out, dtype=float).reshape(-1), index=bonds.ids)
    attrs = bonds.attributes
    if "issue_size_usd" in attrs:
        size = pd.to_numeric(attrs["issue_size_usd"], errors="coerce").to_numpy(dtype=float)
        size = np.where(np.isfinite(size) & (size > 0), size, FALLBACK_ISSUE_SIZE_USD)
    else:
        size = np.full(len(bonds), FALLBACK_ISSUE_SIZE_USD)
    return pd.Series(size * FALLBACK_DAILY_TURNOVER, index=bonds.ids)


#: Features of every bond of a market for its model (when the model costs each bond on
#: its own): built once per (bond set, model, settlement) and sliced by position. Each
#: entry holds the bond set and model it was built from and serves only those.
_ALL_FEATURES = IdentityCache(maxsize=8)


def _all_features(market: MarketState) -> Any:
    """``market.liquidity.features(market.bonds)`` (cached), or None.

    None when the model is not one that costs each bond on its own (its class does not
    set ``_ELEMENTWISE_MODEL`` to itself) or some bond of the market has no complete
    features (an error or a warning): callers then cost their bonds on their own.
    """
    model = market.liquidity
    if getattr(type(model), "_ELEMENTWISE_MODEL", None) is not type(model):
        return None
    bonds = market.bonds
    key = ("features", id(bonds), id(model), int(market.settlement))
    hit = _ALL_FEATURES.get(key, (bonds, model))
    if hit is None:
        feat = None
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                feat = cast(Any, model).features(bonds, settlement_date=market.settlement)
            if caught:
                feat = None
        except InputError:
            feat = None
        hit = (feat,)
        _ALL_FEATURES.put(key, (bonds, model), hit)
    return hit[0]


def bond_impact_at(
    market: MarketState, positions: np.ndarray, notional_usd: np.ndarray, regime: str
) -> np.ndarray | None:
    """:func:`bond_impact_bp` of the market's bonds at ``positions`` (no BondSet built).

    From the market's features (built once); None when the model does not cost each
    bond on its own (see :func:`_all_features`).
    """
    feat = _all_features(market)
    if feat is None:
        return None
    scores = market.liquidity_scores
    if scores is not None:
        ids = market.bonds.ids
        scores = (
            scores.iloc[positions] if scores.index.equals(ids) else scores.reindex(ids[positions])
        )
    notional = np.ascontiguousarray(notional_usd, dtype=float)
    model = cast(Any, market.liquidity)
    return model._impact_at(feat.iloc[positions], notional, regime, scores)


def bond_impact_bp(
    market: MarketState,
    bonds: BondSet,
    notional_usd: np.ndarray,
    regime: str,
    positions: np.ndarray | None = None,
) -> np.ndarray:
    """Market impact of trading ``notional_usd`` of each bond, bp of price.

    The market's model when it knows impact; else ``FALLBACK_IMPACT_COEFFICIENT_BP x
    sqrt(notional / daily volume)``, times ``STRESS_IMPACT_MULTIPLIER`` in stress.
    ``positions``: where ``bonds`` sit in ``market.bonds`` (``bonds`` is
    ``market.bonds.take(positions)``), so a model that costs each bond on its own
    reads the rows of the market's features (built once) instead of building them.
    """
    notional = np.ascontiguousarray(notional_usd, dtype=float)
    if len(bonds) == 0:
        return np.zeros(0)
    model = market.liquidity
    if positions is not None:
        fast = bond_impact_at(market, positions, notional, regime)
        if fast is not None:
            return fast
    if isinstance(model, BondTradingLike):
        out = model.impact_bp(
            bonds, notional, regime, _scores(market, bonds), settlement_date=market.settlement
        )
        return np.asarray(out, dtype=float).reshape(-1)
    adv = bond_daily_volume_usd(market, bonds, regime).to_numpy()
    mult = STRESS_IMPACT_MULTIPLIER if regime == "stress" else 1.0
    return mult * FALLBACK_IMPACT_COEFFICIENT_BP * np.sqrt(np.maximum(notional, 0.0) / adv)


def etf_model(etf: ETF, market: MarketState) -> EtfLiquidityLike:
    """The ETF's liquidity model.

    The one the market carries for it (``market.etf_liquidity_model(etf.name)``).
    Fallback when the market has none: :data:`etfcore.liquidity.DEFAULT_ETF_MODEL`
    rescaled to the ETF's own quoted spread (``etf.quoted_spread_bp``) and dollar
    volume (``etf.adv_shares`` x mid NAV), keeping the default model's
    stress-to-normal ratios (SPIB: 8.8 / 2.8 bp; VCIT volume x 3.2); an ETF with no
    volume of its own keeps the default model's volume.
    """
    model = market.etf_liquidity_model(etf.name)
    if model is not None:
        return model
    return fallback_etf_model(etf, market)


def fallback_etf_model(etf: ETF, market: MarketState) -> EtfLiquidityModel:
    """:data:`etfcore.liquidity.DEFAULT_ETF_MODEL` rescaled to the ETF's spread and volume."""
    from ..liquidity import DEFAULT_ETF_MODEL as base

    spread_normal, spread_stress = base.quoted_spread_bp_normal, base.quoted_spread_bp_stress
    adv_normal, adv_stress = base.adv_usd_normal, base.adv_usd_stress
    if etf.quoted_spread_bp > 0:
        spread_stress = etf.quoted_spread_bp * spread_stress / spread_normal
        spread_normal = etf.quoted_spread_bp
    if etf.adv_shares > 0:
        adv = etf.adv_shares * etf.nav(market, "mid")
        adv_stress = adv * adv_stress / adv_normal
        adv_normal = adv
    return dataclasses.replace(
        base,
        quoted_spread_bp_normal=spread_normal,
        quoted_spread_bp_stress=spread_stress,
        adv_usd_normal=adv_normal,
        adv_usd_stress=adv_stress,
        name=f"{etf.name}: default ETF model at its own quoted spread and volume",
    )


def etf_cost_bp(
    etf: ETF, market: MarketState, notional_usd: float, regime: str
) -> tuple[float, float]:
    """(half-spread, impact) of trading ``notional_usd`` of the ETF's shares, bp of price."""
    model = etf_model(etf, market)
    half = float(model.half_spread_bp(regime))
    impact = float(model.impact_bp(float(notional_usd), regime))
    return half, impact
