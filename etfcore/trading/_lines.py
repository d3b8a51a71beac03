"""Basket lines: one validated, priced row per bond of a basket (the layer's shared input).

:func:`basket_lines` is the one place the trading layer turns what a client sends (a
:class:`~etfcore.io.PortfolioBasket` read from a file, or a DataFrame of market bonds)
into lines: par, the client's side, the model mid clean and dirty prices, market value,
weight and the bond's issuer, rating, sector and years to maturity. Pre-trade analysis,
the dealers, the RFQ and the report all start from it.

Prices come from the hedging layer's per-bond table (:func:`etfcore.fund.risk.fund_risk`
of every live bond of the market, cached per market), so a line's price is the one its
risk is computed at.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import show
from ..errors import InputError
from ..fund.etf import check_market
from ..hedging.risk import MAX_POSITION_USD, _universe_table
from ..state import TRADE_SIDES, MarketState

#: Columns of the lines frame, in order (index: ``id``).
LINE_COLUMNS = (
    "par_usd",
    "trade_side",
    "clean_price",
    "dirty_price",
    "market_value_usd",
    "weight",
    "issuer",
    "rating",
    "sector",
    "years_to_maturity",
)
#: Client's side when a basket gives none.
DEFAULT_TRADE_SIDE = "sell"
#: Problems listed in one error message before the rest are counted.
_MAX_LISTED = 20


def _raise(where: str, problems: list[str]) -> None:
    if problems:
        listed = "; ".join(problems[:_MAX_LISTED])
        more = f"; and {len(problems) - _MAX_LISTED} more" if len(problems) > _MAX_LISTED else ""
        raise InputError(f"{where}: {len(problems)} problem(s): {listed}{more}")


def _frame(basket: Any, where: str) -> pd.DataFrame:
    if not isinstance(basket, pd.DataFrame):
        raise InputError(
            f"{where}: expected a PortfolioBasket (etfcore.io.read_basket) or a DataFrame with "
            f"'id' and 'par' (or 'market_value_usd'), got {type(basket).__name__}"
        )
    frame = basket
    if "id" not in frame.columns and frame.index.name == "id":
        frame = frame.reset_index()
    if "id" not in frame.columns:
        raise InputError(
            f"{where}: no 'id' column (columns: {list(map(str, frame.columns))}); give the bond "
            "id of each line"
        )
    if len(frame) == 0:
        raise InputError(f"{where}: the basket is empty; give at least one line")
    return frame


def _amounts(frame: pd.DataFrame, col: str | None, ids: np.ndarray, problems: list[str]):
    if col is None:
        return None
    raw = frame[col]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values <= 0) | (values > MAX_POSITION_USD)
    for i in np.flatnonzero(bad):
        v = raw.iloc[i]
        why = (
            "is not a number"
            if not np.isfinite(values[i])
            else "must be > 0 (the side says buy or sell)"
            if values[i] <= 0
            else f"is larger than {MAX_POSITION_USD:,.0f} (check the unit: USD)"
        )
        problems.append(f"row {i} (id {ids[i]}): {col} {show(v)} {why}")
    return values


def _sides(frame: pd.DataFrame, ids: np.ndarray, problems: list[str]) -> np.ndarray:
    col = "trade_side" if "trade_side" in frame else "side" if "side" in frame else None
    if col is None:
        return np.full(len(frame), DEFAULT_TRADE_SIDE, dtype=object)
    raw = frame[col]
    out = np.empty(len(frame), dtype=object)
    for i, v in enumerate(raw.to_numpy()):
        word = v.strip().lower() if isinstance(v, str) else None
        if word not in TRADE_SIDES:
            problems.append(
                f"row {i} (id {ids[i]}): {col} {show(v)} is not a trade side; use one of "
                f"{list(TRADE_SIDES)} (the client's side)"
            )
        out[i] = word
    return out


def _from_portfolio_basket(basket: Any, market: MarketState, where: str):
    priced_in = basket.in_market(market)
    frame = basket.lines.reset_index().rename(columns={"par_usd": "par"})
    frame = frame.drop(columns=[c for c in ("price", "weight") if c in frame])
    for col in ("par", "market_value_usd"):
        if col in frame and frame[col].isna().all():
            frame = frame.drop(columns=col)
    if "par" in frame and "market_value_usd" in frame:
        # a file may give par on some lines and market value on others: fill each from
        # the other at the model's dirty price
        table = _universe_table(priced_in)
        pos = table.index.get_indexer(pd.Index(frame["id"].astype(str)))
        dirty = np.where(pos >= 0, table["dirty_price"].to_numpy()[pos], np.nan)
        par, mv = (
            frame["par"].to_numpy(dtype=float),
            frame["market_value_usd"].to_numpy(dtype=float),
        )
        frame["par"] = np.where(np.isnan(par), mv / dirty * 100.0, par)
        frame["market_value_usd"] = np.where(np.isnan(mv), par * dirty / 100.0, mv)
    lines = _price(frame, priced_in, where)
    return priced_in, lines


def _price(frame: pd.DataFrame, market: MarketState, where: str) -> pd.DataFrame:
    ids = frame["id"].astype(str).to_numpy()
    problems: list[str] = []
    dup = pd.Index(ids).duplicated(keep=False)
    if dup.any():
        first: dict[str, list[int]] = {}
        for i in np.flatnonzero(dup):
            first.setdefault(ids[i], []).append(int(i))
        for bond, at in first.items():
            problems.append(
                f"id {bond} appears in rows {at}; a basket line appears once (merge the rows)"
            )
    par_col = "par" if "par" in frame else "par_usd" if "par_usd" in frame else None
    mv_col = (
        "market_value_usd"
        if "market_value_usd" in frame
        else "market_value"
        if "market_value" in frame
        else None
    )
    if par_col is None and mv_col is None:
        raise InputError(
            f"{where}: no 'par' or 'market_value_usd' (or 'market_value') column (columns: "
            f"{list(map(str, frame.columns))}); give each line's face or market value in USD"
        )
    par = _amounts(frame, par_col, ids, problems)
    mv = _amounts(frame, mv_col, ids, problems)
    sides = _sides(frame, ids, problems)
    table = _universe_table(market)
    pos = table.index.get_indexer(pd.Index(ids))
    unknown = pos < 0
    if unknown.any():
        known_all = market.bonds.ids.get_indexer(pd.Index(ids))
        for i in np.flatnonzero(unknown):
            if known_all[i] >= 0:
                problems.append(
                    f"row {i} (id {ids[i]}): the bond has matured by the market's settlement; "
                    "remove the line"
                )
            else:
                problems.append(
                    f"row {i} (id {ids[i]}): not a bond of the market; check the id or add "
                    "the bond (read the file with etfcore.io.read_basket)"
                )
    _raise(where, problems)
    rows = table.iloc[pos]
    dirty = rows["dirty_price"].to_numpy(dtype=float)
    if par is None:
        assert mv is not None
        par = mv / dirty * 100.0
    if mv is None:
        mv = par * dirty / 100.0
    total = float(mv.sum())
    if not total > 0:
        raise InputError(
            f"{where}: the basket's total market value is {show(total)} USD; give lines with "
            "a positive value"
        )
    issuer = rows["issuer"].to_numpy() if "issuer" in rows else np.full(len(ids), np.nan)
    lines = pd.DataFrame(
        {
            "par_usd": par,
            "trade_side": sides,
            "clean_price": rows["clean_price"].to_numpy(dtype=float),
            "dirty_price": dirty,
            "market_value_usd": mv,
            "weight": mv / total,
            "issuer": issuer,
            "rating": rows["rating"].to_numpy(),
            "sector": rows["sector"].to_numpy(),
            "years_to_maturity": rows["years_to_maturity"].to_numpy(dtype=float),
        },
        index=pd.Index(ids, name="id"),
    )
    return lines


def basket_lines(
    basket: Any, market: MarketState, *, where: str = "basket"
) -> tuple[MarketState, pd.DataFrame]:
    """Validate a basket and price its lines in a market.

    Parameters
    ----------
    basket : PortfolioBasket or pandas.DataFrame
        A basket read by :func:`etfcore.io.read_basket`, or a DataFrame with ``id``
        (bonds of ``market.bonds``; a column or the index) and ``par`` (face, USD) or
        ``market_value_usd`` / ``market_value`` (USD, dirty), and optionally
        ``trade_side`` (or ``side``): the CLIENT's side, ``"sell"`` (default) or
        ``"buy"``.
    market : MarketState
    where : str, default "basket"
        How errors name the basket.

    Returns
    -------
    market : MarketState
        The market the lines are priced in: ``market`` itself for a DataFrame (and for a
        basket whose bonds the market knows), else ``market`` extended with the basket's
        bonds (:meth:`PortfolioBasket.in_market`).
    lines : pandas.DataFrame
        Indexed by ``id`` (unique), columns :data:`LINE_COLUMNS`: ``par_usd`` (> 0),
        ``trade_side`` (the client's), ``clean_price`` and ``dirty_price`` (model mid,
        per 100 of par), ``market_value_usd`` (> 0), ``weight`` (share of the total
        market value), ``issuer``, ``rating``, ``sector``, ``years_to_maturity``.

    Raises
    ------
    InputError
        Listing every line at fault, by row and id: an amount that is zero, negative,
        NaN or absurd; an id that appears twice (a line appears once: nothing is summed);
        an id the market does not know or a bond matured by its settlement; a side that
        is neither buy nor sell. Also for an empty basket, a missing amount column and a
        zero total market value.

    Notes
    -----
    * ``market_value_usd`` is as given when the basket gives it, else
      ``par x dirty / 100``; ``par_usd`` is as given, else ``market value / (dirty / 100)``.
    * Prices are the market's mid (curve plus each bond's z-spread), from the per-bond
      table of the hedging layer (:func:`etfcore.fund.risk.fund_risk`), so a line is
      priced where its risk is measured.
    * Dealer sign convention: the dealer ends LONG what the client sells, so the dealer's
      positions for :mod:`etfcore.hedging` are ``par = +par_usd`` on client-sell lines
      and ``-par_usd`` on client-buy lines.
    * ``rating`` is ``"unrated"`` and ``sector`` ``"unknown"`` where the market has none.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.trading._lines import basket_lines
    >>> m = synthetic_market(0)
    >>> ids = m.etfs["IG_SHORT"].holdings.index[:3]
    >>> basket = pd.DataFrame({"id": ids, "par": [1e6, 2e6, 5e5], "side": ["sell", "buy", "sell"]})
    >>> priced_in, lines = basket_lines(basket, m)
    >>> priced_in is m, list(lines["trade_side"]), round(float(lines["weight"].sum()), 12)
    (True, ['sell', 'buy', 'sell'], 1.0)
    >>> basket_lines(pd.concat([basket, basket.iloc[:1]]), m)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: basket: 1 problem(s): id ... appears in rows [0, 3]; ...
    """
    market = check_market(market)
    if hasattr(basket, "in_market") and hasattr(basket, "lines"):
        return _from_portfolio_basket(basket, market, where)
    frame = _frame(basket, where)
    return market, _price(frame, market, where)


def dealer_positions(lines: pd.DataFrame) -> pd.DataFrame:
    """The dealer's positions after trading ``lines``: ``id`` and signed ``par``.

    Parameters
    ----------
    lines : pandas.DataFrame
        The lines of :func:`basket_lines` (``par_usd`` and ``trade_side`` by id).

    Returns
    -------
    pandas.DataFrame
        Columns ``id`` and ``par`` (USD face, signed): what
        :func:`etfcore.hedging.basket_risk` and :func:`etfcore.hedging.select_hedge` take.

    Notes
    -----
    The dealer ends long what the client sells: ``par = +par_usd`` on client-sell lines
    and ``-par_usd`` on client-buy lines.

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame(
    ...     {"par_usd": [1e6, 2e6], "trade_side": ["sell", "buy"]},
    ...     index=pd.Index(["A", "B"], name="id"),
    ... )
    >>> dealer_positions(lines)["par"].tolist()
    [1000000.0, -2000000.0]
    """
    sign = np.where(lines["trade_side"].to_numpy() == "buy", -1.0, 1.0)
    return pd.DataFrame(
        {"id": lines.index.to_numpy(), "par": lines["par_usd"].to_numpy(dtype=float) * sign}
    )


__all__ = ["DEFAULT_TRADE_SIDE", "LINE_COLUMNS", "basket_lines", "dealer_positions"]
