"""Basket risk from positions, and the same per share for an ETF.

:func:`basket_risk` turns a dealer's positions (par or market value per bond id, long or
short) into DV01, key-rate DV01s at the curve's tenors, CS01 in total and by sector and
rating, market value, duration and spread duration. :func:`etf_risk_per_share` gives the
same figures per ETF share and per USD of ETF notional.

Both read the fund layer's one owner of risk, :func:`etfcore.fund.risk.fund_risk`: the
per-bond analytics (dirty price, modified and spread duration, key-rate durations, DV01 and
CS01) of every bond of the market are computed once per market (a hidden fund holding 1 USD
mm of each live bond, cached by the fund layer) and scaled by each position's par.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from .._validation import show
from ..errors import InputError
from ..fund.etf import ETF, check_market
from ..fund.risk import fund_risk, is_government
from ..state import MarketState

#: Par of each bond in the hidden universe fund whose risk is scaled to positions.
_UNIT_PAR_USD = 1_000_000.0
#: Largest absolute position accepted, USD (larger is taken for a units mistake).
MAX_POSITION_USD = 1e12
#: Per-line columns of :meth:`BasketRisk.to_frame` before the key-rate DV01s.
LINE_COLUMNS = (
    "par_usd",
    "dirty_price",
    "market_value_usd",
    "modified_duration",
    "spread_duration",
    "dv01_usd",
    "cs01_usd",
    "credit_cs01_usd",
    "sector",
    "rating",
)

_universe: dict[tuple[int, int], tuple[Any, ETF, list[Any]]] = {}


def _tenor_label(t: float) -> str:
    return f"krd_{t:g}y"


def _with_buckets(table: pd.DataFrame) -> pd.DataFrame:
    """``government`` flag, and ``rating`` / ``sector`` buckets even where the data has none.

    A bond without a rating takes its grade (``IG``/``HY``, e.g. a real holdings file
    without ratings), else ``unrated``; without a sector, ``unknown``.
    """
    table["government"] = is_government(table)
    if "rating" not in table:
        grade = table["grade"].astype(str) if "grade" in table else "unrated"
        table["rating"] = grade
    table["rating"] = table["rating"].astype(str).where(table["rating"].notna(), "unrated")
    if "sector" not in table:
        table["sector"] = "unknown"
    table["sector"] = table["sector"].astype(str).where(table["sector"].notna(), "unknown")
    return table


def _universe_table(market: MarketState) -> pd.DataFrame:
    """Per-bond risk of 1 USD mm par of every live bond of ``market`` (from fund_risk).

    Shared and cached (per bond set and settlement, then per fund_risk result): callers
    must not modify it.
    """
    bonds = market.bonds
    key = (id(bonds), int(market.settlement))
    hit = _universe.get(key)
    if hit is None or hit[0] is not bonds:
        live = bonds.ids[np.asarray(bonds.maturity) > market.settlement]
        etf = ETF("_hedging_universe", pd.Series(_UNIT_PAR_USD, index=live), 1.0)
        if len(_universe) >= 8:
            _universe.pop(next(iter(_universe)))
        hit = (bonds, etf, [None, None])
        _universe[key] = hit
    risk = fund_risk(hit[1], market)
    memo = hit[2]
    if memo[0] is not risk:
        memo[:] = [risk, _with_buckets(risk.by_bond)]
    return memo[1]


def _positions(positions: Any, market: MarketState) -> pd.DataFrame:
    """Validated positions: one row per id with ``par_usd`` (negative = short)."""
    if not isinstance(positions, pd.DataFrame):
        raise InputError(
            f"positions: expected a DataFrame with columns 'id' and 'par' (or "
            f"'market_value_usd'), got {type(positions).__name__}"
        )
    frame = (
        positions.reset_index()
        if "id" not in positions and positions.index.name == "id"
        else positions
    )
    if "id" not in frame:
        raise InputError(
            f"positions: no 'id' column (columns: {list(frame.columns)}); "
            "give the bond id of each line"
        )
    if len(frame) == 0:
        raise InputError("positions: the basket is empty; give at least one line")
    amount_col = "par" if "par" in frame else "par_usd" if "par_usd" in frame else None
    if amount_col is None and "market_value_usd" not in frame:
        raise InputError(
            f"positions: no 'par' or 'market_value_usd' column (columns: {list(frame.columns)})"
        )
    col = amount_col or "market_value_usd"
    ids = frame["id"].astype(str).to_numpy()
    amount = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(amount) | (np.abs(amount) > MAX_POSITION_USD)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"positions row {i} (id {ids[i]}): {col} {show(frame[col].iloc[i])} is not a finite "
            f"amount in USD of at most {MAX_POSITION_USD:,.0f}; {int(bad.sum())} such row(s)"
        )
    known = market.bonds.ids.get_indexer(pd.Index(ids))
    if (known < 0).any():
        unknown = list(dict.fromkeys(ids[known < 0]))
        raise InputError(
            f"positions: {len(unknown)} id(s) are not bonds of the market: {unknown[:20]}"
            f"{' ...' if len(unknown) > 20 else ''}; check the ids or add the bonds"
        )
    matured = np.asarray(market.bonds.maturity)[known] <= market.settlement
    if matured.any():
        gone = list(dict.fromkeys(ids[matured]))
        raise InputError(
            f"positions: {len(gone)} bond(s) have matured by the market's settlement: {gone[:20]}; "
            "remove them"
        )
    lines = pd.DataFrame({"id": ids, col: amount}).groupby("id", sort=False)[col].sum()
    table = _universe_table(market)
    unit = table.loc[lines.index]
    if col == "market_value_usd":
        par = lines.to_numpy() / unit["dirty_price"].to_numpy() * 100.0
    else:
        par = lines.to_numpy()
    return pd.DataFrame({"par_usd": par}, index=pd.Index(lines.index, name="id"))


def _scaled(table: pd.DataFrame, par: np.ndarray, scale: np.ndarray | float) -> pd.DataFrame:
    """Per-line risk of ``par`` (USD face, signed): the table's amounts times ``scale``."""
    krd_cols = [c for c in table.columns if c.startswith("krd_")]
    mv = table["market_value_usd"].to_numpy() * scale
    out = pd.DataFrame(
        {
            "par_usd": par,
            "dirty_price": table["dirty_price"].to_numpy(),
            "market_value_usd": mv,
            "modified_duration": table["modified_duration"].to_numpy(),
            "spread_duration": table["spread_duration"].to_numpy(),
            "dv01_usd": table["dv01_usd"].to_numpy() * scale,
            "cs01_usd": table["cs01_usd"].to_numpy() * scale,
        },
        index=table.index,
    )
    out["credit_cs01_usd"] = np.where(table["government"].to_numpy(), 0.0, out["cs01_usd"])
    for c in ("sector", "rating"):
        out[c] = table[c].to_numpy()
    for c in krd_cols:
        out[f"key_rate_dv01_{c[4:]}_usd"] = mv * table[c].to_numpy() * 1e-4
    out["government"] = table["government"].to_numpy()
    return out


@dataclass(frozen=True, repr=False)
class BasketRisk:
    """The risk of a basket of bond positions (long or short) in one market.

    Built by :func:`basket_risk`. Properties hand out copies.

    Attributes
    ----------
    name : str
    n_lines : int
    market_value_usd : float
        Net market value (dirty, mid), USD; shorts count negative.
    gross_market_value_usd : float
        Sum of absolute market values.
    dv01_usd : float
        USD lost for a 1 bp rise of the zero curve (positive for a long basket).
    cs01_usd : float
        USD lost for a 1 bp rise of every bond's z-spread (the fund layer's CS01,
        Treasuries included).
    credit_cs01_usd : float
        The same over credit bonds only (Treasuries carry no credit-spread risk).
    modified_duration, spread_duration : float
        ``dv01_usd / market_value_usd x 1e4`` and ``cs01_usd / market_value_usd x 1e4``.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.hedging import basket_risk
    >>> m = synthetic_market(0)
    >>> ids = m.etfs["IG_INTERMEDIATE"].holdings.index[:20]
    >>> r = basket_risk(pd.DataFrame({"id": ids, "par": 1e6}), m)
    >>> r  # doctest: +ELLIPSIS
    BasketRisk(basket: 20 lines, market value $..., DV01 $..., CS01 $...)
    """

    name: str
    n_lines: int
    market_value_usd: float
    gross_market_value_usd: float
    dv01_usd: float
    cs01_usd: float
    credit_cs01_usd: float
    modified_duration: float
    spread_duration: float
    regime: str
    _lines: pd.DataFrame = field(repr=False)
    _key_rate_dv01: pd.Series = field(repr=False)
    _cs01_by_sector: pd.Series = field(repr=False)
    _cs01_by_rating: pd.Series = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"BasketRisk({self.name}: {self.n_lines:,} lines, market value "
            f"${self.market_value_usd:,.0f}, DV01 ${self.dv01_usd:,.0f}, CS01 "
            f"${self.cs01_usd:,.0f})"
        )

    @property
    def key_rate_dv01(self) -> pd.Series:
        """Key-rate DV01s, USD per bp, by tenor (years) of the curve's knots. A copy.

        Notes
        -----
        ``market value x key-rate duration x 1e-4`` per line, summed. Key rates are zero
        rates (continuously compounded), so with the curve's linear-zero interpolation they
        add up to the sensitivity to a parallel zero-rate shift, which equals the CS01 (a
        z-spread shift), not the yield-based DV01 (they differ by the yield's compounding).

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging import basket_risk
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["TREASURY"].holdings.index[:3]
        >>> krd = basket_risk(pd.DataFrame({"id": ids, "par": 1e6}), m).key_rate_dv01
        >>> krd.index.name, krd.name
        ('tenor', 'key_rate_dv01_usd')
        """
        return frame_copy(self._key_rate_dv01)

    @property
    def cs01_by_sector(self) -> pd.Series:
        """CS01 (USD per bp of z-spread) by sector, a copy.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging import basket_risk
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["HY"].holdings.index[:10]
        >>> r = basket_risk(pd.DataFrame({"id": ids, "par": 1e6}), m)
        >>> bool(abs(r.cs01_by_sector.sum() - r.cs01_usd) < 1e-6)
        True
        """
        return frame_copy(self._cs01_by_sector)

    @property
    def cs01_by_rating(self) -> pd.Series:
        """CS01 (USD per bp of z-spread) by rating, a copy.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging import basket_risk
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["HY"].holdings.index[:10]
        >>> r = basket_risk(pd.DataFrame({"id": ids, "par": 1e6}), m)
        >>> set(r.cs01_by_rating.index) <= {"BB", "B", "CCC"}
        True
        """
        return frame_copy(self._cs01_by_rating)

    def to_frame(self) -> pd.DataFrame:
        """Per line (index: bond id): :data:`LINE_COLUMNS` and ``key_rate_dv01_<t>y_usd``.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging import basket_risk
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:4]
        >>> f = basket_risk(pd.DataFrame({"id": ids, "par": [1e6, -1e6, 2e6, 5e5]}), m).to_frame()
        >>> len(f), list(f.columns[:3])
        (4, ['par_usd', 'dirty_price', 'market_value_usd'])
        """
        return frame_copy(self._lines.drop(columns="government"))

    def summary(self) -> Any:
        """Totals, key-rate DV01s and CS01 by sector and rating.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging import basket_risk
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:4]
        >>> r = basket_risk(pd.DataFrame({"id": ids, "par": 1e6}), m)
        >>> "key_rate_dv01_usd" in str(r.summary())
        True
        """
        totals = {
            "n_lines": self.n_lines,
            "market_value_usd": self.market_value_usd,
            "gross_market_value_usd": self.gross_market_value_usd,
            "dv01_usd": self.dv01_usd,
            "cs01_usd": self.cs01_usd,
            "credit_cs01_usd": self.credit_cs01_usd,
            "modified_duration": self.modified_duration,
            "spread_duration": self.spread_duration,
        }
        krd = self._key_rate_dv01.to_frame()
        krd.index = [f"{t:g}y" for t in krd.index]
        return make_summary(
            f"Basket risk: {self.name} ({self.regime} regime)",
            [totals, krd, self._cs01_by_sector.to_frame(), self._cs01_by_rating.to_frame()],
            [
                "Mid prices from the market's curve and z-spreads (etfcore.fund.risk.fund_risk); "
                "DV01, key-rate DV01 and CS01 are USD per bp, positive for a long position "
                "(the loss when rates or spreads rise 1 bp).",
            ],
        )


def _basket(lines: pd.DataFrame, name: str, regime: str) -> BasketRisk:
    mv = float(lines["market_value_usd"].sum())
    if not np.isfinite(mv) or abs(mv) < 1e-9 * max(
        1.0, float(lines["market_value_usd"].abs().sum())
    ):
        raise InputError(
            f"positions: the basket's net market value is {show(mv)} USD; a basket with zero "
            "market value has no duration or per-USD risk (give non-zero positions)"
        )
    krd_cols = [c for c in lines.columns if c.startswith("key_rate_dv01_")]
    tenors = [float(c[len("key_rate_dv01_") : -len("y_usd")]) for c in krd_cols]
    krd = pd.Series(
        lines[krd_cols].sum().to_numpy(dtype=float),
        index=pd.Index(tenors, name="tenor", dtype=float),
        name="key_rate_dv01_usd",
    )
    by_sector = lines.groupby("sector")["cs01_usd"].sum().sort_values(ascending=False)
    by_rating = lines.groupby("rating")["cs01_usd"].sum().sort_values(ascending=False)
    dv01 = float(lines["dv01_usd"].sum())
    cs01 = float(lines["cs01_usd"].sum())
    return BasketRisk(
        name=name,
        n_lines=len(lines),
        market_value_usd=mv,
        gross_market_value_usd=float(lines["market_value_usd"].abs().sum()),
        dv01_usd=dv01,
        cs01_usd=cs01,
        credit_cs01_usd=float(lines["credit_cs01_usd"].sum()),
        modified_duration=dv01 / mv * 1e4,
        spread_duration=cs01 / mv * 1e4,
        regime=regime,
        _lines=lines,
        _key_rate_dv01=krd,
        _cs01_by_sector=by_sector.rename("cs01_usd"),
        _cs01_by_rating=by_rating.rename("cs01_usd"),
    )


def basket_risk(positions: pd.DataFrame, market: MarketState, name: str = "basket") -> BasketRisk:
    """Risk of a basket of bond positions: DV01, key-rate DV01s, CS01 by sector and rating.

    Parameters
    ----------
    positions : pandas.DataFrame
        One row per line: ``id`` (a bond of ``market.bonds``) and ``par`` (face, USD;
        negative for a short) or, instead of ``par``, ``market_value_usd`` (dirty, mid;
        turned into par at the bond's dirty price). Lines in the same bond are added up.
    market : MarketState
    name : str, default "basket"

    Returns
    -------
    BasketRisk

    Raises
    ------
    InputError
        If ``positions`` is not a DataFrame with ``id`` and ``par`` (or
        ``market_value_usd``), an amount is NaN, infinite or absurd (naming the row), a
        bond is unknown to the market or has matured, or the basket's net market value
        is zero.

    Notes
    -----
    Per-bond analytics come from :func:`etfcore.fund.risk.fund_risk` (mid prices from
    the market's curve and each bond's z-spread), computed once per market for 1 USD mm
    of each bond and scaled by par: ``market_value = par x dirty / 100``, ``DV01 = par x
    dv01 / 100``, key-rate DV01 at tenor ``t`` = ``market value x KRD_t x 1e-4``, CS01
    likewise from spread duration. Duration and spread duration are DV01 and CS01 over
    the net market value (x 1e4), so a long-short basket's duration can be large.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.hedging import basket_risk
    >>> m = synthetic_market(0)
    >>> ids = m.etfs["TREASURY"].holdings.index[:5]
    >>> r = basket_risk(pd.DataFrame({"id": ids, "par": 10e6}), m)
    >>> bool(r.dv01_usd > 0), bool(abs(r.key_rate_dv01.sum() / r.cs01_usd - 1) < 1e-6)
    (True, True)
    >>> r.credit_cs01_usd
    0.0
    """
    market = check_market(market)
    pos = _positions(positions, market)
    table = _universe_table(market).loc[pos.index]
    par = pos["par_usd"].to_numpy(dtype=float)
    lines = _scaled(table, par, par / _UNIT_PAR_USD)
    return _basket(lines, name, market.regime)


def etf_lines(etf: ETF, market: MarketState) -> pd.DataFrame:
    """Per-holding risk lines of ``etf`` (columns as :meth:`BasketRisk.to_frame`).

    Cached on the fund per fund_risk result; shared: callers must not modify it.
    """
    risk = fund_risk(etf, market)
    hit = etf._cache.get("hedging_lines", (risk,))
    if hit is None:
        table = _with_buckets(risk.by_bond)
        hit = _scaled(table, table["par_usd"].to_numpy(dtype=float), 1.0)
        etf._cache.put("hedging_lines", (risk,), hit)
    return hit


def etf_risk_per_share(etf: ETF, market: MarketState) -> pd.DataFrame:
    """An ETF's risk per share and per USD notional, from its holdings.

    Parameters
    ----------
    etf : ETF
    market : MarketState

    Returns
    -------
    pandas.DataFrame
        Index: ``nav`` (mid NAV per share), ``market_value_usd`` (bonds), ``dv01_usd``,
        ``cs01_usd``, ``credit_cs01_usd``, ``key_rate_dv01_<t>y_usd`` per tenor,
        ``cs01_rating_<r>_usd`` and ``cs01_sector_<s>_usd``; columns ``fund`` (the
        whole fund), ``per_share`` and ``per_usd_notional``.

    Raises
    ------
    InputError
        If ``etf`` is not an ETF, a holding is unknown to the market or matured, or the
        fund has no shares or a non-positive NAV.

    Notes
    -----
    ``per_share = fund / shares_outstanding``; ``per_usd_notional = per_share / NAV``
    (mid NAV, cash and liabilities included, so a fund with cash has a little less risk
    per USD than its bonds). Risk figures are USD per bp, positive for a long position.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.hedging import etf_risk_per_share
    >>> m = synthetic_market(0)
    >>> r = etf_risk_per_share(m.etfs["IG_BROAD"], m)
    >>> round(float(r.loc["dv01_usd", "per_usd_notional"] * 1e4), 1)  # duration
    7.4
    """
    if not isinstance(etf, ETF):
        raise InputError(f"etf: expected an ETF, got {type(etf).__name__}")
    market = check_market(market)
    lines = etf_lines(etf, market)
    shares = float(etf.shares_outstanding)
    nav = float(etf.nav(market))
    if not shares > 0 or not nav > 0:
        raise InputError(
            f"{etf.name}: shares_outstanding {show(shares)} and NAV {show(nav)} must be positive "
            "to give risk per share"
        )
    drop = ["sector", "rating", "government", "par_usd", "dirty_price"]
    fund = lines.drop(columns=[*drop, "modified_duration", "spread_duration"]).sum()
    rating = lines.groupby("rating")["credit_cs01_usd"].sum()
    sector = lines.groupby("sector")["credit_cs01_usd"].sum()
    rows = pd.concat(
        [
            fund,
            rating.set_axis([f"cs01_rating_{r}_usd" for r in rating.index]),
            sector.set_axis([f"cs01_sector_{s}_usd" for s in sector.index]),
        ]
    ).astype(float)
    out = pd.DataFrame({"fund": rows})
    out.loc["nav"] = nav * shares
    out = out.loc[["nav", *rows.index]]
    out["per_share"] = out["fund"] / shares
    out["per_usd_notional"] = out["per_share"] / nav
    out.loc["nav", "fund"] = nav * shares
    out.index.name = "measure"
    return out


__all__ = ["BasketRisk", "basket_risk", "etf_risk_per_share"]
