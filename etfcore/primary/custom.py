"""Custom (optimised) creation and redemption baskets, and how far a basket is from its fund.

:func:`custom_basket` picks at most K bonds that match the fund's key-rate durations,
spread duration and sector weights while preferring liquid bonds (a bounded
least-squares problem); :func:`basket_distance` measures any basket against the fund.
Both are also importable from :mod:`etfcore.primary.baskets`, where they used to live.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import renamed_keywords
from .._results import frame_copy
from .._validation import decimal, integer, positive, show
from ..bonds.pricing import key_rate_durations, price_bonds
from ..errors import InputError
from ..fund.etf import ETF
from ..fund.risk import fund_risk
from ..state import MarketState, check_order, check_regime
from . import _liquidity as liq
from .baskets import (
    Basket,
    _details,
    _other_assets,
    _round_to_lots,
    _shares_for,
    bond_quotes,
    check_units,
)

#: Remaining-maturity buckets (years) used to spread the custom optimiser's pool.
MATURITY_BUCKETS = (0.0, 3.0, 5.0, 7.0, 10.0, 20.0, np.inf)
#: How far apart the basket and the fund may be for one unit of the custom
#: optimiser's objective: key-rate duration per tenor and spread duration (years),
#: sector weight (fraction of value).
DEFAULT_TOLERANCES = {"krd": 0.05, "spread_duration": 0.05, "sector": 0.01}


def _risk_table(etf: ETF, market: MarketState) -> pd.DataFrame:
    """Per holding (par > 0): weight, spread duration, KRDs, sector, years.

    From :func:`etfcore.fund.fund_risk`, the fund layer's one owner of fund risk (it
    caches per fund and market).
    """
    table = fund_risk(etf, market).by_bond
    table = table.loc[table["par_usd"].to_numpy() > 0]
    mv = table["market_value_usd"].to_numpy()
    out = pd.DataFrame(
        {
            "par_usd": table["par_usd"].to_numpy(),
            "weight": mv / mv.sum(),
            "spread_duration": table["spread_duration"].to_numpy(),
            "years": table["years_to_maturity"].to_numpy(),
        },
        index=pd.Index(table.index.astype(str), name="id"),
    )
    krd_cols = [c for c in table.columns if c.startswith("krd_")]
    out[krd_cols] = table[krd_cols].to_numpy()
    out["sector"] = table["sector"].astype(str).to_numpy() if "sector" in table else "all"
    for c in ("issuer", "rating", "grade"):
        if c in table:
            out[c] = table[c].to_numpy()
    return out


def _features(table: pd.DataFrame, sectors: pd.Index, tol: Mapping[str, float]) -> np.ndarray:
    krd_cols = [c for c in table.columns if c.startswith("krd_")]
    krd = table[krd_cols].to_numpy() / tol["krd"]
    sd = table[["spread_duration"]].to_numpy() / tol["spread_duration"]
    onehot = (table["sector"].to_numpy()[:, None] == sectors.to_numpy()[None, :]).astype(float)
    return np.hstack([krd, sd, onehot / tol["sector"]])


def _solve_weights(
    x: np.ndarray,
    target: np.ndarray,
    cost: np.ndarray,
    upper: np.ndarray | None,
    liquidity_weight: float,
    ridge: float,
) -> np.ndarray:
    """``min ||X'w - t||^2 + ridge ||w||^2 + lambda c.w`` s.t. ``0 <= w <= u``, ``sum w = 1``.

    The linear cost term is folded into the ridge rows exactly:
    ``||sqrt(r) w + lambda c / (2 sqrt(r))||^2 = r ||w||^2 + lambda c.w + const``.
    The budget ``sum w = 1`` is a heavily weighted row. Without upper bounds the
    problem is a non-negative least-squares one (Lawson-Hanson, :func:`scipy.optimize.nnls`,
    fast on the large candidate pool); with them, bounded least squares
    (:func:`scipy.optimize.lsq_linear`, BVLS) on the small final sets.
    """
    from scipy.optimize import lsq_linear, nnls  # ~0.3 s to import: only when a basket is solved

    n = x.shape[0]
    sr = np.sqrt(ridge)
    big = 1e4
    a = np.vstack([x.T, np.full((1, n), big), sr * np.eye(n)])
    b = np.concatenate([target, [big], -liquidity_weight * cost / (2.0 * sr)])
    if upper is None:
        w, _ = nnls(a, b, maxiter=50 * n)
    else:
        w = lsq_linear(
            a, b, bounds=(np.zeros(n), np.maximum(upper, 1e-12)), method="bvls", tol=1e-12
        ).x
    return np.clip(w, 0.0, None)


@renamed_keywords(side="order")
def custom_basket(
    etf: ETF,
    market: MarketState,
    units: int = 1,
    max_bonds: int = 50,
    order: str = "create",
    *,
    prefer: pd.Series | str | None = None,
    regime: str | None = None,
    liquidity_weight: float = 1.0,
    max_weight: float | None = None,
    pool_size: int = 400,
    tolerances: Mapping[str, float] | None = None,
    lot_usd: float = 1_000.0,
    min_piece_usd: float = 2_000.0,
) -> Basket:
    """An optimised basket of at most ``max_bonds`` bonds that tracks the fund cheaply.

    Parameters
    ----------
    etf, market
    units : int, default 1
        Whole number of creation units.
    max_bonds : int, default 50
        At most this many bonds in kind (K >= 1).
    order : {"create", "redeem"}
        (Formerly ``side``.)
    prefer : pandas.Series or "illiquid first", optional
        Bonds the fund would rather deliver (redemption) or receive (creation): a
        Series of bonus scores by id, in bp of trading cost the fund will accept to
        move that bond; or "illiquid first", which reverses the liquidity preference
        (a redemption basket that sheds the hardest-to-trade bonds).
    regime : {"normal", "stress"}, optional
        Liquidity regime of the costs (default: the market's).
    liquidity_weight : float, default 1.0
        Objective units per bp of the basket's average trading cost: 0 tracks the
        fund as closely as possible, larger values trade tracking for liquidity.
    max_weight : float, optional
        Largest share of the in-kind value in one bond, a decimal in (0, 1] (default
        ``min(1, 4/K)``; ``25`` for 25% is refused with a hint).
    pool_size : int, default 400
        Candidate bonds the optimiser looks at (the cheapest ones in each sector x
        maturity cell, in proportion to the fund's weight in the cell).
    tolerances : dict, optional
        Scale of a mismatch worth one objective unit: ``krd`` and ``spread_duration``
        (years), ``sector`` (fraction); see ``DEFAULT_TOLERANCES``.
    lot_usd, min_piece_usd : float
        Par rounding, as in :func:`pro_rata_basket`.

    Returns
    -------
    Basket
        ``kind="custom"``; cash in lieu makes it worth NAV (bid) x shares.

    Notes
    -----
    Bond ``i`` has features ``x_i``: its key-rate durations at the curve's tenors
    and its spread duration (each divided by its tolerance) and a one-hot sector
    vector (divided by the sector tolerance); the fund's target is ``t = sum_i
    v_i x_i`` with ``v`` its market-value weights. Its cost ``c_i`` is its half
    bid-ask spread plus its impact at an equal share of the basket (so high daily
    volume counts), in bp. The in-kind value weights ``w`` solve

    ``min ||X'w - t||^2 + r ||w||^2 + lambda c.w``, ``0 <= w_i <= u_i``, ``sum w = 1``

    a bounded least-squares problem: the linear cost is exact, folded into the ridge
    rows. ``u_i`` is ``max_weight`` and, for a redemption, the fund's holding of the
    bond. The cardinality limit is met by support shrinking: solve without the caps
    on the candidate pool (non-negative least squares, :func:`scipy.optimize.nnls`:
    about 30 ms for 400 candidates, where BVLS takes 0.5-2 s), keep its picks and the
    cheapest other bonds up to ``2K``, solve with the caps
    (:func:`scipy.optimize.lsq_linear`, BVLS), keep the ``K`` largest weights and
    solve a last time. The
    weights become par in lots at the bid dirty price; cash in lieu covers the
    rounding. Custom baskets trade tracking error for liquidity (Koont, Ma, Pastor,
    Zeng 2022).

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> b = custom_basket(etf, m, max_bonds=20)
    >>> b.n_bonds <= 20, b.kind
    (True, 'custom')
    >>> round(b.value_usd(m, "bid") / (etf.nav(m, "bid") * b.shares), 9)
    1.0
    """
    units = check_units(units)
    order = check_order(order)
    k = _check_max_bonds(max_bonds)
    regime = market.regime if regime is None else check_regime(regime)
    lam = positive(liquidity_weight, "liquidity_weight", allow_zero=True)
    if max_weight is None:
        max_weight = min(1.0, 4.0 / k)
    w_max = decimal(max_weight, "max_weight", limit=1.0)
    if w_max <= 0:
        raise InputError(f"max_weight: {show(max_weight)} must be > 0 (a decimal in (0, 1])")
    if w_max * k < 1.0 - 1e-12:
        raise InputError(
            f"max_weight: {show(w_max)} x max_bonds {k} < 1; at most K bonds of at most "
            "max_weight each cannot add up to the basket; raise one of them"
        )
    pool_n = integer(pool_size, "pool_size", minimum=1)
    tol = dict(DEFAULT_TOLERANCES)
    if tolerances is not None:
        unknown = set(tolerances) - set(tol)
        if unknown:
            raise InputError(f"tolerances: unknown key(s) {sorted(unknown)}; use {sorted(tol)}")
        tol.update({key: positive(v, f"tolerances[{key!r}]") for key, v in tolerances.items()})
    lot = positive(lot_usd, "lot_usd")
    min_piece = positive(min_piece_usd, "min_piece_usd", allow_zero=True)
    shares, f = _shares_for(etf, units, order)

    table = _risk_table(etf, market)
    ids = table.index
    bonds = market.bonds.select(ids)
    quotes = bond_quotes(market, ids, market.regime)
    nav = etf.nav(market, "bid")
    cash_component = f * _other_assets(etf, market)
    in_kind_target = nav * shares - cash_component

    h = liq.bond_half_spread_bp(market, bonds, regime).to_numpy()
    piece = np.full(len(ids), in_kind_target / k)
    cost = h + liq.bond_impact_bp(market, bonds, piece, regime)
    eff = _preference(prefer, cost, ids)

    sectors = pd.Index(sorted(table["sector"].unique()))
    x = _features(table, sectors, tol)
    v = table["weight"].to_numpy()
    target = v @ x
    if order == "redeem":
        upper = np.minimum(
            w_max,
            table["par_usd"].to_numpy() * quotes["dirty_bid"].to_numpy() / 100.0 / in_kind_target,
        )
    else:
        upper = np.full(len(ids), w_max)

    pool = _candidate_pool(table, eff, v, pool_n, k)
    ridge = 1.0
    # 1. uncapped NNLS over the pool picks the directions; keep 2K bonds: its picks,
    #    then the cheapest of the rest (room for the caps).
    w = _solve_weights(x[pool], target, eff[pool], None, lam, ridge)
    rank = np.lexsort((eff[pool], -w))
    support = pool[rank[: 2 * k]]
    # 2. capped solve on the 2K, keep the K largest; 3. capped solve on those K.
    w = _solve_weights(x[support], target, eff[support], upper[support], lam, ridge)
    rank = np.argsort(-w, kind="stable")
    support = support[rank[: max(1, min(k, int(np.count_nonzero(w > 0))))]]
    w = _solve_weights(x[support], target, eff[support], upper[support], lam, ridge)
    w = w / w.sum() if w.sum() > 0 else w

    price = quotes["dirty_bid"].to_numpy()[support]
    par_sel = _round_to_lots(w * in_kind_target / (price / 100.0), lot, min_piece)
    if order == "redeem":
        par_sel = np.minimum(par_sel, table["par_usd"].to_numpy()[support])
    par = np.zeros(len(ids))
    par[support] = par_sel
    keep_ids = par > 0
    details = _details(table, par, quotes).loc[keep_ids]
    details["cost_bp"] = cost[keep_ids]
    in_kind = float(details["value_usd"].sum())
    return Basket(
        etf_name=etf.name,
        units=units,
        creation_unit_size=etf.creation_unit_size,
        order=order,
        kind="custom",
        par=pd.Series(par[keep_ids], index=ids[keep_ids]),
        cash_component_usd=cash_component,
        cash_in_lieu_usd=nav * shares - cash_component - in_kind,
        nav_per_share=nav,
        details=details,
    )


def _check_max_bonds(max_bonds: Any) -> int:
    try:
        k = float(max_bonds)
    except (TypeError, ValueError):
        raise InputError(f"max_bonds: {show(max_bonds)} is not a number") from None
    if not np.isfinite(k) or not k.is_integer() or k < 1:
        raise InputError(
            f"max_bonds: K must be a whole number of bonds >= 1, got {show(max_bonds)}"
        )
    return int(k)


def _preference(prefer: Any, cost: np.ndarray, ids: pd.Index) -> np.ndarray:
    """Effective per-bond cost (bp) the optimiser sees after the fund's preference."""
    if prefer is None:
        return cost
    if isinstance(prefer, str):
        if prefer != "illiquid first":
            raise InputError(
                f"prefer: unknown preference {prefer!r}; use 'illiquid first' or a "
                "Series of scores by bond id"
            )
        return cost.max() - cost
    if not isinstance(prefer, pd.Series):
        raise InputError(
            f"prefer: expected a Series of scores by bond id or 'illiquid first', "
            f"got {type(prefer).__name__}"
        )
    score = pd.to_numeric(prefer, errors="coerce")
    score.index = score.index.astype(str)
    if not np.isfinite(score.to_numpy(dtype=float)).all():
        bad = list(score.index[~np.isfinite(score.to_numpy(dtype=float))][:10])
        raise InputError(f"prefer: scores must be finite numbers; bad for {bad}")
    outside = score.index.difference(ids)
    if len(outside):
        raise InputError(
            f"prefer: {len(outside)} bond(s) the fund does not hold: {list(outside[:10])}"
        )
    bonus = score.reindex(ids).fillna(0.0).to_numpy()
    eff = cost - bonus
    return eff - min(0.0, eff.min())


def _candidate_pool(
    table: pd.DataFrame, cost: np.ndarray, weight: np.ndarray, pool_size: int, k: int
) -> np.ndarray:
    """Positions of the cheapest bonds of each sector x maturity cell, by cell weight."""
    n = len(table)
    if n <= max(pool_size, 2 * k):
        return np.arange(n)
    bucket = np.searchsorted(
        np.asarray(MATURITY_BUCKETS[1:-1]), table["years"].to_numpy(), side="right"
    )
    cell = pd.factorize(
        pd.Series(table["sector"].to_numpy()).astype(str) + "|" + pd.Series(bucket).astype(str)
    )[0]
    n_cells = cell.max() + 1
    cell_weight = np.bincount(cell, weights=weight, minlength=n_cells)
    quota = np.maximum(2, np.ceil(pool_size * cell_weight)).astype(int)
    order = np.lexsort((cost, cell))
    first = np.searchsorted(cell[order], np.arange(n_cells))
    rank = np.arange(n) - first[cell[order]]
    chosen = order[rank < quota[cell[order]]]
    return np.sort(chosen)


# ---------------------------------------------------------------------- distance
def _basket_features(basket: Basket, market: MarketState, regime: str | None) -> dict[str, Any]:
    ids = basket.par.index
    out: dict[str, Any] = {"n_bonds": basket.n_bonds}
    if len(ids) == 0:
        return out
    bonds = market.bonds.select(ids)
    res = price_bonds(bonds, market.curve, market.settlement, spread=market.z_spread)
    krd = key_rate_durations(bonds, market.curve, market.settlement, spread=market.z_spread)
    mv = basket.par.to_numpy() * res["dirty_price"].to_numpy() / 100.0
    w = mv / mv.sum()
    for t, col in zip(krd.columns, krd.to_numpy().T, strict=True):
        out[f"krd_{t:g}y"] = float(w @ col)
    out["spread_duration"] = float(w @ res["spread_duration"].to_numpy())
    attrs = bonds.attributes
    sector = attrs["sector"].astype(str) if "sector" in attrs else pd.Series("all", index=ids)
    for s, val in pd.Series(w, index=ids).groupby(sector.to_numpy()).sum().items():
        out[f"sector: {s}"] = float(val)
    h = liq.bond_half_spread_bp(
        market, bonds, market.regime if regime is None else check_regime(regime)
    )
    out["avg_half_spread_bp"] = float(w @ h.to_numpy())
    return out


def _fund_as_basket(etf: ETF, market: MarketState) -> Basket:
    held = etf.holdings[etf.holdings > 0]
    return Basket(etf.name, 1, etf.creation_unit_size, "create", "pro_rata", held)


def basket_distance(
    basket: Basket | Mapping[str, Basket],
    etf: ETF,
    market: MarketState,
    regime: str | None = None,
) -> pd.DataFrame:
    """How far a basket (or several) is from the fund: risk, sectors, liquidity.

    Parameters
    ----------
    basket : Basket or mapping of name to Basket
    etf, market
    regime : {"normal", "stress"}, optional
        Regime of the half-spreads shown (default: the market's).

    Returns
    -------
    pandas.DataFrame
        Rows: key-rate durations by tenor (``krd_5y`` ...), spread duration, sector
        weights (``sector: Banking`` ...), value-weighted average half-spread (bp),
        number of bonds, and three distances: ``krd_distance`` (root sum of squared
        KRD differences, years), ``spread_duration_gap`` (absolute, years) and
        ``sector_distance`` (half the sum of absolute sector weight differences:
        the share of value in the wrong sector). Columns: ``fund``, then
        ``basket`` and ``difference`` for one basket, or one column per named
        basket.

    Raises
    ------
    InputError
        If a basket is not a Basket, or the mapping is empty.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> from etfcore.primary import pro_rata_basket
    >>> d = basket_distance(pro_rata_basket(etf, m), etf, m)
    >>> list(d.columns)
    ['fund', 'basket', 'difference']
    >>> bool(d.loc["sector_distance", "basket"] < 0.01)
    True
    """
    baskets: dict[str, Basket]
    single = isinstance(basket, Basket)
    if isinstance(basket, Basket):
        baskets = {"basket": basket}
    elif isinstance(basket, Mapping):
        baskets = dict(basket)
        if not baskets:
            raise InputError("basket: the mapping of baskets is empty; give at least one")
    else:
        raise InputError(
            f"basket: expected a Basket or a dict of name -> Basket, got {type(basket).__name__}"
        )
    for name, b in baskets.items():
        if not isinstance(b, Basket):
            raise InputError(f"basket {name!r}: expected a Basket, got {type(b).__name__}")
    fund = _basket_features(_fund_as_basket(etf, market), market, regime)
    cols = {"fund": fund}
    for name, b in baskets.items():
        cols[name] = _basket_features(b, market, regime)
    frame = pd.DataFrame(cols)
    krd_rows = [r for r in frame.index if r.startswith("krd_")]
    sector_rows = sorted(r for r in frame.index if r.startswith("sector: "))
    frame.loc[sector_rows] = frame.loc[sector_rows].fillna(0.0)
    order = krd_rows + ["spread_duration"] + sector_rows + ["avg_half_spread_bp", "n_bonds"]
    frame = frame.loc[order]
    for name in baskets:
        diff = frame[name] - frame["fund"]
        frame.loc["krd_distance", name] = float(np.sqrt((diff[krd_rows] ** 2).sum()))
        frame.loc["spread_duration_gap", name] = float(abs(diff["spread_duration"]))
        frame.loc["sector_distance", name] = float(0.5 * diff[sector_rows].abs().sum())
    frame.loc[["krd_distance", "spread_duration_gap", "sector_distance"], "fund"] = 0.0
    if single:
        frame["difference"] = frame["basket"] - frame["fund"]
        dist = ["krd_distance", "spread_duration_gap", "sector_distance"]
        frame.loc[dist, "difference"] = frame.loc[dist, "basket"]
    frame.index.name = "metric"
    return frame_copy(frame)


__all__ = ["DEFAULT_TOLERANCES", "MATURITY_BUCKETS", "basket_distance", "custom_basket"]
