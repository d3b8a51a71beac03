"""MarketState: what a fund needs to value its bonds at one moment."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from .bonds.bondset import BondSet
from .bonds.dates import to_day, to_timestamps
from .errors import InputError

# ------------------------------------------------------------------ vocabulary
# One meaning per word across the API (DESIGN.md, "Vocabulary"); the tuples are the
# one owner of each set of names.

#: Market regimes every layer understands; a market state owns which one is in force.
REGIMES: tuple[str, ...] = ("normal", "stress")
#: Which price of a bond, or which NAV: ``quote_side``.
QUOTE_SIDES: tuple[str, ...] = ("bid", "mid", "ask")
#: What a client or dealer does: ``trade_side``.
TRADE_SIDES: tuple[str, ...] = ("buy", "sell")
#: An AP's order to the fund: ``order``.
ORDERS: tuple[str, ...] = ("create", "redeem")


def _check_word(value: Any, where: str, kind: str, words: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in words:
        shown = value.item() if isinstance(value, np.generic) else value
        raise InputError(f"{where}: unknown {kind} {shown!r}; use one of {list(words)}")
    return value


def check_regime(regime: Any, where: str = "regime") -> str:
    """Return ``regime`` if it is a known regime name (:data:`REGIMES`).

    Raises
    ------
    InputError
        Naming the value received and the regimes that exist.
    """
    return _check_word(regime, where, "regime", REGIMES)


def check_quote_side(quote_side: Any, where: str = "quote_side") -> str:
    """Return ``quote_side`` if it is ``"bid"``, ``"mid"`` or ``"ask"``."""
    return _check_word(quote_side, where, "quote side", QUOTE_SIDES)


def check_trade_side(trade_side: Any, where: str = "trade_side") -> str:
    """Return ``trade_side`` if it is ``"buy"`` or ``"sell"``."""
    return _check_word(trade_side, where, "trade side", TRADE_SIDES)


def check_order(order: Any, where: str = "order") -> str:
    """Return ``order`` if it is ``"create"`` or ``"redeem"``."""
    return _check_word(order, where, "order", ORDERS)


class LiquidityLike(Protocol):
    """What a market state needs of a liquidity model (``etfcore.liquidity``)."""

    def half_spread_bp(
        self, bonds: BondSet, regime: str = "normal", *, settlement_date: Any = None, **kwargs: Any
    ) -> pd.Series:
        """Half the bid-ask spread of each bond, bp of price (``settlement_date`` dates it)."""


@dataclass(frozen=True, eq=False, repr=False)
class MarketState:
    """The market at one moment: bonds, the Treasury curve, spreads and liquidity.

    Every fund and primary-market function takes one of these (the synthetic market of
    :mod:`etfcore.market` is one). It is immutable: :meth:`with_curve`,
    :meth:`with_spreads` and :meth:`with_regime` return new states that share what did
    not change, so that funds can reuse their cached cash-flow ladders.

    Parameters
    ----------
    bonds : BondSet
        Every bond a fund may hold.
    curve : ZeroCurve
        Treasury zero curve (or anything with ``reference_date`` and ``discount_days``).
    z_spread : pandas.Series
        Mid-market z-spread of each bond (decimal, continuously compounded), by id.
    settlement : int or date-like
        The settlement date that values are for.
    liquidity : BondLiquidityModel
        Gives each bond's bid-ask spread by regime.
    regime : {"normal", "stress"}
        The liquidity regime bid and ask values use.
    liquidity_scores : pandas.Series, optional
        Per-bond liquidity scores in [0, 1] passed to the liquidity model.

    Notes
    -----
    A bond's bid and ask clean prices are ``mid x (1 -/+ h)``, with ``h`` half its
    bid-ask spread (a fraction of price); accrued interest is the same on every side.
    """

    bonds: BondSet
    curve: Any
    z_spread: pd.Series
    settlement: int
    liquidity: Any
    regime: str = "normal"
    liquidity_scores: pd.Series | None = None
    _cache: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.bonds, BondSet):
            raise InputError(f"bonds: expected a BondSet, got {type(self.bonds).__name__}")
        if not hasattr(self.curve, "discount_days"):
            raise InputError(f"curve: expected a ZeroCurve, got {type(self.curve).__name__}")
        object.__setattr__(self, "settlement", to_day(self.settlement, "settlement"))
        check_regime(self.regime)
        z = self.z_spread
        if not isinstance(z, pd.Series):
            raise InputError("z_spread: expected a pandas Series of decimal spreads by bond id")
        missing = self.bonds.ids.difference(z.index)
        if len(missing):
            raise InputError(
                f"z_spread: no spread for {len(missing)} bond(s), e.g. {list(missing[:5])}; "
                "give a z-spread for every bond of the market"
            )
        aligned = z.reindex(self.bonds.ids).astype(float)
        bad = ~np.isfinite(aligned.to_numpy())
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"z_spread: bond {self.bonds.ids[i]} has spread {aligned.iloc[i]!r}; "
                "spreads must be finite decimals"
            )
        object.__setattr__(self, "z_spread", aligned)

    def __repr__(self) -> str:
        return (
            f"MarketState({len(self.bonds)} bonds, settlement "
            f"{to_timestamps(np.int64(self.settlement)):%Y-%m-%d}, regime {self.regime!r})"
        )

    @property
    def settlement_timestamp(self) -> pd.Timestamp:
        """The settlement date as a pandas Timestamp."""
        return to_timestamps(np.int64(self.settlement))

    # ------------------------------------------------------------------ variants
    def with_curve(self, curve: Any) -> MarketState:
        """The same market on another curve (an intraday move, a scenario).

        Only the curve is checked: the bonds and spreads are the validated ones of this
        state, shared as they are, so that a fund's cached cash-flow ladders still apply.
        """
        if not hasattr(curve, "discount_days") or not hasattr(curve, "reference_date"):
            raise InputError(f"curve: expected a ZeroCurve, got {type(curve).__name__}")
        moved = copy.copy(self)
        object.__setattr__(moved, "curve", curve)
        return moved

    def with_spreads(self, z_spread: pd.Series) -> MarketState:
        """The same market with other z-spreads (by id; every bond needs one)."""
        return dataclasses.replace(self, z_spread=z_spread, _cache={})

    def with_spread_shift(self, shift_bp: float | pd.Series) -> MarketState:
        """Spreads moved by ``shift_bp`` (a number or a Series by bond id, in bp)."""
        if isinstance(shift_bp, pd.Series):
            shift = shift_bp.reindex(self.bonds.ids).fillna(0.0).to_numpy()
        else:
            shift = float(shift_bp)
        return self.with_spreads(self.z_spread + shift * 1e-4)

    def with_regime(self, regime: str) -> MarketState:
        """The same market priced with another liquidity regime."""
        check_regime(regime)
        return dataclasses.replace(self, regime=regime, _cache=self._cache)

    # ------------------------------------------------------------------ lookups
    def half_spread_bp(self, bonds: BondSet | None = None, regime: str | None = None) -> pd.Series:
        """Half the bid-ask spread of ``bonds`` (default: all), bp of price, by id."""
        regime = check_regime(regime or self.regime)
        bonds = self.bonds if bonds is None else bonds
        key = ("half_spread", regime, id(bonds))
        hit = self._cache.get(key)
        if hit is None or hit[0] is not bonds:
            kwargs: dict[str, Any] = {"settlement_date": self.settlement}
            if self.liquidity_scores is not None:
                kwargs["scores"] = self.liquidity_scores.reindex(bonds.ids)
            values = self.liquidity.half_spread_bp(bonds, regime=regime, **kwargs)
            hit = (bonds, values.reindex(bonds.ids))
            self._cache[key] = hit
        return hit[1]


__all__ = [
    "ORDERS",
    "QUOTE_SIDES",
    "REGIMES",
    "TRADE_SIDES",
    "LiquidityLike",
    "MarketState",
    "check_order",
    "check_quote_side",
    "check_regime",
    "check_trade_side",
]
