"""MarketState: the pricing environment every layer above the bonds takes.

A :class:`MarketState` holds, at one moment, the bonds, the Treasury curve, each bond's
z-spread, the settlement date, the regime in force, the bond liquidity model (with
optional liquidity scores) and the ETF liquidity models by ETF name. The regime and the
liquidity of a market have this one owner: fund, primary-market and hedging functions
read them from here.

The module also owns the API's vocabulary (:data:`REGIMES`, :data:`QUOTE_SIDES`,
:data:`TRADE_SIDES`, :data:`ORDERS` and their checks) and the small Protocols that say
what a liquidity model must provide.
"""

from __future__ import annotations

import copy
import dataclasses
import warnings
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, Self, cast, runtime_checkable

import numpy as np
import pandas as pd

from ._validation import decimals, finite, show
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

    Examples
    --------
    >>> check_regime("stress")
    'stress'
    >>> check_regime("calm")
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: regime: unknown regime 'calm'; use one of ['normal', 'stress']
    """
    return _check_word(regime, where, "regime", REGIMES)


def check_quote_side(quote_side: Any, where: str = "quote_side") -> str:
    """Return ``quote_side`` if it is ``"bid"``, ``"mid"`` or ``"ask"``.

    Examples
    --------
    >>> check_quote_side("bid")
    'bid'
    """
    return _check_word(quote_side, where, "quote side", QUOTE_SIDES)


def check_trade_side(trade_side: Any, where: str = "trade_side") -> str:
    """Return ``trade_side`` if it is ``"buy"`` or ``"sell"``.

    Examples
    --------
    >>> check_trade_side("sell")
    'sell'
    """
    return _check_word(trade_side, where, "trade side", TRADE_SIDES)


def check_order(order: Any, where: str = "order") -> str:
    """Return ``order`` if it is ``"create"`` or ``"redeem"``.

    Examples
    --------
    >>> check_order("redeem")
    'redeem'
    """
    return _check_word(order, where, "order", ORDERS)


# ------------------------------------------------------------------ liquidity protocols
@runtime_checkable
class BondLiquidityLike(Protocol):
    """What a market state needs of a bond liquidity model (``etfcore.liquidity``).

    :class:`etfcore.liquidity.BondLiquidityModel` is one. A stand-in needs only
    :meth:`half_spread_bp` to price the fund on the bid and ask side; the primary
    market also uses :class:`BondTradingLike`'s volume and impact where a model has
    them.

    Examples
    --------
    >>> from etfcore.liquidity import DEFAULT_BOND_MODEL
    >>> isinstance(DEFAULT_BOND_MODEL, BondLiquidityLike)
    True
    """

    def half_spread_bp(
        self, bonds: Any, regime: str = "normal", scores: Any = None, *, settlement_date: Any = None
    ) -> pd.Series:
        """Half the bid-ask spread of each bond, bp of price, by id (dated ``settlement_date``)."""
        ...


@runtime_checkable
class BondTradingLike(BondLiquidityLike, Protocol):
    """A bond liquidity model that also knows volume and market impact (what primary uses).

    Examples
    --------
    >>> from etfcore.liquidity import DEFAULT_BOND_MODEL
    >>> isinstance(DEFAULT_BOND_MODEL, BondTradingLike)
    True
    """

    def daily_volume_usd(
        self, bonds: Any, regime: str = "normal", scores: Any = None, *, settlement_date: Any = None
    ) -> pd.Series:
        """Average daily traded notional of each bond, USD, by id."""
        ...

    def impact_bp(
        self,
        bonds: Any,
        notional_usd: Any,
        regime: str = "normal",
        scores: Any = None,
        *,
        settlement_date: Any = None,
    ) -> pd.Series:
        """Market impact of trading ``notional_usd`` of each bond, bp of price."""
        ...


@runtime_checkable
class EtfLiquidityLike(Protocol):
    """What the primary market and hedging need of an ETF's liquidity model.

    :class:`etfcore.liquidity.EtfLiquidityModel` is one: the ETF's quoted spread, its
    daily dollar volume and the square-root impact of trading its shares, by regime.

    Examples
    --------
    >>> from etfcore.liquidity import EtfLiquidityModel
    >>> isinstance(EtfLiquidityModel(), EtfLiquidityLike)
    True
    """

    def bid_ask_bp(self, regime: str = "normal") -> float:
        """Full quoted bid-ask spread of the ETF, bp of price."""
        ...

    def half_spread_bp(self, regime: str = "normal") -> float:
        """Half the quoted spread, bp of price."""
        ...

    def daily_volume_usd(self, regime: str = "normal") -> float:
        """Average daily dollar volume of the ETF's shares."""
        ...

    def impact_bp(self, notional_usd: Any, regime: str = "normal") -> Any:
        """Market impact of trading ``notional_usd`` of the ETF's shares, bp of price."""
        ...


#: Former name of :class:`BondLiquidityLike`.
LiquidityLike = BondLiquidityLike

#: Largest plausible z-spread magnitude, decimal: 0.5 is 5,000 bp, past any distressed
#: high-yield bond an ETF holds (HY index spreads peaked near 2,000 bp in 2008), while
#: a spread written in bp (80) or in percent from 0.5% up (1.2 for 120 bp) is caught.
MAX_Z_SPREAD = 0.5


# ------------------------------------------------------------------ caches
class IdentityCache:
    """A small LRU cache whose entries hold the objects they were computed from.

    ``get(key, deps)`` returns a value only if every object of ``deps`` *is* the one
    stored with it, so an entry can never be served for another object that happens to
    reuse a garbage-collected object's ``id`` (the entry keeps its objects alive).
    At most ``maxsize`` entries are kept; the least recently used goes first. A pickled
    or copied cache starts empty.

    Examples
    --------
    >>> cache = IdentityCache(maxsize=2)
    >>> model = object()
    >>> cache.put("k", (model,), 1.0)
    >>> cache.get("k", (model,)), cache.get("k", (object(),))
    (1.0, None)
    """

    def __init__(self, maxsize: int = 32) -> None:
        self.maxsize = int(maxsize)
        self._entries: OrderedDict[Hashable, tuple[tuple[Any, ...], Any]] = OrderedDict()

    def get(self, key: Hashable, deps: tuple[Any, ...] = ()) -> Any:
        """The value stored under ``key`` for exactly these objects, else None."""
        hit = self._entries.get(key)
        if hit is None:
            return None
        held, value = hit
        if len(held) != len(deps):
            return None
        for a, b in zip(held, deps, strict=True):
            if a is not b:
                return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: Hashable, deps: tuple[Any, ...], value: Any) -> None:
        """Store ``value`` under ``key``, holding ``deps``; evict the oldest past ``maxsize``."""
        self._entries[key] = (tuple(deps), value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        """Drop every entry."""
        self._entries.clear()

    def __reduce__(self) -> tuple[Any, ...]:
        # a pickled (or deep-copied) cache starts empty: its entries hold other objects
        # (models, bond sets) that need not travel, and may not pickle
        return (type(self), (self.maxsize,))

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"IdentityCache({len(self)} of {self.maxsize} entries)"


_UNCHANGED: Any = object()


class _BondLabels(Sequence[str]):
    """``"bond <id>"`` for position ``i``, built only when an error names it."""

    def __init__(self, ids: pd.Index) -> None:
        self._ids = ids

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, i: Any) -> Any:
        return f"bond {self._ids[i]}"


def _day_text(day: int) -> str:
    return f"{to_timestamps(np.int64(day)):%Y-%m-%d}"


def _check_curve(curve: Any, settlement: int, where: str = "curve") -> None:
    if not hasattr(curve, "discount_days") or not hasattr(curve, "reference_date"):
        raise InputError(
            f"{where}: expected a ZeroCurve (anything with reference_date and discount_days), "
            f"got {type(curve).__name__}"
        )
    ref = int(curve.reference_date)
    if settlement < ref:
        raise InputError(
            f"{where}: settlement {_day_text(settlement)} is before the curve's reference "
            f"date {_day_text(ref)}; a curve cannot discount back in time: use a curve "
            "dated on or before the settlement date"
        )


@dataclass(frozen=True, eq=False, repr=False)
class MarketState:
    """The market at one moment: bonds, Treasury curve, spreads, regime and liquidity.

    Every fund and primary-market function takes one of these (the synthetic market of
    :mod:`etfcore.market` is one). It is immutable: the ``with_*`` methods return new
    states that share what did not change, so that funds can reuse their cached
    cash-flow ladders.

    Parameters
    ----------
    bonds : BondSet
        Every bond a fund may hold.
    curve : ZeroCurve
        Treasury zero curve (or anything with ``reference_date`` and ``discount_days``),
        dated on or before ``settlement``.
    z_spread : pandas.Series
        Mid-market z-spread of each bond (decimal, continuously compounded), by id;
        every bond needs one. ``|z| <= 0.5`` (:data:`MAX_Z_SPREAD`, 5,000 bp): larger
        values are taken for bp or percent and rejected.
    settlement : int or date-like
        The settlement date that values are for.
    liquidity : BondLiquidityLike
        Gives each bond's half bid-ask spread by regime
        (:class:`etfcore.liquidity.BondLiquidityModel`).
    regime : {"normal", "stress"}
        The regime in force (bid and ask values, bands, costs all read it).
    liquidity_scores : pandas.Series, optional
        Per-bond liquidity scores in [0, 1] passed to the liquidity model.
    etf_liquidity : mapping of str to EtfLiquidityLike, optional
        Each ETF's own liquidity model (quoted spread, volume, impact by regime), by
        ETF name; see :meth:`etf_liquidity_model`. Default: none.

    Raises
    ------
    InputError
        For a settlement before the curve's reference date, a missing, non-finite or
        bp/percent-looking z-spread (naming the bond), an unknown regime, or objects of
        the wrong type.

    Notes
    -----
    A bond's bid and ask clean prices are ``mid x (1 -/+ h)``, with ``h`` half its
    bid-ask spread (a fraction of price); accrued interest is the same on every side.
    Cached half-spreads hold the bond set, model and scores they came from and are
    served only for those very objects (at most 32 entries).

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> state = MarketState(m.bonds, m.curve, m.z_spread, m.settlement, m.liquidity)
    >>> state
    MarketState(5847 bonds, settlement 2026-01-16, regime 'normal')
    >>> state.with_regime("stress").regime
    'stress'
    >>> MarketState(m.bonds, m.curve, m.z_spread * 1e4, m.settlement, m.liquidity)
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: z_spread: ... looks like a percentage or basis points ...
    """

    bonds: BondSet
    curve: Any
    z_spread: pd.Series
    settlement: int
    liquidity: BondLiquidityLike
    regime: str = "normal"
    liquidity_scores: pd.Series | None = None
    etf_liquidity: Mapping[str, EtfLiquidityLike] = field(default_factory=dict)
    _cache: Any = field(default_factory=IdentityCache, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.bonds, BondSet):
            raise InputError(f"bonds: expected a BondSet, got {type(self.bonds).__name__}")
        settlement = to_day(self.settlement, "settlement")
        object.__setattr__(self, "settlement", settlement)
        _check_curve(self.curve, settlement)
        check_regime(self.regime)
        if not callable(getattr(self.liquidity, "half_spread_bp", None)):
            raise InputError(
                "liquidity: expected a bond liquidity model with half_spread_bp (such as "
                f"etfcore.liquidity.BondLiquidityModel), got {type(self.liquidity).__name__}"
            )
        scores = self.liquidity_scores
        if scores is not None and not isinstance(scores, pd.Series):
            raise InputError(
                "liquidity_scores: expected a pandas Series of scores in [0, 1] by bond id, "
                f"got {type(scores).__name__}"
            )
        object.__setattr__(self, "etf_liquidity", _check_etf_liquidity(self.etf_liquidity))
        z = self.z_spread
        if not isinstance(z, pd.Series):
            raise InputError(
                f"z_spread: expected a pandas Series of decimal spreads by bond id, got "
                f"{type(z).__name__}"
            )
        missing = self.bonds.ids.difference(z.index)
        if len(missing):
            raise InputError(
                f"z_spread: no spread for {len(missing)} bond(s), e.g. {list(missing[:5])}; "
                "give a z-spread for every bond of the market"
            )
        aligned = pd.to_numeric(z.reindex(self.bonds.ids), errors="coerce").astype(float)
        decimals(
            aligned.to_numpy(), "z_spread", limit=MAX_Z_SPREAD, labels=_BondLabels(self.bonds.ids)
        )
        object.__setattr__(self, "z_spread", aligned.rename("z_spread"))
        if not isinstance(self._cache, IdentityCache):
            object.__setattr__(self, "_cache", IdentityCache())

    def __repr__(self) -> str:
        return (
            f"MarketState({len(self.bonds)} bonds, settlement "
            f"{_day_text(self.settlement)}, regime {self.regime!r})"
        )

    @property
    def settlement_timestamp(self) -> pd.Timestamp:
        """The settlement date as a pandas Timestamp.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> synthetic_market(seed=0).settlement_timestamp
        Timestamp('2026-01-16 00:00:00')
        """
        return cast(pd.Timestamp, to_timestamps(np.int64(self.settlement)))

    # ------------------------------------------------------------------ variants
    def _variant(self, **changes: Any) -> Self:
        """A shallow copy with ``changes`` set as they are (already validated)."""
        moved = copy.copy(self)
        for name, value in changes.items():
            object.__setattr__(moved, name, value)
        return moved

    def with_curve(self, curve: Any) -> Self:
        """The same market on another curve (an intraday move, a scenario).

        Only the curve is checked (its type, and that its reference date is on or before
        the settlement date): the bonds and spreads are the validated ones of this
        state, shared as they are, so that a fund's cached cash-flow ladders still apply.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> bool(etf.nav(m.with_curve(m.curve.shift(25.0))) < etf.nav(m))
        True
        """
        _check_curve(curve, self.settlement)
        return self._variant(curve=curve)

    def with_spreads(self, z_spread: pd.Series) -> Self:
        """The same market with other z-spreads (decimal, by id; every bond needs one).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> wider = m.with_spreads(m.z_spread + 0.001)
        >>> round(float((wider.z_spread - m.z_spread).mean()) * 1e4, 6)
        10.0
        """
        return dataclasses.replace(self, z_spread=z_spread)

    def with_spread_shift(self, shift_bp: float | pd.Series) -> Self:
        """Spreads moved by ``shift_bp`` (a number or a Series by bond id, in bp).

        Bonds a Series does not name do not move.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> bool(etf.nav(m.with_spread_shift(10.0)) < etf.nav(m))
        True
        """
        if isinstance(shift_bp, pd.Series):
            values = pd.to_numeric(shift_bp, errors="coerce").astype(float)
            unknown = pd.Index(values.index.astype(str)).difference(self.bonds.ids)
            if len(unknown):
                raise InputError(
                    f"shift_bp: {len(unknown)} id(s) are not bonds of the market, e.g. "
                    f"{list(unknown[:5])}"
                )
            bad = ~np.isfinite(values.to_numpy())
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise InputError(
                    f"shift_bp: bond {values.index[i]} has {show(values.iloc[i])}; "
                    "shifts must be finite numbers of bp"
                )
            shift: Any = (
                values.set_axis(values.index.astype(str))
                .reindex(self.bonds.ids)
                .fillna(0.0)
                .to_numpy()
            )
        else:
            shift = finite(shift_bp, "shift_bp")
        return self.with_spreads(self.z_spread + shift * 1e-4)

    def with_bonds(
        self, bonds: BondSet, z_spread: pd.Series, *, liquidity_scores: Any = _UNCHANGED
    ) -> Self:
        """The same market over another bond set (say, with a client's bonds added).

        ``z_spread`` needs a spread for every bond of ``bonds``; ``liquidity_scores``
        (default: keep this state's) needs a score for each when given. The cache starts
        empty (cached values belong to the old bond set). A subclass keeps its other
        fields (a :class:`~etfcore.market.Market` its ETFs, whose holdings must be bonds
        of ``bonds``).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> fewer = m.bonds.take(list(range(10)))
        >>> len(m.with_bonds(fewer, m.z_spread.iloc[:10]).bonds)
        10
        """
        changes: dict[str, Any] = {"bonds": bonds, "z_spread": z_spread, "_cache": IdentityCache()}
        if liquidity_scores is not _UNCHANGED:
            changes["liquidity_scores"] = liquidity_scores
        return dataclasses.replace(self, **changes)

    def with_regime(self, regime: str) -> Self:
        """The same market in another regime (liquidity, bands and costs all follow).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> bool(etf.nav(m.with_regime("stress"), "bid") < etf.nav(m, "bid"))
        True
        """
        return self._variant(regime=check_regime(regime))

    def with_liquidity(
        self, liquidity: Any = _UNCHANGED, *, liquidity_scores: Any = _UNCHANGED
    ) -> Self:
        """The same market with another bond liquidity model and/or liquidity scores.

        Parameters
        ----------
        liquidity : BondLiquidityLike, optional
            The new model (default: keep this state's).
        liquidity_scores : pandas.Series or None, optional
            New scores (``None`` drops them; default: keep this state's).

        Examples
        --------
        >>> from etfcore.liquidity import BondLiquidityModel
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> wide = m.with_liquidity(BondLiquidityModel(base_spread_bp=8.0))
        >>> bool(etf.nav(wide, "bid") < etf.nav(m, "bid"))
        True
        """
        changes: dict[str, Any] = {}
        if liquidity is not _UNCHANGED:
            changes["liquidity"] = liquidity
        if liquidity_scores is not _UNCHANGED:
            changes["liquidity_scores"] = liquidity_scores
        return dataclasses.replace(self, **changes) if changes else self

    def with_etf_liquidity(self, models: Mapping[str, Any]) -> Self:
        """The same market with these ETF liquidity models added (or replaced), by ETF name.

        Examples
        --------
        >>> from etfcore.liquidity import EtfLiquidityModel
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> model = EtfLiquidityModel(quoted_spread_bp_normal=5.0)
        >>> m.with_etf_liquidity({"IG_BROAD": model}).etf_liquidity_model("IG_BROAD") is model
        True
        """
        merged = {**self.etf_liquidity, **_check_etf_liquidity(models)}
        return dataclasses.replace(self, etf_liquidity=merged)

    # ------------------------------------------------------------------ lookups
    def etf_liquidity_model(self, name: str) -> EtfLiquidityLike | None:
        """The liquidity model of the ETF called ``name``, or None if the market has none.

        Callers that need a model either way (the primary market) fall back to a
        default built from the ETF's own quoted spread and volume when this is None.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> m.etf_liquidity_model("IG_BROAD").half_spread_bp("normal") > 0
        True
        >>> m.etf_liquidity_model("NOPE") is None
        True
        """
        if not isinstance(name, str):
            raise InputError(f"name: expected an ETF name (a str), got {type(name).__name__}")
        return self.etf_liquidity.get(name)

    def half_spread_bp(self, bonds: BondSet | None = None, regime: str | None = None) -> pd.Series:
        """Half the bid-ask spread of ``bonds`` (default: all), bp of price, by id.

        ``regime`` defaults to the market's. Values are cached per bond set, model,
        scores, regime and settlement (the very objects, not their ids).

        Raises
        ------
        InputError
            For an unknown regime, or a model that returns a negative or non-finite
            half-spread (naming the bond).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> h = m.half_spread_bp()
        >>> bool((m.half_spread_bp(regime="stress") > h).all())
        True
        """
        regime = self.regime if regime is None else check_regime(regime)
        bonds = self.bonds if bonds is None else bonds
        if not isinstance(bonds, BondSet):
            raise InputError(f"bonds: expected a BondSet, got {type(bonds).__name__}")
        # ids make the key distinct per object; the entry holds the objects (deps), so an
        # id cannot be reused while it is cached, and a hit is checked with ``is``
        key = (
            "half_spread",
            id(bonds),
            id(self.liquidity),
            id(self.liquidity_scores),
            regime,
            self.settlement,
        )
        deps = (bonds, self.liquidity, self.liquidity_scores)
        hit = self._cache.get(key, deps)
        if hit is None:
            kwargs: dict[str, Any] = {"settlement_date": self.settlement}
            if self.liquidity_scores is not None:
                kwargs["scores"] = self.liquidity_scores.reindex(bonds.ids)
            values = self.liquidity.half_spread_bp(bonds, regime=regime, **kwargs)
            hit = pd.Series(values).reindex(bonds.ids).astype(float).rename("half_spread_bp")
            arr = hit.to_numpy()
            bad = ~(np.isfinite(arr) & (arr >= 0))
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise InputError(
                    f"liquidity: the model gives bond {bonds.ids[i]} a half-spread of "
                    f"{show(arr[i])} bp; half-spreads must be finite and >= 0 (is every "
                    "bond known to the model?)"
                )
            self._cache.put(key, deps, hit)
        return hit

    def _half_spread_at(
        self, bonds: BondSet, positions: np.ndarray, regime: str | None = None
    ) -> np.ndarray:
        """``half_spread_bp(bonds, regime)`` as an array (bonds: ``self.bonds.take(positions)``).

        When the model prices each bond on its own (its class sets
        ``_ELEMENTWISE_MODEL`` to itself, as :class:`etfcore.liquidity.BondLiquidityModel`
        does), the rows of every bond's half-spread (one model call per market and
        regime, cached) are the subset's own numbers, so they are sliced. Otherwise, or
        when some bond of the market cannot be costed (an error or a warning), the
        subset is costed on its own.
        """
        regime = self.regime if regime is None else check_regime(regime)
        model = self.liquidity
        if getattr(type(model), "_ELEMENTWISE_MODEL", None) is type(model):
            ids = (id(self.bonds), id(model), id(self.liquidity_scores))
            key = ("half_spread_all", *ids, regime, self.settlement)
            deps = (self.bonds, model, self.liquidity_scores)
            hit = self._cache.get(key, deps)
            if hit is None:
                values: np.ndarray | None = None
                try:
                    with warnings.catch_warnings(record=True) as caught:
                        warnings.simplefilter("always")
                        values = self.half_spread_bp(None, regime).to_numpy()
                    if caught:
                        values = None
                except InputError:
                    values = None
                hit = (values,)
                self._cache.put(key, deps, hit)
            if hit[0] is not None:
                return hit[0][positions]
        return self.half_spread_bp(bonds, regime).to_numpy()

    # ------------------------------------------------------------------ display
    def summary(self) -> Any:
        """The market at a glance: bonds, dates, regime, spreads and liquidity.

        Returns
        -------
        statsmodels.iolib.summary2.Summary
            Prints as text, renders as HTML in Jupyter.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> text = str(synthetic_market(seed=0).summary())
        >>> [line.split()[-1] for line in text.splitlines() if line.startswith("regime")]
        ['normal']
        """
        from ._results import make_summary

        z_bp = self.z_spread.to_numpy() * 1e4
        h = self.half_spread_bp().to_numpy()
        model = self.liquidity
        facts = {
            "n_bonds": len(self.bonds),
            "settlement": _day_text(self.settlement),
            "curve_reference_date": _day_text(int(self.curve.reference_date)),
            "regime": self.regime,
            "median_z_spread_bp": float(np.median(z_bp)),
            "min_z_spread_bp": float(z_bp.min()),
            "max_z_spread_bp": float(z_bp.max()),
            "mean_half_spread_bp": float(h.mean()),
            "bond_liquidity_model": getattr(model, "name", None) or type(model).__name__,
            "liquidity_scores": "yes" if self.liquidity_scores is not None else "no",
            "etf_liquidity_models": ", ".join(self.etf_liquidity) or "none",
        }
        return make_summary(
            type(self).__name__,
            [facts],
            [
                "z-spreads are mid, continuously compounded; half-spreads are bp of price "
                f"in the {self.regime} regime."
            ],
        )


def _check_etf_liquidity(models: Any) -> dict[str, Any]:
    if not isinstance(models, Mapping):
        raise InputError(
            "etf_liquidity: expected a dict of ETF name -> EtfLiquidityModel, got "
            f"{type(models).__name__}"
        )
    out: dict[str, Any] = {}
    for name, model in models.items():
        if not isinstance(name, str):
            raise InputError(f"etf_liquidity: key {show(name)} is not an ETF name (a str)")
        if not isinstance(model, EtfLiquidityLike):
            raise InputError(
                f"etf_liquidity[{name!r}]: a {type(model).__name__} is not an ETF liquidity "
                "model (it needs bid_ask_bp, half_spread_bp, daily_volume_usd and impact_bp, "
                "as etfcore.liquidity.EtfLiquidityModel)"
            )
        out[name] = model
    return out


__all__ = [
    "MAX_Z_SPREAD",
    "ORDERS",
    "QUOTE_SIDES",
    "REGIMES",
    "TRADE_SIDES",
    "BondLiquidityLike",
    "BondTradingLike",
    "EtfLiquidityLike",
    "LiquidityLike",
    "MarketState",
    "check_order",
    "check_quote_side",
    "check_regime",
    "check_trade_side",
]
